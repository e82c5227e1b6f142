//! Interrupting a running search when the next keystroke arrives.
//!
//! A [`SearchCancel`] is handed to a search; `cancel()` from any thread sets a flag the search
//! checks between its steps and interrupts the SQLite statement running at that moment
//! (`sqlite3_interrupt` on the reader connection the search holds). [`super::TypeAhead`] does
//! this for the shells: every new keystroke cancels the search of the one before it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::InterruptHandle;

use crate::error::{Error, Result};

/// A cancellation handle for one search. Cheap to clone; clones share the state.
#[derive(Clone, Default)]
pub struct SearchCancel {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    cancelled: AtomicBool,
    /// The connection the search is running on, while it runs.
    running: Mutex<Option<InterruptHandle>>,
}

impl SearchCancel {
    pub fn new() -> SearchCancel {
        SearchCancel::default()
    }

    /// Stops the search as soon as possible; it returns [`Error::Cancelled`].
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
        // Holding the lock while interrupting: the search cannot detach (and hand its connection
        // to someone else) in between, so no other statement is ever interrupted.
        if let Some(handle) = self.running().as_ref() {
            handle.interrupt();
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    /// Whether the search is on its connection now (tests wait for this instead of sleeping).
    #[cfg(test)]
    pub(crate) fn is_running(&self) -> bool {
        self.running().is_some()
    }

    fn running(&self) -> MutexGuard<'_, Option<InterruptHandle>> {
        self.inner
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers the connection a search runs on until the returned guard is dropped.
    pub(crate) fn attach(&self, handle: InterruptHandle) -> Checkpoint {
        *self.running() = Some(handle);
        Checkpoint {
            cancel: Some(self.clone()),
        }
    }
}

/// Held by a running search: checks for cancellation, detaches the connection when dropped.
pub(crate) struct Checkpoint {
    cancel: Option<SearchCancel>,
}

impl Checkpoint {
    /// For work that cannot be cancelled (tests, index maintenance).
    pub fn never() -> Checkpoint {
        Checkpoint { cancel: None }
    }

    pub fn check(&self) -> Result<()> {
        match &self.cancel {
            Some(cancel) if cancel.is_cancelled() => Err(Error::Cancelled),
            _ => Ok(()),
        }
    }

    /// Turns SQLite's "interrupted" into [`Error::Cancelled`] when we asked for it.
    pub fn map_error(&self, error: Error) -> Error {
        if self.cancel.as_ref().is_some_and(SearchCancel::is_cancelled)
            && let Error::Sqlite { source, .. } = &error
            && source.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted)
        {
            return Error::Cancelled;
        }
        error
    }
}

impl Drop for Checkpoint {
    fn drop(&mut self) {
        if let Some(cancel) = &self.cancel {
            *cancel.running() = None;
        }
    }
}
