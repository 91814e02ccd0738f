//! The change log (schema 8's `change` table): who changed the store, when, from where
//! and why. Every writer — write statements, `begin … commit` blocks, imports — opens its
//! change here, and new keys are drawn here, above every key a current row or a version
//! ever had, so an id is never reused.

use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension};

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
/// else `uid N`.
pub fn author(given: Option<&str>) -> String {
    let named = |s: &str| !s.trim().is_empty();
    if let Some(name) = given.filter(|s| named(s)) {
        return name.trim().to_string();
    }
    for var in ["FACTSTORE_USER", "USER", "LOGNAME", "USERNAME"] {
        if let Ok(name) = std::env::var(var) {
            if named(&name) {
                return name.trim().to_string();
            }
        }
    }
    login_fallback()
}

#[cfg(unix)]
fn login_fallback() -> String {
    format!("uid {}", rustix::process::getuid().as_raw())
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

/// The first instant after day `day` ends (UTC), as text comparable with recorded
/// instants: a change was recorded on or before `day` when its instant sorts below it.
pub fn end_of_day(day: Day) -> Option<String> {
    calendar::format_day(day.checked_add(1)?).map(|d| format!("{d}T"))
}

/// Records a new change with the next number and the current instant; returns its
/// number. Call it inside the transaction that makes the change, so that a change that
/// fails leaves no row.
pub(crate) fn open(conn: &Connection, meta: &ChangeMeta) -> rusqlite::Result<i64> {
    let id = next_number(conn)?;
    conn.execute(
        "INSERT INTO change (id, recorded, author, origin, origin_sha256, reason, statement, undoes) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            now(),
            meta.author,
            meta.origin.text(),
            meta.origin.sha256(),
            meta.reason,
            meta.statement,
            meta.undoes
        ],
    )?;
    Ok(id)
}

/// The number the next change [`open`] records gets. A writer that stamps its rows before
/// it knows whether it changes anything (an import that may turn out to add nothing) reads
/// it first and opens the change at the end, in the same transaction, which keeps the
/// number its own.
pub(crate) fn next_number(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COALESCE(max(id), 0) + 1 FROM change", [], |r| {
        r.get(0)
    })
}

/// The last change recorded before `instant` (text as [`end_of_day`] gives), if any.
// For `as recorded on DAY`, which no statement reads yet.
#[allow(dead_code)]
pub(crate) fn last_before(conn: &Connection, instant: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT max(id) FROM change WHERE recorded < ?1",
        [instant],
        |r| r.get(0),
    )
    .optional()
    .map(Option::flatten)
}

/// The key a new relation gets (its handle `#N`): above every current relation and every
/// version, erased ones included.
pub(crate) fn next_relation_key(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT max(COALESCE((SELECT max(key) FROM relation), 0), \
                    COALESCE((SELECT max(id) FROM relation_version), 0)) + 1",
        [],
        |r| r.get(0),
    )
}

/// The key a new entity gets: above every current entity and every version.
pub(crate) fn next_entity_key(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT max(COALESCE((SELECT max(key) FROM entity), 0), \
                    COALESCE((SELECT max(key) FROM entity_version), 0)) + 1",
        [],
        |r| r.get(0),
    )
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
        let end = end_of_day(day).unwrap();
        assert_eq!(end, "2025-05-02T");
        assert!("2025-05-01T23:59:59.999999Z" < end.as_str());
        assert!("2025-05-02T00:00:00.000000Z" > end.as_str());
    }

    #[test]
    fn changes_are_numbered_and_keys_never_reused() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.connection();
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
    }

    #[test]
    fn the_author_is_the_given_name_first() {
        assert_eq!(author(Some(" alice ")), "alice");
        assert!(!author(None).is_empty());
    }
}
