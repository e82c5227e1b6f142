//! Where a command finds a token: `--token`, `--token-file FILE` or `MARKTPLATZ_TOKEN`.
//! A token on the command line lands in the shell history and in `ps`; the help says so.

use std::path::PathBuf;

use crate::error::{CliError, CmdResult};
use crate::i18n::{errors, messages as msg};

pub const TOKEN_VARIABLE: &str = "MARKTPLATZ_TOKEN";

/// A server and a token for it (`publish`, `admin`).
#[derive(clap::Args, Clone, Debug)]
pub struct ServerToken {
    /// The server's base URL, e.g. http://127.0.0.1:8080.
    #[arg(long, value_name = "URL")]
    pub server: String,
    #[command(flatten)]
    pub token: TokenArgs,
}

#[derive(clap::Args, Clone, Debug)]
pub struct TokenArgs {
    /// The bearer token. It lands in the shell history and is visible in `ps`: prefer
    /// MARKTPLATZ_TOKEN or --token-file. Old tokens that start with '-' are accepted here.
    #[arg(long, value_name = "TOKEN", allow_hyphen_values = true)]
    pub token: Option<String>,
    /// Read the token from this file (its first line).
    #[arg(long, value_name = "FILE", conflicts_with = "token")]
    pub token_file: Option<PathBuf>,
}

impl TokenArgs {
    /// The token: the flag, else the file, else `MARKTPLATZ_TOKEN`.
    pub fn resolve(&self) -> CmdResult<String> {
        let token = if let Some(token) = &self.token {
            token.clone()
        } else if let Some(path) = &self.token_file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::invalid(errors::io(&msg::reading(path), &e)))?;
            text.lines().next().unwrap_or_default().to_string()
        } else {
            std::env::var(TOKEN_VARIABLE).unwrap_or_default()
        };
        let token = token.trim().to_string();
        if token.is_empty() {
            return Err(CliError::invalid(msg::token_missing()));
        }
        Ok(token)
    }
}
