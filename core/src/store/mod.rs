//! Device storage: `content.db` (a rebuildable cache of the server's content) and `user.db`
//! (the attendee's own data), each with one writer connection and, for content, a pool of
//! readers so a search or an agenda never waits for a sync (WAL).
//!
//! The bottom layer of the device: it imports no feature module. It owns the tables it writes:
//! `content` the content tables and the sync state (`ContentTx`), `entities` where each kind is
//! stored and reading one entity back, `search_index` the search
//! index (kept in step inside each content transaction), `outbox` the organiser's queue (shown
//! over the content by `overlay`); `reads` and `views` are what the screens show, `schema` the
//! migrations, `gate` suspending the store. Features keep their own user.db tables through
//! [`Store::write_user`] and [`Store::read_user`] (`docs/ARCHITECTURE.md`).

mod body;
mod content;
pub mod credentials;
mod deferred_index;
pub(crate) mod dictionary;
mod entities;
pub(crate) mod frames;
mod gate;
pub(crate) mod id_ref;
pub mod outbox;
mod overlay;
mod reads;
pub mod schema;
pub mod search_index;
mod views;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use body::StoredBody;
use content::BulkWrite;
pub(crate) use content::read_sync_state;
pub use content::{AppliedChange, ContentTx, SyncState};
pub use credentials::{CredentialError, CredentialStore, FileCredentials};
/// For readers of a content.db outside a [`Store`] (the crash harness): the bodies' dictionaries
/// must be loaded before its bodies are read as [`StoredBody`].
pub use dictionary::load_all as load_body_dictionaries;
pub(crate) use entities::{read_entity, read_version, table_of};
pub use gate::Gate;
pub(crate) use overlay::Overlay;
pub use views::*;

use crate::error::{Error, Result, SqliteContext};

pub const CONTENT_DB: &str = "content.db";
pub const USER_DB: &str = "user.db";
/// Left beside content.db when damage is found while the store is open (its connections
/// cannot let go of the file then); the next open sets content.db aside and starts afresh.
pub const CONTENT_DAMAGED: &str = "content.db.damaged";
const IDLE_READERS: usize = 4;
/// SQLite's default: the WAL is copied into content.db once it holds this many pages.
const WAL_AUTOCHECKPOINT_PAGES: u32 = 1000;
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Content readers map content.db into memory instead of copying each page with a `pread`
/// call: a freshly started app reads thousands of pages for its first screen, and the copies
/// were half of its time (docs/adr/0010-performance.md). Only address space is reserved; SQLite
/// maps no more than the file's size.
const CONTENT_MMAP_BYTES: u64 = if cfg!(target_pointer_width = "64") {
    256 * 1024 * 1024
} else {
    64 * 1024 * 1024
};

/// The device's store for every event it follows.
pub struct Store {
    dir: PathBuf,
    gate: Gate,
    content_writer: Mutex<Connection>,
    content_readers: Mutex<Vec<Connection>>,
    /// The content writer's automatic checkpoints are off: a first sync is under way.
    checkpoints_deferred: AtomicBool,
    user: Mutex<Connection>,
    notices: Vec<String>,
    /// One outbox push at a time (a connectivity change and a sync may both start one).
    push_lock: tokio::sync::Mutex<()>,
    /// Where secrets (organiser tokens) live, outside the databases.
    credentials: Arc<dyn CredentialStore>,
}

#[derive(Clone, Copy)]
enum Durability {
    /// content.db: losing the last transaction on power loss is fine, it is re-synced.
    Rebuildable,
    /// user.db: every commit must survive power loss.
    Precious,
}

impl Store {
    /// Opens (creating if needed) the store in `dir`, migrating both databases.
    ///
    /// A `content.db` that is not a database any more is moved aside and rebuilt empty (the next
    /// sync refills it). A damaged `user.db` is moved aside too, never deleted, and reported in
    /// [`Store::notices`].
    ///
    /// Secrets go to `credentials.json` (0600) in `dir`: the command line's choice. The apps
    /// pass the platform's store with [`Store::open_with_credentials`].
    pub fn open(dir: impl AsRef<Path>) -> Result<Store> {
        let credentials = FileCredentials::new(dir.as_ref().join(credentials::CREDENTIALS_FILE));
        Store::open_with_credentials(dir, Arc::new(credentials))
    }

    /// Opens the store with secrets in `credentials`. Organiser tokens an older version kept in
    /// `user.db` move there; should it refuse them, they stay (and work) and a notice says so.
    pub fn open_with_credentials(
        dir: impl AsRef<Path>,
        credentials: Arc<dyn CredentialStore>,
    ) -> Result<Store> {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::io(format!("creating the store folder {}", dir.display()), e))?;
        let mut notices = Vec::new();
        let marker = dir.join(CONTENT_DAMAGED);
        if marker.exists() && dir.join(CONTENT_DB).exists() {
            let quarantined = quarantine(&dir.join(CONTENT_DB))?;
            notices.push(format!(
                "{CONTENT_DB} was found damaged and has been set aside as {}; content will be downloaded again",
                quarantined.display()
            ));
        }
        if marker.exists() {
            std::fs::remove_file(&marker)
                .map_err(|e| Error::io(format!("removing {}", marker.display()), e))?;
        }
        let mut content_writer = open_migrated(
            &dir.join(CONTENT_DB),
            &schema::CONTENT,
            Durability::Rebuildable,
            &mut notices,
        )?;
        if let Err(error) = dictionary::load_all(&content_writer)
            .and_then(|()| search_index::ensure_built(&mut content_writer))
        {
            // Building the search index reads every row: damage past the schema shows here, as
            // does a damaged body dictionary.
            if !is_damaged(&error) {
                return Err(error);
            }
            drop(content_writer);
            let quarantined = quarantine(&dir.join(CONTENT_DB))?;
            notices.push(format!(
                "{CONTENT_DB} was damaged and has been set aside as {}; content will be downloaded again",
                quarantined.display()
            ));
            content_writer = open_migrated(
                &dir.join(CONTENT_DB),
                &schema::CONTENT,
                Durability::Rebuildable,
                &mut notices,
            )?;
            dictionary::load_all(&content_writer)?;
            search_index::ensure_built(&mut content_writer)?;
        }
        let mut user = open_migrated(
            &dir.join(USER_DB),
            &schema::USER,
            Durability::Precious,
            &mut notices,
        )?;
        if let Err(refused) = credentials::move_tokens_out_of_user_db(&mut user, &*credentials)? {
            notices.push(format!(
                "organiser tokens stay in {USER_DB} for now: {refused}"
            ));
        }
        Ok(Store {
            dir,
            gate: Gate::default(),
            content_writer: Mutex::new(content_writer),
            content_readers: Mutex::new(Vec::new()),
            checkpoints_deferred: AtomicBool::new(false),
            user: Mutex::new(user),
            notices,
            push_lock: tokio::sync::Mutex::new(()),
            credentials,
        })
    }

    /// Where secrets live (see [`credentials`]).
    pub(crate) fn credentials(&self) -> &dyn CredentialStore {
        &*self.credentials
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Things the user should know about that happened while opening (files quarantined).
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    pub fn gate(&self) -> &Gate {
        &self.gate
    }

    pub(crate) fn push_lock(&self) -> &tokio::sync::Mutex<()> {
        &self.push_lock
    }

    /// Runs `f` in a read transaction on a pooled reader: a consistent snapshot that never waits
    /// for the writer.
    pub fn read<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let _pass = self.gate.enter()?;
        let mut conn = self.take_reader()?;
        let result = read_on(&mut conn, "a read", f);
        self.return_reader(conn);
        self.note_content_damage(result)
    }

    /// Runs `f` in one IMMEDIATE write transaction on content.db; commits only if `f` succeeds.
    pub fn write_content<T>(&self, f: impl FnOnce(&mut ContentTx<'_>) -> Result<T>) -> Result<T> {
        let _pass = self.gate.enter()?;
        let mut conn = lock(&self.content_writer);
        let result = (|| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .context("starting a content write")?;
            let mut content = ContentTx::new(tx);
            let value = f(&mut content)?;
            let bulk = content.commit()?;
            self.pace_checkpoints(&conn, bulk)?;
            Ok(value)
        })();
        self.note_content_damage(result)
    }

    /// A first sync's pages write to the WAL without automatic checkpoints; its last page
    /// copies the WAL into content.db once. A checkpoint every 1,000 pages copied the random
    /// index pages each page had touched again and again (a 20,000-entity first sync dirties
    /// 40 MB; docs/adr/0010-performance.md). Any other write turns them back on, so a first
    /// sync cut short leaves the WAL to grow only until the next write.
    fn pace_checkpoints(&self, conn: &Connection, bulk: BulkWrite) -> Result<()> {
        let deferred = self.checkpoints_deferred.load(Ordering::Relaxed);
        match bulk {
            BulkWrite::Continues if !deferred => {
                conn.execute_batch("PRAGMA wal_autocheckpoint = 0")
                    .context("deferring checkpoints")?;
                self.checkpoints_deferred.store(true, Ordering::Relaxed);
            }
            BulkWrite::Ended | BulkWrite::No if deferred => {
                conn.execute_batch(&format!(
                    "PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}"
                ))
                .context("resuming checkpoints")?;
                self.checkpoints_deferred.store(false, Ordering::Relaxed);
                if bulk == BulkWrite::Ended {
                    // Now, not in the next write (a one-change delta must stay quick).
                    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                        .context("checkpointing a first sync")?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// content.db turned out damaged while in use: leave the marker so the next open sets it
    /// aside (it is only a cache of the server), and say so in the error.
    /// [`Store::read`] for a read that scans most of content.db once (loading search's
    /// in-memory state): its pages are copied instead of mapped. Every page a mapped read
    /// touches stays in the process's resident memory while the reader lives, with its
    /// neighbours (the kernel maps them around each fault): after a first sync such a scan
    /// made the whole file resident (docs/adr/0010-performance.md).
    pub fn read_scan<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let _pass = self.gate.enter()?;
        let mut conn = self.take_reader()?;
        let result = conn
            .execute_batch("PRAGMA mmap_size = 0")
            .context("configuring a reader")
            .and_then(|()| read_on(&mut conn, "a read", f));
        // A reader that cannot map again is not pooled: the next one is opened afresh.
        if conn
            .execute_batch(&format!("PRAGMA mmap_size = {CONTENT_MMAP_BYTES}"))
            .is_ok()
        {
            self.return_reader(conn);
        }
        self.note_content_damage(result)
    }

    fn note_content_damage<T>(&self, result: Result<T>) -> Result<T> {
        match result {
            Err(error) if is_damaged(&error) => {
                let path = self.dir.join(CONTENT_DB);
                let message = match std::fs::write(
                    self.dir.join(CONTENT_DAMAGED),
                    error.to_string(),
                ) {
                    Ok(()) => format!(
                        "{error}; it will be set aside and downloaded again when the app next starts"
                    ),
                    // Without the marker the next open still finds the damage when it reads.
                    Err(io) => format!("{error} (and marking it for repair failed: {io})"),
                };
                Err(Error::Corrupt { path, message })
            }
            other => other,
        }
    }

    /// Runs `f` on user.db in one IMMEDIATE transaction (commits only if `f` succeeds).
    pub fn write_user<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let _pass = self.gate.enter()?;
        let mut conn = lock(&self.user);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context("starting a user write")?;
        let value = f(&tx)?;
        tx.commit().context("saving to user.db")?;
        Ok(value)
    }

    /// Reads user.db (small and local: one connection serves reads and writes).
    pub fn read_user<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let _pass = self.gate.enter()?;
        read_on(&mut lock(&self.user), "a user read", f)
    }

    /// Returns once no transaction is open; until `resume`, store calls fail with `Suspended`.
    pub fn suspend(&self) {
        self.gate.suspend();
        // Idle readers hold no locks in WAL mode, but closing them frees their memory too.
        lock(&self.content_readers).clear();
    }

    pub fn resume(&self) {
        self.gate.resume();
    }

    fn take_reader(&self) -> Result<Connection> {
        if let Some(conn) = lock(&self.content_readers).pop() {
            return Ok(conn);
        }
        let path = self.dir.join(CONTENT_DB);
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .context("opening a content reader")?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .context("configuring a reader")?;
        conn.execute_batch(&format!(
            "PRAGMA query_only = ON; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = {CONTENT_MMAP_BYTES};"
        ))
        .context("configuring a reader")?;
        keep_plans(&conn).context("configuring a reader")?;
        Ok(conn)
    }

    fn return_reader(&self, conn: Connection) {
        let mut idle = lock(&self.content_readers);
        if idle.len() < IDLE_READERS && !self.gate.is_suspended() {
            idle.push(conn);
        }
    }
}

/// Runs `f` in a read transaction on `conn`; `what` names it in errors ("a read").
fn read_on<T>(
    conn: &mut Connection,
    what: &str,
    f: impl FnOnce(&Transaction<'_>) -> Result<T>,
) -> Result<T> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Deferred)
        .map_err(|e| Error::sqlite(&format!("starting {what}"), e))?;
    let value = f(&tx)?;
    tx.finish()
        .map_err(|e| Error::sqlite(&format!("finishing {what}"), e))?;
    Ok(value)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a connection leaves at worst an open transaction, which rusqlite
    // rolls back when the Transaction is dropped; the connection itself stays usable.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn open_migrated(
    path: &Path,
    schema: &schema::Schema,
    durability: Durability,
    notices: &mut Vec<String>,
) -> Result<Connection> {
    match open_and_migrate(path, schema, durability).map_err(|e| explain_io_error(path, e)) {
        Err(error) if is_damaged(&error) => {
            let quarantined = quarantine(path)?;
            notices.push(match durability {
                Durability::Rebuildable => format!(
                    "{} was damaged and has been set aside as {}; content will be downloaded again",
                    schema.name,
                    quarantined.display()
                ),
                Durability::Precious => format!(
                    "{} was damaged and has been set aside as {} (kept for recovery); starting with empty favourites",
                    schema.name,
                    quarantined.display()
                ),
            });
            open_and_migrate(path, schema, durability)
        }
        other => other,
    }
}

fn open_and_migrate(
    path: &Path,
    schema: &schema::Schema,
    durability: Durability,
) -> Result<Connection> {
    let mut conn = Connection::open(path)
        .map_err(|source| Error::sqlite(&format!("opening {}", path.display()), source))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .context("configuring the writer")?;
    keep_plans(&conn).context("configuring the writer")?;
    let synchronous = match durability {
        Durability::Rebuildable => "NORMAL",
        Durability::Precious => "FULL",
    };
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; PRAGMA temp_store = MEMORY;"
    ))
    .map_err(|source| classify_open_error(path, source))?;
    deferred_index::restore_at_open(&mut conn)?;
    schema::migrate(&mut conn, schema)?;
    Ok(conn)
}

/// Cached statements keep the plan they were prepared with, whatever is bound later (SQLite's
/// query planner stability guarantee). Without it SQLite prepares a statement again each time a
/// new value is bound to a `LIMIT ?`, a `LIKE ?` or a `json_each(?)` (the session lists by id
/// the agenda and every search hit's day and place read): parsing and planning on every read.
/// No plan of ours depends on a bound value (no `LIKE`, no `ANALYZE` statistics).
pub(crate) fn keep_plans(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

/// SQLite reports a full disk while opening (no room for the WAL index) as a plain I/O error.
/// When opening fails that way, a small write beside the database tells a full disk apart.
fn explain_io_error(path: &Path, error: Error) -> Error {
    use rusqlite::ffi::ErrorCode;
    let Error::Sqlite { source, .. } = &error else {
        return error;
    };
    if source.sqlite_error_code() != Some(ErrorCode::SystemIoFailure) {
        return error;
    }
    let probe = path.with_extension("space-probe");
    let written = std::fs::write(&probe, [0u8; 64 * 1024]);
    let _ = std::fs::remove_file(&probe);
    match written.map_err(|io| Error::io(format!("opening {}", path.display()), io)) {
        Err(full @ Error::DiskFull(_)) => full,
        _ => error,
    }
}

fn classify_open_error(path: &Path, source: rusqlite::Error) -> Error {
    use rusqlite::ffi::ErrorCode;
    match source.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => Error::Corrupt {
            path: path.to_path_buf(),
            message: source.to_string(),
        },
        _ => Error::sqlite(&format!("opening {}", path.display()), source),
    }
}

fn is_damaged(error: &Error) -> bool {
    use rusqlite::ffi::ErrorCode;
    match error {
        Error::Corrupt { .. } => true,
        Error::Sqlite { source, .. } => matches!(
            source.sqlite_error_code(),
            Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt)
        ),
        _ => false,
    }
}

/// Moves a damaged database (and its WAL files) aside with a timestamp; nothing is deleted.
fn quarantine(path: &Path) -> Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%3f");
    let target = path.with_extension(format!("db.damaged-{stamp}"));
    std::fs::rename(path, &target)
        .map_err(|e| Error::io(format!("setting aside damaged {}", path.display()), e))?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        if side.exists() {
            let side_target = PathBuf::from(format!("{}{suffix}", target.display()));
            std::fs::rename(&side, &side_target)
                .map_err(|e| Error::io(format!("setting aside {}", side.display()), e))?;
        }
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A cached statement whose plan SQLite would otherwise redo for each new value bound to it
    /// (`json_each(?)`, as the session lists by id use it; `LIMIT ?`) is prepared once, on the
    /// readers as on the writer.
    #[test]
    fn cached_statements_are_not_prepared_again_for_each_new_binding() {
        const BY_IDS: &str = "SELECT count(*) FROM session
            WHERE event_id = ?1 AND id IN (SELECT value FROM json_each(?2)) LIMIT ?3";
        fn reprepared(conn: &Connection) -> i32 {
            for (ids, limit) in [(r#"["a"]"#, 1), (r#"["b","c"]"#, 5), ("[]", 50)] {
                conn.prepare_cached(BY_IDS)
                    .unwrap()
                    .query_row(rusqlite::params!["e", ids, limit], |r| r.get::<_, i64>(0))
                    .unwrap();
            }
            conn.prepare_cached(BY_IDS)
                .unwrap()
                .get_status(rusqlite::StatementStatus::RePrepare)
        }
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.read(|tx| Ok(reprepared(tx))).unwrap(), 0, "a reader");
        assert_eq!(reprepared(&lock(&store.content_writer)), 0, "the writer");
    }

    fn autocheckpoint(store: &Store) -> i64 {
        lock(&store.content_writer)
            .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
            .unwrap()
    }

    /// A first sync's pages leave checkpoints off; its end, or any other write (a first sync
    /// cut short), turns them back on, so the WAL does not grow for good.
    #[test]
    fn a_first_sync_defers_checkpoints_until_its_end_or_the_next_other_write() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(autocheckpoint(&store), i64::from(WAL_AUTOCHECKPOINT_PAGES));

        let first_page = |tx: &mut ContentTx<'_>| {
            tx.defer_derived();
            Ok(())
        };
        store.write_content(first_page).unwrap();
        assert_eq!(autocheckpoint(&store), 0, "a page that more pages follow");
        store.write_content(first_page).unwrap();
        assert_eq!(autocheckpoint(&store), 0);
        store.write_content(|_| Ok(())).unwrap();
        assert_eq!(
            autocheckpoint(&store),
            i64::from(WAL_AUTOCHECKPOINT_PAGES),
            "another write after a first sync cut short"
        );

        store.write_content(first_page).unwrap();
        assert_eq!(autocheckpoint(&store), 0);
        store
            .write_content(|tx| {
                tx.defer_derived();
                tx.build_derived("mp-nordwest")
            })
            .unwrap();
        assert_eq!(
            autocheckpoint(&store),
            i64::from(WAL_AUTOCHECKPOINT_PAGES),
            "the last page"
        );
    }
}
