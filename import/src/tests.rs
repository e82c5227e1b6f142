//! Importer tests over small fixtures written for this purpose, one per quirk seen in real files
//! (see `shared/data/README.md`). The real files are exercised by `tests/tests/e2e/import_conformance.rs`.

use chrono::{DateTime, NaiveDate, Utc};

use super::*;
use marktplatz_model::model::{Session, SessionKind, SessionStatus};

fn run(text: &str) -> Import {
    match import(text.as_bytes(), &ImportOptions::default()) {
        Ok(result) => result,
        Err(e) => panic!("import failed: {e}"),
    }
}

fn run_with(text: &str, options: ImportOptions) -> Import {
    match import(text.as_bytes(), &options) {
        Ok(result) => result,
        Err(e) => panic!("import failed: {e}"),
    }
}

fn error_of(bytes: &[u8], options: ImportOptions) -> String {
    match import(bytes, &options) {
        Ok(result) => panic!(
            "expected an error, got {} sessions",
            result.bundle.sessions.len()
        ),
        Err(e) => e.to_string(),
    }
}

fn warnings(result: &Import) -> String {
    result
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn session<'a>(result: &'a Import, title: &str) -> &'a Session {
    match result.bundle.sessions.iter().find(|s| s.title == title) {
        Some(s) => s,
        None => panic!("no session titled {title:?}"),
    }
}

fn local(result: &Import, instant: DateTime<Utc>) -> String {
    let clock = marktplatz_model::time::EventClock::new(&result.bundle.event.timezone, 0).unwrap();
    clock.local(instant).format("%Y-%m-%d %H:%M").to_string()
}

fn location_name(result: &Import, session: &Session) -> String {
    let id = session.location_id.as_deref().unwrap();
    result
        .bundle
        .locations
        .iter()
        .find(|l| l.id == id)
        .map(|l| l.name.clone())
        .unwrap()
}

fn speaker_names(result: &Import, session: &Session) -> Vec<String> {
    session
        .speaker_ids
        .iter()
        .map(|id| {
            result
                .bundle
                .speakers
                .iter()
                .find(|s| &s.id == id)
                .map(|s| s.name.clone())
                .unwrap()
        })
        .collect()
}

// ---------------------------------------------------------------- frab XML

const FRAB_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <version>1</version>
  <conference>
    <acronym>demo-2027</acronym>
    <title>Demo Conference</title>
    <venue>Markthalle</venue>
    <city>Delmenhorst</city>
    <start>2027-03-04</start>
    <end>2027-03-05</end>
    <days>2</days>
    <day_change>05:00:00</day_change>
    <timeslot_duration>00:05:00</timeslot_duration>
    <time_zone_name>Europe/Berlin</time_zone_name>
  </conference>
  <tracks><track>Verwaltung</track></tracks>
  <day index="1" date="2027-03-04" start="2027-03-04T09:00:00+01:00" end="2027-03-05T04:00:00+01:00">
    <room name="Saal A">
      <event guid="11111111-2222-3333-4444-555555555555" id="1">
        <date>2027-03-04T09:30:00+01:00</date>
        <start>09:30</start>
        <duration>00:45:00</duration>
        <room>Saal A</room>
        <title>Eröffnung &amp; Begrüßung</title>
        <subtitle/>
        <track>Verwaltung</track>
        <type>lecture</type>
        <language>Deutsch</language>
        <abstract>&lt;p&gt;Erster Absatz
mit Umbruch.&lt;/p&gt;&lt;p&gt;Mehr unter &lt;a href="https://example.org/x"&gt;der Seite&lt;/a&gt;.&lt;/p&gt;</abstract>
        <description/>
        <persons>
          <person id="7">Anna Beispiel</person>
          <person id="8">Bert Muster</person>
        </persons>
        <links>
          <link href="https://example.org/slides">Slides</link>
          <link>https://example.org/bare</link>
        </links>
      </event>
      <event guid="11111111-2222-3333-4444-666666666666" id="2">
        <date>2027-03-05T01:30:00+01:00</date>
        <start>01:30</start>
        <duration>1:00</duration>
        <room>Saal A</room>
        <title>Nachtprogramm</title>
        <type>djset</type>
        <language>de, en</language>
        <persons><person id="7">Anna Beispiel</person></persons>
      </event>
    </room>
    <room name="Leerer Raum"/>
  </day>
  <day index="2" date="2027-03-05" start="2027-03-05T09:00:00+01:00" end="2027-03-05T18:00:00+01:00">
    <room name="saal a">
      <event guid="11111111-2222-3333-4444-777777777777" id="3">
        <date>2027-03-05T10:00:00+01:00</date>
        <start>10:00</start>
        <duration>13:00</duration>
        <room>Saal A</room>
        <title>Ganztags-Workshop</title>
        <type>Workshop</type>
        <language></language>
      </event>
    </room>
  </day>
</schedule>"#;

#[test]
fn frab_xml_maps_days_rooms_tracks_speakers_and_text() {
    let result = run(FRAB_XML);
    assert_eq!(result.format, Format::FrabXml);
    let bundle = &result.bundle;
    assert_eq!(bundle.event.id, "demo-2027");
    assert_eq!(bundle.event.timezone, "Europe/Berlin");
    assert_eq!(bundle.event.day_change_hour, 5);
    assert_eq!(bundle.event.venue.city, "Delmenhorst");
    assert_eq!(bundle.event.days.len(), 2);
    // "Saal A" and "saal a" are one room; the empty room is kept.
    let names: Vec<&str> = bundle.locations.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Saal A", "Leerer Raum"]);
    assert_eq!(bundle.sessions.len(), 3);

    let opening = session(&result, "Eröffnung & Begrüßung");
    assert_eq!(opening.id, "11111111-2222-3333-4444-555555555555");
    assert_eq!(local(&result, opening.start), "2027-03-04 09:30");
    assert_eq!((opening.end - opening.start).num_minutes(), 45);
    assert_eq!(opening.languages, ["de"]);
    assert_eq!(opening.kind, SessionKind::Talk);
    assert_eq!(
        opening.abstract_text,
        "Erster Absatz mit Umbruch.\n\nMehr unter der Seite (https://example.org/x)."
    );
    let urls: Vec<&str> = opening.links.iter().map(|l| l.url.as_str()).collect();
    assert_eq!(
        urls,
        ["https://example.org/slides", "https://example.org/bare"]
    );
    assert_eq!(
        speaker_names(&result, opening),
        ["Anna Beispiel", "Bert Muster"]
    );

    // 01:30 on the 5th is before the 05:00 day change: the 4th's programme.
    let night = session(&result, "Nachtprogramm");
    let clock = marktplatz_model::time::EventClock::new("Europe/Berlin", 5).unwrap();
    assert_eq!(
        clock.conference_day(night.start),
        NaiveDate::from_ymd_opt(2027, 3, 4).unwrap()
    );
    assert_eq!(night.languages, ["de", "en"]);
    // Anna appears twice with the same id and name: one speaker.
    assert_eq!(bundle.speakers.len(), 2);
    assert_eq!(night.speaker_ids[0], opening.speaker_ids[0]);

    let long = session(&result, "Ganztags-Workshop");
    assert_eq!((long.end - long.start).num_hours(), 13);
    assert!(long.languages.is_empty());
    assert_eq!(long.kind, SessionKind::Workshop);
    assert_eq!(long.location_id, opening.location_id);
}

#[test]
fn frab_xml_errors_name_the_problem() {
    let broken = FRAB_XML.replace(
        "</title>\n        <subtitle/>",
        "</titel>\n        <subtitle/>",
    );
    let err = error_of(broken.as_bytes(), ImportOptions::default());
    assert!(err.contains("not well-formed XML at line 24"), "{err}");

    let truncated = &FRAB_XML[..FRAB_XML.len() / 2];
    let err = error_of(truncated.as_bytes(), ImportOptions::default());
    assert!(err.contains("truncated"), "{err}");

    let html = "<html><body>Fahrplan</body></html>";
    let err = error_of(html.as_bytes(), ImportOptions::default());
    assert!(err.contains("root element is <html>"), "{err}");

    let latin1 = FRAB_XML.replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
    let err = error_of(latin1.as_bytes(), ImportOptions::default());
    assert!(
        err.contains("ISO-8859-1") || err.contains("iso-8859-1"),
        "{err}"
    );
}

// ---------------------------------------------------------------- schedule.json

/// A 36C3-like file: no time_zone_name, a +00:00 offset on a local time, a guid listed twice
/// at the same time and once more at another time, colliding person ids, rooms differing in
/// case, an event room name that differs from its room key, bare-string links.
const SCHEDULE_JSON: &str = r#"{
  "schedule": {
    "version": "x",
    "base_url": "https://example.org/fahrplan/",
    "conference": {
      "acronym": "demo",
      "title": "Demo Congress",
      "start": "2027-12-27",
      "end": "2027-12-28",
      "daysCount": 2,
      "timeslot_duration": "00:10",
      "days": [
        {"index": 1, "date": "2027-12-27", "day_start": "2027-12-27T11:00:00+01:00", "day_end": "2027-12-28T04:00:00+01:00",
         "rooms": {
           "1Komona headnut": [
             {"id": 885, "guid": "aaaaaaaa-0000-0000-0000-000000000001", "date": "2027-12-27T16:00:00+00:00", "start": "16:00",
              "duration": "0:30", "room": "headnut", "title": "Offset falsch", "subtitle": null, "track": null,
              "type": "meeting", "language": "", "abstract": "A\r\nB", "description": null,
              "persons": [{"id": 1, "public_name": "Anna"}], "links": ["https://example.org/bare"]},
             {"id": 886, "guid": "aaaaaaaa-0000-0000-0000-000000000002", "date": "2027-12-28T00:30:00+01:00", "start": "00:30",
              "duration": "01:00", "room": "1Komona headnut", "title": "Nach Mitternacht", "track": "Kunst",
              "type": "lecture", "language": "en", "abstract": "", "description": "",
              "persons": [{"id": 1, "public_name": "Bert"}], "links": [{"url": "/events/886.html", "title": "Page"}]}
           ],
           "1komona headnut": [
             {"id": 890, "guid": "aaaaaaaa-0000-0000-0000-000000000003", "date": "2027-12-27T18:00:00+01:00", "start": "18:00",
              "duration": "01:00", "room": "1komona headnut", "title": "Löten", "track": "Kunst", "type": "workshop",
              "language": "de", "abstract": "", "description": "", "persons": [{"id": 1, "public_name": "anna"}], "links": []},
             {"id": 890, "guid": "aaaaaaaa-0000-0000-0000-000000000003", "date": "2027-12-27T18:00:00+01:00", "start": "18:00",
              "duration": "01:00", "room": "1komona headnut", "title": "Löten", "track": "Kunst", "type": "workshop",
              "language": "de", "abstract": "", "description": "", "persons": [], "links": []}
           ]
         }},
        {"index": 2, "date": "2027-12-28", "day_start": "2027-12-28T11:00:00+01:00", "day_end": "2027-12-28T19:00:00+01:00",
         "rooms": {
           "1Komona headnut": [
             {"id": "890", "guid": "aaaaaaaa-0000-0000-0000-000000000003", "date": "2027-12-28T14:00:00+01:00", "start": "14:00",
              "duration": "01:00", "room": "1Komona headnut", "title": "Löten", "track": "Kunst", "type": "workshop",
              "language": "Deutsch", "abstract": "", "description": "", "persons": [], "links": []}
           ]
         }}
      ]
    }
  }
}"#;

#[test]
fn schedule_json_repairs_and_reports_the_36c3_quirks() {
    let result = run(SCHEDULE_JSON);
    assert_eq!(result.format, Format::ScheduleJson);
    let text = warnings(&result);
    let bundle = &result.bundle;
    // No time_zone_name: Europe/Berlin fits the +01:00 offsets, and we say so.
    assert_eq!(bundle.event.timezone, "Europe/Berlin");
    assert!(
        text.contains("time_zone_name: is missing; assumed Europe/Berlin"),
        "{text}"
    );
    // The +00:00 date whose wall clock matches `start` is local time.
    let wrong = session(&result, "Offset falsch");
    assert_eq!(local(&result, wrong.start), "2027-12-27 16:00");
    assert!(
        text.contains("has offset +00:00 but Europe/Berlin is +01:00"),
        "{text}"
    );
    assert_eq!(wrong.abstract_text, "A\nB");
    assert_eq!(wrong.links[0].url, "https://example.org/bare");
    // Rooms differing only in case are one location; the event's own room name is reported.
    assert_eq!(bundle.locations.len(), 1);
    assert_eq!(location_name(&result, wrong), "1Komona headnut");
    assert!(text.contains("room: says 'headnut'"), "{text}");
    // The day change puts 00:30 on the first day; day_end 04:00 -> hour 4.
    assert_eq!(bundle.event.day_change_hour, 4);
    let late = session(&result, "Nach Mitternacht");
    assert_eq!(local(&result, late.start), "2027-12-28 00:30");
    assert_eq!(late.links[0].url, "https://example.org/events/886.html");
    // Exact duplicate dropped; the repeat on day 2 kept under a suffixed id.
    let loeten: Vec<&Session> = bundle
        .sessions
        .iter()
        .filter(|s| s.title == "Löten")
        .collect();
    assert_eq!(loeten.len(), 2);
    assert_eq!(loeten[0].id, "aaaaaaaa-0000-0000-0000-000000000003");
    assert_eq!(loeten[1].id, "aaaaaaaa-0000-0000-0000-000000000003-2");
    assert!(
        text.contains("listed twice at the same time and place"),
        "{text}"
    );
    assert!(
        text.contains("kept as its own session with id aaaaaaaa-0000-0000-0000-000000000003-2"),
        "{text}"
    );
    // Person id 1 is "Anna" in one sub-schedule and "Bert" in another; "anna" is Anna.
    let mut names: Vec<&str> = bundle.speakers.iter().map(|s| s.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["Anna", "Bert"]);
    assert_eq!(loeten[0].speaker_ids, wrong.speaker_ids);
    assert_eq!(loeten[1].languages, ["de"]);
    assert_eq!(bundle.sessions.len(), 4);
}

#[test]
fn same_input_same_bundle() {
    let a = run(SCHEDULE_JSON);
    let b = run(SCHEDULE_JSON);
    assert_eq!(a.bundle, b.bundle);
    assert_eq!(a.warnings, b.warnings);
    let x = run(FRAB_XML);
    assert_eq!(x.bundle, run(FRAB_XML).bundle);
}

#[test]
fn declared_days_that_are_missing_refuse_the_file() {
    let truncated = SCHEDULE_JSON.replace("\"daysCount\": 2", "\"daysCount\": 3");
    let err = error_of(truncated.as_bytes(), ImportOptions::default());
    assert!(
        err.contains("declares 3 days but the file lists 2"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
}

#[test]
fn impossible_times_skip_the_event_with_a_warning() {
    let text = SCHEDULE_JSON
        .replace(
            "\"date\": \"2027-12-28T00:30:00+01:00\", \"start\": \"00:30\"",
            "\"date\": null, \"start\": \"25:61\"",
        )
        .replace("\"duration\": \"0:30\"", "\"duration\": \"half an hour\"");
    let result = run(&text);
    let text = warnings(&result);
    assert!(text.contains("event 'Nach Mitternacht' (aaaaaaaa-0000-0000-0000-000000000002): start: '25:61' is not a time of day"), "{text}");
    assert!(text.contains("event 'Offset falsch' (aaaaaaaa-0000-0000-0000-000000000001): duration: 'half an hour' is not a duration"), "{text}");
    assert_eq!(result.bundle.sessions.len(), 2);
}

#[test]
fn dates_near_the_ends_of_time_are_skipped_not_overflowed() {
    let text = SCHEDULE_JSON
        .replace(
            "\"date\": \"2027-12-28T00:30:00+01:00\"",
            "\"date\": \"9999-12-31T23:59:00+01:00\"",
        )
        .replace("\"duration\": \"0:30\"", "\"duration\": \"9999:00\"");
    let result = run(&text);
    let text = warnings(&result);
    assert!(
        text.contains("(aaaaaaaa-0000-0000-0000-000000000002): date: is not a plausible date"),
        "{text}"
    );
    assert!(
        text.contains("duration: is 9999:00, longer than a day"),
        "{text}"
    );
    let ical = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nSUMMARY:Lang\nDTSTART:20270604T150000Z\nDURATION:P99999999999999999W\nEND:VEVENT\nBEGIN:VEVENT\nUID:b\nSUMMARY:Fern\nDTSTART:99991231T235959Z\nDURATION:P1W\nEND:VEVENT\nBEGIN:VEVENT\nUID:c\nSUMMARY:Ok\nDTSTART:20270604T150000Z\nEND:VEVENT\nEND:VCALENDAR\n";
    let result = run(ical);
    let text = warnings(&result);
    assert!(text.contains("VEVENT 'Lang' (UID a): DURATION:"), "{text}");
    assert!(
        text.contains("VEVENT 'Fern' (UID b): DTSTART: is not a plausible date"),
        "{text}"
    );
    assert_eq!(result.bundle.sessions.len(), 1);
    let csv = "Titel;Datum;Beginn;Dauer\nA;31.12.9999;23:59;99999\nB;01.01.2027;10:00;45\n";
    let result = run(csv);
    assert!(
        warnings(&result).contains("row 2 'A': date: '31.12.9999' is not a date"),
        "{}",
        warnings(&result)
    );
    assert_eq!(result.bundle.sessions.len(), 1);
}

#[test]
fn missing_title_is_named() {
    let text = SCHEDULE_JSON.replace("\"title\": \"Nach Mitternacht\"", "\"title\": \"  \"");
    let result = run(&text);
    assert!(warnings(&result).contains(
        "(aaaaaaaa-0000-0000-0000-000000000002): title: is empty; the event was skipped"
    ));
}

#[test]
fn declared_timezone_contradicting_every_offset_is_replaced() {
    // pretalx's democon export says "UTC" while every date is +01:00 and `start` is local.
    let text = SCHEDULE_JSON.replace(
        "\"daysCount\": 2,",
        "\"daysCount\": 2, \"time_zone_name\": \"UTC\",",
    );
    let result = run(&text);
    assert_eq!(result.bundle.event.timezone, "Europe/Berlin");
    assert!(
        warnings(&result).contains("'UTC' contradicts"),
        "{}",
        warnings(&result)
    );
    // An unknown name is ignored with a warning.
    let text = SCHEDULE_JSON.replace(
        "\"daysCount\": 2,",
        "\"daysCount\": 2, \"time_zone_name\": \"Europe/Delmenhorst\",",
    );
    let result = run(&text);
    assert!(warnings(&result).contains("'Europe/Delmenhorst' is not a known timezone"));
    // --timezone is used for a file without one.
    let options = ImportOptions {
        timezone: Some("Europe/Amsterdam".into()),
        ..ImportOptions::default()
    };
    assert_eq!(
        run_with(SCHEDULE_JSON, options).bundle.event.timezone,
        "Europe/Amsterdam"
    );
    // ... but an unknown --timezone is an error.
    let options = ImportOptions {
        timezone: Some("Mars/Olympus".into()),
        ..ImportOptions::default()
    };
    let err = error_of(SCHEDULE_JSON.as_bytes(), options);
    assert!(
        err.contains("'Mars/Olympus' is not an IANA timezone"),
        "{err}"
    );
}

#[test]
fn a_us_file_without_timezone_gets_a_fixed_offset_zone() {
    let text = SCHEDULE_JSON
        .replace("+01:00", "-05:00")
        .replace("+00:00", "-05:00");
    let result = run(&text);
    assert_eq!(result.bundle.event.timezone, "Etc/GMT+5");
}

const SCHEDULE2_JSON: &str = r##"{
  "$schema": "../schema2.json",
  "schedule": {
    "version": "1",
    "conference": {
      "acronym": "flat", "title": "Flat", "start": "2027-12-27T09:30:00+00:00", "end": "2027-12-28T17:45:00+00:00",
      "time_zone_name": "Europe/Berlin", "languages": ["en", "de"],
      "tracks": [{"guid": "t1", "name": "Art & Beauty", "colors": {"light": "#F9B000"}, "slug": "art-beauty"}],
      "rooms": [{"name": "Saal 1", "guid": "ba692ba3-421b-5371-8309-60acc34a3c05", "description": {"en": "Lecture hall"}}],
      "days": [{"index": 1, "date": "2027-12-27", "start": "2027-12-27T09:30:00+00:00", "end": "2027-12-28T06:00:00+01:00"},
               {"index": 2, "date": "2027-12-28", "start": "2027-12-28T06:00:00+01:00", "end": "2027-12-28T17:45:00+00:00"}]
    },
    "events": [
      {"guid": "270fa44c-821a-577f-8ca3-33e8d4a8c2a7", "start": "2027-12-28T00:15:00+01:00", "end": "2027-12-28T00:55:00+01:00",
       "room": {"name": "Saal 1", "guid": "ba692ba3-421b-5371-8309-60acc34a3c05"}, "title": "Late talk", "subtitle": null,
       "language": "en", "track": {"slug": "art-beauty"}, "abstract": "**Bold** claim", "description": null,
       "participants": [{"guid": "0c16ffaa-709d-599f-959f-9a38b911361a", "name": "Gabriela", "role": "SPEAKER"}],
       "links": [{"type": "ORIGIN", "url": "https://example.org/talk"}]},
      {"guid": "b1740c2f-0c44-5f1b-89ed-456a9eecf0b8", "start": "2027-12-28T10:00:00+01:00", "end": "2027-12-28T09:00:00+01:00",
       "room": {"name": "Saal 2"}, "title": "Ends before it starts"}
    ],
    "persons": [{"guid": "0c16ffaa-709d-599f-959f-9a38b911361a", "name": "Gabriela", "biography": "Hacker."}]
  }
}"##;

#[test]
fn schedule2_flat_layout() {
    let result = run(SCHEDULE2_JSON);
    assert_eq!(result.format, Format::Schedule2Json);
    let bundle = &result.bundle;
    assert_eq!(bundle.event.languages, ["en", "de"]);
    assert_eq!(bundle.event.day_change_hour, 6);
    let late = session(&result, "Late talk");
    assert_eq!((late.end - late.start).num_minutes(), 40);
    assert_eq!(late.abstract_text, "Bold claim");
    let track = bundle
        .tracks
        .iter()
        .find(|t| Some(&t.id) == late.track_id.as_ref())
        .unwrap();
    assert_eq!(
        (track.name.as_str(), track.color.as_deref()),
        ("Art & Beauty", Some("#f9b000"))
    );
    assert_eq!(
        late.location_id.as_deref(),
        Some("ba692ba3-421b-5371-8309-60acc34a3c05")
    );
    assert_eq!(bundle.speakers[0].bio, "Hacker.");
    assert_eq!(
        bundle.speakers[0].id,
        "0c16ffaa-709d-599f-959f-9a38b911361a"
    );
    assert_eq!(bundle.sessions.len(), 1);
    assert!(
        warnings(&result)
            .contains("'Ends before it starts' (b1740c2f-0c44-5f1b-89ed-456a9eecf0b8): end:")
    );
}

// ---------------------------------------------------------------- bad input

#[test]
fn bad_input_gets_clear_errors() {
    let defaults = ImportOptions::default;
    let err = error_of(b"{\"schedule\": {\"conference\": ", defaults());
    assert!(err.contains("not valid JSON"), "{err}");
    let err = error_of(b"{\"hello\": 1}", defaults());
    assert!(err.contains("not a c3voc schedule.json"), "{err}");
    let err = error_of(b"", defaults());
    assert!(err.contains("is empty"), "{err}");
    let err = error_of(b"just some words\nwithout structure", defaults());
    assert!(err.contains("not a schedule this importer knows"), "{err}");

    let forced = ImportOptions {
        format: Some(Format::ICalendar),
        ..defaults()
    };
    let err = error_of(SCHEDULE_JSON.as_bytes(), forced);
    assert!(
        err.contains("--format ical was given, but the file is a c3voc schedule.json"),
        "{err}"
    );

    let small = ImportOptions {
        max_bytes: 1000,
        ..defaults()
    };
    let err = error_of(SCHEDULE_JSON.as_bytes(), small);
    assert!(
        err.contains("the import limit is 1000 bytes") || err.contains("(1000 bytes)"),
        "{err}"
    );

    let mut latin1 = SCHEDULE_JSON.as_bytes().to_vec();
    let at = SCHEDULE_JSON.find("Löten").unwrap() + 1;
    latin1.splice(at..at + 2, [0xf6]);
    let err = error_of(&latin1, defaults());
    assert!(err.contains(&format!("byte 0xF6 at offset {at}")), "{err}");

    let err = error_of(&[0xff, 0xfe, b'{', 0], defaults());
    assert!(err.contains("UTF-16"), "{err}");
}

#[test]
fn formats_parse_and_detect() {
    for format in Format::ALL {
        assert_eq!(Format::parse(format.as_str()), Some(format));
    }
    assert_eq!(Format::parse("ics"), Some(Format::ICalendar));
    assert_eq!(Format::parse("nonsense"), None);
    assert_eq!(detect(FRAB_XML.as_bytes()), Some(Format::FrabXml));
    assert_eq!(detect(SCHEDULE_JSON.as_bytes()), Some(Format::ScheduleJson));
    assert_eq!(
        detect(SCHEDULE2_JSON.as_bytes()),
        Some(Format::Schedule2Json)
    );
    assert_eq!(detect(ICAL.as_bytes()), Some(Format::ICalendar));
    assert_eq!(detect(CSV_SESSIONS.as_bytes()), Some(Format::CsvSessions));
    assert_eq!(
        detect(CSV_EXHIBITORS.as_bytes()),
        Some(Format::CsvExhibitors)
    );
    assert_eq!(detect(b"<html></html>"), None);
}

// ---------------------------------------------------------------- iCalendar

/// LF-only lines, a folded line, a line far longer than 75 octets, a custom TZID defined by a
/// VTIMEZONE, an IANA TZID without one, a Windows TZID, UTC, an all-day event, escapes, HTML
/// entities, a cancelled and a recurring event, and broken events.
const ICAL: &str = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:test\nX-WR-CALNAME:Fachtag Digitalisierung\n\
BEGIN:VTIMEZONE\nTZID:Eigene Zone\nBEGIN:STANDARD\nDTSTART:19701025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:19700329T020000\nTZOFFSETFROM:+0100\n\
TZOFFSETTO:+0200\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT\nEND:VTIMEZONE\n\
BEGIN:VEVENT\nUID:e1@example\nSUMMARY:Eröffnung\\, Teil 1\nDTSTART;TZID=Eigene Zone:20270604T093000\n\
DTEND;TZID=Eigene Zone:20270604T100000\nLOCATION:Online &amp; vor Ort\\; Saal\nDESCRIPTION:Zeile eins\\nZeile zwei mit einem sehr langen Text, der weit über fünfundsiebzig Oktette hinausgeht und nicht gefaltet ist\n , aber hier gefaltet weitergeht.\n\
CATEGORIES:Verwaltung,Workshop\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:e2@example\nSUMMARY:Mittag\nDTSTART;TZID=Europe/Berlin:20270604T120000\nDURATION:PT1H\nLOCATION:Foyer\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:e3@example\nSUMMARY:Windows\nDTSTART;TZID=W. Europe Standard Time:20270604T140000\nDTEND;TZID=W. Europe Standard Time:20270604T150000\nSTATUS:CANCELLED\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:e4@example\nSUMMARY:UTC\nDTSTART:20270604T150000Z\nDTEND:20270604T160000Z\nRRULE:FREQ=DAILY;COUNT=2\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:e5@example\nSUMMARY:Ganzer Tag\nDTSTART;VALUE=DATE:20270605\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:e6@example\nSUMMARY:Unbekannte Zone\nDTSTART;TZID=Nowhere/Special:20270604T160000\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:e7@example\nSUMMARY:Ohne Start\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:e8@example\nSUMMARY:Rückwärts\nDTSTART:20270604T150000Z\nDTEND:20270604T140000Z\nEND:VEVENT\n\
END:VCALENDAR\n";

#[test]
fn icalendar_reads_zones_all_day_events_and_escapes() {
    let result = run(ICAL);
    assert_eq!(result.format, Format::ICalendar);
    let text = warnings(&result);
    let bundle = &result.bundle;
    assert_eq!(bundle.event.title, "Fachtag Digitalisierung");
    assert_eq!(bundle.event.id, "fachtag-digitalisierung");
    assert_eq!(bundle.event.timezone, "Europe/Berlin");
    let opening = session(&result, "Eröffnung, Teil 1");
    // June: the VTIMEZONE's DAYLIGHT offset +02:00.
    assert_eq!(opening.start.to_rfc3339(), "2027-06-04T07:30:00+00:00");
    assert_eq!(location_name(&result, opening), "Online & vor Ort; Saal");
    assert!(
        opening
            .description
            .starts_with("Zeile eins\nZeile zwei mit einem sehr langen Text")
    );
    assert!(
        opening
            .description
            .ends_with("nicht gefaltet ist, aber hier gefaltet weitergeht.")
    );
    assert_eq!(opening.tags, ["Verwaltung", "Workshop"]);
    assert_eq!(
        session(&result, "Mittag").start.to_rfc3339(),
        "2027-06-04T10:00:00+00:00"
    );
    let windows = session(&result, "Windows");
    assert_eq!(windows.start.to_rfc3339(), "2027-06-04T12:00:00+00:00");
    assert_eq!(windows.status, SessionStatus::Cancelled);
    assert_eq!(
        session(&result, "UTC").start.to_rfc3339(),
        "2027-06-04T15:00:00+00:00"
    );
    let all_day = session(&result, "Ganzer Tag");
    assert_eq!(local(&result, all_day.start), "2027-06-05 00:00");
    assert_eq!((all_day.end - all_day.start).num_hours(), 24);
    assert_eq!(
        local(&result, session(&result, "Unbekannte Zone").start),
        "2027-06-04 16:00"
    );
    assert!(
        text.contains(
            "TZID 'Nowhere/Special' is neither a known timezone nor defined by a VTIMEZONE"
        ),
        "{text}"
    );
    assert!(
        text.contains("VEVENT 'Ohne Start' (UID e7@example): DTSTART: is missing"),
        "{text}"
    );
    assert!(
        text.contains("VEVENT 'Rückwärts' (UID e8@example): DTEND: is before DTSTART"),
        "{text}"
    );
    assert!(
        text.contains("RRULE: recurring events are not expanded"),
        "{text}"
    );
    assert_eq!(bundle.sessions.len(), 6);
    assert_eq!(
        bundle.event.days,
        [
            NaiveDate::from_ymd_opt(2027, 6, 4).unwrap(),
            NaiveDate::from_ymd_opt(2027, 6, 5).unwrap()
        ]
    );
}

#[test]
fn icalendar_vtimezone_winter_offset_and_crlf() {
    let winter = ICAL
        .replace("20270604T093000", "20271204T093000")
        .replace("20270604T100000", "20271204T100000")
        .replace('\n', "\r\n");
    let result = run(&winter);
    assert_eq!(
        session(&result, "Eröffnung, Teil 1").start.to_rfc3339(),
        "2027-12-04T08:30:00+00:00"
    );
}

#[test]
fn icalendar_structure_errors() {
    let err = error_of(
        b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\n",
        ImportOptions::default(),
    );
    assert!(
        err.contains("BEGIN:VEVENT of line 2 is never closed"),
        "{err}"
    );
    let err = error_of(
        b"BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n",
        ImportOptions::default(),
    );
    assert!(err.contains("contains no events"), "{err}");
    let err = error_of(
        b"BEGIN:VCALENDAR\nno colon here\nEND:VCALENDAR\n",
        ImportOptions::default(),
    );
    assert!(err.contains("line 2 is not a NAME:value line"), "{err}");
}

// ---------------------------------------------------------------- CSV

const CSV_SESSIONS: &str = "\u{feff}Titel;Datum;Beginn;Ende;Station;Referent(en);Thema;Sprache;Beschreibung;Art\n\
Begrüßung;04.03.2027;09:00;09:15;Bühne;Anna Beispiel (Stadt Delmenhorst);Allgemein;Deutsch;\"Willkommen;\n\nzweiter Absatz\";Keynote\n\
E-Rechnung in der Praxis;;09:30 Uhr;10.15;Station 3;Bert Muster und Carla Test;Finanzen;de;;Vortrag\n\
Mittagspause;;12:00 - 13:00;;Foyer;;;;;Pause\n\
Kaputte Zeit;04.03.2027;25:00;;Bühne;;;;;\n\
Ohne Ende;05.03.2027;14:30;;Station 3;Anna Beispiel;Allgemein;Englisch;;Workshop\n";

#[test]
fn csv_sessions_german_spreadsheet() {
    let result = run(CSV_SESSIONS);
    assert_eq!(result.format, Format::CsvSessions);
    let text = warnings(&result);
    let bundle = &result.bundle;
    assert_eq!(bundle.sessions.len(), 4);
    let welcome = session(&result, "Begrüßung");
    assert_eq!(local(&result, welcome.start), "2027-03-04 09:00");
    assert_eq!(local(&result, welcome.end), "2027-03-04 09:15");
    assert_eq!(welcome.kind, SessionKind::Keynote);
    assert_eq!(welcome.description, "Willkommen;\n\nzweiter Absatz");
    assert_eq!(welcome.languages, ["de"]);
    let anna = bundle
        .speakers
        .iter()
        .find(|s| s.name == "Anna Beispiel")
        .unwrap();
    assert_eq!(anna.organisation.as_deref(), Some("Stadt Delmenhorst"));
    // The date of the row above carries down; "09:30 Uhr" and "10.15" are times.
    let invoice = session(&result, "E-Rechnung in der Praxis");
    assert_eq!(local(&result, invoice.start), "2027-03-04 09:30");
    assert_eq!(local(&result, invoice.end), "2027-03-04 10:15");
    assert_eq!(
        speaker_names(&result, invoice),
        ["Bert Muster", "Carla Test"]
    );
    let lunch = session(&result, "Mittagspause");
    assert_eq!((lunch.end - lunch.start).num_minutes(), 60);
    assert_eq!(lunch.kind, SessionKind::Break);
    assert!(
        text.contains("row 5 'Kaputte Zeit': start: '25:00' is not a time"),
        "{text}"
    );
    assert!(
        text.contains("2 rows have no date; each took the date of the row above"),
        "{text}"
    );
    assert!(
        text.contains("1 rows have neither an end time nor a duration"),
        "{text}"
    );
    // Both sessions in "Station 3" share one location of kind station; Anna is one speaker.
    assert_eq!(bundle.locations.len(), 3);
    assert!(
        bundle
            .locations
            .iter()
            .all(|l| l.kind == marktplatz_model::model::LocationKind::Station)
    );
    assert_eq!(bundle.speakers.len(), 3);
    assert_eq!(bundle.event.days.len(), 2);
}

#[test]
fn csv_in_windows_1252_with_commas() {
    let text = "Title,Date,Start,Duration,Room,Speakers\nGr\u{fc}\u{df}e,2027-03-04,14:30,45,Saal,J\u{fc}rgen\n";
    let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    let result = match import(&bytes, &ImportOptions::default()) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let greeting = session(&result, "Grüße");
    assert_eq!((greeting.end - greeting.start).num_minutes(), 45);
    assert_eq!(result.bundle.speakers[0].name, "Jürgen");
    assert!(warnings(&result).contains("read as Windows-1252"));
}

#[test]
fn csv_without_required_columns_is_refused() {
    let options = ImportOptions {
        format: Some(Format::CsvSessions),
        ..ImportOptions::default()
    };
    let err = error_of(b"Titel;Raum\nA;B\n", options);
    assert!(
        err.contains("has no start time (Beginn) column (found: Titel, Raum)"),
        "{err}"
    );
}

const CSV_EXHIBITORS: &str = "Aussteller;Station;Themen;Ansprechpartner;E-Mail;Webseite\n\
Stadt Delmenhorst;Station 1;E-Akte, Bürgerportal;Anna Beispiel;anna@example.org;www.delmenhorst.de\n\
Landkreis Oldenburg;Station 2;OZG;;keine-mail;\n\
Stadt Delmenhorst;Station 1;E-Akte, Bürgerportal;Anna Beispiel;anna@example.org;www.delmenhorst.de\n";

#[test]
fn csv_exhibitors_need_days_and_map_stations() {
    let err = error_of(CSV_EXHIBITORS.as_bytes(), ImportOptions::default());
    assert!(err.contains("carries no event days"), "{err}");
    let options = ImportOptions {
        days: vec![NaiveDate::from_ymd_opt(2027, 3, 4).unwrap()],
        event_id: Some("egov-2027".into()),
        ..ImportOptions::default()
    };
    let result = run_with(CSV_EXHIBITORS, options);
    assert_eq!(result.format, Format::CsvExhibitors);
    let bundle = &result.bundle;
    assert_eq!(bundle.event.id, "egov-2027");
    assert_eq!(bundle.exhibitors.len(), 2);
    // No ID column: every exhibitor's id is made up (matched when published, ADR 0015).
    let all: std::collections::BTreeSet<String> =
        bundle.exhibitors.iter().map(|e| e.id.clone()).collect();
    assert_eq!(result.made_up.exhibitors, all);
    assert!(result.made_up.sessions.is_empty());
    let city = &bundle.exhibitors[1];
    assert_eq!(city.name, "Stadt Delmenhorst");
    assert_eq!(city.topics, ["E-Akte", "Bürgerportal"]);
    assert_eq!(city.website.as_deref(), Some("https://www.delmenhorst.de"));
    assert_eq!(
        city.contact.as_ref().and_then(|c| c.email.as_deref()),
        Some("anna@example.org")
    );
    assert_eq!(
        bundle.locations[0].kind,
        marktplatz_model::model::LocationKind::Station
    );
    let text = warnings(&result);
    assert!(
        text.contains("'keine-mail' is not an e-mail address"),
        "{text}"
    );
    assert!(
        text.contains("listed twice with the same details"),
        "{text}"
    );
}

#[test]
fn documented_examples_import() {
    let options = ImportOptions {
        event_id: Some("egov-2027".into()),
        timezone: Some("Europe/Berlin".into()),
        days: vec![NaiveDate::from_ymd_opt(2027, 3, 4).unwrap()],
        ..ImportOptions::default()
    };
    let programme = import(include_bytes!("../../docs/examples/programm.csv"), &options).unwrap();
    assert_eq!(programme.format, Format::CsvSessions);
    assert_eq!(programme.bundle.sessions.len(), 5);
    let ozg = session(&programme, "OZG-Leistungen gemeinsam nutzen");
    assert_eq!(ozg.id, "ozg");
    assert_eq!((ozg.end - ozg.start).num_minutes(), 45);
    assert_eq!(ozg.languages, ["de", "en"]);
    assert_eq!(
        ozg.description,
        "Mehr unter ozg.de (https://www.digitale-verwaltung.de)"
    );
    let podium = session(&programme, "Podium: Digitalisierung im ländlichen Raum");
    assert_eq!(podium.kind, SessionKind::Panel);
    assert_eq!(
        speaker_names(&programme, podium),
        ["Anna Beispiel", "Erik Muster"]
    );
    let exhibitors = import(
        include_bytes!("../../docs/examples/aussteller.csv"),
        &options,
    )
    .unwrap();
    assert_eq!(exhibitors.format, Format::CsvExhibitors);
    assert_eq!(exhibitors.bundle.exhibitors.len(), 3);
    assert!(exhibitors.warnings.is_empty(), "{}", warnings(&exhibitors));
}

#[test]
fn import_warnings_name_subject_and_field_in_either_language() {
    let w = ImportWarning {
        subject: Text::new("event 'x' (g)", "Programmpunkt „x“ (g)"),
        field: "duration".into(),
        message: Text::new("is odd", "ist seltsam"),
    };
    assert_eq!(w.to_string(), "event 'x' (g): duration: is odd");
    assert_eq!(w.line(false), w.to_string());
    assert_eq!(w.line(true), "Programmpunkt „x“ (g): duration: ist seltsam");
}

/// Files that set off as many kinds of warning as possible, in every format.
fn messy_files() -> Vec<String> {
    let csv = "Titel;Datum;Beginn;Ende;Dauer;Raum;Sprache\n\
        ;01.02.2027;10:00;;;A;de\n\
        Eins;28.03.2027;02:30;03:30;;A;Klingonisch\n\
        Zwei;;11:00;;;A;de\n\
        Drei;01.02.2027;kaputt;;;A;de\n\
        Vier;1.2.;10:00;;;A;de\n\
        Fünf;01.02.2027;12:00;11:00;;A;de\n\
        Sechs;01.02.2027;12:00;;viel;A;de\n\
        Sieben;31.10.2027;02:30;;45;A;de\n"
        .to_string();
    let exhibitors = "Name;Datum;E-Mail;Website\n;01.02.2027;;\n\
        Firma;01.02.2027, kaputt;keine mail;ht tp://x y\n\
        Firma;01.02.2027;;\nFirma;01.02.2027;a@b.de;\n"
        .to_string();
    let ical = "BEGIN:VCALENDAR\nX-WR-TIMEZONE:Mars/Olympus\n\
        BEGIN:VEVENT\nSUMMARY:Ohne UID\nDTSTART:20270604T150000\nRRULE:FREQ=DAILY\nEND:VEVENT\n\
        BEGIN:VEVENT\nUID:b\nSUMMARY:Zone\nDTSTART;TZID=Mars/Olympus:20270604T150000\nDTEND:20270604T140000Z\nEND:VEVENT\n\
        BEGIN:VEVENT\nUID:c\nSUMMARY:\nDTSTART:20270604T150000Z\nEND:VEVENT\n\
        BEGIN:VEVENT\nUID:d\nSUMMARY:Kein Start\nEND:VEVENT\n\
        BEGIN:VEVENT\nUID:e\nSUMMARY:Dauer\nDTSTART:20270604T150000Z\nDURATION:lang\nEND:VEVENT\n\
        BEGIN:VEVENT\nUID:f\nSUMMARY:Datum\nDTSTART:2027\nEND:VEVENT\n\
        BEGIN:VEVENT\nUID:g\nSUMMARY:Gut\nDTSTART:20270604T150000Z\nEND:VEVENT\n\
        END:VCALENDAR\n"
        .to_string();
    let json = SCHEDULE_JSON
        .replace(
            "\"date\": \"2027-12-28T00:30:00+01:00\", \"start\": \"00:30\"",
            "\"date\": null, \"start\": \"25:61\"",
        )
        .replace("\"duration\": \"0:30\"", "\"duration\": \"half an hour\"");
    vec![csv, exhibitors, ical, json]
}

/// Words that give an English sentence away; none belongs in a German warning.
const ENGLISH: [&str; 9] = [
    " the ", " was ", " is ", " not ", "skipped", "missing", " kept", " left ", " and ",
];

#[test]
fn every_warning_reads_in_german_without_english_in_it() {
    let mut seen = 0;
    for file in messy_files() {
        let result = match import(file.as_bytes(), &ImportOptions::default()) {
            Ok(result) => result,
            Err(e) => panic!("{e}\n{file}"),
        };
        assert!(!result.warnings.is_empty(), "no warnings from\n{file}");
        for warning in &result.warnings {
            seen += 1;
            let german = format!(" {} {} ", warning.subject.de, warning.message.de);
            let english = format!(" {} {} ", warning.subject.en, warning.message.en);
            for word in ENGLISH {
                assert!(!german.contains(word), "{word:?} in German: {german}");
            }
            assert_ne!(german, english, "not translated: {english}");
        }
    }
    assert!(
        seen >= 20,
        "only {seen} warnings: the files no longer set them off"
    );
}

// ---------------------------------------------------------------- never panic

mod fuzz {
    use proptest::prelude::*;

    use super::super::*;

    fn try_all(bytes: &[u8]) {
        let mut options = ImportOptions::default();
        let _ = import(bytes, &options);
        let _ = detect(bytes);
        for format in Format::ALL {
            options.format = Some(format);
            options.days = vec![chrono::NaiveDate::from_ymd_opt(2027, 3, 4).unwrap_or_default()];
            let _ = import(bytes, &options);
        }
    }

    proptest! {
        // 256 cases by default; PROPTEST_CASES=5000 for a longer run.
        #![proptest_config(ProptestConfig::default())]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            try_all(&bytes);
        }

        #[test]
        fn arbitrary_text_inside_each_format_never_panics(text in "\\PC{0,300}", cut in 0usize..4000) {
            // Random text placed where each reader looks, and truncations of valid files.
            for frame in [
                format!("<schedule><conference><title>{text}</title></conference><day date=\"{text}\"><room name=\"{text}\"><event guid=\"{text}\"><date>{text}</date><start>{text}</start><duration>{text}</duration><title>{text}</title><abstract>{text}</abstract></event></room></day></schedule>"),
                format!("{{\"schedule\":{{\"conference\":{{\"title\":\"t\",\"time_zone_name\":{0:?},\"days\":[{{\"date\":\"2027-03-04\",\"rooms\":{{\"r\":[{{\"guid\":{0:?},\"title\":{0:?},\"date\":{0:?},\"start\":{0:?},\"duration\":{0:?},\"abstract\":{0:?},\"language\":{0:?},\"persons\":[{{\"public_name\":{0:?}}}]}}]}}}}]}}}}}}", text),
                format!("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:{text}\nDTSTART;TZID={text}:{text}\nDTEND:{text}\nDESCRIPTION:{text}\nEND:VEVENT\nBEGIN:VTIMEZONE\nTZID:{text}\nBEGIN:STANDARD\nDTSTART:{text}\nTZOFFSETTO:{text}\nRRULE:{text}\nEND:STANDARD\nEND:VTIMEZONE\nEND:VCALENDAR\n"),
                format!("Titel;Datum;Beginn;Ende;Dauer;Raum;Referent;Sprache;Beschreibung\n{text};{text};{text};{text};{text};{text};{text};{text};{text}\n"),
                format!("Aussteller;Station;Themen;E-Mail;Webseite;Datum\n{text};{text};{text};{text};{text};{text}\n"),
            ] {
                try_all(frame.as_bytes());
            }
            for valid in [super::FRAB_XML, super::SCHEDULE_JSON, super::SCHEDULE2_JSON, super::ICAL, super::CSV_SESSIONS] {
                // Cut anywhere, even inside a UTF-8 sequence.
                try_all(&valid.as_bytes()[..cut.min(valid.len())]);
            }
        }
    }
}

#[test]
fn only_ids_the_file_does_not_give_are_made_up() {
    let csv = "ID;Titel;Datum;Beginn;Ende\n\
               talk-1;Begrüßung;04.03.2027;09:00;09:15\n\
               ;Mittagspause;04.03.2027;12:00;13:00\n";
    let result = run(csv);
    let pause = result
        .bundle
        .sessions
        .iter()
        .find(|s| s.title == "Mittagspause")
        .unwrap();
    assert_eq!(
        result.made_up.sessions,
        std::collections::BTreeSet::from([pause.id.clone()])
    );
    // A frab file's own guid is the file's id.
    let xml = "<schedule><conference><title>T</title><start>2027-03-04</start><end>2027-03-04</end><days>1</days></conference>\
<day index=\"1\" date=\"2027-03-04\"><room name=\"A\"><event guid=\"6a32cb72-a69d-423c-91b5-60d88eb8e6c7\"><date>2027-03-04T10:00:00+01:00</date><start>10:00</start><duration>00:30</duration><room>A</room><title>Eins</title></event>\
<event><date>2027-03-04T11:00:00+01:00</date><start>11:00</start><duration>00:30</duration><room>A</room><title>Zwei</title></event></room></day></schedule>";
    let result = run(xml);
    let made_up: Vec<&str> = result
        .bundle
        .sessions
        .iter()
        .filter(|s| result.made_up.sessions.contains(&s.id))
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(made_up, ["Zwei"]);
}

/// The fuzzer's find (`fuzz/corpus/import_csv/duration-out-of-range.csv`): a duration cell of
/// "10:-1000000000648756902" minutes panicked in chrono. Now the row is refused with a message.
#[test]
fn a_duration_out_of_range_is_refused_not_a_panic() {
    let bytes = include_bytes!("../../fuzz/corpus/import_csv/duration-out-of-range.csv");
    for format in [Format::CsvSessions, Format::CsvExhibitors] {
        let options = ImportOptions {
            format: Some(format),
            timezone: Some("Europe/Berlin".into()),
            days: vec![chrono::NaiveDate::from_ymd_opt(2027, 3, 4).expect("a date")],
            ..ImportOptions::default()
        };
        if let Ok(imported) = import(bytes, &options) {
            imported.bundle.validate().expect("a valid bundle");
        }
    }
}
