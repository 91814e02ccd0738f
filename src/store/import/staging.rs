//! The SQL that writes relations, and the staging table for relations that name ids
//! defined later in the file: staging them, then checking and writing them at the end.

use std::collections::HashMap;

use super::copy_rows::COPY_BATCH_BYTES;
use super::importer::Importer;
use super::record::{Fault, RecordError};
use super::relation::{text_cells, RelationRecord};
use super::swap::{relation_copy, relation_text_copy, Swap};
use crate::store::db::{DbError, Dialect, Param, ToParam};
use crate::store::StoreError;

/// The staging table for relations, then its index of keys (one statement each, so that
/// both stay compiled in the connection's cache): their fields as written, with the
/// file's line numbers, resolved to keys at the end of the file. Emptied
/// ([`empty_stage_sql`]) at the start (a rolled back import leaves it empty too) and at
/// the end of each import. Each engine's types: see [`stage_sql`].
const STAGE_SQLITE_SQL: [&str; 2] = [
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

/// The staging table on PostgreSQL: SQLite's columns in PostgreSQL's types, and the
/// quote and note folded for the text index (`relation_text`), which the store fills
/// itself there (SQLite's triggers fold them). A temporary table is the session's own:
/// another session's import never sees these rows.
const STAGE_POSTGRES_SQL: [&str; 3] = [
    "CREATE TEMP TABLE IF NOT EXISTS import_relation (
    line        BIGINT PRIMARY KEY,
    key         BIGINT NOT NULL,
    subject     TEXT COLLATE \"C\" NOT NULL,
    predicate   TEXT COLLATE \"C\" NOT NULL,
    object      TEXT COLLATE \"C\" NOT NULL,
    when_text   TEXT COLLATE \"C\",
    from_text   TEXT COLLATE \"C\",
    to_text     TEXT COLLATE \"C\",
    at_text     TEXT COLLATE \"C\",
    start_lo    BIGINT,
    start_hi    BIGINT,
    end_lo      BIGINT,
    end_hi      BIGINT,
    status      TEXT COLLATE \"C\" NOT NULL,
    place       TEXT COLLATE \"C\",
    source      TEXT COLLATE \"C\",
    quote       TEXT COLLATE \"C\",
    note        TEXT COLLATE \"C\",
    confidence  DOUBLE PRECISION,
    fingerprint BYTEA NOT NULL,
    mirror      BYTEA NOT NULL,
    since_change BIGINT NOT NULL,
    quote_folded TEXT COLLATE \"C\",
    note_folded TEXT COLLATE \"C\"
)",
    "CREATE INDEX IF NOT EXISTS import_relation_key ON import_relation(key)",
    // The keys of the staged relations written (see `KEY_STAGED_SQL`).
    "CREATE TEMP TABLE IF NOT EXISTS import_key (line BIGINT NOT NULL, key BIGINT NOT NULL)",
];

/// The statements that make the staging table (see [`STAGE_SQLITE_SQL`]).
pub(super) fn stage_sql(dialect: Dialect) -> &'static [&'static str] {
    match dialect {
        Dialect::Sqlite => &STAGE_SQLITE_SQL,
        Dialect::Postgres => &STAGE_POSTGRES_SQL,
    }
}

/// The statement that empties the staging table (the session's temporary one on both
/// engines: SQLite and PostgreSQL look a name up among the temporary tables first).
/// PostgreSQL's `TRUNCATE` drops the rows' files at once where a `DELETE` marks every row
/// (at the end of a large import, while readers wait for its commit: see
/// [`super::swap`]); SQLite has no `TRUNCATE`, but a `DELETE` without `WHERE` drops the
/// table's pages the same way (its truncate optimisation).
pub(super) fn empty_stage_sql(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "DELETE FROM import_relation",
        Dialect::Postgres => "TRUNCATE import_relation",
    }
}

/// COPY of staged rows (PostgreSQL), in [`StagedRows`]' text format.
const COPY_STAGED_SQL: &str = "COPY import_relation (line, key, subject, predicate, object,
    when_text, from_text, to_text, at_text, start_lo, start_hi, end_lo, end_hi, status, place,
    source, quote, note, confidence, fingerprint, mirror, since_change, quote_folded,
    note_folded) FROM STDIN";

const STAGE_RELATION_SQL: &str = "
INSERT INTO import_relation(line, key, subject, predicate, object, when_text, from_text,
    to_text, at_text, start_lo, start_hi, end_lo, end_hi, status, place, source, quote, note,
    confidence, fingerprint, mirror, since_change)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
    ?20, ?21, ?22)";

/// The columns of a relation row, in the order of the parameters below (into `$table`,
/// `relation` unless given).
macro_rules! relation_columns {
    () => {
        relation_columns!("relation")
    };
    ($table:expr) => {
        concat!(
            "INSERT INTO ",
            $table,
            "(key, subject, predicate, object, when_text, from_text, to_text,
    at_text, start_lo, start_hi, end_lo, end_hi, status, place, source, quote, note,
    confidence, fingerprint, since_change)"
        )
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

/// Writes the staged relations whose ids all resolve, in line order (or as `$order`, an
/// `ORDER BY` clause or none), into `relation` (or `$table`): `$from` gives the staged rows
/// (as `st`), `$filter` which of them are written, `$key` their keys (`st.key` unless
/// given). A relation of a symmetric predicate is stored with the smaller of its two
/// fingerprints.
macro_rules! insert_staged_sql {
    ($join:literal, $from:expr, $filter:expr) => {
        insert_staged_sql!($join, "st.key", $from, $filter, "ORDER BY st.line")
    };
    ($join:literal, $key:literal, $from:expr, $filter:expr, $order:literal) => {
        insert_staged_sql!($join, $key, $from, $filter, $order, "relation")
    };
    ($join:literal, $key:literal, $from:expr, $filter:expr, $order:literal, $table:expr) => {
        concat!(
            relation_columns!($table),
            "
SELECT ",
            $key,
            ", s.key, p.key, o.key, st.when_text, st.from_text, st.to_text, st.at_text,
    st.start_lo, st.start_hi, st.end_lo, st.end_hi, st.status, pl.key, so.key, st.quote,
    st.note, st.confidence,
    CASE WHEN p.\"symmetric\" = 1 AND st.mirror < st.fingerprint THEN st.mirror
         ELSE st.fingerprint END,
    st.since_change
FROM ",
            $from,
            " st
",
            $join,
            " entity s ON s.id = st.subject
",
            $join,
            " predicate p ON p.id = st.predicate
",
            $join,
            " entity o ON o.id = st.object
LEFT JOIN entity pl ON pl.id = st.place
LEFT JOIN source so ON so.id = st.source
WHERE ",
            $filter,
            "
",
            $order
        )
    };
}

/// Which staged rows (as `st`, joined as [`insert_staged_sql`] joins them) name a place
/// and source the store has (`JOIN` leaves out those whose entities are unknown).
macro_rules! known_ends_sql {
    () => {
        "(st.place IS NULL OR pl.key IS NOT NULL) AND (st.source IS NULL OR so.key IS NOT NULL)"
    };
}

/// The staged rows (as `st`) numbered within each fingerprint (`copy`), the stored one of
/// a symmetric predicate's (the smaller of its two).
macro_rules! numbered_staged_sql {
    () => {
        "(SELECT i.*, row_number() OVER (
          PARTITION BY CASE WHEN q.\"symmetric\" = 1 AND i.mirror < i.fingerprint THEN i.mirror
                            ELSE i.fingerprint END
          ORDER BY i.line) AS copy
      FROM import_relation i JOIN predicate q ON q.id = i.predicate)"
    };
}

/// Which staged rows are written: the first of the file's copies of each, unless it is
/// stored (for a symmetric predicate, either way round).
macro_rules! new_staged_sql {
    () => {
        "st.copy = 1 AND NOT EXISTS (SELECT 1 FROM relation r WHERE r.fingerprint IN
         (st.fingerprint, CASE WHEN p.\"symmetric\" = 1 THEN st.mirror ELSE st.fingerprint END))"
    };
}

pub(super) use {
    insert_staged_sql, known_ends_sql, new_staged_sql, numbered_staged_sql, relation_columns,
};

/// Writes the staged relations not stored yet (for a symmetric predicate, either way
/// round), the first of the file's copies of each. SQLite joins in the order written
/// (CROSS JOIN); PostgreSQL has no CROSS JOIN … ON, and chooses its order.
const INSERT_STAGED_SQL: &str =
    insert_staged_sql!("CROSS JOIN", numbered_staged_sql!(), new_staged_sql!());
const INSERT_STAGED_POSTGRES_SQL: &str =
    insert_staged_sql!("JOIN", numbered_staged_sql!(), new_staged_sql!());

/// Writes every staged relation during a bulk insert (copies are removed afterwards).
const BULK_INSERT_STAGED_SQL: &str = insert_staged_sql!("CROSS JOIN", "import_relation", "true");

/// Numbers the staged relations as SQLite's import does (PostgreSQL, where every relation
/// is staged), into `import_key`: before a bulk insert begins, a relation that turns out
/// to be stored already or a copy takes no key; from the first relation read once as
/// many new ones as a bulk insert takes (`?2`) were written, every relation takes one
/// (SQLite writes them all and removes the copies). Keys from `?1` on, in line order; only
/// the relations to be written are listed. A narrow table of its own rather than an
/// `UPDATE` of the staged rows, which wrote every wide staged row again (twice).
const KEY_STAGED_SQL: &str = concat!(
    "INSERT INTO import_key (line, key)
SELECT line, key
FROM (SELECT line, written,
             CAST(?1 AS BIGINT) + count(*) FILTER (WHERE takes_key) OVER (ORDER BY line
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS key
      FROM (SELECT line, written,
                   written OR COALESCE(sum(CASE WHEN written THEN 1 ELSE 0 END) OVER (
                       ORDER BY line ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                       >= CAST(?2 AS BIGINT) AS takes_key
            FROM (SELECT st.line, (",
    new_staged_sql!(),
    ") AS written FROM ",
    numbered_staged_sql!(),
    " st
JOIN predicate p ON p.id = st.predicate
            -- Not merged into the outer query: `written` is computed once per row, not
            -- once for each of its two uses.
            OFFSET 0) flagged) counted) n
WHERE written"
);

/// Writes the staged relations listed in `import_key`, with their keys there, by
/// subject: three of the table's indexes (subject, pair, subject and end) then take the
/// rows in their order, near the last one written, rather than at random places, which
/// once the indexes outgrow the server's buffers costs a page read and write each
/// (1M relations into the indexed table: 91 s by subject against 154 s by key). The
/// keys, not the order of insertion, give the relations' order.
const INSERT_KEYED_POSTGRES_SQL: &str = insert_staged_sql!(
    "JOIN",
    "k.key",
    "import_key k, import_relation",
    "k.line = st.line",
    "ORDER BY s.key, k.key"
);

/// [`INSERT_KEYED_POSTGRES_SQL`] into the copy of `relation` a swap writes into
/// ([`super::swap`]), unsorted: its indexes are built once the rows are in, so no order
/// of insertion spares them work, and a sort would cost a sort of every row. The rows
/// come as the join reads the staged ones, by line, which is the keys' order (as SQLite
/// stores them); nothing relies on it. A relation that names an id neither the store nor
/// the file has is left out (its entity's or source's key is missing), so that the check
/// of ids ([`Importer::check_ids`]), which reads every staged relation, runs only when
/// fewer relations were written than were keyed: it names the first such line then.
const INSERT_KEYED_SWAPPED_SQL: &str = insert_staged_sql!(
    "JOIN",
    "k.key",
    "import_key k, import_relation",
    concat!("k.line = st.line AND ", known_ends_sql!()),
    "",
    relation_copy!()
);

/// The text index's rows of the staged relations written with their keys in
/// `import_key` (PostgreSQL: see [`STAGE_POSTGRES_SQL`]), into `$table`.
macro_rules! index_keyed_text_sql {
    ($table:expr) => {
        concat!(
            "INSERT INTO ",
            $table,
            " (key, quote, note)
SELECT k.key, st.quote_folded, st.note_folded FROM import_key k
JOIN import_relation st ON st.line = k.line
WHERE st.quote_folded IS NOT NULL OR st.note_folded IS NOT NULL"
        )
    };
}
const INDEX_KEYED_TEXT_SQL: &str = concat!(
    index_keyed_text_sql!("relation_text"),
    " ON CONFLICT (key) DO NOTHING"
);

/// [`INDEX_KEYED_TEXT_SQL`] into the copy of `relation_text` a swap writes into, which
/// has no text row of these new keys (nor the index that `ON CONFLICT` needs).
const INDEX_KEYED_TEXT_SWAPPED_SQL: &str = index_keyed_text_sql!(relation_text_copy!());

/// Empties `import_key` (before it is filled, and once it was used).
const EMPTY_KEYS_SQL: &str = "TRUNCATE import_key";

/// The text index's rows of the staged relations written (PostgreSQL, relations that
/// gave their ids: see [`STAGE_POSTGRES_SQL`]).
const INDEX_STAGED_TEXT_SQL: &str = "INSERT INTO relation_text (key, quote, note)
SELECT st.key, st.quote_folded, st.note_folded FROM import_relation st
JOIN relation r ON r.key = st.key AND r.since_change = st.since_change
WHERE st.quote_folded IS NOT NULL OR st.note_folded IS NOT NULL
ON CONFLICT (key) DO NOTHING";

impl<'t> Importer<'t> {
    /// Stages a relation that names an id not seen yet, with its line, key and change.
    pub(super) fn stage(
        &mut self,
        r: &RelationRecord,
        line: u64,
        key: i64,
        since: i64,
    ) -> Result<(), RecordError> {
        let line = i64::try_from(line).unwrap_or(i64::MAX);
        let mirror = r.mirrored();
        let mut cells = vec![
            line.param(),
            key.param(),
            r.subject.param(),
            r.predicate.param(),
            r.object.param(),
        ];
        cells.extend(r.time_cells());
        cells.extend([
            r.place.param(),
            r.source.param(),
            r.quote.param(),
            r.note.param(),
            r.confidence.param(),
            Param::Blob(&r.fingerprint),
            Param::Blob(&mirror),
            since.param(),
        ]);
        if !self.stage_all {
            let params: Vec<&dyn ToParam> = cells.iter().map(|c| c as &dyn ToParam).collect();
            self.db.execute(STAGE_RELATION_SQL, &params)?;
            return Ok(());
        }
        // PostgreSQL: copied in batches, with the texts folded for the text index.
        let folded = r.folded_texts();
        let mut row = cells;
        row.extend(text_cells(&folded));
        self.copy.push(&row);
        if self.copy.len() >= COPY_BATCH_BYTES {
            self.copy_staged()?;
        }
        Ok(())
    }

    /// Lists the staged relations that will be written with the keys SQLite's import
    /// gives them, in `import_key` (PostgreSQL, for a file whose relations give no ids):
    /// SQLite writes a relation whose ids are known at once, and only a new one takes a
    /// key; here every relation was staged with a key on reading. The relations that
    /// count from an anchor follow their keys by line. Returns how many are listed.
    fn key_staged(&mut self) -> Result<u64, DbError> {
        self.db.execute(EMPTY_KEYS_SQL, &[])?;
        // SQLite's threshold of a bulk insert (see `drop_relation_indexes_for_bulk`).
        let bulk = super::bulk::BULK_RELATIONS.max(self.stored_relations);
        let listed = self.db.execute(KEY_STAGED_SQL, &[&self.first_key, &bulk])? as u64;
        self.min_written_key = self.min_written_key.min(self.first_key);
        if self.anchored.is_empty() {
            return Ok(listed);
        }
        let lines: Vec<i64> = self
            .anchored
            .iter()
            .map(|(_, line, _)| i64::try_from(*line).unwrap_or(i64::MAX))
            .collect();
        let keys: HashMap<i64, i64> = self
            .db
            .query_map(
                "SELECT line, key FROM import_key WHERE line = ANY(?1)",
                &[&Param::Ints(&lines)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .into_iter()
            .collect();
        // A relation not written gets a negative key, which no relation has.
        for ((key, _, _), line) in self.anchored.iter_mut().zip(lines) {
            *key = keys.get(&line).copied().unwrap_or(-line);
        }
        Ok(listed)
    }

    /// Copies the staged rows waiting in memory into the staging table (PostgreSQL).
    pub(super) fn copy_staged(&mut self) -> Result<(), StoreError> {
        self.copy.copy_into(
            self.db,
            COPY_STAGED_SQL,
            "cannot copy the imported relations to the server",
        )
    }

    /// Inserts the staged relations; returns how many were new. During a bulk insert
    /// (the fingerprint index dropped) every staged relation is written and the copies
    /// are removed afterwards.
    pub(super) fn insert_staged(&mut self) -> Result<u64, StoreError> {
        self.copy_staged()?;
        let keyed = self.stage_all && !self.gave_ids;
        let failed = StoreError::db("cannot insert the imported relations");
        // As many relations as SQLite's bulk insert takes (see `key_staged`), and at least
        // as many as the store holds, which the swap copies.
        let bulk = super::bulk::BULK_RELATIONS.max(self.stored_relations);
        let swap = match keyed && i64::try_from(self.staged).unwrap_or(i64::MAX) >= bulk {
            true => Swap::begin(self.db).map_err(failed)?,
            false => None,
        };
        // A swap's insert leaves out a relation that names an unknown id, and the check
        // runs only when one is missing (see `INSERT_KEYED_SWAPPED_SQL`); otherwise first.
        if swap.is_none() {
            self.check_ids()?;
        }
        let (sql, text) = match (self.db.dialect(), self.dropped_indexes.is_some()) {
            (Dialect::Sqlite, true) => (BULK_INSERT_STAGED_SQL, None),
            (Dialect::Sqlite, false) => (INSERT_STAGED_SQL, None),
            (Dialect::Postgres, _) if swap.is_some() => {
                (INSERT_KEYED_SWAPPED_SQL, Some(INDEX_KEYED_TEXT_SWAPPED_SQL))
            }
            (Dialect::Postgres, _) if keyed => {
                (INSERT_KEYED_POSTGRES_SQL, Some(INDEX_KEYED_TEXT_SQL))
            }
            (Dialect::Postgres, _) => (INSERT_STAGED_POSTGRES_SQL, Some(INDEX_STAGED_TEXT_SQL)),
        };
        let keys = match keyed {
            true => self.key_staged().map_err(failed)?,
            false => 0,
        };
        // The copies have no foreign keys until their rows are in.
        let unchecked = swap.is_none() && self.skip_row_checks().map_err(failed)?;
        let added = self.db.execute(sql, &[]).map_err(failed)? as u64;
        if swap.is_some() && added < keys {
            self.check_ids()?;
            return Err(StoreError::Corrupt {
                what: format!("wrote {added} of the import's {keys} new relations"),
            });
        }
        if let Some(text) = text {
            self.db.execute(text, &[]).map_err(failed)?;
        }
        if unchecked {
            self.row_checks_on().map_err(failed)?;
        }
        if let Some(swap) = swap {
            swap.finish(self.db).map_err(failed)?;
        }
        if keyed {
            self.db.execute(EMPTY_KEYS_SQL, &[]).map_err(failed)?;
        }
        Ok(added)
    }

    /// Refuses the import at the first staged relation (by line) that names an entity or
    /// source neither the store nor the file has.
    pub(super) fn check_ids(&self) -> Result<(), StoreError> {
        let unresolved: Option<(i64, String, String)> = self
            .db
            .query_opt(
                match self.db.dialect() {
                    Dialect::Sqlite => UNRESOLVED_SQL,
                    Dialect::Postgres => UNRESOLVED_POSTGRES_SQL,
                },
                &[],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(StoreError::db(
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

        Ok(())
    }
}

/// PostgreSQL: no trigger of the session's fires, foreign keys' included, until
/// [`ROW_CHECKS_ON_SQL`]; settable by a superuser, or a role granted `SET ON PARAMETER
/// session_replication_role` (PostgreSQL 15 and later).
const ROW_CHECKS_OFF_SQL: &str = "SET LOCAL session_replication_role = replica";

/// The entities, predicates and sources the import's relations name stay as they are
/// until it commits: other writers of them wait (as they wait for the store's lock of
/// changes anyway); readers do not.
const HOLD_NAMED_ROWS_SQL: &str = "LOCK TABLE entity, predicate, source IN SHARE MODE";

/// Triggers, and foreign keys' checks, fire again.
const ROW_CHECKS_ON_SQL: &str = "SET LOCAL session_replication_role = DEFAULT";

impl Importer<'_> {
    /// PostgreSQL checks each row written to a table with foreign keys by a query of its
    /// own per key (a relation's subject, predicate and object, place and source; its text
    /// row's relation; a name's entity): most of the time of a large import. The
    /// statements of [`Importer::insert_staged`] take every key they write from a join
    /// with the row it names (the relation's text from the relation just written), and a
    /// batch of entities writes its names and weak aliases with the keys of the entities
    /// it wrote just before, so those checks cannot fail once nothing can remove the
    /// named rows before the import commits. When the session may turn its triggers off
    /// (`session_replication_role`), they are off for those statements alone (the
    /// import's own triggers are off for the whole import already: see
    /// `QUIET_COUNT_TRIGGERS_SQL`; on again by [`Importer::row_checks_on`]) and the named
    /// tables are locked against writers; when it may not, the checks run. True when they
    /// are off.
    pub(super) fn skip_row_checks(&self) -> Result<bool, DbError> {
        if self.db.dialect() != Dialect::Postgres {
            return Ok(false);
        }
        // A refused SET would end the transaction; a savepoint keeps it.
        self.db.execute_batch("SAVEPOINT row_checks")?;
        if self.db.execute_batch(ROW_CHECKS_OFF_SQL).is_err() {
            self.db
                .execute_batch("ROLLBACK TO SAVEPOINT row_checks; RELEASE row_checks")?;
            return Ok(false);
        }
        self.db.execute_batch("RELEASE row_checks")?;
        self.db.execute_batch(HOLD_NAMED_ROWS_SQL)?;
        Ok(true)
    }

    /// Triggers and foreign keys' checks fire again, after [`Importer::skip_row_checks`]
    /// turned them off.
    pub(super) fn row_checks_on(&self) -> Result<(), DbError> {
        self.db.execute_batch(ROW_CHECKS_ON_SQL)
    }
}

/// The staged relations (as `u`: line, field, id) that name an entity or source neither
/// the store nor the file has.
macro_rules! unresolved_sql {
    () => {
        "SELECT st.line,
                CASE WHEN s.key IS NULL THEN 'subject'
                     WHEN o.key IS NULL THEN 'object'
                     WHEN st.place IS NOT NULL AND pl.key IS NULL THEN 'place'
                     ELSE 'source' END AS field,
                CASE WHEN s.key IS NULL THEN st.subject
                     WHEN o.key IS NULL THEN st.object
                     WHEN st.place IS NOT NULL AND pl.key IS NULL THEN st.place
                     ELSE st.source END AS id
         FROM import_relation st
         LEFT JOIN entity s ON s.id = st.subject
         LEFT JOIN entity o ON o.id = st.object
         LEFT JOIN entity pl ON pl.id = st.place
         LEFT JOIN source so ON so.id = st.source
         WHERE s.key IS NULL OR o.key IS NULL
            OR (st.place IS NOT NULL AND pl.key IS NULL)
            OR (st.source IS NOT NULL AND so.key IS NULL)"
    };
}

/// The first staged relation (by line) that names an entity or source neither the store
/// nor the file has: its line, the field, the id.
const UNRESOLVED_SQL: &str = concat!(unresolved_sql!(), " ORDER BY st.line LIMIT 1");

/// [`UNRESOLVED_SQL`] for PostgreSQL: the relations are looked for apart (`OFFSET 0`)
/// from taking the first. Planned together, the server expects a first one early and
/// reads the staged rows in line order with four index lookups each, where joining
/// whole tables (by hash) reads each once: at a million relations, minutes against
/// seconds.
const UNRESOLVED_POSTGRES_SQL: &str = concat!(
    "SELECT line, field, id FROM (",
    unresolved_sql!(),
    " OFFSET 0) u ORDER BY line LIMIT 1"
);

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
