//! What every handler and middleware shares.

use std::sync::Arc;

use super::access::Gate;
use super::body::BodyRules;
use super::device_count::DeviceCounter;
use super::long_poll::Waiters;
use super::rate_limit::WriteLimits;
use crate::cache::{Heads, PageCache, SearchIndexes};
use crate::config::Config;
use crate::programme::loaded::{self, Contents};
use crate::store::Db;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// Each event's head, in memory (see `cache::heads`).
    pub heads: Arc<Heads>,
    /// Finished change pages (see `cache::pages`).
    pub pages: Arc<PageCache>,
    /// Who may read a protected event (see `access`).
    pub gate: Arc<Gate>,
    /// Writes and admin requests per address and per token (see `rate_limit`).
    pub limits: Arc<WriteLimits>,
    /// How request bodies are read: size, pace, memory (see `body`).
    pub bodies: Arc<BodyRules>,
    /// Long-polls held now (see `long_poll`).
    pub waiters: Arc<Waiters>,
    /// Distinct devices that polled each event lately, a count only (see `device_count`).
    pub devices: Arc<DeviceCounter>,
    /// Each event's search index at its head, for the web programme (see `cache::search_indexes`).
    pub search: Arc<SearchIndexes>,
    /// Each event's content at its head, for the web programme (see `programme::loaded`).
    pub contents: Arc<Contents>,
}

impl AppState {
    /// What the gate and the front answer from memory (the event's policy and head), and
    /// where the front counts the polls it answers so.
    pub fn reads(&self) -> super::access::ReadState {
        super::access::ReadState {
            gate: self.gate.clone(),
            heads: self.heads.clone(),
            devices: self.devices.clone(),
        }
    }

    /// On PostgreSQL, hears the writes of every instance on the database: the caches learn
    /// of them through the write generation, and the event's long-polls are woken (all of
    /// them after a reconnect). `None` on SQLite.
    pub fn listen_to_other_instances(&self) -> Option<crate::store::changes::Listener> {
        let heads = Arc::downgrade(&self.heads);
        self.db.listen(move |heard| {
            let Some(heads) = heads.upgrade() else {
                return;
            };
            match heard {
                crate::store::changes::Heard::Event(event) => heads.wake(event),
                crate::store::changes::Heard::Everything => heads.wake_all(),
            }
        })
    }

    pub fn new(db: Db, config: Arc<Config>) -> AppState {
        AppState {
            heads: Arc::new(Heads::new(db.clone())),
            gate: Arc::new(Gate::new(db.clone(), &config)),
            limits: Arc::new(WriteLimits::new(
                config.rate_limit_per_ip,
                config.rate_limit_per_token,
            )),
            bodies: Arc::new(BodyRules::new(&config)),
            db,
            config,
            pages: Arc::default(),
            waiters: Arc::default(),
            devices: Arc::default(),
            search: Arc::default(),
            contents: Arc::new(loaded::contents()),
        }
    }
}
