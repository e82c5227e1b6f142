//! The event's info pages (`/organiser/{event}/edit/info`): each with its own form (title,
//! text, order) and removal, and a form for a new one. Each form is one operation
//! (`info.edit`, `info.remove`, `info.add`) through `http::writes::apply_op`, based on the
//! version the page was rendered from; a mistake is marked at its field (422) and a change made
//! meanwhile by someone else is a conflict (409), the organiser's input kept either way.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use marktplatz_model::model::InfoPage;
use marktplatz_model::ops::{MAX_TITLE_CHARS, Op};

use super::apply::{FormVersion, apply_or_again};
use super::info_words::{InfoWords, info_words};
use super::programme;
use crate::console::announce::fresh_key;
use crate::console::checked::{Checked, csrf_form};
use crate::console::page::{self, Chrome, Done, Message, html};
use crate::console::session::Signed;
use crate::http::extract::Query;
use crate::http::state::AppState;

/// The id the form of a new page is known by in the page.
const NEW: &str = "new";

#[derive(Default, Deserialize)]
pub struct InfoForm {
    #[serde(flatten)]
    version: FormVersion,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    order: String,
}

csrf_form!(InfoForm: version.csrf);

/// One form on the page: a page's, or the new one's (`id` [`NEW`]).
struct Entry {
    id: String,
    base: u64,
    key: String,
    /// The removal's own key (a page's two forms are two operations).
    remove_key: String,
    title: String,
    body: String,
    order: String,
    title_error: Option<&'static str>,
    order_error: Option<&'static str>,
}

impl Entry {
    fn of(seq: u64, page: &InfoPage) -> Entry {
        Entry {
            id: page.id.clone(),
            base: seq,
            key: fresh_key(),
            remove_key: fresh_key(),
            title: page.title.clone(),
            body: page.body.clone(),
            order: page.sort_order.to_string(),
            title_error: None,
            order_error: None,
        }
    }
}

#[derive(Template)]
#[template(path = "console/edit/info.html")]
struct InfoPageList {
    c: Chrome,
    i: &'static InfoWords,
    event: String,
    pages: Vec<Entry>,
    new: Entry,
}

/// The form that is shown again with the organiser's input and its mistakes.
struct Kept<'a> {
    id: &'a str,
    form: &'a InfoForm,
    title_error: Option<&'static str>,
    order_error: Option<&'static str>,
}

async fn info_page(
    state: &AppState,
    signed: &Signed,
    kept: Option<Kept<'_>>,
    (message, status): (Option<Message>, u16),
) -> Response {
    let i = info_words(signed.visitor.lang);
    let pages = match programme::info_pages(state, signed.event()).await {
        Ok(pages) => pages,
        Err(e) => return page::failure(signed.visitor, &e),
    };
    let mut pages: Vec<Entry> = pages.iter().map(|(seq, p)| Entry::of(*seq, p)).collect();
    let mut new = Entry {
        id: NEW.into(),
        base: 0,
        key: fresh_key(),
        remove_key: String::new(),
        title: String::new(),
        body: String::new(),
        order: (pages.len() + 1).to_string(),
        title_error: None,
        order_error: None,
    };
    if let Some(kept) = kept {
        // A page removed meanwhile keeps the organiser's input in the new page's form.
        let entry = match pages.iter_mut().find(|e| e.id == kept.id) {
            Some(entry) => entry,
            None => &mut new,
        };
        entry.title = kept.form.title.clone();
        entry.body = kept.form.body.clone();
        entry.order = kept.form.order.clone();
        entry.title_error = kept.title_error;
        entry.order_error = kept.order_error;
    }
    html(
        signed.visitor,
        status,
        &InfoPageList {
            c: signed.chrome(i.info, "sessions").with(message),
            i,
            event: signed.event().to_string(),
            pages,
            new,
        },
    )
}

pub async fn get_info(
    State(state): State<AppState>,
    signed: Signed,
    Query(done): Query<Done>,
) -> Response {
    let i = info_words(signed.visitor.lang);
    let choices = [
        ("added", i.added),
        ("saved", i.saved),
        ("removed", i.removed),
    ];
    let message = done.message(&choices);
    info_page(&state, &signed, None, (message, 200)).await
}

/// The form's title and order, or the page with the mistakes marked.
async fn checked_fields(
    state: &AppState,
    signed: &Signed,
    id: &str,
    form: &InfoForm,
) -> Result<(String, i32), Response> {
    let i = info_words(signed.visitor.lang);
    let title = form.title.trim().to_string();
    let title_error =
        (title.is_empty() || title.chars().count() > MAX_TITLE_CHARS).then_some(i.err_title);
    let order = form.order.trim().parse::<i32>();
    let order_error = order.is_err().then_some(i.err_order);
    match order {
        Ok(order) if title_error.is_none() => Ok((title, order)),
        _ => {
            let kept = Kept {
                id,
                form,
                title_error,
                order_error,
            };
            let failed = Message::error(signed.visitor.lang.texts().failed);
            Err(info_page(state, signed, Some(kept), (failed, 422)).await)
        }
    }
}

/// Sends `op` and answers: a 303 to the list with `done`, or the page again with the input.
async fn send(
    state: &AppState,
    signed: &Signed,
    id: &str,
    form: &InfoForm,
    op: Op,
    done: &str,
) -> Response {
    let i = info_words(signed.visitor.lang);
    let to = format!("/organiser/{}/edit/info?done={done}", signed.event());
    match apply_or_again(state, signed, &form.version, op, &to, i.conflict).await {
        Ok(shown) => {
            let kept = Kept {
                id,
                form,
                title_error: None,
                order_error: None,
            };
            info_page(state, signed, Some(kept), shown).await
        }
        Err(answer) => answer,
    }
}

pub async fn post_add(
    State(state): State<AppState>,
    Checked { signed, form }: Checked<InfoForm>,
) -> Response {
    let (title, sort_order) = match checked_fields(&state, &signed, NEW, &form).await {
        Ok(fields) => fields,
        Err(answer) => return answer,
    };
    let op = Op::InfoAdd {
        id: info_id(&form.version.key),
        title,
        body: form.body.trim().to_string(),
        sort_order,
    };
    send(&state, &signed, NEW, &form, op, "added").await
}

pub async fn post_edit(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    Checked { signed, form }: Checked<InfoForm>,
) -> Response {
    let (title, sort_order) = match checked_fields(&state, &signed, &id, &form).await {
        Ok(fields) => fields,
        Err(answer) => return answer,
    };
    let op = Op::InfoEdit {
        id: id.clone(),
        title: Some(title),
        body: Some(form.body.trim().to_string()),
        sort_order: Some(sort_order),
    };
    send(&state, &signed, &id, &form, op, "saved").await
}

pub async fn post_remove(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    Checked { signed, form }: Checked<InfoForm>,
) -> Response {
    let op = Op::InfoRemove { id: id.clone() };
    send(&state, &signed, &id, &form, op, "removed").await
}

/// A new page's id, from its form's key (the same when the form is sent twice).
fn info_id(key: &str) -> String {
    let short: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect();
    format!("info-{short}")
}
