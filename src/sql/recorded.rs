//! Recorded time in SQL: the tables a statement reads, as the store held them at the end
//! of a change (schema 8). Without `as recorded` a statement reads the current tables
//! as they are, so questions about the present cost what they did before history.

use super::{ident, Params};
use crate::limits::MAX_BRANCHES;
use crate::plan::{AsRecorded, Recorded};

/// The columns a compiled statement may read of a relation, in both the current table
/// and its versions (where the key is called `id`).
const RELATION_COLUMNS: &[&str] = &[
    "subject",
    "predicate",
    "object",
    "when_text",
    "from_text",
    "to_text",
    "at_text",
    "start_lo",
    "start_hi",
    "end_lo",
    "end_hi",
    "status",
    "place",
    "source",
    "quote",
    "note",
    "confidence",
    "since_change",
];

/// The columns of an entity the compiled statement reads.
const ENTITY_COLUMNS: &[&str] = &["id", "kind", "name", "note", "merged_into"];

/// The change number `recorded` stands for, as an SQL expression: a parameter, or the
/// last change recorded before the day ended (0 when none was, so nothing is seen).
fn change_number(recorded: Recorded, params: &mut Params) -> String {
    match recorded {
        Recorded::AtChange(n) => params.int(n),
        Recorded::EndOfDay(day) => {
            // A day past the calendar's end ends after every change.
            let instant =
                crate::time::calendar::instant_after(day).unwrap_or_else(|| "~".to_string());
            format!(
                "(SELECT COALESCE(max({id}), 0) FROM {change} WHERE {rec} < {p})",
                id = ident("id"),
                change = ident("change"),
                rec = ident("recorded"),
                p = params.text(&instant)
            )
        }
    }
}

/// The current rows of `table` made at or before change `n` (an SQL expression, used
/// three times: a numbered parameter or a subquery of parameters), and the versions of
/// its rows that were current then; `key` names the key column of the current table
/// (the versions call a relation's key `id`).
fn as_recorded(
    table: &str,
    key: &str,
    version_key: &str,
    columns: &[&str],
    extra_version_condition: &str,
    n: &str,
) -> String {
    format!(
        "(SELECT {key_col} AS {key_col}, {cols} FROM {table} WHERE {since} <= {n} \
         UNION ALL {versions})",
        key_col = ident(key),
        cols = column_list(columns),
        table = ident(table),
        since = ident("since_change"),
        versions = versions_at(table, key, version_key, columns, extra_version_condition, n),
    )
}

fn column_list(columns: &[&str]) -> String {
    columns.iter().map(ident).collect::<Vec<_>>().join(", ")
}

/// The versions of `table`'s rows that were current at the end of change `n`, as a
/// `SELECT` of `columns` and the key (named as the current table names it).
fn versions_at(
    table: &str,
    key: &str,
    version_key: &str,
    columns: &[&str],
    extra_condition: &str,
    n: &str,
) -> String {
    format!(
        "SELECT {version_key_col} AS {key_col}, {cols} FROM {versions} \
         WHERE {since} <= {n} AND {until} > {n}{extra_condition}",
        version_key_col = ident(version_key),
        key_col = ident(key),
        cols = column_list(columns),
        versions = ident(format_args!("{table}_version")),
        since = ident("since_change"),
        until = ident("until_change"),
    )
}

/// The versions of relations current at the end of change `n`, without the erased.
fn relation_versions_at(n: &str) -> String {
    versions_at(
        "relation",
        "key",
        "id",
        RELATION_COLUMNS,
        &format!(" AND {} = 0", ident("erased")),
        n,
    )
}

/// The relations as recorded at the end of change `n` (an SQL expression), without the
/// erased: for the store's own statements (the path search), which bind `n` themselves,
/// and for the `not` clauses of a query.
pub fn relations_at_change(n: &str) -> String {
    format!(
        "(SELECT {key} AS {key}, {cols} FROM {rel} WHERE {since} <= {n} UNION ALL {versions})",
        key = ident("key"),
        cols = column_list(RELATION_COLUMNS),
        rel = ident("relation"),
        since = ident("since_change"),
        versions = relation_versions_at(n),
    )
}

/// What a statement reads as the relation table where it cannot choose a [`Source`] per
/// branch: the table itself, or the relations as recorded (without the erased) when
/// they changed after the moment asked about.
pub(super) fn relation_table(recorded: Option<AsRecorded>, params: &mut Params) -> String {
    match recorded {
        Some(r) if r.changed.relations => relations_at_change(&change_number(r.at, params)),
        _ => ident("relation"),
    }
}

/// Where one relation clause of a branch reads the relations a question about the past
/// sees: the current relations made by then, or the versions current then (relations
/// corrected or retracted since). A compound subquery of both would do in one branch,
/// but SQLite cannot flatten it into a query that counts or groups, and then computes
/// it whole (every relation read through its row, or sorted into an automatic index):
/// a branch per combination of sources keeps each branch a plain join that the indexes
/// drive, as the branches per way round do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Current,
    Versions,
}

/// The combinations of sources of the relation clauses of a query (one branch each, for
/// each of its `ways_round` combinations of ways round): only the current relations,
/// unless versions were current at the moment asked about. `None` when a branch per
/// combination would make more than [`MAX_BRANCHES`] branches: then each clause reads
/// the compound subquery ([`relation_table`]).
pub(super) fn source_combinations(
    recorded: Option<AsRecorded>,
    clauses: usize,
    ways_round: usize,
) -> Option<Vec<Vec<Source>>> {
    let versions = recorded.is_some_and(|r| r.changed.relation_versions);
    if !versions {
        return Some(vec![vec![Source::Current; clauses]]);
    }
    let combinations = u32::try_from(clauses)
        .ok()
        .and_then(|c| 1usize.checked_shl(c))
        .filter(|&c| c.saturating_mul(ways_round) <= MAX_BRANCHES)?;
    Some(
        (0..combinations)
            .map(|bits| {
                (0..clauses)
                    .map(|i| {
                        if bits >> i & 1 == 1 {
                            Source::Versions
                        } else {
                            Source::Current
                        }
                    })
                    .collect()
            })
            .collect(),
    )
}

/// The table relation alias `alias` reads from `source` (`None`: the compound subquery),
/// and the condition, if any, that keeps its rows to those current at the moment asked.
pub(super) fn relation_from(
    recorded: Option<AsRecorded>,
    source: Option<Source>,
    alias: &str,
    params: &mut Params,
) -> (String, Option<String>) {
    let Some(r) = recorded.filter(|r| r.changed.relations) else {
        return (ident("relation"), None);
    };
    match source {
        None => (relation_table(recorded, params), None),
        // Schema 8 ends the two indexes that scans of many relations read (by predicate
        // and by time) with `since_change`: this test is made on their entries; with the
        // others SQLite reads it from the row, which such queries read anyway.
        Some(Source::Current) => {
            let n = change_number(r.at, params);
            (
                ident("relation"),
                Some(format!("{alias}.{} <= {n}", ident("since_change"))),
            )
        }
        // A plain subquery: SQLite flattens it into the branch, so the versions' indexes
        // serve it.
        Some(Source::Versions) => {
            let n = change_number(r.at, params);
            (format!("({})", relation_versions_at(&n)), None)
        }
    }
}

/// What a statement reads as the entity table: the table itself, or the entities as
/// recorded when they changed after the moment asked about.
pub(super) fn entity_table(recorded: Option<AsRecorded>, params: &mut Params) -> String {
    match recorded {
        Some(r) if r.changed.entities => entities_at_change(&change_number(r.at, params)),
        _ => ident("entity"),
    }
}

/// The entities as recorded at the end of change `n` (an SQL expression): for the
/// store's own statements (the names of a path), which bind `n` themselves.
pub fn entities_at_change(n: &str) -> String {
    as_recorded("entity", "key", "key", ENTITY_COLUMNS, "", n)
}

/// The condition that entity alias `e` is an entity of its own, not one merged into
/// another (`merge A into B` makes A answer as B).
pub(super) fn unmerged(e: &str) -> String {
    format!("{e}.{} IS NULL", ident("merged_into"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Changed;

    fn at(changed: Changed) -> Option<AsRecorded> {
        Some(AsRecorded {
            at: Recorded::AtChange(3),
            changed,
        })
    }

    #[test]
    fn versions_double_the_branches_while_they_fit() {
        let current_only = Changed {
            relation_versions: false,
            ..Changed::ALL
        };
        assert_eq!(
            source_combinations(at(current_only), 3, 4),
            Some(vec![vec![Source::Current; 3]])
        );
        assert_eq!(
            source_combinations(None, 2, 1),
            Some(vec![vec![Source::Current; 2]])
        );
        let both = source_combinations(at(Changed::ALL), 2, 2).unwrap();
        assert_eq!(both.len(), 4);
        assert!(both.contains(&vec![Source::Versions, Source::Current]));
        assert!(both.contains(&vec![Source::Current, Source::Versions]));
        // More than MAX_BRANCHES in all: each clause reads the compound subquery.
        assert_eq!(source_combinations(at(Changed::ALL), 6, 2), None);
        assert_eq!(source_combinations(at(Changed::ALL), 200, 1), None);
    }

    #[test]
    fn tables_nothing_changed_in_are_read_as_they_are() {
        let mut params = Params::default();
        let unchanged = Changed {
            relations: false,
            relation_versions: false,
            entities: false,
        };
        let (table, cond) =
            relation_from(at(unchanged), Some(Source::Current), "\"r0\"", &mut params);
        assert_eq!((table.as_str(), cond), ("\"relation\"", None));
        assert_eq!(entity_table(at(unchanged), &mut params), "\"entity\"");
        let (table, cond) = relation_from(
            at(Changed::ALL),
            Some(Source::Current),
            "\"r0\"",
            &mut params,
        );
        assert_eq!(table, "\"relation\"");
        assert_eq!(cond.as_deref(), Some("\"r0\".\"since_change\" <= ?1"));
        let (table, cond) = relation_from(
            at(Changed::ALL),
            Some(Source::Versions),
            "\"r0\"",
            &mut params,
        );
        assert!(table.contains("\"relation_version\""), "{table}");
        assert_eq!(cond, None);
    }
}
