//! Editing the published programme in the console: the sessions list (by day, filtered by
//! station) and one edit page per session (move, retime, cancel, reinstate, title and text).
//!
//! Every change is an organiser operation sent through `http::writes::apply_op` (via
//! `announce::send`), the same path as `POST /v1/events/{e}/ops`, so a device that syncs sees
//! it. Each form carries the version (`base`) of the session it was rendered from: when another
//! organiser changed the session since, the store refuses the operation as a conflict and the
//! page shows the current version next to the organiser's own input, nothing overwritten.
//!
//! - `apply`: an edit form's operation sent, and the store's answer sorted;
//! - `words`: this part's texts, German and English;
//! - `programme`: reading the event's sessions and locations, and local times;
//! - `list`: the sessions list;
//! - `session`: a session's edit page and its forms;
//! - `place`: a location's (station, room) edit page: name and description;
//! - `exhibitor`, `exhibitor_words`: the exhibitors and each one's edit page (texts, topics,
//!   contact, logo);
//! - `info`, `info_words`: the info pages: add, edit, order, remove.

pub(super) mod apply;
mod exhibitor;
mod exhibitor_words;
mod info;
mod info_words;
mod list;
mod place;
pub(super) mod programme;
mod session;
mod words;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use super::MAX_FORM_BYTES;
use crate::http::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organiser/{for_event}/sessions", get(list::get_sessions))
        .route(
            "/organiser/{for_event}/sessions/{session}",
            get(session::get_session).post(session::post_session),
        )
        .route(
            "/organiser/{for_event}/places/{place}",
            get(place::get_place).post(place::post_place),
        )
        .route(
            "/organiser/{for_event}/edit/exhibitors",
            get(exhibitor::get_exhibitors),
        )
        .route(
            "/organiser/{for_event}/edit/info",
            get(info::get_info).post(info::post_add),
        )
        .route(
            "/organiser/{for_event}/edit/info/{page}",
            post(info::post_edit),
        )
        .route(
            "/organiser/{for_event}/edit/info/{page}/remove",
            post(info::post_remove),
        )
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        // The exhibitor's form carries its logo: it reads its body itself (`upload_form`).
        .route(
            "/organiser/{for_event}/edit/exhibitors/{exhibitor}",
            get(exhibitor::get_exhibitor).post(exhibitor::post_exhibitor),
        )
}
