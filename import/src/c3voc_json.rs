//! c3voc `schedule.json` -> [`RawSchedule`]: the frab/pretalx layout (days -> rooms -> events)
//! and the flat "schedule2" layout (events with full start/end, persons listed once). Values are
//! read leniently: ids may be numbers or strings, fields null, links bare strings.

use serde_json::{Map, Value};

use marktplatz_model::error::{Error, Result};
use marktplatz_model::model::LocationKind;

use super::Format;
use super::builder::Person;
use super::schedule::{RawDay, RawEvent, RawRoom, RawSchedule, RawTrack};
use super::warnings::{ImportWarning, Text, text};

const WHAT: &str = "the schedule.json";

/// Which layout a JSON document is, if it is a schedule at all.
pub(crate) fn sniff(root: &Value) -> Option<Format> {
    let schedule = root.get("schedule")?;
    if schedule.get("events").is_some_and(Value::is_array) {
        return Some(Format::Schedule2Json);
    }
    let conference = schedule.get("conference")?;
    conference
        .get("days")
        .is_some_and(Value::is_array)
        .then_some(Format::ScheduleJson)
}

pub(crate) fn read(root: &Value, format: Format) -> Result<RawSchedule> {
    let Some(schedule) = root.get("schedule").and_then(Value::as_object) else {
        return Err(Error::malformed(
            WHAT,
            "has no \"schedule\" object at the top level: this is not a c3voc schedule.json",
        ));
    };
    let Some(conference) = schedule.get("conference").and_then(Value::as_object) else {
        return Err(Error::invalid(WHAT, "schedule.conference", "is missing"));
    };
    let mut raw = RawSchedule {
        what: WHAT,
        ..RawSchedule::default()
    };
    raw.acronym = string(conference.get("acronym"));
    raw.title = string(conference.get("title"));
    raw.subtitle = string(conference.get("subtitle"));
    raw.url = opt_string(conference.get("url"));
    raw.base_url = opt_string(schedule.get("base_url"));
    raw.venue = string(conference.get("venue"));
    raw.city = string(conference.get("city"));
    raw.time_zone_name = opt_string(conference.get("time_zone_name"));
    raw.day_change = opt_string(conference.get("day_change"));
    raw.days_count = conference.get("daysCount").and_then(|v| match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    });
    if let Some(languages) = conference.get("languages").and_then(Value::as_array) {
        raw.languages = languages.iter().map(|l| string(Some(l))).collect();
    }

    let mut track_slugs: Vec<(String, String)> = Vec::new();
    for track in array(conference.get("tracks")) {
        let name = match track {
            Value::String(s) => s.clone(),
            other => string(other.get("name")),
        };
        let color = opt_string(track.get("color")).or_else(|| {
            track
                .get("colors")
                .and_then(|c| opt_string(c.get("light")).or_else(|| opt_string(c.get("dark"))))
        });
        if let Some(slug) = opt_string(track.get("slug")) {
            track_slugs.push((slug, name.clone()));
        }
        raw.tracks.push(RawTrack { name, color });
    }
    for room in array(conference.get("rooms")) {
        raw.rooms.push(room_of(room));
    }
    if let Some(misplaced) = schedule.get("rooms") {
        // The schema forbids rooms outside the conference; read them anyway.
        raw.notes.push(ImportWarning {
            subject: Text::new("schedule", "Programm"),
            field: "rooms".into(),
            message: Text::new(
                "is not part of the format (rooms belong in conference.rooms); read anyway",
                "gehört nicht zum Format (Räume stehen in conference.rooms); trotzdem gelesen",
            ),
        });
        for room in array(Some(misplaced)) {
            raw.rooms.push(room_of(room));
        }
    }

    let days = conference.get("days").and_then(Value::as_array);
    for day in days.into_iter().flatten() {
        let date = string(day.get("date"));
        raw.days.push(RawDay {
            date: date.clone(),
            start: opt_string(day.get("day_start")).or_else(|| opt_string(day.get("start"))),
            end: opt_string(day.get("day_end")).or_else(|| opt_string(day.get("end"))),
        });
        if format == Format::Schedule2Json {
            continue;
        }
        let Some(rooms) = day.get("rooms").and_then(Value::as_object) else {
            continue;
        };
        for (room_key, events) in rooms {
            if !raw.rooms.iter().any(|r| r.name == *room_key) {
                raw.rooms.push(RawRoom {
                    name: room_key.clone(),
                    ..RawRoom::default()
                });
            }
            for event in array(Some(events)) {
                let Some(event) = event.as_object() else {
                    raw.notes.push(ImportWarning {
                        subject: text!(
                            "day {date}, room '{room_key}'",
                            "Tag {date}, Raum „{room_key}“"
                        ),
                        field: "events".into(),
                        message: Text::new(
                            "an entry is not an object; it was skipped",
                            "ein Eintrag ist kein Objekt; übersprungen",
                        ),
                    });
                    continue;
                };
                let mut raw_event = event_of(event, &track_slugs, &[]);
                raw_event.day = Some(date.clone());
                raw_event.room = room_key.clone();
                raw.events.push(raw_event);
            }
        }
    }

    if format == Format::Schedule2Json {
        let persons: Vec<&Map<String, Value>> = array(schedule.get("persons"))
            .filter_map(Value::as_object)
            .collect();
        let events = schedule.get("events").and_then(Value::as_array);
        let Some(events) = events else {
            return Err(Error::invalid(WHAT, "schedule.events", "is missing"));
        };
        for (index, event) in events.iter().enumerate() {
            let Some(event) = event.as_object() else {
                raw.notes.push(ImportWarning {
                    subject: text!("schedule.events[{index}]", "schedule.events[{index}]"),
                    field: String::new(),
                    message: Text::new(
                        "is not an object; it was skipped",
                        "ist kein Objekt; übersprungen",
                    ),
                });
                continue;
            };
            let mut raw_event = event_of(event, &track_slugs, &persons);
            raw_event.room = match event.get("room") {
                Some(Value::Object(room)) => {
                    let name = string(room.get("name"));
                    if !name.is_empty() && !raw.rooms.iter().any(|r| r.name == name) {
                        raw.rooms.push(room_of(&Value::Object(room.clone())));
                    }
                    name
                }
                other => string(other),
            };
            raw_event.room_name = None;
            raw.events.push(raw_event);
        }
    } else if days.is_none() {
        return Err(Error::invalid(WHAT, "conference.days", "is missing"));
    }
    Ok(raw)
}

fn room_of(room: &Value) -> RawRoom {
    let description = match room.get("description") {
        Some(Value::Object(translations)) => ["de", "en"]
            .iter()
            .find_map(|l| opt_string(translations.get(*l)))
            .or_else(|| translations.values().find_map(|v| opt_string(Some(v))))
            .unwrap_or_default(),
        other => opt_string(other)
            .or_else(|| opt_string(room.get("description_de")))
            .or_else(|| opt_string(room.get("description_en")))
            .unwrap_or_default(),
    };
    let kind = match string(room.get("type")).to_ascii_lowercase().as_str() {
        "outside" | "outdoor" => LocationKind::Outdoor,
        _ => LocationKind::Room,
    };
    RawRoom {
        name: match room {
            Value::String(s) => s.clone(),
            _ => string(room.get("name")),
        },
        guid: opt_string(room.get("guid")),
        description,
        kind,
    }
}

fn event_of(
    event: &Map<String, Value>,
    track_slugs: &[(String, String)],
    persons: &[&Map<String, Value>],
) -> RawEvent {
    let track = match event.get("track") {
        Some(Value::Object(track)) => opt_string(track.get("name")).or_else(|| {
            let slug = opt_string(track.get("slug"))?;
            track_slugs
                .iter()
                .find(|(s, _)| *s == slug)
                .map(|(_, name)| name.clone())
                .or(Some(slug))
        }),
        other => opt_string(other),
    };
    let mut people = Vec::new();
    let listed = event.get("persons").or_else(|| event.get("participants"));
    for person in array(listed) {
        let mut p = match person {
            Value::String(name) => Person {
                name: name.clone(),
                ..Person::default()
            },
            Value::Object(person) => Person {
                guid: opt_string(person.get("guid")),
                id: opt_string(person.get("id")),
                name: opt_string(person.get("public_name"))
                    .or_else(|| opt_string(person.get("name")))
                    .unwrap_or_default(),
                organisation: None,
                bio: string(person.get("biography")),
                url: opt_string(person.get("url")),
            },
            _ => continue,
        };
        // schedule2 lists each person once at the top; events refer to them by guid.
        if let Some(guid) = &p.guid
            && let Some(full) = persons
                .iter()
                .find(|q| opt_string(q.get("guid")).as_deref() == Some(guid))
        {
            if p.bio.is_empty() {
                p.bio = string(full.get("biography"));
            }
            if p.url.is_none() {
                p.url = opt_string(full.get("url"));
            }
            if p.name.is_empty() {
                p.name = string(full.get("name"));
            }
        }
        people.push(p);
    }
    let links = array(event.get("links"))
        .filter_map(|link| match link {
            Value::String(url) => Some((String::new(), url.clone())),
            Value::Object(link) => Some((string(link.get("title")), opt_string(link.get("url"))?)),
            _ => None,
        })
        .collect();
    RawEvent {
        day: None,
        room: String::new(),
        room_name: opt_string(event.get("room")),
        guid: opt_string(event.get("guid")),
        id: opt_string(event.get("id")).or_else(|| opt_string(event.get("code"))),
        title: string(event.get("title")),
        subtitle: string(event.get("subtitle")),
        date: opt_string(event.get("date")).or_else(|| {
            // schedule2 has `start` as a full date-time.
            opt_string(event.get("start")).filter(|s| s.contains('T'))
        }),
        start: opt_string(event.get("start")).filter(|s| !s.contains('T')),
        duration: opt_string(event.get("duration")),
        end: opt_string(event.get("end")),
        track,
        kind: opt_string(event.get("type")),
        language: opt_string(event.get("language")),
        abstract_text: string(event.get("abstract")),
        description: string(event.get("description")),
        persons: people,
        links,
        url: opt_string(event.get("url")),
    }
}

fn array(value: Option<&Value>) -> impl Iterator<Item = &Value> {
    value.and_then(Value::as_array).into_iter().flatten()
}

/// A string, number or bool as text; null, objects and missing values as None.
fn opt_string(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn string(value: Option<&Value>) -> String {
    opt_string(value).unwrap_or_default()
}
