//! The suspend gate: lets iOS background the app only when no database work is in flight.
//!
//! Every store operation holds a [`Pass`] while it touches SQLite. `suspend()` closes the gate
//! and waits until the last pass is dropped, so when it returns no transaction is open and no
//! file lock is held. While suspended, new operations fail fast with [`Error::Suspended`].

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::error::{Error, Result};

#[derive(Default)]
pub struct Gate {
    state: Mutex<GateState>,
    idle: Condvar,
}

#[derive(Default)]
struct GateState {
    suspended: bool,
    active: usize,
}

pub struct Pass<'a> {
    gate: &'a Gate,
}

impl Gate {
    fn lock(&self) -> MutexGuard<'_, GateState> {
        // The state is two plain fields; a panic elsewhere cannot leave them inconsistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn enter(&self) -> Result<Pass<'_>> {
        let mut state = self.lock();
        if state.suspended {
            return Err(Error::Suspended);
        }
        state.active += 1;
        Ok(Pass { gate: self })
    }

    /// Closes the gate and returns once no operation is running.
    pub fn suspend(&self) {
        let mut state = self.lock();
        state.suspended = true;
        while state.active > 0 {
            state = self
                .idle
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    pub fn resume(&self) {
        self.lock().suspended = false;
    }

    pub fn is_suspended(&self) -> bool {
        self.lock().suspended
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        let mut state = self.gate.lock();
        state.active -= 1;
        if state.active == 0 {
            self.gate.idle.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    #[test]
    fn suspend_waits_for_running_work_then_refuses_new_work() {
        let gate = Arc::new(Gate::default());
        let worker_gate = gate.clone();
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let worker = std::thread::spawn(move || {
            let _pass = worker_gate.enter().unwrap();
            started_tx.send(()).unwrap();
            std::thread::sleep(Duration::from_millis(150));
        });
        started_rx.recv().unwrap();
        let began = Instant::now();
        gate.suspend();
        assert!(
            began.elapsed() >= Duration::from_millis(100),
            "suspend returned while work ran"
        );
        assert!(matches!(gate.enter(), Err(Error::Suspended)));
        gate.resume();
        assert!(gate.enter().is_ok());
        worker.join().unwrap();
    }
}
