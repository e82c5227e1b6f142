//! `marktplatz sync`: brings a device folder up to date with an event's server.

use std::path::PathBuf;
use std::sync::Arc;

use marktplatz_core::device::sync_event;
use marktplatz_core::favourites::AlertListeners;
use marktplatz_core::sync;
use marktplatz_core::sync::{
    AssetCache, CancelToken, Client, ClientConfig, Phase, Progress, SyncOptions, SyncReport,
};

use super::{CmdResult, device};

#[derive(clap::Args)]
pub struct Args {
    /// The device folder (content.db, user.db, assets/); created if missing.
    #[arg(long)]
    device: PathBuf,
    /// The server's base URL, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    server: String,
    #[arg(long)]
    event: String,
    /// Print the report as JSON (bytes, pages, changes per kind, assets).
    #[arg(long)]
    json: bool,
    /// Content only: do not fetch logos, photos, maps and thumbnails.
    #[arg(long)]
    no_assets: bool,
    /// Asset cache budget in MiB.
    #[arg(long, default_value_t = 200)]
    asset_budget_mib: u64,
    /// The event's access code, if the organisers protected it; kept on the device for later
    /// syncs (`--forget-access-code` removes it).
    #[arg(long, conflicts_with = "forget_access_code")]
    access_code: Option<String>,
    #[arg(long)]
    forget_access_code: bool,
}

pub fn run(args: Args) -> CmdResult {
    let store = device::open(&args.device)?;
    if let Some(code) = &args.access_code {
        sync::set_access_code(&store, &args.event, Some(code))?;
    } else if args.forget_access_code {
        sync::set_access_code(&store, &args.event, None)?;
    }
    let cache = AssetCache::new(&args.device, args.asset_budget_mib * 1024 * 1024);
    let cancel = CancelToken::new();
    let quiet = args.json;
    let options = SyncOptions {
        cancel: cancel.clone(),
        progress: Some(Arc::new(move |p: &Progress| {
            if !quiet && p.phase == Phase::Content && p.seq_total > 0 {
                eprint!(
                    "\rcontent {:>3.0}%  {} entities  {} KiB",
                    p.fraction() * 100.0,
                    p.entities,
                    p.bytes / 1024
                );
            }
        })),
        hook: None,
        skip_assets: args.no_assets,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // Nobody listens to a one-shot command's alerts (`marktplatz alerts` lists them).
    let alerts = AlertListeners::default();
    let report = runtime.block_on(async {
        let client = Client::new(ClientConfig::default())?;
        tokio::select! {
            report = sync_event(&client, &store, Some(&cache), &alerts, &args.server, &args.event, &options) => report,
            _ = tokio::signal::ctrl_c() => {
                cancel.cancel();
                Err(marktplatz_core::Error::Cancelled)
            }
        }
    });
    if !quiet {
        eprintln!();
    }
    let report = report?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report);
    }
    Ok(())
}

fn print_report(report: &SyncReport) {
    let content = &report.content;
    if content.not_modified {
        println!("{}: up to date (seq {})", report.event_id, content.cursor);
    } else {
        println!(
            "{}: now at seq {} of epoch {}; {} page(s), {} bytes{}",
            report.event_id,
            content.cursor,
            content.epoch.as_deref().unwrap_or("?"),
            content.pages,
            content.bytes,
            if content.rebootstrapped {
                "; content re-bootstrapped"
            } else {
                ""
            }
        );
    }
    for (kind, counts) in &content.summary.kinds {
        println!(
            "  {kind}: {} added, {} updated, {} removed",
            counts.added, counts.updated, counts.removed
        );
    }
    if report.assets.wanted > 0 {
        println!(
            "  assets: {} of {} fetched",
            report.assets.downloaded, report.assets.wanted
        );
    }
    for (sha, error) in &report.assets.failed {
        println!("  asset {sha} not fetched: {error}");
    }
}
