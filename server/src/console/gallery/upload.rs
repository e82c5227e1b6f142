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

use axum::extract::State;
use axum::response::Response;

use marktplatz_model::model::AssetRef;
use marktplatz_model::ops::Op;
use marktplatz_model::wire::code;

use super::{UploadInput, gallery_page};
use crate::console::announce::send;
use crate::console::page::{self, Message, see_other};
use crate::console::upload_form::Uploaded;
use crate::http::state::AppState;
use crate::store::{self, StoreError, photos};

pub async fn post_photos(
    State(state): State<AppState>,
    Uploaded { signed, form }: Uploaded,
) -> Response {
    let t = signed.visitor.lang.texts();
    let m = t.media();
    let refused = |captions: String, problem: String| UploadInput {
        captions,
        file_error: Some(problem),
    };
    let upload = match form {
        Ok(upload) => upload,
        Err(problem) => {
            let input = refused(String::new(), format!("{} {problem}", t.err_read));
            return gallery_page(&state, &signed, input, None, Message::error(t.failed), 422).await;
        }
    };
    let (key, captions) = (
        upload.text("key").trim().to_string(),
        upload.text("captions").to_string(),
    );
    let files = upload.files("photos");
    if files.is_empty() {
        let input = refused(captions, m.err_no_photos.to_string());
        return gallery_page(&state, &signed, input, None, Message::error(t.failed), 422).await;
    }
    // 1. Every file checked and stripped before any is stored.
    let mut stripped = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    for file in &files {
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
        let input = refused(captions, problem);
        return gallery_page(&state, &signed, input, None, Message::error(t.failed), 422).await;
    }
    // 2. Stored, each with its thumbnail (the decoder's verdict) before any is added.
    let images = match store_all(&state, stripped).await {
        Ok(images) => images,
        Err((Some(at), e)) if !e.is_internal() => {
            let name = files.get(at).map_or("", |f| f.name.as_str());
            let problem = format!("„{name}“ {}: {e} {}", m.err_photo, m.none_kept);
            let input = refused(captions, problem);
            return gallery_page(&state, &signed, input, None, Message::error(t.failed), 422).await;
        }
        Err((_, e)) => return page::failure(signed.visitor, &e),
    };
    // 3. One operation per photo, through the API's write path.
    let mut lines = captions.lines();
    for (at, image) in images.into_iter().enumerate() {
        let caption = lines.next().unwrap_or("").trim().to_string();
        let op_key = format!("{key}-{at}");
        let op = Op::PhotoAdd {
            id: photo_id(&key, at),
            image,
            caption,
            credit: String::new(),
            taken_at: None,
        };
        match send(&state, &signed, &op_key, 0, op).await {
            Ok(()) => {}
            // The same form sent again: this photo was added by the first.
            Err(e) if e.code() == code::KEY_REUSED || e.code() == code::CONFLICT => {}
            Err(e) => match page::client_error(&e) {
                Some(text) => {
                    let input = refused(captions.clone(), text);
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
