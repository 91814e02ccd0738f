//! The SQL compiler: a [`Select`] plan becomes ONE SQLite statement whose every value is
//! a numbered parameter (`?1`, `?2`, …). No user text ever enters the SQL text: tables,
//! columns and aliases are the compiler's own, quoted in one place ([`ident`]).
//!
//! Shape of the statement: one SELECT per combination of the ways round its relation
//! clauses are read (symmetric predicates and `--` match both ways), joined with
//! UNION ALL so that each branch is a plain join SQLite can drive through its indexes;
//! then one wrapping SELECT per pipeline stage that reshapes rows.
//!
//! Here: the compiled statement, its parameters and the names of its aliases and
//! columns; `branch` builds one branch, with its output columns from `columns` and
//! its WHERE from `conditions`, reading each clause's relations from the table
//! `colocation` picks where Citus splits them; `stages` wraps it per pipeline stage;
//! `limits` refuses what SQLite could not run.

use crate::limits::{MAX_BRANCHES, MAX_JOIN_TABLES};
use crate::plan::{ColumnDef, ColumnType, RelationMatch, Select, Stage};
use std::fmt::Write as _;

mod bounds;
mod branch;
mod colocation;
mod columns;
mod conditions;
mod dialect;
mod limits;
mod projection;
mod recorded;
mod stages;
#[cfg(test)]
mod tests;

use branch::{branch, Hidden};
pub use colocation::COPY_BY_OBJECT;
pub use limits::sqlite_limit;
use limits::{check_join_width, orientation_combinations};
use projection::pure_projection;
pub use projection::Projection;
pub use recorded::{entities_at_change, relations_at_change};
use recorded::{source_combinations, Source};
use stages::{apply_stage, count_each_branch, finish, needed_columns, order_by_time, Level};

/// A compiled statement.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlQuery {
    pub text: String,
    /// Values of `?1`, `?2`, … in order.
    pub params: Vec<SqlParam>,
    /// The output columns, in the order of the statement's first result columns.
    pub columns: Vec<OutputColumn>,
    /// The statement's last four result columns are the bounds (start_lo, start_hi,
    /// end_lo, end_hi) of the first relation clause, for drawing a timeline.
    pub timeline: bool,
    /// After those, this many columns hold the keys of the relations each row matched
    /// (one per relation clause), for drawing the result as a graph. After a `count`,
    /// each holds the keys of the rows counted, as a comma-separated list.
    pub relation_keys: usize,
    /// A `show` done when rows are read: `columns` are the statement's columns it picks,
    /// and the hidden columns follow all of the statement's ([`projection`]).
    pub projection: Option<Projection>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutputColumn {
    pub name: String,
    pub ty: ColumnType,
}

/// A bound parameter value.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlParam {
    Int(i64),
    Text(String),
    Real(f64),
}

impl std::fmt::Display for SqlParam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SqlParam::Int(i) => write!(f, "{i}"),
            SqlParam::Real(x) => write!(f, "{x}"),
            SqlParam::Text(s) => write!(f, "{}", serde_json::Value::String(s.clone())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SqlError {
    /// More than [`MAX_BRANCHES`] combinations of ways round: `two_way` clauses can each
    /// be read both ways.
    #[error(
        "the query has more than {MAX_BRANCHES} ways round to match: {two_way} of its relation \
         clauses can each be read both ways (a symmetric predicate, `?r`, `*` or `--`), and \
         each doubles the combinations; keep at \
         most {} such clauses: name predicates that are not symmetric, or split the query",
        MAX_BRANCHES.ilog2()
    )]
    TooManyBranches { two_way: usize },
    /// More tables in one join than SQLite allows ([`MAX_JOIN_TABLES`]).
    #[error(
        "the query joins {tables} tables ({relations} relation clauses, {variables} variables \
         whose names, ids or kinds are needed), more than the {MAX_JOIN_TABLES} SQLite can \
         join in one query; use fewer clauses, or show fewer variables (`| show ?x, ?y`)"
    )]
    TooManyTables {
        tables: usize,
        relations: usize,
        variables: usize,
    },
    /// SQLite refused the compiled statement for one of its own limits: `what` the limit
    /// is, in the query's terms, and `advice` how to narrow the query; `sqlite` is
    /// SQLite's message.
    #[error("the query is too big for SQLite: {what} ({sqlite}); {advice}")]
    SqliteLimit {
        what: &'static str,
        advice: &'static str,
        sqlite: String,
    },
}

/// Quotes an identifier of ours (table, column, alias) for SQLite.
pub fn ident(name: impl std::fmt::Display) -> String {
    /// Writes what it is given with each `"` doubled.
    struct Doubling<'a>(&'a mut String);
    impl std::fmt::Write for Doubling<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            if !s.contains('"') {
                self.0.push_str(s);
                return Ok(());
            }
            for c in s.chars() {
                if c == '"' {
                    self.0.push('"');
                }
                self.0.push(c);
            }
            Ok(())
        }
    }
    let mut quoted = String::with_capacity(16);
    quoted.push('"');
    let _ = write!(Doubling(&mut quoted), "{name}");
    quoted.push('"');
    quoted
}

/// What to compile besides the plan itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CompileOptions {
    /// A final `LIMIT` (the CLI's `--limit`).
    pub limit: Option<u64>,
    /// Also give the keys of the matched relations (for graph output).
    pub relation_keys: bool,
    /// The engine the statement is for.
    pub dialect: Dialect,
    /// The store has a copy of its relations split by object (a store prepared for
    /// Citus, docs/SCALE.md): clauses read it where it keeps a branch on the shards of
    /// one entity ([`colocation`]).
    pub copy_by_object: bool,
}

/// The SQL dialect a statement is written in: SQLite's, or PostgreSQL's where the two
/// differ (see `dialect`). The store's connection says which it speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Dialect {
    #[default]
    Sqlite,
    Postgres,
}

/// Compiles a planned query. A `show` that only narrows the columns (every stage a
/// `show` or `limit`) is left to the reader ([`projection`]), so that the rows come in
/// the unnarrowed query's order.
pub fn compile(select: &Select, opts: CompileOptions) -> Result<SqlQuery, SqlError> {
    let mut stages: Vec<Stage> = select.stages.clone();
    if let Some(n) = opts.limit {
        stages.push(Stage::Limit(n));
    }
    if let Some((projection, kept, output)) = pure_projection(&select.columns, &stages) {
        match compile_stages(select, &kept, opts) {
            Ok(mut q) => {
                q.columns = output_columns(&output);
                q.projection = Some(projection);
                return Ok(q);
            }
            // Every column would join more tables than SQLite can: narrowed in SQL, as
            // the error's advice to `show` fewer variables expects; the rows may then
            // come in another order than the unnarrowed query's.
            Err(SqlError::TooManyTables { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    compile_stages(select, &stages, opts)
}

/// Compiles `select` with `stages` in SQL; with `relation_keys`, the statement gives the
/// keys of the relations matched.
fn compile_stages(
    select: &Select,
    stages: &[Stage],
    opts: CompileOptions,
) -> Result<SqlQuery, SqlError> {
    let relation_keys = opts.relation_keys;
    let mut params = Params {
        values: Vec::new(),
        dialect: opts.dialect,
    };
    let relations: Vec<&RelationMatch> = select
        .clauses
        .iter()
        .filter_map(|c| match c {
            crate::plan::Clause::Relation(m) => Some(m),
            _ => None,
        })
        .collect();
    let needed = needed_columns(select.columns.len(), stages);
    // The limits of the statement, before any SQL is built.
    let combos = orientation_combinations(&relations)?;
    check_join_width(select, &relations, &combos[0], &needed)?;
    let timeline = select.timeline && !relations.is_empty();
    let keys = if relation_keys { relations.len() } else { 0 };
    let hidden = if timeline { 4 } else { 0 } + keys;
    let bounds = bounds::sorted_when_columns(&select.columns, stages);
    let level0 = "s0";
    let sources = source_combinations(select.recorded, relations.len(), combos.len());
    let each_source: Vec<Option<&[Source]>> = match &sources {
        Some(all) => all.iter().map(|s| Some(s.as_slice())).collect(),
        None => vec![None],
    };
    // Several branches are read through a co-routine that copies every column of their
    // union for each row: the columns no stage uses are given once, as NULL, by the
    // SELECT around the union instead (a count of many rows copied a dozen NULLs a row).
    let several = combos.len() * each_source.len() > 1;
    let mut branches = Vec::with_capacity(combos.len() * each_source.len());
    for combo in &combos {
        for &source in &each_source {
            branches.push(branch(
                select,
                &relations,
                combo,
                source,
                &mut params,
                level0,
                Hidden {
                    timeline,
                    keys,
                    bounds: &bounds,
                },
                &needed,
                several,
                opts.copy_by_object,
            ));
        }
    }
    let ncols = select.columns.len();
    let mut stages = stages;
    let mut level_no = 1;
    // A count first over several branches (and no hidden columns to carry): counted in
    // each branch.
    let carries = hidden > 0 || !bounds.is_empty();
    if let (true, Some(Stage::Count(by))) = (branches.len() > 1 && !carries, stages.first()) {
        let counted = count_each_branch(
            &branches,
            level0,
            &select.columns,
            by,
            &mut level_no,
            params.dialect,
        );
        stages = &stages[1..];
        return Ok(finish_query(counted, stages, &mut params, &mut level_no));
    }
    let current = Level {
        name: level0.to_string(),
        columns: select.columns.clone(),
        hidden,
        times: timeline,
        text: if branches.len() == 1 {
            branches.remove(0)
        } else {
            let cols = select_list(
                (0..ncols)
                    .map(|i| {
                        if needed.get(i).copied().unwrap_or(true) {
                            col(level0, i)
                        } else {
                            format!("NULL AS {}", col(level0, i))
                        }
                    })
                    .chain((0..hidden).map(|i| hidden_col(level0, i)))
                    .chain(
                        bounds
                            .iter()
                            .flat_map(|&i| [false, true].map(|e| bounds::bound_col(level0, i, e))),
                    )
                    .collect(),
            );
            format!("SELECT {cols} FROM ({})", branches.join("\nUNION ALL\n"))
        },
        order: Vec::new(),
        sealed: false,
        bounds,
        dialect: params.dialect,
    };
    Ok(finish_query(current, stages, &mut params, &mut level_no))
}

/// Applies the remaining `stages` to `current` and gives the statement.
fn finish_query(
    mut current: Level,
    stages: &[Stage],
    params: &mut Params,
    level_no: &mut usize,
) -> SqlQuery {
    for stage in stages {
        current = apply_stage(current, stage, params, level_no);
    }
    // A count drops the time bounds with the rows they belonged to, and keeps their
    // relation keys as lists.
    if current.times {
        current = order_by_time(current, level_no);
    }
    let key_columns = current.hidden - if current.times { 4 } else { 0 };
    let text = finish(&current);
    SqlQuery {
        text: match params.dialect {
            Dialect::Sqlite => text,
            Dialect::Postgres => dialect::name_subqueries(&text),
        },
        params: std::mem::take(&mut params.values),
        columns: output_columns(&current.columns),
        timeline: current.times,
        relation_keys: key_columns,
        projection: None,
    }
}

fn output_columns(columns: &[ColumnDef]) -> Vec<OutputColumn> {
    columns
        .iter()
        .map(|c| OutputColumn {
            name: c.name.clone(),
            ty: c.ty,
        })
        .collect()
}

/// The statement's parameters as it is built, and the dialect it is written in (every
/// part of the compiler that writes SQL holds this).
#[derive(Default)]
struct Params {
    values: Vec<SqlParam>,
    dialect: Dialect,
}

impl Params {
    fn int(&mut self, v: i64) -> String {
        self.values.push(SqlParam::Int(v));
        format!("?{}", self.values.len())
    }
    fn real(&mut self, v: f64) -> String {
        self.values.push(SqlParam::Real(v));
        format!("?{}", self.values.len())
    }
    fn text(&mut self, v: &str) -> String {
        self.values.push(SqlParam::Text(v.to_string()));
        format!("?{}", self.values.len())
    }
    fn int_list(&mut self, vs: &[i64]) -> String {
        vs.iter()
            .map(|v| self.int(*v))
            .collect::<Vec<_>>()
            .join(", ")
    }
    fn text_list(&mut self, vs: &[&str]) -> String {
        vs.iter()
            .map(|v| self.text(v))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub(super) fn col(level: &str, i: usize) -> String {
    ident(format_args!("{level}c{i}"))
}

pub(super) fn hidden_col(level: &str, i: usize) -> String {
    ident(format_args!("{level}t{i}"))
}

/// The expressions of a SELECT, or `1` when there are none (a query with no output
/// columns, such as `Iran -- Azerbaijan, Iran -- Baku | count`, still has rows).
pub(super) fn select_list(exprs: Vec<String>) -> String {
    if exprs.is_empty() {
        "1".to_string()
    } else {
        exprs.join(", ")
    }
}

pub(super) fn rel_alias(i: usize) -> String {
    ident(format_args!("r{i}"))
}
pub(super) fn entity_alias(v: usize) -> String {
    ident(format_args!("e{v}"))
}
pub(super) fn pred_alias(j: usize) -> String {
    ident(format_args!("p{j}"))
}
