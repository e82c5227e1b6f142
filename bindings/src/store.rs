//! `MarktplatzStore`: the shells' one entry point. Each method is a call into the core plus the
//! error conversion; local reads and writes are synchronous (call them off the main thread).

use std::sync::Arc;

use marktplatz_core::announcements;
use marktplatz_core::device::Device;
use marktplatz_core::store::{
    EventOverview, EventSummary, ExhibitorEntry, NowNext, SessionDetail, SessionSummary,
    StationEntry, Store,
};
use marktplatz_model::model::{Announcement, GalleryItem, InfoPage, Location, Speaker, Track};

use crate::credentials::CredentialStore;
use crate::error::ApiError;
use crate::types::{Instant, LocalDate};

pub(crate) type Result<T> = std::result::Result<T, ApiError>;

#[derive(uniffi::Object)]
pub struct MarktplatzStore {
    pub(crate) device: Device,
}

impl MarktplatzStore {
    pub(crate) fn store(&self) -> &Store {
        self.device.store()
    }
}

#[uniffi::export]
impl MarktplatzStore {
    /// Opens (or creates) the store in `dir`, e.g. the app's files directory.
    #[uniffi::constructor]
    pub fn open(dir: String) -> Result<Arc<Self>> {
        Ok(Arc::new(Self {
            device: Device::open(dir)?,
        }))
    }

    /// Opens the store with secrets (organiser tokens) in the platform's `credentials`
    /// (`open` keeps them in a 0600 file beside the databases).
    #[uniffi::constructor]
    pub fn open_with_credentials(
        dir: String,
        credentials: Arc<dyn CredentialStore>,
    ) -> Result<Arc<Self>> {
        let credentials = Arc::new(crate::credentials::Foreign(credentials));
        Ok(Arc::new(Self {
            device: Device::open_with_credentials(dir, credentials)?,
        }))
    }

    /// Things to tell the user from opening (a damaged file set aside).
    pub fn notices(&self) -> Vec<String> {
        self.store().notices().to_vec()
    }

    pub fn events(&self) -> Result<Vec<EventSummary>> {
        Ok(self.store().events()?)
    }

    pub fn event_overview(&self, event_id: String) -> Result<EventOverview> {
        Ok(self.store().event_overview(&event_id)?)
    }

    pub fn agenda(&self, event_id: String, day: LocalDate) -> Result<Vec<SessionSummary>> {
        Ok(self.store().agenda(&event_id, day)?)
    }

    pub fn now_next(&self, event_id: String, at: Instant) -> Result<NowNext> {
        Ok(self.store().now_next(&event_id, at)?)
    }

    /// The day the agenda opens on: today's conference day, else the next, else the last.
    pub fn agenda_day(&self, event_id: String, at: Instant) -> Result<LocalDate> {
        Ok(self.store().agenda_day(&event_id, at)?)
    }

    pub fn session_detail(&self, event_id: String, session_id: String) -> Result<SessionDetail> {
        Ok(self.store().session_detail(&event_id, &session_id)?)
    }

    pub fn sessions_at_location(
        &self,
        event_id: String,
        location_id: String,
    ) -> Result<Vec<SessionSummary>> {
        Ok(self.store().sessions_at_location(&event_id, &location_id)?)
    }

    pub fn sessions_in_track(
        &self,
        event_id: String,
        track_id: String,
    ) -> Result<Vec<SessionSummary>> {
        Ok(self.store().sessions_in_track(&event_id, &track_id)?)
    }

    pub fn sessions_of_speaker(
        &self,
        event_id: String,
        speaker_id: String,
    ) -> Result<Vec<SessionSummary>> {
        Ok(self.store().sessions_of_speaker(&event_id, &speaker_id)?)
    }

    pub fn locations(&self, event_id: String) -> Result<Vec<Location>> {
        Ok(self.store().locations(&event_id)?)
    }

    pub fn stations(&self, event_id: String) -> Result<Vec<StationEntry>> {
        Ok(self.store().stations(&event_id)?)
    }

    pub fn tracks(&self, event_id: String) -> Result<Vec<Track>> {
        Ok(self.store().tracks(&event_id)?)
    }

    pub fn speakers(&self, event_id: String) -> Result<Vec<Speaker>> {
        Ok(self.store().speakers(&event_id)?)
    }

    pub fn speaker(&self, event_id: String, speaker_id: String) -> Result<Speaker> {
        Ok(self.store().speaker(&event_id, &speaker_id)?)
    }

    pub fn exhibitors(
        &self,
        event_id: String,
        station_id: Option<String>,
        topic: Option<String>,
    ) -> Result<Vec<ExhibitorEntry>> {
        Ok(self
            .store()
            .exhibitors(&event_id, station_id.as_deref(), topic.as_deref())?)
    }

    pub fn announcements(&self, event_id: String, at: Instant) -> Result<Vec<Announcement>> {
        Ok(self.store().announcements(&event_id, at)?)
    }

    /// Urgent announcements to post as a notification now, each once (never the backlog of
    /// the first sync, never expired or retracted ones): call after every sync or followed page.
    pub fn take_announcements_to_notify(
        &self,
        event_id: String,
        at: Instant,
    ) -> Result<Vec<Announcement>> {
        Ok(announcements::take_announcements_to_notify(
            self.store(),
            &event_id,
            at,
        )?)
    }

    pub fn gallery(&self, event_id: String) -> Result<Vec<GalleryItem>> {
        Ok(self.store().gallery(&event_id)?)
    }

    pub fn info_pages(&self, event_id: String) -> Result<Vec<InfoPage>> {
        Ok(self.store().info_pages(&event_id)?)
    }

    /// Returns once no database transaction is open (running syncs are cancelled); until
    /// `resume`, calls fail with `ApiError.Suspended`. iOS calls this when backgrounded.
    pub fn suspend(&self) {
        self.device.suspend()
    }

    pub fn resume(&self) {
        self.device.resume()
    }
}
