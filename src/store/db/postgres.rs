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

/// An open connection, its statements, and whether a transaction is open.
pub struct PgConn {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
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
    /// Connects and makes `schema` the search path (it need not exist yet).
    pub fn connect(config: &Config, schema: &str) -> Result<PgConn, ConnectError> {
        let mut client = match config.get_ssl_mode() {
            ::postgres::config::SslMode::Disable => config.connect(NoTls)?,
            _ => {
                let tls = super::tls::connector().map_err(|e| ConnectError::Tls(e.to_string()))?;
                config.connect(tls)?
            }
        };
        // The schema's name is an identifier, quoted as one; it is checked by the caller
        // (letters, digits, `_`) and is not a value a statement could bind.
        client.batch_execute(&format!(
            "SET search_path = {}; SET client_min_messages = warning",
            quote_identifier(schema)
        ))?;
        let cancel = client.cancel_token();
        let refusing = refusing_connection().map_err(|e| ConnectError::BadConninfo {
            text: String::new(),
            reason: e.to_string(),
        })?;
        Ok(PgConn {
            refusing,
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            in_transaction: Flag::new(false),
            cancel,
        })
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

    /// The prepared statement of `sql` (written with SQLite's placeholders).
    fn statement(&self, client: &mut Client, sql: &str) -> Result<Statement, DbError> {
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        let stmt = client.prepare(&placeholders::to_postgres(sql))?;
        self.statements
            .borrow_mut()
            .insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
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
        let stmt = self.statement(&mut client, sql)?;
        let bound: Vec<Bound<'_>> = params.iter().map(|p| Bound(p.param())).collect();
        let refs: Vec<&(dyn ToSql + Sync)> =
            bound.iter().map(|b| b as &(dyn ToSql + Sync)).collect();
        let n = client.execute(&stmt, &refs)?;
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
        let stmt = self.statement(&mut client, sql)?;
        let bound: Vec<Bound<'_>> = params.iter().map(|p| Bound(p.param())).collect();
        let mut rows = client
            .query_raw(&stmt, bound.iter())
            .map_err(DbError::from)?;
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
