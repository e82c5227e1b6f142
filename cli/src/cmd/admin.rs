//! `marktplatz admin --server URL [--token T | --token-file F]`: token administration and
//! access codes on a running server, over its admin HTTP API (an admin token). The same as
//! `token` and `access-code` do on the data directory, without needing the server's disk.

use marktplatz_core::sync::request::send_json;
use marktplatz_server::auth::{IssuedToken, TokenInfo};
use serde_json::json;

use super::credentials::ServerToken;
use super::server;
use super::token::{CodeArgs, SpecArgs, print_issued, print_tokens};
use crate::error::{CliError, CmdResult};
use crate::i18n::messages as msg;
use crate::out;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    to: ServerToken,
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Issue a token (the event of an organiser or attendee token is created if new); the
    /// token is printed on standard output, its id on standard error.
    Issue {
        #[command(flatten)]
        spec: SpecArgs,
    },
    /// List tokens (never their secrets).
    List {
        /// Only the tokens of this event.
        #[arg(long, value_name = "ID")]
        event: Option<String>,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token, named by its id (the part before the '.') or given whole.
    Revoke {
        /// The token's id (or the whole token).
        #[arg(value_name = "ID", allow_hyphen_values = true)]
        id: String,
    },
    /// Make an event readable only with an access code, or public again with --clear.
    AccessCode {
        #[command(flatten)]
        code: CodeArgs,
    },
}

pub fn run(args: Args) -> CmdResult {
    let token = args.to.token.resolve()?;
    let base = args.to.server.trim_end_matches('/').to_string();
    let call = |method: &'static str, path: String, body: Option<serde_json::Value>| {
        let url = format!("{base}{path}");
        let token = token.clone();
        server::block_on(async move {
            let client = server::client()?;
            let body = body.map(|b| b.to_string().into_bytes());
            Ok(send_json(&client, method, &url, &token, body).await?)
        })
    };
    match args.action {
        Action::Issue { spec } => {
            let spec = spec.spec()?;
            let body = json!({
                "role": spec.role,
                "event": spec.event_id,
                "subject": spec.subject,
                "expires_in": spec.expires_in,
            });
            let answer = call("POST", "/v1/admin/tokens".into(), Some(body))?;
            let issued: IssuedToken = decode(&answer)?;
            print_issued(
                &issued,
                &format!(
                    "marktplatz admin --server {} revoke {}",
                    args.to.server, issued.id
                ),
            )
        }
        Action::List { event, json } => {
            let path = match &event {
                Some(event) => format!("/v1/admin/tokens?event={}", path_escape(event)),
                None => "/v1/admin/tokens".into(),
            };
            let tokens: Vec<TokenInfo> = decode(&call("GET", path, None)?)?;
            if json {
                return crate::out::json(&tokens);
            }
            print_tokens(&tokens)
        }
        Action::Revoke { id } => {
            let answer = call(
                "DELETE",
                format!("/v1/admin/tokens/{}", path_escape(&id)),
                None,
            )?;
            let state: serde_json::Value = decode(&answer)?;
            out!(
                "{}",
                msg::revoked(state["was_active"].as_bool().unwrap_or(false))
            )
        }
        Action::AccessCode { code: access } => {
            let CodeArgs { event, code, .. } = access;
            let path = format!("/v1/admin/events/{}/access-code", path_escape(&event));
            let had_code = match &code {
                Some(code) => {
                    let state: serde_json::Value =
                        decode(&call("PUT", path, Some(json!({ "code": code })))?)?;
                    state["replaced"].as_bool().unwrap_or(false)
                }
                None => {
                    let state: serde_json::Value = decode(&call("DELETE", path, None)?)?;
                    state["had_code"].as_bool().unwrap_or(false)
                }
            };
            out!("{}", msg::access_code_set(&event, code.is_some(), had_code))
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> CmdResult<T> {
    serde_json::from_slice(bytes)
        .map_err(|e| CliError::failure(msg::unusable_answer(&e.to_string())))
}

/// For a path segment or a query value. Ids and event ids are URL-safe already (base64url, slugs); anything else is escaped.
fn path_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
