//! `marktplatz demo`: loads the embedded demo event into a temporary device store and prints a
//! tour of it: the day's programme, what runs now and next, the stations, an announcement.

use std::path::PathBuf;
use std::time::Instant;

use marktplatz_core::demo::{DEMO_EVENT_ID, demo_content, demo_now};
use marktplatz_core::model::{Priority, SessionStatus};
use marktplatz_core::store::{SessionSummary, Store};

use super::CmdResult;

#[derive(clap::Args)]
pub struct Args {
    /// Keep the device store in this folder instead of a temporary one.
    #[arg(long)]
    pub device: Option<PathBuf>,
}

pub fn run(args: Args) -> CmdResult {
    let temporary = tempfile::tempdir()?;
    let dir = args
        .device
        .unwrap_or_else(|| temporary.path().to_path_buf());

    let began = Instant::now();
    let content = demo_content()?;
    let store = super::device::open(&dir)?;
    let loaded = store.write_content(|tx| tx.replace_with_bundle(&content.bundle))?;
    let asset_bytes: u64 = content.assets.iter().map(|a| a.asset.bytes).sum();
    let elapsed = began.elapsed();

    let overview = store.event_overview(DEMO_EVENT_ID)?;
    let event = &overview.event;
    let venue = &event.venue;
    println!("{}", event.title);
    println!(
        "{}, {}, {} {}",
        venue.name, venue.street, venue.postal_code, venue.city
    );
    println!(
        "Loaded offline into {}: {} entities ({} sessions, {} speakers, {} exhibitors, {} stations and rooms, {} photos; {} KB of generated images) in {} ms",
        dir.display(),
        loaded,
        overview.session_count,
        overview.speaker_count,
        overview.exhibitor_count,
        overview.location_count,
        overview.gallery_count,
        asset_bytes / 1024,
        elapsed.as_millis()
    );

    let now = demo_now();
    for day in &event.days {
        println!("\nProgramm {}", day.format("%d.%m.%Y"));
        for session in store.agenda(DEMO_EVENT_ID, *day)? {
            println!("  {}", agenda_line(&session));
        }
    }

    let clock = marktplatz_core::time::EventClock::new(&event.timezone, event.day_change_hour)?;
    let now_next = store.now_next(DEMO_EVENT_ID, now)?;
    println!("\nJetzt ({} Uhr):", clock.hhmm(now));
    for session in &now_next.now {
        println!("  ▶ {}", agenda_line(session));
    }
    println!("Als Nächstes:");
    for session in now_next.next.iter().take(5) {
        println!("  · {}", agenda_line(session));
    }

    print_stations(&store)?;

    if let Some(announcement) = store.announcements(DEMO_EVENT_ID, now)?.first() {
        let marker = match announcement.priority {
            Priority::Urgent => "DRINGEND",
            Priority::Important => "Wichtig",
            Priority::Normal => "Hinweis",
        };
        println!(
            "\n{marker}: {}\n  {}",
            announcement.title, announcement.body
        );
    }
    Ok(())
}

fn print_stations(store: &Store) -> CmdResult {
    let stations: Vec<_> = store
        .stations(DEMO_EVENT_ID)?
        .into_iter()
        .filter(|s| s.location.kind == marktplatz_core::model::LocationKind::Station)
        .collect();
    println!("\n{} Stationen:", stations.len());
    for station in stations {
        let exhibitors = store.exhibitors(DEMO_EVENT_ID, Some(&station.location.id), None)?;
        let names: Vec<&str> = exhibitors
            .iter()
            .map(|e| e.exhibitor.name.as_str())
            .collect();
        println!(
            "  {:<28} {} Sessions · {}",
            station.location.name,
            station.session_count,
            names.join(", ")
        );
    }
    Ok(())
}

fn agenda_line(session: &SessionSummary) -> String {
    let cancelled = if session.status == SessionStatus::Cancelled {
        " [ABGESAGT]"
    } else {
        ""
    };
    let place = session.location_name.as_deref().unwrap_or("");
    let people = if session.speaker_names.is_empty() {
        String::new()
    } else {
        format!(" · {}", session.speaker_names.join(", "))
    };
    format!(
        "{}–{}  {}{} ({}){}",
        session.local_start, session.local_end, session.title, cancelled, place, people
    )
}
