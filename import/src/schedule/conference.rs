//! The conference itself: its days (the listed ones and any a session falls on), languages,
//! id, title and venue.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use marktplatz_model::error::{Error, Result};
use marktplatz_model::model::{Event, Venue};
use marktplatz_model::time::EventClock;
use marktplatz_model::zone::Zone;

use super::super::builder::{Builder, link};
use super::super::text::clean_line;
use super::super::warnings::{Text, text};
use super::super::{Context, ids, lang};
use super::RawSchedule;
use crate::dates::parse_date;

/// The days the file lists, plus any a session falls on that it forgot.
pub(super) fn days(
    raw: &RawSchedule,
    clock: &EventClock,
    builder: &mut Builder,
) -> Result<BTreeSet<NaiveDate>> {
    let mut days: BTreeSet<NaiveDate> = BTreeSet::new();
    for day in &raw.days {
        match parse_date(&day.date) {
            Some(date) => {
                days.insert(date);
            }
            None => builder.warnings.push(
                text!("day '{}'", "Tag „{}“", day.date),
                "date",
                text!(
                    "is not a date (YYYY-MM-DD); the day was left out",
                    "ist kein Datum (JJJJ-MM-TT); der Tag wurde weggelassen"
                ),
            ),
        }
    }
    for day in builder.session_days(clock) {
        if days.insert(day) && !raw.days.is_empty() {
            builder.warnings.push(
                Text::conference(),
                "days",
                text!(
                    "does not list {day}, but sessions fall on it; the day was added",
                    "nennt den {day} nicht, aber Programmpunkte liegen darauf; der Tag wurde ergänzt"
                ),
            );
        }
    }
    if days.is_empty() {
        return Err(Error::malformed(
            raw.what,
            "has no usable days and no event with a usable time",
        ));
    }
    Ok(days)
}

/// The event: the file's languages (else the sessions', most used first), an id from
/// `--event-id`, the acronym or the title, and a title even when the file has none.
pub(super) fn event(
    raw: &RawSchedule,
    ctx: &Context,
    zone: Zone,
    day_change: u8,
    days: BTreeSet<NaiveDate>,
    mut languages: Vec<(String, usize)>,
    builder: &mut Builder,
) -> Event {
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
        let used = if acronym.is_empty() {
            &event_id
        } else {
            &acronym
        };
        builder.warnings.push(
            Text::conference(),
            "title",
            text!(
                "is missing; used '{used}' instead",
                "fehlt; stattdessen „{used}“ verwendet"
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
    Event {
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
    }
}
