//! Network work (async, on the core's runtime) and the listeners the shells subscribe.

use std::sync::{Arc, Mutex, PoisonError};

use marktplatz_core::device::{self, SyncOutcome, Update};
use marktplatz_core::listeners::Subscription;
use marktplatz_core::sync;
use marktplatz_model::model::AssetRef;
use marktplatz_model::wire::ListedEvent;

use crate::error::ApiError;
use crate::store::{MarktplatzStore, Result};

/// Implemented by the shells: told about sync progress, finished syncs and change alerts.
/// Called on a background thread; an exception thrown here is ignored.
#[uniffi::export(with_foreign)]
pub trait UpdateListener: Send + Sync {
    fn on_update(&self, update: Update) -> std::result::Result<(), ApiError>;
}

/// Keeps a listener subscribed until closed or dropped.
#[derive(uniffi::Object)]
pub struct SubscriptionHandle(Mutex<Option<Subscription>>);

#[uniffi::export]
impl SubscriptionHandle {
    /// Stops the listener now (also done when the handle is dropped or, in Kotlin, closed).
    pub fn cancel(&self) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
    }
}

/// Keeps an event followed (live updates while the app is in the foreground) until cancelled
/// or dropped; `suspend` pauses it and `resume` restarts it.
#[derive(uniffi::Object)]
pub struct FollowHandle(device::FollowHandle);

#[uniffi::export]
impl FollowHandle {
    /// Stops following now (also done when the handle is dropped or, in Kotlin, closed).
    pub fn cancel(&self) {
        self.0.cancel()
    }

    pub fn is_running(&self) -> bool {
        self.0.is_running()
    }
}

#[uniffi::export]
impl MarktplatzStore {
    /// Follows the event from `server_url` (or the server it came from): each change arrives
    /// within a second and is told to the listeners as `Update.SyncFinished`. One loop per
    /// event: following it again replaces the older one.
    pub fn follow(
        &self,
        server_url: Option<String>,
        event_id: String,
    ) -> Result<Arc<FollowHandle>> {
        Ok(Arc::new(FollowHandle(
            self.device.follow(server_url, event_id)?,
        )))
    }

    /// Remembers the access code of a protected event (the next sync sends it); `None` forgets it.
    pub fn set_access_code(&self, event_id: String, code: Option<String>) -> Result<()> {
        Ok(sync::set_access_code(
            self.store(),
            &event_id,
            code.as_deref(),
        )?)
    }

    /// Whether an access code is stored for the event (the code is never shown back).
    pub fn has_access_code(&self, event_id: String) -> Result<bool> {
        Ok(sync::has_access_code(self.store(), &event_id)?)
    }

    /// Brings the event up to date from `server_url` (or the server it came from before).
    /// Safe to drop: the content stays at its last committed page.
    pub async fn sync(&self, server_url: Option<String>, event_id: String) -> Result<SyncOutcome> {
        Ok(self.device.sync(server_url, event_id).await?)
    }

    /// The events `server_url` offers to anyone (the event picker); protected ones are not
    /// listed. Nothing is stored: choosing one syncs it.
    pub async fn server_events(&self, server_url: String) -> Result<Vec<ListedEvent>> {
        Ok(self.device.server_events(server_url).await?)
    }

    /// Stops the event's running sync between two pages.
    pub fn cancel_sync(&self, event_id: String) {
        self.device.cancel_sync(&event_id)
    }

    /// The local path of an asset, downloading it first if needed (full-size photos).
    pub async fn asset_file(&self, event_id: String, asset: AssetRef) -> Result<String> {
        Ok(self
            .device
            .asset_file(event_id, asset)
            .await?
            .display()
            .to_string())
    }

    /// The local path of an asset if it is cached; never touches the network.
    pub fn cached_asset_file(&self, sha256: String) -> Result<Option<String>> {
        Ok(self
            .device
            .cached_asset_file(&sha256)?
            .map(|p| p.display().to_string()))
    }

    pub fn subscribe(&self, listener: Arc<dyn UpdateListener>) -> Arc<SubscriptionHandle> {
        let subscription = self.device.subscribe(Box::new(move |update| {
            // A listener's failure is its own: the store and the other listeners carry on.
            let _ignored = listener.on_update(update);
        }));
        Arc::new(SubscriptionHandle(Mutex::new(Some(subscription))))
    }
}
