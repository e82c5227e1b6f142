//! The exhibitors (`/organiser/{event}/edit/exhibitors`) and one edit page each: name,
//! description, topics, contact (website, e-mail, telephone) and a logo, one `exhibitor.edit`
//! operation based on the version the page was rendered from. The form is multipart because
//! of the logo (read by `upload_form`: the session before the body, the CSRF token first);
//! the logo is stripped like a photo and stored only once every field is right. A field the
//! model refuses is marked at the field (422); a change made meanwhile by someone else is a
//! conflict (409) with the current version shown and the organiser's input kept.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use marktplatz_model::Error as ModelError;
use marktplatz_model::model::{AssetRef, Exhibitor};
use marktplatz_model::ops::Op;

use super::apply::{FormVersion, Outcome, apply, found_or_answer};
use super::exhibitor_words::{ExhibitorWords, exhibitor_words};
use super::programme;
use super::words::{Words, words};
use crate::console::announce::fresh_key;
use crate::console::page::{self, Chrome, Done, Message, html};
use crate::console::session::Signed;
use crate::console::upload_form::{UploadForm, Uploaded};
use crate::http::extract::Query;
use crate::http::state::AppState;
use crate::store::{self, photos};

/// An exhibitor in the list.
struct Row {
    id: String,
    name: String,
    topics: String,
}

#[derive(Template)]
#[template(path = "console/edit/exhibitors.html")]
struct ListPage {
    c: Chrome,
    x: &'static ExhibitorWords,
    event: String,
    rows: Vec<Row>,
}

pub async fn get_exhibitors(State(state): State<AppState>, signed: Signed) -> Response {
    let x = exhibitor_words(signed.visitor.lang);
    let exhibitors = match programme::exhibitors(&state, signed.event()).await {
        Ok(exhibitors) => exhibitors,
        Err(e) => return page::failure(signed.visitor, &e),
    };
    let rows = exhibitors
        .into_iter()
        .map(|(_, e)| Row {
            topics: e.topics.join(", "),
            id: e.id,
            name: e.name,
        })
        .collect();
    html(
        signed.visitor,
        200,
        &ListPage {
            c: signed.chrome(x.exhibitors, "sessions"),
            x,
            event: signed.event().to_string(),
            rows,
        },
    )
}

/// What the form's fields show: the exhibitor's values, or the organiser's input again.
#[derive(Default)]
struct Fields {
    name: String,
    description: String,
    topics: String,
    website: String,
    email: String,
    phone: String,
}

impl Fields {
    fn of(e: &Exhibitor) -> Fields {
        let contact = e.contact.clone().unwrap_or_default();
        Fields {
            name: e.name.clone(),
            description: e.description.clone(),
            topics: e.topics.join("\n"),
            website: e.website.clone().unwrap_or_default(),
            email: contact.email.unwrap_or_default(),
            phone: contact.phone.unwrap_or_default(),
        }
    }

    fn from_form(form: &UploadForm) -> Fields {
        Fields {
            name: form.text("name").to_string(),
            description: form.text("description").to_string(),
            topics: form.text("topics").to_string(),
            website: form.text("website").to_string(),
            email: form.text("email").to_string(),
            phone: form.text("phone").to_string(),
        }
    }
}

/// A mistake at each field (`None`: right).
#[derive(Default)]
struct Errors {
    name: Option<String>,
    website: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    logo: Option<String>,
}

impl Errors {
    fn any(&self) -> bool {
        [
            &self.name,
            &self.website,
            &self.email,
            &self.phone,
            &self.logo,
        ]
        .iter()
        .any(|e| e.is_some())
    }
}

#[derive(Template)]
#[template(path = "console/edit/exhibitor.html")]
struct EditPage {
    c: Chrome,
    w: &'static Words,
    x: &'static ExhibitorWords,
    event: String,
    id: String,
    base: u64,
    key: String,
    logo: Option<String>,
    f: Fields,
    errors: Errors,
    conflict: Option<Fields>,
}

/// The exhibitor and its version, or the answer when there is none.
async fn load_or_answer(
    state: &AppState,
    signed: &Signed,
    id: &str,
) -> Result<(u64, Exhibitor), Response> {
    let x = exhibitor_words(signed.visitor.lang);
    let read = programme::exhibitors(state, signed.event())
        .await
        .map(|all| all.into_iter().find(|(_, e)| e.id == id));
    found_or_answer(signed, read, x.exhibitors, x.unknown).map_err(|answer| *answer)
}

/// The page: `f` is what the fields show; `conflict` shows `current` as the stored version.
fn render(
    signed: &Signed,
    (seq, current): (u64, &Exhibitor),
    f: Fields,
    errors: Errors,
    conflict: bool,
    (message, status): (Option<Message>, u16),
) -> Response {
    let x = exhibitor_words(signed.visitor.lang);
    html(
        signed.visitor,
        status,
        &EditPage {
            c: signed.chrome(&current.name, "sessions").with(message),
            w: words(signed.visitor.lang),
            x,
            event: signed.event().to_string(),
            id: current.id.clone(),
            base: seq,
            key: fresh_key(),
            logo: current
                .logo
                .as_ref()
                .map(|l| format!("/v1/assets/{}", l.sha256)),
            f,
            errors,
            conflict: conflict.then(|| Fields::of(current)),
        },
    )
}

pub async fn get_exhibitor(
    State(state): State<AppState>,
    signed: Signed,
    Path((_, id)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> Response {
    let (seq, current) = match load_or_answer(&state, &signed, &id).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let message = done.message(&[("saved", words(signed.visitor.lang).saved)]);
    let f = Fields::of(&current);
    render(
        &signed,
        (seq, &current),
        f,
        Errors::default(),
        false,
        (message, 200),
    )
}

/// The operation the fields ask for (the logo added once it is stored).
fn operation(id: &str, f: &Fields) -> Op {
    let topics = f
        .topics
        .lines()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    Op::ExhibitorEdit {
        id: id.to_string(),
        name: Some(f.name.trim().to_string()),
        description: Some(f.description.trim().to_string()),
        station_id: None,
        topics: Some(topics),
        website: Some(f.website.trim().to_string()),
        email: Some(f.email.trim().to_string()),
        phone: Some(f.phone.trim().to_string()),
        logo: None,
    }
}

/// The model's verdict on the operation, as mistakes at the fields.
fn field_errors(op: &Op, w: &Words, x: &ExhibitorWords) -> Errors {
    let mut errors = Errors::default();
    if let Err(ModelError::Invalid { field, .. }) = op.check() {
        let slot = match field.as_str() {
            "website" => (&mut errors.website, x.err_website),
            "email" => (&mut errors.email, x.err_email),
            "phone" => (&mut errors.phone, x.err_phone),
            _ => (&mut errors.name, w.err_name),
        };
        *slot.0 = Some(slot.1.to_string());
    }
    errors
}

pub async fn post_exhibitor(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    Uploaded { signed, form }: Uploaded,
) -> Response {
    let t = signed.visitor.lang.texts();
    let (w, x) = (
        words(signed.visitor.lang),
        exhibitor_words(signed.visitor.lang),
    );
    let (seq, current) = match load_or_answer(&state, &signed, &id).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let failed = || (Message::error(t.failed), 422);
    let form = match form {
        Ok(form) => form,
        Err(problem) => {
            let errors = Errors {
                logo: Some(format!("{} {problem}", t.err_read)),
                ..Errors::default()
            };
            let f = Fields::of(&current);
            return render(&signed, (seq, &current), f, errors, false, failed());
        }
    };
    let f = Fields::from_form(&form);
    let mut op = operation(&id, &f);
    let mut errors = field_errors(&op, w, x);
    let logo_file = form.files("logo").first().copied();
    let stripped = logo_file.map(|file| {
        photos::strip(&file.bytes).map_err(|e| format!("„{}“ {}: {e}", file.name, x.err_logo))
    });
    if let Some(Err(problem)) = &stripped {
        errors.logo = Some(problem.clone());
    }
    if errors.any() {
        return render(&signed, (seq, &current), f, errors, false, failed());
    }
    if let Some(Ok(stripped)) = stripped {
        let (db, data_dir) = (state.db.clone(), state.config.data_dir.clone());
        let stored = store::blocking("storing a logo", move || {
            photos::store(&db, &data_dir, &stripped)
        })
        .await
        .and_then(|stored| stored);
        match stored {
            Ok(logo) => set_logo(&mut op, logo),
            Err(e) => return page::failure(signed.visitor, &e),
        }
    }
    let version = FormVersion {
        csrf: String::new(),
        key: form.text("key").to_string(),
        base: form.text("base").to_string(),
    };
    let saved = format!(
        "/organiser/{}/edit/exhibitors/{id}?done=saved",
        signed.event()
    );
    let message = match apply(&state, &signed, &version, op, &saved).await {
        Outcome::Answered(answer) => return answer,
        Outcome::Conflict => {
            let (seq, now) = match load_or_answer(&state, &signed, &id).await {
                Ok(found) => found,
                Err(answer) => return answer,
            };
            let shown = (Message::error(x.conflict), 409);
            return render(&signed, (seq, &now), f, Errors::default(), true, shown);
        }
        Outcome::Refused(message) => message,
    };
    render(
        &signed,
        (seq, &current),
        f,
        Errors::default(),
        false,
        (message, 422),
    )
}

fn set_logo(op: &mut Op, stored: AssetRef) {
    if let Op::ExhibitorEdit { logo, .. } = op {
        *logo = Some(stored);
    }
}
