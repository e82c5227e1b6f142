//! Shared by the device-side subcommands: open the store in `--device DIR` and pick the event.
//!
//! Only the commands that make a device (`sync`, `organiser login`) create the folder; every
//! other command needs one that exists, so a typo in `--device` is an error, not a new folder.

use std::path::{Path, PathBuf};

use marktplatz_core::store::{CONTENT_DB, Store, USER_DB};

use crate::error::{CliError, CmdResult};
use crate::i18n::messages as msg;
use crate::note;

/// `--device DIR` and `--event ID`, as every device command takes them.
#[derive(clap::Args, Clone, Debug)]
pub struct Target {
    /// The device folder (content.db, user.db, assets/), made by `marktplatz sync`.
    #[arg(long, value_name = "DIR")]
    pub device: PathBuf,
    /// The event's id (needed only when the device holds several; `marktplatz agenda` names
    /// the one it shows).
    #[arg(long, value_name = "ID")]
    pub event: Option<String>,
}

impl Target {
    /// The existing device and the event to work on.
    pub fn open(&self) -> CmdResult<(Store, String)> {
        let store = open(&self.device)?;
        let event = resolve_event(&store, self.event.as_deref())?;
        Ok((store, event))
    }
}

/// Opens an existing device store; a folder without one is refused untouched.
pub fn open(dir: &Path) -> CmdResult<Store> {
    if !dir.join(CONTENT_DB).is_file() && !dir.join(USER_DB).is_file() {
        return Err(CliError::invalid(msg::no_device(dir)));
    }
    open_or_create(dir)
}

/// Opens the device store, making the folder if needed (`sync`, `organiser login`).
pub fn open_or_create(dir: &Path) -> CmdResult<Store> {
    let store = Store::open(dir)?;
    for notice in store.notices() {
        note!("{}", msg::store_notice(notice));
    }
    Ok(store)
}

/// The event to work on: the one named (it must be on the device), or the only one there.
pub fn resolve_event(store: &Store, named: Option<&str>) -> CmdResult<String> {
    let events = store.events()?;
    if let Some(id) = named {
        if events.iter().any(|e| e.id == id) {
            return Ok(id.to_string());
        }
        let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
        return Err(CliError::invalid(msg::event_not_on_device(id, &ids)));
    }
    match events.as_slice() {
        [only] => Ok(only.id.clone()),
        [] => Err(CliError::invalid(msg::device_has_no_event())),
        many => {
            let ids: Vec<&str> = many.iter().map(|e| e.id.as_str()).collect();
            Err(CliError::invalid(msg::device_has_several_events(&ids)))
        }
    }
}
