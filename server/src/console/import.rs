//! Importing a schedule file for a named source: upload, the preview of what publishing it
//! would do (`store::publish::preview_bundle_text`, as `POST /v1/events/{e}/bundle/preview`),
//! then confirm with a release note (`http::writes::publish`, as `PUT /v1/events/{e}/bundle`).
//! Between the two the imported bundle waits in `console_pending`, with the head it was
//! previewed against: if anything was published meanwhile, confirming is refused, so what is
//! published is exactly what was previewed.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use serde::Deserialize;

use marktplatz_import::{self as import, ImportOptions};
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::Entity;
use marktplatz_model::preview::{
    FieldEdit, REFUSAL_CHANGES_DAYS, REFUSAL_REMOVES_MOST_SESSIONS, Refusal,
    WARNING_KEPT_BY_OTHER_SOURCE, Warning,
};
use marktplatz_model::source::{EntityRef, MAX_NOTE_CHARS, Preview, is_valid_source};

use super::page::{self, Chrome, Message, html, see_other};
use super::session::Signed;
use super::text::Lang;
use crate::http::state::AppState;
use crate::http::writes;
use crate::store::releases::Publisher;
use crate::store::{self, StoreError, change_log, console};

/// How many entities of each group the preview lists (the counts are always complete).
const LISTED: usize = 200;

#[derive(Default)]
struct FieldErrors {
    source: Option<String>,
    file: Option<String>,
}

#[derive(Template)]
#[template(path = "console/import.html")]
struct ImportPage {
    c: Chrome,
    event: String,
    source: String,
    errors: FieldErrors,
}

struct Group {
    heading: &'static str,
    entries: Vec<String>,
}

struct Counts {
    added: u64,
    updated: u64,
    removed: u64,
    unchanged: u64,
}

#[derive(Template)]
#[template(path = "console/import_preview.html")]
struct PreviewPage {
    c: Chrome,
    event: String,
    source: String,
    format: String,
    counts: Counts,
    groups: Vec<Group>,
    warnings: Vec<String>,
    /// Why the publish needs the confirmation box ticked (the guards, ADR 0013); empty when
    /// it does not.
    refusals: Vec<String>,
    pending: String,
}

pub async fn get_import(signed: Signed) -> Response {
    form_page(&signed, String::new(), FieldErrors::default(), None)
}

/// The XLSX template with the German headers the importer reads (written by the importer from
/// its own header list).
pub async fn get_template(signed: Signed) -> Response {
    match import::template::xlsx() {
        Ok(bytes) => {
            let mut response = Response::new(Body::from(bytes));
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(XLSX_TYPE));
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"vorlage.xlsx\""),
            );
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "console: the XLSX template cannot be written");
            let t = signed.visitor.lang.texts();
            form_page(
                &signed,
                String::new(),
                FieldErrors::default(),
                Message::error(t.failed),
            )
        }
    }
}

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn form_page(
    signed: &Signed,
    source: String,
    errors: FieldErrors,
    message: Option<Message>,
) -> Response {
    let t = signed.visitor.lang.texts();
    let failed = errors.source.is_some() || errors.file.is_some() || message.is_some();
    let message = message.or_else(|| failed.then(|| Message::error(t.failed)).flatten());
    html(
        signed.visitor,
        if failed { 422 } else { 200 },
        &ImportPage {
            c: signed.chrome(t.import_title, "import").with(message),
            event: signed.event().to_string(),
            source,
            errors,
        },
    )
}

/// The upload's fields.
#[derive(Default)]
struct Upload {
    csrf: String,
    source: String,
    file: Vec<u8>,
}

/// Reads the multipart form from the body already held in memory.
async fn read_upload(headers: &HeaderMap, bytes: Bytes) -> Result<Upload, String> {
    let mut request = Request::new(Body::from(bytes));
    if let Some(content_type) = headers.get(header::CONTENT_TYPE) {
        request
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type.clone());
    }
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|e| e.body_text())?;
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "csrf" => upload.csrf = field.text().await.map_err(|e| e.body_text())?,
            "source" => upload.source = field.text().await.map_err(|e| e.body_text())?,
            "file" => upload.file = field.bytes().await.map_err(|e| e.body_text())?.to_vec(),
            _ => {}
        }
    }
    Ok(upload)
}

pub async fn post_import(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let t = signed.visitor.lang.texts();
    // Read like every other upload (`http::body`: size, pace, the shared memory budget); the
    // budget's share is held until the import is done.
    let held = match state
        .bodies
        .to_memory(
            &headers,
            body,
            state.config.max_body_bytes,
            "a schedule file",
        )
        .await
    {
        Ok(held) => held,
        Err(refused) => {
            let errors = FieldErrors {
                file: Some(format!("{} {}", t.err_read, refused.message)),
                ..FieldErrors::default()
            };
            return form_page(&signed, String::new(), errors, None);
        }
    };
    let upload = match read_upload(&headers, held.bytes.clone()).await {
        Ok(upload) => upload,
        Err(problem) => {
            let errors = FieldErrors {
                file: Some(format!("{} {problem}", t.err_read)),
                ..FieldErrors::default()
            };
            return form_page(&signed, String::new(), errors, None);
        }
    };
    if let Some(refused) = signed.refuse_forged(&upload.csrf) {
        return refused;
    }
    let source = upload.source.trim().to_string();
    let mut errors = FieldErrors::default();
    if !is_valid_source(&source) {
        errors.source = Some(t.err_source.to_string());
    }
    if upload.file.is_empty() {
        errors.file = Some(t.err_file.to_string());
    }
    if errors.source.is_some() || errors.file.is_some() {
        return form_page(&signed, source, errors, None);
    }
    let options = ImportOptions {
        event_id: Some(signed.event().to_string()),
        max_bytes: state.config.max_body_bytes,
        ..ImportOptions::default()
    };
    let imported = store::blocking("importing a file", move || {
        import::import(&upload.file, &options)
    })
    .await;
    let imported = match imported {
        Ok(Ok(imported)) => imported,
        Ok(Err(e)) => {
            let errors = FieldErrors {
                file: Some(format!("{} {e}", t.err_read)),
                ..FieldErrors::default()
            };
            return form_page(&signed, source, errors, None);
        }
        Err(e) => return page::failure(signed.visitor, &e),
    };
    let by = Publisher {
        source: source.clone(),
        subject: signed.session.subject.clone(),
        note: String::new(),
        confirmed: false,
    };
    let german = signed.visitor.lang == Lang::De;
    let format = imported.format.describe().to_string();
    let mut warnings: Vec<String> = imported.warnings.iter().map(|w| w.line(german)).collect();
    let bundle = imported.bundle;
    let names = names_of(&bundle);
    let shown = match preview_and_keep(&state, &signed, by, bundle).await {
        Ok(shown) => shown,
        Err(e) => return refused_or_failed(&signed, source, e),
    };
    let (preview, pending) = shown;
    let named = |kind: &str, id: &str| match names.get(&(kind.to_string(), id.to_string())) {
        Some(name) => format!("{kind}: {id} – {name}"),
        None => format!("{kind}: {id}"),
    };
    let refs = |heading, list: &[EntityRef]| Group {
        heading,
        entries: list
            .iter()
            .take(LISTED)
            .map(|e| named(&e.kind, &e.id))
            .collect(),
    };
    let edits = |heading, list: &[FieldEdit]| Group {
        heading,
        entries: list
            .iter()
            .take(LISTED)
            .map(|e| {
                format!(
                    "{}: {} ({}: {}; {}: {})",
                    named(&e.kind, &e.id),
                    e.field,
                    t.phone_value,
                    shown_value(e.edit.as_ref()),
                    t.file_value,
                    shown_value(e.file.as_ref())
                )
            })
            .collect(),
    };
    let updated = Group {
        heading: t.updated,
        entries: preview
            .updated
            .iter()
            .take(LISTED)
            .map(|change| {
                let fields: Vec<String> = change
                    .fields
                    .iter()
                    .map(|f| {
                        format!(
                            "{}: {} → {}",
                            f.field,
                            shown_value(f.old.as_ref()),
                            shown_value(f.new.as_ref())
                        )
                    })
                    .collect();
                format!(
                    "{} ({})",
                    named(&change.kind, &change.id),
                    fields.join("; ")
                )
            })
            .collect(),
    };
    let groups = [
        refs(t.added, &preview.added),
        updated,
        refs(t.removed, &preview.removed),
        edits(t.overridden, &preview.overridden),
        edits(t.kept, &preview.kept),
    ]
    .into_iter()
    .filter(|g| !g.entries.is_empty())
    .collect();
    warnings.extend(preview.warnings.iter().map(|w| plan_warning(w, german)));
    let refusals = preview
        .refusals
        .iter()
        .map(|r| refusal(r, &source, german))
        .collect();
    let outcome = &preview.outcome;
    html(
        signed.visitor,
        200,
        &PreviewPage {
            c: signed.chrome(t.preview_title, "import"),
            event: signed.event().to_string(),
            source,
            format,
            counts: Counts {
                added: outcome.added,
                updated: outcome.updated,
                removed: outcome.removed,
                unchanged: outcome.unchanged,
            },
            groups,
            warnings,
            refusals,
            pending,
        },
    )
}

/// A field's value as the preview lists it: text as it reads, anything else as JSON, cut short.
fn shown_value(value: Option<&serde_json::Value>) -> String {
    const SHOWN_CHARS: usize = 80;
    let text = match value {
        None | Some(serde_json::Value::Null) => return "–".to_string(),
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    };
    if text.chars().count() > SHOWN_CHARS {
        let cut: String = text.chars().take(SHOWN_CHARS).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// A warning of the publish plan in the page's language (the server's own text is English).
fn plan_warning(warning: &Warning, german: bool) -> String {
    match (warning.code.as_str(), german) {
        (WARNING_KEPT_BY_OTHER_SOURCE, true) => format!(
            "{} „{}“ ist nicht mehr in dieser Datei, aber eine andere Quelle nennt es: es bleibt",
            warning.kind, warning.id
        ),
        _ => warning.message.clone(),
    }
}

/// Why a guard holds the publish, in the page's language.
pub(super) fn refusal(refusal: &Refusal, source: &str, german: bool) -> String {
    match (refusal.code.as_str(), german) {
        (REFUSAL_REMOVES_MOST_SESSIONS, true) => format!(
            "Das würde {} der {} Programmpunkte entfernen, die die Quelle „{source}“ zuletzt veröffentlicht hat (die falsche Datei?).",
            refusal.removed, refusal.of
        ),
        (REFUSAL_CHANGES_DAYS, true) => "Das würde die Tage der Veranstaltung ändern.".to_string(),
        _ => refusal.message.clone(),
    }
}

/// What the organiser calls each entity of the bundle (a title or a name), by kind and id: ids
/// of places and people are generated and mean nothing to them.
fn names_of(bundle: &Bundle) -> HashMap<(String, String), String> {
    bundle
        .entities()
        .iter()
        .filter_map(|entity| {
            let name = match entity {
                Entity::Event(e) => &e.title,
                Entity::Location(e) => &e.name,
                Entity::Track(e) => &e.name,
                Entity::Session(e) => &e.title,
                Entity::Speaker(e) => &e.name,
                Entity::Exhibitor(e) => &e.name,
                Entity::Announcement(e) => &e.title,
                Entity::InfoPage(e) => &e.title,
                Entity::GalleryItem(_) => return None,
            };
            let key = (entity.kind().as_str().to_string(), entity.id().to_string());
            Some((key, name.clone()))
        })
        .collect()
}

/// The preview of publishing `bundle` as `by`, and the id under which it waits for its
/// confirmation.
async fn preview_and_keep(
    state: &AppState,
    signed: &Signed,
    by: Publisher,
    bundle: Bundle,
) -> store::Result<(Preview, String)> {
    let text =
        serde_json::to_string(&bundle).map_err(|e| StoreError::internal("encoding a bundle", e))?;
    let source = by.source.clone();
    let preview = writes::preview(state, signed.event(), by, text.clone()).await?;
    let session = signed.session.clone();
    let head_seq = preview.outcome.seq;
    let pending = state
        .db
        .write(move |tx| console::keep_pending(tx, &session, &source, &text, head_seq))
        .await?;
    Ok((preview, pending))
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pending: String,
    #[serde(default)]
    note: String,
    /// Ticked when the preview needed confirmation (the guards) and the organiser gave it.
    #[serde(default)]
    confirm_guard: String,
}

pub async fn post_confirm(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<ConfirmForm>,
) -> Response {
    if let Some(refused) = signed.refuse_forged(&form.csrf) {
        return refused;
    }
    let t = signed.visitor.lang.texts();
    let note = form.note.trim().to_string();
    if note.chars().count() > MAX_NOTE_CHARS {
        let text = format!(
            "{} {} {MAX_NOTE_CHARS} {}",
            t.failed, t.err_note_long, t.err_note_long_unit
        );
        return form_page(
            &signed,
            String::new(),
            FieldErrors::default(),
            Message::error(text),
        );
    }
    let (session, pending_id) = (signed.session.clone(), form.pending);
    let event = signed.event().to_string();
    let taken = state
        .db
        .write(move |tx| {
            let pending = console::take_pending(tx, &session, &pending_id)?;
            let head = change_log::head(tx, &event)?.map_or(0, |h| h.seq);
            Ok(pending.map(|p| (p, head)))
        })
        .await;
    let pending = match taken {
        Ok(Some((pending, head))) if head == pending.head_seq => pending,
        Ok(Some(_)) => {
            return form_page(
                &signed,
                String::new(),
                FieldErrors::default(),
                Message::error(t.err_stale),
            );
        }
        Ok(None) => {
            return form_page(
                &signed,
                String::new(),
                FieldErrors::default(),
                Message::error(t.err_gone),
            );
        }
        Err(e) => return page::failure(signed.visitor, &e),
    };
    let by = Publisher {
        source: pending.source.clone(),
        subject: signed.session.subject.clone(),
        note,
        confirmed: form.confirm_guard == "yes",
    };
    let bundle = pending.bundle;
    let published = writes::publish(&state, signed.event(), "console", by, None, move || {
        Ok(Bundle::from_json(&bundle)?)
    })
    .await;
    match published {
        Ok(_) => {
            let number = state
                .db
                .read({
                    let event = signed.event().to_string();
                    move |tx| Ok(store::releases::list(tx, &event)?.first().map(|r| r.number))
                })
                .await
                .ok()
                .flatten()
                .unwrap_or(0);
            see_other(
                &format!("/organiser/{}/?released={number}", signed.event()),
                &[],
            )
        }
        Err(e) => refused_or_failed(&signed, pending.source, e),
    }
}

fn refused_or_failed(signed: &Signed, source: String, error: StoreError) -> Response {
    let t = signed.visitor.lang.texts();
    match page::client_error(&error) {
        Some(text) => form_page(
            signed,
            source,
            FieldErrors::default(),
            Message::error(format!("{} {text}", t.failed)),
        ),
        None => page::failure(signed.visitor, &error),
    }
}
