//! The SQL compiler: a [`Select`] plan becomes ONE SQLite statement whose every value is
//! a numbered parameter (`?1`, `?2`, …). No user text ever enters the SQL text: tables,
//! columns and aliases are the compiler's own, quoted in one place ([`ident`]).
//!
//! Shape of the statement: one SELECT per combination of the ways round its relation
//! clauses are read (symmetric predicates and `--` match both ways), joined with
//! UNION ALL so that each branch is a plain join SQLite can drive through its indexes;
//! then one wrapping SELECT per pipeline stage that reshapes rows.

use crate::limits::{MAX_BRANCHES, MAX_JOIN_TABLES};
use crate::plan::{
    after_stage, Bound, ColumnDef, ColumnSource, ColumnType, Filter, FilterTest, Node, Orientation,
    PredMatch, RelField, RelationMatch, Select, Stage,
};
use std::fmt::Write as _;

mod limits;
pub use limits::sqlite_limit;
use limits::{check_join_width, orientation_combinations};

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
}

impl std::fmt::Display for SqlParam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SqlParam::Int(i) => write!(f, "{i}"),
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
         clauses can each be read both ways (a symmetric predicate, or `--`, `?r` or `*` next \
         to a named entity or a shared variable), and each doubles the combinations; keep at \
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
}

/// Compiles a planned query.
pub fn compile(select: &Select, opts: CompileOptions) -> Result<SqlQuery, SqlError> {
    let mut params = Params::default();
    let relations: Vec<&RelationMatch> = select
        .clauses
        .iter()
        .filter_map(|c| match c {
            crate::plan::Clause::Relation(m) => Some(m),
            _ => None,
        })
        .collect();
    let mut stages: Vec<Stage> = select.stages.clone();
    if let Some(n) = opts.limit {
        stages.push(Stage::Limit(n));
    }
    let needed = needed_columns(select.columns.len(), &stages);
    // The limits of the statement, before any SQL is built.
    let combos = orientation_combinations(&relations)?;
    check_join_width(select, &relations, &combos[0], &needed)?;
    let timeline = select.timeline && !relations.is_empty();
    let keys = if opts.relation_keys {
        relations.len()
    } else {
        0
    };
    let hidden = if timeline { 4 } else { 0 } + keys;
    let level0 = "s0";
    let mut branches = Vec::with_capacity(combos.len());
    for combo in &combos {
        branches.push(branch(
            select,
            &relations,
            combo,
            &mut params,
            level0,
            Hidden { timeline, keys },
            &needed,
        ));
    }
    let ncols = select.columns.len();
    let mut current = Level {
        name: level0.to_string(),
        columns: select.columns.clone(),
        hidden,
        times: timeline,
        text: if branches.len() == 1 {
            branches.remove(0)
        } else {
            let cols = column_list(level0, ncols, hidden);
            format!("SELECT {cols} FROM ({})", branches.join("\nUNION ALL\n"))
        },
        order: Vec::new(),
        sealed: false,
    };
    let mut level_no = 1;
    for stage in &stages {
        current = apply_stage(current, stage, &mut params, &mut level_no);
    }
    // A count drops the time bounds with the rows they belonged to, and keeps their
    // relation keys as lists.
    if current.times {
        current = order_by_time(current, &mut level_no);
    }
    let key_columns = current.hidden - if current.times { 4 } else { 0 };
    let columns = current
        .columns
        .iter()
        .map(|c| OutputColumn {
            name: c.name.clone(),
            ty: c.ty,
        })
        .collect();
    Ok(SqlQuery {
        text: finish(&current),
        params: params.0,
        columns,
        timeline: current.times,
        relation_keys: key_columns,
    })
}

#[derive(Default)]
struct Params(Vec<SqlParam>);

impl Params {
    fn int(&mut self, v: i64) -> String {
        self.0.push(SqlParam::Int(v));
        format!("?{}", self.0.len())
    }
    fn text(&mut self, v: &str) -> String {
        self.0.push(SqlParam::Text(v.to_string()));
        format!("?{}", self.0.len())
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

/// A SELECT whose columns are named `{name}c0…` (and `{name}t0…t3` for the hidden
/// timeline bounds), with the ORDER BY still to apply to it.
struct Level {
    name: String,
    columns: Vec<ColumnDef>,
    hidden: usize,
    /// The first four hidden columns are a timeline's bounds.
    times: bool,
    text: String,
    /// Pending sort keys (descending if true), applied by [`finish`].
    order: Vec<(Key, bool)>,
    /// The text already ends with its ORDER BY and LIMIT: a further stage wraps it.
    sealed: bool,
}

/// A sort key of a level.
#[derive(Debug, Clone, Copy)]
enum Key {
    Col(usize),
    Hidden(usize),
    HiddenIsNull(usize),
}

fn col(level: &str, i: usize) -> String {
    ident(format_args!("{level}c{i}"))
}

fn hidden_col(level: &str, i: usize) -> String {
    ident(format_args!("{level}t{i}"))
}

fn column_list(level: &str, n: usize, hidden: usize) -> String {
    select_list(
        (0..n)
            .map(|i| col(level, i))
            .chain((0..hidden).map(|i| hidden_col(level, i)))
            .collect(),
    )
}

/// The expressions of a SELECT, or `1` when there are none (a query with no output
/// columns, such as `Iran -- Azerbaijan, Iran -- Baku | count`, still has rows).
fn select_list(exprs: Vec<String>) -> String {
    if exprs.is_empty() {
        "1".to_string()
    } else {
        exprs.join(", ")
    }
}

fn rel_alias(i: usize) -> String {
    ident(format_args!("r{i}"))
}
fn entity_alias(v: usize) -> String {
    ident(format_args!("e{v}"))
}
fn pred_alias(j: usize) -> String {
    ident(format_args!("p{j}"))
}

/// One branch: the clauses as a join with each relation clause read one way round.
/// The hidden columns a branch gives after the output columns.
#[derive(Debug, Clone, Copy)]
struct Hidden {
    /// The four bounds of the first relation clause.
    timeline: bool,
    /// The keys of the first `keys` relation clauses.
    keys: usize,
}

fn branch(
    select: &Select,
    relations: &[&RelationMatch],
    orientation: &[Orientation],
    params: &mut Params,
    level: &str,
    hidden: Hidden,
    needed: &[bool],
) -> String {
    let keys = Keys::new(select, relations, orientation, needed);
    let mut from: Vec<String> = Vec::new();
    let mut conds: Vec<String> = Vec::new();
    for (i, m) in relations.iter().enumerate() {
        from.push(format!("{} AS {}", ident("relation"), rel_alias(i)));
        relation_conditions(&rel_alias(i), m, orientation[i], params, &keys, &mut conds);
    }
    for (v, var) in select.entity_vars.iter().enumerate() {
        if !keys.entity_joined[v] {
            continue;
        }
        from.push(format!("{} AS {}", ident("entity"), entity_alias(v)));
        if let Some(first) = &keys.entity_binding[v] {
            conds.push(format!("{first} = {}.{}", entity_alias(v), ident("key")));
        }
        for k in &var.kinds {
            conds.push(format!(
                "{}.{} = {}",
                entity_alias(v),
                ident("kind"),
                params.text(k)
            ));
        }
    }
    for j in 0..select.pred_vars.len() {
        if !keys.pred_joined[j] {
            continue;
        }
        from.push(format!("{} AS {}", ident("predicate"), pred_alias(j)));
        if let Some(first) = &keys.pred_binding[j] {
            conds.push(format!("{first} = {}.{}", pred_alias(j), ident("key")));
        }
    }
    let mut not_counter = 0usize;
    for c in &select.clauses {
        match c {
            crate::plan::Clause::Relation(_) => {}
            crate::plan::Clause::Kind { var, kind } => conds.push(format!(
                "{}.{} = {}",
                entity_alias(*var),
                ident("kind"),
                params.text(kind)
            )),
            crate::plan::Clause::Not(inner) => {
                let cond = condition(inner, params, &keys, &mut not_counter);
                conds.push(format!("NOT ({cond})"));
            }
        }
    }
    let mut cols: Vec<String> = Vec::new();
    for (i, c) in select.columns.iter().enumerate() {
        let expr = if !needed.get(i).copied().unwrap_or(true) {
            // Not used by any stage: not computed.
            "NULL".to_string()
        } else {
            match c.source {
                ColumnSource::EntityName(v) => format!("{}.{}", entity_alias(v), ident("name")),
                ColumnSource::EntityId(v) => format!("{}.{}", entity_alias(v), ident("id")),
                ColumnSource::Predicate(j) => format!("{}.{}", pred_alias(j), ident("id")),
                ColumnSource::Relation(f) => match relations.first() {
                    Some(m) => relation_column(m, orientation[0], f, &keys, params),
                    None => "NULL".to_string(),
                },
                ColumnSource::Count | ColumnSource::Previous(_) => "NULL".to_string(),
            }
        };
        cols.push(format!("{expr} AS {}", col(level, i)));
    }
    let mut h = 0;
    if hidden.timeline {
        let r = rel_alias(0);
        for b in ["start_lo", "start_hi", "end_lo", "end_hi"] {
            cols.push(format!("{r}.{} AS {}", ident(b), hidden_col(level, h)));
            h += 1;
        }
    }
    for i in 0..hidden.keys {
        cols.push(format!(
            "{}.{} AS {}",
            rel_alias(i),
            ident("key"),
            hidden_col(level, h)
        ));
        h += 1;
    }
    let mut sql = String::new();
    let _ = write!(
        sql,
        "SELECT {}",
        if cols.is_empty() {
            "1".into()
        } else {
            cols.join(", ")
        }
    );
    if !from.is_empty() {
        let _ = write!(sql, "\nFROM {}", from.join(", "));
    }
    if !conds.is_empty() {
        let _ = write!(sql, "\nWHERE {}", conds.join("\n  AND "));
    }
    sql
}

/// The time as written of relation `r0` (a one-clause query's `when` column, see
/// [`crate::model::time_as_written_sql`]). The same text for every query, so it is built
/// once.
static WHEN_OF_R0: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| crate::model::time_as_written_sql(&rel_alias(0)));

/// A field of the query's one relation clause `m` (alias `r0`), read `orientation` way
/// round. A name the branch has joined for a variable is read from that join; the name
/// of a known entity or predicate is looked up once per statement (an uncorrelated
/// subquery, which SQLite evaluates once); any other name is looked up per row.
fn relation_column(
    m: &RelationMatch,
    orientation: Orientation,
    f: RelField,
    keys: &Keys,
    params: &mut Params,
) -> String {
    let r = rel_alias(0);
    let (subject, object) = match orientation {
        Orientation::Forward => (m.left, m.right),
        Orientation::Reverse => (m.right, m.left),
    };
    let lookup = |table: &str, col_out: &str, key: String| {
        format!(
            "(SELECT {} FROM {} WHERE {} = {key})",
            ident(col_out),
            ident(table),
            ident("key"),
        )
    };
    let per_row = |col_in: &str| format!("{r}.{}", ident(col_in));
    let entity_name = |node: Node, col_in: &str, params: &mut Params| match node {
        Node::Var(v) if keys.entity_joined[v] => {
            format!("{}.{}", entity_alias(v), ident("name"))
        }
        Node::Entity(key) => lookup("entity", "name", params.int(key)),
        _ => lookup("entity", "name", per_row(col_in)),
    };
    match f {
        RelField::Subject => entity_name(subject, "subject", params),
        RelField::Object => entity_name(object, "object", params),
        RelField::Predicate => match &m.predicate {
            PredMatch::Var(j) if keys.pred_joined[*j] => {
                format!("{}.{}", pred_alias(*j), ident("id"))
            }
            PredMatch::Keys { keys, .. } if keys.len() == 1 => {
                lookup("predicate", "id", params.int(keys[0]))
            }
            _ => lookup("predicate", "id", per_row("predicate")),
        },
        RelField::Source => lookup("source", "id", per_row("source")),
        RelField::When => WHEN_OF_R0.clone(),
        RelField::Start => per_row("start_lo"),
        RelField::End => per_row("end_hi"),
        RelField::Status => per_row("status"),
        RelField::Quote => format!("{r}.{}", ident("quote")),
    }
}

fn node_condition(
    column: &str,
    node: Node,
    params: &mut Params,
    keys: &Keys,
    out: &mut Vec<String>,
) {
    match node {
        Node::Entity(key) => out.push(format!("{column} = {}", params.int(key))),
        Node::Var(v) => {
            let key = keys.entity(v);
            if key != column {
                out.push(format!("{column} = {key}"));
            }
        }
        Node::Any => {}
    }
}

/// How a branch refers to the key of each variable: the entity (or predicate) table
/// joined for it where its name, id or kind is needed, else the relation column that
/// first binds it, so that a query that only counts never touches those tables.
struct Keys {
    entity_joined: Vec<bool>,
    /// The column of the first relation clause that binds each entity variable.
    entity_binding: Vec<Option<String>>,
    pred_joined: Vec<bool>,
    pred_binding: Vec<Option<String>>,
}

impl Keys {
    fn new(
        select: &Select,
        relations: &[&RelationMatch],
        orientation: &[Orientation],
        needed: &[bool],
    ) -> Keys {
        let nv = select.entity_vars.len();
        let np = select.pred_vars.len();
        let mut entity_binding: Vec<Option<String>> = vec![None; nv];
        let mut pred_binding: Vec<Option<String>> = vec![None; np];
        for (i, m) in relations.iter().enumerate() {
            let (lcol, rcol) = match orientation[i] {
                Orientation::Forward => ("subject", "object"),
                Orientation::Reverse => ("object", "subject"),
            };
            for (node, c) in [(m.left, lcol), (m.right, rcol)] {
                if let Node::Var(v) = node {
                    if entity_binding[v].is_none() {
                        entity_binding[v] = Some(format!("{}.{}", rel_alias(i), ident(c)));
                    }
                }
            }
            if let PredMatch::Var(j) = m.predicate {
                if pred_binding[j].is_none() {
                    pred_binding[j] = Some(format!("{}.{}", rel_alias(i), ident("predicate")));
                }
            }
        }
        let mut entity_joined: Vec<bool> = (0..nv)
            .map(|v| entity_binding[v].is_none() || !select.entity_vars[v].kinds.is_empty())
            .collect();
        let mut pred_joined: Vec<bool> = (0..np).map(|j| pred_binding[j].is_none()).collect();
        for (i, c) in select.columns.iter().enumerate() {
            if !needed.get(i).copied().unwrap_or(true) {
                continue;
            }
            match c.source {
                ColumnSource::EntityName(v) | ColumnSource::EntityId(v) => entity_joined[v] = true,
                ColumnSource::Predicate(j) => pred_joined[j] = true,
                _ => {}
            }
        }
        fn kinds_in(c: &crate::plan::Clause, joined: &mut [bool]) {
            match c {
                crate::plan::Clause::Kind { var, .. } => joined[*var] = true,
                crate::plan::Clause::Not(inner) => kinds_in(inner, joined),
                crate::plan::Clause::Relation(_) => {}
            }
        }
        for c in &select.clauses {
            kinds_in(c, &mut entity_joined);
        }
        // A joined table is bound by the first relation column; others use that column.
        Keys {
            entity_joined,
            entity_binding,
            pred_joined,
            pred_binding,
        }
    }

    /// The expression for entity variable `v`'s key.
    fn entity(&self, v: usize) -> String {
        match (&self.entity_binding[v], self.entity_joined[v]) {
            (Some(b), _) => b.clone(),
            (None, _) => format!("{}.{}", entity_alias(v), ident("key")),
        }
    }

    /// The expression for predicate variable `j`'s key.
    fn predicate(&self, j: usize) -> String {
        match &self.pred_binding[j] {
            Some(b) => b.clone(),
            None => format!("{}.{}", pred_alias(j), ident("key")),
        }
    }
}

fn symmetric_keys() -> String {
    format!(
        "(SELECT {} FROM {} WHERE {} = 1)",
        ident("key"),
        ident("predicate"),
        ident("symmetric")
    )
}

/// The conditions on relation alias `r` for clause `m` read one way round.
fn relation_conditions(
    r: &str,
    m: &RelationMatch,
    o: Orientation,
    params: &mut Params,
    keys: &Keys,
    out: &mut Vec<String>,
) {
    let (lcol, rcol) = match o {
        Orientation::Forward => ("subject", "object"),
        Orientation::Reverse => ("object", "subject"),
    };
    node_condition(&format!("{r}.{}", ident(lcol)), m.left, params, keys, out);
    node_condition(&format!("{r}.{}", ident(rcol)), m.right, params, keys, out);
    let pcol = format!("{r}.{}", ident("predicate"));
    let reverse = o == Orientation::Reverse;
    if !m.either {
        match &m.predicate {
            PredMatch::Keys { keys, symmetric } => {
                let list = if reverse { symmetric } else { keys };
                out.push(in_ints(&pcol, list, params));
            }
            PredMatch::Var(j) => {
                let key = keys.predicate(*j);
                if key != pcol {
                    out.push(format!("{pcol} = {key}"));
                }
                if reverse {
                    out.push(format!("{pcol} IN {}", symmetric_keys()));
                }
            }
            PredMatch::Any => {
                if reverse {
                    out.push(format!("{pcol} IN {}", symmetric_keys()));
                }
            }
        }
    }
    if reverse {
        // A relation of an entity with itself reads the same both ways: list it once.
        out.push(format!(
            "{r}.{} <> {r}.{}",
            ident("subject"),
            ident("object")
        ));
    }
    if let Some(statuses) = &m.statuses {
        let words: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
        let list = params.text_list(&words);
        if statuses.len() == 1 {
            out.push(format!("{r}.{} = {list}", ident("status")));
        } else {
            out.push(format!("{r}.{} IN ({list})", ident("status")));
        }
    }
    for f in &m.filters {
        out.push(filter_condition(r, f, params));
    }
}

fn in_ints(column: &str, keys: &[i64], params: &mut Params) -> String {
    if keys.len() == 1 {
        format!("{column} = {}", params.int(keys[0]))
    } else {
        format!("{column} IN ({})", params.int_list(keys))
    }
}

/// LANGUAGE.md's table of time filters, as SQL. Unknown bounds are stored as the
/// smallest/largest integers and a relation with no time has NULL bounds, which makes
/// every comparison false: such a relation matches no time filter, and a filter
/// comparing with a labelled relation that has no time is false.
fn filter_condition(r: &str, f: &Filter, params: &mut Params) -> String {
    let b = |name: &str| format!("{r}.{}", ident(name));
    match f.test {
        FilterTest::Overlaps | FilterTest::AsOf => format!(
            "{} <= {} AND {} >= {}",
            b("start_lo"),
            bound(f.hi, params),
            b("end_hi"),
            bound(f.lo, params)
        ),
        FilterTest::Within => format!(
            "{} >= {} AND {} <= {}",
            b("start_lo"),
            bound(f.lo, params),
            b("end_hi"),
            bound(f.hi, params)
        ),
        FilterTest::CertainlyAsOf => format!(
            "{} <= {} AND {} >= {}",
            b("start_hi"),
            bound(f.lo, params),
            b("end_lo"),
            bound(f.hi, params)
        ),
        FilterTest::Before => format!("{} < {}", b("start_lo"), bound(f.lo, params)),
        FilterTest::CertainlyBefore => format!("{} < {}", b("end_hi"), bound(f.lo, params)),
        FilterTest::After => format!("{} > {}", b("end_hi"), bound(f.hi, params)),
        FilterTest::CertainlyAfter => format!("{} > {}", b("start_lo"), bound(f.hi, params)),
    }
}

/// A period's end in SQL: a day as a parameter, or a bound column of a labelled
/// relation clause, through that clause's alias (the same in every branch).
fn bound(b: Bound, params: &mut Params) -> String {
    match b {
        Bound::Day(day) => params.int(day),
        Bound::StartOf(n) => format!("{}.{}", rel_alias(n), ident("start_lo")),
        Bound::EndOf(n) => format!("{}.{}", rel_alias(n), ident("end_hi")),
    }
}

/// A clause inside `not`, as a boolean SQL expression over the outer query's aliases.
fn condition(
    c: &crate::plan::Clause,
    params: &mut Params,
    keys: &Keys,
    counter: &mut usize,
) -> String {
    match c {
        crate::plan::Clause::Kind { var, kind } => format!(
            "{}.{} = {}",
            entity_alias(*var),
            ident("kind"),
            params.text(kind)
        ),
        crate::plan::Clause::Not(inner) => {
            format!("NOT ({})", condition(inner, params, keys, counter))
        }
        crate::plan::Clause::Relation(m) => {
            let mut parts = Vec::new();
            for o in m.orientations() {
                *counter += 1;
                let alias = ident(format_args!("n{counter}"));
                let mut conds = Vec::new();
                relation_conditions(&alias, m, o, params, keys, &mut conds);
                let mut sub = format!("EXISTS (SELECT 1 FROM {} AS {alias}", ident("relation"));
                if !conds.is_empty() {
                    let _ = write!(sub, " WHERE {}", conds.join(" AND "));
                }
                sub.push(')');
                parts.push(sub);
            }
            parts.join(" OR ")
        }
    }
}

/// Applies one pipeline stage, wrapping the current SELECT where the stage reshapes rows.
fn apply_stage(cur: Level, stage: &Stage, params: &mut Params, level_no: &mut usize) -> Level {
    let new_columns = after_stage(&cur.columns, stage);
    match stage {
        Stage::Sort(keys) => {
            let mut cur = if cur.sealed { wrap(cur, level_no) } else { cur };
            cur.order = keys.iter().map(|(i, d)| (Key::Col(*i), *d)).collect();
            // Rows equal in the keys asked for follow in the order of their columns, so
            // that a sort gives the same rows in the same order whatever plan SQLite
            // picks.
            for j in 0..cur.columns.len() {
                if !keys.iter().any(|(i, _)| *i == j) {
                    cur.order.push((Key::Col(j), false));
                }
            }
            cur
        }
        Stage::Limit(n) => {
            let mut cur = if cur.sealed { wrap(cur, level_no) } else { cur };
            cur.text = format!("{}\nLIMIT {}", finish(&cur), params.int(*n as i64));
            cur.sealed = true;
            cur
        }
        Stage::Distinct if cur.times => distinct_with_times(cur, level_no),
        Stage::Distinct => {
            let mut next = wrap(cur, level_no);
            next.text = next.text.replacen("SELECT ", "SELECT DISTINCT ", 1);
            next
        }
        Stage::Show(idx) => {
            let name = next_level(level_no);
            let mut cols: Vec<String> = idx
                .iter()
                .enumerate()
                .map(|(j, i)| format!("{} AS {}", col(&cur.name, *i), col(&name, j)))
                .collect();
            for h in 0..cur.hidden {
                cols.push(format!(
                    "{} AS {}",
                    hidden_col(&cur.name, h),
                    hidden_col(&name, h)
                ));
            }
            // Keys on columns that are kept stay pending; the inner SELECT is sorted
            // by all of them, so rows keep their order either way.
            let order = cur
                .order
                .iter()
                .filter_map(|(k, d)| match k {
                    Key::Col(i) => idx.iter().position(|x| x == i).map(|j| (Key::Col(j), *d)),
                    other => Some((*other, *d)),
                })
                .collect();
            Level {
                text: format!("SELECT {} FROM ({})", cols.join(", "), finish(&cur)),
                name,
                columns: new_columns,
                hidden: cur.hidden,
                times: cur.times,
                order,
                sealed: false,
            }
        }
        Stage::Count(by) => {
            let name = next_level(level_no);
            let mut cols: Vec<String> = by
                .iter()
                .enumerate()
                .map(|(j, i)| format!("{} AS {}", col(&cur.name, *i), col(&name, j)))
                .collect();
            cols.push(format!("count(*) AS {}", col(&name, by.len())));
            // The relation keys (graph output) of the rows each counted row stands for.
            let first_key = if cur.times { 4 } else { 0 };
            for (j, h) in (first_key..cur.hidden).enumerate() {
                cols.push(format!(
                    "group_concat({}) AS {}",
                    hidden_col(&cur.name, h),
                    hidden_col(&name, j)
                ));
            }
            let mut text = format!("SELECT {} FROM ({})", cols.join(", "), cur.text);
            let mut order = Vec::new();
            if !by.is_empty() {
                let groups: Vec<String> = by.iter().map(|i| col(&cur.name, *i)).collect();
                let _ = write!(text, " GROUP BY {}", groups.join(", "));
                // Biggest groups first, then by the grouping columns.
                order.push((Key::Col(by.len()), true));
                order.extend((0..by.len()).map(|j| (Key::Col(j), false)));
            }
            Level {
                text,
                name,
                columns: new_columns,
                hidden: cur.hidden - first_key,
                times: false,
                order,
                sealed: false,
            }
        }
    }
}

/// Which of the clauses' columns the stages use: the others are not computed.
fn needed_columns(n: usize, stages: &[Stage]) -> Vec<bool> {
    // Column counts before each stage.
    let mut widths = vec![n];
    for st in stages {
        let w = *widths.last().unwrap_or(&n);
        widths.push(match st {
            Stage::Show(idx) => idx.len(),
            Stage::Count(by) => by.len() + 1,
            Stage::Sort(_) | Stage::Limit(_) | Stage::Distinct => w,
        });
    }
    let mut needed = vec![true; *widths.last().unwrap_or(&n)];
    for (k, st) in stages.iter().enumerate().rev() {
        let before = widths[k];
        let mut need = vec![false; before];
        match st {
            Stage::Show(idx) => {
                for (j, &i) in idx.iter().enumerate() {
                    if needed.get(j).copied().unwrap_or(false) && i < before {
                        need[i] = true;
                    }
                }
            }
            Stage::Count(by) => {
                for (j, &i) in by.iter().enumerate() {
                    if needed.get(j).copied().unwrap_or(false) && i < before {
                        need[i] = true;
                    }
                }
            }
            Stage::Sort(keys) => {
                need[..before.min(needed.len())]
                    .copy_from_slice(&needed[..before.min(needed.len())]);
                for (i, _) in keys {
                    if *i < before {
                        need[*i] = true;
                    }
                }
            }
            Stage::Limit(_) => {
                need[..before.min(needed.len())]
                    .copy_from_slice(&needed[..before.min(needed.len())]);
            }
            Stage::Distinct => need = vec![true; before],
        }
        needed = need;
    }
    needed
}

fn next_level(level_no: &mut usize) -> String {
    let name = format!("s{level_no}");
    *level_no += 1;
    name
}

fn key_sql(level: &str, key: Key) -> String {
    match key {
        Key::Col(i) => col(level, i),
        Key::Hidden(i) => hidden_col(level, i),
        Key::HiddenIsNull(i) => format!("{} IS NULL", hidden_col(level, i)),
    }
}

/// The SELECT's text with its pending ORDER BY applied.
fn finish(cur: &Level) -> String {
    if cur.sealed || cur.order.is_empty() {
        return cur.text.clone();
    }
    let keys: Vec<String> = cur
        .order
        .iter()
        .map(|(k, d)| {
            format!(
                "{}{}",
                key_sql(&cur.name, *k),
                if *d { " DESC" } else { "" }
            )
        })
        .collect();
    format!("{}\nORDER BY {}", cur.text, keys.join(", "))
}

/// Wraps the current SELECT in a new level that passes every column through and keeps
/// the order of the rows.
fn wrap(cur: Level, level_no: &mut usize) -> Level {
    let name = next_level(level_no);
    let cols = select_list(
        (0..cur.columns.len())
            .map(|i| format!("{} AS {}", col(&cur.name, i), col(&name, i)))
            .chain(
                (0..cur.hidden)
                    .map(|h| format!("{} AS {}", hidden_col(&cur.name, h), hidden_col(&name, h))),
            )
            .collect(),
    );
    let columns: Vec<ColumnDef> = cur
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| ColumnDef {
            name: c.name.clone(),
            source: ColumnSource::Previous(i),
            ty: c.ty,
        })
        .collect();
    Level {
        text: format!("SELECT {cols} FROM ({})", finish(&cur)),
        name,
        columns,
        hidden: cur.hidden,
        times: cur.times,
        order: cur.order,
        sealed: false,
    }
}

/// `distinct` on a timeline: rows equal in their columns (and relation keys, for a graph)
/// become one, whose time is the span of theirs: the earliest start and the latest end
/// (as [`crate::time::span`] for path results). Without it, rows that differ only in
/// their time would each be drawn.
fn distinct_with_times(cur: Level, level_no: &mut usize) -> Level {
    let mut next = wrap(cur, level_no);
    let inner = &next.name;
    let outer = next_level(level_no);
    let spans = ["min", "min", "max", "max"];
    let mut cols: Vec<String> = (0..next.columns.len())
        .map(|i| format!("{} AS {}", col(inner, i), col(&outer, i)))
        .collect();
    let mut groups: Vec<String> = (0..next.columns.len()).map(|i| col(inner, i)).collect();
    for h in 0..next.hidden {
        let column = hidden_col(inner, h);
        match spans.get(h) {
            Some(f) => cols.push(format!("{f}({column}) AS {}", hidden_col(&outer, h))),
            None => {
                cols.push(format!("{column} AS {}", hidden_col(&outer, h)));
                groups.push(column);
            }
        }
    }
    next.text = format!(
        "SELECT {} FROM ({}) GROUP BY {}",
        cols.join(", "),
        next.text,
        groups.join(", ")
    );
    next.name = outer;
    next
}

/// Timeline: rows in time order (start, then end; undated rows last), then by any
/// order asked for.
fn order_by_time(cur: Level, level_no: &mut usize) -> Level {
    let mut cur = if cur.sealed { wrap(cur, level_no) } else { cur };
    let mut keys = vec![
        (Key::HiddenIsNull(0), false),
        (Key::Hidden(0), false),
        (Key::Hidden(3), false),
    ];
    keys.extend(cur.order.iter().copied());
    cur.order = keys;
    cur
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::test_catalog::{test_context, TestCatalog};
    use crate::plan::{resolve, Plan};

    fn compiled(text: &str) -> SqlQuery {
        let stmt = crate::lang::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        match resolve(
            &stmt,
            text,
            &TestCatalog::new(),
            &test_context(&Default::default()),
        ) {
            Ok(Plan::Select(s)) => {
                compile(&s, CompileOptions::default()).unwrap_or_else(|e| panic!("{text:?}: {e}"))
            }
            other => panic!("{text:?}: {other:?}"),
        }
    }

    fn branches(sql: &SqlQuery) -> Vec<&str> {
        sql.text.split("\nUNION ALL\n").collect()
    }

    #[test]
    fn a_label_compiles_to_the_bound_columns_of_its_clause() {
        let sql = compiled("Aliyev ?r1 ?x @a, ?x ?r2 ?y certainly after @a");
        // `?r` clauses anchored at an entity read symmetric relations both ways: four
        // branches, each comparing the second relation with the first one's alias.
        let all = branches(&sql);
        assert_eq!(all.len(), 4);
        for b in all {
            assert_eq!(
                b.matches(r#""r1"."start_lo" > "r0"."end_hi""#).count(),
                1,
                "{b}"
            );
        }
        // The label adds no parameter.
        let without = compiled("Aliyev ?r1 ?x, ?x ?r2 ?y");
        assert_eq!(sql.params, without.params);
    }

    #[test]
    fn every_test_compares_with_the_labelled_bounds() {
        let s = r#""r0"."start_lo""#;
        let e = r#""r0"."end_hi""#;
        let cases = [
            (
                "in @a",
                format!(r#""r1"."start_lo" <= {e} AND "r1"."end_hi" >= {s}"#),
            ),
            (
                "within @a",
                format!(r#""r1"."start_lo" >= {s} AND "r1"."end_hi" <= {e}"#),
            ),
            (
                "certainly as of @a",
                format!(r#""r1"."start_hi" <= {s} AND "r1"."end_lo" >= {e}"#),
            ),
            ("before @a", format!(r#""r1"."start_lo" < {s}"#)),
            ("certainly before @a", format!(r#""r1"."end_hi" < {s}"#)),
            ("after @a", format!(r#""r1"."end_hi" > {e}"#)),
            ("certainly after @a", format!(r#""r1"."start_lo" > {e}"#)),
            (
                "since @a",
                format!(r#""r1"."start_lo" <= ?8 AND "r1"."end_hi" >= {s}"#),
            ),
        ];
        for (filter, want) in cases {
            let q = format!("Aliyev invited ?p @a, ?p visited ?x {filter}");
            let sql = compiled(&q);
            assert!(sql.text.contains(&want), "{q}:\n{}", sql.text);
        }
        // `since @a` is `in @a..`: its open end is a parameter.
        let sql = compiled("Aliyev invited ?p @a, ?p visited ?x since @a");
        assert_eq!(sql.params[7], SqlParam::Int(crate::time::POS_INF));
    }

    /// The plan numbers relation clauses as the compiler names their aliases: kind
    /// clauses and `not` clauses are skipped.
    #[test]
    fn a_label_follows_its_clause_past_kind_and_not_clauses() {
        let sql = compiled(
            "?c:country, ?p president_of ?c @pres, not ?p met _, \
             Pezeshkian visited ?x @v, ?x ?r2 ?y after @v before @pres",
        );
        for b in branches(&sql) {
            assert!(b.contains(r#""r2"."end_hi" > "r1"."end_hi""#), "{b}");
            assert!(b.contains(r#""r2"."start_lo" < "r0"."start_lo""#), "{b}");
        }
    }

    #[test]
    fn a_not_clause_compares_with_the_outer_alias() {
        let sql = compiled("Pezeshkian visited ?p @v, not ?p met _ certainly before @v");
        // `met` is symmetric: two EXISTS, one per way round, each with the condition.
        assert_eq!(
            sql.text
                .matches(r#""n1"."end_hi" < "r0"."start_lo""#)
                .count(),
            1,
            "{}",
            sql.text
        );
        assert_eq!(
            sql.text
                .matches(r#""n2"."end_hi" < "r0"."start_lo""#)
                .count(),
            1,
            "{}",
            sql.text
        );
    }

    #[test]
    fn stages_keep_the_labelled_comparison() {
        for stages in [
            "| count",
            "| show ?y | distinct",
            "| count by ?r2 | limit 1",
            "| sort ?y desc | limit 2 | show ?x",
        ] {
            let q = format!("Aliyev ?r1 ?x @a, ?x ?r2 ?y after @a {stages}");
            let sql = compiled(&q);
            assert_eq!(
                sql.text.matches(r#""r1"."end_hi" > "r0"."end_hi""#).count(),
                4,
                "{q}:\n{}",
                sql.text
            );
        }
    }

    /// Two `--` clauses between named entities give no output column; the SELECTs
    /// around their branches still select something.
    #[test]
    fn queries_without_columns_select_a_constant() {
        for q in [
            "Iran -- Azerbaijan, Iran -- Baku",
            "Iran -- Azerbaijan @e, Iran -- Azerbaijan after @e | count",
            "Iran -- Azerbaijan, Iran -- Baku | distinct | limit 1",
        ] {
            let sql = compiled(q);
            assert!(sql.columns.len() <= 1, "{q}: {:?}", sql.columns);
            assert!(!sql.text.contains("SELECT  FROM"), "{q}:\n{}", sql.text);
            assert!(
                !sql.text.contains("SELECT DISTINCT  FROM"),
                "{q}:\n{}",
                sql.text
            );
            let conn = rusqlite::Connection::open_in_memory().expect("SQLite");
            conn.execute_batch(
                "CREATE TABLE relation (key, subject, predicate, object, status, start_lo, \
                 start_hi, end_lo, end_hi);",
            )
            .expect("a table");
            conn.prepare(&sql.text)
                .unwrap_or_else(|e| panic!("{q}: {e}\n{}", sql.text));
        }
    }

    #[test]
    fn distinct_on_a_timeline_merges_rows_into_the_span_of_their_times() {
        let q = compiled("?x ?r ?y | show ?x | distinct | timeline");
        assert!(!q.text.contains("DISTINCT"), "{}", q.text);
        assert!(q.text.contains("GROUP BY"), "{}", q.text);
        for f in ["min(", "max("] {
            assert_eq!(q.text.matches(f).count(), 2, "{f} in {}", q.text);
        }
        // Without a timeline, DISTINCT as before.
        let q = compiled("?x ?r ?y | show ?x | distinct");
        assert!(q.text.contains("SELECT DISTINCT"), "{}", q.text);
    }

    #[test]
    fn a_count_keeps_the_relation_keys_of_the_rows_it_counts() {
        let stmt = crate::lang::parse("?x visited ?y in 2025 | count by ?x | timeline").unwrap();
        let catalog = TestCatalog::new();
        let Plan::Select(select) =
            resolve(&stmt, "", &catalog, &test_context(&Default::default())).unwrap()
        else {
            panic!("a query");
        };
        let opts = CompileOptions {
            limit: None,
            relation_keys: true,
        };
        let q = compile(&select, opts).unwrap();
        assert_eq!(q.relation_keys, 1);
        assert!(!q.timeline, "a count is no timeline");
        assert!(q.text.contains("group_concat("), "{}", q.text);
        let plain = compile(&select, CompileOptions::default()).unwrap();
        assert_eq!(plain.relation_keys, 0);
        assert!(!plain.text.contains("group_concat("), "{}", plain.text);
    }

    #[test]
    fn a_sort_breaks_ties_by_every_other_column() {
        let q = compiled("?a visited ?b | show ?b, ?a | sort ?a desc");
        let order = q
            .text
            .rsplit_once("ORDER BY")
            .map(|(_, o)| o.trim())
            .unwrap_or("");
        let keys: Vec<&str> = order.split(", ").collect();
        assert_eq!(keys.len(), 2, "{order}");
        assert!(keys[0].ends_with("c1\" DESC"), "{order}");
        assert!(keys[1].ends_with("c0\""), "{order}");
    }

    #[test]
    fn identifiers_are_quoted_with_their_quotes_doubled() {
        assert_eq!(ident("relation"), "\"relation\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(ident("بزشكيان"), "\"بزشكيان\"");
        assert_eq!(ident(""), "\"\"");
    }

    #[test]
    fn label_names_never_enter_the_sql() {
        let sql = compiled("Aliyev ?r1 ?x @secret, ?x ?r2 ?y after @secret | count");
        assert!(!sql.text.contains("secret"), "{}", sql.text);
        assert!(!sql.text.contains('@'), "{}", sql.text);
    }
}
