//! The binary as a careful Unix tool: a closed pipe ends it quietly, exit statuses say what
//! happened (docs/cli.md), a typo in `--device` makes no folder, `serve` locks its data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Stdio};

use common::*;

/// Runs the command with stdout on a pipe whose reader is already gone (`| head` that has
/// read its lines): the first write fails with EPIPE, every time.
fn into_closed_pipe(command: &mut Command) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = command
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

#[test]
fn a_closed_pipe_ends_every_printing_command_quietly() {
    let demo = Demo::start();
    let phone = demo.phone();
    let cases: [&[&str]; 7] = [
        &["agenda", "--device", phone],
        &["agenda", "--device", phone, "--json"],
        &["search", "--device", phone, "--json", "archiv"],
        &["search", "--device", phone, "archiv"],
        &["ics", "--device", phone],
        &["fav", "list", "--device", phone, "--json"],
        &["--help"],
    ];
    for args in cases {
        let (code, stderr) = into_closed_pipe(marktplatz().args(args));
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(
            stderr.is_empty(),
            "{args:?} printed on a closed pipe: {stderr}"
        );
    }
    for shell in ["bash", "zsh", "fish"] {
        let (code, stderr) = into_closed_pipe(marktplatz().args(["completions", shell]));
        assert_eq!((code, stderr.as_str()), (Some(0), ""), "{shell}");
    }
    let (code, stderr) = into_closed_pipe(&mut marktplatz_man());
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
}

fn marktplatz_man() -> Command {
    let mut command = marktplatz();
    command.arg("man");
    command
}

#[test]
fn exit_statuses_say_what_happened() {
    let demo = Demo::start();
    let phone = demo.phone();
    // 2: the command line itself is wrong.
    let stderr = run(marktplatz().args(["agenda", "--device", phone, "--favourite"])).fails_with(2);
    assert!(stderr.contains("--favourites"), "a suggestion: {stderr}");
    run(marktplatz().args(["agenda", "--device", phone, "--day", "32.01.2027"])).fails_with(2);
    // 3: it was read, but names something that is not there.
    let stderr = run(marktplatz().args(["agenda", "--device", phone, "--event", "nordwest-2027"]))
        .fails_with(3);
    assert!(
        stderr.contains(DEMO),
        "names what the device holds: {stderr}"
    );
    run(marktplatz().args([
        "session",
        "cancel",
        "--device",
        phone,
        "--no-push",
        "no-such-talk",
    ]))
    .fails_with(3);
    // 4: the server refused.
    let stderr = run(marktplatz()
        .args(["publish", "--server", &demo.server.url, "--event", DEMO])
        .args(["--token", "-starts-with-a-hyphen.xyz", "no-such-file.csv"]))
    .fails_with(3);
    assert!(stderr.contains("no-such-file.csv"), "{stderr}");
    let csv =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/examples/programm.csv");
    let stderr = run(marktplatz()
        .args(["publish", "--server", &demo.server.url, "--event", DEMO])
        .args([
            "--token",
            "-starts-with-a-hyphen.xyz",
            "--timezone",
            "Europe/Berlin",
        ])
        .arg(&csv))
    .fails_with(4);
    assert!(stderr.contains("token"), "{stderr}");
    // 5: the server could not be reached; the URL is named once.
    let dead = dead_url();
    let stderr = run(marktplatz().args([
        "sync", "--device", phone, "--server", &dead, "--event", DEMO,
    ]))
    .fails_with(5);
    assert_eq!(
        stderr.matches(dead.trim_start_matches("http://")).count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("nothing is lost"), "{stderr}");
    // 6: another serve holds the data directory.
    let stderr = run(marktplatz()
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&demo.server.data))
    .fails_with(6);
    assert!(stderr.contains("another marktplatz serve"), "{stderr}");
}

#[test]
fn the_serve_lock_is_released_when_the_holder_dies() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("srv");
    let mut first = serve(&data, &[]);
    run(marktplatz()
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data))
    .fails_with(6);
    // A crash (SIGKILL) frees the lock: the OS drops it with the process.
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    let second = serve(&data, &[]);
    assert!(second.url.starts_with("http://127.0.0.1:"));
}

#[test]
fn a_typo_in_the_device_folder_makes_no_folder() {
    let root = tempfile::tempdir().unwrap();
    let typo = root.path().join("phnoe");
    for args in [
        vec!["agenda"],
        vec!["fav", "add", "x"],
        vec!["alerts"],
        vec!["search", "x"],
        vec!["ics"],
        vec!["outbox"],
        vec!["push"],
        vec!["organiser", "status"],
        vec!["session", "cancel", "x"],
    ] {
        let stderr = run(marktplatz().args(&args).arg("--device").arg(&typo)).fails_with(3);
        assert!(
            stderr.contains("there is no device in"),
            "{args:?}: {stderr}"
        );
        assert!(!typo.exists(), "{args:?} made {}", typo.display());
    }
    // A first sync that fails leaves nothing behind either.
    run(marktplatz()
        .args(["sync", "--server", &dead_url(), "--event", DEMO, "--device"])
        .arg(&typo))
    .fails_with(5);
    assert!(!typo.exists());
}

#[test]
fn german_locales_get_german_and_everything_else_english() {
    let demo = Demo::start();
    let phone = demo.phone();
    let english = run(marktplatz().args(["agenda", "--device", phone, "--day", "2027-02-01"])).ok();
    assert!(english.contains("2027-02-01 Mon: 35 sessions"), "{english}");
    for german_run in [
        german(),
        {
            let mut c = in_locale("");
            c.env_remove("LC_ALL").env("LANG", "de_AT.UTF-8");
            c
        },
        {
            let mut c = in_locale("");
            c.env_remove("LC_ALL")
                .env("LANG", "en_GB.UTF-8")
                .env("LC_MESSAGES", "de_DE");
            c
        },
    ] {
        let mut command = german_run;
        let text = run(command.args(["agenda", "--device", phone, "--day", "01.02.2027"])).ok();
        assert!(text.contains("Mo 01.02.2027: 35 Programmpunkte"), "{text}");
        assert!(!text.contains("sessions"), "{text}");
    }
    // LC_ALL=C wins over a German LANG.
    let mut c = in_locale("C");
    c.env("LANG", "de_DE.UTF-8");
    let text = run(c.args(["agenda", "--device", phone])).ok();
    assert!(text.contains("35 sessions"), "{text}");

    // Errors too, the CLI's own, the core's and clap's.
    let stderr = run(german().args(["agenda", "--device", "./gibt-es-nicht"])).fails_with(3);
    assert!(stderr.contains("ist kein Gerät"), "{stderr}");
    let stderr = run(german().args(["agenda", "--device", phone, "--favourite"])).fails_with(2);
    assert!(
        stderr.contains("unbekannte Option '--favourite'"),
        "{stderr}"
    );
    assert!(stderr.contains("Meinten Sie '--favourites'?"), "{stderr}");
    assert!(
        !stderr.contains("error") && !stderr.contains("Usage"),
        "{stderr}"
    );
    let stderr =
        run(german().args(["agenda", "--device", phone, "--day", "31.02.2027"])).fails_with(2);
    assert!(stderr.contains("ist kein Datum"), "{stderr}");
    let stderr = run(german().args([
        "sync",
        "--device",
        phone,
        "--server",
        &dead_url(),
        "--event",
        DEMO,
    ]))
    .fails_with(5);
    assert!(stderr.contains("ist nicht erreichbar"), "{stderr}");
    assert!(!stderr.contains("cannot reach"), "{stderr}");
    let help = run(german().args(["session", "move", "--help"])).ok();
    assert!(
        help.contains("Aufruf: marktplatz session move [OPTIONEN]"),
        "{help}"
    );
    assert!(help.contains("Beispiel:"), "{help}");
    for english in ["Usage", "Options", "Print help", "The session", "Example"] {
        assert!(
            !help.contains(english),
            "{english:?} in German help:\n{help}"
        );
    }
}

#[test]
fn alerts_count_in_words_that_fit_the_number() {
    let demo = Demo::start();
    let text = run(marktplatz().args(["alerts", "--device", demo.phone()])).ok();
    assert!(text.contains(": 0 alerts"), "{text}");
    assert!(!text.contains("1 alerts"), "{text}");
}

#[test]
fn import_warnings_follow_the_locale_too() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("programm.csv");
    std::fs::write(
        &file,
        "Titel;Datum;Beginn;Dauer;Raum\n;01.02.2027;10:00;45;A\nEins;28.03.2027;02:30;45;A\nZwei;01.02.2027;kaputt;45;A\n",
    )
    .unwrap();
    let german_text = run(german().arg("import-check").arg(&file)).ok();
    for expected in [
        "Zeile 2: title: ist leer; die Zeile wurde übersprungen",
        "28.03.2027 02:30 gibt es in Europe/Berlin nicht",
        "„kaputt“ ist keine Uhrzeit",
    ] {
        assert!(
            german_text.contains(expected),
            "{expected:?}:\n{german_text}"
        );
    }
    for english in ["row ", "skipped", "does not exist", "is not a time"] {
        assert!(
            !german_text.contains(english),
            "{english:?}:\n{german_text}"
        );
    }
    let english_text = run(marktplatz().arg("import-check").arg(&file)).ok();
    assert!(
        english_text.contains("row 2: title: is empty; the row was skipped"),
        "{english_text}"
    );
    assert!(!english_text.contains("Zeile"), "{english_text}");
    let json = run(german().args(["import-check", "--json"]).arg(&file)).ok();
    assert!(json.contains("die Zeile wurde übersprungen"), "{json}");
}

#[test]
fn import_check_reads_a_workbook_without_format_and_names_the_file_it_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vorlage.xlsx");
    // The console's template, left empty: found to be XLSX by its content, refused as rowless.
    std::fs::write(&file, marktplatz_import::template::xlsx().unwrap()).unwrap();
    let stderr = run(marktplatz().arg("import-check").arg(&file)).fails_with(3);
    assert!(stderr.contains("vorlage.xlsx"), "{stderr}");
    assert!(
        stderr.contains("has no rows below the header of the sheet 'Programm'"),
        "{stderr}"
    );
    let forced = run(marktplatz()
        .args(["import-check", "--format", "csv"])
        .arg(&file))
    .fails_with(3);
    assert!(
        forced
            .contains("--format csv-sessions was given, but the file is an Excel workbook (XLSX)"),
        "{forced}"
    );
}
