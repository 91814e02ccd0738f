//! `undo`: a new change that puts back, for every row a change touched, the version that
//! change replaced — removing what it added, restoring what it removed — the same way for
//! the four versioned tables, so that an import's change is undone like a statement's.
//! A change whose rows a later change touched again cannot be undone (the later one
//! first); an undo is undone like any change (which applies the original again).

use super::relation::RowAt;
use super::versions::{change_info, Table};
use super::{db, WriteReport, Writer};
use crate::store::db::dialect;
use crate::store::StoreError;

/// What undoing a change does to one row.
struct Step {
    table: Table,
    key: i64,
    /// The change that made the version the undone change replaced or removed (`None`:
    /// the undone change added the row).
    before: Option<i64>,
    /// True when the row is current (as the undone change left it).
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
        change_info(self.db, n)?;
        self.refuse_undone_or_erasing(n)?;
        let mut steps = Vec::new();
        for table in Table::ALL {
            for key in self.touched(table, n)? {
                if let Some(later) = self.later_change(table, key, n)? {
                    return Err(self.changed_since(n, table, key, later)?);
                }
                let before = self.before(table, key, n)?;
                // With no later change in force, a current row holds what `n` left.
                let after = self.since(table, key)?.is_some();
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
        let defer = |on| dialect::defer_foreign_keys(self.db.dialect(), on);
        self.db.execute_batch(defer(true)).map_err(db)?;
        let result = self.apply_steps(n, &steps);
        self.db.execute_batch(defer(false)).map_err(db)?;
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
                (count > 0).then(|| t.counted(count))
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
                self.refuse_taken_id(n, s.table, s.key, before)?;
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
        // Entity versions kept before weak aliases were versioned do not keep them: those
        // an `alias … weak` of that time added go by the change that added them.
        self.db
            .execute("DELETE FROM weak_alias WHERE added_by = ?1", &[&n])
            .map_err(db)?;
        Ok(())
    }

    /// The latest change that is not an undo and whose work is in force (not undone, or
    /// undone and re-done).
    fn latest_undoable(&self) -> Result<Option<i64>, StoreError> {
        let candidates: Vec<i64> = self
            .db
            .query_map(
                "SELECT id FROM change WHERE id < ?1 AND undoes IS NULL ORDER BY id DESC",
                &[&self.change],
                |r| r.get(0),
            )
            .map_err(db)?;
        for change in candidates {
            if self.undone_by(change)?.is_none() {
                return Ok(Some(change));
            }
        }
        Ok(None)
    }

    /// The undo that reverted change `n`, if that undo is itself in force (an undo that was
    /// undone re-applied `n`).
    fn undone_by(&self, n: i64) -> Result<Option<i64>, StoreError> {
        let mut undos: Vec<i64> = Vec::new();
        let mut at = n;
        // Each undo of the chain undoes the one before: n, its undo, the undo of that, …
        loop {
            let undo: Option<i64> = self
                .db
                .query_row(
                    "SELECT min(id) FROM change WHERE undoes = ?1 AND id <> ?2",
                    &[&at, &self.change],
                    |r| r.get(0),
                )
                .map_err(db)?;
            match undo {
                Some(u) if !undos.contains(&u) => {
                    undos.push(u);
                    at = u;
                }
                _ => break,
            }
        }
        // An odd number of undos leaves `n` undone.
        Ok((undos.len() % 2 == 1).then(|| undos[0]))
    }

    /// Refuses a change that was undone already, and one that erased a relation (whose
    /// content is gone).
    fn refuse_undone_or_erasing(&self, n: i64) -> Result<(), StoreError> {
        if let Some(u) = self.undone_by(n)? {
            let info = change_info(self.db, u)?;
            return Err(StoreError::UndoRefused {
                change: n,
                why: format!(
                    "change {u} by {} at {} undid it already (`undo change {u}` applies it again)",
                    info.author, info.recorded
                ),
            });
        }
        let erased: Option<i64> = self
            .db
            .query_opt(
                "SELECT id FROM relation_version WHERE until_change = ?1 AND erased = 1 \
                 ORDER BY id LIMIT 1",
                &[&n],
                |r| r.get(0),
            )
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
            .db
            .query_row(
                "SELECT undoes FROM change WHERE id = ?1",
                &[&self.change],
                |r| r.get(0),
            )
            .map_err(db)?;
        match undoes {
            Some(m) if m != n => Err(StoreError::Refused(format!(
                "this change undoes change {m} already; a change undoes one change: commit \
                 this one, then undo change {n}"
            ))),
            _ => self
                .db
                .execute(
                    "UPDATE change SET undoes = ?2 WHERE id = ?1",
                    &[&self.change, &n],
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
        self.db
            .query_map(
                &format!(
                    "SELECT key FROM {current} WHERE since_change = ?1 \
                 UNION SELECT {vkey} FROM {versions} WHERE until_change = ?1{kept} \
                 UNION SELECT {vkey} FROM {versions} WHERE since_change = ?1{kept} ORDER BY 1"
                ),
                &[&n],
                |r| r.get(0),
            )
            .map_err(db)
    }

    /// The first change after `n` that touched row `key` (made, replaced or removed a
    /// version of it) and whose work is still in force: a later change and the undo of
    /// it cancel out (the undo put back what the later change found, which is what `n`
    /// left), so an undone and re-done change does not block undoing an earlier one.
    fn later_change(&self, table: Table, key: i64, n: i64) -> Result<Option<i64>, StoreError> {
        let (current, versions, vkey) = (table.current(), table.versions(), table.version_key());
        let later: Vec<(i64, Option<i64>)> = self
            .db
            .query_map(
                &format!(
                    "SELECT c.id, c.undoes FROM change c WHERE c.id IN ( \
                     SELECT since_change FROM {current} WHERE key = ?1 AND since_change > ?2 \
                     UNION SELECT since_change FROM {versions} \
                         WHERE {vkey} = ?1 AND since_change > ?2 \
                     UNION SELECT until_change FROM {versions} \
                         WHERE {vkey} = ?1 AND until_change > ?2) \
                 ORDER BY c.id"
                ),
                &[&key, &n],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(db)?;
        let mut in_force: Vec<i64> = Vec::with_capacity(later.len());
        for (change, undoes) in later {
            match undoes.and_then(|u| in_force.iter().position(|&c| c == u)) {
                Some(i) => {
                    in_force.remove(i);
                }
                None => in_force.push(change),
            }
        }
        Ok(in_force.first().copied())
    }

    /// The change that made the version of row `key` that change `n` replaced or removed.
    fn before(&self, table: Table, key: i64, n: i64) -> Result<Option<i64>, StoreError> {
        let (versions, vkey) = (table.versions(), table.version_key());
        self.db
            .query_opt(
                &format!(
                    "SELECT since_change FROM {versions} \
                 WHERE {vkey} = ?1 AND until_change = ?2 AND since_change < ?2"
                ),
                &[&key, &n],
                |r| r.get(0),
            )
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
            let info = change_info(self.db, later)?;
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
        // The relation with the smallest key first, then an entity merged into it: the
        // same one on both engines.
        let sql = match table {
            Table::Entity => {
                "SELECT kind, key, since FROM ( \
                     SELECT 'relation' AS kind, key, since_change AS since, 0 AS rank \
                         FROM relation WHERE subject = ?1 OR object = ?1 OR place = ?1 \
                     UNION ALL SELECT 'entity', key, since_change, 1 FROM entity \
                         WHERE merged_into = ?1) AS users \
                 ORDER BY rank, key LIMIT 1"
            }
            Table::Predicate => {
                "SELECT 'relation', key, since_change FROM relation WHERE predicate = ?1 \
                 ORDER BY key LIMIT 1"
            }
            Table::Source => {
                "SELECT 'relation', key, since_change FROM relation WHERE source = ?1 \
                 ORDER BY key LIMIT 1"
            }
            Table::Relation => return Ok(()),
        };
        let user: Option<(String, i64, i64)> = self
            .db
            .query_opt(sql, &[&key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
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
        let info = change_info(self.db, since)?;
        Err(StoreError::UndoRefused {
            change: n,
            why: format!(
                "it added {what}, which {user} (change {since} by {} at {}) still names; \
                 undo change {since} first",
                info.author, info.recorded
            ),
        })
    }

    /// Refuses to bring back a version of row `key` (made by change `since`) whose id
    /// another row of the table has now (added after an undo removed this one).
    fn refuse_taken_id(
        &self,
        n: i64,
        table: Table,
        key: i64,
        since: i64,
    ) -> Result<(), StoreError> {
        let (current, versions) = (table.current(), table.versions());
        let taken: Option<(String, i64)> = self
            .db
            .query_opt(
                &format!(
                    "SELECT c.id, c.since_change FROM {current} c \
                 JOIN {versions} v ON v.id = c.id AND v.key = ?1 AND v.since_change = ?2 \
                 WHERE c.key <> ?1"
                ),
                &[&key, &since],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(db)?;
        let Some((id, by)) = taken else {
            return Ok(());
        };
        let info = change_info(self.db, by)?;
        Err(StoreError::UndoRefused {
            change: n,
            why: format!(
                "it would bring back {} `{id}`, but another {} has that id since change {by} \
                 (by {} at {})",
                table.noun(),
                table.noun(),
                info.author,
                info.recorded
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
            .db
            .query_opt(
                &format!(
                    "SELECT id FROM {current} WHERE key = ?1 \
                 UNION ALL SELECT id FROM {versions} WHERE key = ?1 LIMIT 1"
                ),
                &[&key],
                |r| r.get(0),
            )
            .map_err(db)?;
        Ok(format!("{} `{}`", table.noun(), id.unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use crate::store::write::testing::*;

    /// BASE, plus c visited b (#3, as #1 once c is a), a relation placed at c (#4), and an
    /// undeclared predicate.
    fn data() -> String {
        format!(
            "{BASE}{}\n{}\n{}\n",
            r#"{"type":"relation","subject":"c","predicate":"visited","object":"b","when":"2025-04","source":"s1"}"#,
            r#"{"type":"relation","subject":"d","predicate":"met","object":"a","place":"c"}"#,
            r#"{"type":"relation","subject":"d","predicate":"praised","object":"a"}"#
        )
    }

    fn store() -> Store {
        store_with(&data())
    }

    #[test]
    fn undo_of_every_kind_of_write_restores_the_rows_exactly() {
        every_kind_of_write_is_undone_exactly(store, true);
    }

    #[test]
    fn undo_of_every_kind_of_write_restores_the_rows_exactly_on_postgres() {
        if let Some(server) = crate::store::pg_server::server() {
            let store = || store_added(Engine::Postgres(server), &data());
            // (The store's checks are the reading side's to port; the snapshots compare.)
            every_kind_of_write_is_undone_exactly(store, false);
        }
    }

    fn every_kind_of_write_is_undone_exactly(store: impl Fn() -> Store, check: bool) {
        let cases: Vec<(&str, Vec<WriteOp>)> = vec![
            (
                "add relation",
                vec![add(
                    r#"{"type":"relation","subject":"c","predicate":"met","object":"d","status":"planned"}"#,
                )],
            ),
            (
                "add with a new predicate",
                vec![add(
                    r#"{"type":"relation","subject":"c","predicate":"hosted","object":"d"}"#,
                )],
            ),
            (
                "add entity",
                vec![add(
                    r#"{"type":"entity","id":"e","kind":"person","name":"Epsilon","aliases":["Eps"]}"#,
                )],
            ),
            (
                "add predicate",
                vec![add(
                    r#"{"type":"predicate","id":"hosted","symmetric":true}"#,
                )],
            ),
            (
                "declare predicate",
                vec![add(
                    r#"{"type":"predicate","id":"praised","label":"praised"}"#,
                )],
            ),
            (
                "add source",
                vec![add(
                    r#"{"type":"source","id":"s2","title":"Two","published":"2025"}"#,
                )],
            ),
            ("alias", vec![alias("a", &["Al"])]),
            ("unalias", vec![unalias("a", &["Alef"])]),
            ("rename", vec![rename("a", "Alef")]),
            (
                "correct",
                vec![correct(
                    1,
                    r#"{"at":"2025-04-02","object":"d","source":null}"#,
                )],
            ),
            ("retract", vec![retract(&[1, 2])]),
            ("merge", vec![merge("c", "a")]),
            (
                "several at once",
                vec![
                    add(r#"{"type":"entity","id":"e","kind":"person","name":"Epsilon"}"#),
                    add(r#"{"type":"relation","subject":"e","predicate":"met","object":"d"}"#),
                    correct(1, r#"{"note":"n"}"#),
                    correct(1, r#"{"note":"m"}"#),
                    retract(&[2]),
                    rename("e", "Eps"),
                ],
            ),
        ];
        for (name, ops) in cases {
            let mut s = store();
            let before = snapshot(&s);
            let made = change(&mut s, &ops).unwrap().unwrap();
            let after = snapshot(&s);
            assert_ne!(after, before, "{name}");
            let r = write(&mut s, undo(None)).unwrap();
            assert!(
                r.messages[0].starts_with(&format!("undid change {made} (")),
                "{name}: {:?}",
                r.messages
            );
            assert_eq!(snapshot(&s), before, "{name}");
            assert_eq!(
                one(&s, "SELECT undoes FROM change ORDER BY id DESC LIMIT 1"),
                made
            );
            // Undoing the undo applies the change again.
            let undoing = one(&s, "SELECT max(id) FROM change");
            write(&mut s, undo(Some(undoing))).unwrap();
            assert_eq!(snapshot(&s), after, "{name}: redo");
            if check {
                assert!(s.check().unwrap().is_empty(), "{name}");
            }
        }
    }

    #[test]
    fn unmerge_and_an_import_undo_too() {
        unmerge_and_the_first_change_undo(store());
    }

    #[test]
    fn unmerge_and_the_first_change_undo_on_postgres() {
        if let Some(server) = crate::store::pg_server::server() {
            unmerge_and_the_first_change_undo(store_added(Engine::Postgres(server), &data()));
        }
    }

    fn unmerge_and_the_first_change_undo(mut s: Store) {
        write(&mut s, merge("c", "a")).unwrap();
        let before = snapshot(&s);
        write(&mut s, unmerge("c")).unwrap();
        assert_ne!(snapshot(&s), before);
        write(&mut s, undo(None)).unwrap();
        assert_eq!(snapshot(&s), before);
        // The unmerge (3) and its undo (4) cancel out: the merge (2) can be undone. The
        // first change holds the import: undoing it empties the store.
        write(&mut s, undo(Some(2))).unwrap();
        write(&mut s, undo(Some(1))).unwrap();
        assert_eq!(snapshot(&s), Vec::<String>::new());
        let r = write(&mut s, undo(None)).unwrap();
        assert_eq!(r.messages, ["nothing to undo"]);
    }

    #[test]
    fn undo_refuses_what_a_later_change_touched() {
        let mut s = store();
        write(&mut s, correct(1, r#"{"note":"first"}"#)).unwrap();
        s.begin_change(ChangeMeta::new("bob", Origin::Repl))
            .unwrap();
        s.write(&correct(1, r#"{"note":"second"}"#), None).unwrap();
        s.commit_change().unwrap();
        let err = write(&mut s, undo(Some(2))).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("change 2 cannot be undone: change 3 by bob at "),
            "{text}"
        );
        assert!(
            text.contains("changed #1 since; undo change 3 first"),
            "{text}"
        );
        assert_eq!(err.exit_code(), 2);
        write(&mut s, undo(Some(3))).unwrap();
        // Change 3 is undone: undo picks change 2 now.
        write(&mut s, undo(None)).unwrap();
        assert_eq!(rows(&s, "SELECT note FROM relation WHERE key = 1"), ["∅"]);
        let err = write(&mut s, undo(Some(2))).unwrap_err();
        assert!(err.to_string().contains("change 5 by tester at"), "{err}");
        let err = write(&mut s, undo(Some(99))).unwrap_err();
        assert!(matches!(err, StoreError::NoSuchChange { change: 99 }));
    }

    #[test]
    fn undo_refuses_to_remove_what_is_still_named_or_erased() {
        let mut s = store();
        write(
            &mut s,
            add(r#"{"type":"entity","id":"e","kind":"person","name":"Epsilon"}"#),
        )
        .unwrap();
        write(
            &mut s,
            add(r#"{"type":"relation","subject":"e","predicate":"met","object":"d"}"#),
        )
        .unwrap();
        let err = write(&mut s, undo(Some(2))).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("it added entity `e`, which #6 (change 3 by tester at"),
            "{text}"
        );
        write(&mut s, WriteOp::Erase { id: 6 }).unwrap();
        let err = write(&mut s, undo(None)).unwrap_err();
        assert!(err.to_string().contains("it erased #6"), "{err}");
        // The erased relation is gone for good: the entity can go now.
        write(&mut s, undo(Some(2))).unwrap();
        assert_eq!(one(&s, "SELECT count(*) FROM entity WHERE id = 'e'"), 0);
        // A retracted relation that would come back identical to a live one.
        write(&mut s, retract(&[2])).unwrap();
        let retracted = one(&s, "SELECT max(id) FROM change");
        write(
            &mut s,
            add(r#"{"type":"relation","subject":"c","predicate":"met","object":"a"}"#),
        )
        .unwrap();
        let err = write(&mut s, undo(Some(retracted))).unwrap_err();
        assert!(
            err.to_string()
                .contains("bring #2 back, and #7 says the same"),
            "{err}"
        );
    }

    #[test]
    fn undo_refuses_to_bring_back_an_id_taken_since() {
        let mut s = store();
        write(&mut s, add(r#"{"type":"source","id":"s2","title":"Two"}"#)).unwrap();
        write(&mut s, undo(None)).unwrap();
        write(
            &mut s,
            add(r#"{"type":"source","id":"s2","title":"Other"}"#),
        )
        .unwrap();
        let err = write(&mut s, undo(Some(3))).unwrap_err();
        assert!(
            err.to_string()
                .contains("bring back source `s2`, but another source has that id since change 4"),
            "{err}"
        );
    }

    #[test]
    fn one_change_undoes_one_change() {
        let mut s = store();
        write(&mut s, retract(&[1])).unwrap();
        write(&mut s, retract(&[2])).unwrap();
        begin(&mut s);
        s.write(&undo(Some(3)), None).unwrap();
        let err = s.write(&undo(Some(2)), None).unwrap_err();
        assert!(err.to_string().contains("undoes change 3 already"), "{err}");
        let err = s.write(&undo(Some(4)), None).unwrap_err();
        assert!(err.to_string().contains("the change being made"), "{err}");
        assert_eq!(s.commit_change().unwrap(), Some(4));
        assert_eq!(one(&s, "SELECT count(*) FROM relation"), 4);
    }
}
