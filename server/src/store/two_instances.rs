//! Two `Db`s on one database, as two server instances (ADR 0021): on PostgreSQL (and on
//! SQLite, two handles on one file) seqs stay strictly increasing in commit order, and an
//! operation retried through the other instance at the same moment is applied once.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::sync::{Arc, Barrier};

use marktplatz_model::model::EntityKind;

use super::auth::{Principal, Role};
use super::change_log::{self, NewChange};
use super::engine::Engine;
use super::error::StoreError;
use super::migrations::KNOWN;
use super::ops::{self, Applied};
use super::scratch::ScratchDatabase;
use super::testing::each_engine;
use super::{Db, testing};

const WRITES: usize = 40;

/// Two writers append to one event through two `Db`s while a follower reads with a cursor, as
/// a device does: the follower, reading only what is after its cursor, still gets every
/// change, which holds only if no commit adds a seq below a head already seen.
#[test]
fn a_follower_misses_no_change_when_two_instances_write() {
    for t in each_engine() {
        t.db.write_blocking(|tx| change_log::ensure_event(tx, "e"))
            .unwrap();
        let start = Arc::new(Barrier::new(3));
        let writers: Vec<_> = ["a", "b"]
            .into_iter()
            .map(|name| {
                let db = t.reopen();
                let start = start.clone();
                std::thread::spawn(move || {
                    start.wait();
                    let mut seqs = Vec::new();
                    for n in 0..WRITES {
                        let change = NewChange {
                            kind: EntityKind::Track,
                            id: format!("{name}-{n}"),
                            body: Some(format!("{{\"n\":{n}}}")),
                        };
                        seqs.push(
                            db.write_blocking(|tx| change_log::append(tx, "e", &[change]))
                                .unwrap(),
                        );
                    }
                    seqs
                })
            })
            .collect();
        let follower = t.reopen();
        start.wait();
        let mut seen = BTreeSet::new();
        let mut cursor = 0;
        while cursor < (2 * WRITES) as u64 {
            let (rows, _) = follower
                .read_blocking(|tx| change_log::changes_since(tx, "e", cursor, 0, 1000, 1 << 20))
                .unwrap();
            for row in rows {
                assert!(
                    row.seq > cursor,
                    "{:?}: seq {} after {cursor}",
                    t.engine,
                    row.seq
                );
                cursor = row.seq;
                seen.insert(row.id);
            }
        }
        for writer in writers {
            let seqs = writer.join().unwrap();
            assert!(
                seqs.windows(2).all(|w| w[0] < w[1]),
                "{:?}: {seqs:?}",
                t.engine
            );
        }
        assert_eq!(
            seen.len(),
            2 * WRITES,
            "{:?}: the follower missed changes",
            t.engine
        );
        let head =
            t.db.read_blocking(|tx| change_log::require_head(tx, "e"))
                .unwrap();
        assert_eq!(head.seq, (2 * WRITES) as u64, "{:?}", t.engine);
    }
}

/// The same operation (same key, same body) sent through both instances at once: one applies
/// it, the other answers with the stored result; the log grows by one change.
#[test]
fn an_operation_retried_through_the_other_instance_applies_once() {
    for t in each_engine() {
        t.db.write_blocking(|tx| change_log::ensure_event(tx, "e"))
            .unwrap();
        let body = br#"{"event":"e","base":0,"op":{"op":"announcement.create","id":"doors","title":"Doors open","published_at":"2026-05-01T08:00:00Z"}}"#;
        for round in 0..5 {
            let key = format!("key-{round}");
            let body = body.to_vec();
            let start = Arc::new(Barrier::new(2));
            let tries: Vec<_> = (0..2)
                .map(|_| {
                    let (db, data_dir) = (t.reopen(), t.dir.path().to_path_buf());
                    let (start, key, body) = (start.clone(), key.clone(), body.clone());
                    std::thread::spawn(move || {
                        let organiser = Principal {
                            token_id: "tok".into(),
                            subject: "anna".into(),
                            role: Role::Organiser,
                            event_id: Some("e".into()),
                        };
                        start.wait();
                        ops::apply(&db, &data_dir, "e", &organiser, &key, &body)
                    })
                })
                .collect();
            let results: Vec<_> = tries.into_iter().map(|t| t.join().unwrap()).collect();
            if round == 0 {
                let new = results
                    .iter()
                    .filter(|r| matches!(r, Ok(Applied::New(_))))
                    .count();
                let replayed = results
                    .iter()
                    .filter(|r| matches!(r, Ok(Applied::Replayed(_))))
                    .count();
                assert_eq!((new, replayed), (1, 1), "{:?}: {results:?}", t.engine);
            } else {
                // A new key for an entity that exists now: one creates nothing new (conflict),
                // never twice.
                assert!(
                    results
                        .iter()
                        .all(|r| !matches!(r, Ok(Applied::New(o)) if o.changed)),
                    "{:?}: {results:?}",
                    t.engine
                );
            }
        }
        let (head, applied) =
            t.db.read_blocking(|tx| {
                Ok((
                    change_log::require_head(tx, "e")?.seq,
                    ops::applied_count(tx, "e")?,
                ))
            })
            .unwrap();
        assert_eq!((head, applied), (1, 1), "{:?}", t.engine);
    }
}

/// Two instances started at once on an empty PostgreSQL database: the advisory lock lets one
/// migrate; the other waits and finds the schema current.
#[test]
fn two_instances_migrate_an_empty_database_once() {
    let Some(scratch) = ScratchDatabase::from_env() else {
        return;
    };
    let scratch = scratch.unwrap();
    let start = Arc::new(Barrier::new(2));
    let opened: Vec<_> = (0..2)
        .map(|_| {
            let (url, start) = (scratch.url().to_string(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                Db::connect(&url).map(|db| db.engine())
            })
        })
        .collect();
    for open in opened {
        assert_eq!(open.join().unwrap().unwrap(), Engine::Postgres);
    }
}

/// A database a newer server migrated is refused with both schema numbers, not written.
#[test]
fn a_database_of_a_newer_schema_is_refused() {
    let Some(t) = testing::postgres() else {
        return;
    };
    let url = t.scratch.as_ref().unwrap().url().to_string();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .execute("UPDATE schema_version SET version = $1", &[&(KNOWN + 1)])
        .unwrap();
    let Err(error) = Db::connect(&url) else {
        panic!("a newer schema was opened");
    };
    assert!(
        matches!(error, StoreError::Newer { found, known, .. } if found == KNOWN + 1 && known == KNOWN)
    );
    let message = error.to_string();
    assert!(message.contains("newer marktplatz server"), "{message}");
    assert!(
        !message.contains(":marktplatz@"),
        "the password is shown: {message}"
    );
}

/// A URL that does not parse, a server that does not answer and a refused password each say
/// what is wrong, never with the password.
#[test]
fn an_unusable_database_is_named_with_what_is_wrong() {
    let message = |url: &str| match Db::connect(url) {
        Err(e @ StoreError::Database { .. }) => e.to_string(),
        Err(other) => panic!("{url}: {other}"),
        Ok(_) => panic!("{url} opened"),
    };
    let bad = message("postgres://u:secret@host:notaport/db");
    assert!(
        bad.contains("URL is not valid") && !bad.contains("secret"),
        "{bad}"
    );
    let closed = message("postgres://u:secret@127.0.0.1:1/db");
    assert!(
        closed.contains("127.0.0.1:1") && !closed.contains("secret"),
        "{closed}"
    );
    let Some(admin) = std::env::var(super::scratch::TEST_PG_VAR).ok() else {
        return;
    };
    let Some((_, host)) = admin.split_once('@') else {
        return;
    };
    let wrong = message(&format!("postgres://marktplatz:wrong-secret@{host}"));
    assert!(
        wrong.contains("password authentication failed") && !wrong.contains("wrong-secret"),
        "{wrong}"
    );
}

/// A one-time console link redeemed through both instances at once starts one session.
#[test]
fn a_one_time_link_redeemed_through_both_instances_starts_one_session() {
    use super::console::{self, LinkRefusal};
    for t in each_engine() {
        let link =
            t.db.write_blocking(|tx| {
                change_log::ensure_event(tx, "e")?;
                console::issue_link(tx, "e", "anna")
            })
            .unwrap();
        let start = Arc::new(Barrier::new(2));
        let tries: Vec<_> = (0..2)
            .map(|_| {
                let (db, start, link) = (t.reopen(), start.clone(), link.clone());
                std::thread::spawn(move || {
                    start.wait();
                    db.write_blocking(|tx| console::redeem_link(tx, &link).map(|r| r.is_ok()))
                        .unwrap()
                })
            })
            .collect();
        let started = tries
            .into_iter()
            .map(|t| t.join().unwrap())
            .filter(|started| *started)
            .count();
        assert_eq!(started, 1, "{:?}", t.engine);
        let again =
            t.db.write_blocking(|tx| console::redeem_link(tx, &link))
                .unwrap();
        assert!(matches!(again, Err(LinkRefusal::Used)), "{:?}", t.engine);
    }
}
