//! `marktplatz sync --follow`: after the sync, follows the event (one long-poll held at a time,
//! `marktplatz_core::sync::follow`) and prints a report for every answer that applied
//! something, the same report `sync` prints (a JSON line each with `--json`; no assets).
//! Ctrl-C ends it cleanly (exit 0); a held request is dropped, nothing half-applied.

use marktplatz_core::device::DeviceHooks;
use marktplatz_core::favourites::AlertListeners;
use marktplatz_core::store::Store;
use marktplatz_core::sync::{
    CancelToken, FollowOptions, Followed, SyncReport, follow as follow_event,
};

use super::server;
use super::sync_report::report_line;
use crate::error::CmdResult;
use crate::i18n::messages as msg;
use crate::note;

pub fn follow(store: &Store, server_url: &str, event_id: &str, json: bool) -> CmdResult {
    note!("{}", msg::following(event_id, server_url));
    let cancel = CancelToken::new();
    let options = FollowOptions {
        cancel: cancel.clone(),
        ..FollowOptions::default()
    };
    // Nobody listens to the alerts here; they are recorded all the same, as by `sync`.
    let alerts = AlertListeners::default();
    let hooks = DeviceHooks::new(store, &alerts);
    // A report that cannot be written (a closed pipe) ends the follow with that error.
    let printing = std::sync::Mutex::new(Ok(()));
    let told = |followed: Followed<'_>| match followed {
        Followed::Applied(content) => {
            let report = SyncReport {
                event_id: event_id.to_string(),
                content: content.clone(),
                ..SyncReport::default()
            };
            let written = report_line(&report, json);
            if written.is_err() {
                cancel.cancel();
                *lock(&printing) = written;
            }
        }
        Followed::BackingOff { error, pause } => {
            note!(
                "{}",
                msg::follow_paused(pause.as_secs(), &error.to_string())
            );
        }
    };
    server::block_on(async {
        let client = server::client()?;
        tokio::select! {
            result = follow_event(&client, store, server_url, event_id, &options, &hooks, &told) => Ok(result?),
            _ = tokio::signal::ctrl_c() => {
                cancel.cancel();
                Ok(())
            }
        }
    })?;
    std::mem::replace(&mut *lock(&printing), Ok(()))
}

fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
