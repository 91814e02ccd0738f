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
use crate::plan::{self, Plan, Stage};
use crate::sql::{self, SqlQuery};
use crate::stages::apply_stages;
use crate::store::change::{self, ChangeMeta, Origin};
use crate::store::{Saved, Store, WriteOp};
use crate::value::{ResultSet, Row, Value};

mod stream;
pub use stream::{stream, stream_table, TableEnd};

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
    /// Who writes and from where, for the change log.
    pub author: Author,
}

/// What the change log records of the changes a statement makes besides the statement:
/// who made them and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    /// `--as NAME`, `FACTSTORE_USER` or the login name ([`change::author`]).
    pub name: String,
    /// The REPL, or a script's path.
    pub origin: Origin,
}

impl Default for Author {
    /// The login's author at the REPL.
    fn default() -> Author {
        Author {
            name: change::author(None),
            origin: Origin::Repl,
        }
    }
}

/// What a statement gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Rows(ResultSet),
    /// A statement that changes the store says what it did.
    Message(String),
}

/// True if the statement writes to the store (`save`, `drop`, a write such as `add`):
/// the caller must open the store for writing.
pub fn writes(stmt: &ast::Statement) -> bool {
    matches!(
        stmt.kind,
        ast::StatementKind::Save(_)
            | ast::StatementKind::Drop(_)
            | ast::StatementKind::Write(_)
            | ast::StatementKind::Begin
            | ast::StatementKind::Commit
            | ast::StatementKind::Rollback
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
    /// What the user should be told beside the result, on stderr: a name taken as the
    /// one entity with that word in its names.
    pub notes: Vec<String>,
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
        let ctx = plan::Context {
            params: &opts.params,
            deadline: &opts.deadline,
            today: crate::time::today(),
        };
        let (plan, notes) = plan::resolve_noting(stmt, text, &store.catalog(), &ctx)?;
        // `as recorded at change N` names a change that must have been recorded.
        let at_change = match &plan {
            Plan::Select(s) => s.recorded.map(|r| r.at),
            Plan::Path(p) => p.recorded.map(|r| r.at),
            Plan::History(h) => h.recorded,
            _ => None,
        };
        if let Some(plan::Recorded::AtChange(n)) = at_change {
            store.check_change(n)?;
        }
        let sql = match &plan {
            Plan::Select(select) => {
                let compile = sql::CompileOptions {
                    limit: opts.limit,
                    relation_keys: opts.graph,
                    dialect: store.dialect(),
                    copy_by_object: store.copy_by_object(),
                };
                opts.deadline.check()?;
                Some(sql::compile(select, compile)?)
            }
            _ => None,
        };
        Ok(Prepared { plan, sql, notes })
    })
}

/// Parses, prepares and runs one statement of the language (see the module's docs on
/// the deadline).
pub fn execute(store: &Store, text: &str, opts: &Options) -> Result<Outcome, Error> {
    let stmt = lang::parse(text)?;
    let prepared = prepare(store, &stmt, text, opts)?;
    run(store, &prepared, opts)
}

/// Runs a prepared statement that does not write (see [`apply`] for one that may).
pub fn run(store: &Store, prepared: &Prepared, opts: &Options) -> Result<Outcome, Error> {
    within(&opts.deadline, || run_within(store, prepared, opts))
}

/// Runs a prepared statement, writes included: a write is one change of its own unless
/// a `begin` block (or an `--atomic` script) has a change open, which it then joins.
pub fn apply(store: &mut Store, prepared: &Prepared, opts: &Options) -> Result<Outcome, Error> {
    within(&opts.deadline, || match &prepared.plan {
        // The store's own refusals name its API; these say it in the statements' terms.
        Plan::Begin if store.in_change() => Err(Error::Usage(
            "a change is open already (a `begin` block, or the whole script with \
             --atomic): `commit` or `rollback` it before `begin`"
                .into(),
        )),
        Plan::Commit | Plan::Rollback if !store.in_change() => Err(Error::Usage(format!(
            "no `begin` block is open, so there is nothing to {}; each write outside a \
             block is recorded at once, as a change of its own",
            if matches!(prepared.plan, Plan::Commit) {
                "commit"
            } else {
                "roll back"
            }
        ))),
        Plan::Begin => {
            store.begin_change(meta(opts, None))?;
            Ok(Outcome::Message(
                "began a change: the writes up to `commit` are recorded together \
                 (`rollback` drops them)"
                    .into(),
            ))
        }
        Plan::Commit => Ok(Outcome::Message(match store.commit_change()? {
            Some(n) => format!("committed: change {n}"),
            None => "committed: nothing changed, so no change was recorded".into(),
        })),
        Plan::Rollback => {
            store.rollback_change()?;
            Ok(Outcome::Message(
                "rolled back: nothing of the block was written".into(),
            ))
        }
        Plan::Write(w) => write(store, w, opts),
        _ => run_within(store, prepared, opts),
    })
}

/// The change log's record of a change by `opts`' author, made of `statement`.
fn meta(opts: &Options, statement: Option<&str>) -> ChangeMeta {
    let mut meta = ChangeMeta::new(opts.author.name.clone(), opts.author.origin.clone());
    meta.statement = statement.map(str::to_string);
    meta
}

/// One write statement, in the open change or as a change of its own.
fn write(store: &mut Store, w: &plan::WritePlan, opts: &Options) -> Result<Outcome, Error> {
    let own = !store.in_change();
    if own {
        store.begin_single_change(meta(opts, Some(&w.statement)))?;
    } else {
        store.record_statement(&w.statement)?;
    }
    let done = (|| -> Result<_, Error> {
        let op = match &w.pattern {
            Some(pattern) => WriteOp::Retract {
                ids: pattern_ids(store, pattern, opts)?,
            },
            None => w.op.clone(),
        };
        Ok(store.write(&op, w.reason.as_deref())?)
    })();
    let report = match done {
        Ok(report) => report,
        Err(e) => {
            if own && store.in_change() {
                // The write failed before it began (its pattern's matches); the change it
                // opened goes with it. A write that failed took its change with it.
                let _ = store.rollback_change();
            }
            return Err(e);
        }
    };
    let mut message = report.messages.join("\n");
    if own {
        if let Some(n) = store.commit_change()? {
            message.push_str(&format!(" (change {n})"));
        }
    }
    Ok(Outcome::Message(message))
}

/// The ids of the live relations a `retract` pattern matches: one, or with `all` any
/// number but none.
fn pattern_ids(
    store: &Store,
    pattern: &plan::RetractPattern,
    opts: &Options,
) -> Result<Vec<i64>, Error> {
    let q = sql::compile(
        &pattern.select,
        sql::CompileOptions {
            dialect: store.dialect(),
            copy_by_object: store.copy_by_object(),
            ..sql::CompileOptions::default()
        },
    )?;
    opts.deadline.check()?;
    let rows = store.query(&q)?;
    let holds = |row: &Row| {
        pattern.matches.iter().all(|(column, wanted)| {
            let cell = row.cells.get(*column);
            match (cell, wanted) {
                (Some(Value::Real(have)), serde_json::Value::Number(n)) => {
                    n.as_f64() == Some(*have)
                }
                (Some(cell), serde_json::Value::String(s)) => {
                    cell.as_data_text().as_deref() == Some(s.as_str())
                }
                _ => false,
            }
        })
    };
    let mut ids: Vec<i64> = rows
        .rows
        .iter()
        .filter(|row| holds(row))
        .filter_map(|row| match row.cells.get(pattern.id_column) {
            Some(Value::Handle(id) | Value::Int(id)) => Some(*id),
            _ => None,
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let listed = || {
        ids.iter()
            .map(|id| format!("#{id}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match ids.len() {
        0 => Err(Error::Usage(
            "retract: no live relation matches the pattern, so nothing was retracted; \
             check it with the same clause as a query (`… | show id`)"
                .into(),
        )),
        1 => Ok(ids),
        _ if pattern.all => Ok(ids),
        n => Err(Error::Usage(format!(
            "retract: the pattern matches {n} relations ({}); add `all` to retract every \
             one of them, or retract one by its id (`retract #{} because \"…\"`)",
            listed(),
            ids[0]
        ))),
    }
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
        Plan::Select(select) => {
            let q = query_sql(prepared)?;
            opts.deadline.check()?;
            let mut rows = store.query(q)?;
            rows.repeated = select.repeated_columns();
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
            rows.repeated = p.repeated_columns();
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
        Plan::History(h) => {
            let mut rows = match &h.of {
                plan::HistoryOf::Relation(id) => store.relation_history(*id)?,
                plan::HistoryOf::Entity(id) => store.entity_history(id)?,
            };
            if let Some(recorded) = h.recorded {
                let last = store.change_number(recorded)?;
                rows.rows.retain(|row| match row.cells.first() {
                    Some(Value::Int(change)) => *change <= last,
                    _ => true,
                });
            }
            Ok(Outcome::Rows(staged(rows, &h.stages, opts)))
        }
        Plan::Changes(c) => {
            let since = c
                .since
                .and_then(|day| crate::time::calendar::instant_after(day.saturating_sub(1)));
            let rows = store.changes(since.as_deref(), c.by.as_deref())?;
            Ok(Outcome::Rows(staged(rows, &c.stages, opts)))
        }
        Plan::Lookup(l) => {
            let rows = match &l.of {
                plan::LookupOf::Describe { entity, asked } => {
                    store.describe(entity, asked.as_ref())?
                }
                plan::LookupOf::Entities { kind, like } => {
                    store.entities(kind.as_deref(), like.as_deref())?
                }
                plan::LookupOf::Predicates => store.predicates()?,
                plan::LookupOf::Sources => store.sources()?,
            };
            Ok(Outcome::Rows(staged(rows, &l.stages, opts)))
        }
        Plan::Write(_) | Plan::Begin | Plan::Commit | Plan::Rollback => Err(Error::Usage(
            "this statement writes: it runs where the store is open for writing".into(),
        )),
        Plan::Saved => {
            let rows = store
                .saved_queries()?
                .into_iter()
                .map(|q| {
                    Row::from(vec![
                        Value::Text(q.name),
                        Value::Text(q.params.join(", ")),
                        Value::Text(q.body),
                    ])
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

/// Rows the store made with the statement's stages (and `--limit`) applied.
fn staged(mut rows: ResultSet, stages: &[Stage], opts: &Options) -> ResultSet {
    let mut stages = stages.to_vec();
    if let Some(n) = opts.limit {
        stages.push(Stage::Limit(n));
    }
    apply_stages(&mut rows, &stages);
    rows
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
        if let Some(p) = &q.projection {
            // The statement is the unnarrowed query's, so its rows come in that order.
            let picks: Vec<String> = p.picks.iter().map(|i| (i + 1).to_string()).collect();
            out.push_str(&format!(
                "\n\n-- show, as rows are read (so they come in this statement's order): \
                 result columns {}",
                picks.join(", ")
            ));
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output;
    use crate::store::{ImportFormat, ImportOptions};

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
            .import(data.as_bytes(), ImportFormat::JsonLines, "diamond", opts)
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
        assert!(matches!(
            stream(
                &store,
                &prepared,
                &opts,
                output::OutputFormat::Jsonl,
                &output::RenderOptions::default(),
                &mut out
            ),
            Ok(Some(TableEnd::Finished))
        ));
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
        assert!(stream(
            &store,
            &path,
            &opts,
            output::OutputFormat::Jsonl,
            &output::RenderOptions::default(),
            Vec::new()
        )
        .unwrap()
        .is_none());
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
        let Value::Text(preds) = &first.rows[0].cells[4] else {
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
        assert_eq!(first.rows[0].relation_keys.len(), 1);
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
