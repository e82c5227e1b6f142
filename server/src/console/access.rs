//! Who can reach the event: the browsers signed in to the console (`store::console`) and the
//! event's tokens (`store::auth`, the list and revoke of `GET`/`DELETE /v1/admin/tokens`),
//! each revocable; and a phone signed in as organiser by a QR code. A session or token of
//! another event cannot be named here: nothing is changed and the page says so.

use crate::store::Tx;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use base64::Engine;
use serde::Deserialize;

use super::page::{self, Chrome, Done, Message, html, see_other, utc_minutes};
use super::session::Signed;
use crate::http::extract::Query;
use crate::http::state::AppState;
use crate::store::auth::{Role, TokenSpec};
use crate::store::{auth, console, now};

struct SessionRow {
    id: String,
    subject: String,
    since: String,
    until: String,
    own: bool,
}

struct TokenRow {
    id: String,
    role: String,
    subject: String,
    state: &'static str,
    active: bool,
}

#[derive(Template)]
#[template(path = "console/access.html")]
struct AccessPage {
    c: Chrome,
    event: String,
    sessions: Vec<SessionRow>,
    tokens: Vec<TokenRow>,
    protected: bool,
}

pub async fn get_access(
    State(state): State<AppState>,
    signed: Signed,
    Query(done): Query<Done>,
) -> Response {
    let t = signed.visitor.lang.texts();
    let message = match done.done.as_deref() {
        Some("revoked") => Message::ok(t.revoked),
        Some("unknown") => Message::error(t.not_revoked),
        Some("phone-name") => Message::error(t.err_phone_name),
        Some(other) => super::access_code::message(t, other),
        None => None,
    };
    let event = signed.event().to_string();
    let read = state
        .db
        .read(move |tx| {
            Ok((
                console::sessions(tx, &event)?,
                auth::list(tx, Some(&event))?,
                super::access_code::is_protected(tx, &event)?,
            ))
        })
        .await;
    let (sessions, tokens, protected) = match read {
        Ok(found) => found,
        Err(e) => return page::failure(signed.visitor, &e),
    };
    let own = hex::encode(&signed.session.hash);
    let at = now();
    html(
        signed.visitor,
        200,
        &AccessPage {
            c: signed.chrome(t.access, "access").with(message),
            event: signed.event().to_string(),
            sessions: sessions
                .into_iter()
                .map(|s| SessionRow {
                    own: s.id == own,
                    id: s.id,
                    subject: s.subject,
                    since: utc_minutes(s.created_at),
                    until: utc_minutes(s.expires_at),
                })
                .collect(),
            tokens: tokens
                .into_iter()
                .map(|token| {
                    let (state, active) = match (token.revoked_at, token.expires_at) {
                        (Some(_), _) => (t.state_revoked, false),
                        (None, Some(until)) if until <= at => (t.state_expired, false),
                        (None, _) => (t.state_active, true),
                    };
                    TokenRow {
                        id: token.id,
                        role: token.role,
                        subject: token.subject,
                        state,
                        active,
                    }
                })
                .collect(),
            protected,
        },
    )
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id: String,
}

pub async fn post_revoke_session(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<RevokeForm>,
) -> Response {
    revoke(&state, &signed, form, "session", console::revoke_session).await
}

pub async fn post_revoke_token(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<RevokeForm>,
) -> Response {
    revoke(&state, &signed, form, "token", revoke_token).await
}

/// Revokes a token, only if it is one of `event`'s (checked in the same transaction).
fn revoke_token(tx: &Tx<'_>, event: &str, id: &str) -> crate::store::Result<bool> {
    let ours = auth::list(tx, Some(event))?
        .iter()
        .any(|token| token.id == id);
    if ours {
        auth::revoke(tx, id)
    } else {
        Ok(false)
    }
}

/// Checks the form, revokes with `revoke(tx, event, id)` and answers with the access page.
async fn revoke(
    state: &AppState,
    signed: &Signed,
    form: RevokeForm,
    what: &'static str,
    revoke: fn(&Tx<'_>, &str, &str) -> crate::store::Result<bool>,
) -> Response {
    if let Some(refused) = signed.refuse_forged(&form.csrf) {
        return refused;
    }
    let event = signed.event().to_string();
    let revoked = state.db.write(move |tx| revoke(tx, &event, &form.id)).await;
    answer(signed, revoked, what)
}

fn answer(signed: &Signed, revoked: crate::store::Result<bool>, what: &str) -> Response {
    match revoked {
        Ok(was_live) => {
            tracing::info!(event = signed.event(), what, was_live, "console: revoked");
            let done = if was_live { "revoked" } else { "unknown" };
            see_other(
                &format!("/organiser/{}/access?done={done}", signed.event()),
                &[],
            )
        }
        Err(e) => page::failure(signed.visitor, &e),
    }
}

#[derive(Template)]
#[template(path = "console/phone.html")]
struct PhonePage {
    c: Chrome,
    event: String,
    subject: String,
    until: String,
    qr_base64: String,
}

#[derive(Deserialize)]
pub struct PhoneForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    hours: i64,
}

/// The lifetimes the form offers, in hours; anything else is the default (a fair day).
const PHONE_HOURS: [i64; 4] = [12, 24, 72, 168];
const DEFAULT_PHONE_HOURS: i64 = 24;

/// Issues an organiser token of the session's event for a phone (`store::auth::issue`, as
/// `POST /v1/admin/tokens` does) and shows it once, as a QR code of
/// `marktplatz://organiser?server=URL&event=E&token=T` for the app's scanner.
pub async fn post_phone(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Form(form): Form<PhoneForm>,
) -> Response {
    if let Some(refused) = signed.refuse_forged(&form.csrf) {
        return refused;
    }
    let t = signed.visitor.lang.texts();
    let hours = if PHONE_HOURS.contains(&form.hours) {
        form.hours
    } else {
        DEFAULT_PHONE_HOURS
    };
    let spec = TokenSpec {
        role: Role::Organiser,
        event_id: Some(signed.event().to_string()),
        subject: Some(form.name.trim().to_string()),
        expires_in: Some(hours * 3600),
    };
    let issued = state.db.write(move |tx| auth::issue(tx, &spec)).await;
    let issued = match issued {
        Ok(issued) => issued,
        Err(e) if !e.is_internal() => {
            return see_other(
                &format!("/organiser/{}/access?done=phone-name", signed.event()),
                &[],
            );
        }
        Err(e) => return page::failure(signed.visitor, &e),
    };
    tracing::info!(
        event = signed.event(),
        id = issued.id,
        subject = issued.subject,
        "console: phone token issued"
    );
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let server = format!(
        "{}://{host}",
        if signed.visitor.tls { "https" } else { "http" }
    );
    let payload = format!(
        "marktplatz://organiser?server={}&event={}&token={}",
        query_escape(&server),
        query_escape(signed.event()),
        query_escape(&issued.token)
    );
    let svg = match qrcode::QrCode::new(payload.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(280, 280)
            .build(),
        Err(e) => {
            let error = crate::store::StoreError::internal("making a QR code", e);
            return page::failure(signed.visitor, &error);
        }
    };
    html(
        signed.visitor,
        200,
        &PhonePage {
            c: signed.chrome(t.phone_heading, "access"),
            event: signed.event().to_string(),
            subject: issued.subject,
            until: issued.expires_at.map(utc_minutes).unwrap_or_default(),
            qr_base64: base64::engine::general_purpose::STANDARD.encode(svg),
        },
    )
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn query_escape(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
