//! The sessions list: every published session by day in the event's local time, optionally
//! only those at one place, each with a link to its edit page.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use marktplatz_model::model::SessionStatus;

use super::programme::{self, local_fields};
use super::words::{Words, words};
use crate::console::announce::event_zone;
use crate::console::page::{self, Chrome, html};
use crate::console::session::Signed;
use crate::http::extract::Query;
use crate::http::state::AppState;

/// One row of the list.
struct Row {
    id: String,
    time: String,
    title: String,
    place: String,
    cancelled: bool,
}

/// The sessions of one local day.
struct Day {
    date: String,
    rows: Vec<Row>,
}

/// A place in the filter.
struct Place {
    id: String,
    name: String,
    chosen: bool,
}

#[derive(Deserialize)]
pub struct Filter {
    #[serde(default)]
    station: String,
}

#[derive(Template)]
#[template(path = "console/edit/sessions.html")]
struct SessionsPage {
    c: Chrome,
    w: &'static Words,
    event: String,
    places: Vec<Place>,
    days: Vec<Day>,
}

pub async fn get_sessions(
    State(state): State<AppState>,
    signed: Signed,
    Query(filter): Query<Filter>,
) -> Response {
    let w = words(signed.visitor.lang);
    let event = signed.event().to_string();
    let read = async {
        let zone = event_zone(&state, &event).await?;
        let sessions = programme::sessions(&state, &event).await?;
        let locations = programme::locations(&state, &event).await?;
        Ok::<_, crate::store::StoreError>((zone, sessions, locations))
    };
    let (zone, sessions, locations) = match read.await {
        Ok(read) => read,
        Err(e) => return page::failure(signed.visitor, &e),
    };
    let mut days: Vec<Day> = Vec::new();
    for v in sessions.iter().filter(|v| {
        filter.station.is_empty() || v.session.location_id.as_deref() == Some(&filter.station)
    }) {
        let s = &v.session;
        let (date, start) = local_fields(s.start, zone);
        let (_, end) = local_fields(s.end, zone);
        let row = Row {
            id: s.id.clone(),
            time: format!("{start}–{end}"),
            title: s.title.clone(),
            place: programme::place_name(&locations, s.location_id.as_ref(), w.no_place),
            cancelled: s.status == SessionStatus::Cancelled,
        };
        match days.last_mut() {
            Some(day) if day.date == date => day.rows.push(row),
            _ => days.push(Day {
                date,
                rows: vec![row],
            }),
        }
    }
    let places = locations
        .iter()
        .map(|l| Place {
            id: l.id.clone(),
            name: l.name.clone(),
            chosen: l.id == filter.station,
        })
        .collect();
    html(
        signed.visitor,
        200,
        &SessionsPage {
            c: signed.chrome(w.sessions, "sessions"),
            w,
            event,
            places,
            days,
        },
    )
}
