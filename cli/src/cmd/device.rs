//! Shared by the device-side subcommands: open the store in `--device DIR` and pick the event.

use std::path::Path;

use marktplatz_core::store::Store;

/// Opens the device store, printing any notices (quarantined files) to stderr.
pub fn open(dir: &Path) -> Result<Store, Box<dyn std::error::Error>> {
    let store = Store::open(dir)?;
    for notice in store.notices() {
        eprintln!("note: {notice}");
    }
    Ok(store)
}

/// The event to work on: the one named, or the only one on the device.
pub fn resolve_event(
    store: &Store,
    named: Option<&str>,
) -> Result<String, Box<dyn std::error::Error>> {
    if let Some(id) = named {
        return Ok(id.to_string());
    }
    let events = store.events()?;
    match events.as_slice() {
        [only] => Ok(only.id.clone()),
        [] => Err("this device holds no event yet: sync one first (marktplatz sync)".into()),
        many => {
            let ids: Vec<&str> = many.iter().map(|e| e.id.as_str()).collect();
            Err(format!(
                "this device holds several events ({}); choose one with --event",
                ids.join(", ")
            )
            .into())
        }
    }
}
