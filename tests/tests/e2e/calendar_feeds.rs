#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The calendar feeds (`/e/{event}/calendar.ics`) against a real server on loopback, read with
//! an independent iCalendar parser (the `ical` crate): stable UIDs, SEQUENCE raised by every
//! change, cancelled sessions kept as cancelled, a favourites share code's feed following a
//! move, filters, conditional requests, the access gate, and hostile text escaped and folded.

use std::net::SocketAddr;

use chrono::{TimeZone, Utc};
use marktplatz_core::favourites::{self, FavouriteKind};
use marktplatz_model::ops::{Op, OpRequest};
use marktplatz_tests::Harness;
use marktplatz_tests::fixtures::small_bundle;
use marktplatz_tests::organiser::post_op;
use marktplatz_tests::raw_http::{self, RawResponse};

const EVENT: &str = "mp-nordwest";

/// A property's parameters as the parser gives them: name and values.
type Params = Vec<(String, Vec<String>)>;

/// One VEVENT as the parser read it: property name, parameters, raw value.
struct Parsed {
    name_values: Vec<(String, Params, String)>,
}

impl Parsed {
    fn value(&self, name: &str) -> Option<&str> {
        self.name_values
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, v)| v.as_str())
    }

    fn param(&self, name: &str, param: &str) -> Option<&str> {
        self.name_values
            .iter()
            .find(|(n, _, _)| n == name)
            .and_then(|(_, params, _)| params.iter().find(|(p, _)| p == param))
            .and_then(|(_, values)| values.first())
            .map(String::as_str)
    }

    fn sequence(&self) -> u64 {
        self.value("SEQUENCE").unwrap().parse().unwrap()
    }
}

/// The feed's VEVENTs keyed by UID, after checking the calendar parses and has a VTIMEZONE
/// (when it has an event at all).
fn parse(text: &str) -> Vec<(String, Parsed)> {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = calendars.next().expect("one calendar").expect("it parses");
    assert!(calendars.next().is_none(), "one calendar only");
    let zones = usize::from(!calendar.events.is_empty());
    assert_eq!(
        calendar.timezones.len(),
        zones,
        "a VTIMEZONE when there are events"
    );
    calendar
        .events
        .into_iter()
        .map(|event| {
            let name_values = event
                .properties
                .into_iter()
                .map(|p| {
                    (
                        p.name,
                        p.params.unwrap_or_default(),
                        p.value.unwrap_or_default(),
                    )
                })
                .collect::<Vec<_>>();
            let parsed = Parsed { name_values };
            (parsed.value("UID").unwrap().to_string(), parsed)
        })
        .collect()
}

fn event_of<'a>(events: &'a [(String, Parsed)], session: &str) -> &'a Parsed {
    let uid = format!("{session}@{EVENT}.marktplatz");
    &events
        .iter()
        .find(|(u, _)| *u == uid)
        .unwrap_or_else(|| panic!("no VEVENT {uid}"))
        .1
}

/// RFC 5545 3.3.11's escapes read back.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

async fn feed(addr: SocketAddr, query: &str, headers: &[(&str, &str)]) -> RawResponse {
    raw_http::get(addr, &format!("/e/{EVENT}/calendar.ics{query}"), headers).await
}

async fn feed_events(addr: SocketAddr, query: &str) -> Vec<(String, Parsed)> {
    let response = feed(addr, query, &[]).await;
    assert_eq!(response.status, 200, "{}", response.text());
    parse(&response.text())
}

async fn apply(h: &Harness, token: &str, key: &str, base: u64, op: Op) {
    let request = OpRequest {
        event: EVENT.into(),
        base,
        op,
    };
    let answer = post_op(h.server.addr(), token, key, &request).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
}

#[tokio::test]
async fn a_reschedule_raises_sequence_and_keeps_the_uid_and_a_cancel_is_kept_as_cancelled() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let addr = h.server.addr();

    let response = feed(addr, "", &[]).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(
        response.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert!(response.header("set-cookie").is_none());
    assert!(response.header("etag").is_some());
    let before = parse(&response.text());
    assert_eq!(before.len(), 4, "every session");
    let isms = event_of(&before, "isms");
    assert_eq!(isms.param("DTSTART", "TZID"), Some("Europe/Berlin"));
    assert_eq!(isms.value("STATUS"), Some("CONFIRMED"));
    assert!(
        isms.value("URL")
            .unwrap()
            .ends_with(&format!("/e/{EVENT}/session/isms"))
    );

    let start = Utc.with_ymd_and_hms(2027, 3, 4, 13, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2027, 3, 4, 13, 45, 0).unwrap();
    apply(
        &h,
        &token,
        "retime-isms",
        isms.sequence(),
        Op::SessionRetime {
            id: "isms".into(),
            start,
            end,
        },
    )
    .await;
    let ozg_before = event_of(&before, "ozg").sequence();
    apply(
        &h,
        &token,
        "cancel-ozg",
        ozg_before,
        Op::SessionCancel { id: "ozg".into() },
    )
    .await;

    let after = feed_events(addr, "").await;
    assert_eq!(after.len(), 4, "the cancelled session is kept");
    let moved = event_of(&after, "isms");
    assert!(moved.sequence() > isms.sequence(), "SEQUENCE raised");
    assert_eq!(
        moved.value("DTSTART"),
        Some("20270304T140000"),
        "13:00 UTC in Berlin"
    );
    assert_eq!(moved.value("DTEND"), Some("20270304T144500"));
    let cancelled = event_of(&after, "ozg");
    assert_eq!(cancelled.value("STATUS"), Some("CANCELLED"));
    assert!(cancelled.sequence() > ozg_before);
    // Untouched sessions keep their SEQUENCE: calendars are not told of changes that were not.
    for id in ["opening", "erechnung"] {
        assert_eq!(
            event_of(&after, id).sequence(),
            event_of(&before, id).sequence()
        );
    }
}

#[tokio::test]
async fn a_favourites_feed_follows_a_move_and_filters_narrow_the_feed() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let addr = h.server.addr();
    let phone = h.device("attendee");
    phone.sync(&h.url(), EVENT).await.unwrap();
    for id in ["isms", "opening"] {
        favourites::add_favourite(&phone.store, EVENT, FavouriteKind::Session, id, None).unwrap();
    }
    let code = favourites::share_code(&phone.store, EVENT).unwrap();

    let query = format!("?favourites={code}");
    let subscribed = feed_events(addr, &query).await;
    let uids: Vec<&str> = subscribed.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(
        uids,
        [
            format!("opening@{EVENT}.marktplatz"),
            format!("isms@{EVENT}.marktplatz")
        ]
    );
    let isms = event_of(&subscribed, "isms");
    let place_before = isms.value("LOCATION").unwrap().to_string();

    apply(
        &h,
        &token,
        "move-isms",
        isms.sequence(),
        Op::SessionMove {
            id: "isms".into(),
            location_id: "station-1".into(),
        },
    )
    .await;
    let followed = feed_events(addr, &query).await;
    let moved = event_of(&followed, "isms");
    assert_ne!(moved.value("LOCATION").unwrap(), place_before);
    assert!(moved.sequence() > isms.sequence());
    assert_eq!(followed.len(), 2);

    // A station's feed; the hall's holds the places inside it too.
    let station = feed_events(addr, "?location=station-2").await;
    assert_eq!(station.len(), 1);
    event_of(&station, "ozg");
    assert_eq!(feed_events(addr, "?location=hall").await.len(), 4);
    assert_eq!(feed_events(addr, "?track=no-such-track").await.len(), 0);

    // A mistyped code is refused with a reason, not answered with an empty calendar.
    let broken = feed(addr, "?favourites=AAAA", &[]).await;
    assert_eq!(broken.status, 400, "{}", broken.text());
}

#[tokio::test]
async fn conditional_requests_answer_304_until_the_event_changes() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    let token = h.admin.create_token(EVENT, "organiser").unwrap();
    let addr = h.server.addr();
    let first = feed(addr, "", &[]).await;
    let etag = first.header("etag").unwrap().to_string();
    assert!(first.header("cache-control").unwrap().contains("max-age"));

    let again = feed(addr, "", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    // Another query is another feed.
    let station = feed(addr, "?location=hall", &[("if-none-match", &etag)]).await;
    assert_eq!(station.status, 200);

    let seq = event_of(&parse(&first.text()), "opening").sequence();
    apply(
        &h,
        &token,
        "cancel-opening",
        seq,
        Op::SessionCancel {
            id: "opening".into(),
        },
    )
    .await;
    let changed = feed(addr, "", &[("if-none-match", &etag)]).await;
    assert_eq!(changed.status, 200);
    assert_ne!(changed.header("etag").unwrap(), etag);
}

#[tokio::test]
async fn a_protected_event_without_its_code_is_answered_like_an_unknown_one() {
    let h = Harness::start().await;
    h.publish(&small_bundle(EVENT));
    assert!(
        !h.admin
            .set_access_code(EVENT, Some("Markthalle 2027"))
            .unwrap()
    );
    let addr = h.server.addr();
    let protected = feed(addr, "", &[]).await;
    let unknown = raw_http::get(addr, "/e/no-such-fair/calendar.ics", &[]).await;
    assert_eq!(protected.status, 401);
    assert_eq!(protected.status, unknown.status);
    // The gate answers a refused attendee read with its access-code form: the same page for both.
    assert_eq!(protected.text(), unknown.text());
    assert!(!protected.text().contains("BEGIN:VCALENDAR"));

    let admitted = feed(addr, "", &[("x-marktplatz-access-code", "Markthalle 2027")]).await;
    assert_eq!(admitted.status, 200);
    assert!(
        admitted
            .header("cache-control")
            .unwrap()
            .starts_with("private")
    );
}

#[tokio::test]
async fn hostile_text_is_escaped_and_folded() {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    let title = "Kommune, Land; Bund\\Europa: Teil 1\nTeil 2 ".to_string() + &"äöü€".repeat(40);
    bundle.sessions[0].title = title.clone();
    bundle.sessions[0].abstract_text = "BEGIN:VEVENT\r\nEND:VCALENDAR".into();
    h.publish(&bundle);
    let text = feed(h.server.addr(), "", &[]).await.text();
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "no bare line break"
    );
    let events = parse(&text);
    assert_eq!(
        events.len(),
        4,
        "the injected lines did not end the calendar"
    );
    let hostile = event_of(&events, &bundle.sessions[0].id);
    assert_eq!(unescape(hostile.value("SUMMARY").unwrap()), title.trim());
    let description = unescape(hostile.value("DESCRIPTION").unwrap());
    assert!(
        description.ends_with("BEGIN:VEVENT\nEND:VCALENDAR"),
        "{description}"
    );
}

#[tokio::test]
async fn a_deleted_session_stays_cancelled_with_a_higher_sequence_and_a_renamed_room_raises_its_sessions()
 {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    h.publish(&bundle);
    let addr = h.server.addr();
    let before = feed_events(addr, "").await;
    assert_eq!(before.len(), 4);

    // The next publication drops "ozg" and renames station 1 (where "erechnung" is).
    bundle.sessions.retain(|s| s.id != "ozg");
    let station = bundle
        .locations
        .iter_mut()
        .find(|l| l.id == "station-1")
        .unwrap();
    station.name = "Station 1 (Empore)".into();
    h.publish(&bundle);

    let after = feed_events(addr, "").await;
    assert_eq!(after.len(), 4, "the deleted session is kept, cancelled");
    let deleted = event_of(&after, "ozg");
    assert_eq!(deleted.value("STATUS"), Some("CANCELLED"));
    assert!(deleted.sequence() > event_of(&before, "ozg").sequence());
    assert_eq!(
        deleted.value("SUMMARY"),
        event_of(&before, "ozg").value("SUMMARY"),
        "still recognisable"
    );
    // Its station's feed keeps it too, so a subscriber of that feed sees it crossed out.
    event_of(&feed_events(addr, "?location=station-2").await, "ozg");

    let renamed = event_of(&after, "erechnung");
    assert_eq!(renamed.value("LOCATION"), Some("Station 1 (Empore)"));
    assert!(
        renamed.sequence() > event_of(&before, "erechnung").sequence(),
        "a new LOCATION is a change calendars must take"
    );
    for id in ["opening", "isms"] {
        assert_eq!(
            event_of(&after, id).sequence(),
            event_of(&before, id).sequence(),
            "{id} did not change"
        );
    }

    // Published again with the session back: it is live and confirmed, its SEQUENCE higher still.
    let restored = small_bundle(EVENT);
    h.publish(&restored);
    let again = feed_events(addr, "").await;
    let back = event_of(&again, "ozg");
    assert_eq!(back.value("STATUS"), Some("CONFIRMED"));
    assert!(back.sequence() > deleted.sequence());
}

#[tokio::test]
async fn a_deleted_session_is_no_longer_listed_once_the_event_is_over() {
    let h = Harness::start().await;
    let mut bundle = small_bundle(EVENT);
    // The same programme five years earlier: over long ago.
    let earlier = chrono::Duration::days(5 * 365);
    for session in &mut bundle.sessions {
        session.start -= earlier;
        session.end -= earlier;
    }
    for day in &mut bundle.event.days {
        *day -= earlier;
    }
    h.publish(&bundle);
    assert_eq!(feed_events(h.server.addr(), "").await.len(), 4);
    bundle.sessions.retain(|s| s.id != "ozg");
    h.publish(&bundle);
    let after = feed_events(h.server.addr(), "").await;
    assert_eq!(after.len(), 3, "nobody's calendar needs it any more");
    assert!(after.iter().all(|(uid, _)| !uid.starts_with("ozg@")));
}
