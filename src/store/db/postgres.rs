//! A PostgreSQL connection as the store uses it: libpq's connection strings (with
//! `PGPASSWORD`, `~/.pgpass` and libpq's defaults filled in, which the `postgres` crate
//! leaves to the caller), the store's schema as the search path, prepared statements
//! cached by their text, values converted to the types the server inferred, and cells
//! read as SQLite's five kinds.

use std::cell::{Cell as Flag, RefCell};
use std::collections::HashMap;
use std::error::Error as StdError;
use std::str::FromStr;

use ::postgres::fallible_iterator::FallibleIterator;
use ::postgres::types::{to_sql_checked, FromSql, IsNull, ToSql, Type};
use ::postgres::{CancelToken, Client, Config, NoTls, Statement};
use bytes::BytesMut;

use super::{numeric, placeholders, Cell, DbError, Param, Row, ToParam};

/// The run of a statement at which it is prepared: a statement run twice (a name looked
/// up again) costs no more unprepared, and the server parses simple statements in less
/// than a round trip takes.
const PREPARE_AT: u32 = 3;

/// An open connection, its statements, and whether a transaction is open.
pub struct PgConn {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    /// How many times each statement not (yet) prepared has run: a statement is
    /// prepared (and kept) at its [`PREPARE_AT`]th run; the runs before go as one round
    /// trip each, with their values as text (see [`Typed`]).
    seen: RefCell<HashMap<String, u32>>,
    in_transaction: Flag<bool>,
    cancel: CancelToken,
    /// See `Db::sqlite_only`.
    refusing: rusqlite::Connection,
}

/// What went wrong reaching the server, in the user's terms.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("`{text}` is not a PostgreSQL connection string: {reason}")]
    BadConninfo { text: String, reason: String },
    #[error("{}", with_causes(.0))]
    Server(#[from] ::postgres::Error),
    #[error("cannot set up TLS: {0}")]
    Tls(String),
}

/// An error and its causes, `: `-separated (the crate's connection errors say only
/// "error connecting to server" at the top; the cause says why).
fn with_causes(e: &(dyn StdError + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

/// True when `db` names a PostgreSQL database rather than a SQLite file: a
/// `postgres://` or `postgresql://` URL, or libpq's `keyword=value` form with a keyword
/// libpq knows (`host=/run/postgresql dbname=facts`).
pub fn is_conninfo(db: &str) -> bool {
    let t = db.trim_start();
    if t.starts_with("postgres://") || t.starts_with("postgresql://") {
        return true;
    }
    const KEYWORDS: &[&str] = &[
        "host",
        "hostaddr",
        "port",
        "dbname",
        "user",
        "password",
        "sslmode",
        "connect_timeout",
        "application_name",
        "options",
        "service",
    ];
    t.split_whitespace().next().is_some_and(|first| {
        first
            .split_once('=')
            .is_some_and(|(key, _)| KEYWORDS.contains(&key))
    })
}

/// `conninfo` as a configuration, with libpq's environment and defaults: `PGHOST`
/// (else the local socket directory when it exists, else localhost), `PGPORT`, `PGUSER`
/// (else the login name), `PGDATABASE`, and the password from `PGPASSWORD` or the
/// `~/.pgpass` file (`PGPASSFILE`) when the string has none.
pub fn config(conninfo: &str) -> Result<Config, ConnectError> {
    let mut config = Config::from_str(conninfo).map_err(|e| ConnectError::BadConninfo {
        text: redact(conninfo),
        reason: e.to_string(),
    })?;
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if config.get_hosts().is_empty() {
        match env("PGHOST") {
            Some(host) if host.starts_with('/') => {
                config.host_path(host);
            }
            Some(host) => {
                config.host(&host);
            }
            None => match ["/run/postgresql", "/var/run/postgresql", "/tmp"]
                .into_iter()
                .find(|d| std::path::Path::new(d).join(".s.PGSQL.5432").exists())
            {
                Some(dir) => {
                    config.host_path(dir);
                }
                None => {
                    config.host("localhost");
                }
            },
        }
    }
    if config.get_ports().is_empty() {
        if let Some(port) = env("PGPORT").and_then(|p| p.parse().ok()) {
            config.port(port);
        }
    }
    if config.get_user().is_none() {
        let user = env("PGUSER")
            .or_else(|| env("USER"))
            .or_else(|| env("LOGNAME"))
            .unwrap_or_else(|| "postgres".to_owned());
        config.user(&user);
    }
    if config.get_dbname().is_none() {
        if let Some(db) = env("PGDATABASE") {
            config.dbname(&db);
        }
    }
    if config.get_password().is_none() {
        if let Some(password) = env("PGPASSWORD").or_else(|| pgpass(&config)) {
            config.password(&password);
        }
    }
    Ok(config)
}

/// The password `~/.pgpass` (or `PGPASSFILE`) gives for this host, port, database and
/// user: the first line whose fields match, `*` matching anything.
fn pgpass(config: &Config) -> Option<String> {
    let file = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".pgpass")))?;
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(::postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "localhost".to_owned(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or_default().to_owned();
    let db = config
        .get_dbname()
        .map(str::to_owned)
        .unwrap_or_else(|| user.clone());
    let wanted = [host, port, db, user];
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = split_pgpass(line);
            if fields.len() != 5 {
                return None;
            }
            let matches = fields[..4]
                .iter()
                .zip(&wanted)
                .all(|(f, w)| f == "*" || f == w);
            matches.then(|| fields[4].clone())
        })
}

/// The `:`-separated fields of a `.pgpass` line, `\:` and `\\` unescaped.
fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(last)) = (chars.next(), fields.last_mut()) {
                    last.push(next);
                }
            }
            ':' => fields.push(String::new()),
            c => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields
}

/// `conninfo` with any password replaced by `***`, for messages.
pub fn redact(conninfo: &str) -> String {
    let t = conninfo.trim();
    if let Some(rest) = t
        .strip_prefix("postgresql://")
        .or_else(|| t.strip_prefix("postgres://"))
    {
        let scheme = &t[..t.len() - rest.len()];
        let (auth_end, _) = rest
            .char_indices()
            .find(|&(_, c)| c == '/' || c == '?')
            .unwrap_or((rest.len(), ' '));
        if let Some(at) = rest[..auth_end].rfind('@') {
            if let Some(colon) = rest[..at].find(':') {
                return format!("{scheme}{}:***{}", &rest[..colon], &rest[at..]);
            }
        }
        return t.to_owned();
    }
    t.split_whitespace()
        .map(|kv| match kv.split_once('=') {
            Some(("password", _)) => "password=***".to_owned(),
            _ => kv.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl PgConn {
    /// Connects with `schema` as the search path (it need not exist yet) and, when
    /// `read_only`, every transaction read-only unless it says otherwise (`BEGIN READ
    /// WRITE`, as a migration does).
    pub fn connect(config: &Config, schema: &str, read_only: bool) -> Result<PgConn, ConnectError> {
        // The session's settings travel in the startup packet (libpq's `options`), not as
        // statements after it: a process that opens the store for one query pays no round
        // trip for them. The schema's name is an identifier, quoted as one; it is checked
        // by the caller (letters, digits, `_`: nothing the options' spaces or backslashes
        // could split).
        let mut config = config.clone();
        // The user's own `options` come after the store's, so that theirs win.
        let mut options: Vec<String> = session_settings(schema, read_only)
            .into_iter()
            .map(|setting| format!("-c {setting}"))
            .collect();
        options.extend(config.get_options().map(str::to_owned));
        let options = options.join(" ");
        config.options(&options);
        let client = if config.get_ssl_mode() == ::postgres::config::SslMode::Disable
            || only_unix_sockets(&config)
        {
            // libpq uses no TLS on a Unix socket whatever `sslmode` says: asking would
            // cost a round trip for the server's "no".
            config.connect(NoTls)?
        } else {
            let tls = super::tls::connector().map_err(|e| ConnectError::Tls(e.to_string()))?;
            config.connect(tls)?
        };
        let cancel = client.cancel_token();
        let refusing = refusing_connection().map_err(|e| ConnectError::BadConninfo {
            text: String::new(),
            reason: e.to_string(),
        })?;
        Ok(PgConn {
            refusing,
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            seen: RefCell::new(HashMap::new()),
            in_transaction: Flag::new(false),
            cancel,
        })
    }

    /// Sets the session's settings (see [`session_settings`]) with statements, for a
    /// session that did not start with them.
    pub fn set_session(&self, schema: &str, read_only: bool) -> Result<(), DbError> {
        let sql: Vec<String> = session_settings(schema, read_only)
            .iter()
            .filter_map(|s| s.split_once('='))
            .map(|(name, value)| format!("SET {name} = {value}"))
            .collect();
        self.execute_batch(&sql.join("; "))
    }

    /// Cancels the statement running on this connection, from any thread.
    pub fn cancel_token(&self) -> CancelToken {
        self.cancel.clone()
    }

    pub(super) fn refusing(&self) -> &rusqlite::Connection {
        &self.refusing
    }

    pub(super) fn refusing_mut(&mut self) -> &mut rusqlite::Connection {
        &mut self.refusing
    }

    pub fn in_transaction(&self) -> bool {
        self.in_transaction.get()
    }

    fn client(&self) -> Result<std::cell::RefMut<'_, Client>, DbError> {
        self.client.try_borrow_mut().map_err(|_| DbError::Busy)
    }

    /// The prepared statement of `sql` (written with SQLite's placeholders), or `None`
    /// for its first runs: a prepare is a round trip of its own (Parse, Describe) before
    /// the one that runs it, which a process opening the store for one query would pay
    /// on every statement; a statement that keeps running (a loop of writes, an import)
    /// is prepared at its [`PREPARE_AT`]th run and kept, sparing the server its parsing
    /// and planning from then on.
    fn statement(&self, client: &mut Client, sql: &str) -> Result<Option<Statement>, DbError> {
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(Some(stmt.clone()));
        }
        {
            let mut seen = self.seen.borrow_mut();
            let runs = seen.entry(sql.to_owned()).or_insert(0);
            *runs += 1;
            if *runs < PREPARE_AT {
                return Ok(None);
            }
            seen.remove(sql);
        }
        let stmt = client.prepare(&placeholders::to_postgres(sql))?;
        self.statements
            .borrow_mut()
            .insert(sql.to_owned(), stmt.clone());
        Ok(Some(stmt))
    }

    /// Runs `sql` unprepared in one round trip: its values go as text with their types
    /// left to the server to infer, as a prepare would infer them.
    fn run_once<'c>(
        client: &'c mut Client,
        sql: &str,
        params: &[&dyn ToParam],
    ) -> Result<::postgres::RowIter<'c>, DbError> {
        let typed = params.iter().map(|p| (Typed(p.param()), Type::UNKNOWN));
        Ok(client.query_typed_raw(&placeholders::to_postgres(sql), typed)?)
    }

    fn note_transaction(&self, sql: &str) {
        let first = sql
            .trim_start()
            .split(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        // `ROLLBACK TO write_op` returns to a savepoint: the transaction goes on.
        let to_savepoint = sql
            .split_whitespace()
            .nth(1)
            .is_some_and(|w| w.eq_ignore_ascii_case("TO"));
        match first.as_str() {
            "ROLLBACK" if to_savepoint => {}
            "BEGIN" | "START" => self.in_transaction.set(true),
            "COMMIT" | "ROLLBACK" | "END" | "ABORT" => self.in_transaction.set(false),
            _ => {}
        }
    }

    pub fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> Result<usize, DbError> {
        let mut client = self.client()?;
        let n = match self.statement(&mut client, sql)? {
            Some(stmt) => {
                let bound: Vec<Bound<'_>> = params.iter().map(|p| Bound(p.param())).collect();
                let refs: Vec<&(dyn ToSql + Sync)> =
                    bound.iter().map(|b| b as &(dyn ToSql + Sync)).collect();
                client.execute(&stmt, &refs)?
            }
            None => {
                let mut rows = Self::run_once(&mut client, sql, params)?;
                while rows.next()?.is_some() {}
                rows.rows_affected().unwrap_or(0)
            }
        };
        self.note_transaction(sql);
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    pub fn execute_batch(&self, sql: &str) -> Result<(), DbError> {
        let mut client = self.client()?;
        client.batch_execute(sql)?;
        // A batch may change the tables' shapes (migrations): statements are prepared
        // again.
        self.statements.borrow_mut().clear();
        self.note_transaction(sql);
        Ok(())
    }

    pub fn for_each<E: From<DbError>>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        mut f: impl FnMut(&Row<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut client = self.client()?;
        let mut rows = match self.statement(&mut client, sql)? {
            Some(stmt) => {
                let bound: Vec<Bound<'_>> = params.iter().map(|p| Bound(p.param())).collect();
                client
                    .query_raw(&stmt, bound.iter())
                    .map_err(DbError::from)?
            }
            None => Self::run_once(&mut client, sql, params)?,
        };
        while let Some(row) = rows.next().map_err(DbError::from)? {
            f(&Row::Postgres(&row))?;
        }
        Ok(())
    }

    /// Runs `f` with the client itself, for what only PostgreSQL has (COPY).
    pub fn with_client<T>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let mut client = self.client()?;
        f(&mut client)
    }
}

/// An in-memory SQLite connection whose authorizer denies every statement.
fn refusing_connection() -> rusqlite::Result<rusqlite::Connection> {
    let mut conn = rusqlite::Connection::open_in_memory()?;
    conn.authorizer(Some(|_: rusqlite::hooks::AuthContext<'_>| {
        rusqlite::hooks::Authorization::Deny
    }))?;
    Ok(conn)
}

/// `name` as a PostgreSQL identifier, double quotes doubled.
pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The settings a store's session starts with: the store's schema as the search path,
/// notices below warnings kept from the user, and for a reading command every
/// transaction read-only. (The page cost is set once the store is opened, where no
/// administrator set it: `store::server`'s `PAGE_COST_SQL`.)
fn session_settings(schema: &str, read_only: bool) -> Vec<String> {
    let mut settings = vec![
        format!("search_path={}", quote_identifier(schema)),
        "client_min_messages=warning".to_owned(),
    ];
    if read_only {
        settings.push("default_transaction_read_only=on".to_owned());
    }
    settings
}

/// True when every host of `config` is a Unix socket's directory.
fn only_unix_sockets(config: &Config) -> bool {
    let hosts = config.get_hosts();
    !hosts.is_empty()
        && hosts
            .iter()
            .all(|h| matches!(h, ::postgres::config::Host::Unix(_)))
}

/// A value bound as the type the server inferred for its placeholder.
#[derive(Debug)]
struct Bound<'a>(Param<'a>);

impl ToSql for Bound<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        let textual = matches!(
            *ty,
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN
        );
        match self.0 {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(v) => match *ty {
                Type::INT8 => v.to_sql(ty, out),
                Type::INT4 => i32::try_from(v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(v)?.to_sql(ty, out),
                Type::FLOAT8 => (v as f64).to_sql(ty, out),
                Type::FLOAT4 => (v as f32).to_sql(ty, out),
                Type::BOOL => (v != 0).to_sql(ty, out),
                Type::NUMERIC => numeric::encode_int(v, out),
                _ if textual => v.to_string().as_str().to_sql(&Type::TEXT, out),
                _ => Err(format!("cannot bind an integer where PostgreSQL expects {ty}").into()),
            },
            Param::Real(v) => match *ty {
                Type::FLOAT8 => v.to_sql(ty, out),
                Type::FLOAT4 => (v as f32).to_sql(ty, out),
                _ if textual => v.to_string().as_str().to_sql(&Type::TEXT, out),
                _ => Err(format!("cannot bind a number where PostgreSQL expects {ty}").into()),
            },
            Param::Text(t) => match *ty {
                Type::BYTEA => t.as_bytes().to_sql(ty, out),
                Type::INT8 | Type::INT4 | Type::INT2 | Type::FLOAT8 | Type::FLOAT4 | Type::BOOL => {
                    Err(format!("cannot bind text where PostgreSQL expects {ty}").into())
                }
                _ => t.to_sql(&Type::TEXT, out),
            },
            Param::Blob(b) => match *ty {
                Type::BYTEA => b.to_sql(ty, out),
                _ => Err(format!("cannot bind a blob where PostgreSQL expects {ty}").into()),
            },
            Param::Ints(list) => match *ty {
                Type::INT8_ARRAY => list.to_sql(ty, out),
                _ => Err(format!("cannot bind integers where PostgreSQL expects {ty}").into()),
            },
            Param::Texts(list) => match *ty {
                Type::TEXT_ARRAY => list.to_sql(ty, out),
                _ => Err(format!("cannot bind texts where PostgreSQL expects {ty}").into()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A value sent as text for a placeholder whose type the server infers (an unprepared
/// statement's): the server reads it with its type's input function, as it reads a
/// literal, so an integer serves an integer, real, boolean or text column alike.
#[derive(Debug)]
struct Typed<'a>(Param<'a>);

impl ToSql for Typed<'_> {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        use std::fmt::Write as _;
        match self.0 {
            Param::Null => return Ok(IsNull::Yes),
            Param::Int(v) => write!(out, "{v}")?,
            Param::Real(v) => write!(out, "{v}")?,
            Param::Text(t) => out.extend_from_slice(t.as_bytes()),
            Param::Blob(b) => {
                out.extend_from_slice(b"\\x");
                out.extend(super::hex_digits(b));
            }
            Param::Ints(list) => {
                out.extend_from_slice(b"{");
                for (i, v) in list.iter().enumerate() {
                    write!(out, "{}{v}", if i == 0 { "" } else { "," })?;
                }
                out.extend_from_slice(b"}");
            }
            Param::Texts(list) => {
                // An array's text form: each element in double quotes, `"` and `\`
                // escaped with a backslash (so that no element reads as NULL).
                out.extend_from_slice(b"{");
                for (i, t) in list.iter().enumerate() {
                    if i > 0 {
                        out.extend_from_slice(b",");
                    }
                    out.extend_from_slice(b"\"");
                    for c in t.chars() {
                        if c == '"' || c == '\\' {
                            out.extend_from_slice(b"\\");
                        }
                        write!(out, "{c}")?;
                    }
                    out.extend_from_slice(b"\"");
                }
                out.extend_from_slice(b"}");
            }
        }
        Ok(IsNull::No)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    fn encode_format(&self, _: &Type) -> ::postgres::types::Format {
        ::postgres::types::Format::Text
    }

    to_sql_checked!();
}

/// A cell as the server sent it (binary format), decoded by its type.
struct Raw<'a>(Cell<'a>);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn StdError + Sync + Send>> {
        Ok(Raw(match *ty {
            Type::INT8 => Cell::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Cell::Int(i64::from(i32::from_sql(ty, raw)?)),
            Type::INT2 => Cell::Int(i64::from(i16::from_sql(ty, raw)?)),
            Type::OID => Cell::Int(i64::from(u32::from_sql(ty, raw)?)),
            Type::BOOL => Cell::Int(i64::from(bool::from_sql(ty, raw)?)),
            Type::FLOAT8 => Cell::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Cell::Real(f64::from(f32::from_sql(ty, raw)?)),
            Type::NUMERIC => numeric::decode(raw)?,
            Type::BYTEA => Cell::Blob(raw),
            // jsonb's binary form is a version byte, then the text.
            Type::JSONB => Cell::Text(std::str::from_utf8(raw.get(1..).unwrap_or_default())?),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN | Type::JSON => {
                Cell::Text(std::str::from_utf8(raw)?)
            }
            _ => return Err(format!("factstore does not read PostgreSQL's type {ty}").into()),
        }))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn StdError + Sync + Send>> {
        Ok(Raw(Cell::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// The cell at `i` of a PostgreSQL row.
pub(super) fn cell(row: &::postgres::Row, i: usize) -> Result<Cell<'_>, DbError> {
    Ok(row.try_get::<_, Raw<'_>>(i)?.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::engines::postgres_store;

    /// A statement's first runs go unprepared with their values as text, its later runs
    /// prepared with them in binary: both read the values alike, whatever the kind.
    #[test]
    fn values_read_the_same_unprepared_and_prepared() {
        let Some(store) = postgres_store() else {
            return;
        };
        let db = store.db();
        let odd = "a \"quoted\", back\\slash {brace} ünï";
        let texts = ["NULL", odd, ""];
        let ints = [-3_i64, 0, i64::MAX];
        // The server infers each placeholder's type from where it stands (`?1 + 0` an
        // integer, `?5 = ANY(?6)` a text and texts, `?7::bigint = ANY(?8)` integers).
        let sql = "SELECT ?1 + 0, ?2 * 1.0::float8, ?3 || '', ?4::bytea, ?5 = ANY(?6), \
                   ?7::bigint = ANY(?8), ?9::text IS NULL, ?1 = 1, ?10 = ANY(?6), \
                   cardinality(?6::text[])";
        let blob: &[u8] = &[0, 1, b'\\', 255];
        let params: [&dyn ToParam; 10] = [
            &1_i64,
            &0.1_f64,
            &odd,
            &Param::Blob(blob),
            &Param::Text(odd),
            &Param::Texts(&texts),
            &i64::MAX,
            &Param::Ints(&ints),
            &Param::Null,
            &Param::Text("NULL"),
        ];
        type Seen = (i64, f64, String, Vec<u8>, bool, bool, bool, bool, bool, i64);
        let read = |r: &Row<'_>| -> Result<Seen, DbError> {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        };
        let first = db.query_row(sql, &params, read).unwrap();
        assert_eq!(
            first,
            (
                1,
                0.1,
                odd.to_owned(),
                blob.to_vec(),
                true,
                true,
                true,
                true,
                true,
                3
            )
        );
        for _ in 1..=PREPARE_AT {
            assert_eq!(db.query_row(sql, &params, read).unwrap(), first);
        }
    }

    #[test]
    fn unix_sockets_and_sessions_settings() {
        let local = Config::from_str("host=/run/postgresql,/tmp dbname=x").unwrap();
        assert!(only_unix_sockets(&local));
        let mixed = Config::from_str("host=/tmp,db.example dbname=x").unwrap();
        assert!(!only_unix_sockets(&mixed));
        assert_eq!(
            session_settings("team_2", true),
            [
                "search_path=\"team_2\"",
                "client_min_messages=warning",
                "default_transaction_read_only=on"
            ]
        );
        assert_eq!(session_settings("f", false).len(), 2);
    }
}
