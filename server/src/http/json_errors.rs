//! JSON for every error, including the ones axum raises itself (an oversized body, a path that
//! matches no route): `{code, message}` like the handlers' own. The organiser console's pages
//! (`text/html`) are answers of their own and pass unchanged.

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use marktplatz_model::wire::code;

use super::error::error_response;

/// Turns error answers that are not JSON yet (axum's own rejections) into `{code, message}`.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_answer = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error()) || is_answer {
        return response;
    }
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => code::PAYLOAD_TOO_LARGE,
        StatusCode::NOT_FOUND => code::NOT_FOUND,
        StatusCode::UNAUTHORIZED => code::UNAUTHORIZED,
        s if s.is_server_error() => code::INTERNAL,
        _ => code::BAD_REQUEST,
    };
    let text = axum::body::to_bytes(response.into_body(), 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = match (status, text.is_empty()) {
        (StatusCode::PAYLOAD_TOO_LARGE, _) => {
            "the request body is larger than this server accepts".to_string()
        }
        (_, true) => status
            .canonical_reason()
            .unwrap_or("request failed")
            .to_string(),
        (_, false) => text,
    };
    error_response(status, code, &message, None)
}
