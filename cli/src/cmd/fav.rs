//! `marktplatz fav`: add, remove, annotate, list, share and read a friend's favourites.

use std::path::PathBuf;

use marktplatz_core::favourites;
use marktplatz_core::favourites::{Favourite, FavouriteKind};
use marktplatz_core::store::Store;
use serde_json::{Value, json};

use super::{CmdResult, agenda, device};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Args)]
struct Target {
    /// The device's store folder.
    #[arg(long)]
    device: PathBuf,
    /// The event (needed only when the device holds several).
    #[arg(long)]
    event: Option<String>,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Make a session, speaker or exhibitor a favourite.
    Add {
        #[command(flatten)]
        target: Target,
        /// session, speaker or exhibitor (needed only when the id is used by several kinds).
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        note: Option<String>,
        id: String,
    },
    /// Stop following a favourite.
    Remove {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        kind: Option<String>,
        id: String,
    },
    /// Set (or, without text, clear) a favourite's personal note.
    Note {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        kind: Option<String>,
        id: String,
        text: Option<String>,
    },
    /// List the favourites, removed and cancelled ones marked.
    List {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        json: bool,
    },
    /// Print a share code of my favourites (for a QR code or a message).
    Share {
        #[command(flatten)]
        target: Target,
    },
    /// Show a friend's share code: their sessions and which clash with mine.
    Import {
        #[command(flatten)]
        target: Target,
        code: String,
        /// Also add their sessions, speakers and exhibitors to my favourites.
        #[arg(long)]
        add: bool,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: Args) -> CmdResult {
    match args.action {
        Action::Add {
            target,
            kind,
            note,
            id,
        } => {
            let (store, event_id) = open(&target)?;
            let kind = resolve_kind(&store, &event_id, kind.as_deref(), &id)?;
            let added = favourites::add_favourite(&store, &event_id, kind, &id, note.as_deref())?;
            // Printed only after the call returned: the favourite is on disk by now.
            println!(
                "{} {kind} {id}",
                if added {
                    "added"
                } else {
                    "already a favourite:"
                }
            );
        }
        Action::Remove { target, kind, id } => {
            let (store, event_id) = open(&target)?;
            let kind = match kind {
                Some(kind) => parse_kind(&kind)?,
                None => resolve_favourite_kind(&store, &event_id, &id)?,
            };
            let listeners = favourites::AlertListeners::default();
            if favourites::remove_favourite(&store, &listeners, &event_id, kind, &id)? {
                println!("removed {kind} {id}");
            } else {
                return Err(format!("{kind} '{id}' is not a favourite").into());
            }
        }
        Action::Note {
            target,
            kind,
            id,
            text,
        } => {
            let (store, event_id) = open(&target)?;
            let kind = match kind {
                Some(kind) => parse_kind(&kind)?,
                None => resolve_favourite_kind(&store, &event_id, &id)?,
            };
            favourites::set_favourite_note(&store, &event_id, kind, &id, text.as_deref())?;
            println!(
                "note {} for {kind} {id}",
                if text.is_some() { "saved" } else { "cleared" }
            );
        }
        Action::List { target, json } => {
            let (store, event_id) = open(&target)?;
            let list = favourites::favourites(&store, &event_id)?;
            if json {
                let items: Vec<Value> = list.iter().map(favourite_json).collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &json!({"event_id": event_id, "favourites": items})
                    )?
                );
            } else {
                print_list(&event_id, &list);
            }
        }
        Action::Share { target } => {
            let (store, event_id) = open(&target)?;
            println!("{}", favourites::share_code(&store, &event_id)?);
        }
        Action::Import {
            target,
            code,
            add,
            json,
        } => {
            let store = device::open(&target.device)?;
            let shared = favourites::read_share_code(&store, &code)?;
            if let Some(event) = &target.event
                && event != &shared.event_id
            {
                return Err(format!(
                    "this code is for event '{}', not '{event}'",
                    shared.event_id
                )
                .into());
            }
            let mut added = 0;
            if add {
                let groups = [
                    (
                        FavouriteKind::Session,
                        shared
                            .sessions
                            .iter()
                            .map(|s| s.session.id.clone())
                            .collect::<Vec<_>>(),
                    ),
                    (FavouriteKind::Speaker, shared.speaker_ids.clone()),
                    (FavouriteKind::Exhibitor, shared.exhibitor_ids.clone()),
                ];
                for (kind, ids) in groups {
                    for id in ids {
                        if favourites::add_favourite(&store, &shared.event_id, kind, &id, None)? {
                            added += 1;
                        }
                    }
                }
            }
            if json {
                let sessions: Vec<Value> = shared
                    .sessions
                    .iter()
                    .map(|s| json!({"session": agenda::session_json(&s.session), "mine": s.mine, "clashes_with": s.clashes_with}))
                    .collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({
                        "event_id": shared.event_id,
                        "sessions": sessions,
                        "speaker_ids": shared.speaker_ids,
                        "exhibitor_ids": shared.exhibitor_ids,
                        "unresolved": shared.unresolved,
                        "added": added,
                    }))?
                );
            } else {
                println!(
                    "{}: {} sessions shared",
                    shared.event_id,
                    shared.sessions.len()
                );
                for s in &shared.sessions {
                    let mark = if s.mine {
                        "="
                    } else if s.clashes_with.is_empty() {
                        " "
                    } else {
                        "!"
                    };
                    let mut text =
                        format!("{mark} {}  {}", s.session.day, agenda::line(&s.session));
                    if !s.clashes_with.is_empty() {
                        text.push_str(&format!("  CLASHES with my {}", s.clashes_with.join(", ")));
                    }
                    println!("{text}");
                }
                println!(
                    "{} speakers, {} exhibitors; {} not found on this device",
                    shared.speaker_ids.len(),
                    shared.exhibitor_ids.len(),
                    shared.unresolved
                );
                if add {
                    println!("added {added} favourites");
                }
            }
        }
    }
    Ok(())
}

fn open(target: &Target) -> Result<(Store, String), Box<dyn std::error::Error>> {
    let store = device::open(&target.device)?;
    let event_id = device::resolve_event(&store, target.event.as_deref())?;
    Ok((store, event_id))
}

fn parse_kind(text: &str) -> Result<FavouriteKind, Box<dyn std::error::Error>> {
    FavouriteKind::parse(text)
        .ok_or_else(|| format!("--kind {text}: use session, speaker or exhibitor").into())
}

/// The kind of a new favourite: named, or the only kind of content with this id.
fn resolve_kind(
    store: &Store,
    event_id: &str,
    named: Option<&str>,
    id: &str,
) -> Result<FavouriteKind, Box<dyn std::error::Error>> {
    if let Some(kind) = named {
        return parse_kind(kind);
    }
    match favourites::favourable_kinds(store, event_id, id)?.as_slice() {
        [only] => Ok(*only),
        [] => Err(format!("no session, speaker or exhibitor '{id}' in event '{event_id}'").into()),
        several => Err(format!(
            "'{id}' names a {}; choose one with --kind",
            several
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(" and a ")
        )
        .into()),
    }
}

/// The kind of an existing favourite with this id (it may be gone from the content).
fn resolve_favourite_kind(
    store: &Store,
    event_id: &str,
    id: &str,
) -> Result<FavouriteKind, Box<dyn std::error::Error>> {
    let mut kinds = Vec::new();
    for kind in FavouriteKind::ALL {
        if favourites::is_favourite(store, event_id, kind, id)? {
            kinds.push(kind);
        }
    }
    match kinds.as_slice() {
        [only] => Ok(*only),
        [] => Err(format!("'{id}' is not a favourite in event '{event_id}'").into()),
        _ => Err(format!("'{id}' is a favourite of several kinds; choose one with --kind").into()),
    }
}

fn favourite_json(f: &Favourite) -> Value {
    json!({
        "kind": f.kind.as_str(),
        "id": f.id,
        "title": f.title,
        "state": f.state.as_str(),
        "note": f.note,
        "added_at": f.added_at.to_rfc3339(),
        "session": f.session.as_ref().map(|s| json!({
            "start": s.start.to_rfc3339(),
            "end": s.end.to_rfc3339(),
            "day": s.day,
            "local_start": s.local_start,
            "local_end": s.local_end,
            "location_id": s.location_id,
            "location_name": s.location_name,
            "status": s.status.as_str(),
        })),
    })
}

fn print_list(event_id: &str, list: &[Favourite]) {
    println!("{event_id}: {} favourites", list.len());
    for f in list {
        let title = f.title.as_deref().unwrap_or("(not seen yet)");
        let when = f
            .session
            .as_ref()
            .and_then(|s| {
                Some(format!(
                    "{} {}-{}  ",
                    s.day?,
                    s.local_start.as_deref()?,
                    s.local_end.as_deref()?
                ))
            })
            .unwrap_or_default();
        let state = match f.state.as_str() {
            "present" => String::new(),
            other => format!("  ({other})"),
        };
        println!("{:<9} {:<24} {when}{title}{state}", f.kind.as_str(), f.id);
        if let Some(note) = &f.note {
            println!("{:<34} note: {note}", "");
        }
    }
}
