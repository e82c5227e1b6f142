#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Issue 15, weak points checked at the server over loopback (the model's unit tests cover the
//! parsers): a bundle naming a key twice is refused and publishes nothing; terminal escapes and
//! bidi overrides in a title, published or sent as an operation, never reach a device's store.

use chrono::{TimeZone, Utc};
use marktplatz_model::model::Priority;
use marktplatz_model::ops::{Op, OpRequest};
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::{Harness, raw_http};

const EVENT: &str = "mp-nordwest";

async fn put_bundle(h: &Harness, token: &str, body: &str) -> raw_http::RawResponse {
    let auth = format!("Bearer {token}");
    raw_http::request(
        h.server.addr(),
        "PUT",
        &format!("/v1/events/{EVENT}/bundle"),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        body.as_bytes(),
    )
    .await
}

async fn head(h: &Harness) -> String {
    raw_http::get(h.server.addr(), &format!("/v1/events/{EVENT}/head"), &[])
        .await
        .text()
}

#[tokio::test]
async fn a_bundle_naming_a_key_twice_is_refused_and_publishes_nothing() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let before = head(&h).await;

    let mut changed = small_bundle(EVENT);
    changed.sessions[0].title = "Neu".into();
    let text = changed.to_json_pretty().unwrap();
    // A second "sessions" key after the first: a parser keeping the last one would publish
    // an empty programme.
    let twice = format!(
        "{}, \"sessions\": []\n}}",
        text.trim_end().trim_end_matches('}')
    );
    let response = put_bundle(&h, &token, &twice).await;

    assert_eq!(response.status, 400, "{}", response.text());
    assert!(response.text().contains("sessions"), "{}", response.text());
    assert_eq!(head(&h).await, before, "nothing was published");
}

#[tokio::test]
async fn escapes_and_bidi_overrides_in_a_title_never_reach_a_device() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let mut hostile = small_bundle(EVENT);
    let id = hostile.sessions[0].id.clone();
    hostile.sessions[0].title = "Er\u{1b}[2J\u{202e}öffnung\u{9b}31m\u{7}".into();
    let response = put_bundle(&h, &token, &hostile.to_json_pretty().unwrap()).await;
    assert_eq!(response.status, 200, "{}", response.text());

    let phone = h.device("phone");
    phone.sync(&h.url(), EVENT).await.unwrap();
    let title = phone
        .store
        .session_detail(EVENT, &id)
        .unwrap()
        .session
        .title;
    assert!(
        !title.chars().any(|c| c.is_control() || c == '\u{202e}'),
        "{title:?}"
    );
    assert!(
        title.contains("Er") && title.contains("öffnung"),
        "{title:?}"
    );
}

#[tokio::test]
async fn escapes_in_an_operation_sent_past_the_app_never_reach_a_device() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    // Sent raw, as a hostile client would: the device-side cleaning is not on this path.
    let request = OpRequest {
        event: EVENT.into(),
        base: 0,
        op: Op::AnnouncementCreate {
            id: "hostile".into(),
            title: "Raum\u{1b}]0;pwned\u{7}\u{202e}änderung".into(),
            body: "Zeile 1\nZeile 2\u{1b}[31m".into(),
            priority: Priority::Urgent,
            published_at: Utc.with_ymd_and_hms(2020, 1, 1, 8, 0, 0).unwrap(),
            expires_at: None,
        },
    };
    let auth = format!("Bearer {token}");
    let response = raw_http::request(
        h.server.addr(),
        "POST",
        &format!("/v1/events/{EVENT}/ops"),
        &[
            ("authorization", auth.as_str()),
            ("idempotency-key", "hostile-1"),
            ("content-type", "application/json"),
        ],
        &serde_json::to_vec(&request).unwrap(),
    )
    .await;
    assert_eq!(response.status, 200, "{}", response.text());

    let phone = h.device("phone");
    phone.sync(&h.url(), EVENT).await.unwrap();
    let announcements = phone.store.announcements(EVENT, Utc::now()).unwrap();
    let stored = announcements.iter().find(|a| a.id == "hostile").unwrap();
    let clean = |text: &str| {
        !text
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}')
    };
    assert!(
        clean(&stored.title) && !stored.title.contains('\n'),
        "{:?}",
        stored.title
    );
    assert!(clean(&stored.body), "{:?}", stored.body);
    assert!(
        stored.body.contains("Zeile 1\nZeile 2"),
        "newlines stay in body text: {:?}",
        stored.body
    );
}
