#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The bodies' dictionary (issue 23, ADR 0010 part 12) against a real server: a first sync
//! whose first page is large trains one for the event, every body of it and of later deltas is
//! compressed with it, and every entity reads back exactly as published. A small event has
//! none.

use std::path::Path;

use marktplatz_model::bundle::Bundle;
use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::{small_bundle, synthetic_bundle};

const EVENT: &str = "mp-gross";

/// The dictionary rows of a device's content.db: (event, id).
fn dictionaries(dir: &Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(dir.join("content.db")).unwrap();
    conn.prepare("SELECT event_id, dict_id FROM body_dictionary ORDER BY event_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The dictionary ids the stored session bodies' frames name (0: a frame without one, -1: text),
/// each with the number of bodies, and the bodies' bytes as stored.
fn session_frames(dir: &Path, event: &str) -> (Vec<(i64, usize)>, usize) {
    let conn = rusqlite::Connection::open(dir.join("content.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT body FROM session WHERE event_id = ?1")
        .unwrap();
    let bodies: Vec<rusqlite::types::Value> = stmt
        .query_map([event], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut ids = std::collections::BTreeMap::new();
    let mut bytes = 0;
    for body in bodies {
        let id = match &body {
            rusqlite::types::Value::Blob(frame) => {
                bytes += frame.len();
                zstd::zstd_safe::get_dict_id_from_frame(frame).map_or(0, |id| i64::from(id.get()))
            }
            rusqlite::types::Value::Text(text) => {
                bytes += text.len();
                -1
            }
            other => panic!("a body stored as {other:?}"),
        };
        *ids.entry(id).or_insert(0) += 1;
    }
    (ids.into_iter().collect(), bytes)
}

/// Every entity of `bundle` is stored exactly as published.
fn holds(device: &marktplatz_tests::Device, bundle: &Bundle) {
    for entity in bundle.entities() {
        assert_eq!(
            device
                .store
                .entity(&bundle.event.id, entity.kind(), entity.id())
                .unwrap()
                .as_ref(),
            Some(&entity),
            "{} {}",
            entity.kind(),
            entity.id()
        );
    }
}

#[tokio::test]
async fn a_large_first_page_trains_the_events_dictionary_and_every_body_is_made_with_it() {
    let h = Harness::start_with(|config| config.page_limit = 1_000).await;
    let mut bundle = synthetic_bundle(EVENT, 400);
    h.publish(&bundle);
    h.publish(&small_bundle("mp-klein"));

    let device = h.device("phone");
    device.sync(&h.url(), EVENT).await.unwrap();
    device.sync(&h.url(), "mp-klein").await.unwrap();
    let made = dictionaries(&device.dir);
    assert_eq!(made.len(), 1, "only the large event: {made:?}");
    let (event, id) = made[0].clone();
    assert_eq!(event, EVENT);
    let (frames, stored) = session_frames(&device.dir, EVENT);
    assert_eq!(
        frames,
        [(id, 400)],
        "every session body names the dictionary"
    );
    holds(&device, &bundle);
    let (small, _) = session_frames(&device.dir, "mp-klein");
    assert!(small.iter().all(|(id, _)| *id <= 0), "{small:?}");

    // The same bodies compressed alone, as a device without the dictionary keeps them.
    let alone: usize = bundle
        .sessions
        .iter()
        .map(|s| {
            let json = serde_json::to_string(s).unwrap();
            zstd::bulk::compress(json.as_bytes(), 1)
                .unwrap()
                .len()
                .min(json.len())
        })
        .sum();
    assert!(
        stored * 10 < alone * 9,
        "with the dictionary {stored} bytes, alone {alone}"
    );

    // A change later arrives as a delta: its bodies are made with the same dictionary.
    for session in bundle.sessions.iter_mut().take(5) {
        session.title = format!("{} (verlegt)", session.title);
    }
    h.publish(&bundle);
    device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(dictionaries(&device.dir), made);
    let (frames, _) = session_frames(&device.dir, EVENT);
    assert_eq!(frames, [(id, 400)]);
    holds(&device, &bundle);
    let moved = device
        .store
        .session_detail(EVENT, &bundle.sessions[0].id)
        .unwrap();
    assert!(moved.summary.title.ends_with("(verlegt)"), "{moved:?}");

    // Another device trains its own from the programme as it is now.
    let other = h.device("tablet");
    other.sync(&h.url(), EVENT).await.unwrap();
    let trained = dictionaries(&other.dir);
    assert_eq!(trained.len(), 1, "{trained:?}");
    assert_eq!(session_frames(&other.dir, EVENT).0, [(trained[0].1, 400)]);
    holds(&other, &bundle);
}
