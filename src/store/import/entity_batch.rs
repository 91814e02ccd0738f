//! PostgreSQL: the new entities of a JSON Lines file, with their names and weak aliases,
//! gathered in memory and written a batch at a time (COPY into `entity`, `alias` and
//! `weak_alias`), their names then checked against other entities' names in one
//! statement per batch. Row by row, each new entity cost about seven round trips to the
//! server (its row, each name, each name's check); the writes and checks here give the
//! same rows, keys, counts, warnings and errors (at the same lines) as that order would.
//!
//! What makes it exact: a batch's entities take consecutive keys above every stored
//! one, so "the names stored when this entity was written" are the names of entities
//! with smaller keys; and the batch is written before anything else reads or writes
//! entities or names (an entity record that is not new, the end of the file, an error).

use std::collections::HashSet;

use super::copy_rows::{StagedRows, COPY_BATCH_BYTES};
use super::importer::Importer;
use super::record::RecordError;
use crate::names;
use crate::store::db::{Param, ToParam};
use crate::store::StoreError;

/// COPY of new entities' rows.
const COPY_ENTITY_SQL: &str = "COPY entity (key, id, kind, name, note, since_change) FROM STDIN";

/// COPY of their names (the display name, `is_name` 1 and `ord` 0; aliases from 1).
const COPY_ALIAS_SQL: &str = "COPY alias (entity, text, norm, is_name, ord) FROM STDIN";

/// COPY of their weak aliases (see [`crate::store::mentions::insert_weak_aliases`]).
const COPY_WEAK_ALIAS_SQL: &str = "COPY weak_alias (entity, text, norm, ord) FROM STDIN";

/// The words of the batch's names (entities `?1` to `?2` - 1), as the trigger
/// `alias_words_insert` lists them for each name with a space. In the order of the
/// table's key, so that its index takes them page after page rather than at random.
const NAME_WORDS_SQL: &str = "INSERT INTO name_word (word, entity)
SELECT w, entity FROM (
    SELECT DISTINCT w, a.entity FROM alias a, unnest(name_words(a.norm)) AS w
    WHERE a.entity >= ?1 AND a.entity < ?2 AND strpos(a.norm, ' ') > 0) words
ORDER BY w, entity
ON CONFLICT DO NOTHING";

/// The names of the batch's entities (keys `?1` to `?2` - 1) that an entity written
/// before it already has (the smallest such entity's key, as
/// [`Importer::check_name`] finds it), in the order they were written: by entity, its
/// display name, then its aliases in record order.
const SHARED_NAMES_SQL: &str = "SELECT a.entity, a.text, a.is_name, o.id, o.name
FROM alias a
CROSS JOIN LATERAL (SELECT min(b.entity) AS other FROM alias b
                    WHERE b.norm = a.norm AND b.entity < a.entity) c
JOIN entity o ON o.key = c.other
WHERE a.entity >= ?1 AND a.entity < ?2
ORDER BY a.entity, a.is_name DESC, a.ord";

/// Entities gathered before a batch is written: bounds the memory of the ids and lines
/// kept (the rows' bytes are bounded by [`COPY_BATCH_BYTES`]).
const BATCH_ENTITIES: usize = 50_000;

/// A new entity record's fields.
pub(super) struct NewEntity<'r> {
    pub(super) id: &'r str,
    pub(super) kind: &'r str,
    pub(super) name: &'r str,
    pub(super) note: Option<&'r str>,
    pub(super) aliases: &'r [&'r str],
    pub(super) weak_aliases: &'r [&'r str],
}

/// New entities waiting to be written, as COPY rows.
#[derive(Default)]
pub(super) struct EntityBatch {
    entities: StagedRows,
    aliases: StagedRows,
    weak_aliases: StagedRows,
    /// The key of the batch's first entity; the others follow it.
    first_key: i64,
    /// The batch's entities in key order: line and id.
    lines: Vec<(u64, Box<str>)>,
    ids: HashSet<Box<str>>,
}

impl EntityBatch {
    fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    fn full(&self) -> bool {
        self.lines.len() >= BATCH_ENTITIES
            || self.entities.len() + self.aliases.len() + self.weak_aliases.len()
                >= COPY_BATCH_BYTES
    }

    /// Adds entity `key`'s rows; returns how many names and weak aliases it gets (one
    /// given twice counts once, as the tables' keys (entity, text) keep it once).
    fn push(&mut self, key: i64, line: u64, entity: &NewEntity, change: i64) -> u64 {
        if self.lines.is_empty() {
            self.first_key = key;
        }
        self.lines.push((line, entity.id.into()));
        self.ids.insert(entity.id.into());
        let note = entity.note.map_or(Param::Null, Param::Text);
        self.entities.push(&[
            key.param(),
            entity.id.param(),
            entity.kind.param(),
            entity.name.param(),
            note,
            change.param(),
        ]);
        let mut seen: HashSet<&str> = HashSet::new();
        let mut ord = 0_i64;
        let names = std::iter::once((entity.name, true))
            .chain(entity.aliases.iter().map(|alias| (*alias, false)));
        for (text, is_name) in names {
            if !seen.insert(text) {
                continue;
            }
            // The display name has 0; aliases are numbered from 1 in record order.
            if !is_name {
                ord += 1;
            }
            let norm = names::normalise(text);
            self.aliases.push(&[
                key.param(),
                text.param(),
                norm.param(),
                is_name.param(),
                (if is_name { 0 } else { ord }).param(),
            ]);
        }
        let names = seen.len() as u64;
        let mut seen: HashSet<&str> = HashSet::new();
        for text in entity.weak_aliases {
            if !seen.insert(text) {
                continue;
            }
            let norm = names::normalise(text);
            let ord = seen.len() as i64;
            self.weak_aliases
                .push(&[key.param(), text.param(), norm.param(), ord.param()]);
        }
        // Weak aliases count as names, as the record-by-record path counts them.
        names + seen.len() as u64
    }
}

impl<'t> Importer<'t> {
    /// Gathers a new entity into the batch (PostgreSQL, JSON Lines): true if it was,
    /// false if the record must be written as it is read (its id is stored or in the
    /// batch: the batch is written first; or no batch is kept).
    pub(super) fn gather_entity(
        &mut self,
        entity: &NewEntity,
        line: u64,
    ) -> Result<bool, RecordError> {
        let Some(batch) = self.entity_batch.as_ref() else {
            return Ok(false);
        };
        if batch.ids.contains(entity.id) {
            self.write_entity_batch()?;
            return Ok(false);
        }
        let missing = match self.entities.get(entity.id) {
            Some(known) => known.is_none(),
            // An empty store held none, and every entity this import wrote is in the cache
            // while it holds every id it was given: one it lacks is missing, no query.
            None if self.stored_entities == 0 && self.entities.holds_all_given() => true,
            None => {
                let key =
                    self.db
                        .query_opt(super::importer::LOOKUP_ENTITY_SQL, &[&entity.id], |r| {
                            r.get(0)
                        })?;
                self.entities.set(entity.id, key);
                key.is_none()
            }
        };
        if !missing {
            self.write_entity_batch()?;
            return Ok(false);
        }
        let key = self.next_entity_key;
        self.next_entity_key = key.saturating_add(1);
        self.summary.entities.added += 1;
        self.entities.set(entity.id, Some(key));
        let change = self.change;
        let Some(batch) = self.entity_batch.as_mut() else {
            return Ok(false);
        };
        self.summary.aliases_added += batch.push(key, line, entity, change);
        if batch.full() {
            self.write_entity_batch()?;
        }
        Ok(true)
    }

    /// Writes the gathered entities, their names and weak aliases, then checks their
    /// names in the order they were gathered (warnings, or the first refused when
    /// strict, at its record's line).
    pub(super) fn write_entity_batch(&mut self) -> Result<(), StoreError> {
        if self.entity_batch.as_ref().is_none_or(EntityBatch::is_empty) {
            return Ok(());
        }
        let what = "cannot write the imported entities";
        let failed = StoreError::db(what);
        // The names' and weak aliases' entities are the batch's, written first: their
        // foreign keys' checks cannot fail (see `skip_row_checks`).
        let unchecked = self.skip_row_checks().map_err(failed)?;
        let Some(batch) = self.entity_batch.as_mut() else {
            return Ok(());
        };
        batch.entities.copy_into(self.db, COPY_ENTITY_SQL, what)?;
        let first = batch.first_key;
        let end = first.saturating_add(batch.lines.len() as i64);
        // The words of the names, listed by one statement rather than by the trigger
        // for each name (a PL/pgSQL call per row took most of the batch's time).
        self.db
            .execute_batch("ALTER TABLE alias DISABLE TRIGGER alias_words_insert")
            .map_err(failed)?;
        batch.aliases.copy_into(self.db, COPY_ALIAS_SQL, what)?;
        self.db
            .execute(NAME_WORDS_SQL, &[&first, &end])
            .map_err(failed)?;
        self.db
            .execute_batch("ALTER TABLE alias ENABLE TRIGGER alias_words_insert")
            .map_err(failed)?;
        batch
            .weak_aliases
            .copy_into(self.db, COPY_WEAK_ALIAS_SQL, what)?;
        let lines = std::mem::take(&mut batch.lines);
        batch.ids.clear();
        if unchecked {
            self.row_checks_on().map_err(failed)?;
        }
        let shared: Vec<(i64, String, i64, String, String)> = self
            .db
            .query_map(SHARED_NAMES_SQL, &[&first, &end], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .map_err(StoreError::db("cannot check the imported names"))?;
        for (key, text, is_name, other, other_name) in shared {
            let Some((line, id)) = usize::try_from(key - first).ok().and_then(|i| lines.get(i))
            else {
                continue;
            };
            if self.warning_omitted() {
                continue;
            }
            match self.shared_name(*line, is_name != 0, &text, id, &other, &other_name) {
                Ok(()) => {}
                Err(RecordError::Fault(fault)) => return Err(self.bad(*line, None, fault)),
                Err(RecordError::Store(e)) => return Err(e),
            }
        }
        Ok(())
    }

    /// The error an import stops with, given `error` from a record: a name of an entity
    /// still in the batch refused when strict came first (at an earlier line).
    pub(super) fn first_error(&mut self, error: StoreError) -> StoreError {
        match self.write_entity_batch() {
            Err(earlier @ StoreError::BadRecord { .. }) => earlier,
            _ => error,
        }
    }
}
