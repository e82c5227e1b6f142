#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The attendee programme in the browser over loopback (issue 20): the pages show the
//! published content in German or English, answer 304 to their ETag, never set a cookie,
//! load nothing from other origins, and a protected event's pages are refused without the
//! code exactly as an unknown event's (the access-code form, same status, same body).

use chrono::{Duration, Utc};
use marktplatz_model::model::{Announcement, Priority};
use marktplatz_model::wire::ACCESS_CODE_HEADER;
use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::raw_http::{RawResponse, get, request};

const EVENT: &str = "mp-nordwest";
const CODE: &str = "Markthalle-2027";

async fn page(h: &Harness, path: &str, headers: &[(&str, &str)]) -> RawResponse {
    let answer = get(h.server.addr(), path, headers).await;
    assert!(
        answer.header("set-cookie").is_none(),
        "{path} set a cookie: {:?}",
        answer.headers
    );
    answer
}

fn assert_page(answer: &RawResponse, path: &str) -> String {
    assert_eq!(answer.status, 200, "{path}: {}", answer.text());
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8"),
        "{path}"
    );
    let csp = answer.header("content-security-policy").unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{path}: {csp}");
    let text = answer.text();
    assert!(
        !text.contains("http://") && !text.contains("https://") && !text.contains("//cdn"),
        "{path} names another origin"
    );
    text
}

/// The German page at `path` shows every one of `texts`.
async fn shows(h: &Harness, path: &str, texts: &[&str]) {
    let text = assert_page(&page(h, path, &[("accept-language", "de")]).await, path);
    for shown in texts {
        assert!(text.contains(shown), "{path} lacks {shown}");
    }
}

#[tokio::test]
async fn the_programme_pages_show_the_published_content() {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    bundle.announcements[0].published_at = Utc::now() - Duration::hours(2);
    bundle.announcements.push(Announcement {
        id: "fire-door".into(),
        title: "Notausgang Nord gesperrt".into(),
        body: "Bitte den Ausgang Süd nehmen.".into(),
        priority: Priority::Urgent,
        published_at: Utc::now() - Duration::hours(1),
        expires_at: None,
    });
    bundle.announcements.push(Announcement {
        id: "over".into(),
        title: "Garderobe voll".into(),
        body: String::new(),
        priority: Priority::Urgent,
        published_at: Utc::now() - Duration::hours(3),
        expires_at: Some(Utc::now() - Duration::hours(1)),
    });
    h.publish(&bundle);
    let de = [("accept-language", "de-DE,de;q=0.9")];

    let agenda = assert_page(&page(&h, &format!("/e/{EVENT}/"), &de).await, "agenda");
    for shown in [
        "E-Government Marktplatz Nordwest",
        "E-Rechnung in der Kommune",
        "OZG 2.0: was jetzt kommt",
        "Bernd Muster",
        "Station 1",
        "Willkommen",
        "Do 4.3.",
        "Stand:",
        "href=\"/e/mp-nordwest/session/erechnung?lang=de\"",
    ] {
        assert!(agenda.contains(shown), "the agenda lacks {shown}: {agenda}");
    }
    assert!(agenda.contains("<html lang=\"de\">"));
    let urgent = agenda.find("Notausgang Nord gesperrt").unwrap();
    assert!(urgent < agenda.find("Willkommen").unwrap(), "urgent on top");
    assert!(
        !agenda.contains("Garderobe voll"),
        "an expired announcement is gone"
    );

    let filtered = assert_page(
        &page(&h, &format!("/e/{EVENT}/?location=station-2"), &de).await,
        "filtered",
    );
    assert!(filtered.contains("OZG 2.0"));
    assert!(!filtered.contains("E-Rechnung in der Kommune"));
    assert!(filtered.contains("calendar.ics?location=station-2"));

    shows(
        &h,
        &format!("/e/{EVENT}/session/erechnung"),
        &[
            "E-Rechnung in der Kommune",
            "Bernd Muster",
            "arbeitet an der Digitalisierung",
            "href=\"/e/mp-nordwest/station/station-1?lang=de\"",
            "calendar.ics?location=station-1",
            "In den Kalender",
        ],
    )
    .await;
    shows(
        &h,
        &format!("/e/{EVENT}/station/station-1"),
        &[
            "Station 1",
            "IT-Dienstleister Nord",
            "E-Rechnung, Cloud",
            "Themeninsel 1",
        ],
    )
    .await;
    let stations = assert_page(
        &page(&h, &format!("/e/{EVENT}/stations"), &de).await,
        "stations",
    );
    assert!(stations.contains("Station 3"));
    let speakers = assert_page(
        &page(&h, &format!("/e/{EVENT}/speakers"), &de).await,
        "speakers",
    );
    assert!(speakers.contains("Chris Öztürk") && speakers.contains("OZG 2.0"));
    let info = assert_page(&page(&h, &format!("/e/{EVENT}/info"), &de).await, "info");
    assert!(info.contains("Lange Straße 1") && info.contains("Markthalle-Gast"));

    let missing = page(&h, &format!("/e/{EVENT}/session/nope"), &de).await;
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("gibt es im Programm nicht"));
}

#[tokio::test]
async fn the_language_follows_the_browser_and_the_switch() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let path = format!("/e/{EVENT}/");
    let english = assert_page(
        &page(&h, &path, &[("accept-language", "en-GB,en;q=0.8,de;q=0.5")]).await,
        "en",
    );
    assert!(english.contains("<html lang=\"en\">") && english.contains("Programme"));
    assert!(english.contains("Thu 4/3") && english.contains("As of"));
    assert!(english.contains("href=\"/e/mp-nordwest/?lang=de\""));

    let switched = assert_page(
        &page(
            &h,
            &format!("{path}?lang=de&location=station-1"),
            &[("accept-language", "en")],
        )
        .await,
        "switched",
    );
    assert!(switched.contains("<html lang=\"de\">") && switched.contains("Programm"));
    assert!(
        switched.contains("?lang=en&#38;location=station-1"),
        "the switch keeps the filter"
    );
    let neither = assert_page(&page(&h, &path, &[("accept-language", "fr")]).await, "fr");
    assert!(neither.contains("<html lang=\"de\">"));
}

#[tokio::test]
async fn an_unchanged_page_is_answered_304_and_a_publish_changes_its_etag() {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    h.publish(&bundle);
    let path = format!("/e/{EVENT}/session/ozg");
    let first = page(&h, &path, &[]).await;
    assert_page(&first, "session");
    let etag = first.header("etag").unwrap().to_string();
    assert!(first.header("cache-control").unwrap().contains("max-age"));
    let again = page(&h, &path, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    let english = page(
        &h,
        &path,
        &[("if-none-match", &etag), ("accept-language", "en")],
    )
    .await;
    assert_eq!(english.status, 200, "another language is another page");

    bundle.sessions[2].title = "OZG 2.0: was jetzt wirklich kommt".into();
    h.publish(&bundle);
    let changed = page(&h, &path, &[("if-none-match", &etag)]).await;
    assert!(assert_page(&changed, "changed").contains("was jetzt wirklich kommt"));
    assert_ne!(changed.header("etag").unwrap(), etag);
}

#[tokio::test]
async fn a_protected_programme_is_refused_without_its_code_exactly_like_an_unknown_event() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    assert!(!h.admin.set_access_code(EVENT, Some(CODE)).unwrap());
    let de = ("accept-language", "de");

    let protected = page(&h, &format!("/e/{EVENT}/"), &[de]).await;
    let unknown = page(&h, "/e/no-such-fair/", &[de]).await;
    assert_eq!(protected.status, 401);
    assert_eq!(unknown.status, 401);
    assert_eq!(
        protected.body, unknown.body,
        "the form tells nothing about existence"
    );
    let form = protected.text();
    assert!(form.contains("Zugangscode") && form.contains("form class=\"access-code\""));
    assert!(!form.contains("E-Rechnung"), "no content without the code");

    let wrong = page(
        &h,
        &format!("/e/{EVENT}/session/ozg"),
        &[de, (ACCESS_CODE_HEADER, "falsch")],
    )
    .await;
    let wrong_unknown = page(
        &h,
        "/e/no-such-fair/session/ozg",
        &[de, (ACCESS_CODE_HEADER, "falsch")],
    )
    .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.body, wrong_unknown.body);

    let admitted = page(
        &h,
        &format!("/e/{EVENT}/session/ozg"),
        &[de, (ACCESS_CODE_HEADER, CODE)],
    )
    .await;
    assert!(assert_page(&admitted, "admitted").contains("OZG 2.0"));
    assert!(
        admitted
            .header("cache-control")
            .unwrap()
            .starts_with("private"),
        "a shared cache must not keep a protected page"
    );
    // The files the form needs are not the event's: they load without the code.
    for file in ["/e/sw.js", "/e/programme.js", "/e/programme.css"] {
        assert_eq!(page(&h, file, &[]).await.status, 200, "{file}");
    }
}

/// The access-code form posted as a browser without JavaScript does (urlencoded).
async fn post_code(h: &Harness, path: &str, body: &str) -> RawResponse {
    let answer = request(
        h.server.addr(),
        "POST",
        path,
        &[
            ("accept-language", "de"),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        body.as_bytes(),
    )
    .await;
    assert!(
        answer.header("set-cookie").is_none(),
        "{:?}",
        answer.headers
    );
    answer
}

#[tokio::test]
async fn the_access_code_form_works_without_javascript_as_a_plain_post_for_that_page() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    assert!(!h.admin.set_access_code(EVENT, Some(CODE)).unwrap());

    // The form's own answer without a code: it says so without JavaScript too.
    let form = page(
        &h,
        &format!("/e/{EVENT}/session/ozg"),
        &[("accept-language", "de")],
    )
    .await;
    assert!(form.text().contains("<noscript>"));
    assert!(
        form.text()
            .contains("class=\"wrong\" role=\"alert\" hidden")
    );

    // The right code, posted to the page it was entered on: that page, private, no cookie.
    let encoded = CODE.replace(' ', "+");
    let opened = post_code(
        &h,
        &format!("/e/{EVENT}/session/ozg"),
        &format!("code={encoded}"),
    )
    .await;
    assert!(assert_page(&opened, "posted code").contains("OZG 2.0"));
    assert!(
        opened
            .header("cache-control")
            .unwrap()
            .starts_with("private")
    );

    // A wrong one: the form again, saying the code is wrong (visible without a script), and
    // an unknown event answers exactly alike.
    let wrong = post_code(&h, &format!("/e/{EVENT}/"), "code=falsch-falsch").await;
    let wrong_unknown = post_code(&h, "/e/no-such-fair/", "code=falsch-falsch").await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.body, wrong_unknown.body);
    assert!(!wrong.text().contains("E-Rechnung"));
    assert!(
        !wrong.text().contains("role=\"alert\" hidden"),
        "the wrong-code note is shown"
    );

    // Nothing is remembered: the next page without the code asks again.
    assert_eq!(page(&h, &format!("/e/{EVENT}/"), &[]).await.status, 401);
    // A page takes no other post.
    let json = request(
        h.server.addr(),
        "POST",
        &format!("/e/{EVENT}/"),
        &[("content-type", "application/json")],
        b"{}",
    )
    .await;
    assert_eq!(json.status, 415, "{}", json.text());
    // Only the attendee pages take the form: the API's routes still refuse a post.
    let api = post_code(
        &h,
        &format!("/v1/events/{EVENT}/head"),
        &format!("code={encoded}"),
    )
    .await;
    assert_eq!(api.status, 405, "{}", api.text());
}

/// The `(cx, cy)` of each pin on the stations page, keyed by the station its link opens.
fn pins(html: &str) -> Vec<(String, f64, f64)> {
    html.split("<a class=\"pin\" href=\"")
        .skip(1)
        .map(|pin| {
            let station = pin
                .split("/station/")
                .nth(1)
                .unwrap()
                .split('?')
                .next()
                .unwrap();
            let number = |name: &str| -> f64 {
                let from = pin.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                pin[from..].split('"').next().unwrap().parse().unwrap()
            };
            (station.to_string(), number("cx"), number("cy"))
        })
        .collect()
}

#[tokio::test]
async fn the_hall_map_pins_each_station_at_its_stored_position_and_without_a_plan_lists_them() {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    // Without a plan: the list only.
    h.publish(&bundle);
    let listed = assert_page(
        &page(&h, &format!("/e/{EVENT}/stations"), &[]).await,
        "stations",
    );
    assert!(!listed.contains("<svg"), "no map without a plan");
    for n in 1..=3 {
        assert!(listed.contains(&format!("/e/{EVENT}/station/station-{n}?")));
    }

    let (width, height) = (1600_u32, 900_u32);
    // The plan as published: its bytes only need to be stored (the page names its size).
    let mut plan = h.admin.put_asset(&[7u8; 4096], "image/png").unwrap();
    plan.width = Some(width);
    plan.height = Some(height);
    let plan_href = format!("href=\"/v1/assets/{}\"", plan.sha256);
    bundle.event.venue.map = Some(plan);
    h.publish(&bundle);
    let mapped = assert_page(
        &page(&h, &format!("/e/{EVENT}/stations"), &[]).await,
        "stations",
    );
    assert!(mapped.contains(&format!("viewBox=\"0 0 {width} {height}\"")));
    assert!(mapped.contains(&plan_href));
    let pinned = pins(&mapped);
    assert_eq!(
        pinned.len(),
        3,
        "one pin per positioned station: {pinned:?}"
    );
    for (station, cx, cy) in &pinned {
        let stored = bundle
            .locations
            .iter()
            .find(|l| &l.id == station)
            .and_then(|l| l.position.as_ref())
            .unwrap();
        assert!(
            (cx / f64::from(width) - stored.x).abs() < 1e-9,
            "{station}: x"
        );
        assert!(
            (cy / f64::from(height) - stored.y).abs() < 1e-9,
            "{station}: y"
        );
    }
    // The list is still there for screen readers, after the map.
    assert!(mapped.find("<ul class=\"places\">").unwrap() > mapped.find("</svg>").unwrap());
}
