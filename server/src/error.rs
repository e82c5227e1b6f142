//! Errors as the server answers them: a status, a stable code and a message, as `no-store` JSON.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use marktplatz_model::ops::{CurrentVersion, OpRejection};
use marktplatz_model::wire::{ErrorBody, code};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub retry_after: Option<u64>,
    /// For a conflicting organiser operation: the entity as the server holds it now.
    pub current: Option<Box<CurrentVersion>>,
}

pub type ApiResult<T> = std::result::Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
            current: None,
        }
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, code::FORBIDDEN, message)
    }

    /// A 409 for an operation based on an old version, carrying the current one.
    pub fn conflict(message: impl Into<String>, current: CurrentVersion) -> ApiError {
        ApiError {
            current: Some(Box::new(current)),
            ..ApiError::new(StatusCode::CONFLICT, code::CONFLICT, message)
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

impl From<marktplatz_model::Error> for ApiError {
    fn from(error: marktplatz_model::Error) -> ApiError {
        use marktplatz_model::Error as E;
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
        let Some(current) = self.current else {
            return error_response(self.status, self.code, &self.message, self.retry_after);
        };
        let body = OpRejection {
            code: self.code.to_string(),
            message: self.message,
            current: Some(*current),
        };
        match serde_json::to_vec(&body) {
            Ok(json) => with_error_headers((self.status, json).into_response(), None),
            Err(e) => ApiError::internal("encoding a conflict", e).into_response(),
        }
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
    with_error_headers((status, json).into_response(), retry_after)
}

fn with_error_headers(mut response: Response, retry_after: Option<u64>) -> Response {
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
