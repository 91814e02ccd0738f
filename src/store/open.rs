//! Opening a store: file modes, connection pragmas, and the schema migrations embedded
//! from `schema/NNNN_name.sql`.
//!
//! The migrations are applied in order inside one transaction and `PRAGMA user_version`
//! records how many were applied. An older store is upgraded on open: for a reading
//! command too, when the file can be written (the upgrade is the only write a reading
//! command makes, and it never creates a file); a store that cannot be written is then
//! refused with a message that says how to upgrade it (`factstore init` on the existing
//! file). A store whose version is newer than this binary knows is refused before
//! anything is written to it.

use std::path::Path;
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::{reader, Store, StoreError};

/// The schema migrations, in order: (name, SQL text).
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../../schema/0001_init.sql")),
    (
        "0002_relation_pair",
        include_str!("../../schema/0002_relation_pair.sql"),
    ),
    (
        "0003_time_indexes",
        include_str!("../../schema/0003_time_indexes.sql"),
    ),
    (
        "0004_endpoint_time_indexes",
        include_str!("../../schema/0004_endpoint_time_indexes.sql"),
    ),
    (
        "0005_relation_fingerprint_index",
        include_str!("../../schema/0005_relation_fingerprint_index.sql"),
    ),
    (
        "0006_end_index_columns",
        include_str!("../../schema/0006_end_index_columns.sql"),
    ),
    (
        "0007_relation_view_time_as_written",
        include_str!("../../schema/0007_relation_view_time_as_written.sql"),
    ),
    (
        "0008_history",
        include_str!("../../schema/0008_history.sql"),
    ),
    (
        "0009_relation_reported",
        include_str!("../../schema/0009_relation_reported.sql"),
    ),
    (
        "0010_text_search",
        include_str!("../../schema/0010_text_search.sql"),
    ),
    (
        "0011_mentions",
        include_str!("../../schema/0011_mentions.sql"),
    ),
    (
        "0012_name_words",
        include_str!("../../schema/0012_name_words.sql"),
    ),
    (
        "0013_version_ends",
        include_str!("../../schema/0013_version_ends.sql"),
    ),
    (
        "0014_name_generation",
        include_str!("../../schema/0014_name_generation.sql"),
    ),
    (
        "0015_relation_counts",
        include_str!("../../schema/0015_relation_counts.sql"),
    ),
    (
        "0016_predicate_end_ends",
        include_str!("../../schema/0016_predicate_end_ends.sql"),
    ),
    (
        "0017_weak_alias_change",
        include_str!("../../schema/0017_weak_alias_change.sql"),
    ),
];

/// How long a statement waits for another process's lock on the store before it fails.
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The schema version this binary writes: the number of migrations it knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How a store file is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Read only: never creates or changes the file.
    ReadOnly,
    /// Read and write an existing store (upgrading its schema if it is older).
    ReadWrite,
    /// Read and write, creating the store if the file does not exist.
    Create,
}

impl Store {
    /// Opens the store at `path`. See [`Mode`] for what each mode may do to the file.
    pub fn open(path: impl AsRef<Path>, mode: Mode) -> Result<Store, StoreError> {
        let path = path.as_ref().to_path_buf();
        match std::fs::metadata(&path) {
            Err(_) if mode != Mode::Create => return Err(StoreError::Missing { path }),
            Ok(meta) if meta.is_dir() => {
                return Err(StoreError::NotAStore {
                    path,
                    directory: true,
                })
            }
            // SQLite takes an empty file for an empty database: a reading command would
            // then ask for an upgrade "with the data kept" of a file that holds nothing.
            Ok(meta) if meta.len() == 0 && mode != Mode::Create => {
                return Err(StoreError::NotAStore {
                    path,
                    directory: false,
                })
            }
            _ => {}
        }
        let open_error = |source| StoreError::Open {
            path: path.clone(),
            source,
        };
        let mut conn = match mode {
            Mode::ReadOnly => reader::open(&path).map_err(open_error)?,
            Mode::ReadWrite | Mode::Create => {
                let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                if mode == Mode::Create {
                    flags |= OpenFlags::SQLITE_OPEN_CREATE;
                }
                Connection::open_with_flags(&path, flags).map_err(open_error)?
            }
        };
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        // `rarray(?)` binds a list of keys as one parameter (path search).
        rusqlite::vtab::array::load_module(&conn).map_err(open_error)?;

        // Look before writing anything: a newer or foreign file must stay untouched.
        let version = user_version(&conn).map_err(open_error)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path,
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if version == 0 && has_tables(&conn).map_err(open_error)? {
            return Err(StoreError::Foreign { path });
        }
        if version < SCHEMA_VERSION && mode == Mode::ReadOnly {
            // An older store is upgraded on open, reading commands included, when the
            // file may be written; then it is opened read-only as asked.
            if version > 0 {
                drop(conn);
                if Store::open(&path, Mode::ReadWrite).is_ok() {
                    return Store::open(&path, Mode::ReadOnly);
                }
            }
            return Err(StoreError::NeedsUpgrade {
                path,
                found: version,
                known: SCHEMA_VERSION,
            });
        }

        if version == 0 {
            // A new store (a foreign file was refused above): 16 KiB pages, which hold
            // four times the index entries of SQLite's default 4 KiB, make imports about
            // 5% faster with the same query times. Only takes effect before the first
            // table is written.
            conn.pragma_update(None, "page_size", PAGE_SIZE)
                .map_err(open_error)?;
        }
        if mode != Mode::ReadOnly {
            conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
                .map_err(open_error)?;
            conn.pragma_update(None, "synchronous", "NORMAL")
                .map_err(open_error)?;
            conn.pragma_update(None, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES)
                .map_err(open_error)?;
        }
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_error)?;
        configure(&conn).map_err(open_error)?;
        // Pages are read through a memory map rather than copied into the page cache one
        // `read` at a time: a query that visits a hub's relations, spread over the file,
        // runs about a third faster. SQLite caps the map at its compiled-in maximum.
        conn.pragma_update(None, "mmap_size", MMAP_SIZE)
            .map_err(open_error)?;

        if version < SCHEMA_VERSION {
            migrate(&mut conn, &path)?;
        }
        Ok(Store {
            db: super::db::Db::Sqlite(conn),
            path,
            mode,
            change: None,
            group: false,
            deferred_triggers: None,
            citus: super::server::Citus::default(),
        })
    }
}

impl Store {
    /// Leaves what this connection writes in the store's write-ahead log when it closes,
    /// for a later writer (or SQLite's automatic checkpoint, every thousand pages) to
    /// carry into the store file, instead of checkpointing on close: that checkpoint syncs
    /// the log and the store file to disk, and for a process that makes one small change
    /// (`factstore query 'add …'`) it was most of the process's time. Every connection
    /// reads the log, so nothing is lost or hidden; the store file alone (copied without
    /// its `-wal` file) lacks those changes until then. A PostgreSQL store has no such
    /// log: nothing to do.
    pub fn keep_log_on_close(&self) -> Result<(), StoreError> {
        let Some(conn) = self.db.sqlite() else {
            return Ok(());
        };
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
            .map(drop)
            .map_err(StoreError::sqlite(
                "cannot configure the store's connection",
            ))
    }

    /// Lets the page cache hold a group of changes (see [`GROUP_CACHE_KIB`]).
    pub(crate) fn cache_for_group(&self) -> Result<(), StoreError> {
        let Some(conn) = self.db.sqlite() else {
            return Ok(());
        };
        conn.pragma_update(None, "cache_size", -GROUP_CACHE_KIB)
            .map_err(StoreError::sqlite(
                "cannot size the page cache for a group of changes",
            ))
    }

    /// Where SQLite keeps this connection's temporary data (`PRAGMA temp_store`): in
    /// memory for writes, on disk (SQLite's default) for a streamed import.
    ///
    /// A write inside a change needs a statement journal (to undo the statement alone if
    /// it fails: a relation's insert touches its ten indexes); SQLite keeps one in memory
    /// only up to 64 KiB, four of the store's pages, then in a temporary file made and
    /// deleted per statement (an `add` wrote it 67 times, most of its system calls),
    /// unless temporary data is kept in memory. A streamed import's staging table
    /// (a TEMP table of every record seen) could be large: it stays on disk.
    /// The setting changes only outside a transaction, and only when it differs (a
    /// change drops SQLite's temporary database and recompiles statements that used it).
    pub(crate) fn keep_temporary_data(&self, in_memory: bool) -> Result<(), StoreError> {
        // PostgreSQL keeps its temporary data itself.
        let Some(conn) = self.db.sqlite() else {
            return Ok(());
        };
        // SQLite's values: 0 its default (files), 2 memory.
        let wanted: i64 = if in_memory { 2 } else { 0 };
        let err = StoreError::sqlite("cannot configure the store's temporary data");
        let now: i64 = conn
            .prepare_cached("PRAGMA temp_store")
            .and_then(|mut stmt| stmt.query_row([], |r| r.get(0)))
            .map_err(err)?;
        if now != wanted && conn.is_autocommit() {
            conn.execute_batch(if in_memory {
                "PRAGMA temp_store = MEMORY"
            } else {
                "PRAGMA temp_store = DEFAULT"
            })
            .map_err(err)?;
        }
        Ok(())
    }

    /// Opens a new, empty store in memory (nothing is written to disk), e.g. to check
    /// data without a store file.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let path = std::path::PathBuf::from(":memory:");
        let mut conn = Connection::open_in_memory().map_err(|source| StoreError::Open {
            path: path.clone(),
            source,
        })?;
        configure(&conn).map_err(|source| StoreError::Open {
            path: path.clone(),
            source,
        })?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(|source| StoreError::Open {
                path: path.clone(),
                source,
            })?;
        // `rarray(?)`, as for a store on disk: path search binds lists of keys.
        rusqlite::vtab::array::load_module(&conn).map_err(|source| StoreError::Open {
            path: path.clone(),
            source,
        })?;
        migrate(&mut conn, &path)?;
        Ok(Store {
            db: super::db::Db::Sqlite(conn),
            path,
            mode: Mode::Create,
            change: None,
            group: false,
            deferred_triggers: None,
            citus: super::server::Citus::default(),
        })
    }
}

/// The page size of new stores, in bytes.
const PAGE_SIZE: i64 = 16384;

/// The most bytes of a store file read through a memory map.
pub(super) const MMAP_SIZE: i64 = 1 << 31;

/// How many pages the write-ahead log holds before a commit carries it into the store
/// file (SQLite's automatic checkpoint): 4096 pages of 16 KiB, 64 MiB. SQLite's default,
/// 1000 pages, was chosen for 4 KiB pages (4 MB); with the store's pages it is 16 MB,
/// and an `add` into a freshly imported 1M store writes about 50 pages (a split leaf in
/// each of the relation's indexes), so a piped session checkpointed every 20 or so
/// statements, each time with two `fsync`s (of the log, then of the store file). At 4096
/// pages the same 2,000 adds made 43 `fsync`s instead of 169 (the pages written are
/// about the same: the leaves an add splits are seldom written again within 64 MiB).
/// Durability is unchanged: a commit is in the log, which every connection reads, and
/// with `synchronous = NORMAL` the log is synced before each checkpoint as before. A log
/// of that size spans at most two of the wal-index's hash tables (4096 frames each), so
/// finding a page in it stays cheap; a larger one would cost every page read more.
const WAL_CHECKPOINT_PAGES: i64 = 4096;

/// The page cache of a writer with a group of changes open (`Store::begin_group`), in
/// KiB: a group's pages stay in memory until its commit writes each once (SQLite's
/// default, 2 MiB, is 128 of the store's pages, fewer than three adds dirty; it spills
/// the rest into the log, and a page a later add dirties again is written again). The
/// cache only grows as the group dirties pages.
const GROUP_CACHE_KIB: i64 = 256 * 1024;

/// Connection settings every store connection has, on disk or in memory.
///
/// The query planner's stability guarantee (QPSG): a statement's plan never depends on
/// the values bound to it. Without it, SQLite marks a statement whose plan might change
/// with a bound value, and clearing its bindings (which rusqlite's statement cache does
/// each time a statement is returned to it) makes the next run parse and plan it again:
/// every query, and every name lookup of the planner, was compiled anew on each run
/// (the compiled query of q1 took 147 µs instead of 35 µs). The compiler writes SQL whose
/// best plan does not depend on the values (the indexes of `schema/` match its shapes),
/// and the statistics ANALYZE gathers still guide the plans.
///
/// The cache of prepared statements holds [`STATEMENT_CACHE`] of them: rusqlite's default
/// of 16 is fewer than one REPL session's statements (name lookups, the compiled queries,
/// the path search's, the writes'), and a statement pushed out is parsed and planned again
/// on its next run, which in a session of varied statements was every run.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // The triggers of the text index call it (before any migration runs).
    super::text_search::register(conn)?;
    Ok(())
}

/// How many prepared statements a connection keeps for reuse.
const STATEMENT_CACHE: usize = 256;

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

fn has_tables(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name NOT LIKE 'sqlite_%')",
        [],
        |row| row.get(0),
    )
}

/// Applies the migrations the store lacks, all in one transaction, and records the new
/// version. On any error nothing is changed.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(StoreError::sqlite("cannot start the schema upgrade"))?;
    // Read again under the write lock: another process may have upgraded meanwhile.
    let version =
        user_version(&tx).map_err(StoreError::sqlite("cannot read the schema version"))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    let done = usize::try_from(version).unwrap_or(0);
    for (name, sql) in MIGRATIONS.iter().skip(done) {
        tx.execute_batch(sql)
            .map_err(|source| StoreError::Migration {
                path: path.to_path_buf(),
                migration: name,
                source: source.into(),
            })?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(StoreError::sqlite("cannot record the schema version"))?;
    tx.commit()
        .map_err(StoreError::sqlite("cannot commit the schema upgrade"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_writes_the_time_as_the_one_writer_does() {
        let (_, sql) = super::MIGRATIONS
            .iter()
            .rev()
            .find(|(_, sql)| sql.contains("CREATE VIEW relation_view"))
            .unwrap();
        let expr = crate::model::time_as_written_sql("r");
        assert!(sql.contains(&format!("{expr} AS time_text")), "{expr}");
        let mut s = Store::open_in_memory().unwrap();
        let text = r#"{"type":"entity","id":"a","kind":"person","name":"A"}
{"type":"entity","id":"b","kind":"city","name":"B"}
{"type":"relation","subject":"a","predicate":"visited","object":"b","from":"2023-01","to":"mid 2024"}
"#;
        s.import(
            text.as_bytes(),
            crate::store::ImportFormat::JsonLines,
            "t",
            Default::default(),
        )
        .unwrap();
        let written: String = s
            .connection()
            .query_row("SELECT time_text FROM relation_view", [], |r| r.get(0))
            .unwrap();
        assert_eq!(written, "from 2023-01 to mid 2024");
    }

    #[test]
    fn the_relation_check_lists_every_status_of_the_model() {
        let store = Store::open_in_memory().unwrap();
        let sql: String = store
            .connection()
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'relation'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let words: Vec<String> = crate::model::Status::WORDS
            .iter()
            .map(|w| format!("'{w}'"))
            .collect();
        let check = format!("CHECK (status IN ({}))", words.join(", "));
        assert!(sql.contains(&check), "{sql}");
        for status in crate::model::Status::WORDS {
            store
                .connection()
                .execute_batch(&format!(
                    "INSERT INTO entity (id, kind, name) VALUES ('e_{status}', 'k', 'E');
                     INSERT INTO predicate (id) VALUES ('p_{status}');
                     INSERT INTO relation (subject, predicate, object, status, fingerprint)
                     SELECT e.key, p.key, e.key, '{status}', randomblob(16)
                     FROM entity e, predicate p WHERE e.id = 'e_{status}' AND p.id = 'p_{status}';"
                ))
                .unwrap();
        }
    }

    fn temp_path(dir: &tempfile::TempDir) -> std::path::PathBuf {
        dir.path().join("facts.db")
    }

    #[test]
    fn new_stores_have_large_pages_and_every_connection_the_planner_guarantee() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(temp_path(&dir), Mode::Create).unwrap();
        let conn = store.connection();
        let page: i64 = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        assert_eq!(page, PAGE_SIZE);
        drop(store);
        let store = Store::open(temp_path(&dir), Mode::ReadOnly).unwrap();
        assert!(store
            .connection()
            .db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG)
            .unwrap());
        assert!(Store::open_in_memory()
            .unwrap()
            .connection()
            .db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG)
            .unwrap());
    }

    #[test]
    fn writers_checkpoint_the_log_at_its_own_size() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(temp_path(&dir), Mode::Create).unwrap());
        let checkpoint = |mode| -> i64 {
            Store::open(temp_path(&dir), mode)
                .unwrap()
                .connection()
                .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(checkpoint(Mode::ReadWrite), WAL_CHECKPOINT_PAGES);
        assert_eq!(checkpoint(Mode::Create), WAL_CHECKPOINT_PAGES);
    }

    #[test]
    fn create_applies_every_migration() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(temp_path(&dir), Mode::Create).unwrap();
        assert_eq!(user_version(store.connection()).unwrap(), SCHEMA_VERSION);
        let n: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM entity", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
        let fk: i64 = store
            .connection()
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn missing_file_is_not_created_without_create_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = temp_path(&dir);
        for mode in [Mode::ReadOnly, Mode::ReadWrite] {
            let err = Store::open(&path, mode).unwrap_err();
            assert!(matches!(err, StoreError::Missing { .. }));
            assert!(err.to_string().contains("factstore --db"));
            assert!(!path.exists());
        }
    }

    #[test]
    fn read_only_open_of_a_current_store_works() {
        let dir = tempfile::tempdir().unwrap();
        let path = temp_path(&dir);
        drop(Store::open(&path, Mode::Create).unwrap());
        let store = Store::open(&path, Mode::ReadOnly).unwrap();
        assert_eq!(store.mode(), Mode::ReadOnly);
        assert!(store
            .connection()
            .execute("INSERT INTO source(id) VALUES ('x')", [])
            .is_err());
    }

    /// Found by the `plan` fuzz target: path search failed on an in-memory store with
    /// "no such table: rarray".
    #[test]
    fn path_search_runs_on_an_in_memory_store() {
        let mut store = Store::open_in_memory().unwrap();
        let data = concat!(
            r#"{"type":"entity","id":"a","kind":"person","name":"A"}"#,
            "\n",
            r#"{"type":"entity","id":"b","kind":"city","name":"B"}"#,
            "\n",
            r#"{"type":"relation","subject":"a","predicate":"visited","object":"b"}"#,
            "\n",
        );
        store
            .import(
                data.as_bytes(),
                crate::store::ImportFormat::JsonLines,
                "data",
                crate::store::ImportOptions::default(),
            )
            .unwrap();
        let outcome =
            crate::statement::execute(&store, "path A to B", &Default::default()).unwrap();
        let crate::statement::Outcome::Rows(rows) = outcome else {
            panic!("a path gives rows: {outcome:?}");
        };
        assert_eq!(rows.rows.len(), 1, "{rows:?}");
    }

    #[test]
    fn newer_store_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = temp_path(&dir);
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE t(x); PRAGMA user_version = 99;")
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        for mode in [Mode::ReadOnly, Mode::ReadWrite, Mode::Create] {
            let err = Store::open(&path, mode).unwrap_err();
            assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
        }
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn foreign_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = temp_path(&dir);
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE something_else(x);")
            .unwrap();
        let err = Store::open(&path, Mode::ReadWrite).unwrap_err();
        assert!(matches!(err, StoreError::Foreign { .. }));
    }

    #[test]
    fn older_store_is_upgraded_for_writing_but_refused_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = temp_path(&dir);
        // An empty SQLite file is a store at version 0.
        Connection::open(&path)
            .unwrap()
            .execute_batch("PRAGMA user_version = 0;")
            .unwrap();
        let err = Store::open(&path, Mode::ReadOnly).unwrap_err();
        assert!(matches!(err, StoreError::NeedsUpgrade { found: 0, .. }));
        let store = Store::open(&path, Mode::ReadWrite).unwrap();
        assert_eq!(user_version(store.connection()).unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn a_version_1_store_is_upgraded_when_opened_to_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = temp_path(&dir);
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0].1).unwrap();
            conn.execute_batch("PRAGMA user_version = 1;").unwrap();
        }
        let store = Store::open(&path, Mode::ReadOnly).unwrap();
        assert_eq!(user_version(store.connection()).unwrap(), SCHEMA_VERSION);
        let pair: i64 = store
            .connection()
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'relation_pair'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(pair, 1);
        // Schema 6: the pair index holds the predicate, status and time bounds too;
        // schema 8 the change that made the relation (questions about the past); schema
        // 13 its source (`describe` reads the index alone).
        let columns: Vec<String> = store
            .connection()
            .prepare("SELECT name FROM pragma_index_info('relation_pair') ORDER BY seqno")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            columns,
            [
                "subject",
                "object",
                "predicate",
                "status",
                "start_lo",
                "end_hi",
                "since_change",
                "source"
            ]
        );
    }

    #[test]
    fn not_a_database_is_an_open_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = temp_path(&dir);
        std::fs::write(
            &path,
            b"this is not sqlite, just some text that is long enough",
        )
        .unwrap();
        let err = Store::open(&path, Mode::ReadOnly).unwrap_err();
        assert!(matches!(err, StoreError::Open { .. }), "{err}");
    }
}
