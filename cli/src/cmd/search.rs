//! `marktplatz search`: searches a device store the way the apps do, as you would type it.

use chrono::{DateTime, Utc};
use marktplatz_core::search::{self, Highlight, SearchCache, SearchHit, SearchQuery};
use marktplatz_model::model::EntityKind;
use serde::Serialize;

use super::device::Target;
use crate::error::{CliError, CmdResult};
use crate::i18n::messages as msg;
use crate::out;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: Target,
    /// Only this kind (session, speaker, exhibitor, location, track, announcement, info_page);
    /// repeat for several.
    #[arg(long = "kind", value_name = "KIND")]
    kinds: Vec<String>,
    /// At most this many hits (default 20).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 20,
        hide_default_value = true
    )]
    limit: u32,
    /// Print a JSON array of hits instead of lines.
    #[arg(long)]
    json: bool,
    /// What the attendee typed (may start with a hyphen).
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    query: String,
}

/// One hit as printed with `--json`; `highlights` are the title's (char offsets).
#[derive(Serialize)]
struct JsonHit<'a> {
    kind: EntityKind,
    id: &'a str,
    event_id: &'a str,
    title: &'a str,
    highlights: &'a [Highlight],
    context: &'a str,
    context_highlights: &'a [Highlight],
    start: Option<DateTime<Utc>>,
}

pub fn run(args: Args) -> CmdResult {
    let (store, event_id) = args.target.open()?;
    let mut kinds = Vec::new();
    for name in &args.kinds {
        let kind = EntityKind::parse(name)
            .filter(|k| marktplatz_core::search::SEARCHED_KINDS.contains(k))
            .ok_or_else(|| {
                CliError::invalid(msg::bad_search_kind(
                    name,
                    &marktplatz_core::search::SEARCHED_KINDS.map(|k| k.as_str()),
                ))
            })?;
        kinds.push(kind);
    }
    let mut query = SearchQuery::new(event_id, args.query);
    query.kinds = kinds;
    query.limit = args.limit;
    // One search: the in-memory state is built for it and dropped with it.
    let hits = search::search(&store, &SearchCache::default(), &query)?;
    if args.json {
        let json: Vec<JsonHit<'_>> = hits.iter().map(json_hit).collect();
        return crate::out::json(&json);
    }
    if hits.is_empty() {
        return out!("{}", msg::no_hits());
    }
    for hit in &hits {
        out!(
            "{:<12} {}",
            msg::entity_kind(hit.kind.as_str()),
            underline(&hit.title, &hit.title_highlights)
        )?;
        if !hit.context.is_empty() {
            out!(
                "{:<12} {}",
                "",
                underline(&hit.context, &hit.context_highlights)
            )?;
        }
    }
    Ok(())
}

fn json_hit(hit: &SearchHit) -> JsonHit<'_> {
    JsonHit {
        kind: hit.kind,
        id: &hit.id,
        event_id: &hit.event_id,
        title: &hit.title,
        highlights: &hit.title_highlights,
        context: &hit.context,
        context_highlights: &hit.context_highlights,
        start: hit.start,
    }
}

/// Marks matched ranges with `[brackets]` for a terminal (the apps underline them).
pub fn underline(text: &str, ranges: &[Highlight]) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 2);
    for (i, c) in text.chars().enumerate() {
        let i = i as u32;
        if ranges.iter().any(|r| r.start == i) {
            out.push('[');
        }
        out.push(c);
        if ranges.iter().any(|r| r.end == i + 1) {
            out.push(']');
        }
    }
    out
}
