#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `marktplatz demo` end to end: server on loopback, an attendee's and an organiser's phone,
//! in English and in German (chosen by the locale, never mixed).

use std::process::Command;

fn demo(locale: &str) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_marktplatz"))
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("LC_ALL", locale)
        .args(["demo", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "demo failed:\n{stdout}\n{stderr}");
    (stdout, dir)
}

fn assert_contains(stdout: &str, expected: &[&str]) {
    for expected in expected {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
}

#[test]
fn the_demo_syncs_tours_searches_and_raises_an_alert() {
    let (stdout, dir) = demo("C");
    assert_contains(
        &stdout,
        &[
            "publishes \"E-Government Marktplatz Nordwest\"",
            "first sync — ",
            "session +35",
            "10 stations:",
            "Now (11:10):",
            "Die E-[Rechnung] kommt an",
            "[Bürgeramt]",
            "IT-[Sicherheit]",
            "2 in conflict",
            "1 operation accepted by the server",
            "next sync — ",
            "session ~1",
            "Change to a favourite (relocated)",
            "polling again — nothing new",
        ],
    );
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

#[test]
fn the_demo_speaks_german_in_a_german_locale_and_only_german() {
    let (stdout, _dir) = demo("de_DE.UTF-8");
    assert_contains(
        &stdout,
        &[
            "veröffentlicht „E-Government Marktplatz Nordwest“",
            "erste Synchronisation — ",
            "Programmpunkt +35",
            "10 Stationen:",
            "Jetzt (11:10 Uhr):",
            "2 im Konflikt",
            "1 Auftrag vom Server angenommen",
            "Änderung an einem Favoriten (anderer Ort)",
            "erneute Abfrage — nichts Neues",
        ],
    );
    for english in [
        "Attendee",
        "sync ",
        "publishes",
        "stations",
        "Now (",
        "in conflict",
        "accepted by",
        "relocated",
        "session ",
        "bytes",
    ] {
        assert!(
            !stdout.contains(english),
            "English {english:?} in:\n{stdout}"
        );
    }
}
