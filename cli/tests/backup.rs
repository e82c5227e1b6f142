//! `marktplatz backup` as a tool: a copy of a running server's data directory that another
//! server serves, exit status 3 for a destination that is not empty or a directory that holds
//! no server's data (docs/cli.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

#[test]
fn a_running_servers_copy_serves_and_mistakes_exit_3() {
    let demo = Demo::start();
    let data = demo.root.path().join("srv");
    let copy = demo.root.path().join("copy");
    let stdout = run(marktplatz()
        .args(["backup", "--data"])
        .arg(&data)
        .arg("--to")
        .arg(&copy))
    .ok();
    assert!(stdout.contains("backed up to"), "{stdout}");
    assert!(stdout.contains("integrity ok"), "{stdout}");

    let served = serve(&copy, &[]);
    let phone = demo.root.path().join("phone-from-copy");
    let synced = run(marktplatz()
        .args([
            "sync",
            "--no-assets",
            "--server",
            &served.url,
            "--event",
            DEMO,
        ])
        .arg("--device")
        .arg(&phone))
    .ok();
    assert!(!synced.is_empty());

    let again = run(marktplatz()
        .args(["backup", "--data"])
        .arg(&data)
        .arg("--to")
        .arg(&copy))
    .fails_with(3);
    assert!(again.contains("is not empty"), "{again}");
    let nothing = run(marktplatz()
        .args(["backup", "--data"])
        .arg(demo.root.path().join("nowhere"))
        .arg("--to")
        .arg(demo.root.path().join("elsewhere")))
    .fails_with(3);
    assert!(nothing.contains("has no marktplatz.db"), "{nothing}");
    assert!(!demo.root.path().join("elsewhere").exists());
}
