//! `marktplatz token`: issues a bearer token on a server's data directory (creating the event
//! if new); `marktplatz token revoke ID` revokes one; `marktplatz token list` lists them.
//! The token is printed on stdout only; its id (for revoking) goes to stderr.

use std::path::PathBuf;

use marktplatz_server::auth::{Role, TokenSpec};

use super::CmdResult;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    #[command(flatten)]
    issue: IssueArgs,
}

#[derive(clap::Args)]
struct IssueArgs {
    /// The server's data directory.
    #[arg(long)]
    data: Option<PathBuf>,
    /// The event the token is for (created if new); not for admin tokens.
    #[arg(long)]
    event: Option<String>,
    /// `organiser` writes to the event, `attendee` reads it, `admin` issues and revokes tokens.
    #[arg(long, default_value = "organiser")]
    role: String,
    /// Lifetime, like 90m, 12h or 3d (default: no expiry).
    #[arg(long)]
    expires_in: Option<String>,
    /// Whom the token is for (shown in lists; a replacement token for the same subject
    /// recognises operations sent with the old one).
    #[arg(long)]
    subject: Option<String>,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Revoke a token, named by its id (the part before the '.') or given whole.
    Revoke {
        #[arg(long)]
        data: PathBuf,
        id: String,
    },
    /// List tokens (never their secrets).
    List {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        event: Option<String>,
    },
}

fn api(e: impl Into<marktplatz_server::AdminError>) -> String {
    let e = e.into();
    format!("{} ({})", e.message, e.code)
}

/// `90m`, `12h`, `3d`, `45s` or plain seconds.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: i64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a duration (like 90m, 12h, 3d)"))?;
    let factor = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("'{text}' is not a duration (like 90m, 12h, 3d)")),
    };
    Ok(n.saturating_mul(factor))
}

pub fn run(args: Args) -> CmdResult {
    match args.action {
        Some(Action::Revoke { data, id }) => {
            let admin = marktplatz_server::Admin::open(&data)?;
            let was_active = admin.revoke_token(&id).map_err(api)?;
            println!(
                "{}",
                if was_active {
                    "revoked"
                } else {
                    "was already revoked"
                }
            );
            Ok(())
        }
        Some(Action::List { data, event }) => {
            let admin = marktplatz_server::Admin::open(&data)?;
            for t in admin.tokens(event.as_deref()).map_err(api)? {
                let state = match (t.revoked_at, t.expires_at) {
                    (Some(_), _) => "revoked".to_string(),
                    (None, Some(at)) if at <= chrono::Utc::now().timestamp() => "expired".into(),
                    (None, Some(at)) => format!(
                        "until {}",
                        chrono::DateTime::from_timestamp(at, 0).unwrap_or_default()
                    ),
                    (None, None) => "active".into(),
                };
                println!(
                    "{}  {:<9}  {:<24}  {:<20}  {state}",
                    t.id,
                    t.role,
                    t.event.as_deref().unwrap_or("*"),
                    t.subject
                );
            }
            Ok(())
        }
        None => {
            let a = args.issue;
            let data = a.data.ok_or("--data DIR is required")?;
            let role = Role::parse(&a.role).map_err(api)?;
            if role != Role::Admin && a.event.is_none() {
                return Err(format!("a {} token needs --event", a.role).into());
            }
            let spec = TokenSpec {
                role,
                event_id: a.event,
                subject: a.subject,
                expires_in: a.expires_in.as_deref().map(parse_duration).transpose()?,
            };
            let admin = marktplatz_server::Admin::open(&data)?;
            let issued = admin.issue_token(&spec).map_err(api)?;
            eprintln!(
                "token id {} ({}); revoke with: marktplatz token revoke --data {} {}",
                issued.id,
                role.as_str(),
                data.display(),
                issued.id
            );
            println!("{}", issued.token);
            Ok(())
        }
    }
}
