//! The limits of one compiled statement: how many branches (ways round) and how many
//! joined tables it has, counted before any SQL is built; and SQLite's own limits, put
//! in the query's terms when SQLite refuses a statement for one of them.

use super::branch::Keys;
use super::SqlError;
use crate::limits::{MAX_BRANCHES, MAX_JOIN_TABLES};
use crate::plan::{Orientation, RelationMatch, Select};

/// How many branches clauses read `ways` ways round each make, if no more than
/// [`MAX_BRANCHES`]: counting stops as soon as the product passes it, so it never
/// overflows however many clauses there are.
fn branch_count(ways: impl IntoIterator<Item = usize>) -> Option<usize> {
    let mut total: usize = 1;
    for w in ways {
        total = total.checked_mul(w).filter(|t| *t <= MAX_BRANCHES)?;
    }
    Some(total)
}

/// Every combination of the ways round `relations` are read, the first clause varying
/// slowest; at most [`MAX_BRANCHES`] of them, counted before any is built.
pub(super) fn orientation_combinations(
    relations: &[&RelationMatch],
) -> Result<Vec<Vec<Orientation>>, SqlError> {
    let ways: Vec<Vec<Orientation>> = relations.iter().map(|m| m.orientations()).collect();
    let Some(total) = branch_count(ways.iter().map(Vec::len)) else {
        return Err(SqlError::TooManyBranches {
            two_way: ways.iter().filter(|w| w.len() > 1).count(),
        });
    };
    // Combination i reads clause j the way given by the j-th digit of i, in the mixed
    // radix of the clauses' numbers of ways.
    let combos = (0..total)
        .map(|i| {
            let mut rest = i;
            let mut combo: Vec<Orientation> = ways
                .iter()
                .rev()
                .map(|w| {
                    let way = w[rest % w.len()];
                    rest /= w.len();
                    way
                })
                .collect();
            combo.reverse();
            combo
        })
        .collect();
    Ok(combos)
}

/// An error if one branch would join more tables than SQLite can: a relation table per
/// relation clause, and an entity or predicate table per variable whose name, id or kind
/// is needed (the same in every branch: which variables are joined does not depend on
/// the way round).
pub(super) fn check_join_width(
    select: &Select,
    relations: &[&RelationMatch],
    orientation: &[Orientation],
    needed: &[bool],
) -> Result<(), SqlError> {
    let keys = Keys::new(select, relations, orientation, needed);
    let variables = keys.entity_joined.iter().filter(|j| **j).count()
        + keys.pred_joined.iter().filter(|j| **j).count();
    let tables = relations.len() + variables;
    if tables > MAX_JOIN_TABLES {
        return Err(SqlError::TooManyTables {
            tables,
            relations: relations.len(),
            variables,
        });
    }
    Ok(())
}

/// SQLite's limits a compiled statement can run into, by the words of SQLite's message:
/// what the limit is in the query's terms, and how to narrow the query.
const SQLITE_LIMITS: &[(&str, &str, &str)] = &[
    (
        "tables in a join",
        "it joins more tables than SQLite can",
        "use fewer clauses, or show fewer variables (`| show ?x, ?y`)",
    ),
    (
        "too many FROM clause terms",
        "it joins more tables than SQLite can",
        "use fewer clauses, or show fewer variables (`| show ?x, ?y`)",
    ),
    (
        "Expression tree is too large",
        "its conditions nest deeper than SQLite allows",
        "use fewer time filters, `not` clauses or clauses, or split the query",
    ),
    (
        "too many SQL variables",
        "it has more values than SQLite can take",
        "name fewer predicates in `a|b|…` lists, or use fewer filters or clauses",
    ),
    (
        "too many terms in compound SELECT",
        "it has more ways round than SQLite can unite",
        "name predicates that are not symmetric, or split the query",
    ),
    (
        "parser stack overflow",
        "its stages nest deeper than SQLite can read",
        "use fewer pipeline stages",
    ),
    (
        "too many columns",
        "it has more columns than SQLite allows",
        "use fewer variables, or show fewer columns (`| show ?x, ?y`)",
    ),
];

/// The error in the query's terms when `e` is SQLite refusing a statement for one of its
/// limits (too many tables, terms or variables, an expression too deep, a value too big);
/// `None` for any other error.
pub fn sqlite_limit(e: &rusqlite::Error) -> Option<SqlError> {
    let rusqlite::Error::SqliteFailure(code, message) = e else {
        return None;
    };
    let sqlite = message.clone().unwrap_or_else(|| code.to_string());
    if code.code == rusqlite::ErrorCode::TooBig {
        return Some(SqlError::SqliteLimit {
            what: "a value or a result is larger than SQLite allows",
            advice: "use shorter names or values, or fewer rows in a `count` (`| limit N`)",
            sqlite,
        });
    }
    let (_, what, advice) = SQLITE_LIMITS
        .iter()
        .find(|(words, _, _)| sqlite.contains(words))?;
    Some(SqlError::SqliteLimit {
        what,
        advice,
        sqlite,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branches_are_counted_without_overflow() {
        assert_eq!(branch_count([]), Some(1));
        assert_eq!(branch_count([2; 6]), Some(64));
        assert_eq!(branch_count([2, 1, 2, 1, 2]), Some(8));
        assert_eq!(branch_count([2; 7]), None);
        // A product far past usize::MAX is only "more than the limit".
        assert_eq!(branch_count(std::iter::repeat_n(2, 10_000)), None);
        assert_eq!(branch_count(std::iter::repeat_n(1, 100_000)), Some(1));
        assert_eq!(branch_count([usize::MAX, 2]), None);
    }

    #[test]
    fn sqlite_limits_are_put_in_the_querys_terms() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let tables: Vec<String> = (0..65).map(|i| format!("(SELECT 1) AS t{i}")).collect();
        let e = conn
            .prepare(&format!("SELECT 1 FROM {}", tables.join(", ")))
            .unwrap_err();
        let limit = sqlite_limit(&e).expect("a limit of SQLite's");
        let shown = limit.to_string();
        assert!(
            shown.contains("joins more tables than SQLite can"),
            "{shown}"
        );
        assert!(shown.contains("show fewer variables"), "{shown}");
        let deep = format!("SELECT 1 WHERE {}", vec!["1 = 1"; 1100].join(" AND "));
        let e = conn.prepare(&deep).unwrap_err();
        let shown = sqlite_limit(&e).expect("a limit of SQLite's").to_string();
        assert!(shown.contains("conditions nest deeper"), "{shown}");
        // Other errors are not limits.
        let e = conn.prepare("SELECT * FROM missing").unwrap_err();
        assert_eq!(sqlite_limit(&e), None);
    }
}
