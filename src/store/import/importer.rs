//! The write side of an import: the importer (its statements and id caches, in the
//! import's transaction) and the writing of entities, predicates, sources and saved queries.

use std::borrow::Cow;
use std::collections::HashMap;

use rusqlite::{params, CachedStatement, OptionalExtension, Statement, Transaction};

use super::record::{
    agree, bad_record, parse_date_field, saved_fault, Fault, Field, Record, RecordError,
    ENTITY_FIELDS, PREDICATE_FIELDS, SAVED_QUERY_FIELDS, SOURCE_FIELDS,
};
use super::relation::check_relation;
use super::staging::INSERT_RELATION_SQL;
use super::ImportSummary;
use crate::names;
use crate::store::catalog::StoreCatalog;
use crate::store::saved::SaveStatement;
use crate::store::StoreError;

/// The most ids an [`IdCache`] holds before it starts over (about 64 bytes each).
const ID_CACHE_LIMIT: usize = 1 << 20;

/// Keys of ids (entities, sources or predicates) looked up or written during one import,
/// including ids known to be missing from the store. Only the importing transaction writes
/// to the store while it runs, so an entry stays true until the import itself adds the id
/// (which updates it). The cache is emptied when it reaches [`ID_CACHE_LIMIT`] ids, so its
/// memory is bounded whatever the size of the store or of the file; a cleared id is
/// simply looked up in the store again.
pub(super) struct IdCache {
    keys: HashMap<Box<str>, Option<i64>>,
    limit: usize,
}

impl IdCache {
    fn new() -> IdCache {
        IdCache::with_limit(ID_CACHE_LIMIT)
    }

    fn with_limit(limit: usize) -> IdCache {
        IdCache {
            keys: HashMap::new(),
            limit,
        }
    }

    /// What is known of `id`: `Some(Some(key))` stored, `Some(None)` missing, `None`
    /// unknown.
    pub(super) fn get(&self, id: &str) -> Option<Option<i64>> {
        self.keys.get(id).copied()
    }

    /// The key of `id`, from the cache or else from `lookup` (a query of the key by id),
    /// whose answer is kept.
    pub(super) fn key(
        &mut self,
        id: &str,
        lookup: &mut Statement,
    ) -> rusqlite::Result<Option<i64>> {
        if let Some(known) = self.get(id) {
            return Ok(known);
        }
        let key = lookup.query_row([id], |r| r.get(0)).optional()?;
        self.set(id, key);
        Ok(key)
    }

    pub(super) fn set(&mut self, id: &str, key: Option<i64>) {
        if let Some(slot) = self.keys.get_mut(id) {
            *slot = key;
            return;
        }
        if self.keys.len() >= self.limit {
            self.keys.clear();
        }
        self.keys.insert(id.into(), key);
    }
}

/// Writes one file's records in the import's transaction, and counts what it added.
pub(super) struct Importer<'t> {
    pub(super) tx: &'t Transaction<'t>,
    pub(super) file: &'t str,
    pub(super) summary: ImportSummary,
    /// Relation records read (written, staged or already present).
    pub(super) relations: u64,
    /// Relation records staged for the end of the file.
    pub(super) staged: u64,
    /// Relations written as they were read.
    pub(super) written: u64,
    /// The key the next relation read gets.
    pub(super) next_key: i64,
    /// Relations in the store before this import.
    pub(super) stored_relations: i64,
    /// The relation indexes (name, SQL) dropped for a bulk insert, to build them again.
    pub(super) dropped_indexes: Option<Vec<(String, String)>>,
    /// Entities in the store before this import.
    pub(super) stored_entities: i64,
    /// The name indexes (name, SQL) dropped for a bulk insert of entities.
    pub(super) dropped_name_indexes: Option<Vec<(String, String)>>,
    pub(super) entities: IdCache,
    pub(super) sources: IdCache,
    pub(super) predicates: IdCache,
    pub(super) insert_relation: CachedStatement<'t>,
    pub(super) lookup_entity: CachedStatement<'t>,
    pub(super) lookup_source: CachedStatement<'t>,
    pub(super) lookup_predicate: CachedStatement<'t>,
    /// The file's saved queries (with their lines), parsed, to be checked and written
    /// once every other record is in.
    saved: Vec<(u64, SaveStatement)>,
}

impl<'t> Importer<'t> {
    pub(super) fn new(
        tx: &'t Transaction<'t>,
        file: &'t str,
        dry_run: bool,
    ) -> Result<Self, StoreError> {
        let db = StoreError::sqlite("cannot prepare the import");
        // The connection's cache keeps every statement of an import for the next one.
        let (stored_relations, max_key, stored_entities): (i64, i64, i64) = tx
            .prepare_cached(
                "SELECT count(*), COALESCE(MAX(key), 0), (SELECT count(*) FROM entity)
                 FROM relation",
            )
            .and_then(|mut stmt| stmt.query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))))
            .map_err(db)?;
        Ok(Importer {
            tx,
            file,
            summary: ImportSummary {
                name: file.to_string(),
                dry_run,
                ..ImportSummary::default()
            },
            relations: 0,
            staged: 0,
            written: 0,
            next_key: max_key.saturating_add(1),
            stored_relations,
            dropped_indexes: None,
            stored_entities,
            dropped_name_indexes: None,
            entities: IdCache::new(),
            sources: IdCache::new(),
            predicates: IdCache::new(),
            insert_relation: tx.prepare_cached(INSERT_RELATION_SQL).map_err(db)?,
            lookup_entity: tx
                .prepare_cached("SELECT key FROM entity WHERE id = ?1")
                .map_err(db)?,
            lookup_source: tx
                .prepare_cached("SELECT key FROM source WHERE id = ?1")
                .map_err(db)?,
            lookup_predicate: tx
                .prepare_cached("SELECT key FROM predicate WHERE id = ?1")
                .map_err(db)?,
            saved: Vec::new(),
        })
    }

    /// Resolves the staged relations, rebuilds dropped indexes and returns the summary.
    pub(super) fn finish(mut self) -> Result<ImportSummary, StoreError> {
        self.resolve_relations()?;
        self.write_saved_queries()?;
        Ok(self.summary)
    }
    pub(super) fn bad(&self, line: u64, column: Option<u64>, fault: Fault) -> StoreError {
        bad_record(self.file, line, column, fault)
    }

    pub(super) fn record(
        &mut self,
        fields: &[(Cow<str>, Field)],
        line: u64,
    ) -> Result<(), StoreError> {
        match self.record_inner(fields, line) {
            Ok(()) => Ok(()),
            Err(RecordError::Fault(fault)) => Err(self.bad(line, None, fault)),
            Err(RecordError::Store(e)) => Err(e),
        }
    }

    fn record_inner(&mut self, fields: &[(Cow<str>, Field)], line: u64) -> Result<(), RecordError> {
        let rec = Record { fields };
        let kind = rec.required("type")?;
        match kind {
            "source" => {
                rec.reject_unknown(kind, SOURCE_FIELDS)?;
                self.source(&rec)
            }
            "entity" => {
                rec.reject_unknown(kind, ENTITY_FIELDS)?;
                self.entity(&rec)
            }
            "predicate" => {
                rec.reject_unknown(kind, PREDICATE_FIELDS)?;
                self.predicate(&rec)
            }
            "relation" => {
                let relation = check_relation(&rec)?;
                self.relation(&relation, line)
            }
            "saved_query" => {
                rec.reject_unknown(kind, SAVED_QUERY_FIELDS)?;
                self.saved_query(&rec, line)
            }
            other => Err(Fault::field(
                "type",
                format!(
                    "unknown record type `{other}`; expected source, entity, predicate, relation \
                     or saved_query"
                ),
            )
            .into()),
        }
    }

    fn source(&mut self, rec: &Record) -> Result<(), RecordError> {
        let id = rec.required("id")?;
        let title = rec.text("title")?;
        let published = rec.text("published")?;
        let (lo, hi) = match published {
            Some(p) => {
                let (lo, hi) = parse_date_field("published", p)?;
                (Some(lo), Some(hi))
            }
            None => (None, None),
        };
        let lang = rec.text("lang")?;
        let url = rec.text("url")?;
        let note = rec.text("note")?;
        let added = self
            .tx
            .prepare_cached(
                "INSERT INTO source(id, title, published, published_lo, published_hi, lang, url, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO NOTHING",
            )?
            .execute(params![id, title, published, lo, hi, lang, url, note])?;
        if added == 1 {
            self.summary.sources.added += 1;
            self.sources.set(id, Some(self.tx.last_insert_rowid()));
            return Ok(());
        }
        let stored: [Option<String>; 5] = self
            .tx
            .prepare_cached("SELECT title, published, lang, url, note FROM source WHERE id = ?1")?
            .query_row([id], |r| {
                Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])
            })?;
        for (field, (stored, given)) in ["title", "published", "lang", "url", "note"]
            .iter()
            .zip(stored.iter().zip([title, published, lang, url, note]))
        {
            agree(field, "source", id, stored.as_deref(), given)?;
        }
        self.summary.sources.present += 1;
        Ok(())
    }

    fn entity(&mut self, rec: &Record) -> Result<(), RecordError> {
        let id = rec.id("id")?;
        let kind = rec.required("kind")?;
        let name = rec.required("name")?;
        let aliases = rec.texts("aliases")?;
        let note = rec.text("note")?;
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT INTO entity(id, kind, name, note) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(id) DO NOTHING",
            )?
            .execute(params![id, kind, name, note])?;
        let (key, first_ord) = if inserted == 1 {
            self.summary.entities.added += 1;
            self.drop_name_indexes_for_bulk()?;
            (self.tx.last_insert_rowid(), 0)
        } else {
            let (key, s_kind, s_name, s_note): (i64, String, String, Option<String>) = self
                .tx
                .prepare_cached("SELECT key, kind, name, note FROM entity WHERE id = ?1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            agree("kind", "entity", id, Some(&s_kind), Some(kind))?;
            agree("name", "entity", id, Some(&s_name), Some(name))?;
            agree("note", "entity", id, s_note.as_deref(), note)?;
            self.summary.entities.present += 1;
            let next: i64 = self
                .tx
                .prepare_cached("SELECT COALESCE(MAX(ord), 0) + 1 FROM alias WHERE entity = ?1")?
                .query_row([key], |r| r.get(0))?;
            (key, next)
        };
        self.entities.set(id, Some(key));
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO alias(entity, text, norm, is_name, ord) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO NOTHING",
        )?;
        if first_ord == 0 {
            self.summary.aliases_added +=
                insert.execute(params![key, name, names::normalise(name), 1, 0])? as u64;
        }
        // Aliases are numbered in record order; merged ones continue after the stored ones.
        let mut ord = first_ord.max(1);
        for alias in &aliases {
            let added =
                insert.execute(params![key, alias, names::normalise(alias), 0, ord])? as u64;
            ord += added as i64;
            self.summary.aliases_added += added;
        }
        Ok(())
    }

    fn predicate(&mut self, rec: &Record) -> Result<(), RecordError> {
        let id = rec.id("id")?;
        let label = rec.text("label")?;
        let symmetric = rec.boolean("symmetric")?;
        let description = rec.text("description")?;
        let added = self
            .tx
            .prepare_cached(
                "INSERT INTO predicate(id, label, symmetric, description, declared)
                 VALUES (?1, ?2, ?3, ?4, 1) ON CONFLICT(id) DO NOTHING",
            )?
            .execute(params![id, label, symmetric.unwrap_or(false), description])?;
        if added == 1 {
            self.summary.predicates.added += 1;
            return Ok(());
        }
        let (s_label, s_symmetric, s_description, declared): (
            Option<String>,
            bool,
            Option<String>,
            bool,
        ) = self
            .tx
            .prepare_cached(
                "SELECT label, symmetric, description, declared FROM predicate WHERE id = ?1",
            )?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        if !declared {
            // Created by a relation that used it: this record declares it. If that was
            // earlier in this file, the predicate is no longer a new undeclared one.
            self.summary.new_predicates.retain(|p| p != id);
            self.tx
                .prepare_cached(
                    "UPDATE predicate SET label = ?2, symmetric = ?3, description = ?4,
                     declared = 1 WHERE id = ?1",
                )?
                .execute(params![id, label, symmetric.unwrap_or(false), description])?;
            self.summary.predicates.added += 1;
            return Ok(());
        }
        agree("label", "predicate", id, s_label.as_deref(), label)?;
        agree(
            "description",
            "predicate",
            id,
            s_description.as_deref(),
            description,
        )?;
        if let Some(sym) = symmetric {
            if sym != s_symmetric {
                return Err(Fault::field(
                    "symmetric",
                    format!(
                        "predicate `{id}` already exists with symmetric {s_symmetric}, but this \
                         record gives {sym}"
                    ),
                )
                .into());
            }
        }
        self.summary.predicates.present += 1;
        Ok(())
    }

    /// Reads a saved query and parses it as `save` would: its body is checked against the
    /// store once the whole file is in (see [`Importer::write_saved_queries`]).
    fn saved_query(&mut self, rec: &Record, line: u64) -> Result<(), RecordError> {
        let name = rec.required("name")?;
        let body = rec.required("body")?;
        let params = rec.texts("params")?;
        let statement = SaveStatement::parse(name, &params, body).map_err(saved_fault)?;
        self.saved.push((line, statement));
        Ok(())
    }

    /// Checks each saved query of the file as `save` does, against the store as the file
    /// leaves it (so entities and predicates defined anywhere in the file count), then
    /// writes it, as `save` would store it, unless the same query is stored under its
    /// name already. In file order: the first bad one stops the import.
    fn write_saved_queries(&mut self) -> Result<(), StoreError> {
        let catalog = StoreCatalog::new(self.tx);
        for (line, statement) in std::mem::take(&mut self.saved) {
            match self.write_saved_query(&catalog, &statement) {
                Ok(()) => {}
                Err(RecordError::Fault(fault)) => return Err(self.bad(line, None, fault)),
                Err(RecordError::Store(e)) => return Err(e),
            }
        }
        Ok(())
    }

    fn write_saved_query(
        &mut self,
        catalog: &StoreCatalog,
        statement: &SaveStatement,
    ) -> Result<(), RecordError> {
        let query = statement.check(catalog).map_err(saved_fault)?;
        let params_json = serde_json::to_string(&query.params)
            .map_err(|e| Fault::field("params", format!("cannot be stored: {e}")))?;
        let added = self
            .tx
            .prepare_cached(
                "INSERT INTO saved_query(name, params, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT(name) DO NOTHING",
            )?
            .execute(params![query.name, params_json, query.body])?;
        if added == 1 {
            self.summary.saved_queries.added += 1;
            return Ok(());
        }
        let (s_params, s_body): (String, String) = self
            .tx
            .prepare_cached("SELECT params, body FROM saved_query WHERE name = ?1")?
            .query_row([&query.name], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let name = query.name.as_str();
        agree(
            "params",
            "saved query",
            name,
            Some(&s_params),
            Some(&params_json),
        )?;
        agree(
            "body",
            "saved query",
            name,
            Some(&s_body),
            Some(&query.body),
        )?;
        self.summary.saved_queries.present += 1;
        Ok(())
    }

    /// Checks that every id the staged relations name exists and inserts them (in line
    /// order, with the keys they were given when read), skipping those already present;
    /// then builds the dropped indexes again.
    fn resolve_relations(&mut self) -> Result<(), StoreError> {
        let mut added = self.written;
        if self.staged > 0 {
            added += self.insert_staged()?;
        }
        let relation_indexes = self.dropped_indexes.take();
        let name_indexes = self.dropped_name_indexes.take();
        if relation_indexes.is_some() || name_indexes.is_some() {
            let removed = self.rebuild_indexes(
                relation_indexes.as_deref(),
                name_indexes.as_deref().unwrap_or_default(),
            )?;
            added = added.saturating_sub(removed);
        }
        self.summary.relations.added = added;
        self.summary.relations.present = self.relations - added;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::import::testing::*;

    #[test]
    fn aliases_are_merged_into_an_existing_entity() {
        let mut s = store();
        jsonl(&mut s, BASE).unwrap();
        let sum = jsonl(
            &mut s,
            r#"{"type":"entity","id":"a","kind":"person","name":"Alpha","aliases":["Alef","Alfa"]}"#,
        )
        .unwrap();
        assert_eq!(
            sum.entities,
            RecordCounts {
                added: 0,
                present: 1
            }
        );
        assert_eq!(sum.aliases_added, 1);
        let ords: Vec<(String, i64)> = s
            .connection()
            .prepare("SELECT text, ord FROM alias WHERE is_name = 0 ORDER BY ord")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(ords.last(), Some(&("Alfa".to_string(), 3)));
        let norm: String = s
            .connection()
            .query_row("SELECT norm FROM alias WHERE text = 'Alfa'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(norm, names::normalise("Alfa"));
    }

    #[test]
    fn undeclared_predicate_is_completed_by_a_later_declaration() {
        let mut s = store();
        let sum = jsonl(
            &mut s,
            &format!(
                "{BASE}{}\n",
                r#"{"type":"relation","subject":"a","predicate":"met","object":"b"}"#
            ),
        )
        .unwrap();
        assert_eq!(sum.new_predicates, vec!["met".to_string()]);
        let sum = jsonl(
            &mut s,
            r#"{"type":"predicate","id":"met","label":"met with","symmetric":true}"#,
        )
        .unwrap();
        assert_eq!(sum.predicates.added, 1);
        let (declared, symmetric): (bool, bool) = s
            .connection()
            .query_row(
                "SELECT declared, symmetric FROM predicate WHERE id = 'met'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(declared && symmetric);
        let err = jsonl(
            &mut s,
            r#"{"type":"predicate","id":"met","symmetric":false}"#,
        )
        .unwrap_err();
        assert_eq!(bad(err).1.as_deref(), Some("symmetric"));
    }

    #[test]
    fn predicate_used_then_declared_in_one_file_is_not_new() {
        let mut s = store();
        let text = format!(
            "{BASE}{}\n{}\n{}\n",
            r#"{"type":"relation","subject":"a","predicate":"met","object":"b"}"#,
            r#"{"type":"relation","subject":"a","predicate":"saw","object":"b"}"#,
            r#"{"type":"predicate","id":"met","label":"met with","symmetric":true}"#
        );
        let sum = jsonl(&mut s, &text).unwrap();
        assert_eq!(sum.new_predicates, vec!["saw".to_string()]);
        assert_eq!(sum.predicates.added, 1);
        let declared: Vec<(String, bool)> = s
            .connection()
            .prepare("SELECT id, declared FROM predicate ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            declared,
            [("met".to_string(), true), ("saw".to_string(), false)]
        );
    }

    #[test]
    fn saved_queries_import_once() {
        let mut s = store();
        let line =
            r#"{"type":"saved_query","name":"visits","params":["who"],"body":"$who visited ?x"}"#;
        // The body is checked against the store as the whole file leaves it: the
        // predicate it names may be declared further down.
        let declared = r#"{"type":"predicate","id":"visited","label":"visited"}"#;
        assert_eq!(
            jsonl(&mut s, &format!("{line}\n{declared}\n"))
                .unwrap()
                .saved_queries
                .added,
            1
        );
        assert_eq!(jsonl(&mut s, line).unwrap().saved_queries.present, 1);
        let other = r#"{"type":"saved_query","name":"visits","params":[],"body":"?x visited ?y"}"#;
        assert!(jsonl(&mut s, other).is_err());
        let params: String = s
            .connection()
            .query_row("SELECT params FROM saved_query", [], |r| r.get(0))
            .unwrap();
        assert_eq!(params, r#"["who"]"#);
    }

    #[test]
    fn id_cache_starts_over_when_full() {
        let mut cache = IdCache::with_limit(2);
        cache.set("a", Some(1));
        cache.set("b", None);
        assert_eq!(cache.get("a"), Some(Some(1)));
        cache.set("b", Some(2));
        assert_eq!(cache.get("b"), Some(Some(2)));
        cache.set("c", Some(3));
        assert_eq!(cache.keys.len(), 1);
        assert_eq!(cache.get("a"), None);
        assert_eq!(cache.get("c"), Some(Some(3)));
    }
}
