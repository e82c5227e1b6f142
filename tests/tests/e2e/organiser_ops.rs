#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Organiser operations end to end over loopback: queued offline and shown at once, drained
//! by themselves when the network returns, applied exactly once (also when answers are lost),
//! conflicts between two organisers, and a refused operation that does not stall the queue.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use marktplatz_core::sync;
use marktplatz_core::sync::outbox::{self, OutboxPolicy};
use marktplatz_core::sync::{CancelToken, OpState, PushOptions, PushStop, push};
use marktplatz_model::model::{Entity, EntityKind, Priority, SessionStatus};
use marktplatz_model::ops::Op;
use marktplatz_tests::Harness;
use marktplatz_tests::fault_proxy::Fault;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::organiser::{
    organiser_device, photo_jpeg, push_all, states, wait_for_outbox,
};

const EVENT: &str = "mp-nordwest";

fn announce(id: &str, title: &str) -> Op {
    Op::AnnouncementCreate {
        id: id.into(),
        title: title.into(),
        body: "Bis 14 Uhr.".into(),
        priority: Priority::Important,
        published_at: Utc.with_ymd_and_hms(2020, 1, 1, 8, 0, 0).unwrap(),
        expires_at: None,
    }
}

fn fast_policy() -> OutboxPolicy {
    OutboxPolicy {
        first_retry: Duration::from_millis(40),
        max_retry: Duration::from_millis(200),
    }
}

fn session_of(entity: Option<Entity>) -> marktplatz_model::model::Session {
    match entity {
        Some(Entity::Session(s)) => s,
        other => panic!("expected a session, got {other:?}"),
    }
}

#[tokio::test]
async fn queued_offline_drains_by_itself_and_applies_exactly_once() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let organiser = organiser_device(&h, "organiser", EVENT, &token).await;
    let attendee = h.device("attendee");
    attendee.sync(&h.url(), EVENT).await.unwrap();

    // The hall has no signal: every operation request is cut off.
    h.proxy.inject("/ops", Fault::Reset, 10_000);
    h.proxy.inject("/v1/assets/", Fault::Reset, 10_000);
    let store = &organiser.store;
    let mut keys = BTreeSet::new();
    let mut queue = |op: Op| keys.insert(store.queue_op(EVENT, op).unwrap().key);
    queue(announce("snacks", "Häppchen und Getränke im Foyer"));
    queue(Op::SessionMove {
        id: "erechnung".into(),
        location_id: "station-3".into(),
    });
    queue(Op::SessionCancel { id: "ozg".into() });
    queue(Op::SessionRetime {
        id: "isms".into(),
        start: Utc.with_ymd_and_hms(2027, 3, 4, 13, 0, 0).unwrap(),
        end: Utc.with_ymd_and_hms(2027, 3, 4, 13, 45, 0).unwrap(),
    });
    queue(Op::StationEdit {
        id: "station-2".into(),
        name: Some("Station 2: Digitale Bürgerdienste".into()),
        description: None,
        position: None,
    });
    // Two operations on one session: the second builds on the first.
    queue(Op::SessionEdit {
        id: "erechnung".into(),
        title: Some("E-Rechnung: Praxisbericht".into()),
        subtitle: None,
        abstract_text: None,
        description: None,
    });
    for n in 0..5 {
        queue(announce(&format!("note-{n}"), &format!("Hinweis {n}")));
    }
    let photo = sync::queue_photo(
        store,
        EVENT,
        &photo_jpeg(1200, 800),
        "Blick in die Markthalle",
        "Team",
        None,
    )
    .unwrap();
    keys.insert(photo.key.clone());
    assert_eq!(keys.len(), 12, "every operation has its own key");

    // Shown at once, before anything reached the server.
    let detail = store.session_detail(EVENT, "erechnung").unwrap();
    assert_eq!(detail.session.location_id.as_deref(), Some("station-3"));
    assert_eq!(detail.session.title, "E-Rechnung: Praxisbericht");
    let now = Utc.with_ymd_and_hms(2027, 3, 4, 12, 0, 0).unwrap();
    assert!(
        store
            .announcements(EVENT, now)
            .unwrap()
            .iter()
            .any(|a| a.title == "Häppchen und Getränke im Foyer")
    );
    let day = chrono::NaiveDate::from_ymd_opt(2027, 3, 4).unwrap();
    let agenda = store.agenda(EVENT, day).unwrap();
    let ozg = agenda.iter().find(|s| s.id == "ozg").unwrap();
    assert_eq!(ozg.status, SessionStatus::Cancelled);
    let isms = agenda.iter().find(|s| s.id == "isms").unwrap();
    assert_eq!(
        isms.local_start, "14:00",
        "retimed, in the event's timezone"
    );
    assert_eq!(
        agenda
            .iter()
            .find(|s| s.id == "opening")
            .unwrap()
            .location_name,
        Some("Markthalle".into())
    );
    assert!(
        store
            .gallery(EVENT)
            .unwrap()
            .iter()
            .any(|g| g.id == photo.op.target().1)
    );
    let stations = store.stations(EVENT).unwrap();
    assert!(
        stations
            .iter()
            .any(|s| s.location.name == "Station 2: Digitale Bürgerdienste")
    );
    // The stored content is untouched underneath.
    let stored = session_of(
        store
            .stored_entity(EVENT, EntityKind::Session, "erechnung")
            .unwrap(),
    );
    assert_eq!(stored.location_id.as_deref(), Some("station-1"));

    // The drainer runs in the background; offline, nothing gets through.
    let wake = Arc::new(tokio::sync::Notify::new());
    let cancel = CancelToken::new();
    let drainer = {
        let (store_dir, wake, cancel) = (organiser.dir.clone(), wake.clone(), cancel.clone());
        tokio::spawn(async move {
            let device = marktplatz_tests::Device::open(store_dir);
            outbox::drain(
                &device.client,
                &device.store,
                EVENT,
                wake,
                cancel,
                fast_policy(),
                Duration::from_millis(100),
            )
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 0);
    let waiting = store.outbox(EVENT, true).unwrap();
    assert!(
        waiting
            .iter()
            .all(|e| matches!(e.state, OpState::Pending | OpState::InFlight)),
        "{:?}",
        states(&waiting)
    );
    assert!(
        waiting[0].attempts >= 2,
        "retried with backoff: {}",
        waiting[0].attempts
    );
    assert!(waiting[0].last_error.is_some());

    // The network returns, but the first two answers are lost on the way back: the server
    // applied those operations, the device does not know, and sends them again.
    h.proxy.heal();
    h.proxy.inject("/ops", Fault::Truncate { keep: 0 }, 2);
    // No new local write, no call: the drainer gets there by itself.
    let entries = wait_for_outbox(&organiser, EVENT, Duration::from_secs(20), |entries| {
        entries.iter().all(|e| e.state == OpState::Accepted)
    })
    .await;
    cancel.cancel();
    drainer.await.unwrap().unwrap();
    assert_eq!(entries.len(), 12);
    // Exactly once: the server holds one result per key, and the log grew by one entry each.
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), keys.len() as u64);
    let seqs: BTreeSet<u64> = entries.iter().map(|e| e.seq.unwrap()).collect();
    assert_eq!(seqs.len(), 12, "each operation got its own seq");
    assert_eq!(h.admin.head(EVENT).unwrap().seq, 17 + 12);
    let replays = h
        .proxy
        .exchanges()
        .iter()
        .filter(|x| x.path.ends_with("/ops") && x.status == 0)
        .count();
    assert!(replays >= 2, "answers were lost: {replays}");

    // Attendees get every change through the ordinary sync.
    let report = attendee.sync(&h.url(), EVENT).await.unwrap();
    // Twelve operations, eleven entities: the two edits of one session arrive as its latest state.
    assert_eq!(
        report.content.summary.total(),
        11,
        "{:?}",
        report.content.summary
    );
    let s = session_of(
        attendee
            .store
            .entity(EVENT, EntityKind::Session, "erechnung")
            .unwrap(),
    );
    assert_eq!(
        (s.location_id.as_deref(), s.title.as_str()),
        (Some("station-3"), "E-Rechnung: Praxisbericht")
    );
    let ozg = session_of(
        attendee
            .store
            .entity(EVENT, EntityKind::Session, "ozg")
            .unwrap(),
    );
    assert_eq!(ozg.status, SessionStatus::Cancelled);
    let notes = attendee.store.announcements(EVENT, now).unwrap();
    assert_eq!(notes.len(), 1 + 6, "{notes:?}");
    let gallery = attendee.store.gallery(EVENT).unwrap();
    let item = gallery
        .iter()
        .find(|g| g.id == photo.op.target().1)
        .unwrap();
    let thumb = item
        .thumbnail
        .as_ref()
        .expect("the server made a thumbnail");
    assert!(thumb.bytes < item.image.bytes);
    assert_eq!(thumb.width, Some(480));

    // The organiser's own sync brings them back as content: done, nothing overlaid any more.
    organiser.sync(&h.url(), EVENT).await.unwrap();
    let entries = store.outbox(EVENT, true).unwrap();
    assert!(
        entries.iter().all(|e| e.state == OpState::Done),
        "{:?}",
        states(&entries)
    );
    assert!(store.outbox(EVENT, false).unwrap().is_empty());
    assert_eq!(
        session_of(
            store
                .entity(EVENT, EntityKind::Session, "erechnung")
                .unwrap()
        ),
        session_of(
            store
                .stored_entity(EVENT, EntityKind::Session, "erechnung")
                .unwrap()
        )
    );
}

#[tokio::test]
async fn sync_pushes_first_and_marks_operations_done() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let organiser = organiser_device(&h, "organiser", EVENT, &token).await;
    organiser
        .store
        .queue_op(EVENT, announce("snacks", "Häppchen und Getränke im Foyer"))
        .unwrap();
    let report = organiser.sync(&h.url(), EVENT).await.unwrap();
    let pushed = report.push.expect("pushed before pulling");
    assert_eq!((pushed.accepted, pushed.remaining), (1, 0));
    assert_eq!(report.content.summary.total(), 1);
    let entries = organiser.store.outbox(EVENT, true).unwrap();
    assert_eq!(states(&entries), vec![OpState::Done]);
}

#[tokio::test]
async fn two_organisers_edit_one_session_one_wins_the_other_is_told_and_keeps_their_text() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let anna = h.admin.create_token(EVENT, "organiser").unwrap();
    let bernd = h.admin.create_token(EVENT, "organiser").unwrap();
    let a = organiser_device(&h, "anna", EVENT, &anna).await;
    let b = organiser_device(&h, "bernd", EVENT, &bernd).await;
    let edit = |title: &str| Op::SessionEdit {
        id: "ozg".into(),
        title: Some(title.into()),
        subtitle: None,
        abstract_text: Some(format!("{title}: Zusammenfassung")),
        description: None,
    };
    a.store
        .queue_op(EVENT, edit("OZG 2.0 – neue Fassung"))
        .unwrap();
    b.store.queue_op(EVENT, edit("OZG 2.0 kompakt")).unwrap();
    let first = push(&a.client, &a.store, EVENT, &PushOptions::default())
        .await
        .unwrap();
    assert_eq!(first.accepted, 1);
    let second = push(&b.client, &b.store, EVENT, &PushOptions::default())
        .await
        .unwrap();
    assert_eq!((second.accepted, second.rejected), (0, 1));

    let entries = b.store.outbox(EVENT, true).unwrap();
    let rejected = &entries[0];
    assert_eq!(rejected.state, OpState::Rejected);
    let rejection = rejected.rejection.as_ref().unwrap();
    assert_eq!(
        (rejection.status, rejection.code.as_str()),
        (409, "conflict")
    );
    assert!(
        rejection.message.contains("changed by someone else"),
        "{}",
        rejection.message
    );
    // Told what the server has now...
    assert!(
        rejection
            .current_body
            .as_ref()
            .unwrap()
            .contains("OZG 2.0 – neue Fassung")
    );
    assert_eq!(
        rejection.current_seq,
        Some(h.admin.head(EVENT).unwrap().seq)
    );
    // ... and their own text is kept.
    match &rejected.op {
        Op::SessionEdit { title, .. } => assert_eq!(title.as_deref(), Some("OZG 2.0 kompakt")),
        other => panic!("{other:?}"),
    }
    // The server kept the winner's edit; a rejected operation is not shown over the content.
    b.sync(&h.url(), EVENT).await.unwrap();
    let shown = session_of(b.store.entity(EVENT, EntityKind::Session, "ozg").unwrap());
    assert_eq!(shown.title, "OZG 2.0 – neue Fassung");
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 1);

    // Having seen it, Bernd sends his version over the current one.
    let again = b.store.retry_rejected(rejected.id).unwrap();
    assert_eq!(again.state, OpState::Pending);
    let third = push(&b.client, &b.store, EVENT, &PushOptions::default())
        .await
        .unwrap();
    assert_eq!(third.accepted, 1);
    b.sync(&h.url(), EVENT).await.unwrap();
    let shown = session_of(b.store.entity(EVENT, EntityKind::Session, "ozg").unwrap());
    assert_eq!(shown.title, "OZG 2.0 kompakt");
}

#[tokio::test]
async fn a_rejected_operation_does_not_stall_the_rest_and_one_entity_keeps_its_order() {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    h.publish(&bundle);
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let organiser = organiser_device(&h, "organiser", EVENT, &token).await;
    let store = &organiser.store;
    store
        .queue_op(EVENT, announce("first", "Erste Meldung"))
        .unwrap();
    // Two moves of one session: the last one made must be the one that stays.
    store
        .queue_op(
            EVENT,
            Op::SessionMove {
                id: "opening".into(),
                location_id: "station-2".into(),
            },
        )
        .unwrap();
    store
        .queue_op(EVENT, Op::SessionCancel { id: "isms".into() })
        .unwrap();
    store
        .queue_op(
            EVENT,
            Op::SessionMove {
                id: "opening".into(),
                location_id: "station-3".into(),
            },
        )
        .unwrap();
    store
        .queue_op(EVENT, announce("last", "Letzte Meldung"))
        .unwrap();
    // Meanwhile the programme office republishes: the session "isms" changed underneath.
    bundle
        .sessions
        .iter_mut()
        .find(|s| s.id == "isms")
        .unwrap()
        .title = "Informationssicherheit: Grundschutz".into();
    h.publish(&bundle);

    let report = push_all(&organiser, EVENT).await;
    assert_eq!(
        (report.accepted, report.rejected, report.remaining),
        (4, 1, 0)
    );
    let entries = store.outbox(EVENT, true).unwrap();
    assert_eq!(
        states(&entries),
        vec![
            OpState::Accepted,
            OpState::Accepted,
            OpState::Rejected,
            OpState::Accepted,
            OpState::Accepted
        ]
    );
    // Sent in the order made: seqs grow along the queue.
    let seqs: Vec<u64> = entries.iter().filter_map(|e| e.seq).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    organiser.sync(&h.url(), EVENT).await.unwrap();
    let opening = session_of(store.entity(EVENT, EntityKind::Session, "opening").unwrap());
    assert_eq!(opening.location_id.as_deref(), Some("station-3"));
    let isms = session_of(store.entity(EVENT, EntityKind::Session, "isms").unwrap());
    assert_eq!(
        isms.status,
        SessionStatus::Scheduled,
        "the refused cancel is not applied"
    );
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 4);
}

#[tokio::test]
async fn a_revoked_token_stops_the_push_and_loses_nothing() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let issued = h
        .admin
        .issue_token(&marktplatz_server::auth::TokenSpec {
            role: marktplatz_server::auth::Role::Organiser,
            event_id: Some(EVENT.into()),
            subject: Some("anna".into()),
            expires_in: None,
        })
        .unwrap();
    let organiser = organiser_device(&h, "organiser", EVENT, &issued.token).await;
    organiser
        .store
        .queue_op(EVENT, announce("a", "Meldung A"))
        .unwrap();
    organiser
        .store
        .queue_op(EVENT, announce("b", "Meldung B"))
        .unwrap();
    assert!(h.admin.revoke_token(&issued.id).unwrap());
    let report = push_all(&organiser, EVENT).await;
    assert!(
        matches!(report.stopped, Some(PushStop::Unauthorized(ref m)) if m.contains("revoked")),
        "{report:?}"
    );
    assert_eq!(
        (report.accepted, report.rejected, report.remaining),
        (0, 0, 2)
    );
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 0);
    // A new token for the same person: everything goes out, nothing twice.
    let renewed = h
        .admin
        .issue_token(&marktplatz_server::auth::TokenSpec {
            role: marktplatz_server::auth::Role::Organiser,
            event_id: Some(EVENT.into()),
            subject: Some("anna".into()),
            expires_in: Some(3600),
        })
        .unwrap();
    sync::set_organiser(&organiser.store, EVENT, &h.url(), &renewed.token).unwrap();
    let report = push_all(&organiser, EVENT).await;
    assert_eq!((report.accepted, report.remaining), (2, 0));
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 2);
}
