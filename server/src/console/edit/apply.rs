//! What every edit form does with its operation and with what it read: sent as the session's
//! organiser based on the form's version, and the store's answer sorted into what the page
//! does next.

use axum::response::Response;
use serde::Deserialize;

use marktplatz_model::ops::Op;
use marktplatz_model::wire::code;

use crate::console::announce::send;
use crate::console::page::{self, Message, see_other};
use crate::console::session::Signed;
use crate::http::state::AppState;
use crate::store;

/// What every edit form sends besides its own fields (the `version` macro of
/// `console/edit/forms.html`): the CSRF token, the form's idempotency key and the version of
/// the entity it was rendered from (the operation's base).
#[derive(Default, Deserialize)]
pub(in crate::console) struct FormVersion {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub base: String,
}

/// What became of an edit form's operation.
pub(in crate::console) enum Outcome {
    /// The answer is made: applied (or applied before, the same form sent twice: a 303 to
    /// `saved`), or a fault of ours.
    Answered(Response),
    /// The form was based on an older version than the stored one: nothing was changed.
    Conflict,
    /// Refused (the store's sentence, in the page's frame): nothing was changed.
    Refused(Option<Message>),
}

/// Sends `op` with the form's key, based on its `base` (a base that is not a number is no
/// version: the store refuses base 0 for a change to an existing entity).
pub(in crate::console) async fn apply(
    state: &AppState,
    signed: &Signed,
    version: &FormVersion,
    op: Op,
    saved: &str,
) -> Outcome {
    let base = version.base.trim().parse::<u64>().unwrap_or(0);
    match send(state, signed, &version.key, base, op).await {
        Ok(()) => Outcome::Answered(see_other(saved, &[])),
        Err(e) if e.code() == code::KEY_REUSED => Outcome::Answered(see_other(saved, &[])),
        Err(e) if e.code() == code::CONFLICT => Outcome::Conflict,
        Err(e) => match page::client_error(&e) {
            Some(text) => {
                let t = signed.visitor.lang.texts();
                Outcome::Refused(Message::error(format!("{} {text}", t.failed)))
            }
            None => Outcome::Answered(page::failure(signed.visitor, &e)),
        },
    }
}

/// Sends `op` for a page that shows itself again when it did not go through: `Err` when the
/// answer is made (applied: a 303 to `saved`; a fault of ours), else the page's message and
/// status: `conflict` (409) or the store's refusal (422). `(key, base)` are the form's.
pub(in crate::console) async fn apply_or_again(
    state: &AppState,
    signed: &Signed,
    version: &FormVersion,
    op: Op,
    saved: &str,
    conflict: &'static str,
) -> Result<(Option<Message>, u16), Response> {
    match apply(state, signed, version, op, saved).await {
        Outcome::Answered(answer) => Err(answer),
        Outcome::Conflict => Ok((Message::error(conflict), 409)),
        Outcome::Refused(message) => Ok((message, 422)),
    }
}

/// What was read, or (boxed: an answer is large) the answer when there is nothing (404 with `title` and `text`) or the
/// store failed.
pub(in crate::console) fn found_or_answer<T>(
    signed: &Signed,
    read: store::Result<Option<T>>,
    title: &str,
    text: &str,
) -> Result<T, Box<Response>> {
    match read {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(Box::new(page::notice(signed.visitor, 404, title, text))),
        Err(e) => Err(Box::new(page::failure(signed.visitor, &e))),
    }
}
