//! Several photos uploaded at once from the gallery page (multipart: `csrf` first, then the
//! files and their captions).
//!
//! The session was checked before the body is read (the `Signed` extractor: cookie, event,
//! Origin); the body is then read like every upload (`http::body`: the server's size limit,
//! pace and memory budget), and the form's CSRF token, its first field, is checked before any
//! other field is looked at.
//!
//! All or none: every file is stripped and checked first (a non-image or a cut-off JPEG is
//! refused with a message naming it, and nothing of the upload is stored); then each is stored
//! and given its thumbnail (a file the decoder refuses is named too, and no photo is added);
//! only then is one `photo.add` per file sent. Each operation's key and the photo's id come
//! from the form's key and the file's place in it, so a form sent twice adds its photos once.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;

use marktplatz_model::model::AssetRef;
use marktplatz_model::ops::Op;
use marktplatz_model::wire::code;

use super::{UploadInput, gallery_page};
use crate::console::announce::send;
use crate::console::page::{self, Message, see_other};
use crate::console::session::Signed;
use crate::http::state::AppState;
use crate::store::{self, StoreError, photos};

/// How much of a file's name a message repeats.
const NAME_CHARS: usize = 120;

/// One file of the upload, as the browser named it.
struct File {
    name: String,
    bytes: Bytes,
}

#[derive(Default)]
struct Upload {
    key: String,
    captions: String,
    files: Vec<File>,
}

/// Why the upload's fields could not be read: a forged form, or a body that is no form.
enum Unread {
    Forged,
    Malformed(String),
}

/// Reads the multipart form held in memory; the first field must be this session's CSRF
/// token, or nothing further is read.
async fn read_form(signed: &Signed, headers: &HeaderMap, bytes: Bytes) -> Result<Upload, Unread> {
    let mut request = Request::new(Body::from(bytes));
    if let Some(content_type) = headers.get(header::CONTENT_TYPE) {
        request
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type.clone());
    }
    let malformed = |e: axum::extract::multipart::MultipartError| Unread::Malformed(e.body_text());
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|e| Unread::Malformed(e.body_text()))?;
    let first = multipart.next_field().await.map_err(malformed)?;
    let csrf = match first {
        Some(field) if field.name() == Some("csrf") => field.text().await.map_err(malformed)?,
        _ => String::new(),
    };
    if signed.refuse_forged(&csrf).is_some() {
        return Err(Unread::Forged);
    }
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        match field.name().unwrap_or("") {
            "key" => upload.key = field.text().await.map_err(malformed)?,
            "captions" => upload.captions = field.text().await.map_err(malformed)?,
            "photos" => {
                let name: String = field
                    .file_name()
                    .unwrap_or("")
                    .chars()
                    .take(NAME_CHARS)
                    .collect();
                let bytes = field.bytes().await.map_err(malformed)?;
                // A file input left empty sends one part without a name or bytes.
                if !(name.is_empty() && bytes.is_empty()) {
                    upload.files.push(File { name, bytes });
                }
            }
            _ => {}
        }
    }
    Ok(upload)
}

pub async fn post_photos(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let t = signed.visitor.lang.texts();
    let m = t.media();
    let refused = |captions: String, problem: String| UploadInput {
        captions,
        file_error: Some(problem),
    };
    let held = match state
        .bodies
        .to_memory(&headers, body, state.config.max_body_bytes, "photos")
        .await
    {
        Ok(held) => held,
        Err(e) => {
            let input = refused(String::new(), format!("{} {}", t.err_read, e.message));
            return gallery_page(&state, &signed, input, None, Message::error(t.failed), 422).await;
        }
    };
    let upload = match read_form(&signed, &headers, held.bytes.clone()).await {
        Ok(upload) => upload,
        Err(Unread::Forged) => {
            return page::notice(signed.visitor, 403, t.console, t.forged);
        }
        Err(Unread::Malformed(problem)) => {
            let input = refused(String::new(), format!("{} {problem}", t.err_read));
            return gallery_page(&state, &signed, input, None, Message::error(t.failed), 422).await;
        }
    };
    if upload.files.is_empty() {
        let input = refused(upload.captions, m.err_no_photos.to_string());
        return gallery_page(&state, &signed, input, None, Message::error(t.failed), 422).await;
    }
    // 1. Every file checked and stripped before any is stored.
    let mut stripped = Vec::with_capacity(upload.files.len());
    let mut problems = Vec::new();
    for file in &upload.files {
        match photos::strip(&file.bytes) {
            Ok(photo) => stripped.push(photo),
            Err(e) => problems.push(format!("„{}“ {}: {e}", file.name, m.err_photo)),
        }
    }
    if !problems.is_empty() {
        tracing::info!(
            event = signed.event(),
            refused = problems.len(),
            "console: photos refused"
        );
        let problem = format!("{} {}", problems.join(" "), m.none_kept);
        let input = refused(upload.captions, problem);
        return gallery_page(&state, &signed, input, None, Message::error(t.failed), 422).await;
    }
    drop(held);
    // 2. Stored, each with its thumbnail (the decoder's verdict) before any is added.
    let images = match store_all(&state, stripped).await {
        Ok(images) => images,
        Err((Some(at), e)) if !e.is_internal() => {
            let name = upload.files.get(at).map_or("", |f| f.name.as_str());
            let problem = format!("„{name}“ {}: {e} {}", m.err_photo, m.none_kept);
            let input = refused(upload.captions, problem);
            return gallery_page(&state, &signed, input, None, Message::error(t.failed), 422).await;
        }
        Err((_, e)) => return page::failure(signed.visitor, &e),
    };
    // 3. One operation per photo, through the API's write path.
    let mut captions = upload.captions.lines();
    for (at, image) in images.into_iter().enumerate() {
        let caption = captions.next().unwrap_or("").trim().to_string();
        let key = format!("{}-{at}", upload.key.trim());
        let op = Op::PhotoAdd {
            id: photo_id(&upload.key, at),
            image,
            caption,
            credit: String::new(),
            taken_at: None,
        };
        match send(&state, &signed, &key, 0, op).await {
            Ok(()) => {}
            // The same form sent again: this photo was added by the first.
            Err(e) if e.code() == code::KEY_REUSED || e.code() == code::CONFLICT => {}
            Err(e) => match page::client_error(&e) {
                Some(text) => {
                    let input = refused(upload.captions.clone(), text);
                    let message = Message::error(t.failed);
                    return gallery_page(&state, &signed, input, None, message, 422).await;
                }
                None => return page::failure(signed.visitor, &e),
            },
        }
    }
    see_other(
        &format!("/organiser/{}/gallery?done=added", signed.event()),
        &[],
    )
}

/// The id of the photo at `at` of the upload with form key `key` (the same when the form is
/// sent twice; the key is random per rendered form).
fn photo_id(key: &str, at: usize) -> String {
    let short: String = key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(16)
        .collect();
    format!("photo-{short}-{at}")
}

/// Stores every photo with its thumbnail; on a refusal, which one (its place) and why.
async fn store_all(
    state: &AppState,
    stripped: Vec<photos::Stripped>,
) -> Result<Vec<AssetRef>, (Option<usize>, StoreError)> {
    let (db, data_dir) = (state.db.clone(), state.config.data_dir.clone());
    store::blocking("storing photos", move || {
        stripped
            .iter()
            .enumerate()
            .map(|(at, photo)| photos::put(&db, &data_dir, photo).map_err(|e| (Some(at), e)))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| (None, e))?
}

#[cfg(test)]
mod tests {
    use super::photo_id;

    #[test]
    fn a_photo_id_is_the_same_for_the_same_form_and_place() {
        let key = "Ab_3-xYz0123456789abcdefQRS";
        assert_eq!(photo_id(key, 2), photo_id(key, 2));
        assert_ne!(photo_id(key, 1), photo_id(key, 2));
        assert_eq!(photo_id(key, 0), "photo-Ab3xYz0123456789-0");
        assert!(marktplatz_model::ops::is_valid_new_id(&photo_id(key, 9)));
    }
}
