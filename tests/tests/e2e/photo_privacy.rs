#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Gallery photos lose their location and personal metadata before anyone can download them
//! (issue 15, point 6), keeping their orientation; the server refuses images that still carry
//! it, and cut-off photos (point 2). Real server on loopback, real device store.

use image::ImageDecoder;
use marktplatz_core::sync;
use marktplatz_core::sync::OpState;
use marktplatz_model::assets::sha256_hex;
use marktplatz_model::wire::code;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::organiser::{
    GPS_TEXT, contains_bytes, organiser_device, photo_jpeg_with_gps, push_all,
};
use marktplatz_tests::{Harness, raw_http};

const EVENT: &str = "mp-nordwest";

#[tokio::test]
async fn attendees_download_gallery_photos_without_location_but_upright() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let organiser = organiser_device(&h, "organiser", EVENT, &token).await;
    let photo = photo_jpeg_with_gps(64, 32);
    assert!(contains_bytes(&photo, GPS_TEXT));
    let queued = sync::queue_photo(&organiser.store, EVENT, &photo, "Halle", "Team", None).unwrap();
    let report = push_all(&organiser, EVENT).await;
    let entries = organiser.store.outbox(EVENT, true).unwrap();
    let entry = entries.iter().find(|e| e.key == queued.key).unwrap();
    assert_eq!(
        entry.state,
        OpState::Accepted,
        "{report:?} {:?}",
        entry.last_error
    );

    let attendee = h.device("attendee");
    attendee.sync(&h.url(), EVENT).await.unwrap();
    let gallery = attendee.store.gallery(EVENT).unwrap();
    let item = gallery
        .iter()
        .find(|g| g.id == queued.op.target().1)
        .unwrap();
    let sha = &item.image.sha256;
    let downloaded = raw_http::get(h.server.addr(), &format!("/v1/assets/{sha}"), &[]).await;
    assert_eq!(downloaded.status, 200);
    let bytes = &downloaded.body;
    assert_eq!(
        &sha256_hex(bytes),
        sha,
        "named by the hash of what is served"
    );
    assert!(
        !contains_bytes(bytes, GPS_TEXT),
        "the location reached attendees"
    );
    assert!(
        !contains_bytes(bytes, b"Musterstrasse"),
        "the comment reached attendees"
    );
    let mut decoder = image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        decoder.orientation().unwrap(),
        image::metadata::Orientation::Rotate90
    );
    let upright = marktplatz_media::decode(bytes).unwrap();
    assert_eq!((upright.width(), upright.height()), (32, 64));
}

#[tokio::test]
async fn the_server_refuses_photos_with_location_or_cut_off() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let auth = format!("Bearer {token}");
    let photo = photo_jpeg_with_gps(64, 32);
    let cut = photo[..photo.len() - 64].to_vec();
    for (bytes, expected, named) in [
        (photo, code::IMAGE_METADATA, "EXIF GPS location"),
        (cut, code::NOT_AN_IMAGE, "ends too early"),
    ] {
        let sha = sha256_hex(&bytes);
        let answer = raw_http::request(
            h.server.addr(),
            "PUT",
            &format!("/v1/assets/{sha}"),
            &[("authorization", &auth), ("content-type", "image/jpeg")],
            &bytes,
        )
        .await;
        assert_eq!(answer.status, 422, "{}", answer.text());
        assert_eq!(answer.json()["code"], expected, "{}", answer.text());
        assert!(answer.text().contains(named), "{}", answer.text());
        let fetched = raw_http::get(h.server.addr(), &format!("/v1/assets/{sha}"), &[]).await;
        assert_eq!(fetched.status, 404, "nothing stored");
    }
}
