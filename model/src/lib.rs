//! Marktplatz's contract: what the phone apps, the server and the organiser's tools agree on.
//!
//! Nothing here touches a database, the network or a picture's pixels; every crate of the
//! workspace depends on this one (`docs/ARCHITECTURE.md`).
//!
//! - [`model`]: the content of an event (sessions, speakers, locations, ...) and its rules.
//! - [`bundle`]: a whole event as one JSON document (what organisers publish), checked whole.
//! - [`wire`]: the sync protocol's JSON types, ETags and error codes.
//! - [`ops`]: the organiser's operations (edit a session, add a photo), applied the same way on
//!   the device (over its content) and on the server (into the change log).
//! - [`preview`]: what a publish would do, field by field (added, changed, removed, refused).
//! - [`assets`]: asset names (SHA-256) and recognising PNG and JPEG files.
//! - [`time`]: an event's clock (local days, the hour its day changes).
//! - [`zone`]: time zones from the bundled tz database.
//! - [`text`]: folding text for sorting and comparing (case, diacritics).
//! - [`clean`]: controls and bidi overrides taken out of published text.
//! - [`ical`]: writing iCalendar (escaping, folding, VTIMEZONE), for the device and the server.
//! - [`share_code`]: the favourites share code's binary format and hashes.
//! - [`json`]: strict JSON reading (no key named twice).
//! - [`error`]: what can be wrong with content or a message.

pub mod assets;
pub mod bundle;
pub mod clean;
pub mod error;
pub mod ical;
pub mod json;
pub mod model;
pub mod ops;
pub mod preview;
pub mod share_code;
pub mod source;
pub mod strip;
pub mod text;
pub mod time;
pub mod wire;
pub mod zone;

pub use error::{Error, Result};
