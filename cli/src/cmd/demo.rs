//! `marktplatz demo`: the whole product on one machine, offline. A real server on loopback
//! publishes the embedded demo event; an attendee's phone syncs it, tours it, searches it and
//! picks favourites; an organiser's phone moves a talk; the attendee's next sync costs a few
//! hundred bytes and raises a change alert.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;

use chrono::Duration;
use marktplatz_core::device::{Device, SyncOutcome};
use marktplatz_core::favourites;
use marktplatz_core::favourites::FavouriteKind;
use marktplatz_core::search::{self, SearchCache, SearchQuery};
use marktplatz_core::store::{SessionSummary, Store};
use marktplatz_core::sync;
use marktplatz_media::demo::{DEMO_EVENT_ID, demo_content, demo_now};
use marktplatz_model::model::{LocationKind, SessionStatus};
use marktplatz_model::ops::Op;
use marktplatz_model::time::EventClock;
use marktplatz_server::{Admin, Config};

use super::search::underline;
use crate::error::{CliError, CmdResult};
use crate::i18n::messages as msg;
use crate::out;

const EVENT: &str = DEMO_EVENT_ID;

#[derive(clap::Args)]
pub struct Args {
    /// Keep the server's and the phones' files in this folder instead of a temporary one.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: Args) -> CmdResult {
    let temporary = tempfile::tempdir().map_err(CliError::from)?;
    let root = args.dir.unwrap_or_else(|| temporary.path().to_path_buf());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CliError::from)?;

    // The organisers' server, on loopback, with the demo event published.
    let began = Instant::now();
    let content = demo_content()?;
    let admin = Admin::open(root.join("server"))?;
    let published = admin.publish_with_assets(
        content.bundle.clone(),
        content
            .assets
            .iter()
            .map(|a| (&a.asset, a.bytes.as_slice())),
    )?;
    let listen = SocketAddr::from(([127, 0, 0, 1], 0));
    let server = runtime
        .block_on(marktplatz_server::start(Config::new(
            root.join("server"),
            listen,
        )))
        .map_err(|e| CliError::failure(msg::server_start_failed(&e.to_string())))?;
    let url = server.url();
    out!(
        "{}",
        msg::demo_server(
            &url,
            &content.bundle.event.title,
            published.added,
            content.assets.len(),
            began.elapsed().as_millis()
        )
    )?;

    // An attendee's phone: the first sync.
    let phone = Device::open(root.join("attendee"))?;
    let first = runtime.block_on(phone.sync(Some(url.clone()), EVENT.to_string()))?;
    out!("{}", msg::demo_first_sync(&describe(&first)))?;
    tour(phone.store())?;
    search_examples(phone.store(), phone.search_cache())?;

    // Favourites: the cyber-attack talk and a station session at the same time.
    let store = phone.store();
    let now = demo_now();
    let agenda = store.agenda(EVENT, now.date_naive())?;
    let talk = find(&agenda, "Cyberangriffe")?;
    let clash = agenda
        .iter()
        .find(|s| s.id != talk.id && s.start < talk.end && s.end > talk.start)
        .ok_or_else(|| CliError::failure("the demo programme has no overlapping session"))?
        .clone();
    let archive = find(&agenda, "Digitales Archiv: Jede Kommune")?;
    for session in [&talk, &clash, &archive] {
        favourites::add_favourite(store, EVENT, FavouriteKind::Session, &session.id, None)?;
    }
    let mine = favourites::personal_agenda(store, EVENT, now.date_naive())?;
    out!(
        "\n{}",
        msg::demo_my_programme(mine.entries.len(), mine.conflict_count as usize)
    )?;
    for entry in &mine.entries {
        let marker = if entry.conflicts_with.is_empty() {
            " "
        } else {
            "!"
        };
        out!("  {marker} {}", line(&entry.session))?;
    }

    // An organiser's phone moves the archive talk to another room and pushes it.
    let token = admin.create_token(EVENT, "organiser")?;
    let organiser = Device::open(root.join("organiser"))?;
    runtime.block_on(organiser.sync(Some(url.clone()), EVENT.to_string()))?;
    sync::set_organiser(organiser.store(), EVENT, &url, &token)?;
    let seminar = organiser
        .store()
        .locations(EVENT)?
        .into_iter()
        .find(|l| l.kind == LocationKind::Room && l.name.starts_with("Seminar"))
        .ok_or_else(|| CliError::failure("the demo has no seminar room"))?;
    organiser.store().queue_op(
        EVENT,
        Op::SessionMove {
            id: archive.id.clone(),
            location_id: seminar.id.clone(),
        },
    )?;
    let pushed = runtime.block_on(organiser.push(EVENT.to_string()))?;
    out!(
        "\n{}",
        msg::demo_organiser_move(&archive.title, &seminar.name, pushed.accepted)
    )?;

    // The attendee's next sync: a small delta and a change alert on the favourite.
    let delta = runtime.block_on(phone.sync(None, EVENT.to_string()))?;
    out!("{}", msg::demo_next_sync(&describe(&delta)))?;
    for alert in favourites::unseen_alerts(store, EVENT)? {
        let changes: Vec<String> = alert
            .changes
            .iter()
            .map(|c| msg::alert_change(c.as_str()))
            .collect();
        out!(
            "  {}",
            msg::demo_alert(
                &changes.join(", "),
                &alert.new.title,
                alert.old.location_name.as_deref().unwrap_or("?"),
                alert.new.location_name.as_deref().unwrap_or("?")
            )
        )?;
    }
    let reminders = favourites::reminders(store, EVENT, now - Duration::hours(3))?;
    if let Some(first) = reminders.first() {
        out!(
            "  {}",
            msg::demo_reminder(&first.title, &first.text, reminders.len())
        )?;
    }
    let poll = runtime.block_on(phone.sync(None, EVENT.to_string()))?;
    out!("{}", msg::demo_poll(&describe(&poll)))?;

    drop(phone);
    drop(organiser);
    runtime
        .block_on(server.shutdown())
        .map_err(|e| CliError::failure(msg::server_start_failed(&e.to_string())))?;
    Ok(())
}

fn describe(outcome: &SyncOutcome) -> String {
    if outcome.not_modified {
        return msg::demo_nothing_new(outcome.elapsed_ms);
    }
    let changed: Vec<String> = outcome
        .changed
        .iter()
        .map(|c| {
            let mut parts = Vec::new();
            if c.added > 0 {
                parts.push(format!("+{}", c.added));
            }
            if c.updated > 0 {
                parts.push(format!("~{}", c.updated));
            }
            if c.removed > 0 {
                parts.push(format!("-{}", c.removed));
            }
            format!(
                "{} {}",
                msg::entity_kind(&c.kind.to_string()),
                parts.join("/")
            )
        })
        .collect();
    msg::demo_delta(
        outcome.bytes,
        outcome.assets_downloaded,
        outcome.elapsed_ms,
        &changed.join(", "),
    )
}

fn tour(store: &Store) -> CmdResult {
    let overview = store.event_overview(EVENT)?;
    let event = &overview.event;
    let venue = &event.venue;
    out!(
        "\n{}\n{}, {}, {} {}",
        event.title,
        venue.name,
        venue.street,
        venue.postal_code,
        venue.city
    )?;
    let now = demo_now();
    let clock = EventClock::new(&event.timezone, event.day_change_hour)?;
    for day in &event.days {
        out!(
            "\n{}",
            msg::demo_programme(*day, overview.session_count as usize)
        )?;
        for session in store.agenda(EVENT, *day)? {
            out!("  {}", line(&session))?;
        }
    }
    let now_next = store.now_next(EVENT, now)?;
    out!("\n{}", msg::demo_now(&clock.hhmm(now)))?;
    for session in &now_next.now {
        out!("  ▶ {}", line(session))?;
    }
    out!("{}", msg::demo_next())?;
    for session in now_next.next.iter().take(4) {
        out!("  · {}", line(session))?;
    }
    let stations: Vec<_> = store
        .stations(EVENT)?
        .into_iter()
        .filter(|s| s.location.kind == LocationKind::Station)
        .collect();
    out!("\n{}", msg::demo_stations(stations.len()))?;
    for station in stations {
        let exhibitors = store.exhibitors(EVENT, Some(&station.location.id), None)?;
        let names: Vec<&str> = exhibitors
            .iter()
            .map(|e| e.exhibitor.name.as_str())
            .collect();
        out!("  {:<26} {}", station.location.name, names.join(", "))?;
    }
    if let Some(announcement) = store.announcements(EVENT, now)?.first() {
        let marker = msg::priority_marker(announcement.priority);
        out!("\n{marker}: {}", announcement.title)?;
    }
    Ok(())
}

fn search_examples(store: &Store, cache: &SearchCache) -> CmdResult {
    out!("\n{}", msg::demo_search())?;
    for typed in ["rechnung", "Buergeramt", "sicherhiet", "archiv bruggemann"] {
        let mut query = SearchQuery::new(EVENT, typed);
        query.now = demo_now();
        query.limit = 3;
        let began = Instant::now();
        let hits = search::search(store, cache, &query)?;
        let titles: Vec<String> = hits
            .iter()
            .map(|h| {
                format!(
                    "{} {}",
                    msg::entity_kind(h.kind.as_str()),
                    msg::quote(&underline(&h.title, &h.title_highlights))
                )
            })
            .collect();
        out!(
            "  {typed:<18} {:>5.1} ms  {}",
            began.elapsed().as_secs_f64() * 1000.0,
            if titles.is_empty() {
                "—".to_string()
            } else {
                titles.join("; ")
            }
        )?;
    }
    Ok(())
}

fn find(agenda: &[SessionSummary], title_start: &str) -> CmdResult<SessionSummary> {
    agenda
        .iter()
        .find(|s| s.title.starts_with(title_start))
        .cloned()
        .ok_or_else(|| {
            CliError::failure(format!(
                "the demo programme has no session \"{title_start}…\""
            ))
        })
}

fn line(session: &SessionSummary) -> String {
    let cancelled = if session.status == SessionStatus::Cancelled {
        format!(" [{}]", msg::cancelled().to_uppercase())
    } else {
        String::new()
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
