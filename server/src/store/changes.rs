//! Writes made by other instances on the same PostgreSQL database (ADR 0021, issue 22): each
//! write transaction that moves an event's log announces the event and its new head with
//! `pg_notify` (delivered at commit, only if it commits), and every instance listens on its
//! own connection. A notification makes the instance's caches stale (the write generation) and
//! wakes the event's long-polls. After a (re)connect the instance treats everything as changed,
//! so a notification missed while the connection was down cannot leave it stale. SQLite has one
//! process writing: nothing to announce or hear.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Config, NoTls};

use super::engine::{Engine, Tx, args};
use super::error::Result;

/// The channel every instance listens on; the payload is `<event> <seq>`.
const CHANNEL: &str = "marktplatz_change";
/// How often the listener looks whether it should stop (and whether its connection died).
const TICK: Duration = Duration::from_millis(250);
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// Tells the other instances, when this transaction commits, that `event_id`'s log now stands
/// at `seq`. Nothing on SQLite.
pub fn announce(tx: &Tx<'_>, event_id: &str, seq: u64) -> Result<()> {
    if tx.engine() == Engine::Postgres {
        let payload = format!("{event_id} {seq}");
        tx.execute("SELECT pg_notify('marktplatz_change', $1)", args![payload])?;
    }
    Ok(())
}

/// What a listener was told: one event changed, or (after a reconnect) possibly every event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heard<'a> {
    Event(&'a str),
    Everything,
}

/// A listening thread; it stops within [`TICK`] of being dropped.
pub struct Listener {
    stop: Arc<AtomicBool>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
    }
}

/// Listens on its own connection to `config`'s database; bumps `generation` and then calls
/// `heard` for every change announced (by any instance, this one too).
pub fn listen(
    config: Config,
    label: String,
    generation: Arc<AtomicU64>,
    heard: impl Fn(Heard<'_>) + Send + 'static,
) -> Listener {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    let spawned = std::thread::Builder::new()
        .name("marktplatz-listen".into())
        .spawn(move || {
            let changed = |what: Heard<'_>| {
                generation.fetch_add(1, Ordering::AcqRel);
                heard(what);
            };
            while !stopped.load(Ordering::Acquire) {
                if let Err(error) = listen_once(&config, &stopped, &changed) {
                    tracing::warn!(database = %label, %error, "listening for other instances' changes failed; reconnecting");
                    std::thread::sleep(RECONNECT_AFTER);
                }
            }
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "cannot start listening for other instances' changes");
    }
    Listener { stop }
}

/// One connection's life: LISTEN, everything changed (what happened while not listening is
/// unknown), then each notification until the connection ends or `stop` is set.
fn listen_once(
    config: &Config,
    stop: &AtomicBool,
    changed: &impl Fn(Heard<'_>),
) -> std::result::Result<(), postgres::Error> {
    let mut client = config.connect(NoTls)?;
    client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
    changed(Heard::Everything);
    while !stop.load(Ordering::Acquire) {
        {
            let mut notifications = client.notifications();
            let mut waiting = notifications.timeout_iter(TICK);
            while let Some(note) = waiting.next()? {
                let event = note.payload().split(' ').next().unwrap_or_default();
                changed(Heard::Event(event));
            }
        }
        if client.is_closed() {
            // Seen on the next connect as `Everything`.
            return Ok(());
        }
    }
    Ok(())
}
