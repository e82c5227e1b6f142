//! The attendee programme in the browser, under `/e/{event}/`: server-rendered pages (askama
//! templates in `server/templates/programme/`, compiled in) that work without JavaScript, in
//! German or English by the browser's language with a switch (`?lang=`, never a cookie).
//!
//! The pages are reads of the event like the change pages: the access gate
//! (`http::access`) decides them on the decoded `{event}` before a handler runs, and a refusal
//! is shown as the access-code form (`locked`). A device keeps the code in its service
//! worker's storage and sends it as the gate's header; without JavaScript the form is posted
//! and opens the one page (`code_form`); nothing is ever remembered in a cookie.
//! Pages are cacheable (ETag from the head, the language and the address; 304), and
//! work offline after one visit through the service worker (`/e/sw.js`, network first).
//!
//! - `loaded`: the published content, kept per event at its head;
//! - `view`: what a page shows, from that content;
//! - `locked`: the access-code form a refused read shows;
//! - `code_form`: that form posted without JavaScript, read as the page with the code;
//! - `page`: the frame, the answers' headers, the ETag;
//! - `paths`: the pages' addresses (routes and links);
//! - `text`: the words, per language.

pub mod code_form;
pub mod loaded;
pub mod locked;
mod page;
pub mod paths;
mod search;
mod text;
pub mod view;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Path, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, get, on};
use chrono::{DateTime, Utc};

use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{LocationKind, SessionStatus};

use loaded::Loaded;
pub use page::PROGRAMME_CSP;
use page::{Frame, Notice, PAGE_CACHE, html, language, page_etag, vary};
use text::{Words, words};
use view::{Agenda, Content, Row, agenda, day_label, paragraphs};

use crate::http::caching::conditional;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{Query, Readable};
use crate::http::state::AppState;

const STYLE: &str = include_str!("programme.css");
const SCRIPT: &str = include_str!("programme.js");
const SERVICE_WORKER: &str = include_str!("sw.js");
const SERVICE_WORKER_CSP: &str = "default-src 'none'; connect-src 'self'";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/e/{event}/", page(get_agenda))
        .route(paths::SESSION, page(get_session))
        .route("/e/{event}/stations", page(get_stations))
        .route("/e/{event}/station/{id}", page(get_station))
        .route("/e/{event}/speakers", page(get_speakers))
        .route("/e/{event}/info", page(get_info))
        .route("/e/{event}/search", get(search::get_search))
        .route("/e/programme.css", get(style))
        .route("/e/programme.js", get(script))
        .route("/e/sw.js", get(service_worker))
        .layer(crate::http::routes::compression())
}

/// A page's route: read with GET, and with POST as its access-code form without JavaScript
/// (which `code_form` turns into the read with the code before the gate sees it).
fn page<H, T>(handler: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    on(MethodFilter::GET.or(MethodFilter::POST), handler)
}

/// `?lang=de|en&day=YYYY-MM-DD&location=ID&track=ID` (unknown keys ignored).
#[derive(serde::Deserialize, Default)]
pub struct PageParams {
    lang: Option<String>,
    day: Option<String>,
    location: Option<String>,
    track: Option<String>,
}

/// One request for a page: the event (admitted by the gate), its language, its address, its
/// query and the request's headers.
struct Visit {
    event: String,
    w: &'static Words,
    lang: text::Lang,
    address: String,
    params: PageParams,
    headers: HeaderMap,
}

impl<S: Send + Sync> FromRequestParts<S> for Visit {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Visit> {
        let Readable(event) = Readable::from_request_parts(parts, state).await?;
        let Query(params) = Query::<PageParams>::from_request_parts(parts, state).await?;
        let lang = language(params.lang.as_deref(), &parts.headers);
        let address = parts
            .uri
            .path_and_query()
            .map(|pq| pq.as_str().to_string())
            .unwrap_or_default();
        Ok(Visit {
            event,
            w: words(lang),
            lang,
            address,
            params,
            headers: parts.headers.clone(),
        })
    }
}

impl Visit {
    /// The page `make` renders from the event's content, answered conditionally: the 304 when
    /// the browser's copy is current (`extra`: what else the page depends on, in its ETag).
    async fn serve(
        &self,
        state: &AppState,
        extra: &str,
        make: impl FnOnce(&Visit, &Loaded) -> Response,
    ) -> ApiResult<Response> {
        self.serve_with(state, extra, async |visit, loaded| Ok(make(visit, loaded)))
            .await
    }

    /// [`Visit::serve`] for a page whose making waits or fails (the search page's index).
    async fn serve_with(
        &self,
        state: &AppState,
        extra: &str,
        make: impl AsyncFnOnce(&Visit, &Loaded) -> ApiResult<Response>,
    ) -> ApiResult<Response> {
        let head = state.heads.current(&self.event).await?;
        let etag = page_etag(&head, self.lang, &self.address, extra);
        let mut response = conditional(&self.headers, &etag, PAGE_CACHE, async {
            let loaded = loaded::load(&state.contents, &state.db, &self.event, &head).await?;
            make(self, &loaded).await
        })
        .await?;
        vary(response.headers_mut());
        Ok(response)
    }

    /// The page's frame over `content`.
    fn frame(&self, loaded: &Loaded, title: &str, current: &'static str) -> Frame {
        let as_of = DateTime::from_timestamp(loaded.updated_at, 0)
            .map(|at| {
                loaded
                    .content
                    .clock
                    .local(at)
                    .format(if self.w.lang == "de" {
                        "%d.%m.%Y %H:%M"
                    } else {
                        "%Y-%m-%d %H:%M"
                    })
                    .to_string()
            })
            .unwrap_or_default();
        let other = self.w.other_lang_code;
        let path = self.address.split('?').next().unwrap_or_default();
        let kept: Vec<&str> = self
            .address
            .split_once('?')
            .map(|(_, query)| {
                query
                    .split('&')
                    .filter(|p| !p.starts_with("lang="))
                    .collect()
            })
            .unwrap_or_default();
        let mut lang_href = format!("{path}?lang={other}");
        for pair in kept.iter().filter(|p| !p.is_empty()) {
            lang_href.push('&');
            lang_href.push_str(pair);
        }
        Frame {
            w: self.w,
            event_id: self.event.clone(),
            event_title: loaded.content.bundle.event.title.clone(),
            title: title.to_string(),
            current,
            lang_href,
            as_of,
        }
    }

    /// The "no such entry" page.
    fn not_found(&self, loaded: &Loaded) -> Response {
        html(
            StatusCode::NOT_FOUND,
            &Notice {
                f: self.frame(loaded, self.w.not_found, ""),
                text: self.w.not_found,
            },
        )
    }
}

/// The agenda's answer changes with the clock (now/next, announcements that expire): its
/// ETag holds the five minutes it was made in.
fn clock_slot(now: DateTime<Utc>) -> String {
    (now.timestamp() / 300).to_string()
}

#[derive(Template)]
#[template(path = "programme/agenda.html")]
struct AgendaPage {
    f: Frame,
    a: Agenda,
}

async fn get_agenda(State(state): State<AppState>, visit: Visit) -> ApiResult<Response> {
    let now = Utc::now();
    visit
        .serve(&state, &clock_slot(now), |visit, loaded| {
            render_agenda(visit, loaded, now)
        })
        .await
}

fn render_agenda(visit: &Visit, loaded: &Loaded, now: DateTime<Utc>) -> Response {
    let params = &visit.params;
    let content = &loaded.content;
    let Some(day) = content.day_to_show(params.day.as_deref(), now) else {
        return visit.not_found(loaded);
    };
    let a = agenda(
        content,
        visit.w,
        day,
        params.location.as_deref(),
        params.track.as_deref(),
        now,
    );
    let title = format!("{} · {}", visit.w.programme, a.day_label);
    html(
        StatusCode::OK,
        &AgendaPage {
            f: visit.frame(loaded, &title, "programme"),
            a,
        },
    )
}

/// Renders the agenda of `event`'s content as the page would (the benchmark's entry).
pub fn agenda_html(bundle: Bundle, lang: &str, day: &str, now: DateTime<Utc>) -> Option<String> {
    let content = Content::new(bundle).ok()?;
    let w = words(text::Lang::parse(lang)?);
    let day = content.day_to_show(Some(day), now)?;
    let a = agenda(&content, w, day, None, None, now);
    let f = Frame {
        w,
        event_id: content.bundle.event.id.clone(),
        event_title: content.bundle.event.title.clone(),
        title: format!("{} · {}", w.programme, a.day_label),
        current: "programme",
        lang_href: String::new(),
        as_of: String::new(),
    };
    AgendaPage { f, a }.render().ok()
}

/// A session's speaker as shown on its page.
struct SpeakerView {
    name: String,
    about: Option<String>,
    bio: Vec<String>,
}

#[derive(Template)]
#[template(path = "programme/session.html")]
struct SessionPage {
    f: Frame,
    row: Row,
    day: String,
    place_id: Option<String>,
    track_id: Option<String>,
    subtitle: Option<String>,
    summary: Vec<String>,
    description: Vec<String>,
    speakers: Vec<SpeakerView>,
}

async fn get_session(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    visit: Visit,
) -> ApiResult<Response> {
    visit
        .serve(&state, "", |visit, loaded| session_page(visit, loaded, &id))
        .await
}

fn session_page(visit: &Visit, loaded: &Loaded, id: &str) -> Response {
    let content = &loaded.content;
    let Some(session) = content.bundle.sessions.iter().find(|s| s.id == id) else {
        return visit.not_found(loaded);
    };
    let speakers = session
        .speaker_ids
        .iter()
        .filter_map(|id| content.speaker(id))
        .map(|s| SpeakerView {
            name: s.name.clone(),
            about: match (&s.role, &s.organisation) {
                (Some(role), Some(org)) => Some(format!("{role}, {org}")),
                (role, org) => role.clone().or_else(|| org.clone()),
            },
            bio: paragraphs(&s.bio),
        })
        .collect();
    let page = SessionPage {
        f: visit.frame(loaded, &session.title, "programme"),
        row: content.row(session),
        day: day_label(visit.w, content.clock.conference_day(session.start)),
        place_id: session.location_id.clone(),
        track_id: session.track_id.clone(),
        subtitle: session.subtitle.clone(),
        summary: paragraphs(&session.abstract_text),
        description: paragraphs(&session.description),
        speakers,
    };
    html(StatusCode::OK, &page)
}

/// A station or room in a list, with its pin on the map when it has a position.
struct PlaceView {
    id: String,
    name: String,
    pin: Option<(f64, f64)>,
}

/// The hall plan: the map image's size and address.
struct Plan {
    width: u32,
    height: u32,
    href: String,
}

#[derive(Template)]
#[template(path = "programme/stations.html")]
struct StationsPage {
    f: Frame,
    places: Vec<PlaceView>,
    plan: Option<Plan>,
}

async fn get_stations(State(state): State<AppState>, visit: Visit) -> ApiResult<Response> {
    visit.serve(&state, "", stations_page).await
}

fn stations_page(visit: &Visit, loaded: &Loaded) -> Response {
    let content = &loaded.content;
    let plan = content.bundle.event.venue.map.as_ref().and_then(|map| {
        Some(Plan {
            width: map.width?,
            height: map.height?,
            href: format!("/v1/assets/{}", map.sha256),
        })
    });
    let places: Vec<PlaceView> = content
        .bundle
        .locations
        .iter()
        .filter(|l| l.kind != LocationKind::Hall)
        .map(|l| PlaceView {
            id: l.id.clone(),
            name: l.name.clone(),
            pin: plan.as_ref().and_then(|plan| {
                let p = l.position.as_ref()?;
                Some((p.x * f64::from(plan.width), p.y * f64::from(plan.height)))
            }),
        })
        .collect();
    let page = StationsPage {
        f: visit.frame(loaded, visit.w.stations, "stations"),
        plan: plan.filter(|_| places.iter().any(|p| p.pin.is_some())),
        places,
    };
    html(StatusCode::OK, &page)
}

/// An exhibitor as shown at its station.
struct ExhibitorView {
    name: String,
    topics: String,
    description: Vec<String>,
}

#[derive(Template)]
#[template(path = "programme/station.html")]
struct StationPage {
    f: Frame,
    id: String,
    description: Vec<String>,
    exhibitors: Vec<ExhibitorView>,
    days: Vec<(String, Vec<Row>)>,
}

async fn get_station(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    visit: Visit,
) -> ApiResult<Response> {
    visit
        .serve(&state, "", |visit, loaded| station_page(visit, loaded, &id))
        .await
}

fn station_page(visit: &Visit, loaded: &Loaded, id: &str) -> Response {
    let content = &loaded.content;
    let Some(place) = content.location(id) else {
        return visit.not_found(loaded);
    };
    let exhibitors = content
        .bundle
        .exhibitors
        .iter()
        .filter(|e| e.station_id.as_deref() == Some(id))
        .map(|e| ExhibitorView {
            name: e.name.clone(),
            topics: e.topics.join(", "),
            description: paragraphs(&e.description),
        })
        .collect();
    let mut days: Vec<(String, Vec<Row>)> = Vec::new();
    for session in content
        .bundle
        .sessions
        .iter()
        .filter(|s| s.location_id.as_deref() == Some(id))
    {
        let label = day_label(visit.w, content.clock.conference_day(session.start));
        match days.last_mut() {
            Some((day, rows)) if *day == label => rows.push(content.row(session)),
            _ => days.push((label, vec![content.row(session)])),
        }
    }
    let page = StationPage {
        f: visit.frame(loaded, &place.name, "stations"),
        id: place.id.clone(),
        description: paragraphs(&place.description),
        exhibitors,
        days,
    };
    html(StatusCode::OK, &page)
}

/// A speaker with their sessions.
struct SpeakerEntry {
    name: String,
    about: Option<String>,
    sessions: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "programme/speakers.html")]
struct SpeakersPage {
    f: Frame,
    speakers: Vec<SpeakerEntry>,
}

async fn get_speakers(State(state): State<AppState>, visit: Visit) -> ApiResult<Response> {
    visit.serve(&state, "", speakers_page).await
}

fn speakers_page(visit: &Visit, loaded: &Loaded) -> Response {
    let content = &loaded.content;
    let mut sessions_of: std::collections::HashMap<&str, Vec<(String, String)>> =
        std::collections::HashMap::new();
    for session in content
        .bundle
        .sessions
        .iter()
        .filter(|s| s.status != SessionStatus::Cancelled)
    {
        for speaker in &session.speaker_ids {
            sessions_of
                .entry(speaker.as_str())
                .or_default()
                .push((session.id.clone(), session.title.clone()));
        }
    }
    let speakers = content
        .bundle
        .speakers
        .iter()
        .map(|s| SpeakerEntry {
            name: s.name.clone(),
            about: s.organisation.clone().or_else(|| s.role.clone()),
            sessions: sessions_of.remove(s.id.as_str()).unwrap_or_default(),
        })
        .collect();
    let page = SpeakersPage {
        f: visit.frame(loaded, visit.w.speakers, "speakers"),
        speakers,
    };
    html(StatusCode::OK, &page)
}

/// A gallery picture: its thumbnail's address and its caption.
struct Picture {
    src: String,
    caption: String,
}

#[derive(Template)]
#[template(path = "programme/info.html")]
struct InfoPage {
    f: Frame,
    description: Vec<String>,
    venue: Vec<String>,
    pages: Vec<(String, Vec<String>)>,
    notices: Vec<view::Notice>,
    gallery: Vec<Picture>,
}

async fn get_info(State(state): State<AppState>, visit: Visit) -> ApiResult<Response> {
    let now = Utc::now();
    visit
        .serve(&state, &clock_slot(now), |visit, loaded| {
            info_page(visit, loaded, now)
        })
        .await
}

fn info_page(visit: &Visit, loaded: &Loaded, now: DateTime<Utc>) -> Response {
    let bundle = &loaded.content.bundle;
    let venue = &bundle.event.venue;
    let page = InfoPage {
        f: visit.frame(loaded, visit.w.info, "info"),
        description: paragraphs(&bundle.event.description),
        venue: [
            venue.name.clone(),
            venue.street.clone(),
            format!("{} {}", venue.postal_code, venue.city)
                .trim()
                .to_string(),
        ]
        .into_iter()
        .filter(|line| !line.is_empty())
        .collect(),
        pages: bundle
            .info_pages
            .iter()
            .map(|p| (p.title.clone(), paragraphs(&p.body)))
            .collect(),
        notices: view::notices(&bundle.announcements, now),
        gallery: bundle
            .gallery
            .iter()
            .map(|g| Picture {
                src: format!(
                    "/v1/assets/{}",
                    g.thumbnail.as_ref().unwrap_or(&g.image).sha256
                ),
                caption: g.caption.clone(),
            })
            .collect(),
    };
    html(StatusCode::OK, &page)
}

fn static_file(body: &'static str, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

async fn style() -> Response {
    static_file(STYLE, "text/css; charset=utf-8")
}

async fn script() -> Response {
    static_file(SCRIPT, "text/javascript; charset=utf-8")
}

/// The service worker: always checked for a newer version (no cache), any event's scope
/// under `/e/` (it reads its event from its scope).
async fn service_worker() -> Response {
    let mut response = static_file(SERVICE_WORKER, "text/javascript; charset=utf-8");
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // A worker runs under its own script's policy: it fetches the pages, nothing else.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(SERVICE_WORKER_CSP),
    );
    response
}
