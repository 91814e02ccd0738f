//! Bulk inserts: dropping the relation and name indexes (and the triggers that keep the
//! counts of relations) when a file brings many new rows, building them again at the end
//! (removing copies of relations, counting the relations once), then ANALYZE.

use rusqlite::{Connection, OptionalExtension};

use super::importer::Importer;
use super::staging::BULK_INSERT_RELATION_SQL;
use crate::store::counts::{recount, COUNT_TRIGGERS};
use crate::store::text_search::{INDEX_CHANGE_SQL, TEXT_TRIGGERS, UNINDEX_CHANGE_SQL};
use crate::store::StoreError;

/// From this many relations in one file (and at least as many as the store holds), the
/// relation indexes are rebuilt after the insert rather than updated row by row.
pub(super) const BULK_RELATIONS: i64 = 10_000;

/// From this many new entities in one file (and at least as many as the store holds), the
/// index of normalised names is rebuilt after the insert, and the words of names listed.
const BULK_ENTITIES: i64 = 10_000;

/// The index on relation fingerprints (schema 0005), built first after a bulk insert.
const FINGERPRINT_INDEX: &str = "relation_fingerprint";

/// Relations in fingerprint order, a relation's copies by key: read from the fingerprint
/// index alone.
const RELATIONS_BY_FINGERPRINT_SQL: &str =
    "SELECT fingerprint, key FROM relation INDEXED BY relation_fingerprint ORDER BY fingerprint, key";

/// The page cache while the relation indexes are built after a bulk insert, in KiB. It
/// also bounds the memory of each run SQLite's sorter sorts before merging: small runs
/// are sorted by worker threads while the table is read (`PRAGMA threads`), which on
/// two cores builds each index about a third faster than one large run sorted at the end.
const INDEX_BUILD_CACHE_KIB: i64 = 2048;

/// Rows ANALYZE samples per index after a bulk insert: enough for the planner's choice
/// between indexes, in a fraction of the time a full count takes.
const ANALYSIS_LIMIT: i64 = 1000;

/// The partial index of the relations made after change 1 (schema 8), kept through a bulk
/// insert: an import's rows all carry its change's number, so the index takes none of
/// them (the first import into an empty store is change 1) or appends them in key order,
/// either cheaper than reading the whole table again to build it.
const SINCE_INDEX: &str = "relation_since";

/// Fills `name_word` (schema 12) from every name with a space, as the schema's
/// migration does: a bulk import drops the trigger that keeps it row by row (each row's
/// words inserted at random places of the table cost about a fifth of a small import's
/// time) and fills it here once, in order.
const NAME_WORDS_SQL: &str = r#"INSERT OR IGNORE INTO name_word (word, entity)
    SELECT w.value, a.entity FROM alias a, json_each(CASE
      WHEN json_valid('["' || replace(replace(replace(a.norm, '\', '\\'), '"', '\"'), ' ', '","') || '"]')
      THEN '["' || replace(replace(replace(a.norm, '\', '\\'), '"', '\"'), ' ', '","') || '"]'
      ELSE '[]' END) w
    WHERE instr(a.norm, ' ') > 0 ORDER BY 1, 2"#;

/// What schema 14's triggers on `alias` do for each name changed, done once for a bulk
/// import that dropped them.
const NAME_GENERATION_SQL: &str =
    "UPDATE name_generation SET generation = generation + 1 WHERE id = 1";

/// Drops the secondary indexes of `table` (those written in the schema, not those of its
/// constraints, nor [`SINCE_INDEX`]), or its triggers, and returns their names and SQL, to
/// create them again.
fn drop_schema(
    tx: &Connection,
    what: &str,
    table: &str,
) -> rusqlite::Result<Vec<(String, String)>> {
    let dropped: Vec<(String, String)> = tx
        .prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = ?1 AND tbl_name = ?2 AND sql IS NOT NULL AND name <> ?3",
        )?
        .query_map([what, table, SINCE_INDEX], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let drop = if what == "trigger" {
        "TRIGGER"
    } else {
        "INDEX"
    };
    for (name, _) in &dropped {
        tx.execute_batch(&format!("DROP {drop} {}", crate::sql::ident(name)))?;
    }
    Ok(dropped)
}

fn drop_indexes(tx: &Connection, table: &str) -> rusqlite::Result<Vec<(String, String)>> {
    drop_schema(tx, "index", table)
}

/// Drops the triggers `names` that exist and returns their names and SQL, to create them
/// again: those that keep the counts of relations (schema 15; a bulk import counts once
/// at its end instead) and the text index (schema 10; it indexes once at its end).
pub(in crate::store) fn drop_triggers(
    tx: &Connection,
    names: &[&str],
) -> rusqlite::Result<Vec<(String, String)>> {
    let mut dropped = Vec::new();
    for name in names {
        let sql: Option<String> = tx
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(sql) = sql {
            tx.execute_batch(&format!("DROP TRIGGER {}", crate::sql::ident(name)))?;
            dropped.push((name.to_string(), sql));
        }
    }
    Ok(dropped)
}

impl<'t> Importer<'t> {
    /// Once a file has brought as many new relations as a bulk import takes (and at least
    /// as many as the store held), drops the relation table's secondary indexes so that
    /// they are built once, sorted, at the end instead of updated row by row. Does nothing
    /// before that point or once they are dropped; relations already present (a file
    /// imported again) do not count, as they change no index.
    pub(super) fn drop_relation_indexes_for_bulk(&mut self) -> Result<(), StoreError> {
        let new = i64::try_from(self.written + self.staged).unwrap_or(i64::MAX);
        // PostgreSQL: every relation is staged and written by one statement, which the
        // server runs with its indexes as they are.
        if self.stage_all
            || self.dropped_indexes.is_some()
            || new < BULK_RELATIONS
            || new < self.stored_relations
        {
            return Ok(());
        }
        let db = StoreError::sqlite("cannot prepare the bulk insert of relations");
        let mut indexes = drop_indexes(self.tx, "relation").map_err(db)?;
        // Created again with the indexes, then the relations are counted once and their
        // texts indexed once (those written before this point are taken out of the text
        // index, to be put in again with the others).
        indexes.extend(drop_triggers(self.tx, COUNT_TRIGGERS).map_err(db)?);
        let text = drop_triggers(self.tx, TEXT_TRIGGERS).map_err(db)?;
        if !text.is_empty() {
            self.tx
                .execute(UNINDEX_CHANGE_SQL, [self.change])
                .map_err(db)?;
            self.reindex_texts = true;
        }
        indexes.extend(text);
        // Without the fingerprint index, relations are written as they come; the copies
        // (mirror images of symmetric ones included: they share the stored fingerprint)
        // are removed at the end.
        self.insert_relation = Some(
            self.tx
                .prepare_cached(BULK_INSERT_RELATION_SQL)
                .map_err(db)?,
        );
        self.insert_symmetric = Some(
            self.tx
                .prepare_cached(BULK_INSERT_RELATION_SQL)
                .map_err(db)?,
        );
        self.dropped_indexes = Some(indexes);
        Ok(())
    }

    /// Once a file has brought as many new entities as a bulk import takes (and at least
    /// as many as the store held), drops the index of normalised names, whose keys come
    /// in no order, to build it once at the end: for a million entities it outgrows the
    /// page cache and each name inserted read and wrote a random page. The import never
    /// reads it.
    pub(super) fn drop_name_indexes_for_bulk(&mut self) -> Result<(), StoreError> {
        let new = i64::try_from(self.summary.entities.added).unwrap_or(i64::MAX);
        // SQLite's alone: PostgreSQL keeps its name index (and the triggers that list the
        // words of names) as they are.
        if self.stage_all
            || self.dropped_name_indexes.is_some()
            || new < BULK_ENTITIES
            || new < self.stored_entities
        {
            return Ok(());
        }
        let db = StoreError::sqlite("cannot prepare the bulk insert of entities");
        let mut dropped = drop_indexes(self.tx, "alias").map_err(db)?;
        // The triggers that keep the words of names, created again after the indexes.
        dropped.extend(drop_schema(self.tx, "trigger", "alias").map_err(db)?);
        self.dropped_name_indexes = Some(dropped);
        Ok(())
    }

    /// Builds the indexes dropped for a bulk insert again. Of the relation indexes, the
    /// one on fingerprints comes first: with it, the later copies of a relation the file
    /// held twice (or that was already stored) are found in one ordered read and removed
    /// before the other indexes are built. Returns how many copies were removed.
    /// Statistics are gathered at the end, so that SQLite chooses between the start and
    /// the end index of a time filter by what the data holds.
    pub(super) fn rebuild_indexes(
        &self,
        relation: Option<&[(String, String)]>,
        names: &[(String, String)],
    ) -> Result<u64, StoreError> {
        let tx = self.tx;
        let db = StoreError::sqlite("cannot rebuild the indexes after the import");
        let (threads, cache): (i64, i64) = tx
            .query_row("SELECT * FROM pragma_threads, pragma_cache_size", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(db)?;
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        tx.execute_batch(&format!(
            "PRAGMA threads = {workers}; PRAGMA main.cache_size = -{INDEX_BUILD_CACHE_KIB};"
        ))
        .map_err(db)?;
        let mut removed = 0;
        if let Some(rebuilt) = relation {
            let is_fingerprint = |(name, _): &&(String, String)| name == FINGERPRINT_INDEX;
            for (_, sql) in rebuilt.iter().filter(is_fingerprint) {
                tx.execute_batch(sql).map_err(db)?;
            }
            removed = self.remove_copies().map_err(db)?;
            for (_, sql) in rebuilt.iter().filter(|index| !is_fingerprint(index)) {
                tx.execute_batch(sql).map_err(db)?;
            }
            recount(tx).map_err(db)?;
            if self.reindex_texts {
                tx.execute(INDEX_CHANGE_SQL, [self.change]).map_err(db)?;
            }
        }
        for (_, sql) in names {
            tx.execute_batch(sql).map_err(db)?;
        }
        if !names.is_empty() {
            tx.execute_batch(NAME_WORDS_SQL).map_err(db)?;
            // The names changed while the triggers that count their changes (schema 14)
            // were dropped: the cached name table of `mentions` is stale.
            tx.execute_batch(NAME_GENERATION_SQL).map_err(db)?;
        }
        tx.execute_batch(&format!(
            "PRAGMA analysis_limit = {ANALYSIS_LIMIT}; ANALYZE; PRAGMA analysis_limit = 0;
             PRAGMA threads = {threads}; PRAGMA main.cache_size = {cache};"
        ))
        .map_err(StoreError::sqlite(
            "cannot gather statistics after the import",
        ))?;
        Ok(removed)
    }

    /// Removes every relation that has the fingerprint of another, keeping the one with
    /// the smallest key (the stored one: the import's keys are above the store's, unless
    /// it kept a free id below them, when the stored one is found by its change); returns
    /// how many. Needs the fingerprint index.
    fn remove_copies(&self) -> rusqlite::Result<u64> {
        let mut copies: Vec<i64> = Vec::new();
        {
            let mut stmt = self.tx.prepare(RELATIONS_BY_FINGERPRINT_SQL)?;
            let mut rows = stmt.query([])?;
            let mut previous: Option<Vec<u8>> = None;
            // The keys of one fingerprint, in key order.
            let mut group: Vec<i64> = Vec::new();
            while let Some(row) = rows.next()? {
                let fingerprint = row.get_ref(0)?.as_bytes()?;
                if previous.as_deref() != Some(fingerprint) {
                    self.keep_one(&mut group, &mut copies)?;
                    previous = Some(fingerprint.to_vec());
                }
                group.push(row.get(1)?);
            }
            self.keep_one(&mut group, &mut copies)?;
        }
        let mut delete = self.tx.prepare("DELETE FROM relation WHERE key = ?1")?;
        for key in &copies {
            delete.execute([key])?;
        }
        Ok(copies.len() as u64)
    }

    /// Moves all but one of `group` (keys of one fingerprint, ascending) to `copies`.
    fn keep_one(&self, group: &mut Vec<i64>, copies: &mut Vec<i64>) -> rusqlite::Result<()> {
        if group.len() > 1 {
            let mut kept = 0;
            if self.low_claims {
                let mut change = self
                    .tx
                    .prepare_cached("SELECT since_change FROM relation WHERE key = ?1")?;
                for (i, key) in group.iter().enumerate() {
                    let since: i64 = change.query_row([key], |r| r.get(0))?;
                    if since != self.change {
                        kept = i;
                        break;
                    }
                }
            }
            copies.extend(
                group
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != kept)
                    .map(|(_, key)| key),
            );
        }
        group.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names;
    use crate::store::import::testing::*;

    #[test]
    fn bulk_import_rebuilds_the_relation_indexes() {
        let mut s = store();
        let n = BULK_RELATIONS + 5;
        let mut text = String::from(BASE);
        for i in 0..n {
            text.push_str(&format!(
                "{{\"type\":\"relation\",\"subject\":\"a\",\"predicate\":\"p{}\",\"object\":\"b\",\"note\":\"{i}\"}}\n",
                i % 7
            ));
        }
        let indexes = |s: &Store| -> Vec<String> {
            s.connection()
                .prepare(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'relation'
                     AND sql IS NOT NULL ORDER BY name",
                )
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        let before = indexes(&s);
        // Nine for queries and the fingerprints, and the partial index of later relations.
        assert_eq!(before.len(), 10);
        let sum = jsonl(&mut s, &text).unwrap();
        assert_eq!(sum.relations.added, n as u64);
        assert_eq!(indexes(&s), before);
        // Keys follow the file's order.
        let first_note: String = s
            .connection()
            .query_row("SELECT note FROM relation ORDER BY key LIMIT 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(first_note, "0");
        assert!(s.check().unwrap().is_empty());
        // The text index holds each note once: one written before the indexes were
        // dropped, one after, and the last; its triggers are back.
        for note in ["0", "7", &(n - 1).to_string()] {
            let found: i64 = s
                .connection()
                .query_row(
                    "SELECT count(*) FROM relation_text WHERE relation_text MATCH ?1",
                    [format!("note:\"{note}\"")],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(found, 1, "note {note}");
        }
        let triggers: i64 = s
            .connection()
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'relation_text_%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(triggers, 3);
        // Importing the file again changes no index, so none is dropped and rebuilt.
        let schema_version = |s: &Store| -> i64 {
            s.connection()
                .query_row("PRAGMA schema_version", [], |r| r.get(0))
                .unwrap()
        };
        let version = schema_version(&s);
        let again = jsonl(&mut s, &text).unwrap();
        assert_eq!(again.relations.present, n as u64);
        assert_eq!(schema_version(&s), version);
    }

    #[test]
    fn bulk_import_keys_go_above_ids_that_only_versions_hold() {
        let mut s = store();
        s.connection()
            .execute_batch(
                "INSERT INTO relation_version (id, since_change, until_change, erased)
                 VALUES (50000, 1, 2, 1)",
            )
            .unwrap();
        let mut text = String::from(BASE);
        for i in 0..(BULK_RELATIONS + 5) {
            text.push_str(&format!(
                "{{\"type\":\"relation\",\"subject\":\"a\",\"predicate\":\"p\",\"object\":\"b\",\"note\":\"{i}\"}}\n"
            ));
        }
        jsonl(&mut s, &text).unwrap();
        let (low, high): (i64, i64) = s
            .connection()
            .query_row("SELECT min(key), max(key) FROM relation", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((low, high), (50001, 50000 + BULK_RELATIONS + 5));
    }

    #[test]
    fn bulk_import_of_entities_rebuilds_the_name_index() {
        let mut s = store();
        let mut text = String::new();
        for i in 0..(BULK_ENTITIES + 5) {
            text.push_str(&format!(
                "{{\"type\":\"entity\",\"id\":\"e{i}\",\"kind\":\"person\",\"name\":\"Name {i}\",\"aliases\":[\"Ésmé {i}\"]}}\n"
            ));
        }
        let sum = jsonl(&mut s, &text).unwrap();
        assert_eq!(sum.entities.added, BULK_ENTITIES as u64 + 5);
        let conn = s.connection();
        let plan: String = conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT entity FROM alias WHERE norm = 'esme 7'",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("alias_norm"), "{plan}");
        let found: i64 = conn
            .query_row(
                "SELECT count(*) FROM alias WHERE norm = ?1",
                [names::normalise("ESME 7")],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(found, 1);
        assert!(s.check().unwrap().is_empty());
        // The words of the names are listed once the import ends, and the triggers that
        // keep them are back: a later single alias adds its words too.
        let words = |s: &crate::store::Store, word: &str| -> i64 {
            s.connection()
                .query_row(
                    "SELECT count(*) FROM name_word WHERE word = ?1",
                    [word],
                    |r| r.get(0),
                )
                .unwrap()
        };
        assert_eq!(words(&s, "esme"), BULK_ENTITIES + 5);
        assert_eq!(words(&s, "7"), 1);
        jsonl(
            &mut s,
            r#"{"type":"entity","id":"e7","aliases":["Zed Quux"]}"#,
        )
        .unwrap();
        assert_eq!(words(&s, "quux"), 1);
    }

    #[test]
    fn bulk_import_keeps_one_relation_per_fingerprint() {
        let mut s = store();
        let rel = |subject: &str, note: &str| {
            format!(
                "{{\"type\":\"relation\",\"subject\":\"{subject}\",\"predicate\":\"p\",\"object\":\"b\",\"note\":\"{note}\"}}\n"
            )
        };
        jsonl(&mut s, &format!("{BASE}{}", rel("a", "stored"))).unwrap();
        let n = BULK_RELATIONS + 5;
        let mut text = String::from(BASE);
        // A copy of the stored relation, then n new ones, then copies of two of them, one
        // written at once and one naming an entity defined further down (staged).
        text.push_str(&rel("a", "stored"));
        for i in 0..n {
            text.push_str(&rel("a", &i.to_string()));
        }
        text.push_str(&rel("late", "staged"));
        text.push_str(&rel("a", "7"));
        text.push_str(&rel("late", "staged"));
        text.push_str(&rel("a", "7"));
        text.push_str(
            "{\"type\":\"entity\",\"id\":\"late\",\"kind\":\"person\",\"name\":\"Late\"}\n",
        );
        let sum = jsonl(&mut s, &text).unwrap();
        assert_eq!(sum.relations.added, n as u64 + 1);
        assert_eq!(sum.relations.present, 4);
        assert_eq!(count(&s, "relation"), n + 2);
        let repeated: i64 = s
            .connection()
            .query_row(
                "SELECT count(*) FROM (SELECT fingerprint FROM relation GROUP BY fingerprint
                 HAVING count(*) > 1)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(repeated, 0);
        // The first copy is kept: the stored relation keeps its key, the others the key
        // of their first line.
        let notes: Vec<String> = texts(&s, "SELECT note FROM relation ORDER BY key LIMIT 3");
        assert_eq!(notes, ["stored", "0", "1"]);
        assert!(s.check().unwrap().is_empty());
        let again = jsonl(&mut s, &text).unwrap();
        assert_eq!(
            (again.relations.added, again.relations.present),
            (0, n as u64 + 5)
        );
    }
}
