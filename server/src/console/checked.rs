//! A console form from a signed-in organiser of the path's event, with this session's CSRF
//! token: the session (and the Origin) are checked before the body is read ([`Signed`]), the
//! token as soon as the form is read; a handler that takes a [`Checked`] form never sees a
//! forged one.

use axum::Form;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::session::Signed;
use crate::http::state::AppState;

/// A form that carries the CSRF token of the page it came from.
pub trait CsrfForm {
    fn csrf(&self) -> &str;
}

/// A form of type `T`, sent by `signed` from one of our pages.
pub struct Checked<T> {
    pub signed: Signed,
    pub form: T,
}

impl<T> FromRequest<AppState> for Checked<T>
where
    T: DeserializeOwned + CsrfForm + Send,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Checked<T>, Response> {
        let (mut parts, body) = request.into_parts();
        let signed = Signed::from_request_parts(&mut parts, state).await?;
        let request = Request::from_parts(parts, body);
        let Form(form) = Form::<T>::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if let Some(refused) = signed.refuse_forged(form.csrf()) {
            return Err(refused);
        }
        Ok(Checked { signed, form })
    }
}

/// Implements [`CsrfForm`] for forms whose token is the field named after the colon
/// (`csrf_form!(PlaceForm: version.csrf)`).
macro_rules! csrf_form {
    ($($form:ty: $($field:ident).+),+ $(,)?) => {
        $(impl $crate::console::checked::CsrfForm for $form {
            fn csrf(&self) -> &str {
                &self.$($field).+
            }
        })+
    };
}
pub(crate) use csrf_form;
