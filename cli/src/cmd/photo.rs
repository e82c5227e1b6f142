//! `marktplatz photo add FILE` / `photo remove ID`: the gallery from the hall. The photo is
//! kept on the device and uploaded before the operation; the server makes the thumbnail.

use std::path::PathBuf;

use marktplatz_model::ops::Op;

use super::CmdResult;
use super::organiser::{WriteArgs, queue_and_push};
use marktplatz_core::sync;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    Add {
        #[command(flatten)]
        write: WriteArgs,
        /// A JPEG or PNG file.
        file: PathBuf,
        #[arg(long, default_value = "")]
        caption: String,
        #[arg(long, default_value = "")]
        credit: String,
    },
    Remove {
        #[command(flatten)]
        write: WriteArgs,
        /// The gallery item's id.
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
            let bytes =
                std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            queue_and_push(&write, |store, event| {
                sync::queue_photo(store, event, &bytes, &caption, &credit, None)
            })
        }
        Action::Remove { write, id } => queue_and_push(&write, |store, event| {
            store.queue_op(event, Op::PhotoRemove { id })
        }),
    }
}
