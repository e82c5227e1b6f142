//! `marktplatz agenda`: a day's programme, or with `--favourites` the personal agenda with
//! conflicts, gaps and walks marked.

use std::path::PathBuf;

use chrono::{NaiveDate, Utc};
use marktplatz_core::favourites;
use marktplatz_core::favourites::{FavouriteKind, PersonalAgenda};
use marktplatz_core::store::{SessionSummary, Store};
use marktplatz_model::time::EventClock;
use serde_json::{Value, json};

use super::{CmdResult, device};

#[derive(clap::Args)]
pub struct Args {
    /// The device's store folder.
    #[arg(long)]
    device: PathBuf,
    /// The event (needed only when the device holds several).
    #[arg(long)]
    event: Option<String>,
    /// The conference day (YYYY-MM-DD); default today if the event runs today, else its first day.
    #[arg(long)]
    day: Option<NaiveDate>,
    /// Only my favourites, with conflicts, free gaps and walks between sessions.
    #[arg(long)]
    favourites: bool,
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CmdResult {
    let store = device::open(&args.device)?;
    let event_id = device::resolve_event(&store, args.event.as_deref())?;
    let day = match args.day {
        Some(day) => day,
        None => default_day(&store, &event_id)?,
    };
    if args.favourites {
        let agenda = favourites::personal_agenda(&store, &event_id, day)?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&personal_json(&agenda))?);
        } else {
            print_personal(&agenda);
        }
        return Ok(());
    }
    let sessions = store.agenda(&event_id, day)?;
    let mine = favourites::favourite_ids(&store, &event_id, FavouriteKind::Session)?;
    if args.json {
        let list: Vec<Value> = sessions
            .iter()
            .map(|s| {
                let mut value = session_json(s);
                value["favourite"] = json!(mine.contains(&s.id));
                value
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &json!({"event_id": event_id, "day": day, "sessions": list})
            )?
        );
    } else {
        println!("{event_id}, {day}: {} sessions", sessions.len());
        for s in &sessions {
            let star = if mine.contains(&s.id) { "*" } else { " " };
            println!("{star} {}", line(s));
        }
    }
    Ok(())
}

fn default_day(store: &Store, event_id: &str) -> Result<NaiveDate, Box<dyn std::error::Error>> {
    let overview = store.event_overview(event_id)?;
    let event = overview.event;
    let today = EventClock::new(&event.timezone, event.day_change_hour)?.conference_day(Utc::now());
    if event.days.contains(&today) {
        return Ok(today);
    }
    event
        .days
        .first()
        .copied()
        .ok_or_else(|| format!("event '{event_id}' has no days; pass --day").into())
}

/// `10:00-11:00  Title  [Place] (cancelled)`
pub(crate) fn line(s: &SessionSummary) -> String {
    let mut text = format!("{}-{}  {}", s.local_start, s.local_end, s.title);
    if let Some(place) = &s.location_name {
        text.push_str(&format!("  [{place}]"));
    }
    if s.status == marktplatz_model::model::SessionStatus::Cancelled {
        text.push_str("  (cancelled)");
    }
    text
}

pub(crate) fn session_json(s: &SessionSummary) -> Value {
    json!({
        "id": s.id,
        "title": s.title,
        "subtitle": s.subtitle,
        "kind": s.kind.as_str(),
        "status": s.status.as_str(),
        "start": s.start.to_rfc3339(),
        "end": s.end.to_rfc3339(),
        "day": s.day,
        "local_start": s.local_start,
        "local_end": s.local_end,
        "location_id": s.location_id,
        "location_name": s.location_name,
        "track_id": s.track_id,
        "track_name": s.track_name,
        "speaker_names": s.speaker_names,
        "languages": s.languages,
    })
}

fn personal_json(agenda: &PersonalAgenda) -> Value {
    json!({
        "event_id": agenda.event_id,
        "day": agenda.day,
        "conflict_count": agenda.conflict_count,
        "entries": agenda.entries.iter().map(|e| json!({
            "session": session_json(&e.session),
            "state": e.state.as_str(),
            "note": e.note,
            "conflicts_with": e.conflicts_with,
            "walk": e.walk.as_ref().map(|w| json!({
                "from_session_id": w.from_session_id,
                "from_location_name": w.from_location_name,
                "minutes": w.minutes,
                "place": w.place.as_str(),
                "tight": w.tight,
            })),
        })).collect::<Vec<_>>(),
        "gaps": agenda.gaps.iter().map(|g| json!({
            "start": g.start.to_rfc3339(),
            "end": g.end.to_rfc3339(),
            "local_start": g.local_start,
            "local_end": g.local_end,
            "minutes": g.minutes,
        })).collect::<Vec<_>>(),
    })
}

fn print_personal(agenda: &PersonalAgenda) {
    println!(
        "{}, {}: {} favourites, {} in conflict",
        agenda.event_id,
        agenda.day,
        agenda.entries.len(),
        agenda.conflict_count
    );
    let mut gaps = agenda.gaps.iter().peekable();
    for entry in &agenda.entries {
        while let Some(gap) = gaps.next_if(|g| g.end <= entry.session.start) {
            println!(
                "    ... free {}-{} ({} min)",
                gap.local_start, gap.local_end, gap.minutes
            );
        }
        if let Some(walk) = &entry.walk {
            use marktplatz_core::favourites::PlaceChange;
            let place = match walk.place {
                PlaceChange::SameLocation => "stay",
                PlaceChange::SameHall => "walk within the hall",
                PlaceChange::DifferentLocation => "go elsewhere",
                PlaceChange::Unknown => "place unknown",
            };
            let tight = if walk.tight { ", TIGHT" } else { "" };
            println!("    -> {place}, {} min{tight}", walk.minutes);
        }
        let mark = match entry.state.as_str() {
            "present" if !entry.conflicts_with.is_empty() => "!",
            "present" => " ",
            _ => "x",
        };
        let mut text = format!("{mark} {}", line(&entry.session));
        if entry.state.as_str() == "removed" {
            text.push_str("  (removed)");
        }
        if !entry.conflicts_with.is_empty() {
            text.push_str(&format!(
                "  CONFLICT with {}",
                entry.conflicts_with.join(", ")
            ));
        }
        println!("{text}");
        if let Some(note) = &entry.note {
            println!("    note: {note}");
        }
    }
}
