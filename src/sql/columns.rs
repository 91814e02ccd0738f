//! The output columns of a branch: a relation's fields as SQL, its time as written.

use super::branch::Keys;
use super::recorded::entity_table;
use super::{entity_alias, ident, pred_alias, rel_alias, Params};
use crate::plan::{Node, Orientation, PredMatch, RelField, RelationMatch};

/// The time as written of relation `r0` (a one-clause query's `when` column, see
/// [`crate::model::time_as_written_sql`]). The same text for every query, so it is built
/// once.
pub(super) static WHEN_OF_R0: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| crate::model::time_as_written_sql(&rel_alias(0)));

/// A field of relation clause number `i`, `m` (alias `r{i}`), read `orientation` way
/// round. A name the branch has joined for a variable is read from that join; the name
/// of a known entity or predicate is looked up once per statement (an uncorrelated
/// subquery, which SQLite evaluates once); any other name is looked up per row.
pub(super) fn relation_column(
    i: usize,
    m: &RelationMatch,
    orientation: Orientation,
    f: RelField,
    keys: &Keys,
    params: &mut Params,
) -> String {
    let r = rel_alias(i);
    let (subject, object) = match orientation {
        Orientation::Forward => (m.left, m.right),
        Orientation::Reverse => (m.right, m.left),
    };
    // `table` as the statement reads it (quoted, or a subquery).
    let lookup = |table: &str, col_out: &str, key: String| {
        format!(
            "(SELECT {} FROM {table} WHERE {} = {key})",
            ident(col_out),
            ident("key"),
        )
    };
    let per_row = |col_in: &str| format!("{r}.{}", ident(col_in));
    // A name as the entity had it at the moment a question about the past asks about.
    let entity_name = |node: Node, col_in: &str, params: &mut Params| match node {
        Node::Var(v) if keys.entity_joined[v] => {
            format!("{}.{}", entity_alias(v), ident("name"))
        }
        Node::Entity(key) => {
            let table = entity_table(keys.recorded, params);
            lookup(&table, "name", params.int(key))
        }
        _ => {
            let table = entity_table(keys.recorded, params);
            lookup(&table, "name", per_row(col_in))
        }
    };
    match f {
        RelField::Subject => entity_name(subject, "subject", params),
        RelField::Object => entity_name(object, "object", params),
        RelField::Predicate => match &m.predicate {
            PredMatch::Var(j) if keys.pred_joined[*j] => {
                format!("{}.{}", pred_alias(*j), ident("id"))
            }
            PredMatch::Keys { keys, .. } if keys.len() == 1 => {
                lookup(&ident("predicate"), "id", params.int(keys[0]))
            }
            _ => lookup(&ident("predicate"), "id", per_row("predicate")),
        },
        RelField::Source => lookup(&ident("source"), "id", per_row("source")),
        RelField::When if i == 0 => WHEN_OF_R0.clone(),
        RelField::When => crate::model::time_as_written_sql(&r),
        RelField::Start => per_row("start_lo"),
        RelField::End => per_row("end_hi"),
        RelField::Status => per_row("status"),
        RelField::Quote => per_row("quote"),
        RelField::Note => per_row("note"),
        RelField::Confidence => per_row("confidence"),
        // Most relations have no place: the guard spares SQLite a look-up per row that
        // finds nothing.
        RelField::Place => format!(
            "CASE WHEN {place} IS NULL THEN NULL ELSE {} END",
            lookup(&ident("entity"), "name", per_row("place")),
            place = per_row("place")
        ),
        RelField::Id => per_row("key"),
        RelField::Recorded | RelField::RecordedBy => format!(
            "(SELECT {} FROM {} WHERE {} = {})",
            ident(if f == RelField::Recorded {
                "recorded"
            } else {
                "author"
            }),
            ident("change"),
            ident("id"),
            per_row("since_change")
        ),
    }
}
