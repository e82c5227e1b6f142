//! Runs the crash harness at any scale and prints its report (see `marktplatz_tests::crash`).
//!
//! Usage: `crash-harness COUNT [SEED] [--verbose] [--max-delay-ms N] [--two-instances]` —
//! normally through `scripts/crash-harness.sh COUNT [SEED]`, which builds the release binaries
//! first. `--two-instances`: COUNT SIGKILLs of two `marktplatz serve` processes on one scratch
//! database of the PostgreSQL server `MARKTPLATZ_TEST_PG` names
//! (`marktplatz_tests::crash_instances`).

use std::process::ExitCode;

use marktplatz_server::store::scratch::ScratchDatabase;
use marktplatz_tests::crash::{CrashConfig, CrashHarness};
use marktplatz_tests::crash_instances::{TwoInstanceConfig, TwoInstanceHarness};
use marktplatz_tests::server_process::marktplatz_binary;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let max_delay = args
        .iter()
        .position(|a| a == "--max-delay-ms")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse::<u64>().ok());
    let numbers: Vec<u64> = args
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            max_delay.is_none()
                || args.get(i.wrapping_sub(1)).map(String::as_str) != Some("--max-delay-ms")
        })
        .filter_map(|(_, a)| a.parse().ok())
        .collect();
    let Some(&count) = numbers.first() else {
        eprintln!("usage: crash-harness COUNT [SEED] [--verbose]");
        return ExitCode::from(2);
    };
    let seed = numbers.get(1).copied().unwrap_or(1);
    if args.iter().any(|a| a == "--two-instances") {
        return two_instances(count as usize, seed, max_delay, verbose);
    }
    let child = match std::env::current_exe() {
        Ok(exe) => exe.with_file_name("crash_child"),
        Err(e) => {
            eprintln!("crash-harness: {e}");
            return ExitCode::FAILURE;
        }
    };
    if !child.is_file() {
        eprintln!(
            "crash-harness: {} is missing (build the crash_child binary too)",
            child.display()
        );
        return ExitCode::FAILURE;
    }
    let mut config = CrashConfig::new(count as usize, seed, child);
    config.verbose = verbose;
    // A release child runs a round in a few milliseconds: kill sooner, or most random kills
    // would land after many rounds and few inside a page or a download.
    config.max_delay = std::time::Duration::from_millis(max_delay.unwrap_or(120));
    let result = CrashHarness::start(config).and_then(CrashHarness::run);
    match result {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("crash-harness: INVARIANT BROKEN (seed {seed}): {failure}");
            ExitCode::FAILURE
        }
    }
}

fn two_instances(kills: usize, seed: u64, max_delay: Option<u64>, verbose: bool) -> ExitCode {
    let database = match ScratchDatabase::from_env() {
        Some(Ok(database)) => database,
        Some(Err(e)) => {
            eprintln!("crash-harness: the scratch database: {e}");
            return ExitCode::FAILURE;
        }
        None => {
            eprintln!(
                "crash-harness: --two-instances needs MARKTPLATZ_TEST_PG (scripts/start-postgres.sh)"
            );
            return ExitCode::from(2);
        }
    };
    let server = match std::env::current_exe()
        .map_err(|e| e.to_string())
        .and_then(|exe| marktplatz_binary(&exe))
    {
        Ok(server) => server,
        Err(e) => {
            eprintln!("crash-harness: {e}");
            return ExitCode::FAILURE;
        }
    };
    let config = TwoInstanceConfig {
        kills,
        seed,
        max_delay: std::time::Duration::from_millis(max_delay.unwrap_or(150)),
        sessions: 200,
        server,
        database: database.url().to_string(),
        verbose,
    };
    match TwoInstanceHarness::start(config).and_then(TwoInstanceHarness::run) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("crash-harness: INVARIANT BROKEN (two instances, seed {seed}): {failure}");
            ExitCode::FAILURE
        }
    }
}
