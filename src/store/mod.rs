//! The store: one SQLite file. Opening (pragmas, migrations from `schema/`), import,
//! export, writes and their history ([`write`]), checks and statistics, and every piece
//! of SQL the rest of the crate needs:
//! running compiled queries, the path search, graphs, saved queries, the catalog the
//! planner and completion read. The connection stays inside this module; other layers
//! call one [`Store`] method per job and get a [`StoreError`] when SQLite fails.

mod anchor;
pub mod catalog;
pub mod change;
mod check;
mod counts;
pub(crate) mod db;
#[cfg(test)]
pub(crate) mod engines;
mod export;
mod graph;
mod import;
mod lookup;
pub(crate) mod mentions;
mod open;
mod path;
mod query;
mod reader;
mod saved;
mod server;
mod stats;
pub mod text_search;
mod watch;
pub mod write;

/// The PostgreSQL server of the unit tests (see the file), shared by the store's modules.
#[cfg(test)]
#[path = "../../tests/support/postgres.rs"]
pub(crate) mod pg_server;

use std::path::{Path, PathBuf};

pub use catalog::{AliasMatch, StoreCatalog};
pub use change::{ChangeMeta, Origin};
pub use check::Problem;
pub use import::{
    ImportFormat, ImportOptions, ImportProgress, ImportSummary, ImportWarning, RecordCounts,
    MAX_WARNINGS,
};
pub use mentions::{MentionedEntity, MentionsFound};
pub use open::{Mode, SCHEMA_VERSION};
pub use path::MAX_CHAINS;
pub use query::QueryPlanStep;
pub use saved::Saved;
pub use server::{Target, DEFAULT_SCHEMA, POSTGRES_SCHEMA_VERSION};
pub use stats::Stats;
pub use watch::Watched;
pub use write::{WriteOp, WriteReport};

/// Everything that can go wrong in the store layer. Each message says what happened,
/// where, and what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A read-only command was pointed at a file that does not exist.
    #[error("{}", missing_message(.path))]
    Missing { path: PathBuf },

    /// SQLite could not open the file, or the file is not a SQLite database.
    #[error("{}", open_message(.path, .source))]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    /// The path names a directory or an empty file, not a store.
    #[error("{}", not_a_store_message(.path, *.directory))]
    NotAStore { path: PathBuf, directory: bool },

    /// The file is a SQLite database but not a factstore store.
    #[error(
        "{} is a SQLite database but not a factstore store (it has tables but no schema \
         version). Point --db at a factstore file or at a new path.",
        .path.display()
    )]
    Foreign { path: PathBuf },

    /// The file was written by a newer factstore.
    #[error(
        "the store {} has schema version {found}, but this factstore only knows versions up to \
         {known}. It was left untouched; use a newer factstore to open it.",
        .path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    /// A read-only command met a store with an older schema.
    #[error("{}", upgrade_message(.path, *.found, *.known))]
    NeedsUpgrade {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    /// Applying a schema migration failed; nothing of it was written.
    #[error("cannot upgrade the store {} with migration {migration}: {source}. The store was left as it was.", .path.display())]
    Migration {
        path: PathBuf,
        migration: &'static str,
        #[source]
        source: db::DbError,
    },

    /// A record of an imported file is wrong; nothing of that file was written.
    #[error("{}", bad_record_message(.file, *.line, *.column, .field.as_deref(), .reason))]
    BadRecord {
        file: String,
        line: u64,
        column: Option<u64>,
        field: Option<String>,
        reason: String,
    },

    /// Reading an input or writing an output failed.
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },

    /// An import failed in the store (not in its data): its transaction was rolled back.
    #[error("{}. Nothing from {file} was imported; the store is as it was.", .source.to_string().trim_end_matches('.'))]
    ImportFailed {
        file: String,
        #[source]
        source: Box<StoreError>,
    },

    /// The store holds something its own rules forbid.
    #[error("the store {what}. Run `factstore check` to see every problem; restore the store from a backup or an export if needed.")]
    Corrupt { what: String },

    /// The store could not be read while checking what an import brings (the body of a
    /// saved query).
    #[error("{context}: {reason}. Run `factstore check` if this happens again.")]
    Catalog {
        context: &'static str,
        reason: String,
    },

    /// A database operation failed.
    #[error("{}", sqlite_message(.context, .source))]
    Sqlite {
        context: &'static str,
        #[source]
        source: rusqlite::Error,
    },

    /// Running a statement of the language failed in SQLite (its SQL, the path search,
    /// the graph or a saved query).
    #[error("the query failed in the store: {source}")]
    Query {
        #[source]
        source: rusqlite::Error,
    },

    /// A write was asked for with no change open, or a change was opened inside another.
    #[error("{0}")]
    ChangeState(&'static str),

    /// A record given to `add` or the fields given to `correct` break the rules of a
    /// record (DATA.md).
    #[error("{}", bad_write_message(.field.as_deref(), .reason))]
    BadWrite {
        field: Option<String>,
        reason: String,
    },

    /// No relation with this id was ever recorded.
    #[error(
        "no relation #{id} has ever been recorded. Every query shows a relation's id in its \
         `id` column; `changes` lists what was written."
    )]
    NoSuchRelation { id: i64 },

    /// An entity, predicate or source id that the store does not have.
    #[error("no {what} has the id `{id}` in the store. Check the id, or add the {what} first (`add {what} …`).")]
    UnknownId { what: &'static str, id: String },

    /// A relation another change retracted, erased or undid cannot be changed: the writer
    /// is told who ended it and when (two writers at once never lose a change).
    #[error(
        "#{id} cannot be {doing}: it was {action} by {author} at {recorded} (change \
         {change}). See `history #{id}`; add the relation again if it should hold."
    )]
    Stale {
        id: i64,
        doing: &'static str,
        action: String,
        change: i64,
        author: String,
        recorded: String,
    },

    /// A correction would make a relation identical to another live one.
    #[error(
        "correcting #{id} so would duplicate #{other}, which says the same. Retract one of \
         them instead (`retract #{id}`), or correct it differently."
    )]
    Duplicate { id: i64, other: i64 },

    /// No change with this number exists (yet).
    #[error("there is no change {change} in the store; `changes` lists them.")]
    NoSuchChange { change: i64 },

    /// An `undo` that would lose or contradict what came after the change.
    #[error("change {change} cannot be undone: {why}.")]
    UndoRefused { change: i64, why: String },

    /// A write the store's rules refuse; the message says why and what to do instead.
    #[error("{0}")]
    Refused(String),

    /// No store in this schema of the PostgreSQL database (a reading command, or a
    /// writing one other than `init` and `import`).
    #[error("no store in the schema `{schema}` of {target}. Create one with `factstore --db '{target}' --schema {schema} init`, or import data with `factstore --db '{target}' --schema {schema} import FILE`.")]
    NoSchema { target: String, schema: String },

    /// The PostgreSQL server could not be reached, or refused the connection.
    #[error("cannot connect to the PostgreSQL store {target}: {reason}. Check the connection string (--db or FACTSTORE_DB), that the server runs, and the user's password (PGPASSWORD or ~/.pgpass).")]
    Connect { target: String, reason: String },

    /// `--schema` is not a name PostgreSQL takes as a schema.
    #[error("`{name}` is not a schema name factstore uses: give letters, digits and `_` (not starting with a digit), at most 63 bytes, e.g. `--schema factstore`.")]
    BadSchemaName { name: String },

    /// A database operation failed on PostgreSQL, or in code written for both engines.
    #[error("{context}: {source}.")]
    Db {
        context: &'static str,
        #[source]
        source: db::DbError,
    },
}

fn missing_message(path: &Path) -> String {
    let p = path.display();
    format!(
        "no store at {p}: the file does not exist. Create one with `factstore --db {p} init`, \
         or by importing data with `factstore --db {p} import FILE`."
    )
}

/// Why SQLite could not open (or first read) a store file, said by what it means for the
/// user: a full disk, a damaged file, a file that is not a database, or permissions.
fn open_message(path: &Path, source: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    let p = path.display();
    let code = source.sqlite_error_code();
    match code {
        Some(ErrorCode::DiskFull) => disk_full_message(path, source),
        Some(ErrorCode::SystemIoFailure | ErrorCode::CannotOpen) if disk_is_full(path) => {
            disk_full_message(path, source)
        }
        Some(ErrorCode::NotADatabase) => format!(
            "{p} is not a factstore store: it is not a SQLite database (SQLite: {source}). \
             Point --db at a store, or at a new path to create one."
        ),
        Some(ErrorCode::DatabaseCorrupt) => format!(
            "the store {p} is damaged (SQLite: {source}): it may have been cut short by a \
             failed copy or a full disk. Restore it from a backup or an export; `factstore \
             --db {p} check` lists what SQLite can still read."
        ),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => format!(
            "cannot open the store {p}: {source}. Another process holds it locked; wait for \
             it to finish and try again."
        ),
        _ => format!(
            "cannot open the store {p}: {source}. Check the path and the permissions of the \
             file and its directory."
        ),
    }
}

fn disk_full_message(path: &Path, source: &rusqlite::Error) -> String {
    format!(
        "cannot open the store {}: the disk that holds it is full (SQLite: {source}). Free \
         some space and try again; the store was not changed.",
        path.display()
    )
}

/// True when the file system holding `path` has no space left for a writer like us.
/// SQLite reports a failed write of its shared-memory file at open as a generic I/O
/// error; this tells the user the real cause.
fn disk_is_full(path: &Path) -> bool {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        match rustix::fs::statvfs(dir) {
            // Less than one page of the store free.
            Ok(st) => st.f_bavail.saturating_mul(st.f_frsize) < 16 * 1024,
            Err(_) => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

fn not_a_store_message(path: &Path, directory: bool) -> String {
    let p = path.display();
    if directory {
        format!(
            "{p} is a directory, not a store. Name the store's file, e.g. `--db {}`.",
            path.join("facts.db").display()
        )
    } else {
        format!(
            "{p} is an empty file (0 bytes), not a store. If it held a store, its data is \
             gone: restore it from a backup or an export. `factstore --db {p} init` makes it \
             a new, empty store."
        )
    }
}

fn upgrade_message(path: &Path, found: i64, known: i64) -> String {
    let p = path.display();
    format!(
        "the store {p} has schema version {found} and needs an upgrade to version {known}, \
         which a read-only command does not do. Upgrade it in place with \
         `factstore --db {p} init` (the data is kept), then run the command again."
    )
}

fn bad_record_message(
    file: &str,
    line: u64,
    column: Option<u64>,
    field: Option<&str>,
    reason: &str,
) -> String {
    let place = match column {
        Some(c) => format!("{file}:{line}:{c}"),
        None => format!("{file}:{line}"),
    };
    let field = match field {
        Some(f) => format!(" field `{f}`:"),
        None => String::new(),
    };
    format!(
        "{place}:{field} {reason}. Nothing from {file} was imported; correct line {line} and \
         import the file again."
    )
}

fn bad_write_message(field: Option<&str>, reason: &str) -> String {
    let field = match field {
        Some(f) => format!("field `{f}`: "),
        None => String::new(),
    };
    format!("{field}{reason}. Nothing was written; correct the statement and run it again.")
}

fn sqlite_message(context: &str, source: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    let hint = match source.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            " The store is locked by another process; wait for it to finish and try again."
        }
        Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => {
            " The file looks damaged; run `factstore check` and restore it from a backup or an export."
        }
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::PermissionDenied) => {
            " The file or its directory is not writable; check permissions."
        }
        Some(ErrorCode::DiskFull) => " The disk is full; free some space and try again.",
        _ => "",
    };
    format!("{context}: {source}.{hint}")
}

impl StoreError {
    /// The process exit status for this error: 2 when the input was wrong (bad import
    /// data, a write the store refuses), 1 for everything else (I/O, missing, locked, corrupt or newer store).
    pub fn exit_code(&self) -> i32 {
        match self {
            StoreError::BadRecord { .. }
            | StoreError::BadWrite { .. }
            | StoreError::NoSuchRelation { .. }
            | StoreError::UnknownId { .. }
            | StoreError::Stale { .. }
            | StoreError::Duplicate { .. }
            | StoreError::NoSuchChange { .. }
            | StoreError::UndoRefused { .. }
            | StoreError::BadSchemaName { .. }
            | StoreError::Refused(_) => 2,
            StoreError::ImportFailed { source, .. } => source.exit_code(),
            _ => 1,
        }
    }

    pub(crate) fn sqlite(context: &'static str) -> impl Fn(rusqlite::Error) -> StoreError + Copy {
        move |source| StoreError::Sqlite { context, source }
    }

    /// A failure of SQL written for both engines; SQLite's own errors keep their
    /// SQLite wording and hints.
    pub(crate) fn db(context: &'static str) -> impl Fn(db::DbError) -> StoreError + Copy {
        move |source| match source {
            db::DbError::Sqlite(source) => StoreError::Sqlite { context, source },
            source => StoreError::Db { context, source },
        }
    }

    /// A statement's failure in SQLite.
    pub(crate) fn query(source: rusqlite::Error) -> StoreError {
        StoreError::Query { source }
    }

    /// A statement's failure in either engine: SQLite's as [`StoreError::Query`] (so
    /// its limits and interrupts are read as they always were), PostgreSQL's as
    /// [`StoreError::Db`].
    pub(crate) fn query_db(source: db::DbError) -> StoreError {
        match source {
            db::DbError::Sqlite(source) => StoreError::Query { source },
            source => StoreError::Db {
                context: "the query failed in the store",
                source,
            },
        }
    }

    /// SQLite's own error behind this one, if a database operation failed.
    pub fn sqlite_error(&self) -> Option<&rusqlite::Error> {
        match self {
            StoreError::Sqlite { source, .. } | StoreError::Query { source } => Some(source),
            _ => None,
        }
    }

    /// True when SQLite stopped because it was interrupted (a deadline, Ctrl-C).
    pub fn is_interrupted(&self) -> bool {
        // PostgreSQL's query_canceled: a cancel request (a deadline, Ctrl-C) stopped it.
        self.sqlite_error()
            .is_some_and(crate::deadline::is_interrupted)
            || matches!(self, StoreError::Db { source, .. } if source.sqlstate() == Some("57014"))
    }
}

/// Stops whatever SQL runs on the store, from another thread (a SIGINT handler).
pub struct InterruptHandle(Interrupt);

enum Interrupt {
    Sqlite(rusqlite::InterruptHandle),
    /// PostgreSQL's cancel request: the statement stops on the server.
    Postgres(postgres::CancelToken),
}

impl InterruptHandle {
    /// Makes the SQL running now fail with SQLite's "interrupted" or PostgreSQL's
    /// query_canceled; nothing if none runs.
    pub fn interrupt(&self) {
        match &self.0 {
            Interrupt::Sqlite(handle) => handle.interrupt(),
            // A cancel that cannot reach the server leaves the statement to end on its
            // own; there is no one to tell from a signal handler.
            Interrupt::Postgres(token) => {
                let _ = token.cancel_query(postgres::NoTls);
            }
        }
    }
}

/// An open store: one connection (a SQLite file or a PostgreSQL schema) with the schema
/// up to date.
pub struct Store {
    db: db::Db,
    /// The store's file; for PostgreSQL, its connection string without the password
    /// (for messages).
    path: PathBuf,
    mode: Mode,
    /// The change a writer has open (between `begin_change` and its commit or rollback).
    change: Option<write::OpenChange>,
    /// A group of changes is open (`Store::begin_group`): its changes share one
    /// transaction, committed by `Store::end_group` (how each can be undone alone:
    /// `write::group::Guard`).
    group: bool,
    /// In a group, adds' texts wait to be indexed and the adds to be counted: the highest
    /// relation key before the first of them, and the SQL of the insert triggers dropped
    /// meanwhile (see `Store::defer_add_triggers`).
    deferred_triggers: Option<(i64, String)>,
    /// What a PostgreSQL store knows of Citus (docs/SCALE.md): its relations' copy by
    /// object, which queries read where it keeps them on one node; whether Citus is
    /// installed. Nothing for a SQLite store.
    citus: server::Citus,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("mode", &self.mode)
            .finish()
    }
}

impl Store {
    /// The SQLite connection, for the crate's tests (the store's code runs its SQL
    /// through [`Store::db`]).
    #[cfg(test)]
    pub(crate) fn connection(&self) -> &rusqlite::Connection {
        self.conn()
    }

    /// The SQLite connection, for the store's code written for SQLite alone; on a
    /// PostgreSQL store, one that refuses every statement (see [`db::Db::sqlite_only`]).
    fn conn(&self) -> &rusqlite::Connection {
        self.db.sqlite_only()
    }

    fn conn_mut(&mut self) -> &mut rusqlite::Connection {
        self.db.sqlite_only_mut()
    }

    /// The connection, for SQL written for both engines.
    pub(crate) fn db(&self) -> &db::Db {
        &self.db
    }

    /// Which engine holds the store.
    pub fn dialect(&self) -> db::Dialect {
        self.db.dialect()
    }

    /// Whether the store has its relations' copy by object (docs/SCALE.md), for the
    /// compiler ([`crate::sql::CompileOptions::copy_by_object`]).
    pub fn copy_by_object(&self) -> bool {
        self.citus.copy_by_object
    }

    /// The SQLite connection, for the fuzz harness alone (feature `fuzzing`, never on by
    /// default): it empties and inspects reused in-memory stores between inputs, which
    /// no user of the store has reason to do.
    #[cfg(feature = "fuzzing")]
    pub fn fuzzing_connection(&self) -> &rusqlite::Connection {
        self.conn()
    }

    /// The planner's and completion's view of the store's names.
    pub fn catalog(&self) -> StoreCatalog<'_> {
        StoreCatalog::of(self.db())
    }

    /// A handle that stops the SQL running on this store from another thread.
    pub fn interrupt_handle(&self) -> InterruptHandle {
        InterruptHandle(match &self.db {
            db::Db::Sqlite(conn) => Interrupt::Sqlite(conn.get_interrupt_handle()),
            db::Db::Postgres(pg) => Interrupt::Postgres(pg.cancel_token()),
        })
    }

    /// True when the store's file is open read-only (by [`Mode::ReadOnly`], or because
    /// the file or its directory is not writable).
    pub fn is_read_only(&self) -> bool {
        // A reader that may write the file reads through a read-write connection kept
        // to reading (see `reader`).
        self.mode == Mode::ReadOnly || self.conn().is_readonly(rusqlite::MAIN_DB).unwrap_or(false)
    }

    /// The SQL of the store's tables, indexes and views, each ending with `;` and a new
    /// line: as stored by SQLite; on PostgreSQL, as its catalog describes them (a table's
    /// columns with their types, NOT NULL and defaults, then its indexes; the views).
    pub fn schema_text(&self) -> Result<String, StoreError> {
        let err = StoreError::db("cannot read the store's schema");
        let sql = match self.dialect() {
            db::Dialect::Sqlite => {
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL \
                 AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
            }
            // The store's schema is the search path's first. Tables in order of creation
            // (their oids), each followed by its indexes; then the views.
            db::Dialect::Postgres => POSTGRES_SCHEMA_SQL,
        };
        let mut out = String::new();
        self.db
            .for_each(sql, &[], |r| {
                out.push_str(r.get::<String>(0)?.trim_end());
                out.push_str(";\n");
                Ok::<(), db::DbError>(())
            })
            .map_err(err)?;
        Ok(out)
    }

    /// The path of the store's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How the store was opened.
    pub fn mode(&self) -> Mode {
        self.mode
    }
}

/// The definitions of a PostgreSQL store's tables, indexes and views (see
/// [`Store::schema_text`]), one a row.
const POSTGRES_SCHEMA_SQL: &str = "\
    SELECT def FROM ( \
      SELECT c.oid AS table_oid, 0 AS part, 0 AS part_oid, \
             'CREATE TABLE ' || quote_ident(c.relname) || ' (\n' || string_agg( \
               '    ' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) \
               || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END \
               || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), ''), \
               ',\n' ORDER BY a.attnum) || '\n)' AS def \
      FROM pg_class c \
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
      LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum \
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' \
      GROUP BY c.oid, c.relname \
      UNION ALL \
      SELECT i.indrelid, 1, i.indexrelid, pg_get_indexdef(i.indexrelid) \
      FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid \
      WHERE c.relnamespace = current_schema()::regnamespace \
      UNION ALL \
      SELECT c.oid, 2, 0, 'CREATE VIEW ' || quote_ident(c.relname) || ' AS\n' \
             || rtrim(pg_get_viewdef(c.oid), ';') \
      FROM pg_class c \
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'v' \
    ) AS defs ORDER BY part = 2, table_oid, part, part_oid";
