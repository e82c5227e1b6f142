#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A hall plan from an organiser's phone (issue 21): queued as `venue.map` with its image,
//! stripped of location like a gallery photo, uploaded by `push`, and on a second device the
//! event's plan is that image (cached for offline use) with the stations' pins on it.

use marktplatz_core::Error;
use marktplatz_core::sync;
use marktplatz_core::sync::OpState;
use marktplatz_model::assets::sha256_hex;
use marktplatz_model::model::{AssetRef, MapPosition};
use marktplatz_model::ops::{MAX_PHOTO_BYTES, Op};
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::organiser::{
    GPS_TEXT, contains_bytes, noise_png, organiser_device, photo_jpeg_with_gps, push_all,
};
use marktplatz_tests::{Device, Harness, raw_http};

const EVENT: &str = "mp-nordwest";

/// A server with the small event and an organiser's phone synced to it.
async fn organiser_of_small_event() -> (Harness, Device) {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let organiser = organiser_device(&h, "organiser", EVENT, &token).await;
    (h, organiser)
}

/// The event's hall plan as the device shows it.
fn plan_of(device: &Device) -> Option<AssetRef> {
    device.store.event_overview(EVENT).unwrap().event.venue.map
}

#[tokio::test]
async fn a_hall_plan_from_a_phone_reaches_the_attendees_with_the_pins_on_it() {
    let (h, organiser) = organiser_of_small_event().await;
    let plan = photo_jpeg_with_gps(96, 64);
    assert!(contains_bytes(&plan, GPS_TEXT));

    let queued = sync::queue_hall_plan(&organiser.store, EVENT, &plan).unwrap();
    let Op::VenueMap { id, map } = &queued.op else {
        panic!("queued {:?}", queued.op);
    };
    assert_eq!(id, EVENT);
    assert_eq!(map.media_type, "image/jpeg");
    // Shown at once on the organiser's phone, before it is sent.
    let shown = plan_of(&organiser).map(|m| m.sha256);
    assert_eq!(shown.as_ref(), Some(&map.sha256));
    // A pin placed on the new plan travels with it.
    organiser
        .store
        .queue_op(
            EVENT,
            Op::StationEdit {
                id: "station-2".into(),
                name: None,
                description: None,
                position: Some(MapPosition { x: 0.25, y: 0.75 }),
            },
        )
        .unwrap();

    let report = push_all(&organiser, EVENT).await;
    let entries = organiser.store.outbox(EVENT, true).unwrap();
    assert!(
        entries.iter().all(|e| e.state == OpState::Accepted),
        "{report:?} {:?}",
        entries
            .iter()
            .map(|e| (&e.state, &e.last_error))
            .collect::<Vec<_>>()
    );

    let attendee = h.device("attendee");
    attendee.sync(&h.url(), EVENT).await.unwrap();
    let venue_map = plan_of(&attendee).expect("the plan arrived");
    assert_eq!(venue_map.sha256, map.sha256);
    let cached = attendee
        .cache
        .get(&attendee.store, &venue_map.sha256)
        .unwrap()
        .expect("the plan is kept for offline use");
    let bytes = std::fs::read(cached).unwrap();
    assert_eq!(sha256_hex(&bytes), venue_map.sha256);
    assert!(
        !contains_bytes(&bytes, GPS_TEXT),
        "the location reached attendees"
    );
    assert_eq!(marktplatz_media::decode(&bytes).unwrap().height(), 96);
    let served = raw_http::get(
        h.server.addr(),
        &format!("/v1/assets/{}", venue_map.sha256),
        &[],
    )
    .await;
    assert_eq!(served.status, 200);

    let stations = attendee.store.stations(EVENT).unwrap();
    let pin = |id: &str| {
        stations
            .iter()
            .find(|s| s.location.id == id)
            .and_then(|s| s.location.position)
    };
    assert_eq!(pin("station-2"), Some(MapPosition { x: 0.25, y: 0.75 }));
    let untouched = pin("station-3").expect("an untouched pin stays");
    assert!(
        (untouched.x - 0.6).abs() < 1e-9 && untouched.y == 0.5,
        "{untouched:?}"
    );
}

#[tokio::test]
async fn a_hall_plan_that_is_no_image_or_too_large_is_refused_with_its_reason() {
    let (_server, organiser) = organiser_of_small_event().await;
    let refused = |bytes: &[u8]| match sync::queue_hall_plan(&organiser.store, EVENT, bytes) {
        Err(error @ Error::Invalid { .. }) => error.to_string(),
        other => panic!("{other:?}"),
    };
    let text = refused(b"%PDF-1.7 a plan as PDF");
    assert!(
        text.contains("venue.map") && text.contains("not a JPEG or PNG"),
        "{text}"
    );
    let mut huge = noise_png(8, 8);
    huge.resize(MAX_PHOTO_BYTES as usize + 1, 0);
    let text = refused(&huge);
    assert!(
        text.contains("hall plan") && text.contains(&MAX_PHOTO_BYTES.to_string()),
        "{text}"
    );
    let cut = photo_jpeg_with_gps(64, 32);
    let text = refused(&cut[..cut.len() - 64]);
    assert!(text.contains("cannot be used"), "{text}");
    assert!(organiser.store.outbox(EVENT, true).unwrap().is_empty());
    assert!(plan_of(&organiser).is_none());
}
