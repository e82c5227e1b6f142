//! `marktplatz session move|retime|cancel|reinstate|edit`: programme changes from the hall.

use chrono::NaiveTime;
use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_model::ops::Op;
use marktplatz_model::time::EventClock;

use super::organiser::{WriteArgs, queue_and_push};
use super::{CmdResult, device};

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
        session: String,
        /// The location id (see `marktplatz agenda`).
        #[arg(long)]
        to: String,
    },
    /// New start and end (local HH:MM on the session's day).
    Retime {
        #[command(flatten)]
        write: WriteArgs,
        session: String,
        #[arg(long)]
        start: String,
        #[arg(long)]
        end: String,
    },
    Cancel {
        #[command(flatten)]
        write: WriteArgs,
        session: String,
    },
    Reinstate {
        #[command(flatten)]
        write: WriteArgs,
        session: String,
    },
    /// Change title, subtitle, abstract or description (only what is given).
    Edit {
        #[command(flatten)]
        write: WriteArgs,
        session: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        subtitle: Option<String>,
        #[arg(long = "abstract")]
        abstract_text: Option<String>,
        #[arg(long)]
        description: Option<String>,
    },
}

pub fn run(args: Args) -> CmdResult {
    match args.action {
        Action::Move { write, session, to } => queue_and_push(&write, |store, event| {
            store.queue_op(
                event,
                Op::SessionMove {
                    id: session,
                    location_id: to,
                },
            )
        }),
        Action::Cancel { write, session } => queue_and_push(&write, |store, event| {
            store.queue_op(event, Op::SessionCancel { id: session })
        }),
        Action::Reinstate { write, session } => queue_and_push(&write, |store, event| {
            store.queue_op(event, Op::SessionReinstate { id: session })
        }),
        Action::Edit {
            write,
            session,
            title,
            subtitle,
            abstract_text,
            description,
        } => queue_and_push(&write, |store, event| {
            store.queue_op(
                event,
                Op::SessionEdit {
                    id: session,
                    title,
                    subtitle,
                    abstract_text,
                    description,
                },
            )
        }),
        Action::Retime {
            write,
            session,
            start,
            end,
        } => {
            let store = device::open(&write.device)?;
            let event_id = device::resolve_event(&store, write.event.as_deref())?;
            let Some(Entity::Event(event)) =
                store.entity(&event_id, EntityKind::Event, &event_id)?
            else {
                return Err(format!("event '{event_id}' is not on this device").into());
            };
            let Some(Entity::Session(current)) =
                store.entity(&event_id, EntityKind::Session, &session)?
            else {
                return Err(format!("there is no session '{session}'").into());
            };
            let clock = EventClock::new(&event.timezone, event.day_change_hour)?;
            let day = clock.conference_day(current.start);
            let at =
                |text: &str| -> Result<chrono::DateTime<chrono::Utc>, Box<dyn std::error::Error>> {
                    let time = NaiveTime::parse_from_str(text, "%H:%M")
                        .map_err(|_| format!("'{text}' is not HH:MM"))?;
                    // Before the day-change hour, a time belongs to the night after the day.
                    let date = if u32::from(event.day_change_hour) > chrono::Timelike::hour(&time) {
                        day.succ_opt().unwrap_or(day)
                    } else {
                        day
                    };
                    Ok(clock.instant_of_local(date.and_time(time)))
                };
            let (start, end) = (at(&start)?, at(&end)?);
            drop(store);
            queue_and_push(&write, |store, event| {
                store.queue_op(
                    event,
                    Op::SessionRetime {
                        id: session,
                        start,
                        end,
                    },
                )
            })
        }
    }
}
