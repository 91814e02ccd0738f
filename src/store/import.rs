//! Import of JSON Lines and CSV files into the store: validation of every record, one
//! transaction per file, idempotent re-imports (relation fingerprints, id checks) and the
//! summary of what was added.
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
//! - A relation is written only when no stored relation has its fingerprint. A bulk
//!   insert (a file that brings at least as many relations as the store held) drops the
//!   relation indexes, writes every relation, then removes the later copies and builds
//!   the indexes again, sorted; likewise the index of normalised names for many entities.
//!
//! JSON Lines are read on two threads: the caller's reads, parses and checks each line
//! (a relation's time bounds and fingerprint included) and hands them, in order, to a
//! writer that owns the transaction. CSV is read and written on one.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::BufRead;
use std::path::Path;
use std::sync::mpsc;

use rusqlite::{params, OptionalExtension, Statement, Transaction, TransactionBehavior};

use super::catalog::StoreCatalog;
use super::saved::{SaveStatement, SavedFault};
use super::{Store, StoreError};
use crate::{names, time};

/// The format of an imported file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line with a `type` field.
    JsonLines,
    /// A header row, then relations (subject, predicate, object, …) or entities
    /// (id, kind, name, aliases).
    Csv,
}

impl Format {
    /// The format a file name's extension implies: `.jsonl`, `.ndjson`, `.json` → JSON
    /// Lines; `.csv` → CSV; anything else → `None`.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" | "json" => Some(Format::JsonLines),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// How to import.
#[derive(Clone, Copy, Default)]
pub struct ImportOptions<'a> {
    /// Validate everything (unknown ids included), then roll back: nothing is written.
    pub dry_run: bool,
    /// Told how far the import has read (the command line draws a progress bar); the
    /// library itself draws nothing.
    pub progress: Option<&'a dyn ImportProgress>,
}

impl std::fmt::Debug for ImportOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportOptions")
            .field("dry_run", &self.dry_run)
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
        Ok(())
    }
}

impl Store {
    /// Imports one file read from `reader`. `name` is used in messages. The file is
    /// imported whole or not at all: the first bad record stops it with an error giving
    /// the line and field, and nothing of the file is written.
    pub fn import(
        &mut self,
        reader: impl BufRead,
        format: Format,
        name: &str,
        opts: ImportOptions<'_>,
    ) -> Result<ImportSummary, StoreError> {
        // SQLite's own checks of what the import writes could never fail, so they are
        // switched off for the import and restored afterwards, whatever the outcome:
        // - every key written (relation ends, places, sources, alias owners) was read from
        //   the store inside the import's own transaction (foreign keys);
        // - a relation's status and confidence are checked here before it is written, with
        //   the same rules as the schema's CHECK constraints (which, evaluated per row,
        //   build the status list anew for every relation).
        // Both pragmas only take effect outside a transaction and apply to statements
        // prepared after them.
        let saved: Vec<(&str, bool)> = IMPORT_RELAXED_CHECKS
            .iter()
            .map(|&(pragma, _)| {
                self.conn
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
        set(&self.conn, &IMPORT_RELAXED_CHECKS)
            .map_err(StoreError::sqlite("cannot prepare the import"))?;
        let result = self
            .import_in_transaction(reader, format, name, opts)
            .map_err(|e| match e {
                // A bad record says itself that nothing was imported.
                StoreError::BadRecord { .. } => e,
                e => StoreError::ImportFailed {
                    file: name.to_string(),
                    source: Box::new(e),
                },
            });
        set(&self.conn, &saved).map_err(StoreError::sqlite(
            "cannot restore the store's constraint checks after the import",
        ))?;
        result
    }

    fn import_in_transaction(
        &mut self,
        reader: impl BufRead,
        format: Format,
        name: &str,
        opts: ImportOptions<'_>,
    ) -> Result<ImportSummary, StoreError> {
        let progress = Progress::new(opts);
        let summary = match format {
            Format::Csv => write_file(&mut self.conn, name, opts, |importer| {
                importer.read_csv(reader, &progress)
            }),
            // Two threads: this one reads the lines, parses them and checks relations
            // (their time bounds and fingerprints); the other writes to the store, in file
            // order. On two cores the reading costs next to nothing beside the writing.
            Format::JsonLines => std::thread::scope(|scope| {
                let (send, receive) = mpsc::sync_channel::<Vec<Item>>(PIPELINE_BATCHES);
                let conn = &mut self.conn;
                let writer = scope.spawn(move || {
                    write_file(conn, name, opts, |importer| importer.write_items(receive))
                });
                read_json_lines(reader, name, &progress, send);
                writer
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            }),
        }?;
        progress.finish();
        Ok(summary)
    }
}

/// Imports one file in one transaction on `conn`: `feed` hands the importer the file's
/// records; then staged relations are resolved and the transaction committed (rolled
/// back for a dry run, or on any error).
fn write_file(
    conn: &mut rusqlite::Connection,
    name: &str,
    opts: ImportOptions<'_>,
    feed: impl FnOnce(&mut Importer) -> Result<(), StoreError>,
) -> Result<ImportSummary, StoreError> {
    // The staging table is made outside the transaction and kept, emptied, for the
    // connection's next import: when a transaction that changed a schema is rolled back
    // (a refused file, a dry run), SQLite reads every schema of the connection again.
    conn.execute_batch(STAGE_SQL)
        .map_err(StoreError::sqlite("cannot prepare the import"))?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(StoreError::sqlite("cannot start the import transaction"))?;
    // A larger page cache (bounded, so memory stays flat) keeps index pages of big
    // imports from spilling to the WAL before the commit.
    tx.execute_batch(IMPORT_CACHE_SQL)
        .map_err(StoreError::sqlite("cannot prepare the import"))?;
    let mut importer = Importer::new(&tx, name, opts.dry_run)?;
    feed(&mut importer)?;
    let summary = importer.finish()?;
    tx.execute_batch("DELETE FROM temp.import_relation")
        .map_err(StoreError::sqlite("cannot clean up after the import"))?;
    if opts.dry_run {
        tx.rollback()
            .map_err(StoreError::sqlite("cannot roll back the dry run"))?;
    } else {
        tx.commit()
            .map_err(StoreError::sqlite("cannot commit the import"))?;
    }
    Ok(summary)
}

/// Batches of JSON Lines records on their way from the reading to the writing thread:
/// at most this many batches wait, so memory stays flat whatever the file's size.
const PIPELINE_BATCHES: usize = 8;

/// Records per batch.
const PIPELINE_BATCH: usize = 512;

/// One line of a JSON Lines file, read and (for relations) checked by the reading thread.
// Most lines are relations, so boxing the large variant would add an allocation per line
// to save space in the rare others.
#[allow(clippy::large_enum_variant)]
enum Item {
    /// A relation record, checked, with its bounds and fingerprint.
    Relation { line: u64, relation: OwnedRelation },
    /// Any other record, as its line's text: the writer parses it again (they are few
    /// beside relations, and their checks need the store).
    Record { line: u64, text: String },
    /// The first line that could not be read or checked: the import stops there, unless
    /// an earlier record fails in the writer first.
    Bad(StoreError),
}

/// Reads JSON Lines from `reader` and sends them, in batches and in order, to `out`.
/// Stops at the first bad line (sent as [`Item::Bad`]) or when the writer has stopped.
fn read_json_lines(
    mut reader: impl BufRead,
    file: &str,
    progress: &Progress<'_>,
    out: mpsc::SyncSender<Vec<Item>>,
) {
    let mut buf = String::new();
    let mut line: u64 = 0;
    let mut bytes: u64 = 0;
    let mut batch = Vec::with_capacity(PIPELINE_BATCH);
    loop {
        buf.clear();
        line += 1;
        let item = match reader.read_line(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                bytes += n as u64;
                if line.is_multiple_of(PROGRESS_EVERY) {
                    progress.set(bytes);
                }
                let text = buf.trim_end_matches(['\n', '\r']);
                let text = if line == 1 {
                    text.strip_prefix('\u{feff}').unwrap_or(text)
                } else {
                    text
                };
                if text.trim().is_empty() {
                    continue;
                }
                read_line(file, line, text)
            }
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Item::Bad(bad_record(
                file,
                line,
                None,
                Fault::record("the line is not valid UTF-8"),
            )),
            Err(source) => Item::Bad(StoreError::Io {
                what: format!("cannot read {file} at line {line}"),
                source,
            }),
        };
        let last = matches!(item, Item::Bad(_));
        batch.push(item);
        if last || batch.len() == PIPELINE_BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(PIPELINE_BATCH));
            if out.send(full).is_err() || last {
                return;
            }
        }
    }
    progress.set(bytes);
    if !batch.is_empty() {
        // The writer may have stopped on an error: it reports that error.
        let _ = out.send(batch);
    }
}

/// Parses one line: a relation is checked here, any other record is passed on as text.
fn read_line(file: &str, line: u64, text: &str) -> Item {
    let fields = match parse_object(file, line, text) {
        Ok(fields) => fields,
        Err(e) => return Item::Bad(e),
    };
    let rec = Record { fields: &fields };
    if rec.get("type") != Some(&Field::Str(Cow::Borrowed("relation"))) {
        return Item::Record {
            line,
            text: text.to_string(),
        };
    }
    match check_relation(&rec) {
        Ok(relation) => Item::Relation {
            line,
            relation: OwnedRelation::new(&relation),
        },
        Err(fault) => Item::Bad(bad_record(file, line, None, fault)),
    }
}

/// The fields of the JSON object on one line.
fn parse_object<'t>(file: &str, line: u64, text: &'t str) -> Result<Fields<'t>, StoreError> {
    let value: Field = serde_json::from_str(text).map_err(|e| {
        bad_record(
            file,
            line,
            Some(e.column() as u64),
            Fault::record(format!("invalid JSON: {}", json_reason(&e))),
        )
    })?;
    match value {
        Field::Object(fields) => Ok(fields),
        other => Err(bad_record(
            file,
            line,
            Some(1),
            Fault::record(format!(
                "each line must be a JSON object, found {}",
                json_type(&other)
            )),
        )),
    }
}

/// Drops the secondary indexes of `table` (those written in the schema, not those of its
/// constraints) and returns their names and SQL, to build them again.
fn drop_indexes(tx: &Transaction, table: &str) -> rusqlite::Result<Vec<(String, String)>> {
    let indexes: Vec<(String, String)> = tx
        .prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
        )?
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX {}", crate::sql::ident(name)))?;
    }
    Ok(indexes)
}

/// The error for a bad record: the file, where in it, and what is wrong.
fn bad_record(file: &str, line: u64, column: Option<u64>, fault: Fault) -> StoreError {
    StoreError::BadRecord {
        file: file.to_string(),
        line,
        column,
        field: fault.field,
        reason: fault.reason,
    }
}

/// A checked relation record that owns its text, to be handed to another thread: its
/// text fields one after the other in one string (one allocation per relation).
struct OwnedRelation {
    text: String,
    /// Where each text field lies in `text`, in the order of [`OwnedRelation::texts`];
    /// `None` when the field is absent.
    spans: [Option<(usize, usize)>; 12],
    bounds: Option<time::Bounds>,
    confidence: Option<f64>,
    fingerprint: [u8; 16],
}

impl OwnedRelation {
    fn texts<'r>(r: &RelationRecord<'r>) -> [Option<&'r str>; 12] {
        [
            Some(r.subject),
            Some(r.predicate),
            Some(r.object),
            r.time.when,
            r.time.from,
            r.time.to,
            r.time.at,
            Some(r.status),
            r.place,
            r.source,
            r.quote,
            r.note,
        ]
    }

    fn new(r: &RelationRecord) -> OwnedRelation {
        let texts = OwnedRelation::texts(r);
        let mut text = String::with_capacity(texts.iter().flatten().map(|t| t.len()).sum());
        let spans = texts.map(|t| {
            t.map(|t| {
                let start = text.len();
                text.push_str(t);
                (start, text.len())
            })
        });
        OwnedRelation {
            text,
            spans,
            bounds: r.bounds,
            confidence: r.confidence,
            fingerprint: r.fingerprint,
        }
    }

    fn view(&self) -> RelationRecord<'_> {
        let [subject, predicate, object, when, from, to, at, status, place, source, quote, note] =
            self.spans
                .map(|span| span.and_then(|(a, b)| self.text.get(a..b)));
        RelationRecord {
            subject: subject.unwrap_or_default(),
            predicate: predicate.unwrap_or_default(),
            object: object.unwrap_or_default(),
            time: time::TimeFields { when, from, to, at },
            bounds: self.bounds,
            status: status.unwrap_or_default(),
            place,
            source,
            quote,
            note,
            confidence: self.confidence,
            fingerprint: self.fingerprint,
        }
    }
}

/// The connection settings an import relaxes, with their values during the import (see
/// [`Store::import`]).
const IMPORT_RELAXED_CHECKS: [(&str, bool); 2] =
    [("foreign_keys", false), ("ignore_check_constraints", true)];

/// The page caches during an import: 64 MiB for the store, 64 MiB for the staging table.
const IMPORT_CACHE_SQL: &str = "PRAGMA main.cache_size = -65536; PRAGMA temp.cache_size = -65536;";

/// The staging table for relations: their fields as written, with the file's line
/// numbers, resolved to keys at the end of the file. Emptied at the start (a rolled back
/// import leaves it empty too) and at the end of each import.
const STAGE_SQL: &str = "
CREATE TEMP TABLE IF NOT EXISTS import_relation (
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
    fingerprint BLOB NOT NULL
);
DELETE FROM temp.import_relation;
";

// The fields of each JSON Lines record type besides `type`.
const SOURCE_FIELDS: &[&str] = &["id", "title", "published", "lang", "url", "note"];
const ENTITY_FIELDS: &[&str] = &["id", "kind", "name", "aliases", "note"];
const PREDICATE_FIELDS: &[&str] = &["id", "label", "symmetric", "description"];
/// A relation record has the same fields as a CSV relation row.
const RELATION_FIELDS: &[&str] = CSV_RELATION_COLUMNS;
const SAVED_QUERY_FIELDS: &[&str] = &["name", "params", "body"];

/// CSV columns of the relation form and of the entity form.
const CSV_RELATION_COLUMNS: &[&str] = &[
    "subject",
    "predicate",
    "object",
    "when",
    "from",
    "to",
    "at",
    "status",
    "place",
    "source",
    "quote",
    "note",
    "confidence",
];
const CSV_ENTITY_COLUMNS: &[&str] = &["id", "kind", "name", "aliases", "note"];

/// What is wrong with one record: the field (when known) and why.
#[derive(Debug)]
struct Fault {
    field: Option<String>,
    reason: String,
}

impl Fault {
    fn field(field: &str, reason: impl Into<String>) -> Fault {
        Fault {
            field: Some(field.to_string()),
            reason: reason.into(),
        }
    }
    fn record(reason: impl Into<String>) -> Fault {
        Fault {
            field: None,
            reason: reason.into(),
        }
    }
}

/// A saved query `save` would refuse is a fault of the record; a failure to read the
/// store while checking it is not.
fn saved_fault(fault: SavedFault) -> RecordError {
    match fault {
        SavedFault::Refused { field, reason } => Fault::field(field, reason).into(),
        SavedFault::Catalog(reason) => RecordError::Store(StoreError::Catalog {
            context: "cannot check an imported saved query",
            reason,
        }),
    }
}

/// Either a fault in the record or a failure of the database.
enum RecordError {
    Fault(Fault),
    Store(StoreError),
}

impl From<Fault> for RecordError {
    fn from(f: Fault) -> Self {
        RecordError::Fault(f)
    }
}

impl From<StoreError> for RecordError {
    fn from(e: StoreError) -> Self {
        RecordError::Store(e)
    }
}

impl From<rusqlite::Error> for RecordError {
    fn from(source: rusqlite::Error) -> Self {
        RecordError::Store(StoreError::Sqlite {
            context: "cannot write an imported record",
            source,
        })
    }
}

/// Typed access to the fields of one record (a JSON object).
struct Record<'r> {
    fields: &'r [(Cow<'r, str>, Field<'r>)],
}

/// A JSON value as read from one line, with strings and keys borrowed from the line where
/// they need no unescaping (the line is parsed without building owned maps and strings).
#[derive(Debug, Clone, PartialEq)]
enum Field<'a> {
    Null,
    Bool(bool),
    Number(f64),
    Str(Cow<'a, str>),
    Array(Vec<Field<'a>>),
    Object(Fields<'a>),
}

/// The fields of a JSON object in the order written. A key given twice counts with its
/// last value (as in a JSON map).
type Fields<'a> = Vec<(Cow<'a, str>, Field<'a>)>;

impl<'de> serde::Deserialize<'de> for Field<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FieldVisitor)
    }
}

/// Builds a [`Field`] from whatever JSON value comes.
struct FieldVisitor;

impl<'de> serde::de::Visitor<'de> for FieldVisitor {
    type Value = Field<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Field<'de>, E> {
        Ok(Field::Null)
    }
    fn visit_none<E>(self) -> Result<Field<'de>, E> {
        Ok(Field::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Field<'de>, E> {
        Ok(Field::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Field<'de>, E> {
        Ok(Field::Number(n as f64))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Field<'de>, E> {
        Ok(Field::Number(n as f64))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Field<'de>, E> {
        Ok(Field::Number(n))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Owned(s.to_string())))
    }
    fn visit_string<E>(self, s: String) -> Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Owned(s)))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Field<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Field::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Field<'de>, A::Error> {
        let mut fields = Vec::with_capacity(8);
        while let Some((key, value)) = map.next_entry::<Key<'de>, Field<'de>>()? {
            fields.push((key.0, value));
        }
        Ok(Field::Object(fields))
    }
}

/// An object key, borrowed from the line when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Field::deserialize(deserializer)? {
            Field::Str(s) => Ok(Key(s)),
            _ => Err(serde::de::Error::custom("an object key must be a string")),
        }
    }
}

fn json_type(v: &Field) -> &'static str {
    match v {
        Field::Null => "null",
        Field::Bool(_) => "a boolean",
        Field::Number(_) => "a number",
        Field::Str(_) => "a string",
        Field::Array(_) => "an array",
        Field::Object(_) => "an object",
    }
}

impl<'r> Record<'r> {
    /// The value of a field (the last one when the key is given twice).
    fn get(&self, field: &str) -> Option<&'r Field<'r>> {
        self.fields
            .iter()
            .rev()
            .find(|(key, _)| key == field)
            .map(|(_, value)| value)
    }

    /// A text field; absent, null and "" are `None`.
    fn text(&self, field: &str) -> Result<Option<&'r str>, Fault> {
        match self.get(field) {
            None | Some(Field::Null) => Ok(None),
            Some(Field::Str(s)) if s.is_empty() => Ok(None),
            Some(Field::Str(s)) => Ok(Some(s)),
            Some(other) => Err(Fault::field(
                field,
                format!("must be a string, found {}", json_type(other)),
            )),
        }
    }

    fn required(&self, field: &str) -> Result<&'r str, Fault> {
        self.text(field)?
            .ok_or_else(|| Fault::field(field, "required field is missing or empty"))
    }

    fn id(&self, field: &str) -> Result<&'r str, Fault> {
        let id = self.required(field)?;
        check_id(field, id)?;
        Ok(id)
    }

    fn optional_id(&self, field: &str) -> Result<Option<&'r str>, Fault> {
        let id = self.text(field)?;
        if let Some(id) = id {
            check_id(field, id)?;
        }
        Ok(id)
    }

    fn number(&self, field: &str) -> Result<Option<f64>, Fault> {
        match self.get(field) {
            None | Some(Field::Null) => Ok(None),
            Some(Field::Number(n)) => Ok(Some(*n)),
            Some(other) => Err(Fault::field(
                field,
                format!("must be a number, found {}", json_type(other)),
            )),
        }
    }

    fn boolean(&self, field: &str) -> Result<Option<bool>, Fault> {
        match self.get(field) {
            None | Some(Field::Null) => Ok(None),
            Some(Field::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(Fault::field(
                field,
                format!("must be true or false, found {}", json_type(other)),
            )),
        }
    }

    /// A list of strings; empty strings are skipped.
    fn texts(&self, field: &str) -> Result<Vec<&'r str>, Fault> {
        match self.get(field) {
            None | Some(Field::Null) => Ok(Vec::new()),
            Some(Field::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Field::Str(s) if s.trim().is_empty() => {}
                        Field::Str(s) => out.push(s.as_ref()),
                        other => {
                            return Err(Fault::field(
                                &format!("{field}[{i}]"),
                                format!("must be a string, found {}", json_type(other)),
                            ))
                        }
                    }
                }
                Ok(out)
            }
            Some(other) => Err(Fault::field(
                field,
                format!("must be an array of strings, found {}", json_type(other)),
            )),
        }
    }

    fn reject_unknown(&self, kind: &str, allowed: &[&str]) -> Result<(), Fault> {
        match self
            .fields
            .iter()
            .map(|(key, _)| key)
            .find(|k| k.as_ref() != "type" && !allowed.contains(&k.as_ref()))
        {
            None => Ok(()),
            Some(unknown) => Err(Fault::field(
                unknown,
                format!(
                    "unknown field for a {kind}; its fields are {}",
                    allowed.join(", ")
                ),
            )),
        }
    }
}

fn check_id(field: &str, id: &str) -> Result<(), Fault> {
    if id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        Ok(())
    } else {
        Err(Fault::field(
            field,
            format!(
                "`{id}` is not a valid id: ids use only lowercase ASCII letters, digits and `_`"
            ),
        ))
    }
}

fn parse_date_field(field: &str, text: &str) -> Result<(i64, i64), Fault> {
    time::parse_date(text)
        .map(|d| d.range())
        .map_err(|e| Fault::field(field, format!("invalid date `{text}`: {e}")))
}

/// Agreement of a stored field with the value a record gives (None: not given).
fn agree(
    field: &str,
    what: &str,
    id: &str,
    stored: Option<&str>,
    given: Option<&str>,
) -> Result<(), Fault> {
    match given {
        Some(g) if stored != Some(g) => Err(Fault::field(
            field,
            format!(
                "{what} `{id}` already exists with {field} {}, but this record gives `{g}`; \
                 give the same value or use another id",
                match stored {
                    Some(s) => format!("`{s}`"),
                    None => "unset".to_string(),
                }
            ),
        )),
        _ => Ok(()),
    }
}

/// A 128-bit FNV-1a hash of a relation's fields, each length-prefixed so that
/// different field splits never collide by construction.
struct Fingerprint(u128);

impl Fingerprint {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;

    fn new() -> Self {
        Fingerprint(Self::OFFSET)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    fn text(&mut self, text: Option<&str>) {
        match text {
            None => self.bytes(&[0]),
            Some(t) => {
                self.bytes(&[1]);
                self.bytes(&(t.len() as u64).to_le_bytes());
                self.bytes(t.as_bytes());
            }
        }
    }

    fn number(&mut self, n: Option<f64>) {
        match n {
            None => self.bytes(&[0]),
            Some(x) => {
                self.bytes(&[1]);
                let x = if x == 0.0 { 0.0 } else { x };
                self.bytes(&x.to_bits().to_le_bytes());
            }
        }
    }

    fn finish(self) -> [u8; 16] {
        self.0.to_be_bytes()
    }
}

/// The import's progress as the caller asked to be told of it, if at all.
struct Progress<'a>(Option<&'a dyn ImportProgress>);

impl<'a> Progress<'a> {
    fn new(opts: ImportOptions<'a>) -> Progress<'a> {
        Progress(opts.progress)
    }

    fn set(&self, bytes: u64) {
        if let Some(p) = self.0 {
            p.read(bytes);
        }
    }

    fn finish(&self) {
        if let Some(p) = self.0 {
            p.finish();
        }
    }
}

/// From this many relations in one file (and at least as many as the store holds), the
/// relation indexes are rebuilt after the insert rather than updated row by row.
const BULK_RELATIONS: i64 = 10_000;

/// From this many new entities in one file (and at least as many as the store holds), the
/// index of normalised names is rebuilt after the insert.
const BULK_ENTITIES: i64 = 10_000;

/// How often (in records) the progress bar is updated.
const PROGRESS_EVERY: u64 = 4096;

/// The most ids an [`IdCache`] holds before it starts over (about 64 bytes each).
const ID_CACHE_LIMIT: usize = 1 << 20;

/// Keys of ids (entities, sources or predicates) looked up or written during one import,
/// including ids known to be missing from the store. Only the importing transaction writes
/// to the store while it runs, so an entry stays true until the import itself adds the id
/// (which updates it). The cache is emptied when it reaches [`ID_CACHE_LIMIT`] ids, so its
/// memory is bounded whatever the size of the store or of the file; a cleared id is
/// simply looked up in the store again.
struct IdCache {
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
    fn get(&self, id: &str) -> Option<Option<i64>> {
        self.keys.get(id).copied()
    }

    /// The key of `id`, from the cache or else from `lookup` (a query of the key by id),
    /// whose answer is kept.
    fn key(&mut self, id: &str, lookup: &mut Statement) -> rusqlite::Result<Option<i64>> {
        if let Some(known) = self.get(id) {
            return Ok(known);
        }
        let key = lookup.query_row([id], |r| r.get(0)).optional()?;
        self.set(id, key);
        Ok(key)
    }

    fn set(&mut self, id: &str, key: Option<i64>) {
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

/// One relation record, checked, with its time bounds and fingerprint.
struct RelationRecord<'r> {
    subject: &'r str,
    predicate: &'r str,
    object: &'r str,
    time: time::TimeFields<'r>,
    bounds: Option<time::Bounds>,
    status: &'r str,
    place: Option<&'r str>,
    source: Option<&'r str>,
    quote: Option<&'r str>,
    note: Option<&'r str>,
    confidence: Option<f64>,
    fingerprint: [u8; 16],
}

/// The keys a relation's ids resolve to.
struct RelationKeys {
    subject: i64,
    predicate: i64,
    object: i64,
    place: Option<i64>,
    source: Option<i64>,
}

/// The columns of a relation row, in the order of the parameters below.
macro_rules! relation_columns {
    () => {
        "INSERT INTO relation(key, subject, predicate, object, when_text, from_text, to_text,
    at_text, start_lo, start_hi, end_lo, end_hi, status, place, source, quote, note,
    confidence, fingerprint)"
    };
}

/// Writes one relation (its key and every column) unless one with the same fingerprint is
/// stored.
const INSERT_RELATION_SQL: &str = concat!(
    relation_columns!(),
    "
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19
WHERE NOT EXISTS (SELECT 1 FROM relation WHERE fingerprint = ?19)"
);

/// Writes one relation during a bulk insert, when the fingerprint index is dropped: the
/// copies are removed once the index is built again (see [`Importer::rebuild_indexes`]).
const BULK_INSERT_RELATION_SQL: &str = concat!(
    relation_columns!(),
    "
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
);

/// Writes the staged relations whose ids all resolve, in line order: `$from` gives the
/// staged rows (as `st`), `$filter` which of them are written.
macro_rules! insert_staged_sql {
    ($from:literal, $filter:literal) => {
        concat!(
            relation_columns!(),
            "
SELECT st.key, s.key, p.key, o.key, st.when_text, st.from_text, st.to_text, st.at_text,
    st.start_lo, st.start_hi, st.end_lo, st.end_hi, st.status, pl.key, so.key, st.quote,
    st.note, st.confidence, st.fingerprint
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

/// Writes the staged relations not stored yet, the first of the file's copies of each.
const INSERT_STAGED_SQL: &str = insert_staged_sql!(
    "(SELECT *, row_number() OVER (PARTITION BY fingerprint ORDER BY line) AS copy
      FROM temp.import_relation)",
    "st.copy = 1 AND NOT EXISTS (SELECT 1 FROM relation r WHERE r.fingerprint = st.fingerprint)"
);

/// Writes every staged relation during a bulk insert (copies are removed afterwards).
const BULK_INSERT_STAGED_SQL: &str = insert_staged_sql!("temp.import_relation", "true");

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

const STAGE_RELATION_SQL: &str = "
INSERT INTO temp.import_relation(line, key, subject, predicate, object, when_text, from_text,
    to_text, at_text, start_lo, start_hi, end_lo, end_hi, status, place, source, quote, note,
    confidence, fingerprint)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
    ?20)";

struct Importer<'t> {
    tx: &'t Transaction<'t>,
    file: &'t str,
    summary: ImportSummary,
    /// Relation records read (written, staged or already present).
    relations: u64,
    /// Relation records staged for the end of the file.
    staged: u64,
    /// Relations written as they were read.
    written: u64,
    /// The key the next relation read gets.
    next_key: i64,
    /// Relations in the store before this import.
    stored_relations: i64,
    /// The relation indexes (name, SQL) dropped for a bulk insert, to build them again.
    dropped_indexes: Option<Vec<(String, String)>>,
    /// Entities in the store before this import.
    stored_entities: i64,
    /// The name indexes (name, SQL) dropped for a bulk insert of entities.
    dropped_name_indexes: Option<Vec<(String, String)>>,
    entities: IdCache,
    sources: IdCache,
    predicates: IdCache,
    insert_relation: Statement<'t>,
    lookup_entity: Statement<'t>,
    lookup_source: Statement<'t>,
    lookup_predicate: Statement<'t>,
    /// The file's saved queries (with their lines), parsed, to be checked and written
    /// once every other record is in.
    saved: Vec<(u64, SaveStatement)>,
}

impl<'t> Importer<'t> {
    fn new(tx: &'t Transaction<'t>, file: &'t str, dry_run: bool) -> Result<Self, StoreError> {
        let db = StoreError::sqlite("cannot prepare the import");
        let (stored_relations, max_key, stored_entities): (i64, i64, i64) = tx
            .query_row(
                "SELECT count(*), COALESCE(MAX(key), 0), (SELECT count(*) FROM entity)
                 FROM relation",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
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
            insert_relation: tx.prepare(INSERT_RELATION_SQL).map_err(db)?,
            lookup_entity: tx
                .prepare("SELECT key FROM entity WHERE id = ?1")
                .map_err(db)?,
            lookup_source: tx
                .prepare("SELECT key FROM source WHERE id = ?1")
                .map_err(db)?,
            lookup_predicate: tx
                .prepare("SELECT key FROM predicate WHERE id = ?1")
                .map_err(db)?,
            saved: Vec::new(),
        })
    }

    /// Resolves the staged relations, rebuilds dropped indexes and returns the summary.
    fn finish(mut self) -> Result<ImportSummary, StoreError> {
        self.resolve_relations()?;
        self.write_saved_queries()?;
        Ok(self.summary)
    }
    fn bad(&self, line: u64, column: Option<u64>, fault: Fault) -> StoreError {
        bad_record(self.file, line, column, fault)
    }

    fn record(&mut self, fields: &[(Cow<str>, Field)], line: u64) -> Result<(), StoreError> {
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

    fn relation(&mut self, relation: &RelationRecord, line: u64) -> Result<(), RecordError> {
        let key = self.next_key;
        self.relations += 1;
        self.drop_relation_indexes_for_bulk()?;
        match self.resolve_keys(relation)? {
            Some(keys) => {
                if self.insert(relation, &keys, key)? {
                    self.written += 1;
                    self.next_key = key.saturating_add(1);
                }
            }
            None => {
                // Names an id not seen yet: resolved at the end of the file, with the key
                // it would have had now (unused if it turns out to be present already).
                self.stage(relation, line, key)?;
                self.staged += 1;
                self.next_key = key.saturating_add(1);
            }
        }
        Ok(())
    }

    /// The keys of a relation's ids, or `None` when one of its entities or its source is
    /// not (yet) in the store. A predicate not in the store is created, undeclared.
    fn resolve_keys(
        &mut self,
        relation: &RelationRecord,
    ) -> Result<Option<RelationKeys>, RecordError> {
        let predicate = self.predicate_key(relation.predicate)?;
        let Some(subject) = self.entity_key(relation.subject)? else {
            return Ok(None);
        };
        let Some(object) = self.entity_key(relation.object)? else {
            return Ok(None);
        };
        let place = match relation.place {
            None => None,
            Some(id) => match self.entity_key(id)? {
                Some(key) => Some(key),
                None => return Ok(None),
            },
        };
        let source = match relation.source {
            None => None,
            Some(id) => match self.source_key(id)? {
                Some(key) => Some(key),
                None => return Ok(None),
            },
        };
        Ok(Some(RelationKeys {
            subject,
            predicate,
            object,
            place,
            source,
        }))
    }

    fn entity_key(&mut self, id: &str) -> Result<Option<i64>, RecordError> {
        Ok(self.entities.key(id, &mut self.lookup_entity)?)
    }

    fn source_key(&mut self, id: &str) -> Result<Option<i64>, RecordError> {
        Ok(self.sources.key(id, &mut self.lookup_source)?)
    }

    /// The key of a predicate, created undeclared (and listed in the summary) when the
    /// store does not have it.
    fn predicate_key(&mut self, id: &str) -> Result<i64, RecordError> {
        if let Some(Some(key)) = self.predicates.get(id) {
            return Ok(key);
        }
        let stored: Option<i64> = self
            .lookup_predicate
            .query_row([id], |r| r.get(0))
            .optional()?;
        let key = match stored {
            Some(key) => key,
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO predicate(id, symmetric, declared) VALUES (?1, 0, 0)",
                    )?
                    .execute([id])?;
                self.summary.new_predicates.push(id.to_string());
                self.tx.last_insert_rowid()
            }
        };
        self.predicates.set(id, Some(key));
        Ok(key)
    }

    /// Writes a resolved relation with the given key; false when an identical relation
    /// is already stored.
    fn insert(
        &mut self,
        r: &RelationRecord,
        keys: &RelationKeys,
        key: i64,
    ) -> Result<bool, RecordError> {
        let [start_lo, start_hi, end_lo, end_hi] = bound_columns(r.bounds);
        let stmt = &mut self.insert_relation;
        stmt.raw_bind_parameter(1, key)?;
        stmt.raw_bind_parameter(2, keys.subject)?;
        stmt.raw_bind_parameter(3, keys.predicate)?;
        stmt.raw_bind_parameter(4, keys.object)?;
        stmt.raw_bind_parameter(5, r.time.when)?;
        stmt.raw_bind_parameter(6, r.time.from)?;
        stmt.raw_bind_parameter(7, r.time.to)?;
        stmt.raw_bind_parameter(8, r.time.at)?;
        stmt.raw_bind_parameter(9, start_lo)?;
        stmt.raw_bind_parameter(10, start_hi)?;
        stmt.raw_bind_parameter(11, end_lo)?;
        stmt.raw_bind_parameter(12, end_hi)?;
        stmt.raw_bind_parameter(13, r.status)?;
        stmt.raw_bind_parameter(14, keys.place)?;
        stmt.raw_bind_parameter(15, keys.source)?;
        stmt.raw_bind_parameter(16, r.quote)?;
        stmt.raw_bind_parameter(17, r.note)?;
        stmt.raw_bind_parameter(18, r.confidence)?;
        stmt.raw_bind_parameter(19, &r.fingerprint[..])?;
        Ok(stmt.raw_execute()? == 1)
    }

    /// Stages a relation that names an id not seen yet, with its line and key.
    fn stage(&mut self, r: &RelationRecord, line: u64, key: i64) -> Result<(), RecordError> {
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
            ])?;
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

    /// Writes the records the reading thread sends, in order, until the file ends or a
    /// record is bad.
    fn write_items(&mut self, items: mpsc::Receiver<Vec<Item>>) -> Result<(), StoreError> {
        for batch in items {
            for item in batch {
                match item {
                    Item::Relation { line, relation } => {
                        match self.relation(&relation.view(), line) {
                            Ok(()) => {}
                            Err(RecordError::Fault(fault)) => {
                                return Err(self.bad(line, None, fault))
                            }
                            Err(RecordError::Store(e)) => return Err(e),
                        }
                    }
                    Item::Record { line, text } => {
                        let fields = parse_object(self.file, line, &text)?;
                        self.record(&fields, line)?;
                    }
                    Item::Bad(e) => return Err(e),
                }
            }
        }
        Ok(())
    }

    fn read_csv(
        &mut self,
        reader: impl BufRead,
        progress: &Progress<'_>,
    ) -> Result<(), StoreError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(reader);
        let headers: Vec<String> = csv
            .headers()
            .map_err(|e| self.csv_error(e))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        let (kind, allowed) = if headers
            .iter()
            .any(|h| h == "subject" || h == "predicate" || h == "object")
        {
            ("relation", CSV_RELATION_COLUMNS)
        } else if headers.iter().any(|h| h == "id") {
            ("entity", CSV_ENTITY_COLUMNS)
        } else {
            return Err(self.bad(
                1,
                None,
                Fault::record(
                    "the header row names neither relation columns (subject, predicate, object, \
                     when, …) nor entity columns (id, kind, name, aliases)",
                ),
            ));
        };
        for (i, h) in headers.iter().enumerate() {
            if !allowed.contains(&h.as_str()) {
                return Err(self.bad(
                    1,
                    Some(i as u64 + 1),
                    Fault::field(
                        h,
                        format!(
                            "unknown column for {kind} rows; the columns are {}",
                            allowed.join(", ")
                        ),
                    ),
                ));
            }
            if headers[..i].contains(h) {
                return Err(self.bad(
                    1,
                    Some(i as u64 + 1),
                    Fault::field(h, "column appears twice in the header"),
                ));
            }
        }
        let mut row = csv::StringRecord::new();
        let mut count: u64 = 0;
        loop {
            match csv.read_record(&mut row) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(self.csv_error(e)),
            }
            let line = row.position().map(|p| p.line()).unwrap_or(0);
            count += 1;
            if count.is_multiple_of(PROGRESS_EVERY) {
                progress.set(row.position().map(|p| p.byte()).unwrap_or(0));
            }
            if row.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            let mut fields: Fields = Vec::with_capacity(headers.len() + 1);
            fields.push((Cow::Borrowed("type"), Field::Str(Cow::Borrowed(kind))));
            for (header, cell) in headers.iter().zip(row.iter()) {
                if cell.is_empty() {
                    continue;
                }
                let value = match header.as_str() {
                    "confidence" => match cell.trim().parse::<f64>() {
                        Ok(x) if x.is_finite() => Field::Number(x),
                        _ => {
                            return Err(self.bad(
                                line,
                                None,
                                Fault::field(
                                    "confidence",
                                    format!("`{cell}` is not a number from 0 to 1"),
                                ),
                            ))
                        }
                    },
                    "aliases" => Field::Array(
                        cell.split('|')
                            .map(|a| Field::Str(Cow::Borrowed(a.trim())))
                            .collect(),
                    ),
                    _ => Field::Str(Cow::Borrowed(cell)),
                };
                fields.push((Cow::Borrowed(header.as_str()), value));
            }
            self.record(&fields, line)?;
        }
        progress.set(csv.position().byte());
        Ok(())
    }

    fn csv_error(&self, e: csv::Error) -> StoreError {
        let line = e.position().map(|p| p.line()).unwrap_or(1);
        let reason = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("the row has {len} cells but the header has {expected_len}"),
            csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8".to_string(),
            csv::ErrorKind::Io(io) => {
                return StoreError::Io {
                    what: format!("cannot read {} near line {line}", self.file),
                    source: std::io::Error::new(io.kind(), io.to_string()),
                }
            }
            _ => format!("invalid CSV: {e}"),
        };
        self.bad(line, None, Fault::record(reason))
    }

    /// Once a file has brought as many new relations as a bulk import takes (and at least
    /// as many as the store held), drops the relation table's secondary indexes so that
    /// they are built once, sorted, at the end instead of updated row by row. Does nothing
    /// before that point or once they are dropped; relations already present (a file
    /// imported again) do not count, as they change no index.
    fn drop_relation_indexes_for_bulk(&mut self) -> Result<(), StoreError> {
        let new = i64::try_from(self.written + self.staged).unwrap_or(i64::MAX);
        if self.dropped_indexes.is_some() || new < BULK_RELATIONS || new < self.stored_relations {
            return Ok(());
        }
        let db = StoreError::sqlite("cannot prepare the bulk insert of relations");
        let indexes = drop_indexes(self.tx, "relation").map_err(db)?;
        // Without the fingerprint index, relations are written as they come; the copies
        // are removed at the end.
        self.insert_relation = self.tx.prepare(BULK_INSERT_RELATION_SQL).map_err(db)?;
        self.dropped_indexes = Some(indexes);
        Ok(())
    }

    /// Once a file has brought as many new entities as a bulk import takes (and at least
    /// as many as the store held), drops the index of normalised names, whose keys come
    /// in no order, to build it once at the end: for a million entities it outgrows the
    /// page cache and each name inserted read and wrote a random page. The import never
    /// reads it.
    fn drop_name_indexes_for_bulk(&mut self) -> Result<(), StoreError> {
        let new = i64::try_from(self.summary.entities.added).unwrap_or(i64::MAX);
        if self.dropped_name_indexes.is_some() || new < BULK_ENTITIES || new < self.stored_entities
        {
            return Ok(());
        }
        let indexes = drop_indexes(self.tx, "alias").map_err(StoreError::sqlite(
            "cannot prepare the bulk insert of entities",
        ))?;
        self.dropped_name_indexes = Some(indexes);
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

    /// Builds the indexes dropped for a bulk insert again. Of the relation indexes, the
    /// one on fingerprints comes first: with it, the later copies of a relation the file
    /// held twice (or that was already stored) are found in one ordered read and removed
    /// before the other indexes are built. Returns how many copies were removed.
    /// Statistics are gathered at the end, so that SQLite chooses between the start and
    /// the end index of a time filter by what the data holds.
    fn rebuild_indexes(
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
        }
        for (_, sql) in names {
            tx.execute_batch(sql).map_err(db)?;
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

    /// Removes every relation that has the fingerprint of one with a smaller key; returns
    /// how many. Needs the fingerprint index.
    fn remove_copies(&self) -> rusqlite::Result<u64> {
        let mut copies: Vec<i64> = Vec::new();
        {
            let mut stmt = self.tx.prepare(RELATIONS_BY_FINGERPRINT_SQL)?;
            let mut rows = stmt.query([])?;
            let mut previous: Option<Vec<u8>> = None;
            while let Some(row) = rows.next()? {
                let fingerprint = row.get_ref(0)?.as_bytes()?;
                if previous.as_deref() == Some(fingerprint) {
                    copies.push(row.get(1)?);
                } else {
                    previous = Some(fingerprint.to_vec());
                }
            }
        }
        let mut delete = self.tx.prepare("DELETE FROM relation WHERE key = ?1")?;
        for key in &copies {
            delete.execute([key])?;
        }
        Ok(copies.len() as u64)
    }

    /// Inserts the staged relations; returns how many were new. During a bulk insert
    /// (the fingerprint index dropped) every staged relation is written and the copies
    /// are removed afterwards.
    fn insert_staged(&self) -> Result<u64, StoreError> {
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

/// Checks a relation record (no unknown field, each field's value) and computes its time
/// bounds and fingerprint.
fn check_relation<'r>(rec: &Record<'r>) -> Result<RelationRecord<'r>, Fault> {
    rec.reject_unknown("relation", RELATION_FIELDS)?;
    read_relation(rec)
}

/// Reads a relation record's fields and computes its time bounds and fingerprint.
fn read_relation<'r>(rec: &Record<'r>) -> Result<RelationRecord<'r>, Fault> {
    let subject = rec.id("subject")?;
    let predicate = rec.id("predicate")?;
    let object = rec.id("object")?;
    let fields = time::TimeFields {
        when: rec.text("when")?,
        from: rec.text("from")?,
        to: rec.text("to")?,
        at: rec.text("at")?,
    };
    let bounds = time::relation_bounds(&fields).map_err(time_fault)?;
    let status = match rec.text("status")? {
        None => crate::model::Status::DEFAULT,
        Some(word) => word
            .parse::<crate::model::Status>()
            .map_err(|e| Fault::field("status", e.to_string()))?,
    }
    .as_str();
    let place = rec.optional_id("place")?;
    let source = rec.text("source")?;
    let quote = rec.text("quote")?;
    let note = rec.text("note")?;
    let confidence = rec.number("confidence")?;
    if let Some(c) = confidence {
        if !(0.0..=1.0).contains(&c) {
            return Err(Fault::field(
                "confidence",
                format!("{c} is out of range; confidence is a number from 0 to 1"),
            ));
        }
    }
    let mut fp = Fingerprint::new();
    for t in [subject, predicate, object] {
        fp.text(Some(t));
    }
    for t in [fields.when, fields.from, fields.to, fields.at] {
        fp.text(t);
    }
    fp.text(Some(status));
    for t in [place, source, quote, note] {
        fp.text(t);
    }
    fp.number(confidence);
    Ok(RelationRecord {
        subject,
        predicate,
        object,
        time: fields,
        bounds,
        status,
        place,
        source,
        quote,
        note,
        confidence,
        fingerprint: fp.finish(),
    })
}

/// The four bound columns of a relation: all NULL when its time is unknown.
fn bound_columns(bounds: Option<time::Bounds>) -> [Option<i64>; 4] {
    match bounds {
        Some(b) => [
            Some(b.start_lo),
            Some(b.start_hi),
            Some(b.end_lo),
            Some(b.end_hi),
        ],
        None => [None; 4],
    }
}

/// The field a time error concerns, and why (the time module names the field; its
/// message is kept without the field prefix, which the import error adds).
fn time_fault(e: time::TimeError) -> Fault {
    use time::TimeError;
    match e {
        TimeError::InField { field, source } => Fault::field(field, source.to_string()),
        TimeError::ConflictingFields { second, .. } => Fault::field(second, e.to_string()),
        TimeError::NotSingleDate {
            field,
            text,
            what,
            advice,
        } => Fault::field(
            field,
            format!("`{text}` is {what}, but `{field}` takes a single date{advice}"),
        ),
        TimeError::EndsBeforeStart { .. } => Fault::field("to", e.to_string()),
        TimeError::InvalidDate { .. } => Fault::field("when/from/to/at", e.to_string()),
    }
}

/// serde_json's message without its own " at line L column C" suffix (we give ours).
fn json_reason(e: &serde_json::Error) -> Cow<'_, str> {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => Cow::Owned(full[..i].to_string()),
        None => Cow::Owned(full),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        Store::open_in_memory().unwrap()
    }

    fn jsonl(store: &mut Store, text: &str) -> Result<ImportSummary, StoreError> {
        store.import(
            text.as_bytes(),
            Format::JsonLines,
            "test.jsonl",
            ImportOptions::default(),
        )
    }

    fn csv(store: &mut Store, text: &str) -> Result<ImportSummary, StoreError> {
        store.import(
            text.as_bytes(),
            Format::Csv,
            "test.csv",
            ImportOptions::default(),
        )
    }

    /// The first column of `sql`'s rows, as text.
    fn texts(store: &Store, sql: &str) -> Vec<String> {
        store
            .connection()
            .prepare(sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn count(store: &Store, table: &str) -> i64 {
        store
            .connection()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    /// The line and field of a bad-record error.
    fn bad(err: StoreError) -> (u64, Option<String>, String) {
        match err {
            StoreError::BadRecord {
                line,
                field,
                reason,
                ..
            } => (line, field, reason),
            other => panic!("expected a bad record, got {other}"),
        }
    }

    const BASE: &str = r#"{"type":"entity","id":"a","kind":"person","name":"Alpha","aliases":["Alef","ألف"]}
{"type":"entity","id":"b","kind":"city","name":"Beta"}
{"type":"source","id":"src-1","title":"T","published":"2025-04-28"}
"#;

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
    fn reimport_adds_nothing_and_source_distinguishes_relations() {
        let mut s = store();
        let text = format!(
            "{BASE}{}\n{}\n",
            r#"{"type":"relation","subject":"a","predicate":"visited","object":"b","source":"src-1"}"#,
            r#"{"type":"relation","subject":"a","predicate":"visited","object":"b"}"#
        );
        let first = jsonl(&mut s, &text).unwrap();
        assert_eq!(first.relations.added, 2);
        assert_eq!(first.entities.added, 2);
        assert_eq!(first.aliases_added, 4);
        let again = jsonl(&mut s, &text).unwrap();
        assert_eq!(
            again.relations,
            RecordCounts {
                added: 0,
                present: 2
            }
        );
        assert_eq!(
            again.entities,
            RecordCounts {
                added: 0,
                present: 2
            }
        );
        assert_eq!(
            again.sources,
            RecordCounts {
                added: 0,
                present: 1
            }
        );
        assert_eq!(again.aliases_added, 0);
        assert!(again.new_predicates.is_empty());
        assert_eq!(count(&s, "relation"), 2);
    }

    #[test]
    fn bad_line_rolls_back_the_whole_file() {
        let mut s = store();
        let text = format!(
            "{BASE}{}\n",
            r#"{"type":"relation","subject":"a","predicate":"visited","object":"nowhere"}"#
        );
        let (line, field, reason) = bad(jsonl(&mut s, &text).unwrap_err());
        assert_eq!(line, 4);
        assert_eq!(field.as_deref(), Some("object"));
        assert!(reason.contains("nowhere"), "{reason}");
        for table in ["entity", "alias", "source", "predicate", "relation"] {
            assert_eq!(count(&s, table), 0, "{table}");
        }
    }

    #[test]
    fn each_kind_of_bad_record_names_line_and_field() {
        let cases: &[(&str, Option<&str>)] = &[
            (r#"{"type":"entity","id":"c","kind":"person""#, None),
            (
                r#"{"type":"entity","id":"c","kind":"person"}"#,
                Some("name"),
            ),
            (
                r#"{"type":"entity","id":"C-1","kind":"person","name":"C"}"#,
                Some("id"),
            ),
            (
                r#"{"type":"entity","id":"c","kind":5,"name":"C"}"#,
                Some("kind"),
            ),
            (
                r#"{"type":"entity","id":"c","kind":"k","name":"C","aliases":["x",3]}"#,
                Some("aliases[1]"),
            ),
            (
                r#"{"type":"entity","id":"c","kind":"k","name":"C","nmae":"D"}"#,
                Some("nmae"),
            ),
            (
                r#"{"type":"relation","subject":"a","predicate":"p","object":"b","when":"2025-02-30"}"#,
                Some("when"),
            ),
            (
                r#"{"type":"relation","subject":"a","predicate":"p","object":"b","from":"2025-13"}"#,
                Some("from"),
            ),
            (
                r#"{"type":"relation","subject":"a","predicate":"p","object":"b","status":"rumoured"}"#,
                Some("status"),
            ),
            (
                r#"{"type":"relation","subject":"a","predicate":"p","object":"b","confidence":1.5}"#,
                Some("confidence"),
            ),
            (
                r#"{"type":"relation","subject":"a","predicate":"p","object":"b","confidence":"high"}"#,
                Some("confidence"),
            ),
            (
                r#"{"type":"relation","subject":"a","predicate":"p","object":"b","source":"nope"}"#,
                Some("source"),
            ),
            (
                r#"{"type":"relation","subject":"a","predicate":"p","object":"b","place":"nope"}"#,
                Some("place"),
            ),
            (
                r#"{"type":"relation","predicate":"p","object":"b"}"#,
                Some("subject"),
            ),
            (r#"{"type":"source","title":"no id"}"#, Some("id")),
            (
                r#"{"type":"source","id":"s2","published":"2025-02-30"}"#,
                Some("published"),
            ),
            (
                r#"{"type":"predicate","id":"p","symmetric":"yes"}"#,
                Some("symmetric"),
            ),
            (r#"{"type":"fact","id":"p"}"#, Some("type")),
            (r#"{"id":"p"}"#, Some("type")),
            (r#"[1,2]"#, None),
            (
                r#"{"type":"entity","id":"a","kind":"city","name":"Alpha"}"#,
                Some("kind"),
            ),
            (
                r#"{"type":"entity","id":"a","kind":"person","name":"Other"}"#,
                Some("name"),
            ),
        ];
        for (record, field) in cases {
            let mut s = store();
            let text = format!("{BASE}{record}\n");
            let (line, got, reason) = bad(jsonl(&mut s, &text).unwrap_err());
            assert_eq!(line, 4, "{record}: {reason}");
            assert_eq!(got.as_deref(), *field, "{record}: {reason}");
            assert_eq!(count(&s, "entity"), 0, "{record}");
        }
    }

    #[test]
    fn invalid_json_gives_the_column() {
        let mut s = store();
        let err = jsonl(&mut s, "\n{\"type\": \"entity\", \"id\": }\n").unwrap_err();
        match err {
            StoreError::BadRecord { line, column, .. } => {
                assert_eq!(line, 2);
                assert_eq!(column, Some(26));
            }
            other => panic!("{other}"),
        }
    }

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
    fn dry_run_checks_everything_and_writes_nothing() {
        let mut s = store();
        let opts = ImportOptions {
            dry_run: true,
            ..ImportOptions::default()
        };
        let text = format!(
            "{BASE}{}\n",
            r#"{"type":"relation","subject":"a","predicate":"visited","object":"b"}"#
        );
        let sum = s
            .import(text.as_bytes(), Format::JsonLines, "t", opts)
            .unwrap();
        assert!(sum.dry_run);
        assert_eq!(sum.relations.added, 1);
        assert_eq!(count(&s, "entity"), 0);
        assert_eq!(count(&s, "predicate"), 0);
        let bad_text = format!(
            "{BASE}{}\n",
            r#"{"type":"relation","subject":"a","predicate":"visited","object":"zz"}"#
        );
        let err = s
            .import(bad_text.as_bytes(), Format::JsonLines, "t", opts)
            .unwrap_err();
        assert_eq!(bad(err).0, 4);
    }

    #[test]
    fn csv_relations_and_entities_import() {
        let mut s = store();
        let sum = csv(
            &mut s,
            "id,kind,name,aliases\na,person,Alpha,Alef|ألف\nb,city,Beta,\n",
        )
        .unwrap();
        assert_eq!(sum.entities.added, 2);
        assert_eq!(count(&s, "alias"), 4);
        let sum = csv(
            &mut s,
            "subject,predicate,object,when,status,confidence,quote\n\
             a,visited,b,2025-04-28,planned,0.5,\"a, quoted \"\"text\"\"\"\n\
             b,hosted,a,,,,\n",
        )
        .unwrap();
        assert_eq!(sum.relations.added, 2);
        assert_eq!(
            sum.new_predicates,
            vec!["visited".to_string(), "hosted".to_string()]
        );
        let (status, confidence, quote): (String, f64, String) = s
            .connection()
            .query_row(
                "SELECT status, confidence, quote FROM relation ORDER BY key LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((status.as_str(), confidence), ("planned", 0.5));
        assert_eq!(quote, "a, quoted \"text\"");
    }

    #[test]
    fn csv_errors_name_line_and_column() {
        let mut s = store();
        let (line, field, _) = bad(csv(&mut s, "subject,predicate,object,wen\n").unwrap_err());
        assert_eq!((line, field.as_deref()), (1, Some("wen")));
        let (line, field, _) = bad(csv(
            &mut s,
            "subject,predicate,object,confidence\na,p,b,0.5\na,p,b,lots\n",
        )
        .unwrap_err());
        assert_eq!((line, field.as_deref()), (3, Some("confidence")));
        let (line, _, reason) = bad(csv(&mut s, "id,kind,name\na,person\n").unwrap_err());
        assert_eq!(line, 2, "{reason}");
        let (line, _, _) = bad(csv(&mut s, "foo,bar\n1,2\n").unwrap_err());
        assert_eq!(line, 1);
        assert_eq!(count(&s, "entity"), 0);
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
        assert_eq!(before.len(), 9);
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

    #[test]
    fn the_first_bad_line_is_reported_whichever_thread_finds_it() {
        // Line 4 is refused by the writer (the entity disagrees with line 1), lines 5 and
        // 6 by the reader (a bad date, bad JSON), which runs ahead.
        let text = r#"{"type":"entity","id":"a","kind":"person","name":"Alpha"}
{"type":"entity","id":"b","kind":"city","name":"Beta"}
{"type":"relation","subject":"a","predicate":"p","object":"b","when":"2025-04"}
{"type":"entity","id":"a","kind":"city","name":"Alpha"}
{"type":"relation","subject":"a","predicate":"p","object":"b","when":"2025-13"}
{"type":
"#;
        let mut s = store();
        let (line, field, _) = bad(jsonl(&mut s, text).unwrap_err());
        assert_eq!((line, field.as_deref()), (4, Some("kind")));
        let without_line_4: String = text
            .lines()
            .enumerate()
            .filter(|(i, _)| *i != 3)
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        let (line, field, _) = bad(jsonl(&mut s, &without_line_4).unwrap_err());
        assert_eq!((line, field.as_deref()), (4, Some("when")));
        assert_eq!(count(&s, "entity"), 0);
        assert_eq!(count(&s, "relation"), 0);
    }

    #[test]
    fn reading_stops_when_the_writer_refuses_a_record() {
        // The writer stops at line 4 while the reader has many batches still to send.
        let mut text = String::from(BASE);
        text.push_str("{\"type\":\"entity\",\"id\":\"a\",\"kind\":\"city\",\"name\":\"A\"}\n");
        for i in 0..(PIPELINE_BATCH * (PIPELINE_BATCHES + 4)) {
            text.push_str(&format!(
                "{{\"type\":\"relation\",\"subject\":\"a\",\"predicate\":\"p\",\"object\":\"b\",\"note\":\"{i}\"}}\n"
            ));
        }
        let mut s = store();
        let (line, _, _) = bad(jsonl(&mut s, &text).unwrap_err());
        assert_eq!(line, 4);
        assert_eq!(count(&s, "relation"), 0);
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
                Format::JsonLines,
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

    #[test]
    fn constraint_checks_are_restored_after_an_import() {
        let mut s = store();
        let setting = |s: &Store, pragma: &str| -> bool {
            s.connection()
                .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
                .unwrap()
        };
        assert!(setting(&s, "foreign_keys"));
        let good = format!(
            "{BASE}{}\n",
            r#"{"type":"relation","subject":"a","predicate":"p","object":"b"}"#
        );
        jsonl(&mut s, &good).unwrap();
        let wrong =
            r#"{"type":"relation","subject":"a","predicate":"p","object":"b","status":"x"}"#;
        assert_eq!(bad(jsonl(&mut s, wrong).unwrap_err()).0, 1);
        let (a, p): (i64, i64) = s
            .connection()
            .query_row(
                "SELECT e.key, p.key FROM entity e, predicate p WHERE e.id = 'a' AND p.id = 'p'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        for _ in 0..2 {
            assert!(setting(&s, "foreign_keys"));
            assert!(!setting(&s, "ignore_check_constraints"));
            // The schema's own checks hold again for other writers.
            let insert = |status: &str, object: i64, fingerprint: &[u8]| {
                s.connection().execute(
                    "INSERT INTO relation(subject, predicate, object, status, fingerprint)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![a, p, object, status, fingerprint],
                )
            };
            assert!(insert("rumoured", a, &[0]).is_err());
            assert!(insert("occurred", 999, &[1]).is_err());
            assert_eq!(insert("occurred", a, &[2]).unwrap(), 1);
            s.connection()
                .execute("DELETE FROM relation WHERE fingerprint = x'02'", [])
                .unwrap();
            jsonl(&mut s, &good).unwrap();
        }
        assert!(s.check().unwrap().is_empty());
    }

    #[test]
    fn escaped_text_and_repeated_keys_read_as_in_json() {
        let mut s = store();
        let text = r#"{"type":"entity","id":"q","kind":"person","name":"Old","name":"Qu\u00e9 \"Q\"","aliases":["\u0642"]}
{"type":"relation","subj\u0065ct":"q","predicate":"knows","object":"q","quote":"a\nb","confidence":1}
"#;
        let sum = jsonl(&mut s, text).unwrap();
        assert_eq!(sum.relations.added, 1);
        let name: String = s
            .connection()
            .query_row("SELECT name FROM entity WHERE id = 'q'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "Qué \"Q\"");
        let (quote, confidence): (String, f64) = s
            .connection()
            .query_row("SELECT quote, confidence FROM relation", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((quote.as_str(), confidence), ("a\nb", 1.0));
        assert_eq!(count(&s, "alias"), 2);
        let (_, field, _) = bad(jsonl(
            &mut s,
            r#"{"type":"entity","id":"r","kind":"k","name":"R","n\u0061m":"x"}"#,
        )
        .unwrap_err());
        assert_eq!(field.as_deref(), Some("nam"));
    }

    #[test]
    fn fingerprint_separates_fields() {
        let mut a = Fingerprint::new();
        a.text(Some("ab"));
        a.text(Some("c"));
        let mut b = Fingerprint::new();
        b.text(Some("a"));
        b.text(Some("bc"));
        assert_ne!(a.finish(), b.finish());
        let mut c = Fingerprint::new();
        c.text(None);
        let mut d = Fingerprint::new();
        d.text(Some(""));
        assert_ne!(c.finish(), d.finish());
    }

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(
            Format::from_path(Path::new("a.JSONL")),
            Some(Format::JsonLines)
        );
        assert_eq!(Format::from_path(Path::new("dir/a.csv")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("a.txt")), None);
        assert_eq!(Format::from_path(Path::new("noext")), None);
    }
}
