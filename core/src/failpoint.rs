//! Named fail points for crash tests: `MARKTPLATZ_FAILPOINT=<name>` makes the process abort
//! (no destructors, no clean close: like `kill -9`) when it reaches [`hit`]`("<name>")`;
//! `MARKTPLATZ_FAILPOINT=<name>:pause` prints `failpoint <name>` to stderr and waits there
//! until killed, so a test can kill the process itself at that exact point.
//! `<name>@<n>` (also with `:pause`) fires on the n-th time the point is reached, so a harness
//! can stop the process in the middle of a run rather than always at its first step.
//!
//! Only builds with the feature `failpoints` have them (the crash harness and the tests enable it,
//! `marktplatz-tests`); everywhere else, the phone library and every release build included,
//! [`hit`] is an empty function the compiler removes, and the variable is never read.
//!
//! The variable is read once per process. Without it, [`hit`] is a cheap check of a cached
//! `None`. Fail points in use (grep `failpoint::hit`; the crash harness drives each, see
//! `docs/adr/0007-reliability.md`):
//! - `before_page_apply`: a changes page arrived and was decoded; its transaction has not
//!   started.
//! - `mid_page_transaction`: inside a page's content transaction, after its first row was
//!   written, before the cursor moved.
//! - `after_page_apply`: a page and its cursor were committed; nothing else (outbox settling,
//!   alert notices, the next page) has happened yet.
//! - `after_push_response`: the server answered an organiser operation with 2xx, the device
//!   has not recorded that yet.
//! - `mid_asset_download`: some bytes of an asset were written to its partial file, the rest
//!   has not arrived.

#[cfg(feature = "failpoints")]
use std::sync::OnceLock;
#[cfg(feature = "failpoints")]
use std::sync::atomic::{AtomicU64, Ordering};

pub const ENV: &str = "MARKTPLATZ_FAILPOINT";

/// Every fail point the code has, for harnesses that pick one.
pub const ALL: [&str; 5] = [
    "before_page_apply",
    "mid_page_transaction",
    "after_page_apply",
    "after_push_response",
    "mid_asset_download",
];

#[cfg(feature = "failpoints")]
enum Action {
    Abort,
    Pause,
}

#[cfg(feature = "failpoints")]
struct Config {
    name: String,
    /// Fire on this hit (1 = the first).
    nth: u64,
    action: Action,
    hits: AtomicU64,
}

#[cfg(feature = "failpoints")]
fn parse(value: &str) -> Option<Config> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let (point, action) = match value.split_once(':') {
        Some((point, "pause")) => (point, Action::Pause),
        _ => (value, Action::Abort),
    };
    let (name, nth) = match point.split_once('@') {
        Some((name, n)) => (name, n.trim().parse().unwrap_or(1).max(1)),
        None => (point, 1),
    };
    Some(Config {
        name: name.to_string(),
        nth,
        action,
        hits: AtomicU64::new(0),
    })
}

#[cfg(feature = "failpoints")]
fn configured() -> Option<&'static Config> {
    static CONFIG: OnceLock<Option<Config>> = OnceLock::new();
    CONFIG
        .get_or_init(|| parse(&std::env::var(ENV).ok()?))
        .as_ref()
}

/// Aborts (or pauses) the process here if the fail point `name` is switched on.
#[cfg(feature = "failpoints")]
pub fn hit(name: &str) {
    let Some(config) = configured() else {
        return;
    };
    if config.name != name || config.hits.fetch_add(1, Ordering::Relaxed) + 1 != config.nth {
        return;
    }
    match config.action {
        Action::Abort => std::process::abort(),
        Action::Pause => {
            eprintln!("failpoint {name}");
            loop {
                std::thread::park();
            }
        }
    }
}

/// Builds without the feature have no fail points.
#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub fn hit(_name: &str) {}

#[cfg(all(test, feature = "failpoints"))]
mod tests {
    use super::*;

    #[test]
    fn parses_name_count_and_action() {
        let c = parse("mid_page_transaction@3:pause").unwrap();
        assert_eq!((c.name.as_str(), c.nth), ("mid_page_transaction", 3));
        assert!(matches!(c.action, Action::Pause));
        let c = parse("after_page_apply").unwrap();
        assert_eq!((c.name.as_str(), c.nth), ("after_page_apply", 1));
        assert!(matches!(c.action, Action::Abort));
        assert!(parse("  ").is_none());
        assert_eq!(parse("x@0").unwrap().nth, 1);
    }
}
