#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The organiser console over loopback (`docs/adr/0016-organiser-console.md`): signing in by a
//! one-time link, forged forms and another event's session refused with nothing done, an
//! announcement from the console reaching a device that syncs, and a CSV import previewed and
//! confirmed as a release.

use std::net::SocketAddr;

use chrono::Utc;
use marktplatz_model::model::Priority;
use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::raw_http::{RawResponse, get, request};

pub(crate) const EVENT: &str = "mp-nordwest";
pub(crate) const OTHER: &str = "mp-suedost";

/// A browser's state: the session cookie and the CSRF token of the forms.
pub(crate) struct Browser {
    pub(crate) addr: SocketAddr,
    pub(crate) cookie: String,
    pub(crate) csrf: String,
}

fn origin(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

/// The value of `name="{field}" value="..."` in a page.
pub(crate) fn form_value(page: &str, field: &str) -> String {
    let marker = format!("name=\"{field}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {field} in the page: {page}"))
        + marker.len();
    page[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

pub(crate) async fn post_form(
    addr: SocketAddr,
    path: &str,
    cookie: &str,
    body: &str,
) -> RawResponse {
    let origin = origin(addr);
    request(
        addr,
        "POST",
        path,
        &[
            ("cookie", cookie),
            ("origin", &origin),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        body.as_bytes(),
    )
    .await
}

pub(crate) async fn sign_in(h: &Harness, event: &str) -> Browser {
    let addr = h.server.addr();
    let link = h.admin.issue_console_link(event, "anna").unwrap();
    let answer = post_form(addr, "/organiser/sign-in", "", &format!("link={link}")).await;
    assert_eq!(answer.status, 303, "{}", answer.text());
    let cookie = answer
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let overview = get(
        addr,
        &format!("/organiser/{event}/"),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(overview.status, 200, "{}", overview.text());
    Browser {
        addr,
        csrf: form_value(&overview.text(), "csrf"),
        cookie,
    }
}

pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_link_signs_in_once_and_the_session_ends_at_sign_out() {
    let h = Harness::start_sqlite().await;
    let addr = h.server.addr();
    let link = h.admin.issue_console_link(EVENT, "anna").unwrap();

    // Opening the link only shows the button: a mail scanner fetching it spends nothing.
    let page = get(addr, &format!("/organiser/sign-in?link={link}"), &[]).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<html lang=\"de\""), "{}", page.text());
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    // Forms must carry their Origin: under `no-referrer` browsers send `Origin: null`.
    assert_eq!(page.header("referrer-policy"), Some("same-origin"));
    let english = get(
        addr,
        &format!("/organiser/sign-in?link={link}"),
        &[("accept-language", "en-GB,en;q=0.9,de;q=0.5")],
    )
    .await;
    assert!(english.text().contains("<html lang=\"en\""));

    let signed = post_form(addr, "/organiser/sign-in", "", &format!("link={link}")).await;
    assert_eq!(signed.status, 303, "{}", signed.text());
    assert_eq!(
        signed.header("location"),
        Some(&*format!("/organiser/{EVENT}/"))
    );
    let set_cookie = signed.header("set-cookie").unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/organiser", "Max-Age="] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain HTTP: {set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_string();

    // The same link again, an unknown one: refused with a message, no session.
    let again = post_form(addr, "/organiser/sign-in", "", &format!("link={link}")).await;
    assert_eq!(again.status, 401);
    assert!(
        again
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(again.text().contains("bereits benutzt"), "{}", again.text());
    assert!(again.header("set-cookie").is_none());
    let unknown = post_form(
        addr,
        "/organiser/sign-in",
        "",
        "link=AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    )
    .await;
    assert_eq!(unknown.status, 401);
    assert!(unknown.text().contains("ungültig"), "{}", unknown.text());

    // A link past its 15 minutes: refused as expired.
    let late = h.admin.issue_console_link(EVENT, "carla").unwrap();
    let db =
        rusqlite::Connection::open(h.root.path().join("server").join("marktplatz.db")).unwrap();
    db.execute(
        "UPDATE console_link SET expires_at = 0 WHERE used_at IS NULL",
        [],
    )
    .unwrap();
    let expired = post_form(addr, "/organiser/sign-in", "", &format!("link={late}")).await;
    assert_eq!(expired.status, 401);
    assert!(expired.text().contains("abgelaufen"), "{}", expired.text());

    // Behind a TLS proxy the cookie is Secure.
    let tls_link = h.admin.issue_console_link(EVENT, "bert").unwrap();
    let origin_tls = format!("https://{addr}");
    let tls = request(
        addr,
        "POST",
        "/organiser/sign-in",
        &[
            ("origin", &origin_tls),
            ("x-forwarded-proto", "https"),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        format!("link={tls_link}").as_bytes(),
    )
    .await;
    assert_eq!(tls.status, 303, "{}", tls.text());
    assert!(tls.header("set-cookie").unwrap().contains("; Secure"));
    // Links long over are forgotten at the next sign-in: the expired one is now unknown.
    let forgotten = post_form(addr, "/organiser/sign-in", "", &format!("link={late}")).await;
    assert!(
        forgotten.text().contains("ungültig"),
        "{}",
        forgotten.text()
    );

    // The console's entry points without a session say how to sign in.
    let start = get(addr, "/organiser/", &[]).await;
    assert_eq!(start.status, 200);
    assert!(start.text().contains("Anmeldelink"));
    let no_slash = get(addr, &format!("/organiser/{EVENT}"), &[]).await;
    assert_eq!(no_slash.status, 303);
    assert_eq!(
        no_slash.header("location"),
        Some(&*format!("/organiser/{EVENT}/"))
    );

    let overview = get(
        addr,
        &format!("/organiser/{EVENT}/"),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(overview.status, 200);
    let csrf = form_value(&overview.text(), "csrf");
    let none = get(addr, &format!("/organiser/{EVENT}/"), &[]).await;
    assert_eq!(none.status, 401);
    assert!(none.text().contains("Anmeldelink"));

    // A session past its 12 hours is over (another browser's, ended in the database).
    let other = sign_in(&h, EVENT).await;
    db.execute(
        "UPDATE console_session SET expires_at = 0 WHERE csrf = ?1",
        [&other.csrf],
    )
    .unwrap();
    let ended = get(
        addr,
        &format!("/organiser/{EVENT}/"),
        &[("cookie", &other.cookie)],
    )
    .await;
    assert_eq!(ended.status, 401);

    let out = post_form(
        addr,
        &format!("/organiser/{EVENT}/sign-out"),
        &cookie,
        &format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(out.status, 200, "{}", out.text());
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    let after = get(
        addr,
        &format!("/organiser/{EVENT}/"),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(after.status, 401, "a signed-out session is over");
}

#[tokio::test]
async fn forged_forms_and_other_events_sessions_change_nothing() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    h.publish(&small_bundle(OTHER));
    let b = sign_in(&h, EVENT).await;
    let before = (h.admin.head(EVENT).unwrap(), h.admin.head(OTHER).unwrap());
    let announce = |csrf: &str| {
        format!(
            "csrf={csrf}&key=forgedkey12345678&title=Gefälscht&priority=normal&expires=&action=publish"
        )
    };
    let path = format!("/organiser/{EVENT}/announce");

    // No CSRF token, a wrong one: refused.
    for csrf in ["", "nottherighttoken"] {
        let forged = post_form(b.addr, &path, &b.cookie, &announce(csrf)).await;
        assert_eq!(forged.status, 403, "{}", forged.text());
        assert!(
            forged.text().contains("Sicherheitsprüfung"),
            "{}",
            forged.text()
        );
    }
    // The right token from another site, or with no Origin or Referer at all: refused.
    for headers in [
        vec![("origin", "http://evil.example")],
        vec![("referer", "http://evil.example/page")],
        vec![],
    ] {
        let mut all = vec![
            ("cookie", b.cookie.as_str()),
            ("content-type", "application/x-www-form-urlencoded"),
        ];
        all.extend(headers);
        let forged = request(b.addr, "POST", &path, &all, announce(&b.csrf).as_bytes()).await;
        assert_eq!(forged.status, 403, "{}", forged.text());
    }
    // This event's session on another event's pages and forms.
    let other = get(
        b.addr,
        &format!("/organiser/{OTHER}/announce"),
        &[("cookie", &b.cookie)],
    )
    .await;
    assert_eq!(other.status, 403);
    assert!(
        other.text().contains("andere Veranstaltung"),
        "{}",
        other.text()
    );
    let other_post = post_form(
        b.addr,
        &format!("/organiser/{OTHER}/announce"),
        &b.cookie,
        &announce(&b.csrf),
    )
    .await;
    assert_eq!(other_post.status, 403);

    assert_eq!(
        (h.admin.head(EVENT).unwrap(), h.admin.head(OTHER).unwrap()),
        before,
        "nothing was written"
    );
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 0);
    assert_eq!(h.admin.applied_ops(OTHER).unwrap(), 0);
}

#[tokio::test]
async fn an_announcement_from_the_console_reaches_a_device_and_its_retraction_too() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let attendee = h.device("attendee");
    attendee.sync(&h.url(), EVENT).await.unwrap();
    let b = sign_in(&h, EVENT).await;
    let path = format!("/organiser/{EVENT}/announce");
    let page = get(b.addr, &path, &[("cookie", &b.cookie)]).await;
    let key = form_value(&page.text(), "key");
    let form = format!(
        "csrf={}&key={key}&title={}&body={}&priority=urgent&expires=2099-01-01T18:00&action=",
        b.csrf,
        encode("Häppchen im Foyer"),
        encode("Bis 14 Uhr.")
    );

    // A preview shows the card and sends nothing; a title left empty is tied to its field.
    let preview = post_form(b.addr, &path, &b.cookie, &format!("{form}preview")).await;
    assert_eq!(preview.status, 200, "{}", preview.text());
    assert!(preview.text().contains("So sehen Teilnehmende"));
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 0);
    let empty = post_form(
        b.addr,
        &path,
        &b.cookie,
        &format!(
            "csrf={}&key={key}&title=&priority=normal&action=publish",
            b.csrf
        ),
    )
    .await;
    assert_eq!(empty.status, 422);
    assert!(
        empty.text().contains("aria-describedby=\"title-error\""),
        "{}",
        empty.text()
    );
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 0);

    // A key that is not one of ours: refused, nothing applied.
    let bad_key = form.replace(&key, "x");
    let refused = post_form(b.addr, &path, &b.cookie, &format!("{bad_key}publish")).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(
        refused.text().contains("reload the page"),
        "{}",
        refused.text()
    );
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 0);

    // Published, and sent twice (a double click): applied once.
    for _ in 0..2 {
        let sent = post_form(b.addr, &path, &b.cookie, &format!("{form}publish")).await;
        assert_eq!(sent.status, 303, "{}", sent.text());
    }
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 1);
    attendee.sync(&h.url(), EVENT).await.unwrap();
    let notes = attendee.store.announcements(EVENT, Utc::now()).unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].title, "Häppchen im Foyer");
    assert_eq!(notes[0].body, "Bis 14 Uhr.");
    assert_eq!(notes[0].priority, Priority::Urgent);
    assert!(notes[0].expires_at.is_some());

    // Retracted from the live list: gone from the device too.
    let listed = get(b.addr, &path, &[("cookie", &b.cookie)]).await.text();
    let retract_form = &listed[listed.find("/announce/retract").unwrap()..];
    let body = format!(
        "csrf={}&key={}&id={}&base={}",
        b.csrf,
        form_value(retract_form, "key"),
        form_value(retract_form, "id"),
        form_value(retract_form, "base")
    );
    let retracted = post_form(b.addr, &format!("{path}/retract"), &b.cookie, &body).await;
    assert_eq!(retracted.status, 303, "{}", retracted.text());
    attendee.sync(&h.url(), EVENT).await.unwrap();
    assert!(
        attendee
            .store
            .announcements(EVENT, Utc::now())
            .unwrap()
            .is_empty()
    );
}

fn multipart(boundary: &str, csrf: &str, source: &str, file: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in [("csrf", csrf), ("source", source)] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"programm.csv\"\r\ncontent-type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

/// The example programme the docs show (docs/examples/programm.csv).
fn example_programme() -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/examples/programm.csv"),
    )
    .unwrap()
}

/// Confirms the previewed import `pending` with a release note.
async fn confirm(b: &Browser, pending: &str, note: &str) -> RawResponse {
    let form = format!("csrf={}&pending={pending}&note={}", b.csrf, encode(note));
    post_form(
        b.addr,
        &format!("/organiser/{EVENT}/import/confirm"),
        &b.cookie,
        &form,
    )
    .await
}

async fn upload(b: &Browser, source: &str, file: &[u8]) -> RawResponse {
    let boundary = "console-test-boundary";
    let origin = origin(b.addr);
    let content_type = format!("multipart/form-data; boundary={boundary}");
    request(
        b.addr,
        "POST",
        &format!("/organiser/{EVENT}/import"),
        &[
            ("cookie", &b.cookie),
            ("origin", &origin),
            ("content-type", &content_type),
        ],
        &multipart(boundary, &b.csrf, source, file),
    )
    .await
}

#[tokio::test]
async fn a_csv_import_is_previewed_then_published_as_a_release_and_a_stale_preview_is_refused() {
    let h = Harness::start().await;
    let b = sign_in(&h, EVENT).await;
    let csv = example_programme();

    // A bad source name and a file that is no schedule: each told at its field, nothing kept.
    let bad = upload(&b, "mein programm", &csv).await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.text()
            .contains("aria-describedby=\"source-hint source-error\"")
    );
    let junk = upload(&b, "programm", b"\x00\x01 not a schedule").await;
    assert_eq!(junk.status, 422, "{}", junk.text());
    assert!(junk.text().contains("file-error"), "{}", junk.text());
    let head = h.admin.head(EVENT).unwrap();

    let preview = upload(&b, "programm", &csv).await;
    assert_eq!(preview.status, 200, "{}", preview.text());
    let page = preview.text();
    assert!(
        page.contains("session: erechnung – E-Rechnung in der Kommune"),
        "{page}"
    );
    assert!(
        page.contains("– Station 3"),
        "places are named, not only their ids: {page}"
    );
    assert_eq!(
        h.admin.head(EVENT).unwrap(),
        head,
        "a preview publishes nothing"
    );
    let pending = form_value(&page, "pending");
    let done = confirm(&b, &pending, "Erster Stand").await;
    assert_eq!(done.status, 303, "{}", done.text());
    assert_eq!(
        done.header("location"),
        Some(&*format!("/organiser/{EVENT}/?released=1"))
    );
    let overview = get(
        b.addr,
        &format!("/organiser/{EVENT}/?released=1"),
        &[("cookie", &b.cookie)],
    )
    .await;
    assert!(overview.text().contains("Erster Stand"));
    let device = h.device("attendee");
    device.sync(&h.url(), EVENT).await.unwrap();
    assert!(
        device
            .store
            .entity(
                EVENT,
                marktplatz_model::model::EntityKind::Session,
                "erechnung"
            )
            .unwrap()
            .is_some()
    );
    // Confirming the same preview again: it is gone.
    let twice = confirm(&b, &pending, "Erster Stand").await;
    assert_eq!(twice.status, 422);
    assert!(twice.text().contains("gibt es nicht mehr"));

    // Something else is published between preview and confirmation: refused, nothing published.
    let changed: Vec<u8> = String::from_utf8(csv.clone())
        .unwrap()
        .replace("E-Rechnung in der Kommune", "E-Rechnung für Kommunen")
        .into_bytes();
    let preview = upload(&b, "programm", &changed).await.text();
    h.publish(&small_bundle(EVENT));
    let head = h.admin.head(EVENT).unwrap();
    let stale = confirm(&b, &form_value(&preview, "pending"), "").await;
    assert_eq!(stale.status, 422);
    assert!(
        stale.text().contains("Seit der Vorschau"),
        "{}",
        stale.text()
    );
    assert_eq!(h.admin.head(EVENT).unwrap(), head);
}

#[tokio::test]
async fn the_preview_shows_each_changed_field_and_the_wrong_file_needs_the_box_ticked() {
    let h = Harness::start().await;
    let b = sign_in(&h, EVENT).await;
    let csv = String::from_utf8(example_programme()).unwrap();
    let first = upload(&b, "programm", csv.as_bytes()).await.text();
    assert_eq!(
        confirm(&b, &form_value(&first, "pending"), "").await.status,
        303
    );

    // A fixed title: the preview names the field with its old and new text.
    let fixed = csv.replace("E-Rechnung in der Kommune", "E-Rechnung für Kommunen");
    let page = upload(&b, "programm", fixed.as_bytes()).await.text();
    assert!(
        page.contains("title: E-Rechnung in der Kommune → E-Rechnung für Kommunen"),
        "{page}"
    );
    assert!(
        !page.contains("confirm_guard"),
        "no guard for a typo: {page}"
    );
    assert_eq!(
        confirm(&b, &form_value(&page, "pending"), "").await.status,
        303
    );

    // The wrong file (only the first session left): the guard says why and asks for the box.
    let short: String = fixed.lines().take(2).collect::<Vec<_>>().join("\n");
    let page = upload(&b, "programm", short.as_bytes()).await.text();
    assert!(page.contains("Braucht Ihre Bestätigung"), "{page}");
    assert!(
        page.contains("Programmpunkte entfernen, die die Quelle „programm“"),
        "{page}"
    );
    let head = h.admin.head(EVENT).unwrap();
    let pending = form_value(&page, "pending");
    let unticked = confirm(&b, &pending, "").await;
    assert_eq!(unticked.status, 422, "{}", unticked.text());
    assert_eq!(
        h.admin.head(EVENT).unwrap(),
        head,
        "nothing published without the box"
    );
    // (The box is `required` in the page; a form sent without it used the preview up.)
    let page = upload(&b, "programm", short.as_bytes()).await.text();
    let pending = form_value(&page, "pending");
    let form = format!("csrf={}&pending={pending}&note=&confirm_guard=yes", b.csrf);
    let ticked = post_form(
        b.addr,
        &format!("/organiser/{EVENT}/import/confirm"),
        &b.cookie,
        &form,
    )
    .await;
    assert_eq!(ticked.status, 303, "{}", ticked.text());
    assert_ne!(h.admin.head(EVENT).unwrap(), head);
}

#[tokio::test]
async fn an_icalendar_file_is_read_by_the_same_importers_as_the_cli() {
    let h = Harness::start().await;
    let b = sign_in(&h, EVENT).await;
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//console//DE\r\nX-WR-CALNAME:Marktplatz Nordwest\r\n\
BEGIN:VEVENT\r\nUID:eroeffnung@example.org\r\nDTSTAMP:20270101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20270304T090000\r\n\
DTEND;TZID=Europe/Berlin:20270304T092000\r\nSUMMARY:Eröffnung\r\nLOCATION:Bühne\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:ozg@example.org\r\nDTSTAMP:20270101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20270304T100000\r\n\
DTEND;TZID=Europe/Berlin:20270304T104500\r\nSUMMARY:OZG-Umsetzung\r\nLOCATION:Station 3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let preview = upload(&b, "kalender", ics.as_bytes()).await;
    assert_eq!(preview.status, 200, "{}", preview.text());
    let page = preview.text();
    assert!(page.contains("an iCalendar file"), "{page}");
    let done = confirm(&b, &form_value(&page, "pending"), "").await;
    assert_eq!(done.status, 303, "{}", done.text());
    let bundle = get(b.addr, &format!("/v1/events/{EVENT}/bundle"), &[]).await;
    assert_eq!(bundle.status, 200);
    let sessions = bundle.json()["sessions"].to_string();
    assert!(sessions.contains("OZG-Umsetzung"), "{sessions}");
}

#[tokio::test]
async fn a_file_over_the_servers_limit_is_refused_at_its_field_and_nothing_is_kept() {
    let h = Harness::start_with(|config| config.max_body_bytes = 4096).await;
    let b = sign_in(&h, EVENT).await;
    let head = h.admin.head(EVENT).unwrap();
    let huge = "ID;Titel\n".to_string() + &"x;Sehr langer Titel\n".repeat(1000);
    let refused = upload(&b, "programm", huge.as_bytes()).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(
        refused.text().contains("id=\"file-error\""),
        "{}",
        refused.text()
    );
    assert_eq!(h.admin.head(EVENT).unwrap(), head);
}

#[tokio::test]
async fn a_release_note_over_the_limit_is_refused_in_the_pages_language_and_nothing_published() {
    let h = Harness::start().await;
    let b = sign_in(&h, EVENT).await;
    let csv = example_programme();
    let page = upload(&b, "programm", &csv).await.text();
    let head = h.admin.head(EVENT).unwrap();
    let long = "x".repeat(marktplatz_model::source::MAX_NOTE_CHARS + 1);
    let refused = confirm(&b, &form_value(&page, "pending"), &long).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let text = refused.text();
    assert!(
        text.contains(&format!(
            "Die Notiz zur Veröffentlichung darf höchstens {} Zeichen haben.",
            marktplatz_model::source::MAX_NOTE_CHARS
        )),
        "{text}"
    );
    assert!(!text.contains("release note"), "{text}");
    assert_eq!(h.admin.head(EVENT).unwrap(), head);
}

#[tokio::test]
async fn sessions_and_tokens_of_the_event_are_listed_and_revoked_and_no_others() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    h.publish(&small_bundle(OTHER));
    let b = sign_in(&h, EVENT).await;
    let phone = sign_in(&h, EVENT).await;
    let ours = h.admin.create_token(EVENT, "organiser").unwrap();
    let theirs = h.admin.create_token(OTHER, "organiser").unwrap();
    let id_of = |token: &str| token.split('.').next().unwrap().to_string();
    let path = format!("/organiser/{EVENT}/access");
    let page = get(b.addr, &path, &[("cookie", &b.cookie)]).await.text();
    assert!(page.contains(&id_of(&ours)), "{page}");
    assert!(
        !page.contains(&id_of(&theirs)),
        "another event's token is not listed"
    );
    assert_eq!(
        page.matches("/access/session\"").count(),
        1,
        "one other session"
    );
    assert!(page.contains("diese Sitzung"));

    // Another event's token cannot be named here: nothing changes.
    let form = |id: &str| format!("csrf={}&id={id}", b.csrf);
    let refused = post_form(
        b.addr,
        &format!("{path}/token"),
        &b.cookie,
        &form(&id_of(&theirs)),
    )
    .await;
    assert_eq!(
        refused.header("location"),
        Some(&*format!("{path}?done=unknown"))
    );
    let listed = h.admin.tokens(Some(OTHER)).unwrap();
    assert!(listed.iter().all(|t| t.revoked_at.is_none()));

    // This event's token and the other browser's session: revoked, and they stop working.
    let revoked = post_form(
        b.addr,
        &format!("{path}/token"),
        &b.cookie,
        &form(&id_of(&ours)),
    )
    .await;
    assert_eq!(
        revoked.header("location"),
        Some(&*format!("{path}?done=revoked"))
    );
    let bearer = format!("Bearer {ours}");
    let releases = get(
        b.addr,
        &format!("/v1/events/{EVENT}/releases"),
        &[("authorization", &bearer)],
    )
    .await;
    assert_eq!(releases.status, 401);
    let session_id = form_value(&page[page.find("/access/session\"").unwrap()..], "id");
    let ended = post_form(
        b.addr,
        &format!("{path}/session"),
        &b.cookie,
        &form(&session_id),
    )
    .await;
    assert_eq!(
        ended.header("location"),
        Some(&*format!("{path}?done=revoked"))
    );
    let phone_page = get(b.addr, &path, &[("cookie", &phone.cookie)]).await;
    assert_eq!(phone_page.status, 401);
    let still = get(b.addr, &path, &[("cookie", &b.cookie)]).await;
    assert_eq!(still.status, 200);
}

#[tokio::test]
async fn a_phone_gets_an_organiser_token_of_the_event_shown_once_as_a_qr_code() {
    let h = Harness::start().await;
    let b = sign_in(&h, EVENT).await;
    let path = format!("/organiser/{EVENT}/access/phone");
    let nameless = post_form(
        b.addr,
        &path,
        &b.cookie,
        &format!("csrf={}&name=+&hours=24", b.csrf),
    )
    .await;
    assert_eq!(
        nameless.header("location"),
        Some(&*format!("/organiser/{EVENT}/access?done=phone-name"))
    );
    assert!(
        h.admin.tokens(Some(EVENT)).unwrap().is_empty(),
        "no token without a name"
    );

    let shown = post_form(
        b.addr,
        &path,
        &b.cookie,
        &format!("csrf={}&name={}&hours=72", b.csrf, encode("Telefon Anna")),
    )
    .await;
    assert_eq!(shown.status, 200, "{}", shown.text());
    assert_eq!(shown.header("cache-control"), Some("no-store"));
    assert!(shown.text().contains("src=\"data:image/svg+xml;base64,"));
    let tokens = h.admin.tokens(Some(EVENT)).unwrap();
    assert_eq!(tokens.len(), 1, "{tokens:?}");
    assert_eq!(tokens[0].role, "organiser");
    assert_eq!(tokens[0].subject, "Telefon Anna");
    let lifetime = tokens[0].expires_at.unwrap() - tokens[0].created_at;
    assert_eq!(lifetime, 72 * 3600);
    // Listed on the access page, with its revoke button.
    let page = get(
        b.addr,
        &format!("/organiser/{EVENT}/access"),
        &[("cookie", &b.cookie)],
    )
    .await;
    assert!(page.text().contains(&tokens[0].id));
}

/// The programme as an organiser's Excel file: date and time cells, German headers, ids.
fn programme_xlsx() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Programm").unwrap();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let time = Format::new().set_num_format("hh:mm");
    for (column, header) in ["ID", "Titel", "Datum", "Beginn", "Ende", "Station"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    let day = ExcelDateTime::from_ymd(2027, 3, 4).unwrap();
    for (row, (id, title, start, end, station)) in [
        ("eroeffnung", "Eröffnung", (9, 0), (9, 20), "Bühne"),
        ("ozg", "OZG-Umsetzung", (10, 0), (10, 45), "Station 3"),
    ]
    .into_iter()
    .enumerate()
    {
        let row = row as u32 + 1;
        sheet.write_string(row, 0, id).unwrap();
        sheet.write_string(row, 1, title).unwrap();
        sheet
            .write_datetime_with_format(row, 2, &day, &date)
            .unwrap();
        let start = ExcelDateTime::from_hms(start.0, start.1, 0).unwrap();
        sheet
            .write_datetime_with_format(row, 3, &start, &time)
            .unwrap();
        let end = ExcelDateTime::from_hms(end.0, end.1, 0).unwrap();
        sheet
            .write_datetime_with_format(row, 4, &end, &time)
            .unwrap();
        sheet.write_string(row, 5, station).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn an_xlsx_upload_is_previewed_and_published_and_a_device_sees_its_sessions() {
    let h = Harness::start().await;
    let b = sign_in(&h, EVENT).await;
    let form = get(
        b.addr,
        &format!("/organiser/{EVENT}/import"),
        &[("cookie", &b.cookie)],
    )
    .await;
    assert!(form.text().contains(".xlsx,.ods,"), "{}", form.text());
    assert!(
        form.text()
            .contains(&format!("/organiser/{EVENT}/import/vorlage.xlsx"))
    );

    let preview = upload(&b, "programm", &programme_xlsx()).await;
    assert_eq!(preview.status, 200, "{}", preview.text());
    let page = preview.text();
    assert!(page.contains("an Excel workbook (XLSX)"), "{page}");
    assert!(page.contains("OZG-Umsetzung"), "{page}");
    let done = confirm(&b, &form_value(&page, "pending"), "Programm aus Excel").await;
    assert_eq!(done.status, 303, "{}", done.text());

    let device = h.device("attendee");
    device.sync(&h.url(), EVENT).await.unwrap();
    for id in ["eroeffnung", "ozg"] {
        let session = device
            .store
            .entity(EVENT, marktplatz_model::model::EntityKind::Session, id)
            .unwrap();
        assert!(session.is_some(), "the device has no session {id}");
    }
    // 09:00 on the fair's day in Berlin (the console names no zone: the importer's default).
    let bundle = get(b.addr, &format!("/v1/events/{EVENT}/bundle"), &[])
        .await
        .json();
    let opening = bundle["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "eroeffnung")
        .cloned()
        .unwrap();
    assert_eq!(opening["start"], "2027-03-04T08:00:00Z");
}

#[tokio::test]
async fn the_xlsx_template_downloads_for_a_signed_in_organiser_and_empty_it_has_no_rows() {
    let h = Harness::start().await;
    let path = format!("/organiser/{EVENT}/import/vorlage.xlsx");
    let b = sign_in(&h, EVENT).await;
    // Without the session cookie: no template.
    let anonymous = get(b.addr, &path, &[]).await;
    assert_ne!(anonymous.status, 200);
    let template = get(b.addr, &path, &[("cookie", &b.cookie)]).await;
    assert_eq!(template.status, 200);
    assert_eq!(
        template.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    assert!(
        template
            .header("content-disposition")
            .is_some_and(|d| d.contains("vorlage.xlsx"))
    );
    assert_eq!(template.body, marktplatz_import::template::xlsx().unwrap());

    // Uploaded back empty: refused at the file field, naming the workbook and the sheet.
    let head = h.admin.head(EVENT).unwrap();
    let empty = upload(&b, "programm", &template.body).await;
    assert_eq!(empty.status, 422, "{}", empty.text());
    let page = empty.text();
    assert!(page.contains("file-error"), "{page}");
    assert!(
        page.contains("has no rows below the header of the sheet &#39;Programm&#39;")
            || page.contains("has no rows below the header of the sheet 'Programm'"),
        "{page}"
    );
    assert_eq!(h.admin.head(EVENT).unwrap(), head);
}
