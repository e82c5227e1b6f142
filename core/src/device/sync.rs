//! The device's sync: [`crate::sync::sync_event`] with what the device keeps beside the content
//! hooked in through [`PullHooks`]: the favourites' change alerts (recorded inside each page's
//! transaction, listeners told once it committed, reconciled after a re-bootstrap) and the
//! organiser's outbox (operations the pulled content now has are done).

use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Result;
use crate::favourites::{self, AlertListeners};
use crate::store::outbox::delivery::settle;
use crate::store::{AppliedChange, ContentTx, Store};
use crate::sync::pull::AppliedPage;
use crate::sync::{AssetCache, Client, PullHooks, SyncOptions, SyncReport};

/// Syncs an event the way the apps do: [`crate::sync::sync_event`] with the change alerts
/// (told to `alerts`) and the outbox's bookkeeping hooked in.
pub async fn sync_event(
    client: &Client,
    store: &Store,
    cache: Option<&AssetCache>,
    alerts: &AlertListeners,
    server_url: &str,
    event_id: &str,
    options: &SyncOptions,
) -> Result<SyncReport> {
    let hooks = DeviceHooks::new(store, alerts);
    crate::sync::sync_event(client, store, cache, server_url, event_id, options, &hooks).await
}

/// The alerts and the outbox, following a pull page by page.
pub struct DeviceHooks<'a> {
    store: &'a Store,
    alerts: &'a AlertListeners,
    /// Alerts the page being applied opened, changed or dissolved.
    changed: AtomicU64,
}

impl<'a> DeviceHooks<'a> {
    pub fn new(store: &'a Store, alerts: &'a AlertListeners) -> DeviceHooks<'a> {
        DeviceHooks {
            store,
            alerts,
            changed: AtomicU64::new(0),
        }
    }
}

impl PullHooks for DeviceHooks<'_> {
    /// Records the page's change alerts in user.db (idempotent: a page applied again after a
    /// crash finds nothing new). Listeners are told only once the page committed.
    fn applying(
        &self,
        _tx: &mut ContentTx<'_>,
        event_id: &str,
        changes: &[AppliedChange],
    ) -> Result<()> {
        let recorded = favourites::record_change_alerts(self.store, event_id, changes)?;
        self.changed
            .fetch_add(u64::from(recorded.changed), Ordering::Relaxed);
        Ok(())
    }

    /// The organiser's operations this page brought are done; alert listeners hear of changes.
    fn committed(&self, event_id: &str, page: &AppliedPage) -> Result<()> {
        settle(self.store, event_id, page.cursor)?;
        if self.changed.swap(0, Ordering::Relaxed) > 0 {
            favourites::notify_alerts(self.store, self.alerts, event_id)?;
        }
        Ok(())
    }

    /// Favourites whose sessions vanished while the history was reset get their alerts.
    fn rebuilt(&self, event_id: &str) -> Result<()> {
        favourites::reconcile_favourites(self.store, self.alerts, event_id)?;
        Ok(())
    }
}
