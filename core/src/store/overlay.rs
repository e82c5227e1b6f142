//! The organiser's queued operations shown over the content: what the reads return is the
//! pulled content with every operation that is not yet in it (pending, in flight, accepted)
//! applied in order, through [`Op::apply`], the same function the server uses.
//!
//! Reads ask the overlay once per call: [`Overlay::build`] applies the operations to the
//! entities they touch, and [`Overlay::merge`] puts those entities into a list read from SQL
//! (dropping the stored version, adding the overlaid one where it still matches the list's
//! filter). On attendee devices the outbox is empty and the overlay costs one indexed query.

use std::collections::HashMap;

use rusqlite::Connection;

use super::entities::read_entity;
use crate::error::Result;
use marktplatz_model::model::{Entity, EntityKind};
use marktplatz_model::ops::Op;

#[derive(Debug, Default)]
pub struct Overlay {
    /// The touched entities after the operations: `None` = removed.
    entities: HashMap<(EntityKind, String), Option<Entity>>,
}

impl Overlay {
    /// Applies `ops` (in order) to the entities they touch. An operation that no longer fits
    /// (its entity vanished from the content) is left out: the content is shown as it is.
    pub fn build(tx: &Connection, event_id: &str, ops: &[Op]) -> Result<Overlay> {
        let mut overlay = Overlay::default();
        for op in ops {
            let (kind, id) = op.target();
            let key = (kind, id.to_string());
            let current = match overlay.entities.get(&key) {
                Some(entity) => entity.clone(),
                None => read_entity(tx, event_id, kind, id)?,
            };
            if let Ok(new) = op.apply(current.as_ref()) {
                overlay.entities.insert(key, new);
            }
        }
        Ok(overlay)
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// `None`: not touched (read the content); `Some(None)`: removed; `Some(Some(e))`: this.
    pub fn get(&self, kind: EntityKind, id: &str) -> Option<Option<&Entity>> {
        self.entities
            .get(&(kind, id.to_string()))
            .map(|e| e.as_ref())
    }

    /// The entity as shown: overlaid if touched, else as stored.
    pub fn entity(
        &self,
        tx: &Connection,
        event_id: &str,
        kind: EntityKind,
        id: &str,
    ) -> Result<Option<Entity>> {
        match self.get(kind, id) {
            Some(entity) => Ok(entity.cloned()),
            None => read_entity(tx, event_id, kind, id),
        }
    }

    /// The overlaid entities of one kind that still exist.
    pub fn entities_of(&self, kind: EntityKind) -> impl Iterator<Item = &Entity> {
        self.entities
            .iter()
            .filter(move |((k, _), _)| *k == kind)
            .filter_map(|(_, entity)| entity.as_ref())
    }

    /// Puts the overlay into a list read from the content: items the overlay touched are
    /// replaced by their overlaid version if it passes `keep` (the list's filter), or dropped.
    /// `unpack` turns an entity of the list's kind into an item. Order is the caller's job.
    pub fn merge<T>(
        &self,
        kind: EntityKind,
        list: Vec<T>,
        id_of: impl Fn(&T) -> &str,
        unpack: impl Fn(&Entity) -> Option<T>,
        keep: impl Fn(&T) -> bool,
    ) -> Vec<T> {
        if self.is_empty() {
            return list;
        }
        let mut merged: Vec<T> = list
            .into_iter()
            .filter(|item| self.get(kind, id_of(item)).is_none())
            .collect();
        for ((entity_kind, _), entity) in &self.entities {
            if *entity_kind != kind {
                continue;
            }
            if let Some(item) = entity.as_ref().and_then(&unpack)
                && keep(&item)
            {
                merged.push(item);
            }
        }
        merged
    }
}
