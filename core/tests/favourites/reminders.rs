//! Reminders follow the favourites, the lead time and moves.

use chrono::Duration;
use marktplatz_core::favourites;
use marktplatz_core::favourites::FavouriteKind;
use marktplatz_model::model::SessionStatus;

use crate::common::*;

#[test]
fn reminders_follow_a_moved_session() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    for id in ["f-talk-a", "f-afternoon", "f-cancel", "f-open"] {
        fav(&store, id);
    }
    let now = utc("2026-10-24T07:45:00Z");
    let before = favourites::reminders(&store, EVENT, now).unwrap();
    let summary: Vec<(&str, String, &str)> = before
        .iter()
        .map(|r| {
            (
                r.session_id.as_str(),
                r.fire_at.to_rfc3339(),
                r.text.as_str(),
            )
        })
        .collect();
    // Default lead 10 minutes; f-open's reminder time has passed; f-cancel is cancelled.
    assert_eq!(
        summary,
        [
            (
                "f-talk-a",
                "2026-10-24T07:50:00+00:00".to_string(),
                "10:00 · Forum"
            ),
            (
                "f-afternoon",
                "2026-10-24T11:50:00+00:00".to_string(),
                "14:00 · Forum"
            ),
        ]
    );
    assert_eq!(before[0].title, "Digitale Verwaltung, jetzt; wirklich");

    change_session(&store, "f-talk-a", |s| {
        s.start += Duration::hours(2);
        s.end += Duration::hours(2);
        s.location_id = Some("annex".into());
    });
    let after = favourites::reminders(&store, EVENT, now).unwrap();
    let moved = after.iter().find(|r| r.session_id == "f-talk-a").unwrap();
    assert_eq!(moved.fire_at, utc("2026-10-24T09:50:00Z"));
    assert_eq!(moved.text, "12:00 · Rathaus, Ratssaal");
    assert_eq!(
        moved.key, before[0].key,
        "same key: the shell replaces the notification"
    );
    assert_eq!(moved.notification_id, before[0].notification_id);

    // Lead time setting.
    favourites::set_reminder_lead_minutes(&store, 30).unwrap();
    assert_eq!(favourites::reminder_lead_minutes(&store).unwrap(), 30);
    let earlier = favourites::reminders(&store, EVENT, now).unwrap();
    assert_eq!(earlier[0].fire_at, utc("2026-10-24T09:30:00Z"));
    assert!(favourites::set_reminder_lead_minutes(&store, 100_000).is_err());
    assert_eq!(
        favourites::reminder_lead_minutes(&store).unwrap(),
        30,
        "a refused value changes nothing"
    );

    // Cancelled: its reminder goes; unfavourited: too.
    change_session(&store, "f-afternoon", |s| {
        s.status = SessionStatus::Cancelled
    });
    favourites::remove_favourite(
        &store,
        &store.alerts,
        EVENT,
        FavouriteKind::Session,
        "f-talk-a",
    )
    .unwrap();
    assert!(
        favourites::reminders(&store, EVENT, now)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_corrupt_lead_time_setting_is_an_error_not_a_default() {
    let dir = tempfile::tempdir().unwrap();
    let store = loaded(dir.path());
    store
        .write_user(|tx| {
            tx.execute(
                "INSERT INTO setting (key, value) VALUES ('reminder_lead_minutes', 'soon')",
                [],
            )
            .unwrap();
            Ok(())
        })
        .unwrap();
    let err = favourites::reminder_lead_minutes(&store)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("reminder_lead_minutes") && err.contains("soon"),
        "{err}"
    );
}
