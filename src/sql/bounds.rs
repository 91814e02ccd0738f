//! The time bounds a `when` column sorts by: `sort when` orders rows by the start of
//! their time, then its end, not by the time's text (`early 2025-02` before `2025-03`).
//! Each `when` column a sort stage names carries two companion columns, its relation's
//! `start_lo` and `end_hi`, after every other column of each level, so that the reader
//! of the results (which reads columns by position) never sees them.

use super::ident;
use crate::plan::{after_stage, ColumnDef, ColumnSource, RelField, Stage};

/// The companion column of column `i` of `level`: its start bound (`end` false) or its
/// end bound.
pub(super) fn bound_col(level: &str, i: usize, end: bool) -> String {
    ident(format_args!("{level}{}{i}", if end { "b" } else { "a" }))
}

/// The companions of `columns` (indices into `level`'s columns) renamed as those of
/// `to`'s column at the same position in `map` (`(from, to)` pairs).
pub(super) fn carry(
    level: &str,
    to: &str,
    map: impl Iterator<Item = (usize, usize)>,
) -> Vec<String> {
    map.flat_map(|(i, j)| {
        [false, true]
            .map(|end| format!("{} AS {}", bound_col(level, i, end), bound_col(to, j, end)))
    })
    .collect()
}

/// The columns of the clauses (indices into `columns`) that are a relation's `when`
/// and that a sort stage sorts by, after any `show` or `count by` has moved them.
pub(super) fn sorted_when_columns(columns: &[ColumnDef], stages: &[Stage]) -> Vec<usize> {
    // For each column at the current stage, the clause column it comes from.
    let mut origin: Vec<Option<usize>> = (0..columns.len()).map(Some).collect();
    let mut current = columns.to_vec();
    let mut sorted = Vec::new();
    for stage in stages {
        if let Stage::Sort(keys) = stage {
            for (i, _) in keys {
                if let Some(Some(o)) = origin.get(*i) {
                    let is_when = matches!(
                        columns[*o].source,
                        ColumnSource::Relation {
                            field: RelField::When,
                            ..
                        }
                    );
                    if is_when && !sorted.contains(o) {
                        sorted.push(*o);
                    }
                }
            }
        }
        let next = after_stage(&current, stage);
        origin = next
            .iter()
            .map(|c| match c.source {
                ColumnSource::Previous(i) => origin.get(i).copied().flatten(),
                _ => None,
            })
            .collect();
        current = next;
    }
    sorted.sort_unstable();
    sorted
}
