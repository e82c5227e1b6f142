//! A console form with files (multipart), read only from a signed-in organiser ([`Signed`]
//! has checked the session and the Origin before the body is read) and like every upload
//! (`http::body`: the server's size limit, pace and shared memory budget, held until the form
//! is dropped). The form's first field must be this session's CSRF token: without it nothing
//! further is read.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::{HeaderMap, header};
use axum::response::Response;

use super::session::Signed;
use crate::http::body::InMemory;
use crate::http::state::AppState;

/// How much of a file's name a message repeats.
const NAME_CHARS: usize = 120;

/// One file of the form, as the browser named it.
pub struct File {
    /// The form field it was sent in.
    field: String,
    pub name: String,
    pub bytes: Bytes,
}

/// The form's text fields and its files.
pub struct UploadForm {
    texts: Vec<(String, String)>,
    files: Vec<File>,
    _held: InMemory,
}

impl UploadForm {
    /// The files sent in the field `field`, in the order chosen.
    pub fn files(&self, field: &str) -> Vec<&File> {
        self.files.iter().filter(|f| f.field == field).collect()
    }

    /// The text field `name` (empty when the form has none).
    pub fn text(&self, name: &str) -> &str {
        self.texts
            .iter()
            .find(|(field, _)| field == name)
            .map_or("", |(_, value)| value.as_str())
    }
}

/// A form with files from a signed-in organiser of the path's event with this session's CSRF
/// token; `form` is why it could not be read (too large, too slow, no form) for the page to
/// say at its field. A forged form is refused before the handler runs.
pub struct Uploaded {
    pub signed: Signed,
    pub form: Result<UploadForm, String>,
}

impl FromRequest<AppState> for Uploaded {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Uploaded, Response> {
        let (mut parts, body) = request.into_parts();
        let signed = Signed::from_request_parts(&mut parts, state).await?;
        match read(state, &signed, (&parts.headers, body), "an upload").await {
            Ok(form) => Ok(Uploaded {
                signed,
                form: Ok(form),
            }),
            Err(Unread::Forged(refusal)) => Err(refusal),
            Err(Unread::Unreadable(problem)) => Ok(Uploaded {
                signed,
                form: Err(problem),
            }),
        }
    }
}

/// Why the form was not read.
enum Unread {
    /// No or a wrong CSRF token first: the refusal page (nothing was done).
    Forged(Response),
    /// Too large, too slow, not a form: why, in the server's words.
    Unreadable(String),
}

/// Reads the form of `body` (`what` it is, for the messages of the body's limits).
async fn read(
    state: &AppState,
    signed: &Signed,
    (headers, body): (&HeaderMap, Body),
    what: &str,
) -> Result<UploadForm, Unread> {
    let held = state
        .bodies
        .to_memory(headers, body, state.config.max_body_bytes, what)
        .await
        .map_err(|e| Unread::Unreadable(e.message))?;
    let mut request = Request::new(Body::from(held.bytes.clone()));
    if let Some(content_type) = headers.get(header::CONTENT_TYPE) {
        request
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type.clone());
    }
    let unreadable =
        |e: axum::extract::multipart::MultipartError| Unread::Unreadable(e.body_text());
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|e| Unread::Unreadable(e.body_text()))?;
    let csrf = match multipart.next_field().await.map_err(unreadable)? {
        Some(field) if field.name() == Some("csrf") => field.text().await.map_err(unreadable)?,
        _ => String::new(),
    };
    if let Some(refused) = signed.refuse_forged(&csrf) {
        return Err(Unread::Forged(refused));
    }
    let mut form = UploadForm {
        texts: Vec::new(),
        files: Vec::new(),
        _held: held,
    };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_string();
        if field.file_name().is_some() {
            let file_name: String = field
                .file_name()
                .unwrap_or("")
                .chars()
                .take(NAME_CHARS)
                .collect();
            let bytes = field.bytes().await.map_err(unreadable)?;
            // A file input left empty sends one part without a name or bytes.
            if !(file_name.is_empty() && bytes.is_empty()) {
                form.files.push(File {
                    field: name,
                    name: file_name,
                    bytes,
                });
            }
        } else {
            let value = field.text().await.map_err(unreadable)?;
            form.texts.push((name, value));
        }
    }
    Ok(form)
}
