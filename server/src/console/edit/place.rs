//! The edit page of one location (station, room): its name and description, one
//! `station.edit` operation based on the version the page was rendered from; a conflict shows
//! the current version with the organiser's input kept, nothing overwritten.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use marktplatz_model::model::Location;
use marktplatz_model::ops::{MAX_TITLE_CHARS, Op};

use super::apply::{FormVersion, Outcome, apply, found_or_answer};
use super::programme;
use super::words::{Words, words};
use crate::console::announce::fresh_key;
use crate::console::checked::{Checked, csrf_form};
use crate::console::page::{Chrome, Done, Message, html};
use crate::console::session::Signed;
use crate::http::extract::Query;
use crate::http::state::AppState;

#[derive(Default, Deserialize)]
pub struct PlaceForm {
    #[serde(flatten)]
    version: FormVersion,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
}

csrf_form!(PlaceForm: version.csrf);

#[derive(Template)]
#[template(path = "console/edit/place.html")]
struct PlacePage {
    c: Chrome,
    w: &'static Words,
    event: String,
    id: String,
    base: u64,
    key: String,
    name: String,
    description: String,
    name_error: Option<&'static str>,
    /// The place as stored now, after a conflict.
    conflict: Option<Location>,
}

/// The place and its version, or the answer when there is none (or a fault of ours).
async fn load_or_answer(
    state: &AppState,
    signed: &Signed,
    id: &str,
    w: &'static Words,
) -> Result<(u64, Location), Response> {
    let read = programme::location(state, signed.event(), id).await;
    found_or_answer(signed, read, w.places_heading, w.unknown_place).map_err(|answer| *answer)
}

pub async fn get_place(
    State(state): State<AppState>,
    signed: Signed,
    Path((_, id)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> Response {
    let w = words(signed.visitor.lang);
    let (seq, place) = match load_or_answer(&state, &signed, &id, w).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let message = match done.done.as_deref() {
        Some("saved") => Message::ok(w.saved),
        _ => None,
    };
    let form = PlaceForm {
        name: place.name.clone(),
        description: place.description.clone(),
        ..PlaceForm::default()
    };
    render(&signed, (seq, &place), form, None, false, message, 200)
}

pub async fn post_place(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    Checked { signed, form }: Checked<PlaceForm>,
) -> Response {
    let w = words(signed.visitor.lang);
    let (seq, place) = match load_or_answer(&state, &signed, &id, w).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let name = form.name.trim().to_string();
    if name.is_empty() || name.chars().count() > MAX_TITLE_CHARS {
        let message = Message::error(signed.visitor.lang.texts().failed);
        return render(
            &signed,
            (seq, &place),
            form,
            Some(w.err_name),
            false,
            message,
            422,
        );
    }
    let op = Op::StationEdit {
        id: id.clone(),
        name: Some(name),
        description: Some(form.description.trim().to_string()),
        position: None,
    };
    let saved = format!("/organiser/{}/places/{id}?done=saved", signed.event());
    let message = match apply(&state, &signed, &form.version, op, &saved).await {
        Outcome::Answered(answer) => return answer,
        Outcome::Conflict => {
            let (seq, now) = match load_or_answer(&state, &signed, &id, w).await {
                Ok(found) => found,
                Err(answer) => return answer,
            };
            let message = Message::error(w.place_conflict);
            return render(&signed, (seq, &now), form, None, true, message, 409);
        }
        Outcome::Refused(message) => message,
    };
    render(&signed, (seq, &place), form, None, false, message, 422)
}

/// The page: `form` holds what the fields show (the place's values, or the organiser's input
/// shown again); `conflict` shows `place` as the current version.
fn render(
    signed: &Signed,
    (seq, place): (u64, &Location),
    form: PlaceForm,
    name_error: Option<&'static str>,
    conflict: bool,
    message: Option<Message>,
    status: u16,
) -> Response {
    let w = words(signed.visitor.lang);
    html(
        signed.visitor,
        status,
        &PlacePage {
            c: signed.chrome(&place.name, "sessions").with(message),
            w,
            event: signed.event().to_string(),
            id: place.id.clone(),
            base: seq,
            key: fresh_key(),
            name: form.name,
            description: form.description,
            name_error,
            conflict: conflict.then(|| place.clone()),
        },
    )
}
