//! `marktplatz completions bash|zsh|fish` and `marktplatz man`: made from the same clap
//! definitions as `--help` (and in the same language), so they cannot drift apart.

use clap_complete::Shell;

use crate::error::{CliError, CmdResult};
use crate::i18n::messages as msg;

#[derive(clap::Args)]
pub struct Args {
    /// The shell: bash, zsh or fish.
    #[arg(value_name = "SHELL", value_parser = parse_shell)]
    shell: Shell,
}

#[derive(clap::Args)]
pub struct ManArgs {}

fn parse_shell(text: &str) -> Result<Shell, String> {
    match text {
        "bash" => Ok(Shell::Bash),
        "zsh" => Ok(Shell::Zsh),
        "fish" => Ok(Shell::Fish),
        other => Err(msg::bad_shell(other)),
    }
}

pub fn run(args: Args) -> CmdResult {
    let mut command = crate::command();
    let mut script = Vec::new();
    // Into memory first: clap_complete panics on a write error, and stdout may be a pipe.
    clap_complete::generate(args.shell, &mut command, "marktplatz", &mut script);
    crate::out::bytes(&script)
}

pub fn man(_args: ManArgs) -> CmdResult {
    let mut page = Vec::new();
    clap_mangen::Man::new(crate::command())
        .render(&mut page)
        .map_err(|e| CliError::failure(msg::man_failed(&e.to_string())))?;
    crate::out::bytes(&page)
}
