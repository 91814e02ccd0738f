//! A `show` that only narrows the columns, done when rows are read instead of in SQL.
//!
//! Why: narrowing in SQL leaves columns out of the statement, and SQLite then picks
//! another plan (a covering index that has just the columns left), whose rows come in
//! another order: `?s ?p ?o | show ?o` listed its rows in another order than `?s ?p ?o`.
//! Compiled as the unnarrowed query, the statement is the unnarrowed query's, so its
//! rows come in the same order; the reader keeps the columns `show` asked for. Sorting
//! every query instead made `?a ?r ?b | limit 1` read a million relations.
//!
//! Only where every stage is `show` or `limit`: after `sort` the order is the sort's
//! either way, and `distinct` and `count` make rows of their own (their order is not
//! promised, and computing columns they do not use would cost them).

use crate::plan::{after_stage, ColumnDef, Stage};

/// The statement's columns that a query's output keeps, read from each row by the
/// store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    /// For each output column, the statement's column it is read from.
    pub picks: Vec<usize>,
    /// The statement's columns before its hidden ones (time bounds, relation keys).
    pub width: usize,
}

/// The pure projection of `stages` over `columns`, with the stages left for SQL (its
/// limits) and the output columns; `None` when a stage other than `show` or `limit`
/// follows, or there is no `show`.
pub(super) fn pure_projection(
    columns: &[ColumnDef],
    stages: &[Stage],
) -> Option<(Projection, Vec<Stage>, Vec<ColumnDef>)> {
    if !stages.iter().any(|s| matches!(s, Stage::Show(_))) {
        return None;
    }
    let mut picks: Vec<usize> = (0..columns.len()).collect();
    let mut output = columns.to_vec();
    let mut kept = Vec::new();
    for stage in stages {
        match stage {
            Stage::Show(idx) => {
                picks = idx
                    .iter()
                    .map(|&i| picks.get(i).copied())
                    .collect::<Option<_>>()?;
                output = after_stage(&output, stage);
            }
            Stage::Limit(_) => kept.push(stage.clone()),
            Stage::Sort(_) | Stage::Distinct | Stage::Count(_) => return None,
        }
    }
    let projection = Projection {
        picks,
        width: columns.len(),
    };
    Some((projection, kept, output))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{ColumnSource, ColumnType};

    fn columns(names: &[&str]) -> Vec<ColumnDef> {
        names
            .iter()
            .map(|n| ColumnDef {
                name: (*n).into(),
                source: ColumnSource::Count,
                ty: ColumnType::Text,
            })
            .collect()
    }

    fn names(cols: &[ColumnDef]) -> Vec<&str> {
        cols.iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn shows_compose_and_limits_stay_for_sql() {
        let cols = columns(&["s", "s.id", "p", "o", "o.id"]);
        let stages = [
            Stage::Show(vec![3, 0, 2]),
            Stage::Limit(5),
            Stage::Show(vec![1, 0]),
        ];
        let (projection, kept, output) = pure_projection(&cols, &stages).unwrap();
        assert_eq!(projection.picks, vec![0, 3]);
        assert_eq!(projection.width, 5);
        assert_eq!(kept, vec![Stage::Limit(5)]);
        assert_eq!(names(&output), ["s", "o"]);
    }

    #[test]
    fn stages_that_make_or_order_rows_stay_in_sql() {
        let cols = columns(&["s", "o"]);
        for after in [
            Stage::Distinct,
            Stage::Count(vec![]),
            Stage::Sort(vec![(0, false)]),
        ] {
            assert_eq!(
                pure_projection(&cols, &[Stage::Show(vec![1]), after.clone()]),
                None,
                "{after:?}"
            );
        }
        assert_eq!(pure_projection(&cols, &[Stage::Limit(3)]), None);
        assert_eq!(pure_projection(&cols, &[]), None);
    }
}
