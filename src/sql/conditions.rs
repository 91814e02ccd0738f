//! The WHERE conditions of a branch: a clause's ends and predicates read one way round,
//! its statuses, its time filters (LANGUAGE.md's table), and clauses inside `not`.

use std::fmt::Write as _;

use super::branch::Keys;
use super::colocation::{compares_with_a_label, fixed_entity, split_table, stored_ends, Split};
use super::recorded::{relation_table, unmerged};
use super::{entity_alias, ident, rel_alias, Dialect, Params};
use crate::plan::{
    Bound, FieldTest, Filter, FilterTest, Node, Orientation, PredMatch, RelationMatch,
};

pub(super) fn node_condition(
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

pub(super) fn symmetric_keys() -> String {
    format!(
        "(SELECT {} FROM {} WHERE {} = 1)",
        ident("key"),
        ident("predicate"),
        ident("symmetric")
    )
}

/// The conditions on relation alias `r` for clause `m` read one way round.
pub(super) fn relation_conditions(
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
    for f in &m.fields {
        out.push(field_condition(r, f, params));
    }
}

/// A filter on a field of relation alias `r`. `contains` looks the words up in the text
/// index (`relation_text`, schema 10), whose rows are the relations' keys: a rare word
/// finds its few relations without reading the others.
pub(super) fn field_condition(r: &str, f: &FieldTest, params: &mut Params) -> String {
    match f {
        FieldTest::Place(key) => format!("{r}.{} = {}", ident("place"), params.int(*key)),
        FieldTest::Source(ids) => format!(
            "{r}.{} IN (SELECT {} FROM {} WHERE {} IN ({}))",
            ident("source"),
            ident("key"),
            ident("source"),
            ident("id"),
            params.text_list(&ids.iter().map(String::as_str).collect::<Vec<_>>())
        ),
        FieldTest::Confidence(op, value) => format!(
            "{r}.{} {} {}",
            ident("confidence"),
            op.as_str(),
            params.real(*value)
        ),
        FieldTest::Contains { field, words } if params.dialect == Dialect::Postgres => {
            super::dialect::words_in_text(r, field.column(), words, params)
        }
        FieldTest::Contains { field, words } => format!(
            "{r}.{} IN (SELECT {} FROM {} WHERE {}.{} MATCH {})",
            ident("key"),
            ident("rowid"),
            ident(TEXT_INDEX),
            ident(TEXT_INDEX),
            ident(field.column()),
            params.text(&phrase(words))
        ),
    }
}

/// The text index of relations' quotes and notes (schema 10): an FTS5 table whose rows
/// are the relations' keys and whose text is in the normalised form of names.
const TEXT_INDEX: &str = "relation_text";

/// An FTS5 query for `words` as one phrase: the words, one after another, as the index's
/// tokenizer splits them (any `"` doubled, as FTS5 strings escape it). A bound value.
pub(super) fn phrase(words: &str) -> String {
    format!("\"{}\"", words.replace('"', "\"\""))
}

pub(super) fn in_ints(column: &str, keys: &[i64], params: &mut Params) -> String {
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
pub(super) fn filter_condition(r: &str, f: &Filter, params: &mut Params) -> String {
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
pub(super) fn bound(b: Bound, params: &mut Params) -> String {
    match b {
        Bound::Day(day) => params.int(day),
        Bound::StartOf(n) => format!("{}.{}", rel_alias(n), ident("start_lo")),
        Bound::EndOf(n) => format!("{}.{}", rel_alias(n), ident("end_hi")),
    }
}

/// A clause inside `not`, as a boolean SQL expression over the outer query's aliases.
/// `split`: where the store has the relations' copy by object, the entity the outer
/// branch's clauses hold ([`super::colocation`]); a relation inside `not` that holds it
/// reads the table split by it, so that Citus runs the correlated subquery inside each
/// shard group.
pub(super) fn condition(
    c: &crate::plan::Clause,
    params: &mut Params,
    keys: &Keys,
    split: Option<Split>,
    counter: &mut usize,
) -> String {
    match c {
        crate::plan::Clause::Kind { var, kind } => format!(
            "{}.{} = {} AND {}",
            entity_alias(*var),
            ident("kind"),
            params.text(kind),
            unmerged(&entity_alias(*var))
        ),
        crate::plan::Clause::Not(inner) => {
            format!("NOT ({})", condition(inner, params, keys, split, counter))
        }
        crate::plan::Clause::Relation(m) => {
            let mut parts = Vec::new();
            for o in m.orientations() {
                *counter += 1;
                let alias = ident(format_args!("n{counter}"));
                let ends = stored_ends(m, o);
                let shared = split.and_then(|s| s.shared);
                let holds_shared = shared.is_some_and(|p| ends.0 == p || ends.1 == p);
                // Where the store is split (Citus) and this relation does not hold the
                // entity the outer clauses share, a subquery correlated with the outer
                // query would read other shard groups than its rows, which Citus does
                // not run: one that meets the outer query only in one entity is asked
                // as a list instead (`key IN (SELECT …)`, the same rows: both sides are
                // never NULL), which Citus reads first and sends to the nodes.
                let list = (split.is_some() && !holds_shared)
                    .then(|| only_outer_entity(m, ends))
                    .flatten();
                let mut conds = Vec::new();
                match list {
                    Some((var, _)) => {
                        // The variable's equality is the list's: the rest as it is.
                        let mut alone = m.clone();
                        for end in [&mut alone.left, &mut alone.right] {
                            if *end == Node::Var(var) {
                                *end = Node::Any;
                            }
                        }
                        relation_conditions(&alias, &alone, o, params, keys, &mut conds);
                    }
                    None => relation_conditions(&alias, m, o, params, keys, &mut conds),
                }
                // Split by the outer branch's entity where this relation holds it (the
                // subquery runs inside each shard group), else by an entity it fixes
                // (the subquery reads one shard group).
                let by = split.and_then(|_| {
                    if holds_shared {
                        shared
                    } else {
                        fixed_entity(ends)
                    }
                });
                let table = split_table(relation_table(keys.recorded, params), ends, by);
                let mut sub = match list {
                    Some((var, column)) => format!(
                        "{} IN (SELECT {alias}.{} FROM {table} AS {alias}",
                        keys.entity(var),
                        ident(column)
                    ),
                    None => format!("EXISTS (SELECT 1 FROM {table} AS {alias}"),
                };
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

/// The one entity variable through which a relation inside `not` meets the outer query,
/// and the stored column (`subject`, `object`) that holds it: `None` when it meets it
/// otherwise too (a second variable, a predicate variable, a label's time).
fn only_outer_entity(m: &RelationMatch, ends: (Node, Node)) -> Option<(usize, &'static str)> {
    if compares_with_a_label(m) || matches!(m.predicate, PredMatch::Var(_)) {
        return None;
    }
    match ends {
        (Node::Var(_), Node::Var(_)) => None,
        (Node::Var(v), _) => Some((v, "subject")),
        (_, Node::Var(v)) => Some((v, "object")),
        _ => None,
    }
}
