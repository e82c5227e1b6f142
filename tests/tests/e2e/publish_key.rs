#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Issue 22: a publish sent with an Idempotency-Key is recorded once however often it is sent
//! (a client retrying after its answer was lost, maybe through another instance: the two-instance
//! crash harness found such a publish committed after its answer was cut). The same key with
//! another publish is refused; without a key a publish is recorded each time, as before.

use marktplatz_core::sync::CancelToken;
use marktplatz_core::sync::client::Client;
use marktplatz_model::wire::code;
use marktplatz_publish::AssetBytes;
use marktplatz_tests::fault_proxy::Fault;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::{Harness, fast_client_config, raw_http};

const EVENT: &str = "mp-nordwest";

async fn put_bundle(
    h: &Harness,
    token: &str,
    key: Option<&str>,
    body: &str,
) -> raw_http::RawResponse {
    let auth = format!("Bearer {token}");
    let mut headers = vec![
        ("authorization", auth.as_str()),
        ("content-type", "application/json"),
    ];
    if let Some(key) = key {
        headers.push(("idempotency-key", key));
    }
    raw_http::request(
        h.server.addr(),
        "PUT",
        &format!("/v1/events/{EVENT}/bundle?note=keyed"),
        &headers,
        body.as_bytes(),
    )
    .await
}

async fn release_count(h: &Harness, token: &str) -> usize {
    let auth = format!("Bearer {token}");
    let answer = raw_http::get(
        h.server.addr(),
        &format!("/v1/events/{EVENT}/releases"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let json = answer.json();
    json.as_array()
        .or_else(|| json["releases"].as_array())
        .map(Vec::len)
        .expect("a list of releases")
}

#[tokio::test]
async fn a_publish_sent_again_with_its_key_is_recorded_once() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let mut bundle = small_bundle(EVENT);
    bundle.sessions[0].title = "Eröffnung (neue Zeit)".into();
    let body = serde_json::to_string(&bundle).unwrap();
    let releases = release_count(&h, &token).await;

    let first = put_bundle(&h, &token, Some("publish-retry-0001"), &body).await;
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.json()["updated"], 1, "{}", first.text());
    assert_eq!(release_count(&h, &token).await, releases + 1);

    // The retry (its first answer lost): the same outcome, nothing recorded again.
    let again = put_bundle(&h, &token, Some("publish-retry-0001"), &body).await;
    assert_eq!(again.status, 200, "{}", again.text());
    assert_eq!(again.json(), first.json());
    assert_eq!(release_count(&h, &token).await, releases + 1);

    // The same key for another publish is refused, and changes nothing.
    bundle.sessions[0].title = "Eröffnung (noch eine Zeit)".into();
    let other = serde_json::to_string(&bundle).unwrap();
    let reused = put_bundle(&h, &token, Some("publish-retry-0001"), &other).await;
    assert_eq!(reused.status, 422, "{}", reused.text());
    assert_eq!(reused.json()["code"], code::KEY_REUSED, "{}", reused.text());
    assert_eq!(release_count(&h, &token).await, releases + 1);

    // Without a key, the same publish is recorded again (an empty release), as before keys.
    let unkeyed = put_bundle(&h, &token, None, &body).await;
    assert_eq!(unkeyed.status, 200, "{}", unkeyed.text());
    assert_eq!(unkeyed.json()["updated"], 0);
    assert_eq!(release_count(&h, &token).await, releases + 2);

    // A malformed key is the client's mistake, said before anything is read.
    let bad = put_bundle(&h, &token, Some("no"), &body).await;
    assert_eq!(bad.status, 400, "{}", bad.text());
    assert_eq!(release_count(&h, &token).await, releases + 2);
}

/// `marktplatz publish` sends one key with every attempt: when the answer to its PUT is cut
/// after the server committed (the fault proxy forwards it and truncates the answer), its
/// retry is answered with the first attempt's outcome and the release is recorded once.
#[tokio::test]
async fn a_publish_retried_after_its_answer_was_cut_is_recorded_once() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let releases = release_count(&h, &token).await;
    let mut bundle = small_bundle(EVENT);
    bundle.sessions[0].title = "Eröffnung (nach dem Abbruch)".into();

    h.proxy.inject(
        &format!("/v1/events/{EVENT}/bundle"),
        Fault::Truncate { keep: 0 },
        1,
    );
    let client = Client::new(fast_client_config()).unwrap();
    let outcome = marktplatz_publish::publish_bundle(
        &client,
        &h.proxy.url(),
        &token,
        EVENT,
        &bundle,
        &AssetBytes::new(),
        &CancelToken::new(),
    )
    .await
    .unwrap();
    let puts = h
        .proxy
        .exchanges()
        .into_iter()
        .filter(|e| e.method == "PUT" && e.path.contains("/bundle"))
        .count();
    assert_eq!(puts, 2, "the first answer was cut, the publish sent again");
    assert_eq!(
        outcome.updated, 1,
        "the first attempt's outcome: {outcome:?}"
    );
    assert_eq!(release_count(&h, &token).await, releases + 1);
}
