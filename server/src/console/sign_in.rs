//! Signing in with a one-time link (`marktplatz token --link`) and signing out. Opening the
//! link only shows a button: the POST uses the link up, so a mail scanner that fetches links
//! does not spend it.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use serde::Deserialize;

use super::page::{self, Chrome, html, notice, see_other};
use super::session::{Signed, Visitor, same_origin};
use crate::http::extract::Query;
use crate::http::state::AppState;
use crate::store::console::{self, LinkRefusal};

#[derive(Template)]
#[template(path = "console/sign_in.html")]
struct SignInPage {
    c: Chrome,
    link: String,
}

#[derive(Deserialize)]
pub struct LinkParams {
    link: Option<String>,
}

pub async fn get_sign_in(visitor: Visitor, Query(params): Query<LinkParams>) -> Response {
    let t = visitor.lang.texts();
    let is_link = |link: &String| {
        !link.is_empty()
            && link.len() <= 100
            && link
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    match params.link.filter(is_link) {
        Some(link) => {
            let mut c = visitor.chrome(t.sign_in_title);
            c.lang_href = format!("?link={link}&lang={}", t.other_lang_code);
            html(visitor, 200, &SignInPage { c, link })
        }
        None => notice(visitor, 400, t.sign_in_title, t.link_unknown),
    }
}

/// `/organiser/`: how to sign in (there is no password form: only links sign in).
pub async fn get_start(visitor: Visitor) -> Response {
    let t = visitor.lang.texts();
    notice(visitor, 200, t.sign_in_title, t.need_sign_in)
}

#[derive(Deserialize)]
pub struct SignInForm {
    link: String,
}

pub async fn post_sign_in(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let t = visitor.lang.texts();
    if !same_origin(&headers, visitor.tls) {
        return notice(visitor, 403, t.sign_in_title, t.forged);
    }
    let link = form.link;
    let redeemed = match state
        .db
        .write(move |tx| console::redeem_link(tx, &link))
        .await
    {
        Ok(redeemed) => redeemed,
        Err(e) => return page::failure(visitor, &e),
    };
    match redeemed {
        Ok(new) => {
            tracing::info!(
                event = new.session.event_id,
                subject = new.session.subject,
                "console: signed in"
            );
            see_other(
                &format!("/organiser/{}/", new.session.event_id),
                &[visitor.session_cookie(&new.secret)],
            )
        }
        Err(refusal) => {
            tracing::info!(?refusal, "console: sign-in link refused");
            let text = match refusal {
                LinkRefusal::Unknown => t.link_unknown,
                LinkRefusal::Expired => t.link_expired,
                LinkRefusal::Used => t.link_used,
            };
            notice(visitor, 401, t.sign_in_title, text)
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn post_sign_out(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Some(refused) = signed.refuse_forged(&form.csrf) {
        return refused;
    }
    let (visitor, session) = (signed.visitor, signed.session);
    let event = session.event_id.clone();
    if let Err(e) = state
        .db
        .write(move |tx| console::sign_out(tx, &session))
        .await
    {
        return page::failure(visitor, &e);
    }
    tracing::info!(event, "console: signed out");
    let t = visitor.lang.texts();
    let mut response = notice(visitor, 200, t.sign_out, t.signed_out);
    if let Ok(value) = HeaderValue::from_str(&visitor.cleared_session_cookie()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
