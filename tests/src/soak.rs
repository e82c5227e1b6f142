//! The network soak: N attendee devices and organisers sync through the fault proxy while it
//! plays a hostile network ([`Chaos`]) and the event keeps being republished. Then the network
//! heals, and within a bound every device must hold exactly the server's state at its head,
//! every organiser's outbox must be drained (each operation applied once), and at no time may
//! a device have repeated a request in a tight loop. ADR: `docs/adr/0007-reliability.md`.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use marktplatz_core::sync;
use marktplatz_core::sync::{AssetCache, Client, ClientConfig, OpState, RetryPolicy};
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{Entity, EntityKind, Priority};
use marktplatz_model::ops::Op;

use crate::crash::{read_device, read_server};
use crate::fault_proxy::{Chaos, Injected, TightLoop};
use crate::{Device, Harness};

pub const EVENT: &str = "soak-fair";

#[derive(Clone, Debug)]
pub struct SoakConfig {
    pub attendees: usize,
    pub organisers: usize,
    pub seed: u64,
    /// How long the network misbehaves.
    pub chaos_for: Duration,
    /// After healing, everything must have converged within this.
    pub heal_bound: Duration,
    /// Between one device's syncs.
    pub poll: Duration,
    /// Between publications while the chaos lasts.
    pub publish_every: Duration,
    /// Between one organiser's operations.
    pub op_every: Duration,
    /// More identical requests per second by one device than this is a tight loop.
    pub loop_threshold: usize,
    pub sessions: usize,
}

impl SoakConfig {
    pub fn new(attendees: usize, chaos_for: Duration, seed: u64) -> SoakConfig {
        SoakConfig {
            attendees,
            organisers: 2,
            seed,
            chaos_for,
            heal_bound: Duration::from_secs(30),
            poll: Duration::from_millis(400),
            publish_every: Duration::from_millis(700),
            op_every: Duration::from_millis(500),
            loop_threshold: 10,
            sessions: 20,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct SoakReport {
    pub attendees: usize,
    pub organisers: usize,
    pub seed: u64,
    pub chaos_for: Duration,
    pub requests: usize,
    pub injected: Injected,
    pub syncs_ok: u64,
    pub syncs_failed: u64,
    pub versions_published: u64,
    pub ops_queued: u64,
    pub ops_applied: u64,
    pub final_head: u64,
    pub converged_after: Duration,
    pub heal_bound: Duration,
    pub tight_loops: Vec<TightLoop>,
    pub loop_threshold: usize,
    pub busiest_per_second: usize,
}

impl fmt::Display for SoakReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.injected;
        writeln!(
            f,
            "soak: {} attendees + {} organisers, {:.0} s of chaos (seed {})",
            self.attendees,
            self.organisers,
            self.chaos_for.as_secs_f64(),
            self.seed
        )?;
        writeln!(
            f,
            "  requests through the proxy: {}; faults injected: {} ({} dropped, {} reset, {} truncated, {} stalled, {} 429, {} 5xx in bursts, {} stale 304)",
            self.requests,
            i.total(),
            i.drops,
            i.resets,
            i.truncations,
            i.stalls,
            i.too_many,
            i.server_errors,
            i.stale_304s
        )?;
        writeln!(
            f,
            "  during the chaos: {} syncs ok, {} failed; {} versions published; {} organiser operations queued",
            self.syncs_ok, self.syncs_failed, self.versions_published, self.ops_queued
        )?;
        writeln!(
            f,
            "  convergence reached: {}/{} devices equal the server at head {} and {} outboxes drained, {:.1} s after healing (bound {:.0} s)",
            self.attendees + self.organisers,
            self.attendees + self.organisers,
            self.final_head,
            self.organisers,
            self.converged_after.as_secs_f64(),
            self.heal_bound.as_secs_f64()
        )?;
        writeln!(
            f,
            "  exactly once: {} operations queued = {} applied at the server, none rejected",
            self.ops_queued, self.ops_applied
        )?;
        write!(
            f,
            "  tight loops (> {} identical requests per second from one device): {}; busiest: {} per second",
            self.loop_threshold,
            self.tight_loops.len(),
            self.busiest_per_second
        )
    }
}

fn soak_client(agent: String) -> ClientConfig {
    ClientConfig {
        connect_timeout: Duration::from_secs(1),
        read_timeout: Duration::from_millis(800),
        request_timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            attempts: 4,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(2),
        },
        user_agent: Some(agent),
    }
}

fn soak_device(h: &Harness, name: &str) -> Result<Device, String> {
    let dir = h.root.path().join(name);
    let store = marktplatz_core::store::Store::open(&dir).map_err(|e| e.to_string())?;
    Ok(Device {
        cache: AssetCache::new(&dir, 16 * 1024 * 1024),
        client: Client::new(soak_client(name.to_string())).map_err(|e| e.to_string())?,
        store,
        search: marktplatz_core::search::SearchCache::default(),
        alerts: marktplatz_core::favourites::AlertListeners::default(),
        dir,
    })
}

/// Version `v`: a few sessions retitled, plus the announcements organisers created (a
/// publication is the whole event; leaving them out would remove them).
fn version(h: &Harness, sessions: usize, v: u64) -> Bundle {
    let mut bundle = crate::fixtures::synthetic_bundle(EVENT, sessions);
    let n = bundle.sessions.len() as u64;
    for k in 0..2u64 {
        let i = ((v * 5 + k * 3) % n) as usize;
        bundle.sessions[i].title = format!("{} ({v})", bundle.sessions[i].title);
    }
    let db = h
        .root
        .path()
        .join("server")
        .join(marktplatz_server::store::DB_FILE);
    if let Ok(state) = read_server(&db, EVENT) {
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
    bundle
}

/// Whether the device holds exactly the server's content at the server's head.
fn converged(h: &Harness, device: &Device) -> Result<bool, String> {
    let db = h
        .root
        .path()
        .join("server")
        .join(marktplatz_server::store::DB_FILE);
    let server = read_server(&db, EVENT)?;
    let held = read_device(&device.dir, EVENT)?;
    Ok(held.cursor == server.head && held.contents() == server.live())
}

fn drained(device: &Device) -> Result<bool, String> {
    let outbox = device
        .store
        .outbox(EVENT, true)
        .map_err(|e| e.to_string())?;
    Ok(outbox.iter().all(|e| e.state == OpState::Done))
}

pub async fn run(config: SoakConfig) -> Result<SoakReport, String> {
    // On SQLite whatever the engine: the soak compares the devices with the server's marktplatz.db.
    let h = Arc::new(Harness::start_sqlite().await);
    let mut published = 0u64;
    h.publish(&version(&h, config.sessions, published));
    published += 1;
    let mut devices = Vec::new();
    for i in 0..config.attendees {
        devices.push(Arc::new(soak_device(&h, &format!("attendee-{i}"))?));
    }
    let mut organisers = Vec::new();
    for k in 0..config.organisers {
        let device = soak_device(&h, &format!("organiser-{k}"))?;
        let token = h
            .admin
            .create_token(EVENT, "organiser")
            .map_err(|e| e.message)?;
        device
            .sync(&h.url(), EVENT)
            .await
            .map_err(|e| format!("organiser {k}: first sync: {e}"))?;
        sync::set_organiser(&device.store, EVENT, &h.url(), &token).map_err(|e| e.to_string())?;
        organisers.push(Arc::new(device));
    }
    h.proxy.reset_counters();
    h.proxy.set_chaos(Chaos::hostile(config.seed));

    let stop = Arc::new(AtomicBool::new(false));
    let chaos_on = Arc::new(AtomicBool::new(true));
    let syncs_ok = Arc::new(AtomicU64::new(0));
    let syncs_failed = Arc::new(AtomicU64::new(0));
    let ops_queued = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for (i, device) in devices.iter().chain(organisers.iter()).enumerate() {
        let (device, h, stop, ok, failed) = (
            device.clone(),
            h.clone(),
            stop.clone(),
            syncs_ok.clone(),
            syncs_failed.clone(),
        );
        let chaos_on = chaos_on.clone();
        let poll = config.poll;
        tasks.push(tokio::spawn(async move {
            // Spread the devices' first polls over one interval.
            let offset = poll.mul_f64((i % 17) as f64 / 17.0);
            tokio::time::sleep(offset).await;
            while !stop.load(Ordering::Relaxed) {
                let result = device.sync(&h.url(), EVENT).await;
                if chaos_on.load(Ordering::Relaxed) {
                    match result {
                        Ok(_) => ok.fetch_add(1, Ordering::Relaxed),
                        Err(_) => failed.fetch_add(1, Ordering::Relaxed),
                    };
                }
                tokio::time::sleep(poll).await;
            }
        }));
    }
    for (k, organiser) in organisers.iter().enumerate() {
        let (organiser, chaos_on, queued) =
            (organiser.clone(), chaos_on.clone(), ops_queued.clone());
        let every = config.op_every;
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while chaos_on.load(Ordering::Relaxed) {
                let op = Op::AnnouncementCreate {
                    id: format!("soak-o{k}-{n}"),
                    title: format!("Durchsage {k}/{n}"),
                    body: String::new(),
                    priority: Priority::Normal,
                    published_at: Utc
                        .with_ymd_and_hms(2027, 3, 4, 9, 0, 0)
                        .single()
                        .unwrap_or_default(),
                    expires_at: None,
                };
                if organiser.store.queue_op(EVENT, op).is_ok() {
                    queued.fetch_add(1, Ordering::Relaxed);
                }
                n += 1;
                tokio::time::sleep(every).await;
            }
        }));
    }
    let started = Instant::now();
    while started.elapsed() < config.chaos_for {
        tokio::time::sleep(config.publish_every).await;
        let bundle = version(&h, config.sessions, published);
        let h2 = h.clone();
        tokio::task::spawn_blocking(move || h2.publish(&bundle))
            .await
            .map_err(|e| e.to_string())?;
        published += 1;
    }

    // Heal: no more faults, publications or new operations. Devices go on polling.
    chaos_on.store(false, Ordering::Relaxed);
    h.proxy.heal();
    let healed = Instant::now();
    let mut converged_after = None;
    while healed.elapsed() < config.heal_bound {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut all = true;
        for device in devices.iter().chain(organisers.iter()) {
            if !converged(&h, device)? {
                all = false;
                break;
            }
        }
        for organiser in &organisers {
            all = all && drained(organiser)?;
        }
        if all {
            converged_after = Some(healed.elapsed());
            break;
        }
    }
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        let _ = task.await;
    }
    let Some(converged_after) = converged_after else {
        let mut behind = Vec::new();
        for device in devices.iter().chain(organisers.iter()) {
            if !converged(&h, device)? {
                behind.push(device.dir.display().to_string());
            }
        }
        let outboxes: Vec<Vec<(OpState, Option<String>)>> = organisers
            .iter()
            .map(|o| {
                o.store
                    .outbox(EVENT, false)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|e| (e.state, e.last_error))
                    .collect()
            })
            .collect();
        return Err(format!(
            "not converged {:?} after healing: behind {behind:?}; open outbox entries {outboxes:?}",
            config.heal_bound
        ));
    };
    let db = h
        .root
        .path()
        .join("server")
        .join(marktplatz_server::store::DB_FILE);
    let server = read_server(&db, EVENT)?;
    let queued = ops_queued.load(Ordering::Relaxed);
    if server.op_results != queued {
        return Err(format!(
            "{queued} operations queued, {} applied at the server",
            server.op_results
        ));
    }
    for organiser in &organisers {
        let outbox = organiser
            .store
            .outbox(EVENT, true)
            .map_err(|e| e.to_string())?;
        if let Some(bad) = outbox.iter().find(|e| e.state != OpState::Done) {
            return Err(format!("operation {} ended {:?}", bad.key, bad.state));
        }
    }
    let exchanges = h.proxy.exchanges();
    let busiest = {
        let loops = h.proxy.tight_loops(0);
        loops.iter().map(|l| l.count).max().unwrap_or(0)
    };
    Ok(SoakReport {
        attendees: config.attendees,
        organisers: config.organisers,
        seed: config.seed,
        chaos_for: config.chaos_for,
        requests: exchanges.len(),
        injected: h.proxy.injected(),
        syncs_ok: syncs_ok.load(Ordering::Relaxed),
        syncs_failed: syncs_failed.load(Ordering::Relaxed),
        versions_published: published,
        ops_queued: queued,
        ops_applied: server.op_results,
        final_head: server.head,
        converged_after,
        heal_bound: config.heal_bound,
        tight_loops: h.proxy.tight_loops(config.loop_threshold),
        loop_threshold: config.loop_threshold,
        busiest_per_second: busiest,
    })
}
