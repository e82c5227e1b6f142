//! Session hits carry their day, time and place, so repeated titles can be told apart.

use chrono::{NaiveDate, TimeZone, Utc};

use super::tests::{EVENT, Searched, at, fixture, query, session};
use super::*;

const TITLE: &str = "Datenschutz-Sprechstunde";

/// The fixture with one title three times: in the morning in the hall, in the afternoon at a
/// station, and after midnight without a place (still the first conference day: the day changes
/// at 04:00).
fn store_with_repeated_titles() -> (tempfile::TempDir, Searched) {
    let mut bundle = fixture();
    bundle
        .event
        .days
        .push(NaiveDate::from_ymd_opt(2027, 2, 2).unwrap());
    let mut morning = session("ds-morning", TITLE, 10, &[]);
    morning.end = at(10, 30);
    let mut afternoon = session("ds-afternoon", TITLE, 13, &[]);
    afternoon.location_id = Some("st-sicher".into());
    let mut night = session("ds-night", TITLE, 0, &[]);
    night.start = Utc.with_ymd_and_hms(2027, 2, 2, 0, 30, 0).unwrap();
    night.end = Utc.with_ymd_and_hms(2027, 2, 2, 1, 0, 0).unwrap();
    night.location_id = None;
    bundle.sessions.extend([morning, afternoon, night]);
    bundle.validate().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Searched::open(dir.path());
    store
        .write_content(|tx| tx.replace_with_bundle(&bundle))
        .unwrap();
    (dir, store)
}

fn when_and_where(
    day: (i32, u32, u32),
    start: &str,
    end: &str,
    place: Option<&str>,
) -> WhenAndWhere {
    WhenAndWhere {
        day: NaiveDate::from_ymd_opt(day.0, day.1, day.2).unwrap(),
        local_start: start.into(),
        local_end: end.into(),
        place: place.map(str::to_string),
    }
}

#[test]
fn repeated_session_titles_carry_their_day_time_and_place() {
    let (_dir, store) = store_with_repeated_titles();
    let mut hits = store.search(&query("Datenschutz")).unwrap();
    hits.retain(|hit| hit.title == TITLE);
    hits.sort_by(|a, b| a.id.cmp(&b.id));
    let found: Vec<(&str, Option<WhenAndWhere>)> = hits
        .iter()
        .map(|hit| (hit.id.as_str(), hit.when_and_where.clone()))
        .collect();
    // Berlin is UTC+1 in February.
    assert_eq!(
        found,
        vec![
            (
                "ds-afternoon",
                Some(when_and_where(
                    (2027, 2, 1),
                    "14:00",
                    "14:45",
                    Some("Station 7: IT-Sicherheit")
                ))
            ),
            (
                "ds-morning",
                Some(when_and_where(
                    (2027, 2, 1),
                    "11:00",
                    "11:30",
                    Some("Vortragssaal")
                ))
            ),
            (
                "ds-night",
                Some(when_and_where((2027, 2, 1), "01:30", "02:00", None))
            ),
        ]
    );
}

#[test]
fn only_session_hits_carry_when_and_where() {
    let (_dir, store) = store_with_repeated_titles();
    let hits = store.search(&query("IT-Sicherheit")).unwrap();
    let station = hits.iter().find(|hit| hit.id == "st-sicher").unwrap();
    assert_eq!(station.when_and_where, None);
    let exhibitor = hits.iter().find(|hit| hit.id == "govconnect").unwrap();
    assert_eq!(exhibitor.when_and_where, None);
}

#[test]
fn type_ahead_hits_carry_when_and_where_too() {
    let (_dir, store) = store_with_repeated_titles();
    let type_ahead = TypeAhead::new();
    let hits = type_ahead
        .search(
            type_ahead.ticket(),
            &store.store,
            &store.cache,
            &SearchQuery::new(EVENT, "Sprechstunde"),
        )
        .unwrap();
    let morning = hits.iter().find(|hit| hit.id == "ds-morning").unwrap();
    assert_eq!(
        morning
            .when_and_where
            .as_ref()
            .map(|w| w.local_start.as_str()),
        Some("11:00")
    );
}
