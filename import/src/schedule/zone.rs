//! Which timezone a schedule file was written in: the one it names if its dates agree, else
//! `--timezone`, else one that fits the offsets of its dates.

use chrono::{DateTime, FixedOffset, Utc};
use marktplatz_model::zone::Zone;

use super::super::tz;
use super::super::warnings::{Text, Warnings, text};
use super::{DayBounds, RawSchedule};
use crate::dates::parse_datetime;

/// The dates of a file that carry an offset: each event's, and each day's start and end.
pub(super) struct FileDates {
    pub events: Vec<Option<DateTime<FixedOffset>>>,
    pub days: Vec<DayBounds>,
}

impl FileDates {
    pub fn read(raw: &RawSchedule) -> FileDates {
        FileDates {
            events: raw
                .events
                .iter()
                .map(|e| e.date.as_deref().and_then(parse_datetime))
                .collect(),
            days: raw
                .days
                .iter()
                .map(|d| {
                    (
                        d.start.as_deref().and_then(parse_datetime),
                        d.end.as_deref().and_then(parse_datetime),
                    )
                })
                .collect(),
        }
    }

    /// Every instant with its offset, which tell the zone the file was written in: the
    /// events', or the days' when no event has one.
    pub fn offsets(&self) -> Vec<(DateTime<Utc>, FixedOffset)> {
        let dated: Vec<(DateTime<Utc>, FixedOffset)> = self
            .events
            .iter()
            .flatten()
            .map(|d| (d.to_utc(), *d.offset()))
            .collect();
        if !dated.is_empty() {
            return dated;
        }
        self.days
            .iter()
            .flat_map(|(s, e)| [s, e])
            .flatten()
            .map(|d| (d.to_utc(), *d.offset()))
            .collect()
    }
}

/// The file's timezone if it names a known one that fits its dates; otherwise `--timezone`;
/// otherwise a zone that fits the offsets in its dates (Europe/Berlin when it does).
pub(super) fn choose_zone(
    declared: Option<&str>,
    requested: Option<Zone>,
    dated: &[(DateTime<Utc>, FixedOffset)],
    warnings: &mut Warnings,
) -> Zone {
    let offset = tz::dominant_offset(dated).map(tz::format_offset);
    let dominant = offset.clone().unwrap_or_else(|| "no".into());
    let dominant_de = offset.unwrap_or_else(|| "keinen".into());
    if let Some(name) = declared.map(str::trim).filter(|n| !n.is_empty()) {
        match tz::resolve(name) {
            Some(zone) if dated.is_empty() || tz::agreement(zone, dated) * 2 >= dated.len() => {
                if let Some(requested) = requested.filter(|r| *r != zone) {
                    warnings.push(
                        Text::conference(),
                        "time_zone_name",
                        text!(
                            "the file names {zone}; --timezone {requested} was ignored",
                            "die Datei nennt {zone}; --timezone {requested} wurde nicht beachtet"
                        ),
                    );
                }
                return zone;
            }
            Some(zone) => {
                let replacement = fitting_zone(requested, dated);
                warnings.push(
                    Text::conference(),
                    "time_zone_name",
                    text!(
                        "'{name}' contradicts the {dominant} offsets of {} of {} dated entries; used {replacement}, which fits them, so local times match the file's start times",
                        "„{name}“ widerspricht den {dominant_de}-Versätzen von {} der {} datierten Einträge; {replacement} passt dazu und wurde verwendet, damit die Ortszeiten den Startzeiten der Datei entsprechen",
                        dated.len() - tz::agreement(zone, dated),
                        dated.len()
                    ),
                );
                return replacement;
            }
            None => warnings.push(
                Text::conference(),
                "time_zone_name",
                text!(
                    "'{name}' is not a known timezone; it was ignored",
                    "„{name}“ ist keine bekannte Zeitzone; nicht beachtet"
                ),
            ),
        }
    }
    if let Some(zone) = requested {
        if !dated.is_empty() && tz::agreement(zone, dated) == 0 {
            warnings.push(
                Text::conference(),
                "time_zone_name",
                text!(
                    "--timezone {zone} does not fit the {dominant} offsets of the file's dates; used it as asked",
                    "--timezone {zone} passt nicht zu den {dominant_de}-Versätzen der Daten in der Datei; wie verlangt verwendet"
                ),
            );
        }
        return zone;
    }
    let zone = fitting_zone(None, dated);
    warnings.push(
        Text::conference(),
        "time_zone_name",
        text!(
            "is missing; assumed {zone} (it fits the {dominant} offsets of the file's dates); pass --timezone to choose another",
            "fehlt; {zone} angenommen (passt zu den {dominant_de}-Versätzen der Daten in der Datei); mit --timezone lässt sich eine andere wählen"
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
