//! `marktplatz publish`: uploads a schedule — a native bundle or any file the importers read
//! (frab XML, schedule JSON, iCalendar, CSV) — and the assets the server lacks. The server
//! stores only what changed, so re-publishing a newer version sends devices the difference.

use std::path::{Path, PathBuf};

use marktplatz_core::sync::CancelToken;
use marktplatz_import::identity::{Rule, count_by_rule};
use marktplatz_model::assets::sha256_hex;
use marktplatz_model::preview::Preview;
use marktplatz_model::source::{DEFAULT_SOURCE, is_valid_source, source_from_file_stem};
use marktplatz_model::wire::{self, PublishOutcome};
use marktplatz_publish::{AssetBytes, Target, preview_source, publish_source, published_by_source};
use marktplatz_server::Admin;

use super::credentials::ServerToken;
use super::schedule_file::{ImportArgs, Loaded, load};
use super::server;
use crate::error::{CliError, CmdResult};
use crate::i18n::{errors, messages as msg};
use crate::{note, out};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    to: ServerToken,
    /// The event's id, e.g. egov-marktplatz-nordwest-2027.
    #[arg(long, value_name = "ID")]
    event: String,
    /// Folder with the asset files the bundle refers to (any names; matched by SHA-256).
    /// Defaults to `assets/` next to the bundle, when it exists.
    #[arg(long, value_name = "DIR")]
    assets: Option<PathBuf>,
    /// The source this file is a snapshot of: publishing it replaces only what the same
    /// source published before. Defaults to the file's name without extension.
    #[arg(long, value_name = "NAME")]
    source: Option<String>,
    #[command(flatten)]
    guard: Guard,
    /// A note for this release (shown by `marktplatz releases`).
    #[arg(long, value_name = "TEXT", default_value = "")]
    note: String,
    /// The schedule: a native bundle, frab XML, schedule JSON, iCalendar or CSV.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    #[command(flatten)]
    import: ImportArgs,
}

/// `--dry-run` and `--yes`, shared by `publish` and `revert` (both are planned and guarded
/// alike by the server).
#[derive(clap::Args)]
pub struct Guard {
    /// Print what it would add, change (field by field) and remove, which phone edits it keeps
    /// or overrides, and what needs --yes; store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Go ahead even if it would remove more than half of the source's sessions or change the
    /// event's days (without it such a change prints the preview and ends with status 7).
    #[arg(long)]
    pub yes: bool,
}

/// A publish's (or revert's) answer; one the guards refused becomes exit status 7 with the
/// preview (asked for in full by `preview`), said by `message`.
pub async fn unless_unconfirmed<T, P>(
    result: marktplatz_core::Result<T>,
    preview: P,
    message: impl FnOnce(&Preview) -> String,
) -> CmdResult<T>
where
    P: std::future::Future<Output = marktplatz_core::Result<Preview>>,
{
    match result {
        Err(marktplatz_core::Error::Server { code, .. })
            if code == wire::code::CONFIRMATION_REQUIRED =>
        {
            Err(CliError::unconfirmed(message(&preview.await?)))
        }
        other => Ok(other?),
    }
}

pub fn run(args: Args) -> CmdResult {
    let token = args.to.token.resolve()?;
    let mut loaded = load(&args.file, Some(&args.event), &args.import)?;
    if let Loaded::Imported(import) = &loaded {
        note!(
            "{}",
            msg::imported(
                &args.file,
                import.format.as_str(),
                import.bundle.sessions.len(),
                import.warnings.len()
            )
        );
    }
    let source = match &args.source {
        Some(name) if is_valid_source(name) => name.clone(),
        Some(name) => return Err(CliError::invalid(msg::bad_source(name))),
        None => args
            .file
            .file_stem()
            .and_then(|stem| source_from_file_stem(&stem.to_string_lossy()))
            .unwrap_or_else(|| DEFAULT_SOURCE.to_string()),
    };
    let to = Target {
        server_url: &args.to.server,
        token: &token,
        event_id: &args.event,
        source: &source,
        note: &args.note,
        confirmed: args.guard.yes,
    };
    if let Loaded::Imported(import) = &mut loaded
        && !import.made_up.is_empty()
    {
        // Made-up ids continue what the same source published last (ADR 0015), for the
        // preview as for the publish.
        let previous = server::block_on(async {
            let client = server::client()?;
            Ok(published_by_source(&client, &to, &CancelToken::new()).await?)
        })?;
        let made_up = import.made_up.len();
        let counts = count_by_rule(&import.keep_identity(&previous));
        let count = |rule| counts.get(&rule).copied().unwrap_or(0);
        note!(
            "{}",
            msg::kept_identity(
                &source,
                made_up,
                count(Rule::SameTitle),
                count(Rule::FixedTypo),
                count(Rule::Moved)
            )
        );
    }
    let bundle = loaded.into_bundle();
    if bundle.event.id != args.event {
        return Err(CliError::invalid(msg::bundle_of_other_event(
            &args.file,
            &bundle.event.id,
            &args.event,
        )));
    }
    let folder = args.assets.clone().or_else(|| {
        let next_to = args.file.parent()?.join("assets");
        next_to.is_dir().then_some(next_to)
    });
    let assets = match folder {
        Some(dir) => read_assets(&dir)?,
        None => AssetBytes::new(),
    };
    if args.guard.dry_run {
        let preview = server::block_on(async {
            let client = server::client()?;
            Ok(preview_source(&client, &to, &bundle, &CancelToken::new()).await?)
        })?;
        return out!("{}", msg::previewed(&args.event, &source, &preview));
    }
    let outcome = server::block_on(async {
        let client = server::client()?;
        let cancel = CancelToken::new();
        unless_unconfirmed(
            publish_source(&client, &to, &bundle, &assets, &cancel).await,
            preview_source(&client, &to, &bundle, &cancel),
            |preview| msg::needs_confirmation(&args.event, &source, preview),
        )
        .await
    })?;
    out!("{}", msg::published(&args.event, &outcome))
}

/// Every file in `dir`, by the SHA-256 of its bytes.
fn read_assets(dir: &Path) -> CmdResult<AssetBytes> {
    let mut assets = AssetBytes::new();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| CliError::invalid(errors::io(&msg::reading(dir), &e)))?;
    for entry in entries {
        let path = entry
            .map_err(|e| CliError::invalid(errors::io(&msg::reading(dir), &e)))?
            .path();
        if path.is_file() {
            let bytes = std::fs::read(&path)
                .map_err(|e| CliError::invalid(errors::io(&msg::reading(&path), &e)))?;
            assets.insert(sha256_hex(&bytes), bytes);
        }
    }
    Ok(assets)
}

/// Publishes the built-in demo event (bundle and assets) straight into a data directory.
pub fn publish_demo(admin: &Admin) -> CmdResult<PublishOutcome> {
    let demo = marktplatz_media::demo::demo_content()?;
    Ok(admin.publish_with_assets(
        demo.bundle,
        demo.assets.iter().map(|a| (&a.asset, a.bytes.as_slice())),
    )?)
}
