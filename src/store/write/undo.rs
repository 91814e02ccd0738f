//! `undo`: a new change that puts back, for every row a change touched, the version that
//! change replaced — removing what it added, restoring what it removed — the same way for
//! the four versioned tables, so that an import's change is undone like a statement's.
//! A change whose rows a later change touched again cannot be undone (the later one
//! first); an undo is undone like any change (which applies the original again).

use rusqlite::{params, OptionalExtension};

use super::relation::RowAt;
use super::versions::{change_info, Table};
use super::{db, WriteReport, Writer};
use crate::store::StoreError;

/// What undoing a change does to one row.
struct Step {
    table: Table,
    key: i64,
    /// The change that made the version the undone change replaced or removed (`None`:
    /// the undone change added the row).
    before: Option<i64>,
    /// True when the undone change's version is the current row.
    after: bool,
}

impl Writer<'_> {
    /// Undoes change `target`, or the latest change that is neither an undo nor undone.
    pub(super) fn undo(&self, target: Option<i64>) -> Result<WriteReport, StoreError> {
        let n = match target {
            Some(n) if n == self.change => {
                return Err(StoreError::Refused(format!(
                    "change {n} is the change being made; roll it back instead"
                )))
            }
            Some(n) if n > self.change || n < 1 => {
                return Err(StoreError::NoSuchChange { change: n })
            }
            Some(n) => n,
            None => match self.latest_undoable()? {
                Some(n) => n,
                None => return Ok(WriteReport::said("nothing to undo")),
            },
        };
        change_info(self.conn, n)?;
        self.refuse_undone_or_erasing(n)?;
        let mut steps = Vec::new();
        for table in Table::ALL {
            for key in self.touched(table, n)? {
                if let Some(later) = self.later_change(table, key, n)? {
                    return Err(self.changed_since(n, table, key, later)?);
                }
                let before = self.before(table, key, n)?;
                let after = self.since(table, key)? == Some(n);
                if before.is_some() || after {
                    steps.push(Step {
                        table,
                        key,
                        before,
                        after,
                    });
                }
            }
        }
        if steps.is_empty() {
            return Ok(WriteReport::said(format!(
                "change {n} left nothing to undo; nothing changed"
            )));
        }
        self.set_undoes(n)?;
        // An entity may be restored merged into another restored after it: foreign keys
        // are checked at the end of the change; what an undo could break is checked here.
        self.conn
            .execute_batch("PRAGMA defer_foreign_keys = ON")
            .map_err(db)?;
        let result = self.apply_steps(n, &steps);
        self.conn
            .execute_batch("PRAGMA defer_foreign_keys = OFF")
            .map_err(db)?;
        let ids: Vec<i64> = steps
            .iter()
            .filter(|s| s.table == Table::Relation)
            .map(|s| s.key)
            .collect();
        result?;
        let counts: Vec<String> = Table::ALL
            .iter()
            .filter_map(|&t| {
                let count = steps.iter().filter(|s| s.table == t).count();
                (count > 0).then(|| format!("{count} {}(s)", t.noun()))
            })
            .collect();
        Ok(WriteReport::changed(
            format!("undid change {n} ({})", counts.join(", ")),
            ids,
        ))
    }

    /// Removes what change `n` added, restores what it replaced or removed: relations it
    /// added first, then entities, predicates and sources it replaced or removed, then
    /// relations, then the entities, predicates and sources it added.
    fn apply_steps(&self, n: i64, steps: &[Step]) -> Result<(), StoreError> {
        let relation = |s: &&Step| s.table == Table::Relation;
        for s in steps.iter().filter(relation).filter(|s| s.before.is_none()) {
            self.remove(s.table, s.key)?;
        }
        for s in steps.iter().filter(|s| !relation(s)) {
            if let Some(before) = s.before {
                self.restore(s.table, s.key, before)?;
            }
        }
        for s in steps.iter().filter(relation) {
            if let Some(before) = s.before {
                let at = RowAt::Version {
                    id: s.key,
                    since: before,
                };
                let fingerprints = self.stored_fingerprints(at)?;
                if let Some(other) = self.live_duplicate(fingerprints, Some(s.key))? {
                    return Err(StoreError::UndoRefused {
                        change: n,
                        why: format!(
                            "it would bring #{} back, and #{other} says the same now; retract \
                             #{other} first",
                            s.key
                        ),
                    });
                }
                self.restore(Table::Relation, s.key, before)?;
                self.set_fingerprint(s.key, fingerprints[0])?;
            }
        }
        for s in steps.iter().filter(|s| !relation(s)) {
            if s.before.is_none() && s.after {
                self.refuse_in_use(n, s.table, s.key)?;
                self.remove(s.table, s.key)?;
            }
        }
        Ok(())
    }

    /// The latest change that is not an undo and was not undone.
    fn latest_undoable(&self) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row(
                "SELECT max(c.id) FROM change c WHERE c.id < ?1 AND c.undoes IS NULL \
                 AND NOT EXISTS (SELECT 1 FROM change u WHERE u.undoes = c.id)",
                [self.change],
                |r| r.get(0),
            )
            .map_err(db)
    }

    /// Refuses a change that was undone already, and one that erased a relation (whose
    /// content is gone).
    fn refuse_undone_or_erasing(&self, n: i64) -> Result<(), StoreError> {
        let undone_by: Option<i64> = self
            .conn
            .query_row(
                "SELECT min(id) FROM change WHERE undoes = ?1 AND id <> ?2",
                params![n, self.change],
                |r| r.get(0),
            )
            .map_err(db)?;
        if let Some(u) = undone_by {
            let info = change_info(self.conn, u)?;
            return Err(StoreError::UndoRefused {
                change: n,
                why: format!(
                    "change {u} by {} at {} undid it already (`undo change {u}` applies it again)",
                    info.author, info.recorded
                ),
            });
        }
        let erased: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM relation_version WHERE until_change = ?1 AND erased = 1 LIMIT 1",
                [n],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        match erased {
            Some(id) => Err(StoreError::UndoRefused {
                change: n,
                why: format!("it erased #{id}, whose content is gone for good"),
            }),
            None => Ok(()),
        }
    }

    /// Records that this change undoes change `n`; a change undoes one change.
    fn set_undoes(&self, n: i64) -> Result<(), StoreError> {
        let undoes: Option<i64> = self
            .conn
            .query_row(
                "SELECT undoes FROM change WHERE id = ?1",
                [self.change],
                |r| r.get(0),
            )
            .map_err(db)?;
        match undoes {
            Some(m) if m != n => Err(StoreError::Refused(format!(
                "this change undoes change {m} already; a change undoes one change: commit \
                 this one, then undo change {n}"
            ))),
            _ => self
                .conn
                .execute(
                    "UPDATE change SET undoes = ?2 WHERE id = ?1",
                    params![self.change, n],
                )
                .map(drop)
                .map_err(db),
        }
    }

    /// The keys of `table` whose rows change `n` made, replaced or removed (erased
    /// relations left out: nothing of them can come back).
    fn touched(&self, table: Table, n: i64) -> Result<Vec<i64>, StoreError> {
        let (current, versions, vkey) = (table.current(), table.versions(), table.version_key());
        let kept = if table == Table::Relation {
            " AND erased = 0"
        } else {
            ""
        };
        self.conn
            .prepare_cached(&format!(
                "SELECT key FROM {current} WHERE since_change = ?1 \
                 UNION SELECT {vkey} FROM {versions} WHERE until_change = ?1{kept} \
                 UNION SELECT {vkey} FROM {versions} WHERE since_change = ?1{kept} ORDER BY 1"
            ))
            .and_then(|mut stmt| stmt.query_map([n], |r| r.get(0))?.collect())
            .map_err(db)
    }

    /// The first change after `n` that made, replaced or removed a version of row `key`.
    fn later_change(&self, table: Table, key: i64, n: i64) -> Result<Option<i64>, StoreError> {
        let (current, versions, vkey) = (table.current(), table.versions(), table.version_key());
        self.conn
            .prepare_cached(&format!(
                "SELECT min(c) FROM ( \
                     SELECT since_change AS c FROM {current} WHERE key = ?1 AND since_change > ?2 \
                     UNION ALL SELECT since_change FROM {versions} \
                         WHERE {vkey} = ?1 AND since_change > ?2 \
                     UNION ALL SELECT until_change FROM {versions} \
                         WHERE {vkey} = ?1 AND until_change > ?2)"
            ))
            .and_then(|mut stmt| stmt.query_row(params![key, n], |r| r.get(0)))
            .map_err(db)
    }

    /// The change that made the version of row `key` that change `n` replaced or removed.
    fn before(&self, table: Table, key: i64, n: i64) -> Result<Option<i64>, StoreError> {
        let (versions, vkey) = (table.versions(), table.version_key());
        self.conn
            .prepare_cached(&format!(
                "SELECT since_change FROM {versions} \
                 WHERE {vkey} = ?1 AND until_change = ?2 AND since_change < ?2"
            ))
            .and_then(|mut stmt| stmt.query_row(params![key, n], |r| r.get(0)).optional())
            .map_err(db)
    }

    /// The refusal of undoing change `n` because change `later` touched row `key` since.
    fn changed_since(
        &self,
        n: i64,
        table: Table,
        key: i64,
        later: i64,
    ) -> Result<StoreError, StoreError> {
        let what = self.label(table, key)?;
        let why = if later == self.change {
            format!("this change has already changed {what}")
        } else {
            let info = change_info(self.conn, later)?;
            format!(
                "change {later} by {} at {} changed {what} since; undo change {later} first",
                info.author, info.recorded
            )
        };
        Ok(StoreError::UndoRefused { change: n, why })
    }

    /// Refuses to remove row `key` (which change `n` added) while a live relation, or an
    /// entity merged into it, names it.
    fn refuse_in_use(&self, n: i64, table: Table, key: i64) -> Result<(), StoreError> {
        let sql = match table {
            Table::Entity => {
                "SELECT 'relation', key, since_change FROM relation \
                     WHERE subject = ?1 OR object = ?1 OR place = ?1 \
                 UNION ALL SELECT 'entity', key, since_change FROM entity WHERE merged_into = ?1 \
                 LIMIT 1"
            }
            Table::Predicate => {
                "SELECT 'relation', key, since_change FROM relation WHERE predicate = ?1 LIMIT 1"
            }
            Table::Source => {
                "SELECT 'relation', key, since_change FROM relation WHERE source = ?1 LIMIT 1"
            }
            Table::Relation => return Ok(()),
        };
        let user: Option<(String, i64, i64)> = self
            .conn
            .query_row(sql, [key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()
            .map_err(db)?;
        let Some((kind, user_key, since)) = user else {
            return Ok(());
        };
        let what = self.label(table, key)?;
        let user = if kind == "relation" {
            format!("#{user_key}")
        } else {
            self.label(Table::Entity, user_key)?
        };
        let info = change_info(self.conn, since)?;
        Err(StoreError::UndoRefused {
            change: n,
            why: format!(
                "it added {what}, which {user} (change {since} by {} at {}) still names; \
                 undo change {since} first",
                info.author, info.recorded
            ),
        })
    }

    /// How messages name row `key` of `table`: `#412`, or `entity `araghchi``.
    fn label(&self, table: Table, key: i64) -> Result<String, StoreError> {
        if table == Table::Relation {
            return Ok(format!("#{key}"));
        }
        let (current, versions) = (table.current(), table.versions());
        let id: Option<String> = self
            .conn
            .prepare_cached(&format!(
                "SELECT id FROM {current} WHERE key = ?1 \
                 UNION ALL SELECT id FROM {versions} WHERE key = ?1 LIMIT 1"
            ))
            .and_then(|mut stmt| stmt.query_row([key], |r| r.get(0)).optional())
            .map_err(db)?;
        Ok(format!("{} `{}`", table.noun(), id.unwrap_or_default()))
    }
}
