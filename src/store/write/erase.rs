//! `erase #id`: the only physical delete. A relation's content leaves the store for good
//! (every version of it, and the statements that wrote them, which may quote it); history
//! keeps one tombstone with the change that first had it and the change that erased it.

use super::{db, WriteReport, Writer};
use crate::store::db::Dialect;
use crate::store::StoreError;

impl Writer<'_> {
    /// `erase #id`: the relation's content leaves the store for good, every version of it
    /// included; one tombstone (no content) keeps the change that had it first and this
    /// one.
    pub(super) fn erase(&self, id: i64) -> Result<WriteReport, StoreError> {
        let (first, content): (Option<i64>, i64) = self
            .db
            .query_row(
                "SELECT min(since), sum(content) FROM ( \
                     SELECT since_change AS since, 1 AS content FROM relation WHERE key = ?1 \
                     UNION ALL \
                     SELECT since_change, 1 - erased FROM relation_version WHERE id = ?1) AS v",
                &[&id],
                |r| Ok((r.get(0)?, r.get::<Option<i64>>(1)?.unwrap_or(0))),
            )
            .map_err(db)?;
        let Some(first) = first else {
            return Err(StoreError::NoSuchRelation { id });
        };
        if content == 0 {
            return Ok(WriteReport::said(format!(
                "#{id} is already erased; nothing changed"
            )));
        }
        // The statements that wrote its versions may quote its content: they go too.
        let quoting: Vec<i64> = self
            .db
            .query_map(
                "SELECT id FROM change WHERE statement IS NOT NULL AND id IN ( \
                     SELECT since_change FROM relation WHERE key = ?1 \
                     UNION SELECT since_change FROM relation_version WHERE id = ?1 AND erased = 0) \
                 ORDER BY id",
                &[&id],
                |r| r.get(0),
            )
            .map_err(db)?;
        if self.db.dialect() == Dialect::Sqlite {
            // SQLite overwrites what it deletes with zeros instead of leaving it in free
            // pages.
            let secure: i64 = self
                .db
                .query_row("PRAGMA secure_delete", &[], |r| r.get(0))
                .map_err(db)?;
            self.db
                .execute_batch("PRAGMA secure_delete = ON")
                .map_err(db)?;
            let deleted = self.delete_content(id, &quoting);
            self.db
                .execute_batch(&format!("PRAGMA secure_delete = {}", secure.clamp(0, 2)))
                .map_err(db)?;
            deleted?;
        } else {
            // PostgreSQL keeps deleted rows until VACUUM reclaims them, which cannot run
            // inside the change's transaction; autovacuum does it soon after.
            self.delete_content(id, &quoting)?;
        }
        self.db
            .execute(
                "INSERT INTO relation_version (id, since_change, until_change, erased) \
                 VALUES (?1, ?2, ?3, 1)",
                &[&id, &first, &self.change],
            )
            .map_err(db)?;
        let mut report = WriteReport::changed(format!("erased #{id}"), vec![id]);
        if !quoting.is_empty() {
            let changes: Vec<String> = quoting.iter().map(i64::to_string).collect();
            report.messages.push(format!(
                "the statements of change(s) {} could quote it and were erased too",
                changes.join(", ")
            ));
        }
        Ok(report)
    }

    /// Deletes every version of relation `id` and the statements of changes `quoting`.
    fn delete_content(&self, id: i64, quoting: &[i64]) -> Result<(), StoreError> {
        for sql in [
            "DELETE FROM relation WHERE key = ?1",
            "DELETE FROM relation_version WHERE id = ?1",
        ] {
            self.db.execute(sql, &[&id]).map_err(db)?;
        }
        for change in quoting {
            self.db
                .execute(
                    "UPDATE change SET statement = NULL WHERE id = ?1",
                    &[&change],
                )
                .map_err(db)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::write::testing::*;

    #[test]
    fn erase_leaves_a_tombstone_and_no_content() {
        let mut s = store_with(BASE);
        write(&mut s, retract(&[1])).unwrap();
        s.connection()
            .execute(
                "UPDATE change SET statement = 'add a visited b quote \"secret\"' WHERE id = 1",
                [],
            )
            .unwrap();
        let r = write(&mut s, WriteOp::Erase { id: 1 }).unwrap();
        assert_eq!(
            r.messages,
            [
                "erased #1",
                "the statements of change(s) 1 could quote it and were erased too"
            ]
        );
        assert_eq!(rows(&s, "SELECT statement FROM change WHERE id = 1"), ["∅"]);
        assert_eq!(
            rows(&s, "SELECT id, since_change, until_change, erased, subject, when_text FROM relation_version WHERE id = 1"),
            ["1|1|3|1|∅|∅"]
        );
        let again = write(&mut s, WriteOp::Erase { id: 1 }).unwrap();
        assert_eq!(again.messages, ["#1 is already erased; nothing changed"]);
        let err = write(&mut s, correct(1, r#"{"note":"x"}"#)).unwrap_err();
        assert!(err.to_string().contains("it was erased by tester"), "{err}");
    }
}
