//! The server's database: SQLite (one writer, as SQLite serialises writers anyway, and a pool
//! of readers) or PostgreSQL ([`super::pool`]), all used from blocking threads.
//!
//! Every committed write bumps the file's write generation, shared by every [`Db`] of this
//! process on the same file: what the caches (`crate::cache`) compare to know that something
//! they remember may be stale.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use tokio::sync::Semaphore;

use super::changes::{self, Heard, Listener};
use super::engine::{Engine, Tx};
use super::error::{Result, StoreError};
use super::migrations::{KNOWN, MIGRATIONS};
use super::pool::Pool;

pub const DB_FILE: &str = "marktplatz.db";
const IDLE_READERS: usize = 8;
/// Async reads ([`Db::read`]) running at once; the rest wait without a thread. Unbounded, a
/// crowd (10,000 long-polls woken by one write) took up to tokio's 512 blocking threads, each
/// opening its own SQLite connection, and the allocator kept their memory (issue 19).
const CONCURRENT_READS: usize = IDLE_READERS;
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Backend,
    /// Places for [`Db::read`]s in flight (never closed).
    read_slots: Semaphore,
    /// Bumped after each committed write (shared with every `Db` of this process on the file).
    generation: Arc<AtomicU64>,
}

enum Backend {
    Sqlite {
        path: PathBuf,
        writer: Mutex<Connection>,
        readers: Mutex<Vec<Connection>>,
    },
    Postgres(Box<Pool>),
}

impl Db {
    /// Opens (creating and migrating) the SQLite database in the data directory.
    pub fn open(data_dir: &Path) -> Result<Db> {
        let path = data_dir.join(DB_FILE);
        let open_error = |source| StoreError::Open {
            path: path.clone(),
            source,
        };
        let mut conn = Connection::open(&path).map_err(open_error)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        )
        .map_err(open_error)?;
        migrate(&mut conn, &path)?;
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        Ok(Db::with(
            Backend::Sqlite {
                path,
                writer: Mutex::new(conn),
                readers: Mutex::new(Vec::new()),
            },
            &key.to_string_lossy(),
        ))
    }

    /// The PostgreSQL database at `database` when one is given, else the SQLite database in
    /// `data_dir`.
    pub fn at(data_dir: &Path, database: Option<&str>) -> Result<Db> {
        match database {
            Some(url) => Db::connect(url),
            None => Db::open(data_dir),
        }
    }

    /// Connects to (and migrates) the PostgreSQL database at `url`
    /// (`postgres://user:password@host/db`).
    pub fn connect(url: &str) -> Result<Db> {
        let pool = Pool::connect(url, IDLE_READERS)?;
        let key = pool.label().to_string();
        Ok(Db::with(Backend::Postgres(Box::new(pool)), &key))
    }

    fn with(backend: Backend, key: &str) -> Db {
        Db {
            inner: Arc::new(Inner {
                backend,
                generation: generation_of(key),
                read_slots: Semaphore::new(CONCURRENT_READS),
            }),
        }
    }

    /// Which engine this database runs on.
    pub fn engine(&self) -> Engine {
        match self.inner.backend {
            Backend::Sqlite { .. } => Engine::Sqlite,
            Backend::Postgres(_) => Engine::Postgres,
        }
    }

    /// On PostgreSQL, listens for the changes every instance announces ([`super::changes`]):
    /// each bumps the write generation, then `heard` is called. `None` on SQLite.
    pub fn listen(&self, heard: impl Fn(Heard<'_>) + Send + 'static) -> Option<Listener> {
        match &self.inner.backend {
            Backend::Sqlite { .. } => None,
            Backend::Postgres(pool) => Some(changes::listen(
                pool.config().clone(),
                pool.label().to_string(),
                self.inner.generation.clone(),
                heard,
            )),
        }
    }

    /// Bumped after every committed write through any `Db` of this process on the same file.
    pub fn generation(&self) -> u64 {
        self.inner.generation.load(Ordering::Acquire)
    }

    /// Runs `f` in one write transaction; commits only if it succeeds. On SQLite: IMMEDIATE,
    /// on the one writer. On PostgreSQL: READ COMMITTED, ordered by row locks (ADR 0021).
    pub fn write_blocking<T: Send>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T> + Send,
    ) -> Result<T> {
        let value = match &self.inner.backend {
            Backend::Sqlite { writer, .. } => {
                let mut conn = lock(writer);
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let value = f(&Tx::Sqlite(&tx))?;
                tx.commit()?;
                value
            }
            Backend::Postgres(pool) => pool.write(f)?,
        };
        // After the commit: a value read before this bump is remembered as stale (cache/).
        self.inner.generation.fetch_add(1, Ordering::AcqRel);
        Ok(value)
    }

    /// Runs `f` in a read transaction on a pooled reader (a consistent snapshot).
    pub fn read_blocking<T: Send>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T> + Send) -> Result<T> {
        let (path, readers) = match &self.inner.backend {
            Backend::Sqlite { path, readers, .. } => (path, readers),
            Backend::Postgres(pool) => return pool.read(f),
        };
        let mut conn = match lock(readers).pop() {
            Some(conn) => conn,
            None => open_reader(path)?,
        };
        let result = (|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let value = f(&Tx::Sqlite(&tx))?;
            tx.finish()?;
            Ok(value)
        })();
        let mut idle = lock(readers);
        if idle.len() < IDLE_READERS {
            idle.push(conn);
        }
        result
    }

    /// [`Db::write_blocking`] on a blocking thread.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Tx<'_>) -> Result<T> + Send + 'static,
    {
        let db = self.clone();
        blocking("running a database write", move || db.write_blocking(f)).await?
    }

    /// [`Db::read_blocking`] on a blocking thread.
    pub async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Tx<'_>) -> Result<T> + Send + 'static,
    {
        let _slot = self
            .inner
            .read_slots
            .acquire()
            .await
            .map_err(|e| StoreError::internal("waiting for a database reader", e))?;
        let db = self.clone();
        blocking("running a database read", move || db.read_blocking(f)).await?
    }
}

fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.execute_batch("PRAGMA query_only = ON;")?;
    Ok(conn)
}

/// Runs `f` on a blocking thread (store work must not block the async runtime).
pub async fn blocking<T: Send + 'static>(
    context: &'static str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(move || {
        super::pool::mark_blocking_thread();
        f()
    })
    .await
    .map_err(|e| StoreError::internal(context, e))
}

/// The write generation of one database (its file, or its URL without the password), shared
/// by every [`Db`] of this process on it.
fn generation_of(key: &str) -> Arc<AtomicU64> {
    static DATABASES: OnceLock<Mutex<HashMap<String, Weak<AtomicU64>>>> = OnceLock::new();
    let mut databases = lock(DATABASES.get_or_init(Default::default));
    if let Some(generation) = databases.get(key).and_then(Weak::upgrade) {
        return generation;
    }
    databases.retain(|_, g| g.strong_count() > 0);
    let generation = Arc::new(AtomicU64::new(0));
    databases.insert(key.to_string(), Arc::downgrade(&generation));
    generation
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic mid-transaction drops the Transaction, which rolls back: the connection is fine.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let open_error = |source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    };
    let known = KNOWN;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(open_error)?;
    let found: i64 = tx
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(open_error)?;
    if found > known {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found,
            known,
        });
    }
    for step in MIGRATIONS.iter().skip(found as usize) {
        tx.execute_batch(step.sqlite).map_err(open_error)?;
    }
    tx.pragma_update(None, "user_version", known)
        .map_err(open_error)?;
    tx.commit().map_err(open_error)
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::store::{access, auth, change_log};

    /// A data directory written by the server before access codes (schema v2) opens with its
    /// events public, its change log and tokens untouched.
    #[test]
    fn a_v2_data_directory_opens_with_its_events_public() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
            for step in &MIGRATIONS[..2] {
                conn.execute_batch(step.sqlite).unwrap();
            }
            conn.execute_batch(
                "PRAGMA user_version = 2;
                 INSERT INTO event (id, epoch, head_seq, created_at, updated_at)
                     VALUES ('fair', 'ep1', 7, 1, 1);
                 INSERT INTO token (id, hash, role, event_id, subject, created_at)
                     VALUES ('tok', x'00', 'organiser', 'fair', 'anna', 1);",
            )
            .unwrap();
        }
        let db = Db::open(dir.path()).unwrap();
        let (access, head, tokens) = db
            .read_blocking(|tx| {
                Ok((
                    access::read(tx, "fair")?,
                    change_log::require_head(tx, "fair")?,
                    auth::list(tx, Some("fair"))?,
                ))
            })
            .unwrap();
        assert_eq!(access, Some(access::Access::Public));
        assert_eq!((head.epoch.as_str(), head.seq), ("ep1", 7));
        assert_eq!(tokens.len(), 1);
    }

    /// Codes set by a v3 server (columns of `event`) move to `event_access` unchanged.
    #[test]
    fn a_v3_access_code_survives_the_move_to_its_own_table() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
            for step in &MIGRATIONS[..3] {
                conn.execute_batch(step.sqlite).unwrap();
            }
            conn.execute_batch(
                "PRAGMA user_version = 3;
                 INSERT INTO event (id, epoch, created_at, updated_at, access_salt, access_hash)
                     VALUES ('locked', 'ep1', 1, 1, x'0102', x'0304');
                 INSERT INTO event (id, epoch, created_at, updated_at) VALUES ('open', 'ep2', 1, 1);",
            )
            .unwrap();
        }
        let db = Db::open(dir.path()).unwrap();
        let (locked, open) = db
            .read_blocking(|tx| Ok((access::read(tx, "locked")?, access::read(tx, "open")?)))
            .unwrap();
        assert_eq!(
            locked,
            Some(access::Access::Code {
                salt: vec![1, 2],
                hash: vec![3, 4]
            })
        );
        assert_eq!(open, Some(access::Access::Public));
    }
}
