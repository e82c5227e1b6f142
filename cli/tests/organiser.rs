//! The organiser's commands as a new organiser meets them: ids where they are asked for,
//! names where they are unambiguous, titles and local times in every message, and exit
//! statuses that say whether the server took the change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::*;

const CSV_EVENT: &str = "marktplatz-csv";

/// A server with the example spreadsheet published (its places have UUIDs for ids) and a
/// logged-in phone.
fn spreadsheet() -> (tempfile::TempDir, Server, PathBuf, String) {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("srv");
    let organiser = token(&data, &["--event", CSV_EVENT]);
    let server = serve(&data, &[]);
    let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/examples/programm.csv");
    run(marktplatz()
        .env("MARKTPLATZ_TOKEN", &organiser)
        .args(["publish", "--server", &server.url, "--event", CSV_EVENT])
        .args(["--timezone", "Europe/Berlin"])
        .arg(&csv))
    .ok();
    let phone = root.path().join("phone");
    login(&server, &phone, &organiser);
    (root, server, phone, organiser)
}

fn login(server: &Server, phone: &Path, token: &str) {
    run(marktplatz()
        .args([
            "sync",
            "--no-assets",
            "--server",
            &server.url,
            "--event",
            CSV_EVENT,
            "--device",
        ])
        .arg(phone))
    .ok();
    run(marktplatz()
        .env("MARKTPLATZ_TOKEN", token)
        .args([
            "organiser",
            "login",
            "--server",
            &server.url,
            "--event",
            CSV_EVENT,
            "--device",
        ])
        .arg(phone))
    .ok();
}

#[test]
fn places_and_sessions_by_name_and_ids_on_request() {
    let (_root, _server, phone, _) = spreadsheet();
    let phone = phone.to_str().unwrap();
    // agenda --ids shows what `session` asks for.
    let agenda = run(marktplatz().args(["agenda", "--device", phone, "--ids"])).ok();
    assert!(agenda.contains(" ozg "), "{agenda}");
    let plain = run(marktplatz().args(["agenda", "--device", phone])).ok();
    assert!(!plain.contains(" ozg "), "{plain}");

    // The places' ids are UUIDs; the name is enough.
    let moved =
        run(marktplatz().args(["session", "move", "--device", phone, "ozg", "--to", "foyer"])).ok();
    assert!(
        moved.contains("move \"OZG-Leistungen gemeinsam nutzen\" to \"Foyer\""),
        "{moved}"
    );
    assert!(moved.contains("accepted"), "{moved}");
    // Sessions by title, places by the start of their name.
    let moved = run(marktplatz().args([
        "session",
        "move",
        "--device",
        phone,
        "E-Rechnung in der Kommune",
        "--to",
        "bühne",
    ]))
    .ok();
    assert!(moved.contains("to \"Bühne Markthalle\""), "{moved}");
    // Two places fit: an error that lists both with their ids.
    let stderr = run(marktplatz().args([
        "session", "move", "--device", phone, "ozg", "--to", "station",
    ]))
    .fails_with(3);
    assert!(
        stderr.contains("Station 3") && stderr.contains("Station 5"),
        "{stderr}"
    );
    assert!(stderr.contains("(id "), "{stderr}");
    let stderr = run(german().args([
        "session", "move", "--device", phone, "ozg", "--to", "keller",
    ]))
    .fails_with(3);
    assert!(
        stderr.contains("gibt es nicht") && stderr.contains("Foyer"),
        "{stderr}"
    );
    let outbox = run(marktplatz().args(["outbox", "--device", phone])).ok();
    assert!(
        !outbox.contains("session.move"),
        "titles, not op names: {outbox}"
    );
}

#[test]
fn retimes_take_german_times_and_speak_local_time() {
    let (_root, _server, phone, _) = spreadsheet();
    let phone = phone.to_str().unwrap();
    let stderr = run(marktplatz().args([
        "session", "retime", "--device", phone, "ozg", "--start", "14:30", "--end", "14.00",
    ]))
    .fails_with(3);
    assert!(
        stderr.contains("would end at 14:00, before it starts at 14:30"),
        "{stderr}"
    );
    assert!(!stderr.contains("UTC"), "{stderr}");
    let done = run(marktplatz().args([
        "session",
        "retime",
        "--device",
        phone,
        "ozg",
        "--start",
        "14.30",
        "--end",
        "15:15 Uhr",
    ]))
    .ok();
    assert!(
        done.contains("retime \"OZG-Leistungen gemeinsam nutzen\" to 2027-03-04 Thu 14:30–15:15"),
        "{done}"
    );
    let german_text = run(german().args([
        "session", "retime", "--device", phone, "ozg", "--start", "9 Uhr", "--end", "9:45",
    ]))
    .ok();
    assert!(
        german_text.contains("auf Do 04.03.2027 09:00–09:45 Uhr verschieben"),
        "{german_text}"
    );
}

#[test]
fn a_change_the_server_refuses_as_outdated_ends_in_conflict() {
    let (root, server, phone, organiser) = spreadsheet();
    let second = root.path().join("second-phone");
    login(&server, &second, &organiser);
    run(marktplatz()
        .args([
            "session",
            "edit",
            "--title",
            "OZG gemeinsam",
            "ozg",
            "--device",
        ])
        .arg(&phone))
    .ok();
    // The second phone edits the version it saw, which is no longer the server's.
    let stderr = run(marktplatz()
        .args([
            "session",
            "edit",
            "--title",
            "OZG zusammen",
            "ozg",
            "--device",
        ])
        .arg(&second))
    .fails_with(6);
    assert!(
        stderr.contains("rejected") && stderr.contains("newer version"),
        "{stderr}"
    );
    assert!(stderr.contains("--retry"), "{stderr}");
    // The refused change stays in the outbox with the reason; only queuing succeeds.
    let outbox = run(marktplatz().args(["outbox", "--device"]).arg(&second)).ok();
    assert!(outbox.contains("rejected"), "{outbox}");
    run(marktplatz()
        .args(["session", "cancel", "--no-push", "ozg", "--device"])
        .arg(&second))
    .ok();
}

#[test]
fn a_write_without_the_server_is_kept_and_says_so() {
    let demo = Demo::start();
    demo.log_in();
    drop(demo.server);
    let stderr = run(marktplatz().args([
        "announce",
        "--device",
        demo.phone.to_str().unwrap(),
        "Häppchen und Getränke im Foyer",
    ]))
    .fails_with(5);
    assert!(stderr.contains("queued but not sent"), "{stderr}");
    let outbox = run(marktplatz().args(["outbox", "--device", demo.phone.to_str().unwrap()])).ok();
    assert!(
        outbox.contains("\"Häppchen und Getränke im Foyer\""),
        "{outbox}"
    );
}
