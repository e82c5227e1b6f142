//! The frab schedule model shared by schedule.xml and schedule.json: conference, days, rooms,
//! events, persons. The format readers fill a [`RawSchedule`] with the file's strings; this
//! module turns it into a bundle: timezone, day change, local times, rooms, tracks, speakers.

use std::collections::BTreeSet;

use crate::zone::Zone;
use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc,
};

use crate::bundle::Bundle;
use crate::error::{Error, Result};
use crate::model::{Event, LocationKind, Session, SessionKind, SessionStatus, Venue};
use crate::time::EventClock;

use super::builder::{Builder, Draft, Person, absolute_url, link};
use super::text::{clean_line, clean_text};
use super::warnings::{ImportWarning, Warnings};
use super::{Context, ids, lang, local_time, tz};

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
    fn subject(&self) -> String {
        let title = clean_line(&self.title);
        let title: String = title.chars().take(60).collect();
        match (&self.guid, &self.id) {
            (Some(guid), _) if !guid.trim().is_empty() => {
                format!("event '{title}' ({})", guid.trim())
            }
            (_, Some(id)) if !id.trim().is_empty() => format!("event '{title}' (id {})", id.trim()),
            _ => format!("event '{title}'"),
        }
    }
}

/// A day's start and end as the file gives them.
type DayBounds = (Option<DateTime<FixedOffset>>, Option<DateTime<FixedOffset>>);

/// When an event starts, before the day change hour is known.
enum Timing {
    /// A full date-time.
    Dated { instant: DateTime<Utc> },
    /// Only a wall-clock time on a listed day.
    Clock { day: NaiveDate, time: NaiveTime },
}

pub(crate) fn build(raw: RawSchedule, ctx: &Context) -> Result<(Bundle, Vec<ImportWarning>)> {
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

    let mut builder = Builder::new();
    for note in &raw.notes {
        builder.warnings.push(
            note.subject.clone(),
            note.field.clone(),
            note.message.clone(),
        );
    }

    // Everything with an explicit offset tells us which zone the file was written in.
    let event_dates: Vec<Option<DateTime<FixedOffset>>> = raw
        .events
        .iter()
        .map(|e| e.date.as_deref().and_then(parse_datetime))
        .collect();
    let day_bounds: Vec<DayBounds> = raw
        .days
        .iter()
        .map(|d| {
            (
                d.start.as_deref().and_then(parse_datetime),
                d.end.as_deref().and_then(parse_datetime),
            )
        })
        .collect();
    let mut dated: Vec<(DateTime<Utc>, FixedOffset)> = event_dates
        .iter()
        .flatten()
        .map(|d| (d.to_utc(), *d.offset()))
        .collect();
    if dated.is_empty() {
        dated = day_bounds
            .iter()
            .flat_map(|(s, e)| [s, e])
            .flatten()
            .map(|d| (d.to_utc(), *d.offset()))
            .collect();
    }
    let zone = choose_zone(
        raw.time_zone_name.as_deref(),
        ctx.timezone,
        &dated,
        &mut builder.warnings,
    );
    let utc_clock = clock(zone, 0)?;

    // First pass: when does each event start (as far as we can tell without the day change)?
    let mut timings: Vec<Option<Timing>> = Vec::with_capacity(raw.events.len());
    for (event, date) in raw.events.iter().zip(&event_dates) {
        timings.push(timing(
            event,
            *date,
            zone,
            &utc_clock,
            &mut builder.warnings,
        ));
    }

    let day_change = day_change_hour(&raw, &day_bounds, &timings, zone, &mut builder.warnings);
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

    let mut languages: Vec<(String, usize)> = Vec::new();
    for (event, timing) in raw.events.iter().zip(timings) {
        let Some(timing) = timing else { continue };
        let start = match timing {
            Timing::Dated { instant } => instant,
            Timing::Clock { day, time } => {
                let mut wall = day.and_time(time);
                if time.hour() < u32::from(day_change) {
                    wall += Duration::days(1);
                }
                local_time::check(zone, wall, &mut builder.warnings, &event.subject(), "start");
                clock.instant_of_local(wall)
            }
        };
        if !plausible(start) {
            builder.warnings.push(
                event.subject(),
                "date",
                "is not a plausible date (years 1900 to 2200); the event was skipped",
            );
            continue;
        }
        if let Some(draft) = session(event, start, &raw, &mut builder) {
            for code in &draft.session.languages {
                match languages.iter_mut().find(|(c, _)| c == code) {
                    Some((_, n)) => *n += 1,
                    None => languages.push((code.clone(), 1)),
                }
            }
            builder.push_draft(draft);
        }
    }

    // Days: the ones the file lists, plus any a session falls on that it forgot.
    let mut days: BTreeSet<NaiveDate> = BTreeSet::new();
    for day in &raw.days {
        match parse_date(&day.date) {
            Some(date) => {
                days.insert(date);
            }
            None => builder.warnings.push(
                format!("day '{}'", day.date),
                "date",
                "is not a date (YYYY-MM-DD); the day was left out",
            ),
        }
    }
    for day in builder.session_days(&clock) {
        if days.insert(day) && !raw.days.is_empty() {
            builder.warnings.push(
                "conference",
                "days",
                format!("does not list {day}, but sessions fall on it; the day was added"),
            );
        }
    }
    if days.is_empty() {
        return Err(Error::malformed(
            what,
            "has no usable days and no event with a usable time",
        ));
    }

    let mut event_languages: Vec<String> = Vec::new();
    for raw_lang in &raw.languages {
        for code in lang::normalise(raw_lang).codes {
            if !event_languages.contains(&code) {
                event_languages.push(code);
            }
        }
    }
    if event_languages.is_empty() {
        languages.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        event_languages = languages.into_iter().map(|(code, _)| code).collect();
    }

    let title = clean_line(&raw.title);
    let acronym = clean_line(&raw.acronym);
    let event_id = ctx
        .event_id
        .clone()
        .or_else(|| ids::usable(&acronym.to_ascii_lowercase()))
        .or_else(|| ids::slug(&title))
        .unwrap_or_else(|| "imported-event".to_string());
    let title = if title.is_empty() {
        builder.warnings.push(
            "conference",
            "title",
            format!(
                "is missing; used '{}' instead",
                if acronym.is_empty() {
                    &event_id
                } else {
                    &acronym
                }
            ),
        );
        if acronym.is_empty() {
            event_id.clone()
        } else {
            acronym
        }
    } else {
        title
    };
    let subtitle = Some(clean_line(&raw.subtitle)).filter(|s| !s.is_empty());
    let url = raw
        .url
        .as_deref()
        .or(raw.base_url.as_deref())
        .and_then(|u| link("", u))
        .map(|l| l.url);
    let event = Event {
        id: event_id,
        title,
        subtitle,
        description: String::new(),
        venue: Venue {
            name: clean_line(&raw.venue),
            city: clean_line(&raw.city),
            ..Venue::default()
        },
        timezone: zone.name().to_string(),
        days: days.into_iter().collect(),
        day_change_hour: day_change,
        languages: event_languages,
        url,
        logo: None,
    };
    Ok(builder.finish(event))
}

fn clock(zone: Zone, day_change: u8) -> Result<EventClock> {
    EventClock::new(zone.name(), day_change)
}

/// The file's timezone if it names a known one that fits its dates; otherwise `--timezone`;
/// otherwise a zone that fits the offsets in its dates (Europe/Berlin when it does).
fn choose_zone(
    declared: Option<&str>,
    requested: Option<Zone>,
    dated: &[(DateTime<Utc>, FixedOffset)],
    warnings: &mut Warnings,
) -> Zone {
    let dominant = tz::dominant_offset(dated)
        .map(tz::format_offset)
        .unwrap_or_else(|| "no".into());
    if let Some(name) = declared.map(str::trim).filter(|n| !n.is_empty()) {
        match tz::resolve(name) {
            Some(zone) if dated.is_empty() || tz::agreement(zone, dated) * 2 >= dated.len() => {
                if let Some(requested) = requested.filter(|r| *r != zone) {
                    warnings.push(
                        "conference",
                        "time_zone_name",
                        format!("the file names {zone}; --timezone {requested} was ignored"),
                    );
                }
                return zone;
            }
            Some(zone) => {
                let replacement = fitting_zone(requested, dated);
                warnings.push(
                    "conference",
                    "time_zone_name",
                    format!(
                        "'{name}' contradicts the {dominant} offsets of {} of {} dated entries; used {replacement}, which fits them, so local times match the file's start times",
                        dated.len() - tz::agreement(zone, dated),
                        dated.len()
                    ),
                );
                return replacement;
            }
            None => warnings.push(
                "conference",
                "time_zone_name",
                format!("'{name}' is not a known timezone; it was ignored"),
            ),
        }
    }
    if let Some(zone) = requested {
        if !dated.is_empty() && tz::agreement(zone, dated) == 0 {
            warnings.push(
                "conference",
                "time_zone_name",
                format!("--timezone {zone} does not fit the {dominant} offsets of the file's dates; used it as asked"),
            );
        }
        return zone;
    }
    let zone = fitting_zone(None, dated);
    warnings.push(
        "conference",
        "time_zone_name",
        format!(
            "is missing; assumed {zone} (it fits the {dominant} offsets of the file's dates); pass --timezone to choose another"
        ),
    );
    zone
}

fn fitting_zone(preferred: Option<Zone>, dated: &[(DateTime<Utc>, FixedOffset)]) -> Zone {
    for candidate in preferred.into_iter().chain([tz::default_zone()]) {
        if dated.is_empty() || tz::agreement(candidate, dated) * 2 >= dated.len() {
            return candidate;
        }
    }
    tz::dominant_offset(dated)
        .and_then(tz::fixed_zone)
        .unwrap_or(Zone::UTC)
}

/// An event's start as far as the file tells it; None (with a warning) when it has none.
fn timing(
    event: &RawEvent,
    date: Option<DateTime<FixedOffset>>,
    zone: Zone,
    clock: &EventClock,
    warnings: &mut Warnings,
) -> Option<Timing> {
    let subject = event.subject();
    let start_text = event
        .start
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let start_clock = start_text.and_then(parse_clock);
    if let Some(date) = date {
        let wall = date.naive_local();
        let mut instant = date.to_utc();
        let offset = *date.offset();
        let zone_offset = tz::offset_at(zone, instant);
        let start_agrees =
            start_clock.is_some_and(|t| t.hour() == wall.hour() && t.minute() == wall.minute());
        if zone_offset != offset && start_agrees {
            // The wall clock and `start` agree; the offset is the odd one out (36C3's
            // day-before snapshot wrote +00:00 on local times). Keep the wall clock.
            let local = clock.instant_of_local(wall);
            warnings.push(
                subject.clone(),
                "date",
                format!(
                    "has offset {} but {zone} is {} then; kept {} local time, as `start` says",
                    tz::format_offset(offset),
                    tz::format_offset(tz::offset_at(zone, local)),
                    wall.format("%H:%M")
                ),
            );
            instant = local;
        } else if let Some(text) = start_text
            && !start_agrees
        {
            warnings.push(
                subject.clone(),
                "start",
                format!(
                    "'{text}' does not match date {}; the date was used",
                    event.date.as_deref().unwrap_or_default()
                ),
            );
        }
        return Some(Timing::Dated { instant });
    }
    let date_text = event
        .date
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(text) = date_text {
        if let Some(wall) = parse_naive_datetime(text) {
            local_time::check(clock.tz, wall, warnings, &subject, "date");
            return Some(Timing::Dated {
                instant: clock.instant_of_local(wall),
            });
        }
        if parse_date(text).is_none() {
            warnings.push(
                subject,
                "date",
                format!("'{text}' is not a date-time; the event was skipped"),
            );
            return None;
        }
    }
    let day = date_text
        .and_then(parse_date)
        .or_else(|| event.day.as_deref().and_then(parse_date));
    match (day, start_clock, start_text) {
        (Some(day), Some(time), _) => Some(Timing::Clock { day, time }),
        (_, None, Some(text)) => {
            warnings.push(
                subject,
                "start",
                format!("'{text}' is not a time of day (HH:MM); the event was skipped"),
            );
            None
        }
        (None, _, _) => {
            warnings.push(subject, "date", "is missing; the event was skipped");
            None
        }
        (Some(_), None, None) => {
            warnings.push(subject, "start", "is missing; the event was skipped");
            None
        }
    }
}

/// The hour at which one conference day ends and the next begins: the file's `day_change`, or
/// the hour after the latest day end past midnight that puts every event on the day it is
/// listed under.
fn day_change_hour(
    raw: &RawSchedule,
    bounds: &[DayBounds],
    timings: &[Option<Timing>],
    zone: Zone,
    warnings: &mut Warnings,
) -> u8 {
    if let Some(text) = raw
        .day_change
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        match parse_clock(text) {
            Some(time) => return time.hour() as u8,
            None => warnings.push(
                "conference",
                "day_change",
                format!(
                    "'{text}' is not a time of day; derived the day change from the days instead"
                ),
            ),
        }
    }
    let local = |d: &DateTime<FixedOffset>| d.with_timezone(&zone).naive_local();
    let mut low = 0u32;
    let mut high = 23u32;
    for (day, (start, end)) in raw.days.iter().zip(bounds) {
        let Some(date) = parse_date(&day.date) else {
            continue;
        };
        if let Some(end) = end.as_ref().map(local)
            && end.date() > date
        {
            let time = end.time();
            let ceiling = if time.minute() > 0 || time.second() > 0 {
                time.hour() + 1
            } else {
                time.hour()
            };
            low = low.max(ceiling.min(23));
        }
        if let Some(start) = start.as_ref().map(local)
            && start.date() == date
        {
            high = high.min(start.hour());
        }
    }
    if high < low {
        high = low;
    }
    let listed: Vec<(NaiveDate, NaiveDateTime)> = raw
        .events
        .iter()
        .zip(timings)
        .filter_map(|(event, timing)| match timing {
            Some(Timing::Dated { instant }) => Some((
                event.day.as_deref().and_then(parse_date)?,
                instant.with_timezone(&zone).naive_local(),
            )),
            _ => None,
        })
        .collect();
    let misplaced = |hour: u32| {
        listed
            .iter()
            .filter(|(day, wall)| (*wall - Duration::hours(i64::from(hour))).date() != *day)
            .count()
    };
    let best = (low..=high)
        .min_by_key(|hour| (misplaced(*hour), *hour))
        .unwrap_or(low);
    let left = misplaced(best);
    if left > 0 {
        warnings.push(
            "conference",
            "days",
            format!(
                "{left} events are listed under a day their start time does not fall on (with the day change at {best:02}:00); they are shown on the day their time falls on"
            ),
        );
    }
    best as u8
}

fn session(
    event: &RawEvent,
    start: DateTime<Utc>,
    raw: &RawSchedule,
    builder: &mut Builder,
) -> Option<Draft> {
    let subject = event.subject();
    let title = clean_line(&event.title);
    if title.is_empty() {
        builder
            .warnings
            .push(subject, "title", "is empty; the event was skipped");
        return None;
    }
    let end = match event_end(event, start, &subject, &mut builder.warnings) {
        Ok(end) => end,
        Err(()) => return None,
    };

    let room_key = if event.room.trim().is_empty() {
        event.room_name.clone().unwrap_or_default()
    } else {
        event.room.clone()
    };
    if let Some(own) = event.room_name.as_deref()
        && !own.trim().is_empty()
        && ids::name_key(own) != ids::name_key(&room_key)
    {
        let message = format!(
            "says '{}' but the event is listed under room '{}'; the listing's room was used",
            clean_line(own),
            clean_line(&room_key)
        );
        builder.warnings.once(
            &format!("room:{}|{}", ids::name_key(own), ids::name_key(&room_key)),
            subject.clone(),
            "room",
            message,
        );
    }
    let location_id = builder.location(&room_key, None, LocationKind::Room, "");
    let track_id = event.track.as_deref().and_then(|t| builder.track(t, None));

    let languages = event
        .language
        .as_deref()
        .map(|raw| builder.languages(raw, &subject))
        .unwrap_or_default();

    let mut speaker_ids: Vec<String> = Vec::new();
    for person in &event.persons {
        match builder.speaker(person) {
            Some(id) => {
                if !speaker_ids.contains(&id) {
                    speaker_ids.push(id);
                }
            }
            None => builder.warnings.push(
                subject.clone(),
                "persons",
                "a person without a name was left out",
            ),
        }
    }

    let base = raw.base_url.as_deref();
    let mut links = Vec::new();
    if let Some(url) = event
        .url
        .as_deref()
        .and_then(|u| link("", &absolute_url(u, base)))
    {
        links.push(url);
    }
    for (title, url) in &event.links {
        if let Some(l) = link(title, &absolute_url(url, base))
            && !links.iter().any(|x: &crate::model::Link| x.url == l.url)
        {
            links.push(l);
        }
    }

    let abstract_text = clean_text(&event.abstract_text);
    let mut description = clean_text(&event.description);
    if description == abstract_text {
        description.clear();
    }
    let type_name = event.kind.as_deref().map(clean_line).unwrap_or_default();
    let base_id = session_id(event, &title, start);
    Some(Draft {
        base_id,
        subject,
        session: Session {
            id: String::new(),
            kind: session_kind(&type_name, &title),
            status: status_of(&title),
            subtitle: Some(clean_line(&event.subtitle)).filter(|s| !s.is_empty()),
            title,
            abstract_text,
            description,
            start,
            end,
            location_id,
            track_id,
            languages,
            speaker_ids,
            tags: if type_name.is_empty() {
                Vec::new()
            } else {
                vec![type_name]
            },
            links,
        },
    })
}

fn event_end(
    event: &RawEvent,
    start: DateTime<Utc>,
    subject: &str,
    warnings: &mut Warnings,
) -> std::result::Result<DateTime<Utc>, ()> {
    if let Some(text) = event
        .end
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let Some(end) = parse_datetime(text) else {
            warnings.push(
                subject,
                "end",
                format!("'{text}' is not a date-time with offset; the event was skipped"),
            );
            return Err(());
        };
        let end = end.to_utc();
        if end < start {
            warnings.push(
                subject,
                "end",
                format!("{text} is before the start; the event was skipped"),
            );
            return Err(());
        }
        return Ok(end);
    }
    let Some(text) = event
        .duration
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        warnings.push(subject, "duration", "is missing; kept with no length");
        return Ok(start);
    };
    let Some(duration) = parse_duration(text) else {
        warnings.push(
            subject,
            "duration",
            format!("'{text}' is not a duration (HH:MM); the event was skipped"),
        );
        return Err(());
    };
    if duration.is_zero() {
        warnings.push(
            subject,
            "duration",
            format!("is {text}; kept with no length"),
        );
    } else if duration > Duration::hours(24) {
        warnings.push(
            subject,
            "duration",
            format!("is {text}, longer than a day; kept as given"),
        );
    }
    match start
        .checked_add_signed(duration)
        .filter(|end| plausible(*end))
    {
        Some(end) => Ok(end),
        None => {
            warnings.push(
                subject,
                "duration",
                format!("'{text}' is too long; the event was skipped"),
            );
            Err(())
        }
    }
}

/// Schedules are for events people attend: a year outside 1900..=2200 is a typo.
pub(crate) fn plausible(instant: DateTime<Utc>) -> bool {
    (1900..=2200).contains(&instant.year())
}

/// Dates with years outside 1000..=9999 are not read at all (chrono's arithmetic overflows near
/// its limits).
fn sane_year<T: Datelike>(value: T) -> Option<T> {
    (1000..=9999).contains(&value.year()).then_some(value)
}

fn session_id(event: &RawEvent, title: &str, start: DateTime<Utc>) -> String {
    if let Some(id) = event.guid.as_deref().and_then(ids::usable) {
        return id;
    }
    if let Some(id) = event.id.as_deref().map(str::trim).filter(|i| !i.is_empty()) {
        return ids::derived("session", &format!("id:{id}"));
    }
    ids::derived(
        "session",
        &format!("title:{}|{}", ids::name_key(title), start.to_rfc3339()),
    )
}

/// Maps the free-text event types schedules use onto the model's kinds.
pub(crate) fn session_kind(type_name: &str, title: &str) -> SessionKind {
    let t = crate::text::fold(type_name);
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["keynote"]) || crate::text::fold(title).starts_with("keynote") {
        SessionKind::Keynote
    } else if has(&[
        "workshop",
        "hands-on",
        "handson",
        "werkstatt",
        "tutorial",
        "ubung",
    ]) {
        SessionKind::Workshop
    } else if has(&[
        "panel",
        "podium",
        "discussion",
        "diskussion",
        "fishbowl",
        "gesprach",
    ]) {
        SessionKind::Panel
    } else if has(&[
        "break", "pause", "lunch", "mittag", "kaffee", "coffee", "imbiss",
    ]) {
        SessionKind::Break
    } else if t.is_empty()
        || has(&[
            "talk",
            "lecture",
            "vortrag",
            "lightning",
            "devroom",
            "maintrack",
            "normale lange",
            "doppelter slot",
            "session",
            "impuls",
            "prasentation",
            "presentation",
        ])
    {
        SessionKind::Talk
    } else {
        SessionKind::Other
    }
}

/// Schedules have no cancellation field; a title that starts with one of these words says so.
pub(crate) fn status_of(title: &str) -> SessionStatus {
    let t = crate::text::fold(title);
    let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
    if [
        "cancelled",
        "canceled",
        "abgesagt",
        "entfallt",
        "fallt aus",
        "ausgefallen",
    ]
    .iter()
    .any(|w| t.starts_with(w))
    {
        SessionStatus::Cancelled
    } else {
        SessionStatus::Scheduled
    }
}

pub(crate) fn parse_datetime(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .ok()
        .or_else(|| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%:z").ok())
        .or_else(|| DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%:z").ok())
        .or_else(|| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%z").ok())
        .and_then(sane_year)
}

pub(crate) fn parse_naive_datetime(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
}

pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .and_then(sane_year)
}

/// `H:MM`, `HH:MM` or `HH:MM:SS` as a time of day.
pub(crate) fn parse_clock(text: &str) -> Option<NaiveTime> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 2 || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let number = |i: usize| parts.get(i).and_then(|p| p.parse::<u32>().ok());
    NaiveTime::from_hms_opt(number(0)?, number(1)?, number(2).unwrap_or(0))
}

/// `00:30`, `0:30`, `13:00`, `00:05:00` (frab's HH:MM and FOSDEM's HH:MM:SS).
pub(crate) fn parse_duration(text: &str) -> Option<Duration> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let hours: i64 = parts[0].parse().ok()?;
    let minutes: i64 = parts[1].parse().ok()?;
    let seconds: i64 = parts
        .get(2)
        .map(|s| s.parse())
        .transpose()
        .ok()?
        .unwrap_or(0);
    if minutes >= 60 || seconds >= 60 || parts[1].len() != 2 {
        return None;
    }
    Some(Duration::hours(hours) + Duration::minutes(minutes) + Duration::seconds(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_spelling() {
        assert_eq!(parse_duration("00:30"), Some(Duration::minutes(30)));
        assert_eq!(parse_duration("0:30"), Some(Duration::minutes(30)));
        assert_eq!(parse_duration("0:00"), Some(Duration::zero()));
        assert_eq!(parse_duration("13:00"), Some(Duration::hours(13)));
        assert_eq!(parse_duration("00:05:00"), Some(Duration::minutes(5)));
        assert_eq!(parse_duration("1:5"), None);
        assert_eq!(parse_duration("0:75"), None);
        assert_eq!(parse_duration("abc"), None);
        assert_eq!(parse_duration("-1:00"), None);
    }

    #[test]
    fn clock_times() {
        assert_eq!(parse_clock("9:00"), NaiveTime::from_hms_opt(9, 0, 0));
        assert_eq!(parse_clock("09:00:00"), NaiveTime::from_hms_opt(9, 0, 0));
        assert_eq!(parse_clock("25:00"), None);
        assert_eq!(parse_clock("12:61"), None);
    }

    #[test]
    fn kinds_and_cancellations() {
        assert_eq!(session_kind("lecture", "x"), SessionKind::Talk);
        assert_eq!(
            session_kind("Workshop 50 Minutes", "x"),
            SessionKind::Workshop
        );
        assert_eq!(session_kind("Podiumsdiskussion", "x"), SessionKind::Panel);
        assert_eq!(session_kind("Mittagspause", "x"), SessionKind::Break);
        assert_eq!(session_kind("djset", "x"), SessionKind::Other);
        assert_eq!(session_kind("", "Keynote: Zukunft"), SessionKind::Keynote);
        assert_eq!(status_of("ABGESAGT: Vortrag"), SessionStatus::Cancelled);
        assert_eq!(status_of("[Cancelled] Talk"), SessionStatus::Cancelled);
        assert_eq!(
            status_of("Talk about cancelled flights"),
            SessionStatus::Scheduled
        );
    }
}
