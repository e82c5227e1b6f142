//! `marktplatz token`: issues a bearer token on a server's data directory (creating the event
//! if new); `marktplatz token revoke ID` revokes one; `marktplatz token list` lists them.
//! The token is printed on stdout only; its id (for revoking) goes to stderr. On a running
//! server the same is `marktplatz admin` over HTTP.

use std::path::PathBuf;

use marktplatz_server::auth::{IssuedToken, Role, TokenInfo, TokenSpec};

use super::store_args::StoreArgs;
use crate::error::{CliError, CmdResult};
use crate::i18n::messages as msg;
use crate::{note, out, parse};

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    #[command(flatten)]
    issue: IssueArgs,
    /// Instead of a token, print a one-time sign-in link to the organiser console at this
    /// base URL (the address browsers reach the server at; valid 15 minutes), with its QR
    /// code.
    #[arg(long, value_name = "BASE_URL")]
    link: Option<String>,
    /// Also write the sign-in link's QR code to this file (SVG, or PNG when it ends in .png).
    #[arg(long, value_name = "FILE", requires = "link")]
    qr: Option<PathBuf>,
}

// Issuing, flattened into `token` itself (and used by `admin issue`).
#[derive(clap::Args)]
pub struct IssueArgs {
    /// The server's data directory (as given to `marktplatz serve --data`).
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// A PostgreSQL database instead of DIR/marktplatz.db (postgres://user:password@host/db,
    /// ADR 0021); DIR then holds only the asset cache. Several servers may share one.
    #[arg(long, value_name = "URL")]
    database: Option<String>,
    #[command(flatten)]
    pub spec: SpecArgs,
}

// What a token is for, shared by `token` and `admin issue`.
#[derive(clap::Args)]
pub struct SpecArgs {
    /// The event the token is for (created if new); not for admin tokens.
    #[arg(long, value_name = "ID")]
    pub event: Option<String>,
    /// organiser (writes to the event), attendee (reads it) or admin (issues and revokes
    /// tokens); default organiser.
    #[arg(
        long,
        value_name = "ROLE",
        default_value = "organiser",
        hide_default_value = true
    )]
    pub role: String,
    /// Lifetime, like 90m, 12h or 3d (default: no expiry).
    #[arg(long, value_name = "DURATION", value_parser = parse::duration_seconds)]
    pub expires_in: Option<i64>,
    /// Whom the token is for (shown in lists; a replacement token for the same subject
    /// recognises operations sent with the old one).
    #[arg(long, value_name = "NAME")]
    pub subject: Option<String>,
}

impl SpecArgs {
    pub fn spec(&self) -> CmdResult<TokenSpec> {
        let role = Role::parse(&self.role)
            .map_err(|e| CliError::from(marktplatz_server::AdminError::from(e)))?;
        if role != Role::Admin && self.event.is_none() {
            return Err(CliError::invalid(msg::token_needs_event(&self.role)));
        }
        Ok(TokenSpec {
            role,
            event_id: self.event.clone(),
            subject: self.subject.clone(),
            expires_in: self.expires_in,
        })
    }
}

#[derive(clap::Subcommand)]
enum Action {
    /// Revoke a token, named by its id (the part before the '.') or given whole.
    Revoke {
        #[command(flatten)]
        store: StoreArgs,
        /// The token's id (or the whole token).
        #[arg(value_name = "ID", allow_hyphen_values = true)]
        id: String,
    },
    /// List tokens (never their secrets).
    List {
        #[command(flatten)]
        store: StoreArgs,
        /// Only the tokens of this event.
        #[arg(long, value_name = "ID")]
        event: Option<String>,
    },
}

pub fn run(args: Args) -> CmdResult {
    match args.action {
        Some(Action::Revoke { store, id }) => {
            let admin = store.open()?;
            let was_active = admin.revoke_token(&id)?;
            out!("{}", msg::revoked(was_active))
        }
        Some(Action::List { store, event }) => {
            let admin = store.open()?;
            print_tokens(&admin.tokens(event.as_deref())?)
        }
        None => {
            let data = args
                .issue
                .data
                .ok_or_else(|| CliError::new(crate::error::Exit::Usage, msg::data_required()))?;
            let spec = args.issue.spec.spec()?;
            let database = args.issue.database.as_deref();
            if let Some(base) = &args.link {
                return print_console_link(&data, database, &spec, base, args.qr.as_deref());
            }
            let admin = marktplatz_server::Admin::open_with(&data, database)?;
            let issued = admin.issue_token(&spec)?;
            print_issued(
                &issued,
                &format!(
                    "marktplatz token revoke --data {}{} {}",
                    data.display(),
                    // The URL may hold a password: named, not printed.
                    if database.is_some() {
                        " --database URL"
                    } else {
                        ""
                    },
                    issued.id
                ),
            )
        }
    }
}

/// A one-time sign-in link to the organiser console: the link on standard output (for
/// `$(...)`), what it is and its QR code (for a phone's camera) on standard error.
fn print_console_link(
    data: &std::path::Path,
    database: Option<&str>,
    spec: &TokenSpec,
    base: &str,
    qr_file: Option<&std::path::Path>,
) -> CmdResult {
    let event = match (spec.role, &spec.event_id) {
        (Role::Organiser, Some(event)) => event,
        _ => return Err(CliError::invalid(msg::console_link_needs_organiser())),
    };
    let base = super::qr::base_url(base)?;
    let admin = marktplatz_server::Admin::open_with(data, database)?;
    let subject = spec.subject.as_deref().unwrap_or("console");
    let secret = admin.issue_console_link(event, subject)?;
    let link = format!("{base}/organiser/sign-in?link={secret}");
    let code = super::qr::qr_code(&link)?;
    let terminal = super::qr::terminal(&code);
    note!(
        "{}\n{terminal}",
        msg::console_link_issued(event, marktplatz_server::store::console::LINK_SECS / 60)
    );
    if let Some(path) = qr_file {
        super::qr::write_qr(&code, path)?;
    }
    out!("{link}")
}

/// The token on standard output (for `$(...)`), its id and how to revoke it on standard error.
pub fn print_issued(issued: &IssuedToken, revoke: &str) -> CmdResult {
    note!(
        "{}",
        msg::token_issued(&issued.id, issued.role.as_str(), revoke)
    );
    out!("{}", issued.token)
}

/// An event's access code, or `--clear` (for `access-code` and `admin access-code`).
#[derive(clap::Args)]
pub struct CodeArgs {
    /// The event's id.
    #[arg(long, value_name = "ID")]
    pub event: String,
    /// The code attendees enter (4 to 64 characters; only a salted hash of it is stored).
    #[arg(
        long,
        value_name = "CODE",
        conflicts_with = "clear",
        required_unless_present = "clear"
    )]
    pub code: Option<String>,
    /// Make the event public again.
    #[arg(long)]
    pub clear: bool,
}

/// One line per token: id, role, event, subject, state (expiry in this machine's local time).
pub fn print_tokens(tokens: &[TokenInfo]) -> CmdResult {
    for t in tokens {
        let state = match (t.revoked_at, t.expires_at) {
            (Some(_), _) => msg::token_revoked(),
            (None, Some(at)) if at <= chrono::Utc::now().timestamp() => msg::token_expired(),
            (None, Some(at)) => msg::token_until(
                &chrono::DateTime::from_timestamp(at, 0)
                    .unwrap_or_default()
                    .with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            ),
            (None, None) => msg::token_active(),
        };
        out!(
            "{}  {:<9}  {:<32}  {:<20}  {state}",
            t.id,
            t.role,
            t.event.as_deref().unwrap_or("*"),
            t.subject
        )?;
    }
    Ok(())
}
