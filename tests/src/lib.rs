//! Shared helpers for the end-to-end tests and benchmarks.
// A test harness: anything unexpected should stop the run loudly, so unwrap is the right tool.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod c3voc;
pub mod search_baselines;
pub mod search_eval;
pub mod synthetic;

use std::path::PathBuf;

/// `<workspace root>/../shared/data`: the real schedule files (never copied into the repo).
/// A checkout in a deeper folder (a git worktree) finds it further up. Panics with a clear
/// message when the folder is missing, so CI fails loudly.
pub fn shared_data() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(|p| p.to_path_buf())
        .unwrap_or_default();
    let expected = root.join("..").join("shared").join("data");
    root.ancestors()
        .skip(1)
        .map(|dir| dir.join("shared").join("data"))
        .find(|data| data.join("c3voc-json").is_dir())
        .unwrap_or_else(|| {
            panic!(
                "the real schedule data is missing: expected {} (CI has it beside the checkout)",
                expected.display()
            )
        })
}

/// This crate's own data files (query sets, fixture bundles).
pub fn own_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}
