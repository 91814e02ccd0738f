//! Import of JSON Lines and CSV files into the store: validation of every record, one
//! transaction per file recorded as one change (origin: the file's name and SHA-256),
//! idempotent re-imports (relation fingerprints, id checks), warnings about names that
//! look like mistakes, the restore of a history export, and the summary of what was added.
//!
//! Rules chosen here (see DATA.md for the format):
//! - Unknown fields (JSON) and unknown columns (CSV) are errors: a misspelt `when` must not
//!   silently drop a date.
//! - Entity and predicate ids are `[a-z0-9_]+`. Source ids are any non-empty text.
//! - A saved query is checked exactly as `save` checks it (name, parameters, syntax, and
//!   the entities, predicates and kinds its body names, against the store as the whole
//!   file leaves it) and stored as `save` would store it; see [`super::saved`].
//! - An empty string is the same as an absent field.
//! - A record for an id already in the store (or earlier in the file) must agree with the
//!   stored record on every field it gives (fields it omits are not compared); entity
//!   aliases are merged (new ones added). A predicate created earlier by a relation that
//!   used it (undeclared) is completed by a later declaration.
//! - A relation whose ids are all known (in the store or earlier in the file) is written
//!   at once with the keys they resolve to; one that names an entity or source not yet
//!   seen is staged in a TEMP table with its line number and resolved at the end of the
//!   file, so a relation may name entities and sources defined further down. Each
//!   relation gets its key when it is read, so keys follow the file's order either way.
//! - A predicate a relation uses without a declaration is created (undeclared) when the
//!   relation is read; a later declaration in the same file completes it.
//! - A relation's `id` (its handle `#N`) is kept when it is free and was never used; an id
//!   that another relation holds is an error, one an identical relation holds means the
//!   record is present. Relations without an id get keys above every key a relation or a
//!   version of one ever had (see [`identity`]).
//! - A symmetric relation is the same record either way round: its fingerprint is looked
//!   up both ways, and stored as the smaller of the two (see [`identity`]).
//! - Everything written carries the import's change number (`since_change`); the change
//!   itself is recorded at the end, only if something was written. An entity that gains
//!   names and a predicate that a declaration completes keep their previous version in
//!   the version tables ([`versions`]).
//! - A new undeclared predicate close to a known one, and a name that already names
//!   another entity, are warned about; `strict` refuses them ([`warnings`]).
//! - A history export (first line `{"type":"history",…}`) is restored as it was written,
//!   changes and versions included, into an empty store only ([`history`]).
//! - A relation is written only when no stored relation has its fingerprint. A bulk
//!   insert (a file that brings at least as many relations as the store held) drops the
//!   relation indexes, writes every relation, then removes the later copies and builds
//!   the indexes again, sorted; likewise the index of normalised names for many entities.
//!
//! A file of at most 64 KiB (`SMALL_FILE`) is read into memory and imported on the
//! caller's thread with SQLite's own constraint checks on. A longer one is streamed with
//! those checks off (they could never fail; switching them makes SQLite compile every
//! statement again, which only a long file repays), and JSON Lines on two threads: the
//! caller's reads, parses and checks each line (a relation's time bounds and fingerprint
//! included) and hands them, in order, to a writer that owns the transaction. CSV is
//! always read and written on one.
//!
//! On PostgreSQL (one code path: the records are read, checked and written by the same
//! code): every relation is staged, its row copied into the session's temporary staging
//! table with COPY in batches, and written at the end by the staged path's set-based
//! statements, numbered as SQLite numbers them (see [`staging`]); the store fills the
//! text index (`relation_text`) with the folded quotes and notes, and moves the identity
//! keys' sequences past the keys it gave. The transaction takes the store's lock of
//! changes (`db::dialect::begin_change`): two imports at once run one after the other,
//! readers are not blocked. A file of at least as many relations as the store holds (and
//! 10,000) is written into fresh copies of `relation` and `relation_text`, indexed after
//! the rows and swapped in by name just before the import's end ([`swap`]): readers wait
//! only from the swap to the commit. Its relations go straight into the copies with COPY
//! as they are read once the first ones qualify ([`direct`]). SQLite's bulk mode and
//! relaxed checks are its own. A history export is restored by the same code on both
//! engines ([`history`]); PostgreSQL checks its deferred foreign keys before the counts
//! are made once at the end.
//!
//! This module holds the public types and [`Store::import`] (the choice between the two,
//! the settings, the transaction and the threads). Its parts: [`jsonl`] and [`csv`] read
//! files into records, whose fields [`record`] reads and [`fields`] checks (also for write
//! statements, which give one record as JSON), and [`digest`] hashes what they read;
//! [`importer`] writes them, with [`relation`], [`identity`], [`staging`] and [`bulk`] for
//! relations, [`versions`] and [`warnings`] for what the records change, [`history`] for
//! history exports; [`progress`] tells the caller how far the reading is.

pub(in crate::store) mod bulk;
mod copy_rows;
mod csv;
mod digest;
mod direct;
#[cfg(test)]
mod direct_tests;
mod entity;
mod entity_batch;
pub(super) mod fields;
mod history;
mod id_cache;
pub(super) mod identity;
mod importer;
mod jsonl;
#[cfg(test)]
mod postgres_tests;
mod progress;
mod record;
mod relation;
mod staging;
mod swap;
#[cfg(test)]
mod swap_tests;
#[cfg(test)]
mod testing;
mod vacuum;
mod versions;
mod warnings;

use std::collections::HashSet;
use std::fmt;
use std::io::{BufRead, Read};
use std::path::Path;
use std::sync::mpsc;

use super::db::{dialect, Db, Dialect};
use super::{Store, StoreError};
use digest::Digesting;
use importer::Importer;
use jsonl::{read_json_lines, symmetric_predicates, Item, PIPELINE_BATCH, PIPELINE_BATCHES};
use progress::Progress;
use staging::{empty_stage_sql, stage_sql};

/// The format of an imported file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// One JSON object per line with a `type` field.
    JsonLines,
    /// A header row, then relations (subject, predicate, object, …) or entities
    /// (id, kind, name, aliases, weak_aliases, note).
    Csv,
}

impl ImportFormat {
    /// The format a file name's extension implies: `.jsonl`, `.ndjson`, `.json` → JSON
    /// Lines; `.csv` → CSV; anything else → `None`.
    pub fn from_path(path: &Path) -> Option<ImportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" | "json" => Some(ImportFormat::JsonLines),
            "csv" => Some(ImportFormat::Csv),
            _ => None,
        }
    }
}

/// How to import.
#[derive(Clone, Copy, Default)]
pub struct ImportOptions<'a> {
    /// Validate everything (unknown ids included), then roll back: nothing is written.
    pub dry_run: bool,
    /// Refuse what would otherwise be a warning (a new predicate close to a known one, a
    /// name that already names another entity): nothing of the file is written.
    pub strict: bool,
    /// Who imports, as the change log records it; `None`: [`super::change::author`] of
    /// nothing given (FACTSTORE_USER, else the login name).
    pub author: Option<&'a str>,
    /// Told how far the import has read (the command line draws a progress bar); the
    /// library itself draws nothing.
    pub progress: Option<&'a dyn ImportProgress>,
}

impl std::fmt::Debug for ImportOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportOptions")
            .field("dry_run", &self.dry_run)
            .field("strict", &self.strict)
            .field("author", &self.author)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// What an import tells of its progress. Called from the thread that reads the input.
pub trait ImportProgress: Sync {
    /// The first `bytes` bytes of the input have been read.
    fn read(&self, bytes: u64);
    /// The import is over, whatever its outcome.
    fn finish(&self);
}

/// How many records of one type a file added, and how many were already present.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordCounts {
    pub added: u64,
    pub present: u64,
}

/// What one imported file added to the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// The file's name as given.
    pub name: String,
    /// True when nothing was written (`--dry-run`).
    pub dry_run: bool,
    pub sources: RecordCounts,
    pub entities: RecordCounts,
    pub predicates: RecordCounts,
    pub relations: RecordCounts,
    pub saved_queries: RecordCounts,
    /// Aliases (names included) added, also to entities that were already present.
    pub aliases_added: u64,
    /// Predicates that relations used without a declaration, created by this import.
    pub new_predicates: Vec<String>,
    /// The file was a history export (`export --history`), restored as written.
    pub history: bool,
    /// Changes and versions of other rows restored from a history export.
    pub changes_restored: u64,
    pub versions_restored: u64,
    /// The number of the change the import recorded; `None` when it wrote nothing, for a
    /// dry run, and for a history export (which restores its own changes).
    pub change: Option<i64>,
    /// What looks like a mistake but was imported (in line order, at most
    /// [`MAX_WARNINGS`]); the command line prints them on standard error.
    pub warnings: Vec<ImportWarning>,
    /// Warnings beyond [`MAX_WARNINGS`], counted.
    pub warnings_omitted: u64,
    /// What could not be done after the import committed (PostgreSQL's VACUUM): the
    /// import stands; the command line prints it as a warning.
    pub after_commit: Option<String>,
}

/// At most this many warnings are kept in an [`ImportSummary`]; the rest are counted.
pub const MAX_WARNINGS: usize = 50;

/// Something an import accepted that looks like a mistake: a new predicate one typo away
/// from a known one, a name that already names another entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    /// The line of the record it concerns.
    pub line: u64,
    /// The field, when it is one.
    pub field: Option<String>,
    /// What looks wrong and what to do about it.
    pub message: String,
}

impl ImportSummary {
    /// True when the import wrote something (the change log records it).
    pub fn wrote_anything(&self) -> bool {
        [
            self.sources,
            self.entities,
            self.predicates,
            self.relations,
            self.saved_queries,
        ]
        .iter()
        .any(|c| c.added > 0)
            || self.aliases_added > 0
            || !self.new_predicates.is_empty()
            || self.changes_restored > 0
            || self.versions_restored > 0
    }

    /// The warnings, one a line, each starting `warning: FILE:LINE:`; empty without any.
    pub fn warnings_text(&self) -> String {
        let mut out = String::new();
        for w in &self.warnings {
            let field = match &w.field {
                Some(f) => format!(" field `{f}`:"),
                None => String::new(),
            };
            out.push_str(&format!(
                "warning: {}:{}:{field} {}\n",
                self.name, w.line, w.message
            ));
        }
        if self.warnings_omitted > 0 {
            out.push_str(&format!(
                "warning: {}: … and {} more warnings like these\n",
                self.name, self.warnings_omitted
            ));
        }
        if let Some(note) = &self.after_commit {
            out.push_str(&format!("warning: {}: {note}\n", self.name));
        }
        out
    }
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.dry_run {
            "checked (dry run, nothing written)"
        } else {
            "imported"
        };
        writeln!(f, "{} {}:", verb, self.name)?;
        let would = if self.dry_run { "would add" } else { "added" };
        for (label, counts) in [
            ("sources", self.sources),
            ("entities", self.entities),
            ("predicates", self.predicates),
            ("relations", self.relations),
            ("saved queries", self.saved_queries),
        ] {
            if counts.added == 0 && counts.present == 0 {
                continue;
            }
            writeln!(
                f,
                "  {label:<14} {would} {}, already present {}",
                counts.added, counts.present
            )?;
        }
        if self.aliases_added > 0 {
            writeln!(f, "  {:<14} {would} {}", "names", self.aliases_added)?;
        }
        if !self.new_predicates.is_empty() {
            writeln!(
                f,
                "  new undeclared predicates: {}",
                self.new_predicates.join(", ")
            )?;
        }
        if self.changes_restored > 0 || self.versions_restored > 0 {
            writeln!(
                f,
                "  {:<14} {would} {} changes and {} earlier versions",
                "history", self.changes_restored, self.versions_restored
            )?;
        }
        if let Some(change) = self.change {
            writeln!(f, "  recorded as change {change}")?;
        }
        Ok(())
    }
}

impl Store {
    /// Imports one file read from `reader`. `name` is used in messages. The file is
    /// imported whole or not at all: the first bad record stops it with an error giving
    /// the line and field, and nothing of the file is written.
    pub fn import(
        &mut self,
        mut reader: impl BufRead,
        format: ImportFormat,
        name: &str,
        opts: ImportOptions<'_>,
    ) -> Result<ImportSummary, StoreError> {
        self.refuse_distributed_writes()
            .map_err(|e| import_failed(name, e))?;
        // A file that ends within its first SMALL_FILE bytes is imported from memory, on
        // this thread, with the store's own checks on: for a few records the writer
        // thread and the relaxed checks cost more than they save (switching the checks
        // makes SQLite compile every statement anew, each import's and everyone's, where
        // a small import otherwise runs the statements the last one left compiled). A
        // longer file streams on, from these bytes on: memory stays flat.
        let mut head = Vec::new();
        let result = match reader.by_ref().take(SMALL_FILE + 1).read_to_end(&mut head) {
            Ok(size) if size as u64 <= SMALL_FILE => {
                self.import_in_transaction(&head[..], format, name, opts, Reading::Whole { size })
            }
            Ok(_) => return self.import_relaxed(head.as_slice().chain(reader), format, name, opts),
            Err(source) => {
                let line = head.iter().filter(|&&b| b == b'\n').count() + 1;
                Err(StoreError::Io {
                    what: format!("cannot read {name} at line {line}"),
                    source,
                })
            }
        };
        result.map_err(|e| import_failed(name, e))
    }

    /// Imports a file too long to hold in memory: streamed, JSON Lines on two threads,
    /// with SQLite's own checks of what the import writes switched off.
    fn import_relaxed(
        &mut self,
        reader: impl BufRead,
        format: ImportFormat,
        name: &str,
        opts: ImportOptions<'_>,
    ) -> Result<ImportSummary, StoreError> {
        if self.db.dialect() == Dialect::Postgres {
            // The server's checks stay on (they are no statement recompiled per row).
            return self
                .import_in_transaction(reader, format, name, opts, Reading::Streamed)
                .map_err(|e| import_failed(name, e));
        }
        // SQLite's own checks of what the import writes could never fail, so they are
        // switched off for the import and restored afterwards, whatever the outcome:
        // - every key written (relation ends, places, sources, alias owners) was read from
        //   the store inside the import's own transaction (foreign keys);
        // - a relation's status and confidence are checked here before it is written, with
        //   the same rules as the schema's CHECK constraints (which, evaluated per row,
        //   build the status list anew for every relation).
        // Both pragmas only take effect outside a transaction and apply to statements
        // prepared after them.
        self.keep_temporary_data(false)?;
        let saved: Vec<(&str, bool)> = IMPORT_RELAXED_CHECKS
            .iter()
            .map(|&(pragma, _)| {
                self.conn()
                    .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
                    .map(|value| (pragma, value))
            })
            .collect::<rusqlite::Result<_>>()
            .map_err(StoreError::sqlite("cannot prepare the import"))?;
        let set = |conn: &rusqlite::Connection, settings: &[(&str, bool)]| {
            settings.iter().try_for_each(|&(pragma, value)| {
                conn.execute_batch(&format!("PRAGMA {pragma} = {}", i32::from(value)))
            })
        };
        set(self.conn(), &IMPORT_RELAXED_CHECKS)
            .map_err(StoreError::sqlite("cannot prepare the import"))?;
        let result = self
            .import_in_transaction(reader, format, name, opts, Reading::Streamed)
            .map_err(|e| import_failed(name, e));
        set(self.conn(), &saved).map_err(StoreError::sqlite(
            "cannot restore the store's constraint checks after the import",
        ))?;
        result
    }

    fn import_in_transaction(
        &mut self,
        reader: impl BufRead,
        format: ImportFormat,
        name: &str,
        opts: ImportOptions<'_>,
        reading: Reading,
    ) -> Result<ImportSummary, StoreError> {
        let progress = Progress::new(opts);
        // The change log records the SHA-256 of the bytes read, hashed as they stream
        // (a streamed file's first bytes, read ahead by `import`, pass through here once
        // like the rest).
        let mut reader = Digesting::new(reader);
        let summary = match (format, reading) {
            // A CSV file names entities by their names, looked up in the planner's
            // catalog (on either engine).
            (ImportFormat::Csv, _) => write_file(&mut self.db, name, opts, |importer| {
                importer.read_csv(&mut reader, &progress)?;
                importer.sha256 = Some(reader.finish());
                Ok(())
            }),
            // The whole file is read, then written, so the channel must hold every batch
            // and the end: each batch the reader sends but the last holds PIPELINE_BATCH
            // records, each from a line of its own, and every line but the last has its
            // end, a byte.
            (ImportFormat::JsonLines, Reading::Whole { size }) => {
                let symmetric = symmetric_predicates(&self.db)?;
                let (send, receive) = mpsc::sync_channel(size / PIPELINE_BATCH + 3);
                send_json_lines(&mut reader, name, &progress, send, symmetric);
                write_file(&mut self.db, name, opts, |importer| {
                    importer.write_items(receive)
                })
            }
            // Two threads: this one reads the lines, parses them and checks relations
            // (their time bounds and fingerprints); the other writes to the store, in file
            // order. On two cores the reading costs next to nothing beside the writing.
            (ImportFormat::JsonLines, Reading::Streamed) => {
                let symmetric = symmetric_predicates(&self.db)?;
                std::thread::scope(|scope| {
                    let (send, receive) = mpsc::sync_channel::<Vec<Item>>(PIPELINE_BATCHES);
                    let db = &mut self.db;
                    let writer = scope.spawn(move || {
                        write_file(db, name, opts, |importer| importer.write_items(receive))
                    });
                    send_json_lines(&mut reader, name, &progress, send, symmetric);
                    writer
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
            }
        }?;
        progress.finish();
        Ok(summary)
    }
}

/// Reads the JSON Lines of `reader` into `send` (see [`read_json_lines`]), then the
/// file's digest: the writer records the change with it. If the writer stopped on an
/// error, nobody reads it. Dropping `send` tells the writer the file has ended.
fn send_json_lines(
    reader: &mut Digesting<impl BufRead>,
    name: &str,
    progress: &Progress<'_>,
    send: mpsc::SyncSender<Vec<Item>>,
    symmetric: HashSet<String>,
) {
    read_json_lines(&mut *reader, name, progress, &send, symmetric);
    let _ = send.send(vec![Item::End {
        sha256: reader.finish(),
    }]);
}

/// How an imported file is read.
#[derive(Clone, Copy)]
enum Reading {
    /// The whole file is in memory, `size` bytes: JSON Lines are read, then written, on
    /// one thread.
    Whole { size: usize },
    /// The file is read as it is imported: JSON Lines on two threads.
    Streamed,
}

/// An import's error as the caller gets it: a bad record says itself that nothing was
/// imported; any other error is wrapped to say so.
fn import_failed(file: &str, e: StoreError) -> StoreError {
    match e {
        StoreError::BadRecord { .. } => e,
        e => StoreError::ImportFailed {
            file: file.to_string(),
            source: Box::new(e),
        },
    }
}

/// Imports one file in one transaction on `db`: `feed` hands the importer the file's
/// records; then staged relations are resolved and the transaction committed (rolled
/// back for a dry run, or on any error).
fn write_file(
    db: &mut Db,
    name: &str,
    opts: ImportOptions<'_>,
    feed: impl FnOnce(&mut Importer) -> Result<(), StoreError>,
) -> Result<ImportSummary, StoreError> {
    // The staging table is made outside the transaction and kept, emptied, for the
    // connection's next import: when a transaction that changed a schema is rolled back
    // (a refused file, a dry run), SQLite reads every schema of the connection again.
    // These statements, like the importer's, stay compiled in the connection's cache for
    // its next import (once the table exists, the first is compiled again to do nothing).
    let db = &*db;
    stage_sql(db.dialect())
        .iter()
        .chain([&empty_stage_sql(db.dialect())])
        .try_for_each(|sql| db.execute(sql, &[]).map(drop))
        .map_err(StoreError::db("cannot prepare the import"))?;
    // As a change: SQLite's write lock from the start; on PostgreSQL the store's lock of
    // changes, so that two imports of one file at once add its records once (the second
    // sees what the first committed) while readers go on reading.
    db.execute_batch(dialect::begin_change(db.dialect()))
        .map_err(StoreError::db("cannot start the import transaction"))?;
    let tx = Rollback { db, done: false };
    // A larger page cache (bounded, so memory stays flat) keeps index pages of big
    // imports from spilling to the WAL before the commit (SQLite's; PostgreSQL's server
    // has its own).
    if db.dialect() == Dialect::Sqlite {
        db.execute_batch(IMPORT_CACHE_SQL)
            .map_err(StoreError::db("cannot prepare the import"))?;
    }
    let mut importer = Importer::new(db, name, opts)?;
    feed(&mut importer).map_err(|e| importer.first_error(e))?;
    let mut summary = importer.finish()?;
    db.execute(empty_stage_sql(db.dialect()), &[])
        .map_err(StoreError::db("cannot clean up after the import"))?;
    if opts.dry_run {
        tx.end("ROLLBACK")
            .map_err(StoreError::db("cannot roll back the dry run"))?;
    } else {
        tx.end("COMMIT")
            .map_err(StoreError::db("cannot commit the import"))?;
        if db.dialect() == Dialect::Postgres && vacuum::bulk(&summary) {
            summary.after_commit = vacuum::vacuum(db);
        }
    }
    Ok(summary)
}

/// The import's transaction: rolled back when dropped before [`Rollback::end`] (an error,
/// a panic of the writer).
struct Rollback<'d> {
    db: &'d Db,
    done: bool,
}

impl Rollback<'_> {
    /// Ends the transaction with `sql` (`COMMIT` or `ROLLBACK`).
    fn end(mut self, sql: &str) -> Result<(), super::db::DbError> {
        self.done = true;
        self.db.execute_batch(sql)
    }
}

impl Drop for Rollback<'_> {
    fn drop(&mut self) {
        if !self.done {
            // Nothing to tell: the error that got here is the one the caller gets, and a
            // transaction that cannot be rolled back ends with the connection.
            let _ = self.db.execute_batch("ROLLBACK");
        }
    }
}

/// The longest file imported from memory with the store's checks on (see
/// [`Store::import`]); longer files are streamed with relaxed checks.
const SMALL_FILE: u64 = 64 * 1024;

/// The connection settings an import relaxes, with their values during the import (see
/// [`Store::import_relaxed`]).
const IMPORT_RELAXED_CHECKS: [(&str, bool); 2] =
    [("foreign_keys", false), ("ignore_check_constraints", true)];

/// The page caches during an import: 64 MiB for the store, 64 MiB for the staging table.
const IMPORT_CACHE_SQL: &str = "PRAGMA main.cache_size = -65536; PRAGMA temp.cache_size = -65536;";

#[cfg(test)]
mod tests;
