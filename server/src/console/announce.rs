//! Announcements: compose (priority normal or urgent, optional expiry in the event's local
//! time), preview as attendees will see it, publish, retract; the live list. Publishing and
//! retracting are organiser operations through `http::writes::apply_op`, the same path as
//! `POST /v1/events/{e}/ops`; each form carries its own idempotency key, so a form sent twice
//! is applied once.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::Deserialize;

use marktplatz_model::model::{Announcement, Entity, EntityKind, Event, Priority};
use marktplatz_model::ops::{Op, OpRequest, is_valid_key};
use marktplatz_model::wire::code;
use marktplatz_model::zone::Zone;

use super::page::{self, Chrome, Done, Message, html, see_other};
use super::session::Signed;
use super::text::Texts;
use crate::http::extract::Query;
use crate::http::state::AppState;
use crate::http::writes;
use crate::store::{self, StoreError, change_log};

/// The longest title the form accepts (the phones show it in a banner).
const MAX_TITLE_CHARS: usize = 200;
const MAX_BODY_CHARS: usize = 2000;
/// How an expiry is written in the form (`<input type="datetime-local">`).
const LOCAL_FORMATS: [&str; 2] = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"];
const DEFAULT_ZONE: &str = "Europe/Berlin";

/// An announcement as a card shows it.
struct Card {
    id: String,
    seq: u64,
    /// A fresh idempotency key for its retract form.
    key: String,
    title: String,
    body: String,
    priority: &'static str,
    urgent: bool,
    until: String,
}

#[derive(Default, Deserialize)]
pub struct AnnounceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    expires: String,
    #[serde(default)]
    action: String,
}

impl AnnounceForm {
    fn is_urgent(&self) -> bool {
        self.priority == "urgent"
    }
}

#[derive(Default)]
struct FieldErrors {
    title: Option<&'static str>,
    expires: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "console/announce.html")]
struct AnnouncePage {
    c: Chrome,
    event: String,
    key: String,
    form: AnnounceForm,
    errors: FieldErrors,
    preview: Option<Card>,
    live: Vec<Card>,
}

pub async fn get_announce(
    State(state): State<AppState>,
    signed: Signed,
    Query(done): Query<Done>,
) -> Response {
    let t = signed.visitor.lang.texts();
    let message = match done.done.as_deref() {
        Some("announced") => Message::ok(t.announced),
        Some("retracted") => Message::ok(t.retracted),
        _ => None,
    };
    render(
        &state,
        &signed,
        AnnounceForm::default(),
        FieldErrors::default(),
        None,
        message,
    )
    .await
}

pub async fn post_announce(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<AnnounceForm>,
) -> Response {
    if let Some(refused) = signed.refuse_forged(&form.csrf) {
        return refused;
    }
    let t = signed.visitor.lang.texts();
    let zone = match event_zone(&state, signed.event()).await {
        Ok(zone) => zone,
        Err(e) => return page::failure(signed.visitor, &e),
    };
    let (card, errors) = check(t, &form, zone);
    let card = match card {
        Some(card) if form.action == "publish" => card,
        // A preview, or a form with mistakes: shown again, nothing sent.
        card => return render(&state, &signed, form, errors, card, None).await,
    };
    let op = Op::AnnouncementCreate {
        // One id per form: a form sent twice names the same announcement.
        id: format!("console-{}", form.key.chars().take(16).collect::<String>()),
        title: card.title.clone(),
        body: card.body.clone(),
        priority: if card.urgent {
            Priority::Urgent
        } else {
            Priority::Normal
        },
        published_at: Utc::now(),
        expires_at: parse_local(&form.expires, zone).ok().flatten(),
    };
    match send(&state, &signed, &form.key, 0, op).await {
        Ok(()) => see_other(
            &format!("/organiser/{}/announce?done=announced", signed.event()),
            &[],
        ),
        Err(e) => refused_or_failed(&state, &signed, form, e).await,
    }
}

#[derive(Deserialize)]
pub struct RetractForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    key: String,
    id: String,
    base: u64,
}

pub async fn post_retract(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<RetractForm>,
) -> Response {
    if let Some(refused) = signed.refuse_forged(&form.csrf) {
        return refused;
    }
    let op = Op::AnnouncementRetract { id: form.id };
    match send(&state, &signed, &form.key, form.base, op).await {
        Ok(()) => see_other(
            &format!("/organiser/{}/announce?done=retracted", signed.event()),
            &[],
        ),
        Err(e) => refused_or_failed(&state, &signed, AnnounceForm::default(), e).await,
    }
}

/// Applies `op` as the session's organiser, through the same function as the HTTP API.
pub(super) async fn send(
    state: &AppState,
    signed: &Signed,
    key: &str,
    base: u64,
    op: Op,
) -> store::Result<()> {
    // The key comes from our own form; one that is not is refused as the API refuses it.
    if !is_valid_key(key) {
        return Err(StoreError::Malformed {
            code: code::BAD_REQUEST,
            message: "the form's key is not valid; reload the page".into(),
        });
    }
    let request = OpRequest {
        event: signed.event().to_string(),
        base,
        op,
    };
    let body = serde_json::to_vec(&request)
        .map_err(|e| StoreError::internal("encoding an operation", e))?;
    writes::apply_op(
        state,
        signed.event(),
        signed.principal(),
        key.to_string(),
        body,
    )
    .await?;
    Ok(())
}

/// A refusal the organiser can act on is shown above the form (their text kept); a form sent
/// twice is already done; a fault of ours gets the failure page.
async fn refused_or_failed(
    state: &AppState,
    signed: &Signed,
    form: AnnounceForm,
    error: StoreError,
) -> Response {
    let t = signed.visitor.lang.texts();
    if error.code() == code::KEY_REUSED {
        return see_other(
            &format!("/organiser/{}/announce?done=announced", signed.event()),
            &[],
        );
    }
    match page::client_error(&error) {
        Some(text) => {
            let message = Message::error(format!("{} {text}", t.failed));
            render(state, signed, form, FieldErrors::default(), None, message).await
        }
        None => page::failure(signed.visitor, &error),
    }
}

/// The card the form would publish, and what is wrong with the form.
fn check(t: &'static Texts, form: &AnnounceForm, zone: Zone) -> (Option<Card>, FieldErrors) {
    let mut errors = FieldErrors::default();
    let title = form.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        errors.title = Some(t.err_title);
    }
    let expires = match parse_local(&form.expires, zone) {
        Ok(Some(at)) if at <= Utc::now() => {
            errors.expires = Some(t.err_expires);
            None
        }
        Ok(at) => at,
        Err(()) => {
            errors.expires = Some(t.err_expires);
            None
        }
    };
    if errors.title.is_some() || errors.expires.is_some() {
        return (None, errors);
    }
    let body: String = form.body.trim().chars().take(MAX_BODY_CHARS).collect();
    let urgent = form.is_urgent();
    let card = Card {
        id: String::new(),
        seq: 0,
        key: String::new(),
        title: title.to_string(),
        body,
        priority: if urgent { "urgent" } else { "normal" },
        urgent,
        until: expires.map(|at| local_text(at, zone)).unwrap_or_default(),
    };
    (Some(card), errors)
}

/// `Ok(None)`: no expiry given.
fn parse_local(text: &str, zone: Zone) -> Result<Option<DateTime<Utc>>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let naive = LOCAL_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .ok_or(())?;
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|at| Some(at.with_timezone(&Utc)))
        .ok_or(())
}

fn local_text(at: DateTime<Utc>, zone: Zone) -> String {
    at.with_timezone(&zone).format("%d.%m.%Y %H:%M").to_string()
}

/// The event's time zone (from its published event entity), Europe/Berlin before it has one.
pub(super) async fn event_zone(state: &AppState, event: &str) -> store::Result<Zone> {
    let event = event.to_string();
    let bodies = state
        .db
        .read(move |tx| change_log::live_of_kind(tx, &event, EntityKind::Event))
        .await?;
    let named =
        bodies.first().and_then(
            |(_, _, body)| match Entity::from_json(EntityKind::Event, body) {
                Ok(Entity::Event(Event { timezone, .. })) => Zone::named(&timezone),
                _ => None,
            },
        );
    Ok(named
        .or_else(|| Zone::named(DEFAULT_ZONE))
        .unwrap_or(Zone::UTC))
}

async fn render(
    state: &AppState,
    signed: &Signed,
    form: AnnounceForm,
    errors: FieldErrors,
    preview: Option<Card>,
    mut message: Option<Message>,
) -> Response {
    let t = signed.visitor.lang.texts();
    let event = signed.event().to_string();
    let zone = event_zone(state, &event).await.unwrap_or(Zone::UTC);
    let read = state
        .db
        .read(move |tx| change_log::live_of_kind(tx, &event, EntityKind::Announcement))
        .await;
    let rows = match read {
        Ok(rows) => rows,
        Err(e) => return page::failure(signed.visitor, &e),
    };
    let mut live = Vec::with_capacity(rows.len());
    for (id, seq, body) in rows {
        match Entity::from_json(EntityKind::Announcement, &body) {
            Ok(Entity::Announcement(a)) => live.push(card_of(a, seq, zone)),
            _ => tracing::warn!(id, "console: a stored announcement cannot be read"),
        }
    }
    if message.is_none() && (errors.title.is_some() || errors.expires.is_some()) {
        message = Message::error(t.failed);
    }
    let key = if form.key.is_empty() {
        fresh_key()
    } else {
        form.key.clone()
    };
    html(
        signed.visitor,
        if message.as_ref().is_some_and(|m| m.kind == "error") {
            422
        } else {
            200
        },
        &AnnouncePage {
            c: signed.chrome(t.announce, "announce").with(message),
            event: signed.event().to_string(),
            key,
            form,
            errors,
            preview,
            live,
        },
    )
}

fn card_of(a: Announcement, seq: u64, zone: Zone) -> Card {
    let urgent = a.priority == Priority::Urgent;
    Card {
        id: a.id,
        seq,
        key: fresh_key(),
        title: a.title,
        body: a.body,
        priority: if urgent { "urgent" } else { "normal" },
        urgent,
        until: a
            .expires_at
            .map(|at| local_text(at, zone))
            .unwrap_or_default(),
    }
}

/// A new idempotency key (43 characters of base64url: what `is_valid_key` accepts).
pub(super) fn fresh_key() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}
