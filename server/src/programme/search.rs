//! `GET /e/{event}/search?q=…`: the programme searched with the phones' engine
//! ([`marktplatz_search`]), answered by the server from the event's in-memory index
//! (`cache::search_indexes`, built once per head). Hits are grouped by kind, sessions with their
//! day, time and place, matches underlined as `<mark>` around escaped text.
//!
//! The same gate, headers and caching as every programme page: the access gate decides before
//! this runs, no cookie, an ETag from the head, the language, the address and the five-minute
//! clock slot (ties go to the session starting soonest, and expired announcements drop out).
//! `&fragment=1` answers only the results, for search as you type (`programme.js`). What was
//! typed never reaches SQL: the index is in memory, and the engine treats every character as
//! text.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};

use marktplatz_model::model::EntityKind;
use marktplatz_search::document::SEARCHED_KINDS;
use marktplatz_search::{Highlight, SearchHit, SearchQuery};

use super::page::{Frame, html};
use super::text::Words;
use super::view::{Content, day_label};
use super::{Visit, clock_slot};
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::Query;
use crate::http::state::AppState;

/// More of a query than this is ignored (the engine itself reads at most 256 characters).
pub const MAX_QUERY_CHARS: usize = 200;
/// Hits shown at most: a page to scan, not an export.
const MAX_HITS: u32 = 60;
/// The clock slot's length, in seconds (the agenda's, see `clock_slot`).
const SLOT_SECONDS: i64 = 300;

/// `?q=…&fragment=1` (unknown keys ignored; `lang` is the page's, read by [`Visit`]).
#[derive(serde::Deserialize, Default)]
pub struct SearchParams {
    q: Option<String>,
    fragment: Option<String>,
}

/// A piece of a title or context line, underlined when it matched.
pub struct Marked {
    pub text: String,
    pub mark: bool,
}

/// One hit as the page shows it.
pub struct HitView {
    pub href: String,
    pub title: Vec<Marked>,
    /// Sessions: day, time and place.
    pub when: Option<String>,
    pub cancelled: bool,
    pub context: Vec<Marked>,
}

/// The hits of one kind.
pub struct HitGroup {
    pub label: &'static str,
    pub hits: Vec<HitView>,
}

/// What the results region shows (the whole page and the fragment alike).
pub struct Results {
    pub w: &'static Words,
    pub query: String,
    pub total: usize,
    pub groups: Vec<HitGroup>,
}

#[derive(Template)]
#[template(path = "programme/search.html")]
struct SearchPage {
    f: Frame,
    r: Results,
}

#[derive(Template)]
#[template(path = "programme/search_fragment.html")]
struct SearchFragment {
    r: Results,
}

pub(super) async fn get_search(
    State(state): State<AppState>,
    visit: Visit,
    Query(params): Query<SearchParams>,
) -> ApiResult<Response> {
    let now = Utc::now();
    // Read before the content: the index is keyed by a head no newer than what it holds.
    let head = state.heads.current(&visit.event).await?;
    let typed = bounded(params.q.as_deref().unwrap_or_default());
    visit
        .serve_with(&state, &clock_slot(now), async |visit, loaded| {
            let hits = if typed.is_empty() {
                Vec::new()
            } else {
                let index = state
                    .search
                    .get(&visit.event, &head, || loaded.content.bundle.clone())
                    .await
                    .map_err(|e| ApiError::internal("building the search index", e))?;
                let mut query = SearchQuery::new(visit.event.clone(), typed.clone());
                query.now = slot_start(now);
                query.limit = MAX_HITS;
                index.search(&query)
            };
            let r = results(&loaded.content, visit.w, typed, hits, now);
            if params.fragment.is_some() {
                return Ok(html(StatusCode::OK, &SearchFragment { r }));
            }
            let title = if r.query.is_empty() {
                visit.w.search_title.to_string()
            } else {
                format!("{}: {}", visit.w.search_title, r.query)
            };
            let page = SearchPage {
                f: visit.frame(loaded, &title, "search"),
                r,
            };
            Ok(html(StatusCode::OK, &page))
        })
        .await
}

/// The query as searched: at most [`MAX_QUERY_CHARS`] characters, trimmed.
fn bounded(typed: &str) -> String {
    let cut: String = typed.chars().take(MAX_QUERY_CHARS).collect();
    cut.trim().to_string()
}

/// The start of the clock slot `now` is in: the ranking's "now", so an answer is the same for
/// its whole ETag.
fn slot_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let start = now.timestamp() - now.timestamp().rem_euclid(SLOT_SECONDS);
    DateTime::from_timestamp(start, 0).unwrap_or(now)
}

/// The hits grouped by kind (in the order of [`GROUPS`]), each group in the engine's order.
fn results(
    content: &Content,
    w: &'static Words,
    query: String,
    hits: Vec<SearchHit>,
    now: DateTime<Utc>,
) -> Results {
    let mut groups: Vec<HitGroup> = GROUPS
        .iter()
        .zip(w.search_groups)
        .map(|(_, label)| HitGroup {
            label,
            hits: Vec::new(),
        })
        .collect();
    for hit in hits {
        let Some(group) = GROUPS.iter().position(|k| *k == hit.kind) else {
            continue;
        };
        if let Some(view) = hit_view(content, w, &hit, now) {
            groups[group].hits.push(view);
        }
    }
    groups.retain(|g| !g.hits.is_empty());
    Results {
        w,
        total: groups.iter().map(|g| g.hits.len()).sum(),
        query,
        groups,
    }
}

/// The kinds in the order their groups are shown (`Words::search_groups` names them): the
/// engine's own list, sessions first.
const GROUPS: [EntityKind; 7] = SEARCHED_KINDS;

/// Where a hit leads, and for sessions when and where; `None` for what the pages do not show
/// (an announcement that has expired).
fn hit_view(
    content: &Content,
    w: &'static Words,
    hit: &SearchHit,
    now: DateTime<Utc>,
) -> Option<HitView> {
    let event = &content.bundle.event.id;
    let lang = w.lang;
    let mut when = None;
    let mut cancelled = false;
    let href = match hit.kind {
        EntityKind::Session => {
            let session = content.bundle.sessions.iter().find(|s| s.id == hit.id)?;
            let row = content.row(session);
            let day = day_label(w, content.clock.conference_day(session.start));
            when = Some(match &row.place {
                Some(place) => format!("{day}, {}–{} · {place}", row.start, row.end),
                None => format!("{day}, {}–{}", row.start, row.end),
            });
            cancelled = row.cancelled;
            format!("/e/{event}/session/{}?lang={lang}", hit.id)
        }
        EntityKind::Location => format!("/e/{event}/station/{}?lang={lang}", hit.id),
        EntityKind::Exhibitor => {
            let exhibitor = content.bundle.exhibitors.iter().find(|x| x.id == hit.id)?;
            match &exhibitor.station_id {
                Some(station) => format!("/e/{event}/station/{station}?lang={lang}"),
                None => format!("/e/{event}/stations?lang={lang}"),
            }
        }
        EntityKind::Speaker => format!("/e/{event}/speakers?lang={lang}"),
        EntityKind::Track => format!("/e/{event}/?lang={lang}&track={}", hit.id),
        EntityKind::Announcement => {
            let notice = content
                .bundle
                .announcements
                .iter()
                .find(|a| a.id == hit.id)?;
            if notice.expires_at.is_some_and(|at| at <= now) {
                return None;
            }
            format!("/e/{event}/info?lang={lang}")
        }
        _ => format!("/e/{event}/info?lang={lang}"),
    };
    Some(HitView {
        href,
        title: marked(&hit.title, &hit.title_highlights),
        when,
        cancelled,
        context: marked(&hit.context, &hit.context_highlights),
    })
}

/// `text` cut at the highlights' edges (character offsets, sorted and merged by the engine).
fn marked(text: &str, highlights: &[Highlight]) -> Vec<Marked> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = Vec::new();
    let mut at = 0usize;
    for h in highlights {
        let start = (h.start as usize).clamp(at, chars.len());
        let end = (h.end as usize).clamp(start, chars.len());
        if start > at {
            pieces.push(Marked {
                text: chars[at..start].iter().collect(),
                mark: false,
            });
        }
        if end > start {
            pieces.push(Marked {
                text: chars[start..end].iter().collect(),
                mark: true,
            });
        }
        at = end;
    }
    if at < chars.len() {
        pieces.push(Marked {
            text: chars[at..].iter().collect(),
            mark: false,
        });
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_cut_the_text_at_character_offsets() {
        let pieces = marked(
            "Straße & <b>",
            &[
                Highlight { start: 0, end: 6 },
                Highlight { start: 9, end: 40 },
            ],
        );
        let shown: Vec<(&str, bool)> = pieces.iter().map(|m| (m.text.as_str(), m.mark)).collect();
        assert_eq!(shown, [("Straße", true), (" & ", false), ("<b>", true)]);
        assert!(marked("", &[Highlight { start: 3, end: 1 }]).is_empty());
    }

    #[test]
    fn the_query_is_bounded_and_the_clock_slot_is_stable() {
        assert_eq!(bounded(&"x".repeat(5000)).len(), MAX_QUERY_CHARS);
        assert_eq!(bounded("  portal "), "portal");
        let now = DateTime::from_timestamp(1_000_000_123, 0).unwrap();
        assert_eq!(slot_start(now).timestamp() % SLOT_SECONDS, 0);
        assert!(slot_start(now) <= now);
    }
}
