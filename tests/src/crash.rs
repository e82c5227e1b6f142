//! The crash harness: a child process (`crash_child`) syncs, toggles favourites, queues
//! organiser operations and downloads full-size images against a real server, and is killed
//! again and again — with SIGKILL at a seeded random moment, or by aborting itself at a named
//! fail point (`marktplatz_core::failpoint`). After every kill the harness opens the device's
//! files itself and checks the invariants; at the end a clean run drains everything and the
//! device must equal the server. Design and what each check proves: `docs/adr/0007-reliability.md`.
//!
//! Between runs (never during one) a new version of the event is published, so every run has
//! pages to apply and a new full-size image to fetch; the child's own organiser operations
//! change the server during runs too.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use marktplatz_core::device::sync_event;
use marktplatz_core::favourites;
use marktplatz_core::favourites::AlertListeners;
use marktplatz_core::favourites::FavouriteKind;
use marktplatz_core::store::{Store, StoredBody};
use marktplatz_core::sync;
use marktplatz_core::sync::{
    AssetCache, Client, ClientConfig, OpState, PushOptions, RetryPolicy, SyncOptions, push,
};
use marktplatz_model::assets::sha256_hex;
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{Entity, EntityKind, GalleryItem};
use marktplatz_server::{Admin, RunningServer};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

pub const EVENT: &str = "crash-fair";
/// The child's asset cache budget: large enough that nothing it checks is evicted mid-run.
pub const FULL_ASSET_BUDGET: u64 = 64 * 1024 * 1024;
const FULL_IMAGE_BYTES: usize = 120_000;
/// Every this many runs, a publication leaves the operations' announcements out (removing them).
const RETIRE_EVERY: u64 = 50;
const THUMB_BYTES: usize = 3_000;

/// The child's HTTP settings: a local server, so short timeouts and few retries.
pub fn child_client_config() -> ClientConfig {
    ClientConfig {
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(10),
        retry: RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            max_retry_after: Duration::from_secs(1),
        },
        user_agent: None,
    }
}

#[derive(Clone, Debug)]
pub struct CrashConfig {
    pub kills: usize,
    pub seed: u64,
    /// Random kills come within this long after the child starts.
    pub max_delay: Duration,
    /// Out of 10 runs, how many end at a fail point (the rest by a random SIGKILL).
    pub failpoint_share: u64,
    pub sessions: usize,
    pub child: PathBuf,
    /// Print a line per run.
    pub verbose: bool,
}

impl CrashConfig {
    pub fn new(kills: usize, seed: u64, child: PathBuf) -> CrashConfig {
        CrashConfig {
            kills,
            seed,
            max_delay: Duration::from_millis(250),
            failpoint_share: 5,
            sessions: 16,
            child,
            verbose: false,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct CrashReport {
    pub seed: u64,
    pub runs: usize,
    pub random_kills: usize,
    pub failpoint_kills: BTreeMap<String, usize>,
    /// Runs whose fail point was not reached in time (then killed by SIGKILL instead).
    pub failpoint_missed: usize,
    pub checks_passed: usize,
    /// Checks where the cursor was a head the harness had recorded, compared entity by entity.
    pub exact_snapshot_matches: usize,
    pub favourites_acked: usize,
    pub ops_acked: usize,
    pub assets_verified: usize,
    pub pages_ahead_of_start: usize,
    pub versions_published: usize,
    pub ops_applied: u64,
    pub final_head: u64,
    pub elapsed: Duration,
}

impl fmt::Display for CrashReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at_points: usize = self.failpoint_kills.values().sum();
        writeln!(
            f,
            "crash harness: seed {}, {} runs, {} versions published",
            self.seed, self.runs, self.versions_published
        )?;
        writeln!(
            f,
            "  kills survived: {}/{} ({} random SIGKILL, {} at fail points, {} fail points not reached then SIGKILL)",
            self.checks_passed, self.runs, self.random_kills, at_points, self.failpoint_missed
        )?;
        for (name, count) in &self.failpoint_kills {
            writeln!(f, "    {name}: {count}")?;
        }
        writeln!(
            f,
            "  invariants after every kill: integrity_check ok (content.db, user.db); no entity newer than the cursor; every server entity up to the cursor present and equal; {} kills left the cursor at a head, where the content was compared whole with the server's state at that head",
            self.exact_snapshot_matches
        )?;
        writeln!(
            f,
            "  acknowledged and found after the kill: {} favourite toggles, {} outbox entries; {} downloaded files re-hashed, none wrong",
            self.favourites_acked, self.ops_acked, self.assets_verified
        )?;
        writeln!(
            f,
            "  exactly once: {} organiser operations applied = {} stored results = outbox entries, none rejected",
            self.ops_applied, self.ops_applied
        )?;
        writeln!(
            f,
            "  final: device cursor = server head {}, content equal, outbox drained",
            self.final_head
        )?;
        write!(f, "  elapsed: {:.1} s", self.elapsed.as_secs_f64())
    }
}

/// A small deterministic generator (xorshift64*): the whole run follows from the seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
}

/// Deterministic incompressible bytes (stand-ins for photos).
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        out.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    out.truncate(len);
    out
}

/// (kind, id) → body, as JSON values (bodies are compared by meaning, not by bytes).
pub type Contents = BTreeMap<(String, String), serde_json::Value>;

/// The server's rows of the event: (kind, id) → (seq, body; `None` for a tombstone).
pub struct ServerState {
    pub epoch: String,
    pub head: u64,
    pub rows: BTreeMap<(String, String), (u64, Option<serde_json::Value>)>,
    pub op_results: u64,
}

impl ServerState {
    pub fn live(&self) -> Contents {
        self.rows
            .iter()
            .filter_map(|(key, (_, body))| body.clone().map(|b| (key.clone(), b)))
            .collect()
    }
}

pub struct DeviceState {
    pub epoch: Option<String>,
    pub cursor: u64,
    /// (kind, id) → (version, body)
    pub rows: BTreeMap<(String, String), (Option<u64>, serde_json::Value)>,
}

impl DeviceState {
    pub fn contents(&self) -> Contents {
        self.rows
            .iter()
            .map(|(k, (_, body))| (k.clone(), body.clone()))
            .collect()
    }
}

fn json(text: &str, what: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(text).map_err(|e| format!("{what} is not JSON: {e}"))
}

fn sql<T>(result: rusqlite::Result<T>, what: &str) -> Result<T, String> {
    result.map_err(|e| format!("{what}: {e}"))
}

/// The event's rows in the server's database (read-only; safe while it runs).
pub fn read_server(db: &Path, event: &str) -> Result<ServerState, String> {
    let conn = sql(
        Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY),
        "opening the server db",
    )?;
    sql(
        conn.busy_timeout(Duration::from_secs(10)),
        "configuring the server db",
    )?;
    let tx = sql(conn.unchecked_transaction(), "reading the server")?;
    let (epoch, head): (String, i64) = sql(
        tx.query_row(
            "SELECT epoch, head_seq FROM event WHERE id = ?1",
            [event],
            |r| Ok((r.get(0)?, r.get(1)?)),
        ),
        "reading the server's head",
    )?;
    let mut rows = BTreeMap::new();
    let mut stmt = sql(
        tx.prepare("SELECT kind, id, seq, body FROM entity WHERE event_id = ?1"),
        "reading server entities",
    )?;
    let found = sql(
        stmt.query_map([event], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        }),
        "reading server entities",
    )?;
    for row in found {
        let (kind, id, seq, body) = sql(row, "reading a server entity")?;
        let body = match body {
            Some(text) => Some(json(&text, "a server body")?),
            None => None,
        };
        rows.insert((kind, id), (seq as u64, body));
    }
    drop(stmt);
    let op_results: i64 = sql(
        tx.query_row(
            "SELECT count(*) FROM op_result WHERE event_id = ?1",
            [event],
            |r| r.get(0),
        ),
        "counting stored operation results",
    )?;
    Ok(ServerState {
        epoch,
        head: head as u64,
        rows,
        op_results: op_results as u64,
    })
}

pub fn integrity_ok(path: &Path) -> Result<(), String> {
    let conn = sql(
        Connection::open(path),
        &format!("opening {}", path.display()),
    )?;
    let result: String = sql(
        conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)),
        &format!("integrity_check of {}", path.display()),
    )?;
    if result != "ok" {
        return Err(format!("integrity_check of {}: {result}", path.display()));
    }
    Ok(())
}

/// The event's content, versions and cursor in a device folder's content.db.
pub fn read_device(dir: &Path, event: &str) -> Result<DeviceState, String> {
    let conn = sql(
        Connection::open(dir.join("content.db")),
        "opening content.db",
    )?;
    // Bodies made with a dictionary the device trained read only once it is loaded.
    marktplatz_core::store::load_body_dictionaries(&conn).map_err(|e| e.to_string())?;
    let state: Option<(Option<String>, i64)> = sql(
        conn.query_row(
            "SELECT epoch, cursor FROM sync_state WHERE event_id = ?1",
            [event],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional(),
        "reading the device's sync state",
    )?;
    let (epoch, cursor) = state.unwrap_or((None, 0));
    let mut versions = HashMap::new();
    {
        let mut stmt = sql(
            conn.prepare("SELECT kind, id, seq FROM entity_version WHERE event_id = ?1"),
            "reading versions",
        )?;
        let found = sql(
            stmt.query_map([event], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            }),
            "reading versions",
        )?;
        for row in found {
            let (kind, id, seq) = sql(row, "reading a version")?;
            versions.insert((kind, id), seq as u64);
        }
    }
    let mut rows = BTreeMap::new();
    for kind in EntityKind::ALL {
        let (table, key) = match kind {
            EntityKind::Event => ("event", "event_id"),
            EntityKind::GalleryItem => ("gallery_item", "id"),
            EntityKind::InfoPage => ("info_page", "id"),
            other => (other.as_str(), "id"),
        };
        let mut stmt = sql(
            conn.prepare(&format!(
                "SELECT {key}, body FROM {table} WHERE event_id = ?1"
            )),
            "reading content",
        )?;
        let found = sql(
            stmt.query_map([event], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, StoredBody>(1)?))
            }),
            "reading content",
        )?;
        for row in found {
            let (id, body) = sql(row, "reading an entity")?;
            let k = (kind.as_str().to_string(), id);
            let version = versions.get(&k).copied();
            rows.insert(k, (version, json(&body.0, "a device body")?));
        }
    }
    Ok(DeviceState {
        epoch,
        cursor: cursor as u64,
        rows,
    })
}

/// What the child told us, and what it was doing when it died.
#[derive(Default)]
struct Acks {
    /// id → favourite after the last acknowledged toggle.
    favourites: BTreeMap<String, bool>,
    /// A toggle begun and not acknowledged (may or may not have happened).
    fav_in_flight: Option<String>,
    fav_toggles: usize,
    /// announcement id → idempotency key
    ops: BTreeMap<String, String>,
    op_in_flight: Option<String>,
    errors: Vec<String>,
    notices: Vec<String>,
}

impl Acks {
    fn take(&mut self, line: &str) {
        let mut words = line.splitn(3, ' ');
        match (words.next(), words.next(), words.next()) {
            (Some("fav-begin"), Some(id), _) => self.fav_in_flight = Some(id.to_string()),
            (Some("fav"), Some(id), Some(state)) => {
                self.favourites.insert(id.to_string(), state == "added");
                self.fav_in_flight = None;
                self.fav_toggles += 1;
            }
            (Some("op-begin"), Some(id), _) => self.op_in_flight = Some(id.to_string()),
            (Some("op"), Some(id), Some(key)) => {
                self.ops.insert(id.to_string(), key.to_string());
                self.op_in_flight = None;
            }
            (Some("error"), _, _) => self.errors.push(line.to_string()),
            (Some("notice"), _, _) => self.notices.push(line.to_string()),
            _ => {}
        }
    }
}

/// The server, its data, the device folder and what must hold across kills.
pub struct CrashHarness {
    config: CrashConfig,
    _root: tempfile::TempDir,
    device: PathBuf,
    server_db: PathBuf,
    runtime: tokio::runtime::Runtime,
    server: Option<RunningServer>,
    admin: Admin,
    url: String,
    version: u64,
    /// The server's head and live content when the current run started. The server changes
    /// during a run only by the child's own operations (new announcements), so a device whose
    /// cursor reached this head must hold exactly this content. (A cursor between two older
    /// heads is a page boundary of the compacted log and stands for no past state: there the
    /// per-entity checks apply.)
    run_start: (u64, Contents),
    acks: Acks,
    failpoint_turn: usize,
    /// Operations whose announcements a publication removed again (every `RETIRE_EVERY` runs,
    /// so the event does not grow without bound over 10,000 runs): counted, then gone.
    retired: u64,
    /// Announcements made by operations that the last publication named (adopted into the
    /// file's source): the only ones the next retiring publication may remove.
    adopted: u64,
    hashed: HashMap<PathBuf, (u64, SystemTime)>,
    report: CrashReport,
}

impl CrashHarness {
    pub fn start(config: CrashConfig) -> Result<CrashHarness, String> {
        let root = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
        let data = root.path().join("server");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| format!("runtime: {e}"))?;
        let server = runtime
            .block_on(marktplatz_server::start(crate::test_config(&data)))
            .map_err(|e| format!("server: {e}"))?;
        let admin = Admin::open(&data).map_err(|e| format!("admin: {e}"))?;
        let url = server.url();
        let device = root.path().join("device");
        let mut harness = CrashHarness {
            report: CrashReport {
                seed: config.seed,
                ..CrashReport::default()
            },
            config,
            server_db: data.join(marktplatz_server::store::DB_FILE),
            _root: root,
            device,
            runtime,
            server: Some(server),
            admin,
            url,
            version: 0,
            run_start: (0, Contents::new()),
            acks: Acks::default(),
            failpoint_turn: 0,
            retired: 0,
            adopted: 0,
            hashed: HashMap::new(),
        };
        harness.publish_next()?;
        let token = harness
            .admin
            .create_token(EVENT, "organiser")
            .map_err(|e| e.message)?;
        let store = Store::open(&harness.device).map_err(|e| e.to_string())?;
        sync::set_organiser(&store, EVENT, &harness.url, &token).map_err(|e| e.to_string())?;
        Ok(harness)
    }

    /// Version `v` of the event: the synthetic base with a few sessions retitled, one
    /// sometimes left out, the last three gallery items (a new full-size image each version),
    /// and every announcement the organiser created through operations. Naming them makes the
    /// file's source share them; a retiring version leaves them out, which removes exactly the
    /// ones an earlier version named (operations are their own source: an announcement no
    /// file ever named survives every publish, ADR 0013).
    fn bundle(&self, v: u64) -> Result<Bundle, String> {
        let mut bundle = crate::fixtures::synthetic_bundle(EVENT, self.config.sessions);
        let n = bundle.sessions.len() as u64;
        for k in 0..3u64 {
            let i = ((v * 3 + k * 7) % n) as usize;
            bundle.sessions[i].title = format!("{} v{v}", bundle.sessions[i].title);
        }
        if v % 4 == 3 {
            bundle.sessions.remove((v % n) as usize);
        }
        for w in v.saturating_sub(2)..=v {
            let image = self
                .admin
                .put_asset(&noise(1000 + w, FULL_IMAGE_BYTES), "image/jpeg")
                .map_err(|e| e.message)?;
            let thumbnail = self
                .admin
                .put_asset(&noise(5000 + w, THUMB_BYTES), "image/jpeg")
                .map_err(|e| e.message)?;
            bundle.gallery.push(GalleryItem {
                id: format!("g{w}"),
                image,
                thumbnail: Some(thumbnail),
                caption: format!("Bild {w}"),
                credit: String::new(),
                taken_at: None,
            });
        }
        let retire = v % RETIRE_EVERY == RETIRE_EVERY - 1;
        if !retire && let Ok(state) = read_server(&self.server_db, EVENT) {
            for ((kind, _), (_, body)) in &state.rows {
                if kind == "announcement"
                    && let Some(body) = body
                    && let Ok(Entity::Announcement(a)) =
                        Entity::from_json(EntityKind::Announcement, &body.to_string())
                {
                    bundle.announcements.push(a);
                }
            }
        }
        Ok(bundle)
    }

    fn publish_next(&mut self) -> Result<(), String> {
        let bundle = self.bundle(self.version)?;
        if self.version % RETIRE_EVERY == RETIRE_EVERY - 1 {
            // Only what the previous version named goes; operations made since stay.
            self.retired += self.adopted;
        }
        let adopted = bundle
            .announcements
            .iter()
            .filter(|a| a.id.starts_with("crash-"))
            .count() as u64;
        self.admin
            .publish(bundle)
            .map_err(|e| format!("publishing version {}: {}", self.version, e.message))?;
        self.adopted = adopted;
        self.version += 1;
        self.report.versions_published += 1;
        self.snapshot()?;
        Ok(())
    }

    fn snapshot(&mut self) -> Result<(), String> {
        let state = read_server(&self.server_db, EVENT)?;
        self.run_start = (state.head, state.live());
        Ok(())
    }

    /// Runs the child once and kills it (or lets it die at a fail point). Returns how.
    fn run_once(&mut self, run: usize, rng: &mut Rng) -> Result<String, String> {
        // Fail points take turns, so each is reached about equally often; which hit of it
        // stops the process (the first or the second) is drawn.
        let failpoint = if rng.below(10) < self.config.failpoint_share {
            let all = marktplatz_core::failpoint::ALL;
            let name = all[self.failpoint_turn % all.len()];
            self.failpoint_turn += 1;
            Some((name, 1 + rng.below(2)))
        } else {
            None
        };
        let delay = Duration::from_millis(rng.below(self.config.max_delay.as_millis() as u64 + 1));
        let stderr_path = self.device.with_extension("stderr");
        let stderr = std::fs::File::create(&stderr_path).map_err(|e| e.to_string())?;
        let mut command = Command::new(&self.config.child);
        command
            .args([
                self.device.to_string_lossy().as_ref(),
                &self.url,
                EVENT,
                &run.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr);
        match failpoint {
            Some((name, nth)) => {
                command.env(marktplatz_core::failpoint::ENV, format!("{name}@{nth}"))
            }
            None => command.env_remove(marktplatz_core::failpoint::ENV),
        };
        let started = Instant::now();
        let mut child = command
            .spawn()
            .map_err(|e| format!("starting {}: {e}", self.config.child.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (lines_tx, lines) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = match failpoint {
            Some(_) => started + Duration::from_secs(10),
            None => started + delay,
        };
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
                break status;
            }
            if Instant::now() >= deadline {
                child.kill().map_err(|e| format!("kill: {e}"))?;
                break child.wait().map_err(|e| e.to_string())?;
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let _ = reader.join();
        for line in lines.try_iter() {
            self.acks.take(&line);
        }
        let how = match (status.signal(), failpoint) {
            (Some(libc::SIGABRT), Some((name, _))) => {
                *self
                    .report
                    .failpoint_kills
                    .entry(name.to_string())
                    .or_default() += 1;
                format!("abort at {name}")
            }
            (Some(libc::SIGKILL), Some((name, _))) => {
                self.report.failpoint_missed += 1;
                format!("{name} not reached; SIGKILL")
            }
            (Some(libc::SIGKILL), None) => {
                self.report.random_kills += 1;
                format!("SIGKILL after {delay:?}")
            }
            _ => {
                let text = std::fs::read_to_string(&stderr_path).unwrap_or_default();
                return Err(format!(
                    "run {run}: the child ended by itself ({status}): {text}"
                ));
            }
        };
        if let Some(error) = self.acks.errors.first() {
            let text = std::fs::read_to_string(&stderr_path).unwrap_or_default();
            return Err(format!("run {run}: the child reported {error} {text}"));
        }
        if let Some(notice) = self.acks.notices.first() {
            return Err(format!(
                "run {run}: opening the store after a kill set something aside: {notice}"
            ));
        }
        Ok(how)
    }

    /// Every invariant, read from the files the killed child left.
    fn check(&mut self, run: usize) -> Result<(), String> {
        let dir = self.device.clone();
        integrity_ok(&dir.join("content.db"))?;
        integrity_ok(&dir.join("user.db"))?;
        let device = read_device(&dir, EVENT)?;
        let server = read_server(&self.server_db, EVENT)?;
        if device.cursor > 0 && device.epoch.as_deref() != Some(server.epoch.as_str()) {
            return Err(format!(
                "run {run}: the device follows epoch {:?}, the server {}",
                device.epoch, server.epoch
            ));
        }
        // No content newer than the cursor: a page's rows and its cursor commit together.
        for ((kind, id), (version, _)) in &device.rows {
            match version {
                Some(v) if *v <= device.cursor => {}
                Some(v) => {
                    return Err(format!(
                        "run {run}: {kind} '{id}' is at version {v}, beyond the cursor {}",
                        device.cursor
                    ));
                }
                None => return Err(format!("run {run}: {kind} '{id}' has no version")),
            }
        }
        // The cursor is never ahead of the content: everything the server holds at or below
        // the cursor (and has not changed since) is on the device, equal.
        for (key, (seq, body)) in &server.rows {
            if *seq > device.cursor {
                continue;
            }
            match (body, device.rows.get(key)) {
                (Some(body), Some((version, held))) => {
                    if *version != Some(*seq) || held != body {
                        return Err(format!(
                            "run {run}: {key:?} at server version {seq} differs on the device (version {version:?}, cursor {})",
                            device.cursor
                        ));
                    }
                }
                (Some(_), None) => {
                    return Err(format!(
                        "run {run}: {key:?} (server version {seq}) is missing although the cursor is {}",
                        device.cursor
                    ));
                }
                (None, Some(_)) => {
                    return Err(format!(
                        "run {run}: {key:?} was removed at {seq} but is still on the device (cursor {})",
                        device.cursor
                    ));
                }
                (None, None) => {}
            }
        }
        let expected = if device.cursor == server.head {
            Some(server.live())
        } else if device.cursor == self.run_start.0 {
            Some(self.run_start.1.clone())
        } else {
            None
        };
        if let Some(expected) = expected {
            let held = device.contents();
            if held != expected {
                let missing: Vec<_> = expected.keys().filter(|k| !held.contains_key(k)).collect();
                let extra: Vec<_> = held.keys().filter(|k| !expected.contains_key(k)).collect();
                return Err(format!(
                    "run {run}: at cursor {} the device differs from the server's state then (missing {missing:?}, extra {extra:?})",
                    device.cursor
                ));
            }
            self.report.exact_snapshot_matches += 1;
        }
        self.check_assets(run)?;
        // The app restarts on the same files: nothing is set aside, and what returned is there.
        let store = Store::open(&dir).map_err(|e| format!("run {run}: reopening: {e}"))?;
        if !store.notices().is_empty() {
            return Err(format!("run {run}: reopening: {:?}", store.notices()));
        }
        let favourites: BTreeSet<String> =
            favourites::favourite_ids(&store, EVENT, FavouriteKind::Session)
                .map_err(|e| e.to_string())?
                .into_iter()
                .collect();
        if let Some(id) = self.acks.fav_in_flight.take() {
            // Killed during the toggle: either outcome is right; from now on it must stay.
            self.acks
                .favourites
                .insert(id.clone(), favourites.contains(&id));
        }
        for (id, on) in &self.acks.favourites {
            if favourites.contains(id) != *on {
                return Err(format!(
                    "run {run}: favourite '{id}' should be {} after its acknowledged toggle",
                    if *on { "set" } else { "unset" }
                ));
            }
        }
        drop(store);
        // The outbox read raw (it grows by thousands of entries over a long run).
        let by_id: BTreeMap<String, (String, String)> = {
            let conn = sql(Connection::open(dir.join("user.db")), "opening user.db")?;
            let mut stmt = sql(
                conn.prepare("SELECT entity_id, key, state FROM outbox WHERE event_id = ?1"),
                "reading the outbox",
            )?;
            let rows = sql(
                stmt.query_map([EVENT], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?)))),
                "reading the outbox",
            )?;
            sql(rows.collect(), "reading the outbox")?
        };
        if let Some(id) = self.acks.op_in_flight.take()
            && let Some((key, _)) = by_id.get(&id)
        {
            self.acks.ops.insert(id, key.clone());
        }
        for (id, key) in &self.acks.ops {
            match by_id.get(id) {
                Some((k, _)) if k == key => {}
                other => {
                    return Err(format!(
                        "run {run}: queued operation {id} ({key}) is gone from the outbox: {other:?}"
                    ));
                }
            }
        }
        if let Some((id, (key, _))) = by_id.iter().find(|(_, (_, state))| state == "rejected") {
            return Err(format!(
                "run {run}: operation {key} ({id}) was rejected (applied twice?)"
            ));
        }
        // Exactly once at the server: one stored result per applied operation, one entity per
        // result, each made by an operation this device queued.
        let on_server: Vec<&String> = server
            .rows
            .iter()
            .filter(|((kind, id), (_, body))| {
                kind == "announcement" && id.starts_with("crash-") && body.is_some()
            })
            .map(|((_, id), _)| id)
            .collect();
        if on_server.len() as u64 + self.retired != server.op_results {
            return Err(format!(
                "run {run}: {} operation results but {} announcements made by operations (+ {} retired)",
                server.op_results,
                on_server.len(),
                self.retired
            ));
        }
        if let Some(phantom) = on_server.iter().find(|id| !by_id.contains_key(id.as_str())) {
            return Err(format!(
                "run {run}: the server holds {phantom}, which no outbox entry made"
            ));
        }
        self.report.ops_applied = server.op_results;
        self.report.checks_passed += 1;
        Ok(())
    }

    /// Every file under its final name in the asset cache hashes to that name.
    fn check_assets(&mut self, run: usize) -> Result<(), String> {
        let dir = self.device.join("assets");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(());
        };
        for entry in entries {
            let entry = entry.map_err(|e| e.to_string())?;
            let path = entry.path();
            if !path.is_file() {
                continue;
            }
            let meta = entry.metadata().map_err(|e| e.to_string())?;
            let stamp = (
                meta.len(),
                meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            );
            if self.hashed.get(&path) == Some(&stamp) {
                continue;
            }
            let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
            let name = entry.file_name().to_string_lossy().to_string();
            if sha256_hex(&bytes) != name {
                return Err(format!(
                    "run {run}: the cached file {name} does not hash to its name ({} bytes)",
                    bytes.len()
                ));
            }
            self.report.assets_verified += 1;
            self.hashed.insert(path, stamp);
        }
        Ok(())
    }

    /// A last clean run, then the device must equal the server and the outbox be drained.
    fn finish(&mut self) -> Result<(), String> {
        let output = Command::new(&self.config.child)
            .args([
                self.device.to_string_lossy().as_ref(),
                &self.url,
                EVENT,
                &self.config.kills.to_string(),
                "2",
            ])
            .env_remove(marktplatz_core::failpoint::ENV)
            .output()
            .map_err(|e| e.to_string())?;
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            self.acks.take(line);
        }
        if !output.status.success() || !self.acks.errors.is_empty() {
            return Err(format!(
                "the final clean run failed ({}): {:?} {}",
                output.status,
                self.acks.errors,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let store = Store::open(&self.device).map_err(|e| e.to_string())?;
        let client = Client::new(child_client_config()).map_err(|e| e.to_string())?;
        let cache = AssetCache::new(&self.device, FULL_ASSET_BUDGET);
        self.runtime.block_on(async {
            push(&client, &store, EVENT, &PushOptions::default())
                .await
                .map_err(|e| format!("final push: {e}"))?;
            sync_event(
                &client,
                &store,
                Some(&cache),
                &AlertListeners::default(),
                &self.url,
                EVENT,
                &SyncOptions::default(),
            )
            .await
            .map_err(|e| format!("final sync: {e}"))
        })?;
        drop(store);
        let checks = self.report.checks_passed;
        self.check(self.config.kills)?;
        self.report.checks_passed = checks;
        let server = read_server(&self.server_db, EVENT)?;
        let device = read_device(&self.device, EVENT)?;
        if device.cursor != server.head {
            return Err(format!(
                "after the final sync the device is at {}, the server at {}",
                device.cursor, server.head
            ));
        }
        if device.contents() != server.live() {
            return Err("after the final sync the device differs from the server".into());
        }
        let store = Store::open(&self.device).map_err(|e| e.to_string())?;
        let outbox = store.outbox(EVENT, true).map_err(|e| e.to_string())?;
        // Done, or overridden by the retiring publish that removed its announcement (ADR 0013):
        // exactly the retired ones.
        if let Some(open) = outbox
            .iter()
            .find(|e| !matches!(e.state, OpState::Done | OpState::Overridden))
        {
            return Err(format!(
                "operation {} is still {:?} after the final sync",
                open.key, open.state
            ));
        }
        let overridden = outbox
            .iter()
            .filter(|e| e.state == OpState::Overridden)
            .count() as u64;
        if overridden != self.retired {
            return Err(format!(
                "{overridden} operations shown overridden, but a publish removed the announcements of {}",
                self.retired
            ));
        }
        if outbox.len() as u64 != server.op_results {
            return Err(format!(
                "{} outbox entries but {} applied at the server",
                outbox.len(),
                server.op_results
            ));
        }
        self.report.ops_applied = server.op_results;
        self.report.final_head = server.head;
        Ok(())
    }

    pub fn run(mut self) -> Result<CrashReport, String> {
        let started = Instant::now();
        let mut rng = Rng::new(self.config.seed);
        for run in 0..self.config.kills {
            let how = self.run_once(run, &mut rng)?;
            self.check(run)?;
            if self.config.verbose {
                let cursor = read_device(&self.device, EVENT)
                    .map(|d| d.cursor)
                    .unwrap_or(0);
                println!("run {run}: {how}; cursor {cursor}");
            }
            self.report.runs += 1;
            self.publish_next()?;
        }
        self.finish()?;
        self.report.favourites_acked = self.acks.fav_toggles;
        self.report.ops_acked = self.acks.ops.len();
        self.report.elapsed = started.elapsed();
        if let Some(server) = self.server.take() {
            let _ = self.runtime.block_on(server.shutdown());
        }
        Ok(self.report)
    }
}
