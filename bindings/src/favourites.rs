//! Favourites, the personal agenda, change alerts, reminders, calendar export and sharing.

use marktplatz_core::favourites;
use marktplatz_core::favourites::{
    CalendarSelection, ChangeAlert, Favourite, FavouriteKind, PersonalAgenda, Reminder,
    SharedFavourites,
};
use marktplatz_core::store::NowNext;

use crate::store::{MarktplatzStore, Result};
use crate::types::{Instant, LocalDate};

#[uniffi::export]
impl MarktplatzStore {
    /// Adds a favourite (the entity must exist); returns false if it already was one.
    pub fn add_favourite(
        &self,
        event_id: String,
        kind: FavouriteKind,
        id: String,
        note: Option<String>,
    ) -> Result<bool> {
        Ok(favourites::add_favourite(
            self.store(),
            &event_id,
            kind,
            &id,
            note.as_deref(),
        )?)
    }

    pub fn remove_favourite(
        &self,
        event_id: String,
        kind: FavouriteKind,
        id: String,
    ) -> Result<bool> {
        Ok(favourites::remove_favourite(
            self.store(),
            self.device.alerts(),
            &event_id,
            kind,
            &id,
        )?)
    }

    /// Returns whether it is a favourite now.
    pub fn toggle_favourite(
        &self,
        event_id: String,
        kind: FavouriteKind,
        id: String,
    ) -> Result<bool> {
        Ok(favourites::toggle_favourite(
            self.store(),
            self.device.alerts(),
            &event_id,
            kind,
            &id,
        )?)
    }

    pub fn set_favourite_note(
        &self,
        event_id: String,
        kind: FavouriteKind,
        id: String,
        note: Option<String>,
    ) -> Result<()> {
        Ok(favourites::set_favourite_note(
            self.store(),
            &event_id,
            kind,
            &id,
            note.as_deref(),
        )?)
    }

    pub fn is_favourite(&self, event_id: String, kind: FavouriteKind, id: String) -> Result<bool> {
        Ok(favourites::is_favourite(
            self.store(),
            &event_id,
            kind,
            &id,
        )?)
    }

    /// Every favourite, with removed and cancelled ones marked (never silently dropped).
    pub fn favourites(&self, event_id: String) -> Result<Vec<Favourite>> {
        Ok(favourites::favourites(self.store(), &event_id)?)
    }

    pub fn personal_agenda(&self, event_id: String, day: LocalDate) -> Result<PersonalAgenda> {
        Ok(favourites::personal_agenda(self.store(), &event_id, day)?)
    }

    pub fn favourites_now_next(&self, event_id: String, at: Instant) -> Result<NowNext> {
        Ok(favourites::favourites_now_next(
            self.store(),
            &event_id,
            at,
        )?)
    }

    pub fn alerts(&self, event_id: String, include_seen: bool) -> Result<Vec<ChangeAlert>> {
        Ok(favourites::alerts(self.store(), &event_id, include_seen)?)
    }

    /// Unseen alerts not yet shown as a notification in their current form, marked as shown:
    /// post one notification for each, after every sync.
    pub fn take_alerts_to_notify(&self, event_id: String) -> Result<Vec<ChangeAlert>> {
        Ok(favourites::take_alerts_to_notify(self.store(), &event_id)?)
    }

    pub fn unseen_alert_count(&self, event_id: String) -> Result<u32> {
        Ok(favourites::unseen_alert_count(self.store(), &event_id)?)
    }

    pub fn mark_alerts_seen(&self, event_id: String, alert_ids: Vec<i64>) -> Result<u64> {
        Ok(
            favourites::mark_alerts_seen(self.store(), self.device.alerts(), &event_id, &alert_ids)?
                as u64,
        )
    }

    pub fn mark_all_alerts_seen(&self, event_id: String) -> Result<u64> {
        Ok(favourites::mark_all_alerts_seen(self.store(), self.device.alerts(), &event_id)? as u64)
    }

    /// The local notifications to schedule (replace all scheduled ones with this list).
    pub fn reminders(&self, event_id: String, now: Instant) -> Result<Vec<Reminder>> {
        Ok(favourites::reminders(self.store(), &event_id, now)?)
    }

    pub fn reminder_lead_minutes(&self) -> Result<u32> {
        Ok(favourites::reminder_lead_minutes(self.store())?)
    }

    pub fn set_reminder_lead_minutes(&self, minutes: u32) -> Result<()> {
        Ok(favourites::set_reminder_lead_minutes(
            self.store(),
            minutes,
        )?)
    }

    /// An iCalendar (RFC 5545) text for the calendar app.
    pub fn export_calendar(
        &self,
        event_id: String,
        selection: CalendarSelection,
        now: Instant,
    ) -> Result<String> {
        Ok(favourites::export_calendar(
            self.store(),
            &event_id,
            &selection,
            now,
        )?)
    }

    /// A short code (QR-friendly) carrying my favourites.
    pub fn share_code(&self, event_id: String) -> Result<String> {
        Ok(favourites::share_code(self.store(), &event_id)?)
    }

    /// What a friend's code holds and how it clashes with mine; changes nothing.
    pub fn read_share_code(&self, code: String) -> Result<SharedFavourites> {
        Ok(favourites::read_share_code(self.store(), &code)?)
    }
}
