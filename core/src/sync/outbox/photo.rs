//! A photo for the gallery or a hall plan: kept in the asset folder under its hash until its
//! `photo.add` or `venue.map` is sent, and uploaded just before it (unless the server has it).

use std::path::Path;

use chrono::{DateTime, Utc};
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};

use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::outbox::OutboxEntry;
use crate::sync::assets::{ASSET_DIR, record_local_file};
use crate::sync::cancel::CancelToken;
use crate::sync::client::Client;
use crate::sync::http;
use crate::sync::retry::with_retry;
use marktplatz_model::assets::{image_media_type, sha256_hex};
use marktplatz_model::model::AssetRef;
use marktplatz_model::ops::{MAX_PHOTO_BYTES, Op, new_entity_id};
use marktplatz_model::strip::strip_metadata;
use marktplatz_model::wire;

/// Uploads a queued image (a photo, a hall plan) from the device's asset folder unless the
/// server has it already; `what` is the operation it belongs to, for errors.
pub(super) async fn upload_photo(
    client: &Client,
    store_dir: &Path,
    base_url: &str,
    token: &str,
    what: &str,
    asset: &AssetRef,
    cancel: &CancelToken,
) -> Result<()> {
    let url = format!("{base_url}{}/assets/{}", wire::API_PREFIX, asset.sha256);
    let has = with_retry(&client.config.retry, cancel, || async {
        match http::send(client, Method::HEAD, &url, HeaderMap::new(), None).await {
            Ok(_) => Ok(true),
            Err(Error::Server { status: 404, .. }) => Ok(false),
            Err(e) => Err(e),
        }
    })
    .await?;
    if has {
        return Ok(());
    }
    let path = photo_path(store_dir, &asset.sha256);
    let bytes = std::fs::read(&path).map_err(|e| {
        Error::io(
            format!(
                "reading the queued image of {what} {} (was it deleted?)",
                path.display()
            ),
            e,
        )
    })?;
    if sha256_hex(&bytes) != asset.sha256 {
        return Err(Error::invalid(
            what,
            "image",
            format!(
                "the file {} no longer holds the image that was queued",
                path.display()
            ),
        ));
    }
    let mut headers = http::bearer_headers("organiser", token)?;
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_str(&asset.media_type)
            .map_err(|_| Error::invalid("photo.add", "image", "unusable media type"))?,
    );
    let (url, headers, bytes) = (url.as_str(), &headers, &bytes);
    with_retry(&client.config.retry, cancel, move || async move {
        http::send(
            client,
            Method::PUT,
            url,
            headers.clone(),
            Some(bytes.clone()),
        )
        .await
        .map(|_| ())
    })
    .await
}

/// Where a queued photo waits: in the asset folder, under its hash (a content.db reset keeps
/// the files; the outbox in user.db keeps the reference).
pub fn photo_path(store_dir: &Path, sha256: &str) -> std::path::PathBuf {
    store_dir.join(ASSET_DIR).join(sha256)
}

/// Queues a photo for the gallery: checks it is a JPEG or PNG within the size limit, removes
/// its location and personal metadata (keeping its orientation; a cut-off file is refused),
/// keeps it in the asset folder under the hash of what remains (pinned for the outbox), and
/// queues `photo.add`.
pub fn queue_photo(
    store: &Store,
    event_id: &str,
    bytes: &[u8],
    caption: &str,
    credit: &str,
    taken_at: Option<DateTime<Utc>>,
) -> Result<OutboxEntry> {
    let image = keep_image(store, bytes, "photo.add", "image", "photo")?;
    let op = Op::PhotoAdd {
        id: new_entity_id("photo"),
        image,
        caption: caption.to_string(),
        credit: credit.to_string(),
        taken_at,
    };
    store.queue_op(event_id, op)
}

/// Queues a new hall plan for the event (a JPEG or PNG the organiser photographed or picked):
/// checked, stripped and kept like a gallery photo, then `venue.map`. The stations' positions
/// keep their fractions of the plan, so a plan of the same hall keeps the pins in place.
pub fn queue_hall_plan(store: &Store, event_id: &str, bytes: &[u8]) -> Result<OutboxEntry> {
    let map = keep_image(store, bytes, "venue.map", "map", "hall plan")?;
    let op = Op::VenueMap {
        id: event_id.to_string(),
        map,
    };
    store.queue_op(event_id, op)
}

/// Checks an image for an operation (`what`/`field` name it in errors, `noun` in prose),
/// strips its location and personal metadata, and keeps what remains in the asset folder
/// under its hash, pinned for the outbox until it is uploaded.
fn keep_image(
    store: &Store,
    bytes: &[u8],
    what: &str,
    field: &str,
    noun: &str,
) -> Result<AssetRef> {
    let media_type = image_media_type(bytes)
        .ok_or_else(|| Error::invalid(what, field, format!("the {noun} is not a JPEG or PNG")))?;
    if bytes.len() as u64 > MAX_PHOTO_BYTES {
        return Err(Error::invalid(
            what,
            field,
            format!(
                "the {noun} has {} bytes; at most {MAX_PHOTO_BYTES} fit",
                bytes.len()
            ),
        ));
    }
    // Stripped before hashing: the hash names what attendees will download (the server
    // refuses an upload that still carries such metadata).
    let stripped = strip_metadata(bytes)
        .map_err(|e| Error::invalid(what, field, format!("the {noun} cannot be used: {e}")))?;
    let bytes = stripped.bytes.as_slice();
    let sha256 = sha256_hex(bytes);
    let path = photo_path(store.dir(), &sha256);
    if !path.is_file() {
        let dir = store.dir().join(ASSET_DIR);
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        let temp = dir.join(format!(".{sha256}.queued"));
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut file = std::fs::File::create(&temp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            std::fs::rename(&temp, &path)
        };
        write().map_err(|e| Error::io(format!("keeping the {noun} in {}", dir.display()), e))?;
    }
    record_local_file(store, &sha256, media_type, bytes.len() as u64, "outbox")?;
    Ok(AssetRef {
        sha256,
        media_type: media_type.to_string(),
        bytes: bytes.len() as u64,
        width: None,
        height: None,
    })
}
