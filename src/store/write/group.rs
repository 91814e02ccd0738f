//! Groups of changes (`Store::begin_group`): changes that each stay a change of their
//! own (number, instant, author, statement, all or nothing) but are committed together,
//! in one transaction. What undoes one change of a group when its write fails, or when
//! it changed nothing, is its [`Guard`].

use super::super::counts::{self, COUNT_FROM_KEY_SQL};
use super::super::db::{Db, Dialect};
use super::super::import::bulk::drop_triggers;
use super::super::text_search::{self, INDEX_FROM_KEY_SQL};
use super::{Store, StoreError};

/// What undoes an open change that must go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::store) enum Guard {
    /// The change is its own transaction (outside a group): rolled back.
    Transaction,
    /// The change's savepoint `one_change` in the group's transaction: rolled back to.
    Savepoint,
    /// In a group on SQLite, without a savepoint: the connection's count of rows written
    /// once the change had been opened. A savepoint would cost each change a copy of
    /// every page it writes (SQLite's statement journal) and the text index a flush of
    /// its pending terms (FTS5 writes them out at each savepoint), on top of what each
    /// statement's own savepoint costs (BENCHMARKS.md). A change that must go and wrote
    /// nothing since it opened is undone by removing its row from the change log; one
    /// that wrote something cannot be undone alone, and takes the group with it (said,
    /// never silent).
    Unguarded(u64),
}

impl Guard {
    /// The guard once the change's row is written: an unguarded change counts from there.
    pub(super) fn opened(self, db: &Db) -> Guard {
        match self {
            Guard::Unguarded(_) => Guard::Unguarded(rows_written(db)),
            guard => guard,
        }
    }
}

/// The rows the connection has written since it opened (SQLite's `total_changes`).
fn rows_written(db: &Db) -> u64 {
    db.sqlite().map_or(0, |c| c.total_changes())
}

/// Is `op` a write that finds out everything that can refuse it before it writes, so that
/// it needs no savepoint in a group? Adds are (their record is checked and their
/// duplicates looked up first) and are what scripts write in bulk.
fn checks_before_writing(op: &super::WriteOp) -> bool {
    matches!(op, super::WriteOp::Add(_))
}

const LOST: &str = "a write in a group of changes could not be undone alone, so the whole \
    group was rolled back: none of its changes was written";

impl Store {
    /// Opens a group of changes: each change opened until [`Store::end_group`] is
    /// recorded as before (its own number, instant, author and statement; its writes all
    /// or nothing), but the group is committed as one transaction. Writes that come
    /// together (a piped script) then write the pages they share (index leaves, the change
    /// log's, the text index's) once per group instead of once per change. Other writers
    /// wait for the group as they would for one change.
    pub fn begin_group(&mut self) -> Result<(), StoreError> {
        if self.group || self.change.is_some() {
            return Err(StoreError::ChangeState(
                "a change or a group of changes is open already: end it before opening a group",
            ));
        }
        self.cache_for_group()?;
        self.begin_transaction()?;
        self.group = true;
        Ok(())
    }

    /// Commits the open group of changes (none open: nothing to do). When it cannot be
    /// committed, none of its changes is written.
    pub fn end_group(&mut self) -> Result<(), StoreError> {
        if !self.group {
            return Ok(());
        }
        if self.change.is_some() {
            return Err(StoreError::ChangeState(
                "a change of the group is still open: commit it or roll it back first",
            ));
        }
        if self.db.in_transaction() {
            self.catch_up_add_triggers()?;
        }
        self.group = false;
        if !self.db.in_transaction() {
            return Err(StoreError::ChangeState(LOST));
        }
        self.commit("cannot commit the group of changes; none of them was written")
    }

    /// Commits the transaction; when it cannot, rolls it back and says `failed`.
    fn commit(&self, failed: &'static str) -> Result<(), StoreError> {
        if let Err(e) = self.db.execute_batch("COMMIT") {
            if self.db.in_transaction() {
                let _ = self.db.execute_batch("ROLLBACK");
            }
            return Err(StoreError::db(failed)(e));
        }
        Ok(())
    }

    /// True while a group of changes is open.
    pub fn in_group(&self) -> bool {
        self.group
    }

    /// The guard of a change opened in the open group: for a change of one write on
    /// SQLite none yet ([`Store::guard_for`] decides with the write), else a savepoint.
    pub(super) fn guard_in_group(&mut self, single: bool) -> Result<Guard, StoreError> {
        if !self.db.in_transaction() {
            return Err(StoreError::ChangeState(LOST));
        }
        if single && self.dialect() == Dialect::Sqlite {
            return Ok(Guard::Unguarded(0));
        }
        self.savepoint()?;
        Ok(Guard::Savepoint)
    }

    /// The guard the open change needs for write `op`: a savepoint after all, unless the
    /// write checks before it writes.
    pub(super) fn guard_for(
        &mut self,
        guard: Guard,
        op: &super::WriteOp,
    ) -> Result<Guard, StoreError> {
        if !matches!(guard, Guard::Unguarded(_)) {
            return Ok(guard);
        }
        if checks_before_writing(op) {
            self.defer_add_triggers()?;
            // Counted from here: dropping the trigger writes the schema's table.
            return Ok(Guard::Unguarded(rows_written(&self.db)));
        }
        self.catch_up_add_triggers()?;
        self.savepoint()?;
        Ok(Guard::Savepoint)
    }

    /// Lets the group's adds leave their texts unindexed and themselves uncounted until
    /// the group ends or another write comes ([`Store::catch_up_add_triggers`]): the
    /// insert triggers of the text index and of the kept counts are dropped in the group's
    /// transaction (no other connection ever sees them missing, and a group rolled back
    /// brings them back). With a trigger, each insert of a relation is a statement of
    /// several writes, which SQLite runs in a statement savepoint: a copy of each page it
    /// writes, and FTS5, once in the transaction, writes its pending words out at every
    /// such savepoint (a segment per add, and merges to match). Without them an add's
    /// insert is one row's, and the group indexes and counts its relations at once.
    fn defer_add_triggers(&mut self) -> Result<(), StoreError> {
        if self.deferred_triggers.is_some() || self.dialect() != Dialect::Sqlite {
            return Ok(());
        }
        let deferred = (|| {
            let conn = self.conn();
            let top: i64 =
                conn.query_row("SELECT COALESCE(max(key), 0) FROM relation", [], |r| {
                    r.get(0)
                })?;
            let dropped =
                drop_triggers(conn, &[text_search::INSERT_TRIGGER, counts::INSERT_TRIGGER])?;
            let triggers: Vec<String> = dropped.into_iter().map(|(_, sql)| sql).collect();
            Ok::<_, rusqlite::Error>((!triggers.is_empty()).then(|| (top, triggers.join(";\n"))))
        })();
        match deferred {
            Ok(deferred) => {
                self.deferred_triggers = deferred;
                Ok(())
            }
            Err(_) => self.lose_group(),
        }
    }

    /// Indexes the texts of the relations the group's adds wrote while the triggers were
    /// dropped, counts them, and puts the triggers back (nothing waiting: nothing to do).
    pub(super) fn catch_up_add_triggers(&mut self) -> Result<(), StoreError> {
        let Some((top, trigger)) = self.deferred_triggers.take() else {
            return Ok(());
        };
        let conn = self.conn();
        let indexed = [
            INDEX_FROM_KEY_SQL,
            COUNT_FROM_KEY_SQL[0],
            COUNT_FROM_KEY_SQL[1],
        ]
        .iter()
        .try_for_each(|sql| conn.execute(sql, [top]).map(drop))
        .and_then(|()| conn.execute_batch(&trigger));
        match indexed {
            Ok(()) => Ok(()),
            Err(_) => self.lose_group(),
        }
    }

    fn savepoint(&self) -> Result<(), StoreError> {
        self.db
            .execute_batch("SAVEPOINT one_change")
            .map_err(StoreError::db("cannot start a change"))
    }

    /// Ends change `id` (None: its row was never written) by its guard: kept when
    /// `keep`, else undone.
    pub(super) fn end_guarded(
        &mut self,
        guard: Guard,
        id: Option<i64>,
        keep: bool,
    ) -> Result<(), StoreError> {
        match (guard, keep) {
            (Guard::Transaction, true) => {
                self.commit("cannot commit the change; nothing of it was written")
            }
            (Guard::Transaction, false) => self
                .db
                .execute_batch("ROLLBACK")
                .map_err(StoreError::db("cannot roll back the change")),
            (Guard::Savepoint, true) => {
                let released = self.db.execute_batch("RELEASE one_change");
                released.or_else(|_| self.lose_group())
            }
            (Guard::Savepoint, false) => {
                let undone = self
                    .db
                    .execute_batch("ROLLBACK TO one_change; RELEASE one_change");
                match undone {
                    Ok(()) => self.forget(id),
                    Err(_) => self.lose_group(),
                }
            }
            (Guard::Unguarded(_), true) => Ok(()),
            (Guard::Unguarded(opened), false) => {
                if rows_written(&self.db) == opened {
                    self.forget(id)
                } else {
                    self.lose_group()
                }
            }
        }
    }

    /// Removes change `id`'s row from the change log, in the group: the change wrote
    /// nothing else.
    fn forget(&mut self, id: Option<i64>) -> Result<(), StoreError> {
        let Some(id) = id else {
            return Ok(());
        };
        match self.db.execute("DELETE FROM change WHERE id = ?1", &[&id]) {
            Ok(_) => Ok(()),
            Err(_) => self.lose_group(),
        }
    }

    /// Rolls the whole group back: a change of it could not be undone alone.
    fn lose_group(&mut self) -> Result<(), StoreError> {
        // The rollback puts a dropped trigger back.
        self.deferred_triggers = None;
        if self.db.in_transaction() {
            let _ = self.db.execute_batch("ROLLBACK");
        }
        Err(StoreError::ChangeState(LOST))
    }
}
