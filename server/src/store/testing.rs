//! The store's tests run once per engine: a fresh SQLite directory always, and a fresh
//! PostgreSQL database when `MARKTPLATZ_TEST_PG` names a server (then never skipped: a server
//! that cannot be used fails the test).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::Db;
use super::engine::Engine;
use super::scratch::ScratchDatabase;

/// One engine's database for one test, with a data directory (the asset cache on PostgreSQL).
pub struct TestDb {
    pub engine: Engine,
    pub db: Db,
    pub dir: tempfile::TempDir,
    /// Dropped after `db` (fields drop in order): the database goes once nothing uses it.
    pub scratch: Option<ScratchDatabase>,
}

/// A fresh database on each engine available.
pub fn each_engine() -> Vec<TestDb> {
    let mut out = vec![sqlite()];
    if let Some(pg) = postgres() {
        out.push(pg);
    }
    out
}

pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    TestDb {
        engine: Engine::Sqlite,
        db: Db::open(dir.path()).unwrap(),
        dir,
        scratch: None,
    }
}

/// A fresh PostgreSQL database, or `None` when `MARKTPLATZ_TEST_PG` is unset.
pub fn postgres() -> Option<TestDb> {
    let scratch = ScratchDatabase::from_env()?.expect("MARKTPLATZ_TEST_PG is set but unusable");
    let dir = tempfile::tempdir().unwrap();
    Some(TestDb {
        engine: Engine::Postgres,
        db: Db::connect(scratch.url()).unwrap(),
        dir,
        scratch: Some(scratch),
    })
}

impl TestDb {
    /// Another `Db` on the same database: a restarted server, or a second instance.
    pub fn reopen(&self) -> Db {
        match &self.scratch {
            Some(scratch) => Db::connect(scratch.url()).unwrap(),
            None => Db::open(self.dir.path()).unwrap(),
        }
    }
}

/// `event` created in `db` with one change in its log: a track `id`.
pub fn event_with_track(db: &Db, event: &str, id: &str) {
    db.write_blocking(|tx| {
        super::change_log::ensure_event(tx, event)?;
        super::change_log::append(
            tx,
            event,
            &[super::change_log::NewChange {
                kind: marktplatz_model::model::EntityKind::Track,
                id: id.into(),
                body: Some(format!(r#"{{"id":"{id}","name":"Bühne {id}"}}"#)),
            }],
        )
    })
    .unwrap();
}

/// Every read slot of a `Db` taken by reads that wait for [`StuckReads::release`] (or for this
/// to be dropped, also when an assertion fails: a runtime waits for its blocking threads when
/// it ends): a slow store, for what must not wait for it.
pub struct StuckReads {
    back: std::sync::Arc<std::sync::OnceLock<()>>,
    reads: Vec<tokio::task::JoinHandle<super::Result<()>>>,
}

impl StuckReads {
    pub fn take(db: &Db) -> StuckReads {
        let back = std::sync::Arc::new(std::sync::OnceLock::new());
        let reads = (0..32)
            .map(|_| {
                let (db, back) = (db.clone(), back.clone());
                tokio::spawn(async move {
                    db.read(move |_| {
                        back.wait();
                        Ok(())
                    })
                    .await
                })
            })
            .collect();
        StuckReads { back, reads }
    }

    /// Lets the reads finish, and waits for them.
    pub async fn release(mut self) {
        let _ = self.back.set(());
        for read in std::mem::take(&mut self.reads) {
            read.await.unwrap().unwrap();
        }
    }
}

impl Drop for StuckReads {
    fn drop(&mut self) {
        let _ = self.back.set(());
    }
}
