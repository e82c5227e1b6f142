//! Search: one-shot, and type-ahead answered in the order the keys were pressed.

use std::sync::Arc;

use marktplatz_core::search::{self, SearchHit, SearchQuery, Ticket, TypeAhead};

use crate::store::{MarktplatzStore, Result};

/// One search field: take a ticket on every keystroke and hand both to `search_as_you_type`.
#[derive(uniffi::Object, Default)]
pub struct SearchField {
    type_ahead: TypeAhead,
}

#[uniffi::export]
impl SearchField {
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// The keystroke's place in the order typed: take it on the keystroke itself, before the
    /// search goes to a worker. Cancels the search of the previous keystroke if it still runs.
    pub fn take_ticket(&self) -> u64 {
        self.type_ahead.ticket().0
    }

    /// Stops the search still running or on its way (the field was cleared or closed); it
    /// returns `Cancelled`.
    pub fn cancel(&self) {
        self.type_ahead.cancel();
    }
}

#[uniffi::export]
impl MarktplatzStore {
    /// Searches an event; any text is fine (it never fails because of what was typed).
    pub fn search(&self, query: SearchQuery) -> Result<Vec<SearchHit>> {
        Ok(search::search(
            self.store(),
            self.device.search_cache(),
            &query,
        )?)
    }

    /// Like `search`, for the keystroke of `ticket` (from `SearchField::take_ticket`): answers
    /// `ApiError::Cancelled`, which the shell ignores, once a newer ticket was taken, so only the
    /// last keystroke's hits are ever shown, whatever order the calls arrive in.
    pub fn search_as_you_type(
        &self,
        field: Arc<SearchField>,
        ticket: u64,
        query: SearchQuery,
    ) -> Result<Vec<SearchHit>> {
        Ok(field.type_ahead.search(
            Ticket(ticket),
            self.store(),
            self.device.search_cache(),
            &query,
        )?)
    }

    /// Loads the search's in-memory state for the current content (call after a sync).
    pub fn warm_search(&self) -> Result<()> {
        Ok(search::warm_search(
            self.store(),
            self.device.search_cache(),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use marktplatz_model::bundle::Bundle;

    const BUNDLE: &str = r#"{"format":"marktplatz-bundle","version":1,
      "event":{"id":"e","title":"Marktplatz","venue":{"name":"Markthalle"},
               "timezone":"Europe/Berlin","days":["2027-02-01"]},
      "locations":[{"id":"st8","name":"Station 8: Bürgeramt","kind":"station"}],
      "sessions":[{"id":"s1","title":"Die E-Rechnung kommt","start":"2027-02-01T09:00:00Z",
                   "end":"2027-02-01T09:45:00Z"}]}"#;

    #[test]
    fn searches_through_the_exported_store() {
        let dir =
            std::env::temp_dir().join(format!("marktplatz-ffi-search-{}", std::process::id()));
        let store = MarktplatzStore::open(dir.to_string_lossy().into_owned()).unwrap();
        let bundle = Bundle::from_json(BUNDLE).unwrap();
        store
            .store()
            .write_content(|tx| tx.replace_with_bundle(&bundle))
            .unwrap();
        store.warm_search().unwrap();
        let hits = store.search(SearchQuery::new("e", "Buergeramt")).unwrap();
        assert_eq!(hits[0].id, "st8");
        let hit = &hits[0];
        assert_eq!(hit.when_and_where, None, "a station has no time");
        let field = SearchField::new();
        let older = field.take_ticket();
        let newer = field.take_ticket();
        let hits = store
            .search_as_you_type(field.clone(), newer, SearchQuery::new("e", "rechn"))
            .unwrap();
        assert_eq!(hits[0].id, "s1");
        let when = hits[0].when_and_where.clone().unwrap();
        assert_eq!(
            (when.local_start.as_str(), when.local_end.as_str()),
            ("10:00", "10:45")
        );
        assert_eq!(when.place, None);
        let late = store.search_as_you_type(field.clone(), older, SearchQuery::new("e", "rechn"));
        assert!(
            matches!(late, Err(crate::error::ApiError::Cancelled)),
            "{late:?}"
        );
        field.cancel();
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }
}
