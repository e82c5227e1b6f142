//! Errors as the server answers them: a status, a stable code and a message, as `no-store` JSON.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use marktplatz_core::wire::{ErrorBody, code};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub retry_after: Option<u64>,
}

pub type ApiResult<T> = std::result::Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, code::NOT_FOUND, message)
    }

    pub fn event_not_found(event: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            code::EVENT_NOT_FOUND,
            format!("there is no event '{event}' on this server"),
        )
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, code::UNAUTHORIZED, message)
    }

    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    /// A fault of ours: logged in full, answered briefly.
    pub fn internal(context: &str, error: impl std::fmt::Display) -> ApiError {
        eprintln!("marktplatz-server: {context}: {error}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            code::INTERNAL,
            format!("the server failed while {context}; try again later"),
        )
    }

    pub fn overloaded(retry_after: u64) -> ApiError {
        ApiError {
            retry_after: Some(retry_after),
            ..ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                code::OVERLOADED,
                "the server is busy; try again shortly",
            )
        }
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(error: rusqlite::Error) -> ApiError {
        ApiError::internal("using its database", error)
    }
}

impl From<marktplatz_core::Error> for ApiError {
    fn from(error: marktplatz_core::Error) -> ApiError {
        use marktplatz_core::Error as E;
        match error {
            E::Malformed { .. } => ApiError::new(
                StatusCode::BAD_REQUEST,
                code::MALFORMED_BUNDLE,
                error.to_string(),
            ),
            E::Invalid { .. } => ApiError::unprocessable(code::INVALID_BUNDLE, error.to_string()),
            other => ApiError::internal("processing the request", other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        error_response(self.status, self.code, &self.message, self.retry_after)
    }
}

/// An error answer; also used by the middleware for errors raised outside handlers.
pub fn error_response(
    status: StatusCode,
    code: &str,
    message: &str,
    retry_after: Option<u64>,
) -> Response {
    let body = ErrorBody {
        code: code.to_string(),
        message: message.to_string(),
    };
    let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{\"code\":\"internal\"}".to_vec());
    let mut response = (status, json).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(seconds) = retry_after {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}
