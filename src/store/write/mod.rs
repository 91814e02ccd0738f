//! The store's write engine (WRITES.md): a change is opened ([`Store::begin_change`]),
//! write operations are applied in it one by one, each all or nothing, and the change is
//! committed (or, when nothing changed, not recorded at all).
//!
//! How history is kept (schema 8): every current row says which change made it
//! (`since_change`); a write that replaces or removes a row first keeps the old version
//! in the table's `*_version` table, ended by the change (`until_change`). The parts:
//! [`versions`] keeps and restores versions of any of the four tables; [`relation`] adds,
//! corrects and retracts relations, [`erase`] erases them; [`entity`] adds entities,
//! predicates and sources and changes entities' names; [`source`] corrects sources (and
//! the relative dates that count from them); [`merge`] merges and unmerges entities;
//! [`undo`] reverts a change; [`history`] and [`log`] read it all back as rows.

mod entity;
mod erase;
mod group;
mod history;
mod log;
mod merge;
mod relation;
mod source;
mod undo;
mod versions;

#[cfg(test)]
mod group_tests;
#[cfg(test)]
mod postgres_tests;
#[cfg(test)]
pub(super) mod testing;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

use super::change::{self, ChangeMeta};
use super::db::{dialect, Db, DbError, Dialect};
use super::{Store, StoreError};
use group::Guard;

// The entity a merged one stands for: the catalog's name lookups follow it.
#[allow(unused_imports)]
pub(crate) use versions::canonical;
// An import keeps entity versions as writes do.
pub(super) use versions::kept_names_json;

/// One write operation, as the planner hands it to the store: entities, predicates and
/// sources named by id, relations by their handle `#id`.
#[derive(Debug, Clone, PartialEq)]
pub enum WriteOp {
    /// A record exactly as one JSON Lines line of DATA.md gives it (`"type"`: `relation`,
    /// `entity`, `predicate` or `source`), entities, predicates and sources named by id.
    Add(Map<String, Value>),
    /// More names for an entity (by id).
    Alias { entity: String, names: Vec<String> },
    /// More weak aliases for an entity (by id): names that are also common words.
    WeakAlias { entity: String, names: Vec<String> },
    /// Names an entity no longer has (never its display name).
    Unalias { entity: String, names: Vec<String> },
    /// A new display name; the old one stays an alias.
    Rename { entity: String, name: String },
    /// New values for fields of relation `#id`, named as in a relation record (entities,
    /// predicate and source by id). A null value clears the field. Giving one form of time
    /// (`when`; `from`/`to`; `at`) replaces the others.
    Correct { id: i64, fields: Map<String, Value> },
    /// New values for fields of source `id`, named as in a source record (a null value
    /// clears the field). A new `published` date resolves again the relative dates of the
    /// source's relations that count from it, in the same change.
    CorrectSource {
        id: String,
        fields: Map<String, Value>,
    },
    /// Relations the store recorded wrongly: they leave every query and stay in history.
    Retract { ids: Vec<i64> },
    /// Entity `from` is the same as entity `into` from now on.
    Merge { from: String, into: String },
    /// Ends the merge of an entity into another.
    Unmerge { entity: String },
    /// Reverts a change (`None`: the latest change that is neither an undo nor undone).
    Undo { change: Option<i64> },
    /// Removes a relation's content physically; history keeps a tombstone.
    Erase { id: i64 },
}

/// What one write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// What happened, one sentence each (`added #413`, `already recorded as #412`).
    pub messages: Vec<String>,
    /// True when the store changed.
    pub changed: bool,
    /// The relations the write added, changed or found (their handles).
    pub ids: Vec<i64>,
}

impl WriteReport {
    fn said(message: impl Into<String>) -> WriteReport {
        WriteReport {
            messages: vec![message.into()],
            ..WriteReport::default()
        }
    }

    fn changed(message: impl Into<String>, ids: Vec<i64>) -> WriteReport {
        WriteReport {
            messages: vec![message.into()],
            changed: true,
            ids,
        }
    }

    /// Adds what another step of the same write did.
    fn and(mut self, other: WriteReport) -> WriteReport {
        self.messages.extend(other.messages);
        self.changed |= other.changed;
        self.ids.extend(other.ids);
        self
    }
}

/// The change a store has open.
#[derive(Debug)]
pub(super) struct OpenChange {
    id: i64,
    /// True once a write of the change changed the store.
    changed: bool,
    /// Opened for one write ([`Store::begin_single_change`]): a failed write ends it.
    single: bool,
    /// True once a write of the change erased content, which must then leave the
    /// write-ahead log too (see [`Store::commit_change`]).
    erased: bool,
    /// What undoes the change if it must go.
    guard: Guard,
}

impl OpenChange {
    /// Notes what write `op` did in this change.
    fn note(&mut self, op: &WriteOp, report: &WriteReport) {
        self.changed |= report.changed;
        self.erased |= report.changed && matches!(op, WriteOp::Erase { .. });
    }
}

/// One write's work inside the open change: the connection and the change's number.
struct Writer<'c> {
    db: &'c Db,
    change: i64,
}

/// A database failure while writing.
fn db(source: DbError) -> StoreError {
    StoreError::db("the write failed in the store")(source)
}

impl Store {
    /// Opens a change: takes the store's write lock (SQLite's `BEGIN IMMEDIATE`, a lock on
    /// the store on PostgreSQL: see [`dialect::begin_change`]), so another writer waits and
    /// then sees this change's results, and records the change. Returns its number.
    /// Errors when a change is open already.
    pub fn begin_change(&mut self, meta: ChangeMeta) -> Result<i64, StoreError> {
        self.open_change_for(meta, false)
    }

    /// Opens a change for one write, as [`Store::begin_change`] does, except that a
    /// write that fails rolls the whole change back (closing it) instead of only itself.
    /// Undoing a write on its own takes a savepoint, and SQLite then copies each page the
    /// write changes into a statement journal (a temporary file once it outgrows 64 KiB,
    /// which four of the store's 16 KiB pages do): for a change of one write, that work
    /// bought nothing the change's own rollback does not give.
    pub fn begin_single_change(&mut self, meta: ChangeMeta) -> Result<i64, StoreError> {
        self.open_change_for(meta, true)
    }

    fn open_change_for(&mut self, meta: ChangeMeta, single: bool) -> Result<i64, StoreError> {
        if self.change.is_some() {
            return Err(StoreError::ChangeState(
                "a change is open already: commit it or roll it back before opening another",
            ));
        }
        let err = StoreError::db("cannot start a change");
        let guard = if self.group {
            self.guard_in_group(single)?
        } else {
            self.begin_transaction()?;
            Guard::Transaction
        };
        match change::open(&self.db, &meta) {
            Ok(id) => {
                self.change = Some(OpenChange {
                    id,
                    changed: false,
                    single,
                    erased: false,
                    guard: guard.opened(&self.db),
                });
                Ok(id)
            }
            Err(e) => {
                // The change failed: nothing of it may stay.
                let _ = self.end_guarded(guard.opened(&self.db), None, false);
                Err(err(e))
            }
        }
    }

    /// Begins the transaction of a change, or of a group of changes: the writers' lock.
    fn begin_transaction(&mut self) -> Result<(), StoreError> {
        self.refuse_distributed_writes()?;
        // Each write's statement journal in memory, not in a file per statement.
        self.keep_temporary_data(true)?;
        if let Err(e) = self.db.execute_batch(dialect::begin_change(self.dialect())) {
            // PostgreSQL's transaction began before the lock failed: it must end (a
            // ROLLBACK with none open only warns).
            let _ = self.db.execute_batch("ROLLBACK");
            if e.sqlstate() == Some(dialect::LOCK_TIMEOUT) {
                return Err(StoreError::db(
                    "cannot start a change: another writer has held the store for 5 seconds; \
                     wait for it to finish and try again",
                )(e));
            }
            return Err(StoreError::db("cannot start a change")(e));
        }
        Ok(())
    }

    /// Applies one write inside the open change, with its `because` text (kept in the
    /// change's reason when the write changes something). A write that fails leaves the
    /// change as it was before it; in a change opened for one write
    /// ([`Store::begin_single_change`]) it rolls the change back.
    pub fn write(&mut self, op: &WriteOp, reason: Option<&str>) -> Result<WriteReport, StoreError> {
        let Some(open) = &self.change else {
            return Err(not_in_change());
        };
        let (id, single, guard) = (open.id, open.single, open.guard);
        let guard = if single {
            self.guard_for(guard, op)?
        } else {
            // A block's writes see the group's adds indexed and counted.
            self.catch_up_add_triggers()?;
            guard
        };
        let writer = Writer {
            db: &self.db,
            change: id,
        };
        let apply = || {
            writer.apply(op).and_then(|report| {
                if report.changed {
                    writer.note_reason(reason)?;
                }
                Ok(report)
            })
        };
        if single {
            let result = apply();
            match &result {
                Ok(report) => {
                    if let Some(open) = &mut self.change {
                        open.guard = guard;
                        open.note(op, report);
                    }
                }
                Err(_) => {
                    self.change = None;
                    self.end_guarded(guard, Some(id), false)?;
                }
            }
            return result;
        }
        let savepoint = StoreError::db("cannot apply a write");
        self.db
            .execute_batch("SAVEPOINT write_op")
            .map_err(savepoint)?;
        let result = apply();
        match result {
            Ok(report) => {
                self.db
                    .execute_batch("RELEASE write_op")
                    .map_err(savepoint)?;
                if let Some(open) = &mut self.change {
                    open.note(op, &report);
                }
                Ok(report)
            }
            Err(e) => {
                if self
                    .db
                    .execute_batch("ROLLBACK TO write_op; RELEASE write_op")
                    .is_err()
                {
                    // The write's own undoing failed: the change as a whole goes.
                    if let Some(open) = self.change.take() {
                        let _ = self.end_guarded(open.guard, Some(open.id), false);
                    }
                }
                Err(e)
            }
        }
    }

    /// Adds a statement's text to the open change's statements (one per line), for a
    /// change made of several statements.
    pub fn record_statement(&mut self, text: &str) -> Result<(), StoreError> {
        let Some(open) = &self.change else {
            return Err(not_in_change());
        };
        // The new line is bound: SQLite writes it `char(10)`, PostgreSQL `chr(10)`.
        self.db
            .execute(
                "UPDATE change SET statement = CASE WHEN statement IS NULL OR statement = '' \
                 THEN ?2 ELSE statement || ?3 || ?2 END WHERE id = ?1",
                &[&open.id, &text, &"\n"],
            )
            .map_err(db)?;
        Ok(())
    }

    /// Commits the open change and returns its number; when none of its writes changed
    /// anything, rolls it back instead, so that no empty change is recorded, and returns
    /// `None`.
    pub fn commit_change(&mut self) -> Result<Option<i64>, StoreError> {
        let Some(open) = self.change.take() else {
            return Err(not_in_change());
        };
        if !open.changed {
            self.end_guarded(open.guard, Some(open.id), false)?;
            return Ok(None);
        }
        let committed = change::move_sequences_on(&self.db)
            .map_err(StoreError::db(
                "cannot commit the change; nothing of it was written",
            ))
            .and_then(|()| self.end_guarded(open.guard, Some(open.id), true));
        if let Err(e) = committed {
            if self.db.in_transaction() {
                let _ = self.end_guarded(open.guard, Some(open.id), false);
            }
            return Err(e);
        }
        if open.erased && self.dialect() == Dialect::Sqlite {
            // Erased content must leave the store now, not when the group ends.
            self.end_group()?;
            // The erased content is still in the write-ahead log's older frames, which a
            // writer that keeps its log on close ([`Store::keep_log_on_close`]) would
            // leave there: carry the log into the store file and empty it now. A reader
            // still on an older snapshot keeps the log busy; then the content goes at
            // the next checkpoint, as it would have without this one.
            self.conn()
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                .map_err(StoreError::sqlite(
                    "the change is committed, but the log that held the erased content could not be emptied",
                ))?;
        }
        Ok(Some(open.id))
    }

    /// Rolls the open change back: nothing of it is written.
    pub fn rollback_change(&mut self) -> Result<(), StoreError> {
        let Some(open) = self.change.take() else {
            return Err(not_in_change());
        };
        self.end_guarded(open.guard, Some(open.id), false)
    }

    /// True while a change is open.
    pub fn in_change(&self) -> bool {
        self.change.is_some()
    }

    /// The number of the open change, if one is open.
    pub fn open_change(&self) -> Option<i64> {
        self.change.as_ref().map(|open| open.id)
    }
}

fn not_in_change() -> StoreError {
    StoreError::ChangeState("no change is open: a write runs inside a change (begin_change)")
}

impl Writer<'_> {
    fn apply(&self, op: &WriteOp) -> Result<WriteReport, StoreError> {
        match op {
            WriteOp::Add(record) => self.add(record),
            WriteOp::Alias { entity, names } => self.alias(entity, names),
            WriteOp::WeakAlias { entity, names } => self.weak_alias(entity, names),
            WriteOp::Unalias { entity, names } => self.unalias(entity, names),
            WriteOp::Rename { entity, name } => self.rename(entity, name),
            WriteOp::Correct { id, fields } => self.correct(*id, fields),
            WriteOp::CorrectSource { id, fields } => self.correct_source(id, fields),
            WriteOp::Retract { ids } => self.retract(ids),
            WriteOp::Merge { from, into } => self.merge(from, into),
            WriteOp::Unmerge { entity } => self.unmerge(entity),
            WriteOp::Undo { change } => self.undo(*change),
            WriteOp::Erase { id } => self.erase(*id),
        }
    }

    /// Adds a record of any type, checked by the import's rules.
    fn add(&self, record: &Map<String, Value>) -> Result<WriteReport, StoreError> {
        use super::import::fields::CheckedRecord;
        if record.get("type").and_then(Value::as_str) == Some("relation")
            && record.contains_key("id")
        {
            return Err(StoreError::BadWrite {
                field: Some("id".into()),
                reason: "a new relation gets its id from the store; to change relation #N, \
                         use `correct #N`"
                    .into(),
            });
        }
        match checked(record)? {
            CheckedRecord::Relation(_) => self.add_relation(record),
            CheckedRecord::Entity(fields) => self.add_entity(fields),
            CheckedRecord::Predicate(fields) => self.add_predicate(fields),
            CheckedRecord::Source(fields) => self.add_source(fields),
        }
    }

    /// Appends `because` text to the change's reason, joined with `; `.
    fn note_reason(&self, reason: Option<&str>) -> Result<(), StoreError> {
        let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) else {
            return Ok(());
        };
        self.db
            .execute(
                "UPDATE change SET reason = CASE WHEN reason IS NULL OR reason = '' THEN ?2 \
                 ELSE reason || '; ' || ?2 END WHERE id = ?1",
                &[&self.change, &reason],
            )
            .map_err(db)?;
        Ok(())
    }
}

/// A record checked by the import's rules; a fault becomes [`StoreError::BadWrite`].
fn checked(
    record: &Map<String, Value>,
) -> Result<super::import::fields::CheckedRecord, StoreError> {
    super::import::fields::check_json(record).map_err(|fault| StoreError::BadWrite {
        field: fault.field,
        reason: fault.reason,
    })
}
