//! The organiser console in the browser, under `/organiser/` (`docs/adr/0016-organiser-console.md`):
//! server-rendered pages (askama templates in `server/templates/console/`, compiled in) that
//! work without JavaScript, German first and English second.
//!
//! The console is a front end only: every action goes through the same store functions as the
//! HTTP API (`http::writes` for operations and publishes). Sessions, sign-in links and pending
//! imports are `store::console`'s.
//!
//! - `session`: the visitor's language, the session cookie, the Origin and CSRF checks;
//! - `checked`: a form extracted only once its session and CSRF token are checked;
//! - `upload_form`: a form with files, read after the session and with its CSRF token first;
//! - `page`: the frame every page shares and the answers' headers;
//! - `sign_in`, `overview`, `announce`, `import`, `access`: one page each;
//! - `releases`: the releases and the revert to one;
//! - `gallery`: the event's photos: several uploaded at once, captions, removal;
//! - `map`: the hall plan uploaded and each station placed on it;
//! - `text`, `text_admin`, `text_media`: the words, per language.

mod access;
mod access_code;
mod announce;
mod checked;
mod edit;
mod gallery;
mod import;
mod map;
mod overview;
mod page;
mod releases;
mod session;
mod sign_in;
mod text;
mod text_admin;
mod text_media;
mod upload_form;
mod visitor;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub use page::CONSOLE_CSP;
pub use session::SESSION_COOKIE;

use marktplatz_model::wire::is_valid_event_id;

use crate::http::state::AppState;

/// A console form (no upload) is a few kilobytes at most.
pub const MAX_FORM_BYTES: usize = 64 * 1024;

const STYLE: &str = include_str!("console.css");

pub fn router() -> Router<AppState> {
    let forms = Router::new()
        .route(
            "/organiser/sign-in",
            get(sign_in::get_sign_in).post(sign_in::post_sign_in),
        )
        .route("/organiser/{for_event}/", get(overview::get_overview))
        .route(
            "/organiser/{for_event}/sign-out",
            post(sign_in::post_sign_out),
        )
        .route(
            "/organiser/{for_event}/announce",
            get(announce::get_announce).post(announce::post_announce),
        )
        .route(
            "/organiser/{for_event}/announce/retract",
            post(announce::post_retract),
        )
        .route("/organiser/{for_event}/import", get(import::get_import))
        .route(
            "/organiser/{for_event}/import/vorlage.xlsx",
            get(import::get_template),
        )
        .route("/organiser/{for_event}/access", get(access::get_access))
        .route(
            "/organiser/{for_event}/access/session",
            post(access::post_revoke_session),
        )
        .route(
            "/organiser/{for_event}/access/token",
            post(access::post_revoke_token),
        )
        .route(
            "/organiser/{for_event}/access/phone",
            post(access::post_phone),
        )
        .route(
            "/organiser/{for_event}/import/confirm",
            post(import::post_confirm),
        )
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES));
    // The upload reads its body itself (`http::body`, the server's limit for bodies).
    let uploads = Router::new().route("/organiser/{for_event}/import", post(import::post_import));
    Router::new()
        .merge(access_code::router())
        .merge(releases::router().layer(DefaultBodyLimit::max(MAX_FORM_BYTES)))
        .route("/organiser/console.css", get(style))
        .route("/organiser/", get(sign_in::get_start))
        .route("/organiser", get(sign_in::get_start))
        .route("/organiser/{for_event}", get(to_overview))
        .merge(forms)
        .merge(uploads)
        .merge(edit::router())
        .merge(gallery::router())
        .merge(map::router())
}

/// `/organiser/E` without the slash: the overview is `/organiser/E/`.
async fn to_overview(Path(event): Path<String>) -> Response {
    if is_valid_event_id(&event) {
        page::see_other(&format!("/organiser/{event}/"), &[])
    } else {
        StatusCode::NOT_FOUND.into_response()
    }
}

async fn style() -> Response {
    let mut response = STYLE.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}
