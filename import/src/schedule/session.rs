//! One event of a schedule file as a session: title, end, room, track, languages, speakers,
//! links, kind and status, with a warning for everything repaired or left out.

use chrono::{DateTime, Duration, Utc};
use marktplatz_model::model::{LocationKind, Session};

use super::super::builder::{Builder, Draft, absolute_url, link};
use super::super::ids;
use super::super::text::{clean_line, clean_text};
use super::super::warnings::{Text, Warnings, text};
use super::{RawEvent, RawSchedule};
use crate::dates::{parse_datetime, parse_duration, plausible};
use crate::kinds::{session_kind, status_of};

pub(super) fn session(
    event: &RawEvent,
    start: DateTime<Utc>,
    raw: &RawSchedule,
    builder: &mut Builder,
) -> Option<Draft> {
    let subject = event.subject();
    let title = clean_line(&event.title);
    if title.is_empty() {
        builder.warnings.push(
            subject,
            "title",
            text!(
                "is empty; the event was skipped",
                "ist leer; der Programmpunkt wurde übersprungen"
            ),
        );
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
        let message = text!(
            "says '{}' but the event is listed under room '{}'; the listing's room was used",
            "nennt „{}“, aber der Programmpunkt steht unter Raum „{}“; der Raum der Liste wurde verwendet",
            clean_line(own),
            clean_line(&room_key)
        );
        builder.warnings.once(
            &format!("room:{}|{}", ids::name_key(own), ids::name_key(&room_key)),
            &subject,
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
                &subject,
                "persons",
                text!(
                    "a person without a name was left out",
                    "eine Person ohne Namen wurde weggelassen"
                ),
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
            && !links
                .iter()
                .any(|x: &marktplatz_model::model::Link| x.url == l.url)
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
    let (base_id, id_from_file) = session_id(event, &title, start);
    Some(Draft {
        base_id,
        id_from_file,
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
    subject: &Text,
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
                text!(
                    "'{text}' is not a date-time with offset; the event was skipped",
                    "„{text}“ ist kein Zeitpunkt mit Versatz; der Programmpunkt wurde übersprungen"
                ),
            );
            return Err(());
        };
        let end = end.to_utc();
        if end < start {
            warnings.push(
                subject,
                "end",
                text!(
                    "{text} is before the start; the event was skipped",
                    "{text} liegt vor dem Beginn; der Programmpunkt wurde übersprungen"
                ),
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
        warnings.push(
            subject,
            "duration",
            text!(
                "is missing; kept with no length",
                "fehlt; ohne Länge behalten"
            ),
        );
        return Ok(start);
    };
    let Some(duration) = parse_duration(text) else {
        warnings.push(
            subject,
            "duration",
            text!(
                "'{text}' is not a duration (HH:MM); the event was skipped",
                "„{text}“ ist keine Dauer (HH:MM); der Programmpunkt wurde übersprungen"
            ),
        );
        return Err(());
    };
    if duration.is_zero() {
        warnings.push(
            subject,
            "duration",
            text!(
                "is {text}; kept with no length",
                "ist {text}; ohne Länge behalten"
            ),
        );
    } else if duration > Duration::hours(24) {
        warnings.push(
            subject,
            "duration",
            text!(
                "is {text}, longer than a day; kept as given",
                "ist {text}, länger als ein Tag; so behalten"
            ),
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
                text!(
                    "'{text}' is too long; the event was skipped",
                    "„{text}“ ist zu lang; der Programmpunkt wurde übersprungen"
                ),
            );
            Err(())
        }
    }
}

/// The session's id, and whether the file gave it (its guid or its own id).
fn session_id(event: &RawEvent, title: &str, start: DateTime<Utc>) -> (String, bool) {
    if let Some(id) = event.guid.as_deref().and_then(ids::usable) {
        return (id, true);
    }
    if let Some(id) = event.id.as_deref().map(str::trim).filter(|i| !i.is_empty()) {
        return (ids::derived("session", &format!("id:{id}")), true);
    }
    let made_up = ids::derived(
        "session",
        &format!("title:{}|{}", ids::name_key(title), start.to_rfc3339()),
    );
    (made_up, false)
}
