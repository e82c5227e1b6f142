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

/// The channel every instance listens on; the payload is `<event> <seq>` (or `<event> access`).
const CHANNEL: &str = "marktplatz_change";
/// How often the listener looks whether it should stop (and whether its connection died).
const TICK: Duration = Duration::from_millis(250);
const RECONNECT_AFTER: Duration = Duration::from_secs(1);
/// The listener's connection as `pg_stat_activity` names it.
pub const APPLICATION_NAME: &str = "marktplatz-listen";

/// Tells the other instances, when this transaction commits, that `event_id`'s log now stands
/// at `seq`. Nothing on SQLite.
pub fn announce(tx: &Tx<'_>, event_id: &str, seq: u64) -> Result<()> {
    notify(tx, &format!("{event_id} {seq}"))
}

/// Tells the other instances, when this transaction commits, that `event_id`'s read policy
/// (its access code) changed outside its log: their gates must not keep serving a newly
/// protected event from the policy they remember. Nothing on SQLite.
pub fn announce_policy(tx: &Tx<'_>, event_id: &str) -> Result<()> {
    notify(tx, &format!("{event_id} access"))
}

/// The payload is `<event> <what>`; listeners read only the event.
fn notify(tx: &Tx<'_>, payload: &str) -> Result<()> {
    if tx.engine() == Engine::Postgres {
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

/// A listening thread; it stops within a quarter of a second of being dropped.
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
    let mut config = config;
    // Named, so an operator (and the test) can tell it in pg_stat_activity.
    config.application_name(APPLICATION_NAME);
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::mpsc;

    use super::*;
    use crate::store::change_log;
    use crate::store::testing;

    /// The listener hears every instance's writes; when its connection is cut it connects
    /// again and says everything may have changed (what it missed meanwhile is re-read).
    #[test]
    fn the_listener_hears_writes_and_comes_back_after_its_connection_is_cut() {
        let Some(t) = testing::postgres() else {
            return;
        };
        let (sent, heard) = mpsc::channel::<Option<String>>();
        let generation = t.db.generation();
        let _listener =
            t.db.listen(move |what| {
                let _ = sent.send(match what {
                    Heard::Event(event) => Some(event.to_string()),
                    Heard::Everything => None,
                });
            })
            .unwrap();
        let next = || heard.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(next(), None, "everything, once connected");
        let other = t.reopen();
        let track = |id: &str| change_log::NewChange {
            kind: marktplatz_model::model::EntityKind::Track,
            id: id.into(),
            body: Some("{}".into()),
        };
        other
            .write_blocking(|tx| {
                change_log::ensure_event(tx, "e")?;
                change_log::append(tx, "e", &[track("a")])
            })
            .unwrap();
        assert_eq!(next(), Some("e".to_string()));
        assert!(t.db.generation() > generation);

        let url = t.scratch.as_ref().unwrap().url().to_string();
        let mut admin = postgres::Client::connect(&url, NoTls).unwrap();
        let cut = admin
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE application_name = $1 AND datname = current_database()",
                &[&APPLICATION_NAME],
            )
            .unwrap();
        assert_eq!(cut, 1);
        assert_eq!(next(), None, "everything, once connected again");
        other
            .write_blocking(|tx| change_log::append(tx, "e", &[track("b")]))
            .unwrap();
        assert_eq!(next(), Some("e".to_string()));
    }
}
