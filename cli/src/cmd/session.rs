//! `marktplatz session move|retime|cancel|reinstate|edit`: programme changes from the hall.
//! Sessions and places are named by id or by name (`--to foyer`); see `resolve`.

use chrono::{DateTime, NaiveTime, Timelike, Utc};
use marktplatz_model::ops::Op;

use super::write::{WriteArgs, event_clock, queue_and_push};
use crate::error::{CliError, CmdResult};
use crate::i18n::messages as msg;
use crate::{parse, resolve};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// The session takes place at another station or room.
    Move {
        #[command(flatten)]
        write: WriteArgs,
        /// The session: its id (`marktplatz agenda --ids`) or its title (or the start of it).
        #[arg(value_name = "SESSION")]
        session: String,
        /// The station or room: its name (or the start of it) or its id.
        #[arg(long, value_name = "PLACE")]
        to: String,
    },
    /// New start and end, local time on the session's day (14:30, 14.30 or 14:30 Uhr).
    Retime {
        #[command(flatten)]
        write: WriteArgs,
        /// The session: its id (`marktplatz agenda --ids`) or its title (or the start of it).
        #[arg(value_name = "SESSION")]
        session: String,
        /// The new start, local time (14:30, 14.30, 14:30 Uhr).
        #[arg(long, value_name = "TIME", value_parser = parse::time)]
        start: NaiveTime,
        /// The new end, local time (15:15, 15.15, 15:15 Uhr).
        #[arg(long, value_name = "TIME", value_parser = parse::time)]
        end: NaiveTime,
    },
    /// Cancel the session (it stays in the programme, marked cancelled).
    Cancel {
        #[command(flatten)]
        write: WriteArgs,
        /// The session: its id (`marktplatz agenda --ids`) or its title (or the start of it).
        #[arg(value_name = "SESSION")]
        session: String,
    },
    /// Take back a cancellation: the session takes place after all.
    Reinstate {
        #[command(flatten)]
        write: WriteArgs,
        /// The session: its id (`marktplatz agenda --ids`) or its title (or the start of it).
        #[arg(value_name = "SESSION")]
        session: String,
    },
    /// Change title, subtitle, abstract or description (only what is given).
    Edit {
        #[command(flatten)]
        write: WriteArgs,
        /// The session: its id (`marktplatz agenda --ids`) or its title (or the start of it).
        #[arg(value_name = "SESSION")]
        session: String,
        /// The new title.
        #[arg(long, value_name = "TEXT")]
        title: Option<String>,
        /// The new subtitle.
        #[arg(long, value_name = "TEXT")]
        subtitle: Option<String>,
        /// The new abstract (the short summary).
        #[arg(long = "abstract", value_name = "TEXT")]
        abstract_text: Option<String>,
        /// The new description.
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
    },
}

pub fn run(args: Args) -> CmdResult {
    match args.action {
        Action::Move { write, session, to } => queue_and_push(&write, |store, event| {
            let session = resolve::session(store, event, &session)?;
            let place = resolve::place(store, event, &to)?;
            Ok(store.queue_op(
                event,
                Op::SessionMove {
                    id: session.id,
                    location_id: place.id,
                },
            )?)
        }),
        Action::Cancel { write, session } => queue_and_push(&write, |store, event| {
            let id = resolve::session(store, event, &session)?.id;
            Ok(store.queue_op(event, Op::SessionCancel { id })?)
        }),
        Action::Reinstate { write, session } => queue_and_push(&write, |store, event| {
            let id = resolve::session(store, event, &session)?.id;
            Ok(store.queue_op(event, Op::SessionReinstate { id })?)
        }),
        Action::Edit {
            write,
            session,
            title,
            subtitle,
            abstract_text,
            description,
        } => queue_and_push(&write, |store, event| {
            let id = resolve::session(store, event, &session)?.id;
            Ok(store.queue_op(
                event,
                Op::SessionEdit {
                    id,
                    title,
                    subtitle,
                    abstract_text,
                    description,
                },
            )?)
        }),
        Action::Retime {
            write,
            session,
            start,
            end,
        } => queue_and_push(&write, |store, event| {
            let session = resolve::session(store, event, &session)?;
            let clock = event_clock(store, event)
                .ok_or_else(|| CliError::invalid(msg::event_not_on_device(event, &[])))?;
            let day = session.day;
            let day_change = u32::from(clock.day_change_hour);
            // Before the day-change hour, a time belongs to the night after the day.
            let at = |time: NaiveTime| -> DateTime<Utc> {
                let date = if day_change > time.hour() {
                    day.succ_opt().unwrap_or(day)
                } else {
                    day
                };
                clock.instant_of_local(date.and_time(time))
            };
            let (start_at, end_at) = (at(start), at(end));
            if end_at <= start_at {
                return Err(CliError::invalid(msg::ends_before_start(
                    &session.title,
                    &start.format("%H:%M").to_string(),
                    &end.format("%H:%M").to_string(),
                )));
            }
            Ok(store.queue_op(
                event,
                Op::SessionRetime {
                    id: session.id,
                    start: start_at,
                    end: end_at,
                },
            )?)
        }),
    }
}
