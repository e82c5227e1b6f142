//! Named fail points for crash tests: `MARKTPLATZ_FAILPOINT=<name>` makes the process abort
//! (no destructors, no clean close: like `kill -9`) when it reaches [`hit`]`("<name>")`;
//! `MARKTPLATZ_FAILPOINT=<name>:pause` prints `failpoint <name>` to stderr and waits there
//! until killed, so a test can kill the process itself at that exact point.
//!
//! The variable is read once per process. Without it, [`hit`] is a cheap check of a cached
//! `None`. Fail points in use (grep `failpoint::hit`):
//! - `after_push_response`: the server answered an organiser operation with 2xx, the device
//!   has not recorded that yet.

use std::sync::OnceLock;

pub const ENV: &str = "MARKTPLATZ_FAILPOINT";

enum Action {
    Abort,
    Pause,
}

fn configured() -> Option<&'static (String, Action)> {
    static CONFIG: OnceLock<Option<(String, Action)>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let value = std::env::var(ENV).ok()?;
            let value = value.trim();
            if value.is_empty() {
                return None;
            }
            Some(match value.split_once(':') {
                Some((name, "pause")) => (name.to_string(), Action::Pause),
                _ => (value.to_string(), Action::Abort),
            })
        })
        .as_ref()
}

/// Aborts (or pauses) the process here if the fail point `name` is switched on.
pub fn hit(name: &str) {
    let Some((wanted, action)) = configured() else {
        return;
    };
    if wanted != name {
        return;
    }
    match action {
        Action::Abort => std::process::abort(),
        Action::Pause => {
            eprintln!("failpoint {name}");
            loop {
                std::thread::park();
            }
        }
    }
}
