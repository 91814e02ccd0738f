//! The change log (schema 8's `change` table): who changed the store, when, from where
//! and why. Every writer — write statements, `begin … commit` blocks, imports — opens its
//! change here, and new keys are drawn here, above every key a current row or a version
//! ever had, so an id is never reused.

use std::time::{SystemTime, UNIX_EPOCH};

use super::db::{DbError, Sql};
use crate::plan::Recorded;
use crate::time::{calendar, Day};

/// Where a change came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Typed at the REPL.
    Repl,
    /// A script: its path as the user gave it, or `<stdin>`.
    Script(String),
    /// An imported file: its name as given, and the SHA-256 of its bytes (hex).
    Import { file: String, sha256: String },
}

impl Origin {
    /// The origin as the change log stores and shows it.
    pub fn text(&self) -> &str {
        match self {
            Origin::Repl => "repl",
            Origin::Script(path) => path,
            Origin::Import { file, .. } => file,
        }
    }

    fn sha256(&self) -> Option<&str> {
        match self {
            Origin::Import { sha256, .. } => Some(sha256),
            _ => None,
        }
    }
}

/// What the change log records of a change besides its number and instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeMeta {
    pub author: String,
    pub origin: Origin,
    /// The `because` texts of the change's statements, joined with `; `.
    pub reason: Option<String>,
    /// The write statements as written.
    pub statement: Option<String>,
    /// The change an `undo` reverts.
    pub undoes: Option<i64>,
}

impl ChangeMeta {
    /// A change by `author` from `origin`, with no reason or statement yet.
    pub fn new(author: impl Into<String>, origin: Origin) -> ChangeMeta {
        ChangeMeta {
            author: author.into(),
            origin,
            reason: None,
            statement: None,
            undoes: None,
        }
    }
}

/// The author of the changes this process makes: `given` (`--as NAME`), else the
/// environment's `FACTSTORE_USER`, else the login name (`USER`, `LOGNAME`, `USERNAME`),
/// else `uid N`. Without `given` the answer is found once per process (every statement's
/// default options ask for it, and the password file was read for each).
pub fn author(given: Option<&str>) -> String {
    static PROCESS_AUTHOR: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    match given.filter(|s| named(s)) {
        Some(name) => name.trim().to_string(),
        None => PROCESS_AUTHOR.get_or_init(process_author).clone(),
    }
}

fn named(s: &str) -> bool {
    !s.trim().is_empty()
}

/// The author named by the environment or the login.
fn process_author() -> String {
    for var in ["FACTSTORE_USER", "USER", "LOGNAME", "USERNAME"] {
        if let Ok(name) = std::env::var(var) {
            if named(&name) {
                return name.trim().to_string();
            }
        }
    }
    login_fallback()
}

/// The login name of the process's user from the password file when the environment
/// names none (services, containers), else `uid N`.
#[cfg(unix)]
fn login_fallback() -> String {
    let uid = rustix::process::getuid().as_raw();
    std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|passwd| login_of(&passwd, uid))
        .unwrap_or_else(|| format!("uid {uid}"))
}

/// The name of user `uid` in a password file's text (`name:x:uid:…` lines).
#[cfg(unix)]
fn login_of(passwd: &str, uid: u32) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let id = fields.nth(1)?;
        (id.parse() == Ok(uid) && !name.is_empty()).then(|| name.to_string())
    })
}

#[cfg(not(unix))]
fn login_fallback() -> String {
    "unknown".to_string()
}

/// Now as the change log writes instants: UTC, microseconds, `2025-05-01T09:30:00.000000Z`.
/// Instants of this form sort as text in time order.
pub fn now() -> String {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = since.as_secs();
    let day = Day::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let date = calendar::format_day(day).unwrap_or_else(|| "1970-01-01".to_string());
    format!(
        "{date}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        since.subsec_micros()
    )
}

/// Records a new change with the next number and the current instant; returns its
/// number. Call it inside the transaction that makes the change, so that a change that
/// fails leaves no row.
pub(crate) fn open(db: &(impl Sql + ?Sized), meta: &ChangeMeta) -> Result<i64, DbError> {
    let id = next_number(db)?;
    // Cached, like every statement here: each change runs them, and compiling them
    // anew cost a small import as much as writing its rows.
    db.execute(
        "INSERT INTO change (id, recorded, author, origin, origin_sha256, reason, statement, undoes) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &[
            &id,
            &now(),
            &meta.author,
            &meta.origin.text(),
            &meta.origin.sha256(),
            &meta.reason,
            &meta.statement,
            &meta.undoes,
        ],
    )?;
    Ok(id)
}

/// The number the next change [`open`] records gets. A writer that stamps its rows before
/// it knows whether it changes anything (an import that may turn out to add nothing) reads
/// it first and opens the change at the end, in the same transaction, which keeps the
/// number its own.
pub(crate) fn next_number(db: &(impl Sql + ?Sized)) -> Result<i64, DbError> {
    db.query_row("SELECT COALESCE(max(id), 0) + 1 FROM change", &[], |r| {
        r.get(0)
    })
}

/// The last change recorded before `instant` (text as [`calendar::instant_after`] gives),
/// if any.
pub(crate) fn last_before(db: &(impl Sql + ?Sized), instant: &str) -> Result<Option<i64>, DbError> {
    // Prepared once per connection: every question `as recorded on` a day asks it.
    db.query_row(
        "SELECT max(id) FROM change WHERE recorded < ?1",
        &[&instant],
        |r| r.get(0),
    )
}

/// The change a moment of recorded time stands for: change N itself, or the last change
/// recorded before the end of a day (every change for a day past the calendar's end); 0
/// when there was none yet.
pub(crate) fn number_at(db: &(impl Sql + ?Sized), at: Recorded) -> Result<i64, DbError> {
    Ok(match at {
        Recorded::AtChange(n) => n,
        Recorded::EndOfDay(day) => match calendar::instant_after(day) {
            Some(instant) => last_before(db, &instant)?.unwrap_or(0),
            None => i64::MAX,
        },
    })
}

/// The key a new relation gets (its handle `#N`): above every current relation and every
/// version, erased ones included.
pub(crate) fn next_relation_key(db: &(impl Sql + ?Sized)) -> Result<i64, DbError> {
    next_key(db, KeyedTable::Relation)
}

/// The key a new entity gets: above every current entity and every version.
pub(crate) fn next_entity_key(db: &(impl Sql + ?Sized)) -> Result<i64, DbError> {
    next_key(db, KeyedTable::Entity)
}

/// The key a new predicate gets: above every current predicate and every version, so a
/// version that names a removed predicate never names a new one.
pub(crate) fn next_predicate_key(db: &(impl Sql + ?Sized)) -> Result<i64, DbError> {
    next_key(db, KeyedTable::Predicate)
}

/// The key a new source gets: above every current source and every version.
pub(crate) fn next_source_key(db: &(impl Sql + ?Sized)) -> Result<i64, DbError> {
    next_key(db, KeyedTable::Source)
}

/// A table whose keys are drawn above every key its rows and versions ever had.
#[derive(Debug, Clone, Copy)]
enum KeyedTable {
    Relation,
    Entity,
    Predicate,
    Source,
}

impl KeyedTable {
    const ALL: [KeyedTable; 4] = [
        KeyedTable::Relation,
        KeyedTable::Entity,
        KeyedTable::Predicate,
        KeyedTable::Source,
    ];

    /// One above the largest key of the table and of its versions' keys. (Both engines
    /// take this form: PostgreSQL's `max` has no two-argument form, SQLite has no
    /// `greatest`.)
    fn next_key_sql(self) -> &'static str {
        match self {
            KeyedTable::Relation => {
                "SELECT COALESCE(max(k), 0) + 1 FROM (SELECT max(key) AS k FROM relation \
                 UNION ALL SELECT max(id) FROM relation_version) AS keys"
            }
            KeyedTable::Entity => {
                "SELECT COALESCE(max(k), 0) + 1 FROM (SELECT max(key) AS k FROM entity \
                 UNION ALL SELECT max(key) FROM entity_version) AS keys"
            }
            KeyedTable::Predicate => {
                "SELECT COALESCE(max(k), 0) + 1 FROM (SELECT max(key) AS k FROM predicate \
                 UNION ALL SELECT max(key) FROM predicate_version) AS keys"
            }
            KeyedTable::Source => {
                "SELECT COALESCE(max(k), 0) + 1 FROM (SELECT max(key) AS k FROM source \
                 UNION ALL SELECT max(key) FROM source_version) AS keys"
            }
        }
    }

    /// PostgreSQL's sequence of the table's identity key.
    fn sequence(self) -> &'static str {
        match self {
            KeyedTable::Relation => "relation_key_seq",
            KeyedTable::Entity => "entity_key_seq",
            KeyedTable::Predicate => "predicate_key_seq",
            KeyedTable::Source => "source_key_seq",
        }
    }
}

fn next_key(db: &(impl Sql + ?Sized), table: KeyedTable) -> Result<i64, DbError> {
    db.query_row(table.next_key_sql(), &[], |r| r.get(0))
}

/// On PostgreSQL, moves each identity key's sequence (and the change log's) past the keys
/// the store gave explicitly, so that an insert that leaves the key out (SQL of another
/// tool, a later import) never takes a key a row or a version has had. SQLite's rowid
/// keys need nothing.
pub(crate) fn move_sequences_on(db: &(impl Sql + ?Sized)) -> Result<(), DbError> {
    if db.dialect() != super::db::Dialect::Postgres {
        return Ok(());
    }
    for table in KeyedTable::ALL {
        // The sequence's name is the schema's, never user input.
        db.execute(
            &format!(
                "SELECT setval('{}', ({}), false)",
                table.sequence(),
                table.next_key_sql()
            ),
            &[],
        )?;
    }
    db.execute(
        "SELECT setval('change_id_seq', (SELECT COALESCE(max(id), 0) + 1 FROM change), false)",
        &[],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn instants_sort_as_text_and_days_end_before_the_next() {
        let now = now();
        assert_eq!(now.len(), "2025-05-01T09:30:00.000000Z".len(), "{now}");
        assert!(now.ends_with('Z'));
        let day = calendar::day_from_ymd(2025, 5, 1).unwrap();
        let end = calendar::instant_after(day).unwrap();
        assert_eq!(end, "2025-05-02T");
        assert!("2025-05-01T23:59:59.999999Z" < end.as_str());
        assert!("2025-05-02T00:00:00.000000Z" > end.as_str());
    }

    #[test]
    fn changes_are_numbered_and_keys_never_reused() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.db();
        let meta = ChangeMeta::new("alice", Origin::Repl);
        assert_eq!(open(conn, &meta).unwrap(), 1);
        assert_eq!(open(conn, &meta).unwrap(), 2);
        assert_eq!(last_before(conn, "9999").unwrap(), Some(2));
        assert_eq!(last_before(conn, "0000").unwrap(), None);
        assert_eq!(next_relation_key(conn).unwrap(), 1);
        conn.execute_batch(
            "INSERT INTO relation_version (id, since_change, until_change, erased) VALUES (7, 1, 2, 1)",
        )
        .unwrap();
        assert_eq!(next_relation_key(conn).unwrap(), 8);
        assert_eq!(next_entity_key(conn).unwrap(), 1);
        conn.execute_batch(
            "INSERT INTO predicate (key, id) VALUES (3, 'p');
             INSERT INTO predicate_version (key, since_change, until_change) VALUES (5, 1, 2);",
        )
        .unwrap();
        assert_eq!(next_predicate_key(conn).unwrap(), 6);
        assert_eq!(next_source_key(conn).unwrap(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_login_name_is_read_from_the_password_file() {
        let passwd = "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n";
        assert_eq!(login_of(passwd, 1000).as_deref(), Some("alice"));
        assert_eq!(login_of(passwd, 0).as_deref(), Some("root"));
        assert_eq!(login_of(passwd, 7), None);
    }

    #[test]
    fn the_author_is_the_given_name_first() {
        assert_eq!(author(Some(" alice ")), "alice");
        assert!(!author(None).is_empty());
    }
}
