#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Events readable only with an access code, against a real server on loopback: the raw HTTP
//! contract (every read path, the 304 poll answered from memory, tokens instead of the code,
//! guessing, caching) and devices syncing with and without the code, losing nothing stored.

use std::net::SocketAddr;

use marktplatz_core::Error;
use marktplatz_core::favourites;
use marktplatz_core::favourites::FavouriteKind;
use marktplatz_core::sync;
use marktplatz_model::wire::{ACCESS_CODE_HEADER, code};
use marktplatz_server::http::SECURITY_HEADERS;
use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::raw_http::{self, RawResponse};

const EVENT: &str = "mp-nordwest";
const CODE: &str = "Markthalle 2027";

fn assert_refused(response: &RawResponse, status: u16, error_code: &str) {
    assert_eq!(response.status, status, "{}", response.text());
    let json = response.json();
    assert_eq!(json["code"], error_code, "{json}");
    let message = json["message"].as_str().unwrap();
    if error_code.starts_with("access_code") {
        assert!(
            message.contains(EVENT),
            "the refusal names the event: {message}"
        );
    }
    for (name, value) in SECURITY_HEADERS {
        assert_eq!(response.header(name), Some(value), "{name}");
    }
}

/// Every read path of the event, as a device or browser would ask.
async fn reads(addr: SocketAddr, headers: &[(&str, &str)]) -> Vec<(String, RawResponse)> {
    let mut answers = Vec::new();
    for path in ["head", "changes", "bundle"] {
        let path = format!("/v1/events/{EVENT}/{path}");
        answers.push((path.clone(), raw_http::get(addr, &path, headers).await));
    }
    answers
}

fn admin_token(h: &Harness) -> String {
    let spec = marktplatz_server::auth::TokenSpec {
        role: marktplatz_server::auth::Role::Admin,
        event_id: None,
        subject: None,
        expires_in: None,
    };
    h.admin.issue_token(&spec).unwrap().token
}

/// How many search hits the device finds for `text` (what the attendee still sees).
fn hits(store: &marktplatz_core::store::Store, text: &str) -> usize {
    let query = marktplatz_core::search::SearchQuery::new(EVENT, text);
    let cache = marktplatz_core::search::SearchCache::default();
    marktplatz_core::search::search(store, &cache, &query)
        .unwrap()
        .len()
}

async fn protected() -> Harness {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    assert!(!h.admin.set_access_code(EVENT, Some(CODE)).unwrap());
    h
}

#[tokio::test]
async fn a_protected_event_is_read_only_with_its_code_or_a_token_for_it() {
    let h = protected().await;
    let addr = h.server.addr();

    for (path, response) in reads(addr, &[]).await {
        assert_refused(&response, 401, code::ACCESS_CODE_REQUIRED);
        assert!(response.text().contains(ACCESS_CODE_HEADER), "{path}");
    }
    for (_, response) in reads(addr, &[(ACCESS_CODE_HEADER, "Markthalle 2026")]).await {
        assert_refused(&response, 401, code::ACCESS_CODE_WRONG);
    }
    for (path, response) in reads(addr, &[(ACCESS_CODE_HEADER, CODE)]).await {
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        let cache = response.header("cache-control").unwrap_or_default();
        assert!(
            cache.starts_with("private") || cache.contains("no-store"),
            "{path}: a shared cache must not keep it: {cache}"
        );
    }
    // Spaces around the code as typed on a phone do not matter; case does.
    let padded = format!("  {CODE} ");
    assert_eq!(
        reads(addr, &[(ACCESS_CODE_HEADER, &padded)]).await[0]
            .1
            .status,
        200
    );
    let lower = CODE.to_lowercase();
    assert_eq!(
        reads(addr, &[(ACCESS_CODE_HEADER, &lower)]).await[0]
            .1
            .status,
        401
    );

    // Tokens: any token of the event (attendee, organiser), an admin's; not another event's.
    let attendee = h.admin.create_token(EVENT, "attendee").unwrap();
    let organiser = h.admin.create_token(EVENT, "organiser").unwrap();
    let stranger = h.admin.create_token("other-fair", "organiser").unwrap();
    let admin = admin_token(&h);
    for token in [&attendee, &organiser, &admin] {
        let bearer = format!("Bearer {token}");
        for (path, response) in reads(addr, &[("authorization", &bearer)]).await {
            assert_eq!(response.status, 200, "{path}: {}", response.text());
        }
    }
    let bearer = format!("Bearer {stranger}");
    for (_, response) in reads(addr, &[("authorization", &bearer)]).await {
        assert_refused(&response, 403, code::FORBIDDEN);
    }
    h.admin.revoke_token(&attendee).unwrap();
    let bearer = format!("Bearer {attendee}");
    assert_refused(
        &reads(addr, &[("authorization", &bearer)]).await[0].1,
        401,
        code::UNAUTHORIZED,
    );

    // Public again: no code needed, answers cacheable as before.
    assert!(h.admin.set_access_code(EVENT, None).unwrap());
    for (path, response) in reads(addr, &[]).await {
        assert_eq!(response.status, 200, "{path}");
        assert!(
            !response
                .header("cache-control")
                .unwrap_or_default()
                .contains("private"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_poll_answered_from_memory_still_asks_for_the_code() {
    let h = protected().await;
    let addr = h.server.addr();
    let with_code = [(ACCESS_CODE_HEADER, CODE)];
    let head = raw_http::get(addr, &format!("/v1/events/{EVENT}/head"), &with_code).await;
    let etag = head.header("etag").unwrap().to_string();
    // The head is in memory now: the same poll with the code is a 304 ...
    let polled = raw_http::get(
        addr,
        &format!("/v1/events/{EVENT}/head"),
        &[(ACCESS_CODE_HEADER, CODE), ("if-none-match", &etag)],
    )
    .await;
    assert_eq!(polled.status, 304);
    assert!(
        polled
            .header("cache-control")
            .unwrap()
            .starts_with("private")
    );
    // ... and without it a 401, which does not even tell whether anything changed.
    let polled = raw_http::get(
        addr,
        &format!("/v1/events/{EVENT}/head"),
        &[("if-none-match", &etag)],
    )
    .await;
    assert_refused(&polled, 401, code::ACCESS_CODE_REQUIRED);
    assert!(polled.header("etag").is_none());
}

#[tokio::test]
async fn guessing_codes_is_slowed_down_and_then_every_code_is_refused_alike() {
    let h = protected().await;
    let addr = h.server.addr();
    let path = format!("/v1/events/{EVENT}/head");
    let mut statuses = Vec::new();
    for guess in 0..12 {
        let guess = format!("guess-{guess:04}");
        statuses.push(raw_http::get(addr, &path, &[(ACCESS_CODE_HEADER, &guess)]).await);
    }
    assert!(statuses[..10].iter().all(|r| r.status == 401));
    let limited = &statuses[10];
    assert_eq!(limited.status, 429, "{}", limited.text());
    assert_eq!(limited.json()["code"], code::RATE_LIMITED);
    assert!(
        limited
            .header("retry-after")
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    // Over the limit the right code is refused like any other (issue 15: the limit must not
    // tell a guesser when it was right); a token for the event still reads it.
    let right = raw_http::get(addr, &path, &[(ACCESS_CODE_HEADER, CODE)]).await;
    assert_eq!(right.status, 429, "{}", right.text());
    assert_eq!(right.json()["code"], code::RATE_LIMITED);
    let attendee = h.admin.create_token(EVENT, "attendee").unwrap();
    assert_eq!(
        raw_http::get(
            addr,
            &path,
            &[("authorization", &format!("Bearer {attendee}"))]
        )
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn only_an_admin_sets_or_clears_a_code_over_http() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let addr = h.server.addr();
    let organiser = h.admin.create_token(EVENT, "organiser").unwrap();
    let admin = admin_token(&h);
    let path = format!("/v1/admin/events/{EVENT}/access-code");
    let body = format!(r#"{{"code":"{CODE}"}}"#);
    let put = |token: String, body: String| {
        let path = path.clone();
        async move {
            let auth = format!("Bearer {token}");
            raw_http::request(
                addr,
                "PUT",
                &path,
                &[
                    ("authorization", auth.as_str()),
                    ("content-type", "application/json"),
                ],
                body.as_bytes(),
            )
            .await
        }
    };
    let refused = put(organiser.clone(), body.clone()).await;
    assert_eq!(refused.status, 403, "{}", refused.text());
    assert_eq!(
        raw_http::get(addr, &format!("/v1/events/{EVENT}/head"), &[])
            .await
            .status,
        200,
        "an organiser cannot lock attendees out"
    );
    let too_short = put(admin.clone(), r#"{"code":"abc"}"#.to_string()).await;
    assert_eq!(too_short.status, 400, "{}", too_short.text());
    assert!(too_short.text().contains("8 to 64"), "{}", too_short.text());
    let unknown = raw_http::request(
        addr,
        "PUT",
        "/v1/admin/events/no-such-fair/access-code",
        &[
            ("authorization", &format!("Bearer {admin}")),
            ("content-type", "application/json"),
        ],
        body.as_bytes(),
    )
    .await;
    assert_eq!(unknown.status, 404, "{}", unknown.text());

    let set = put(admin.clone(), body.clone()).await;
    assert_eq!(set.status, 200, "{}", set.text());
    assert_eq!(set.json()["protected"], true);
    assert_eq!(
        raw_http::get(addr, &format!("/v1/events/{EVENT}/head"), &[])
            .await
            .status,
        401
    );
    let cleared = raw_http::request(
        addr,
        "DELETE",
        &path,
        &[("authorization", &format!("Bearer {admin}"))],
        b"",
    )
    .await;
    assert_eq!(cleared.status, 200, "{}", cleared.text());
    assert_eq!(cleared.json()["had_code"], true);
    assert_eq!(
        raw_http::get(addr, &format!("/v1/events/{EVENT}/head"), &[])
            .await
            .status,
        200
    );
}

/// Syncs `device`, which must be refused with `expected` (nothing else), and returns the error.
async fn refused_sync(device: &marktplatz_tests::Device, url: &str, expected: &str) -> Error {
    let error = device.sync(url, EVENT).await.unwrap_err();
    assert_eq!(access_refusal(&error), Some(expected), "{error}");
    error
}

fn access_refusal(error: &Error) -> Option<&str> {
    match error {
        Error::Server {
            status: 401, code, ..
        } => Some(code.as_str()),
        _ => None,
    }
}

#[tokio::test]
async fn a_device_syncs_with_the_code_it_was_given_and_keeps_everything_when_it_is_wrong() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let url = h.url();
    // Synced while the event was public, with a favourite.
    let phone = h.device("phone");
    phone.sync(&url, EVENT).await.unwrap();
    favourites::add_favourite(&phone.store, EVENT, FavouriteKind::Session, "ozg", None).unwrap();
    let sessions_before = hits(&phone.store, "OZG");
    assert!(sessions_before > 0);
    let nothing_lost = || {
        hits(&phone.store, "OZG") == sessions_before
            && favourites::is_favourite(&phone.store, EVENT, FavouriteKind::Session, "ozg").unwrap()
    };

    h.admin.set_access_code(EVENT, Some(CODE)).unwrap();
    let mut changed = small_bundle(EVENT);
    changed.sessions[0].title = "Neu: mit Zugangscode".into();
    h.publish(&changed);

    // No code on the device: a clear refusal, nothing stored is lost.
    let error = refused_sync(&phone, &url, code::ACCESS_CODE_REQUIRED).await;
    assert!(error.to_string().contains("access code"), "{error}");
    assert!(
        nothing_lost(),
        "a refused sync must keep the programme and the favourite"
    );

    // A wrong code: told so, still nothing lost.
    sync::set_access_code(&phone.store, EVENT, Some("Markthalle 2026")).unwrap();
    refused_sync(&phone, &url, code::ACCESS_CODE_WRONG).await;
    assert!(
        nothing_lost(),
        "a refused sync must keep the programme and the favourite"
    );

    // The right code (typed with a trailing space): the update arrives, and later syncs too.
    sync::set_access_code(&phone.store, EVENT, Some(&format!("{CODE} "))).unwrap();
    assert!(sync::has_access_code(&phone.store, EVENT).unwrap());
    let report = phone.sync(&url, EVENT).await.unwrap();
    assert!(report.content.summary.total() > 0, "{report:?}");
    let report = phone.sync(&url, EVENT).await.unwrap();
    assert!(report.content.not_modified, "{report:?}");

    // A new phone with the code from the start bootstraps in full.
    let fresh = h.device("fresh");
    sync::set_access_code(&fresh.store, EVENT, Some(CODE)).unwrap();
    fresh.sync(&url, EVENT).await.unwrap();
    assert_eq!(hits(&fresh.store, "Zugangscode"), 1);

    // The organisers change the code: the old one is refused, the content stays.
    h.admin
        .set_access_code(EVENT, Some("Neuer Code 2027"))
        .unwrap();
    refused_sync(&fresh, &url, code::ACCESS_CODE_WRONG).await;
    assert_eq!(hits(&fresh.store, "Zugangscode"), 1);

    // Forgetting the code: refused as "required" again.
    sync::set_access_code(&fresh.store, EVENT, None).unwrap();
    assert!(!sync::has_access_code(&fresh.store, EVENT).unwrap());
    refused_sync(&fresh, &url, code::ACCESS_CODE_REQUIRED).await;
}

#[tokio::test]
async fn an_organiser_device_reads_with_its_token_and_sends_it_to_no_other_server() {
    let h = protected().await;
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let phone = h.device("organiser");
    sync::set_organiser(&phone.store, EVENT, &h.url(), &token).unwrap();
    phone.sync(&h.url(), EVENT).await.unwrap();
    // An outdated code stored beside the token does not lock the organiser out.
    sync::set_access_code(&phone.store, EVENT, Some("Markthalle 2026")).unwrap();
    phone.sync(&h.url(), EVENT).await.unwrap();

    // The same event from another server: the token is not sent there, so that server refuses.
    let other = protected().await;
    let phone2 = h.device("organiser-2");
    sync::set_organiser(&phone2.store, EVENT, &h.url(), &token).unwrap();
    let error = phone2.sync(&other.url(), EVENT).await.unwrap_err();
    assert_eq!(
        access_refusal(&error),
        Some(code::ACCESS_CODE_REQUIRED),
        "{error}"
    );
}

#[test]
fn codes_a_device_cannot_send_are_refused_before_they_are_stored() {
    let dir = tempfile::tempdir().unwrap();
    let store = marktplatz_core::store::Store::open(dir.path()).unwrap();
    for bad in ["", "   ", "zeile\nzwei", &"x".repeat(65)] {
        let error = sync::set_access_code(&store, EVENT, Some(bad)).unwrap_err();
        assert!(
            error.to_string().contains("access code"),
            "{bad:?}: {error}"
        );
    }
    assert!(!sync::has_access_code(&store, EVENT).unwrap());
}
