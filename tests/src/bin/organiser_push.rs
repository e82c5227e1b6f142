//! Crash-test helper: pushes a device's outbox for one event, then prints the report as JSON.
//! Run with `MARKTPLATZ_FAILPOINT=after_push_response:pause` it stops right after the server's
//! first 2xx, before the device records it, and waits there to be killed.
//!
//! Usage: `organiser_push DEVICE_DIR EVENT_ID`

use std::process::ExitCode;

use marktplatz_core::store::Store;
use marktplatz_core::sync::{Client, PushOptions, push};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, event] = args.as_slice() else {
        eprintln!("usage: organiser_push DEVICE_DIR EVENT_ID");
        return ExitCode::from(2);
    };
    let run = || -> Result<String, Box<dyn std::error::Error>> {
        let store = Store::open(dir)?;
        let client = Client::new(marktplatz_tests::fast_client_config())?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let report = runtime.block_on(push(&client, &store, event, &PushOptions::default()))?;
        Ok(serde_json::to_string(&report)?)
    };
    match run() {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("organiser_push: {e}");
            ExitCode::FAILURE
        }
    }
}
