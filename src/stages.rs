//! Pipeline stages over rows already in memory (the rows of a `path`, which SQL does
//! not give): `show`, `sort`, `limit`, `distinct` and `count`, with the same meaning as
//! the SQL the compiler writes for a query.

use std::cmp::Ordering;

use crate::plan::Stage;
use crate::time;
use crate::value::{ResultSet, Row, Value};

/// Applies pipeline stages to rows in memory. Each [`Row`] keeps its relation keys and
/// time through every stage, so a graph of the result draws the relations of the rows
/// it shows and no others:
/// - `show` picks columns; a row keeps its keys and time.
/// - `sort` and `limit` move and cut rows whole.
/// - `distinct` keeps the first of equal rows, at its place; the row kept stands for all
///   of them and carries the keys of every one (a graph draws each chain behind it),
///   and the span of their times ([`time::span`]), as the SQL of a query does.
/// - `count` and `count by …`: a counted row stands for the rows of its group and
///   carries the keys of all of them, so the graph of a count draws every relation
///   counted (and `count` of no rows draws nothing). A counted row has no time: the
///   result is no longer a timeline.
pub fn apply_stages(result: &mut ResultSet, stages: &[Stage]) {
    for stage in stages {
        match stage {
            Stage::Show(idx) => {
                result.columns = idx.iter().map(|&i| result.columns[i].clone()).collect();
                for r in &mut result.rows {
                    r.cells = idx.iter().map(|&i| r.cells[i].clone()).collect();
                }
            }
            Stage::Sort(keys) => result.rows.sort_by(|a, b| {
                for (i, desc) in keys {
                    let o = compare(&a.cells[*i], &b.cells[*i]);
                    let o = if *desc { o.reverse() } else { o };
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                Ordering::Equal
            }),
            Stage::Limit(n) => result
                .rows
                .truncate(usize::try_from(*n).unwrap_or(usize::MAX)),
            Stage::Distinct => {
                let mut kept: Vec<Row> = Vec::new();
                for r in std::mem::take(&mut result.rows) {
                    match kept.iter_mut().find(|k| k.cells == r.cells) {
                        Some(k) => {
                            k.relation_keys.extend(r.relation_keys);
                            k.time = time::span(k.time, r.time);
                        }
                        None => kept.push(r),
                    }
                }
                result.rows = kept;
            }
            Stage::Count(by) => count(result, by),
        }
    }
}

/// `count` (`by` empty) or `count by` the columns `by`: one row per group, largest
/// first, with the keys of every row counted.
fn count(result: &mut ResultSet, by: &[usize]) {
    // (group's cells, rows counted, their relation keys)
    let mut groups: Vec<(Vec<Value>, i64, Vec<i64>)> = Vec::new();
    for r in std::mem::take(&mut result.rows) {
        let group: Vec<Value> = by.iter().map(|&i| r.cells[i].clone()).collect();
        match groups.iter_mut().find(|(g, _, _)| *g == group) {
            Some((_, n, keys)) => {
                *n += 1;
                keys.extend(r.relation_keys);
            }
            None => groups.push((group, 1, r.relation_keys)),
        }
    }
    if by.is_empty() && groups.is_empty() {
        groups.push((Vec::new(), 0, Vec::new()));
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.1));
    let mut columns: Vec<String> = by.iter().map(|&i| result.columns[i].clone()).collect();
    columns.push("count".into());
    result.columns = columns;
    result.timeline = false;
    result.timed = false;
    result.rows = groups
        .into_iter()
        .map(|(mut cells, n, relation_keys)| {
            cells.push(Value::Int(n));
            Row {
                cells,
                time: None,
                relation_keys,
            }
        })
        .collect();
}

/// The order of `sort`: null first, numbers by value, then text.
fn compare(a: &Value, b: &Value) -> Ordering {
    use Ordering::*;
    match (a, b) {
        (Value::Null, Value::Null) => Equal,
        (Value::Null, _) => Less,
        (_, Value::Null) => Greater,
        (Value::Int(x) | Value::Handle(x), Value::Int(y) | Value::Handle(y)) => x.cmp(y),
        (Value::Real(x), Value::Real(y)) => x.partial_cmp(y).unwrap_or(Equal),
        (Value::Int(x) | Value::Handle(x), Value::Real(y)) => {
            (*x as f64).partial_cmp(y).unwrap_or(Equal)
        }
        (Value::Real(x), Value::Int(y) | Value::Handle(y)) => {
            x.partial_cmp(&(*y as f64)).unwrap_or(Equal)
        }
        (Value::Text(x), Value::Text(y)) => x.cmp(y),
        (Value::Text(_), _) => Greater,
        (_, Value::Text(_)) => Less,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows `[name, n]` each with its own relation keys, as a path search gives them.
    fn keyed(rows: &[(&str, i64, &[i64])]) -> ResultSet {
        ResultSet {
            columns: vec!["name".into(), "n".into()],
            rows: rows
                .iter()
                .map(|(s, n, k)| Row {
                    cells: vec![Value::Text(s.to_string()), Value::Int(*n)],
                    time: None,
                    relation_keys: k.to_vec(),
                })
                .collect(),
            ..ResultSet::default()
        }
    }

    fn names(rows: &ResultSet) -> Vec<String> {
        rows.rows
            .iter()
            .map(|r| r.cells[0].as_text().unwrap_or_default().into_owned())
            .collect()
    }

    fn keys(rows: &ResultSet) -> Vec<Vec<i64>> {
        rows.rows.iter().map(|r| r.relation_keys.clone()).collect()
    }

    fn times(rows: &ResultSet) -> Vec<Option<[i64; 4]>> {
        rows.rows.iter().map(|r| r.time).collect()
    }

    fn with_times(mut rows: ResultSet, times: &[Option<[i64; 4]>]) -> ResultSet {
        rows.timeline = true;
        rows.timed = true;
        for (r, t) in rows.rows.iter_mut().zip(times) {
            r.time = *t;
        }
        rows
    }

    #[test]
    fn limit_keeps_only_the_kept_rows_keys() {
        let mut rows = keyed(&[("a", 1, &[1, 2]), ("b", 2, &[3]), ("c", 3, &[4, 5])]);
        apply_stages(&mut rows, &[Stage::Limit(1)]);
        assert_eq!(names(&rows), ["a"]);
        assert_eq!(keys(&rows), vec![vec![1, 2]]);
    }

    #[test]
    fn sort_then_limit_moves_the_keys_with_their_rows() {
        let mut rows = keyed(&[("a", 1, &[1, 2]), ("b", 2, &[3]), ("c", 3, &[4, 5])]);
        apply_stages(&mut rows, &[Stage::Sort(vec![(1, true)]), Stage::Limit(2)]);
        assert_eq!(names(&rows), ["c", "b"]);
        assert_eq!(keys(&rows), vec![vec![4, 5], vec![3]]);
    }

    #[test]
    fn sort_puts_null_first_numbers_by_value_then_text() {
        let mut rows = ResultSet {
            columns: vec!["v".into()],
            rows: [
                Value::Text("b".into()),
                Value::Real(2.5),
                Value::Null,
                Value::Int(3),
                Value::Int(2),
            ]
            .into_iter()
            .map(|v| Row::from(vec![v]))
            .collect(),
            ..ResultSet::default()
        };
        apply_stages(&mut rows, &[Stage::Sort(vec![(0, false)])]);
        let cells: Vec<Value> = rows.rows.into_iter().map(|r| r.cells[0].clone()).collect();
        assert_eq!(
            cells,
            [
                Value::Null,
                Value::Int(2),
                Value::Real(2.5),
                Value::Int(3),
                Value::Text("b".into())
            ]
        );
    }

    #[test]
    fn show_keeps_each_rows_keys() {
        let mut rows = keyed(&[("a", 1, &[1]), ("b", 2, &[2])]);
        apply_stages(&mut rows, &[Stage::Show(vec![1])]);
        assert_eq!(rows.columns, ["n"]);
        let cells: Vec<&[Value]> = rows.rows.iter().map(|r| r.cells.as_slice()).collect();
        assert_eq!(cells, [[Value::Int(1)], [Value::Int(2)]]);
        assert_eq!(keys(&rows), vec![vec![1], vec![2]]);
    }

    #[test]
    fn distinct_row_carries_the_keys_of_every_equal_row() {
        let mut rows = keyed(&[("a", 1, &[1]), ("b", 2, &[2]), ("a", 1, &[3])]);
        apply_stages(&mut rows, &[Stage::Distinct]);
        assert_eq!(names(&rows), ["a", "b"]);
        assert_eq!(keys(&rows), vec![vec![1, 3], vec![2]]);
    }

    #[test]
    fn counted_row_carries_the_keys_of_its_group() {
        let mut rows = keyed(&[("a", 1, &[1]), ("b", 2, &[2]), ("b", 3, &[3, 4])]);
        apply_stages(&mut rows, &[Stage::Count(vec![0])]);
        assert_eq!(rows.columns, ["name", "count"]);
        assert_eq!(names(&rows), ["b", "a"]);
        assert_eq!(keys(&rows), vec![vec![2, 3, 4], vec![1]]);
        // `count` of no rows: one row of 0, drawing nothing.
        let mut none = keyed(&[]);
        apply_stages(&mut none, &[Stage::Count(Vec::new())]);
        assert_eq!(none.rows, vec![Row::from(vec![Value::Int(0)])]);
        assert_eq!(none.relation_keys().count(), 0);
    }

    #[test]
    fn times_follow_their_rows_and_a_count_is_no_timeline() {
        let rows = keyed(&[("a", 1, &[1]), ("b", 2, &[2])]);
        let mut rows = with_times(rows, &[Some([1, 1, 2, 2]), None]);
        apply_stages(&mut rows, &[Stage::Sort(vec![(1, true)])]);
        assert_eq!(times(&rows), vec![None, Some([1, 1, 2, 2])]);
        apply_stages(&mut rows, &[Stage::Count(Vec::new())]);
        assert!(!rows.timeline && !rows.timed);
        assert_eq!(times(&rows), vec![None]);
    }

    #[test]
    fn distinct_row_spans_the_times_of_its_rows() {
        let rows = keyed(&[("a", 1, &[1]), ("a", 1, &[2]), ("a", 1, &[3])]);
        let times_in = [Some([10, 12, 20, 25]), None, Some([5, 15, 18, 30])];
        let mut rows = with_times(rows, &times_in);
        apply_stages(&mut rows, &[Stage::Distinct]);
        assert_eq!(times(&rows), vec![Some([5, 12, 20, 30])]);
        assert_eq!(keys(&rows), vec![vec![1, 2, 3]]);
    }
}
