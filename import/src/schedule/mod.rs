//! The frab schedule model shared by schedule.xml and schedule.json: conference, days, rooms,
//! events, persons. The format readers fill a [`RawSchedule`] with the file's strings; this
//! module turns it into a bundle ([`build`]), one step per file: `zone` which timezone the file
//! was written in, `timing` when each event starts and where the day changes, `session` each
//! event as a session, `conference` the event itself (days, languages, title).

mod conference;
mod session;
mod timing;
mod zone;

use chrono::{DateTime, FixedOffset};

use marktplatz_model::error::{Error, Result};
use marktplatz_model::model::LocationKind;
use marktplatz_model::time::EventClock;
use marktplatz_model::zone::Zone;

use super::Context;
use super::builder::{Builder, Built, Person};
use super::dates::plausible;
use super::text::clean_line;
use super::warnings::{ImportWarning, Text, text};
use timing::{Timing, day_change_hour, timing};
use zone::{FileDates, choose_zone};

#[derive(Debug, Default)]
pub(crate) struct RawSchedule {
    /// How the file is named in messages ("the schedule.xml").
    pub what: &'static str,
    pub acronym: String,
    pub title: String,
    pub subtitle: String,
    pub url: Option<String>,
    pub base_url: Option<String>,
    pub venue: String,
    pub city: String,
    pub time_zone_name: Option<String>,
    pub day_change: Option<String>,
    pub days_count: Option<i64>,
    pub days: Vec<RawDay>,
    pub rooms: Vec<RawRoom>,
    pub tracks: Vec<RawTrack>,
    pub languages: Vec<String>,
    pub events: Vec<RawEvent>,
    /// Problems the reader found that do not stop the import.
    pub notes: Vec<ImportWarning>,
}

#[derive(Debug, Default)]
pub(crate) struct RawDay {
    pub date: String,
    pub start: Option<String>,
    pub end: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct RawRoom {
    pub name: String,
    pub guid: Option<String>,
    pub description: String,
    pub kind: LocationKind,
}

#[derive(Debug, Default)]
pub(crate) struct RawTrack {
    pub name: String,
    pub color: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct RawEvent {
    /// The date of the day the file lists the event under.
    pub day: Option<String>,
    /// The room the file lists the event under (the day's room key / `<room name>`).
    pub room: String,
    /// The event's own `room` field, when the file has one.
    pub room_name: Option<String>,
    pub guid: Option<String>,
    pub id: Option<String>,
    pub title: String,
    pub subtitle: String,
    /// ISO 8601 date-time with offset (`2019-12-27T11:00:00+01:00`).
    pub date: Option<String>,
    /// Local wall-clock start, `HH:MM`.
    pub start: Option<String>,
    pub duration: Option<String>,
    /// ISO 8601 end (schedule2).
    pub end: Option<String>,
    pub track: Option<String>,
    pub kind: Option<String>,
    pub language: Option<String>,
    pub abstract_text: String,
    pub description: String,
    pub persons: Vec<Person>,
    pub links: Vec<(String, String)>,
    pub url: Option<String>,
}

impl RawEvent {
    fn subject(&self) -> Text {
        let title = clean_line(&self.title);
        let title: String = title.chars().take(60).collect();
        match (&self.guid, &self.id) {
            (Some(guid), _) if !guid.trim().is_empty() => {
                text!(
                    "event '{title}' ({})",
                    "Programmpunkt „{title}“ ({})",
                    guid.trim()
                )
            }
            (_, Some(id)) if !id.trim().is_empty() => text!(
                "event '{title}' (id {})",
                "Programmpunkt „{title}“ (ID {})",
                id.trim()
            ),
            _ => text!("event '{title}'", "Programmpunkt „{title}“"),
        }
    }
}

/// A day's start and end as the file gives them.
type DayBounds = (Option<DateTime<FixedOffset>>, Option<DateTime<FixedOffset>>);

/// Turns what a reader found into a bundle; every repair is a warning, and a file that is
/// visibly incomplete is an error.
pub(crate) fn build(raw: RawSchedule, ctx: &Context) -> Result<Built> {
    check_complete(&raw)?;
    let mut builder = Builder::new();
    for note in &raw.notes {
        builder
            .warnings
            .push(&note.subject, note.field.clone(), note.message.clone());
    }

    // Everything with an explicit offset tells us which zone the file was written in.
    let dates = FileDates::read(&raw);
    let zone = choose_zone(
        raw.time_zone_name.as_deref(),
        ctx.timezone,
        &dates.offsets(),
        &mut builder.warnings,
    );
    // First pass: when does each event start (as far as we can tell without the day change)?
    let utc_clock = clock(zone, 0)?;
    let timings: Vec<Option<Timing>> = raw
        .events
        .iter()
        .zip(&dates.events)
        .map(|(event, date)| timing(event, *date, zone, &utc_clock, &mut builder.warnings))
        .collect();
    let day_change = day_change_hour(&raw, &dates.days, &timings, zone, &mut builder.warnings);
    let clock = clock(zone, day_change)?;

    for room in &raw.rooms {
        builder.location(
            &room.name,
            room.guid.as_deref(),
            room.kind,
            &room.description,
        );
    }
    for track in &raw.tracks {
        builder.track(&track.name, track.color.as_deref());
    }
    let languages = add_sessions(&raw, timings, &clock, day_change, &mut builder);
    let days = conference::days(&raw, &clock, &mut builder)?;
    let event = conference::event(&raw, ctx, zone, day_change, days, languages, &mut builder);
    Ok(builder.finish(event))
}

/// A file without days and events, or with fewer days than it declares, is not imported.
fn check_complete(raw: &RawSchedule) -> Result<()> {
    let what = raw.what;
    if raw.days.is_empty() && raw.events.is_empty() {
        return Err(Error::malformed(
            what,
            "lists no days and no events: there is nothing to import",
        ));
    }
    if let Some(count) = raw.days_count
        && !raw.days.is_empty()
        && usize::try_from(count).ok() != Some(raw.days.len())
    {
        let listed: Vec<&str> = raw.days.iter().map(|d| d.date.as_str()).collect();
        return Err(Error::invalid(
            what,
            "conference days",
            format!(
                "the conference declares {count} days but the file lists {} ({}); the file is incomplete or inconsistent, so nothing was imported",
                raw.days.len(),
                listed.join(", ")
            ),
        ));
    }
    Ok(())
}

/// Adds a session for every event with a usable start; returns the sessions' languages with
/// how many sessions use each (in first-seen order).
fn add_sessions(
    raw: &RawSchedule,
    timings: Vec<Option<Timing>>,
    clock: &EventClock,
    day_change: u8,
    builder: &mut Builder,
) -> Vec<(String, usize)> {
    let mut languages: Vec<(String, usize)> = Vec::new();
    for (event, timing) in raw.events.iter().zip(timings) {
        let Some(timing) = timing else { continue };
        let start = timing.start(clock, day_change, &mut builder.warnings, &event.subject());
        if !plausible(start) {
            builder.warnings.push(
                event.subject(),
                "date",
                text!(
                    "is not a plausible date (years 1900 to 2200); the event was skipped",
                    "ist kein plausibles Datum (Jahre 1900 bis 2200); der Programmpunkt wurde übersprungen"
                ),
            );
            continue;
        }
        if let Some(draft) = session::session(event, start, raw, builder) {
            for code in &draft.session.languages {
                match languages.iter_mut().find(|(c, _)| c == code) {
                    Some((_, n)) => *n += 1,
                    None => languages.push((code.clone(), 1)),
                }
            }
            builder.push_draft(draft);
        }
    }
    languages
}

fn clock(zone: Zone, day_change: u8) -> Result<EventClock> {
    EventClock::new(zone.name(), day_change)
}
