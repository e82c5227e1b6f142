//! What the binary's tests share: the built `marktplatz` in a chosen language, a real
//! `marktplatz serve` on loopback, and running commands with their exit status.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub const DEMO: &str = "egov-marktplatz-nordwest-2027";

/// The binary in English (`LC_ALL=C`), with no token in the environment.
pub fn marktplatz() -> Command {
    in_locale("C")
}

/// The binary with `LC_ALL` set to `locale` (and LANG, LC_MESSAGES removed).
pub fn in_locale(locale: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_marktplatz"));
    command
        .env_remove("LANG")
        .env_remove("LC_MESSAGES")
        .env_remove("MARKTPLATZ_TOKEN")
        .env("LC_ALL", locale);
    command
}

pub fn german() -> Command {
    in_locale("de_DE.UTF-8")
}

/// Stdout, stderr and the exit status of a finished command.
pub struct Ran {
    pub stdout: String,
    pub stderr: String,
    pub code: Option<i32>,
}

impl Ran {
    pub fn ok(self) -> String {
        assert_eq!(
            self.code,
            Some(0),
            "failed:\n{}\n{}",
            self.stdout,
            self.stderr
        );
        self.stdout
    }

    /// Asserts the exit status and returns stderr.
    pub fn fails_with(self, code: i32) -> String {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit {code}:\nstdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        self.stderr
    }
}

pub fn run(command: &mut Command) -> Ran {
    let Output {
        status,
        stdout,
        stderr,
    } = command.stdin(Stdio::null()).output().unwrap();
    Ran {
        stdout: String::from_utf8_lossy(&stdout).to_string(),
        stderr: String::from_utf8_lossy(&stderr).to_string(),
        code: status.code(),
    }
}

/// A `marktplatz serve` child, killed when dropped.
pub struct Server {
    pub child: Child,
    pub url: String,
    pub data: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `marktplatz serve --data DATA --listen 127.0.0.1:0 [extra]` and waits for its URL.
pub fn serve(data: &Path, extra: &[&str]) -> Server {
    let mut child = marktplatz()
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .args(extra)
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
    Server {
        child,
        url,
        data: data.to_path_buf(),
    }
}

/// A server with the demo event and a phone synced from it.
pub struct Demo {
    pub root: tempfile::TempDir,
    pub server: Server,
    pub phone: PathBuf,
}

impl Demo {
    pub fn start() -> Demo {
        let root = tempfile::tempdir().unwrap();
        let server = serve(&root.path().join("srv"), &["--demo"]);
        let phone = root.path().join("phone");
        run(marktplatz()
            .args([
                "sync",
                "--no-assets",
                "--server",
                &server.url,
                "--event",
                DEMO,
            ])
            .arg("--device")
            .arg(&phone))
        .ok();
        Demo {
            root,
            server,
            phone,
        }
    }

    pub fn phone(&self) -> &str {
        self.phone.to_str().unwrap()
    }

    /// An organiser token of the demo event, issued on the data directory.
    pub fn organiser_token(&self) -> String {
        token(&self.server.data, &["--event", DEMO, "--role", "organiser"])
    }

    /// Logs the phone in with a fresh organiser token.
    pub fn log_in(&self) -> String {
        let token = self.organiser_token();
        run(marktplatz()
            .env("MARKTPLATZ_TOKEN", &token)
            .args(["organiser", "login", "--device", self.phone()])
            .args(["--server", &self.server.url, "--event", DEMO]))
        .ok();
        token
    }
}

/// `marktplatz token --data DATA ARGS`: the printed token.
pub fn token(data: &Path, args: &[&str]) -> String {
    run(marktplatz().arg("token").arg("--data").arg(data).args(args))
        .ok()
        .trim()
        .to_string()
}

/// A loopback URL where nothing listens.
pub fn dead_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}")
}
