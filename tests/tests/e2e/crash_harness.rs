#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The crash harness at CI scale: 200 kills (random SIGKILLs and every fail point), checking
//! the invariants after each (see `marktplatz_tests::crash` and ADR 0007). At scale:
//! `scripts/crash-harness.sh 10000 [SEED]`.

use std::path::PathBuf;

use marktplatz_tests::crash::{CrashConfig, CrashHarness};

#[test]
fn two_hundred_kills_lose_nothing() {
    let kills = std::env::var("MARKTPLATZ_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let config = CrashConfig::new(
        kills,
        20_271,
        PathBuf::from(env!("CARGO_BIN_EXE_crash_child")),
    );
    let report = CrashHarness::start(config)
        .and_then(CrashHarness::run)
        .unwrap_or_else(|failure| panic!("{failure}"));
    println!("{report}");
    assert_eq!(report.checks_passed, kills, "every kill was checked");
    assert!(report.random_kills > kills / 5, "{report}");
    for name in marktplatz_core::failpoint::ALL {
        assert!(
            report.failpoint_kills.get(name).copied().unwrap_or(0) > 0,
            "the fail point {name} was never reached:\n{report}"
        );
    }
    assert!(report.exact_snapshot_matches > 0, "{report}");
    assert!(
        report.ops_applied > 0 && report.favourites_acked > 0,
        "{report}"
    );
}
