//! A favourite toggle that returned survives `kill -9` of the process right afterwards.
//!
//! A helper process toggles a favourite and prints `ok` once the call returned, keeping the
//! store open; the test kills it with SIGKILL as soon as it reads `ok`, reopens the store and
//! checks the toggle is there. Repeated 50 times with alternating adds and removes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use marktplatz_core::favourites;
use marktplatz_core::favourites::FavouriteKind;
use marktplatz_core::store::Store;
use marktplatz_model::bundle::Bundle;

const EVENT: &str = "fav-fair";
const ROUNDS: usize = 50;

fn fixture_bundle() -> Bundle {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/favourites-bundle.json");
    Bundle::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn toggle_and_kill(dir: &Path, session: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fav_toggle"))
        .args([dir.to_str().unwrap(), EVENT, session])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    // SIGKILL at once: no destructor, no checkpoint, no clean close of user.db.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the helper was killed, not finished: {status}"
    );
    line.trim().to_string()
}

#[test]
fn a_toggle_that_returned_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = fixture_bundle();
    {
        let store = Store::open(dir.path()).unwrap();
        store
            .write_content(|tx| tx.replace_with_bundle(&bundle))
            .unwrap();
    }
    let ids: Vec<String> = bundle.sessions.iter().map(|s| s.id.clone()).collect();
    let mut expected = BTreeSet::new();
    for round in 0..ROUNDS {
        // Walk the sessions twice over with a stride, so ids are added and later removed.
        let id = &ids[(round * 5) % ids.len()];
        let answer = toggle_and_kill(dir.path(), id);
        let now_favourite = expected.insert(id.clone()) || {
            expected.remove(id);
            false
        };
        let want = if now_favourite {
            "ok added"
        } else {
            "ok removed"
        };
        assert_eq!(answer, want, "round {round}, {id}");
        let store = Store::open(dir.path()).unwrap();
        assert!(store.notices().is_empty(), "{:?}", store.notices());
        let stored: BTreeSet<String> =
            favourites::favourite_ids(&store, EVENT, FavouriteKind::Session)
                .unwrap()
                .into_iter()
                .collect();
        assert_eq!(
            stored, expected,
            "round {round}: the toggle of {id} was lost"
        );
    }
    assert!(!expected.is_empty());
}
