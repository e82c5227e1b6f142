#![allow(clippy::unwrap_used, clippy::expect_used)]
//! End-to-end sync over loopback: a real server, a counting proxy, devices with real SQLite
//! files. Pages hold 4 entities here, so every sync crosses several pages.

use std::sync::{Arc, Mutex};

use marktplatz_core::Error;
use marktplatz_core::favourites;
use marktplatz_core::store::Store;
use marktplatz_core::sync::{CancelToken, Phase, Progress, SyncOptions, apply_page};
use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_model::wire::Page;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::{Device, Fault, Harness, raw_http};

const EVENT: &str = "mp-nordwest";

fn session_title(store: &Store, id: &str) -> Option<String> {
    match store.entity(EVENT, EntityKind::Session, id).unwrap() {
        Some(Entity::Session(s)) => Some(s.title),
        _ => None,
    }
}

fn count(store: &Store, kind: EntityKind, ids: &[&str]) -> usize {
    ids.iter()
        .filter(|id| store.entity(EVENT, kind, id).unwrap().is_some())
        .count()
}

fn add_favourite(device: &Device) {
    device
        .store
        .write_user(|tx| {
            tx.execute(
                "INSERT INTO favourite (event_id, kind, entity_id, created_at) VALUES (?1, 'session', 'ozg', 1)",
                [EVENT],
            )
            .map_err(|e| Error::sqlite("test", e))?;
            Ok(())
        })
        .unwrap();
}

fn favourites(device: &Device) -> i64 {
    device
        .store
        .read_user(|tx| {
            tx.query_row("SELECT count(*) FROM favourite", [], |r| r.get(0))
                .map_err(|e| Error::sqlite("test", e))
        })
        .unwrap()
}

#[tokio::test]
async fn initial_sync_then_no_change_poll_is_one_small_304() {
    let h = Harness::start().await;
    let bundle = small_bundle(EVENT);
    let outcome = h.publish(&bundle);
    assert_eq!(outcome.added as usize, bundle.entity_count());
    let device = h.device("phone");

    let report = device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(report.content.pages, 5, "17 entities in pages of 4");
    assert_eq!(report.content.cursor, outcome.seq);
    assert_eq!(report.content.summary.get(EntityKind::Session).added, 4);
    assert_eq!(report.content.summary.get(EntityKind::Location).added, 4);
    assert_eq!(
        report.content.summary.total() as usize,
        bundle.entity_count()
    );
    let overview = device.store.event_overview(EVENT).unwrap();
    assert_eq!(overview.session_count, 4);
    assert_eq!(overview.speaker_count, 3);
    assert!(overview.last_synced_at.is_some());
    assert_eq!(
        session_title(&device.store, "erechnung").as_deref(),
        Some("E-Rechnung in der Kommune")
    );

    h.proxy.reset_counters();
    let report = device.sync(&h.url(), EVENT).await.unwrap();
    assert!(report.content.not_modified);
    assert!(report.content.summary.is_empty());
    let exchanges = h.proxy.exchanges();
    assert_eq!(exchanges.len(), 1, "{exchanges:?}");
    assert_eq!(exchanges[0].status, 304);
    let traffic = h.proxy.traffic();
    assert!(
        traffic.total() < 300,
        "a no-change poll took {} bytes ({traffic:?})",
        traffic.total()
    );
}

#[tokio::test]
async fn one_session_change_is_one_small_round_trip() {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    h.publish(&bundle);
    let device = h.device("phone");
    device.sync(&h.url(), EVENT).await.unwrap();

    bundle.sessions[1].title = "E-Rechnung: jetzt Pflicht".into();
    let outcome = h.publish(&bundle);
    assert_eq!((outcome.updated, outcome.added, outcome.removed), (1, 0, 0));

    h.proxy.reset_counters();
    let report = device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(report.content.pages, 1);
    assert_eq!(report.content.summary.get(EntityKind::Session).updated, 1);
    assert_eq!(report.content.summary.total(), 1);
    assert_eq!(
        session_title(&device.store, "erechnung").as_deref(),
        Some("E-Rechnung: jetzt Pflicht")
    );
    let exchanges = h.proxy.exchanges();
    assert_eq!(exchanges.len(), 1, "{exchanges:?}");
    let traffic = h.proxy.traffic();
    assert!(
        traffic.total() < 1024,
        "a one-session delta took {} bytes",
        traffic.total()
    );
}

#[tokio::test]
async fn a_delete_reaches_the_device_as_a_removal() {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    h.publish(&bundle);
    let device = h.device("phone");
    device.sync(&h.url(), EVENT).await.unwrap();

    bundle.sessions.retain(|s| s.id != "ozg");
    let outcome = h.publish(&bundle);
    assert_eq!(outcome.removed, 1);
    let report = device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(report.content.summary.get(EntityKind::Session).removed, 1);
    assert_eq!(session_title(&device.store, "ozg"), None);
    assert_eq!(device.store.event_overview(EVENT).unwrap().session_count, 3);
}

#[tokio::test]
async fn cursor_behind_the_retention_horizon_rebootstraps_and_keeps_user_data() {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    h.publish(&bundle);
    let device = h.device("phone");
    device.sync(&h.url(), EVENT).await.unwrap();
    add_favourite(&device);

    // The delete's tombstone is purged before the device comes back: it cannot learn of it
    // from the log any more.
    bundle.sessions.retain(|s| s.id != "isms");
    bundle.speakers[0].bio = "Neu".into();
    h.publish(&bundle);
    assert_eq!(h.admin.purge_tombstones(EVENT, 0).unwrap(), 1);

    h.proxy.reset_counters();
    let report = device.sync(&h.url(), EVENT).await;
    let report = report.unwrap_or_else(|e| panic!("{e}: {:?}", h.proxy.exchanges()));
    assert!(report.content.rebootstrapped);
    assert_eq!(h.proxy.exchanges()[0].status, 410);
    assert_eq!(
        session_title(&device.store, "isms"),
        None,
        "the swept entity is gone"
    );
    assert_eq!(report.content.summary.get(EntityKind::Session).removed, 1);
    assert_eq!(report.content.summary.get(EntityKind::Speaker).updated, 1);
    // Unchanged entities re-arriving in the snapshot are no-ops, not "updates".
    assert_eq!(
        report.content.summary.total(),
        2,
        "{:?}",
        report.content.summary
    );
    assert_eq!(favourites(&device), 1, "user.db is untouched");
    // And the device is back to ordinary deltas.
    let report = device.sync(&h.url(), EVENT).await.unwrap();
    assert!(report.content.not_modified);
}

#[tokio::test]
async fn a_new_epoch_rebootstraps_and_old_content_stays_until_the_snapshot_completes() {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    h.publish(&bundle);
    let device = h.device("phone");
    device.sync(&h.url(), EVENT).await.unwrap();
    add_favourite(&device);

    bundle.sessions.retain(|s| s.id != "opening");
    h.publish(&bundle);
    h.admin.rotate_epoch(EVENT).unwrap();

    // The snapshot is interrupted after its first page: everything the device had is still
    // there, including what the new snapshot will not confirm.
    h.proxy.inject("/4?snapshot", Fault::status(500, None), 10);
    let err = device.sync(&h.url(), EVENT).await.unwrap_err();
    assert!(matches!(err, Error::Server { status: 500, .. }), "{err}");
    assert!(session_title(&device.store, "opening").is_some());
    assert_eq!(device.store.event_overview(EVENT).unwrap().session_count, 4);

    h.proxy.heal();
    let report = device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(session_title(&device.store, "opening"), None);
    assert_eq!(report.content.summary.get(EntityKind::Session).removed, 1);
    assert_eq!(device.store.event_overview(EVENT).unwrap().session_count, 3);
    assert_eq!(favourites(&device), 1);
    let head = h.admin.head(EVENT).unwrap();
    assert_eq!(report.content.epoch.as_deref(), Some(head.epoch.as_str()));
}

#[tokio::test]
async fn an_interrupted_sync_resumes_from_the_last_committed_page() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let device = h.device("phone");

    // Pages after cursors 0, 4, 8, 12, 16. The third never arrives (three tries).
    h.sync_cut_at(&device, EVENT, 8).await;

    h.proxy.reset_counters();
    let report = device.sync(&h.url(), EVENT).await.unwrap();
    let first = &h.proxy.exchanges()[0];
    assert!(
        first.path.contains("/8?snapshot"),
        "resumed at {}",
        first.path
    );
    assert_eq!(report.content.pages, 3);
    assert_eq!(report.content.summary.total(), 17 - 8);
    assert_eq!(device.store.event_overview(EVENT).unwrap().session_count, 4);
}

#[tokio::test]
async fn replaying_a_page_changes_nothing() {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    h.publish(&bundle);
    let first_page =
        raw_http::get(h.server.addr(), &format!("/v1/events/{EVENT}/changes"), &[]).await;
    let first_page: Page = serde_json::from_slice(&first_page.body).unwrap();
    let device = h.device("phone");
    device.sync(&h.url(), EVENT).await.unwrap();
    // The event entity changes later; replaying the old first page must not bring it back.
    bundle.event.title = "Neuer Titel".into();
    h.publish(&bundle);
    device.sync(&h.url(), EVENT).await.unwrap();
    let before = marktplatz_core::sync::pull::sync_state(&device.store, EVENT).unwrap();

    let applied = apply_page(&device.store, EVENT, &h.url(), &first_page, None).unwrap();
    assert!(applied.replayed);
    assert!(applied.changes.is_empty());
    let after = marktplatz_core::sync::pull::sync_state(&device.store, EVENT).unwrap();
    assert_eq!(after.cursor, before.cursor);
    let overview = device.store.event_overview(EVENT).unwrap();
    assert_eq!(overview.event.title, "Neuer Titel");
}

#[tokio::test]
async fn hook_sees_each_page_inside_its_transaction_and_can_veto_it() {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    h.publish(&bundle);
    let device = h.device("phone");
    let seen = Arc::new(Mutex::new(Vec::<usize>::new()));
    let recorder = seen.clone();
    let options = SyncOptions {
        hook: Some(Arc::new(move |_tx, event: &str, changes| {
            assert_eq!(event, EVENT);
            recorder.lock().unwrap().push(changes.len());
            Ok(())
        })),
        ..SyncOptions::default()
    };
    device.sync_with(&h.url(), EVENT, &options).await.unwrap();
    assert_eq!(*seen.lock().unwrap(), vec![4, 4, 4, 4, 1]);

    bundle.sessions[0].title = "Geändert".into();
    h.publish(&bundle);
    let veto = SyncOptions {
        hook: Some(Arc::new(|_tx, _event: &str, _changes| {
            Err(Error::Protocol("vetoed by the test".into()))
        })),
        ..SyncOptions::default()
    };
    let before = marktplatz_core::sync::pull::sync_state(&device.store, EVENT).unwrap();
    let err = device.sync_with(&h.url(), EVENT, &veto).await.unwrap_err();
    assert!(err.to_string().contains("vetoed"), "{err}");
    let after = marktplatz_core::sync::pull::sync_state(&device.store, EVENT).unwrap();
    assert_eq!(
        after.cursor, before.cursor,
        "the vetoed page was rolled back"
    );
    assert_eq!(
        session_title(&device.store, "opening").as_deref(),
        Some("Eröffnung und Begrüßung")
    );
}

#[tokio::test]
async fn progress_reports_phases_and_cancellation_stops_between_pages() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let device = h.device("phone");
    let cancel = CancelToken::new();
    let events = Arc::new(Mutex::new(Vec::<Progress>::new()));
    let (log, stopper) = (events.clone(), cancel.clone());
    let options = SyncOptions {
        cancel: cancel.clone(),
        progress: Some(Arc::new(move |p: &Progress| {
            log.lock().unwrap().push(p.clone());
            if p.phase == Phase::Content && p.seq_done >= 8 {
                stopper.cancel();
            }
        })),
        ..SyncOptions::default()
    };
    let err = device
        .sync_with(&h.url(), EVENT, &options)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err}");
    let state = marktplatz_core::sync::pull::sync_state(&device.store, EVENT).unwrap();
    assert_eq!(
        state.cursor, 8,
        "stopped after the page that was being applied"
    );

    events.lock().unwrap().clear();
    let options = SyncOptions {
        progress: Some(Arc::new({
            let log = events.clone();
            move |p: &Progress| log.lock().unwrap().push(p.clone())
        })),
        ..SyncOptions::default()
    };
    device.sync_with(&h.url(), EVENT, &options).await.unwrap();
    let events = events.lock().unwrap();
    assert_eq!(events.first().unwrap().phase, Phase::Checking);
    assert_eq!(events.last().unwrap().phase, Phase::Done);
    let last_content = events
        .iter()
        .rev()
        .find(|p| p.phase == Phase::Content)
        .unwrap();
    assert_eq!(last_content.seq_done, last_content.seq_total);
    assert!(last_content.bytes > 0);
    assert!((last_content.fraction() - 1.0).abs() < 1e-9);
}

#[tokio::test]
async fn one_device_follows_several_events() {
    let h = Harness::start().await;
    h.publish(&small_bundle("fair-a"));
    let mut other = small_bundle("fair-b");
    other.event.title = "Zweite Messe".into();
    other.sessions.truncate(2);
    h.publish(&other);
    let device = h.device("phone");
    device.sync(&h.url(), "fair-a").await.unwrap();
    device.sync(&h.url(), "fair-b").await.unwrap();
    let events = device.store.events().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(
        device.store.event_overview("fair-a").unwrap().session_count,
        4
    );
    assert_eq!(
        device.store.event_overview("fair-b").unwrap().session_count,
        2
    );
    assert!(
        device
            .sync(&h.url(), "fair-a")
            .await
            .unwrap()
            .content
            .not_modified
    );
    assert_eq!(
        count(&device.store, EntityKind::Speaker, &["anna"]),
        0,
        "other event id"
    );
}

#[tokio::test]
async fn unknown_event_is_a_clear_error() {
    let h = Harness::start().await;
    let device = h.device("phone");
    let err = device.sync(&h.url(), "nope").await.unwrap_err();
    match err {
        Error::Server { status, code, .. } => {
            assert_eq!((status, code.as_str()), (404, "event_not_found"))
        }
        other => panic!("unexpected {other}"),
    }
}

#[tokio::test]
async fn changed_entities_travel_as_patches_and_a_mismatch_falls_back_to_full_bodies() {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    h.publish(&bundle);
    let device = h.device("phone");
    device.sync(&h.url(), EVENT).await.unwrap();

    bundle.sessions[2].title = "OZG 2.0: der Stand".into();
    h.publish(&bundle);
    let page = raw_http::get(
        h.server.addr(),
        &format!(
            "/v1/events/{EVENT}/changes/{}/17",
            h.admin.head(EVENT).unwrap().epoch
        ),
        &[],
    )
    .await
    .json();
    let change = &page["changes"][0];
    assert_eq!(
        change["patch"],
        serde_json::json!({"title": "OZG 2.0: der Stand"})
    );
    assert!(change.get("body").is_none());
    h.proxy.reset_counters();
    device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(h.proxy.exchanges().len(), 1);
    assert_eq!(
        session_title(&device.store, "ozg").as_deref(),
        Some("OZG 2.0: der Stand")
    );

    // The device's copy is not the version the next patch is made for (as after a race with
    // a publication): the page comes again with whole bodies.
    device
        .store
        .write_content(|tx| {
            let mut session = bundle.sessions[2].clone();
            session.abstract_text = "lokal verändert".into();
            let entity = Entity::Session(session);
            let body = entity.to_json().unwrap();
            tx.upsert(EVENT, &entity, &body).map(|_| ())
        })
        .unwrap();
    bundle.sessions[2].title = "OZG 2.0: endgültig".into();
    h.publish(&bundle);
    h.proxy.reset_counters();
    device.sync(&h.url(), EVENT).await.unwrap();
    let paths: Vec<String> = h.proxy.exchanges().into_iter().map(|e| e.path).collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths[1].ends_with("?full=1"), "{paths:?}");
    match device
        .store
        .entity(EVENT, EntityKind::Session, "ozg")
        .unwrap()
    {
        Some(Entity::Session(s)) => {
            assert_eq!(s.title, "OZG 2.0: endgültig");
            assert_eq!(s.abstract_text, bundle.sessions[2].abstract_text);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_moved_favourite_raises_one_alert_and_tells_the_listeners() {
    use marktplatz_core::favourites::FavouriteKind;
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    h.publish(&bundle);
    let device = h.device("phone");
    device.sync(&h.url(), EVENT).await.unwrap();
    favourites::add_favourite(&device.store, EVENT, FavouriteKind::Session, "ozg", None).unwrap();
    let notices = Arc::new(Mutex::new(Vec::new()));
    let sink = notices.clone();
    let _subscription = device.alerts.subscribe(Box::new(move |notice| {
        sink.lock().unwrap().push(notice.unseen)
    }));

    bundle.sessions[2].start += chrono::Duration::minutes(30);
    bundle.sessions[2].end += chrono::Duration::minutes(30);
    h.publish(&bundle);
    device.sync(&h.url(), EVENT).await.unwrap();
    let alerts = favourites::unseen_alerts(&device.store, EVENT).unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0].session_id, "ozg");
    assert_eq!(*notices.lock().unwrap(), vec![1]);
    // Syncing again (nothing new) raises nothing.
    device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(
        favourites::unseen_alerts(&device.store, EVENT)
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn the_real_36c3_publications_sync_exactly_through_the_server() {
    let h = Harness::start_with(|c| c.page_limit = 200).await;
    let device = h.device("phone");
    let files = [
        "36c3-everything.snapshot-2019-12-26T2040.json",
        "36c3-everything.snapshot-2019-12-28T1650.json",
        "36c3-everything.schedule.json",
    ];
    let mut previous_bytes = 0;
    println!("36C3 publications through the server (bytes on the wire, both directions):");
    for (n, bundle) in marktplatz_tests::real_36c3_versions("36c3")
        .into_iter()
        .enumerate()
    {
        let outcome = h.publish(&bundle);
        h.proxy.reset_counters();
        let report = device.sync(&h.url(), "36c3").await.unwrap();
        let bytes = h.proxy.traffic().total();
        let file = marktplatz_tests::shared_data_dir()
            .join("c3voc-json")
            .join(files[n]);
        let file_bytes = std::fs::metadata(&file).unwrap().len();
        println!(
            "  {:<48} {:>9} bytes synced vs {:>9} bytes of schedule file ({} added, {} updated, {} removed)",
            files[n], bytes, file_bytes, outcome.added, outcome.updated, outcome.removed
        );
        let summary = &report.content.summary;
        assert_eq!(
            (summary.total() as u64),
            outcome.added + outcome.updated + outcome.removed,
            "version {n}: {summary:?} vs {outcome:?}"
        );
        // The device holds exactly a fresh import of this version: every entity identical...
        for entity in bundle.entities() {
            let held = device
                .store
                .entity("36c3", entity.kind(), entity.id())
                .unwrap();
            assert_eq!(
                held.as_ref(),
                Some(&entity),
                "version {n}: {} {}",
                entity.kind(),
                entity.id()
            );
        }
        // ...and nothing more of any kind.
        let overview = device.store.event_overview("36c3").unwrap();
        assert_eq!(overview.session_count as usize, bundle.sessions.len());
        assert_eq!(overview.speaker_count as usize, bundle.speakers.len());
        assert_eq!(overview.location_count as usize, bundle.locations.len());
        assert_eq!(
            device.store.tracks("36c3").unwrap().len(),
            bundle.tracks.len()
        );
        if n > 0 {
            assert!(
                bytes < previous_bytes,
                "a delta ({bytes}) costs less than the first sync ({previous_bytes})"
            );
            assert!(
                bytes * 3 < file_bytes,
                "step {n}: {bytes} bytes vs a {file_bytes}-byte file"
            );
        } else {
            previous_bytes = bytes;
        }
    }
}
