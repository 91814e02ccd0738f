//! The pieces of SQL written differently per engine, each in one place (additive: one
//! function per piece).

use super::Dialect;

/// The statements that open a change: SQLite's write lock at once (`BEGIN IMMEDIATE`,
/// another writer waits for this one); on PostgreSQL a transaction and a
/// transaction-level advisory lock on the store (its schema), so that changes, imports
/// and writes of every process are made one after the other: change numbers stay dense
/// and ordered, and each change sees what the one before it committed (READ COMMITTED
/// takes a new snapshot for each statement after the lock). The lock goes with the
/// transaction.
pub(crate) fn begin_change(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "BEGIN IMMEDIATE",
        Dialect::Postgres => {
            "BEGIN; SELECT pg_advisory_xact_lock(1718903599, hashtext(current_schema()))"
        }
    }
}

/// The statement that makes foreign keys checked at the end of the transaction from now
/// on (`on`), or as each statement ends again.
pub(crate) fn defer_foreign_keys(dialect: Dialect, on: bool) -> &'static str {
    match (dialect, on) {
        (Dialect::Sqlite, true) => "PRAGMA defer_foreign_keys = ON",
        (Dialect::Sqlite, false) => "PRAGMA defer_foreign_keys = OFF",
        // The PostgreSQL schema's foreign keys are DEFERRABLE INITIALLY IMMEDIATE; going
        // back to IMMEDIATE checks what was deferred at once.
        (Dialect::Postgres, true) => "SET CONSTRAINTS ALL DEFERRED",
        (Dialect::Postgres, false) => "SET CONSTRAINTS ALL IMMEDIATE",
    }
}

/// An empty blob as a literal (SQLite's `x''` is a bit string to PostgreSQL).
pub(crate) fn empty_blob(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "x''",
        Dialect::Postgres => "'\\x'::bytea",
    }
}

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
