//! The native bundle: one event and everything in it, as one JSON document.
//!
//! Organisers publish bundles (importers produce them); the demo event is one. Parsing names the
//! entity and field of every problem, and [`Bundle::validate`] checks the rules the model cannot
//! express in types (references, time order, unique ids).

use std::collections::HashSet;

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::*;
use crate::time::EventClock;

pub const BUNDLE_FORMAT: &str = "marktplatz-bundle";
pub const BUNDLE_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    pub format: String,
    pub version: u32,
    pub event: Event,
    #[serde(default)]
    pub locations: Vec<Location>,
    #[serde(default)]
    pub tracks: Vec<Track>,
    #[serde(default)]
    pub sessions: Vec<Session>,
    #[serde(default)]
    pub speakers: Vec<Speaker>,
    #[serde(default)]
    pub exhibitors: Vec<Exhibitor>,
    #[serde(default)]
    pub announcements: Vec<Announcement>,
    #[serde(default)]
    pub gallery: Vec<GalleryItem>,
    #[serde(default)]
    pub info_pages: Vec<InfoPage>,
}

impl Bundle {
    pub fn new(event: Event) -> Bundle {
        Bundle {
            format: BUNDLE_FORMAT.to_string(),
            version: BUNDLE_VERSION,
            event,
            locations: Vec::new(),
            tracks: Vec::new(),
            sessions: Vec::new(),
            speakers: Vec::new(),
            exhibitors: Vec::new(),
            announcements: Vec::new(),
            gallery: Vec::new(),
            info_pages: Vec::new(),
        }
    }

    /// Parses and validates a bundle. Every error names the section, entity id and field.
    pub fn from_json(text: &str) -> Result<Bundle> {
        let bundle = Bundle::parse(text)?;
        bundle.validate()?;
        Ok(bundle)
    }

    /// Parses without validating references (for tools that repair before validating).
    pub fn parse(text: &str) -> Result<Bundle> {
        crate::json::reject_duplicate_keys(text).map_err(|e| Error::malformed("bundle", e))?;
        let mut root: Value =
            serde_json::from_str(text).map_err(|e| Error::malformed("bundle", e))?;
        crate::clean::clean_value(&mut root);
        let Value::Object(mut root) = root else {
            return Err(Error::malformed(
                "bundle",
                "expected a JSON object at the top level",
            ));
        };
        let format = root
            .get("format")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if format != BUNDLE_FORMAT {
            return Err(Error::malformed(
                "bundle",
                format!("\"format\" must be \"{BUNDLE_FORMAT}\", found {format:?}"),
            ));
        }
        let version = root.get("version").and_then(Value::as_u64).unwrap_or(0);
        if version != u64::from(BUNDLE_VERSION) {
            return Err(Error::malformed(
                "bundle",
                format!("unsupported bundle version {version} (this build reads {BUNDLE_VERSION})"),
            ));
        }
        let event_value = root
            .remove("event")
            .ok_or_else(|| Error::invalid("bundle", "event", "is missing"))?;
        let event: Event = decode_one("event", event_value)?;
        let mut bundle = Bundle::new(event);
        bundle.locations = decode_section(&mut root, "locations")?;
        bundle.tracks = decode_section(&mut root, "tracks")?;
        bundle.sessions = decode_section(&mut root, "sessions")?;
        bundle.speakers = decode_section(&mut root, "speakers")?;
        bundle.exhibitors = decode_section(&mut root, "exhibitors")?;
        bundle.announcements = decode_section(&mut root, "announcements")?;
        bundle.gallery = decode_section(&mut root, "gallery")?;
        bundle.info_pages = decode_section(&mut root, "info_pages")?;
        Ok(bundle)
    }

    pub fn to_json_pretty(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::malformed("bundle", e))
    }

    /// All entities, the event first.
    pub fn entities(&self) -> Vec<Entity> {
        let mut all = Vec::with_capacity(self.entity_count());
        all.push(Entity::Event(self.event.clone()));
        all.extend(self.locations.iter().cloned().map(Entity::Location));
        all.extend(self.tracks.iter().cloned().map(Entity::Track));
        all.extend(self.speakers.iter().cloned().map(Entity::Speaker));
        all.extend(self.sessions.iter().cloned().map(Entity::Session));
        all.extend(self.exhibitors.iter().cloned().map(Entity::Exhibitor));
        all.extend(self.announcements.iter().cloned().map(Entity::Announcement));
        all.extend(self.gallery.iter().cloned().map(Entity::GalleryItem));
        all.extend(self.info_pages.iter().cloned().map(Entity::InfoPage));
        all
    }

    pub fn entity_count(&self) -> usize {
        1 + self.locations.len()
            + self.tracks.len()
            + self.sessions.len()
            + self.speakers.len()
            + self.exhibitors.len()
            + self.announcements.len()
            + self.gallery.len()
            + self.info_pages.len()
    }

    /// Rebuilds a bundle from entities (exactly one must be the event).
    pub fn from_entities(entities: impl IntoIterator<Item = Entity>) -> Result<Bundle> {
        let mut event = None;
        let mut bundle_parts = Bundle::new(placeholder_event());
        for entity in entities {
            match entity {
                Entity::Event(e) => {
                    if event.replace(e).is_some() {
                        return Err(Error::invalid("bundle", "event", "more than one event"));
                    }
                }
                Entity::Location(e) => bundle_parts.locations.push(e),
                Entity::Track(e) => bundle_parts.tracks.push(e),
                Entity::Session(e) => bundle_parts.sessions.push(e),
                Entity::Speaker(e) => bundle_parts.speakers.push(e),
                Entity::Exhibitor(e) => bundle_parts.exhibitors.push(e),
                Entity::Announcement(e) => bundle_parts.announcements.push(e),
                Entity::GalleryItem(e) => bundle_parts.gallery.push(e),
                Entity::InfoPage(e) => bundle_parts.info_pages.push(e),
            }
        }
        bundle_parts.event =
            event.ok_or_else(|| Error::invalid("bundle", "event", "is missing"))?;
        Ok(bundle_parts)
    }

    /// Checks ids, references, times and asset references. The first problem is returned,
    /// naming the entity and the field.
    pub fn validate(&self) -> Result<()> {
        let event = &self.event;
        let event_name = format!("event '{}'", event.id);
        check_id("event", &event.id)?;
        check_text(&event_name, "title", &event.title)?;
        for entity in self.entities() {
            crate::wire::check_entity(&entity)?;
        }
        EventClock::new(&event.timezone, event.day_change_hour).map_err(|e| match e {
            Error::Invalid { field, message, .. } => Error::Invalid {
                entity: event_name.clone(),
                field,
                message,
            },
            other => other,
        })?;
        if event.days.is_empty() {
            return Err(Error::invalid(
                &event_name,
                "days",
                "must list at least one day",
            ));
        }
        if event.days.windows(2).any(|pair| pair[0] >= pair[1]) {
            return Err(Error::invalid(
                &event_name,
                "days",
                "must be in order without repeats",
            ));
        }
        for asset in [&event.logo, &event.venue.map].into_iter().flatten() {
            check_asset(&event_name, "logo/map", asset)?;
        }

        let location_ids = unique_ids("location", self.locations.iter().map(|l| l.id.as_str()))?;
        let track_ids = unique_ids("track", self.tracks.iter().map(|t| t.id.as_str()))?;
        let speaker_ids = unique_ids("speaker", self.speakers.iter().map(|s| s.id.as_str()))?;
        unique_ids("session", self.sessions.iter().map(|s| s.id.as_str()))?;
        unique_ids("exhibitor", self.exhibitors.iter().map(|x| x.id.as_str()))?;
        unique_ids(
            "announcement",
            self.announcements.iter().map(|a| a.id.as_str()),
        )?;
        unique_ids("gallery item", self.gallery.iter().map(|g| g.id.as_str()))?;
        unique_ids("info page", self.info_pages.iter().map(|p| p.id.as_str()))?;

        for location in &self.locations {
            let name = format!("location '{}'", location.id);
            check_text(&name, "name", &location.name)?;
            check_ref(
                &name,
                "parent_id",
                location.parent_id.as_deref(),
                &location_ids,
            )?;
            if location.parent_id.as_deref() == Some(location.id.as_str()) {
                return Err(Error::invalid(
                    &name,
                    "parent_id",
                    "a location cannot contain itself",
                ));
            }
            if let Some(position) = location.position {
                let inside = |v: f64| (0.0..=1.0).contains(&v);
                if !inside(position.x) || !inside(position.y) {
                    return Err(Error::invalid(
                        &name,
                        "position",
                        "x and y are fractions of the map and must lie between 0 and 1",
                    ));
                }
            }
        }
        for track in &self.tracks {
            let name = format!("track '{}'", track.id);
            check_text(&name, "name", &track.name)?;
            if let Some(color) = &track.color {
                let hex_ok = color.len() == 7
                    && color.starts_with('#')
                    && color[1..].chars().all(|c| c.is_ascii_hexdigit());
                if !hex_ok {
                    return Err(Error::invalid(
                        &name,
                        "color",
                        format!("'{color}' is not #rrggbb"),
                    ));
                }
            }
        }
        for session in &self.sessions {
            let name = format!("session '{}'", session.id);
            check_text(&name, "title", &session.title)?;
            if session.end < session.start {
                return Err(Error::invalid(
                    &name,
                    "end",
                    format!(
                        "ends ({}) before it starts ({})",
                        session.end, session.start
                    ),
                ));
            }
            check_ref(
                &name,
                "location_id",
                session.location_id.as_deref(),
                &location_ids,
            )?;
            check_ref(&name, "track_id", session.track_id.as_deref(), &track_ids)?;
            for speaker in &session.speaker_ids {
                check_ref(&name, "speaker_ids", Some(speaker), &speaker_ids)?;
            }
        }
        for speaker in &self.speakers {
            let name = format!("speaker '{}'", speaker.id);
            check_text(&name, "name", &speaker.name)?;
            if let Some(photo) = &speaker.photo {
                check_asset(&name, "photo", photo)?;
            }
        }
        for exhibitor in &self.exhibitors {
            let name = format!("exhibitor '{}'", exhibitor.id);
            check_text(&name, "name", &exhibitor.name)?;
            check_ref(
                &name,
                "station_id",
                exhibitor.station_id.as_deref(),
                &location_ids,
            )?;
            if let Some(logo) = &exhibitor.logo {
                check_asset(&name, "logo", logo)?;
            }
        }
        for announcement in &self.announcements {
            let name = format!("announcement '{}'", announcement.id);
            check_text(&name, "title", &announcement.title)?;
            if let Some(expires) = announcement.expires_at
                && expires <= announcement.published_at
            {
                return Err(Error::invalid(
                    &name,
                    "expires_at",
                    "is not after published_at",
                ));
            }
        }
        for item in &self.gallery {
            let name = format!("gallery item '{}'", item.id);
            check_asset(&name, "image", &item.image)?;
            if let Some(thumbnail) = &item.thumbnail {
                check_asset(&name, "thumbnail", thumbnail)?;
            }
        }
        for page in &self.info_pages {
            check_text(&format!("info page '{}'", page.id), "title", &page.title)?;
        }
        Ok(())
    }
}

fn placeholder_event() -> Event {
    Event {
        id: String::new(),
        title: String::new(),
        subtitle: None,
        description: String::new(),
        venue: Venue::default(),
        timezone: String::new(),
        days: Vec::new(),
        day_change_hour: 0,
        languages: Vec::new(),
        url: None,
        logo: None,
    }
}

fn decode_one<T: DeserializeOwned>(what: &str, value: Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| Error::malformed(what, e))
}

fn decode_section<T: DeserializeOwned>(
    root: &mut serde_json::Map<String, Value>,
    section: &str,
) -> Result<Vec<T>> {
    let Some(value) = root.remove(section) else {
        return Ok(Vec::new());
    };
    let Value::Array(items) = value else {
        return Err(Error::malformed(
            format!("bundle section \"{section}\""),
            "expected a list",
        ));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let id = item
                .get("id")
                .and_then(Value::as_str)
                .map(|id| format!(" (id '{id}')"))
                .unwrap_or_default();
            decode_one(&format!("{section}[{index}]{id}"), item)
        })
        .collect()
}

const MAX_ID_LEN: usize = 200;

/// Checks an entity id: not blank, at most 200 bytes, no control characters.
pub fn check_id(entity: &str, id: &str) -> Result<()> {
    if id.trim().is_empty() {
        return Err(Error::invalid(entity, "id", "is empty"));
    }
    if id.len() > MAX_ID_LEN {
        return Err(Error::invalid(
            entity,
            "id",
            format!(
                "is {} bytes long; at most {MAX_ID_LEN} are allowed",
                id.len()
            ),
        ));
    }
    if id.chars().any(char::is_control) {
        return Err(Error::invalid(
            format!("{entity} '{}'", id.escape_debug()),
            "id",
            "contains control characters",
        ));
    }
    Ok(())
}

fn check_text(entity: &str, field: &str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid(entity, field, "is empty"));
    }
    Ok(())
}

fn unique_ids<'a>(kind: &str, ids: impl Iterator<Item = &'a str>) -> Result<HashSet<&'a str>> {
    let mut seen = HashSet::new();
    for id in ids {
        check_id(kind, id)?;
        if !seen.insert(id) {
            return Err(Error::invalid(
                format!("{kind} '{id}'"),
                "id",
                "is used twice",
            ));
        }
    }
    Ok(seen)
}

fn check_ref(entity: &str, field: &str, target: Option<&str>, known: &HashSet<&str>) -> Result<()> {
    match target {
        Some(id) if !known.contains(id) => Err(Error::invalid(
            entity,
            field,
            format!("refers to '{id}', which is not in the bundle"),
        )),
        _ => Ok(()),
    }
}

fn check_asset(entity: &str, field: &str, asset: &AssetRef) -> Result<()> {
    if !crate::assets::is_sha256(&asset.sha256) {
        return Err(Error::invalid(
            entity,
            field,
            format!("'{}' is not a lower-case hex SHA-256", asset.sha256),
        ));
    }
    if asset.media_type.trim().is_empty() || !asset.media_type.contains('/') {
        return Err(Error::invalid(
            entity,
            field,
            "media_type must be like image/png",
        ));
    }
    if asset.bytes == 0 {
        return Err(Error::invalid(
            entity,
            field,
            "an asset cannot be empty (bytes is 0)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> String {
        r#"{
          "format": "marktplatz-bundle", "version": 1,
          "event": {"id": "e", "title": "Fair", "venue": {"name": "Halle"},
                    "timezone": "Europe/Berlin", "days": ["2027-03-04"]},
          "locations": [{"id": "hall", "name": "Markthalle", "kind": "hall"},
                        {"id": "st1", "name": "Station 1", "kind": "station", "parent_id": "hall"}],
          "speakers": [{"id": "sp1", "name": "Anna Beispiel"}],
          "sessions": [{"id": "s1", "title": "Eröffnung", "start": "2027-03-04T08:00:00Z",
                        "end": "2027-03-04T08:30:00Z", "location_id": "st1", "speaker_ids": ["sp1"]}]
        }"#
        .to_string()
    }

    fn error_of(text: &str) -> String {
        match Bundle::from_json(text) {
            Ok(_) => panic!("bundle was accepted"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn minimal_bundle_is_valid() {
        let bundle = Bundle::from_json(&minimal()).unwrap();
        assert_eq!(bundle.entity_count(), 5);
        assert_eq!(bundle.entities()[0].kind(), EntityKind::Event);
    }

    #[test]
    fn a_text_field_over_the_limit_is_refused_naming_entity_and_field() {
        let bio = "x".repeat(crate::wire::MAX_TEXT_FIELD_BYTES + 1);
        let text = minimal().replace(
            r#""name": "Anna Beispiel"}"#,
            &format!(r#""name": "Anna Beispiel", "bio": "{bio}"}}"#),
        );
        let err = error_of(&text);
        assert!(err.contains("speaker 'sp1': bio:"), "{err}");
        assert!(err.contains("bytes allowed for a text field"), "{err}");
    }

    #[test]
    fn an_entity_over_the_limit_is_refused_naming_it() {
        let tag = "t".repeat(1000);
        let tags = vec![format!("\"{tag}\""); crate::wire::MAX_ENTITY_BYTES / 1000 + 1].join(",");
        let text = minimal().replace(
            r#""speaker_ids": ["sp1"]}"#,
            &format!(r#""speaker_ids": ["sp1"], "tags": [{tags}]}}"#),
        );
        let err = error_of(&text);
        assert!(err.contains("session 's1': (whole entity):"), "{err}");
    }

    #[test]
    fn a_key_named_twice_is_refused_naming_it() {
        let text = minimal().replace(
            r#""name": "Anna Beispiel"}"#,
            r#""name": "Anna Beispiel", "name": "Eve"}"#,
        );
        let err = error_of(&text);
        assert!(err.contains("bundle is malformed"), "{err}");
        assert!(err.contains("\"name\" appears twice"), "{err}");
    }

    #[test]
    fn controls_and_bidi_overrides_are_taken_out_of_titles() {
        let text = minimal().replace("Eröffnung", "Er\\u001b[31möff\\u202enung\\nneu");
        let bundle = Bundle::from_json(&text).unwrap();
        assert_eq!(bundle.sessions[0].title, "Er[31möffnung neu");
    }

    #[test]
    fn not_json_is_malformed() {
        let err = error_of("{\"format\": ");
        assert!(err.contains("bundle is malformed"), "{err}");
    }

    #[test]
    fn wrong_format_marker_is_named() {
        let err = error_of(r#"{"format": "frab", "version": 1}"#);
        assert!(err.contains("\"format\" must be"), "{err}");
    }

    #[test]
    fn missing_field_names_section_index_and_id() {
        let text = minimal().replace(r#""title": "Eröffnung", "#, "");
        let err = error_of(&text);
        assert!(err.contains("sessions[0] (id 's1')"), "{err}");
        assert!(err.contains("title"), "{err}");
    }

    #[test]
    fn unknown_timezone_names_event_and_field() {
        let err = error_of(&minimal().replace("Europe/Berlin", "Europe/Delmenhorst"));
        assert!(
            err.contains("event 'e'") && err.contains("timezone"),
            "{err}"
        );
        assert!(err.contains("Europe/Delmenhorst"), "{err}");
    }

    #[test]
    fn session_ending_before_start_is_named() {
        let err = error_of(&minimal().replace("2027-03-04T08:30:00Z", "2027-03-04T07:30:00Z"));
        assert!(err.starts_with("session 's1': end:"), "{err}");
    }

    #[test]
    fn missing_location_and_speaker_are_named() {
        let err =
            error_of(&minimal().replace(r#""location_id": "st1""#, r#""location_id": "st9""#));
        assert!(
            err.contains("session 's1': location_id") && err.contains("'st9'"),
            "{err}"
        );
        let err = error_of(&minimal().replace(r#"["sp1"]"#, r#"["sp2"]"#));
        assert!(
            err.contains("session 's1': speaker_ids") && err.contains("'sp2'"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_ids_are_named() {
        let text = minimal().replace(
            r#"{"id": "sp1", "name": "Anna Beispiel"}"#,
            r#"{"id": "sp1", "name": "Anna"}, {"id": "sp1", "name": "Bert"}"#,
        );
        let err = error_of(&text);
        assert!(err.contains("speaker 'sp1': id: is used twice"), "{err}");
    }

    #[test]
    fn bad_asset_hash_is_named() {
        let text = minimal().replace(
            r#""name": "Anna Beispiel""#,
            r#""name": "Anna", "photo": {"sha256": "xyz", "media_type": "image/png", "bytes": 3}"#,
        );
        let err = error_of(&text);
        assert!(err.contains("speaker 'sp1': photo"), "{err}");
    }

    #[test]
    fn entities_round_trip() {
        let bundle = Bundle::from_json(&minimal()).unwrap();
        let rebuilt = Bundle::from_entities(bundle.entities()).unwrap();
        assert_eq!(rebuilt, bundle);
    }
}
