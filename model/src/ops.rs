//! Organiser operations: small, named changes to one entity each, made in the hall on a phone.
//!
//! Shared by the server (which applies them to its change log) and the device (which shows them
//! at once as an overlay over the content, and queues them in its outbox). Each operation is
//! sent as an [`OpRequest`]: the event, the entity version it was based on (`base`, the seq of
//! the entity's last change; 0 for an entity that does not exist yet), and the operation.
//! [`Op::apply`] is the one place that says what an operation does to an entity; the server and
//! the device's overlay both use it, so what the organiser sees before the push is what the
//! server will publish. Decision record: `docs/adr/0006-organiser-ops.md`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::error::{Error, Result};
use crate::model::*;

/// The header that carries an operation's idempotency key.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Set (`true`) on the answer to a request whose key had been seen: the stored result.
pub const REPLAYED: &str = "idempotent-replayed";

/// Longest title (announcement, session, exhibitor or station name), in characters.
pub const MAX_TITLE_CHARS: usize = 300;
/// Longest free text (announcement body, description, caption), in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Largest photo an organiser may add to the gallery.
pub const MAX_PHOTO_BYTES: u64 = 25 * 1024 * 1024;
/// Idempotency keys: 8 to 128 characters of `[A-Za-z0-9_-]`.
pub const MAX_KEY_LEN: usize = 128;
/// Ids of entities an organiser creates: at most this long, `[A-Za-z0-9._-]`, not starting with `.`.
pub const MAX_NEW_ID_LEN: usize = 100;

/// One organiser operation. JSON: `{"op": "session.move", "id": "...", ...}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", deny_unknown_fields)]
pub enum Op {
    #[serde(rename = "announcement.create")]
    AnnouncementCreate {
        id: String,
        title: String,
        #[serde(default)]
        body: String,
        #[serde(default)]
        priority: Priority,
        published_at: DateTime<Utc>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires_at: Option<DateTime<Utc>>,
    },
    #[serde(rename = "announcement.edit")]
    AnnouncementEdit {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        priority: Option<Priority>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires_at: Option<DateTime<Utc>>,
    },
    #[serde(rename = "announcement.retract")]
    AnnouncementRetract { id: String },
    /// The session takes place at another location (station, room).
    #[serde(rename = "session.move")]
    SessionMove { id: String, location_id: String },
    #[serde(rename = "session.retime")]
    SessionRetime {
        id: String,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    #[serde(rename = "session.edit")]
    SessionEdit {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subtitle: Option<String>,
        #[serde(default, rename = "abstract", skip_serializing_if = "Option::is_none")]
        abstract_text: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
    },
    #[serde(rename = "session.cancel")]
    SessionCancel { id: String },
    #[serde(rename = "session.reinstate")]
    SessionReinstate { id: String },
    #[serde(rename = "exhibitor.edit")]
    ExhibitorEdit {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        station_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        topics: Option<Vec<String>>,
        /// An http or https address; empty removes it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website: Option<String>,
        /// The contact's e-mail address and telephone number; empty removes them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        phone: Option<String>,
        /// The exhibitor's logo, uploaded first like a photo.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        logo: Option<AssetRef>,
    },
    /// Edits a location (a station, room or booth).
    #[serde(rename = "station.edit")]
    StationEdit {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        /// Where it stands on the hall plan (fractions of the plan's width and height).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        position: Option<MapPosition>,
    },
    /// Sets the hall plan the stations' positions refer to (the event's `venue.map`); its
    /// image must be uploaded first, as a photo's. `id` is the event's id.
    #[serde(rename = "venue.map")]
    VenueMap { id: String, map: AssetRef },
    /// Adds a gallery photo; its image must be uploaded first (`PUT /v1/assets/{sha256}`).
    /// The server makes the thumbnail.
    #[serde(rename = "photo.add")]
    PhotoAdd {
        id: String,
        image: AssetRef,
        #[serde(default)]
        caption: String,
        #[serde(default)]
        credit: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        taken_at: Option<DateTime<Utc>>,
    },
    /// Changes a gallery photo's caption or credit; the image stays.
    #[serde(rename = "photo.edit")]
    PhotoEdit {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        caption: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credit: Option<String>,
    },
    #[serde(rename = "photo.remove")]
    PhotoRemove { id: String },
    /// Adds an info page (arrival, Wi-Fi, catering, ...); `sort_order` places it in the list.
    #[serde(rename = "info.add")]
    InfoAdd {
        id: String,
        title: String,
        #[serde(default)]
        body: String,
        #[serde(default)]
        sort_order: i32,
    },
    #[serde(rename = "info.edit")]
    InfoEdit {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sort_order: Option<i32>,
    },
    #[serde(rename = "info.remove")]
    InfoRemove { id: String },
}

impl Op {
    /// The entity this operation changes.
    pub fn target(&self) -> (EntityKind, &str) {
        use EntityKind as K;
        match self {
            Op::AnnouncementCreate { id, .. }
            | Op::AnnouncementEdit { id, .. }
            | Op::AnnouncementRetract { id } => (K::Announcement, id),
            Op::SessionMove { id, .. }
            | Op::SessionRetime { id, .. }
            | Op::SessionEdit { id, .. }
            | Op::SessionCancel { id }
            | Op::SessionReinstate { id } => (K::Session, id),
            Op::ExhibitorEdit { id, .. } => (K::Exhibitor, id),
            Op::StationEdit { id, .. } => (K::Location, id),
            Op::VenueMap { id, .. } => (K::Event, id),
            Op::PhotoAdd { id, .. } | Op::PhotoEdit { id, .. } | Op::PhotoRemove { id } => {
                (K::GalleryItem, id)
            }
            Op::InfoAdd { id, .. } | Op::InfoEdit { id, .. } | Op::InfoRemove { id } => {
                (K::InfoPage, id)
            }
        }
    }

    /// The name used on the wire (`session.move`), for lists and messages.
    pub fn name(&self) -> &'static str {
        match self {
            Op::AnnouncementCreate { .. } => "announcement.create",
            Op::AnnouncementEdit { .. } => "announcement.edit",
            Op::AnnouncementRetract { .. } => "announcement.retract",
            Op::SessionMove { .. } => "session.move",
            Op::SessionRetime { .. } => "session.retime",
            Op::SessionEdit { .. } => "session.edit",
            Op::SessionCancel { .. } => "session.cancel",
            Op::SessionReinstate { .. } => "session.reinstate",
            Op::ExhibitorEdit { .. } => "exhibitor.edit",
            Op::StationEdit { .. } => "station.edit",
            Op::VenueMap { .. } => "venue.map",
            Op::PhotoAdd { .. } => "photo.add",
            Op::PhotoEdit { .. } => "photo.edit",
            Op::PhotoRemove { .. } => "photo.remove",
            Op::InfoAdd { .. } => "info.add",
            Op::InfoEdit { .. } => "info.edit",
            Op::InfoRemove { .. } => "info.remove",
        }
    }

    /// Whether the operation creates its entity (its base must then be 0).
    pub fn creates(&self) -> bool {
        matches!(
            self,
            Op::AnnouncementCreate { .. } | Op::PhotoAdd { .. } | Op::InfoAdd { .. }
        )
    }

    /// The asset that must be on the server before the operation is sent.
    pub fn asset(&self) -> Option<&AssetRef> {
        match self {
            Op::PhotoAdd { image, .. }
            | Op::VenueMap { map: image, .. }
            | Op::ExhibitorEdit {
                logo: Some(image), ..
            } => Some(image),
            _ => None,
        }
    }

    /// Entities the result refers to, which must exist (checked by the server).
    pub fn references(&self) -> Vec<(EntityKind, &str)> {
        match self {
            Op::SessionMove { location_id, .. } => vec![(EntityKind::Location, location_id)],
            Op::ExhibitorEdit {
                station_id: Some(station),
                ..
            } => vec![(EntityKind::Location, station)],
            _ => Vec::new(),
        }
    }

    /// Checks the operation on its own (ids, lengths, times, the photo's declared type and
    /// size). Errors name the operation and the field.
    pub fn check(&self) -> Result<()> {
        let what = format!("{} '{}'", self.name(), self.target().1);
        let (_, id) = self.target();
        if self.creates() {
            check_new_id(&what, id)?;
        } else {
            check_existing_id(&what, id)?;
        }
        match self {
            Op::AnnouncementCreate {
                title,
                body,
                published_at,
                expires_at,
                ..
            } => {
                check_title(&what, "title", title)?;
                check_text(&what, "body", body)?;
                if let Some(expires) = expires_at
                    && expires <= published_at
                {
                    return Err(Error::invalid(
                        &what,
                        "expires_at",
                        "is not after published_at",
                    ));
                }
            }
            Op::AnnouncementEdit { title, body, .. } => {
                if let Some(title) = title {
                    check_title(&what, "title", title)?;
                }
                if let Some(body) = body {
                    check_text(&what, "body", body)?;
                }
            }
            Op::SessionMove { location_id, .. } => check_existing_id(&what, location_id)?,
            Op::SessionRetime { start, end, .. } => {
                if end < start {
                    return Err(Error::invalid(
                        &what,
                        "end",
                        format!("ends ({end}) before it starts ({start})"),
                    ));
                }
            }
            Op::SessionEdit {
                title,
                subtitle,
                abstract_text,
                description,
                ..
            } => {
                if let Some(title) = title {
                    check_title(&what, "title", title)?;
                }
                for (field, text) in [
                    ("subtitle", subtitle),
                    ("abstract", abstract_text),
                    ("description", description),
                ] {
                    if let Some(text) = text {
                        check_text(&what, field, text)?;
                    }
                }
            }
            Op::ExhibitorEdit {
                name,
                description,
                station_id,
                topics,
                website,
                email,
                phone,
                logo,
                ..
            } => {
                if let Some(name) = name {
                    check_title(&what, "name", name)?;
                }
                if let Some(text) = description {
                    check_text(&what, "description", text)?;
                }
                if let Some(station) = station_id {
                    check_existing_id(&what, station)?;
                }
                for topic in topics.iter().flatten() {
                    check_title(&what, "topics", topic)?;
                }
                if let Some(website) = website.as_deref().filter(|w| !w.trim().is_empty()) {
                    check_web_address(&what, website)?;
                }
                if let Some(email) = email.as_deref().filter(|e| !e.trim().is_empty()) {
                    check_email(&what, email)?;
                }
                if let Some(phone) = phone.as_deref().filter(|p| !p.trim().is_empty()) {
                    check_phone(&what, phone)?;
                }
                if let Some(logo) = logo {
                    check_image(&what, "logo", logo)?;
                }
            }
            Op::StationEdit {
                name,
                description,
                position,
                ..
            } => {
                if let Some(name) = name {
                    check_title(&what, "name", name)?;
                }
                if let Some(text) = description {
                    check_text(&what, "description", text)?;
                }
                if let Some(position) = position {
                    check_position(&what, position)?;
                }
            }
            Op::VenueMap { map, .. } => check_image(&what, "map", map)?,
            Op::PhotoAdd {
                image,
                caption,
                credit,
                ..
            } => {
                check_image(&what, "image", image)?;
                check_text(&what, "caption", caption)?;
                check_text(&what, "credit", credit)?;
            }
            Op::PhotoEdit {
                caption, credit, ..
            } => {
                for (field, text) in [("caption", caption), ("credit", credit)] {
                    if let Some(text) = text {
                        check_text(&what, field, text)?;
                    }
                }
            }
            Op::InfoAdd { title, body, .. } => {
                check_title(&what, "title", title)?;
                check_text(&what, "body", body)?;
            }
            Op::InfoEdit { title, body, .. } => {
                if let Some(title) = title {
                    check_title(&what, "title", title)?;
                }
                if let Some(body) = body {
                    check_text(&what, "body", body)?;
                }
            }
            Op::AnnouncementRetract { .. }
            | Op::SessionCancel { .. }
            | Op::SessionReinstate { .. }
            | Op::PhotoRemove { .. }
            | Op::InfoRemove { .. } => {}
        }
        Ok(())
    }

    /// What the operation makes of the entity's current state: its new state, or `None` when
    /// it removes the entity. An edit of an entity that is not there (or of another kind) is
    /// `NotFound`. A create replaces whatever is there: whether it may is the base's business.
    pub fn apply(&self, current: Option<&Entity>) -> Result<Option<Entity>> {
        let (kind, id) = self.target();
        let missing = || Error::not_found(kind.as_str(), id);
        let new = match (self, current) {
            (
                Op::AnnouncementCreate {
                    id,
                    title,
                    body,
                    priority,
                    published_at,
                    expires_at,
                },
                _,
            ) => Entity::Announcement(Announcement {
                id: id.clone(),
                title: title.clone(),
                body: body.clone(),
                priority: *priority,
                published_at: *published_at,
                expires_at: *expires_at,
            }),
            (
                Op::AnnouncementEdit {
                    title,
                    body,
                    priority,
                    expires_at,
                    ..
                },
                Some(Entity::Announcement(a)),
            ) => {
                let mut a = a.clone();
                set(&mut a.title, title);
                set(&mut a.body, body);
                set(&mut a.priority, priority);
                if expires_at.is_some() {
                    a.expires_at = *expires_at;
                }
                Entity::Announcement(a)
            }
            (Op::AnnouncementRetract { .. }, Some(Entity::Announcement(_)))
            | (Op::PhotoRemove { .. }, Some(Entity::GalleryItem(_)))
            | (Op::InfoRemove { .. }, Some(Entity::InfoPage(_))) => return Ok(None),
            (
                Op::InfoAdd {
                    id,
                    title,
                    body,
                    sort_order,
                },
                _,
            ) => Entity::InfoPage(InfoPage {
                id: id.clone(),
                title: title.clone(),
                body: body.clone(),
                sort_order: *sort_order,
            }),
            (
                Op::InfoEdit {
                    title,
                    body,
                    sort_order,
                    ..
                },
                Some(Entity::InfoPage(page)),
            ) => {
                let mut page = page.clone();
                set(&mut page.title, title);
                set(&mut page.body, body);
                set(&mut page.sort_order, sort_order);
                Entity::InfoPage(page)
            }
            (Op::SessionMove { location_id, .. }, Some(Entity::Session(s))) => {
                let mut s = s.clone();
                s.location_id = Some(location_id.clone());
                Entity::Session(s)
            }
            (Op::SessionRetime { start, end, .. }, Some(Entity::Session(s))) => {
                let mut s = s.clone();
                s.start = *start;
                s.end = *end;
                Entity::Session(s)
            }
            (
                Op::SessionEdit {
                    title,
                    subtitle,
                    abstract_text,
                    description,
                    ..
                },
                Some(Entity::Session(s)),
            ) => {
                let mut s = s.clone();
                set(&mut s.title, title);
                if let Some(subtitle) = subtitle {
                    s.subtitle = (!subtitle.trim().is_empty()).then(|| subtitle.clone());
                }
                set(&mut s.abstract_text, abstract_text);
                set(&mut s.description, description);
                Entity::Session(s)
            }
            (Op::SessionCancel { .. }, Some(Entity::Session(s))) => {
                let mut s = s.clone();
                s.status = SessionStatus::Cancelled;
                Entity::Session(s)
            }
            (Op::SessionReinstate { .. }, Some(Entity::Session(s))) => {
                let mut s = s.clone();
                s.status = SessionStatus::Scheduled;
                Entity::Session(s)
            }
            (
                Op::ExhibitorEdit {
                    name,
                    description,
                    station_id,
                    topics,
                    website,
                    email,
                    phone,
                    logo,
                    ..
                },
                Some(Entity::Exhibitor(x)),
            ) => {
                let mut x = x.clone();
                set(&mut x.name, name);
                set(&mut x.description, description);
                if station_id.is_some() {
                    x.station_id = station_id.clone();
                }
                set(&mut x.topics, topics);
                if let Some(website) = website {
                    x.website = non_empty(website);
                }
                if email.is_some() || phone.is_some() {
                    let mut contact = x.contact.take().unwrap_or_default();
                    if let Some(email) = email {
                        contact.email = non_empty(email);
                    }
                    if let Some(phone) = phone {
                        contact.phone = non_empty(phone);
                    }
                    let empty = contact.name.is_none()
                        && contact.email.is_none()
                        && contact.phone.is_none();
                    x.contact = (!empty).then_some(contact);
                }
                if logo.is_some() {
                    x.logo = logo.clone();
                }
                Entity::Exhibitor(x)
            }
            (
                Op::StationEdit {
                    name,
                    description,
                    position,
                    ..
                },
                Some(Entity::Location(l)),
            ) => {
                let mut l = l.clone();
                set(&mut l.name, name);
                set(&mut l.description, description);
                if position.is_some() {
                    l.position = *position;
                }
                Entity::Location(l)
            }
            (Op::VenueMap { map, .. }, Some(Entity::Event(e))) => {
                let mut e = e.clone();
                e.venue.map = Some(map.clone());
                Entity::Event(e)
            }
            (
                Op::PhotoEdit {
                    caption, credit, ..
                },
                Some(Entity::GalleryItem(g)),
            ) => {
                let mut g = g.clone();
                set(&mut g.caption, caption);
                set(&mut g.credit, credit);
                Entity::GalleryItem(g)
            }
            (
                Op::PhotoAdd {
                    id,
                    image,
                    caption,
                    credit,
                    taken_at,
                },
                _,
            ) => Entity::GalleryItem(GalleryItem {
                id: id.clone(),
                image: image.clone(),
                thumbnail: None,
                caption: caption.clone(),
                credit: credit.clone(),
                taken_at: *taken_at,
            }),
            _ => return Err(missing()),
        };
        let new = cleaned(new)?;
        crate::wire::check_entity(&new)?;
        Ok(Some(new))
    }
}

/// `entity` with its text cleaned ([`crate::clean`]): controls and bidi overrides out.
fn cleaned(entity: Entity) -> Result<Entity> {
    let what = || format!("{} '{}'", entity.kind().as_str(), entity.id());
    let body = entity.to_json().map_err(|e| Error::malformed(what(), e))?;
    let mut value: serde_json::Value =
        serde_json::from_str(&body).map_err(|e| Error::malformed(what(), e))?;
    crate::clean::clean_value(&mut value);
    Entity::from_json(entity.kind(), &value.to_string()).map_err(|e| Error::malformed(what(), e))
}

/// A text field's value, trimmed; `None` when that leaves nothing.
fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn set<T: Clone>(field: &mut T, value: &Option<T>) {
    if let Some(value) = value {
        *field = value.clone();
    }
}

/// Ids of new entities travel in URLs and file names elsewhere: keep them to a safe alphabet.
pub fn is_valid_new_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_NEW_ID_LEN
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

fn check_new_id(what: &str, id: &str) -> Result<()> {
    if is_valid_new_id(id) {
        Ok(())
    } else {
        Err(Error::invalid(
            what,
            "id",
            format!(
                "'{}' is not a usable id (letters, digits, '-', '_', '.', at most {MAX_NEW_ID_LEN}, not starting with '.')",
                id.escape_debug()
            ),
        ))
    }
}

fn check_existing_id(what: &str, id: &str) -> Result<()> {
    crate::bundle::check_id(what, id)
}

fn check_title(what: &str, field: &str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid(what, field, "is empty"));
    }
    if text.chars().count() > MAX_TITLE_CHARS {
        return Err(Error::invalid(
            what,
            field,
            format!("is longer than {MAX_TITLE_CHARS} characters"),
        ));
    }
    Ok(())
}

/// An exhibitor's website: an `http` or `https` address with a host, no spaces, at most
/// [`MAX_TITLE_CHARS`] (a `javascript:` or `data:` link would run in the attendee's browser).
fn check_web_address(what: &str, address: &str) -> Result<()> {
    let address = address.trim();
    let rest = address
        .strip_prefix("https://")
        .or_else(|| address.strip_prefix("http://"));
    let host = rest.and_then(|r| r.split(['/', '?', '#']).next());
    let fits = address.chars().count() <= MAX_TITLE_CHARS
        && !address.chars().any(|c| c.is_whitespace() || c.is_control());
    match host {
        Some(host) if fits && host.contains('.') && !host.starts_with('.') => Ok(()),
        _ => Err(Error::invalid(
            what,
            "website",
            "is not an http or https address (like https://www.example.de)",
        )),
    }
}

/// An e-mail address: one `@` between a name and a domain with a dot, no spaces, at most 254
/// characters (what a mail client can use; not a full RFC 5322 check).
fn check_email(what: &str, address: &str) -> Result<()> {
    let address = address.trim();
    let shaped = address.len() <= 254
        && !address.chars().any(|c| c.is_whitespace() || c.is_control())
        && match address.split_once('@') {
            Some((name, domain)) => {
                !name.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            }
            None => false,
        };
    if shaped {
        Ok(())
    } else {
        Err(Error::invalid(
            what,
            "email",
            "is not an e-mail address (like info@example.de)",
        ))
    }
}

/// A telephone number as people write it: digits, spaces and `+ - / ( ) .`, 3 to 30 digits.
fn check_phone(what: &str, number: &str) -> Result<()> {
    let number = number.trim();
    let digits = number.chars().filter(char::is_ascii_digit).count();
    let allowed = number
        .chars()
        .all(|c| c.is_ascii_digit() || " +-/().".contains(c));
    if allowed && (3..=30).contains(&digits) && number.chars().count() <= 40 {
        Ok(())
    } else {
        Err(Error::invalid(
            what,
            "phone",
            "is not a telephone number (digits, spaces and + - / ( ) only)",
        ))
    }
}

/// A photo or plan the operation refers to: a hashed JPEG or PNG of a bounded size.
fn check_image(what: &str, field: &str, image: &AssetRef) -> Result<()> {
    if !crate::assets::is_sha256(&image.sha256) {
        return Err(Error::invalid(what, field, "sha256 is not a hex SHA-256"));
    }
    if image.media_type != "image/jpeg" && image.media_type != "image/png" {
        return Err(Error::invalid(
            what,
            field,
            format!("'{}' is not a JPEG or PNG image", image.media_type),
        ));
    }
    if image.bytes == 0 || image.bytes > MAX_PHOTO_BYTES {
        return Err(Error::invalid(
            what,
            field,
            format!(
                "{} bytes; an image must have 1 to {MAX_PHOTO_BYTES} bytes",
                image.bytes
            ),
        ));
    }
    Ok(())
}

/// A point on the hall plan: both fractions within 0..=1 (and numbers at all).
fn check_position(what: &str, position: &MapPosition) -> Result<()> {
    for (axis, value) in [("x", position.x), ("y", position.y)] {
        if !(0.0..=1.0).contains(&value) {
            return Err(Error::invalid(
                what,
                "position",
                format!("{axis} is {value}; a position is a fraction from 0 to 1 of the plan"),
            ));
        }
    }
    Ok(())
}

fn check_text(what: &str, field: &str, text: &str) -> Result<()> {
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(Error::invalid(
            what,
            field,
            format!("is longer than {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Whether an idempotency key has a usable shape.
pub fn is_valid_key(key: &str) -> bool {
    (8..=MAX_KEY_LEN).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A fresh idempotency key: 16 random bytes, base64url.
pub fn new_key() -> String {
    use base64::Engine;
    let bytes: [u8; 16] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A fresh id for an entity an organiser creates: a prefix and 9 random bytes, base64url.
pub fn new_entity_id(prefix: &str) -> String {
    use base64::Engine;
    let bytes: [u8; 9] = rand::random();
    format!(
        "{prefix}-{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// `POST /v1/events/{event}/ops`: one operation with the version it was based on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpRequest {
    /// Must equal the event in the path (an operation meant for another event is refused).
    pub event: String,
    /// The seq of the entity's last change as the organiser saw it; 0 for a new entity.
    pub base: u64,
    pub op: Op,
}

/// The answer to an applied operation (also what a replay returns).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpOutcome {
    pub epoch: String,
    pub kind: EntityKind,
    pub id: String,
    /// The entity's version after the operation (its seq in the change log); a device whose
    /// cursor has reached it holds the operation's effect.
    pub seq: u64,
    /// False when the operation changed nothing (the entity already was so); `seq` is then the
    /// entity's current version.
    pub changed: bool,
}

/// An entity as the server holds it now: sent with a conflict so the organiser sees what
/// changed underneath them.
#[derive(Debug, Serialize, Deserialize)]
pub struct CurrentVersion {
    pub kind: EntityKind,
    pub id: String,
    /// 0 when the entity does not exist (never did, or was removed and its tombstone purged).
    pub seq: u64,
    /// `None` when the entity does not exist (or was removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Box<RawValue>>,
}

/// The body of a refused operation: the usual `{code, message}`, plus the server's current
/// version of the entity for a conflict (`code` = `conflict`, status 409).
#[derive(Debug, Serialize, Deserialize)]
pub struct OpRejection {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<CurrentVersion>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn session() -> Entity {
        Entity::Session(Session {
            id: "s1".into(),
            kind: SessionKind::Talk,
            title: "E-Rechnung".into(),
            subtitle: None,
            abstract_text: String::new(),
            description: String::new(),
            start: Utc.with_ymd_and_hms(2027, 5, 4, 9, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2027, 5, 4, 10, 0, 0).unwrap(),
            location_id: Some("station-1".into()),
            track_id: None,
            languages: vec!["de".into()],
            speaker_ids: Vec::new(),
            status: SessionStatus::Scheduled,
            tags: Vec::new(),
            links: Vec::new(),
        })
    }

    #[test]
    fn an_op_leaving_an_entity_over_the_limits_is_refused() {
        let mut current = session();
        if let Entity::Session(s) = &mut current {
            s.description = "d".repeat(crate::wire::MAX_TEXT_FIELD_BYTES + 1);
        }
        let op = Op::SessionMove {
            id: "s1".into(),
            location_id: "station-2".into(),
        };
        let err = op.apply(Some(&current)).unwrap_err().to_string();
        assert!(err.contains("session 's1': description:"), "{err}");
    }

    #[test]
    fn an_op_takes_controls_and_bidi_overrides_out_keeping_body_newlines() {
        let op = Op::SessionEdit {
            id: "s1".into(),
            title: Some("Neu\u{1b}]0;x\u{7}\u{202E}titel\nzwei".into()),
            subtitle: None,
            abstract_text: None,
            description: Some("Eins\nZwei\u{9b}".into()),
        };
        let Some(Entity::Session(s)) = op.apply(Some(&session())).unwrap() else {
            panic!("not a session");
        };
        assert_eq!(s.title, "Neu]0;xtitel zwei");
        assert_eq!(s.description, "Eins\nZwei");
    }

    #[test]
    fn json_names_the_operation_and_refuses_unknown_fields() {
        let op: Op =
            serde_json::from_str(r#"{"op":"session.move","id":"s1","location_id":"station-2"}"#)
                .unwrap();
        assert_eq!(
            op,
            Op::SessionMove {
                id: "s1".into(),
                location_id: "station-2".into()
            }
        );
        assert_eq!(
            serde_json::to_string(&op).unwrap(),
            r#"{"op":"session.move","id":"s1","location_id":"station-2"}"#
        );
        for bad in [
            r#"{"op":"session.explode","id":"s1"}"#,
            r#"{"op":"session.cancel","id":"s1","status":"x"}"#,
            r#"{"op":"session.move","id":"s1"}"#,
        ] {
            assert!(serde_json::from_str::<Op>(bad).is_err(), "{bad}");
        }
        let request: std::result::Result<OpRequest, _> = serde_json::from_str(
            r#"{"event":"e","base":3,"op":{"op":"session.cancel","id":"s1"},"extra":1}"#,
        );
        assert!(request.is_err());
    }

    #[test]
    fn apply_changes_only_what_the_operation_names() {
        let moved = Op::SessionMove {
            id: "s1".into(),
            location_id: "station-2".into(),
        }
        .apply(Some(&session()))
        .unwrap()
        .unwrap();
        let Entity::Session(s) = moved else {
            panic!("kind changed")
        };
        assert_eq!(s.location_id.as_deref(), Some("station-2"));
        assert_eq!(s.title, "E-Rechnung");
        let cancelled = Op::SessionCancel { id: "s1".into() }
            .apply(Some(&Entity::Session(s)))
            .unwrap()
            .unwrap();
        let Entity::Session(s) = cancelled else {
            panic!("kind changed")
        };
        assert_eq!(s.status, SessionStatus::Cancelled);
        assert_eq!(s.location_id.as_deref(), Some("station-2"));

        let err = Op::SessionCancel { id: "s1".into() }
            .apply(None)
            .unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{err}");
        let err = Op::AnnouncementRetract { id: "s1".into() }
            .apply(Some(&session()))
            .unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{err}");
        assert_eq!(
            Op::PhotoRemove { id: "g".into() }
                .apply(Some(&Entity::GalleryItem(GalleryItem {
                    id: "g".into(),
                    image: AssetRef {
                        sha256: "a".repeat(64),
                        media_type: "image/jpeg".into(),
                        bytes: 1,
                        width: None,
                        height: None
                    },
                    thumbnail: None,
                    caption: String::new(),
                    credit: String::new(),
                    taken_at: None
                })))
                .unwrap(),
            None
        );
    }

    #[test]
    fn check_refuses_bad_ids_texts_times_and_photos() {
        let now = Utc.with_ymd_and_hms(2027, 5, 4, 9, 0, 0).unwrap();
        let announce = |id: &str, title: &str| Op::AnnouncementCreate {
            id: id.into(),
            title: title.into(),
            body: String::new(),
            priority: Priority::Normal,
            published_at: now,
            expires_at: None,
        };
        assert!(
            announce("a-1", "Häppchen und Getränke im Foyer")
                .check()
                .is_ok()
        );
        for (op, needle) in [
            (announce("../etc/passwd", "x"), "id"),
            (announce(".hidden", "x"), "id"),
            (announce("a-1", "  "), "title"),
            (announce("a-1", &"x".repeat(MAX_TITLE_CHARS + 1)), "title"),
            (
                Op::SessionRetime {
                    id: "s1".into(),
                    start: now,
                    end: now - chrono::Duration::hours(1),
                },
                "end",
            ),
            (
                Op::PhotoAdd {
                    id: "p1".into(),
                    image: AssetRef {
                        sha256: "a".repeat(64),
                        media_type: "text/html".into(),
                        bytes: 10,
                        width: None,
                        height: None,
                    },
                    caption: String::new(),
                    credit: String::new(),
                    taken_at: None,
                },
                "image",
            ),
        ] {
            let err = op.check().unwrap_err();
            assert!(matches!(err, Error::Invalid { .. }), "{err}");
            assert!(err.to_string().contains(needle), "{needle}: {err}");
        }
    }

    fn jpeg(bytes: u64) -> AssetRef {
        AssetRef {
            sha256: "b".repeat(64),
            media_type: "image/jpeg".into(),
            bytes,
            width: Some(1200),
            height: Some(800),
        }
    }

    #[test]
    fn a_station_is_placed_on_the_plan_only_within_it() {
        let place = |x: f64, y: f64| Op::StationEdit {
            id: "station-1".into(),
            name: None,
            description: None,
            position: Some(MapPosition { x, y }),
        };
        let station = Entity::Location(Location {
            id: "station-1".into(),
            name: "Digitale Verwaltung".into(),
            kind: LocationKind::Station,
            parent_id: None,
            description: "Stand".into(),
            position: None,
            sort_order: 1,
        });
        assert!(place(0.0, 1.0).check().is_ok());
        let Some(Entity::Location(placed)) = place(0.25, 0.75).apply(Some(&station)).unwrap()
        else {
            panic!("not a location");
        };
        assert_eq!(placed.position, Some(MapPosition { x: 0.25, y: 0.75 }));
        assert_eq!(
            placed.name, "Digitale Verwaltung",
            "only the position changes"
        );
        assert_eq!(placed.description, "Stand");
        for (x, y) in [
            (-0.01, 0.5),
            (0.5, 1.01),
            (f64::NAN, 0.5),
            (0.5, f64::INFINITY),
        ] {
            let err = place(x, y).check().unwrap_err().to_string();
            assert!(err.contains("position"), "{x},{y}: {err}");
        }
        // A rename leaves the position where it was.
        let renamed = Op::StationEdit {
            id: "station-1".into(),
            name: Some("Neu".into()),
            description: None,
            position: None,
        }
        .apply(Some(&Entity::Location(placed)))
        .unwrap();
        let Some(Entity::Location(renamed)) = renamed else {
            panic!("not a location");
        };
        assert_eq!(renamed.position, Some(MapPosition { x: 0.25, y: 0.75 }));
    }

    #[test]
    fn the_hall_plan_is_an_image_set_on_the_event() {
        let op = Op::VenueMap {
            id: "mp".into(),
            map: jpeg(5000),
        };
        assert!(op.check().is_ok());
        assert_eq!(op.target(), (EntityKind::Event, "mp"));
        assert_eq!(op.asset(), Some(&jpeg(5000)), "uploaded before it is sent");
        let json = serde_json::to_string(&op).unwrap();
        assert!(
            json.starts_with(r#"{"op":"venue.map","id":"mp","map":{"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Op>(&json).unwrap(), op);
        let bad = Op::VenueMap {
            id: "mp".into(),
            map: AssetRef {
                media_type: "image/svg+xml".into(),
                ..jpeg(10)
            },
        };
        assert!(bad.check().unwrap_err().to_string().contains("map"));
        let too_big = Op::VenueMap {
            id: "mp".into(),
            map: jpeg(MAX_PHOTO_BYTES + 1),
        };
        assert!(too_big.check().is_err());
        // Only an event has a plan.
        let err = op.apply(Some(&session())).unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{err}");
    }

    #[test]
    fn a_photo_edit_changes_its_words_not_its_image() {
        let item = Entity::GalleryItem(GalleryItem {
            id: "g".into(),
            image: jpeg(100),
            thumbnail: Some(jpeg(10)),
            caption: "Alt".into(),
            credit: "Team".into(),
            taken_at: None,
        });
        let op = Op::PhotoEdit {
            id: "g".into(),
            caption: Some("Eröffnung in der Markthalle".into()),
            credit: None,
        };
        assert!(op.check().is_ok());
        assert!(!op.creates());
        let Some(Entity::GalleryItem(edited)) = op.apply(Some(&item)).unwrap() else {
            panic!("not a gallery item");
        };
        assert_eq!(edited.caption, "Eröffnung in der Markthalle");
        assert_eq!(edited.credit, "Team");
        assert_eq!(edited.image, jpeg(100));
        assert_eq!(edited.thumbnail, Some(jpeg(10)));
        let long = Op::PhotoEdit {
            id: "g".into(),
            caption: Some("x".repeat(MAX_TEXT_CHARS + 1)),
            credit: None,
        };
        assert!(long.check().unwrap_err().to_string().contains("caption"));
        assert!(matches!(op.apply(None), Err(Error::NotFound { .. })));
    }

    #[test]
    fn an_exhibitors_contact_is_checked_and_set_field_by_field() {
        let edit = |website: &str, email: &str, phone: &str| Op::ExhibitorEdit {
            id: "itdz".into(),
            name: None,
            description: None,
            station_id: None,
            topics: None,
            website: Some(website.into()),
            email: Some(email.into()),
            phone: Some(phone.into()),
            logo: Some(jpeg(300)),
        };
        let op = edit(
            "https://www.itdz-nord.de/kommunen",
            "info@itdz-nord.de",
            "+49 421 123-45",
        );
        assert!(op.check().is_ok());
        assert_eq!(
            op.asset(),
            Some(&jpeg(300)),
            "the logo is uploaded before it is sent"
        );
        let exhibitor = Entity::Exhibitor(Exhibitor {
            id: "itdz".into(),
            name: "IT-Dienstleister Nord".into(),
            station_id: None,
            topics: vec!["Cloud".into()],
            description: String::new(),
            contact: Some(Contact {
                name: Some("Frau Meyer".into()),
                email: None,
                phone: None,
            }),
            website: None,
            logo: None,
        });
        let Some(Entity::Exhibitor(x)) = op.apply(Some(&exhibitor)).unwrap() else {
            panic!("not an exhibitor");
        };
        let contact = x.contact.clone().unwrap();
        assert_eq!(contact.name.as_deref(), Some("Frau Meyer"), "kept");
        assert_eq!(contact.email.as_deref(), Some("info@itdz-nord.de"));
        assert_eq!(contact.phone.as_deref(), Some("+49 421 123-45"));
        assert_eq!(
            x.website.as_deref(),
            Some("https://www.itdz-nord.de/kommunen")
        );
        assert_eq!(x.logo, Some(jpeg(300)));
        assert_eq!(x.topics, vec!["Cloud".to_string()], "untouched");
        // Empty removes.
        let Some(Entity::Exhibitor(cleared)) =
            edit("", "", "").apply(Some(&Entity::Exhibitor(x))).unwrap()
        else {
            panic!("not an exhibitor");
        };
        assert_eq!(cleared.website, None);
        assert_eq!(cleared.contact.and_then(|c| c.email), None);
        for (op, field) in [
            (edit("javascript:alert(1)", "", ""), "website"),
            (edit("ftp://files.example.de", "", ""), "website"),
            (edit("https://", "", ""), "website"),
            (edit("https://www.example .de", "", ""), "website"),
            (edit("", "info.example.de", ""), "email"),
            (edit("", "a@b@example.de", ""), "email"),
            (edit("", "info@localhost", ""), "email"),
            (edit("", "", "0421 <script>"), "phone"),
            (edit("", "", "12"), "phone"),
        ] {
            let err = op.check().unwrap_err().to_string();
            assert!(err.contains(field), "{field}: {err}");
        }
    }

    #[test]
    fn info_pages_are_added_edited_reordered_and_removed() {
        let add = Op::InfoAdd {
            id: "info-wlan".into(),
            title: "WLAN".into(),
            body: "Netz: Markthalle-Gast".into(),
            sort_order: 2,
        };
        assert!(add.check().is_ok());
        assert!(add.creates());
        assert_eq!(add.target(), (EntityKind::InfoPage, "info-wlan"));
        let page = add.apply(None).unwrap().unwrap();
        let edit = Op::InfoEdit {
            id: "info-wlan".into(),
            title: None,
            body: Some("Netz: Markthalle-Gast, Kennwort am Empfang".into()),
            sort_order: Some(1),
        };
        let Some(Entity::InfoPage(edited)) = edit.apply(Some(&page)).unwrap() else {
            panic!("not an info page");
        };
        assert_eq!(edited.title, "WLAN", "kept");
        assert_eq!(edited.body, "Netz: Markthalle-Gast, Kennwort am Empfang");
        assert_eq!(edited.sort_order, 1);
        let remove = Op::InfoRemove {
            id: "info-wlan".into(),
        };
        assert_eq!(remove.apply(Some(&Entity::InfoPage(edited))).unwrap(), None);
        assert!(matches!(remove.apply(None), Err(Error::NotFound { .. })));
        let json = serde_json::to_string(&edit).unwrap();
        assert!(
            json.starts_with(r#"{"op":"info.edit","id":"info-wlan""#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Op>(&json).unwrap(), edit);
        for bad in [
            Op::InfoAdd {
                id: "info-1".into(),
                title: " ".into(),
                body: String::new(),
                sort_order: 0,
            },
            Op::InfoEdit {
                id: "info-1".into(),
                title: None,
                body: Some("x".repeat(MAX_TEXT_CHARS + 1)),
                sort_order: None,
            },
        ] {
            assert!(bad.check().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn keys_and_ids() {
        let key = new_key();
        assert!(is_valid_key(&key), "{key}");
        assert!(!is_valid_key("short"));
        assert!(!is_valid_key("has spaces in it"));
        assert!(is_valid_new_id(&new_entity_id("photo")));
        assert_eq!(
            crate::assets::image_media_type(b"\x89PNG\r\n\x1a\nrest"),
            Some("image/png")
        );
        assert_eq!(crate::assets::image_media_type(b"<html>"), None);
    }
}
