//! The versions an import ends. Schema 8 keeps a row's current version where queries read
//! it and moves a version that a later change replaces to its `*_version` table, with the
//! change that ended it. An import replaces versions of two kinds of rows: an entity that
//! gains names, and an undeclared predicate that a record declares. A row the import
//! itself wrote (its `since_change` is the import's change) has no earlier version to keep.

use super::importer::Importer;
use super::record::RecordError;
use crate::store::write::kept_names_json;

impl<'t> Importer<'t> {
    /// Keeps entity `key` as it is now (its names, weak aliases too, as writes keep them:
    /// [`kept_names_json`]) as a version ended by this import, which becomes the change
    /// of its current version.
    pub(super) fn keep_entity_version(&mut self, key: i64) -> Result<(), RecordError> {
        let names = kept_names_json(self.db, key)?;
        self.db.execute(
            "INSERT INTO entity_version (key, since_change, until_change, id, kind, name,
                 note, merged_into, aliases)
             SELECT e.key, e.since_change, ?2, e.id, e.kind, e.name, e.note, e.merged_into, ?3
             FROM entity e WHERE e.key = ?1",
            &[&key, &self.change, &names],
        )?;
        self.db.execute(
            "UPDATE entity SET since_change = ?2 WHERE key = ?1",
            &[&key, &self.change],
        )?;
        Ok(())
    }

    /// Keeps predicate `key` as it is now as a version ended by this import (the caller
    /// writes its new version).
    pub(super) fn keep_predicate_version(&mut self, key: i64) -> Result<(), RecordError> {
        // `symmetric` quoted: a reserved word in PostgreSQL.
        self.db.execute(
            "INSERT INTO predicate_version (key, since_change, until_change, id, label,
                 \"symmetric\", description, declared)
             SELECT key, since_change, ?2, id, label, \"symmetric\", description, declared
             FROM predicate WHERE key = ?1",
            &[&key, &self.change],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::import::testing::*;

    #[test]
    fn declaring_a_predicate_made_by_an_earlier_import_keeps_its_undeclared_version() {
        let mut s = store();
        let rel = r#"{"type":"relation","subject":"a","predicate":"met","object":"b"}"#;
        let first = jsonl(&mut s, &format!("{BASE}{rel}\n")).unwrap();
        let second = jsonl(
            &mut s,
            r#"{"type":"predicate","id":"met","label":"met with","symmetric":true}"#,
        )
        .unwrap();
        let (one, two) = (first.change.unwrap(), second.change.unwrap());
        assert_eq!(two, one + 1);
        assert_eq!(
            texts(
                &s,
                "SELECT since_change || '-' || until_change || '-' || declared || '-' || symmetric
                 FROM predicate_version"
            ),
            [format!("{one}-{two}-0-0")]
        );
        assert_eq!(
            texts(
                &s,
                "SELECT CAST(since_change AS TEXT) FROM predicate WHERE id = 'met'"
            ),
            [two.to_string()]
        );
    }
}
