//! The SQL that writes relations, and the staging table for relations that name ids
//! defined later in the file: staging them, then checking and writing them at the end.

use rusqlite::{params, OptionalExtension};

use super::importer::Importer;
use super::record::{Fault, RecordError};
use super::relation::{bound_columns, RelationRecord};
use crate::store::StoreError;

/// The staging table for relations, then its index of keys (one statement each, so that
/// both stay compiled in the connection's cache): their fields as written, with the
/// file's line numbers, resolved to keys at the end of the file. Emptied
/// ([`EMPTY_STAGE_SQL`]) at the start (a rolled back import leaves it empty too) and at
/// the end of each import.
pub(super) const STAGE_SQL: [&str; 2] = [
    "CREATE TEMP TABLE IF NOT EXISTS import_relation (
    line        INTEGER PRIMARY KEY,
    key         INTEGER NOT NULL,
    subject     TEXT NOT NULL,
    predicate   TEXT NOT NULL,
    object      TEXT NOT NULL,
    when_text   TEXT,
    from_text   TEXT,
    to_text     TEXT,
    at_text     TEXT,
    start_lo    INTEGER,
    start_hi    INTEGER,
    end_lo      INTEGER,
    end_hi      INTEGER,
    status      TEXT NOT NULL,
    place       TEXT,
    source      TEXT,
    quote       TEXT,
    note        TEXT,
    confidence  REAL,
    fingerprint BLOB NOT NULL,
    mirror      BLOB NOT NULL,
    since_change INTEGER NOT NULL
)",
    "CREATE INDEX IF NOT EXISTS temp.import_relation_key ON import_relation(key)",
];

/// Empties the staging table.
pub(super) const EMPTY_STAGE_SQL: &str = "DELETE FROM temp.import_relation";

const STAGE_RELATION_SQL: &str = "
INSERT INTO temp.import_relation(line, key, subject, predicate, object, when_text, from_text,
    to_text, at_text, start_lo, start_hi, end_lo, end_hi, status, place, source, quote, note,
    confidence, fingerprint, mirror, since_change)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
    ?20, ?21, ?22)";

/// The columns of a relation row, in the order of the parameters below.
macro_rules! relation_columns {
    () => {
        "INSERT INTO relation(key, subject, predicate, object, when_text, from_text, to_text,
    at_text, start_lo, start_hi, end_lo, end_hi, status, place, source, quote, note,
    confidence, fingerprint, since_change)"
    };
}

/// Writes one relation (its key and every column) unless one with the same fingerprint is
/// stored.
pub(super) const INSERT_RELATION_SQL: &str = concat!(
    relation_columns!(),
    "
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
    ?20
WHERE NOT EXISTS (SELECT 1 FROM relation WHERE fingerprint = ?19)"
);

/// Writes one relation of a symmetric predicate unless it is stored either way round:
/// `?19` is the fingerprint it is stored with, `?21` the other (see
/// [`super::identity::stored_fingerprint`]).
pub(super) const INSERT_SYMMETRIC_RELATION_SQL: &str = concat!(
    relation_columns!(),
    "
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
    ?20
WHERE NOT EXISTS (SELECT 1 FROM relation WHERE fingerprint IN (?19, ?21))"
);

/// Writes one relation during a bulk insert, when the fingerprint index is dropped: the
/// copies are removed once the index is built again (see [`Importer::rebuild_indexes`]).
pub(super) const BULK_INSERT_RELATION_SQL: &str = concat!(
    relation_columns!(),
    "
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
    ?20)"
);

/// Writes the staged relations whose ids all resolve, in line order: `$from` gives the
/// staged rows (as `st`), `$filter` which of them are written. A relation of a symmetric
/// predicate is stored with the smaller of its two fingerprints.
macro_rules! insert_staged_sql {
    ($from:literal, $filter:literal) => {
        concat!(
            relation_columns!(),
            "
SELECT st.key, s.key, p.key, o.key, st.when_text, st.from_text, st.to_text, st.at_text,
    st.start_lo, st.start_hi, st.end_lo, st.end_hi, st.status, pl.key, so.key, st.quote,
    st.note, st.confidence,
    CASE WHEN p.symmetric = 1 THEN min(st.fingerprint, st.mirror) ELSE st.fingerprint END,
    st.since_change
FROM ",
            $from,
            " st
CROSS JOIN entity s ON s.id = st.subject
CROSS JOIN predicate p ON p.id = st.predicate
CROSS JOIN entity o ON o.id = st.object
LEFT JOIN entity pl ON pl.id = st.place
LEFT JOIN source so ON so.id = st.source
WHERE ",
            $filter,
            "
ORDER BY st.line"
        )
    };
}

/// Writes the staged relations not stored yet (for a symmetric predicate, either way
/// round), the first of the file's copies of each.
const INSERT_STAGED_SQL: &str = insert_staged_sql!(
    "(SELECT i.*, row_number() OVER (
          PARTITION BY CASE WHEN q.symmetric = 1 THEN min(i.fingerprint, i.mirror)
                            ELSE i.fingerprint END
          ORDER BY i.line) AS copy
      FROM temp.import_relation i JOIN predicate q ON q.id = i.predicate)",
    "st.copy = 1 AND NOT EXISTS (SELECT 1 FROM relation r WHERE r.fingerprint IN
         (st.fingerprint, CASE WHEN p.symmetric = 1 THEN st.mirror ELSE st.fingerprint END))"
);

/// Writes every staged relation during a bulk insert (copies are removed afterwards).
const BULK_INSERT_STAGED_SQL: &str = insert_staged_sql!("temp.import_relation", "true");

impl<'t> Importer<'t> {
    /// Stages a relation that names an id not seen yet, with its line, key and change.
    pub(super) fn stage(
        &mut self,
        r: &RelationRecord,
        line: u64,
        key: i64,
        since: i64,
    ) -> Result<(), RecordError> {
        let [start_lo, start_hi, end_lo, end_hi] = bound_columns(r.bounds);
        let line = i64::try_from(line).unwrap_or(i64::MAX);
        self.tx
            .prepare_cached(STAGE_RELATION_SQL)?
            .execute(params![
                line,
                key,
                r.subject,
                r.predicate,
                r.object,
                r.time.when,
                r.time.from,
                r.time.to,
                r.time.at,
                start_lo,
                start_hi,
                end_lo,
                end_hi,
                r.status,
                r.place,
                r.source,
                r.quote,
                r.note,
                r.confidence,
                &r.fingerprint[..],
                &r.mirrored()[..],
                since,
            ])?;
        Ok(())
    }

    /// Inserts the staged relations; returns how many were new. During a bulk insert
    /// (the fingerprint index dropped) every staged relation is written and the copies
    /// are removed afterwards.
    pub(super) fn insert_staged(&self) -> Result<u64, StoreError> {
        let tx = self.tx;
        let unresolved: Option<(i64, String, String)> = tx
            .query_row(
                "SELECT st.line,
                        CASE WHEN s.key IS NULL THEN 'subject'
                             WHEN o.key IS NULL THEN 'object'
                             WHEN st.place IS NOT NULL AND pl.key IS NULL THEN 'place'
                             ELSE 'source' END AS field,
                        CASE WHEN s.key IS NULL THEN st.subject
                             WHEN o.key IS NULL THEN st.object
                             WHEN st.place IS NOT NULL AND pl.key IS NULL THEN st.place
                             ELSE st.source END AS id
                 FROM temp.import_relation st
                 LEFT JOIN entity s ON s.id = st.subject
                 LEFT JOIN entity o ON o.id = st.object
                 LEFT JOIN entity pl ON pl.id = st.place
                 LEFT JOIN source so ON so.id = st.source
                 WHERE s.key IS NULL OR o.key IS NULL
                    OR (st.place IS NOT NULL AND pl.key IS NULL)
                    OR (st.source IS NOT NULL AND so.key IS NULL)
                 ORDER BY st.line LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(StoreError::sqlite(
                "cannot check the ids of the imported relations",
            ))?;
        if let Some((line, field, id)) = unresolved {
            let what = if field == "source" {
                "source"
            } else {
                "entity"
            };
            return Err(self.bad(
                u64::try_from(line).unwrap_or(0),
                None,
                Fault::field(
                    &field,
                    format!(
                        "unknown {what} id `{id}`: no {what} with that id is in the store or in \
                         this file; add a `{what}` record for it or correct the id"
                    ),
                ),
            ));
        }

        let sql = if self.dropped_indexes.is_some() {
            BULK_INSERT_STAGED_SQL
        } else {
            INSERT_STAGED_SQL
        };
        tx.execute(sql, [])
            .map(|n| n as u64)
            .map_err(StoreError::sqlite("cannot insert the imported relations"))
    }
}

#[cfg(test)]
mod tests {
    use crate::store::import::testing::*;
    use crate::time;

    #[test]
    fn relation_may_name_entities_defined_later() {
        let mut s = store();
        let text = r#"{"type":"relation","subject":"x","predicate":"visited","object":"y","when":"2025-04"}
{"type":"entity","id":"x","kind":"person","name":"X"}
{"type":"entity","id":"y","kind":"city","name":"Y"}
"#;
        let sum = jsonl(&mut s, text).unwrap();
        assert_eq!(
            sum.relations,
            RecordCounts {
                added: 1,
                present: 0
            }
        );
        assert_eq!(sum.new_predicates, vec!["visited".to_string()]);
        let (lo, hi): (i64, i64) = s
            .connection()
            .query_row("SELECT start_lo, end_hi FROM relation", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(Some(lo), time::day_from_ymd(2025, 4, 1));
        assert_eq!(Some(hi), time::day_from_ymd(2025, 4, 30));
    }

    #[test]
    fn staged_relations_of_a_refused_or_dry_run_import_stay_behind() {
        // The staging table outlives each import on the connection: what a refused file
        // or a dry run staged must not reach the next import.
        let mut s = store();
        let staged =
            r#"{"type":"relation","subject":"later","predicate":"p","object":"b","note":"x"}"#;
        let refused = format!("{BASE}{staged}\n{{\"type\":\"entity\"}}\n");
        assert!(jsonl(&mut s, &refused).is_err());
        let dry = ImportOptions {
            dry_run: true,
            ..ImportOptions::default()
        };
        let later = r#"{"type":"entity","id":"later","kind":"person","name":"Later"}"#;
        let sum = s
            .import(
                format!("{BASE}{staged}\n{later}\n").as_bytes(),
                ImportFormat::JsonLines,
                "dry.jsonl",
                dry,
            )
            .unwrap();
        assert_eq!(sum.relations.added, 1);
        let sum = jsonl(&mut s, &format!("{BASE}{later}\n")).unwrap();
        assert_eq!(sum.relations.added, 0);
        assert_eq!(count(&s, "relation"), 0);
        let staged_rows: i64 = s
            .connection()
            .query_row("SELECT count(*) FROM temp.import_relation", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(staged_rows, 0);
    }

    #[test]
    fn staged_copies_are_written_once() {
        let mut s = store();
        let text = r#"{"type":"relation","subject":"x","predicate":"p","object":"b","note":"n"}
{"type":"relation","subject":"x","predicate":"p","object":"b","note":"n"}
{"type":"entity","id":"x","kind":"person","name":"X"}
"#;
        let sum = jsonl(&mut s, &format!("{BASE}{text}")).unwrap();
        assert_eq!((sum.relations.added, sum.relations.present), (1, 1));
        let again = jsonl(&mut s, &format!("{BASE}{text}")).unwrap();
        assert_eq!((again.relations.added, again.relations.present), (0, 2));
        assert_eq!(count(&s, "relation"), 1);
    }

    #[test]
    fn forward_references_keep_the_file_order_of_keys() {
        let mut s = store();
        let text = r#"{"type":"entity","id":"a","kind":"person","name":"A"}
{"type":"relation","subject":"a","predicate":"knows","object":"a","note":"1"}
{"type":"relation","subject":"a","predicate":"knows","object":"later","note":"2"}
{"type":"relation","subject":"a","predicate":"knows","object":"a","note":"3"}
{"type":"relation","subject":"a","predicate":"knows","object":"a","note":"1"}
{"type":"entity","id":"later","kind":"city","name":"Later"}
{"type":"relation","subject":"later","predicate":"knows","object":"a","source":"s9","note":"4"}
{"type":"source","id":"s9","title":"Nine"}
{"type":"relation","subject":"later","predicate":"knows","object":"a","note":"5"}
"#;
        let sum = jsonl(&mut s, text).unwrap();
        assert_eq!(
            sum.relations,
            RecordCounts {
                added: 5,
                present: 1
            }
        );
        let notes: Vec<String> = texts(&s, "SELECT note FROM relation ORDER BY key");
        assert_eq!(notes, ["1", "2", "3", "4", "5"]);
        assert!(s.check().unwrap().is_empty());
        // A second file continues after the stored keys.
        let more =
            r#"{"type":"relation","subject":"a","predicate":"knows","object":"later","note":"6"}"#;
        assert_eq!(jsonl(&mut s, more).unwrap().relations.added, 1);
        let last: String = s
            .connection()
            .query_row(
                "SELECT note FROM relation ORDER BY key DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(last, "6");
    }
}
