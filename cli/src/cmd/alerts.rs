//! `marktplatz alerts`: changes to favourited sessions since they were last seen.

use marktplatz_core::favourites;
use marktplatz_core::favourites::{ChangeAlert, KnownSession};
use serde_json::{Value, json};

use super::device::Target;
use crate::error::CmdResult;
use crate::i18n::messages as msg;
use crate::out;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: Target,
    /// Also list alerts already seen.
    #[arg(long)]
    all: bool,
    /// Mark the listed alerts as seen.
    #[arg(long)]
    mark_seen: bool,
    /// Print JSON instead of lines.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> CmdResult {
    let (store, event_id) = args.target.open()?;
    let alerts = favourites::alerts(&store, &event_id, args.all)?;
    if args.json {
        let list: Vec<Value> = alerts.iter().map(alert_json).collect();
        crate::out::json(&json!({"event_id": event_id, "alerts": list}))?;
    } else {
        out!("{}", msg::alerts_header(&event_id, alerts.len()))?;
        for alert in &alerts {
            let kinds: Vec<String> = alert
                .changes
                .iter()
                .map(|c| msg::alert_change(c.as_str()))
                .collect();
            let seen = if alert.seen_at.is_some() {
                format!(" ({})", msg::seen())
            } else {
                String::new()
            };
            out!("{} [{}]{seen}", alert.new.title, kinds.join(", "))?;
            out!("    {}", msg::was(&describe(&alert.old)))?;
            out!("    {}", msg::now_is(&describe(&alert.new)))?;
        }
    }
    if args.mark_seen {
        let ids: Vec<i64> = alerts.iter().map(|a| a.id).collect();
        let marked = favourites::mark_alerts_seen(
            &store,
            &favourites::AlertListeners::default(),
            &event_id,
            &ids,
        )?;
        if !args.json {
            out!("{}", msg::marked_seen(marked))?;
        }
    }
    Ok(())
}

fn describe(s: &KnownSession) -> String {
    if s.removed {
        return msg::removed_from_programme();
    }
    let mut text = match (&s.day, &s.local_start, &s.local_end) {
        (Some(day), Some(start), Some(end)) => format!("{} {start}-{end}", msg::date(*day)),
        _ => format!("{} - {}", s.start.to_rfc3339(), s.end.to_rfc3339()),
    };
    if let Some(place) = &s.location_name.clone().or(s.location_id.clone()) {
        text.push_str(&format!(" [{place}]"));
    }
    if s.status == marktplatz_model::model::SessionStatus::Cancelled {
        text.push_str(&format!(" {}", msg::cancelled()));
    }
    format!("{text}  \"{}\"", s.title)
}

fn known_json(s: &KnownSession) -> Value {
    json!({
        "title": s.title,
        "start": s.start.to_rfc3339(),
        "end": s.end.to_rfc3339(),
        "day": s.day,
        "local_start": s.local_start,
        "local_end": s.local_end,
        "location_id": s.location_id,
        "location_name": s.location_name,
        "status": s.status.as_str(),
        "removed": s.removed,
    })
}

fn alert_json(a: &ChangeAlert) -> Value {
    json!({
        "id": a.id,
        "session_id": a.session_id,
        "changes": a.changes.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "old": known_json(&a.old),
        "new": known_json(&a.new),
        "created_at": a.created_at.to_rfc3339(),
        "updated_at": a.updated_at.to_rfc3339(),
        "seen_at": a.seen_at.map(|t| t.to_rfc3339()),
    })
}
