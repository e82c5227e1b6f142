//! Helpers for the organiser tests: a synced organiser device, photos, outbox waits.

use std::time::{Duration, Instant};

use marktplatz_core::sync;
use marktplatz_core::sync::{OpState, OutboxEntry, PushOptions, PushReport};
use marktplatz_model::ops::Op;

use crate::{Device, Harness};

/// A JPEG photo of `width` x `height` (a gradient: compresses like a photo, not like noise).
pub fn photo_jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    marktplatz_media::encode_jpeg(&image, 85).unwrap_or_else(|e| panic!("jpeg: {e}"))
}

/// A device that synced `event` and holds an organiser token for it (pushing to the proxy).
pub async fn organiser_device(h: &Harness, name: &str, event: &str, token: &str) -> Device {
    let device = h.device(name);
    device
        .sync(&h.url(), event)
        .await
        .unwrap_or_else(|e| panic!("sync {name}: {e}"));
    sync::set_organiser(&device.store, event, &h.url(), token)
        .unwrap_or_else(|e| panic!("organiser {name}: {e}"));
    device
}

/// Queues `op` on an organiser's phone and syncs: the server accepted exactly that one.
pub async fn push_one(phone: &Device, server_url: &str, event: &str, op: Op) {
    phone
        .store
        .queue_op(event, op)
        .unwrap_or_else(|e| panic!("queue: {e}"));
    let synced = phone
        .sync(server_url, event)
        .await
        .unwrap_or_else(|e| panic!("sync: {e}"));
    let accepted = synced.push.map(|push| push.accepted);
    assert_eq!(accepted, Some(1), "the operation was pushed and accepted");
}

/// Pushes everything the phone's outbox holds for `event` (default options); panics on error.
pub async fn push_all(phone: &Device, event: &str) -> PushReport {
    sync::push(&phone.client, &phone.store, event, &PushOptions::default())
        .await
        .unwrap_or_else(|e| panic!("push: {e}"))
}

/// Polls the outbox until `done(entries)` holds or `limit` passes (then panics with the outbox).
pub async fn wait_for_outbox(
    device: &Device,
    event: &str,
    limit: Duration,
    done: impl Fn(&[OutboxEntry]) -> bool,
) -> Vec<OutboxEntry> {
    let started = Instant::now();
    loop {
        let entries = device
            .store
            .outbox(event, true)
            .unwrap_or_else(|e| panic!("outbox: {e}"));
        if done(&entries) {
            return entries;
        }
        if started.elapsed() > limit {
            let states: Vec<(i64, OpState, Option<String>)> = entries
                .iter()
                .map(|e| (e.id, e.state, e.last_error.clone()))
                .collect();
            panic!("the outbox did not get there in {limit:?}: {states:?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn states(entries: &[OutboxEntry]) -> Vec<OpState> {
    entries.iter().map(|e| e.state).collect()
}

/// Big-endian EXIF ("Exif\0\0" + TIFF) with `orientation` and a GPS IFD; the coordinates are
/// the text `GPS 52.5200N 13.4050E`, so a test can look for them in the bytes.
pub fn exif_with_gps(orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x02".to_vec();
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38, 0, 0, 0, 0]);
    tiff.extend_from_slice(&[0, 1, 0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0, 0, 0, 0, 0]);
    tiff.extend_from_slice(b"GPS 52.5200N 13.4050E");
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff);
    payload
}

/// The location [`photo_jpeg_with_gps`] carries in its EXIF, to look for in what is served.
pub const GPS_TEXT: &[u8] = b"GPS 52.5200N";

/// Whether `haystack` holds `needle` anywhere (a location or comment left in an image).
pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// [`photo_jpeg`] as a phone writes it: GPS EXIF (rotated 90°: orientation 6) and a comment.
pub fn photo_jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
    let plain = photo_jpeg(width, height);
    let mut out = plain[..2].to_vec();
    for (marker, payload) in [
        (0xE1, exif_with_gps(6)),
        (0xFE, b"Musterstrasse 1".to_vec()),
    ] {
        out.extend_from_slice(&[0xFF, marker]);
        out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&payload);
    }
    out.extend_from_slice(&plain[2..]);
    out
}

/// A whole image of `width` x `height` noise pixels (does not compress: about 3 bytes a pixel
/// as PNG), for tests that need a large upload the server accepts.
pub fn noise_png(width: u32, height: u32) -> Vec<u8> {
    let pixels = crate::crash::noise(7, (width * height * 3) as usize);
    let image = image::RgbImage::from_raw(width, height, pixels)
        .unwrap_or_else(|| panic!("{width}x{height} noise"));
    marktplatz_media::encode_png(&image).unwrap_or_else(|e| panic!("png: {e}"))
}

/// Posts an organiser operation straight to the server (no device, no outbox) and returns its
/// answer: the fastest way for a test to change an event "from elsewhere".
pub async fn post_op(
    addr: std::net::SocketAddr,
    token: &str,
    key: &str,
    request: &marktplatz_model::ops::OpRequest,
) -> crate::raw_http::RawResponse {
    let auth = format!("Bearer {token}");
    let body = serde_json::to_vec(request).unwrap_or_else(|e| panic!("op: {e}"));
    crate::raw_http::request(
        addr,
        "POST",
        &format!("/v1/events/{}/ops", request.event),
        &[
            ("authorization", auth.as_str()),
            ("idempotency-key", key),
            ("content-type", "application/json"),
        ],
        &body,
    )
    .await
}
