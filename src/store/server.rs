//! A store on a PostgreSQL server: where it is ([`Target`]), connecting, and the
//! schema's migrations from `schema/postgres/NNNN_name.sql`, under the same rules as a
//! SQLite file's: a new schema is created by `init` (or an import), an older store is
//! upgraded, a newer one is refused untouched, a schema holding other tables is not
//! taken for a store.

use std::path::PathBuf;

use super::db::postgres::{config, is_conninfo, quote_identifier, redact};
use super::db::{Db, PgConn};
use super::{Mode, Store, StoreError};

/// The PostgreSQL schema that holds a store when `--schema` is not given.
pub const DEFAULT_SCHEMA: &str = "factstore";

/// The PostgreSQL migrations, in order: (name, SQL text).
const MIGRATIONS: &[(&str, &str)] = &[(
    "0001_init",
    include_str!("../../schema/postgres/0001_init.sql"),
)];

/// The PostgreSQL schema version this binary writes.
pub const POSTGRES_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Where a store is: a SQLite file, or a schema of a PostgreSQL database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    Postgres { conninfo: String, schema: String },
}

impl Target {
    /// The store `db` names (`--db` or `FACTSTORE_DB`): a PostgreSQL connection string
    /// (a `postgres://` or `postgresql://` URL, or libpq's `keyword=value` form), with
    /// `schema` (`--schema`, else [`DEFAULT_SCHEMA`]); anything else is a SQLite file.
    pub fn new(db: &std::ffi::OsStr, schema: Option<&str>) -> Result<Target, StoreError> {
        match db.to_str() {
            Some(text) if is_conninfo(text) => {
                let schema = schema.unwrap_or(DEFAULT_SCHEMA);
                if !is_schema_name(schema) {
                    return Err(StoreError::BadSchemaName {
                        name: schema.to_owned(),
                    });
                }
                Ok(Target::Postgres {
                    conninfo: text.to_owned(),
                    schema: schema.to_owned(),
                })
            }
            _ => Ok(Target::File(PathBuf::from(db))),
        }
    }

    /// The store as messages name it: the file's path, or the connection string without
    /// its password.
    pub fn label(&self) -> String {
        match self {
            Target::File(path) => path.display().to_string(),
            Target::Postgres { conninfo, .. } => redact(conninfo),
        }
    }

    /// The store's file, for a SQLite store.
    pub fn file(&self) -> Option<&std::path::Path> {
        match self {
            Target::File(path) => Some(path),
            Target::Postgres { .. } => None,
        }
    }

    /// True for a PostgreSQL store.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Target::Postgres { .. })
    }
}

/// A schema name factstore accepts: an unquoted PostgreSQL identifier (letters, digits,
/// `_`, not starting with a digit, at most 63 bytes).
fn is_schema_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Store {
    /// Opens the store at `target`. See [`Mode`] for what each mode may do.
    pub fn open_target(target: &Target, mode: Mode) -> Result<Store, StoreError> {
        match target {
            Target::File(path) => Store::open(path, mode),
            Target::Postgres { conninfo, schema } => open(conninfo, schema, mode),
        }
    }
}

fn open(conninfo: &str, schema: &str, mode: Mode) -> Result<Store, StoreError> {
    let label = redact(conninfo);
    let connect_error = |reason: String| StoreError::Connect {
        target: label.clone(),
        reason,
    };
    let config = config(conninfo).map_err(|e| connect_error(e.to_string()))?;
    // Nothing a reading command runs may write: its session's transactions are
    // read-only from the start (a migration asks for READ WRITE).
    let read_only = mode == Mode::ReadOnly;
    let pg =
        PgConn::connect(&config, schema, read_only).map_err(|e| connect_error(e.to_string()))?;
    let db = Db::Postgres(Box::new(pg));
    let path = PathBuf::from(&label);

    let read = StoreError::db("cannot read the store's schema version");
    let (exists, version, citus) = match quick_version(&db, schema, read_only) {
        Some((version, citus)) => (true, version, citus),
        None => {
            // The settings again as statements: a connection pooler may have dropped
            // the startup packet's (PgBouncer's `ignore_startup_parameters`).
            if let Db::Postgres(pg) = &db {
                pg.set_session(schema, read_only).map_err(read)?;
            }
            let (exists, version) = version(&db, schema).map_err(read)?;
            let citus = db
                .query_row(&format!("SELECT {}", session_sql()), &[], Citus::read)
                .map_err(read)?;
            (exists, version, citus)
        }
    };
    if !exists && mode != Mode::Create {
        return Err(StoreError::NoSchema {
            target: label,
            schema: schema.to_owned(),
        });
    }
    if version == 0 && exists && has_tables(&db, schema).map_err(read)? {
        return Err(StoreError::Foreign { path });
    }
    if version > POSTGRES_SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path,
            found: version,
            known: POSTGRES_SCHEMA_VERSION,
        });
    }
    if version < POSTGRES_SCHEMA_VERSION {
        // A reading command upgrades too, when the role may (as a SQLite file that can be
        // written is); a role that may only read is told how to upgrade.
        if let Err(e) = migrate(&db, schema, &path) {
            return Err(if mode == Mode::ReadOnly && version > 0 {
                StoreError::NeedsUpgrade {
                    path,
                    found: version,
                    known: POSTGRES_SCHEMA_VERSION,
                }
            } else {
                e
            });
        }
    }
    Ok(Store {
        db,
        path,
        mode,
        change: None,
        group: false,
        deferred_triggers: None,
        citus,
    })
}

/// What a PostgreSQL store knows of Citus once it is opened (docs/SCALE.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Citus {
    /// The store's schema holds the relations' copy by object, which
    /// docs/citus_prepare.sql makes (a store prepared for Citus).
    pub(crate) copy_by_object: bool,
    /// Citus's catalogue is in the database (the extension is installed).
    pub(crate) installed: bool,
}

impl Citus {
    /// The two columns [`session_sql`] gives after the first `at` others.
    fn read_at(r: &super::db::Row<'_>, at: usize) -> Result<Citus, super::db::DbError> {
        Ok(Citus {
            copy_by_object: r.get(at)?,
            installed: r.get(at + 1)?,
        })
    }

    fn read(r: &super::db::Row<'_>) -> Result<Citus, super::db::DbError> {
        Citus::read_at(r, 0)
    }
}

/// The columns a store reads of its session when it opens: [`Citus`]'s two, then the
/// page cost it sets ([`PAGE_COST_SQL`]). The store's schema is the search path.
fn session_sql() -> String {
    format!(
        "to_regclass('{}') IS NOT NULL, \
         to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL, {PAGE_COST_SQL}",
        crate::sql::COPY_BY_OBJECT
    )
}

/// The planner's cost of a page read at random, for the session: 1.1 (the tables in the
/// server's cache or on an SSD) where the server's and the database's settings left the
/// built-in 4 (a spinning disk), any other value being an administrator's and kept. With
/// 4 the planner hashed all 100,000 entities of the 1M store to name 861 relations' objects
/// (the suite's q5) rather than look each up by key (docs/POSTGRES.md).
const PAGE_COST_SQL: &str = "CASE WHEN current_setting('random_page_cost') = '4' \
     THEN set_config('random_page_cost', '1.1', false) END";

/// The version of the store the session's settings name, and what it knows of Citus, in
/// one statement (one round trip), which also sets the session's page cost
/// ([`session_sql`]): its version table is on the search path, the store's schema alone.
/// `None` for anything else (no schema, no version table, no version, no right to read
/// it, or a session without the settings asked for), which [`version`] then asks step
/// by step.
fn quick_version(db: &Db, schema: &str, read_only: bool) -> Option<(i64, Citus)> {
    let (version, current, read_only_now, citus) = db
        .query_row(
            &format!(
                "SELECT max(version), current_schema(), \
                 current_setting('default_transaction_read_only'), {} FROM schema_version",
                session_sql()
            ),
            &[],
            |r| {
                Ok((
                    r.get::<Option<i64>>(0)?,
                    r.get::<Option<String>>(1)?,
                    r.get::<String>(2)?,
                    Citus::read_at(r, 3)?,
                ))
            },
        )
        .ok()?;
    let settled = current.as_deref() == Some(schema) && (read_only_now == "on") == read_only;
    version.filter(|&v| v > 0 && settled).map(|v| (v, citus))
}

/// Whether the schema exists, and the store's schema version in it (0 for none).
fn version(db: &Db, schema: &str) -> Result<(bool, i64), super::db::DbError> {
    // One round trip for both questions: each statement costs a process that opens the
    // store two (prepare, run).
    let (exists, has_version): (bool, bool) = db.query_row(
        "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?1),
                EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = ?1
                        AND tablename = 'schema_version')",
        &[&schema],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if !has_version {
        return Ok((exists, 0));
    }
    let v: Option<i64> =
        db.query_row("SELECT max(version) FROM schema_version", &[], |r| r.get(0))?;
    Ok((exists, v.unwrap_or(0)))
}

fn has_tables(db: &Db, schema: &str) -> Result<bool, super::db::DbError> {
    db.query_row(
        "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = ?1 AND c.relkind IN ('r', 'v', 'p'))",
        &[&schema],
        |r| r.get(0),
    )
}

/// Whether Citus distributes a table of the store's schema (the search path), or copies it
/// to every node (a reference table). Asked only where Citus is installed.
const DISTRIBUTED_SQL: &str = "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p \
     JOIN pg_catalog.pg_class c ON c.oid = p.logicalrelid \
     WHERE c.relnamespace = CAST(current_schema() AS regnamespace))";

impl Store {
    /// Refuses to write to a store prepared for Citus or distributed by it: its writes
    /// would need the changes of docs/SCALE.md ("Writes"). Without them some fail in the
    /// server, and others succeed but leave the counts, the words of names and the copy
    /// by object behind. Known from the store's opening; Citus's catalogue is read only
    /// where Citus is installed.
    pub(crate) fn refuse_distributed_writes(&self) -> Result<(), StoreError> {
        let Citus {
            copy_by_object,
            installed,
        } = self.citus;
        let distributed = installed
            && self
                .db
                .query_row(DISTRIBUTED_SQL, &[], |r| r.get(0))
                .map_err(StoreError::db(
                    "cannot tell whether Citus distributes the store",
                ))?;
        if copy_by_object || distributed {
            return Err(StoreError::Refused(
                "this store is prepared for Citus or distributed by it: factstore reads such \
                 a store but does not write to it (its writes, imports included, are not \
                 made for distributed tables yet; see docs/SCALE.md). Write to the store \
                 before it is prepared, or to an undistributed copy."
                    .into(),
            ));
        }
        Ok(())
    }
}

/// Applies the missing migrations in one transaction, under a lock on the schema's name
/// so that two processes upgrading at once apply each migration once.
fn migrate(db: &Db, schema: &str, path: &std::path::Path) -> Result<(), StoreError> {
    let failed = |migration: &'static str| {
        let path = path.to_path_buf();
        move |source| StoreError::Migration {
            path: path.clone(),
            migration,
            source,
        }
    };
    // READ WRITE: a reading command's session makes its transactions read-only by
    // default, and a reader upgrades the store when its role may.
    db.execute_batch("BEGIN READ WRITE")
        .map_err(failed("(start)"))?;
    let result = (|| {
        db.query_row(
            "SELECT pg_advisory_xact_lock(hashtext('factstore schema ' || ?1))::text",
            &[&schema],
            |_| Ok(()),
        )
        .map_err(failed("(lock)"))?;
        // The schema's name is an identifier: checked by `Target::new`, quoted here.
        db.execute_batch(&format!(
            "CREATE SCHEMA IF NOT EXISTS {}; \
             CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)",
            quote_identifier(schema)
        ))
        .map_err(failed("(version table)"))?;
        let (_, now) = version(db, schema).map_err(failed("(version)"))?;
        if now > POSTGRES_SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: now,
                known: POSTGRES_SCHEMA_VERSION,
            });
        }
        for (name, sql) in MIGRATIONS.iter().skip(usize::try_from(now).unwrap_or(0)) {
            db.execute_batch(sql).map_err(failed(name))?;
        }
        db.execute("DELETE FROM schema_version", &[])
            .map_err(failed("(version)"))?;
        db.execute(
            "INSERT INTO schema_version (version) VALUES (?1)",
            &[&POSTGRES_SCHEMA_VERSION],
        )
        .map_err(failed("(version)"))?;
        Ok(())
    })();
    match result {
        Ok(()) => db.execute_batch("COMMIT").map_err(failed("(commit)")),
        Err(e) => {
            let _ = db.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_strings_name_postgres_and_anything_else_a_file() {
        for db in [
            "postgres://u@h/db",
            "postgresql://u:secret@h:5432/db?sslmode=require",
            "host=/run/postgresql dbname=facts",
            "dbname=facts",
        ] {
            let t = Target::new(db.as_ref(), None).unwrap();
            assert!(t.is_postgres(), "{db}");
        }
        for db in ["facts.db", "./x=y.db", "postgres.db", "/tmp/host=1"] {
            assert_eq!(
                Target::new(db.as_ref(), None).unwrap(),
                Target::File(PathBuf::from(db)),
                "{db}"
            );
        }
    }

    #[test]
    fn schema_names_are_plain_identifiers() {
        let bad = Target::new("dbname=x".as_ref(), Some("a-b; DROP")).unwrap_err();
        assert!(matches!(bad, StoreError::BadSchemaName { .. }), "{bad}");
        assert_eq!(bad.exit_code(), 2);
        assert!(Target::new("dbname=x".as_ref(), Some("team_2026")).is_ok());
    }

    #[test]
    fn passwords_are_not_shown() {
        let t = Target::new("postgresql://ana:s3cret@db.example/facts".as_ref(), None).unwrap();
        assert_eq!(t.label(), "postgresql://ana:***@db.example/facts");
        let t = Target::new("host=h password=s3cret dbname=f".as_ref(), None).unwrap();
        assert_eq!(t.label(), "host=h password=*** dbname=f");
    }
}

#[cfg(test)]
mod postgres_tests {
    use super::*;
    use crate::store::pg_server;

    /// A connection string's own `options` come after the store's and undo them, as a
    /// pooler that drops the startup packet's would: the store sets them by statements.
    #[test]
    fn settings_the_startup_packet_lost_are_set_again() {
        let Some(server) = pg_server::server() else {
            return;
        };
        let schema = server.fresh_schema();
        let made = Target::Postgres {
            conninfo: server.conninfo().to_owned(),
            schema: schema.clone(),
        };
        drop(Store::open_target(&made, Mode::Create).unwrap());
        let undone = Target::Postgres {
            conninfo: format!(
                "{} options='-c search_path=public -c default_transaction_read_only=off'",
                server.conninfo()
            ),
            schema: schema.clone(),
        };
        let store = Store::open_target(&undone, Mode::ReadOnly).unwrap();
        let (current, read_only): (String, String) = store
            .db()
            .query_row(
                "SELECT current_schema(), current_setting('default_transaction_read_only')",
                &[],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (current.as_str(), read_only.as_str()),
            (schema.as_str(), "on")
        );
        assert!(store
            .db()
            .execute("INSERT INTO saved_query VALUES ('q', '[]', 'x')", &[])
            .is_err());
    }
}
