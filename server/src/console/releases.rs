//! Every release of the event (who, when, note, source, changes) and the revert to one of
//! them: a confirmation page with the preview first, then `http::writes::revert`, the function
//! behind `POST /v1/events/{e}/revert` and so `marktplatz revert`. Whether a revert may go
//! ahead is the store's decision (its guards and refusals), shown in the page's language.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use marktplatz_model::source::DEFAULT_SOURCE;
use marktplatz_model::wire::code;

use super::import::refusal;
use super::overview::ReleaseRow;
use super::page::{self, Chrome, Message, html, see_other};
use super::session::Signed;
use crate::http::extract::Query;
use crate::http::state::AppState;
use crate::http::writes;
use crate::store::StoreError;
use crate::store::releases::{self, Publisher};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organiser/{for_event}/releases", get(get_releases))
        .route(
            "/organiser/{for_event}/releases/revert",
            get(get_revert).post(post_revert),
        )
}

#[derive(Template)]
#[template(path = "console/releases.html")]
struct ReleasesPage {
    c: Chrome,
    releases: Vec<ReleaseRow>,
    revertable: bool,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn get_releases(
    State(state): State<AppState>,
    signed: Signed,
    Query(done): Query<Done>,
) -> Response {
    let a = signed.visitor.lang.texts().admin();
    let message = match done.done.as_deref() {
        Some("reverted") => Message::ok(a.reverted),
        _ => None,
    };
    releases_page(&state, &signed, message, 200).await
}

/// The list of releases with `message` on top.
async fn releases_page(
    state: &AppState,
    signed: &Signed,
    message: Option<Message>,
    status: u16,
) -> Response {
    let a = signed.visitor.lang.texts().admin();
    let event = signed.event().to_string();
    let list = match state.db.read(move |tx| releases::list(tx, &event)).await {
        Ok(list) => list,
        Err(e) => return page::failure(signed.visitor, &e),
    };
    html(
        signed.visitor,
        status,
        &ReleasesPage {
            c: signed.chrome(a.releases, "releases").with(message),
            releases: list.into_iter().map(ReleaseRow::from).collect(),
            revertable: true,
        },
    )
}

#[derive(Template)]
#[template(path = "console/revert.html")]
struct RevertPage {
    c: Chrome,
    event: String,
    to: u64,
    source: String,
    added: u64,
    updated: u64,
    removed: u64,
    refusals: Vec<String>,
}

#[derive(Deserialize)]
pub struct RevertTo {
    #[serde(default)]
    to: u64,
}

/// The organiser's publisher for a revert: the release names the source.
fn publisher(signed: &Signed, note: &str, confirmed: bool) -> Publisher {
    Publisher {
        // Replaced by the release's own source; a valid name so the store's check passes.
        source: DEFAULT_SOURCE.to_string(),
        subject: signed.session.subject.clone(),
        note: note.trim().to_string(),
        confirmed,
    }
}

/// The confirmation step: what the revert would do (`store::publish::preview_revert`).
pub async fn get_revert(
    State(state): State<AppState>,
    signed: Signed,
    Query(to): Query<RevertTo>,
) -> Response {
    let preview =
        writes::preview_revert(&state, signed.event(), to.to, publisher(&signed, "", false)).await;
    let preview = match preview {
        Ok(preview) => preview,
        Err(e) => return refused(&state, &signed, &e).await,
    };
    let event = signed.event().to_string();
    let number = to.to;
    let source = state
        .db
        .read(move |tx| releases::list(tx, &event))
        .await
        .ok()
        .and_then(|list| list.into_iter().find(|r| r.number == number))
        .map(|r| r.source)
        .unwrap_or_default();
    let german = signed.visitor.lang.code() == "de";
    let a = signed.visitor.lang.texts().admin();
    html(
        signed.visitor,
        200,
        &RevertPage {
            c: signed.chrome(&format!("{} {}", a.revert_title, to.to), "releases"),
            event: signed.event().to_string(),
            to: to.to,
            refusals: preview
                .refusals
                .iter()
                .map(|r| refusal(r, &source, german))
                .collect(),
            source,
            added: preview.outcome.added,
            updated: preview.outcome.updated,
            removed: preview.outcome.removed,
        },
    )
}

#[derive(Deserialize)]
pub struct RevertForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    to: u64,
    #[serde(default)]
    note: String,
    /// The ticked box under the store's concerns (`confirm=yes` of the API).
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn post_revert(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<RevertForm>,
) -> Response {
    if let Some(refused) = signed.refuse_forged(&form.csrf) {
        return refused;
    }
    let by = publisher(&signed, &form.note, form.confirm.is_some());
    match writes::revert(&state, signed.event(), "console", form.to, by).await {
        Ok(_) => see_other(
            &format!("/organiser/{}/releases?done=reverted", signed.event()),
            &[],
        ),
        Err(e) => refused(&state, &signed, &e).await,
    }
}

/// The releases page with why the store refused (422), or the failure page for faults of
/// ours.
async fn refused(state: &AppState, signed: &Signed, error: &StoreError) -> Response {
    if error.is_internal() {
        return page::failure(signed.visitor, error);
    }
    let a = signed.visitor.lang.texts().admin();
    let text = match error.code() {
        code::CONFIRMATION_REQUIRED => a.revert_needs_confirmation.to_string(),
        code::NOT_FOUND => a.no_such_release.to_string(),
        _ => page::client_error(error).unwrap_or_default(),
    };
    releases_page(state, signed, Message::error(text), 422).await
}
