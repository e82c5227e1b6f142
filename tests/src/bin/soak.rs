//! Runs the network soak at any scale and prints its report (see `marktplatz_tests::soak`).
//!
//! Usage: `soak DEVICES SECONDS [SEED]` — normally through `scripts/soak.sh`.

use std::process::ExitCode;
use std::time::Duration;

use marktplatz_tests::soak::{SoakConfig, run};

fn main() -> ExitCode {
    let numbers: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (Some(&devices), Some(&seconds)) = (numbers.first(), numbers.get(1)) else {
        eprintln!("usage: soak DEVICES SECONDS [SEED]");
        return ExitCode::from(2);
    };
    let seed = numbers.get(2).copied().unwrap_or(1);
    let mut config = SoakConfig::new(devices as usize, Duration::from_secs(seconds), seed);
    // Many devices share two cores here: give convergence time in proportion.
    config.heal_bound = Duration::from_secs(30 + devices / 2);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(8)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("soak: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config)) {
        Ok(report) => {
            println!("{report}");
            if report.tight_loops.is_empty() {
                ExitCode::SUCCESS
            } else {
                eprintln!("soak: tight loops: {:?}", report.tight_loops);
                ExitCode::FAILURE
            }
        }
        Err(failure) => {
            eprintln!("soak: FAILED (seed {seed}): {failure}");
            ExitCode::FAILURE
        }
    }
}
