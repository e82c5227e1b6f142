#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `marktplatz search` against a real device store.

use std::process::Command;

use marktplatz_core::store::Store;
use marktplatz_model::bundle::Bundle;

fn device() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let bundle = Bundle::from_json(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../tests/data/search/fair.bundle.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .write_content(|tx| tx.replace_with_bundle(&bundle))
        .unwrap();
    dir
}

fn search(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_marktplatz"))
        .env("LC_ALL", "C")
        .arg("search")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn json_output_lists_hits_with_highlights() {
    let dir = device();
    let device = dir.path().to_str().unwrap();
    let out = search(&["--device", device, "--json", "--limit", "5", "Buergeramt"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 5);
    // Both title matches come first; the upcoming session wins the tie against the station.
    assert_eq!(hits[0]["title"], "Online-Terminvergabe im Bürgeramt");
    let station = &hits[1];
    assert_eq!(station["kind"], "location");
    assert_eq!(station["id"], "st8");
    assert_eq!(station["title"], "Station 8: Bürgeramt");
    // "Bürgeramt" starts at char 11 and is 9 chars long.
    assert_eq!(station["highlights"][0]["start"], 11);
    assert_eq!(station["highlights"][0]["end"], 20);
    for hit in hits {
        for key in ["kind", "id", "title", "highlights"] {
            assert!(hit.get(key).is_some(), "{key} missing in {hit}");
        }
    }
}

#[test]
fn kind_filter_event_choice_and_hostile_input() {
    let dir = device();
    let device = dir.path().to_str().unwrap();
    let out = search(&[
        "--device", device, "--event", "fair", "--kind", "speaker", "--json", "Hagen",
    ]);
    assert!(out.status.success());
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["speaker"]);
    // FTS syntax and unbalanced quotes are just text.
    for hostile in ["\"", "NEAR(", "-:*", "\"E-Rechnung"] {
        let out = search(&["--device", device, "--json", hostile]);
        assert!(
            out.status.success(),
            "{hostile}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let _: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    }
    // Plain output underlines with brackets.
    let out = search(&["--device", device, "rechnung"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("E-[Rechnung]"), "{text}");
}

#[test]
fn clear_errors_for_a_missing_store_or_a_bad_kind() {
    let empty = tempfile::tempdir().unwrap();
    let out = search(&["--device", empty.path().to_str().unwrap(), "x"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no device in"));
    assert_eq!(out.status.code(), Some(3));
    let dir = device();
    let out = search(&[
        "--device",
        dir.path().to_str().unwrap(),
        "--kind",
        "gallery",
        "x",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a searched kind"));
}
