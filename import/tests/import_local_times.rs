//! Local times that do not exist or exist twice (the nights the clocks change) are read as
//! `EventClock` resolves them, and every importer says so, naming the entry and the time used.
#![allow(clippy::unwrap_used)]

use marktplatz_import::{Import, ImportOptions, ImportWarning, import};
use marktplatz_model::time::EventClock;

fn read(text: &str) -> Import {
    let options = ImportOptions {
        timezone: Some("Europe/Berlin".into()),
        ..ImportOptions::default()
    };
    import(text.as_bytes(), &options).unwrap()
}

fn about<'a>(import: &'a Import, needle: &str) -> Vec<&'a ImportWarning> {
    import
        .warnings
        .iter()
        .filter(|w| w.message.en.contains(needle))
        .collect()
}

#[test]
fn a_csv_session_in_the_spring_gap_is_warned_about_with_its_row_and_the_time_used() {
    // 28 March 2027: in Berlin the clocks jump from 02:00 to 03:00.
    let csv = "Titel;Datum;Beginn;Ende;Raum\n\
               Frühaufsteher;28.03.2027;01:00;01:45;Saal\n\
               Nachtschicht;28.03.2027;02:30;03:30;Saal\n";
    let result = read(csv);
    let gap = about(&result, "does not exist");
    assert_eq!(gap.len(), 1, "{:#?}", result.warnings);
    let warning = gap[0];
    assert!(
        warning.subject.en.contains("Nachtschicht") || warning.subject.en.contains('3'),
        "{warning}"
    );
    assert_eq!(warning.field, "start");
    assert!(warning.message.en.contains("2027-03-28 02:30"), "{warning}");
    assert!(
        warning.message.en.contains("03:00"),
        "the time used: {warning}"
    );
    // The session is kept, at the time the warning names.
    let session = result
        .bundle
        .sessions
        .iter()
        .find(|s| s.title == "Nachtschicht")
        .unwrap();
    let clock = EventClock::new("Europe/Berlin", 0).unwrap();
    assert_eq!(clock.hhmm(session.start), "03:00");
    // The session before the gap is not warned about.
    assert!(
        result
            .warnings
            .iter()
            .all(|w| !w.subject.en.contains("Frühaufsteher")),
        "{:#?}",
        result.warnings
    );
}

#[test]
fn a_csv_end_in_the_autumn_fold_is_warned_about() {
    // 31 October 2027: 02:00-03:00 happens twice in Berlin.
    let csv = "Titel;Datum;Beginn;Ende;Raum\nLange Nacht;31.10.2027;01:30;02:30;Saal\n";
    let result = read(csv);
    let fold = about(&result, "happens twice");
    assert_eq!(fold.len(), 1, "{:#?}", result.warnings);
    assert_eq!(fold[0].field, "end");
    assert!(
        fold[0].message.en.contains("2027-10-31 02:30"),
        "{}",
        fold[0]
    );
    assert!(
        fold[0].message.en.contains("+02:00"),
        "the first (summer time): {}",
        fold[0]
    );
}

#[test]
fn an_icalendar_event_at_a_time_that_does_not_exist_is_warned_about() {
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
               BEGIN:VEVENT\r\nUID:gap-1\r\nSUMMARY:Sternwarte\r\n\
               DTSTART;TZID=Europe/Berlin:20270328T023000\r\n\
               DTEND;TZID=Europe/Berlin:20270328T040000\r\nEND:VEVENT\r\n\
               BEGIN:VEVENT\r\nUID:fine-1\r\nSUMMARY:Frühstück\r\n\
               DTSTART;TZID=Europe/Berlin:20270328T090000\r\n\
               DTEND;TZID=Europe/Berlin:20270328T100000\r\nEND:VEVENT\r\n\
               END:VCALENDAR\r\n";
    let result = read(ics);
    let gap = about(&result, "does not exist");
    assert_eq!(gap.len(), 1, "{:#?}", result.warnings);
    assert!(gap[0].subject.en.contains("Sternwarte"), "{}", gap[0]);
    assert_eq!(gap[0].field, "DTSTART");
    assert!(gap[0].message.en.contains("03:00"), "{}", gap[0]);
}
