//! The favourites subcommands end to end: `fav`, `agenda`, `alerts`, `ics` on a real device
//! folder, driven through the `marktplatz` binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::Duration;
use marktplatz_core::favourites;
use marktplatz_core::store::Store;
use marktplatz_model::bundle::Bundle;
use marktplatz_model::model::{Entity, EntityKind};
use serde_json::Value;

const EVENT: &str = "fav-fair";

fn load_fixture(dir: &Path) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/favourites-bundle.json");
    let bundle = Bundle::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let store = Store::open(dir).unwrap();
    store
        .write_content(|tx| tx.replace_with_bundle(&bundle))
        .unwrap();
}

fn run(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let mut full: Vec<&str> = args.to_vec();
    full.extend(["--device", dir.to_str().unwrap()]);
    let out = Command::new(env!("CARGO_BIN_EXE_marktplatz"))
        .env("LC_ALL", "C")
        .args(&full)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let (success, stdout, stderr) = run(dir, args);
    assert!(success, "{args:?} failed: {stderr}");
    stdout
}

fn json(dir: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(dir, args)).unwrap()
}

#[test]
fn favourites_agenda_alerts_and_calendar_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    load_fixture(dir);

    assert_eq!(
        ok(dir, &["fav", "add", "f-talk-a"]),
        "added session \"Digitale Verwaltung, jetzt; wirklich\"\n"
    );
    ok(dir, &["fav", "add", "f-talk-b", "--note", "mit Ole"]);
    ok(dir, &["fav", "add", "sp-kim"]);
    ok(dir, &["fav", "add", "f-removed"]);
    let (success, _, stderr) = run(dir, &["fav", "add", "nothing-like-this"]);
    assert!(!success);
    assert!(stderr.contains("nothing-like-this"), "{stderr}");

    let list = json(dir, &["fav", "list", "--json"]);
    let items = list["favourites"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["f-talk-a", "f-talk-b", "f-removed", "sp-kim"]);
    assert_eq!(items[1]["note"], "mit Ole");
    assert_eq!(items[3]["kind"], "speaker");

    // Personal agenda: the two morning talks collide.
    let agenda = json(
        dir,
        &["agenda", "--day", "2026-10-24", "--favourites", "--json"],
    );
    assert_eq!(agenda["conflict_count"], 2);
    assert_eq!(agenda["entries"][0]["conflicts_with"][0], "f-talk-b");
    assert_eq!(agenda["entries"][1]["walk"]["place"], "same-hall");
    let text = ok(dir, &["agenda", "--day", "2026-10-24", "--favourites"]);
    // Titles, not ids, in what people read.
    assert!(
        text.contains("CONFLICT with \"Cloud für Kommunen\""),
        "{text}"
    );
    // The whole programme, favourites starred.
    let programme = ok(dir, &["agenda", "--day", "2026-10-24"]);
    assert!(
        programme.contains("* 10:00-11:00  Digitale Verwaltung"),
        "{programme}"
    );
    assert!(
        programme.contains("  09:00-09:30  Eröffnung"),
        "{programme}"
    );

    // A change published meanwhile (recorded as the sync will record it).
    {
        let store = Store::open(dir).unwrap();
        store
            .write_content(|tx| {
                let Some(Entity::Session(mut s)) =
                    tx.get(EVENT, EntityKind::Session, "f-talk-a")?
                else {
                    panic!()
                };
                s.start += Duration::hours(1);
                s.end += Duration::hours(1);
                let body = Entity::Session(s.clone()).to_json().unwrap();
                let moved = tx.upsert(EVENT, &Entity::Session(s), &body)?;
                let removed = tx.delete(EVENT, EntityKind::Session, "f-removed")?;
                favourites::record_change_alerts(&store, EVENT, &[moved, removed])
            })
            .unwrap();
    }
    let alerts = json(dir, &["alerts", "--json"]);
    let mut kinds: Vec<(String, String)> = alerts["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["session_id"].as_str().unwrap().to_string(),
                a["changes"][0].as_str().unwrap().to_string(),
            )
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            ("f-removed".into(), "removed".into()),
            ("f-talk-a".into(), "moved".into())
        ]
    );
    let shown = ok(dir, &["alerts", "--mark-seen"]);
    assert!(shown.contains("was: 2026-10-24 10:00-11:00"), "{shown}");
    assert!(shown.contains("now: 2026-10-24 11:00-12:00"), "{shown}");
    assert!(shown.contains("marked 2 seen"), "{shown}");
    assert_eq!(
        json(dir, &["alerts", "--json"])["alerts"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let list = ok(dir, &["fav", "list"]);
    assert!(list.contains("Wird gestrichen  (removed)"), "{list}");

    // Calendar.
    let ics = ok(dir, &["ics", "--favourites"]);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 3);
    assert!(ics.contains("DTSTART;TZID=Europe/Berlin:20261024T110000\r\n"));
    let out = dir.join("one.ics");
    ok(
        dir,
        &["ics", "--session", "f-open", "--out", out.to_str().unwrap()],
    );
    assert_eq!(
        std::fs::read_to_string(out)
            .unwrap()
            .matches("BEGIN:VEVENT")
            .count(),
        1
    );

    // Share with a friend on another device.
    let code = ok(dir, &["fav", "share"]).trim().to_string();
    let friend = tempfile::tempdir().unwrap();
    load_fixture(friend.path());
    ok(friend.path(), &["fav", "add", "f-open"]);
    ok(friend.path(), &["fav", "add", "f-talk-a"]);
    let shared = json(friend.path(), &["fav", "import", &code, "--json"]);
    let sessions = shared["sessions"].as_array().unwrap();
    let summary: Vec<(&str, bool, usize)> = sessions
        .iter()
        .map(|s| {
            (
                s["session"]["id"].as_str().unwrap(),
                s["mine"].as_bool().unwrap(),
                s["clashes_with"].as_array().unwrap().len(),
            )
        })
        .collect();
    // The friend's device still has f-removed (it has not synced yet).
    assert_eq!(
        summary,
        [
            ("f-talk-a", true, 0),
            ("f-talk-b", false, 1),
            ("f-removed", false, 0)
        ]
    );
    assert_eq!(shared["unresolved"], 0);
    let text = ok(friend.path(), &["fav", "import", &code]);
    assert!(
        text.contains("CLASHES with my \"Digitale Verwaltung, jetzt; wirklich\""),
        "{text}"
    );
    let added = json(friend.path(), &["fav", "import", &code, "--add", "--json"]);
    assert_eq!(added["added"], 3, "two new sessions and a speaker");

    ok(dir, &["fav", "remove", "f-talk-a"]);
    let (success, _, stderr) = run(dir, &["fav", "remove", "f-talk-a"]);
    assert!(!success && stderr.contains("not a favourite"), "{stderr}");
}
