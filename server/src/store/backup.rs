//! A consistent copy of a data directory while its server runs (`marktplatz backup`).
//!
//! The database goes first, through SQLite's online backup API, in steps of
//! [`PAGES_PER_STEP`] pages, all read from one read transaction held open on the source: in
//! WAL mode that snapshot blocks no writer, and no write made meanwhile can restart the copy.
//! The asset files come second: the copy's `asset` table names them, and every file is renamed
//! into place before its row is written (`blobs`), so each one it names exists. Assets are
//! immutable and named by their hash; each is hashed while it is copied, and a file whose
//! bytes do not match its name is named in the error.
//!
//! The database is written under a temporary name and renamed to [`DB_FILE`] last, so an
//! interrupted backup never looks like a data directory. On any error everything written is
//! removed; the source is only read.

use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use sha2::{Digest, Sha256};

use super::blobs::ASSET_DIR;
use super::db::DB_FILE;

/// Pages copied per step (4 MiB at SQLite's default page size).
pub const PAGES_PER_STEP: i32 = 1024;
const PARTIAL_DB: &str = ".marktplatz.db.partial";
/// How long a step may keep finding the destination busy before the backup gives up.
const BUSY_STEPS: u32 = 500;
const BUSY_PAUSE: Duration = Duration::from_millis(20);

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} is not a marktplatz data directory: it has no {DB_FILE}")]
    NotADataDir(PathBuf),
    #[error("{path} is not a marktplatz server database: {detail}")]
    NotADatabase { path: PathBuf, detail: String },
    #[error("{0} is not empty: back up into a new or empty directory")]
    DestNotEmpty(PathBuf),
    #[error("cannot write the backup to {path}: {source}")]
    Dest {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the disk holding {0} is full; the partial backup was removed")]
    DiskFull(PathBuf),
    #[error("cannot read {path}: {source}")]
    Source {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("copying the database {path} failed: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "corrupt assets in {dir} (their bytes do not hash to their names): {}; nothing was backed up",
        names.join(", ")
    )]
    CorruptAssets { dir: PathBuf, names: Vec<String> },
    #[error(
        "assets named by the database are missing from {dir}: {}; nothing was backed up",
        names.join(", ")
    )]
    MissingAssets { dir: PathBuf, names: Vec<String> },
    #[error("the copy of the database failed its integrity check: {0}")]
    Integrity(String),
}

/// What a backup copied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupReport {
    pub db_bytes: u64,
    pub pages: u64,
    /// Backup steps taken (the source is read at most [`PAGES_PER_STEP`] pages at a time).
    pub steps: u64,
    pub assets: u64,
    pub asset_bytes: u64,
}

/// Copies the data directory `data` (of a running server or not) into `dest`, a new or empty
/// directory; the result is a data directory `marktplatz serve --data DEST` opens.
pub fn backup(data: &Path, dest: &Path) -> Result<BackupReport, BackupError> {
    backup_in_steps(data, dest, PAGES_PER_STEP)
}

/// [`backup`], reading at most `pages_per_step` pages of the database per step.
pub fn backup_in_steps(
    data: &Path,
    dest: &Path,
    pages_per_step: i32,
) -> Result<BackupReport, BackupError> {
    let source_db = data.join(DB_FILE);
    if !source_db.is_file() {
        return Err(BackupError::NotADataDir(data.to_path_buf()));
    }
    let source = open_source(&source_db)?;
    let mut partial = Partial::prepare(dest)?;
    let result = copy_all(&source, &source_db, data, &mut partial, pages_per_step);
    if result.is_ok() {
        partial.keep();
    }
    result
}

fn copy_all(
    source: &Connection,
    source_db: &Path,
    data: &Path,
    partial: &mut Partial,
    pages_per_step: i32,
) -> Result<BackupReport, BackupError> {
    let copy_path = partial.dest.join(PARTIAL_DB);
    let (pages, steps) = copy_database(source, source_db, &copy_path, pages_per_step)?;
    let copy = Connection::open_with_flags(&copy_path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| dest_sqlite(&copy_path, e))?;
    check_integrity(&copy).map_err(|e| dest_sqlite(&copy_path, e))??;
    let names = asset_names(&copy).map_err(|e| dest_sqlite(&copy_path, e))?;
    drop(copy);
    let (assets, asset_bytes) = copy_assets(&data.join(ASSET_DIR), partial, &names)?;
    let db_bytes = std::fs::metadata(&copy_path)
        .map_err(|e| dest_io(&copy_path, e))?
        .len();
    sync_file(&copy_path)?;
    let final_path = partial.dest.join(DB_FILE);
    std::fs::rename(&copy_path, &final_path).map_err(|e| dest_io(&final_path, e))?;
    sync_dir(&partial.dest)?;
    Ok(BackupReport {
        db_bytes,
        pages,
        steps,
        assets,
        asset_bytes,
    })
}

/// The live database, read only by us: no creation, no migration, `query_only`.
fn open_source(path: &Path) -> Result<Connection, BackupError> {
    let not_ours = |detail: String| BackupError::NotADatabase {
        path: path.to_path_buf(),
        detail,
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| not_ours(e.to_string()))?;
    conn.busy_timeout(Duration::from_secs(10))
        .and_then(|()| conn.execute_batch("PRAGMA query_only = ON;"))
        .map_err(|e| not_ours(e.to_string()))?;
    let tables: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('event', 'asset')",
        )
        .and_then(|mut s| s.query_row([], |r| r.get(0)))
        .map_err(|e| not_ours(e.to_string()))?;
    if tables != 2 {
        return Err(not_ours("it has no event and asset tables".into()));
    }
    Ok(conn)
}

/// The whole database as of one snapshot, in steps. Returns (pages, steps).
fn copy_database(
    source: &Connection,
    source_db: &Path,
    copy_path: &Path,
    pages_per_step: i32,
) -> Result<(u64, u64), BackupError> {
    let read_error = |source| BackupError::Sqlite {
        path: source_db.to_path_buf(),
        source,
    };
    // One snapshot for every step: without it each step would take a new read lock, and a
    // write in between would restart the copy from the first page.
    let snapshot = source.unchecked_transaction().map_err(read_error)?;
    snapshot
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(read_error)?;
    let mut copy = Connection::open(copy_path).map_err(|e| dest_sqlite(copy_path, e))?;
    let backup = Backup::new(source, &mut copy).map_err(|e| dest_sqlite(copy_path, e))?;
    let (mut steps, mut busy) = (0u64, 0u32);
    loop {
        steps += 1;
        match backup
            .step(pages_per_step.max(1))
            .map_err(|e| dest_sqlite(copy_path, e))?
        {
            StepResult::Done => break,
            StepResult::More => busy = 0,
            StepResult::Busy | StepResult::Locked => {
                busy += 1;
                if busy > BUSY_STEPS {
                    return Err(dest_sqlite(
                        copy_path,
                        rusqlite::Error::SqliteFailure(
                            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                            Some("the copy stayed locked".into()),
                        ),
                    ));
                }
                std::thread::sleep(BUSY_PAUSE);
            }
            // A step result this build of rusqlite does not know: step again.
            _ => {}
        }
    }
    let pages = backup.progress().pagecount.max(0) as u64;
    drop(backup);
    snapshot.finish().map_err(read_error)?;
    copy.close().map_err(|(_, e)| dest_sqlite(copy_path, e))?;
    Ok((pages, steps))
}

fn check_integrity(copy: &Connection) -> rusqlite::Result<Result<(), BackupError>> {
    let mut stmt = copy.prepare("PRAGMA integrity_check")?;
    let lines = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(match lines.as_slice() {
        [ok] if ok == "ok" => Ok(()),
        _ => Err(BackupError::Integrity(lines.join("; "))),
    })
}

fn asset_names(copy: &Connection) -> rusqlite::Result<Vec<String>> {
    copy.prepare_cached("SELECT sha256 FROM asset ORDER BY sha256")?
        .query_map([], |r| r.get(0))?
        .collect()
}

/// Copies the named assets, each hashed on the way. Returns (files, bytes).
fn copy_assets(
    from: &Path,
    partial: &mut Partial,
    names: &[String],
) -> Result<(u64, u64), BackupError> {
    let to = partial.dest.join(ASSET_DIR);
    std::fs::create_dir(&to).map_err(|e| dest_io(&to, e))?;
    let (mut corrupt, mut missing, mut bytes) = (Vec::new(), Vec::new(), 0u64);
    for name in names {
        match copy_asset(&from.join(name), &to, name)? {
            Copied::Fine(size) => bytes += size,
            Copied::Corrupt => corrupt.push(name.clone()),
            Copied::Missing => missing.push(name.clone()),
        }
    }
    if !corrupt.is_empty() {
        return Err(BackupError::CorruptAssets {
            dir: from.to_path_buf(),
            names: corrupt,
        });
    }
    if !missing.is_empty() {
        return Err(BackupError::MissingAssets {
            dir: from.to_path_buf(),
            names: missing,
        });
    }
    sync_dir(&to)?;
    Ok((names.len() as u64, bytes))
}

enum Copied {
    Fine(u64),
    Corrupt,
    Missing,
}

fn copy_asset(source: &Path, to: &Path, name: &str) -> Result<Copied, BackupError> {
    let source_error = |e| BackupError::Source {
        path: source.to_path_buf(),
        source: e,
    };
    let mut input = match File::open(source) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Copied::Missing),
        Err(e) => return Err(source_error(e)),
    };
    let temp = to.join(format!(".{name}.tmp"));
    let mut output = File::create_new(&temp).map_err(|e| dest_io(&temp, e))?;
    let (mut hasher, mut buf, mut size) = (Sha256::new(), vec![0u8; 64 * 1024], 0u64);
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(source_error(e)),
        };
        hasher.update(&buf[..n]);
        output.write_all(&buf[..n]).map_err(|e| dest_io(&temp, e))?;
        size += n as u64;
    }
    if hex::encode(hasher.finalize()) != name {
        drop(output);
        std::fs::remove_file(&temp).map_err(|e| dest_io(&temp, e))?;
        return Ok(Copied::Corrupt);
    }
    output.sync_all().map_err(|e| dest_io(&temp, e))?;
    let path = to.join(name);
    std::fs::rename(&temp, &path).map_err(|e| dest_io(&path, e))?;
    Ok(Copied::Fine(size))
}

/// The destination while the backup is written: removed again unless [`Partial::keep`] ran.
struct Partial {
    dest: PathBuf,
    /// Whether the backup made the directory itself (then it goes too).
    created: bool,
    keep: bool,
}

impl Partial {
    fn prepare(dest: &Path) -> Result<Partial, BackupError> {
        let created = match std::fs::read_dir(dest) {
            Ok(mut entries) => {
                if entries.next().is_some() {
                    return Err(BackupError::DestNotEmpty(dest.to_path_buf()));
                }
                false
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {
                std::fs::create_dir_all(dest).map_err(|e| dest_io(dest, e))?;
                true
            }
            Err(e) => return Err(dest_io(dest, e)),
        };
        // A clear error for an unwritable destination before any reading starts.
        let probe = dest.join(PARTIAL_DB);
        let partial = Partial {
            dest: dest.to_path_buf(),
            created,
            keep: false,
        };
        File::create_new(&probe).map_err(|e| dest_io(&probe, e))?;
        Ok(partial)
    }

    fn keep(&mut self) {
        self.keep = true;
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        if self.created {
            let _ = std::fs::remove_dir_all(&self.dest);
            return;
        }
        // The directory was empty before: everything in it is ours.
        if let Ok(entries) = std::fs::read_dir(&self.dest) {
            for entry in entries.flatten() {
                let path = entry.path();
                let _ = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
            }
        }
    }
}

fn sync_file(path: &Path) -> Result<(), BackupError> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| dest_io(path, e))
}

fn sync_dir(path: &Path) -> Result<(), BackupError> {
    sync_file(path)
}

fn dest_io(path: &Path, source: std::io::Error) -> BackupError {
    if source.kind() == ErrorKind::StorageFull {
        return BackupError::DiskFull(path.to_path_buf());
    }
    BackupError::Dest {
        path: path.to_path_buf(),
        source,
    }
}

fn dest_sqlite(path: &Path, source: rusqlite::Error) -> BackupError {
    if source.sqlite_error_code() == Some(ErrorCode::DiskFull) {
        return BackupError::DiskFull(path.to_path_buf());
    }
    BackupError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}
