//! The pipeline stages: each `show`, `sort`, `limit`, `count` and `distinct` wraps the
//! SELECT before it, and a timeline orders rows by time.

use std::fmt::Write as _;

use super::bounds::{bound_col, carry};
use super::{col, hidden_col, ident, select_list, Dialect, Params};
use crate::plan::{after_stage, ColumnDef, ColumnSource, Stage};

/// A SELECT whose columns are named `{name}c0…` (and `{name}t0…t3` for the hidden
/// timeline bounds), with the ORDER BY still to apply to it.
pub(super) struct Level {
    pub(super) name: String,
    pub(super) columns: Vec<ColumnDef>,
    pub(super) hidden: usize,
    /// The first four hidden columns are a timeline's bounds.
    pub(super) times: bool,
    pub(super) text: String,
    /// Pending sort keys (descending if true), applied by [`finish`].
    pub(super) order: Vec<(Key, bool)>,
    /// The text already ends with its ORDER BY and LIMIT: a further stage wraps it.
    pub(super) sealed: bool,
    /// The `when` columns that carry their time bounds for a sort ([`super::bounds`]).
    pub(super) bounds: Vec<usize>,
    /// The dialect of the statement (how [`finish`] orders NULLs).
    pub(super) dialect: Dialect,
}

/// A sort key of a level.
#[derive(Debug, Clone, Copy)]
pub(super) enum Key {
    Col(usize),
    Hidden(usize),
    HiddenIsNull(usize),
    /// The start (false) or end (true) bound of a `when` column.
    Bound(usize, bool),
}

/// Applies one pipeline stage, wrapping the current SELECT where the stage reshapes rows.
pub(super) fn apply_stage(
    cur: Level,
    stage: &Stage,
    params: &mut Params,
    level_no: &mut usize,
) -> Level {
    let new_columns = after_stage(&cur.columns, stage);
    match stage {
        Stage::Sort(keys) => {
            let mut cur = if cur.sealed { wrap(cur, level_no) } else { cur };
            // A `when` column sorts by its time's start, then its end, then its text.
            cur.order = keys
                .iter()
                .flat_map(|&(i, d)| {
                    let bounded = cur.bounds.contains(&i);
                    [
                        bounded.then_some((Key::Bound(i, false), d)),
                        bounded.then_some((Key::Bound(i, true), d)),
                        Some((Key::Col(i), d)),
                    ]
                })
                .flatten()
                .collect();
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
            let kept = |i: usize| idx.iter().position(|x| *x == i);
            let bounds: Vec<(usize, usize)> = cur
                .bounds
                .iter()
                .filter_map(|&i| kept(i).map(|j| (i, j)))
                .collect();
            cols.extend(carry(&cur.name, &name, bounds.iter().copied()));
            // Keys on columns that are kept stay pending; the inner SELECT is sorted
            // by all of them, so rows keep their order either way.
            let order = cur
                .order
                .iter()
                .filter_map(|(k, d)| match k {
                    Key::Col(i) => kept(*i).map(|j| (Key::Col(j), *d)),
                    Key::Bound(i, end) => kept(*i).map(|j| (Key::Bound(j, *end), *d)),
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
                bounds: bounds.into_iter().map(|(_, j)| j).collect(),
                dialect: cur.dialect,
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
                    "{} AS {}",
                    super::dialect::comma_list(params.dialect, &hidden_col(&cur.name, h)),
                    hidden_col(&name, j)
                ));
            }
            // A group of one time sorts by the earliest bounds of its rows.
            let bounds: Vec<(usize, usize)> = by
                .iter()
                .enumerate()
                .filter(|(_, i)| cur.bounds.contains(i))
                .map(|(j, &i)| (i, j))
                .collect();
            for &(i, j) in &bounds {
                for end in [false, true] {
                    cols.push(format!(
                        "min({}) AS {}",
                        bound_col(&cur.name, i, end),
                        bound_col(&name, j, end)
                    ));
                }
            }
            let mut text = format!("SELECT {} FROM ({})", cols.join(", "), cur.text);
            if !by.is_empty() {
                let groups: Vec<String> = by.iter().map(|i| col(&cur.name, *i)).collect();
                let _ = write!(text, " GROUP BY {}", groups.join(", "));
            }
            Level {
                text,
                name,
                columns: new_columns,
                hidden: cur.hidden - first_key,
                times: false,
                order: count_order(by.len()),
                sealed: false,
                bounds: bounds.into_iter().map(|(_, j)| j).collect(),
                dialect: cur.dialect,
            }
        }
    }
}

/// The order of a count's rows: biggest groups first, then by the grouping columns (a
/// count without groups is one row).
fn count_order(groups: usize) -> Vec<(Key, bool)> {
    if groups == 0 {
        return Vec::new();
    }
    std::iter::once((Key::Col(groups), true))
        .chain((0..groups).map(|j| (Key::Col(j), false)))
        .collect()
}

/// `count` or `count by` as the first stage over several `branches` (each a SELECT of
/// `level`'s columns, with no hidden ones): each branch counts its own rows, grouped,
/// and the counts are added. Counting over their union instead made SQLite copy every
/// row through a co-routine and, for `count by`, sort them all into a temporary B-tree,
/// where a single branch groups in the order its index gives, for free; the union of
/// the branches' counts is a few rows. Equal to counting the union: the branches are
/// joined with UNION ALL, so each row is counted once, in its own branch.
pub(super) fn count_each_branch(
    branches: &[String],
    level: &str,
    columns: &[ColumnDef],
    by: &[usize],
    level_no: &mut usize,
    dialect: Dialect,
) -> Level {
    let counted = ident(format_args!("{level}n"));
    let groups: Vec<String> = by.iter().map(|i| col(level, *i)).collect();
    let group_by = if groups.is_empty() {
        String::new()
    } else {
        format!(" GROUP BY {}", groups.join(", "))
    };
    let counts: Vec<String> = branches
        .iter()
        .map(|b| {
            let cols = groups
                .iter()
                .cloned()
                .chain(std::iter::once(format!("count(*) AS {counted}")))
                .collect::<Vec<_>>()
                .join(", ");
            format!("SELECT {cols} FROM ({b}){group_by}")
        })
        .collect();
    let name = next_level(level_no);
    let cols: Vec<String> = groups
        .iter()
        .enumerate()
        .map(|(j, g)| format!("{g} AS {}", col(&name, j)))
        .chain(std::iter::once(format!(
            "sum({counted}) AS {}",
            col(&name, by.len())
        )))
        .collect();
    Level {
        text: format!(
            "SELECT {} FROM ({}){group_by}",
            cols.join(", "),
            counts.join("\nUNION ALL\n")
        ),
        name,
        columns: after_stage(columns, &Stage::Count(by.to_vec())),
        hidden: 0,
        times: false,
        order: count_order(by.len()),
        sealed: false,
        bounds: Vec::new(),
        dialect,
    }
}

/// Which of the clauses' columns the stages use: the others are not computed.
pub(super) fn needed_columns(n: usize, stages: &[Stage]) -> Vec<bool> {
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

pub(super) fn next_level(level_no: &mut usize) -> String {
    let name = format!("s{level_no}");
    *level_no += 1;
    name
}

pub(super) fn key_sql(level: &str, key: Key) -> String {
    match key {
        Key::Col(i) => col(level, i),
        Key::Hidden(i) => hidden_col(level, i),
        Key::HiddenIsNull(i) => format!("{} IS NULL", hidden_col(level, i)),
        Key::Bound(i, end) => bound_col(level, i, end),
    }
}

/// The SELECT's text with its pending ORDER BY applied.
pub(super) fn finish(cur: &Level) -> String {
    if cur.sealed || cur.order.is_empty() {
        return cur.text.clone();
    }
    let keys: Vec<String> = cur
        .order
        .iter()
        .map(|(k, d)| {
            format!(
                "{}{}{}",
                key_sql(&cur.name, *k),
                if *d { " DESC" } else { "" },
                super::dialect::nulls_as_sqlite(cur.dialect, *d)
            )
        })
        .collect();
    // PostgreSQL takes an output column's name in an ORDER BY expression (`x IS NULL`)
    // only from a subquery's columns, not from the SELECT's own (SQLite takes both).
    let expression = cur
        .order
        .iter()
        .any(|(k, _)| matches!(k, Key::HiddenIsNull(_)));
    if expression && cur.dialect == Dialect::Postgres {
        return format!("SELECT * FROM ({})\nORDER BY {}", cur.text, keys.join(", "));
    }
    format!("{}\nORDER BY {}", cur.text, keys.join(", "))
}

/// Wraps the current SELECT in a new level that passes every column through and keeps
/// the order of the rows.
pub(super) fn wrap(cur: Level, level_no: &mut usize) -> Level {
    let name = next_level(level_no);
    let cols = select_list(
        (0..cur.columns.len())
            .map(|i| format!("{} AS {}", col(&cur.name, i), col(&name, i)))
            .chain(
                (0..cur.hidden)
                    .map(|h| format!("{} AS {}", hidden_col(&cur.name, h), hidden_col(&name, h))),
            )
            .chain(carry(&cur.name, &name, cur.bounds.iter().map(|&i| (i, i))))
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
        bounds: cur.bounds,
        dialect: cur.dialect,
    }
}

/// `distinct` on a timeline: rows equal in their columns (and relation keys, for a graph)
/// become one, whose time is the span of theirs: the earliest start and the latest end
/// (as [`crate::time::span`] for path results). Without it, rows that differ only in
/// their time would each be drawn.
pub(super) fn distinct_with_times(cur: Level, level_no: &mut usize) -> Level {
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
    for &i in &next.bounds {
        for end in [false, true] {
            let column = bound_col(inner, i, end);
            cols.push(format!("{column} AS {}", bound_col(&outer, i, end)));
            groups.push(column);
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
pub(super) fn order_by_time(cur: Level, level_no: &mut usize) -> Level {
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
