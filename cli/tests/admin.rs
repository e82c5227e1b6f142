//! `marktplatz admin` against a real `marktplatz serve`: issue, list, revoke, access codes;
//! tokens from the flag, a file or MARKTPLATZ_TOKEN; `organiser login` checks the token.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

#[test]
fn an_admin_issues_lists_and_revokes_tokens_and_sets_access_codes_over_http() {
    let demo = Demo::start();
    let url = demo.server.url.clone();
    let admin_token = token(&demo.server.data, &["--role", "admin"]);
    let token_file = demo.root.path().join("admin.token");
    std::fs::write(&token_file, format!("{admin_token}\n")).unwrap();
    let admin = |args: &[&str]| {
        let mut command = marktplatz();
        command
            .args(["admin", "--server", &url, "--token-file"])
            .arg(&token_file)
            .args(args);
        run(&mut command)
    };

    // Issue: the token on stdout, its id on stderr.
    let issued = admin(&[
        "issue",
        "--event",
        DEMO,
        "--subject",
        "anna",
        "--expires-in",
        "12h",
    ]);
    let stderr = issued.stderr.clone();
    let anna = issued.ok().trim().to_string();
    let (anna_id, _) = anna.split_once('.').unwrap();
    assert!(stderr.contains(anna_id), "{stderr}");
    assert!(!anna.starts_with('-'));

    // The issued token works for an organiser at once.
    run(marktplatz().env("MARKTPLATZ_TOKEN", &anna).args([
        "organiser",
        "login",
        "--device",
        demo.phone(),
        "--server",
        &url,
        "--event",
        DEMO,
    ]))
    .ok();

    // List, with the token in the environment this time.
    let listed = run(marktplatz()
        .env("MARKTPLATZ_TOKEN", &admin_token)
        .args(["admin", "--server", &url, "list", "--event", DEMO]))
    .ok();
    let line = listed.lines().find(|l| l.starts_with(anna_id)).unwrap();
    assert!(line.contains("anna") && line.contains("until"), "{listed}");
    let json: serde_json::Value = serde_json::from_str(&admin(&["list", "--json"]).ok()).unwrap();
    assert!(json.as_array().unwrap().len() >= 2, "{json}");

    // Revoke: the organiser's next push is refused (exit 4), nothing lost.
    assert_eq!(admin(&["revoke", anna_id]).ok().trim(), "revoked");
    assert_eq!(
        admin(&["revoke", anna_id]).ok().trim(),
        "was already revoked"
    );
    let stderr = run(marktplatz().args([
        "announce",
        "--device",
        demo.phone(),
        "Häppchen und Getränke im Foyer",
    ]))
    .fails_with(4);
    assert!(stderr.contains("refused the token"), "{stderr}");
    let outbox = run(marktplatz().args(["outbox", "--device", demo.phone()])).ok();
    assert!(
        outbox.contains("Häppchen und Getränke im Foyer") && outbox.contains("pending"),
        "{outbox}"
    );

    // Access code: a device without it is refused; --clear makes the event public again.
    let set = admin(&["access-code", "--event", DEMO, "--code", "Markthalle 2027"]).ok();
    assert!(set.contains("read only with its access code"), "{set}");
    let fresh = demo.root.path().join("fresh");
    let sync = |device: &std::path::Path| {
        run(marktplatz()
            .args([
                "sync",
                "--no-assets",
                "--server",
                &url,
                "--event",
                DEMO,
                "--device",
            ])
            .arg(device))
    };
    let stderr = sync(&fresh).fails_with(4);
    assert!(stderr.contains("needs an access code"), "{stderr}");
    assert!(!stderr.contains("x-marktplatz"), "{stderr}");
    assert!(
        admin(&["access-code", "--event", DEMO, "--clear"])
            .ok()
            .contains("public again")
    );
    sync(&fresh).ok();

    // An attendee token is not an admin token; a wrong one is refused; no token at all is
    // invalid input.
    let stderr =
        run(marktplatz().args(["admin", "--server", &url, "--token", "nope.nope", "list"]))
            .fails_with(4);
    assert!(stderr.contains("does not accept the token"), "{stderr}");
    let stderr = run(marktplatz().args(["admin", "--server", &url, "list"])).fails_with(3);
    assert!(stderr.contains("MARKTPLATZ_TOKEN"), "{stderr}");
    // In German too.
    let stderr = run(german().args(["admin", "--server", &url, "--token", "nope.nope", "list"]))
        .fails_with(4);
    assert!(stderr.contains("nimmt das Token nicht an"), "{stderr}");
    // Unreachable: offline.
    run(marktplatz().args([
        "admin",
        "--server",
        &dead_url(),
        "--token",
        &admin_token,
        "list",
    ]))
    .fails_with(5);
}

#[test]
fn organiser_login_checks_the_token_with_the_server() {
    let demo = Demo::start();
    let url = demo.server.url.clone();
    let login = |token: &str, extra: &[&str], server: &str| {
        run(marktplatz()
            .args([
                "organiser",
                "login",
                "--device",
                demo.phone(),
                "--server",
                server,
            ])
            .args(["--event", DEMO, "--token", token])
            .args(extra))
    };
    // A made-up token is refused and nothing is stored.
    let stderr = login("made.up", &[], &url).fails_with(4);
    assert!(stderr.contains("refused the token"), "{stderr}");
    let status = run(marktplatz().args(["organiser", "status", "--device", demo.phone()])).ok();
    assert!(status.contains("not an organiser"), "{status}");
    // An attendee token may not write: refused as well.
    let attendee = token(&demo.server.data, &["--event", DEMO, "--role", "attendee"]);
    login(&attendee, &[], &url).fails_with(4);
    // Offline: refused unless --unchecked.
    let good = demo.organiser_token();
    let dead = dead_url();
    let stderr = login(&good, &[], &dead).fails_with(5);
    assert!(stderr.contains("--unchecked"), "{stderr}");
    let ran = login(&good, &["--unchecked"], &dead);
    assert!(ran.stderr.contains("not checked"), "{}", ran.stderr);
    ran.ok();
    // The right token, from a file.
    let file = demo.root.path().join("organiser.token");
    std::fs::write(&file, &good).unwrap();
    let text = run(marktplatz()
        .args([
            "organiser",
            "login",
            "--device",
            demo.phone(),
            "--server",
            &url,
        ])
        .args(["--event", DEMO, "--token-file"])
        .arg(&file))
    .ok();
    assert!(text.contains("token checked"), "{text}");
    let status = run(marktplatz().args(["organiser", "status", "--device", demo.phone()])).ok();
    assert!(status.contains(good.split_once('.').unwrap().0), "{status}");
    // Kept in the device folder's 0600 credentials file, not in user.db (ADR 0018).
    let phone = std::path::Path::new(demo.phone());
    let secret = good.split_once('.').unwrap().1.as_bytes();
    let user_db = std::fs::read(phone.join("user.db")).unwrap();
    assert!(!user_db.windows(secret.len()).any(|w| w == secret));
    let credentials = phone.join("credentials.json");
    assert!(
        std::fs::read_to_string(&credentials)
            .unwrap()
            .contains(&good)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&credentials)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Logging out deletes it there.
    run(marktplatz().args([
        "organiser",
        "logout",
        "--device",
        demo.phone(),
        "--event",
        DEMO,
    ]))
    .ok();
    assert!(
        !std::fs::read_to_string(&credentials)
            .unwrap()
            .contains(&good)
    );
}
