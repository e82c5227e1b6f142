//! The gallery page (`/organiser/{event}/gallery`): the event's photos with their captions,
//! several photos uploaded at once (`upload`), a caption edited (`photo.edit`) and a photo
//! removed after a confirmation (`photo.remove`). Every change is an organiser operation
//! through `http::writes::apply_op`, so a device that syncs sees it; each form carries the
//! photo's version, and a change made meanwhile by someone else is a conflict, nothing
//! overwritten.

mod upload;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use marktplatz_model::model::GalleryItem;
use marktplatz_model::ops::{MAX_TEXT_CHARS, Op};

use super::MAX_FORM_BYTES;
use super::announce::fresh_key;
use super::checked::{Checked, csrf_form};
use super::edit::apply::{FormVersion, apply_or_again, found_or_answer};
use super::edit::programme;
use super::page::{self, Chrome, Done, Message, html};
use super::session::Signed;
use super::text_media::MediaTexts;
use crate::http::extract::Query;
use crate::http::state::AppState;

pub fn router() -> Router<AppState> {
    let forms = Router::new()
        .route("/organiser/{for_event}/gallery", get(get_gallery))
        .route("/organiser/{for_event}/gallery/{photo}", post(post_caption))
        .route(
            "/organiser/{for_event}/gallery/{photo}/remove",
            get(get_remove).post(post_remove),
        )
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES));
    // The upload reads its body itself (`http::body`: the server's limit, pace and memory).
    let uploads = Router::new().route("/organiser/{for_event}/gallery", post(upload::post_photos));
    forms.merge(uploads)
}

/// A photo as the page lists it.
struct Photo {
    id: String,
    base: u64,
    key: String,
    thumb: String,
    width: u32,
    height: u32,
    full: String,
    /// What the caption field shows (the organiser's input again after a conflict).
    caption: String,
    alt: String,
}

impl Photo {
    fn of(seq: u64, item: &GalleryItem, m: &MediaTexts) -> Photo {
        let thumb = item.thumbnail.as_ref().unwrap_or(&item.image);
        Photo {
            id: item.id.clone(),
            base: seq,
            key: fresh_key(),
            thumb: format!("/v1/assets/{}", thumb.sha256),
            width: thumb.width.unwrap_or(0),
            height: thumb.height.unwrap_or(0),
            full: format!("/v1/assets/{}", item.image.sha256),
            caption: item.caption.clone(),
            alt: if item.caption.trim().is_empty() {
                m.photo_without_caption.to_string()
            } else {
                item.caption.clone()
            },
        }
    }
}

#[derive(Template)]
#[template(path = "console/gallery.html")]
struct GalleryPage {
    c: Chrome,
    m: &'static MediaTexts,
    event: String,
    upload_key: String,
    captions: String,
    file_error: Option<String>,
    photos: Vec<Photo>,
}

/// What the upload form shows again after a refused upload.
#[derive(Default)]
pub(super) struct UploadInput {
    pub captions: String,
    pub file_error: Option<String>,
}

pub async fn get_gallery(
    State(state): State<AppState>,
    signed: Signed,
    Query(done): Query<Done>,
) -> Response {
    let m = signed.visitor.lang.texts().media();
    let choices = [
        ("added", m.added),
        ("caption", m.caption_saved),
        ("removed", m.removed),
    ];
    let message = done.message(&choices);
    gallery_page(&state, &signed, UploadInput::default(), None, message, 200).await
}

/// The gallery page; `kept` is a photo whose caption field shows the organiser's input
/// (after a conflict or a refusal) instead of the stored caption.
pub(super) async fn gallery_page(
    state: &AppState,
    signed: &Signed,
    input: UploadInput,
    kept: Option<(&str, &str)>,
    message: Option<Message>,
    status: u16,
) -> Response {
    let m = signed.visitor.lang.texts().media();
    let items = match programme::gallery(state, signed.event()).await {
        Ok(items) => items,
        Err(e) => return page::failure(signed.visitor, &e),
    };
    let photos = items
        .iter()
        .map(|(seq, item)| {
            let mut photo = Photo::of(*seq, item, m);
            if let Some((id, caption)) = kept
                && id == item.id
            {
                photo.caption = caption.to_string();
            }
            photo
        })
        .collect();
    html(
        signed.visitor,
        status,
        &GalleryPage {
            c: signed.chrome(m.gallery, "gallery").with(message),
            m,
            event: signed.event().to_string(),
            upload_key: fresh_key(),
            captions: input.captions,
            file_error: input.file_error,
            photos,
        },
    )
}

#[derive(Default, Deserialize)]
pub struct CaptionForm {
    #[serde(flatten)]
    version: FormVersion,
    #[serde(default)]
    caption: String,
}

pub async fn post_caption(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    Checked { signed, form }: Checked<CaptionForm>,
) -> Response {
    let m = signed.visitor.lang.texts().media();
    let caption = form.caption.trim().to_string();
    if caption.chars().count() > MAX_TEXT_CHARS {
        let message = Message::error(signed.visitor.lang.texts().failed);
        let kept = Some((id.as_str(), form.caption.as_str()));
        return gallery_page(&state, &signed, UploadInput::default(), kept, message, 422).await;
    }
    let op = Op::PhotoEdit {
        id: id.clone(),
        caption: Some(caption),
        credit: None,
    };
    let saved = format!("/organiser/{}/gallery?done=caption", signed.event());
    let again = apply_or_again(&state, &signed, &form.version, op, &saved, m.photo_conflict);
    let (message, status) = match again.await {
        Ok(again) => again,
        Err(answer) => return answer,
    };
    let kept = Some((id.as_str(), form.caption.as_str()));
    gallery_page(
        &state,
        &signed,
        UploadInput::default(),
        kept,
        message,
        status,
    )
    .await
}

csrf_form!(CaptionForm: version.csrf, RemoveForm: version.csrf);

#[derive(Template)]
#[template(path = "console/gallery_remove.html")]
struct RemovePage {
    c: Chrome,
    m: &'static MediaTexts,
    event: String,
    photo: Photo,
}

/// The photo `id` of the session's event and its version, or the answer when there is none.
async fn photo_or_answer(state: &AppState, signed: &Signed, id: &str) -> Result<Photo, Response> {
    let m = signed.visitor.lang.texts().media();
    let read = programme::gallery(state, signed.event())
        .await
        .map(|items| items.into_iter().find(|(_, item)| item.id == id));
    found_or_answer(signed, read, m.gallery, m.unknown_photo)
        .map(|(seq, item)| Photo::of(seq, &item, m))
        .map_err(|answer| *answer)
}

fn remove_page(signed: &Signed, photo: Photo, message: Option<Message>, status: u16) -> Response {
    let m = signed.visitor.lang.texts().media();
    html(
        signed.visitor,
        status,
        &RemovePage {
            c: signed.chrome(m.remove_title, "gallery").with(message),
            m,
            event: signed.event().to_string(),
            photo,
        },
    )
}

pub async fn get_remove(
    State(state): State<AppState>,
    signed: Signed,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    match photo_or_answer(&state, &signed, &id).await {
        Ok(photo) => remove_page(&signed, photo, None, 200),
        Err(answer) => answer,
    }
}

/// The removal's form is its version and nothing else.
#[derive(Default, Deserialize)]
pub struct RemoveForm {
    #[serde(flatten)]
    version: FormVersion,
}

pub async fn post_remove(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    Checked { signed, form }: Checked<RemoveForm>,
) -> Response {
    let m = signed.visitor.lang.texts().media();
    let op = Op::PhotoRemove { id: id.clone() };
    let removed = format!("/organiser/{}/gallery?done=removed", signed.event());
    let again = apply_or_again(
        &state,
        &signed,
        &form.version,
        op,
        &removed,
        m.photo_conflict,
    );
    let (message, status) = match again.await {
        Ok(again) => again,
        Err(answer) => return answer,
    };
    match photo_or_answer(&state, &signed, &id).await {
        Ok(photo) => remove_page(&signed, photo, message, status),
        Err(answer) => answer,
    }
}
