#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A device's first sync builds what is derived from the content (list rows' speaker names,
//! the search index) once, with its last page (issue 23): interrupted, resumed, or cut short by
//! a re-bootstrap, the device ends with the same derived data as one built row by row, and
//! content it shows while a later snapshot runs is listed and searchable. Pages hold 4
//! entities here.

use std::path::Path;

use rusqlite::OptionalExtension;

use marktplatz_core::Error;
use marktplatz_core::error::SqliteContext;
use marktplatz_core::search::{SearchCache, SearchQuery, search};
use marktplatz_core::store::Store;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::{Device, Fault, Harness};

const EVENT: &str = "mp-nordwest";

fn hits(store: &Store, text: &str) -> usize {
    search(
        store,
        &SearchCache::default(),
        &SearchQuery::new(EVENT, text),
    )
    .unwrap()
    .len()
}

/// A session's list row's speaker names (`None` also when the session is not stored).
fn speaker_names(store: &Store, session: &str) -> Option<String> {
    store
        .read(|tx| {
            tx.query_row(
                "SELECT speaker_names FROM session WHERE event_id = ?1 AND id = ?2",
                [EVENT, session],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()
            .context("test")
        })
        .unwrap()
        .flatten()
}

/// The index and the list rows' speaker names as stored (doc ids aside).
type Derived = (
    Vec<(String, String, String, String, String, i64)>,
    Vec<Option<String>>,
);

fn derived(store: &Store) -> Derived {
    store
        .read(|tx| {
            let docs = tx
                .prepare(
                    "SELECT kind, entity_id, title, people, place, digest FROM search_doc
                     WHERE event_id = ?1 ORDER BY kind, entity_id",
                )
                .and_then(|mut s| {
                    s.query_map([EVENT], |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                        ))
                    })?
                    .collect()
                })
                .context("test")?;
            let names = tx
                .prepare("SELECT speaker_names FROM session WHERE event_id = ?1 ORDER BY id")
                .and_then(|mut s| s.query_map([EVENT], |r| r.get(0))?.collect())
                .context("test")?;
            Ok((docs, names))
        })
        .unwrap()
}

/// What rebuilding everything derived, row by row, gives (the reference).
fn rebuilt_row_by_row(store: &Store) -> Derived {
    store
        .write_content(|tx| {
            tx.sql()
                .execute_batch(
                    "UPDATE session SET speaker_names = NULL;
                     UPDATE session SET speaker_names =
                       (SELECT group_concat(sp.name, char(31) ORDER BY ss.position)
                          FROM session_speaker ss
                          JOIN speaker sp ON sp.event_id = ss.event_id AND sp.id = ss.speaker_id
                         WHERE ss.event_id = session.event_id AND ss.session_id = session.id)",
                )
                .context("test")?;
            marktplatz_core::store::search_index::rebuild_all(tx.sql())
        })
        .unwrap();
    derived(store)
}

#[tokio::test]
async fn an_interrupted_first_sync_resumes_and_ends_listed_and_searchable() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let device = h.device("phone");

    // Pages after cursors 0, 4, 8, 12, 16. The fourth never arrives (three tries).
    h.sync_cut_at(&device, EVENT, 12).await;

    device.sync(&h.url(), EVENT).await.unwrap();
    assert!(
        hits(&device.store, "Kommune") >= 2,
        "sessions are searchable"
    );
    assert!(
        hits(&device.store, "Öztürk") >= 1,
        "speakers are searchable"
    );
    assert_eq!(
        speaker_names(&device.store, "erechnung").as_deref(),
        Some("Bernd Muster")
    );
    let built = derived(&device.store);
    assert!(
        built.0.len() >= 12,
        "sessions, speakers, locations, exhibitor, ..."
    );
    assert_eq!(built, rebuilt_row_by_row(&device.store));
}

#[tokio::test]
async fn a_first_sync_cut_short_by_a_new_epoch_keeps_its_pages_listed_and_searchable() {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    h.publish(&bundle);
    let device = h.device("phone");

    // The first sync stops after three pages (speakers, two sessions).
    h.proxy.inject("/12?snapshot", Fault::Reset, 3);
    device.sync(&h.url(), EVENT).await.unwrap_err();
    h.proxy.heal();

    // A new epoch: the device re-bootstraps; its new snapshot stops after its first page.
    bundle.sessions.retain(|s| s.id != "opening");
    h.publish(&bundle);
    h.admin.rotate_epoch(EVENT).unwrap();
    h.proxy.inject("/4?snapshot", Fault::status(500, None), 10);
    let err = device.sync(&h.url(), EVENT).await.unwrap_err();
    assert!(matches!(err, Error::Server { status: 500, .. }), "{err}");
    // What the cut-short first sync brought stays readable, listed and searchable meanwhile.
    assert!(hits(&device.store, "Kommune") >= 1);
    assert_eq!(
        speaker_names(&device.store, "erechnung").as_deref(),
        Some("Bernd Muster")
    );

    h.proxy.heal();
    device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(
        device.store.event_overview(EVENT).unwrap().session_count,
        3,
        "the session the new epoch dropped is gone"
    );
    assert_eq!(
        speaker_names(&device.store, "isms").as_deref(),
        Some("Anna Beispiel")
    );
    assert!(hits(&device.store, "Informationssicherheit") >= 1);
    let built = derived(&device.store);
    assert_eq!(built, rebuilt_row_by_row(&device.store));
}

/// A first sync asks for its next page while it applies the one before (issue 23): each page is
/// still asked for once, the one asked for ahead being the one used, and the result is the same
/// as one built row by row.
#[tokio::test]
async fn a_first_sync_asks_for_each_page_once_while_applying_the_one_before() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let device = h.device("phone");
    h.proxy.reset_counters();
    let report = device.sync(&h.url(), EVENT).await.unwrap();

    let pages: Vec<String> = h
        .proxy
        .exchanges()
        .into_iter()
        .filter(|e| e.path.contains("/changes"))
        .map(|e| e.path)
        .collect();
    assert!(report.content.pages >= 3, "{report:?}");
    assert_eq!(pages.len(), report.content.pages as usize, "{pages:?}");
    let distinct: std::collections::HashSet<&String> = pages.iter().collect();
    assert_eq!(distinct.len(), pages.len(), "{pages:?}");
    assert_eq!(derived(&device.store), rebuilt_row_by_row(&device.store));
}

/// The page asked for ahead, while the page before it is applied (issue 23): when that page is
/// not JSON, or a body in it does not decode, the sync fails naming why, with the pages before
/// it kept and nothing of it applied; the next sync goes on from there and ends as one built
/// row by row.
#[tokio::test]
async fn a_bad_page_read_ahead_fails_the_sync_and_keeps_the_pages_before_it() {
    let not_json = Fault::ok_body("application/json", "{\"epoch\": [1, 2");
    let bad_body = Fault::MapBody(std::sync::Arc::new(|body: &[u8]| {
        String::from_utf8_lossy(body)
            .replacen("\"name\":\"", "\"name\":17,\"x\":\"", 1)
            .into_bytes()
    }));
    for (fault, says) in [(not_json, "is not valid"), (bad_body, "cannot be read")] {
        let h = Harness::start().await;
        h.publish(&small_bundle(EVENT));
        let device = h.device("phone");
        // The first page asked for ahead: `?snapshot=` names every page after the first.
        h.proxy.inject("?snapshot=", fault, 1);
        let err = device.sync(&h.url(), EVENT).await.unwrap_err();
        assert!(matches!(err, Error::Protocol(_)), "{err}");
        assert!(err.to_string().contains(says), "{err}");
        let kept = marktplatz_core::sync::pull::sync_state(&device.store, EVENT).unwrap();
        assert_eq!(
            kept.cursor, 4,
            "the first page (4 entities) kept, the second not applied"
        );

        h.proxy.heal();
        let report = device.sync(&h.url(), EVENT).await.unwrap();
        assert!(report.content.pages >= 3, "{report:?}");
        assert_eq!(derived(&device.store), rebuilt_row_by_row(&device.store));
    }
}

/// The session list indexes in the device's content.db, with their definitions.
fn list_indexes(dir: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(dir.join("content.db")).unwrap();
    conn.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index'
           AND (name LIKE 'session_by_%' OR name = 'session_speaker_by_speaker') ORDER BY name",
    )
    .unwrap()
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

/// Every day's agenda and every speaker's sessions of `event`, as the screens list them.
fn lists(store: &Store, event: &str) -> Vec<Vec<String>> {
    let days: Vec<String> = store
        .read(|tx| {
            tx.prepare("SELECT DISTINCT day FROM session WHERE event_id = ?1 ORDER BY day")
                .and_then(|mut s| s.query_map([event], |r| r.get(0))?.collect())
                .context("test")
        })
        .unwrap();
    let mut lists = Vec::new();
    for day in days {
        let day = day.parse().unwrap();
        let agenda = store.agenda(event, day).unwrap();
        lists.push(agenda.into_iter().map(|s| s.id).collect());
    }
    for speaker in store.speakers(event).unwrap() {
        let sessions = store.sessions_of_speaker(event, &speaker.id).unwrap();
        lists.push(sessions.into_iter().map(|s| s.id).collect());
    }
    lists
}

/// A first sync into a device that holds no other event's sessions writes its pages without the
/// session list indexes and creates them once at its end (issue 23). Cut short, its pages are
/// listed all the same, and the store's next open creates the indexes again as they were.
#[tokio::test]
async fn a_first_sync_builds_the_list_indexes_at_its_end_and_an_open_restores_them_when_cut_short()
{
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let fresh = list_indexes(&h.device("fresh").dir);
    assert_eq!(fresh.len(), 4, "{fresh:?}");

    let device = h.device("phone");
    h.sync_cut_at(&device, EVENT, 12).await;
    assert_eq!(list_indexes(&device.dir), [], "the pages went without them");
    let listed = lists(&device.store, EVENT);
    assert!(listed.iter().any(|l| !l.is_empty()), "{listed:?}");

    let dir = device.dir.clone();
    drop(device);
    let device = Device::open(dir);
    assert_eq!(
        list_indexes(&device.dir),
        fresh,
        "created again when opened"
    );
    assert_eq!(lists(&device.store, EVENT), listed);

    device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(list_indexes(&device.dir), fresh);
    let whole = h.device("whole");
    whole.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(list_indexes(&whole.dir), fresh, "built at the end");
    assert_eq!(lists(&device.store, EVENT), lists(&whole.store, EVENT));
    assert_eq!(derived(&whole.store), rebuilt_row_by_row(&whole.store));
}

/// Another event's sessions are never listed without the indexes: a first sync into a device
/// that holds them writes row by row, and one that starts while a cut-short first sync left the
/// indexes dropped creates them again with its first page.
#[tokio::test]
async fn a_first_sync_keeps_the_list_indexes_when_another_event_is_listed() {
    const OTHER: &str = "mp-suedost";
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    h.publish(&small_bundle(OTHER));
    let device = h.device("phone");
    let fresh = list_indexes(&h.device("fresh").dir);

    h.sync_cut_at(&device, EVENT, 12).await;
    assert_eq!(list_indexes(&device.dir), []);
    device.sync(&h.url(), OTHER).await.unwrap();
    assert_eq!(
        list_indexes(&device.dir),
        fresh,
        "the other event's first page"
    );
    assert!(lists(&device.store, OTHER).iter().any(|l| !l.is_empty()));

    device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(list_indexes(&device.dir), fresh);
    let whole = h.device("whole");
    whole.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(lists(&device.store, EVENT), lists(&whole.store, EVENT));
}
