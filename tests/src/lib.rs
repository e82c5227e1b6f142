//! Shared helpers for the end-to-end tests and benchmarks: a real server on 127.0.0.1, a
//! fault-injecting proxy in front of it, and devices with their own store folders.

pub mod bench;
pub mod crash;
pub mod crash_instances;
pub mod fault_proxy;
pub mod fixtures;
pub mod organiser;
pub mod raw_http;
pub mod search_baselines;
pub mod search_eval;
pub mod server_process;
pub mod soak;
pub mod sync_floors;
pub mod synthetic;

use std::path::{Path, PathBuf};
use std::time::Duration;

use marktplatz_core::device::sync_event;
use marktplatz_core::favourites::AlertListeners;
use marktplatz_core::search::SearchCache;
use marktplatz_core::store::Store;
use marktplatz_core::sync::{
    AssetCache, Client, ClientConfig, RetryPolicy, SyncOptions, SyncReport,
};
use marktplatz_model::bundle::Bundle;
use marktplatz_server::store::scratch::ScratchDatabase;
use marktplatz_server::{Admin, Config, RunningServer};

pub use fault_proxy::{Fault, FaultProxy, Traffic};

/// `shared/data` beside the checkout (CI: `<checkout>/../shared/data`), found by walking up from
/// the workspace (a git worktree sits deeper), or `MARKTPLATZ_SHARED_DATA`. Panics with a clear
/// message when missing: CI must have it.
pub fn shared_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("MARKTPLATZ_SHARED_DATA") {
        return PathBuf::from(dir);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    root.ancestors()
        .skip(1)
        .map(|dir| dir.join("shared/data"))
        .find(|dir| dir.is_dir())
        .unwrap_or_else(|| {
            panic!(
                "the real schedule files are missing: expected {} or MARKTPLATZ_SHARED_DATA",
                root.join("../shared/data").display()
            )
        })
}

/// This crate's own data files (query sets, fixture bundles).
pub fn own_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The three real successive publications of 36C3 (day before, day 2, final), imported as
/// bundles of one event `event_id`.
pub fn real_36c3_versions(event_id: &str) -> Vec<Bundle> {
    use marktplatz_import::{ImportOptions, import};
    [
        "36c3-everything.snapshot-2019-12-26T2040.json",
        "36c3-everything.snapshot-2019-12-28T1650.json",
        "36c3-everything.schedule.json",
    ]
    .iter()
    .map(|name| {
        let path = shared_data_dir().join("c3voc-json").join(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let options = ImportOptions {
            event_id: Some(event_id.to_string()),
            timezone: Some("Europe/Berlin".to_string()),
            ..ImportOptions::default()
        };
        import(&bytes, &options)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .bundle
    })
    .collect()
}

/// A server with its data directory, an admin handle on it, and a proxy in front.
pub struct Harness {
    pub root: tempfile::TempDir,
    pub server: RunningServer,
    pub admin: Admin,
    pub proxy: FaultProxy,
    /// The PostgreSQL database the server runs on, when it does (dropped last).
    pub database: Option<ScratchDatabase>,
}

/// Set to `postgres` to run every [`Harness`] on a scratch PostgreSQL database on the server
/// `MARKTPLATZ_TEST_PG` names (ADR 0021) instead of SQLite.
pub const ENGINE_VAR: &str = "MARKTPLATZ_E2E_ENGINE";

/// Whether the harness runs its servers on PostgreSQL ([`ENGINE_VAR`]).
pub fn on_postgres() -> bool {
    std::env::var(ENGINE_VAR).is_ok_and(|v| v == "postgres")
}

/// A fresh PostgreSQL database on the server `MARKTPLATZ_TEST_PG` names; `None` when unset.
/// A server that is named but unusable fails the test.
pub fn scratch_database() -> Option<ScratchDatabase> {
    ScratchDatabase::from_env().map(|made| made.unwrap_or_else(|e| panic!("{e}")))
}

/// What tests use unless they say otherwise: small pages so several pages are exercised.
pub fn test_config(data_dir: &Path) -> Config {
    let mut config = Config::new(
        data_dir,
        "127.0.0.1:0".parse().unwrap_or_else(|_| unreachable!()),
    );
    config.page_limit = 4;
    config
}

impl Harness {
    pub async fn start() -> Harness {
        Harness::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> Harness {
        let database = on_postgres().then(|| {
            scratch_database()
                .unwrap_or_else(|| panic!("{ENGINE_VAR}=postgres needs MARKTPLATZ_TEST_PG"))
        });
        let url = database.as_ref().map(|d| d.url().to_string());
        let mut harness = Harness::start_on(url, adjust).await;
        harness.database = database;
        harness
    }

    /// A server on SQLite whatever [`ENGINE_VAR`] says: for tests of what SQLite itself keeps
    /// (the server's `marktplatz.db`, its asset files, `marktplatz backup`), which run in the
    /// PostgreSQL pass too instead of passing there without checking anything.
    pub async fn start_sqlite() -> Harness {
        Harness::start_on(None, |_| {}).await
    }

    /// [`Harness::start_sqlite`] with the configuration adjusted.
    pub async fn start_sqlite_with(adjust: impl FnOnce(&mut Config)) -> Harness {
        Harness::start_on(None, adjust).await
    }

    /// A server on the PostgreSQL database at `database` (another instance may share it), or
    /// on SQLite in its own data directory.
    pub async fn start_on(database: Option<String>, adjust: impl FnOnce(&mut Config)) -> Harness {
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let data = root.path().join("server");
        let mut config = test_config(&data);
        config.database = database.clone();
        adjust(&mut config);
        let server = marktplatz_server::start(config)
            .await
            .unwrap_or_else(|e| panic!("server: {e}"));
        let admin =
            Admin::open_with(&data, database.as_deref()).unwrap_or_else(|e| panic!("admin: {e}"));
        let proxy = FaultProxy::start(server.addr())
            .await
            .unwrap_or_else(|e| panic!("proxy: {e}"));
        Harness {
            root,
            server,
            admin,
            proxy,
            database: None,
        }
    }

    /// Publishes directly into the data directory (no HTTP), creating the event if new.
    pub fn publish(&self, bundle: &Bundle) -> marktplatz_model::wire::PublishOutcome {
        self.admin
            .publish(bundle.clone())
            .unwrap_or_else(|e| panic!("publish: {} ({})", e.message, e.code))
    }

    /// Syncs `device` while the snapshot page after `cursor` never arrives (reset as often as
    /// the device tries, three times): the sync ends offline with the pages before it
    /// committed, then the network heals.
    pub async fn sync_cut_at(&self, device: &Device, event: &str, cursor: u64) {
        self.proxy
            .inject(&format!("/{cursor}?snapshot"), Fault::Reset, 3);
        let Err(err) = device.sync(&self.url(), event).await else {
            panic!("the sync got past a page that never arrives");
        };
        assert!(
            matches!(err, marktplatz_core::Error::Offline { .. }),
            "{err}"
        );
        let state = marktplatz_core::sync::pull::sync_state(&device.store, event)
            .unwrap_or_else(|e| panic!("sync state: {e}"));
        assert_eq!(state.cursor, cursor, "the pages before it were committed");
        self.proxy.heal();
    }

    pub fn device(&self, name: &str) -> Device {
        Device::open(self.root.path().join(name))
    }

    /// A new admin token (every event; issues and revokes tokens).
    pub fn admin_token(&self) -> marktplatz_server::auth::IssuedToken {
        let spec = marktplatz_server::auth::TokenSpec {
            role: marktplatz_server::auth::Role::Admin,
            event_id: None,
            subject: None,
            expires_in: None,
        };
        self.admin
            .issue_token(&spec)
            .unwrap_or_else(|e| panic!("admin token: {e}"))
    }

    /// The URL devices use: through the proxy.
    pub fn url(&self) -> String {
        self.proxy.url()
    }
}

/// A device: its store folder, store and asset cache, and what the app keeps beside the store
/// (the search's in-memory state, the change alerts' listeners).
pub struct Device {
    pub dir: PathBuf,
    pub store: Store,
    pub search: SearchCache,
    pub alerts: AlertListeners,
    pub cache: AssetCache,
    pub client: Client,
}

/// Timeouts and retries short enough for tests that provoke them.
pub fn fast_client_config() -> ClientConfig {
    ClientConfig {
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_millis(800),
        request_timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(100),
            max_retry_after: Duration::from_secs(2),
        },
        user_agent: None,
    }
}

impl Device {
    pub fn open(dir: PathBuf) -> Device {
        let store = Store::open(&dir).unwrap_or_else(|e| panic!("store: {e}"));
        let cache = AssetCache::new(&dir, 50 * 1024 * 1024);
        let client = Client::new(fast_client_config()).unwrap_or_else(|e| panic!("client: {e}"));
        Device {
            dir,
            store,
            search: SearchCache::default(),
            alerts: AlertListeners::default(),
            cache,
            client,
        }
    }

    pub async fn sync(&self, server: &str, event: &str) -> marktplatz_core::Result<SyncReport> {
        self.sync_with(server, event, &SyncOptions::default()).await
    }

    pub async fn sync_with(
        &self,
        server: &str,
        event: &str,
        options: &SyncOptions,
    ) -> marktplatz_core::Result<SyncReport> {
        sync_event(
            &self.client,
            &self.store,
            Some(&self.cache),
            &self.alerts,
            server,
            event,
            options,
        )
        .await
    }
}
