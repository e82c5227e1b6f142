#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The server's HTTP contract, checked on the raw bytes: auth, rejected bundles change nothing,
//! ETags and 304s, cache lifetimes, compression thresholds, byte ranges, limits, shutdown.

use std::net::SocketAddr;
use std::time::Duration;

use marktplatz_core::sync::{CancelToken, Client};
use marktplatz_model::assets::sha256_hex;
use marktplatz_model::wire;
use marktplatz_publish::{AssetBytes, publish_bundle};
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::raw_http::{self, RawResponse};
use marktplatz_tests::{Harness, fast_client_config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const EVENT: &str = "mp-nordwest";

async fn put_bundle(
    addr: SocketAddr,
    token: Option<&str>,
    event: &str,
    body: &[u8],
) -> RawResponse {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(auth) = &auth {
        headers.push(("authorization", auth.as_str()));
    }
    raw_http::request(
        addr,
        "PUT",
        &format!("/v1/events/{event}/bundle"),
        &headers,
        body,
    )
    .await
}

fn assert_error(response: &RawResponse, status: u16, code: &str) {
    assert_eq!(response.status, status, "{}", response.text());
    assert_eq!(response.header("cache-control"), Some("no-store"));
    assert_eq!(response.header("content-type"), Some("application/json"));
    let json = response.json();
    assert_eq!(json["code"], code, "{json}");
    assert!(!json["message"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn publishing_needs_the_events_organiser_token() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let other = h.admin.create_token("other-fair", "organiser").unwrap();
    let body = serde_json::to_vec(&small_bundle(EVENT)).unwrap();
    let addr = h.server.addr();
    assert_error(
        &put_bundle(addr, None, EVENT, &body).await,
        401,
        "unauthorized",
    );
    assert_error(
        &put_bundle(addr, Some("wrong"), EVENT, &body).await,
        401,
        "unauthorized",
    );
    // A valid token of another event: known, but not allowed here.
    assert_error(
        &put_bundle(addr, Some(&other), EVENT, &body).await,
        403,
        "forbidden",
    );
    assert_eq!(h.admin.head(EVENT).unwrap().seq, 0);
    let ok = put_bundle(addr, Some(&token), EVENT, &body).await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(ok.json()["added"], 17);
    assert_eq!(ok.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn bad_bundles_are_refused_and_change_nothing() {
    let h = Harness::start_with(|c| c.max_body_bytes = 64 * 1024).await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let addr = h.server.addr();
    h.publish(&small_bundle(EVENT));
    let before = h.admin.head(EVENT).unwrap();

    let mut huge = small_bundle(EVENT);
    huge.sessions[0].description = "x".repeat(100_000);
    let response = put_bundle(
        addr,
        Some(&token),
        EVENT,
        &serde_json::to_vec(&huge).unwrap(),
    )
    .await;
    assert_error(&response, 413, "payload_too_large");

    let response = put_bundle(addr, Some(&token), EVENT, b"{\"format\": ").await;
    assert_error(&response, 400, "malformed_bundle");
    let response = put_bundle(addr, Some(&token), EVENT, &[0xff, 0xfe, 0x00]).await;
    assert_error(&response, 400, "malformed_bundle");

    let mut dangling = small_bundle(EVENT);
    dangling.sessions[0].location_id = Some("nowhere".into());
    let response = put_bundle(
        addr,
        Some(&token),
        EVENT,
        &serde_json::to_vec(&dangling).unwrap(),
    )
    .await;
    assert_error(&response, 422, "invalid_bundle");
    assert!(
        response.json()["message"]
            .as_str()
            .unwrap()
            .contains("nowhere")
    );

    let elsewhere = small_bundle("another-event");
    let response = put_bundle(
        addr,
        Some(&token),
        EVENT,
        &serde_json::to_vec(&elsewhere).unwrap(),
    )
    .await;
    assert_error(&response, 422, "event_mismatch");

    let mut missing = small_bundle(EVENT);
    missing.speakers[0].photo = Some(marktplatz_model::model::AssetRef {
        sha256: "a".repeat(64),
        media_type: "image/jpeg".into(),
        bytes: 10,
        width: None,
        height: None,
    });
    let response = put_bundle(
        addr,
        Some(&token),
        EVENT,
        &serde_json::to_vec(&missing).unwrap(),
    )
    .await;
    assert_error(&response, 422, "missing_assets");

    assert_eq!(h.admin.head(EVENT).unwrap(), before, "nothing changed");
}

#[tokio::test]
async fn the_organiser_client_uploads_missing_assets_then_the_bundle() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    // The server takes only whole images as assets.
    let photo = marktplatz_tests::organiser::photo_jpeg(16, 16);
    let sha = sha256_hex(&photo);
    let mut bundle = small_bundle(EVENT);
    bundle.speakers[0].photo = Some(marktplatz_model::model::AssetRef {
        sha256: sha.clone(),
        media_type: "image/jpeg".into(),
        bytes: photo.len() as u64,
        width: None,
        height: None,
    });
    let client = Client::new(fast_client_config()).unwrap();
    let none = AssetBytes::new();
    let err = publish_bundle(
        &client,
        &h.url(),
        &token,
        EVENT,
        &bundle,
        &none,
        &CancelToken::new(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains(&sha), "{err}");
    let assets = AssetBytes::from([(sha.clone(), photo.clone())]);
    let outcome = publish_bundle(
        &client,
        &h.url(),
        &token,
        EVENT,
        &bundle,
        &assets,
        &CancelToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(outcome.added, 17);
    // Publishing the same again stores nothing new.
    let again = publish_bundle(
        &client,
        &h.url(),
        &token,
        EVENT,
        &bundle,
        &assets,
        &CancelToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(
        (again.added, again.updated, again.removed, again.unchanged),
        (0, 0, 0, 17)
    );
    assert_eq!(again.seq, outcome.seq);
    let asset = raw_http::get(h.server.addr(), &format!("/v1/assets/{sha}"), &[]).await;
    assert_eq!(asset.body, photo);
}

#[tokio::test]
async fn head_and_pages_carry_etags_cache_lifetimes_and_answer_304() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let addr = h.server.addr();
    let head = raw_http::get(addr, &format!("/v1/events/{EVENT}/head"), &[]).await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("cache-control"), Some("max-age=5"));
    let etag = head.header("etag").unwrap().to_string();
    let json = head.json();
    assert_eq!(json["seq"], 17);
    assert_eq!(json["min_retained_seq"], 0);
    let epoch = json["epoch"].as_str().unwrap().to_string();
    let again = raw_http::get(
        addr,
        &format!("/v1/events/{EVENT}/head"),
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    // The first page, without epoch: short-lived even when full (the epoch may change).
    let first = raw_http::get(addr, &format!("/v1/events/{EVENT}/changes"), &[]).await;
    assert_eq!(first.header("cache-control"), Some("max-age=5"));
    assert_eq!(first.json()["more"], true);
    // A full page named by its epoch: immutable.
    let full = raw_http::get(addr, &format!("/v1/events/{EVENT}/changes/{epoch}/4"), &[]).await;
    assert_eq!(
        full.header("cache-control"),
        Some("max-age=31536000, immutable")
    );
    assert_eq!(
        full.header("etag"),
        Some(wire::page_etag(&epoch, 8).as_str())
    );
    // The tail: short-lived.
    let tail = raw_http::get(addr, &format!("/v1/events/{EVENT}/changes/{epoch}/16"), &[]).await;
    assert_eq!(tail.header("cache-control"), Some("max-age=5"));
    assert_eq!(tail.json()["more"], false);
    // The predictable ETag of an empty tail answers 304 with nothing a poll does not need.
    let tag = wire::page_etag(&epoch, 17);
    let poll = raw_http::get(
        addr,
        &format!("/v1/events/{EVENT}/changes/{epoch}/17"),
        &[("if-none-match", &tag), ("accept-encoding", "gzip, zstd")],
    )
    .await;
    assert_eq!(poll.status, 304);
    // (`connection: close` only answers this test's own request header.)
    let names: Vec<&str> = poll
        .headers
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| *k != "connection")
        .collect();
    assert_eq!(
        names,
        vec!["etag", "cache-control", "date"],
        "{:?}",
        poll.headers
    );

    // Errors: no-store, stable codes.
    let gone = raw_http::get(addr, &format!("/v1/events/{EVENT}/changes/old/3"), &[]).await;
    assert_error(&gone, 409, "epoch_mismatch");
    let ahead = raw_http::get(addr, &format!("/v1/events/{EVENT}/changes/{epoch}/99"), &[]).await;
    assert_error(&ahead, 409, "epoch_mismatch");
    let bad = raw_http::get(
        addr,
        &format!("/v1/events/{EVENT}/changes/{epoch}/abc"),
        &[],
    )
    .await;
    assert_error(&bad, 400, "bad_request");
    let unknown = raw_http::get(addr, "/v1/events/nope/head", &[]).await;
    assert_error(&unknown, 404, "event_not_found");
    let nowhere = raw_http::get(addr, "/v2/whatever", &[]).await;
    assert_error(&nowhere, 404, "not_found");
}

#[tokio::test]
async fn a_poll_answered_from_memory_never_hides_a_publication() {
    // The 304 for an unchanged head or tail is answered before any handler (server/src/http/poll.rs);
    // after a publication the same request must reach the router and get the change.
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    h.publish(&bundle);
    let addr = h.server.addr();
    let head = raw_http::get(addr, &format!("/v1/events/{EVENT}/head"), &[]).await;
    let head_tag = head.header("etag").unwrap().to_string();
    let epoch = head.json()["epoch"].as_str().unwrap().to_string();
    let seq = head.json()["seq"].as_u64().unwrap();
    let tail = format!("/v1/events/{EVENT}/changes/{epoch}/{seq}");
    let tail_tag = wire::page_etag(&epoch, seq);
    for _ in 0..3 {
        let poll = raw_http::get(addr, &tail, &[("if-none-match", &tail_tag)]).await;
        assert_eq!(poll.status, 304);
        let poll = raw_http::get(
            addr,
            &format!("/v1/events/{EVENT}/head"),
            &[("if-none-match", &head_tag)],
        )
        .await;
        assert_eq!(poll.status, 304);
    }
    // An ETag that is not the current one, or another epoch: the router answers.
    let other = raw_http::get(addr, &tail, &[("if-none-match", "\"x\"")]).await;
    assert_eq!(other.status, 200);
    let stale_epoch = raw_http::get(
        addr,
        &format!("/v1/events/{EVENT}/changes/old/{seq}"),
        &[("if-none-match", &wire::page_etag("old", seq))],
    )
    .await;
    assert_error(&stale_epoch, 409, "epoch_mismatch");

    bundle.sessions[0].title = "Neu: Eröffnung".into();
    h.publish(&bundle);
    let poll = raw_http::get(addr, &tail, &[("if-none-match", &tail_tag)]).await;
    assert_eq!(poll.status, 200);
    assert!(poll.text().contains("Neu: Eröffnung"), "{}", poll.text());
    let head = raw_http::get(
        addr,
        &format!("/v1/events/{EVENT}/head"),
        &[("if-none-match", &head_tag)],
    )
    .await;
    assert_eq!(head.status, 200);
    assert_eq!(head.json()["seq"].as_u64().unwrap(), seq + 1);
}

#[tokio::test]
async fn retention_horizon_answers_410() {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    h.publish(&bundle);
    bundle.sessions.pop();
    h.publish(&bundle);
    h.admin.purge_tombstones(EVENT, 0).unwrap();
    let head = h.admin.head(EVENT).unwrap();
    assert_eq!(head.min_retained_seq, 18);
    let addr = h.server.addr();
    let path = format!("/v1/events/{EVENT}/changes/{}/17", head.epoch);
    assert_error(
        &raw_http::get(addr, &path, &[]).await,
        410,
        "cursor_expired",
    );
    // A snapshot taken after the purge continues below the horizon.
    let path = format!("/v1/events/{EVENT}/changes/{}/4?snapshot=18", head.epoch);
    assert_eq!(raw_http::get(addr, &path, &[]).await.status, 200);
}

#[tokio::test]
async fn bodies_from_1_kb_are_compressed_and_small_ones_are_not() {
    let h = Harness::start_with(|c| c.page_limit = 500).await;
    h.publish(&small_bundle(EVENT));
    let addr = h.server.addr();
    let path = format!("/v1/events/{EVENT}/changes");
    for (accept, expected) in [("zstd", "zstd"), ("gzip", "gzip"), ("gzip, zstd", "zstd")] {
        let big = raw_http::get(addr, &path, &[("accept-encoding", accept)]).await;
        assert_eq!(big.header("content-encoding"), Some(expected), "{accept}");
        assert_eq!(big.header("vary"), Some("accept-encoding"));
    }
    let plain = raw_http::get(addr, &path, &[]).await;
    assert!(plain.header("content-encoding").is_none());
    assert!(plain.body.len() > 4096);
    let small = raw_http::get(
        addr,
        &format!("/v1/events/{EVENT}/head"),
        &[("accept-encoding", "zstd")],
    )
    .await;
    assert!(small.header("content-encoding").is_none());
    assert!(small.header("vary").is_none());
}

#[tokio::test]
async fn assets_are_immutable_and_served_by_range() {
    let h = Harness::start().await;
    let bytes: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
    let asset = h.admin.put_asset(&bytes, "image/png").unwrap();
    let addr = h.server.addr();
    let path = format!("/v1/assets/{}", asset.sha256);
    let etag = wire::asset_etag(&asset.sha256);

    let whole = raw_http::get(addr, &path, &[("accept-encoding", "gzip, zstd")]).await;
    assert_eq!(whole.status, 200);
    assert_eq!(whole.body, bytes);
    assert_eq!(
        whole.header("cache-control"),
        Some("max-age=31536000, immutable")
    );
    assert_eq!(whole.header("etag"), Some(etag.as_str()));
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    assert_eq!(whole.header("content-type"), Some("image/png"));
    assert!(whole.header("content-encoding").is_none());

    let part = raw_http::get(
        addr,
        &path,
        &[("range", "bytes=1000-1999"), ("if-range", &etag)],
    )
    .await;
    assert_eq!(part.status, 206);
    assert_eq!(part.header("content-range"), Some("bytes 1000-1999/5000"));
    assert_eq!(part.body, bytes[1000..2000]);
    let tail = raw_http::get(addr, &path, &[("range", "bytes=4990-")]).await;
    assert_eq!(tail.body, bytes[4990..]);
    let stale = raw_http::get(
        addr,
        &path,
        &[("range", "bytes=1000-"), ("if-range", "\"other\"")],
    )
    .await;
    assert_eq!(stale.status, 200, "If-Range mismatch sends the whole asset");
    assert_eq!(stale.body.len(), 5000);
    let beyond = raw_http::get(addr, &path, &[("range", "bytes=9000-")]).await;
    assert_error(&beyond, 416, "range_not_satisfiable");
    assert_eq!(beyond.header("content-range"), Some("bytes */5000"));
    let cached = raw_http::get(addr, &path, &[("if-none-match", &etag)]).await;
    assert_eq!(cached.status, 304);
    let head = raw_http::request(addr, "HEAD", &path, &[], &[]).await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some("5000"));

    let missing = raw_http::get(addr, &format!("/v1/assets/{}", "b".repeat(64)), &[]).await;
    assert_error(&missing, 404, "asset_not_found");
    let not_hash = raw_http::get(addr, "/v1/assets/xyz", &[]).await;
    assert_error(&not_hash, 400, "bad_request");

    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let auth = format!("Bearer {token}");
    let wrong = raw_http::request(
        addr,
        "PUT",
        &format!("/v1/assets/{}", "c".repeat(64)),
        &[("authorization", &auth), ("content-type", "image/png")],
        b"some bytes",
    )
    .await;
    assert_error(&wrong, 422, "hash_mismatch");
    let anonymous =
        raw_http::request(addr, "PUT", &path, &[("content-type", "image/png")], &bytes).await;
    assert_error(&anonymous, 401, "unauthorized");
}

#[tokio::test]
async fn concurrent_publishers_never_make_a_device_miss_a_change() {
    let h = Harness::start().await;
    let data = h.root.path().join("server");
    // The writers publish into the server's own database (PostgreSQL when the harness runs on
    // it; on SQLite, its file in the data directory).
    let database = h.database.as_ref().map(|d| d.url().to_string());
    h.publish(&small_bundle(EVENT));
    let device = h.device("phone");
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (data, database) = (data.clone(), database.clone());
            std::thread::spawn(move || {
                let admin =
                    marktplatz_server::Admin::open_with(&data, database.as_deref()).unwrap();
                for round in 0..15 {
                    let mut bundle = small_bundle(EVENT);
                    bundle.sessions[w].title = format!("Writer {w} round {round}");
                    bundle.speakers[w % 3].bio = format!("bio {w}/{round}");
                    admin.publish(bundle).unwrap();
                }
            })
        })
        .collect();
    // The device syncs over and over while the writers run.
    while writers.iter().any(|w| !w.is_finished()) {
        device.sync(&h.url(), EVENT).await.unwrap();
    }
    for writer in writers {
        writer.join().unwrap();
    }
    device.sync(&h.url(), EVENT).await.unwrap();
    // The device's content equals the server's, entity by entity.
    let served = raw_http::get(h.server.addr(), &format!("/v1/events/{EVENT}/bundle"), &[]).await;
    let served = marktplatz_model::bundle::Bundle::from_json(&served.text()).unwrap();
    for entity in served.entities() {
        let held = device
            .store
            .entity(EVENT, entity.kind(), entity.id())
            .unwrap();
        assert_eq!(
            held.as_ref(),
            Some(&entity),
            "{} {}",
            entity.kind(),
            entity.id()
        );
    }
}

#[tokio::test]
async fn shutdown_finishes_requests_in_flight() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    // A whole image of about 200 KB: the server takes only whole images as assets.
    let bytes = marktplatz_tests::organiser::noise_png(260, 260);
    let sha = sha256_hex(&bytes);
    let addr = h.server.addr();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "PUT /v1/assets/{sha} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\ncontent-type: image/png\r\ncontent-length: {}\r\n\r\n",
        bytes.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&bytes[..100_000]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let Harness {
        server,
        admin,
        proxy,
        root,
        database: _database,
    } = h;
    let stopping = tokio::spawn(server.shutdown());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!stopping.is_finished(), "waits for the upload in flight");
    stream.write_all(&bytes[100_000..]).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    tokio::time::timeout(Duration::from_secs(5), stopping)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no longer listening"
    );
    assert!(admin.put_asset(&bytes, "image/png").is_ok());
    drop((proxy, root));
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_for_a_free_slot() {
    let h = Harness::start_with(|c| c.max_connections = 2).await;
    h.publish(&small_bundle(EVENT));
    let addr = h.server.addr();
    let idle_a = tokio::net::TcpStream::connect(addr).await.unwrap();
    let idle_b = tokio::net::TcpStream::connect(addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let path = format!("/v1/events/{EVENT}/head");
    let waiting = tokio::spawn(async move { raw_http::get(addr, &path, &[]).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !waiting.is_finished(),
        "a third connection is not served while two are open"
    );
    drop(idle_a);
    let answer = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(answer.status, 200);
    drop(idle_b);
}

#[tokio::test]
async fn idle_connections_lose_their_slot() {
    let h = Harness::start_with(|c| {
        c.max_connections = 1;
        c.idle_timeout = Duration::from_millis(300);
    })
    .await;
    h.publish(&small_bundle(EVENT));
    let addr = h.server.addr();
    // A phone that connected and vanished without a word.
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let path = format!("/v1/events/{EVENT}/head");
    let answer = tokio::time::timeout(Duration::from_secs(3), raw_http::get(addr, &path, &[]))
        .await
        .expect("the idle connection was closed and its slot reused");
    assert_eq!(answer.status, 200);
    let mut rest = Vec::new();
    let _ = silent.read_to_end(&mut rest).await;
}

#[tokio::test]
async fn publishing_purges_tombstones_past_the_retention_period() {
    let h = Harness::start_with(|c| c.tombstone_retention_secs = Some(0)).await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let addr = h.server.addr();
    let mut bundle = small_bundle(EVENT);
    let first = put_bundle(
        addr,
        Some(&token),
        EVENT,
        &serde_json::to_vec(&bundle).unwrap(),
    )
    .await;
    assert_eq!(first.status, 200);
    bundle.sessions.pop();
    let second = put_bundle(
        addr,
        Some(&token),
        EVENT,
        &serde_json::to_vec(&bundle).unwrap(),
    )
    .await;
    assert_eq!(second.json()["removed"], 1);
    let head = h.admin.head(EVENT).unwrap();
    assert_eq!(
        head.min_retained_seq, head.seq,
        "the tombstone went at once"
    );
}

/// Issue 15 point 5: a text field over `MAX_TEXT_FIELD_BYTES` is refused at publish, naming the
/// entity and the field; the event as published before stays as it was.
#[tokio::test]
async fn publishing_refuses_a_text_field_over_the_limit_naming_it() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let addr = h.server.addr();
    let mut bundle = small_bundle(EVENT);
    let before = h.publish(&bundle);
    bundle.sessions[0].description = "x".repeat(marktplatz_model::wire::MAX_TEXT_FIELD_BYTES + 1);
    let id = bundle.sessions[0].id.clone();
    let response = put_bundle(
        addr,
        Some(&token),
        EVENT,
        &serde_json::to_vec(&bundle).unwrap(),
    )
    .await;
    assert_error(&response, 422, "invalid_bundle");
    let message = response.json()["message"].as_str().unwrap().to_string();
    assert!(
        message.contains(&format!("session '{id}': description:")),
        "{message}"
    );
    let again = h.publish(&small_bundle(EVENT));
    assert_eq!(again.seq, before.seq, "nothing was published");
}

/// Issue 15: a bundle naming a key twice is refused, naming the key.
#[tokio::test]
async fn publishing_refuses_a_key_named_twice() {
    let h = Harness::start().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let text = serde_json::to_string(&small_bundle(EVENT))
        .unwrap()
        .replacen(r#""title":"#, r#""title":"Harmlos","title":"#, 1);
    let response = put_bundle(h.server.addr(), Some(&token), EVENT, text.as_bytes()).await;
    assert_error(&response, 400, "malformed_bundle");
    let message = response.json()["message"].as_str().unwrap().to_string();
    assert!(message.contains("\"title\" appears twice"), "{message}");
}
