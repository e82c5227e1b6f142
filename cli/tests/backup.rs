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
    let synced = sync(&served.url, &phone);
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

/// `marktplatz rotate-epoch` (after a restore): refused while a server runs on the directory
/// (status 6: it would go on serving the old epoch from memory); with the server stopped, a
/// new epoch per event, which the server serves once started, and the device synced before
/// starts over. Mistakes: status 3 for a directory without a database, 2 without
/// `--event`/`--all-events`, an unknown event is named.
#[test]
fn rotate_epoch_gives_events_a_new_epoch_that_devices_follow() {
    let mut demo = Demo::start();
    let data = demo.root.path().join("srv");
    let head = |url: &str| {
        let body = http_get(url, &format!("/v1/events/{DEMO}/head"));
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        json["epoch"].as_str().unwrap().to_string()
    };
    let before = head(&demo.server.url);
    let running = run(marktplatz()
        .args(["rotate-epoch", "--all-events", "--data"])
        .arg(&data))
    .fails_with(6);
    assert!(!running.is_empty());
    demo.server.child.kill().unwrap();
    demo.server.child.wait().unwrap();

    let one = run(marktplatz()
        .args(["rotate-epoch", "--event", DEMO, "--data"])
        .arg(&data))
    .ok();
    assert!(one.contains(DEMO) && one.contains("new epoch"), "{one}");
    let all = run(marktplatz()
        .args(["rotate-epoch", "--all-events", "--data"])
        .arg(&data))
    .ok();
    assert_eq!(all.lines().count(), 1, "{all}");
    let rotated = all.split("new epoch ").nth(1).unwrap();
    let rotated = rotated.split_whitespace().next().unwrap();
    assert_ne!(rotated, before);
    assert!(!one.contains(rotated), "each run a new epoch");
    let served = serve(&data, &[]);
    assert_eq!(head(&served.url), rotated, "the restarted server serves it");
    let synced = sync(&served.url, &demo.phone);
    assert!(!synced.is_empty());
    drop(served);

    let nowhere = run(marktplatz()
        .args(["rotate-epoch", "--all-events", "--data"])
        .arg(demo.root.path().join("nowhere")))
    .fails_with(3);
    assert!(nowhere.contains("has no marktplatz.db"), "{nowhere}");
    run(marktplatz().args(["rotate-epoch", "--data"]).arg(&data)).fails_with(2);
    let unknown = run(marktplatz()
        .args(["rotate-epoch", "--event", "no-such-event", "--data"])
        .arg(&data));
    assert_ne!(unknown.code, Some(0));
    assert!(
        unknown.stderr.contains("no-such-event"),
        "{}",
        unknown.stderr
    );
}

/// The body of `GET path` on `url` (`http://host:port`), over a plain connection.
fn http_get(url: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let host = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    body.to_string()
}

/// `marktplatz sync --no-assets` of the demo event from `url` into `device`; its output.
fn sync(url: &str, device: &std::path::Path) -> String {
    run(marktplatz()
        .args(["sync", "--no-assets", "--server", url, "--event", DEMO])
        .arg("--device")
        .arg(device))
    .ok()
}
