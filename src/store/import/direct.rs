//! PostgreSQL's bulk import of relations straight into the copies a swap makes
//! ([`super::swap`]): once a file has brought as many new relations as a bulk import
//! takes, each further relation whose ids the import knows is copied with COPY into the
//! copy of `relation` (and its folded quote and note into the copy of `relation_text`)
//! as it is read, with the key SQLite's bulk import gives it; the copies a file holds
//! twice, or that were stored already, are removed at the end, as SQLite's bulk import
//! removes them.
//!
//! Every relation used to be staged (copied into the session's staging table), numbered
//! at the end and written from there: two more passes over every row of a large import.
//! Here the staging table keeps only the relations read before the switch (all new, so
//! the keys they were staged with are those SQLite gives them) and those that name an id
//! the import has not seen yet (defined further down, or unknown), which are written at
//! the end with the keys they were read with. The switch is made only when the first
//! relations (as many as a bulk import takes) are all new and distinct, none gave an id,
//! and the tables may be swapped; otherwise the import stays on the staged path.
//!
//! The import knows the keys of the entities and sources it wrote or met in the file; at
//! the switch it reads those of the store (when there are at most [`STORED_IDS`]), and
//! beyond that looks up the ids relations name a few thousand at a time, staging the
//! relations that wait for them: a file of relations whose entities were imported
//! before is copied too.

use std::collections::{HashMap, HashSet};

use super::copy_rows::{StagedRows, COPY_BATCH_BYTES};
use super::id_cache::IdCache;
use super::importer::Importer;
use super::record::RecordError;
use super::relation::{text_cells, RelationRecord};
use super::staging::{
    insert_staged_sql, known_ends_sql, new_staged_sql, numbered_staged_sql, relation_columns,
};
use super::swap::{relation_copy, relation_text_copy, Swap};
use crate::store::db::{DbError, Param, ToParam};
use crate::store::StoreError;

/// A bulk import writing relations straight into the swap's copies.
pub(super) struct Direct {
    swap: Swap,
    /// Rows of the copy of `relation` waiting to be copied, and of `relation_text`.
    rows: StagedRows,
    texts: StagedRows,
    /// Relations copied so far.
    copied: u64,
    /// The copy of `relation` has an index of keys of its own ([`KEYS_INDEX`]).
    keys_indexed: bool,
    /// Entity and source ids relations named that the import never asked the store about
    /// (a file of relations whose entities were imported before), to be looked up
    /// together ([`Importer::look_up_asked`]); relations staged meanwhile.
    asked_entities: HashSet<Box<str>>,
    asked_sources: HashSet<Box<str>>,
    waiting: usize,
}

/// The most stored entities (or sources) whose keys are read at the switch: a few tens of
/// megabytes in the import's id cache (which holds [`super::id_cache::ID_CACHE_LIMIT`]).
/// Three in the tests, which take both ways with a few entities.
const STORED_IDS: i64 = if cfg!(test) { 3 } else { 500_000 };

/// Ids asked about, or relations staged while some are, before they are looked up.
const ASKED_IDS: usize = 4096;
const WAITING_RELATIONS: usize = 1024;

/// The key of `id` as `cache` knows it; `None` when it is missing (defined further down,
/// or unknown) or not known yet, when it joins `asked` (see [`Direct::asked_entities`]).
fn cached_key(cache: &IdCache, asked: &mut HashSet<Box<str>>, id: &str) -> Option<i64> {
    match cache.get(id) {
        Some(key) => key,
        None => {
            if !asked.contains(id) {
                asked.insert(id.into());
            }
            None
        }
    }
}

/// An index of the keys of the copy of `relation`, made when a relation that gives an id
/// below the next key must be looked for there (see [`Importer::claim`]): without it,
/// each such relation would read the whole copy. Dropped before the swap builds the
/// stored table's own indexes.
const KEYS_INDEX: &str = concat!(relation_copy!(), "_claimed");

/// The files imported with [`Direct`] writes, with how many relations they copied (for
/// the tests: every other outcome of an import is the same either way).
#[cfg(test)]
pub(super) static COPIED: std::sync::Mutex<Vec<(String, u64)>> = std::sync::Mutex::new(Vec::new());

/// The import's choice between the staged path and [`Direct`] writes.
#[derive(Default)]
pub(super) enum Writes {
    /// Every relation is staged; the switch may still be made.
    #[default]
    Staged,
    /// The switch was considered and not made: staged to the end.
    StagedToTheEnd,
    Direct(Box<Direct>),
}

/// The COPYs into the copies (of `relation`: the columns [`Importer::copy_direct`]
/// gives; of `relation_text`: a relation's key, folded quote and note), their rows
/// frozen (`COPY … (FREEZE)`), as a table made in the same transaction allows: visible
/// to every transaction without a check of the one that wrote them, so that the index
/// builds, the foreign keys' validation and the search for copies read them without one
/// each (a third faster at 1M), and the `VACUUM` after the import finds them settled.
/// Other sessions cannot see the copies before the import commits (their names are
/// uncommitted), so this shows them nothing early.
const COPY_RELATIONS_SQL: &str = concat!(
    "COPY ",
    relation_copy!(),
    " (key, subject, predicate, object, when_text, from_text, to_text, at_text, start_lo,
    start_hi, end_lo, end_hi, status, place, source, quote, note, confidence, fingerprint,
    since_change) FROM STDIN (FREEZE)"
);
const COPY_TEXTS_SQL: &str = concat!(
    "COPY ",
    relation_text_copy!(),
    " (key, quote, note) FROM STDIN (FREEZE)"
);

/// How many of the staged relations are new: neither stored nor a later copy of another
/// staged one (see `KEY_STAGED_SQL`, which lists the same ones).
const NEW_STAGED_SQL: &str = concat!(
    "SELECT count(*) FROM ",
    numbered_staged_sql!(),
    " st JOIN predicate p ON p.id = st.predicate WHERE ",
    new_staged_sql!()
);

/// Writes every staged relation into the copy of `relation` with the key it was staged
/// with, but one that names an entity, predicate, place or source the store does not
/// have (found by [`Importer::check_ids`] then).
const INSERT_STAGED_DIRECT_SQL: &str = insert_staged_sql!(
    "JOIN",
    "st.key",
    "import_relation",
    known_ends_sql!(),
    "",
    relation_copy!()
);

/// The text rows of the staged relations, into the copy of `relation_text` (every staged
/// relation was written, or the import is refused).
const INDEX_STAGED_TEXT_DIRECT_SQL: &str = concat!(
    "INSERT INTO ",
    relation_text_copy!(),
    " (key, quote, note)
SELECT key, quote_folded, note_folded FROM import_relation
WHERE quote_folded IS NOT NULL OR note_folded IS NOT NULL"
);

/// The fingerprints `relation` holds more than once, in hex (as [`REMOVE_COPIES_SQL`]
/// takes them back). Sorted rather than hashed (see [`Importer::remove_copied_rows`]): a
/// sort of a million fingerprints shares out among the server's parallel workers, its
/// hash table of them does not.
const REPEATED_SQL: &str =
    "SELECT encode(fingerprint, 'hex') FROM relation GROUP BY fingerprint HAVING count(*) > 1";

/// Removes every relation whose fingerprint is one of `?2` (hex) but the stored one (not
/// of this change, `?1`), else the one with the smallest key, with its text row (as the
/// foreign key would); returns how many relations were removed. (A symmetric relation is
/// written with the smaller of its two fingerprints, so mirror images are copies too.)
const REMOVE_COPIES_SQL: &str = "
WITH copies AS (
    SELECT key FROM (
        SELECT key, row_number() OVER (
            PARTITION BY fingerprint ORDER BY since_change = CAST(?1 AS BIGINT), key) AS n
        FROM relation
        WHERE fingerprint IN (SELECT decode(f, 'hex') FROM unnest(CAST(?2 AS text[])) f)) c
    WHERE n > 1),
gone AS (DELETE FROM relation r USING copies WHERE r.key = copies.key RETURNING r.key),
gone_texts AS (DELETE FROM relation_text t USING gone WHERE t.key = gone.key)
SELECT count(*) FROM gone";

impl Importer<'_> {
    /// Makes the switch to [`Direct`] writes when the relation about to be read (which
    /// gives no id) comes after as many staged ones as a bulk import takes, all new and
    /// distinct (see the module's documentation). Considered once.
    pub(super) fn consider_direct(&mut self) -> Result<(), StoreError> {
        let bulk = super::bulk::BULK_RELATIONS.max(self.stored_relations);
        if !matches!(self.writes, Writes::Staged)
            || !self.stage_all
            || self.gave_ids
            || self.history.is_some()
            || i64::try_from(self.staged).unwrap_or(i64::MAX) < bulk
        {
            return Ok(());
        }
        self.writes = Writes::StagedToTheEnd;
        let failed = StoreError::db("cannot prepare the bulk insert of relations");
        self.copy_staged()?;
        let new: i64 = self
            .db
            .query_row(NEW_STAGED_SQL, &[], |r| r.get(0))
            .map_err(failed)?;
        if u64::try_from(new).ok() != Some(self.staged) {
            return Ok(());
        }
        if let Some(swap) = Swap::begin(self.db).map_err(failed)? {
            self.load_stored_ids()?;
            self.writes = Writes::Direct(Box::new(Direct {
                swap,
                rows: StagedRows::default(),
                texts: StagedRows::default(),
                copied: 0,
                keys_indexed: false,
                asked_entities: HashSet::new(),
                asked_sources: HashSet::new(),
                waiting: 0,
            }));
        }
        Ok(())
    }

    /// Copies a relation straight into the copy of `relation` with `key` (see the
    /// module's documentation); false, writing nothing, when not writing directly or when
    /// one of its ids is not among those the import knows (the relation is staged then).
    pub(super) fn copy_direct(
        &mut self,
        r: &RelationRecord,
        key: i64,
        since: i64,
        predicate: usize,
    ) -> Result<bool, RecordError> {
        let Writes::Direct(direct) = &mut self.writes else {
            return Ok(false);
        };
        let entities = &self.entities;
        let subject = cached_key(entities, &mut direct.asked_entities, r.subject);
        let object = cached_key(entities, &mut direct.asked_entities, r.object);
        // An absent place or source is known (as no key).
        let place = r.place.map_or(Some(None), |id| {
            cached_key(entities, &mut direct.asked_entities, id).map(Some)
        });
        let source = r.source.map_or(Some(None), |id| {
            cached_key(&self.sources, &mut direct.asked_sources, id).map(Some)
        });
        let (Some(subject), Some(object), Some(place), Some(source)) =
            (subject, object, place, source)
        else {
            let asked = direct.asked_entities.len() + direct.asked_sources.len();
            if asked > 0 {
                direct.waiting += 1;
                if asked >= ASKED_IDS || direct.waiting >= WAITING_RELATIONS {
                    self.look_up_asked()?;
                }
            }
            return Ok(false);
        };
        let uses = &mut self.predicates.uses[predicate];
        let (fingerprint, _) =
            super::identity::stored_fingerprint(r.fingerprint, || r.mirrored(), uses.symmetric);
        uses.wrote(false);
        let predicate_key = uses.key;
        direct.copied += 1;
        let [when, from, to, at, start_lo, start_hi, end_lo, end_hi, status] = r.time_cells();
        direct.rows.push(&[
            key.param(),
            subject.param(),
            predicate_key.param(),
            object.param(),
            when,
            from,
            to,
            at,
            start_lo,
            start_hi,
            end_lo,
            end_hi,
            status,
            place.param(),
            source.param(),
            r.quote.param(),
            r.note.param(),
            r.confidence.param(),
            Param::Blob(&fingerprint),
            since.param(),
        ]);
        if r.quote.is_some() || r.note.is_some() {
            let folded = r.folded_texts();
            let [quote, note] = text_cells(&folded);
            direct.texts.push(&[key.param(), quote, note]);
        }
        if direct.rows.len() + direct.texts.len() >= COPY_BATCH_BYTES {
            self.copy_direct_rows()?;
        }
        Ok(true)
    }

    /// Reads the keys of every stored entity and source into the import's caches when
    /// there are at most [`STORED_IDS`] of each, so that the relations that name them
    /// (a file of relations whose entities were imported before) are copied from the
    /// first; larger tables are asked about as their ids come (see [`cached_key`]). An
    /// id the file defined keeps the key it was given.
    fn load_stored_ids(&mut self) -> Result<(), StoreError> {
        // Entities are read only once the batch gathered is written (see
        // `super::entity_batch`).
        self.write_entity_batch()?;
        let failed = StoreError::db("cannot read the stored ids");
        // The entities were counted when the import began (those it wrote since are in
        // the cache); the sources, up to one more than are read.
        let sources: i64 = self
            .db
            .query_row(
                "SELECT count(*) FROM (SELECT 1 FROM source LIMIT ?1) s",
                &[&(STORED_IDS + 1)],
                |r| r.get(0),
            )
            .map_err(failed)?;
        let tables = [
            (
                self.stored_entities,
                "SELECT id, key FROM entity",
                &mut self.entities,
            ),
            (sources, "SELECT id, key FROM source", &mut self.sources),
        ];
        for (stored, read, cache) in tables {
            if stored == 0 || stored > STORED_IDS {
                continue;
            }
            for (id, key) in self
                .db
                .query_map(read, &[], |r| Ok((r.get::<String>(0)?, r.get::<i64>(1)?)))
                .map_err(failed)?
            {
                if cache.get(&id).is_none() {
                    cache.set(&id, Some(key));
                }
            }
        }
        Ok(())
    }

    /// Looks up the keys of the ids asked about (see [`Direct::asked_entities`]), one
    /// statement for the entities and one for the sources, into the import's caches: the
    /// next relations that name them are copied. An id the file defined meanwhile keeps
    /// the key it was given.
    fn look_up_asked(&mut self) -> Result<(), StoreError> {
        // Entities are read only once the batch gathered is written (see
        // `super::entity_batch`).
        self.write_entity_batch()?;
        let failed = StoreError::db("cannot look up the imported relations' ids");
        let Writes::Direct(direct) = &mut self.writes else {
            return Ok(());
        };
        direct.waiting = 0;
        let asked = [
            (
                std::mem::take(&mut direct.asked_entities),
                "SELECT id, key FROM entity WHERE id = ANY(?1)",
                &mut self.entities,
            ),
            (
                std::mem::take(&mut direct.asked_sources),
                "SELECT id, key FROM source WHERE id = ANY(?1)",
                &mut self.sources,
            ),
        ];
        for (ids, sql, cache) in asked {
            if ids.is_empty() {
                continue;
            }
            let list: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
            let found: HashMap<String, i64> = self
                .db
                .query_map(sql, &[&Param::Texts(&list)], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(failed)?
                .into_iter()
                .collect();
            for id in list {
                if cache.get(id).is_none() {
                    cache.set(id, found.get(id).copied());
                }
            }
        }
        Ok(())
    }

    /// Copies the rows waiting in memory into the copies (when writing directly).
    pub(super) fn copy_direct_rows(&mut self) -> Result<(), StoreError> {
        let Writes::Direct(direct) = &mut self.writes else {
            return Ok(());
        };
        let what = "cannot copy the imported relations to the server";
        direct.rows.copy_into(self.db, COPY_RELATIONS_SQL, what)?;
        direct.texts.copy_into(self.db, COPY_TEXTS_SQL, what)
    }

    /// True when relations are written straight into the copies: one that gives an id
    /// may find it held by one of them (see [`Importer::claim`]). The rows waiting are
    /// copied in first, and the copy's keys indexed (once).
    pub(super) fn ready_copied_keys(&mut self) -> Result<bool, StoreError> {
        self.copy_direct_rows()?;
        let Writes::Direct(direct) = &mut self.writes else {
            return Ok(false);
        };
        if !direct.keys_indexed {
            // Names from the schema's constants, never from input.
            self.db
                .execute_batch(&format!(
                    "CREATE INDEX {KEYS_INDEX} ON {} (key)",
                    relation_copy!()
                ))
                .map_err(StoreError::db("cannot look up the imported relations' ids"))?;
            direct.keys_indexed = true;
        }
        Ok(true)
    }

    /// Ends [`Direct`] writes: copies what waits, writes the staged relations into the
    /// copy with their keys (refusing the import at the first that names an unknown id),
    /// removes the copies, and swaps the tables in. Returns how many staged relations were
    /// written and how many relations were removed as copies.
    pub(super) fn finish_direct(&mut self) -> Result<Option<(u64, u64)>, StoreError> {
        self.copy_direct_rows()?;
        let Writes::Direct(direct) = std::mem::take(&mut self.writes) else {
            return Ok(None);
        };
        let failed = StoreError::db("cannot insert the imported relations");
        self.copy_staged()?;
        let added = self
            .db
            .execute(INSERT_STAGED_DIRECT_SQL, &[])
            .map_err(failed)? as u64;
        if added < self.staged {
            self.check_ids()?;
            return Err(StoreError::Corrupt {
                what: format!(
                    "wrote {added} of the import's {} staged relations",
                    self.staged
                ),
            });
        }
        self.db
            .execute(INDEX_STAGED_TEXT_DIRECT_SQL, &[])
            .map_err(failed)?;
        if direct.keys_indexed {
            self.db
                .execute_batch(&format!("DROP INDEX {KEYS_INDEX}"))
                .map_err(failed)?;
        }
        direct.swap.finish(self.db).map_err(failed)?;
        // Once the tables are swapped in, with their indexes: found in one ordered read,
        // removed by key (SQLite's bulk import removes them once its fingerprint index is
        // built, likewise).
        let removed = self.remove_copied_rows().map_err(failed)?;
        #[cfg(test)]
        if let Ok(mut copied) = COPIED.lock() {
            copied.push((self.file.to_string(), direct.copied));
        }
        Ok(Some((added, removed)))
    }

    /// Removes the relations that another has the fingerprint of (see
    /// [`REMOVE_COPIES_SQL`]); returns how many.
    fn remove_copied_rows(&self) -> Result<u64, DbError> {
        // The planner, which knows nothing of the new table yet, would hash.
        let hashed: String =
            self.db
                .query_row("SELECT current_setting('enable_hashagg')", &[], |r| {
                    r.get(0)
                })?;
        self.db.execute_batch("SET LOCAL enable_hashagg = off")?;
        let repeated: Vec<String> = self.db.query_map(REPEATED_SQL, &[], |r| r.get(0))?;
        self.db.query_row(
            "SELECT set_config('enable_hashagg', ?1, true)",
            &[&hashed],
            |_| Ok(()),
        )?;
        if repeated.is_empty() {
            return Ok(0);
        }
        let repeated: Vec<&str> = repeated.iter().map(String::as_str).collect();
        let removed: i64 = self.db.query_row(
            REMOVE_COPIES_SQL,
            &[&self.change, &Param::Texts(&repeated)],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(removed).unwrap_or(0))
    }
}
