//! One statement end to end: parse, resolve against the store, compile, run, and apply
//! what the statement asks of the store (saved queries). The CLI and the REPL both call
//! [`execute`] and [`explain`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use crate::error::Error;
use crate::lang::{self, ast};
use crate::output;
use crate::plan::{self, Plan, Stage};
use crate::sql;
use crate::store::{catalog::StoreCatalog, graph, path, query, Store};
use crate::value::{ResultSet, Value};

/// How to run a statement.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Values of `$name` in an ad-hoc query.
    pub params: HashMap<String, ast::Arg>,
    /// A final `limit` (the CLI's `--limit`).
    pub limit: Option<u64>,
    /// Interrupt the query after this long.
    pub timeout: Option<Duration>,
    /// Also build the result's graph (for `--format dot|mermaid`).
    pub graph: bool,
}

/// What a statement gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Rows(ResultSet),
    /// A statement that changes the store says what it did.
    Message(String),
}

/// True if the statement writes to the store (`save`, `drop`): the caller must open the
/// store for writing.
pub fn writes(stmt: &ast::Statement) -> bool {
    matches!(
        stmt.kind,
        ast::StatementKind::Save(_) | ast::StatementKind::Drop(_)
    )
}

/// Parses `text` and plans it against the store.
pub fn prepare(store: &Store, text: &str, opts: &Options) -> Result<Plan, Error> {
    let stmt = lang::parse(text)?;
    let catalog = StoreCatalog::new(store.connection());
    Ok(plan::resolve(&stmt, text, &catalog, &opts.params)?)
}

/// Runs one statement of the language.
pub fn execute(store: &Store, text: &str, opts: &Options) -> Result<Outcome, Error> {
    let plan = prepare(store, text, opts)?;
    run_plan(store, &plan, opts)
}

/// Runs a planned statement.
pub fn run_plan(store: &Store, plan: &Plan, opts: &Options) -> Result<Outcome, Error> {
    let conn = store.connection();
    match plan {
        Plan::Select(select) => {
            let compile = sql::CompileOptions {
                limit: opts.limit,
                relation_keys: opts.graph,
            };
            let q = sql::compile(select, compile)?;
            let mut rows = with_timeout(store, opts.timeout, || query::run(conn, &q))?;
            if opts.graph {
                rows.graph = Some(graph::build(conn, &rows)?);
            }
            Ok(Outcome::Rows(rows))
        }
        Plan::Path(p) => {
            let mut rows = with_timeout(store, opts.timeout, || path::search(conn, p))?;
            let mut stages = p.stages.clone();
            if let Some(n) = opts.limit {
                stages.push(Stage::Limit(n));
            }
            apply_stages(&mut rows, &stages);
            if opts.graph {
                rows.graph = Some(graph::build(conn, &rows)?);
            }
            Ok(Outcome::Rows(rows))
        }
        Plan::Save {
            replace,
            name,
            params,
            body,
        } => {
            let params_json = serde_json::to_string(params)
                .map_err(|e| Error::Usage(format!("cannot store parameters: {e}")))?;
            if *replace {
                conn.execute(
                    "INSERT INTO saved_query(name, params, body) VALUES (?1, ?2, ?3) \
                     ON CONFLICT(name) DO UPDATE SET params = excluded.params, body = excluded.body",
                    rusqlite::params![name, params_json, body],
                )?;
                Ok(Outcome::Message(format!("replaced saved query `{name}`")))
            } else {
                let added = conn.execute(
                    "INSERT INTO saved_query(name, params, body) VALUES (?1, ?2, ?3) \
                     ON CONFLICT(name) DO NOTHING",
                    rusqlite::params![name, params_json, body],
                )?;
                if added == 0 {
                    return Err(Error::SavedExists(name.clone()));
                }
                Ok(Outcome::Message(format!("saved query `{name}`")))
            }
        }
        Plan::Drop { name } => {
            let n = conn.execute("DELETE FROM saved_query WHERE name = ?1", [name])?;
            if n == 0 {
                return Err(Error::SavedMissing(name.clone()));
            }
            Ok(Outcome::Message(format!("dropped saved query `{name}`")))
        }
        Plan::Saved => {
            let mut stmt =
                conn.prepare("SELECT name, params, body FROM saved_query ORDER BY name")?;
            let rows = stmt
                .query_map([], |r| {
                    let name: String = r.get(0)?;
                    let params: String = r.get(1)?;
                    let body: String = r.get(2)?;
                    let params: Vec<String> = serde_json::from_str(&params).unwrap_or_default();
                    Ok(vec![
                        Value::Text(name),
                        Value::Text(params.join(", ")),
                        Value::Text(body),
                    ])
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Outcome::Rows(ResultSet {
                columns: vec!["name".into(), "params".into(), "query".into()],
                rows,
                ..ResultSet::default()
            }))
        }
    }
}

/// The SQL a statement compiles to, with its parameters; with `query_plan`, SQLite's
/// plan for it too.
pub fn explain(
    store: &Store,
    text: &str,
    opts: &Options,
    query_plan: bool,
) -> Result<String, Error> {
    let plan = prepare(store, text, opts)?;
    let Plan::Select(select) = &plan else {
        return Err(Error::Usage(
            "only queries compile to SQL: `path`, `save`, `run` of a path, `saved` and `drop` \
             are carried out by the store directly"
                .into(),
        ));
    };
    let compile = sql::CompileOptions {
        limit: opts.limit,
        relation_keys: false,
    };
    let q = sql::compile(select, compile)?;
    let mut out = String::new();
    out.push_str(&q.text);
    out.push_str("\n\n-- parameters\n");
    for (i, p) in q.params.iter().enumerate() {
        out.push_str(&format!("?{} = {}\n", i + 1, p));
    }
    if query_plan {
        out.push_str("\n-- query plan\n");
        let conn = store.connection();
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {}", q.text))?;
        for (i, p) in q.params.iter().enumerate() {
            match p {
                sql::SqlParam::Int(v) => stmt.raw_bind_parameter(i + 1, v)?,
                sql::SqlParam::Text(v) => stmt.raw_bind_parameter(i + 1, v.as_str())?,
            }
        }
        let mut rows = stmt.raw_query();
        let mut depth: HashMap<i64, usize> = HashMap::new();
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let parent: i64 = row.get(1)?;
            let detail: String = row.get(3)?;
            let d = depth.get(&parent).map(|d| d + 1).unwrap_or(0);
            depth.insert(id, d);
            out.push_str(&format!("{}{}\n", "  ".repeat(d), detail));
        }
    }
    Ok(out.trim_end().to_string() + "\n")
}

/// Runs a query and writes its rows to `out` as they arrive, in a streaming format
/// (JSON, JSON Lines, CSV, TSV). Gives `false`, having written nothing, when the
/// statement is not a plain query or the format needs every row first (table,
/// timeline, graphs): the caller then uses [`run_plan`] and renders.
pub fn stream<W: std::io::Write>(
    store: &Store,
    plan: &Plan,
    opts: &Options,
    format: output::Format,
    out: W,
) -> Result<bool, Error> {
    let Plan::Select(select) = plan else {
        return Ok(false);
    };
    if opts.graph || select.timeline {
        return Ok(false);
    }
    let compile = sql::CompileOptions {
        limit: opts.limit,
        relation_keys: false,
    };
    let q = sql::compile(select, compile)?;
    let names: Vec<String> = q.columns.iter().map(|c| c.name.clone()).collect();
    let Some(writer) = output::RowWriter::new(format, &names, out) else {
        return Ok(false);
    };
    let mut writer = writer?;
    let conn = store.connection();
    with_timeout(store, opts.timeout, || {
        query::for_each_row::<Error>(conn, &q, |row, _| Ok(writer.row(&row)?))
    })?;
    writer.finish()?;
    Ok(true)
}

/// Runs `f`, interrupting SQLite if it takes longer than `timeout`.
fn with_timeout<T, E: Into<Error>>(
    store: &Store,
    timeout: Option<Duration>,
    f: impl FnOnce() -> Result<T, E>,
) -> Result<T, Error> {
    let Some(limit) = timeout else {
        return f().map_err(Into::into);
    };
    let handle = store.connection().get_interrupt_handle();
    let fired = Arc::new(AtomicBool::new(false));
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let watcher = {
        let fired = fired.clone();
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = done_rx.recv_timeout(limit) {
                fired.store(true, Ordering::SeqCst);
                handle.interrupt();
            }
        })
    };
    let result = f().map_err(Into::into);
    let _ = done_tx.send(());
    let _ = watcher.join();
    match result {
        Err(Error::Database(rusqlite::Error::SqliteFailure(e, _)))
            if e.code == rusqlite::ErrorCode::OperationInterrupted =>
        {
            if fired.load(Ordering::SeqCst) {
                Err(Error::Timeout(limit))
            } else {
                Err(Error::Interrupted)
            }
        }
        other => other,
    }
}

/// Applies pipeline stages to rows already in memory (path results).
pub fn apply_stages(rows: &mut ResultSet, stages: &[Stage]) {
    for stage in stages {
        match stage {
            Stage::Show(idx) => {
                rows.columns = idx.iter().map(|&i| rows.columns[i].clone()).collect();
                for r in &mut rows.rows {
                    *r = idx.iter().map(|&i| r[i].clone()).collect();
                }
            }
            Stage::Sort(keys) => rows.rows.sort_by(|a, b| {
                for (i, desc) in keys {
                    let o = compare(&a[*i], &b[*i]);
                    let o = if *desc { o.reverse() } else { o };
                    if o != std::cmp::Ordering::Equal {
                        return o;
                    }
                }
                std::cmp::Ordering::Equal
            }),
            Stage::Limit(n) => rows
                .rows
                .truncate(usize::try_from(*n).unwrap_or(usize::MAX)),
            Stage::Distinct => {
                let mut seen: Vec<Vec<Value>> = Vec::new();
                rows.rows.retain(|r| {
                    if seen.contains(r) {
                        false
                    } else {
                        seen.push(r.clone());
                        true
                    }
                });
            }
            Stage::Count(by) => {
                let mut groups: Vec<(Vec<Value>, i64)> = Vec::new();
                for r in &rows.rows {
                    let key: Vec<Value> = by.iter().map(|&i| r[i].clone()).collect();
                    match groups.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, n)) => *n += 1,
                        None => groups.push((key, 1)),
                    }
                }
                if by.is_empty() && groups.is_empty() {
                    groups.push((Vec::new(), 0));
                }
                groups.sort_by_key(|g| std::cmp::Reverse(g.1));
                let mut columns: Vec<String> =
                    by.iter().map(|&i| rows.columns[i].clone()).collect();
                columns.push("count".into());
                rows.columns = columns;
                rows.rows = groups
                    .into_iter()
                    .map(|(mut k, n)| {
                        k.push(Value::Int(n));
                        k
                    })
                    .collect();
            }
        }
    }
}

fn compare(a: &Value, b: &Value) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (a, b) {
        (Value::Null, Value::Null) => Equal,
        (Value::Null, _) => Less,
        (_, Value::Null) => Greater,
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Real(x), Value::Real(y)) => x.partial_cmp(y).unwrap_or(Equal),
        (Value::Int(x), Value::Real(y)) => (*x as f64).partial_cmp(y).unwrap_or(Equal),
        (Value::Real(x), Value::Int(y)) => x.partial_cmp(&(*y as f64)).unwrap_or(Equal),
        (Value::Text(x), Value::Text(y)) => x.cmp(y),
        (Value::Text(_), _) => Greater,
        (_, Value::Text(_)) => Less,
    }
}
