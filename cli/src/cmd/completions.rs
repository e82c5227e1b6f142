//! `marktplatz completions bash|zsh|fish` and `marktplatz man`: made from the same clap
//! definitions as `--help` (and in the same language), so they cannot drift apart. Every
//! command has its page, named as git names its own: `marktplatz-session-move(1)`.

use std::path::{Path, PathBuf};

use clap_complete::Shell;

use crate::error::{CliError, CmdResult};
use crate::i18n::{errors, messages as msg};

#[derive(clap::Args)]
pub struct Args {
    /// The shell: bash, zsh or fish.
    #[arg(value_name = "SHELL", value_parser = parse_shell)]
    shell: Shell,
}

#[derive(clap::Args)]
pub struct ManArgs {
    /// The command whose page to print (`session move`); none for the main page.
    #[arg(value_name = "COMMAND")]
    command: Vec<String>,
    /// Write every page into this folder (marktplatz.1, marktplatz-session-move.1, ...)
    /// instead of printing one.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    dir: Option<PathBuf>,
}

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

pub fn man(args: ManArgs) -> CmdResult {
    let mut root = crate::command();
    // Gives every subcommand its full name ("marktplatz session move") for the synopsis.
    root.build();
    if let Some(dir) = args.dir {
        return write_pages(&root, &dir);
    }
    let mut command = &root;
    for word in &args.command {
        command = command
            .find_subcommand(word)
            .ok_or_else(|| CliError::invalid(msg::man_no_such_command(&args.command.join(" "))))?;
    }
    crate::out::bytes(&render(command)?)
}

/// The page of `command`, titled `marktplatz-session-move` for `marktplatz session move`.
fn render(command: &clap::Command) -> Result<Vec<u8>, CliError> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone())
        .title(page_name(command))
        .source("marktplatz")
        .render(&mut page)
        .map_err(|e| CliError::failure(msg::man_failed(&e.to_string())))?;
    Ok(page)
}

fn page_name(command: &clap::Command) -> String {
    command
        .get_bin_name()
        .unwrap_or_else(|| command.get_name())
        .replace(' ', "-")
}

/// `command`'s page and those of all its subcommands, one file each.
fn write_pages(command: &clap::Command, dir: &Path) -> CmdResult {
    let file = dir.join(format!("{}.1", page_name(command)));
    std::fs::write(&file, render(command)?)
        .map_err(|e| CliError::failure(errors::io(&msg::writing(&file), &e)))?;
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        write_pages(sub, dir)?;
    }
    Ok(())
}
