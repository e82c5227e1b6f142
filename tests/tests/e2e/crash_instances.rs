#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The crash harness on two `marktplatz serve` processes sharing one PostgreSQL database
//! (issue 22): SIGKILLs of either instance in the middle of publishes and operations lose
//! nothing acknowledged and apply nothing twice, and a device keeps syncing through the
//! survivor. 10 kills in debug here; `scripts/crash-harness.sh --two-instances COUNT` for many.
//! Runs when `MARKTPLATZ_TEST_PG` names a server (scripts/test.sh starts one).

use std::time::Duration;

use marktplatz_tests::crash_instances::{TwoInstanceConfig, TwoInstanceHarness};
use marktplatz_tests::scratch_database;
use marktplatz_tests::server_process::marktplatz_binary;

#[test]
fn sigkill_of_either_instance_loses_no_acknowledged_write_and_applies_none_twice() {
    let Some(database) = scratch_database() else {
        eprintln!("skipped: MARKTPLATZ_TEST_PG is not set");
        return;
    };
    let kills = 10;
    let config = TwoInstanceConfig {
        kills,
        seed: 22,
        // A debug publish of 200 sessions takes tens of milliseconds: kills land inside some.
        max_delay: Duration::from_millis(400),
        sessions: 200,
        server: marktplatz_binary(&std::env::current_exe().unwrap()).unwrap(),
        database: database.url().to_string(),
        verbose: true,
    };
    let report = TwoInstanceHarness::start(config)
        .and_then(TwoInstanceHarness::run)
        .unwrap_or_else(|failure| panic!("{failure}"));
    println!("{report}");
    assert_eq!(report.kills, kills);
    assert_eq!(report.checks_passed, kills, "checked after every kill");
    assert!(
        report.ops_acked > 0 && report.publishes_acked > 0,
        "{report}"
    );
    assert!(
        report.mid_publish + report.mid_op > 0,
        "no kill landed inside a request:\n{report}"
    );
}
