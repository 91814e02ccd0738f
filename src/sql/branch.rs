//! One branch of the statement: the clauses as a join with each relation clause read
//! one way round, and how the branch refers to each variable's key.

use std::fmt::Write as _;

use super::bounds::bound_col;
use super::colocation::{
    fixed_entity, shared_entity, split_table, stands_alone, stored_ends, Split,
};
use super::columns::relation_column;
use super::conditions::{condition, relation_conditions};
use super::recorded::{entity_table, relation_from, unmerged, Source};
use super::{col, entity_alias, hidden_col, ident, pred_alias, rel_alias, Params};
use crate::plan::{ColumnSource, Node, Orientation, PredMatch, RelationMatch, Select};

/// One branch: the clauses as a join with each relation clause read one way round.
/// The hidden columns a branch gives after the output columns.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hidden<'a> {
    /// The four bounds of the first relation clause.
    pub(super) timeline: bool,
    /// The keys of the first `keys` relation clauses.
    pub(super) keys: usize,
    /// The `when` columns that carry their bounds, for a sort (see [`super::bounds`]).
    pub(super) bounds: &'a [usize],
}

/// `sources`: where each relation clause reads its relations in a question about the
/// past (`None`: the compound subquery of both). `omit_unneeded`: the columns no stage
/// uses are left out (for a branch of several, whose union gives them as NULL, see
/// [`super::compile`]) instead of given as NULL. `copy_by_object`: the store has the
/// relations' copy by object, which clauses read where [`super::colocation`] says.
#[allow(clippy::too_many_arguments)]
pub(super) fn branch(
    select: &Select,
    relations: &[&RelationMatch],
    orientation: &[Orientation],
    sources: Option<&[Source]>,
    params: &mut Params,
    level: &str,
    hidden: Hidden<'_>,
    needed: &[bool],
    omit_unneeded: bool,
    copy_by_object: bool,
) -> String {
    let keys = Keys::new(select, relations, orientation, needed);
    let mut from: Vec<String> = Vec::new();
    let mut conds: Vec<String> = Vec::new();
    // The entity all the branch's clauses hold, where the store has the copy by object:
    // its relation clauses and those inside `not` read the table split by it.
    let split = copy_by_object.then(|| Split {
        shared: shared_entity(relations, orientation),
    });
    let shared = split.and_then(|s| s.shared);
    // Clauses that share no entity cannot be joined inside shard groups: the first, if
    // it fixes an entity and meets the others only through them, is read on its own
    // (a subquery Citus runs first, on that entity's node, and sends to the nodes).
    let first_alone = split.is_some()
        && shared.is_none()
        && relations.len() > 1
        && relations.first().is_some_and(|m| stands_alone(m));
    for (i, m) in relations.iter().enumerate() {
        let alias = rel_alias(i);
        let source = sources.and_then(|s| s.get(i).copied());
        let (table, current) = relation_from(select.recorded, source, &alias, params);
        // The table split by the shared entity (by the entity it fixes, for a first
        // clause read alone).
        let ends = stored_ends(m, orientation[i]);
        let by = if i == 0 && first_alone {
            fixed_entity(ends)
        } else {
            shared
        };
        let table = split_table(table, ends, by);
        if i == 0 && first_alone {
            let mut own: Vec<String> = current.into_iter().collect();
            relation_conditions(&alias, m, orientation[i], params, &keys, &mut own);
            let mut sub = format!("(SELECT * FROM {table} AS {alias}");
            if !own.is_empty() {
                let _ = write!(sub, " WHERE {}", own.join(" AND "));
            }
            from.push(format!("{sub}) AS {alias}"));
            continue;
        }
        from.push(format!("{table} AS {alias}"));
        conds.extend(current);
        relation_conditions(&alias, m, orientation[i], params, &keys, &mut conds);
    }
    for (v, var) in select.entity_vars.iter().enumerate() {
        if !keys.entity_joined[v] {
            continue;
        }
        let table = entity_table(select.recorded, params);
        from.push(format!("{table} AS {}", entity_alias(v)));
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
            crate::plan::Clause::Kind { var, kind } => {
                conds.push(format!(
                    "{}.{} = {}",
                    entity_alias(*var),
                    ident("kind"),
                    params.text(kind)
                ));
                conds.push(unmerged(&entity_alias(*var)));
            }
            crate::plan::Clause::Not(inner) => {
                let cond = condition(inner, params, &keys, split, &mut not_counter);
                conds.push(format!("NOT ({cond})"));
            }
        }
    }
    let mut cols: Vec<String> = Vec::new();
    for (i, c) in select.columns.iter().enumerate() {
        let expr = if !needed.get(i).copied().unwrap_or(true) {
            if omit_unneeded {
                continue;
            }
            // Not used by any stage: not computed.
            "NULL".to_string()
        } else {
            match c.source {
                ColumnSource::EntityName(v) => format!("{}.{}", entity_alias(v), ident("name")),
                ColumnSource::EntityId(v) => format!("{}.{}", entity_alias(v), ident("id")),
                ColumnSource::Predicate(j) => format!("{}.{}", pred_alias(j), ident("id")),
                ColumnSource::Relation { clause, field } => match relations.get(clause) {
                    Some(m) => {
                        relation_column(clause, m, orientation[clause], field, &keys, params)
                    }
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
    for &i in hidden.bounds {
        if let Some(ColumnSource::Relation { clause, .. }) = select.columns.get(i).map(|c| c.source)
        {
            let r = rel_alias(clause);
            for (b, end) in [("start_lo", false), ("end_hi", true)] {
                cols.push(format!("{r}.{} AS {}", ident(b), bound_col(level, i, end)));
            }
        }
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

/// How a branch refers to the key of each variable: the entity (or predicate) table
/// joined for it where its name, id or kind is needed, else the relation column that
/// first binds it, so that a query that only counts never touches those tables.
pub(super) struct Keys {
    pub(super) entity_joined: Vec<bool>,
    /// The column of the first relation clause that binds each entity variable.
    pub(super) entity_binding: Vec<Option<String>>,
    pub(super) pred_joined: Vec<bool>,
    pub(super) pred_binding: Vec<Option<String>>,
    /// `as recorded …` of the statement.
    pub(super) recorded: Option<crate::plan::AsRecorded>,
}

impl Keys {
    pub(super) fn new(
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
            recorded: select.recorded,
        }
    }

    /// The expression for entity variable `v`'s key.
    pub(super) fn entity(&self, v: usize) -> String {
        match (&self.entity_binding[v], self.entity_joined[v]) {
            (Some(b), _) => b.clone(),
            (None, _) => format!("{}.{}", entity_alias(v), ident("key")),
        }
    }

    /// The expression for predicate variable `j`'s key.
    pub(super) fn predicate(&self, j: usize) -> String {
        match &self.pred_binding[j] {
            Some(b) => b.clone(),
            None => format!("{}.{}", pred_alias(j), ident("key")),
        }
    }
}
