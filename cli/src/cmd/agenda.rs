//! `marktplatz agenda`: a day's programme, or with `--favourites` the personal agenda with
//! conflicts, gaps and walks marked.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use marktplatz_core::favourites;
use marktplatz_core::favourites::{FavouriteKind, PersonalAgenda, PlaceChange};
use marktplatz_core::store::{SessionSummary, Store};
use marktplatz_model::time::EventClock;
use serde_json::{Value, json};

use super::device::Target;
use crate::error::{CliError, CmdResult};
use crate::i18n::messages as msg;
use crate::{out, parse};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: Target,
    /// The conference day, 01.02.2027 or 2027-02-01 (default: today if the event runs today,
    /// else its first day).
    #[arg(long, value_name = "DATE", value_parser = parse::date)]
    day: Option<NaiveDate>,
    /// Only my favourites, with conflicts, free gaps and walks between sessions.
    #[arg(long)]
    favourites: bool,
    /// Show each session's id (for `marktplatz session`, `fav` and `ics --session`).
    #[arg(long)]
    ids: bool,
    /// Print JSON instead of lines (ids included).
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CmdResult {
    let (store, event_id) = args.target.open()?;
    let day = match args.day {
        Some(day) => day,
        None => default_day(&store, &event_id)?,
    };
    if args.favourites {
        let agenda = favourites::personal_agenda(&store, &event_id, day)?;
        if args.json {
            return crate::out::json(&personal_json(&agenda));
        }
        return print_personal(&agenda, args.ids);
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
        return crate::out::json(&json!({"event_id": event_id, "day": day, "sessions": list}));
    }
    out!("{}", msg::agenda_header(&event_id, day, sessions.len()))?;
    for s in &sessions {
        let star = if mine.contains(&s.id) { "*" } else { " " };
        out!("{star} {}", line(s, args.ids))?;
    }
    Ok(())
}

fn default_day(store: &Store, event_id: &str) -> CmdResult<NaiveDate> {
    let event = store.event_overview(event_id)?.event;
    let today = EventClock::new(&event.timezone, event.day_change_hour)?.conference_day(Utc::now());
    if event.days.contains(&today) {
        return Ok(today);
    }
    event
        .days
        .first()
        .copied()
        .ok_or_else(|| CliError::invalid(msg::event_has_no_days(event_id)))
}

/// `10:00-11:00  Title  [Place] (cancelled)`, with `--ids` the id in front.
pub(crate) fn line(s: &SessionSummary, ids: bool) -> String {
    let mut text = format!("{}-{}  ", s.local_start, s.local_end);
    if ids {
        text.push_str(&format!("{:<24} ", s.id));
    }
    text.push_str(&s.title);
    if let Some(place) = &s.location_name {
        text.push_str(&format!("  [{place}]"));
    }
    if s.status == marktplatz_model::model::SessionStatus::Cancelled {
        text.push_str(&format!("  ({})", msg::cancelled()));
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
                "gap_minutes": w.gap_minutes,
                "overlap_minutes": w.overlap_minutes,
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

fn print_personal(agenda: &PersonalAgenda, ids: bool) -> CmdResult {
    out!(
        "{}",
        msg::personal_header(
            &agenda.event_id,
            agenda.day,
            agenda.entries.len(),
            agenda.conflict_count as usize
        )
    )?;
    let titles: HashMap<&str, &str> = agenda
        .entries
        .iter()
        .map(|e| (e.session.id.as_str(), e.session.title.as_str()))
        .collect();
    let mut gaps = agenda.gaps.iter().peekable();
    for entry in &agenda.entries {
        while let Some(gap) = gaps.next_if(|g| g.end <= entry.session.start) {
            out!(
                "    ... {}",
                msg::free_gap(&gap.local_start, &gap.local_end, gap.minutes)
            )?;
        }
        if let Some(walk) = &entry.walk {
            let place = match walk.place {
                PlaceChange::SameLocation => msg::walk_stay(),
                PlaceChange::SameHall => msg::walk_within_hall(),
                PlaceChange::DifferentLocation => msg::walk_elsewhere(),
                PlaceChange::Unknown => msg::walk_unknown(),
            };
            out!(
                "    -> {}",
                msg::walk(&place, walk.gap_minutes, walk.overlap_minutes, walk.tight)
            )?;
        }
        let mark = match entry.state.as_str() {
            "present" if !entry.conflicts_with.is_empty() => "!",
            "present" => " ",
            _ => "x",
        };
        let mut text = format!("{mark} {}", line(&entry.session, ids));
        if entry.state.as_str() == "removed" {
            text.push_str(&format!("  ({})", msg::removed()));
        }
        if !entry.conflicts_with.is_empty() {
            let names: Vec<String> = entry
                .conflicts_with
                .iter()
                .map(|id| match titles.get(id.as_str()) {
                    Some(title) => msg::quote(title),
                    None => format!("'{id}'"),
                })
                .collect();
            text.push_str(&format!("  {}", msg::conflict_with(&names.join(", "))));
        }
        out!("{text}")?;
        if let Some(note) = &entry.note {
            out!("    {}", msg::note_line(note))?;
        }
    }
    Ok(())
}
