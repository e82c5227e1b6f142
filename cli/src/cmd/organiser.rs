//! `marktplatz organiser login|logout|status`: organiser mode on a device folder (the token is
//! kept in user.db and never printed back), and what the write commands share.

use std::path::PathBuf;

use marktplatz_core::store::Store;
use marktplatz_core::sync;
use marktplatz_core::sync::{Client, ClientConfig, OutboxEntry, PushOptions, PushReport, PushStop};
use marktplatz_model::ops::Op;

use super::{CmdResult, device};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Store an organiser token for an event on this device.
    Login {
        #[arg(long)]
        device: PathBuf,
        #[arg(long)]
        server: String,
        #[arg(long)]
        event: String,
        /// The token (or set MARKTPLATZ_TOKEN, which keeps it out of the shell history).
        #[arg(long)]
        token: Option<String>,
    },
    /// Forget the token (queued operations stay).
    Logout {
        #[arg(long)]
        device: PathBuf,
        #[arg(long)]
        event: Option<String>,
    },
    Status {
        #[arg(long)]
        device: PathBuf,
        #[arg(long)]
        event: Option<String>,
    },
}

pub fn run(args: Args) -> CmdResult {
    match args.action {
        Action::Login {
            device,
            server,
            event,
            token,
        } => {
            let token = match token {
                Some(token) => token,
                None => std::env::var("MARKTPLATZ_TOKEN")
                    .map_err(|_| "give the token with --token or MARKTPLATZ_TOKEN")?,
            };
            let store = device::open(&device)?;
            sync::set_organiser(&store, &event, &server, &token)?;
            println!("organiser mode for {event} on {server}");
        }
        Action::Logout { device, event } => {
            let store = device::open(&device)?;
            let event = device::resolve_event(&store, event.as_deref())?;
            sync::forget_organiser(&store, &event)?;
            println!("left organiser mode for {event}");
        }
        Action::Status { device, event } => {
            let store = device::open(&device)?;
            let event = device::resolve_event(&store, event.as_deref())?;
            match sync::organiser(&store, &event)? {
                Some(info) => println!(
                    "organiser of {event} on {} (token {})",
                    info.server_url, info.token_id
                ),
                None => println!("not an organiser of {event} on this device"),
            }
        }
    }
    Ok(())
}

/// Options every write command has.
#[derive(clap::Args)]
pub struct WriteArgs {
    /// The device folder.
    #[arg(long)]
    pub device: PathBuf,
    #[arg(long)]
    pub event: Option<String>,
    /// Only queue it; do not try to send now.
    #[arg(long)]
    pub no_push: bool,
}

/// Queues `op` (shown on this device at once), then tries one push unless told not to.
pub fn queue_and_push(
    args: &WriteArgs,
    make: impl FnOnce(&Store, &str) -> Result<OutboxEntry, marktplatz_core::Error>,
) -> CmdResult {
    let store = device::open(&args.device)?;
    let event = device::resolve_event(&store, args.event.as_deref())?;
    let entry = make(&store, &event)?;
    println!(
        "queued #{} {} {}",
        entry.id,
        entry.op.name(),
        entry.op.target().1
    );
    if !args.no_push {
        let report = push_now(&store, &event)?;
        print_push(&report);
        if let Some(now) = store.outbox_entry(entry.id)? {
            println!("#{}: {}", now.id, describe(&now));
        }
    }
    Ok(())
}

pub fn queue_op(args: &WriteArgs, op: Op) -> CmdResult {
    queue_and_push(args, |store, event| store.queue_op(event, op))
}

pub fn push_now(store: &Store, event: &str) -> Result<PushReport, Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let report = runtime.block_on(async {
        let client = Client::new(ClientConfig::default())?;
        marktplatz_core::sync::push(&client, store, event, &PushOptions::default()).await
    })?;
    Ok(report)
}

pub fn print_push(report: &PushReport) {
    println!(
        "pushed: {} accepted ({} already applied before), {} rejected, {} waiting",
        report.accepted, report.replayed, report.rejected, report.remaining
    );
    match &report.stopped {
        Some(PushStop::Offline(m)) => println!("stopped: server not reachable ({m}); will retry"),
        Some(PushStop::Unauthorized(m)) => {
            println!("stopped: token refused ({m}); nothing is lost: log in with a new token")
        }
        None => {}
    }
}

pub fn describe(entry: &OutboxEntry) -> String {
    let mut text = entry.state.as_str().replace('_', " ");
    if let Some(seq) = entry.seq {
        text.push_str(&format!(" (version {seq})"));
    }
    if let Some(r) = &entry.rejection {
        text.push_str(&format!(": {} ({} {})", r.message, r.status, r.code));
        if let Some(seq) = r.current_seq {
            text.push_str(&format!("; the server has version {seq}"));
        }
    } else if let Some(error) = &entry.last_error {
        text.push_str(&format!(" (last try: {error})"));
    }
    text
}
