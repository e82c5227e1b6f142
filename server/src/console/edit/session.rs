//! The edit page of one session: four small forms (title and text, place, time, cancel or
//! reinstate), each one organiser operation based on the version the page was rendered from.
//! A mistake is shown at its field; a conflict (someone else changed the session since) shows
//! the current version with the organiser's input kept, and nothing is overwritten.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use marktplatz_model::model::{Location, Session, SessionStatus};
use marktplatz_model::ops::{MAX_TITLE_CHARS, Op};
use marktplatz_model::zone::Zone;

use super::apply::{FormVersion, Outcome, apply, found_or_answer};
use super::programme::{self, Versioned, instant, local_fields, parse_date, parse_time};
use super::words::{Words, words};
use crate::console::announce::{event_zone, fresh_key};
use crate::console::checked::{Checked, csrf_form};
use crate::console::page::{Chrome, Done, Message, html};
use crate::console::session::Signed;
use crate::http::extract::Query;
use crate::http::state::AppState;
use crate::store;

/// What one of the page's forms sends; `action` says which.
#[derive(Default, Deserialize)]
pub struct EditForm {
    #[serde(flatten)]
    version: FormVersion,
    #[serde(default)]
    action: String,
    #[serde(default)]
    title: String,
    #[serde(default, rename = "abstract")]
    abstract_text: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
}

csrf_form!(EditForm: version.csrf);

/// The values the forms show: the session's, or the organiser's own input when a form is
/// shown again (a mistake or a conflict).
struct Draft {
    title: String,
    abstract_text: String,
    description: String,
    place: String,
    date: String,
    start: String,
    end: String,
}

impl Draft {
    fn of(session: &Session, zone: Zone) -> Draft {
        let (date, start) = local_fields(session.start, zone);
        let (_, end) = local_fields(session.end, zone);
        Draft {
            title: session.title.clone(),
            abstract_text: session.abstract_text.clone(),
            description: session.description.clone(),
            place: session.location_id.clone().unwrap_or_default(),
            date,
            start,
            end,
        }
    }

    /// The fields of the form that was sent replace the session's.
    fn keep(mut self, form: EditForm) -> Draft {
        match form.action.as_str() {
            "text" => {
                self.title = form.title;
                self.abstract_text = form.abstract_text;
                self.description = form.description;
            }
            "move" => self.place = form.place,
            "retime" => {
                self.date = form.date;
                self.start = form.start;
                self.end = form.end;
            }
            _ => {}
        }
        self
    }
}

#[derive(Default)]
struct FieldErrors {
    title: Option<&'static str>,
    place: Option<&'static str>,
    date: Option<&'static str>,
    start: Option<&'static str>,
    end: Option<&'static str>,
}

impl FieldErrors {
    fn any(&self) -> bool {
        self.title.is_some()
            || self.place.is_some()
            || self.date.is_some()
            || self.start.is_some()
            || self.end.is_some()
    }
}

/// A place in the form's choice.
struct Place {
    id: String,
    name: String,
}

/// The session as stored now, shown when a form was based on an older version.
struct Current {
    title: String,
    place: String,
    time: String,
    status: &'static str,
    description: String,
}

/// A fresh idempotency key for each of the page's forms.
struct Keys {
    text: String,
    place: String,
    time: String,
    status: String,
}

impl Keys {
    fn fresh() -> Keys {
        Keys {
            text: fresh_key(),
            place: fresh_key(),
            time: fresh_key(),
            status: fresh_key(),
        }
    }
}

#[derive(Template)]
#[template(path = "console/edit/session.html")]
struct SessionPage {
    c: Chrome,
    w: &'static Words,
    event: String,
    id: String,
    base: u64,
    cancelled: bool,
    keys: Keys,
    draft: Draft,
    errors: FieldErrors,
    places: Vec<Place>,
    conflict: Option<Current>,
}

impl SessionPage {
    fn is_place(&self, id: &str) -> bool {
        self.draft.place == id
    }
}

/// What the page is made from.
struct Loaded {
    zone: Zone,
    current: Versioned,
    locations: Vec<Location>,
}

async fn load(state: &AppState, event: &str, id: &str) -> store::Result<Option<Loaded>> {
    let zone = event_zone(state, event).await?;
    let Some(current) = programme::session(state, event, id).await? else {
        return Ok(None);
    };
    let locations = programme::locations(state, event).await?;
    Ok(Some(Loaded {
        zone,
        current,
        locations,
    }))
}

/// What the page is made from, or the answer when it cannot be made (no such session in this
/// event, a fault of ours).
async fn load_or_answer(
    state: &AppState,
    signed: &Signed,
    id: &str,
    w: &'static Words,
) -> Result<Loaded, Response> {
    let read = load(state, signed.event(), id).await;
    found_or_answer(signed, read, w.sessions, w.unknown_session).map_err(|answer| *answer)
}

pub async fn get_session(
    State(state): State<AppState>,
    signed: Signed,
    Path((_, id)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> Response {
    let w = words(signed.visitor.lang);
    let loaded = match load_or_answer(&state, &signed, &id, w).await {
        Ok(loaded) => loaded,
        Err(answer) => return answer,
    };
    let message = match done.done.as_deref() {
        Some("saved") => Message::ok(w.saved),
        _ => None,
    };
    let draft = Draft::of(&loaded.current.session, loaded.zone);
    render(
        &signed,
        loaded,
        draft,
        FieldErrors::default(),
        false,
        message,
        200,
    )
}

pub async fn post_session(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    Checked { signed, form }: Checked<EditForm>,
) -> Response {
    let w = words(signed.visitor.lang);
    let loaded = match load_or_answer(&state, &signed, &id, w).await {
        Ok(loaded) => loaded,
        Err(answer) => return answer,
    };
    let (op, errors) = operation(&id, &form, &loaded);
    let draft = Draft::of(&loaded.current.session, loaded.zone);
    let saved = format!("/organiser/{}/sessions/{id}?done=saved", signed.event());
    let message = match op {
        None if errors.any() => Message::error(signed.visitor.lang.texts().failed),
        None => Message::error(w.err_unknown_action),
        Some(op) => match apply(&state, &signed, &form.version, op, &saved).await {
            Outcome::Answered(answer) => return answer,
            Outcome::Conflict => return conflicted(&state, &signed, &id, form, w).await,
            Outcome::Refused(message) => message,
        },
    };
    render(
        &signed,
        loaded,
        draft.keep(form),
        errors,
        false,
        message,
        422,
    )
}

/// The page again after a conflict: read afresh, the current version shown, the organiser's
/// input kept in its form (now based on the current version, so sending it again is their
/// choice).
async fn conflicted(
    state: &AppState,
    signed: &Signed,
    id: &str,
    form: EditForm,
    w: &'static Words,
) -> Response {
    let loaded = match load_or_answer(state, signed, id, w).await {
        Ok(loaded) => loaded,
        Err(answer) => return answer,
    };
    let draft = Draft::of(&loaded.current.session, loaded.zone).keep(form);
    let message = Message::error(w.conflict);
    render(
        signed,
        loaded,
        draft,
        FieldErrors::default(),
        true,
        message,
        409,
    )
}

/// The operation the form asks for, or what is wrong with it.
fn operation(id: &str, form: &EditForm, loaded: &Loaded) -> (Option<Op>, FieldErrors) {
    let mut errors = FieldErrors::default();
    let id = id.to_string();
    let op = match form.action.as_str() {
        "text" => {
            let title = form.title.trim();
            if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
                errors.title = Some("title");
                None
            } else {
                Some(Op::SessionEdit {
                    id,
                    title: Some(title.to_string()),
                    subtitle: None,
                    abstract_text: Some(form.abstract_text.trim().to_string()),
                    description: Some(form.description.trim().to_string()),
                })
            }
        }
        "move" => {
            let place = form.place.trim();
            if loaded.locations.iter().any(|l| l.id == place) {
                Some(Op::SessionMove {
                    id,
                    location_id: place.to_string(),
                })
            } else {
                errors.place = Some("place");
                None
            }
        }
        "retime" => {
            let date = parse_date(&form.date);
            let start = parse_time(&form.start);
            let end = parse_time(&form.end);
            errors.date = date.is_none().then_some("date");
            errors.start = start.is_none().then_some("time");
            errors.end = end.is_none().then_some("time");
            match (date, start, end) {
                (Some(date), Some(start), Some(end)) => {
                    let zone = loaded.zone;
                    match (instant(date, start, zone), instant(date, end, zone)) {
                        (Some(start), Some(end)) if end > start => {
                            Some(Op::SessionRetime { id, start, end })
                        }
                        (None, _) => {
                            errors.start = Some("time");
                            None
                        }
                        _ => {
                            errors.end = Some("end");
                            None
                        }
                    }
                }
                _ => None,
            }
        }
        "cancel" => Some(Op::SessionCancel { id }),
        "reinstate" => Some(Op::SessionReinstate { id }),
        _ => None,
    };
    (op, errors)
}

/// The sentence for an error's name, in the page's language.
fn sentence(w: &'static Words, name: Option<&'static str>) -> Option<&'static str> {
    name.map(|name| match name {
        "title" => w.err_title,
        "place" => w.err_place,
        "date" => w.err_date,
        "end" => w.err_end,
        _ => w.err_time,
    })
}

fn render(
    signed: &Signed,
    loaded: Loaded,
    draft: Draft,
    errors: FieldErrors,
    conflict: bool,
    message: Option<Message>,
    status: u16,
) -> Response {
    let w = words(signed.visitor.lang);
    let Loaded {
        zone,
        current,
        locations,
    } = loaded;
    let session = current.session;
    let cancelled = session.status == SessionStatus::Cancelled;
    let conflict = conflict.then(|| {
        let (date, start) = local_fields(session.start, zone);
        let (_, end) = local_fields(session.end, zone);
        Current {
            title: session.title.clone(),
            place: programme::place_name(&locations, session.location_id.as_ref(), w.no_place),
            time: format!("{date} {start}–{end}"),
            status: if cancelled { w.cancelled } else { w.scheduled },
            description: session.description.clone(),
        }
    });
    let errors = FieldErrors {
        title: sentence(w, errors.title),
        place: sentence(w, errors.place),
        date: sentence(w, errors.date),
        start: sentence(w, errors.start),
        end: sentence(w, errors.end),
    };
    let places = locations
        .iter()
        .map(|l| Place {
            id: l.id.clone(),
            name: l.name.clone(),
        })
        .collect();
    html(
        signed.visitor,
        status,
        &SessionPage {
            c: signed.chrome(&session.title, "sessions").with(message),
            w,
            event: signed.event().to_string(),
            id: session.id.clone(),
            base: current.seq,
            cancelled,
            keys: Keys::fresh(),
            draft,
            errors,
            places,
            conflict,
        },
    )
}
