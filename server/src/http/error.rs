//! Errors as the server answers them: a status, a stable code and a message, as `no-store` JSON.
//! The one place where the store's errors become HTTP answers.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use marktplatz_model::ops::{CurrentVersion, OpRejection};
use marktplatz_model::preview::{ConfirmationRequired, Preview};
use marktplatz_model::wire::{ErrorBody, code};

use crate::store::StoreError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub retry_after: Option<u64>,
    /// For a conflicting organiser operation: the entity as the server holds it now.
    pub current: Option<Box<CurrentVersion>>,
    /// For a publish that needs confirmation: the preview that explains why.
    pub preview: Option<Box<Preview>>,
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
            preview: None,
        }
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, code::FORBIDDEN, message)
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, code::NOT_FOUND, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, code::UNAUTHORIZED, message)
    }

    pub fn payload_too_large(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            code::PAYLOAD_TOO_LARGE,
            message,
        )
    }

    /// A fault of ours: logged in full, answered briefly.
    pub fn internal(context: &str, error: impl std::fmt::Display) -> ApiError {
        tracing::error!(context, %error, "internal error");
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

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        if error.is_internal() {
            return ApiError::internal(error.context(), &error);
        }
        let status = match &error {
            StoreError::EventNotFound(_) | StoreError::NotFound(_) => StatusCode::NOT_FOUND,
            StoreError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            StoreError::Forbidden(_) => StatusCode::FORBIDDEN,
            StoreError::BadInput(_) | StoreError::Malformed { .. } => StatusCode::BAD_REQUEST,
            StoreError::Conflict { .. } | StoreError::ConfirmationRequired { .. } => {
                StatusCode::CONFLICT
            }
            StoreError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            StoreError::Content(marktplatz_model::Error::Malformed { .. }) => {
                StatusCode::BAD_REQUEST
            }
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let code = error.code();
        match error {
            StoreError::Conflict { message, current } => ApiError {
                current: Some(current),
                ..ApiError::new(status, code, message)
            },
            StoreError::ConfirmationRequired { message, preview } => ApiError {
                preview: Some(preview),
                ..ApiError::new(status, code, message)
            },
            StoreError::Busy(_) => ApiError {
                retry_after: Some(1),
                ..ApiError::new(status, code, error.to_string())
            },
            other => ApiError::new(status, code, other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(preview) = self.preview {
            let body = ConfirmationRequired {
                code: self.code.to_string(),
                message: self.message,
                preview: *preview,
            };
            return match serde_json::to_vec(&body) {
                Ok(json) => with_error_headers((self.status, json).into_response(), None),
                Err(e) => ApiError::internal("encoding a refused publish", e).into_response(),
            };
        }
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

/// The answer to a panic in a handler or a middleware (`CatchPanicLayer`): a plain JSON 500.
/// The panic's message goes to the log; the client learns nothing of it.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %message, "a request handler panicked");
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        code::INTERNAL,
        "the server failed; try again later",
        None,
    )
}
