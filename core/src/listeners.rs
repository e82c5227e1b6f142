//! A registry of callbacks for one kind of notice (change alerts, sync progress, content changed).
//!
//! The core knows nothing of uniffi: the FFI wraps a foreign listener in a closure and keeps the
//! returned [`Subscription`]; dropping it unsubscribes. A listener that panics is caught and
//! skipped, so a faulty shell callback never breaks the store or the other listeners.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

/// A callback registered with [`Listeners::subscribe`].
pub type Listener<T> = Arc<dyn Fn(T) + Send + Sync>;

type Registry<T> = Mutex<BTreeMap<u64, Listener<T>>>;

/// Callbacks for notices of type `T`, each called with its own clone of the notice.
pub struct Listeners<T: Clone> {
    registry: Arc<Registry<T>>,
    next_id: AtomicU64,
}

impl<T: Clone> Default for Listeners<T> {
    fn default() -> Self {
        Listeners {
            registry: Arc::new(Mutex::new(BTreeMap::new())),
            next_id: AtomicU64::new(1),
        }
    }
}

impl<T: Clone + 'static> Listeners<T> {
    /// Registers `listener` until the returned guard is dropped (or `cancel`led).
    #[must_use = "dropping the Subscription unsubscribes at once"]
    pub fn subscribe(&self, listener: Box<dyn Fn(T) + Send + Sync>) -> Subscription {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        lock(&self.registry).insert(id, Arc::from(listener));
        let weak: Weak<Registry<T>> = Arc::downgrade(&self.registry);
        Subscription {
            cancel: Some(Box::new(move || {
                if let Some(registry) = weak.upgrade() {
                    lock(&registry).remove(&id);
                }
            })),
        }
    }

    /// Calls every listener with `notice`; returns how many were called without panicking.
    ///
    /// Listeners run on the caller's thread, outside the registry lock (a listener may subscribe
    /// or unsubscribe from inside its callback).
    pub fn emit(&self, notice: &T) -> usize {
        let listeners: Vec<Listener<T>> = lock(&self.registry).values().cloned().collect();
        listeners
            .into_iter()
            .filter(|listener| {
                let notice = notice.clone();
                catch_unwind(AssertUnwindSafe(|| listener(notice))).is_ok()
            })
            .count()
    }

    pub fn len(&self) -> usize {
        lock(&self.registry).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn lock<T>(registry: &Registry<T>) -> std::sync::MutexGuard<'_, BTreeMap<u64, Listener<T>>> {
    // The map stays consistent even if a thread panicked while holding the lock (listeners are
    // never called under it).
    registry.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Keeps a listener registered; dropping it unsubscribes.
pub struct Subscription {
    cancel: Option<Box<dyn FnOnce() + Send + Sync>>,
}

impl Subscription {
    /// Unsubscribes now (the same as dropping).
    pub fn cancel(mut self) {
        self.unsubscribe();
    }

    fn unsubscribe(&mut self) {
        if let Some(cancel) = self.cancel.take() {
            cancel();
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.unsubscribe();
    }
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("active", &self.cancel.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn dropping_the_subscription_unsubscribes() {
        let listeners = Listeners::<u32>::default();
        let total = Arc::new(AtomicUsize::new(0));
        let counter = total.clone();
        let subscription = listeners.subscribe(Box::new(move |n| {
            counter.fetch_add(n as usize, Ordering::SeqCst);
        }));
        assert_eq!(listeners.emit(&5), 1);
        assert_eq!(total.load(Ordering::SeqCst), 5);
        drop(subscription);
        assert!(listeners.is_empty());
        assert_eq!(listeners.emit(&7), 0);
        assert_eq!(total.load(Ordering::SeqCst), 5);
    }

    #[test]
    fn a_panicking_listener_does_not_stop_the_others() {
        let listeners = Listeners::<&'static str>::default();
        let reached = Arc::new(AtomicUsize::new(0));
        let _bad = listeners.subscribe(Box::new(|_| panic!("listener bug")));
        let counter = reached.clone();
        let _good = listeners.subscribe(Box::new(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        }));
        // The panic message of the bad listener is printed; that is expected.
        let called = listeners.emit(&"hello");
        assert_eq!(called, 1);
        assert_eq!(reached.load(Ordering::SeqCst), 1);
        // The registry still works after the panic.
        assert_eq!(listeners.len(), 2);
    }

    #[test]
    fn a_subscription_may_outlive_its_registry() {
        let listeners = Listeners::<u8>::default();
        let subscription = listeners.subscribe(Box::new(|_| {}));
        drop(listeners);
        subscription.cancel();
    }
}
