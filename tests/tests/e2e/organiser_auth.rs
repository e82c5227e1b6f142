#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The write path against bad input and attacks, on the raw HTTP contract: each case answers
//! a clear 4xx and changes nothing (the log's head and the applied operations stay put).

use std::net::SocketAddr;

use marktplatz_model::assets::sha256_hex;
use marktplatz_server::auth::{Role, TokenSpec};
use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::organiser::photo_jpeg;
use marktplatz_tests::raw_http::{self, RawResponse};

const EVENT: &str = "mp-nordwest";

const CANCEL: &str =
    r#"{"event":"mp-nordwest","base":BASE,"op":{"op":"session.cancel","id":"ozg"}}"#;

async fn post_op(addr: SocketAddr, event: &str, token: &str, key: &str, body: &str) -> RawResponse {
    let auth = format!("Bearer {token}");
    raw_http::request(
        addr,
        "POST",
        &format!("/v1/events/{event}/ops"),
        &[
            ("authorization", auth.as_str()),
            ("idempotency-key", key),
            ("content-type", "application/json"),
        ],
        body.as_bytes(),
    )
    .await
}

async fn put_asset(
    addr: SocketAddr,
    token: &str,
    sha: &str,
    media: &str,
    bytes: &[u8],
) -> RawResponse {
    let auth = format!("Bearer {token}");
    raw_http::request(
        addr,
        "PUT",
        &format!("/v1/assets/{sha}"),
        &[("authorization", auth.as_str()), ("content-type", media)],
        bytes,
    )
    .await
}

fn assert_error(response: &RawResponse, status: u16, code: &str) {
    assert_eq!(response.status, status, "{}", response.text());
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let json = response.json();
    assert_eq!(json["code"], code, "{json}");
    assert!(!json["message"].as_str().unwrap().is_empty());
}

/// A server with the small event published, an organiser token and the session's version.
async fn setup() -> (Harness, String, u64) {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let head = h.admin.head(EVENT).unwrap().seq;
    (h, token, head)
}

/// The seq of session "ozg" as the server holds it (from a first sync page).
async fn ozg_version(h: &Harness) -> u64 {
    let page = raw_http::get(h.server.addr(), &format!("/v1/events/{EVENT}/changes"), &[]).await;
    let json = page.json();
    let mut since = 0;
    let mut epoch = json["epoch"].as_str().unwrap().to_string();
    let mut page = json;
    loop {
        for change in page["changes"].as_array().unwrap() {
            if change["kind"] == "session" && change["id"] == "ozg" {
                return change["seq"].as_u64().unwrap();
            }
        }
        since = page["next"].as_u64().unwrap().max(since);
        if !page["more"].as_bool().unwrap() {
            panic!("no session ozg");
        }
        let next = raw_http::get(
            h.server.addr(),
            &format!("/v1/events/{EVENT}/changes/{epoch}/{since}"),
            &[],
        )
        .await;
        page = next.json();
        epoch = page["epoch"].as_str().unwrap().to_string();
    }
}

fn unchanged(h: &Harness, head: u64) {
    assert_eq!(
        h.admin.head(EVENT).unwrap().seq,
        head,
        "the log did not move"
    );
    assert_eq!(
        h.admin.applied_ops(EVENT).unwrap(),
        0,
        "nothing was applied"
    );
}

#[tokio::test]
async fn an_attendee_token_cannot_write() {
    let (h, _, head) = setup().await;
    let attendee = h.admin.create_token(EVENT, "attendee").unwrap();
    let base = ozg_version(&h).await;
    let body = CANCEL.replace("BASE", &base.to_string());
    let response = post_op(h.server.addr(), EVENT, &attendee, "key-attendee-1", &body).await;
    assert_error(&response, 403, "forbidden");
    let bytes = photo_jpeg(64, 64);
    let upload = put_asset(
        h.server.addr(),
        &attendee,
        &sha256_hex(&bytes),
        "image/jpeg",
        &bytes,
    )
    .await;
    assert_error(&upload, 403, "forbidden");
    unchanged(&h, head);
}

#[tokio::test]
async fn a_revoked_token_cannot_write() {
    let (h, token, head) = setup().await;
    assert!(h.admin.revoke_token(&token).unwrap());
    let base = ozg_version(&h).await;
    let body = CANCEL.replace("BASE", &base.to_string());
    let response = post_op(h.server.addr(), EVENT, &token, "key-revoked-1", &body).await;
    assert_error(&response, 401, "unauthorized");
    assert!(
        response.json()["message"]
            .as_str()
            .unwrap()
            .contains("revoked")
    );
    unchanged(&h, head);
}

#[tokio::test]
async fn an_expired_token_cannot_write() {
    let (h, _, head) = setup().await;
    let issued = h
        .admin
        .issue_token(&TokenSpec {
            role: Role::Organiser,
            event_id: Some(EVENT.into()),
            subject: None,
            expires_in: Some(1),
        })
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let base = ozg_version(&h).await;
    let body = CANCEL.replace("BASE", &base.to_string());
    let response = post_op(
        h.server.addr(),
        EVENT,
        &issued.token,
        "key-expired-1",
        &body,
    )
    .await;
    assert_error(&response, 401, "unauthorized");
    assert!(
        response.json()["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    unchanged(&h, head);
}

#[tokio::test]
async fn an_oversized_image_is_refused() {
    let h = Harness::start_with(|c| c.max_asset_bytes = 100_000).await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let bytes = photo_jpeg(1600, 1200);
    assert!(bytes.len() > 100_000, "{}", bytes.len());
    let sha = sha256_hex(&bytes);
    let response = put_asset(h.server.addr(), &token, &sha, "image/jpeg", &bytes).await;
    assert_error(&response, 413, "payload_too_large");
    let missing = raw_http::get(h.server.addr(), &format!("/v1/assets/{sha}"), &[]).await;
    assert_eq!(missing.status, 404, "nothing stored");
}

#[tokio::test]
async fn a_non_image_upload_cannot_become_a_photo() {
    let (h, token, head) = setup().await;
    let bytes = b"<html><script>alert(1)</script></html>".to_vec();
    let sha = sha256_hex(&bytes);
    // The server takes only images as assets (issue 15) ...
    let upload = put_asset(h.server.addr(), &token, &sha, "image/jpeg", &bytes).await;
    assert_error(&upload, 422, "not_an_image");
    // ... and one stored anyway (by an admin on the data directory, or an older server) still
    // cannot become a photo.
    h.admin.put_asset(&bytes, "image/jpeg").unwrap();
    let body = format!(
        r#"{{"event":"{EVENT}","base":0,"op":{{"op":"photo.add","id":"p1","image":{{"sha256":"{sha}","media_type":"image/jpeg","bytes":{}}}}}}}"#,
        bytes.len()
    );
    let response = post_op(h.server.addr(), EVENT, &token, "key-photo-html", &body).await;
    assert_error(&response, 422, "not_an_image");
    unchanged(&h, head);
}

#[tokio::test]
async fn path_tricks_in_names_are_refused() {
    let (h, token, head) = setup().await;
    let bytes = photo_jpeg(32, 32);
    for path in ["..%2F..%2Fetc%2Fpasswd", "../../etc/passwd", "%2e%2e"] {
        let auth = format!("Bearer {token}");
        let response = raw_http::request(
            h.server.addr(),
            "PUT",
            &format!("/v1/assets/{path}"),
            &[
                ("authorization", auth.as_str()),
                ("content-type", "image/jpeg"),
            ],
            &bytes,
        )
        .await;
        assert!(
            response.status == 400 || response.status == 404,
            "{path}: {}",
            response.text()
        );
    }
    let body = format!(
        r#"{{"event":"{EVENT}","base":0,"op":{{"op":"announcement.create","id":"../../x","title":"Hallo","published_at":"2027-03-04T08:00:00Z"}}}}"#
    );
    let response = post_op(h.server.addr(), EVENT, &token, "key-path-id", &body).await;
    assert_error(&response, 422, "invalid_op");
    let response = post_op(
        h.server.addr(),
        "..%2Fother",
        &token,
        "key-path-event",
        &body,
    )
    .await;
    assert!(
        response.status == 400 || response.status == 404,
        "{}",
        response.text()
    );
    unchanged(&h, head);
    assert!(!h.root.path().join("etc").exists());
}

#[tokio::test]
async fn a_replayed_operation_changes_nothing() {
    let (h, token, _) = setup().await;
    let base = ozg_version(&h).await;
    let body = CANCEL.replace("BASE", &base.to_string());
    let first = post_op(h.server.addr(), EVENT, &token, "key-replay-1", &body).await;
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.header("idempotent-replayed"), None);
    let head = h.admin.head(EVENT).unwrap().seq;
    // The same request again (a retry, or a captured request replayed): the stored answer.
    let again = post_op(h.server.addr(), EVENT, &token, "key-replay-1", &body).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.json(), first.json());
    // Replayed under a new key: the version it names is gone.
    let new_key = post_op(h.server.addr(), EVENT, &token, "key-replay-2", &body).await;
    assert_error(&new_key, 409, "conflict");
    assert_eq!(new_key.json()["current"]["seq"], head);
    // The key with another operation: refused.
    let other = body.replace("session.cancel", "session.reinstate");
    let reused = post_op(h.server.addr(), EVENT, &token, "key-replay-1", &other).await;
    assert_error(&reused, 422, "idempotency_key_reused");
    assert_eq!(h.admin.head(EVENT).unwrap().seq, head);
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 1);
}

#[tokio::test]
async fn an_operation_for_another_event_is_refused() {
    let (h, token, head) = setup().await;
    h.publish(&small_bundle("other-fair"));
    let base = ozg_version(&h).await;
    let body = CANCEL.replace("BASE", &base.to_string());
    // This event's token on another event's path.
    let response = post_op(h.server.addr(), "other-fair", &token, "key-other-1", &body).await;
    assert_error(&response, 403, "forbidden");
    // The right path, but the operation names another event.
    let body = body.replace(r#""event":"mp-nordwest""#, r#""event":"other-fair""#);
    let response = post_op(h.server.addr(), EVENT, &token, "key-other-2", &body).await;
    assert_error(&response, 422, "event_mismatch");
    unchanged(&h, head);
    assert_eq!(h.admin.applied_ops("other-fair").unwrap(), 0);
}

#[tokio::test]
async fn malformed_operations_are_refused() {
    let (h, token, head) = setup().await;
    let base = ozg_version(&h).await;
    let good = CANCEL.replace("BASE", &base.to_string());
    let cases: Vec<(String, &str, u16, &str)> = vec![
        ("not json".into(), "key-malformed-1", 400, "malformed_op"),
        (good.replace("session.cancel", "session.explode"), "key-malformed-2", 400, "malformed_op"),
        (good.replace(r#""id":"ozg""#, r#""id":"ozg","evil":1"#), "key-malformed-3", 400, "malformed_op"),
        (good.replace(&format!(r#""base":{base}"#), r#""base":0"#), "key-malformed-4", 422, "invalid_op"),
        (good.clone(), "short", 400, "bad_request"),
        (good.replace(r#""id":"ozg""#, r#""id":"no-such-session""#), "key-malformed-5", 404, "not_found"),
        (
            r#"{"event":"mp-nordwest","base":BASE,"op":{"op":"session.move","id":"ozg","location_id":"nowhere"}}"#
                .replace("BASE", &base.to_string()),
            "key-malformed-6",
            422,
            "invalid_op",
        ),
    ];
    for (body, key, status, code) in cases {
        let response = post_op(h.server.addr(), EVENT, &token, key, &body).await;
        assert_error(&response, status, code);
    }
    // No key at all.
    let auth = format!("Bearer {token}");
    let response = raw_http::request(
        h.server.addr(),
        "POST",
        &format!("/v1/events/{EVENT}/ops"),
        &[("authorization", auth.as_str())],
        good.as_bytes(),
    )
    .await;
    assert_error(&response, 400, "bad_request");
    unchanged(&h, head);
}

#[tokio::test]
async fn admins_issue_and_revoke_tokens_over_http() {
    let (h, _, _) = setup().await;
    let admin = h
        .admin
        .issue_token(&TokenSpec {
            role: Role::Admin,
            event_id: None,
            subject: Some("Leitstelle".into()),
            expires_in: None,
        })
        .unwrap();
    let organiser = h.admin.create_token(EVENT, "organiser").unwrap();
    let auth = format!("Bearer {}", admin.token);
    let body =
        format!(r#"{{"role":"organiser","event":"{EVENT}","subject":"anna","expires_in":3600}}"#);
    let issued = raw_http::request(
        h.server.addr(),
        "POST",
        "/v1/admin/tokens",
        &[
            ("authorization", auth.as_str()),
            ("content-type", "application/json"),
        ],
        body.as_bytes(),
    )
    .await;
    assert_eq!(issued.status, 201, "{}", issued.text());
    let id = issued.json()["id"].as_str().unwrap().to_string();
    // An organiser is not an admin.
    let denied = raw_http::request(
        h.server.addr(),
        "POST",
        "/v1/admin/tokens",
        &[
            ("authorization", format!("Bearer {organiser}").as_str()),
            ("content-type", "application/json"),
        ],
        body.as_bytes(),
    )
    .await;
    assert_error(&denied, 403, "forbidden");
    let listed = raw_http::get(
        h.server.addr(),
        &format!("/v1/admin/tokens?event={EVENT}"),
        &[("authorization", auth.as_str())],
    )
    .await;
    assert_eq!(listed.status, 200);
    assert!(
        !listed
            .text()
            .contains(issued.json()["token"].as_str().unwrap()),
        "no secrets listed"
    );
    let revoked = raw_http::request(
        h.server.addr(),
        "DELETE",
        &format!("/v1/admin/tokens/{id}"),
        &[("authorization", auth.as_str())],
        &[],
    )
    .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text());
    let info = h.admin.tokens(Some(EVENT)).unwrap();
    assert!(
        info.iter()
            .find(|t| t.id == id)
            .unwrap()
            .revoked_at
            .is_some()
    );
}
