//! Running a compiled statement on either engine: binds its parameters, reads its rows
//! as typed values; and the engine's query plan for it.

use std::collections::HashMap;

use crate::plan::ColumnType;
use crate::sql::{SqlParam, SqlQuery};
use crate::time;
use crate::value::{ResultSet, Row, Value};

use super::db::{Cell, DbError, Dialect, Param, ToParam};
use super::{Store, StoreError};

/// One step of the engine's plan for a query: what it does, nested `depth` steps deep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPlanStep {
    pub depth: usize,
    pub detail: String,
}

impl Store {
    /// Runs a compiled query on the store and collects its rows: the store's stage of a
    /// statement ([`Store::for_each_row`] hands them over one at a time instead).
    pub fn query(&self, q: &SqlQuery) -> Result<ResultSet, StoreError> {
        let mut result = ResultSet {
            columns: q.columns.iter().map(|c| c.name.clone()).collect(),
            timeline: q.timeline,
            timed: q.timeline,
            ..ResultSet::default()
        };
        self.for_each_row::<StoreError>(q, |row| {
            result.rows.push(row);
            Ok(())
        })?;
        Ok(result)
    }

    /// Runs `q` and hands each row to `f` as it comes, so that output can stream.
    /// SQLite's failures come as [`StoreError::Query`], PostgreSQL's as
    /// [`StoreError::Db`].
    pub fn for_each_row<E: From<StoreError>>(
        &self,
        q: &SqlQuery,
        mut f: impl FnMut(Row) -> Result<(), E>,
    ) -> Result<(), E> {
        let n = q.columns.len();
        // A `show` left to the reader: its columns are picked from the statement's, and the
        // hidden columns follow all of those.
        let (picks, width) = match &q.projection {
            Some(p) => (Some(p.picks.as_slice()), p.width),
            None => (None, n),
        };
        let params = params(q);
        let params: Vec<&dyn ToParam> = params.iter().map(|p| p as &dyn ToParam).collect();
        // Queries of one shape compile to the same text: the prepared statement is reused.
        let ran = self.db().for_each::<Stop<E>>(&q.text, &params, |row| {
            let mut out = Vec::with_capacity(n);
            for (i, c) in q.columns.iter().enumerate() {
                let from = picks.and_then(|p| p.get(i).copied()).unwrap_or(i);
                out.push(cell(row.cell(from)?, c.ty));
            }
            let mut found = Row::from(out);
            let mut next = width;
            if q.timeline {
                let mut b = [0i64; 4];
                let mut known = true;
                for (k, slot) in b.iter_mut().enumerate() {
                    match row.cell(width + k)? {
                        Cell::Int(v) => *slot = v,
                        _ => known = false,
                    }
                }
                found.time = known.then_some(b);
                next += 4;
            }
            for k in 0..q.relation_keys {
                match row.cell(next + k)? {
                    Cell::Int(key) => found.relation_keys.push(key),
                    // A counted row: the keys of the rows it counted.
                    Cell::Text(list) => found.relation_keys.extend(
                        list.split(',')
                            .filter_map(|key| key.trim().parse::<i64>().ok()),
                    ),
                    _ => {}
                }
            }
            f(found).map_err(Stop::Caller)
        });
        ran.map_err(|stop| match stop {
            Stop::Db(e) => E::from(StoreError::query_db(e)),
            Stop::Caller(e) => e,
        })
    }

    /// The engine's plan for `q`, step by step in the engine's order: SQLite's
    /// `EXPLAIN QUERY PLAN`, or PostgreSQL's `EXPLAIN` (without costs, which change with
    /// the data), a step per line, nested by its indentation.
    pub fn query_plan(&self, q: &SqlQuery) -> Result<Vec<QueryPlanStep>, StoreError> {
        let params = params(q);
        let params: Vec<&dyn ToParam> = params.iter().map(|p| p as &dyn ToParam).collect();
        let err = StoreError::query_db;
        match self.db().dialect() {
            Dialect::Sqlite => {
                let mut depth: HashMap<i64, usize> = HashMap::new();
                self.db()
                    .query_map(&format!("EXPLAIN QUERY PLAN {}", q.text), &params, |row| {
                        let id: i64 = row.get(0)?;
                        let parent: i64 = row.get(1)?;
                        let detail: String = row.get(3)?;
                        let d = depth.get(&parent).map(|d| d + 1).unwrap_or(0);
                        depth.insert(id, d);
                        Ok(QueryPlanStep { depth: d, detail })
                    })
                    .map_err(err)
            }
            Dialect::Postgres => self
                .db()
                .query_map(&format!("EXPLAIN (COSTS OFF) {}", q.text), &params, |row| {
                    Ok(postgres_step(&row.get::<String>(0)?))
                })
                .map_err(err),
        }
    }
}

/// What stopped the rows: the database, or the caller's own failure (handed back as it
/// was).
enum Stop<E> {
    Db(DbError),
    Caller(E),
}

impl<E> From<DbError> for Stop<E> {
    fn from(e: DbError) -> Self {
        Stop::Db(e)
    }
}

/// The query's parameters as the database layer binds them.
fn params(q: &SqlQuery) -> Vec<Param<'_>> {
    q.params
        .iter()
        .map(|p| match p {
            SqlParam::Int(v) => Param::Int(*v),
            SqlParam::Text(v) => Param::Text(v),
            SqlParam::Real(v) => Param::Real(*v),
        })
        .collect()
}

/// A line of PostgreSQL's plan as a step: a node (`->  Index Scan …`) one level below
/// the node it feeds, whose lines start 6 columns further in; a node's details
/// (`Filter: …`) one level below it.
fn postgres_step(line: &str) -> QueryPlanStep {
    let detail = line.trim_start();
    let indent = line.len() - detail.len();
    QueryPlanStep {
        depth: (indent + 4) / 6,
        detail: detail.trim_start_matches("->").trim_start().to_owned(),
    }
}

/// One cell of a result, shown as its column's type says (days as ISO dates).
#[inline]
pub(super) fn cell<'a>(v: impl Into<Cell<'a>>, ty: ColumnType) -> Value {
    match (v.into(), ty) {
        (Cell::Null, _) => Value::Null,
        (Cell::Int(d), ColumnType::Day) => match time::format_day(d) {
            Some(s) => Value::Text(s),
            None => Value::Null,
        },
        (Cell::Int(id), ColumnType::Handle) => Value::Handle(id),
        (Cell::Int(i), _) => Value::Int(i),
        (Cell::Real(f), _) => Value::Real(f),
        (Cell::Text(t), _) => Value::Text(t.to_owned()),
        // Text is UTF-8 as the store writes it; anything else written into the file by
        // other tools is shown with replacement characters (SQLite's text that is not
        // UTF-8 comes as a blob; a real blob is shown as its size).
        (Cell::Blob(b), ColumnType::Text) if std::str::from_utf8(b).is_err() => {
            Value::Text(String::from_utf8_lossy(b).into_owned())
        }
        (Cell::Blob(b), _) => Value::Text(format!("<{} bytes>", b.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::{self, Options, Outcome};
    use crate::store::engines;

    /// The rows `query` gives on `store`, in a form to compare; sorted where the query
    /// leaves the order to the engine (as the corpus test does). With `graph`, the rows
    /// carry their relations' keys (sorted: a count lists them in no defined order), and
    /// the graph built from them follows the rows.
    fn rows_of(store: &Store, query: &str, graph: bool) -> Result<Vec<String>, String> {
        let opts = Options {
            graph,
            ..Options::default()
        };
        let outcome = statement::execute(store, query, &opts).map_err(|e| e.to_string())?;
        let Outcome::Rows(result) = outcome else {
            return Err("no rows".into());
        };
        let mut lines: Vec<String> = result
            .rows
            .iter()
            .map(|r| {
                let mut keys = r.relation_keys.clone();
                keys.sort_unstable();
                format!("{:?} {:?} {keys:?}", r.cells, r.time)
            })
            .collect();
        if graph {
            let g = store.graph(&result).map_err(|e| e.to_string())?;
            let mut edges: Vec<String> = g.edges.iter().map(|e| format!("{e:?}")).collect();
            let mut nodes: Vec<String> = g.nodes.iter().map(|n| format!("{n:?}")).collect();
            edges.sort();
            nodes.sort();
            lines.push(format!("{edges:?} {nodes:?}"));
        }
        if !["sort", "timeline", "count by", "limit"]
            .iter()
            .any(|w| query.to_lowercase().contains(w))
        {
            lines.sort_unstable();
        }
        lines.insert(0, format!("{:?}", result.columns));
        Ok(lines)
    }

    /// What the corpus leaves out: text search, lookups, paths, recorded time, the
    /// keys a count lists for a graph, `--limit`, and saved queries run.
    const MORE: &[(&str, &str)] = &[
        (
            "contains_phrase",
            r#"?a ?r ?b quote contains "بحر قزوين" | show ?a, ?r, ?b, place"#,
        ),
        (
            "contains_variant",
            r#"?a naval_exercise_with ?b quote contains "واذربيجان" | show id | distinct"#,
        ),
        (
            "contains_count",
            r#"?a ?r ?b quote contains "بحري" | count"#,
        ),
        ("note_contains", r#"?a ?r ?b note contains "two days""#),
        ("contains_latin", r#"?a ?r ?b quote contains "nakhchivan""#),
        ("describe", "describe Netanyahu"),
        ("describe_country", "describe Azerbaijan"),
        ("entities", "entities"),
        ("entities_kind", "entities kind country"),
        ("entities_like", "entities kind country like aliy"),
        ("entities_like_word", "entities like aliy kind person"),
        ("entities_like_all", "entities like \"a\""),
        ("predicates", "predicates"),
        ("sources", "sources"),
        ("saved", "saved"),
        ("path", "path Netanyahu to Pezeshkian"),
        ("path_any", "path Netanyahu to Pezeshkian status any"),
        ("path_via", "path Baku to Iran"),
        ("path_max", "path hajiyev to netanyahu max 4"),
        (
            "recorded_day",
            "Iran -- Azerbaijan | timeline as recorded on 2025-05-01",
        ),
        // After the history the test writes (see `with_history`): the versions.
        (
            "recorded_now",
            "?who visited Baku as recorded on 2999-01-01",
        ),
        (
            "recorded_all",
            "?a ?r ?b as recorded on 2999-01-01 | sort id",
        ),
        (
            "recorded_path",
            "path Netanyahu to Pezeshkian as recorded on 2999-01-01",
        ),
        // Before the test's writes: relations and names from their versions.
        (
            "recorded_before",
            "?a ?r ?b certainly as of 2024-01-01 as recorded at change 1",
        ),
        (
            "path_before",
            "path Baku to Pezeshkian as recorded at change 1",
        ),
        ("merged_name", "Pezeshkian ?r ?x | sort id"),
        (
            "confidence",
            "?a ?r ?b confidence >= 0.5 | show id, confidence | distinct",
        ),
        ("place", "?a ?r ?b place Tehran | show ?a, ?r, ?b, place"),
        (
            "source_status",
            "?x visited ?y source kan-report status any | show ?x, ?y",
        ),
        (
            "distinct_timeline",
            "?x ?r Azerbaijan | show ?x | distinct | timeline",
        ),
        (
            "label_sort",
            "?who visited ?where @v | sort @v.start | show ?who, ?where, @v.when",
        ),
        ("sort_when", "?a ?r ?b | show when | sort when"),
        ("sort_when_desc", "?a ?r ?b | show when | sort when desc"),
        (
            "count_by_when",
            "?a ?r ?b | count by when | sort when | show when",
        ),
        (
            "sort_predicates",
            "path Netanyahu to Pezeshkian | sort predicates desc | limit 1",
        ),
        ("kinds_both", "?x:person ?r ?y:person | show ?x, ?r, ?y"),
        (
            "sort_show_limit",
            "?a ?r ?b | sort a, r, b | show a, r, b, start | limit 3",
        ),
        ("retracted", "?who visited Baku status any"),
    ];

    /// The demo data and a few writes on SQLite (retractions, a correction, a merge):
    /// versions and merged entities for the recorded-time questions.
    fn with_history() -> Store {
        let mut store = engines::demo_sqlite();
        for write in [
            "correct #1 when 2025-04-27 because \"test\"",
            "retract #32 because \"test\"",
            "add entity pez2 person \"Pezeshkian the Second\" aka \"Masoud P.\"",
            "add pez2 visited Baku when 2025-06-01 source seed-article",
            "merge pez2 into pezeshkian because \"test\"",
        ] {
            let stmt = crate::lang::parse(write).unwrap();
            let prepared = statement::prepare(&store, &stmt, write, &Options::default())
                .unwrap_or_else(|e| panic!("{write}: {e}"));
            statement::apply(&mut store, &prepared, &Options::default())
                .unwrap_or_else(|e| panic!("{write}: {e}"));
        }
        store
    }

    #[test]
    fn more_statements_give_the_same_rows_on_both_engines() {
        let sqlite = with_history();
        let Some(pg) = engines::postgres_copy(&sqlite) else {
            return;
        };
        let mut failed = Vec::new();
        for (name, query) in MORE {
            compare(&sqlite, &pg, name, query, false, &mut failed);
        }
        for (name, query) in [
            ("graph_count", "?x visited _ | count by ?x"),
            ("graph_count_all", "?a ?r ?b | count"),
            ("graph_rows", "Iran -- Azerbaijan | sort start"),
        ] {
            compare(&sqlite, &pg, name, query, true, &mut failed);
        }
        assert!(failed.is_empty(), "{}", failed.join("\n"));
    }

    /// A `limit` after no `sort` takes the first rows in the plan's order, which the
    /// language leaves open: each engine gives as many rows, each one a row of the query
    /// without the limit (the engines' plans may pick different ones: docs/POSTGRES.md).
    #[test]
    fn an_unsorted_limit_gives_rows_of_the_query_on_both_engines() {
        let sqlite = with_history();
        let Some(pg) = engines::postgres_copy(&sqlite) else {
            return;
        };
        let all = rows_of(&sqlite, "?a ?r ?b | show a, r, b, start", false).unwrap();
        for store in [&sqlite, &pg] {
            let three = rows_of(store, "?a ?r ?b | show a, r, b, start | limit 3", false).unwrap();
            // The columns' line, then three rows.
            assert_eq!(three.len(), 4, "{three:?}");
            assert!(three.iter().all(|row| all.contains(row)), "{three:?}");
        }
    }

    #[test]
    fn stats_and_plans_on_both_engines() {
        let sqlite = engines::demo_sqlite();
        let Some(pg) = engines::postgres_copy(&sqlite) else {
            return;
        };
        assert_eq!(pg.stats().unwrap(), sqlite.stats().unwrap());
        // `.schema`: the tables, each with its indexes, then the views, from the catalog.
        let schema = pg.schema_text().unwrap();
        let at = |what: &str| {
            schema
                .find(what)
                .unwrap_or_else(|| panic!("no {what} in {schema}"))
        };
        assert!(at("CREATE TABLE relation (\n    key bigint NOT NULL") < at("relation_subject ON"));
        assert!(at("CREATE TABLE entity (") < at("CREATE TABLE relation ("));
        assert!(at("CREATE TABLE relation (") < at("CREATE VIEW relation_view AS"));
        assert!(schema.ends_with(";\n"), "{schema}");
        let stmt = crate::lang::parse("?who visited Baku").unwrap();
        let prepared =
            statement::prepare(&pg, &stmt, "?who visited Baku", &Options::default()).unwrap();
        let plan = pg.query_plan(prepared.sql.as_ref().unwrap()).unwrap();
        // PostgreSQL's plan: its steps and their details, nested.
        assert!(plan.iter().any(|s| s.depth > 0), "{plan:?}");
        assert!(
            plan.iter().any(|s| s.detail.contains("relation")),
            "{plan:?}"
        );
    }

    fn compare(
        sqlite: &Store,
        pg: &Store,
        name: &str,
        query: &str,
        graph: bool,
        failed: &mut Vec<String>,
    ) {
        let want = rows_of(sqlite, query, graph);
        let got = rows_of(pg, query, graph);
        if got == want {
            return;
        }
        // The first difference: the whole rows are long.
        let at = (0..want.as_ref().map_or(0, Vec::len)).find(|&i| {
            got.as_ref().ok().and_then(|g| g.get(i)) != want.as_ref().ok().and_then(|w| w.get(i))
        });
        let line = |r: &Result<Vec<String>, String>| match r {
            Ok(rows) => at
                .and_then(|i| rows.get(i))
                .cloned()
                .unwrap_or_else(|| format!("{} rows", rows.len())),
            Err(e) => e.clone(),
        };
        failed.push(format!(
            "{name}: {query}\n  sqlite: {}\n  pg:     {}",
            line(&want),
            line(&got)
        ));
    }

    #[test]
    fn the_corpus_gives_the_same_rows_on_both_engines() {
        let sqlite = engines::demo_sqlite();
        let Some(pg) = engines::postgres_copy(&sqlite) else {
            return;
        };
        let mut failed = Vec::new();
        for (name, query) in engines::corpus() {
            compare(&sqlite, &pg, &name, &query, false, &mut failed);
        }
        assert!(failed.is_empty(), "{}", failed.join("\n"));
    }
}
