//! `marktplatz fav`: add, remove, annotate, list, share and read a friend's favourites.

use std::collections::HashMap;

use marktplatz_core::favourites;
use marktplatz_core::favourites::{Favourite, FavouriteKind};
use marktplatz_core::store::Store;
use serde_json::{Value, json};

use super::agenda;
use super::device::{self, Target};
use crate::error::{CliError, CmdResult};
use crate::i18n::messages as msg;
use crate::out;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Make a session, speaker or exhibitor a favourite.
    Add {
        #[command(flatten)]
        target: Target,
        /// session, speaker or exhibitor (needed only when the id is used by several kinds).
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// A personal note to keep with it.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// The id of the session, speaker or exhibitor (`marktplatz agenda --ids`).
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Stop following a favourite.
    Remove {
        #[command(flatten)]
        target: Target,
        /// session, speaker or exhibitor (needed only when the id is a favourite of several
        /// kinds).
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// The favourite's id (`marktplatz fav list`).
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Set (or, without text, clear) a favourite's personal note.
    Note {
        #[command(flatten)]
        target: Target,
        /// session, speaker or exhibitor (needed only when the id is a favourite of several
        /// kinds).
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// The favourite's id (`marktplatz fav list`).
        #[arg(value_name = "ID")]
        id: String,
        /// The note; leave it out to clear the note.
        #[arg(value_name = "TEXT")]
        text: Option<String>,
    },
    /// List the favourites, removed and cancelled ones marked.
    List {
        #[command(flatten)]
        target: Target,
        /// Print JSON instead of lines.
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
        /// The share code (`marktplatz fav share` on their device).
        #[arg(value_name = "CODE")]
        code: String,
        /// Also add their sessions, speakers and exhibitors to my favourites.
        #[arg(long)]
        add: bool,
        /// Print JSON instead of lines.
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
            let (store, event_id) = target.open()?;
            let kind = resolve_kind(&store, &event_id, kind.as_deref(), &id)?;
            let added = favourites::add_favourite(&store, &event_id, kind, &id, note.as_deref())?;
            // Printed only after the call returned: the favourite is on disk by now.
            let title = super::write::title_of(&store, &event_id, kind.entity_kind(), &id);
            out!("{}", msg::fav_added(added, kind, &title))
        }
        Action::Remove { target, kind, id } => {
            let (store, event_id) = target.open()?;
            let kind = match kind {
                Some(kind) => parse_kind(&kind)?,
                None => resolve_favourite_kind(&store, &event_id, &id)?,
            };
            let title = super::write::title_of(&store, &event_id, kind.entity_kind(), &id);
            if favourites::remove_favourite(
                &store,
                &favourites::AlertListeners::default(),
                &event_id,
                kind,
                &id,
            )? {
                out!("{}", msg::fav_removed(kind, &title))
            } else {
                Err(CliError::invalid(msg::not_a_favourite(&id, &event_id)))
            }
        }
        Action::Note {
            target,
            kind,
            id,
            text,
        } => {
            let (store, event_id) = target.open()?;
            let kind = match kind {
                Some(kind) => parse_kind(&kind)?,
                None => resolve_favourite_kind(&store, &event_id, &id)?,
            };
            favourites::set_favourite_note(&store, &event_id, kind, &id, text.as_deref())?;
            let title = super::write::title_of(&store, &event_id, kind.entity_kind(), &id);
            out!("{}", msg::fav_note(text.is_some(), kind, &title))
        }
        Action::List { target, json } => {
            let (store, event_id) = target.open()?;
            let list = favourites::favourites(&store, &event_id)?;
            if json {
                let items: Vec<Value> = list.iter().map(favourite_json).collect();
                return crate::out::json(&json!({"event_id": event_id, "favourites": items}));
            }
            print_list(&event_id, &list)
        }
        Action::Share { target } => {
            let (store, event_id) = target.open()?;
            out!("{}", favourites::share_code(&store, &event_id)?)
        }
        Action::Import {
            target,
            code,
            add,
            json,
        } => import(&target, &code, add, json),
    }
}

fn import(target: &Target, code: &str, add: bool, json: bool) -> CmdResult {
    let store = device::open(&target.device)?;
    let shared = favourites::read_share_code(&store, code).map_err(share_code_error)?;
    if let Some(event) = &target.event
        && event != &shared.event_id
    {
        return Err(CliError::invalid(msg::code_for_other_event(
            &shared.event_id,
            event,
        )));
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
        return crate::out::json(&json!({
            "event_id": shared.event_id,
            "sessions": sessions,
            "speaker_ids": shared.speaker_ids,
            "exhibitor_ids": shared.exhibitor_ids,
            "unresolved": shared.unresolved,
            "added": added,
        }));
    }
    let clashing: Vec<String> = shared
        .sessions
        .iter()
        .flat_map(|s| s.clashes_with.iter().cloned())
        .collect();
    let my_titles: HashMap<String, String> = store
        .session_summaries(&shared.event_id, &clashing)?
        .into_iter()
        .map(|s| (s.id, s.title))
        .collect();
    out!(
        "{}",
        msg::shared_header(&shared.event_id, shared.sessions.len())
    )?;
    for s in &shared.sessions {
        let mark = if s.mine {
            "="
        } else if s.clashes_with.is_empty() {
            " "
        } else {
            "!"
        };
        let mut text = format!(
            "{mark} {}  {}",
            msg::date(s.session.day),
            agenda::line(&s.session, false)
        );
        if !s.clashes_with.is_empty() {
            let names: Vec<String> = s
                .clashes_with
                .iter()
                .map(|id| match my_titles.get(id) {
                    Some(title) => msg::quote(title),
                    None => format!("'{id}'"),
                })
                .collect();
            text.push_str(&format!("  {}", msg::clashes_with(&names.join(", "))));
        }
        out!("{text}")?;
    }
    out!(
        "{}",
        msg::shared_footer(
            shared.speaker_ids.len(),
            shared.exhibitor_ids.len(),
            shared.unresolved as usize
        )
    )?;
    if add {
        out!("{}", msg::added_favourites(added))?;
    }
    Ok(())
}

/// The two ways a friend's code fails, in the run's language.
fn share_code_error(error: marktplatz_core::Error) -> CliError {
    match &error {
        marktplatz_core::Error::Invalid { entity, field, .. }
            if entity == "share code" && field == "event" =>
        {
            CliError::invalid(msg::share_code_other_event())
        }
        marktplatz_core::Error::Malformed { what, .. } if what == "the share code" => {
            CliError::invalid(msg::share_code_unreadable(&error.to_string()))
        }
        _ => error.into(),
    }
}

fn parse_kind(text: &str) -> CmdResult<FavouriteKind> {
    FavouriteKind::parse(text).ok_or_else(|| CliError::invalid(msg::bad_kind(text)))
}

/// The kind of a new favourite: named, or the only kind of content with this id.
fn resolve_kind(
    store: &Store,
    event_id: &str,
    named: Option<&str>,
    id: &str,
) -> CmdResult<FavouriteKind> {
    if let Some(kind) = named {
        return parse_kind(kind);
    }
    match favourites::favourable_kinds(store, event_id, id)?.as_slice() {
        [only] => Ok(*only),
        [] => Err(CliError::invalid(msg::nothing_to_favourite(id, event_id))),
        several => Err(CliError::invalid(msg::several_kinds(
            id,
            &several.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        ))),
    }
}

/// The kind of an existing favourite with this id (it may be gone from the content).
fn resolve_favourite_kind(store: &Store, event_id: &str, id: &str) -> CmdResult<FavouriteKind> {
    let mut kinds = Vec::new();
    for kind in FavouriteKind::ALL {
        if favourites::is_favourite(store, event_id, kind, id)? {
            kinds.push(kind);
        }
    }
    match kinds.as_slice() {
        [only] => Ok(*only),
        [] => Err(CliError::invalid(msg::not_a_favourite(id, event_id))),
        several => Err(CliError::invalid(msg::several_kinds(
            id,
            &several.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        ))),
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

fn print_list(event_id: &str, list: &[Favourite]) -> CmdResult {
    out!("{}", msg::favourites_header(event_id, list.len()))?;
    for f in list {
        let title = f.title.clone().unwrap_or_else(msg::not_seen_yet);
        let when = f
            .session
            .as_ref()
            .and_then(|s| {
                Some(format!(
                    "{} {}-{}  ",
                    msg::date(s.day?),
                    s.local_start.as_deref()?,
                    s.local_end.as_deref()?
                ))
            })
            .unwrap_or_default();
        let state = match f.state.as_str() {
            "present" => String::new(),
            other => format!("  ({})", msg::favourite_state(other)),
        };
        out!(
            "{:<11} {:<24} {when}{title}{state}",
            msg::kind_name(f.kind),
            f.id
        )?;
        if let Some(note) = &f.note {
            out!("{:<36} {}", "", msg::note_line(note))?;
        }
    }
    Ok(())
}
