//! What a sync reports while it runs (for a progress bar) and what it changed (for change
//! alerts and "3 sessions updated" notes).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::store::AppliedChange;
use marktplatz_model::model::EntityKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Asking the server whether anything changed.
    Checking,
    /// Receiving and applying pages of content.
    Content,
    /// Downloading the small assets that go with the content.
    Assets,
    Done,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Progress {
    pub event_id: String,
    pub phase: Phase,
    /// Body bytes received so far in this sync (after decompression).
    pub bytes: u64,
    /// Entities applied so far.
    pub entities: u64,
    /// Position in the change log: `seq_done` of `seq_total` (both relative to the start).
    pub seq_done: u64,
    pub seq_total: u64,
    pub assets_done: u32,
    pub assets_total: u32,
}

impl Progress {
    /// 0.0..=1.0 over the content phase (seq based), for a determinate bar.
    pub fn fraction(&self) -> f64 {
        match self.phase {
            Phase::Done => 1.0,
            Phase::Assets if self.assets_total > 0 => {
                f64::from(self.assets_done) / f64::from(self.assets_total)
            }
            _ if self.seq_total > 0 => (self.seq_done as f64 / self.seq_total as f64).min(1.0),
            _ => 0.0,
        }
    }
}

pub type ProgressFn = dyn Fn(&Progress) + Send + Sync;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KindChanges {
    pub added: u32,
    pub updated: u32,
    pub removed: u32,
}

/// Per entity kind: how many were added, updated and removed. No-op changes (a replayed page,
/// an identical body) are not counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ChangeSummary {
    pub kinds: BTreeMap<EntityKind, KindChanges>,
}

impl ChangeSummary {
    pub fn record(&mut self, change: &AppliedChange) {
        if change.is_noop() {
            return;
        }
        let counts = self.kinds.entry(change.kind).or_default();
        match (&change.old, &change.new) {
            (None, Some(_)) => counts.added += 1,
            (Some(_), Some(_)) => counts.updated += 1,
            (Some(_), None) => counts.removed += 1,
            (None, None) => {}
        }
    }

    pub fn merge(&mut self, other: &ChangeSummary) {
        for (kind, counts) in &other.kinds {
            let mine = self.kinds.entry(*kind).or_default();
            mine.added += counts.added;
            mine.updated += counts.updated;
            mine.removed += counts.removed;
        }
    }

    pub fn get(&self, kind: EntityKind) -> KindChanges {
        self.kinds.get(&kind).copied().unwrap_or_default()
    }

    pub fn total(&self) -> u32 {
        self.kinds
            .values()
            .map(|c| c.added + c.updated + c.removed)
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }
}
