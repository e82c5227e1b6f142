//! What the organiser's write commands share: queue the operation on the device (shown at
//! once), try one push, and end with an exit status that says whether the server took it.

use chrono::{DateTime, Utc};
use marktplatz_core::store::Store;
use marktplatz_core::sync;
use marktplatz_core::sync::{OpState, OutboxEntry, PushOptions, PushReport, PushStop};
use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_model::ops::Op;
use marktplatz_model::time::EventClock;

use super::device::Target;
use super::server;
use crate::error::{CliError, CmdResult};
use crate::i18n::messages as msg;
use crate::out;

// Flattened into every write command; no doc comment here, or clap would take it as the
// about text of commands that lack their own.
#[derive(clap::Args)]
pub struct WriteArgs {
    #[command(flatten)]
    pub target: Target,
    /// Only queue it on the device; send it later with `marktplatz push` or `marktplatz sync`.
    #[arg(long)]
    pub no_push: bool,
}

/// Queues `op` (made from the open store and the event id), then tries one push unless told
/// not to. Refused → exit 4 (6 for a conflict); not sent for lack of network → exit 5.
pub fn queue_and_push(
    args: &WriteArgs,
    make: impl FnOnce(&Store, &str) -> CmdResult<OutboxEntry>,
) -> CmdResult {
    let (store, event) = args.target.open()?;
    let entry = make(&store, &event)?;
    out!(
        "{}",
        msg::queued(entry.id, &describe_op(&store, &event, &entry.op))
    )?;
    if args.no_push {
        return Ok(());
    }
    if sync::organiser(&store, &event)?.is_none() {
        return Err(CliError::invalid(msg::not_logged_in(&event)));
    }
    let report = push_now(&store, &event)?;
    print_push(&report)?;
    let now = store.outbox_entry(entry.id)?;
    let Some(now) = now else { return Ok(()) };
    out!("#{}: {}", now.id, describe_state(&now))?;
    outcome(&now, &report)
}

/// The exit status of one operation after a push.
fn outcome(entry: &OutboxEntry, report: &PushReport) -> CmdResult {
    match entry.state {
        OpState::Accepted | OpState::Done | OpState::Overridden => Ok(()),
        OpState::Rejected => {
            let rejection = entry.rejection.as_ref();
            let status = rejection.map_or(422, |r| r.status);
            let text = msg::op_rejected(entry.id, &rejection_text(entry));
            Err(if status == 409 {
                CliError::conflict(text)
            } else {
                CliError::refused(text)
            })
        }
        OpState::Pending | OpState::InFlight => Err(match &report.stopped {
            Some(PushStop::Unauthorized(reason)) => {
                CliError::refused(msg::op_waiting_token(entry.id, reason))
            }
            Some(PushStop::Offline(reason)) => {
                CliError::offline(msg::op_waiting_offline(entry.id, reason))
            }
            None => CliError::offline(msg::op_waiting_offline(entry.id, "")),
        }),
    }
}

pub fn push_now(store: &Store, event: &str) -> CmdResult<PushReport> {
    server::block_on(async {
        let client = server::client()?;
        Ok(marktplatz_core::sync::push(&client, store, event, &PushOptions::default()).await?)
    })
}

pub fn print_push(report: &PushReport) -> CmdResult {
    out!(
        "{}",
        msg::pushed(
            report.accepted,
            report.replayed,
            report.rejected,
            report.remaining
        )
    )?;
    match &report.stopped {
        Some(PushStop::Offline(reason)) => out!("{}", msg::push_stopped_offline(reason)),
        Some(PushStop::Unauthorized(reason)) => out!("{}", msg::push_stopped_token(reason)),
        None => Ok(()),
    }
}

/// Where an operation stands, with the server's reason when it was refused.
pub fn describe_state(entry: &OutboxEntry) -> String {
    let mut text = msg::op_state(entry.state);
    if let Some(release) = entry.overridden_by {
        text.push_str(&msg::op_overridden_by(release));
    }
    if let Some(seq) = entry.seq {
        text.push_str(&msg::op_version(seq));
    }
    if entry.rejection.is_some() {
        text.push_str(&format!(": {}", rejection_text(entry)));
    } else if let Some(error) = &entry.last_error {
        text.push_str(&msg::op_last_try(error));
    }
    text
}

fn rejection_text(entry: &OutboxEntry) -> String {
    let Some(r) = &entry.rejection else {
        return String::new();
    };
    let mut text = crate::i18n::errors::server(r.status, &r.code, &r.message).message;
    if let Some(seq) = r.current_seq {
        text.push_str(&msg::server_has_version(seq));
    }
    text
}

/// The operation in words, with titles and local times instead of ids and UTC.
pub fn describe_op(store: &Store, event: &str, op: &Op) -> String {
    let title = |kind: EntityKind, id: &str| title_of(store, event, kind, id);
    match op {
        Op::AnnouncementCreate { title, .. } => msg::op_announce(title),
        Op::AnnouncementEdit { id, .. } => {
            msg::op_announcement_edit(&title(EntityKind::Announcement, id))
        }
        Op::AnnouncementRetract { id } => {
            msg::op_announcement_retract(&title(EntityKind::Announcement, id))
        }
        Op::SessionMove { id, location_id } => msg::op_move(
            &title(EntityKind::Session, id),
            &title(EntityKind::Location, location_id),
        ),
        Op::SessionRetime { id, start, end } => msg::op_retime(
            &title(EntityKind::Session, id),
            &local_span(store, event, *start, *end),
        ),
        Op::SessionEdit { id, .. } => msg::op_session_edit(&title(EntityKind::Session, id)),
        Op::SessionCancel { id } => msg::op_cancel(&title(EntityKind::Session, id)),
        Op::SessionReinstate { id } => msg::op_reinstate(&title(EntityKind::Session, id)),
        Op::ExhibitorEdit { id, .. } => msg::op_exhibitor_edit(&title(EntityKind::Exhibitor, id)),
        Op::StationEdit { id, .. } => msg::op_station_edit(&title(EntityKind::Location, id)),
        Op::VenueMap { .. } => msg::op_venue_map(),
        Op::PhotoAdd { caption, .. } => msg::op_photo_add(caption),
        Op::PhotoEdit { id, .. } => msg::op_photo_edit(&title(EntityKind::GalleryItem, id)),
        Op::PhotoRemove { id } => msg::op_photo_remove(&title(EntityKind::GalleryItem, id)),
        Op::InfoAdd { title, .. } => msg::op_info_add(title),
        Op::InfoEdit { id, .. } => msg::op_info_edit(&title(EntityKind::InfoPage, id)),
        Op::InfoRemove { id } => msg::op_info_remove(&title(EntityKind::InfoPage, id)),
    }
}

/// An entity's title or name as the device shows it; its id when the device does not hold it.
pub fn title_of(store: &Store, event: &str, kind: EntityKind, id: &str) -> String {
    let name = match store.entity(event, kind, id) {
        Ok(Some(entity)) => entity_title(&entity),
        _ => None,
    };
    match name {
        Some(name) if !name.is_empty() => msg::quote(&name),
        _ => format!("'{id}'"),
    }
}

fn entity_title(entity: &Entity) -> Option<String> {
    Some(match entity {
        Entity::Event(e) => e.title.clone(),
        Entity::Location(e) => e.name.clone(),
        Entity::Track(e) => e.name.clone(),
        Entity::Session(e) => e.title.clone(),
        Entity::Speaker(e) => e.name.clone(),
        Entity::Exhibitor(e) => e.name.clone(),
        Entity::Announcement(e) => e.title.clone(),
        Entity::GalleryItem(e) => e.caption.clone(),
        Entity::InfoPage(e) => e.title.clone(),
    })
}

/// `Mo 01.02. 14:30–15:15` in the event's timezone (UTC only if the event is not on the device).
pub fn local_span(store: &Store, event: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    match event_clock(store, event) {
        Some(clock) => msg::span(
            clock.conference_day(start),
            &clock.hhmm(start),
            &clock.hhmm(end),
        ),
        None => format!("{start} – {end}"),
    }
}

pub fn event_clock(store: &Store, event: &str) -> Option<EventClock> {
    match store.entity(event, EntityKind::Event, event) {
        Ok(Some(Entity::Event(e))) => EventClock::new(&e.timezone, e.day_change_hour).ok(),
        _ => None,
    }
}
