//! The overview: what the event has published now (live entities by kind) and the latest
//! releases (`store::releases`, the same list as `GET /v1/events/{e}/releases`).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use marktplatz_model::model::EntityKind;
use marktplatz_model::source::Release;

use super::page::{self, Chrome, Message, html, utc_minutes};
use super::session::Signed;
use super::text::Lang;
use crate::http::extract::Query;
use crate::http::state::AppState;
use crate::store::{change_log, releases};

/// How many releases the overview lists.
const RELEASES_SHOWN: usize = 10;

/// A release as the overview and the releases page list it.
pub(super) struct ReleaseRow {
    pub(super) number: u64,
    pub(super) when: String,
    pub(super) source: String,
    pub(super) subject: String,
    pub(super) note: String,
    pub(super) added: u64,
    pub(super) updated: u64,
    pub(super) removed: u64,
}

impl From<Release> for ReleaseRow {
    fn from(r: Release) -> ReleaseRow {
        ReleaseRow {
            number: r.number,
            when: utc_minutes(r.published_at),
            source: r.source,
            subject: r.subject,
            note: r.note,
            added: r.added,
            updated: r.updated,
            removed: r.removed,
        }
    }
}

#[derive(Template)]
#[template(path = "console/overview.html")]
struct OverviewPage {
    c: Chrome,
    counts: Vec<(&'static str, u64)>,
    releases: Vec<ReleaseRow>,
    /// Whether each release has a revert link (not here: on the releases page).
    revertable: bool,
    /// Distinct devices that polled in the last hour and the last 24 hours.
    devices: (usize, usize),
}

#[derive(Deserialize)]
pub struct Done {
    released: Option<u64>,
}

pub async fn get_overview(
    State(state): State<AppState>,
    signed: Signed,
    Query(done): Query<Done>,
) -> Response {
    let event = signed.event().to_string();
    let read = state
        .db
        .read(move |tx| {
            let counts = change_log::live_counts(tx, &event)?;
            let mut list = releases::list(tx, &event)?;
            list.truncate(RELEASES_SHOWN);
            Ok((counts, list))
        })
        .await;
    let (counts, list) = match read {
        Ok(found) => found,
        Err(e) => return page::failure(signed.visitor, &e),
    };
    let t = signed.visitor.lang.texts();
    let message = done
        .released
        .and_then(|number| Message::ok(format!("{} {number}.", t.imported)));
    html(
        signed.visitor,
        200,
        &OverviewPage {
            c: signed.chrome(t.overview, "overview").with(message),
            counts: counts
                .into_iter()
                .map(|(kind, count)| (kind_name(signed.visitor.lang, kind), count))
                .collect(),
            releases: list.into_iter().map(ReleaseRow::from).collect(),
            revertable: false,
            devices: state.devices.counts(signed.event(), crate::store::now()),
        },
    )
}

/// An entity kind as the organiser calls it.
fn kind_name(lang: Lang, kind: EntityKind) -> &'static str {
    let (de, en) = match kind {
        EntityKind::Event => ("Veranstaltung", "Event"),
        EntityKind::Location => ("Orte und Stationen", "Locations and stations"),
        EntityKind::Track => ("Themen", "Tracks"),
        EntityKind::Session => ("Programmpunkte", "Sessions"),
        EntityKind::Speaker => ("Vortragende", "Speakers"),
        EntityKind::Exhibitor => ("Aussteller", "Exhibitors"),
        EntityKind::Announcement => ("Durchsagen", "Announcements"),
        EntityKind::GalleryItem => ("Fotos", "Photos"),
        EntityKind::InfoPage => ("Infoseiten", "Info pages"),
    };
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}
