#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Publishing sources over loopback (issue 17): the programme, the exhibitor list and the
//! announcements an organiser posts from a phone survive each other's publishes.

use chrono::{TimeZone, Utc};
use marktplatz_core::sync::CancelToken;
use marktplatz_core::sync::client::Client;
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{Entity, EntityKind, Location, MapPosition, Priority};
use marktplatz_model::ops::Op;
use marktplatz_model::source::EntityRef;
use marktplatz_model::wire::PublishOutcome;
use marktplatz_publish::{AssetBytes, Target, preview_source, publish_source, releases};
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::organiser::{organiser_device, push_one};
use marktplatz_tests::{Device, Harness, fast_client_config};

pub(crate) const EVENT: &str = "mp-nordwest";

/// The fixture's sessions, speakers and tracks (and its stations): the programme file.
pub(crate) fn programme() -> Bundle {
    let mut bundle = small_bundle(EVENT);
    bundle.exhibitors.clear();
    bundle.announcements.clear();
    bundle.info_pages.clear();
    bundle
}

/// The fixture's exhibitor at station 1 (in the hall): the exhibitor spreadsheet.
fn exhibitors() -> Bundle {
    let mut bundle = small_bundle(EVENT);
    bundle.sessions.clear();
    bundle.speakers.clear();
    bundle.tracks.clear();
    bundle.announcements.clear();
    bundle.info_pages.clear();
    bundle
        .locations
        .retain(|l| l.id == "hall" || l.id == "station-1");
    bundle
}

pub(crate) async fn publish(
    h: &Harness,
    token: &str,
    source: &str,
    bundle: &Bundle,
) -> PublishOutcome {
    let client = Client::new(fast_client_config()).unwrap();
    let to = Target {
        server_url: &h.url(),
        token,
        event_id: EVENT,
        source,
        note: "",
        confirmed: false,
    };
    publish_source(
        &client,
        &to,
        bundle,
        &AssetBytes::new(),
        &CancelToken::new(),
    )
    .await
    .unwrap()
}

fn location(device: &Device, id: &str) -> Location {
    match device
        .store
        .entity(EVENT, EntityKind::Location, id)
        .unwrap()
    {
        Some(Entity::Location(location)) => location,
        other => panic!("{id} is not a place on the device: {other:?}"),
    }
}

pub(crate) fn has(device: &Device, kind: EntityKind, id: &str) -> bool {
    device.store.entity(EVENT, kind, id).unwrap().is_some()
}

#[tokio::test]
async fn programme_exhibitors_and_phone_announcements_survive_each_others_publishes() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let first = publish(&h, &token, "programme", &programme()).await;
    assert_eq!(first.removed, 0);

    // The exhibitor list does not remove the programme.
    let listed = publish(&h, &token, "exhibitors", &exhibitors()).await;
    assert_eq!((listed.added, listed.removed), (1, 0), "{listed:?}");

    // An announcement posted from the hall.
    let phone = organiser_device(&h, "organiser", EVENT, &token).await;
    phone
        .store
        .queue_op(
            EVENT,
            Op::AnnouncementCreate {
                id: "snacks".into(),
                title: "Häppchen im Foyer".into(),
                body: "Bis 14 Uhr.".into(),
                priority: Priority::Important,
                published_at: Utc.with_ymd_and_hms(2020, 1, 1, 8, 0, 0).unwrap(),
                expires_at: None,
            },
        )
        .unwrap();
    let pushed = phone.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(pushed.push.expect("pushed").accepted, 1);

    // The programme again, one session dropped: only that session goes.
    let mut shorter = programme();
    let dropped = shorter.sessions.remove(0).id;
    let republished = publish(&h, &token, "programme", &shorter).await;
    assert_eq!(
        (republished.added, republished.updated, republished.removed),
        (0, 0, 1),
        "{republished:?}"
    );

    // The exhibitor list emptied: the exhibitor goes, station 1 stays (the programme has it).
    let mut empty = exhibitors();
    empty.exhibitors.clear();
    let emptied = publish(&h, &token, "exhibitors", &empty).await;
    assert_eq!((emptied.added, emptied.removed), (0, 1), "{emptied:?}");

    let attendee = h.device("attendee");
    attendee.sync(&h.url(), EVENT).await.unwrap();
    assert!(has(&attendee, EntityKind::Announcement, "snacks"));
    assert!(!has(&attendee, EntityKind::Exhibitor, "itdz"));
    assert!(!has(&attendee, EntityKind::Session, &dropped));
    for session in &shorter.sessions {
        assert!(
            has(&attendee, EntityKind::Session, &session.id),
            "{}",
            session.id
        );
    }
    assert!(has(&attendee, EntityKind::Location, "station-1"));
    assert!(has(&attendee, EntityKind::Location, "station-3"));
}

#[tokio::test]
async fn an_entity_two_sources_name_stays_until_neither_names_it() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    publish(&h, &token, "programme", &programme()).await;
    publish(&h, &token, "exhibitors", &exhibitors()).await;
    // The programme stops naming station 1's sessions and station 1 itself: still listed.
    let mut without = programme();
    without
        .sessions
        .retain(|s| s.location_id.as_deref() != Some("station-1"));
    without.locations.retain(|l| l.id != "station-1");
    let outcome = publish(&h, &token, "programme", &without).await;
    let dropped_sessions = (programme().sessions.len() - without.sessions.len()) as u64;
    assert_eq!(outcome.removed, dropped_sessions, "{outcome:?}");
    // The exhibitor list drops it too: now it goes.
    let mut gone = exhibitors();
    gone.exhibitors.clear();
    gone.locations.clear();
    let outcome = publish(&h, &token, "exhibitors", &gone).await;
    assert_eq!(outcome.removed, 2, "{outcome:?}");
    let attendee = h.device("attendee");
    attendee.sync(&h.url(), EVENT).await.unwrap();
    assert!(!has(&attendee, EntityKind::Location, "station-1"));
}

#[tokio::test]
async fn every_publish_is_a_release_listed_for_organisers_only() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let client = Client::new(fast_client_config()).unwrap();
    let mut to = Target {
        server_url: &h.url(),
        token: &token,
        event_id: EVENT,
        source: "programme",
        note: "erste Fassung & Räume",
        confirmed: false,
    };
    let none = AssetBytes::new();
    let cancel = CancelToken::new();
    let first = publish_source(&client, &to, &programme(), &none, &cancel)
        .await
        .unwrap();
    to.source = "exhibitors";
    to.note = "";
    publish_source(&client, &to, &exhibitors(), &none, &cancel)
        .await
        .unwrap();
    let list = releases(&client, &h.url(), &token, EVENT, &cancel)
        .await
        .unwrap()
        .releases;
    assert_eq!(list.len(), 2);
    let (newest, oldest) = (&list[0], &list[1]);
    assert_eq!((newest.number, newest.source.as_str()), (2, "exhibitors"));
    assert_eq!((newest.added, newest.removed), (1, 0));
    assert_eq!(oldest.number, 1);
    assert_eq!(oldest.note, "erste Fassung & Räume");
    assert_eq!((oldest.added, oldest.seq), (first.added, first.seq));
    assert!(!oldest.subject.is_empty());

    // Attendees and another event's organisers do not see them.
    let anonymous = marktplatz_tests::raw_http::get(
        h.server.addr(),
        &format!("/v1/events/{EVENT}/releases"),
        &[],
    )
    .await;
    assert_eq!(anonymous.status, 401);
    let other = h.admin.create_token("other-event", "organiser").unwrap();
    let err = releases(&client, &h.url(), &other, EVENT, &cancel)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("403") || err.to_string().contains("forbidden"),
        "{err}"
    );
}

#[tokio::test]
async fn a_preview_stores_nothing_and_equals_what_the_publish_then_does() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    publish(&h, &token, "programme", &programme()).await;
    publish(&h, &token, "exhibitors", &exhibitors()).await;
    let head = h.admin.head(EVENT).unwrap().seq;

    // Next version: one session dropped, one retitled.
    let mut next = programme();
    let dropped = next.sessions.remove(0).id;
    next.sessions[0].title.push_str(" (neu)");
    let retitled = next.sessions[0].id.clone();
    let client = Client::new(fast_client_config()).unwrap();
    let to = Target {
        server_url: &h.url(),
        token: &token,
        event_id: EVENT,
        source: "programme",
        note: "",
        confirmed: false,
    };
    let cancel = CancelToken::new();
    let preview = preview_source(&client, &to, &next, &cancel).await.unwrap();
    assert_eq!(
        h.admin.head(EVENT).unwrap().seq,
        head,
        "a preview stores nothing"
    );
    let listed = releases(&client, &h.url(), &token, EVENT, &cancel)
        .await
        .unwrap();
    assert_eq!(listed.releases.len(), 2, "a preview is no release");
    let refs = |list: &[EntityRef]| {
        list.iter()
            .map(|r| (r.kind.clone(), r.id.clone()))
            .collect::<Vec<_>>()
    };
    let updated: Vec<EntityRef> = preview.updated.iter().map(|c| c.entity()).collect();
    assert_eq!(refs(&preview.removed), vec![("session".into(), dropped)]);
    assert_eq!(refs(&updated), vec![("session".into(), retitled.clone())]);
    assert!(preview.added.is_empty());
    // Field by field: only the title, from the old to the new one.
    let fields: Vec<_> = preview.updated[0]
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.old.clone(), f.new.clone()))
        .collect();
    let old_title = programme().sessions[1].title.clone();
    assert_eq!(
        fields,
        vec![(
            "title",
            Some(serde_json::json!(old_title)),
            Some(serde_json::json!(next.sessions[0].title))
        )]
    );

    // The publish then does exactly that: the same counts, and the log's new entries are
    // exactly the previewed entities.
    let done = publish_source(&client, &to, &next, &AssetBytes::new(), &cancel)
        .await
        .unwrap();
    assert_eq!(
        (done.added, done.updated, done.removed, done.unchanged),
        (
            preview.outcome.added,
            preview.outcome.updated,
            preview.outcome.removed,
            preview.outcome.unchanged
        )
    );
    let epoch = h.admin.head(EVENT).unwrap().epoch;
    let page = marktplatz_tests::raw_http::get(
        h.server.addr(),
        &format!("/v1/events/{EVENT}/changes/{epoch}/{head}"),
        &[],
    )
    .await;
    assert_eq!(page.status, 200);
    let page: marktplatz_model::wire::Page = serde_json::from_slice(&page.body).unwrap();
    assert!(!page.more);
    let mut previewed: Vec<(String, String)> = refs(&updated);
    previewed.extend(refs(&preview.removed));
    previewed.sort();
    let mut logged: Vec<(String, String)> = page
        .changes
        .into_iter()
        .map(|c| (c.kind.as_str().to_string(), c.id))
        .collect();
    logged.sort();
    assert_eq!(logged, previewed);
}

/// Issue 18's finding: the exhibitor list's first publish named a station the programme and an
/// organiser had already described and placed, and cleared what the list does not say.
#[tokio::test]
async fn a_sources_first_publish_of_a_shared_station_keeps_what_its_file_does_not_say() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    publish(&h, &token, "programme", &programme()).await;
    // An organiser places station 1 on the hall plan.
    let phone = organiser_device(&h, "organiser", EVENT, &token).await;
    let placed = MapPosition { x: 0.7, y: 0.3 };
    let place = Op::StationEdit {
        id: "station-1".into(),
        name: None,
        description: None,
        position: Some(placed),
    };
    push_one(&phone, &h.url(), EVENT, place).await;

    // The exhibitor list knows the station by a name of its own, and nothing else about it.
    let mut list = exhibitors();
    for location in &mut list.locations {
        location.description.clear();
        location.position = None;
    }
    let station = list
        .locations
        .iter_mut()
        .find(|l| l.id == "station-1")
        .unwrap();
    station.name = "Station 1: E-Rechnung".into();
    let listed = publish(&h, &token, "exhibitors", &list).await;
    assert_eq!(listed.removed, 0, "{listed:?}");

    let attendee = h.device("attendee");
    attendee.sync(&h.url(), EVENT).await.unwrap();
    let station = location(&attendee, "station-1");
    assert_eq!(
        station.name, "Station 1: E-Rechnung",
        "what the list says wins"
    );
    assert_eq!(
        station.position,
        Some(placed),
        "the organiser's placing stays"
    );
    assert_eq!(
        station.description, "Themeninsel 1",
        "the programme's text stays"
    );
    let hall = location(&attendee, "hall");
    assert_eq!(hall.name, "Markthalle");
}
