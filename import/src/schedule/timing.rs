//! When each event starts: its date-time, or a wall-clock time on the day it is listed under;
//! and the hour at which one conference day turns into the next.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use marktplatz_model::time::EventClock;
use marktplatz_model::zone::Zone;

use super::super::tz;
use super::super::warnings::{Text, Warnings, text};
use super::{DayBounds, RawEvent, RawSchedule};
use crate::dates::{parse_clock, parse_date, parse_naive_datetime};
use crate::local_time;

/// When an event starts, before the day change hour is known.
pub(super) enum Timing {
    /// A full date-time.
    Dated { instant: DateTime<Utc> },
    /// Only a wall-clock time on a listed day.
    Clock { day: NaiveDate, time: NaiveTime },
}

impl Timing {
    /// The instant, once the day change hour is known: a wall-clock time before it belongs to
    /// the next calendar day of the conference day it is listed under.
    /// A wall-clock time the night the clocks change is warned about under `subject`.
    pub fn start(
        &self,
        clock: &EventClock,
        day_change: u8,
        warnings: &mut Warnings,
        subject: &Text,
    ) -> DateTime<Utc> {
        match *self {
            Timing::Dated { instant } => instant,
            Timing::Clock { day, time } => {
                let mut wall = day.and_time(time);
                if time.hour() < u32::from(day_change) {
                    wall += Duration::days(1);
                }
                local_time::check(clock.tz, wall, warnings, subject, "start");
                clock.instant_of_local(wall)
            }
        }
    }
}

/// An event's start as far as the file tells it; None (with a warning) when it has none.
pub(super) fn timing(
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
                &subject,
                "date",
                text!(
                    "has offset {} but {zone} is {} then; kept {} local time, as `start` says",
                    "hat den Versatz {}, aber {zone} hat dann {}; {} Ortszeit behalten, wie `start` sagt",
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
                &subject,
                "start",
                text!(
                    "'{text}' does not match date {}; the date was used",
                    "„{text}“ passt nicht zum Datum {}; das Datum wurde verwendet",
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
                text!(
                    "'{text}' is not a date-time; the event was skipped",
                    "„{text}“ ist kein Zeitpunkt; der Programmpunkt wurde übersprungen"
                ),
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
                text!(
                    "'{text}' is not a time of day (HH:MM); the event was skipped",
                    "„{text}“ ist keine Uhrzeit (HH:MM); der Programmpunkt wurde übersprungen"
                ),
            );
            None
        }
        (None, _, _) => {
            warnings.push(
                subject,
                "date",
                text!(
                    "is missing; the event was skipped",
                    "fehlt; der Programmpunkt wurde übersprungen"
                ),
            );
            None
        }
        (Some(_), None, None) => {
            warnings.push(
                subject,
                "start",
                text!(
                    "is missing; the event was skipped",
                    "fehlt; der Programmpunkt wurde übersprungen"
                ),
            );
            None
        }
    }
}

/// The hour at which one conference day ends and the next begins: the file's `day_change`, or
/// the hour after the latest day end past midnight that puts every event on the day it is
/// listed under.
pub(super) fn day_change_hour(
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
                Text::conference(),
                "day_change",
                text!(
                    "'{text}' is not a time of day; derived the day change from the days instead",
                    "„{text}“ ist keine Uhrzeit; der Tageswechsel wurde stattdessen aus den Tagen abgeleitet"
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
            Text::conference(),
            "days",
            text!(
                "{left} events are listed under a day their start time does not fall on (with the day change at {best:02}:00); they are shown on the day their time falls on",
                "{left} Programmpunkte stehen unter einem Tag, auf den ihre Startzeit nicht fällt (Tageswechsel um {best:02}:00); sie erscheinen an dem Tag, auf den ihre Zeit fällt"
            ),
        );
    }
    best as u8
}
