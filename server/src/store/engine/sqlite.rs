//! [`super::Tx`] on SQLite (rusqlite): `$n` placeholders become `?n` once per statement text,
//! and statements come from the connection's cache.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, ToSql};

use super::{Param, Row};
use crate::store::error::Result;

pub fn execute(conn: &Connection, sql: &'static str, params: &[Param<'_>]) -> Result<usize> {
    let mut stmt = conn.prepare_cached(dialect(sql))?;
    Ok(stmt.execute(rusqlite::params_from_iter(params))?)
}

pub fn query_each(
    conn: &Connection,
    sql: &'static str,
    params: &[Param<'_>],
    mut f: impl FnMut(&Row<'_>) -> Result<bool>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(dialect(sql))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    while let Some(row) = rows.next()? {
        if !f(&Row::Sqlite(row))? {
            break;
        }
    }
    Ok(())
}

impl ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match *self {
            Param::Int(Some(v)) => ToSqlOutput::Owned(Value::Integer(v)),
            Param::Text(Some(v)) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            Param::Blob(Some(v)) => ToSqlOutput::Borrowed(ValueRef::Blob(v)),
            Param::Int(None) | Param::Text(None) | Param::Blob(None) => {
                ToSqlOutput::Owned(Value::Null)
            }
        })
    }
}

/// `sql` with `$n` placeholders as `?n` (SQLite numbers `$n` by first appearance, not by n),
/// rewritten once per statement text: the store's statements are a fixed set of literals.
fn dialect(sql: &'static str) -> &'static str {
    static REWRITTEN: OnceLock<Mutex<HashMap<&'static str, &'static str>>> = OnceLock::new();
    let mut map = REWRITTEN
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    map.entry(sql)
        .or_insert_with(|| Box::leak(to_question_marks(sql).into_boxed_str()))
}

/// `$n` outside quotes as `?n`.
fn to_question_marks(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
        }
        if c == '$' && !quoted && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_question_marks;

    #[test]
    fn placeholders_become_numbered_question_marks_outside_quotes() {
        assert_eq!(
            to_question_marks("SELECT '$1', x FROM t WHERE a = $12 AND b = $2"),
            "SELECT '$1', x FROM t WHERE a = ?12 AND b = ?2"
        );
    }
}
