//! Names where ids are asked for: a station or room, a session, given by id or by name.
//!
//! One rule everywhere: an exact id wins; otherwise a name equal to what was typed (ignoring
//! case); otherwise the one name that starts with it. Several at the first level that matches
//! is an error that lists them with their ids, so the next try can be exact.

use marktplatz_core::store::{SessionSummary, Store};
use marktplatz_model::model::LocationKind;

use crate::error::{CliError, CmdResult};
use crate::i18n::messages as msg;

pub use crate::candidate::{Candidate, Wanted};

pub fn pick(wanted: Wanted, typed: &str, candidates: &[Candidate]) -> CmdResult<Candidate> {
    if let Some(found) = candidates.iter().find(|c| c.id == typed) {
        return Ok(found.clone());
    }
    let needle = typed.trim().to_lowercase();
    let equal: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| c.name.to_lowercase() == needle)
        .collect();
    let level = if equal.is_empty() {
        candidates
            .iter()
            .filter(|c| !needle.is_empty() && c.name.to_lowercase().starts_with(&needle))
            .collect()
    } else {
        equal
    };
    match level.as_slice() {
        [only] => Ok((*only).clone()),
        [] => Err(CliError::invalid(msg::no_such(wanted, typed, candidates))),
        several => Err(CliError::invalid(msg::ambiguous(wanted, typed, several))),
    }
}

/// The stations and rooms (and other places sessions take place in) of an event.
pub fn place(store: &Store, event_id: &str, typed: &str) -> CmdResult<Candidate> {
    let places: Vec<Candidate> = store
        .locations(event_id)?
        .into_iter()
        .filter(|l| l.kind != LocationKind::Hall)
        .map(|l| Candidate {
            detail: msg::location_kind(l.kind),
            id: l.id,
            name: l.name,
        })
        .collect();
    pick(Wanted::Place, typed, &places)
}

/// Every session of the event, as the organiser sees it (their queued changes included).
pub fn sessions(store: &Store, event_id: &str) -> CmdResult<Vec<SessionSummary>> {
    let overview = store.event_overview(event_id)?;
    let mut all = Vec::new();
    for day in &overview.event.days {
        all.extend(store.agenda(event_id, *day)?);
    }
    Ok(all)
}

pub fn session(store: &Store, event_id: &str, typed: &str) -> CmdResult<SessionSummary> {
    let all = sessions(store, event_id)?;
    let candidates: Vec<Candidate> = all
        .iter()
        .map(|s| Candidate {
            id: s.id.clone(),
            name: s.title.clone(),
            detail: msg::when(s.day, &s.local_start),
        })
        .collect();
    let found = pick(Wanted::Session, typed, &candidates)?;
    all.into_iter()
        .find(|s| s.id == found.id)
        .ok_or_else(|| CliError::invalid(msg::no_such(Wanted::Session, typed, &candidates)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Vec<Candidate> {
        [
            ("0b6f", "Foyer"),
            ("a1", "Seminarraum 1"),
            ("a2", "Seminarraum 2"),
            ("forum", "Forum"),
        ]
        .into_iter()
        .map(|(id, name)| Candidate {
            id: id.into(),
            name: name.into(),
            detail: String::new(),
        })
        .collect()
    }

    #[test]
    fn ids_then_names_then_unique_prefixes() {
        let list = places();
        assert_eq!(
            pick(Wanted::Place, "foyer", &list).map(|c| c.id).ok(),
            Some("0b6f".into())
        );
        assert_eq!(
            pick(Wanted::Place, "a2", &list).map(|c| c.id).ok(),
            Some("a2".into())
        );
        assert_eq!(
            pick(Wanted::Place, "Seminarraum 1", &list)
                .map(|c| c.id)
                .ok(),
            Some("a1".into())
        );
        assert_eq!(
            pick(Wanted::Place, "for", &list).map(|c| c.id).ok(),
            Some("forum".into())
        );
        let ambiguous = pick(Wanted::Place, "seminar", &list)
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(
            ambiguous.contains("Seminarraum 1") && ambiguous.contains("a2"),
            "{ambiguous}"
        );
        assert!(pick(Wanted::Place, "keller", &list).is_err());
        assert!(pick(Wanted::Place, "", &list).is_err());
    }
}
