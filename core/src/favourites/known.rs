//! The last state of a favourited entity the device has seen, kept in user.db.
//!
//! Content may vanish (a removal, a re-bootstrap, a damaged content.db); the attendee's list must
//! still say what the favourite was. The same snapshot is the baseline change alerts compare
//! against, which makes recording an alert idempotent: applying the same change twice finds the
//! snapshot already at the new state.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store::SessionSummary;
use marktplatz_model::model::{Location, Session, SessionStatus};
use marktplatz_model::time::EventClock;

/// A session as the device last saw it (the `old` and `new` of a change alert).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownSession {
    pub title: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_name: Option<String>,
    #[serde(default)]
    pub status: SessionStatus,
    /// The session is gone from the programme; the other fields are its last known state.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
    /// Conference day and `HH:MM` local times, derived when the snapshot was taken (absent when
    /// the event's timezone was not known then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_end: Option<String>,
}

/// What an alert is about: the fields whose change the attendee must hear of.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Watched<'a> {
    Removed,
    Present {
        title: &'a str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        location_id: Option<&'a str>,
        status: SessionStatus,
    },
}

impl KnownSession {
    pub fn from_summary(summary: &SessionSummary) -> KnownSession {
        KnownSession {
            title: summary.title.clone(),
            start: summary.start,
            end: summary.end,
            location_id: summary.location_id.clone(),
            location_name: summary.location_name.clone(),
            status: summary.status,
            removed: false,
            day: Some(summary.day),
            local_start: Some(summary.local_start.clone()),
            local_end: Some(summary.local_end.clone()),
        }
    }

    pub(crate) fn from_session(
        session: &Session,
        clock: Option<&EventClock>,
        locations: &HashMap<String, Location>,
    ) -> KnownSession {
        KnownSession {
            title: session.title.clone(),
            start: session.start,
            end: session.end,
            location_id: session.location_id.clone(),
            location_name: session
                .location_id
                .as_ref()
                .and_then(|id| locations.get(id))
                .map(|l| l.name.clone()),
            status: session.status,
            removed: false,
            day: clock.map(|c| c.conference_day(session.start)),
            local_start: clock.map(|c| c.hhmm(session.start)),
            local_end: clock.map(|c| c.hhmm(session.end)),
        }
    }

    pub(crate) fn watched(&self) -> Watched<'_> {
        if self.removed {
            return Watched::Removed;
        }
        Watched::Present {
            title: &self.title,
            start: self.start,
            end: self.end,
            location_id: self.location_id.as_deref(),
            status: self.status,
        }
    }

    /// The same session marked as gone, keeping its last known fields for display.
    pub(crate) fn into_removed(mut self) -> KnownSession {
        self.removed = true;
        self
    }

    pub(crate) fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::malformed("a favourite's known state", e))
    }

    pub(crate) fn from_json(json: &str) -> Result<KnownSession> {
        serde_json::from_str(json)
            .map_err(|e| Error::malformed("the stored state of a favourited session", e))
    }
}

/// A speaker's or exhibitor's last known name (sessions store a full [`KnownSession`], which has
/// a `title` too, so this reads both).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KnownName {
    pub title: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
}

impl KnownName {
    pub(crate) fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::malformed("a favourite's known name", e))
    }

    pub(crate) fn from_json(json: &str) -> Result<KnownName> {
        serde_json::from_str(json)
            .map_err(|e| Error::malformed("the stored state of a favourite", e))
    }
}
