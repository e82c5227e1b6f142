//! The store's portable transaction interface (ADR 0021): every store function takes a [`Tx`]
//! and writes its SQL once, in the subset SQLite and PostgreSQL share (`$1` placeholders,
//! `ON CONFLICT ... DO NOTHING/UPDATE`, `RETURNING`). Each engine module turns that into its
//! client's calls; statements are prepared once per connection and cached.

use std::cell::RefCell;

use super::error::{Result, StoreError};

pub mod postgres;
pub mod sqlite;

/// One open transaction on either engine.
pub enum Tx<'a> {
    Sqlite(&'a rusqlite::Connection),
    /// In a cell: the client's calls take `&mut`, the store's functions share `&Tx`.
    Postgres(RefCell<postgres::Session<'a>>),
}

/// Which engine a [`Tx`] runs on (for the few statements that differ).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Tx<'_> {
    pub fn engine(&self) -> Engine {
        match self {
            Tx::Sqlite(_) => Engine::Sqlite,
            Tx::Postgres(_) => Engine::Postgres,
        }
    }

    /// Runs a statement; returns how many rows it changed.
    pub fn execute(&self, sql: &'static str, params: &[Param<'_>]) -> Result<usize> {
        match self {
            Tx::Sqlite(conn) => sqlite::execute(conn, sql, params),
            Tx::Postgres(session) => session.borrow_mut().execute(sql, params),
        }
    }

    /// Calls `f` with each row in turn while it returns `true`.
    pub fn query_each(
        &self,
        sql: &'static str,
        params: &[Param<'_>],
        mut f: impl FnMut(&Row<'_>) -> Result<bool>,
    ) -> Result<()> {
        match self {
            Tx::Sqlite(conn) => sqlite::query_each(conn, sql, params, f),
            // `f` gets rows already fetched: it may run statements on this `Tx` itself.
            Tx::Postgres(session) => {
                let rows = session.borrow_mut().query(sql, params)?;
                for row in &rows {
                    if !f(&Row::Postgres(row))? {
                        break;
                    }
                }
                Ok(())
            }
        }
    }

    /// Every row, mapped by `f`.
    pub fn query_all<T>(
        &self,
        sql: &'static str,
        params: &[Param<'_>],
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.query_each(sql, params, |row| {
            out.push(f(row)?);
            Ok(true)
        })?;
        Ok(out)
    }

    /// The first row mapped by `f`, if there is one.
    pub fn query_opt<T>(
        &self,
        sql: &'static str,
        params: &[Param<'_>],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut f = Some(f);
        let mut out = None;
        self.query_each(sql, params, |row| {
            if let Some(f) = f.take() {
                out = Some(f(row)?);
            }
            Ok(false)
        })?;
        Ok(out)
    }

    /// The first row mapped by `f`; a statement that returns none is our fault.
    pub fn query_one<T>(
        &self,
        sql: &'static str,
        params: &[Param<'_>],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.query_opt(sql, params, f)?.ok_or_else(|| {
            StoreError::internal("reading the database", format!("no row from: {sql}"))
        })
    }
}

/// A statement parameter: typed even when NULL (PostgreSQL checks each parameter's type).
#[derive(Clone, Copy, Debug)]
pub enum Param<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
    Blob(Option<&'a [u8]>),
}

/// Parameters for [`Tx`] calls, each taken by reference as rusqlite's `params!` does:
/// `args![event_id, seq as i64, body]`.
#[macro_export]
macro_rules! args {
    ($($value:expr),* $(,)?) => {
        &[$($crate::store::engine::ToParam::to_param(&$value)),*]
            as &[$crate::store::engine::Param<'_>]
    };
}
pub use args;

/// A value that can be bound as a [`Param`].
pub trait ToParam {
    fn to_param(&self) -> Param<'_>;
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> Param<'_> {
        (**self).to_param()
    }
}
impl ToParam for i64 {
    fn to_param(&self) -> Param<'_> {
        Param::Int(Some(*self))
    }
}
impl ToParam for u32 {
    fn to_param(&self) -> Param<'_> {
        Param::Int(Some(i64::from(*self)))
    }
}
impl ToParam for Option<i64> {
    fn to_param(&self) -> Param<'_> {
        Param::Int(*self)
    }
}
impl ToParam for Option<u32> {
    fn to_param(&self) -> Param<'_> {
        Param::Int(self.map(i64::from))
    }
}
impl ToParam for str {
    fn to_param(&self) -> Param<'_> {
        Param::Text(Some(self))
    }
}
impl ToParam for String {
    fn to_param(&self) -> Param<'_> {
        Param::Text(Some(self))
    }
}
impl ToParam for Option<String> {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self.as_deref())
    }
}
impl ToParam for Option<&str> {
    fn to_param(&self) -> Param<'_> {
        Param::Text(*self)
    }
}
impl ToParam for [u8] {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(Some(self))
    }
}
impl<const N: usize> ToParam for [u8; N] {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(Some(self))
    }
}
impl ToParam for Vec<u8> {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(Some(self))
    }
}

/// One result row of either engine.
pub enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a ::postgres::Row),
}

impl Row<'_> {
    /// Column `i` (from 0) as a `T`.
    pub fn get<T: Column>(&self, i: usize) -> Result<T> {
        match self {
            Row::Sqlite(row) => T::from_sqlite(row, i),
            Row::Postgres(row) => T::from_postgres(row, i),
        }
    }

    /// Column `i`, a count or a seq: never negative when stored by us.
    pub fn get_u64(&self, i: usize) -> Result<u64> {
        Ok(self.get::<i64>(i)?.max(0) as u64)
    }
}

/// A value a column can be read as on both engines.
pub trait Column: Sized {
    fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> Result<Self>;
    fn from_postgres(row: &::postgres::Row, i: usize) -> Result<Self>;
}

/// Types both clients read directly.
macro_rules! column {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
                Ok(row.get(i)?)
            }
            fn from_postgres(row: &::postgres::Row, i: usize) -> Result<Self> {
                Ok(row.try_get(i)?)
            }
        }
    )*};
}
column!(String, Option<String>, Vec<u8>, Option<Vec<u8>>);

/// Integers (and booleans) of any width on PostgreSQL (`count(*)` is BIGINT, `SELECT 1`
/// INTEGER, `EXISTS` BOOLEAN), converted where they fit.
macro_rules! int_column {
    ($($t:ty),*) => {$(
        impl Column for Option<$t> {
            fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
                Ok(row.get(i)?)
            }
            fn from_postgres(row: &::postgres::Row, i: usize) -> Result<Self> {
                postgres::int(row, i)?
                    .map(|v| {
                        <$t>::try_from(v).map_err(|_| {
                            StoreError::internal("reading a row", format!("{v} out of range"))
                        })
                    })
                    .transpose()
            }
        }
        impl Column for $t {
            fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
                Ok(row.get(i)?)
            }
            fn from_postgres(row: &::postgres::Row, i: usize) -> Result<Self> {
                Option::<$t>::from_postgres(row, i)?.ok_or_else(|| {
                    StoreError::internal("reading a row", format!("column {i} is NULL"))
                })
            }
        }
    )*};
}
int_column!(i64, u32);

impl Column for bool {
    fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
        Ok(row.get(i)?)
    }
    fn from_postgres(row: &::postgres::Row, i: usize) -> Result<Self> {
        Ok(i64::from_postgres(row, i)? != 0)
    }
}
