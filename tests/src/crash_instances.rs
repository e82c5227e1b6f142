//! The crash harness on two server instances (issue 22, ADR 0021): two `marktplatz serve`
//! processes on one PostgreSQL database; a driver publishes bundle versions and posts organiser
//! operations with Idempotency-Keys, alternating between the instances, while one of them is
//! killed with SIGKILL at a seeded random moment. Every request whose answer was lost is
//! resolved on the survivor: an operation is retried with the same key; a publish (which has
//! no key) is looked up in the release list by its unique note and sent again only when it is
//! not there. After each kill the database is checked directly and through a device syncing
//! from the survivor, and the killed instance is restarted; at the end a fresh instance serves
//! a new device. Design: `docs/adr/0007-reliability.md` ("Two instances").

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use marktplatz_model::ops::OpOutcome;
use marktplatz_model::source::ReleaseList;
use marktplatz_model::wire::PublishOutcome;
use marktplatz_server::Admin;

use crate::crash::{Contents, Rng, read_device};
use crate::raw_http::{RawResponse, try_request};
use crate::server_process::{ServerProcess, sigkill};

pub const EVENT: &str = "crash-two";
/// A living instance answers well within this; longer means it is gone.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Clone, Debug)]
pub struct TwoInstanceConfig {
    pub kills: usize,
    pub seed: u64,
    /// A kill comes within this long after a round starts.
    pub max_delay: Duration,
    /// Sessions in each published version (larger: longer publishes to land in).
    pub sessions: usize,
    /// The `marktplatz` binary.
    pub server: PathBuf,
    /// The PostgreSQL database both instances share (empty: it is set up here).
    pub database: String,
    pub verbose: bool,
}

#[derive(Clone, Debug, Default)]
pub struct TwoInstanceReport {
    pub seed: u64,
    pub kills: usize,
    /// Kills that cut a publish or an operation in flight on the killed instance.
    pub mid_publish: usize,
    pub mid_op: usize,
    pub publishes_acked: usize,
    /// Publishes whose answer was lost: found applied in the release list / sent again.
    pub publishes_found: usize,
    pub publishes_resent: usize,
    pub ops_acked: usize,
    /// Operations whose answer was lost, retried on the survivor with the same key; of those,
    /// how many had committed before the kill (applied once all the same).
    pub ops_retried: usize,
    pub ops_committed_before_loss: usize,
    pub checks_passed: usize,
    pub final_head: u64,
    pub elapsed: Duration,
}

impl fmt::Display for TwoInstanceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "crash harness, two instances on one PostgreSQL database: seed {}, {} SIGKILLs ({} mid-publish, {} mid-operation)",
            self.seed, self.kills, self.mid_publish, self.mid_op
        )?;
        writeln!(
            f,
            "  acknowledged: {} publishes ({} answers lost: {} found in the release list, {} sent again), {} operations ({} retried on the survivor with their key, {} of them had committed before the kill)",
            self.publishes_acked,
            self.publishes_found + self.publishes_resent,
            self.publishes_found,
            self.publishes_resent,
            self.ops_acked,
            self.ops_retried,
            self.ops_committed_before_loss
        )?;
        writeln!(
            f,
            "  invariants after {} kills and at the end: seqs unique and acknowledged seqs strictly increasing; every acknowledged operation stored once (one op_result, its announcement at its acknowledged seq); every acknowledged publish one release; a device syncing through the survivor equals the database",
            self.checks_passed
        )?;
        write!(
            f,
            "  final head {}; elapsed {:.1} s",
            self.final_head,
            self.elapsed.as_secs_f64()
        )
    }
}

/// Which request a lost answer belonged to.
#[derive(Clone, Copy, PartialEq)]
enum Action {
    Publish,
    Op,
}

/// What the database holds for the event.
struct DbState {
    head: u64,
    /// (kind, id) → (seq, body; `None` for a tombstone)
    rows: BTreeMap<(String, String), (u64, Option<serde_json::Value>)>,
    op_keys: Vec<String>,
    /// (number, note, seq) in number order
    releases: Vec<(u64, String, u64)>,
}

impl DbState {
    fn live(&self) -> Contents {
        self.rows
            .iter()
            .filter_map(|(k, (_, body))| body.clone().map(|b| (k.clone(), b)))
            .collect()
    }
}

pub struct TwoInstanceHarness {
    config: TwoInstanceConfig,
    root: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
    instances: [Option<ServerProcess>; 2],
    token: String,
    version: u64,
    ops_sent: u64,
    /// Every acknowledged write's seq in acknowledgement order (the driver is sequential, so
    /// they must increase).
    last_acked_seq: u64,
    /// announcement id → (key, acknowledged seq)
    ops: BTreeMap<String, (String, u64)>,
    /// release note → acknowledged seq
    publishes: BTreeMap<String, u64>,
    report: TwoInstanceReport,
}

fn data_dir(root: &tempfile::TempDir, slot: usize) -> PathBuf {
    root.path().join(format!("instance-{slot}"))
}

fn json<T: serde::de::DeserializeOwned>(response: &RawResponse, what: &str) -> Result<T, String> {
    serde_json::from_slice(&response.body).map_err(|e| format!("{what}: {e}: {}", response.text()))
}

impl TwoInstanceHarness {
    /// Publishes version 0 through an admin handle on the database, issues the organiser's
    /// token and starts both instances.
    pub fn start(config: TwoInstanceConfig) -> Result<TwoInstanceHarness, String> {
        let root = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
        let admin = Admin::open_with(root.path().join("admin"), Some(&config.database))
            .map_err(|e| format!("admin: {e}"))?;
        let mut harness = TwoInstanceHarness {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("runtime: {e}"))?,
            instances: [None, None],
            token: String::new(),
            version: 0,
            ops_sent: 0,
            last_acked_seq: 0,
            ops: BTreeMap::new(),
            publishes: BTreeMap::new(),
            report: TwoInstanceReport {
                seed: config.seed,
                ..TwoInstanceReport::default()
            },
            config,
            root,
        };
        let first = admin
            .publish(harness.bundle(0))
            .map_err(|e| format!("publishing version 0: {}", e.message))?;
        harness.last_acked_seq = first.seq;
        harness.token = admin
            .create_token(EVENT, "organiser")
            .map_err(|e| e.message)?;
        drop(admin);
        for slot in 0..2 {
            harness.launch(slot)?;
        }
        Ok(harness)
    }

    fn launch(&mut self, slot: usize) -> Result<(), String> {
        let process = ServerProcess::start(
            &self.config.server,
            &data_dir(&self.root, slot),
            Some(&self.config.database),
        )?;
        self.instances[slot] = Some(process);
        Ok(())
    }

    fn addr(&self, slot: usize) -> Result<SocketAddr, String> {
        self.instances[slot]
            .as_ref()
            .map(|p| p.addr)
            .ok_or_else(|| format!("instance {slot} is not running"))
    }

    /// Version `v`: the synthetic event with three sessions retitled, so every version
    /// changes something (and gets a seq of its own). No announcements: those the operations
    /// make are their own source and survive every publish (ADR 0013).
    fn bundle(&self, v: u64) -> marktplatz_model::bundle::Bundle {
        let mut bundle = crate::fixtures::synthetic_bundle(EVENT, self.config.sessions);
        let n = bundle.sessions.len() as u64;
        for k in 0..3u64 {
            let i = ((v * 3 + k * 7) % n) as usize;
            bundle.sessions[i].title = format!("{} v{v}", bundle.sessions[i].title);
        }
        bundle
    }

    fn send(
        &self,
        slot: usize,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: &[u8],
    ) -> Result<RawResponse, String> {
        let auth = format!("Bearer {}", self.token);
        let mut headers = vec![
            ("authorization", auth.as_str()),
            ("content-type", "application/json"),
        ];
        if let Some(key) = key {
            headers.push(("idempotency-key", key));
        }
        try_request(
            self.addr(slot)?,
            method,
            path,
            &headers,
            body,
            REQUEST_TIMEOUT,
        )
    }

    fn acknowledge(&mut self, what: &str, seq: u64) -> Result<(), String> {
        if seq <= self.last_acked_seq {
            return Err(format!(
                "{what} was acknowledged at seq {seq}, not after the previous acknowledgement's {}",
                self.last_acked_seq
            ));
        }
        self.last_acked_seq = seq;
        Ok(())
    }

    /// One publish through `slot`; `Ok(false)` when its answer was lost (then resolved on
    /// `other`).
    fn publish(&mut self, slot: usize, other: usize) -> Result<bool, String> {
        self.version += 1;
        let note = format!("crash-v{}", self.version);
        let body = serde_json::to_vec(&self.bundle(self.version)).map_err(|e| e.to_string())?;
        let path = format!("/v1/events/{EVENT}/bundle?note={note}&confirm=yes");
        let (seq, answered) = match self.send(slot, "PUT", &path, None, &body) {
            Ok(response) => (self.published(&response, &note)?, true),
            Err(_) => {
                // No key for publishes: what the release list says decides whether to resend,
                // once the killed instance's transaction has ended (a COMMIT it sent before
                // dying still lands after its answer was lost).
                self.wait_until_settled()?;
                let list = self.send(
                    other,
                    "GET",
                    &format!("/v1/events/{EVENT}/releases"),
                    None,
                    &[],
                )?;
                let list: ReleaseList = json(&list, "the release list")?;
                match list.releases.iter().find(|r| r.note == note) {
                    Some(release) => {
                        self.report.publishes_found += 1;
                        (release.seq, false)
                    }
                    None => {
                        self.report.publishes_resent += 1;
                        let response = self.send(other, "PUT", &path, None, &body)?;
                        (self.published(&response, &note)?, false)
                    }
                }
            }
        };
        self.acknowledge(&format!("publish {note}"), seq)?;
        self.publishes.insert(note, seq);
        self.report.publishes_acked += 1;
        Ok(answered)
    }

    fn published(&self, response: &RawResponse, note: &str) -> Result<u64, String> {
        if response.status != 200 {
            return Err(format!(
                "publish {note}: {} {}",
                response.status,
                response.text()
            ));
        }
        Ok(json::<PublishOutcome>(response, "a publish outcome")?.seq)
    }

    /// One operation through `slot` (a new announcement), retried on `other` with the same
    /// key when its answer was lost; `Ok(false)` then.
    fn op(&mut self, slot: usize, other: usize) -> Result<bool, String> {
        let n = self.ops_sent;
        self.ops_sent += 1;
        let (id, key) = (format!("crash-{n}"), format!("crash-key-{n}"));
        let body = serde_json::to_vec(&serde_json::json!({
            "event": EVENT,
            "base": 0,
            "op": {"op": "announcement.create", "id": id, "title": format!("Hinweis {n}"),
                   "published_at": "2027-03-04T08:00:00Z"}
        }))
        .map_err(|e| e.to_string())?;
        let path = format!("/v1/events/{EVENT}/ops");
        let (response, answered) = match self.send(slot, "POST", &path, Some(&key), &body) {
            Ok(response) => (response, true),
            Err(_) => {
                self.report.ops_retried += 1;
                if self.db_state()?.op_keys.contains(&key) {
                    self.report.ops_committed_before_loss += 1;
                }
                (self.send(other, "POST", &path, Some(&key), &body)?, false)
            }
        };
        if response.status != 200 {
            return Err(format!(
                "operation {key}: {} {}",
                response.status,
                response.text()
            ));
        }
        let outcome: OpOutcome = json(&response, "an operation outcome")?;
        self.acknowledge(&format!("operation {key}"), outcome.seq)?;
        self.ops.insert(id, (key, outcome.seq));
        self.report.ops_acked += 1;
        Ok(answered)
    }

    /// Waits until no other session on the database is inside a statement or a transaction:
    /// the driver is paused and the survivor idle, so what remains is the killed instance's
    /// backend finishing its COMMIT (or rolling back when it reads the closed socket).
    fn wait_until_settled(&self) -> Result<(), String> {
        let mut client = postgres::Client::connect(&self.config.database, postgres::NoTls)
            .map_err(|e| format!("connecting to the database: {e}"))?;
        let started = Instant::now();
        loop {
            let busy: i64 = client
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                     AND pid <> pg_backend_pid() AND state <> 'idle'",
                    &[],
                )
                .map_err(|e| format!("reading pg_stat_activity: {e}"))?
                .get(0);
            if busy == 0 {
                return Ok(());
            }
            if started.elapsed() > REQUEST_TIMEOUT {
                return Err(format!(
                    "{busy} sessions still busy after {REQUEST_TIMEOUT:?}"
                ));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn db_state(&self) -> Result<DbState, String> {
        let mut client = postgres::Client::connect(&self.config.database, postgres::NoTls)
            .map_err(|e| format!("connecting to the database: {e}"))?;
        let mut tx = client.transaction().map_err(|e| e.to_string())?;
        let query = |tx: &mut postgres::Transaction<'_>, sql: &str| {
            tx.query(sql, &[&EVENT]).map_err(|e| format!("{sql}: {e}"))
        };
        let head = query(&mut tx, "SELECT head_seq FROM event WHERE id = $1")?
            .first()
            .map(|r| r.get::<_, i64>(0) as u64)
            .ok_or("the event is gone")?;
        let mut rows = BTreeMap::new();
        for row in query(
            &mut tx,
            "SELECT kind, id, seq, body FROM entity WHERE event_id = $1",
        )? {
            let body: Option<String> = row.get(3);
            let body = match body {
                Some(text) => Some(serde_json::from_str(&text).map_err(|e| e.to_string())?),
                None => None,
            };
            rows.insert(
                (row.get(0), row.get(1)),
                (row.get::<_, i64>(2) as u64, body),
            );
        }
        let op_keys = query(&mut tx, "SELECT key FROM op_result WHERE event_id = $1")?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let releases = query(
            &mut tx,
            "SELECT number, note, seq FROM release WHERE event_id = $1 ORDER BY number",
        )?
        .iter()
        .map(|r| {
            (
                r.get::<_, i64>(0) as u64,
                r.get(1),
                r.get::<_, i64>(2) as u64,
            )
        })
        .collect();
        Ok(DbState {
            head,
            rows,
            op_keys,
            releases,
        })
    }

    /// The invariants on the database, and a device syncing through `slot` equal to it.
    fn check(&mut self, round: usize, slot: usize) -> Result<(), String> {
        let db = self.db_state()?;
        let seqs: BTreeSet<u64> = db.rows.values().map(|(seq, _)| *seq).collect();
        if seqs.len() != db.rows.len() || seqs.last().copied() != Some(db.head) {
            return Err(format!(
                "round {round}: {} entities with {} distinct seqs, the highest {:?}, head {}",
                db.rows.len(),
                seqs.len(),
                seqs.last(),
                db.head
            ));
        }
        if db.head != self.last_acked_seq {
            return Err(format!(
                "round {round}: the head is {} but the last acknowledged write was at {}",
                db.head, self.last_acked_seq
            ));
        }
        // Exactly once: one stored result per key sent (each was acknowledged in the end),
        // and each announcement still at the seq its acknowledgement named — a second
        // application would have moved it.
        let keys: BTreeSet<&String> = db.op_keys.iter().collect();
        let sent: BTreeSet<&String> = self.ops.values().map(|(key, _)| key).collect();
        if keys != sent || db.op_keys.len() != self.ops.len() {
            return Err(format!(
                "round {round}: {} stored operation results, {} operations acknowledged",
                db.op_keys.len(),
                self.ops.len()
            ));
        }
        for (id, (key, seq)) in &self.ops {
            match db.rows.get(&("announcement".to_string(), id.clone())) {
                Some((at, Some(_))) if at == seq => {}
                other => {
                    return Err(format!(
                        "round {round}: operation {key} was acknowledged at {seq}, its announcement is {other:?}"
                    ));
                }
            }
        }
        let made = db
            .rows
            .keys()
            .filter(|(kind, id)| kind == "announcement" && id.starts_with("crash-"))
            .count();
        if made != self.ops.len() {
            return Err(format!(
                "round {round}: {made} announcements made by operations, {} acknowledged",
                self.ops.len()
            ));
        }
        // Publishes: one release each (plus version 0's), numbered 1.., seqs increasing.
        if db.releases.len() != self.publishes.len() + 1 {
            return Err(format!(
                "round {round}: {} releases for {} acknowledged publishes and the first",
                db.releases.len(),
                self.publishes.len()
            ));
        }
        for (i, pair) in db.releases.windows(2).enumerate() {
            if pair[1].0 != i as u64 + 2 || pair[1].2 <= pair[0].2 {
                return Err(format!(
                    "round {round}: releases out of order: {:?} then {:?}",
                    pair[0], pair[1]
                ));
            }
        }
        for (note, seq) in &self.publishes {
            let found: Vec<_> = db.releases.iter().filter(|r| &r.1 == note).collect();
            if found.len() != 1 || found[0].2 != *seq {
                return Err(format!(
                    "round {round}: publish {note} acknowledged at {seq}, releases {found:?}"
                ));
            }
        }
        self.check_device(round, slot, &db)?;
        self.report.checks_passed += 1;
        Ok(())
    }

    /// A device (the same folder every round) syncs through `slot` and must equal the
    /// database: cursor at the head, content equal entity by entity.
    fn check_device(&self, round: usize, slot: usize, db: &DbState) -> Result<(), String> {
        self.device_equals(round, slot, "device", db)
    }

    fn device_equals(
        &self,
        round: usize,
        slot: usize,
        name: &str,
        db: &DbState,
    ) -> Result<(), String> {
        let dir = self.root.path().join(name);
        let url = format!("http://{}", self.addr(slot)?);
        let device = crate::Device::open(dir.clone());
        let report = self
            .runtime
            .block_on(device.sync(&url, EVENT))
            .map_err(|e| format!("round {round}: syncing through instance {slot}: {e}"))?;
        drop(device);
        let held = read_device(&dir, EVENT)?;
        if held.cursor != db.head || report.content.head != db.head {
            return Err(format!(
                "round {round}: the device synced to {} through instance {slot}, the head is {}",
                held.cursor, db.head
            ));
        }
        if held.contents() != db.live() {
            return Err(format!(
                "round {round}: the device differs from the database at head {}",
                db.head
            ));
        }
        Ok(())
    }

    /// One round: a kill of a random instance at a random moment while the driver writes
    /// through both; the lost answers resolved on the survivor; the checks; the restart.
    fn round(&mut self, round: usize, rng: &mut Rng) -> Result<String, String> {
        let victim = rng.below(2) as usize;
        let survivor = 1 - victim;
        let delay = Duration::from_millis(rng.below(self.config.max_delay.as_millis() as u64));
        let pid = self.instances[victim]
            .as_ref()
            .map(ServerProcess::pid)
            .ok_or("the victim is not running")?;
        let killer = std::thread::spawn(move || {
            std::thread::sleep(delay);
            sigkill(pid)
        });
        let mut step = 0usize;
        let mut after_kill = 0;
        let mut cut: Option<Action> = None;
        while after_kill < 2 {
            let fired_before = killer.is_finished();
            let slot = (step + round) % 2;
            let action = if rng.below(4) == 0 {
                Action::Publish
            } else {
                Action::Op
            };
            let answered = match action {
                Action::Publish => self.publish(slot, 1 - slot)?,
                Action::Op => self.op(slot, 1 - slot)?,
            };
            if !answered && !fired_before && slot == victim && cut.is_none() {
                cut = Some(action);
            }
            if fired_before {
                after_kill += 1;
            }
            step += 1;
        }
        killer
            .join()
            .map_err(|_| "the killer thread panicked".to_string())??;
        if let Some(process) = self.instances[victim].take() {
            process.kill();
        }
        self.report.kills += 1;
        match cut {
            Some(Action::Publish) => self.report.mid_publish += 1,
            Some(Action::Op) => self.report.mid_op += 1,
            None => {}
        }
        self.check(round, survivor)?;
        self.launch(victim)?;
        let how = match cut {
            Some(Action::Publish) => "mid-publish",
            Some(Action::Op) => "mid-operation",
            None => "between requests",
        };
        Ok(format!(
            "killed instance {victim} after {delay:?} ({how}), {step} requests"
        ))
    }

    pub fn run(mut self) -> Result<TwoInstanceReport, String> {
        let started = Instant::now();
        let mut rng = Rng::new(self.config.seed);
        for round in 0..self.config.kills {
            let how = self.round(round, &mut rng)?;
            if self.config.verbose {
                println!("round {round}: {how}; head {}", self.last_acked_seq);
            }
        }
        // At the end: both restarted instances, and a fresh one with an empty cache, serve a
        // device equal to the database.
        let db = self.db_state()?;
        self.check(self.config.kills, 0)?;
        self.check(self.config.kills, 1)?;
        self.report.checks_passed -= 2;
        let fresh = ServerProcess::start(
            &self.config.server,
            &self.root.path().join("instance-fresh"),
            Some(&self.config.database),
        )?;
        self.instances[0].replace(fresh);
        self.device_equals(self.config.kills, 0, "fresh-device", &db)?;
        self.report.final_head = db.head;
        self.report.elapsed = started.elapsed();
        Ok(self.report)
    }
}
