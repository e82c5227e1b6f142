//! Keystrokes answered in the order typed: a late, older keystroke is answered `Cancelled` and
//! never cancels the newer one.

use std::sync::Arc;
use std::sync::mpsc;

use super::tests::{Searched, query, store};
use super::*;

fn search(
    type_ahead: &TypeAhead,
    ticket: Ticket,
    store: &Searched,
    text: &str,
) -> Result<Vec<SearchHit>> {
    type_ahead.search(ticket, &store.store, &store.cache, &query(text))
}

#[test]
fn an_older_keystroke_arriving_late_is_cancelled_and_the_newer_one_answers() {
    let (_dir, store) = store();
    let type_ahead = TypeAhead::new();
    let older = type_ahead.ticket();
    let newer = type_ahead.ticket();
    let hits = search(&type_ahead, newer, &store, "Digitalisierung").unwrap();
    assert_eq!(hits[0].id, "digital");
    let late = search(&type_ahead, older, &store, "Digital");
    assert!(matches!(late, Err(crate::Error::Cancelled)), "{late:?}");
    // The late answer took nothing from the newer keystroke: it still searches.
    let again = search(&type_ahead, type_ahead.ticket(), &store, "Cyber").unwrap();
    assert_eq!(again[0].id, "cyber");
}

#[test]
fn an_older_search_held_while_a_newer_keystroke_runs_is_answered_cancelled() {
    let (_dir, store) = store();
    let store = Arc::new(store);
    let type_ahead = Arc::new(TypeAhead::new());
    let (held_tx, held) = mpsc::channel();
    let (go, go_rx) = mpsc::channel::<()>();
    *type_ahead.before_reading.lock().unwrap() = Some(Box::new(move || {
        held_tx.send(()).unwrap();
        go_rx.recv().unwrap();
    }));
    let older = type_ahead.ticket();
    let worker = {
        let (store, type_ahead) = (store.clone(), type_ahead.clone());
        std::thread::spawn(move || search(&type_ahead, older, &store, "Digital"))
    };
    // The older search has its handle and waits before reading: the newer keystroke comes now.
    held.recv().unwrap();
    let newer = search(&type_ahead, type_ahead.ticket(), &store, "Cybersicherheit").unwrap();
    assert_eq!(newer[0].id, "cyber");
    go.send(()).unwrap();
    let older = worker.join().unwrap();
    assert!(matches!(older, Err(crate::Error::Cancelled)), "{older:?}");
}

#[test]
fn the_newest_keystroke_answers_and_clearing_the_field_cancels_it() {
    let (_dir, store) = store();
    let type_ahead = TypeAhead::new();
    let ticket = type_ahead.ticket();
    assert!(
        !search(&type_ahead, ticket, &store, "Rechnung")
            .unwrap()
            .is_empty()
    );
    let pending = type_ahead.ticket();
    type_ahead.cancel();
    let result = search(&type_ahead, pending, &store, "Rechnung");
    assert!(matches!(result, Err(crate::Error::Cancelled)), "{result:?}");
}
