//! Search: one-shot, and type-ahead where each keystroke cancels the search still running.

use std::sync::Arc;

use marktplatz_core::search::{self, SearchHit, SearchQuery, TypeAhead};

use crate::store::{MarktplatzStore, Result};

/// One search field: hand it to `search_as_you_type` on every keystroke.
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

    /// Stops the search still running (the field was closed); it returns `Cancelled`.
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

    /// Like `search`, cancelling the field's previous search if it is still running (that call
    /// returns `ApiError::Cancelled`, which the shell ignores).
    pub fn search_as_you_type(
        &self,
        field: Arc<SearchField>,
        query: SearchQuery,
    ) -> Result<Vec<SearchHit>> {
        Ok(field
            .type_ahead
            .search(self.store(), self.device.search_cache(), &query)?)
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
        let field = SearchField::new();
        let hits = store
            .search_as_you_type(field.clone(), SearchQuery::new("e", "rechn"))
            .unwrap();
        assert_eq!(hits[0].id, "s1");
        field.cancel();
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }
}
