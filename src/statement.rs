//! One statement end to end: resolve against the store, compile, run, and apply what
//! the statement asks of the store (saved queries). The caller parses the text once
//! ([`lang::parse`]) and [`prepare`]s the statement once (planned, and a query compiled
//! to its SQL); then [`explain`], [`stream`] and [`run`] all use that [`Prepared`]
//! statement. [`execute`] does all of it for one text.
//!
//! The statement's [`Deadline`] (`--timeout`, Ctrl-C) covers every stage: the planner
//! and the path search check it, and SQLite checks it while the caller holds the store
//! watched ([`Store::watch`], which needs the store mutably, so the caller does it:
//! `statement::run(&store.watch(&opts.deadline), …)`). Whatever stage it stops, the
//! statement fails with [`Error::Stopped`]; and SQLite refusing the compiled SQL for one
//! of its own limits is said in the query's terms ([`sql::sqlite_limit`]).

use std::collections::HashMap;
use std::io::Read;

use crate::deadline::{self, Deadline};
use crate::error::Error;
use crate::lang::{self, ast};
use crate::output;
use crate::plan::{self, Plan, Stage};
use crate::sql::{self, SqlQuery};
use crate::store::{Saved, Store};
use crate::time;
use crate::value::{ResultSet, Value};

/// How to run a statement.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Values of `$name` in an ad-hoc query.
    pub params: HashMap<String, ast::Arg>,
    /// A final `limit` (the CLI's `--limit`).
    pub limit: Option<u64>,
    /// When to stop the statement (`--timeout`, Ctrl-C): made when the statement starts.
    pub deadline: Deadline,
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

/// Reads a statement's text, but no more than a few bytes past
/// [`crate::limits::MAX_STATEMENT_BYTES`]: a longer text is cut there (at a character),
/// still past the limit, so that parsing it refuses it, whatever the length of the input.
pub fn read_text(input: impl Read) -> std::io::Result<String> {
    // Up to 3 bytes of a character cut at the end are dropped; one more keeps the text
    // past the limit.
    let cap = crate::limits::MAX_STATEMENT_BYTES + 4;
    let mut bytes = Vec::new();
    input.take(cap as u64).read_to_end(&mut bytes)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) if bytes_cut(&e, cap) => {
            let valid = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            bytes.truncate(valid);
            String::from_utf8(bytes)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
        }
        Err(e) => Err(std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
    }
}

/// Did reading stop at `cap` inside a character (not at text that is not UTF-8)?
fn bytes_cut(e: &std::string::FromUtf8Error, cap: usize) -> bool {
    e.as_bytes().len() == cap && e.utf8_error().error_len().is_none()
}

/// A statement planned against the store and, if it is a query, compiled: ready to
/// explain, stream or run, as many of them as the caller needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub plan: Plan,
    /// A query's SQL, compiled with the statement's [`Options`] (its `limit`, and the
    /// relations' keys when a graph is asked for); `None` for what the store carries
    /// out directly (`path`, `save`, `saved`, `drop`).
    pub sql: Option<SqlQuery>,
}

/// Plans a parsed statement against the store and compiles a query, within the
/// statement's deadline. `text` is the statement's source (spans point into it).
pub fn prepare(
    store: &Store,
    stmt: &ast::Statement,
    text: &str,
    opts: &Options,
) -> Result<Prepared, Error> {
    within(&opts.deadline, || {
        opts.deadline.check()?;
        let plan = plan::resolve(stmt, text, &store.catalog(), &opts.params, &opts.deadline)?;
        let sql = match &plan {
            Plan::Select(select) => {
                let compile = sql::CompileOptions {
                    limit: opts.limit,
                    relation_keys: opts.graph,
                };
                opts.deadline.check()?;
                Some(sql::compile(select, compile)?)
            }
            _ => None,
        };
        Ok(Prepared { plan, sql })
    })
}

/// Parses, prepares and runs one statement of the language (see the module's docs on
/// the deadline).
pub fn execute(store: &Store, text: &str, opts: &Options) -> Result<Outcome, Error> {
    let stmt = lang::parse(text)?;
    let prepared = prepare(store, &stmt, text, opts)?;
    run(store, &prepared, opts)
}

/// Runs a prepared statement.
pub fn run(store: &Store, prepared: &Prepared, opts: &Options) -> Result<Outcome, Error> {
    within(&opts.deadline, || run_within(store, prepared, opts))
}

/// Runs `f`, one stage of a statement; its error is the statement's stop if the deadline
/// stopped it (SQLite interrupted, the catalog failing because of that), and SQLite's
/// refusal of the SQL for one of its limits is said in the query's terms.
fn within<T>(deadline: &Deadline, f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    f().map_err(|e| {
        let interrupted = match &e {
            Error::Store(e) => e.is_interrupted(),
            // The catalog says why it failed in words only: a failure once the deadline
            // has passed is taken to be the interrupt.
            Error::Plan(p) => matches!(p.kind, plan::PlanErrorKind::Catalog(_)),
            _ => false,
        };
        if interrupted {
            if let Some(stop) = deadline.stop() {
                return Error::Stopped(stop);
            }
            if !matches!(e, Error::Plan(_)) {
                return Error::Stopped(deadline::Stop::Interrupted);
            }
        }
        match &e {
            Error::Store(crate::store::StoreError::Query { source }) => {
                sql::sqlite_limit(source).map_or(e, Error::Sql)
            }
            _ => e,
        }
    })
}

fn run_within(store: &Store, prepared: &Prepared, opts: &Options) -> Result<Outcome, Error> {
    match &prepared.plan {
        Plan::Select(_) => {
            let q = query_sql(prepared)?;
            opts.deadline.check()?;
            let mut rows = store.query(q)?;
            if opts.graph {
                rows.graph = Some(store.graph(&rows)?);
            }
            Ok(Outcome::Rows(rows))
        }
        Plan::Path(p) => {
            let mut rows = store.search_paths(p, &opts.deadline)?;
            let mut stages = p.stages.clone();
            if let Some(n) = opts.limit {
                stages.push(Stage::Limit(n));
            }
            apply_stages(&mut rows, &stages);
            if opts.graph {
                rows.graph = Some(store.graph(&rows)?);
            }
            Ok(Outcome::Rows(rows))
        }
        Plan::Save {
            replace,
            name,
            params,
            body,
        } => {
            let message = match store.save_query(name, params, body, *replace)? {
                Saved::Exists => return Err(Error::SavedExists(name.clone())),
                Saved::Added => format!("saved query `{name}`"),
                Saved::Replaced => format!("replaced saved query `{name}`"),
            };
            Ok(Outcome::Message(message))
        }
        Plan::Drop { name } => {
            if !store.drop_query(name)? {
                return Err(Error::SavedMissing(name.clone()));
            }
            Ok(Outcome::Message(format!("dropped saved query `{name}`")))
        }
        Plan::Saved => {
            let rows = store
                .saved_queries()?
                .into_iter()
                .map(|q| {
                    vec![
                        Value::Text(q.name),
                        Value::Text(q.params.join(", ")),
                        Value::Text(q.body),
                    ]
                })
                .collect();
            Ok(Outcome::Rows(ResultSet {
                columns: vec!["name".into(), "params".into(), "query".into()],
                rows,
                ..ResultSet::default()
            }))
        }
    }
}

/// The compiled SQL of a prepared query, or the error saying that only queries have
/// SQL.
fn query_sql(prepared: &Prepared) -> Result<&SqlQuery, Error> {
    prepared.sql.as_ref().ok_or_else(|| {
        Error::Usage(
            "only queries compile to SQL: `path`, `save`, `run` of a path, `saved` and `drop` \
             are carried out by the store directly"
                .into(),
        )
    })
}

/// The SQL a prepared statement compiles to, with its parameters; with `query_plan`,
/// SQLite's plan for it too.
pub fn explain(
    store: &Store,
    prepared: &Prepared,
    opts: &Options,
    query_plan: bool,
) -> Result<String, Error> {
    within(&opts.deadline, || {
        let q = query_sql(prepared)?;
        let mut out = String::new();
        out.push_str(&q.text);
        out.push_str("\n\n-- parameters\n");
        for (i, p) in q.params.iter().enumerate() {
            out.push_str(&format!("?{} = {}\n", i + 1, p));
        }
        if query_plan {
            out.push_str("\n-- query plan\n");
            for step in store.query_plan(q)? {
                out.push_str(&format!("{}{}\n", "  ".repeat(step.depth), step.detail));
            }
        }
        Ok(out.trim_end().to_string() + "\n")
    })
}

/// Runs a query and writes its rows to `out` as they arrive, in a streaming format
/// (JSON, JSON Lines, CSV, TSV). Gives `false`, having written nothing, when the
/// statement is not a plain query or the format needs every row first (table,
/// timeline, graphs): the caller then [`run`]s it and renders.
pub fn stream<W: std::io::Write>(
    store: &Store,
    prepared: &Prepared,
    opts: &Options,
    format: output::Format,
    out: W,
) -> Result<bool, Error> {
    let (Plan::Select(select), Some(q)) = (&prepared.plan, &prepared.sql) else {
        return Ok(false);
    };
    if opts.graph || select.timeline {
        return Ok(false);
    }
    let names: Vec<String> = q.columns.iter().map(|c| c.name.clone()).collect();
    let Some(writer) = output::RowWriter::new(format, &names, out) else {
        return Ok(false);
    };
    within(&opts.deadline, || {
        let mut writer = writer?;
        opts.deadline.check()?;
        store.for_each_row::<Error>(q, |row, _| Ok(writer.row(&row)?))?;
        writer.finish()?;
        Ok(true)
    })
}

/// One row being staged in memory, with what it carries besides its cells.
#[derive(Debug, Clone, PartialEq)]
struct StagedRow {
    cells: Vec<Value>,
    /// The keys of the relations behind the row (graph output).
    keys: Vec<i64>,
    /// The row's time bounds (timeline output).
    time: Option<[i64; 4]>,
}

/// Applies pipeline stages to rows already in memory (path results). Each row keeps its
/// relation keys ([`ResultSet::relation_keys`]) and time ([`ResultSet::times`]) through
/// every stage, so a graph of the result draws the relations of the rows it shows and
/// no others:
/// - `show` picks columns; a row keeps its keys and time.
/// - `sort` and `limit` move and cut the keys and times with their rows.
/// - `distinct` keeps the first of equal rows, at its place; the row kept stands for all
///   of them and carries the keys of every one (a graph draws each chain behind it),
///   and the span of their times ([`time::span`]), as the SQL of a query does.
/// - `count` and `count by …`: a counted row stands for the rows of its group and
///   carries the keys of all of them, so the graph of a count draws every relation
///   counted (and `count` of no rows draws nothing). A counted row has no time: the
///   result is no longer a timeline.
pub fn apply_stages(rows: &mut ResultSet, stages: &[Stage]) {
    let keyed = !rows.relation_keys.is_empty();
    let mut keys = std::mem::take(&mut rows.relation_keys).into_iter();
    let mut times = std::mem::take(&mut rows.times).into_iter();
    let mut staged: Vec<StagedRow> = std::mem::take(&mut rows.rows)
        .into_iter()
        .map(|cells| StagedRow {
            cells,
            keys: keys.next().unwrap_or_default(),
            time: times.next().flatten(),
        })
        .collect();
    for stage in stages {
        match stage {
            Stage::Show(idx) => {
                rows.columns = idx.iter().map(|&i| rows.columns[i].clone()).collect();
                for r in &mut staged {
                    r.cells = idx.iter().map(|&i| r.cells[i].clone()).collect();
                }
            }
            Stage::Sort(keys) => staged.sort_by(|a, b| {
                for (i, desc) in keys {
                    let o = compare(&a.cells[*i], &b.cells[*i]);
                    let o = if *desc { o.reverse() } else { o };
                    if o != std::cmp::Ordering::Equal {
                        return o;
                    }
                }
                std::cmp::Ordering::Equal
            }),
            Stage::Limit(n) => staged.truncate(usize::try_from(*n).unwrap_or(usize::MAX)),
            Stage::Distinct => {
                let mut kept: Vec<StagedRow> = Vec::new();
                for r in staged {
                    match kept.iter_mut().find(|k| k.cells == r.cells) {
                        Some(k) => {
                            k.keys.extend(r.keys);
                            k.time = time::span(k.time, r.time);
                        }
                        None => kept.push(r),
                    }
                }
                staged = kept;
            }
            Stage::Count(by) => {
                let mut groups: Vec<(Vec<Value>, i64, Vec<i64>)> = Vec::new();
                for r in staged {
                    let group: Vec<Value> = by.iter().map(|&i| r.cells[i].clone()).collect();
                    match groups.iter_mut().find(|(g, _, _)| *g == group) {
                        Some((_, n, keys)) => {
                            *n += 1;
                            keys.extend(r.keys);
                        }
                        None => groups.push((group, 1, r.keys)),
                    }
                }
                if by.is_empty() && groups.is_empty() {
                    groups.push((Vec::new(), 0, Vec::new()));
                }
                groups.sort_by_key(|g| std::cmp::Reverse(g.1));
                let mut columns: Vec<String> =
                    by.iter().map(|&i| rows.columns[i].clone()).collect();
                columns.push("count".into());
                rows.columns = columns;
                rows.timeline = false;
                staged = groups
                    .into_iter()
                    .map(|(mut cells, n, keys)| {
                        cells.push(Value::Int(n));
                        StagedRow {
                            cells,
                            keys,
                            time: None,
                        }
                    })
                    .collect();
            }
        }
    }
    let timeline = rows.timeline;
    for r in staged {
        rows.rows.push(r.cells);
        if keyed {
            rows.relation_keys.push(r.keys);
        }
        if timeline {
            rows.times.push(r.time);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Format, ImportOptions};

    /// Rows `[name, n]` each with its own relation keys, as a path search gives them.
    fn keyed(rows: &[(&str, i64, &[i64])]) -> ResultSet {
        ResultSet {
            columns: vec!["name".into(), "n".into()],
            rows: rows
                .iter()
                .map(|(s, n, _)| vec![Value::Text(s.to_string()), Value::Int(*n)])
                .collect(),
            relation_keys: rows.iter().map(|(_, _, k)| k.to_vec()).collect(),
            ..ResultSet::default()
        }
    }

    fn names(rows: &ResultSet) -> Vec<String> {
        rows.rows
            .iter()
            .map(|r| r[0].as_text().unwrap_or_default().into_owned())
            .collect()
    }

    #[test]
    fn limit_keeps_only_the_kept_rows_keys() {
        let mut rows = keyed(&[("a", 1, &[1, 2]), ("b", 2, &[3]), ("c", 3, &[4, 5])]);
        apply_stages(&mut rows, &[Stage::Limit(1)]);
        assert_eq!(names(&rows), ["a"]);
        assert_eq!(rows.relation_keys, vec![vec![1, 2]]);
    }

    #[test]
    fn sort_then_limit_moves_the_keys_with_their_rows() {
        let mut rows = keyed(&[("a", 1, &[1, 2]), ("b", 2, &[3]), ("c", 3, &[4, 5])]);
        apply_stages(&mut rows, &[Stage::Sort(vec![(1, true)]), Stage::Limit(2)]);
        assert_eq!(names(&rows), ["c", "b"]);
        assert_eq!(rows.relation_keys, vec![vec![4, 5], vec![3]]);
    }

    #[test]
    fn show_keeps_each_rows_keys() {
        let mut rows = keyed(&[("a", 1, &[1]), ("b", 2, &[2])]);
        apply_stages(&mut rows, &[Stage::Show(vec![1])]);
        assert_eq!(rows.columns, ["n"]);
        assert_eq!(rows.rows, vec![vec![Value::Int(1)], vec![Value::Int(2)]]);
        assert_eq!(rows.relation_keys, vec![vec![1], vec![2]]);
    }

    #[test]
    fn distinct_row_carries_the_keys_of_every_equal_row() {
        let mut rows = keyed(&[("a", 1, &[1]), ("b", 2, &[2]), ("a", 1, &[3])]);
        apply_stages(&mut rows, &[Stage::Distinct]);
        assert_eq!(names(&rows), ["a", "b"]);
        assert_eq!(rows.relation_keys, vec![vec![1, 3], vec![2]]);
    }

    #[test]
    fn counted_row_carries_the_keys_of_its_group() {
        let mut rows = keyed(&[("a", 1, &[1]), ("b", 2, &[2]), ("b", 3, &[3, 4])]);
        apply_stages(&mut rows, &[Stage::Count(vec![0])]);
        assert_eq!(rows.columns, ["name", "count"]);
        assert_eq!(names(&rows), ["b", "a"]);
        assert_eq!(rows.relation_keys, vec![vec![2, 3, 4], vec![1]]);
        // `count` of no rows: one row of 0, drawing nothing.
        let mut none = keyed(&[]);
        apply_stages(&mut none, &[Stage::Count(Vec::new())]);
        assert_eq!(none.rows, vec![vec![Value::Int(0)]]);
        assert!(none.relation_keys.iter().flatten().next().is_none());
    }

    #[test]
    fn times_follow_their_rows_and_a_count_is_no_timeline() {
        let mut rows = keyed(&[("a", 1, &[1]), ("b", 2, &[2])]);
        rows.timeline = true;
        rows.times = vec![Some([1, 1, 2, 2]), None];
        apply_stages(&mut rows, &[Stage::Sort(vec![(1, true)])]);
        assert_eq!(rows.times, vec![None, Some([1, 1, 2, 2])]);
        apply_stages(&mut rows, &[Stage::Count(Vec::new())]);
        assert!(!rows.timeline);
        assert!(rows.times.is_empty());
    }

    #[test]
    fn distinct_row_spans_the_times_of_its_rows() {
        let mut rows = keyed(&[("a", 1, &[1]), ("a", 1, &[2]), ("a", 1, &[3])]);
        rows.timeline = true;
        rows.times = vec![Some([10, 12, 20, 25]), None, Some([5, 15, 18, 30])];
        apply_stages(&mut rows, &[Stage::Distinct]);
        assert_eq!(rows.times, vec![Some([5, 12, 20, 30])]);
        assert_eq!(rows.relation_keys, vec![vec![1, 2, 3]]);
    }

    /// A store with two chains from Anna to Dora: Anna —left→ Bert —left→ Dora and
    /// Anna —right→ Carl —right→ Dora.
    fn diamond() -> Store {
        let mut data = String::new();
        for name in ["Anna", "Bert", "Carl", "Dora"] {
            data.push_str(&format!(
                "{{\"type\":\"entity\",\"id\":\"{}\",\"kind\":\"person\",\"name\":\"{name}\"}}\n",
                name.to_lowercase()
            ));
        }
        for (s, p, o) in [
            ("anna", "left", "bert"),
            ("bert", "left", "dora"),
            ("anna", "right", "carl"),
            ("carl", "right", "dora"),
        ] {
            data.push_str(&format!(
                "{{\"type\":\"relation\",\"subject\":\"{s}\",\"predicate\":\"{p}\",\"object\":\"{o}\",\"when\":\"2025\"}}\n"
            ));
        }
        let mut store = Store::open_in_memory().unwrap();
        let opts = ImportOptions::default();
        store
            .import(data.as_bytes(), Format::JsonLines, "diamond", opts)
            .unwrap();
        store
    }

    #[test]
    fn one_preparation_is_explained_streamed_and_run() {
        let store = diamond();
        let opts = Options::default();
        let text = "?x left ?y";
        let stmt = lang::parse(text).unwrap();
        let prepared = prepare(&store, &stmt, text, &opts).unwrap();
        let q = prepared.sql.as_ref().expect("a query has SQL");
        let explained = explain(&store, &prepared, &opts, true).unwrap();
        assert!(explained.starts_with(&q.text), "{explained}");
        assert!(explained.contains("-- query plan"), "{explained}");
        let mut out = Vec::new();
        assert!(stream(&store, &prepared, &opts, output::Format::Jsonl, &mut out).unwrap());
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 2);
        let Outcome::Rows(rows) = run(&store, &prepared, &opts).unwrap() else {
            panic!("rows expected");
        };
        assert_eq!(rows.rows.len(), 2);
        // A path has no SQL: nothing to explain or stream, the store runs it.
        let text = "path Anna to Dora";
        let stmt = lang::parse(text).unwrap();
        let path = prepare(&store, &stmt, text, &opts).unwrap();
        assert!(path.sql.is_none());
        assert!(matches!(
            explain(&store, &path, &opts, false),
            Err(Error::Usage(_))
        ));
        assert!(!stream(&store, &path, &opts, output::Format::Jsonl, Vec::new()).unwrap());
    }

    /// Runs `text` for a graph, whole and with `| limit 1`: several rows, then one.
    fn whole_and_first(store: &Store, text: &str) -> (ResultSet, ResultSet) {
        let opts = Options {
            graph: true,
            ..Options::default()
        };
        let run = |t: &str| match execute(store, t, &opts).unwrap() {
            Outcome::Rows(rows) => rows,
            Outcome::Message(m) => panic!("rows expected, got {m}"),
        };
        let (whole, first) = (run(text), run(&format!("{text} | limit 1")));
        assert!(whole.rows.len() > 1, "{text}: {whole:?}");
        assert_eq!(first.rows.len(), 1, "{text}: {first:?}");
        (whole, first)
    }

    /// The graph's edges as `subject predicate object`, sorted.
    fn edges(rows: &ResultSet) -> Vec<String> {
        let graph = rows.graph.as_ref().expect("a graph was asked for");
        let mut edges: Vec<String> = graph
            .edges
            .iter()
            .map(|e| format!("{} {} {}", e.from, e.predicate, e.to))
            .collect();
        edges.sort();
        edges
    }

    #[test]
    fn path_graph_with_limit_draws_only_the_rows_chain() {
        let store = diamond();
        let (whole, first) = whole_and_first(&store, "path Anna to Dora");
        assert_eq!(edges(&whole).len(), 4);
        let Value::Text(preds) = &first.rows[0][4] else {
            panic!("predicates are text: {:?}", first.rows[0]);
        };
        let want = match preds.as_str() {
            "left, left" => ["anna left bert", "bert left dora"],
            "right, right" => ["anna right carl", "carl right dora"],
            other => panic!("not a chain of the diamond: {other}"),
        };
        assert_eq!(edges(&first), want);
        // The same through the CLI's `--limit`.
        let opts = Options {
            graph: true,
            limit: Some(1),
            ..Options::default()
        };
        let Outcome::Rows(cli) = execute(&store, "path Anna to Dora", &opts).unwrap() else {
            panic!("rows expected");
        };
        assert_eq!(edges(&cli), want);
    }

    #[test]
    fn sql_graph_with_limit_draws_only_the_rows_relations() {
        let store = diamond();
        let (whole, first) = whole_and_first(&store, "?x left ?y");
        assert_eq!(edges(&whole), ["anna left bert", "bert left dora"]);
        assert_eq!(first.relation_keys.len(), 1);
        assert_eq!(edges(&first).len(), 1);
    }

    /// A deadline already past.
    fn passed() -> Deadline {
        let d = Deadline::after(std::time::Duration::from_nanos(1));
        std::thread::sleep(std::time::Duration::from_millis(1));
        d
    }

    fn stopped_by_timeout(result: Result<Outcome, Error>) -> bool {
        matches!(result, Err(Error::Stopped(deadline::Stop::Timeout(_))))
    }

    #[test]
    fn a_deadline_passed_before_planning_stops_the_statement() {
        let mut store = diamond();
        let opts = Options {
            deadline: passed(),
            ..Options::default()
        };
        for text in ["?x left ?y", "path Anna to Dora", "Nobody -- Anna"] {
            let watched = store.watch(&opts.deadline);
            let result = execute(&watched, text, &opts);
            assert!(stopped_by_timeout(result), "{text}");
        }
    }

    #[test]
    fn a_deadline_passing_after_planning_stops_the_path_search_and_the_sql() {
        let mut store = diamond();
        for text in ["path Anna to Dora", "?x left ?y"] {
            let stmt = lang::parse(text).unwrap();
            let prepared = prepare(&store, &stmt, text, &Options::default()).unwrap();
            let opts = Options {
                deadline: passed(),
                ..Options::default()
            };
            let result = run(&store.watch(&opts.deadline), &prepared, &opts);
            assert!(stopped_by_timeout(result), "{text}");
            assert_eq!(Error::Stopped(deadline::Stop::Interrupted).exit_code(), 1);
        }
        // The search itself stops, as SQLite's interrupt.
        let text = "path Anna to Dora";
        let stmt = lang::parse(text).unwrap();
        let Plan::Path(p) = prepare(&store, &stmt, text, &Options::default())
            .unwrap()
            .plan
        else {
            panic!("a path plan")
        };
        let e = store.search_paths(&p, &passed()).unwrap_err();
        assert!(e.is_interrupted(), "{e}");
    }

    #[test]
    fn reading_a_statement_stops_a_little_past_the_limit() {
        use crate::limits::MAX_STATEMENT_BYTES;
        let short = read_text("?x left ?y".as_bytes()).unwrap();
        assert_eq!(short, "?x left ?y");
        // An endless input is read no further than the limit and a character.
        let endless = std::io::repeat(b'(');
        let text = read_text(endless).unwrap();
        assert_eq!(text.len(), MAX_STATEMENT_BYTES + 4);
        // Cut inside a character: the character is dropped, the text still too long.
        let arabic = "ع".repeat(MAX_STATEMENT_BYTES);
        let text = read_text(arabic.as_bytes()).unwrap();
        assert!(text.len() > MAX_STATEMENT_BYTES && text.chars().all(|c| c == 'ع'));
        assert!(lang::parse(&text).is_err());
        // Text that is not UTF-8 is still an error.
        assert!(read_text(&b"?x left \xff"[..]).is_err());
    }
}
