//! What every edit form does with its operation and with what it read: sent as the session's
//! organiser based on the form's version, and the store's answer sorted into what the page
//! does next.

use axum::response::Response;

use marktplatz_model::ops::Op;
use marktplatz_model::wire::code;

use crate::console::announce::send;
use crate::console::page::{self, Message, see_other};
use crate::console::session::Signed;
use crate::http::state::AppState;
use crate::store;

/// What became of an edit form's operation.
pub(super) enum Outcome {
    /// The answer is made: applied (or applied before, the same form sent twice: a 303 to
    /// `saved`), or a fault of ours.
    Answered(Response),
    /// The form was based on an older version than the stored one: nothing was changed.
    Conflict,
    /// Refused (the store's sentence, in the page's frame): nothing was changed.
    Refused(Option<Message>),
}

/// Sends `op` based on the form's `base` (a base that is not a number is no version: the
/// store refuses base 0 for a change to an existing entity).
pub(super) async fn apply(
    state: &AppState,
    signed: &Signed,
    key: &str,
    base: &str,
    op: Op,
    saved: &str,
) -> Outcome {
    let base = base.trim().parse::<u64>().unwrap_or(0);
    match send(state, signed, key, base, op).await {
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

/// What was read, or (boxed: an answer is large) the answer when there is nothing (404 with `title` and `text`) or the
/// store failed.
pub(super) fn found_or_answer<T>(
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
