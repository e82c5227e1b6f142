//! The server's PostgreSQL database (ADR 0021): one writer connection per process (writes of
//! this process queue as on SQLite; other instances are ordered by row locks) and a pool of
//! readers, all used from blocking threads. A connection the server closed is replaced on its
//! next use. Migrations run once, under an advisory lock, when the pool is made.

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use postgres::{Config, NoTls};

use super::engine::Tx;
use super::engine::postgres::Conn;
use super::error::{Result, StoreError};
use super::migrations::{KNOWN, MIGRATIONS};

/// Any constant shared by every instance: the key of the lock migrations run under.
const MIGRATION_LOCK: i64 = 0x6d61_726b_7470_6c7a; // "marktplz"
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

thread_local! {
    /// Set on tokio's blocking threads the store runs on ([`super::blocking`]).
    static BLOCKING_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// Marks this thread as one of tokio's blocking threads: the client may block here.
pub fn mark_blocking_thread() {
    BLOCKING_THREAD.with(|b| b.set(true));
}

/// Runs `work` where the blocking client may block: here, on a thread without a runtime or a
/// blocking thread; else (an async caller, a test's runtime) on a thread of its own, since the
/// client's own runtime cannot start inside another.
pub fn off_runtime<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    if BLOCKING_THREAD.with(Cell::get) || tokio::runtime::Handle::try_current().is_err() {
        return work();
    }
    std::thread::scope(|scope| {
        scope
            .spawn(work)
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

pub struct Pool {
    config: Config,
    /// The database named without its password (errors, logs, the generation's key).
    label: String,
    writer: Mutex<Option<Conn>>,
    readers: Mutex<Vec<Conn>>,
    idle_readers: usize,
}

impl Pool {
    /// Connects to `url` and brings its schema up to this build's.
    pub fn connect(url: &str, idle_readers: usize) -> Result<Pool> {
        off_runtime(|| Pool::connect_here(url, idle_readers))
    }

    fn connect_here(url: &str, idle_readers: usize) -> Result<Pool> {
        let mut config: Config = url.parse().map_err(|e| StoreError::Database {
            database: "given with --database".into(),
            detail: format!(
                "the URL is not valid ({e}); write it as postgres://user:password@host/database"
            ),
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let pool = Pool {
            label: label_of(&config),
            config,
            writer: Mutex::new(None),
            readers: Mutex::new(Vec::new()),
            idle_readers,
        };
        let mut conn = pool.open()?;
        migrate(&mut conn, &pool.label)?;
        *lock(&pool.writer) = Some(conn);
        Ok(pool)
    }

    /// How to connect (the change listener opens its own connection).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// `postgres://user@host:port/database`, never the password.
    pub fn label(&self) -> &str {
        &self.label
    }

    fn open(&self) -> Result<Conn> {
        let client = self
            .config
            .connect(NoTls)
            .map_err(|e| database_error(&self.label, &e))?;
        Ok(Conn::new(client))
    }

    pub fn write<T: Send>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T> + Send) -> Result<T> {
        off_runtime(|| self.write_here(f))
    }

    fn write_here<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let mut writer = lock(&self.writer);
        if writer.as_ref().is_none_or(Conn::is_closed) {
            *writer = Some(self.open()?);
        }
        let conn = writer
            .as_mut()
            .ok_or_else(|| StoreError::internal("opening the database writer", "no connection"))?;
        run(conn, true, f)
    }

    pub fn read<T: Send>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T> + Send) -> Result<T> {
        off_runtime(|| self.read_here(f))
    }

    fn read_here<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let idle = lock(&self.readers).pop();
        let mut conn = match idle {
            Some(conn) if !conn.is_closed() => conn,
            _ => self.open()?,
        };
        let result = run(&mut conn, false, f);
        let mut idle = lock(&self.readers);
        if idle.len() < self.idle_readers && !conn.is_closed() {
            idle.push(conn);
        }
        result
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Closing a connection blocks on the client's runtime: off any async thread too.
        let writer = lock(&self.writer).take();
        let readers = std::mem::take(&mut *lock(&self.readers));
        off_runtime(move || drop((writer, readers)));
    }
}

/// Runs `f` in one transaction on `conn`; commits only if it succeeds (dropping the
/// transaction rolls it back).
fn run<T>(conn: &mut Conn, write: bool, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
    let tx = Tx::Postgres(RefCell::new(conn.begin(write)?));
    let value = f(&tx)?;
    if let Tx::Postgres(session) = tx {
        session.into_inner().commit()?;
    }
    Ok(value)
}

fn migrate(conn: &mut Conn, label: &str) -> Result<()> {
    let failed = |e: postgres::Error| database_error(label, &e);
    let mut tx = conn.client().transaction().map_err(failed)?;
    // Two instances starting at once: the second waits here, then finds the schema current.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(failed)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
        .map_err(failed)?;
    let found: Option<i64> = tx
        .query_one("SELECT max(version) FROM schema_version", &[])
        .and_then(|row| row.try_get(0))
        .map_err(failed)?;
    let found = found.unwrap_or(0);
    if found > KNOWN {
        return Err(StoreError::Newer {
            path: PathBuf::from(label),
            found,
            known: KNOWN,
        });
    }
    if found == KNOWN {
        return tx.commit().map_err(failed);
    }
    for step in MIGRATIONS.iter().skip(usize::try_from(found).unwrap_or(0)) {
        if let Some(sql) = step.postgres {
            tx.batch_execute(sql).map_err(failed)?;
        }
    }
    tx.execute("DELETE FROM schema_version", &[])
        .map_err(failed)?;
    tx.execute(
        "INSERT INTO schema_version (version) VALUES ($1)",
        &[&KNOWN],
    )
    .map_err(failed)?;
    tx.commit().map_err(failed)
}

/// What went wrong with the database, said with the server's own message when it sent one
/// (a refused password, an unknown database).
fn database_error(label: &str, error: &postgres::Error) -> StoreError {
    let detail = match error.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => match std::error::Error::source(error) {
            Some(cause) => format!("{error}: {cause}"),
            None => error.to_string(),
        },
    };
    StoreError::Database {
        database: label.to_string(),
        detail,
    }
}

fn label_of(config: &Config) -> String {
    use postgres::config::Host;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(host)) => host.clone(),
        Some(Host::Unix(path)) => path.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "postgres://{}@{host}:{port}/{}",
        config.get_user().unwrap_or(""),
        config.get_dbname().unwrap_or("")
    )
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic mid-transaction drops the transaction, which rolls back: the connection is fine.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
