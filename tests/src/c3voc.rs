//! A minimal, throwaway reader of c3voc `schedule.json` files into a [`Bundle`], for search
//! quality and benchmark tests only (the real importer lives in `core::import`). It keeps what
//! search needs: rooms, tracks, talks, speakers; duplicates are dropped, not reported.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use marktplatz_core::bundle::Bundle;
use marktplatz_core::model::*;
use serde_json::Value;

pub fn load(path: &Path, event_id: &str) -> Bundle {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let root: Value = serde_json::from_str(&text).expect("schedule.json is JSON");
    let conference = &root["schedule"]["conference"];
    let days: Vec<NaiveDate> = conference["days"]
        .as_array()
        .map(|days| {
            days.iter()
                .filter_map(|d| d["date"].as_str()?.get(..10)?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let mut bundle = Bundle::new(Event {
        id: event_id.to_string(),
        title: conference["title"].as_str().unwrap_or(event_id).to_string(),
        subtitle: None,
        description: String::new(),
        venue: Venue {
            name: conference["acronym"].as_str().unwrap_or("").to_string(),
            ..Venue::default()
        },
        timezone: "Europe/Berlin".into(),
        days,
        day_change_hour: 4,
        languages: vec!["de".into(), "en".into()],
        url: None,
        logo: None,
    });
    let mut rooms: HashMap<String, String> = HashMap::new();
    let mut tracks: HashMap<String, String> = HashMap::new();
    let mut speakers: HashMap<String, String> = HashMap::new();
    let mut seen_sessions: HashSet<String> = HashSet::new();
    let empty = Vec::new();
    for day in conference["days"].as_array().unwrap_or(&empty) {
        let Some(day_rooms) = day["rooms"].as_object() else {
            continue;
        };
        for (room_name, events) in day_rooms {
            for event in events.as_array().unwrap_or(&empty) {
                let Some(guid) = event["guid"].as_str().map(str::to_string) else {
                    continue;
                };
                if !seen_sessions.insert(guid.clone()) {
                    continue;
                }
                let Some(start) = event["date"]
                    .as_str()
                    .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                    .map(|d| d.with_timezone(&Utc))
                else {
                    continue;
                };
                let end = start + duration(event["duration"].as_str().unwrap_or("0:00"));
                let room = event["room"].as_str().unwrap_or(room_name).to_string();
                let room_id = intern(&mut rooms, &room, "room");
                let track_id = event["track"]
                    .as_str()
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| intern(&mut tracks, t, "track"));
                let mut speaker_ids = Vec::new();
                for person in event["persons"].as_array().unwrap_or(&empty) {
                    let name = person["public_name"]
                        .as_str()
                        .or_else(|| person["name"].as_str())
                        .unwrap_or("")
                        .trim();
                    if !name.is_empty() {
                        let id = intern(&mut speakers, name, "person");
                        if !speaker_ids.contains(&id) {
                            speaker_ids.push(id);
                        }
                    }
                }
                let text = |key: &str| event[key].as_str().unwrap_or("").to_string();
                let title = text("title");
                if title.trim().is_empty() {
                    continue;
                }
                bundle.sessions.push(Session {
                    id: guid,
                    kind: SessionKind::Talk,
                    title,
                    subtitle: event["subtitle"]
                        .as_str()
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                    abstract_text: text("abstract"),
                    description: text("description"),
                    start,
                    end: end.max(start),
                    location_id: Some(room_id),
                    track_id,
                    languages: text("language")
                        .split(',')
                        .map(|l| l.trim().to_string())
                        .filter(|l| !l.is_empty())
                        .collect(),
                    speaker_ids,
                    status: SessionStatus::Scheduled,
                    tags: Vec::new(),
                    links: Vec::new(),
                });
            }
        }
    }
    bundle.locations = sorted(rooms)
        .into_iter()
        .map(|(name, id)| Location {
            id,
            name,
            kind: LocationKind::Room,
            parent_id: None,
            description: String::new(),
            position: None,
            sort_order: 0,
        })
        .collect();
    bundle.tracks = sorted(tracks)
        .into_iter()
        .map(|(name, id)| Track {
            id,
            name,
            color: None,
            description: String::new(),
        })
        .collect();
    bundle.speakers = sorted(speakers)
        .into_iter()
        .map(|(name, id)| Speaker {
            id,
            name,
            organisation: None,
            role: None,
            bio: String::new(),
            photo: None,
            links: Vec::new(),
        })
        .collect();
    bundle
}

/// Only the sessions whose language starts with `de` (plus every speaker, room and track).
pub fn german_sessions_only(mut bundle: Bundle) -> Bundle {
    bundle
        .sessions
        .retain(|s| s.languages.first().is_some_and(|l| l.starts_with("de")));
    bundle
}

fn intern(map: &mut HashMap<String, String>, name: &str, prefix: &str) -> String {
    let next = map.len();
    map.entry(name.to_string())
        .or_insert_with(|| format!("{prefix}-{next}"))
        .clone()
}

fn sorted(map: HashMap<String, String>) -> Vec<(String, String)> {
    let mut v: Vec<_> = map.into_iter().collect();
    v.sort();
    v
}

/// "0:30", "00:30", "01:00:00".
fn duration(text: &str) -> Duration {
    let parts: Vec<i64> = text.split(':').filter_map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [h, m] => Duration::minutes(h * 60 + m),
        [h, m, s] => Duration::seconds(h * 3600 + m * 60 + s),
        _ => Duration::zero(),
    }
}
