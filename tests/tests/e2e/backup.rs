#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `marktplatz backup` on real data directories: a copy taken while a server takes writes holds
//! every write acknowledged before it started, passes `PRAGMA integrity_check` and serves the
//! same change pages; a corrupt asset is named, a destination that is not empty or not
//! writable is refused, a full disk leaves nothing behind, and the source is only read.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use marktplatz_model::assets::sha256_hex;
use marktplatz_model::model::{AssetRef, Priority};
use marktplatz_model::ops::{Op, OpRequest};
use marktplatz_server::Admin;
use marktplatz_server::config::RateLimit;
use marktplatz_server::store::backup::{BackupError, backup, backup_in_steps};
use marktplatz_tests::crash::{integrity_ok, noise};
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::organiser::post_op;
use marktplatz_tests::{Harness, raw_http, test_config};

const EVENT: &str = "mp-nordwest";

fn announcement(i: usize) -> OpRequest {
    OpRequest {
        event: EVENT.into(),
        base: 0,
        op: Op::AnnouncementCreate {
            id: format!("a-{i}"),
            title: format!("Durchsage {i}"),
            body: "Bitte zum Ausgang.".into(),
            priority: Priority::Normal,
            published_at: Utc.with_ymd_and_hms(2027, 3, 4, 8, 0, 0).unwrap(),
            expires_at: None,
        },
    }
}

/// A server with the small event, its speaker photo and hall plan stored as assets; writes
/// not rate limited (one test posts as fast as it can).
async fn serving_with_assets() -> (Harness, Vec<AssetRef>) {
    let unlimited = RateLimit {
        burst: 1_000_000,
        per_second: 1_000_000.0,
    };
    // `marktplatz backup` copies a SQLite data directory (PostgreSQL: pg_dump).
    let h = Harness::start_sqlite_with(|c| {
        c.rate_limit_per_ip = unlimited;
        c.rate_limit_per_token = unlimited;
    })
    .await;
    let photo = h.admin.put_asset(&noise(1, 20_000), "image/jpeg").unwrap();
    let map = h.admin.put_asset(&noise(2, 30_000), "image/png").unwrap();
    let mut bundle = small_bundle(EVENT);
    bundle.speakers[0].photo = Some(photo.clone());
    bundle.event.venue.map = Some(map.clone());
    h.publish(&bundle);
    (h, vec![photo, map])
}

fn data_dir(h: &Harness) -> PathBuf {
    h.root.path().join("server")
}

/// Every change page of the event from `addr`, from the start to the head.
async fn pages(addr: SocketAddr) -> Vec<serde_json::Value> {
    let first = raw_http::get(addr, &format!("/v1/events/{EVENT}/changes"), &[]).await;
    assert_eq!(first.status, 200);
    let mut page = first.json();
    let epoch = page["epoch"].as_str().unwrap().to_string();
    let mut all = vec![];
    loop {
        let (more, next) = (page["more"] == true, page["next"].as_u64().unwrap());
        all.push(page);
        if !more {
            return all;
        }
        let path = format!("/v1/events/{EVENT}/changes/{epoch}/{next}");
        let answer = raw_http::get(addr, &path, &[]).await;
        assert_eq!(answer.status, 200, "{path}");
        page = answer.json();
    }
}

fn entity_ids(pages: &[serde_json::Value]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|p| p["changes"].as_array().unwrap().iter())
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// Operations posted over HTTP and assets stored beside them (on another thread, as another
/// process would) keep arriving while the backup runs; every write acknowledged before it
/// started is in the copy, and the copy serves what the original served up to its head.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writes_continue_holds_every_acknowledged_write() {
    let (h, assets) = serving_with_assets().await;
    let data = data_dir(&h);
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let addr = h.server.addr();
    let stop = Arc::new(AtomicBool::new(false));
    // Acknowledged operations (index, when, how long the answer took) and stored assets.
    let acked_ops = Arc::new(Mutex::new(Vec::<(usize, Instant, Duration)>::new()));
    let acked_assets = Arc::new(Mutex::new(Vec::<(String, Instant)>::new()));

    let op_writer = {
        let (stop, acked, token) = (stop.clone(), acked_ops.clone(), token.clone());
        tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Acquire) {
                let sent = Instant::now();
                let answer =
                    post_op(addr, &token, &format!("backup-op-{i:06}"), &announcement(i)).await;
                assert!(
                    (200..300).contains(&answer.status),
                    "op {i}: {}",
                    answer.status
                );
                acked
                    .lock()
                    .unwrap()
                    .push((i, Instant::now(), sent.elapsed()));
                i += 1;
            }
        })
    };
    let asset_writer = {
        let (stop, acked, data) = (stop.clone(), acked_assets.clone(), data.clone());
        std::thread::spawn(move || {
            let admin = Admin::open(&data).unwrap();
            let mut seed = 100;
            while !stop.load(Ordering::Acquire) {
                let stored = admin.put_asset(&noise(seed, 50_000), "image/jpeg").unwrap();
                acked.lock().unwrap().push((stored.sha256, Instant::now()));
                seed += 1;
            }
        })
    };
    while acked_ops.lock().unwrap().len() < 60 || acked_assets.lock().unwrap().len() < 10 {
        assert!(
            !op_writer.is_finished() && !asset_writer.is_finished(),
            "a writer stopped"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    let dest = h.root.path().join("copy");
    let started = Instant::now();
    let (source, to) = (data.clone(), dest.clone());
    // Four pages per step: many steps, with writes committed between them.
    let report = tokio::task::spawn_blocking(move || backup_in_steps(&source, &to, 4))
        .await
        .unwrap()
        .unwrap();
    let took = started.elapsed();
    let during: Vec<Duration> = acked_ops
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, at, _)| *at > started && *at < started + took)
        .map(|(_, _, latency)| *latency)
        .collect();
    stop.store(true, Ordering::Release);
    op_writer.await.unwrap();
    asset_writer.join().unwrap();
    eprintln!(
        "backup: {} pages in {} steps, {} assets, {took:?}; {} operations acknowledged meanwhile, slowest {:?}",
        report.pages,
        report.steps,
        report.assets,
        during.len(),
        during.iter().max()
    );
    // One snapshot for all steps: the writes committed between them never restarted the copy
    // (a restart starts again from the first page, taking more steps).
    assert!(report.steps > 1, "{report:?}");
    assert_eq!(report.steps, report.pages.div_ceil(4), "{report:?}");

    let before: Vec<usize> = acked_ops
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, at, _)| *at < started)
        .map(|(i, _, _)| *i)
        .collect();
    let assets_before: Vec<String> = acked_assets
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, at)| *at < started)
        .map(|(sha, _)| sha.clone())
        .chain(assets.iter().map(|a| a.sha256.clone()))
        .collect();

    integrity_ok(&dest.join("marktplatz.db")).unwrap();
    for sha in &assets_before {
        let bytes = std::fs::read(dest.join("assets").join(sha)).unwrap();
        assert_eq!(&sha256_hex(&bytes), sha);
    }
    // Nothing but the data directory: no partial names left.
    let mut names: Vec<_> = std::fs::read_dir(&dest)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["assets", "marktplatz.db"]);

    let copy = marktplatz_server::start(test_config(&dest)).await.unwrap();
    let copied = pages(copy.addr()).await;
    let original = pages(addr).await;
    let ids = entity_ids(&copied);
    for i in &before {
        assert!(ids.contains(&format!("a-{i}")), "operation {i} is missing");
    }
    // Only new announcements were written since: every page the copy serves is the original's
    // page at the same place, cut at the copy's head.
    for (copy_page, original_page) in copied.iter().zip(&original) {
        let (c, o) = (
            copy_page["changes"].as_array().unwrap(),
            original_page["changes"].as_array().unwrap(),
        );
        assert_eq!(copy_page["since"], original_page["since"]);
        assert_eq!(c[..], o[..c.len()]);
    }
}

#[tokio::test]
async fn a_corrupt_asset_is_named_and_nothing_is_left_behind() {
    let (h, assets) = serving_with_assets().await;
    let data = data_dir(&h);
    let damaged = data.join("assets").join(&assets[1].sha256);
    std::fs::write(&damaged, b"not the hall plan any more").unwrap();
    let dest = h.root.path().join("copy");

    let error = backup(&data, &dest).unwrap_err();
    let BackupError::CorruptAssets { names, .. } = &error else {
        panic!("expected corrupt assets, got {error}");
    };
    assert_eq!(names, &[assets[1].sha256.clone()]);
    assert!(error.to_string().contains(&assets[1].sha256), "{error}");
    assert!(!dest.exists(), "the partial copy is removed");
    // The source is only read: the damaged file is as it was, the other asset too.
    assert_eq!(
        std::fs::read(&damaged).unwrap(),
        b"not the hall plan any more"
    );
    integrity_ok(&data.join("marktplatz.db")).unwrap();
}

#[tokio::test]
async fn a_destination_that_is_not_empty_is_refused_and_an_empty_one_is_used() {
    let (h, _) = serving_with_assets().await;
    let data = data_dir(&h);
    let dest = h.root.path().join("busy");
    std::fs::create_dir(&dest).unwrap();
    std::fs::write(dest.join("notes.txt"), b"mine").unwrap();

    let error = backup(&data, &dest).unwrap_err();
    assert!(matches!(error, BackupError::DestNotEmpty(_)), "{error}");
    assert!(error.to_string().contains("is not empty"), "{error}");
    assert_eq!(std::fs::read(dest.join("notes.txt")).unwrap(), b"mine");
    assert_eq!(std::fs::read_dir(&dest).unwrap().count(), 1);

    let empty = h.root.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let report = backup(&data, &empty).unwrap();
    assert_eq!(report.assets, 2);
    let copy = Admin::open(&empty).unwrap();
    assert_eq!(copy.head(EVENT).unwrap(), h.admin.head(EVENT).unwrap());
}

#[tokio::test]
async fn a_directory_that_is_not_a_data_directory_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let missing = root.path().join("nowhere");
    let error = backup(&missing, &root.path().join("a")).unwrap_err();
    assert!(matches!(error, BackupError::NotADataDir(_)), "{error}");
    assert!(
        error.to_string().contains("has no marktplatz.db"),
        "{error}"
    );

    let garbage = root.path().join("garbage");
    std::fs::create_dir(&garbage).unwrap();
    std::fs::write(garbage.join("marktplatz.db"), vec![7u8; 4096]).unwrap();
    let error = backup(&garbage, &root.path().join("b")).unwrap_err();
    assert!(matches!(error, BackupError::NotADatabase { .. }), "{error}");

    let other = root.path().join("other");
    std::fs::create_dir(&other).unwrap();
    rusqlite::Connection::open(other.join("marktplatz.db"))
        .unwrap()
        .execute_batch("CREATE TABLE notes (text TEXT);")
        .unwrap();
    let error = backup(&other, &root.path().join("c")).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("not a marktplatz server database"),
        "{error}"
    );
    // Nothing was made for any of them.
    for dest in ["a", "b", "c"] {
        assert!(!root.path().join(dest).exists());
    }
}

#[tokio::test]
async fn an_unwritable_destination_is_named() {
    let (h, _) = serving_with_assets().await;
    let file = h.root.path().join("a-file");
    std::fs::write(&file, b"").unwrap();
    let dest = file.join("copy");
    let error = backup(&data_dir(&h), &dest).unwrap_err();
    assert!(matches!(error, BackupError::Dest { .. }), "{error}");
    assert!(
        error.to_string().contains("cannot write the backup to"),
        "{error}"
    );
}

/// A small tmpfs, mounted for the test (needs root: skipped, saying so, without).
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(path: &Path, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir_all(path).unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(path)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then(|| SmallDisk(path.to_path_buf()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[tokio::test]
async fn a_full_disk_removes_the_partial_copy_and_leaves_the_source() {
    let (h, _) = serving_with_assets().await;
    let data = data_dir(&h);
    // More asset bytes than the small disk holds.
    for seed in 10..20 {
        h.admin
            .put_asset(&noise(seed, 40_000), "image/jpeg")
            .unwrap();
    }
    let Some(disk) = SmallDisk::mount(&h.root.path().join("small"), "256k") else {
        eprintln!("SKIPPED: cannot mount a tmpfs here (not root); the full-disk path is untested");
        return;
    };
    let dest = disk.0.join("copy");
    let error = backup(&data, &dest).unwrap_err();
    assert!(matches!(error, BackupError::DiskFull(_)), "{error}");
    assert!(error.to_string().contains("is full"), "{error}");
    assert!(!dest.exists(), "the partial copy is removed");
    assert_eq!(std::fs::read_dir(&disk.0).unwrap().count(), 0);
    integrity_ok(&data.join("marktplatz.db")).unwrap();
    // The source still backs up in full elsewhere.
    let report = backup(&data, &h.root.path().join("roomy")).unwrap();
    assert_eq!(report.assets, 12);
}
