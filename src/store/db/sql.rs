//! SQL written once for both engines, run on a [`Db`] or on SQLite's connection itself:
//! the functions several writers share (the change log, new keys, relative dates, weak
//! aliases) take any [`Sql`], so the import's SQLite transaction and the catalog's
//! connection call them as a store's [`Db`] does.

use super::{bind_sqlite, Db, DbError, Dialect, Row, ToParam};

/// A connection that runs the store's SQL (`?N` placeholders, values bound).
pub(crate) trait Sql {
    fn dialect(&self) -> Dialect;

    /// Runs one statement; returns how many rows it changed.
    fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> Result<usize, DbError>;

    /// Runs a query and hands each row to `f` as it comes.
    fn for_each<E: From<DbError>>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        f: impl FnMut(&Row<'_>) -> Result<(), E>,
    ) -> Result<(), E>;

    /// Runs a query and collects `f` of each row.
    fn query_map<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        mut f: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        let mut out = Vec::new();
        self.for_each(sql, params, |row| {
            out.push(f(row)?);
            Ok::<(), DbError>(())
        })?;
        Ok(out)
    }

    /// `f` of the query's first row, or None when it gives no row.
    fn query_opt<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        f: impl FnOnce(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Option<T>, DbError> {
        let mut f = Some(f);
        let mut out = None;
        self.for_each(sql, params, |row| {
            if let Some(f) = f.take() {
                out = Some(f(row)?);
            }
            Ok::<(), DbError>(())
        })?;
        Ok(out)
    }

    /// `f` of the query's first row; no row is [`DbError::NoRows`].
    fn query_row<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        f: impl FnOnce(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.query_opt(sql, params, f)?.ok_or(DbError::NoRows)
    }
}

impl Sql for rusqlite::Connection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> Result<usize, DbError> {
        let mut stmt = self.prepare_cached(sql)?;
        bind_sqlite(&mut stmt, params)?;
        Ok(stmt.raw_execute()?)
    }

    fn for_each<E: From<DbError>>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        mut f: impl FnMut(&Row<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self.prepare_cached(sql).map_err(DbError::from)?;
        bind_sqlite(&mut stmt, params).map_err(DbError::from)?;
        let mut rows = stmt.raw_query();
        while let Some(row) = rows.next().map_err(DbError::from)? {
            f(&Row::Sqlite(row))?;
        }
        Ok(())
    }
}

/// The import holds its SQLite transaction as such.
impl Sql for rusqlite::Transaction<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> Result<usize, DbError> {
        Sql::execute(&**self, sql, params)
    }

    fn for_each<E: From<DbError>>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        f: impl FnMut(&Row<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        Sql::for_each(&**self, sql, params, f)
    }
}

impl Sql for Db {
    fn dialect(&self) -> Dialect {
        Db::dialect(self)
    }

    fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> Result<usize, DbError> {
        Db::execute(self, sql, params)
    }

    fn for_each<E: From<DbError>>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        f: impl FnMut(&Row<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        Db::for_each(self, sql, params, f)
    }
}

/// The store's code often holds its connection by reference (`&self.conn()`).
impl<T: Sql + ?Sized> Sql for &T {
    fn dialect(&self) -> Dialect {
        (**self).dialect()
    }

    fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> Result<usize, DbError> {
        (**self).execute(sql, params)
    }

    fn for_each<E: From<DbError>>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        f: impl FnMut(&Row<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        (**self).for_each(sql, params, f)
    }
}
