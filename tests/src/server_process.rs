//! A `marktplatz serve` child process (on a PostgreSQL database, or SQLite in its data
//! directory): started, read for the address it listens on, and killed by its process id.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a starting instance may take to print its address (migrations, a debug build).
const START_LIMIT: Duration = Duration::from_secs(30);

/// The `marktplatz` binary: `MARKTPLATZ_BIN`, else beside `exe` or one folder up (a test
/// binary lives in `target/debug/deps`, the CLI in `target/debug`).
pub fn marktplatz_binary(exe: &Path) -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("MARKTPLATZ_BIN") {
        return Ok(PathBuf::from(path));
    }
    exe.ancestors()
        .skip(1)
        .take(2)
        .map(|dir| dir.join("marktplatz"))
        .find(|path| path.is_file())
        .ok_or_else(|| {
            format!(
                "no marktplatz binary near {} (cargo build -p marktplatz-cli, or set MARKTPLATZ_BIN)",
                exe.display()
            )
        })
}

pub struct ServerProcess {
    child: Child,
    pub addr: SocketAddr,
}

impl ServerProcess {
    /// `BIN serve --data DATA [--database URL] --listen 127.0.0.1:0 --log warn`, once it
    /// listens.
    pub fn start(bin: &Path, data: &Path, database: Option<&str>) -> Result<ServerProcess, String> {
        let log = std::fs::File::create(data.with_extension("log"))
            .map_err(|e| format!("log of {}: {e}", data.display()))?;
        let mut command = Command::new(bin);
        command.args(["serve", "--listen", "127.0.0.1:0", "--log", "warn"]);
        if let Some(database) = database {
            command.args(["--database", database]);
        }
        let mut child = command
            .arg("--data")
            .arg(data)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("starting {}: {e}", bin.display()))?;
        let Some(stdout) = child.stdout.take() else {
            return Err("the server's stdout was not captured".into());
        };
        let (tx, rx) = mpsc::channel();
        // The reader keeps draining stdout after the address, so the child never blocks on it.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = line.split("listening on http://").nth(1) {
                    let _ = tx.send(addr.trim().to_string());
                }
            }
        });
        let addr = match rx.recv_timeout(START_LIMIT) {
            Ok(text) => text
                .parse()
                .map_err(|e| format!("the server printed the address '{text}': {e}")),
            Err(_) => Err(format!(
                "the server on {} did not listen within {START_LIMIT:?} (see {})",
                data.display(),
                data.with_extension("log").display()
            )),
        };
        match addr {
            Ok(addr) => Ok(ServerProcess { child, addr }),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(e)
            }
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Reaps the process after it was killed by [`sigkill`] (or kills it now).
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// SIGKILL to one process by its id (from another thread, at a random moment; `kill(1)`, as
/// the workspace allows no unsafe code for kill(2)).
pub fn sigkill(pid: u32) -> Result<(), String> {
    let status = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .map_err(|e| format!("kill -KILL {pid}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("kill -KILL {pid}: {status}"))
    }
}
