//! Every command in the README's `sh` blocks, as written, in order, on the built binary: a new
//! organiser who follows the README must not hit an error. The only change is the port:
//! `127.0.0.1:8080` becomes a free one, so the test does not depend on 8080 being free.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// The lines of the README's ```sh blocks, in order.
fn readme_commands() -> Vec<String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .unwrap();
    let mut commands = Vec::new();
    let mut in_block = false;
    for line in readme.lines() {
        match (in_block, line.trim()) {
            (false, "```sh") => in_block = true,
            (true, "```") => in_block = false,
            (true, text) if !text.is_empty() && !text.starts_with('#') => {
                commands.push(text.to_string());
            }
            _ => {}
        }
    }
    commands
}

struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn every_readme_command_works_as_written() {
    let commands = readme_commands();
    assert!(commands.len() >= 25, "{commands:#?}");
    assert!(
        commands.iter().all(|c| c.starts_with("marktplatz ")),
        "every line is a marktplatz command: {commands:#?}"
    );
    let work = tempfile::tempdir().unwrap();
    let bin = work.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_marktplatz"), bin.join("marktplatz")).unwrap();
    std::os::unix::fs::symlink(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs"),
        work.path().join("docs"),
    )
    .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let address = format!(
        "127.0.0.1:{}",
        common::dead_url().rsplit(':').next().unwrap()
    );
    let shell = |line: &str| {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(line.replace("127.0.0.1:8080", &address))
            .current_dir(work.path())
            .env("PATH", &path)
            .env_remove("LANG")
            .env_remove("LC_MESSAGES")
            .env_remove("MARKTPLATZ_TOKEN")
            .env("LC_ALL", "C")
            .stdin(Stdio::null());
        command
    };
    let mut server = None;
    for line in &commands {
        if line.starts_with("marktplatz serve") {
            // Started in the background, as its own terminal would run it.
            let mut child = shell(&format!("exec {line}"))
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let mut first = String::new();
            BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut first)
                .unwrap();
            assert!(first.contains("listening on"), "{line}: {first}");
            server = Some(Killed(child));
            continue;
        }
        let output = shell(line).output().unwrap();
        assert!(
            output.status.success(),
            "README command failed ({:?}):\n{line}\n{}\n{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(server.is_some(), "the README starts a server");
    // What the commands left behind is what the README says they make.
    for made in [
        "organiser.token",
        "meine-termine.ics",
        "marktplatz.bash",
        "marktplatz.1",
        "phone/user.db",
        "tablet/user.db",
    ] {
        assert!(work.path().join(made).exists(), "{made}");
    }
}
