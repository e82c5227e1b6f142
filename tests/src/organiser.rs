//! Helpers for the organiser tests: a synced organiser device, photos, outbox waits.

use std::time::{Duration, Instant};

use marktplatz_core::sync;
use marktplatz_core::sync::{OpState, OutboxEntry};

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
