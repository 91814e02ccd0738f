//! One connection over either engine: SQLite (rusqlite) or PostgreSQL (the `postgres`
//! crate). The store's SQL is written once, with `?N` placeholders, and runs on both:
//! [`Db`] translates the placeholders for PostgreSQL, binds every value as a parameter
//! (converted to the type the server inferred for it), and reads every cell as one of
//! SQLite's five kinds ([`Cell`]), so the code above reads rows the same way from both.
//! What cannot be written once (the few statements whose syntax differs) asks
//! [`Db::dialect`].

pub(crate) mod dialect;
mod numeric;
mod placeholders;
pub(crate) mod postgres;
mod sql;
mod tls;

pub(crate) use self::postgres::PgConn;
pub(crate) use self::sql::Sql;

/// The SQL dialect of a connection, for the statements written differently per engine
/// (the compiler's: one owner for both the compiled queries and the store's own SQL).
pub use crate::sql::Dialect;

/// A failure of the database layer, from either engine.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL's error, with its message, detail and hint when the server gave them.
    #[error("{}", postgres_message(.0))]
    Postgres(#[from] ::postgres::Error),
    /// A query that must give a row gave none.
    #[error("the query returned no rows")]
    NoRows,
    /// A cell's value is not of the kind the code reads (a damaged or foreign store).
    #[error("column {column}: expected {expected}, found {found}")]
    Type {
        column: usize,
        expected: &'static str,
        found: &'static str,
    },
    /// SQL ran on the connection while a streamed query still held it.
    #[error("the store's connection is busy with another statement")]
    Busy,
}

fn postgres_message(e: &::postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut s = format!("PostgreSQL: {}", db.message());
            if let Some(detail) = db.detail() {
                s.push_str(&format!(" ({detail})"));
            }
            s
        }
        None => format!("PostgreSQL: {e}"),
    }
}

impl DbError {
    /// SQLite's error behind this one.
    pub fn sqlite(&self) -> Option<&rusqlite::Error> {
        match self {
            DbError::Sqlite(e) => Some(e),
            _ => None,
        }
    }

    /// The error as rusqlite's, for code written for SQLite alone that calls SQL written
    /// for both engines on a SQLite connection (whose errors are SQLite's).
    pub fn into_sqlite(self) -> rusqlite::Error {
        match self {
            DbError::Sqlite(e) => e,
            DbError::NoRows => rusqlite::Error::QueryReturnedNoRows,
            other => rusqlite::Error::ToSqlConversionFailure(Box::new(other)),
        }
    }

    /// PostgreSQL's SQLSTATE code, when the server refused the statement.
    pub fn sqlstate(&self) -> Option<&str> {
        match self {
            DbError::Postgres(e) => e.code().map(|c| c.code()),
            _ => None,
        }
    }
}

/// The lowercase hex digits of `bytes`, two a byte: `bytea`'s hex form (bound values,
/// COPY's rows) and a digest's text.
pub(crate) fn hex_digits(bytes: &[u8]) -> impl Iterator<Item = u8> + '_ {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]])
}

/// A value bound to a placeholder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
    /// A list of integers as one value, for `IN rarray(?N)` on SQLite (whose connections
    /// load the `rarray` module) and `= ANY(?N)` on PostgreSQL (a BIGINT[]); see
    /// [`dialect::in_list`].
    Ints(&'a [i64]),
    /// A list of texts as one value, as [`Param::Ints`] (a TEXT[] on PostgreSQL).
    Texts(&'a [&'a str]),
}

/// A Rust value that can be bound to a placeholder.
pub trait ToParam {
    fn param(&self) -> Param<'_>;
}

impl ToParam for i64 {
    fn param(&self) -> Param<'_> {
        Param::Int(*self)
    }
}
impl ToParam for i32 {
    fn param(&self) -> Param<'_> {
        Param::Int(i64::from(*self))
    }
}
impl ToParam for u32 {
    fn param(&self) -> Param<'_> {
        Param::Int(i64::from(*self))
    }
}
impl ToParam for bool {
    fn param(&self) -> Param<'_> {
        Param::Int(i64::from(*self))
    }
}
impl ToParam for f64 {
    fn param(&self) -> Param<'_> {
        Param::Real(*self)
    }
}
impl ToParam for str {
    fn param(&self) -> Param<'_> {
        Param::Text(self)
    }
}
impl ToParam for String {
    fn param(&self) -> Param<'_> {
        Param::Text(self)
    }
}
impl ToParam for [u8] {
    fn param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}
impl ToParam for Vec<u8> {
    fn param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}
impl<T: ToParam + ?Sized> ToParam for &T {
    fn param(&self) -> Param<'_> {
        (**self).param()
    }
}
impl<T: ToParam> ToParam for Option<T> {
    fn param(&self) -> Param<'_> {
        match self {
            Some(v) => v.param(),
            None => Param::Null,
        }
    }
}
impl ToParam for Param<'_> {
    fn param(&self) -> Param<'_> {
        *self
    }
}

/// One cell of a row, as one of SQLite's five kinds (PostgreSQL's integers of every
/// width, booleans and numerics are read as integers or reals).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl Cell<'_> {
    /// The cell as rusqlite's value, for code that shows SQLite's values.
    pub fn value_ref(&self) -> rusqlite::types::ValueRef<'_> {
        use rusqlite::types::ValueRef;
        match *self {
            Cell::Null => ValueRef::Null,
            Cell::Int(v) => ValueRef::Integer(v),
            Cell::Real(v) => ValueRef::Real(v),
            Cell::Text(t) => ValueRef::Text(t.as_bytes()),
            Cell::Blob(b) => ValueRef::Blob(b),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Cell::Null => "NULL",
            Cell::Int(_) => "an integer",
            Cell::Real(_) => "a real",
            Cell::Text(_) => "text",
            Cell::Blob(_) => "a blob",
        }
    }
}

impl<'a> From<rusqlite::types::ValueRef<'a>> for Cell<'a> {
    /// SQLite's value as a cell; text that is not UTF-8 (written by other tools) is a
    /// blob.
    #[inline]
    fn from(v: rusqlite::types::ValueRef<'a>) -> Self {
        use rusqlite::types::ValueRef;
        match v {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(v) => Cell::Int(v),
            ValueRef::Real(v) => Cell::Real(v),
            ValueRef::Text(t) => match std::str::from_utf8(t) {
                Ok(t) => Cell::Text(t),
                Err(_) => Cell::Blob(t),
            },
            ValueRef::Blob(b) => Cell::Blob(b),
        }
    }
}

/// A Rust value read from a cell.
pub trait FromCell: Sized {
    const EXPECTED: &'static str;
    /// The value, or None when the cell is not of this kind.
    fn from_cell(cell: Cell<'_>) -> Option<Self>;
}

impl FromCell for i64 {
    const EXPECTED: &'static str = "an integer";
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Int(v) => Some(v),
            _ => None,
        }
    }
}
impl FromCell for bool {
    const EXPECTED: &'static str = "0 or 1";
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Int(v) => Some(v != 0),
            _ => None,
        }
    }
}
impl FromCell for f64 {
    const EXPECTED: &'static str = "a number";
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Real(v) => Some(v),
            Cell::Int(v) => Some(v as f64),
            _ => None,
        }
    }
}
impl FromCell for String {
    const EXPECTED: &'static str = "text";
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Text(t) => Some(t.to_owned()),
            _ => None,
        }
    }
}
impl FromCell for Vec<u8> {
    const EXPECTED: &'static str = "a blob";
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Blob(b) => Some(b.to_vec()),
            _ => None,
        }
    }
}
impl<T: FromCell> FromCell for Option<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Null => Some(None),
            other => T::from_cell(other).map(Some),
        }
    }
}

/// One row of a result, from either engine.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r ::postgres::Row),
}

impl Row<'_> {
    /// The cell at `i` (from 0).
    #[inline]
    pub fn cell(&self, i: usize) -> Result<Cell<'_>, DbError> {
        match self {
            Row::Sqlite(row) => Ok(Cell::from(row.get_ref(i)?)),
            Row::Postgres(row) => postgres::cell(row, i),
        }
    }

    /// The cell at `i` as a `T`; a cell of another kind is a [`DbError::Type`].
    pub fn get<T: FromCell>(&self, i: usize) -> Result<T, DbError> {
        let cell = self.cell(i)?;
        T::from_cell(cell).ok_or(DbError::Type {
            column: i,
            expected: T::EXPECTED,
            found: cell.kind(),
        })
    }

    /// How many columns the row has (tests read whole rows).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        match self {
            Row::Sqlite(row) => row.as_ref().column_count(),
            Row::Postgres(row) => row.len(),
        }
    }
}

/// Binds `params` to a SQLite statement, in order.
fn bind_sqlite(
    stmt: &mut rusqlite::Statement<'_>,
    params: &[&dyn ToParam],
) -> rusqlite::Result<()> {
    use rusqlite::types::{ToSqlOutput, Value, ValueRef};
    for (i, p) in params.iter().enumerate() {
        let v = match p.param() {
            Param::Null => ValueRef::Null,
            Param::Int(v) => ValueRef::Integer(v),
            Param::Real(v) => ValueRef::Real(v),
            Param::Text(t) => ValueRef::Text(t.as_bytes()),
            Param::Blob(b) => ValueRef::Blob(b),
            Param::Ints(list) => {
                let list = list.iter().map(|v| Value::Integer(*v)).collect();
                stmt.raw_bind_parameter(i + 1, rusqlite::vtab::array::Array::new(list))?;
                continue;
            }
            Param::Texts(list) => {
                let list = list.iter().map(|t| Value::Text((*t).to_owned())).collect();
                stmt.raw_bind_parameter(i + 1, rusqlite::vtab::array::Array::new(list))?;
                continue;
            }
        };
        stmt.raw_bind_parameter(i + 1, ToSqlOutput::Borrowed(v))?;
    }
    Ok(())
}

/// A connection to the store's database.
pub enum Db {
    Sqlite(rusqlite::Connection),
    /// Boxed: a PostgreSQL connection's state is several times a SQLite handle's.
    Postgres(Box<PgConn>),
}

impl Db {
    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Runs one statement; returns how many rows it changed.
    pub fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> Result<usize, DbError> {
        match self {
            Db::Sqlite(conn) => Sql::execute(conn, sql, params),
            Db::Postgres(pg) => pg.execute(sql, params),
        }
    }

    /// Runs statements separated by `;`, with no parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<(), DbError> {
        match self {
            Db::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Db::Postgres(pg) => pg.execute_batch(sql),
        }
    }

    /// Runs a query and hands each row to `f` as it comes.
    pub fn for_each<E: From<DbError>>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        f: impl FnMut(&Row<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        match self {
            Db::Sqlite(conn) => Sql::for_each(conn, sql, params, f),
            Db::Postgres(pg) => pg.for_each(sql, params, f),
        }
    }

    /// Runs a query and collects `f` of each row.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        f: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        Sql::query_map(self, sql, params, f)
    }

    /// `f` of the query's first row, or None when it gives no row.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        f: impl FnOnce(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Option<T>, DbError> {
        Sql::query_opt(self, sql, params, f)
    }

    /// `f` of the query's first row; no row is [`DbError::NoRows`].
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        f: impl FnOnce(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        Sql::query_row(self, sql, params, f)
    }

    /// The SQLite connection, for code that only SQLite runs.
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Db::Sqlite(conn) => Some(conn),
            Db::Postgres(_) => None,
        }
    }

    /// The SQLite connection for the store's code that only SQLite runs (bulk imports,
    /// pragmas, the progress handler), which each caller reaches on SQLite alone. On
    /// PostgreSQL, a connection that refuses every statement (an authorizer denies all),
    /// so that a path that missed its engine's branch fails instead of answering from an
    /// empty SQLite database.
    pub fn sqlite_only(&self) -> &rusqlite::Connection {
        match self {
            Db::Sqlite(conn) => conn,
            Db::Postgres(pg) => pg.refusing(),
        }
    }

    pub fn sqlite_only_mut(&mut self) -> &mut rusqlite::Connection {
        match self {
            Db::Sqlite(conn) => conn,
            Db::Postgres(pg) => pg.refusing_mut(),
        }
    }

    /// True between `BEGIN` and its end (SQLite: not in autocommit mode).
    pub fn in_transaction(&self) -> bool {
        match self {
            Db::Sqlite(conn) => !conn.is_autocommit(),
            Db::Postgres(pg) => pg.in_transaction(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_the_same_kinds_from_sqlite() {
        let db = Db::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        let (a, b, c, d): (i64, Option<String>, f64, Vec<u8>) = db
            .query_row(
                "SELECT ?1 + 1, ?2, ?3, ?4",
                &[&41i64, &None::<String>, &1.5f64, &vec![1u8, 2]],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!((a, b, c, d), (42, None, 1.5, vec![1, 2]));
        let err = db
            .query_row("SELECT 'x'", &[], |r| r.get::<i64>(0))
            .unwrap_err();
        assert!(matches!(err, DbError::Type { column: 0, .. }), "{err}");
        assert!(matches!(
            db.query_row("SELECT 1 WHERE 0", &[], |r| r.get::<i64>(0)),
            Err(DbError::NoRows)
        ));
    }
}
