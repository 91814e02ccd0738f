//! When two relation records are the same record.
//!
//! - Ids: a relation's key is its permanent handle `#N`. A record's `id` is kept when no
//!   relation ever had it; an id held by an identical relation means the record is
//!   present; one held by another relation, or by a relation that was retracted or
//!   erased, is an error. Ids at or above the import's next key have never been used, so
//!   an export imported into an empty store costs no lookup per relation.
//! - Symmetric predicates: `B met A` is the relation `A met B`. Each record carries the
//!   fingerprint of its mirror image; for a symmetric predicate an import looks both up,
//!   and stores the smaller of the two, so that the copies a bulk insert removes (equal
//!   fingerprints) include mirror images. A predicate that becomes symmetric during the
//!   import (declared further down) gets the mirror images it was written with folded at
//!   the end, by their fields.

use super::importer::Importer;
use super::record::{Fault, RecordError};
use super::relation::RelationRecord;
use crate::store::db::{dialect, Param};
use crate::store::StoreError;

/// SQL condition: relations `a` and `b` state the same fact with subject and object
/// swapped (every other field equal, NULLs included). Migration 8 folds such pairs of
/// symmetric predicates; `check` reports any left.
/// (`IS NOT DISTINCT FROM`, SQLite's `IS` in SQL both engines take.)
pub(in crate::store) const MIRRORED_SQL: &str = "a.subject = b.object AND a.object = b.subject \
     AND a.predicate = b.predicate AND a.when_text IS NOT DISTINCT FROM b.when_text \
     AND a.from_text IS NOT DISTINCT FROM b.from_text \
     AND a.to_text IS NOT DISTINCT FROM b.to_text AND a.at_text IS NOT DISTINCT FROM b.at_text \
     AND a.status IS NOT DISTINCT FROM b.status AND a.place IS NOT DISTINCT FROM b.place \
     AND a.source IS NOT DISTINCT FROM b.source AND a.quote IS NOT DISTINCT FROM b.quote \
     AND a.note IS NOT DISTINCT FROM b.note AND a.confidence IS NOT DISTINCT FROM b.confidence";

/// The fingerprint a relation is stored with, and the other one to look up: for a
/// symmetric predicate the smaller of its two (as written, mirrored) is stored.
pub(super) fn stored_fingerprint(
    fingerprint: [u8; 16],
    mirror: impl FnOnce() -> [u8; 16],
    symmetric: bool,
) -> ([u8; 16], [u8; 16]) {
    if !symmetric {
        return (fingerprint, fingerprint);
    }
    let mirror = mirror();
    if mirror < fingerprint {
        (mirror, fingerprint)
    } else {
        (fingerprint, mirror)
    }
}

impl<'t> Importer<'t> {
    /// Whether relation `r` may keep id `id`: `Some(id)` when no relation has it and none
    /// ever had it, `None` when an identical relation (in the store or earlier in the
    /// file) has it. An id another relation holds or held is a fault.
    pub(super) fn claim(
        &mut self,
        id: i64,
        r: &RelationRecord,
        symmetric: bool,
    ) -> Result<Option<i64>, RecordError> {
        if id >= self.next_key {
            // Above every key of the store, its versions and this file so far.
            return Ok(Some(id));
        }
        let mirror = symmetric.then(|| r.mirrored());
        let same = |fingerprint: &[u8]| {
            fingerprint == r.fingerprint || mirror.is_some_and(|m| fingerprint == m)
        };
        let taken = |id: i64, first_key: i64| {
            let hint = if id >= first_key {
                " earlier in this file (relations without an id take the next free ids: \
                 give every relation of the file an id, or none)"
            } else {
                ""
            };
            Fault::field(
                "id",
                format!(
                    "id {id} is already the id of another relation{hint}; leave `id` out to \
                     give this relation a new one"
                ),
            )
        };
        // A relation of the store, or one this file staged or wrote into the copy of
        // `relation` (a bulk import's on PostgreSQL: see `super::direct`), may hold it.
        let copied = self.ready_copied_keys()?;
        let holders = [
            ("SELECT fingerprint FROM relation WHERE key = ?1", true),
            (
                "SELECT fingerprint FROM import_relation WHERE key = ?1",
                self.staged > 0,
            ),
            (
                concat!(
                    "SELECT fingerprint FROM ",
                    super::swap::relation_copy!(),
                    " WHERE key = ?1"
                ),
                copied,
            ),
        ];
        // What is staged is read: the rows waiting to be copied go in first.
        self.copy_staged()?;
        for (sql, _) in holders.iter().filter(|(_, may_hold)| *may_hold) {
            let held: Option<Vec<u8>> = self.db.query_opt(sql, &[&id], |row| row.get(0))?;
            if let Some(fingerprint) = held {
                return if same(&fingerprint) {
                    Ok(None)
                } else {
                    Err(taken(id, self.first_key).into())
                };
            }
        }
        if id <= self.max_version_id {
            let used: bool = self.db.query_row(
                "SELECT EXISTS (SELECT 1 FROM relation_version WHERE id = ?1)",
                &[&id],
                |row| row.get(0),
            )?;
            if used {
                return Err(Fault::field(
                    "id",
                    format!(
                        "id {id} was the id of a relation that was retracted or erased, and \
                         ids are never reused; leave `id` out to give this relation a new one"
                    ),
                )
                .into());
            }
        }
        Ok(Some(id))
    }

    /// Removes the relations this import wrote that a relation of a symmetric predicate
    /// already states the other way round, where the write could not look for it: their
    /// predicate became symmetric only later in the file, or they were written without
    /// lookups (a bulk insert, staged relations) into a store that held relations. Keeps
    /// the stored relation, or the first of the file's.
    pub(super) fn fold_mirror_images(&mut self) -> Result<(), StoreError> {
        let stored_before = self.stored_relations > 0;
        let predicates: Vec<i64> = self
            .predicates
            .uses
            .iter()
            .filter(|p| p.symmetric && (p.written_asymmetric || (p.unchecked && stored_before)))
            .map(|p| p.key)
            .collect();
        if predicates.is_empty() {
            return Ok(());
        }
        // The predicates as one list parameter (SQLite's `rarray`, PostgreSQL's array).
        let sql = format!(
            "DELETE FROM relation WHERE key IN (
             SELECT b.key FROM relation b
             WHERE b.key >= ?1 AND b.since_change = ?2 AND {}
               AND b.subject <> b.object
               AND EXISTS (SELECT 1 FROM relation a WHERE {MIRRORED_SQL}
                           AND a.key <> b.key AND (a.key < b.key OR a.since_change <> ?2)))",
            dialect::in_list(self.db.dialect(), "b.predicate", "?3")
        );
        let removed = self
            .db
            .execute(
                &sql,
                &[
                    &self.min_written_key,
                    &self.change,
                    &Param::Ints(&predicates),
                ],
            )
            .map_err(StoreError::db(
                "cannot fold the imported relations of symmetric predicates",
            ))? as u64;
        let counts = &mut self.summary.relations;
        counts.added = counts.added.saturating_sub(removed);
        counts.present += removed;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::import::testing::*;

    const PEOPLE: &str = r#"{"type":"entity","id":"a","kind":"person","name":"Alpha"}
{"type":"entity","id":"b","kind":"person","name":"Beta"}
"#;
    const MET: &str = r#"{"type":"predicate","id":"met","label":"met","symmetric":true}
"#;

    fn rel(subject: &str, object: &str) -> String {
        format!(
            "{{\"type\":\"relation\",\"subject\":\"{subject}\",\"predicate\":\"met\",\"object\":\"{object}\",\"when\":\"2025\"}}\n"
        )
    }

    #[test]
    fn a_symmetric_relation_is_one_record_either_way_round() {
        // Declared first, later in the file, or in the store: one relation each time.
        let cases = [
            format!("{PEOPLE}{MET}{}{}", rel("a", "b"), rel("b", "a")),
            format!("{PEOPLE}{}{}{MET}", rel("a", "b"), rel("b", "a")),
            format!("{}{}{PEOPLE}{MET}", rel("a", "b"), rel("b", "a")),
        ];
        for text in &cases {
            let mut s = store();
            let sum = jsonl(&mut s, text).unwrap();
            assert_eq!(
                (sum.relations.added, sum.relations.present),
                (1, 1),
                "{text}"
            );
            assert_eq!(count(&s, "relation"), 1, "{text}");
            let again = jsonl(&mut s, &format!("{PEOPLE}{MET}{}", rel("b", "a"))).unwrap();
            assert_eq!(again.relations.added, 0, "{text}");
            assert!(s.check().unwrap().is_empty(), "{text}");
        }
        // Not symmetric: two relations.
        let mut s = store();
        let text = format!("{PEOPLE}{}{}", rel("a", "b"), rel("b", "a"));
        assert_eq!(jsonl(&mut s, &text).unwrap().relations.added, 2);
    }

    #[test]
    fn ids_are_kept_and_checked() {
        let mut s = store();
        let with_id = |id: i64, note: &str| {
            format!(
                "{{\"type\":\"relation\",\"id\":{id},\"subject\":\"a\",\"predicate\":\"p\",\"object\":\"b\",\"note\":\"{note}\"}}\n"
            )
        };
        let text = format!("{PEOPLE}{}{}", with_id(7, "x"), with_id(3, "y"));
        jsonl(&mut s, &text).unwrap();
        assert_eq!(
            texts(
                &s,
                "SELECT CAST(key AS TEXT) || note FROM relation ORDER BY key"
            ),
            ["3y", "7x"]
        );
        // The same record again: present. Another record under a taken id: refused.
        assert_eq!(
            jsonl(&mut s, &with_id(7, "x")).unwrap().relations.present,
            1
        );
        let (line, field, reason) = bad(jsonl(&mut s, &with_id(7, "z")).unwrap_err());
        assert_eq!((line, field.as_deref()), (1, Some("id")));
        assert!(
            reason.contains("id 7 is already the id of another relation"),
            "{reason}"
        );
        // A relation without an id goes above every id, retracted ones included.
        s.connection()
            .execute_batch(
                "INSERT INTO relation_version (id, since_change, until_change, erased)
                 VALUES (20, 1, 1, 1)",
            )
            .unwrap();
        let none = r#"{"type":"relation","subject":"a","predicate":"p","object":"b","note":"n"}"#;
        jsonl(&mut s, none).unwrap();
        assert_eq!(
            texts(
                &s,
                "SELECT CAST(key AS TEXT) FROM relation WHERE note = 'n'"
            ),
            ["21"]
        );
        let (_, _, reason) = bad(jsonl(&mut s, &with_id(20, "w")).unwrap_err());
        assert!(reason.contains("retracted or erased"), "{reason}");
        // A free id below the others is kept; zero is no id.
        jsonl(&mut s, &with_id(5, "v")).unwrap();
        assert_eq!(
            texts(
                &s,
                "SELECT CAST(key AS TEXT) FROM relation WHERE note = 'v'"
            ),
            ["5"]
        );
        let (_, field, _) = bad(jsonl(&mut s, &with_id(0, "u")).unwrap_err());
        assert_eq!(field.as_deref(), Some("id"));
    }

    #[test]
    fn an_id_given_twice_in_a_file_is_refused_even_when_staged() {
        let mut s = store();
        let text = format!(
            "{PEOPLE}{}\n{}\n{}\n",
            r#"{"type":"relation","id":4,"subject":"later","predicate":"p","object":"b"}"#,
            r#"{"type":"relation","id":4,"subject":"a","predicate":"p","object":"b"}"#,
            r#"{"type":"entity","id":"later","kind":"person","name":"Later"}"#
        );
        let (line, field, _) = bad(jsonl(&mut s, &text).unwrap_err());
        assert_eq!((line, field.as_deref()), (4, Some("id")));
    }
}
