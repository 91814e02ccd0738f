//! Recorded time in SQL: the tables a statement reads, as the store held them at the end
//! of a change (schema 8). Without `as recorded` a statement reads the current tables
//! as they are, so questions about the present cost what they did before history.

use super::{ident, Params};
use crate::plan::Recorded;

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
    let cols = columns.iter().map(ident).collect::<Vec<_>>().join(", ");
    let since = ident("since_change");
    let until = ident("until_change");
    format!(
        "(SELECT {key_col} AS {key_col}, {cols} FROM {table} WHERE {since} <= {n} \
         UNION ALL SELECT {version_key_col} AS {key_col}, {cols} FROM {versions} \
         WHERE {since} <= {n} AND {until} > {n}{extra_version_condition})",
        key_col = ident(key),
        table = ident(table),
        version_key_col = ident(version_key),
        versions = ident(format_args!("{table}_version")),
    )
}

/// The relations as recorded at the end of change `n` (an SQL expression), without the
/// erased: for the store's own statements (the path search), which bind `n` themselves.
pub fn relations_at_change(n: &str) -> String {
    as_recorded(
        "relation",
        "key",
        "id",
        RELATION_COLUMNS,
        &format!(" AND {} = 0", ident("erased")),
        n,
    )
}

/// What a statement reads as the relation table: the table itself, or the relations as
/// recorded (without the erased).
pub(super) fn relation_table(recorded: Option<Recorded>, params: &mut Params) -> String {
    match recorded {
        None => ident("relation"),
        Some(r) => relations_at_change(&change_number(r, params)),
    }
}

/// What a statement reads as the entity table.
pub(super) fn entity_table(recorded: Option<Recorded>, params: &mut Params) -> String {
    match recorded {
        None => ident("entity"),
        Some(r) => {
            let n = change_number(r, params);
            as_recorded("entity", "key", "key", ENTITY_COLUMNS, "", &n)
        }
    }
}

/// The condition that entity alias `e` is an entity of its own, not one merged into
/// another (`merge A into B` makes A answer as B).
pub(super) fn unmerged(e: &str) -> String {
    format!("{e}.{} IS NULL", ident("merged_into"))
}
