//! Crash-test helper: toggles one favourite session, prints `ok added` or `ok removed` once the
//! call has returned, then keeps the store open until it is killed (the test sends SIGKILL).
//!
//! Usage: `fav_toggle DEVICE_DIR EVENT_ID SESSION_ID`

use std::io::Write;
use std::process::ExitCode;

use marktplatz_core::favourites;
use marktplatz_core::favourites::FavouriteKind;
use marktplatz_core::store::Store;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, event, session] = args.as_slice() else {
        eprintln!("usage: fav_toggle DEVICE_DIR EVENT_ID SESSION_ID");
        return ExitCode::from(2);
    };
    let store = match Store::open(dir) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("fav_toggle: {e}");
            return ExitCode::FAILURE;
        }
    };
    let listeners = favourites::AlertListeners::default();
    let state = match favourites::toggle_favourite(
        &store,
        &listeners,
        event,
        FavouriteKind::Session,
        session,
    ) {
        Ok(true) => "added",
        Ok(false) => "removed",
        Err(e) => {
            eprintln!("fav_toggle: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    if writeln!(out, "ok {state}")
        .and_then(|_| out.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    // Stay alive with the store open: the kill must hit a live process that holds user.db.
    std::thread::sleep(std::time::Duration::from_secs(120));
    ExitCode::SUCCESS
}
