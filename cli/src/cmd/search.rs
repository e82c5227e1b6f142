//! `marktplatz search`: searches a device store the way the apps do, as you would type it.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use marktplatz_core::search::{self, Highlight, SearchCache, SearchHit, SearchQuery};
use marktplatz_core::store::Store;
use marktplatz_model::model::EntityKind;
use serde::Serialize;

use super::CmdResult;

#[derive(clap::Args)]
pub struct Args {
    /// The device store folder (content.db, user.db).
    #[arg(long)]
    device: PathBuf,
    /// The event to search; may be left out when the device holds exactly one.
    #[arg(long)]
    event: Option<String>,
    /// Only this kind (session, speaker, exhibitor, location, track, announcement, info_page);
    /// repeat for several.
    #[arg(long = "kind", value_name = "K")]
    kinds: Vec<String>,
    /// At most this many hits.
    #[arg(long, default_value_t = 20)]
    limit: u32,
    /// Print a JSON array of hits instead of lines.
    #[arg(long)]
    json: bool,
    /// What the attendee typed (may start with a hyphen).
    #[arg(allow_hyphen_values = true)]
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
    if !args
        .device
        .join(marktplatz_core::store::CONTENT_DB)
        .exists()
    {
        return Err(format!(
            "{} holds no device store (no {})",
            args.device.display(),
            marktplatz_core::store::CONTENT_DB
        )
        .into());
    }
    let store = Store::open(&args.device)?;
    let event_id = match args.event {
        Some(event) => event,
        None => only_event(&store)?,
    };
    let mut kinds = Vec::new();
    for name in &args.kinds {
        let kind = EntityKind::parse(name)
            .filter(|k| marktplatz_core::search::SEARCHED_KINDS.contains(k))
            .ok_or_else(|| {
                format!(
                    "--kind {name}: not a searched kind (use one of: {})",
                    marktplatz_core::search::SEARCHED_KINDS
                        .map(|k| k.as_str())
                        .join(", ")
                )
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
        println!("{}", serde_json::to_string_pretty(&json)?);
    } else if hits.is_empty() {
        println!("no hits");
    } else {
        for hit in &hits {
            println!(
                "{:<12} {}",
                hit.kind.as_str(),
                underline(&hit.title, &hit.title_highlights)
            );
            if !hit.context.is_empty() {
                println!(
                    "{:<12} {}",
                    "",
                    underline(&hit.context, &hit.context_highlights)
                );
            }
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

fn only_event(store: &Store) -> Result<String, Box<dyn std::error::Error>> {
    let events = store.events()?;
    match events.as_slice() {
        [only] => Ok(only.id.clone()),
        [] => Err("the device holds no event yet (sync or load one first)".into()),
        many => Err(format!(
            "the device holds several events; choose one with --event ({})",
            many.iter()
                .map(|e| e.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
        .into()),
    }
}

/// Marks matched ranges with `[brackets]` for a terminal.
fn underline(text: &str, ranges: &[Highlight]) -> String {
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
