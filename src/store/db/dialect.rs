//! The pieces of SQL written differently per engine, each in one place: the store's
//! statements ask for a piece by the connection's [`Dialect`] and otherwise stay the
//! same text on both engines.

use super::{Dialect, Param};

/// The statements that open a change: SQLite's write lock at once (`BEGIN IMMEDIATE`,
/// another writer waits for this one); on PostgreSQL a transaction and a
/// transaction-level advisory lock on the store (its schema), so that changes, imports
/// and writes of every process are made one after the other: change numbers stay dense
/// and ordered, and each change sees what the one before it committed (READ COMMITTED
/// takes a new snapshot for each statement after the lock). The lock goes with the
/// transaction. A writer waits for it as long as SQLite's waits for its lock (its busy
/// timeout, `open::BUSY_TIMEOUT`: 5 s), then fails with [`LOCK_TIMEOUT`].
pub(crate) fn begin_change(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "BEGIN IMMEDIATE",
        Dialect::Postgres => {
            "BEGIN; SET LOCAL lock_timeout = '5s'; \
             SELECT pg_advisory_xact_lock(1718903599, hashtext(current_schema()))"
        }
    }
}

/// PostgreSQL's SQLSTATE when a lock was not had within `lock_timeout`.
pub(crate) const LOCK_TIMEOUT: &str = "55P03";

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

/// The function giving where a text starts inside another, from 1 (0 when it does not):
/// `instr(haystack, needle)` on SQLite, `strpos(haystack, needle)` on PostgreSQL.
pub fn position_function(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "instr",
        Dialect::Postgres => "strpos",
    }
}

/// A value above every text, the upper bound of a range of names that has none (an
/// empty prefix). SQLite: a blob, which compares greater than any text. PostgreSQL
/// cannot compare text with bytea: the highest code point, U+10FFFF (a noncharacter, so
/// no name starts with it), which the store's `COLLATE "C"` texts compare below as bytes.
pub fn text_above_all(dialect: Dialect) -> Param<'static> {
    match dialect {
        Dialect::Sqlite => Param::Blob(&[]),
        Dialect::Postgres => Param::Text("\u{10FFFF}"),
    }
}

/// The year (0 to 9999) of the day number `expr` (days since 1970-01-01), as an integer.
/// SQLite: by its calendar functions. PostgreSQL has no year 0 (it writes 1 BC): the
/// year is read from the date the schema's `iso_date_of_day` writes as SQLite does.
pub fn year_of_day(dialect: Dialect, expr: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("CAST(strftime('%Y', {expr} * 86400, 'unixepoch') AS INTEGER)"),
        Dialect::Postgres => format!("CAST(substr(iso_date_of_day({expr}), 1, 4) AS BIGINT)"),
    }
}

/// `expr` is one of the list bound to `param` ([`Param::Ints`], [`Param::Texts`]):
/// SQLite's `IN rarray(?N)` (a table-valued function of the list), PostgreSQL's
/// `= ANY(?N)` (an array).
pub fn in_list(dialect: Dialect, expr: &str, param: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("{expr} IN rarray({param})"),
        Dialect::Postgres => format!("{expr} = ANY({param})"),
    }
}

/// `expr` (a text, or NULL) as an SQL literal for a message: `'it''s'`, or `NULL`.
/// SQLite's `quote`, PostgreSQL's `quote_nullable`.
pub fn quoted_text(dialect: Dialect, expr: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("quote({expr})"),
        Dialect::Postgres => format!("quote_nullable({expr})"),
    }
}

/// The integer `expr` of the rows of a group as one text, `1, 2, 3` in key order:
/// SQLite's `group_concat` (whose order is the rows' order, here the index's), and
/// PostgreSQL's `string_agg`, ordered.
pub fn keys_listed(dialect: Dialect, expr: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("group_concat({expr}, ', ')"),
        Dialect::Postgres => format!("string_agg(CAST({expr} AS TEXT), ', ' ORDER BY {expr})"),
    }
}

/// The blob `expr` in upper-case hexadecimal: SQLite's `hex`, PostgreSQL's `encode`.
pub fn hex_upper(dialect: Dialect, expr: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("hex({expr})"),
        Dialect::Postgres => format!("upper(encode({expr}, 'hex'))"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_waits_for_another_as_long_on_both_engines() {
        let secs = crate::store::open::BUSY_TIMEOUT.as_secs();
        assert!(begin_change(Dialect::Postgres).contains(&format!("lock_timeout = '{secs}s'")));
    }
}
