//! `marktplatz announce`: an announcement from the hall ("Häppchen und Getränke im Foyer").

use marktplatz_model::model::Priority;
use marktplatz_model::ops::{Op, new_entity_id};

use super::CmdResult;
use super::organiser::{WriteArgs, queue_op};
use super::token::parse_duration;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    write: WriteArgs,
    /// The headline.
    title: String,
    #[arg(long, default_value = "")]
    body: String,
    /// normal, important or urgent.
    #[arg(long, default_value = "normal")]
    priority: String,
    /// It disappears after this long (like 2h).
    #[arg(long)]
    expires_in: Option<String>,
    /// Edit this announcement instead of making a new one (only what is given changes).
    #[arg(long)]
    edit: Option<String>,
    /// Retract this announcement.
    #[arg(long, conflicts_with = "edit")]
    retract: bool,
}

pub fn run(args: Args) -> CmdResult {
    let priority = match args.priority.as_str() {
        "normal" => Priority::Normal,
        "important" => Priority::Important,
        "urgent" => Priority::Urgent,
        other => {
            return Err(format!("unknown priority '{other}' (normal, important, urgent)").into());
        }
    };
    let now = chrono::Utc::now();
    let expires_at = args
        .expires_in
        .as_deref()
        .map(parse_duration)
        .transpose()?
        .map(|s| now + chrono::Duration::seconds(s));
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
    queue_op(&args.write, op)
}
