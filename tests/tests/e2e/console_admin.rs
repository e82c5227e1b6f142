#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The console's releases page with revert, the access code on the access page and the count
//! of devices on the overview, over loopback: each write through the API's own function, a
//! forged form or another event's session changing nothing, and a device that syncs seeing
//! the result.

use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_model::wire::ACCESS_CODE_HEADER;
use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::raw_http::{get, get_from};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::console::{Browser, EVENT, OTHER, encode, post_form, sign_in};

/// The name of station 1 as the device has it.
fn station_name(device: &marktplatz_tests::Device) -> String {
    match device
        .store
        .entity(EVENT, EntityKind::Location, "station-1")
        .unwrap()
    {
        Some(Entity::Location(location)) => location.name,
        other => panic!("no station 1: {other:?}"),
    }
}

#[tokio::test]
async fn a_revert_from_the_releases_page_reaches_a_device_and_forgeries_change_nothing() {
    let h = Harness::start().await;
    let first = small_bundle(EVENT);
    h.publish(&first);
    let mut second = first.clone();
    second.locations[1].name = "Station Eins".into();
    h.publish(&second);
    h.publish(&small_bundle(OTHER));
    let device = h.device("attendee");
    device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(station_name(&device), "Station Eins");

    let b = sign_in(&h, EVENT).await;
    let list = get(
        b.addr,
        &format!("/organiser/{EVENT}/releases"),
        &[("cookie", &b.cookie)],
    )
    .await;
    assert_eq!(list.status, 200, "{}", list.text());
    assert!(
        list.text().contains("releases/revert?to=1"),
        "{}",
        list.text()
    );

    // The confirmation step says what would change and publishes nothing.
    let head = h.admin.head(EVENT).unwrap();
    let confirm = get(
        b.addr,
        &format!("/organiser/{EVENT}/releases/revert?to=1"),
        &[("cookie", &b.cookie)],
    )
    .await;
    assert_eq!(confirm.status, 200, "{}", confirm.text());
    assert!(
        confirm.text().contains("<dt>Geändert</dt><dd>1</dd>"),
        "{}",
        confirm.text()
    );
    assert_eq!(h.admin.head(EVENT).unwrap(), head);

    // Without the CSRF token, or on another event's form: refused, nothing published.
    let path = format!("/organiser/{EVENT}/releases/revert");
    let forged = post_form(b.addr, &path, &b.cookie, "csrf=wrong&to=1&note=").await;
    assert_eq!(forged.status, 403);
    let form = format!("csrf={}&to=1&note={}", b.csrf, encode("Zurück zum Stand 1"));
    let other = post_form(
        b.addr,
        &format!("/organiser/{OTHER}/releases/revert"),
        &b.cookie,
        &form,
    )
    .await;
    assert_eq!(other.status, 403);
    assert_eq!(h.admin.head(EVENT).unwrap(), head);

    // A release that does not exist: refused in German, nothing published.
    let missing = post_form(
        b.addr,
        &path,
        &b.cookie,
        &format!("csrf={}&to=99&note=", b.csrf),
    )
    .await;
    assert_eq!(missing.status, 422, "{}", missing.text());
    assert!(
        missing.text().contains("gibt es nicht"),
        "{}",
        missing.text()
    );
    assert_eq!(h.admin.head(EVENT).unwrap(), head);

    let done = post_form(b.addr, &path, &b.cookie, &form).await;
    assert_eq!(done.status, 303, "{}", done.text());
    assert_eq!(
        done.header("location"),
        Some(&*format!("/organiser/{EVENT}/releases?done=reverted"))
    );
    device.sync(&h.url(), EVENT).await.unwrap();
    assert_eq!(station_name(&device), "Station 1");
    let list = get(
        b.addr,
        &format!("/organiser/{EVENT}/releases?done=reverted"),
        &[("cookie", &b.cookie)],
    )
    .await
    .text();
    assert!(list.contains("Zurück zum Stand 1"), "{list}");
    assert!(list.contains("Zurückgesetzt"), "{list}");
}

async fn access_page(b: &Browser) -> String {
    get(
        b.addr,
        &format!("/organiser/{EVENT}/access"),
        &[("cookie", &b.cookie)],
    )
    .await
    .text()
}

/// The status of a read of the event's head with `code`.
async fn with_code(b: &Browser, code: &str) -> u16 {
    get(
        b.addr,
        &format!("/v1/events/{EVENT}/head"),
        &[(ACCESS_CODE_HEADER, code)],
    )
    .await
    .status
}

#[tokio::test]
async fn the_access_code_is_set_changed_and_removed_from_the_access_page() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    h.publish(&small_bundle(OTHER));
    let b = sign_in(&h, EVENT).await;
    let path = format!("/organiser/{EVENT}/access/code");
    let head_path = format!("/v1/events/{EVENT}/head");
    assert!(access_page(&b).await.contains("ist öffentlich"));

    // Too short: refused with the rule, the event stays public.
    let short = post_form(
        b.addr,
        &path,
        &b.cookie,
        &format!("csrf={}&code=kurz&action=set", b.csrf),
    )
    .await;
    assert_eq!(
        short.header("location"),
        Some(&*format!("/organiser/{EVENT}/access?done=code-bad"))
    );
    assert_eq!(get(b.addr, &head_path, &[]).await.status, 200);

    // Forged, or this session on another event: nothing set.
    let set = format!(
        "csrf={}&code={}&action=set",
        b.csrf,
        encode("Markthalle 2027")
    );
    let forged = post_form(
        b.addr,
        &path,
        &b.cookie,
        "csrf=x&code=Markthalle+2027&action=set",
    )
    .await;
    assert_eq!(forged.status, 403);
    let other = post_form(
        b.addr,
        &format!("/organiser/{OTHER}/access/code"),
        &b.cookie,
        &set,
    )
    .await;
    assert_eq!(other.status, 403);
    assert_eq!(get(b.addr, &head_path, &[]).await.status, 200);
    assert_eq!(
        get(b.addr, &format!("/v1/events/{OTHER}/head"), &[])
            .await
            .status,
        200
    );

    // Set: the event is read only with the code; changed: only the new one.
    let done = post_form(b.addr, &path, &b.cookie, &set).await;
    assert_eq!(done.status, 303);
    assert!(
        access_page(&b)
            .await
            .contains("mit einem Zugangscode geschützt")
    );
    assert_eq!(get(b.addr, &head_path, &[]).await.status, 401);
    assert_eq!(with_code(&b, "Markthalle 2027").await, 200);
    let change = format!("csrf={}&code=Foyer-Nord-9&action=set", b.csrf);
    post_form(b.addr, &path, &b.cookie, &change).await;
    assert_eq!(with_code(&b, "Markthalle 2027").await, 401);
    assert_eq!(with_code(&b, "Foyer-Nord-9").await, 200);

    // Removed: public again, and the page says so.
    let remove = format!("csrf={}&code=&action=remove", b.csrf);
    let removed = post_form(b.addr, &path, &b.cookie, &remove).await;
    assert_eq!(
        removed.header("location"),
        Some(&*format!("/organiser/{EVENT}/access?done=code-removed"))
    );
    assert_eq!(get(b.addr, &head_path, &[]).await.status, 200);
    let page = get(
        b.addr,
        &format!("/organiser/{EVENT}/access?done=code-removed"),
        &[("cookie", &b.cookie)],
    )
    .await
    .text();
    assert!(page.contains("Der Zugangscode ist entfernt"), "{page}");
}

#[tokio::test]
async fn the_overview_counts_distinct_devices_polling_this_event() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    h.publish(&small_bundle(OTHER));
    let b = sign_in(&h, EVENT).await;
    let head_path = format!("/v1/events/{EVENT}/head");
    let mut etag = String::new();
    for agent in ["Marktplatz/1 (a)", "Marktplatz/1 (b)", "Marktplatz/1 (a)"] {
        let polled = get(b.addr, &head_path, &[("user-agent", agent)]).await;
        assert_eq!(polled.status, 200);
        etag = polled.header("etag").unwrap().to_string();
    }
    // What phones send all day: no-change polls, which the front answers 304 from memory
    // before any middleware. A new device's, a known device's from another address, and two
    // devices' over one kept connection (as behind a proxy), each poll twice: all counted.
    let unchanged = |agent| [("user-agent", agent), ("if-none-match", etag.as_str())];
    let polled = get(b.addr, &head_path, &unchanged("Marktplatz/1 (e)")).await;
    assert_eq!(polled.status, 304);
    let elsewhere: std::net::IpAddr = "127.0.0.2".parse().unwrap();
    let polled = get_from(
        elsewhere,
        b.addr,
        &head_path,
        &unchanged("Marktplatz/1 (a)"),
    )
    .await;
    assert_eq!(polled.status, 304);
    let mut kept = tokio::net::TcpStream::connect(b.addr).await.unwrap();
    let mut pipelined = String::new();
    for (agent, last) in [("g", false), ("g", false), ("h", false), ("h", true)] {
        pipelined.push_str(&format!(
            "GET {head_path} HTTP/1.1\r\nhost: x\r\nuser-agent: Marktplatz/1 ({agent})\r\n\
             if-none-match: {etag}\r\n{}\r\n",
            if last { "connection: close\r\n" } else { "" }
        ));
    }
    kept.write_all(pipelined.as_bytes()).await.unwrap();
    let mut answers = String::new();
    kept.read_to_string(&mut answers).await.unwrap();
    assert_eq!(answers.matches("HTTP/1.1 304").count(), 4, "{answers}");

    // With an access code set, the gate answers a no-change poll 304 from memory (inside the
    // stack, not the front): counted too. (p) reads the ETag; (q) only ever gets 304s.
    let set = format!(
        "csrf={}&code={}&action=set",
        b.csrf,
        encode("Markthalle 2027")
    );
    let path = format!("/organiser/{EVENT}/access/code");
    assert_eq!(post_form(b.addr, &path, &b.cookie, &set).await.status, 303);
    let code = (ACCESS_CODE_HEADER, "Markthalle 2027");
    let polled = get(
        b.addr,
        &head_path,
        &[code, ("user-agent", "Marktplatz/1 (p)")],
    )
    .await;
    assert_eq!(polled.status, 200);
    let etag = polled.header("etag").unwrap();
    for _ in 0..2 {
        let agent = ("user-agent", "Marktplatz/1 (q)");
        let polled = get(b.addr, &head_path, &[code, agent, ("if-none-match", etag)]).await;
        assert_eq!(polled.status, 304);
    }
    let refused = get(b.addr, &head_path, &[("user-agent", "Marktplatz/1 (r)")]).await;
    assert_eq!(refused.status, 401, "a refused poll is not counted");
    let remove = format!("csrf={}&code=&action=remove", b.csrf);
    assert_eq!(
        post_form(b.addr, &path, &b.cookie, &remove).await.status,
        303
    );
    // A poll of another event, and requests that are no polls, do not count here.
    get(
        b.addr,
        &format!("/v1/events/{OTHER}/head"),
        &[("user-agent", "c")],
    )
    .await;
    get(
        b.addr,
        &format!("/v1/events/{EVENT}/bundle"),
        &[("user-agent", "d")],
    )
    .await;
    let device = h.device("attendee");
    device.sync(&h.url(), EVENT).await.unwrap();

    let overview = get(
        b.addr,
        &format!("/organiser/{EVENT}/"),
        &[("cookie", &b.cookie)],
    )
    .await
    .text();
    let counted = |label: &str| {
        let at = overview
            .find(label)
            .unwrap_or_else(|| panic!("{label}: {overview}"));
        overview[at..]
            .split("<td class=\"num\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .unwrap()
            .to_string()
    };
    // (a), (b), the syncing device, (e), (a) from 127.0.0.2, (g), (h), (p) and (q).
    assert_eq!(counted("in der laufenden Stunde"), "9", "{overview}");
    assert_eq!(counted("in den letzten 24 Stunden"), "9", "{overview}");
}

#[tokio::test]
async fn a_revert_the_stores_guard_holds_needs_the_box_ticked_and_is_refused_without_it() {
    let h = Harness::start().await;
    let full = small_bundle(EVENT);
    let (kept, dropped) = (full.sessions[0].id.clone(), full.sessions[1].id.clone());
    let mut first = full.clone();
    first.sessions.truncate(1);
    h.publish(&first);
    h.publish(&full);
    let b = sign_in(&h, EVENT).await;

    // Going back to release 1 would remove three of the four sessions: the page says so.
    let confirm = get(
        b.addr,
        &format!("/organiser/{EVENT}/releases/revert?to=1"),
        &[("cookie", &b.cookie)],
    )
    .await
    .text();
    assert!(confirm.contains("3 der 4 Programmpunkte"), "{confirm}");
    assert!(confirm.contains("name=\"confirm\""), "{confirm}");

    let path = format!("/organiser/{EVENT}/releases/revert");
    let head = h.admin.head(EVENT).unwrap();
    let unticked = post_form(b.addr, &path, &b.cookie, &format!("csrf={}&to=1", b.csrf)).await;
    assert_eq!(unticked.status, 422, "{}", unticked.text());
    assert!(
        unticked.text().contains("braucht eine Bestätigung"),
        "{}",
        unticked.text()
    );
    assert_eq!(h.admin.head(EVENT).unwrap(), head, "nothing published");

    let ticked = post_form(
        b.addr,
        &path,
        &b.cookie,
        &format!("csrf={}&to=1&confirm=yes", b.csrf),
    )
    .await;
    assert_eq!(ticked.status, 303, "{}", ticked.text());
    let device = h.device("attendee");
    device.sync(&h.url(), EVENT).await.unwrap();
    let session = |id: &str| {
        device
            .store
            .entity(EVENT, EntityKind::Session, id)
            .unwrap()
            .is_some()
    };
    assert!(session(&kept) && !session(&dropped));
}
