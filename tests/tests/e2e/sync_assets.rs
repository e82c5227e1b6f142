#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Assets end to end: small ones travel with the content, full-size gallery images on demand,
//! downloads resume with Range/If-Range, a wrong hash is never used, the budget holds.

use marktplatz_core::Error;
use marktplatz_core::sync::{AssetCache, CancelToken};
use marktplatz_model::assets::sha256_hex;
use marktplatz_model::model::{AssetRef, GalleryItem};
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::{Fault, Harness};

const EVENT: &str = "mp-nordwest";

/// Deterministic incompressible bytes.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

struct Published {
    photo: AssetRef,
    map: AssetRef,
    thumb: AssetRef,
    full: AssetRef,
    full_bytes: Vec<u8>,
}

fn publish_with_assets(h: &Harness) -> Published {
    let photo = h.admin.put_asset(&noise(1, 20_000), "image/jpeg").unwrap();
    let map = h.admin.put_asset(&noise(2, 30_000), "image/png").unwrap();
    let thumb = h.admin.put_asset(&noise(3, 8_000), "image/jpeg").unwrap();
    let full_bytes = noise(4, 900_000);
    let full = h.admin.put_asset(&full_bytes, "image/jpeg").unwrap();
    let mut bundle = small_bundle(EVENT);
    bundle.speakers[0].photo = Some(photo.clone());
    bundle.event.venue.map = Some(map.clone());
    bundle.gallery.push(GalleryItem {
        id: "g1".into(),
        image: full.clone(),
        thumbnail: Some(thumb.clone()),
        caption: "Markthalle".into(),
        credit: String::new(),
        taken_at: None,
    });
    h.publish(&bundle);
    Published {
        photo,
        map,
        thumb,
        full,
        full_bytes,
    }
}

#[tokio::test]
async fn small_assets_come_with_the_content_and_full_images_on_demand() {
    let h = Harness::start().await;
    let p = publish_with_assets(&h);
    let device = h.device("phone");
    let report = device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(report.assets.wanted, 3, "{:?}", report.assets);
    assert_eq!(report.assets.downloaded, 3);
    for asset in [&p.photo, &p.map, &p.thumb] {
        let path = device
            .cache
            .get(&device.store, &asset.sha256)
            .unwrap()
            .unwrap();
        assert_eq!(sha256_hex(&std::fs::read(path).unwrap()), asset.sha256);
    }
    assert!(
        device
            .cache
            .get(&device.store, &p.full.sha256)
            .unwrap()
            .is_none()
    );
    assert!(
        !h.proxy
            .exchanges()
            .iter()
            .any(|e| e.path.contains(&p.full.sha256)),
        "the full image was not downloaded with the content"
    );

    let path = device
        .cache
        .fetch(
            &device.client,
            &device.store,
            &h.url(),
            &p.full,
            &CancelToken::new(),
        )
        .await
        .unwrap();
    assert_eq!(std::fs::read(path).unwrap(), p.full_bytes);

    // A second sync fetches nothing again.
    h.proxy.reset_counters();
    let report = device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(report.assets.wanted, 0);
    assert_eq!(h.proxy.exchanges().len(), 1);
}

#[tokio::test]
async fn an_interrupted_download_resumes_with_a_range() {
    let h = Harness::start().await;
    let p = publish_with_assets(&h);
    let device = h.device("phone");
    h.proxy
        .inject(&p.full.sha256, Fault::Truncate { keep: 300_000 }, 1);
    let path = device
        .cache
        .fetch(
            &device.client,
            &device.store,
            &h.url(),
            &p.full,
            &CancelToken::new(),
        )
        .await
        .unwrap();
    assert_eq!(std::fs::read(path).unwrap(), p.full_bytes);
    let downloads: Vec<_> = h
        .proxy
        .exchanges()
        .into_iter()
        .filter(|e| e.path.contains(&p.full.sha256))
        .collect();
    assert_eq!(downloads.len(), 2, "{downloads:?}");
    assert_eq!(downloads[1].status, 206, "the second request resumed");
    assert!(
        downloads[1].down < 700_000,
        "only the rest was sent again ({} bytes)",
        downloads[1].down
    );
}

#[tokio::test]
async fn a_download_interrupted_across_syncs_resumes_next_time() {
    let h = Harness::start().await;
    let p = publish_with_assets(&h);
    let device = h.device("phone");
    h.proxy
        .inject(&p.full.sha256, Fault::Truncate { keep: 250_000 }, 1);
    h.proxy.inject(&p.full.sha256, Fault::Reset, 2);
    let err = device
        .cache
        .fetch(
            &device.client,
            &device.store,
            &h.url(),
            &p.full,
            &CancelToken::new(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Offline { .. }), "{err}");
    assert!(
        device
            .cache
            .get(&device.store, &p.full.sha256)
            .unwrap()
            .is_none()
    );
    let partial = device.dir.join("assets/partial").join(&p.full.sha256);
    assert_eq!(std::fs::metadata(&partial).unwrap().len(), 250_000);

    // A new app session: a new device handle on the same folder.
    let device = marktplatz_tests::Device::open(device.dir.clone());
    h.proxy.reset_counters();
    let path = device
        .cache
        .fetch(
            &device.client,
            &device.store,
            &h.url(),
            &p.full,
            &CancelToken::new(),
        )
        .await
        .unwrap();
    assert_eq!(std::fs::read(path).unwrap(), p.full_bytes);
    assert_eq!(h.proxy.exchanges()[0].status, 206);
}

#[tokio::test]
async fn a_wrong_hash_is_never_used() {
    let h = Harness::start().await;
    let p = publish_with_assets(&h);
    let device = h.device("phone");
    let wrong = noise(99, p.photo.bytes as usize);
    h.proxy
        .inject(&p.photo.sha256, Fault::ok_body("image/jpeg", wrong), 1);
    let err = device
        .cache
        .fetch(
            &device.client,
            &device.store,
            &h.url(),
            &p.photo,
            &CancelToken::new(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Protocol(_)), "{err}");
    assert!(err.to_string().contains("hash check"), "{err}");
    assert!(
        device
            .cache
            .get(&device.store, &p.photo.sha256)
            .unwrap()
            .is_none()
    );
    assert!(!device.dir.join("assets").join(&p.photo.sha256).exists());

    // In a sync, a failed asset is reported, the content is kept, the next sync fetches it.
    let wrong = noise(98, p.photo.bytes as usize);
    h.proxy
        .inject(&p.photo.sha256, Fault::ok_body("image/jpeg", wrong), 1);
    let report = device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(report.assets.failed.len(), 1, "{:?}", report.assets);
    assert_eq!(device.store.event_overview(EVENT).unwrap().session_count, 4);
    let report = device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(report.assets.downloaded, 1);
    assert!(
        device
            .cache
            .get(&device.store, &p.photo.sha256)
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn the_budget_evicts_old_images_but_keeps_the_pinned_map() {
    let h = Harness::start().await;
    let p = publish_with_assets(&h);
    let device = h.device("phone");
    device.sync(&h.url(), EVENT).await.unwrap();
    // A small budget: the full image (900 kB) does not fit with the rest.
    let cache = AssetCache::new(&device.dir, 100_000);
    cache
        .fetch(
            &device.client,
            &device.store,
            &h.url(),
            &p.full,
            &CancelToken::new(),
        )
        .await
        .unwrap();
    assert!(
        cache.get(&device.store, &p.full.sha256).unwrap().is_some(),
        "in use: kept"
    );
    assert!(
        cache.get(&device.store, &p.map.sha256).unwrap().is_some(),
        "pinned: kept"
    );
    assert!(
        cache.get(&device.store, &p.photo.sha256).unwrap().is_none(),
        "evicted"
    );
    assert!(
        cache.get(&device.store, &p.thumb.sha256).unwrap().is_none(),
        "evicted"
    );
}

/// A real JPEG photo-sized image (a gradient), as an organiser would upload.
fn photo(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 255 / width) as u8,
            (y * 255 / height) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    marktplatz_media::encode_jpeg(&image, 90).unwrap()
}

#[tokio::test]
async fn the_server_makes_gallery_thumbnails_once() {
    let h = Harness::start().await;
    let bytes = photo(1600, 1200);
    let image = h.admin.put_asset(&bytes, "image/jpeg").unwrap();
    assert_eq!((image.width, image.height), (Some(1600), Some(1200)));
    let mut bundle = small_bundle(EVENT);
    bundle.gallery.push(GalleryItem {
        id: "halle".into(),
        image: image.clone(),
        thumbnail: None,
        caption: "Die Markthalle".into(),
        credit: String::new(),
        taken_at: None,
    });
    let outcome = h.publish(&bundle);
    assert_eq!(outcome.thumbnails_made, 1);

    let device = h.device("phone");
    let report = device.sync(&h.url(), EVENT).await.unwrap();
    let gallery = device.store.gallery(EVENT).unwrap();
    let thumb = gallery[0].thumbnail.clone().expect("a thumbnail was made");
    assert_eq!(thumb.media_type, "image/jpeg");
    assert_eq!(thumb.width.max(thumb.height), Some(480));
    assert!(
        thumb.bytes < image.bytes / 4,
        "{} vs {}",
        thumb.bytes,
        image.bytes
    );
    assert_eq!(report.assets.downloaded, 1, "the thumbnail, not the photo");
    assert!(
        device
            .cache
            .get(&device.store, &thumb.sha256)
            .unwrap()
            .is_some()
    );
    assert!(
        device
            .cache
            .get(&device.store, &image.sha256)
            .unwrap()
            .is_none()
    );

    // Republishing the same file reuses the thumbnail: nothing changes.
    let again = h.publish(&bundle);
    assert_eq!((again.updated, again.thumbnails_made), (0, 0));
}

#[tokio::test]
async fn a_gallery_image_that_is_not_an_image_refuses_the_bundle() {
    let h = Harness::start().await;
    let junk = h
        .admin
        .put_asset(b"certainly not a picture", "image/jpeg")
        .unwrap();
    let mut bundle = small_bundle(EVENT);
    bundle.gallery.push(GalleryItem {
        id: "kaputt".into(),
        image: junk,
        thumbnail: None,
        caption: String::new(),
        credit: String::new(),
        taken_at: None,
    });
    let err = h.admin.publish(bundle).unwrap_err();
    assert_eq!(err.code, "invalid_bundle");
    assert!(
        err.message.contains("gallery item 'kaputt'"),
        "{}",
        err.message
    );
    assert!(
        h.admin.head(EVENT).unwrap().seq == 0,
        "nothing was published"
    );
}

#[tokio::test]
async fn concurrent_fetches_of_one_asset_download_it_once() {
    let h = Harness::start().await;
    let p = publish_with_assets(&h);
    let device = h.device("phone");
    let cancel = CancelToken::new();
    let url = h.url();
    let (a, b) = tokio::join!(
        device
            .cache
            .fetch(&device.client, &device.store, &url, &p.full, &cancel),
        device
            .cache
            .fetch(&device.client, &device.store, &url, &p.full, &cancel),
    );
    assert_eq!(a.unwrap(), b.unwrap());
    let downloads = h
        .proxy
        .exchanges()
        .into_iter()
        .filter(|e| e.path.contains(&p.full.sha256))
        .count();
    assert_eq!(downloads, 1);
}
