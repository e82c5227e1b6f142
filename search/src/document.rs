//! What of each entity is searchable, in four fields of falling weight: the title, the people
//! (or, for entities without people, their other short identifying text), the place (location,
//! track, station) and the long text.

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

/// The document for an entity; `name_of(kind, id)` gives the name of a speaker, track or
/// location it refers to (`None` when it has not arrived yet). `None` for kinds that are not
/// searched. The device reads the names from its store, the server from the published content.
pub fn document_of<E>(
    entity: &Entity,
    mut name_of: impl FnMut(EntityKind, &str) -> Result<Option<String>, E>,
) -> Result<Option<Document>, E> {
    Ok(Some(match entity {
        Entity::Session(s) => {
            let mut speakers = Vec::new();
            for speaker_id in &s.speaker_ids {
                if let Some(name) = name_of(EntityKind::Speaker, speaker_id)? {
                    speakers.push(name);
                }
            }
            let mut place = Vec::new();
            if let Some(track) = &s.track_id {
                place.extend(name_of(EntityKind::Track, track)?);
            }
            if let Some(location) = &s.location_id {
                place.extend(name_of(EntityKind::Location, location)?);
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
                Some(station) => name_of(EntityKind::Location, station)?.unwrap_or_default(),
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
                Some(parent) => name_of(EntityKind::Location, parent)?.unwrap_or_default(),
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
pub fn body_of(entity: &Entity) -> String {
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

fn join_nonempty(parts: Vec<String>, separator: &str) -> String {
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(separator)
}
