#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `marktplatz publish` with the schedule formats organisers have (CSV, iCalendar), through a
//! real `marktplatz serve`, and a device syncing what was published.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn marktplatz() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_marktplatz"));
    command.env("LC_ALL", "C");
    command
}

fn serve(data: &Path) -> Server {
    let mut child = marktplatz()
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    Server { child, url }
}

fn run(command: &mut Command) -> String {
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{command:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn token(data: &Path, event: &str) -> String {
    run(marktplatz()
        .args(["token", "--event", event, "--role", "organiser", "--data"])
        .arg(data))
    .trim()
    .to_string()
}

fn shared_data() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data");
    dir.is_dir().then_some(dir)
}

#[test]
fn a_german_spreadsheet_is_published_and_synced() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("server");
    let token = token(&data, "marktplatz-csv");
    let server = serve(&data);
    let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/examples/programm.csv");
    let published = run(marktplatz()
        .args(["publish", "--server", &server.url, "--token", &token])
        .args(["--event", "marktplatz-csv", "--timezone", "Europe/Berlin"])
        .arg(&csv));
    assert!(
        published.contains("published marktplatz-csv:"),
        "{published}"
    );
    let device = root.path().join("phone");
    let synced = run(marktplatz()
        .args([
            "sync",
            "--server",
            &server.url,
            "--event",
            "marktplatz-csv",
            "--json",
            "--device",
        ])
        .arg(&device));
    let report: serde_json::Value = serde_json::from_str(&synced).unwrap();
    let store = marktplatz_core::store::Store::open(&device).unwrap();
    let overview = store.event_overview("marktplatz-csv").unwrap();
    assert!(overview.session_count >= 3, "{report}");
    // Republishing the same file changes nothing.
    let again = run(marktplatz()
        .args(["publish", "--server", &server.url, "--token", &token])
        .args(["--event", "marktplatz-csv", "--timezone", "Europe/Berlin"])
        .arg(&csv));
    assert!(again.contains(": 0 added, 0 updated, 0 removed"), "{again}");
}

#[test]
fn a_newer_calendar_revision_publishes_only_the_difference() {
    let Some(shared) = shared_data() else {
        panic!("../shared/data is missing: the real iCalendar revisions are needed");
    };
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("server");
    let token = token(&data, "dataweek");
    let server = serve(&data);
    let publish = |file: &str| {
        run(marktplatz()
            .args(["publish", "--server", &server.url, "--token", &token])
            .args(["--event", "dataweek", "--timezone", "Europe/London"])
            // Both revisions are snapshots of one source (the file names differ).
            .args(["--source", "calendar"])
            .arg(shared.join("ics").join(file)))
    };
    let first = publish("bristol-dataweek-2025.rev-2025-04-08.ics");
    assert!(first.contains("published dataweek:"), "{first}");
    let device = root.path().join("phone");
    let sync = || {
        run(marktplatz()
            .args([
                "sync",
                "--server",
                &server.url,
                "--event",
                "dataweek",
                "--device",
            ])
            .arg(&device))
    };
    sync();
    // A dry run first: it lists what the publish then does, and stores nothing.
    let dry = run(marktplatz()
        .args(["publish", "--server", &server.url, "--token", &token])
        .args(["--event", "dataweek", "--timezone", "Europe/London"])
        .args(["--source", "calendar", "--dry-run"])
        .arg(
            shared
                .join("ics")
                .join("bristol-dataweek-2025.rev-2025-05-22.ics"),
        ));
    assert!(dry.starts_with("dry run, nothing stored"), "{dry}");
    let removed_lines = dry.lines().filter(|l| l.starts_with("- ")).count() as u64;
    let second = publish("bristol-dataweek-2025.rev-2025-05-22.ics");
    // 21 events become 20: the server stores only what the second revision changed.
    let counts: Vec<u64> = second
        .split(':')
        .nth(1)
        .unwrap()
        .split(',')
        .take(3)
        .map(|part| part.trim().split(' ').next().unwrap().parse().unwrap())
        .collect();
    let (added, updated, removed) = (counts[0], counts[1], counts[2]);
    assert!(removed >= 1, "{second}");
    assert_eq!(
        removed, removed_lines,
        "the dry run listed what was removed: {dry}"
    );
    assert!(
        added + updated + removed < 21,
        "only the difference is stored: {second}"
    );
    sync();
    let store = marktplatz_core::store::Store::open(&device).unwrap();
    assert_eq!(store.event_overview("dataweek").unwrap().session_count, 20);
    // Both publishes are releases, newest first, each with its source and diff.
    let listed = run(marktplatz()
        .args(["releases", "--server", &server.url, "--token", &token])
        .args(["--event", "dataweek"]));
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert!(
        lines[0].starts_with("#2 ") && lines[0].contains(" calendar: "),
        "{listed}"
    );
    assert!(lines[0].contains(&format!("{removed} removed")), "{listed}");
    assert!(
        lines[1].starts_with("#1 ") && lines[1].contains(" 0 removed"),
        "{listed}"
    );
}

#[test]
fn a_protected_event_syncs_only_with_its_access_code() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("server");
    let token = token(&data, "marktplatz-csv");
    let server = serve(&data);
    let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/examples/programm.csv");
    run(marktplatz()
        .args(["publish", "--server", &server.url, "--token", &token])
        .args(["--event", "marktplatz-csv", "--timezone", "Europe/Berlin"])
        .arg(&csv));
    let set = run(marktplatz()
        .args([
            "access-code",
            "--event",
            "marktplatz-csv",
            "--code",
            "Markthalle 2027",
        ])
        .arg("--data")
        .arg(&data));
    assert!(set.contains("read only with its access code"), "{set}");
    // The running server sees a change made by another process within a second.
    std::thread::sleep(std::time::Duration::from_millis(1100));

    let device = root.path().join("phone");
    let sync = |extra: &[&str]| {
        marktplatz()
            .args(["sync", "--server", &server.url, "--event", "marktplatz-csv"])
            .args(extra)
            .arg("--device")
            .arg(&device)
            .output()
            .unwrap()
    };
    let refused = sync(&[]);
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("needs an access code"), "{message}");
    // Said for people: no HTTP header named, and the status says "refused".
    assert!(
        !message.to_lowercase().contains("x-marktplatz"),
        "{message}"
    );
    assert_eq!(refused.status.code(), Some(4), "{message}");
    let wrong = sync(&["--access-code", "Markthalle 2026"]);
    let message = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        message.contains("access code is wrong") && wrong.status.code() == Some(4),
        "{message}"
    );

    assert!(sync(&["--access-code", "Markthalle 2027"]).status.success());
    // Kept on the device: the next sync needs no flag.
    let again = sync(&[]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let store = marktplatz_core::store::Store::open(&device).unwrap();
    assert!(
        store
            .event_overview("marktplatz-csv")
            .unwrap()
            .session_count
            >= 3
    );
    drop(store);

    let cleared = run(marktplatz()
        .args(["access-code", "--event", "marktplatz-csv", "--clear"])
        .arg("--data")
        .arg(&data));
    assert!(cleared.contains("public again"), "{cleared}");
    let unknown = marktplatz()
        .args([
            "access-code",
            "--event",
            "no-such-fair",
            "--code",
            "Markthalle 2027",
        ])
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no-such-fair"));
}

#[test]
fn a_typo_fixed_in_a_spreadsheet_without_ids_stays_the_same_session() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("server");
    let token = token(&data, "landkreis");
    let server = serve(&data);
    let csv = root.path().join("programm.csv");
    let publish = |extra: &[&str]| {
        run(marktplatz()
            .args(["publish", "--server", &server.url, "--token", &token])
            .args(["--event", "landkreis", "--timezone", "Europe/Berlin"])
            .args(extra)
            .arg(&csv))
    };
    let header = "Titel;Datum;Beginn;Ende;Raum\n";
    let keynote = "Keynote;01.02.2027;09:00;09:45;Saal A\n";
    std::fs::write(
        &csv,
        format!("{header}{keynote}Digitale Verwlatung;01.02.2027;10:00;10:45;Saal A\n"),
    )
    .unwrap();
    let first = publish(&[]);
    assert!(first.contains(": 4 added, 0 updated, 0 removed"), "{first}");
    std::fs::write(
        &csv,
        format!("{header}{keynote}Digitale Verwaltung;01.02.2027;10:00;10:45;Saal A\n"),
    )
    .unwrap();
    // The dry run matches like the publish (ADR 0015): one session changed, none removed.
    let dry = publish(&["--dry-run"]);
    assert_eq!(
        dry.lines().filter(|l| l.starts_with("- ")).count(),
        0,
        "{dry}"
    );
    let second = publish(&[]);
    assert!(
        second.contains(": 0 added, 1 updated, 0 removed"),
        "{second}"
    );
}

#[test]
fn the_wrong_file_needs_yes_and_ends_with_status_7_until_then() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("server");
    let token = token(&data, "marktplatz-csv");
    let server = serve(&data);
    let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/examples/programm.csv");
    let publish = |file: &Path, extra: &[&str]| {
        marktplatz()
            .args(["publish", "--server", &server.url, "--token", &token])
            .args(["--event", "marktplatz-csv", "--timezone", "Europe/Berlin"])
            .args(["--source", "programm"])
            .args(extra)
            .arg(file)
            .output()
            .unwrap()
    };
    assert!(publish(&csv, &[]).status.success());
    // Only the opening left: most sessions would go.
    let text = std::fs::read_to_string(&csv).unwrap();
    let short = root.path().join("kurz.csv");
    std::fs::write(&short, text.lines().take(2).collect::<Vec<_>>().join("\n")).unwrap();
    let refused = publish(&short, &[]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(7), "{stderr}");
    assert!(stderr.contains("needs --yes"), "{stderr}");
    assert!(
        stderr.contains("- session erechnung"),
        "the preview: {stderr}"
    );
    let dry = publish(&short, &["--dry-run"]);
    let dry = String::from_utf8_lossy(&dry.stdout);
    assert!(dry.contains("needs --yes: it would remove"), "{dry}");
    let confirmed = publish(&short, &["--yes"]);
    let stdout = String::from_utf8_lossy(&confirmed.stdout);
    assert!(confirmed.status.success(), "{stdout}");
    assert!(stdout.contains(" removed"), "{stdout}");
    assert!(!stdout.contains(" 0 removed"), "{stdout}");

    // Undone: release 1 again, as new changes; previewable first.
    let revert = |extra: &[&str]| {
        run(marktplatz()
            .args(["revert", "--server", &server.url, "--token", &token])
            .args(["--event", "marktplatz-csv", "--to", "1"])
            .args(extra))
    };
    let dry = revert(&["--dry-run"]);
    assert!(
        dry.starts_with("dry run, nothing stored: reverting marktplatz-csv to release 1"),
        "{dry}"
    );
    assert!(dry.contains("+ session erechnung"), "{dry}");
    let reverted = revert(&[]);
    assert!(
        reverted.starts_with("reverted marktplatz-csv to release 1:")
            && reverted.contains(" 0 removed"),
        "{reverted}"
    );
    let again = publish(&csv, &[]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(
        stdout.contains(": 0 added, 0 updated, 0 removed"),
        "{stdout}"
    );
}
