//! Reading what the edit pages show: the event's sessions and locations as published (with the
//! version an operation is based on), and times in the event's zone.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};

use marktplatz_model::model::{
    Entity, EntityKind, Event, Exhibitor, GalleryItem, InfoPage, Location, Session,
};
use marktplatz_model::zone::Zone;

use crate::http::state::AppState;
use crate::store::{self, change_log};

/// A session and the version (seq) of its last change.
pub struct Versioned {
    pub seq: u64,
    pub session: Session,
}

/// The event's live entities of `kind` that `pick` accepts, with their versions.
async fn live<T: Send + 'static>(
    state: &AppState,
    event: &str,
    kind: EntityKind,
    pick: fn(Entity) -> Option<T>,
) -> store::Result<Vec<(u64, T)>> {
    let event = event.to_string();
    let rows = state
        .db
        .read(move |tx| change_log::live_of_kind(tx, &event, kind))
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, seq, body)| {
            let picked = Entity::from_json(kind, &body).ok().and_then(pick);
            if picked.is_none() {
                tracing::warn!(id, "console: a stored entity cannot be read");
            }
            picked.map(|entity| (seq, entity))
        })
        .collect())
}

/// The event's live sessions, by start time.
pub async fn sessions(state: &AppState, event: &str) -> store::Result<Vec<Versioned>> {
    let pick = |entity| match entity {
        Entity::Session(session) => Some(session),
        _ => None,
    };
    let mut sessions: Vec<Versioned> = live(state, event, EntityKind::Session, pick)
        .await?
        .into_iter()
        .map(|(seq, session)| Versioned { seq, session })
        .collect();
    sessions
        .sort_by(|a, b| (a.session.start, &a.session.id).cmp(&(b.session.start, &b.session.id)));
    Ok(sessions)
}

/// One live session of the event; `None` when the event has no such session.
pub async fn session(state: &AppState, event: &str, id: &str) -> store::Result<Option<Versioned>> {
    Ok(sessions(state, event)
        .await?
        .into_iter()
        .find(|v| v.session.id == id))
}

/// The event's locations (stations, rooms, halls), in their published order.
pub async fn locations(state: &AppState, event: &str) -> store::Result<Vec<Location>> {
    Ok(located(state, event)
        .await?
        .into_iter()
        .map(|(_, location)| location)
        .collect())
}

/// The event's locations with their versions, in their published order.
pub async fn located(state: &AppState, event: &str) -> store::Result<Vec<(u64, Location)>> {
    let pick = |entity| match entity {
        Entity::Location(location) => Some(location),
        _ => None,
    };
    let mut locations = live(state, event, EntityKind::Location, pick).await?;
    locations.sort_by(|(_, a), (_, b)| (a.sort_order, &a.name).cmp(&(b.sort_order, &b.name)));
    Ok(locations)
}

/// One location of the event with its version; `None` when the event has no such place.
pub async fn location(
    state: &AppState,
    event: &str,
    id: &str,
) -> store::Result<Option<(u64, Location)>> {
    let pick = |entity| match entity {
        Entity::Location(location) => Some(location),
        _ => None,
    };
    Ok(live(state, event, EntityKind::Location, pick)
        .await?
        .into_iter()
        .find(|(_, l)| l.id == id))
}

/// The event's live gallery photos with their versions, in the order they were added.
pub async fn gallery(state: &AppState, event: &str) -> store::Result<Vec<(u64, GalleryItem)>> {
    let pick = |entity| match entity {
        Entity::GalleryItem(item) => Some(item),
        _ => None,
    };
    let mut items = live(state, event, EntityKind::GalleryItem, pick).await?;
    items.sort_by_key(|(seq, _)| *seq);
    Ok(items)
}

/// The event's live exhibitors with their versions, by name.
pub async fn exhibitors(state: &AppState, event: &str) -> store::Result<Vec<(u64, Exhibitor)>> {
    let pick = |entity| match entity {
        Entity::Exhibitor(exhibitor) => Some(exhibitor),
        _ => None,
    };
    let mut exhibitors = live(state, event, EntityKind::Exhibitor, pick).await?;
    exhibitors.sort_by(|(_, a), (_, b)| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    Ok(exhibitors)
}

/// The event's live info pages with their versions, in their order.
pub async fn info_pages(state: &AppState, event: &str) -> store::Result<Vec<(u64, InfoPage)>> {
    let pick = |entity| match entity {
        Entity::InfoPage(page) => Some(page),
        _ => None,
    };
    let mut pages = live(state, event, EntityKind::InfoPage, pick).await?;
    pages.sort_by(|(_, a), (_, b)| (a.sort_order, &a.title).cmp(&(b.sort_order, &b.title)));
    Ok(pages)
}

/// The event itself (its hall plan) with its version; `None` before its first publish.
pub async fn event(state: &AppState, event: &str) -> store::Result<Option<(u64, Event)>> {
    let pick = |entity| match entity {
        Entity::Event(event) => Some(event),
        _ => None,
    };
    Ok(live(state, event, EntityKind::Event, pick)
        .await?
        .into_iter()
        .next())
}

/// The name of the place `id` names (its id when the event has no such place; `none` when
/// there is no place).
pub fn place_name(locations: &[Location], id: Option<&String>, none: &str) -> String {
    id.map(|id| {
        locations
            .iter()
            .find(|l| &l.id == id)
            .map_or_else(|| id.clone(), |l| l.name.clone())
    })
    .unwrap_or_else(|| none.to_string())
}

/// The date (`2026-06-04`) and time (`09:30`) of `at` in `zone`, as the form's fields hold them.
pub fn local_fields(at: DateTime<Utc>, zone: Zone) -> (String, String) {
    let local = at.with_timezone(&zone);
    (
        local.format("%Y-%m-%d").to_string(),
        local.format("%H:%M").to_string(),
    )
}

/// A date as typed: ISO (`2026-06-04`, what `<input type="date">` sends) or German (`4.6.2026`).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .ok()
}

/// A time of day as typed: `9:30`, `09:30` or `09:30:00`.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .ok()
}

/// The instant of `date` at `time` in `zone` (the earlier one when the clock is turned back;
/// `None` inside the hour skipped when it is turned forward).
pub fn instant(date: NaiveDate, time: NaiveTime, zone: Zone) -> Option<DateTime<Utc>> {
    zone.from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_are_read_as_typed_in_german_or_iso() {
        assert_eq!(
            parse_date("2026-06-04"),
            NaiveDate::from_ymd_opt(2026, 6, 4)
        );
        assert_eq!(
            parse_date(" 4.6.2026 "),
            NaiveDate::from_ymd_opt(2026, 6, 4)
        );
        assert_eq!(parse_date("gestern"), None);
        assert_eq!(parse_time("9:30"), NaiveTime::from_hms_opt(9, 30, 0));
        assert_eq!(parse_time("25:00"), None);
    }

    #[test]
    fn a_local_time_in_berlin_summer_is_two_hours_ahead_of_utc() {
        let zone = Zone::named("Europe/Berlin").unwrap_or(Zone::UTC);
        let date = NaiveDate::from_ymd_opt(2026, 6, 4).unwrap_or_default();
        let time = NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default();
        let at = instant(date, time, zone);
        assert_eq!(
            at.map(|at| at.to_rfc3339()),
            Some("2026-06-04T07:30:00+00:00".to_string())
        );
        assert_eq!(
            at.map(|at| local_fields(at, zone)),
            Some(("2026-06-04".to_string(), "09:30".to_string()))
        );
    }
}
