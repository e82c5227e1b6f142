#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `marktplatz demo` end to end: server on loopback, an attendee's and an organiser's phone.

use std::process::Command;

#[test]
fn the_demo_syncs_tours_searches_and_raises_an_alert() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_marktplatz"))
        .args(["demo", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "demo failed:\n{stdout}\n{stderr}");
    for expected in [
        "publishes \"E-Government Marktplatz Nordwest\"",
        "first sync — ",
        "session +35",
        "10 Stationen:",
        "Jetzt (11:10 Uhr):",
        "Die E-[Rechnung] kommt an",
        "[Bürgeramt]",
        "IT-[Sicherheit]",
        "2 im Konflikt",
        "1 operation accepted by the server",
        "next sync — ",
        "session ~1",
        "Änderung an einem Favoriten (relocated)",
        "polling again — nothing new",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    // The delta after the organiser's move is small: a few hundred bytes of content.
    let delta_line = stdout.lines().find(|l| l.contains("next sync — ")).unwrap();
    let bytes: u64 = delta_line
        .split("— ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(
        bytes < 1024,
        "the delta carried {bytes} bytes: {delta_line}"
    );
    // Everything the demo wrote stays in the folder it was given.
    assert!(dir.path().join("attendee/user.db").is_file());
    assert!(dir.path().join("server").is_dir());
}
