//! The write side of an import: the importer (its statements, id caches and what it
//! knows of predicates, in the import's transaction), the dispatch of records, and the
//! writing of sources, predicates and saved queries; the end of an import (staged relations,
//! indexes, the checks that wait for the whole file, the change).

use std::borrow::Cow;
use std::collections::HashMap;
use std::rc::Rc;

use rusqlite::{CachedStatement, Connection};

use super::copy_rows::StagedRows;
use super::direct::Writes;
use super::entity_batch::EntityBatch;
use super::fields::{check_predicate, check_source, PredicateFields, SourceFields};
use super::id_cache::IdCache;
use super::record::{
    agree, bad_record, saved_fault, Fault, Field, Record, RecordError, ENTITY_FIELDS,
    SAVED_QUERY_FIELDS,
};
use super::relation::check_relation;
use super::staging::{INSERT_RELATION_SQL, INSERT_SYMMETRIC_RELATION_SQL};
use super::{ImportOptions, ImportSummary};
use crate::store::catalog::StoreCatalog;
use crate::store::change::{self, ChangeMeta, Origin};
use crate::store::db::Db;
use crate::store::saved::SaveStatement;
use crate::store::StoreError;

/// PostgreSQL: the triggers that count relations (by predicate and status, by source)
/// and changes of names, off for the import's transaction (on again at its end, or by its
/// rollback). Each updates one of a few rows for every row written, and PostgreSQL keeps
/// every version of a row a transaction updates: a long import's updates of one row each
/// walked all the earlier ones. The import counts once at the end instead
/// ([`Importer::count_once`]). `DISABLE TRIGGER` locks out other writers of the tables
/// (they wait for the store's lock of changes anyway), never readers.
const QUIET_COUNT_TRIGGERS_SQL: &str = "
ALTER TABLE relation DISABLE TRIGGER relation_count_insert;
ALTER TABLE relation DISABLE TRIGGER relation_count_delete;
ALTER TABLE alias DISABLE TRIGGER alias_generation_insert;
ALTER TABLE weak_alias DISABLE TRIGGER weak_alias_generation_insert;
-- The import's set-based statements sort and hash whole files' rows: in memory, not in
-- temporary files (the server's default is 4 MB a sort); for this transaction alone.
SET LOCAL work_mem = '256MB'";

/// The triggers of [`QUIET_COUNT_TRIGGERS_SQL`] on again.
const COUNT_TRIGGERS_ON_SQL: &str = "
ALTER TABLE relation ENABLE TRIGGER relation_count_insert;
ALTER TABLE relation ENABLE TRIGGER relation_count_delete;
ALTER TABLE alias ENABLE TRIGGER alias_generation_insert;
ALTER TABLE weak_alias ENABLE TRIGGER weak_alias_generation_insert";

/// The key of an entity by its id.
pub(super) const LOOKUP_ENTITY_SQL: &str = "SELECT key FROM entity WHERE id = ?1";

/// The key of a source by its id.
pub(super) const LOOKUP_SOURCE_SQL: &str = "SELECT key FROM source WHERE id = ?1";

/// What the import knows of one predicate its relations name.
pub(super) struct PredicateUse {
    pub(super) key: i64,
    pub(super) symmetric: bool,
    /// Relations of it were written while it was not symmetric (it may become so further
    /// down the file: their mirror images are folded at the end).
    pub(super) written_asymmetric: bool,
    /// Relations of it were written without looking for a stored mirror image (a bulk
    /// insert, staged relations).
    pub(super) unchecked: bool,
    /// The line whose relation created it, undeclared, in this import.
    pub(super) created_at: Option<u64>,
}

impl PredicateUse {
    /// A relation of it was written; `checked`: after looking for what is stored.
    pub(super) fn wrote(&mut self, checked: bool) {
        self.written_asymmetric |= !self.symmetric;
        self.unchecked |= !checked;
    }
}

/// The predicates the import's relations name, by id: one entry per distinct predicate
/// (so per-predicate checks cost nothing per relation), kept for the whole import.
#[derive(Default)]
pub(super) struct Predicates {
    index: HashMap<Box<str>, usize>,
    pub(super) uses: Vec<PredicateUse>,
}

impl Predicates {
    pub(super) fn find(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub(super) fn add(&mut self, id: &str, known: PredicateUse) -> usize {
        self.uses.push(known);
        self.index.insert(id.into(), self.uses.len() - 1);
        self.uses.len() - 1
    }

    /// A predicate record declared `id` with `symmetric`.
    fn declared(&mut self, id: &str, symmetric: bool) {
        if let Some(i) = self.find(id) {
            self.uses[i].symmetric = symmetric;
        }
    }
}

/// Writes one file's records in the import's transaction, and counts what it added.
pub(super) struct Importer<'t> {
    /// The store's connection, in the import's transaction.
    pub(super) db: &'t Db,
    /// SQLite's connection of `db`, for the statements not yet written for both engines
    /// (on PostgreSQL it refuses every statement; the import refuses first).
    pub(super) tx: &'t Connection,
    pub(super) file: &'t str,
    pub(super) summary: ImportSummary,
    /// The number of the change this import records: the `since_change` of every row it
    /// writes. The change itself is recorded at the end, if anything was written.
    pub(super) change: i64,
    /// Who imports, as given (`--as NAME`): the change log's author is worked out from it
    /// only when the import records a change (without a name given and without one in the
    /// environment, that reads the password file).
    author: Option<String>,
    /// Refuse what would be a warning.
    pub(super) strict: bool,
    /// The hex SHA-256 of the file, once it was read to its end.
    pub(super) sha256: Option<String>,
    /// Relations whose time counts from an anchor (`reported`, else the source's
    /// `published` date, which may come later in the file): key, line and `reported`,
    /// resolved once the whole file is written.
    pub(super) anchored: Vec<(i64, u64, Option<String>)>,
    /// The file is a history export (its rows are restored as they were written): the
    /// line of its first record, which says so.
    pub(super) history: Option<u64>,
    /// A record was read (a history export says so on its first line).
    pub(super) started: bool,
    /// Relation records read (written, staged or already present).
    pub(super) relations: u64,
    /// Relation records staged for the end of the file.
    pub(super) staged: u64,
    /// Relations written as they were read.
    pub(super) written: u64,
    /// The key the next relation read without an id gets: above every key of the store,
    /// of its versions and of this file so far.
    pub(super) next_key: i64,
    /// The next key when the import began: ids below it may be taken or used.
    pub(super) first_key: i64,
    /// The highest id of a relation's past version (0: none).
    pub(super) max_version_id: i64,
    /// The smallest key this import wrote or staged.
    pub(super) min_written_key: i64,
    /// A relation kept an id below `first_key` (so keys no longer tell new from stored).
    pub(super) low_claims: bool,
    /// A relation of the file keeps the id it gave (PostgreSQL: the keys given on reading
    /// stay).
    pub(super) gave_ids: bool,
    /// The key the next new entity gets: above every entity key and version.
    pub(super) next_entity_key: i64,
    /// Relations in the store before this import.
    pub(super) stored_relations: i64,
    /// The relation indexes (name, SQL) dropped for a bulk insert, to build them again.
    pub(super) dropped_indexes: Option<Vec<(String, String)>>,
    /// The text index's triggers were dropped with the indexes: the import's relations
    /// are indexed at its end (`bulk`).
    pub(super) reindex_texts: bool,
    /// Entities in the store before this import.
    pub(super) stored_entities: i64,
    /// The name indexes (name, SQL) dropped for a bulk insert of entities.
    pub(super) dropped_name_indexes: Option<Vec<(String, String)>>,
    /// Entities that gained names while the name index was dropped, with their lines:
    /// whether a name already names another entity is checked once it is built again.
    pub(super) names_unchecked: Vec<(i64, u64)>,
    pub(super) entities: IdCache,
    pub(super) sources: IdCache,
    pub(super) predicates: Predicates,
    /// The ids of the entities CSV cells named (by id, name or alias), by the cell's
    /// text; emptied when it holds [`super::id_cache::ID_CACHE_LIMIT`] cells.
    pub(super) named: HashMap<Box<str>, Box<str>>,
    /// SQLite's statements for each relation, held (not looked up in the connection's
    /// cache for each row); `None` on PostgreSQL, where every relation is staged.
    pub(super) insert_relation: Option<CachedStatement<'t>>,
    pub(super) insert_symmetric: Option<CachedStatement<'t>>,
    pub(super) lookup_entity: Option<CachedStatement<'t>>,
    pub(super) lookup_source: Option<CachedStatement<'t>>,
    /// PostgreSQL: every relation is staged (its rows copied in with COPY, in
    /// batches) and written by one statement at the end; SQLite writes the relations
    /// whose ids resolve at once.
    pub(super) stage_all: bool,
    /// The staged rows waiting to be copied in (PostgreSQL).
    pub(super) copy: StagedRows,
    /// PostgreSQL: whether relations are staged or written into a swap's copies.
    pub(super) writes: Writes,
    /// PostgreSQL, JSON Lines: new entities gathered to be written a batch at a time.
    pub(super) entity_batch: Option<EntityBatch>,
    /// The columns of the tables a history export restores as stored, by table.
    pub(super) history_columns: HashMap<&'static str, Rc<Vec<(String, String)>>>,
    /// The file's saved queries (with their lines), parsed, to be checked and written
    /// once every other record is in.
    saved: Vec<(u64, SaveStatement)>,
}

impl<'t> Importer<'t> {
    pub(super) fn new(
        db: &'t Db,
        file: &'t str,
        opts: ImportOptions<'_>,
    ) -> Result<Self, StoreError> {
        let tx = db.sqlite_only();
        let failed = StoreError::sqlite("cannot prepare the import");
        let shared = StoreError::db("cannot prepare the import");
        // The connection's cache keeps every statement of an import for the next one.
        let (stored_relations, stored_entities, max_version_id): (i64, i64, i64) = db
            .query_row(
                "SELECT (SELECT count(*) FROM relation), (SELECT count(*) FROM entity),
                        (SELECT COALESCE(max(id), 0) FROM relation_version)",
                &[],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(shared)?;
        let sqlite = db.sqlite();
        if sqlite.is_none() {
            db.execute_batch(QUIET_COUNT_TRIGGERS_SQL).map_err(shared)?;
        }
        let held = |sql: &str| {
            sqlite
                .map(|conn| conn.prepare_cached(sql))
                .transpose()
                .map_err(failed)
        };
        let first_key = change::next_relation_key(db).map_err(shared)?;
        Ok(Importer {
            db,
            tx,
            file,
            summary: ImportSummary {
                name: file.to_string(),
                dry_run: opts.dry_run,
                ..ImportSummary::default()
            },
            change: change::next_number(db).map_err(shared)?,
            author: opts.author.map(str::to_string),
            strict: opts.strict,
            sha256: None,
            history: None,
            started: false,
            relations: 0,
            staged: 0,
            written: 0,
            next_key: first_key,
            first_key,
            max_version_id,
            min_written_key: i64::MAX,
            low_claims: false,
            gave_ids: false,
            next_entity_key: change::next_entity_key(db).map_err(shared)?,
            stored_relations,
            dropped_indexes: None,
            reindex_texts: false,
            stored_entities,
            dropped_name_indexes: None,
            names_unchecked: Vec::new(),
            entities: IdCache::new(),
            sources: IdCache::new(),
            predicates: Predicates::default(),
            named: HashMap::new(),
            insert_relation: held(INSERT_RELATION_SQL)?,
            insert_symmetric: held(INSERT_SYMMETRIC_RELATION_SQL)?,
            lookup_entity: held(LOOKUP_ENTITY_SQL)?,
            lookup_source: held(LOOKUP_SOURCE_SQL)?,
            stage_all: sqlite.is_none(),
            copy: StagedRows::default(),
            writes: Writes::default(),
            entity_batch: sqlite.is_none().then(EntityBatch::default),
            history_columns: HashMap::new(),
            saved: Vec::new(),
            anchored: Vec::new(),
        })
    }

    /// Resolves the staged relations, rebuilds dropped indexes, runs the checks that need
    /// the whole file, and records the change if anything was written (not for a dry run,
    /// which is rolled back, nor for a history export, which restores its own changes).
    pub(super) fn finish(mut self) -> Result<ImportSummary, StoreError> {
        self.write_entity_batch()?;
        self.resolve_relations()?;
        self.resolve_anchored()?;
        if self.history.is_none() {
            self.fold_mirror_images()?;
            self.check_whole_file()?;
        }
        self.write_saved_queries()?;
        if let Some(header) = self.history {
            self.check_restored_keys(header)?;
        }
        if self.stage_all {
            self.count_once()?;
        }
        match self.history {
            Some(header) => self.check_restored(header)?,
            None if !self.summary.dry_run && self.summary.wrote_anything() => {
                self.record_change()?
            }
            None => {}
        }
        // PostgreSQL: the identity keys' sequences go past the keys the import gave.
        change::move_sequences_on(self.db)
            .map_err(StoreError::db("cannot record the import's keys"))?;
        Ok(self.summary)
    }

    /// Counts what the import wrote while the triggers that count row by row were off
    /// (PostgreSQL, see [`QUIET_COUNT_TRIGGERS_SQL`]), then turns them on again: the
    /// relations it wrote (all of this change) by predicate and status and by source, and
    /// one change of names for the cached name table of `mentions`. The relations are
    /// those of changes from this one on: the import's own, or, for a history export
    /// (restored into an empty store, whose first change is this one), every restored one.
    fn count_once(&self) -> Result<(), StoreError> {
        let failed = StoreError::db("cannot count the imported relations");
        self.db
            .execute(
                "INSERT INTO predicate_count AS c (predicate, status, n)
                 SELECT predicate, status, count(*) FROM relation WHERE since_change >= ?1
                 GROUP BY predicate, status
                 ON CONFLICT (predicate, status) DO UPDATE SET n = c.n + excluded.n",
                &[&self.change],
            )
            .map_err(failed)?;
        self.db
            .execute(
                "INSERT INTO source_count AS c (source, n)
                 SELECT source, count(*) FROM relation
                 WHERE since_change >= ?1 AND source IS NOT NULL GROUP BY source
                 ON CONFLICT (source) DO UPDATE SET n = c.n + excluded.n",
                &[&self.change],
            )
            .map_err(failed)?;
        if self.summary.wrote_anything() {
            self.db
                .execute(
                    "UPDATE name_generation SET generation = generation + 1 WHERE id = 1",
                    &[],
                )
                .map_err(failed)?;
        }
        self.db.execute_batch(COUNT_TRIGGERS_ON_SQL).map_err(failed)
    }

    /// Resolves the time of the relations that count from an anchor, now that every
    /// source of the file is stored. A relation that was present already (not written)
    /// is skipped.
    fn resolve_anchored(&mut self) -> Result<(), StoreError> {
        for (key, line, reported) in std::mem::take(&mut self.anchored) {
            let resolved =
                crate::store::anchor::resolve_relation_time(self.db, key, reported.as_deref())
                    .map_err(StoreError::db(
                        "cannot resolve the relative dates of the import",
                    ))?;
            if let Err(fault) = resolved {
                return Err(self.bad(line, None, Fault::field(fault.field, fault.reason)));
            }
        }
        Ok(())
    }

    /// Records the import's change, with the number its rows were stamped with.
    fn record_change(&mut self) -> Result<(), StoreError> {
        let db = StoreError::db("cannot record the import in the change log");
        let origin = Origin::Import {
            file: self.file.to_string(),
            sha256: self.sha256.take().unwrap_or_default(),
        };
        let number = change::open(
            self.db,
            &ChangeMeta::new(change::author(self.author.as_deref()), origin),
        )
        .map_err(db)?;
        if number != self.change {
            // The import's transaction holds the store's write lock from its start, so no
            // other change can have been recorded meanwhile.
            return Err(StoreError::Corrupt {
                what: format!(
                    "numbered the import's change {number} where {} was expected",
                    self.change
                ),
            });
        }
        self.summary.change = Some(number);
        Ok(())
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
        if kind == "history" {
            return self.history_header(&rec, line);
        }
        self.started = true;
        if self.history_line(kind, &rec)? {
            return Ok(());
        }
        match kind {
            "source" => self.source(check_source(&rec)?),
            "entity" => {
                rec.reject_unknown(kind, ENTITY_FIELDS)?;
                self.entity(&rec, line)
            }
            "predicate" => self.predicate(check_predicate(&rec)?),
            "relation" => {
                let relation = check_relation(&rec, false)?;
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

    fn source(&mut self, source: SourceFields) -> Result<(), RecordError> {
        let id = source.id.as_str();
        let title = source.title.as_deref();
        let published = source.published.as_deref();
        let (lo, hi) = source.published_range.unzip();
        let lang = source.lang.as_deref();
        let url = source.url.as_deref();
        let note = source.note.as_deref();
        let added: Option<i64> = self.db.query_opt(
            "INSERT INTO source(id, title, published, published_lo, published_hi, lang, url,
                 note, since_change)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(id) DO NOTHING
             RETURNING key",
            &[
                &id,
                &title,
                &published,
                &lo,
                &hi,
                &lang,
                &url,
                &note,
                &self.change,
            ],
            |r| r.get(0),
        )?;
        if let Some(key) = added {
            self.summary.sources.added += 1;
            self.sources.set(id, Some(key));
            return Ok(());
        }
        let (key, stored): (i64, [Option<String>; 5]) = self.db.query_row(
            "SELECT key, title, published, lang, url, note FROM source WHERE id = ?1",
            &[&id],
            |r| {
                Ok((
                    r.get(0)?,
                    [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
                ))
            },
        )?;
        // Known without a lookup to the relations that name it.
        self.sources.set(id, Some(key));
        for (field, (stored, given)) in ["title", "published", "lang", "url", "note"]
            .iter()
            .zip(stored.iter().zip([title, published, lang, url, note]))
        {
            agree(field, "source", id, stored.as_deref(), given)?;
        }
        self.summary.sources.present += 1;
        Ok(())
    }

    fn predicate(&mut self, predicate: PredicateFields) -> Result<(), RecordError> {
        let id = predicate.id.as_str();
        let label = predicate.label.as_deref();
        let symmetric = predicate.symmetric;
        let description = predicate.description.as_deref();
        // `symmetric` quoted here and below: a reserved word in PostgreSQL.
        let added = self.db.execute(
            "INSERT INTO predicate(id, label, \"symmetric\", description, declared, since_change)
             VALUES (?1, ?2, ?3, ?4, 1, ?5) ON CONFLICT(id) DO NOTHING",
            &[
                &id,
                &label,
                &symmetric.unwrap_or(false),
                &description,
                &self.change,
            ],
        )?;
        if added == 1 {
            self.summary.predicates.added += 1;
            return Ok(());
        }
        let (key, s_label, s_symmetric, s_description, declared, since): (
            i64,
            Option<String>,
            bool,
            Option<String>,
            bool,
            i64,
        ) = self.db.query_row(
            "SELECT key, label, \"symmetric\", description, declared, since_change
             FROM predicate WHERE id = ?1",
            &[&id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )?;
        if !declared {
            // Created by a relation that used it: this record declares it. If that was
            // earlier in this file, the predicate is no longer a new undeclared one;
            // otherwise its undeclared version becomes history.
            self.summary.new_predicates.retain(|p| p != id);
            if since != self.change {
                self.keep_predicate_version(key)?;
            }
            self.db.execute(
                "UPDATE predicate SET label = ?2, \"symmetric\" = ?3, description = ?4,
                 declared = 1, since_change = ?5 WHERE key = ?1",
                &[
                    &key,
                    &label,
                    &symmetric.unwrap_or(false),
                    &description,
                    &self.change,
                ],
            )?;
            self.predicates.declared(id, symmetric.unwrap_or(false));
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
        if self.saved.is_empty() {
            return Ok(());
        }
        // The planner's catalog of the import's transaction, on either engine.
        let catalog = StoreCatalog::of(self.db);
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
        let added = self.db.execute(
            "INSERT INTO saved_query(name, params, body) VALUES (?1, ?2, ?3)
             ON CONFLICT(name) DO NOTHING",
            &[&query.name, &params_json, &query.body],
        )?;
        if added == 1 {
            self.summary.saved_queries.added += 1;
            return Ok(());
        }
        let (s_params, s_body): (String, String) = self.db.query_row(
            "SELECT params, body FROM saved_query WHERE name = ?1",
            &[&query.name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
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
        if let Some((staged, removed)) = self.finish_direct()? {
            added = (added + staged).saturating_sub(removed);
        } else if self.staged > 0 {
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
    use crate::store::import::testing::*;

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
}
