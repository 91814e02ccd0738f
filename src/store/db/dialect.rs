//! The pieces of SQL written differently per engine, each in one place (additive: one
//! function per piece).

use super::Dialect;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_waits_for_another_as_long_on_both_engines() {
        let secs = crate::store::open::BUSY_TIMEOUT.as_secs();
        assert!(begin_change(Dialect::Postgres).contains(&format!("lock_timeout = '{secs}s'")));
    }
}
