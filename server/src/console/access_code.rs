//! The event's access code on the access page: set, change or remove it with
//! `store::access::set`, the function behind `PUT`/`DELETE /v1/admin/events/{e}/access-code`
//! and `marktplatz access-code`. The code is never shown again: only whether one is set.

use crate::store::Tx;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::{Form, extract::DefaultBodyLimit};
use serde::Deserialize;

use super::MAX_FORM_BYTES;
use super::page::{self, Message, see_other};
use super::session::Signed;
use super::text::Texts;
use crate::http::state::AppState;
use crate::store::{self, access};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organiser/{for_event}/access/code", post(post_code))
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
}

/// Whether the event has an access code now (the access page says so).
pub fn is_protected(tx: &Tx<'_>, event: &str) -> store::Result<bool> {
    Ok(matches!(
        access::read(tx, event)?,
        Some(access::Access::Code { .. })
    ))
}

/// The access page's message after this form (`?done=`), if it was this form's.
pub fn message(t: &Texts, done: &str) -> Option<Message> {
    let a = t.admin();
    match done {
        "code-set" => Message::ok(a.code_set),
        "code-removed" => Message::ok(a.code_removed),
        "code-none" => Message::ok(a.code_was_unset),
        "code-bad" => Message::error(a.err_code),
        _ => None,
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    /// Which button: "set" or "remove".
    #[serde(default)]
    action: String,
}

pub async fn post_code(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<CodeForm>,
) -> Response {
    if let Some(refused) = signed.refuse_forged(&form.csrf) {
        return refused;
    }
    let code = (form.action != "remove").then_some(form.code);
    let protect = code.is_some();
    let event = signed.event().to_string();
    let set = state
        .db
        .write(move |tx| access::set(tx, &event, code.as_deref()))
        .await;
    let done = match set {
        Ok(had_code) => {
            tracing::info!(
                event = signed.event(),
                by = signed.session.subject,
                protect,
                had_code,
                "console: access code set"
            );
            match (protect, had_code) {
                (true, _) => "code-set",
                (false, true) => "code-removed",
                (false, false) => "code-none",
            }
        }
        Err(e) if !e.is_internal() => "code-bad",
        Err(e) => return page::failure(signed.visitor, &e),
    };
    see_other(
        &format!("/organiser/{}/access?done={done}", signed.event()),
        &[],
    )
}
