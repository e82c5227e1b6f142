//! `marktplatz sync`: brings a device folder up to date with an event's server. The one
//! command (with `organiser login`) that creates a device folder.

use std::path::PathBuf;
use std::sync::Arc;

use marktplatz_core::device::sync_event;
use marktplatz_core::favourites::AlertListeners;
use marktplatz_core::sync::{self, AssetCache, CancelToken, Phase, Progress, SyncOptions};

use super::sync_report::{print_report, report_line};
use super::{device, server};
use crate::error::CmdResult;
use crate::i18n::messages as msg;
use crate::note;

#[derive(clap::Args)]
pub struct Args {
    /// The device folder (content.db, user.db, assets/); created if missing.
    #[arg(long, value_name = "DIR")]
    device: PathBuf,
    /// The server's base URL, e.g. http://127.0.0.1:8080.
    #[arg(long, value_name = "URL")]
    server: String,
    /// The event's id, e.g. egov-marktplatz-nordwest-2027.
    #[arg(long, value_name = "ID")]
    event: String,
    /// Print the report as JSON (bytes, pages, changes per kind, assets).
    #[arg(long)]
    json: bool,
    /// Content only: do not fetch logos, photos, maps and thumbnails.
    #[arg(long)]
    no_assets: bool,
    /// Asset cache budget in MiB (default 200).
    #[arg(
        long,
        value_name = "MIB",
        default_value_t = 200,
        hide_default_value = true
    )]
    asset_budget_mib: u64,
    /// The event's access code, if the organisers protected it; kept on the device for later
    /// syncs (`--forget-access-code` removes it).
    #[arg(long, value_name = "CODE", conflicts_with = "forget_access_code")]
    access_code: Option<String>,
    /// Remove the access code kept on the device.
    #[arg(long)]
    forget_access_code: bool,
    /// After the sync, keep following the event (each change within a second) until Ctrl-C;
    /// with --json one line per applied answer.
    #[arg(long)]
    follow: bool,
}

pub fn run(args: Args) -> CmdResult {
    let created = !args.device.exists();
    let store = device::open_or_create(&args.device)?;
    let result = sync(&args, &store);
    if result.is_err() && created && store.events().map(|e| e.is_empty()).unwrap_or(false) {
        // A first sync that brought nothing (a typo in --event or --server) leaves no folder.
        drop(store);
        let _ = std::fs::remove_dir_all(&args.device);
    }
    result
}

fn sync(args: &Args, store: &marktplatz_core::store::Store) -> CmdResult {
    if let Some(code) = &args.access_code {
        sync::set_access_code(store, &args.event, Some(code))?;
    } else if args.forget_access_code {
        sync::set_access_code(store, &args.event, None)?;
    }
    let cache = AssetCache::new(&args.device, args.asset_budget_mib * 1024 * 1024);
    let cancel = CancelToken::new();
    let quiet = args.json;
    let options = SyncOptions {
        cancel: cancel.clone(),
        progress: Some(Arc::new(move |p: &Progress| {
            if !quiet && p.phase == Phase::Content && p.seq_total > 0 {
                crate::out::progress(format_args!(
                    "{}",
                    msg::sync_progress(p.fraction() * 100.0, p.entities, p.bytes / 1024)
                ));
            }
        })),
        hook: None,
        skip_assets: args.no_assets,
    };
    // Nobody listens to a one-shot command; the alerts are recorded all the same.
    let alerts = AlertListeners::default();
    let report = server::block_on(async {
        let client = server::client()?;
        tokio::select! {
            report = sync_event(&client, store, Some(&cache), &alerts, &args.server, &args.event, &options) => Ok(report?),
            _ = tokio::signal::ctrl_c() => {
                cancel.cancel();
                Err(marktplatz_core::Error::Cancelled.into())
            }
        }
    });
    if !quiet {
        note!("");
    }
    let report = report?;
    if args.follow {
        report_line(&report, args.json)?;
        return super::follow::follow(store, &args.server, &args.event, args.json);
    }
    if args.json {
        return crate::out::json(&report);
    }
    print_report(&report)
}
