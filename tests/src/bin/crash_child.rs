//! The crash harness's device: syncs, toggles favourites, queues organiser operations and
//! fetches full-size gallery images in a loop until it is killed (or dies at a fail point).
//!
//! It prints one line on stdout per thing the parent must later find intact, always *after*
//! the call returned (and flushes it), and a `*-begin` line before each call, so the parent
//! knows which one may or may not have happened when the kill came:
//!
//! ```text
//! ready
//! fav-begin ID            fav ID added|removed
//! op-begin ID             op ID KEY
//! asset-begin SHA         asset SHA
//! synced CURSOR
//! error MESSAGE           (a call failed; the loop goes on)
//! done                    (ROUNDS rounds finished)
//! ```
//!
//! Usage: `crash_child DEVICE_DIR SERVER_URL EVENT_ID INCARNATION [ROUNDS]` (no ROUNDS: until
//! killed). The parent is `marktplatz_tests::crash`.

use std::io::Write;
use std::process::ExitCode;

use chrono::{TimeZone, Utc};
use marktplatz_core::device::sync_event;
use marktplatz_core::favourites;
use marktplatz_core::favourites::AlertListeners;
use marktplatz_core::favourites::FavouriteKind;
use marktplatz_core::store::{Store, StoredBody};
use marktplatz_core::sync::{AssetCache, CancelToken, Client, SyncOptions};
use marktplatz_model::model::{AssetRef, Entity, EntityKind, Priority};
use marktplatz_model::ops::Op;
use marktplatz_tests::crash::{FULL_ASSET_BUDGET, child_client_config};

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    // The parent reads these to know what must survive; if stdout is gone, so is the parent.
    let _ = writeln!(out, "{line}").and_then(|_| out.flush());
}

struct Child {
    store: Store,
    alerts: AlertListeners,
    cache: AssetCache,
    client: Client,
    server: String,
    event: String,
    incarnation: u64,
}

impl Child {
    fn session_ids(&self) -> marktplatz_core::Result<Vec<String>> {
        self.store.read(|tx| {
            let mut stmt = tx
                .prepare("SELECT id FROM session WHERE event_id = ?1 ORDER BY id")
                .map_err(|e| marktplatz_core::Error::sqlite("listing sessions", e))?;
            let rows = stmt
                .query_map([&self.event], |r| r.get::<_, String>(0))
                .map_err(|e| marktplatz_core::Error::sqlite("listing sessions", e))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| marktplatz_core::Error::sqlite("listing sessions", e))
        })
    }

    /// Full-size gallery images not cached yet (they are fetched only on demand).
    fn full_images(&self) -> marktplatz_core::Result<Vec<AssetRef>> {
        let bodies: Vec<StoredBody> = self.store.read(|tx| {
            let mut stmt = tx
                .prepare("SELECT body FROM gallery_item WHERE event_id = ?1 ORDER BY id")
                .map_err(|e| marktplatz_core::Error::sqlite("listing the gallery", e))?;
            let rows = stmt
                .query_map([&self.event], |r| r.get::<_, StoredBody>(0))
                .map_err(|e| marktplatz_core::Error::sqlite("listing the gallery", e))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| marktplatz_core::Error::sqlite("listing the gallery", e))
        })?;
        let mut out = Vec::new();
        for body in bodies {
            if let Entity::GalleryItem(item) =
                Entity::from_json(EntityKind::GalleryItem, &body.0)
                    .map_err(|e| marktplatz_core::Error::malformed("a stored gallery item", e))?
                && self.cache.get(&self.store, &item.image.sha256)?.is_none()
            {
                out.push(item.image);
            }
        }
        Ok(out)
    }

    async fn round(&self, round: u64) -> marktplatz_core::Result<()> {
        let report = sync_event(
            &self.client,
            &self.store,
            Some(&self.cache),
            &self.alerts,
            &self.server,
            &self.event,
            &SyncOptions::default(),
        )
        .await?;
        say(&format!("synced {}", report.content.cursor));

        let sessions = self.session_ids()?;
        if !sessions.is_empty() {
            let pick = (round.wrapping_mul(7) + self.incarnation.wrapping_mul(13)) as usize;
            let id = &sessions[pick % sessions.len()];
            say(&format!("fav-begin {id}"));
            let added = favourites::toggle_favourite(
                &self.store,
                &self.alerts,
                &self.event,
                FavouriteKind::Session,
                id,
            )?;
            say(&format!(
                "fav {id} {}",
                if added { "added" } else { "removed" }
            ));
        }

        // An operation every third round: enough to keep the outbox busy, and over 10,000 runs
        // the event and the outbox stay a manageable size.
        if round.is_multiple_of(3) {
            self.queue_op(round)?;
        }

        if let Some(image) = self.full_images()?.first() {
            say(&format!("asset-begin {}", image.sha256));
            self.cache
                .fetch(
                    &self.client,
                    &self.store,
                    &self.server,
                    image,
                    &CancelToken::new(),
                )
                .await?;
            say(&format!("asset {}", image.sha256));
        }
        Ok(())
    }

    fn queue_op(&self, round: u64) -> marktplatz_core::Result<()> {
        let id = format!("crash-{}-{round}", self.incarnation);
        say(&format!("op-begin {id}"));
        let entry = self.store.queue_op(
            &self.event,
            Op::AnnouncementCreate {
                id: id.clone(),
                title: format!("Hinweis {id}"),
                body: String::new(),
                priority: Priority::Normal,
                published_at: Utc
                    .with_ymd_and_hms(2027, 3, 4, 8, 0, 0)
                    .single()
                    .unwrap_or_default(),
                expires_at: None,
            },
        )?;
        say(&format!("op {id} {}", entry.key));
        Ok(())
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, server, event, incarnation, rounds) = match args.as_slice() {
        [dir, server, event, inc] => (dir, server, event, inc, None),
        [dir, server, event, inc, rounds] => (dir, server, event, inc, rounds.parse().ok()),
        _ => {
            eprintln!("usage: crash_child DEVICE_DIR SERVER_URL EVENT_ID INCARNATION [ROUNDS]");
            return ExitCode::from(2);
        }
    };
    let setup = || -> marktplatz_core::Result<(Child, tokio::runtime::Runtime)> {
        let store = Store::open(dir)?;
        let cache = AssetCache::new(store.dir(), FULL_ASSET_BUDGET);
        let client = Client::new(child_client_config())?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| marktplatz_core::Error::io("starting a runtime", e))?;
        let child = Child {
            store,
            alerts: AlertListeners::default(),
            cache,
            client,
            server: server.clone(),
            event: event.clone(),
            incarnation: incarnation.parse().unwrap_or(0),
        };
        Ok((child, runtime))
    };
    let (child, runtime) = match setup() {
        Ok(ready) => ready,
        Err(e) => {
            eprintln!("crash_child: {e}");
            return ExitCode::FAILURE;
        }
    };
    for notice in child.store.notices() {
        say(&format!("notice {notice}"));
    }
    say("ready");
    let mut round = 0u64;
    while rounds.is_none_or(|limit: u64| round < limit) {
        if let Err(e) = runtime.block_on(child.round(round)) {
            say(&format!("error {e}"));
        }
        round += 1;
    }
    say("done");
    ExitCode::SUCCESS
}
