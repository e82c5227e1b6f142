//! What of each entity is searchable, in four fields of falling weight: the title, the people
//! (or, for entities without people, their other short identifying text), the place (location,
//! track, station) and the long text.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Result, SqliteContext};
use crate::store::entities::read_entity;
use marktplatz_model::model::*;

/// The kinds that are searched. Events and gallery items are not (nobody searches for them).
pub const SEARCHED_KINDS: [EntityKind; 7] = [
    EntityKind::Session,
    EntityKind::Speaker,
    EntityKind::Exhibitor,
    EntityKind::Location,
    EntityKind::Track,
    EntityKind::Announcement,
    EntityKind::InfoPage,
];

/// The searchable text of one entity, as the user sees it (not normalised).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    /// Sessions: speaker names. Speakers: organisation and role. Exhibitors: topics and contact.
    pub people: String,
    /// Sessions: track and location. Exhibitors: station. Locations: the hall they are in.
    pub place: String,
    /// Subtitle, abstract, description, bio, body, tags.
    pub body: String,
}

/// The document for an entity, reading the names it refers to from content.db.
/// `None` for kinds that are not searched.
pub(crate) fn document_of(
    conn: &Connection,
    event_id: &str,
    entity: &Entity,
) -> Result<Option<Document>> {
    Ok(Some(match entity {
        Entity::Session(s) => {
            let mut speakers = Vec::new();
            for speaker_id in &s.speaker_ids {
                if let Some(name) = name_of(conn, "speaker", event_id, speaker_id)? {
                    speakers.push(name);
                }
            }
            let mut place = Vec::new();
            if let Some(track) = &s.track_id {
                place.extend(name_of(conn, "track", event_id, track)?);
            }
            if let Some(location) = &s.location_id {
                place.extend(name_of(conn, "location", event_id, location)?);
            }
            Document {
                title: s.title.clone(),
                people: speakers.join(", "),
                place: place.join(" · "),
                body: body_of(entity),
            }
        }
        Entity::Speaker(sp) => Document {
            title: sp.name.clone(),
            people: join_nonempty(
                [sp.organisation.clone(), sp.role.clone()]
                    .into_iter()
                    .flatten()
                    .collect(),
                " · ",
            ),
            place: String::new(),
            body: body_of(entity),
        },
        Entity::Exhibitor(x) => {
            let mut people = x.topics.clone();
            if let Some(name) = x.contact.as_ref().and_then(|c| c.name.clone()) {
                people.push(name);
            }
            let place = match &x.station_id {
                Some(station) => name_of(conn, "location", event_id, station)?.unwrap_or_default(),
                None => String::new(),
            };
            Document {
                title: x.name.clone(),
                people: join_nonempty(people, ", "),
                place,
                body: body_of(entity),
            }
        }
        Entity::Location(l) => Document {
            title: l.name.clone(),
            people: String::new(),
            place: match &l.parent_id {
                Some(parent) => name_of(conn, "location", event_id, parent)?.unwrap_or_default(),
                None => String::new(),
            },
            body: body_of(entity),
        },
        Entity::Track(t) => Document {
            title: t.name.clone(),
            body: body_of(entity),
            ..Document::default()
        },
        Entity::Announcement(a) => Document {
            title: a.title.clone(),
            body: body_of(entity),
            ..Document::default()
        },
        Entity::InfoPage(p) => Document {
            title: p.title.clone(),
            body: body_of(entity),
            ..Document::default()
        },
        Entity::Event(_) | Entity::GalleryItem(_) => return Ok(None),
    }))
}

/// The long text of an entity (needs no other entity, unlike the short fields).
pub(crate) fn body_of(entity: &Entity) -> String {
    match entity {
        Entity::Session(s) => {
            let mut body = Vec::new();
            body.extend(s.subtitle.clone());
            body.push(s.abstract_text.clone());
            body.push(s.description.clone());
            body.push(s.tags.join(", "));
            join_nonempty(body, "\n")
        }
        Entity::Speaker(sp) => sp.bio.clone(),
        Entity::Exhibitor(x) => x.description.clone(),
        Entity::Location(l) => l.description.clone(),
        Entity::Track(t) => t.description.clone(),
        Entity::Announcement(a) => a.body.clone(),
        Entity::InfoPage(p) => p.body.clone(),
        Entity::Event(_) | Entity::GalleryItem(_) => String::new(),
    }
}

/// The long text of a stored entity (empty when it is gone).
pub fn load_body(conn: &Connection, event_id: &str, kind: EntityKind, id: &str) -> Result<String> {
    Ok(load_entity(conn, event_id, kind, id)?
        .map(|entity| body_of(&entity))
        .unwrap_or_default())
}

/// The document of a stored entity; `None` when it is gone or not searched.
pub(crate) fn load_document(
    conn: &Connection,
    event_id: &str,
    kind: EntityKind,
    id: &str,
) -> Result<Option<Document>> {
    match load_entity(conn, event_id, kind, id)? {
        Some(entity) => document_of(conn, event_id, &entity),
        None => Ok(None),
    }
}

/// A stored entity of a searched kind (`None` for the kinds that are not searched).
fn load_entity(
    conn: &Connection,
    event_id: &str,
    kind: EntityKind,
    id: &str,
) -> Result<Option<Entity>> {
    if !SEARCHED_KINDS.contains(&kind) {
        return Ok(None);
    }
    read_entity(conn, event_id, kind, id)
}

/// The `name` column of a speaker, track or location; `None` when it has not arrived yet.
fn name_of(conn: &Connection, table: &str, event_id: &str, id: &str) -> Result<Option<String>> {
    conn.prepare_cached(&format!(
        "SELECT name FROM {table} WHERE event_id = ?1 AND id = ?2"
    ))
    .and_then(|mut s| s.query_row(params![event_id, id], |r| r.get(0)).optional())
    .context("reading a name to index")
}

fn join_nonempty(parts: Vec<String>, separator: &str) -> String {
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(separator)
}
