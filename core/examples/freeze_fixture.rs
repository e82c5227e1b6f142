//! Writes databases of the current schema versions with known content as
//! `core/tests/fixtures/content-v{N}.db` and `user-v{M}.db`, for migration tests of later
//! versions: `cargo run -p marktplatz-core --example freeze_fixture`. A version that already has
//! a file is skipped: frozen files stand for what released apps wrote and are never rewritten.

use std::path::PathBuf;

use marktplatz_core::bundle::Bundle;
use marktplatz_core::store::{Store, schema};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let targets = [
        (
            "content.db",
            fixtures.join(format!("content-v{}.db", schema::CONTENT.latest_version())),
        ),
        (
            "user.db",
            fixtures.join(format!("user-v{}.db", schema::USER.latest_version())),
        ),
    ];
    let work = std::env::temp_dir().join(format!("marktplatz-freeze-{}", std::process::id()));
    let store = Store::open(&work)?;
    let bundle = Bundle::from_json(&std::fs::read_to_string(
        fixtures.join("small-bundle.json"),
    )?)?;
    store.write_content(|tx| tx.replace_with_bundle(&bundle))?;
    store.write_user(|tx| {
        tx.execute_batch(
            "INSERT INTO favourite (event_id, kind, entity_id, note, created_at) VALUES
               ('fixture-fair', 'session', 's-late', 'mit Kim hingehen', 1761300000),
               ('fixture-fair', 'session', 's-day2', NULL, 1761300001),
               ('fixture-fair', 'speaker', 'sp-kim', NULL, 1761300002);
             INSERT INTO setting (key, value) VALUES ('reminder_lead_minutes', '10');",
        )
        .map_err(|e| marktplatz_core::Error::sqlite("writing fixture favourites", e))
    })?;
    drop(store);
    for (name, target) in targets {
        if target.exists() {
            println!("{} exists; left as it is", target.display());
            continue;
        }
        // Fold the WAL into the main file so the fixture is one self-contained file.
        let conn = rusqlite::Connection::open(work.join(name))?;
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")?;
        drop(conn);
        std::fs::copy(work.join(name), &target)?;
        println!("froze {}", target.display());
    }
    std::fs::remove_dir_all(&work)?;
    Ok(())
}
