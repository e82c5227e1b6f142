//! `marktplatz publish`: uploads a schedule — a native bundle or any file the importers read
//! (frab XML, schedule JSON, iCalendar, CSV) — and the assets the server lacks. The server
//! stores only what changed, so re-publishing a newer version sends devices the difference.

use std::path::{Path, PathBuf};

use marktplatz_core::sync::{CancelToken, Client, ClientConfig};
use marktplatz_model::assets::sha256_hex;
use marktplatz_model::wire::PublishOutcome;
use marktplatz_publish::{AssetBytes, publish_bundle};
use marktplatz_server::Admin;

use super::CmdResult;
use super::schedule_file::{ImportArgs, Loaded, load};

#[derive(clap::Args)]
pub struct Args {
    /// The server's base URL, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    server: String,
    /// An organiser token of the event (from `marktplatz token`).
    #[arg(long)]
    token: String,
    #[arg(long)]
    event: String,
    /// Folder with the asset files the bundle refers to (any names; matched by SHA-256).
    /// Defaults to `assets/` next to the bundle, when it exists.
    #[arg(long)]
    assets: Option<PathBuf>,
    /// The schedule: a native bundle, frab XML, schedule JSON, iCalendar or CSV.
    file: PathBuf,
    #[command(flatten)]
    import: ImportArgs,
}

pub fn run(args: Args) -> CmdResult {
    let loaded = load(&args.file, Some(&args.event), &args.import)?;
    if let Loaded::Imported(import) = &loaded {
        eprintln!(
            "imported {} as {}: {} sessions, {} warnings (marktplatz import-check lists them)",
            args.file.display(),
            import.format.as_str(),
            import.bundle.sessions.len(),
            import.warnings.len()
        );
    }
    let bundle = loaded.into_bundle();
    if bundle.event.id != args.event {
        return Err(format!(
            "{} is a bundle of event '{}', not '{}'",
            args.file.display(),
            bundle.event.id,
            args.event
        )
        .into());
    }
    let folder = args.assets.clone().or_else(|| {
        let next_to = args.file.parent()?.join("assets");
        next_to.is_dir().then_some(next_to)
    });
    let assets = match folder {
        Some(dir) => read_assets(&dir)?,
        None => AssetBytes::new(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let outcome = runtime.block_on(async {
        let client = Client::new(ClientConfig::default())?;
        publish_bundle(
            &client,
            &args.server,
            &args.token,
            &args.event,
            &bundle,
            &assets,
            &CancelToken::new(),
        )
        .await
    })?;
    print_outcome(&args.event, &outcome);
    Ok(())
}

fn print_outcome(event: &str, outcome: &PublishOutcome) {
    println!(
        "published {event}: {} added, {} updated, {} removed, {} unchanged; head {} (epoch {}){}",
        outcome.added,
        outcome.updated,
        outcome.removed,
        outcome.unchanged,
        outcome.seq,
        outcome.epoch,
        if outcome.thumbnails_made > 0 {
            format!("; {} thumbnails made", outcome.thumbnails_made)
        } else {
            String::new()
        }
    );
}

/// Every file in `dir`, by the SHA-256 of its bytes.
fn read_assets(dir: &Path) -> Result<AssetBytes, Box<dyn std::error::Error>> {
    let mut assets = AssetBytes::new();
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_file() {
            let bytes =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            assets.insert(sha256_hex(&bytes), bytes);
        }
    }
    Ok(assets)
}

/// Publishes the built-in demo event (bundle and assets) straight into a data directory.
pub fn publish_demo(admin: &Admin) -> Result<PublishOutcome, Box<dyn std::error::Error>> {
    let demo = marktplatz_media::demo::demo_content()?;
    let outcome = admin
        .publish_with_assets(
            demo.bundle,
            demo.assets.iter().map(|a| (&a.asset, a.bytes.as_slice())),
        )
        .map_err(|e| format!("{} ({})", e.message, e.code))?;
    Ok(outcome)
}
