#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Editing sessions in the organiser console (`docs/adr/0016-organiser-console.md`): each form
//! is one organiser operation through the same write path as the HTTP API, so a device that
//! syncs sees it; a forged form, another event's session, a mistake at a field and two
//! organisers editing the same session change nothing that was not meant.

use chrono::NaiveDate;
use marktplatz_model::model::SessionStatus;
use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::raw_http::{RawResponse, get};

use super::console::{Browser, EVENT, OTHER, encode, form_value, post_form, sign_in};

fn edit_path(session: &str) -> String {
    format!("/organiser/{EVENT}/sessions/{session}")
}

/// The edit page of `session` as `b` sees it now.
async fn edit_page(b: &Browser, session: &str) -> String {
    let page = get(b.addr, &edit_path(session), &[("cookie", &b.cookie)]).await;
    assert_eq!(page.status, 200, "{}", page.text());
    page.text()
}

/// The part of `page` from the form whose hidden action is `action` on.
fn form_of<'p>(page: &'p str, action: &str) -> &'p str {
    let marker = format!("name=\"action\" value=\"{action}\"");
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {action} form: {page}"));
    let start = page[..at].rfind("<form").unwrap();
    &page[start..]
}

/// Sends the `action` form of `page` with `fields` (already encoded) as `b`.
async fn send(b: &Browser, page: &str, session: &str, action: &str, fields: &str) -> RawResponse {
    let form = form_of(page, action);
    let body = format!(
        "csrf={}&key={}&base={}&action={action}{fields}",
        b.csrf,
        form_value(form, "key"),
        form_value(form, "base"),
    );
    post_form(b.addr, &edit_path(session), &b.cookie, &body).await
}

#[tokio::test]
async fn each_edit_from_the_console_reaches_a_device_that_syncs() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let attendee = h.device("attendee");
    attendee.sync(&h.url(), EVENT).await.unwrap();
    let b = sign_in(&h, EVENT).await;

    // The list: by day, the filter by place keeps only that place's sessions.
    let list = get(
        b.addr,
        &format!("/organiser/{EVENT}/sessions?station=station-2"),
        &[("cookie", &b.cookie)],
    )
    .await;
    assert_eq!(list.status, 200, "{}", list.text());
    let text = list.text();
    assert!(text.contains("2027-03-04"), "{text}");
    assert!(text.contains("OZG 2.0"), "{text}");
    assert!(!text.contains("E-Rechnung in der Kommune"), "{text}");
    assert!(text.contains("/sessions/ozg"), "{text}");

    let page = edit_page(&b, "erechnung").await;
    assert!(page.contains("value=\"10:00\""), "local time: {page}");
    let sent = send(
        &b,
        &page,
        "erechnung",
        "text",
        &format!(
            "&title={}&abstract={}&description={}",
            encode("E-Rechnung: Praxisbericht"),
            encode("Aus Delmenhorst."),
            encode("Wie eine Stadt <script> umstellte.")
        ),
    )
    .await;
    assert_eq!(sent.status, 303, "{}", sent.text());
    let saved = get(
        b.addr,
        sent.header("location").unwrap(),
        &[("cookie", &b.cookie)],
    )
    .await
    .text();
    assert!(saved.contains("Gespeichert"), "{saved}");
    assert!(saved.contains("&#60;script&#62;"), "escaped: {saved}");

    // Sent twice (a double click): applied once.
    let page = edit_page(&b, "erechnung").await;
    for _ in 0..2 {
        let sent = send(&b, &page, "erechnung", "move", "&place=station-3").await;
        assert_eq!(sent.status, 303, "{}", sent.text());
    }
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 2);
    let page = edit_page(&b, "erechnung").await;
    let sent = send(
        &b,
        &page,
        "erechnung",
        "retime",
        "&date=2027-03-04&start=14%3A00&end=14%3A45",
    )
    .await;
    assert_eq!(sent.status, 303, "{}", sent.text());
    let page = edit_page(&b, "ozg").await;
    let sent = send(&b, &page, "ozg", "cancel", "").await;
    assert_eq!(sent.status, 303, "{}", sent.text());
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 4);

    attendee.sync(&h.url(), EVENT).await.unwrap();
    let detail = attendee.store.session_detail(EVENT, "erechnung").unwrap();
    assert_eq!(detail.session.title, "E-Rechnung: Praxisbericht");
    assert_eq!(detail.session.abstract_text, "Aus Delmenhorst.");
    assert_eq!(detail.session.location_id.as_deref(), Some("station-3"));
    let day = NaiveDate::from_ymd_opt(2027, 3, 4).unwrap();
    let agenda = attendee.store.agenda(EVENT, day).unwrap();
    let erechnung = agenda.iter().find(|s| s.id == "erechnung").unwrap();
    assert_eq!(erechnung.local_start, "14:00", "in the event's timezone");
    let ozg = agenda.iter().find(|s| s.id == "ozg").unwrap();
    assert_eq!(ozg.status, SessionStatus::Cancelled);

    // Reinstated from its page: the page offers it because the session is cancelled.
    let page = edit_page(&b, "ozg").await;
    assert!(page.contains("value=\"reinstate\""), "{page}");
    let sent = send(&b, &page, "ozg", "reinstate", "").await;
    assert_eq!(sent.status, 303, "{}", sent.text());
    attendee.sync(&h.url(), EVENT).await.unwrap();
    let agenda = attendee.store.agenda(EVENT, day).unwrap();
    let ozg = agenda.iter().find(|s| s.id == "ozg").unwrap();
    assert_eq!(ozg.status, SessionStatus::Scheduled);
}

#[tokio::test]
async fn the_second_of_two_organisers_sees_the_conflict_and_nothing_is_overwritten() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let anna = sign_in(&h, EVENT).await;
    let bernd = sign_in(&h, EVENT).await;
    let annas_page = edit_page(&anna, "isms").await;
    let bernds_page = edit_page(&bernd, "isms").await;

    let first = send(
        &anna,
        &annas_page,
        "isms",
        "text",
        &format!("&title={}", encode("ISMS kompakt")),
    )
    .await;
    assert_eq!(first.status, 303, "{}", first.text());
    let second = send(
        &bernd,
        &bernds_page,
        "isms",
        "text",
        &format!("&title={}", encode("ISMS für alle")),
    )
    .await;
    assert_eq!(second.status, 409, "{}", second.text());
    let text = second.text();
    assert!(text.contains("role=\"alert\""), "{text}");
    assert!(text.contains("Jemand anderes"), "{text}");
    assert!(text.contains("Aktueller Stand"), "{text}");
    assert!(
        text.contains("<dd>ISMS kompakt</dd>"),
        "the current version: {text}"
    );
    assert!(
        text.contains("value=\"ISMS für alle\""),
        "their own input kept: {text}"
    );
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 1);
    let now = edit_page(&anna, "isms").await;
    assert!(now.contains("value=\"ISMS kompakt\""), "{now}");

    // A different change on the old version is a conflict too: the place is kept as it is.
    let moved = send(&bernd, &bernds_page, "isms", "move", "&place=hall").await;
    assert_eq!(moved.status, 409, "{}", moved.text());
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 1);

    // Sent again from the conflict page (now based on the current version): their choice.
    let again = send(
        &bernd,
        &text,
        "isms",
        "text",
        &format!("&title={}", encode("ISMS für alle")),
    )
    .await;
    assert_eq!(again.status, 303, "{}", again.text());
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 2);
}

#[tokio::test]
async fn mistakes_are_answered_at_their_field_and_nothing_is_applied() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let b = sign_in(&h, EVENT).await;
    let page = edit_page(&b, "opening").await;

    let backwards = send(
        &b,
        &page,
        "opening",
        "retime",
        "&date=2027-03-04&start=11%3A00&end=10%3A00",
    )
    .await;
    assert_eq!(backwards.status, 422, "{}", backwards.text());
    let text = backwards.text();
    assert!(text.contains("id=\"end-error\""), "{text}");
    assert!(
        text.contains("Das Ende muss nach dem Beginn liegen"),
        "{text}"
    );
    assert!(text.contains("value=\"11:00\""), "input kept: {text}");

    let nowhere = send(&b, &page, "opening", "move", "&place=keller").await;
    assert_eq!(nowhere.status, 422, "{}", nowhere.text());
    assert!(nowhere.text().contains("id=\"place-error\""));
    assert!(nowhere.text().contains("Diesen Ort gibt es"));

    let untitled = send(&b, &page, "opening", "text", "&title=++").await;
    assert_eq!(untitled.status, 422, "{}", untitled.text());
    assert!(untitled.text().contains("aria-describedby=\"title-error\""));

    let no_date = send(
        &b,
        &page,
        "opening",
        "retime",
        "&date=bald&start=9&end=10%3A00",
    )
    .await;
    assert_eq!(no_date.status, 422, "{}", no_date.text());
    assert!(no_date.text().contains("id=\"date-error\""));
    assert!(no_date.text().contains("id=\"start-error\""));

    let english = get(
        b.addr,
        &format!("{}?lang=en", edit_path("opening")),
        &[("cookie", &b.cookie)],
    )
    .await;
    assert!(english.text().contains("Change time"), "{}", english.text());

    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 0);
}

#[tokio::test]
async fn forged_forms_unknown_sessions_and_another_events_session_change_nothing() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    h.publish(&small_bundle(OTHER));
    let b = sign_in(&h, EVENT).await;
    let page = edit_page(&b, "opening").await;
    let form = form_of(&page, "cancel");
    let key = form_value(form, "key");
    let base = form_value(form, "base");

    // No CSRF token: refused.
    let forged = post_form(
        b.addr,
        &edit_path("opening"),
        &b.cookie,
        &format!("key={key}&base={base}&action=cancel"),
    )
    .await;
    assert_eq!(forged.status, 403, "{}", forged.text());

    // This event's session editing another event's programme: refused.
    let elsewhere = post_form(
        b.addr,
        &format!("/organiser/{OTHER}/sessions/opening"),
        &b.cookie,
        &format!("csrf={}&key={key}&base={base}&action=cancel", b.csrf),
    )
    .await;
    assert_eq!(elsewhere.status, 403, "{}", elsewhere.text());
    let read_elsewhere = get(
        b.addr,
        &format!("/organiser/{OTHER}/sessions"),
        &[("cookie", &b.cookie)],
    )
    .await;
    assert_eq!(read_elsewhere.status, 403);
    assert!(!read_elsewhere.text().contains("OZG"));

    // A session this event does not have.
    let unknown = post_form(
        b.addr,
        &edit_path("nirgends"),
        &b.cookie,
        &format!("csrf={}&key={key}&base={base}&action=cancel", b.csrf),
    )
    .await;
    assert_eq!(unknown.status, 404, "{}", unknown.text());
    assert!(
        unknown
            .text()
            .contains("gibt es in dieser Veranstaltung nicht")
    );

    // Not signed in at all: no programme shown.
    let anonymous = get(b.addr, &format!("/organiser/{EVENT}/sessions"), &[]).await;
    assert_ne!(anonymous.status, 200);
    assert!(!anonymous.text().contains("OZG"));

    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 0);
    assert_eq!(h.admin.applied_ops(OTHER).unwrap(), 0);
}

#[tokio::test]
async fn a_place_is_renamed_for_devices_and_a_stale_form_is_a_conflict() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let attendee = h.device("attendee");
    attendee.sync(&h.url(), EVENT).await.unwrap();
    let anna = sign_in(&h, EVENT).await;
    let bernd = sign_in(&h, EVENT).await;
    let path = format!("/organiser/{EVENT}/places/station-2");
    let list = get(
        anna.addr,
        &format!("/organiser/{EVENT}/sessions"),
        &[("cookie", &anna.cookie)],
    )
    .await;
    assert!(list.text().contains(&path), "{}", list.text());
    let annas = get(anna.addr, &path, &[("cookie", &anna.cookie)])
        .await
        .text();
    let bernds = get(bernd.addr, &path, &[("cookie", &bernd.cookie)])
        .await
        .text();
    let body = |b: &Browser, page: &str, name: &str| {
        format!(
            "csrf={}&key={}&base={}&name={}&description={}",
            b.csrf,
            form_value(page, "key"),
            form_value(page, "base"),
            encode(name),
            encode("Kaffee und Fragen")
        )
    };

    let nameless = post_form(anna.addr, &path, &anna.cookie, &body(&anna, &annas, " ")).await;
    assert_eq!(nameless.status, 422, "{}", nameless.text());
    assert!(nameless.text().contains("id=\"name-error\""));
    let forged = body(&anna, &annas, "Café").replace(&anna.csrf, "x");
    let refused = post_form(anna.addr, &path, &anna.cookie, &forged).await;
    assert_eq!(refused.status, 403);
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 0);

    let renamed = post_form(anna.addr, &path, &anna.cookie, &body(&anna, &annas, "Café")).await;
    assert_eq!(renamed.status, 303, "{}", renamed.text());
    let stale = post_form(
        bernd.addr,
        &path,
        &bernd.cookie,
        &body(&bernd, &bernds, "Station Kaffee"),
    )
    .await;
    assert_eq!(stale.status, 409, "{}", stale.text());
    assert!(stale.text().contains("<dd>Café</dd>"), "{}", stale.text());
    assert!(stale.text().contains("value=\"Station Kaffee\""));
    assert_eq!(h.admin.applied_ops(EVENT).unwrap(), 1);

    attendee.sync(&h.url(), EVENT).await.unwrap();
    let stations = attendee.store.stations(EVENT).unwrap();
    let cafe = stations
        .iter()
        .find(|s| s.location.id == "station-2")
        .unwrap();
    assert_eq!(cafe.location.name, "Café");
    assert_eq!(cafe.location.description, "Kaffee und Fragen");

    let unknown = get(
        anna.addr,
        &format!("/organiser/{EVENT}/places/keller"),
        &[("cookie", &anna.cookie)],
    )
    .await;
    assert_eq!(unknown.status, 404);
}
