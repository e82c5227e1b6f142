#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The device's storage failing under it: `content.db` truncated or damaged (found when opening
//! or only later, while reading), and the disk filling up during a page apply or an asset
//! download. Content is rebuilt from the server, favourites are never touched, nothing is left
//! half-written, and the device works again once there is space.
//!
//! A full disk is real here: the device folder lives on a small tmpfs mounted for the test
//! (this needs root, which CI and the development machines have), filled up with a file; the
//! errors are the kernel's ENOSPC and SQLite's SQLITE_FULL, not simulated ones.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use marktplatz_core::favourites;
use marktplatz_core::favourites::FavouriteKind;
use marktplatz_core::store::Store;
use marktplatz_core::sync::CancelToken;
use marktplatz_model::model::GalleryItem;
use marktplatz_tests::crash::{integrity_ok, noise, read_device, read_server};
use marktplatz_tests::fixtures::synthetic_bundle;
use marktplatz_tests::{Device, Harness};

const EVENT: &str = "mp-nordwest";

fn server_db(h: &Harness) -> PathBuf {
    h.root
        .path()
        .join("server")
        .join(marktplatz_server::store::DB_FILE)
}

fn assert_equals_server(h: &Harness, dir: &Path) {
    let server = read_server(&server_db(h), EVENT).unwrap();
    let device = read_device(dir, EVENT).unwrap();
    assert_eq!(device.cursor, server.head);
    assert!(
        device.contents() == server.live(),
        "content differs from the server"
    );
}

fn favourites(store: &Store) -> Vec<String> {
    favourites::favourite_ids(store, EVENT, FavouriteKind::Session).unwrap()
}

/// A synced device with three favourites; returns it and the favourites.
async fn synced_device(h: &Harness, dir: PathBuf) -> (Device, Vec<String>) {
    let device = Device::open(dir.clone());
    device.sync(&h.url(), EVENT).await.unwrap();
    for id in ["session-1", "session-5", "session-9"] {
        favourites::add_favourite(
            &device.store,
            EVENT,
            FavouriteKind::Session,
            id,
            Some("hin!"),
        )
        .unwrap();
    }
    let kept = favourites(&device.store);
    assert_eq!(kept.len(), 3);
    (device, kept)
}

/// Reads every content table through the store until damage is reported (or all read).
fn read_everything(store: &Store) -> marktplatz_core::Result<()> {
    for table in [
        "event",
        "location",
        "track",
        "session",
        "speaker",
        "search_doc",
        "entity_version",
    ] {
        store.read(|tx| {
            let sql = |e| marktplatz_core::Error::sqlite("reading everything", e);
            let mut stmt = tx.prepare(&format!("SELECT * FROM {table}")).map_err(sql)?;
            let columns = stmt.column_count();
            let mut rows = stmt.query([]).map_err(sql)?;
            while let Some(row) = rows.next().map_err(sql)? {
                for i in 0..columns {
                    row.get::<_, rusqlite::types::Value>(i).map_err(sql)?;
                }
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// After damage: the store opens (setting content.db aside at once or at the next start),
/// favourites are intact, and a sync rebuilds the content from the server. Returns whether
/// the damage was found only while reading (after a successful open).
async fn recovers(h: &Harness, dir: &Path, kept: &[String]) -> bool {
    let mut notices = Vec::new();
    let mut found_later = false;
    for _ in 0..2 {
        let store = Store::open(dir).unwrap();
        notices.extend(store.notices().iter().cloned());
        if !notices.is_empty() {
            break;
        }
        // Open did not notice: the first read that meets the damage must say so, and leave
        // the marker for the next start.
        let error = read_everything(&store).expect_err("the damage went unnoticed");
        assert!(
            matches!(error, marktplatz_core::Error::Corrupt { .. }),
            "{error}"
        );
        assert!(dir.join(marktplatz_core::store::CONTENT_DAMAGED).exists());
        found_later = true;
    }
    assert!(
        notices.iter().any(|n| n.contains("set aside")),
        "{notices:?}"
    );
    let device = Device::open(dir.to_path_buf());
    assert!(device.store.notices().is_empty());
    assert_eq!(favourites(&device.store), kept, "favourites survive");
    device.sync(&h.url(), EVENT).await.unwrap();
    integrity_ok(&dir.join("content.db")).unwrap();
    assert_equals_server(h, dir);
    assert_eq!(favourites(&device.store), kept);
    found_later
}

#[tokio::test]
async fn a_truncated_content_db_is_rebuilt_from_the_server_with_favourites_intact() {
    let h = Harness::start_sqlite_with(|c| c.page_limit = 50).await;
    h.publish(&synthetic_bundle(EVENT, 120));
    let (device, kept) = synced_device(&h, h.root.path().join("phone")).await;
    let dir = device.dir.clone();
    drop(device);
    let content = dir.join("content.db");
    let _ = std::fs::remove_file(dir.join("content.db-wal"));
    let len = std::fs::metadata(&content).unwrap().len();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&content)
        .unwrap();
    file.set_len(len / 3).unwrap();
    drop(file);
    recovers(&h, &dir, &kept).await;
}

#[tokio::test]
async fn content_damage_found_while_reading_is_repaired_at_the_next_start() {
    let h = Harness::start_sqlite_with(|c| c.page_limit = 50).await;
    h.publish(&synthetic_bundle(EVENT, 120));
    let (device, kept) = synced_device(&h, h.root.path().join("phone")).await;
    let dir = device.dir.clone();
    drop(device);
    let content = dir.join("content.db");
    // Fold the WAL in, then scribble over the session table's root page only: the schema
    // and the search state still read fine, so opening succeeds and the damage shows later.
    let (root, page_size): (i64, i64) = {
        let conn = rusqlite::Connection::open(&content).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
        (
            conn.query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'session'",
                [],
                |r| r.get(0),
            )
            .unwrap(),
            conn.query_row("PRAGMA page_size", [], |r| r.get(0))
                .unwrap(),
        )
    };
    let mut bytes = std::fs::read(&content).unwrap();
    let start = ((root - 1) * page_size) as usize;
    bytes[start..start + page_size as usize].fill(0xA5);
    std::fs::write(&content, bytes).unwrap();
    assert!(
        recovers(&h, &dir, &kept).await,
        "this damage should only show when the sessions are read"
    );
}

/// A tmpfs of a few MiB mounted for one test, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
    filler: PathBuf,
}

impl SmallDisk {
    fn mount(bytes: u64) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("running mount");
        assert!(
            status.success(),
            "mounting a small tmpfs failed ({status}): the disk-full tests need root to mount one"
        );
        let filler = dir.path().join("filler");
        SmallDisk { dir, filler }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the disk up to the last byte.
    fn fill(&self) {
        let mut file = std::fs::File::create(&self.filler).unwrap();
        let block = vec![0x5Au8; 16 * 1024];
        loop {
            match file.write(&block) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.raw_os_error() == Some(28) => break,
                Err(e) => panic!("filling: {e}"),
            }
        }
        let one = [0u8; 1];
        while file.write(&one).is_ok_and(|n| n == 1) {}
    }

    fn make_room(&self) {
        std::fs::remove_file(&self.filler).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[tokio::test]
async fn a_full_disk_during_a_page_apply_changes_nothing_until_there_is_room() {
    let h = Harness::start_sqlite_with(|c| c.page_limit = 500).await;
    h.publish(&synthetic_bundle(EVENT, 20));
    let disk = SmallDisk::mount(12 * 1024 * 1024);
    // The app is running when the disk fills up.
    let (device, kept) = synced_device(&h, disk.path().join("phone")).await;
    let dir = device.dir.clone();
    let before = read_device(&dir, EVENT).unwrap();
    // A much bigger version: its page cannot fit.
    h.publish(&synthetic_bundle(EVENT, 400));
    disk.fill();
    let error = device.sync(&h.url(), EVENT).await.unwrap_err();
    assert!(
        error.is_disk_full(),
        "a clear disk-full error, not {error:?}"
    );
    assert!(error.to_string().contains("storage is full"), "{error}");
    // Nothing half-written: same cursor, same content, files intact.
    let after = read_device(&dir, EVENT).unwrap();
    assert_eq!(after.cursor, before.cursor);
    assert!(after.contents() == before.contents());
    assert_eq!(favourites(&device.store), kept);
    drop(device);
    disk.make_room();
    integrity_ok(&dir.join("user.db")).unwrap();
    integrity_ok(&dir.join("content.db")).unwrap();
    // Starting the app on a full disk (closed cleanly before, so there is no WAL to reuse):
    // a clear error too, not SQLite's "disk I/O error".
    drop(Store::open(&dir).unwrap());
    disk.fill();
    let error = Store::open(&dir)
        .err()
        .expect("no room to open the databases");
    assert!(error.is_disk_full(), "{error:?}");
    // Room again: the same sync goes through.
    disk.make_room();
    let device = Device::open(dir.clone());
    assert!(device.store.notices().is_empty());
    device.sync(&h.url(), EVENT).await.unwrap();
    assert_equals_server(&h, &dir);
    assert_eq!(favourites(&device.store), kept);
}

#[tokio::test]
async fn a_full_disk_during_an_asset_download_leaves_no_file_until_there_is_room() {
    let h = Harness::start().await;
    let bytes = noise(42, 3 * 1024 * 1024);
    let full = h.admin.put_asset(&bytes, "image/jpeg").unwrap();
    let mut bundle = synthetic_bundle(EVENT, 10);
    bundle.gallery.push(GalleryItem {
        id: "g1".into(),
        image: full.clone(),
        thumbnail: Some(h.admin.put_asset(&noise(43, 2000), "image/jpeg").unwrap()),
        caption: "Halle".into(),
        credit: String::new(),
        taken_at: None,
    });
    h.publish(&bundle);
    let disk = SmallDisk::mount(8 * 1024 * 1024);
    let (device, kept) = synced_device(&h, disk.path().join("phone")).await;
    let dir = device.dir.clone();
    disk.fill();
    let error = device
        .cache
        .fetch(
            &device.client,
            &device.store,
            &h.url(),
            &full,
            &CancelToken::new(),
        )
        .await
        .unwrap_err();
    assert!(
        error.is_disk_full(),
        "a clear disk-full error, not {error:?}"
    );
    // No file under the asset's name, so nothing wrong can ever be shown.
    assert!(!dir.join("assets").join(&full.sha256).exists());
    assert!(
        device
            .cache
            .get(&device.store, &full.sha256)
            .unwrap()
            .is_none()
    );
    disk.make_room();
    let path = device
        .cache
        .fetch(
            &device.client,
            &device.store,
            &h.url(),
            &full,
            &CancelToken::new(),
        )
        .await
        .unwrap();
    assert_eq!(std::fs::read(path).unwrap(), bytes);
    assert_eq!(favourites(&device.store), kept);
    drop(device);
    integrity_ok(&dir.join("content.db")).unwrap();
}
