//! The calendar export read back by an independent parser (the `ical` crate), with local times
//! resolved through the exported VTIMEZONE, stable UIDs and SEQUENCE bumped on change.

use std::collections::HashMap;
use std::io::BufReader;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use ical::parser::ical::component::{IcalCalendar, IcalTimeZone};
use ical::property::Property;
use marktplatz_core::favourites;
use marktplatz_core::favourites::CalendarSelection;
use marktplatz_core::store::Store;

use crate::common::*;

fn parse(text: &str) -> IcalCalendar {
    let mut calendars = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = calendars.next().expect("one calendar").expect("parses");
    assert!(calendars.next().is_none(), "exactly one calendar");
    calendar
}

fn prop<'a>(properties: &'a [Property], name: &str) -> Option<&'a Property> {
    properties.iter().find(|p| p.name == name)
}

fn value(properties: &[Property], name: &str) -> String {
    prop(properties, name)
        .and_then(|p| p.value.clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn offset_seconds(text: &str) -> i64 {
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let digits = &text[1..];
    let h: i64 = digits[0..2].parse().unwrap();
    let m: i64 = digits[2..4].parse().unwrap();
    let s: i64 = digits.get(4..6).map_or(0, |s| s.parse().unwrap());
    sign * (h * 3600 + m * 60 + s)
}

/// Resolves a local time through the parsed VTIMEZONE alone (RFC 5545: a repeated local time
/// means its first occurrence), independently of the timezone database.
fn resolve(zone: &IcalTimeZone, local: NaiveDateTime) -> DateTime<Utc> {
    let mut onsets: Vec<(DateTime<Utc>, i64)> = zone
        .transitions
        .iter()
        .map(|t| {
            let start =
                NaiveDateTime::parse_from_str(&value(&t.properties, "DTSTART"), "%Y%m%dT%H%M%S")
                    .unwrap();
            let from = offset_seconds(&value(&t.properties, "TZOFFSETFROM"));
            let to = offset_seconds(&value(&t.properties, "TZOFFSETTO"));
            ((start - Duration::seconds(from)).and_utc(), to)
        })
        .collect();
    onsets.sort();
    let mut candidates = Vec::new();
    for (i, (onset, to)) in onsets.iter().enumerate() {
        let instant = (local - Duration::seconds(*to)).and_utc();
        let until = onsets.get(i + 1).map(|(next, _)| *next);
        if instant >= *onset && until.is_none_or(|u| instant < u) {
            candidates.push(instant);
        }
    }
    candidates
        .into_iter()
        .min()
        .expect("local time covered by the VTIMEZONE")
}

fn instant(zone: &IcalTimeZone, property: &Property) -> DateTime<Utc> {
    let text = property.value.clone().unwrap();
    if let Some(utc) = text.strip_suffix('Z') {
        assert!(property.params.is_none(), "UTC time with a TZID");
        return NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
            .unwrap()
            .and_utc();
    }
    let params = property.params.as_ref().expect("TZID on a local time");
    assert_eq!(params[0].0, "TZID");
    assert_eq!(params[0].1, ["Europe/Berlin"]);
    resolve(
        zone,
        NaiveDateTime::parse_from_str(&text, "%Y%m%dT%H%M%S").unwrap(),
    )
}

struct Parsed {
    by_session: HashMap<String, Vec<Property>>,
    zone: IcalTimeZone,
}

fn export(store: &Store, selection: &CalendarSelection) -> (String, Parsed) {
    let text =
        favourites::export_calendar(store, EVENT, selection, utc("2026-10-20T12:00:00Z")).unwrap();
    // RFC 5545 3.1: CRLF line breaks, lines of at most 75 octets.
    assert!(text.ends_with("\r\n"));
    for line in text.split("\r\n") {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let calendar = parse(&text);
    assert_eq!(value(&calendar.properties, "VERSION"), "2.0");
    assert!(prop(&calendar.properties, "PRODID").is_some());
    assert_eq!(calendar.timezones.len(), 1);
    let zone = calendar.timezones[0].clone();
    assert_eq!(value(&zone.properties, "TZID"), "Europe/Berlin");
    let mut by_session = HashMap::new();
    for event in calendar.events {
        let uid = value(&event.properties, "UID");
        let session = uid
            .strip_suffix("@fav-fair.marktplatz")
            .expect("uid format")
            .to_string();
        for required in [
            "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "STATUS",
        ] {
            assert!(
                prop(&event.properties, required).is_some(),
                "{session}: {required}"
            );
        }
        assert!(
            by_session.insert(session, event.properties).is_none(),
            "duplicate UID"
        );
    }
    (text, Parsed { by_session, zone })
}

#[test]
fn favourites_round_trip_through_an_independent_parser() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    let ids = [
        "f-talk-a",
        "f-late",
        "f-midnight",
        "f-dst-1",
        "f-dst-2",
        "f-cancel",
        "f-removed",
    ];
    for id in ids {
        fav(&store, id);
    }
    favourites::set_favourite_note(
        &store,
        EVENT,
        marktplatz_core::favourites::FavouriteKind::Session,
        "f-talk-a",
        Some("Fragen: Cloud, Recht"),
    )
    .unwrap();
    let (text, parsed) = export(&store, &CalendarSelection::Favourites);
    assert_eq!(parsed.by_session.len(), ids.len());
    for id in ids {
        let event = &parsed.by_session[id];
        let session = session(&store, id);
        let start = instant(&parsed.zone, prop(event, "DTSTART").unwrap());
        let end = instant(&parsed.zone, prop(event, "DTEND").unwrap());
        assert_eq!((start, end), (session.start, session.end), "{id}");
        assert_eq!(unescape(&value(event, "SUMMARY")), session.title, "{id}");
        assert_eq!(value(event, "SEQUENCE"), "0", "{id}");
    }
    // Local wall-clock times as the attendee knows them.
    let talk = &parsed.by_session["f-talk-a"];
    assert_eq!(value(talk, "DTSTART"), "20261024T100000");
    assert_eq!(unescape(&value(talk, "LOCATION")), "Forum");
    assert_eq!(
        unescape(&value(talk, "CATEGORIES")),
        "Sicherheit, Recht; Ordnung"
    );
    let description = unescape(&value(talk, "DESCRIPTION"));
    assert!(description.starts_with("Fragen: Cloud, Recht\n\nKim Beispiel, Ole Muster\n\nZeile eins\nZeile zwei mit Backslash \\ und Umlauten äöü"), "{description}");
    assert_eq!(
        value(&parsed.by_session["f-late"], "DTEND"),
        "20261025T003000",
        "past midnight"
    );
    // 02:15 CET on 25 Oct is the second 02:15 of the night: written in UTC.
    assert_eq!(
        value(&parsed.by_session["f-dst-1"], "DTSTART"),
        "20261025T020000"
    );
    assert_eq!(
        value(&parsed.by_session["f-dst-2"], "DTSTART"),
        "20261025T011500Z"
    );
    assert_eq!(value(&parsed.by_session["f-cancel"], "STATUS"), "CANCELLED");
    assert_eq!(value(&parsed.by_session["f-talk-a"], "STATUS"), "CONFIRMED");
    assert!(text.contains("BEGIN:DAYLIGHT") && text.contains("BEGIN:STANDARD"));
    assert!(
        text.lines().any(|l| l.starts_with(' ')),
        "the long description was folded"
    );
}

#[test]
fn re_export_keeps_uids_and_bumps_sequence_of_changed_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    for id in ["f-talk-a", "f-open", "f-removed"] {
        fav(&store, id);
    }
    let (_, first) = export(&store, &CalendarSelection::Favourites);
    let (_, again) = export(&store, &CalendarSelection::Favourites);
    for id in ["f-talk-a", "f-open", "f-removed"] {
        assert_eq!(
            value(&again.by_session[id], "SEQUENCE"),
            "0",
            "unchanged: {id}"
        );
    }
    assert_eq!(first.by_session.keys().len(), again.by_session.keys().len());

    change_session(&store, "f-talk-a", |s| {
        s.start += Duration::hours(1);
        s.end += Duration::hours(1);
    });
    remove_session(&store, "f-removed");
    let (_, moved) = export(&store, &CalendarSelection::Favourites);
    let talk = &moved.by_session["f-talk-a"];
    assert_eq!(value(talk, "SEQUENCE"), "1");
    assert_eq!(value(talk, "DTSTART"), "20261024T110000");
    assert_eq!(value(&moved.by_session["f-open"], "SEQUENCE"), "0");
    let removed = &moved.by_session["f-removed"];
    assert_eq!(
        value(removed, "STATUS"),
        "CANCELLED",
        "a removed favourite cancels its entry"
    );
    assert_eq!(value(removed, "SEQUENCE"), "1");
    assert_eq!(
        instant(&moved.zone, prop(removed, "DTSTART").unwrap()),
        utc("2026-10-25T10:00:00Z")
    );

    // Moving again bumps again.
    change_session(&store, "f-talk-a", |s| s.title = "Neuer Titel".into());
    let (_, retitled) = export(&store, &CalendarSelection::Favourites);
    assert_eq!(value(&retitled.by_session["f-talk-a"], "SEQUENCE"), "2");
}

#[test]
fn one_session_and_the_whole_programme() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    let (_, one) = export(&store, &CalendarSelection::Session("f-open".into()));
    assert_eq!(one.by_session.keys().collect::<Vec<_>>(), ["f-open"]);
    let (_, all) = export(&store, &CalendarSelection::Programme);
    assert_eq!(all.by_session.len(), bundle().sessions.len());
    for s in bundle().sessions {
        let event = &all.by_session[&s.id];
        assert_eq!(
            instant(&all.zone, prop(event, "DTSTART").unwrap()),
            s.start,
            "{}",
            s.id
        );
    }
    let err = favourites::export_calendar(
        &store,
        EVENT,
        &CalendarSelection::Session("nope".into()),
        Utc::now(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
}
