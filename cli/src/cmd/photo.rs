//! `marktplatz photo add FILE` / `photo remove ID`: the gallery from the hall. The photo is
//! kept on the device and uploaded before the operation; the server makes the thumbnail.

use std::path::PathBuf;

use marktplatz_core::sync;
use marktplatz_model::ops::Op;

use super::write::{WriteArgs, queue_and_push};
use crate::error::{CliError, CmdResult};
use crate::i18n::{errors, messages as msg};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Add a photo (JPEG or PNG) to the event's gallery.
    Add {
        #[command(flatten)]
        write: WriteArgs,
        /// A JPEG or PNG file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The caption shown under the photo.
        #[arg(long, value_name = "TEXT", default_value = "")]
        caption: String,
        /// Who took it.
        #[arg(long, value_name = "NAME", default_value = "")]
        credit: String,
    },
    /// Remove a photo from the gallery.
    Remove {
        #[command(flatten)]
        write: WriteArgs,
        /// The gallery item's id.
        #[arg(value_name = "ID")]
        id: String,
    },
}

pub fn run(args: Args) -> CmdResult {
    match args.action {
        Action::Add {
            write,
            file,
            caption,
            credit,
        } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| CliError::invalid(errors::io(&msg::reading(&file), &e)))?;
            queue_and_push(&write, |store, event| {
                Ok(sync::queue_photo(
                    store, event, &bytes, &caption, &credit, None,
                )?)
            })
        }
        Action::Remove { write, id } => queue_and_push(&write, |store, event| {
            Ok(store.queue_op(event, Op::PhotoRemove { id })?)
        }),
    }
}
