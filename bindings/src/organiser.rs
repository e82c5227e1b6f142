//! Organiser mode: sign in with a token, queue operations (shown at once, sent when online),
//! watch the outbox.

use marktplatz_core::sync;
use marktplatz_core::sync::organiser::OrganiserInfo;
use marktplatz_core::sync::outbox::{OutboxEntry, PushReport};
use marktplatz_model::ops::Op;

use crate::store::{MarktplatzStore, Result};
use crate::types::Instant;

#[uniffi::export]
impl MarktplatzStore {
    /// Stores the organiser token for an event in the credential store (never logged).
    pub fn set_organiser(&self, event_id: String, server_url: String, token: String) -> Result<()> {
        Ok(sync::set_organiser(
            self.store(),
            &event_id,
            &server_url,
            &token,
        )?)
    }

    pub fn forget_organiser(&self, event_id: String) -> Result<()> {
        Ok(sync::forget_organiser(self.store(), &event_id)?)
    }

    pub fn organiser(&self, event_id: String) -> Result<Option<OrganiserInfo>> {
        Ok(sync::organiser(self.store(), &event_id)?)
    }

    /// Queues an operation; every read shows it at once. It is sent by `push` or the next sync.
    pub fn queue_op(&self, event_id: String, op: Op) -> Result<OutboxEntry> {
        Ok(self.store().queue_op(&event_id, op)?)
    }

    /// Queues a gallery photo (JPEG or PNG bytes from the camera or the photo picker).
    pub fn queue_photo(
        &self,
        event_id: String,
        bytes: Vec<u8>,
        caption: String,
        credit: String,
        taken_at: Option<Instant>,
    ) -> Result<OutboxEntry> {
        Ok(sync::queue_photo(
            self.store(),
            &event_id,
            &bytes,
            &caption,
            &credit,
            taken_at,
        )?)
    }

    /// Queues a new hall plan (JPEG or PNG bytes); stripped like a photo, sent by `push`.
    pub fn queue_hall_plan(&self, event_id: String, bytes: Vec<u8>) -> Result<OutboxEntry> {
        Ok(sync::queue_hall_plan(self.store(), &event_id, &bytes)?)
    }

    pub fn outbox(&self, event_id: String, include_done: bool) -> Result<Vec<OutboxEntry>> {
        Ok(self.store().outbox(&event_id, include_done)?)
    }

    /// Drops a rejected operation (the organiser read the reason and gave up on it).
    pub fn dismiss_op(&self, outbox_id: i64) -> Result<()> {
        Ok(self.store().dismiss_op(outbox_id)?)
    }

    /// Queues a rejected operation again, based on the server's current version.
    pub fn retry_rejected(&self, outbox_id: i64) -> Result<OutboxEntry> {
        Ok(self.store().retry_rejected(outbox_id)?)
    }

    /// Sends queued operations now; call when connectivity returns.
    pub async fn push(&self, event_id: String) -> Result<PushReport> {
        Ok(self.device.push(event_id).await?)
    }

    /// When the outbox wants its next attempt (schedule a wake-up for it).
    pub fn next_push_attempt_at(&self, event_id: String) -> Result<Option<Instant>> {
        Ok(marktplatz_core::sync::outbox::next_attempt_at(
            self.store(),
            &event_id,
        )?)
    }
}

/// A fresh id for an entity an organiser creates (`announcement-…`), as the CLI makes them.
#[uniffi::export]
pub fn new_entity_id(prefix: String) -> String {
    marktplatz_model::ops::new_entity_id(&prefix)
}
