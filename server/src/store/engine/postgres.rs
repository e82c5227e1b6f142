//! [`super::Tx`] on PostgreSQL (the blocking `postgres` client, ADR 0021): one [`Conn`] per
//! pooled connection, each keeping the statements it prepared, so a statement text is parsed
//! once per connection and then run by name.

use std::collections::HashMap;
use std::error::Error as StdError;

use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, IsolationLevel, Statement, Transaction};

use super::Param;
use crate::store::error::{Result, StoreError};

/// One connection and its prepared statements.
pub struct Conn {
    client: Client,
    statements: HashMap<&'static str, Statement>,
}

/// An open transaction on a [`Conn`].
pub struct Session<'a> {
    tx: Transaction<'a>,
    statements: &'a mut HashMap<&'static str, Statement>,
}

impl Conn {
    pub fn new(client: Client) -> Conn {
        Conn {
            client,
            statements: HashMap::new(),
        }
    }

    /// The client itself (migrations run their own transaction).
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// Whether the server closed it (restarted, or the network went): it is then replaced.
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    /// A write transaction (READ COMMITTED; writers order themselves by row locks, ADR 0021)
    /// or a read-only snapshot (REPEATABLE READ, as a SQLite reader sees).
    pub fn begin(&mut self, write: bool) -> Result<Session<'_>> {
        let builder = self.client.build_transaction();
        let tx = if write {
            builder.isolation_level(IsolationLevel::ReadCommitted)
        } else {
            builder
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
        }
        .start()?;
        Ok(Session {
            tx,
            statements: &mut self.statements,
        })
    }
}

impl Session<'_> {
    fn statement(&mut self, sql: &'static str) -> Result<Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.tx.prepare(sql)?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }

    pub fn execute(&mut self, sql: &'static str, params: &[Param<'_>]) -> Result<usize> {
        let statement = self.statement(sql)?;
        let changed = self.tx.execute(&statement, &as_sql(params))?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    pub fn query(&mut self, sql: &'static str, params: &[Param<'_>]) -> Result<Vec<postgres::Row>> {
        let statement = self.statement(sql)?;
        Ok(self.tx.query(&statement, &as_sql(params))?)
    }

    pub fn commit(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }
}

fn as_sql<'p>(params: &'p [Param<'_>]) -> Vec<&'p (dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match *self {
            // The store's integers are BIGINT; a parameter PostgreSQL typed narrower (a
            // comparison with a literal) still takes a value that fits.
            Param::Int(v) if *ty == Type::INT4 => v.map(i32::try_from).transpose()?.to_sql(ty, out),
            Param::Int(v) => v.to_sql_checked(ty, out),
            Param::Text(v) => v.to_sql_checked(ty, out),
            Param::Blob(v) => v.to_sql_checked(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        // Checked per value in `to_sql` (a NULL of each kind knows its type).
        true
    }

    to_sql_checked!();
}

/// An integer column of any width, or NULL.
pub fn int(row: &postgres::Row, i: usize) -> Result<Option<i64>> {
    let ty = row
        .columns()
        .get(i)
        .map(|c| c.type_().clone())
        .ok_or_else(|| StoreError::internal("reading a row", format!("no column {i}")))?;
    Ok(match ty {
        Type::INT2 => row.try_get::<_, Option<i16>>(i)?.map(i64::from),
        Type::INT4 => row.try_get::<_, Option<i32>>(i)?.map(i64::from),
        Type::BOOL => row.try_get::<_, Option<bool>>(i)?.map(i64::from),
        _ => row.try_get::<_, Option<i64>>(i)?,
    })
}
