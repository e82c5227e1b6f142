//! One cold start, as a freshly launched app does it, in this process; `bench coldstart` runs it
//! many times, a new process each time.
//!
//! ```text
//! bench coldstart-child agenda   STORE_DIR EVENT AT          # ours: open the store, first agenda
//! bench coldstart-child search   STORE_DIR EVENT AT QUERY    # ours: open the store, first search
//! bench coldstart-child baseline-agenda FILE AT              # baseline: parse the schedule file
//! bench coldstart-child baseline-search FILE AT QUERY        # baseline: parse it, scan it
//! ```
//!
//! Ours goes through the library the apps load (`MarktplatzStore`, which also starts the
//! device's network runtime). The first agenda screen is the event overview, the day's
//! programme and "now and next" at `AT` (RFC 3339). The baseline is what the schedule apps we
//! compare with do on every start: read the whole schedule file they downloaded last time,
//! parse it into objects, then pick the day's sessions (or scan every text for the query).
//!
//! Prints one JSON line: `{"open_ms", "ready_ms", "cpu_ms", "items"}`, times from the start of
//! `main` (`cpu_ms`: the main thread's CPU time until the data was ready). Both are taken when
//! the screen's data is in hand, before the store (or the parsed file) is dropped: closing
//! SQLite and freeing a 20,000-entity search snapshot took 5–8 ms that no user waits for.

use std::process::ExitCode;
use std::time::Instant;

use chrono::{DateTime, Utc};
use marktplatz_core::search::SearchQuery;
use marktplatz_ffi::MarktplatzStore;
use marktplatz_model::bundle::Bundle;
use marktplatz_model::text::fold;
use marktplatz_model::time::EventClock;
use marktplatz_tests::bench::thread_cpu_ms;

/// `started`: when the process's `main` began.
pub fn run(started: Instant, args: &[String]) -> ExitCode {
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["agenda", dir, event, at] => agenda(started, dir, event, at),
        ["search", dir, event, at, query] => search(started, dir, event, at, query),
        ["baseline-agenda", file, at] => baseline_agenda(started, file, at),
        ["baseline-search", file, at, query] => baseline_search(started, file, at, query),
        _ => Err(
            "usage: bench coldstart-child agenda|search|baseline-agenda|baseline-search ...".into(),
        ),
    };
    match result {
        Ok(Ready {
            open_ms,
            ready_ms,
            cpu_ms,
            items,
        }) => {
            println!(
                "{{\"open_ms\":{open_ms:.3},\"ready_ms\":{ready_ms:.3},\"cpu_ms\":{cpu_ms:.3},\"items\":{items}}}"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("coldstart: {e}");
            ExitCode::FAILURE
        }
    }
}

/// When the first screen's data was in hand.
struct Ready {
    open_ms: f64,
    ready_ms: f64,
    /// The main thread's CPU time too: on a loaded machine the wall time also counts the time
    /// other processes held the CPU.
    cpu_ms: f64,
    items: usize,
}

impl Ready {
    /// Now, from `started`; call it before dropping what holds the data.
    fn now(started: Instant, open_ms: f64, items: usize) -> Ready {
        Ready {
            open_ms,
            ready_ms: ms(started),
            cpu_ms: thread_cpu_ms(),
            items,
        }
    }
}

type Outcome = Result<Ready, String>;

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

fn instant(at: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("{at}: {e}"))
}

fn open(dir: &str) -> Result<std::sync::Arc<MarktplatzStore>, String> {
    MarktplatzStore::open(dir.to_string()).map_err(|e| e.to_string())
}

/// The first screen: the event overview, today's programme and what runs now and next.
fn agenda(started: Instant, dir: &str, event: &str, at: &str) -> Outcome {
    let at = instant(at)?;
    let store = open(dir)?;
    let open_ms = ms(started);
    let events = store.events().map_err(|e| e.to_string())?;
    if !events.iter().any(|e| e.id == event) {
        return Err(format!("{dir} holds no event {event}"));
    }
    let phase = Instant::now();
    let overview = store
        .event_overview(event.to_string())
        .map_err(|e| e.to_string())?;
    let clock = EventClock::new(&overview.event.timezone, overview.event.day_change_hour)
        .map_err(|e| e.to_string())?;
    let day = clock.conference_day(at);
    let overview_ms = ms(phase);
    let phase = Instant::now();
    let sessions = store
        .agenda(event.to_string(), day)
        .map_err(|e| e.to_string())?;
    let agenda_ms = ms(phase);
    let phase = Instant::now();
    let now_next = store
        .now_next(event.to_string(), at)
        .map_err(|e| e.to_string())?;
    if std::env::var_os("BENCH_PHASES").is_some() {
        eprintln!(
            "phases: overview {overview_ms:.1} ms, agenda {agenda_ms:.1} ms, now/next {:.1} ms",
            ms(phase)
        );
    }
    let items = sessions.len() + now_next.now.len() + now_next.next.len();
    std::hint::black_box((&overview, &sessions, &now_next));
    let ready = Ready::now(started, open_ms, items);
    if std::env::var_os("BENCH_PHASES").is_some() {
        eprintln!(
            "phases: open {open_ms:.1} ms, first screen ready {:.1} ms",
            ready.ready_ms
        );
    }
    Ok(ready)
}

fn search(started: Instant, dir: &str, event: &str, at: &str, text: &str) -> Outcome {
    let at = instant(at)?;
    let store = open(dir)?;
    let open_ms = ms(started);
    let phases = std::env::var_os("BENCH_PHASES").is_some();
    let phase = Instant::now();
    if phases {
        // Profiling only: the snapshot's load apart from the search (the measured runs leave it
        // to the search).
        store.warm_search().map_err(|e| e.to_string())?;
    }
    let load_ms = ms(phase);
    let phase = Instant::now();
    let mut query = SearchQuery::new(event, text);
    query.now = at;
    let hits = store.search(query).map_err(|e| e.to_string())?;
    std::hint::black_box(&hits);
    let ready = Ready::now(started, open_ms, hits.len());
    if phases {
        eprintln!(
            "phases: open {open_ms:.1} ms, search snapshot {load_ms:.1} ms, search {:.1} ms",
            ms(phase)
        );
    }
    Ok(ready)
}

fn read_schedule(file: &str) -> Result<Bundle, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{file}: {e}"))
}

/// The baseline's first screen: parse the whole file, then the day's sessions in start order
/// with their rooms, and what runs now.
fn baseline_agenda(started: Instant, file: &str, at: &str) -> Outcome {
    let at = instant(at)?;
    let bundle = read_schedule(file)?;
    let open_ms = ms(started);
    let event = &bundle.event;
    let clock =
        EventClock::new(&event.timezone, event.day_change_hour).map_err(|e| e.to_string())?;
    let day = clock.conference_day(at);
    let rooms: std::collections::HashMap<&str, &str> = bundle
        .locations
        .iter()
        .map(|l| (l.id.as_str(), l.name.as_str()))
        .collect();
    let mut today: Vec<(DateTime<Utc>, &str, &str)> = bundle
        .sessions
        .iter()
        .filter(|s| clock.conference_day(s.start) == day)
        .map(|s| {
            let room = s
                .location_id
                .as_deref()
                .and_then(|id| rooms.get(id).copied())
                .unwrap_or_default();
            (s.start, s.title.as_str(), room)
        })
        .collect();
    today.sort();
    let now = bundle
        .sessions
        .iter()
        .filter(|s| s.start <= at && at < s.end)
        .count();
    std::hint::black_box(&today);
    Ok(Ready::now(started, open_ms, today.len() + now))
}

/// The baseline's first search: parse the whole file, then fold and scan every session's and
/// speaker's text for the query (what schedule apps without an index do).
fn baseline_search(started: Instant, file: &str, at: &str, text: &str) -> Outcome {
    let _ = instant(at)?;
    let bundle = read_schedule(file)?;
    let open_ms = ms(started);
    let needle = fold(text);
    let mut hits = 0usize;
    for s in &bundle.sessions {
        if [&s.title, &s.abstract_text, &s.description]
            .iter()
            .any(|t| fold(t).contains(&needle))
        {
            hits += 1;
        }
    }
    for p in &bundle.speakers {
        if fold(&p.name).contains(&needle) || fold(&p.bio).contains(&needle) {
            hits += 1;
        }
    }
    for x in &bundle.exhibitors {
        if fold(&x.name).contains(&needle) || fold(&x.description).contains(&needle) {
            hits += 1;
        }
    }
    Ok(Ready::now(started, open_ms, hits))
}
