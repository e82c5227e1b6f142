//! Times the importers on real files: `cargo run --release -p marktplatz-import
//! --example import_timing -- FILE...` (prints the best and median of 10 runs per file).

use std::time::Instant;

use marktplatz_import::{ImportOptions, import};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path)?;
        let options = ImportOptions {
            timezone: path.ends_with(".ics").then(|| "Europe/London".to_string()),
            ..ImportOptions::default()
        };
        let mut times = Vec::new();
        let mut sessions = 0;
        for _ in 0..10 {
            let started = Instant::now();
            let result = import(&bytes, &options)?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            sessions = result.bundle.sessions.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{path}: {:.1} KiB, {sessions} sessions: best {:.1} ms, median {:.1} ms",
            bytes.len() as f64 / 1024.0,
            times[0],
            times[times.len() / 2]
        );
    }
    Ok(())
}
