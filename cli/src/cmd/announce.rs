//! `marktplatz announce`: an announcement from the hall ("Häppchen und Getränke im Foyer").

use marktplatz_model::model::Priority;
use marktplatz_model::ops::{Op, new_entity_id};

use super::write::{WriteArgs, queue_and_push};
use crate::error::{CliError, CmdResult};
use crate::i18n::messages as msg;
use crate::parse;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    write: WriteArgs,
    /// The headline (with --retract: the id of the announcement to retract).
    #[arg(value_name = "TITLE")]
    title: String,
    /// The text under the headline.
    #[arg(long, value_name = "TEXT", default_value = "")]
    body: String,
    /// normal, important or urgent (default normal).
    #[arg(
        long,
        value_name = "LEVEL",
        default_value = "normal",
        hide_default_value = true
    )]
    priority: String,
    /// It disappears after this long: 90m, 2h, 1d.
    #[arg(long, value_name = "DURATION", value_parser = parse::duration_seconds)]
    expires_in: Option<i64>,
    /// Edit the announcement with this id instead of making a new one (only what is given
    /// changes).
    #[arg(long, value_name = "ID")]
    edit: Option<String>,
    /// Retract the announcement whose id is given as TITLE.
    #[arg(long, conflicts_with = "edit")]
    retract: bool,
}

pub fn run(args: Args) -> CmdResult {
    let priority = match args.priority.as_str() {
        "normal" => Priority::Normal,
        "important" => Priority::Important,
        "urgent" => Priority::Urgent,
        other => return Err(CliError::invalid(msg::bad_priority(other))),
    };
    let now = chrono::Utc::now();
    let expires_at = args
        .expires_in
        .map(|seconds| now + chrono::Duration::seconds(seconds));
    let op = match (args.edit, args.retract) {
        (Some(id), _) if args.title.is_empty() => Op::AnnouncementRetract { id },
        (Some(id), true) => Op::AnnouncementRetract { id },
        (Some(id), false) => Op::AnnouncementEdit {
            id,
            title: Some(args.title),
            body: (!args.body.is_empty()).then_some(args.body),
            priority: Some(priority),
            expires_at,
        },
        (None, true) => Op::AnnouncementRetract { id: args.title },
        (None, false) => Op::AnnouncementCreate {
            id: new_entity_id("announcement"),
            title: args.title,
            body: args.body,
            priority,
            published_at: now,
            expires_at,
        },
    };
    queue_and_push(&args.write, |store, event| Ok(store.queue_op(event, op)?))
}
