//! Type-ahead for one search field, answered in the order the keys were pressed.
//!
//! The shell takes a [`Ticket`] on the keystroke itself (cheap, on its UI thread) and searches
//! with it on a worker. The searches may reach the core in any order; the core keeps the newest
//! ticket: taking one cancels the search still running for an older one, and a search whose
//! ticket is no longer the newest, when it starts or when it ends, answers
//! [`Error::Cancelled`]. So an old keystroke arriving late never cancels the newer one, and only
//! the last keystroke's answer carries hits: the shell needs no ordering of its own.

use std::sync::{Mutex, MutexGuard, PoisonError};

use super::cancel::SearchCancel;
use super::{SearchCache, SearchHit, SearchQuery, search_cancellable};
use crate::error::{Error, Result};
use crate::store::Store;

/// A keystroke's place in the order typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ticket(pub u64);

/// One search field's keystrokes.
#[derive(Default)]
pub struct TypeAhead {
    newest: Mutex<Newest>,
    /// Runs when a search has its handle and before it reads (tests hold an old search here).
    #[cfg(test)]
    pub(crate) before_reading: Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

/// The newest ticket handed out, and the handle of its search while that runs.
#[derive(Default)]
struct Newest {
    ticket: u64,
    running: Option<SearchCancel>,
}

impl TypeAhead {
    pub fn new() -> TypeAhead {
        TypeAhead::default()
    }

    /// The next keystroke's ticket; the search of the previous one, if running, is cancelled.
    pub fn ticket(&self) -> Ticket {
        let mut newest = self.newest();
        newest.ticket += 1;
        if let Some(running) = newest.running.take() {
            running.cancel();
        }
        Ticket(newest.ticket)
    }

    /// Cancels whatever search is running or on its way (the field was cleared or closed).
    pub fn cancel(&self) {
        self.ticket();
    }

    /// Searches for the keystroke of `ticket`: [`Error::Cancelled`] if a newer ticket was taken
    /// before it started, while it ran or before it answered.
    pub fn search(
        &self,
        ticket: Ticket,
        store: &Store,
        cache: &SearchCache,
        query: &SearchQuery,
    ) -> Result<Vec<SearchHit>> {
        let cancel = self.start(ticket)?;
        #[cfg(test)]
        {
            // Taken out first: the hook must not hold the lock the newer keystroke takes.
            let hook = self
                .before_reading
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if let Some(hook) = hook {
                hook();
            }
        }
        let result = search_cancellable(store, cache, query, &cancel);
        self.finish(ticket, result)
    }

    /// The cancellation handle of the search of `ticket`, if it is still the newest.
    pub(crate) fn start(&self, ticket: Ticket) -> Result<SearchCancel> {
        let mut newest = self.newest();
        if ticket.0 != newest.ticket {
            return Err(Error::Cancelled);
        }
        let cancel = SearchCancel::new();
        newest.running = Some(cancel.clone());
        Ok(cancel)
    }

    /// The search's answer, unless a newer ticket was taken meanwhile.
    fn finish<T>(&self, ticket: Ticket, result: Result<T>) -> Result<T> {
        let mut newest = self.newest();
        if ticket.0 != newest.ticket {
            return Err(Error::Cancelled);
        }
        newest.running = None;
        result
    }

    fn newest(&self) -> MutexGuard<'_, Newest> {
        self.newest.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
