#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Issue 22 follow-up: restoring an older backup, then `marktplatz rotate-epoch` on it. A
//! device that synced past the backup would otherwise ask for changes after a seq the restored
//! server counts up to again with other changes; after the rotation its next sync starts over
//! (the sync protocol's 409) and ends with exactly the restored server's content: the changes
//! made after the backup undone, and what was published after the restore there.

use marktplatz_core::store::Store;
use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_server::Admin;
use marktplatz_server::store::backup::backup;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::{Harness, test_config};

const EVENT: &str = "mp-nordwest";

fn session_titles(store: &Store, ids: &[String]) -> Vec<Option<String>> {
    ids.iter()
        .map(
            |id| match store.entity(EVENT, EntityKind::Session, id).unwrap() {
                Some(Entity::Session(s)) => Some(s.title),
                _ => None,
            },
        )
        .collect()
}

#[tokio::test]
async fn after_a_restore_and_a_new_epoch_a_device_synced_past_the_backup_converges() {
    // `marktplatz backup` copies SQLite (PostgreSQL: pg_dump, restored the same way).
    let h = Harness::start_sqlite().await;
    let addr = h.server.addr();
    let url = h.server.url();
    let v1 = small_bundle(EVENT);
    let ids: Vec<String> = v1.sessions.iter().map(|s| s.id.clone()).collect();
    let titles_v1: Vec<Option<String>> =
        v1.sessions.iter().map(|s| Some(s.title.clone())).collect();
    h.publish(&v1);
    let backups = tempfile::tempdir().unwrap();
    let copy = backups.path().join("copy");
    backup(&h.root.path().join("server"), &copy).unwrap();
    let backup_head = h.admin.head(EVENT).unwrap();

    // After the backup: one session retitled, one removed; the device syncs past the backup.
    let mut v2 = v1.clone();
    v2.sessions[1].title = "Nach der Sicherung umbenannt".into();
    v2.sessions.remove(2);
    h.publish(&v2);
    let device = h.device("phone");
    let report = device.sync(&url, EVENT).await.unwrap();
    assert!(report.content.head > backup_head.seq);
    let old_epoch = report.content.epoch.clone().unwrap();
    assert_eq!(session_titles(&device.store, &ids)[2], None);

    // The server is lost; the backup is restored in its place and every epoch rotated before
    // it serves (what `marktplatz rotate-epoch --all-events` does).
    let Harness { server, admin, .. } = h;
    drop(admin);
    server.shutdown().await.unwrap();
    let rotated = Admin::open(&copy).unwrap().rotate_all_epochs().unwrap();
    assert_eq!(rotated.len(), 1);
    assert_ne!(rotated[0].1, old_epoch);
    let mut config = test_config(&copy);
    config.listen = addr;
    let restored = marktplatz_server::start(config).await.unwrap();
    // Published on the restored server: its seqs count up again from the backup's head, past
    // the device's (the device would ask only for what comes after its seq, and miss the rest).
    let mut v3 = v1.clone();
    v3.sessions[0].title = "Nach der Wiederherstellung umbenannt".into();
    v3.sessions[3].title = "Auch umbenannt".into();
    v3.tracks[0].name = "Verwaltung digital".into();
    let restored_admin = Admin::open(&copy).unwrap();
    restored_admin.publish(v3.clone()).unwrap();
    let restored_head = restored_admin.head(EVENT).unwrap();
    assert!(
        restored_head.seq > report.content.head,
        "seqs {} reused past the device's {}: the case rotation is for",
        restored_head.seq,
        report.content.head
    );

    let report = device.sync(&url, EVENT).await.unwrap();
    assert_eq!(report.content.epoch.as_deref(), Some(rotated[0].1.as_str()));
    let mut expected = titles_v1.clone();
    expected[0] = Some(v3.sessions[0].title.clone());
    expected[3] = Some(v3.sessions[3].title.clone());
    assert_eq!(
        session_titles(&device.store, &ids),
        expected,
        "the restored content, with what was published after the restore"
    );
    assert_eq!(
        device.store.event_overview(EVENT).unwrap().session_count,
        v3.sessions.len() as u32
    );
    // And it stays in step: the next sync is an ordinary no-change poll.
    let again = device.sync(&url, EVENT).await.unwrap();
    assert!(again.content.not_modified);
    restored.shutdown().await.unwrap();
}
