//! The pieces of SQL written differently per engine, each a function of the [`Dialect`]:
//! what both engines cannot be asked the same way (the catalog, SQLite's scalar `min`).
//! Additive: each store module adds the pieces it needs.

use super::Dialect;

/// The columns of the table `?1` of the store, as (name, declared type), in the table's
/// order. SQLite gives the declared type as written (`INTEGER`, `REAL`, `TEXT`);
/// PostgreSQL its type's name (`bigint`, `double precision`, `text`), so a caller that
/// reads the type by SQLite's affinity rules (contains `INT`, `DOUB`, `TEXT`) reads both.
/// Generated columns, which no one writes, are left out.
pub(crate) fn table_columns_sql(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "SELECT name, type FROM pragma_table_info(?1) ORDER BY cid",
        Dialect::Postgres => {
            "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT)
             FROM information_schema.columns
             WHERE table_schema = current_schema() AND CAST(table_name AS TEXT) = CAST(?1 AS TEXT)
               AND is_generated = 'NEVER'
             ORDER BY ordinal_position"
        }
    }
}

/// Begins a transaction that writes: on SQLite with the write lock from the start
/// (`IMMEDIATE`), so that a writer never fails midway on another's lock; PostgreSQL's
/// writers take row locks as they go.
pub(crate) fn begin_write_sql(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "BEGIN IMMEDIATE",
        Dialect::Postgres => "BEGIN",
    }
}
