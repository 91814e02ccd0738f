//! `path A to B`: the shortest chains of relations between two entities, walked in
//! either direction, no entity twice. A breadth-first search from both ends that expands
//! the smaller frontier one layer at a time (each layer one indexed query for the whole
//! frontier), stops at the first depth where the two searches meet, then lists every
//! shortest chain through the meeting entities. The statement's deadline is checked
//! between layers, rows and chains, so a timeout stops the search wherever it is.

use std::collections::{HashMap, HashSet};

use crate::deadline::Deadline;
use crate::plan::PathPlan;
use crate::value::{ResultSet, Row, Value};

use super::db::{dialect, Db, DbError, Param};
use super::{Store, StoreError};

impl Store {
    /// `path A to B`: one row per shortest chain (`hops`, `path`, `from`, `to`,
    /// `predicates`, `when`), each with the keys of its relations. Stops with SQLite's
    /// "interrupted" ([`StoreError::is_interrupted`]) once `deadline` stops the statement.
    pub fn search_paths(
        &self,
        plan: &PathPlan,
        deadline: &Deadline,
    ) -> Result<ResultSet, StoreError> {
        search(self.db(), plan, self.copy_by_object(), deadline).map_err(StoreError::query_db)
    }
}

/// The relation table the search reads, `n` being the parameter of the change when
/// the path asks about recorded time. The statements always mention that parameter
/// (`?6 = ?6` where the current table needs none) so one list of values binds both.
fn relation_table(plan: &PathPlan, n: &str) -> String {
    match plan.recorded {
        Some(r) if r.changed.relations => crate::sql::relations_at_change(n),
        _ => "relation".to_string(),
    }
}

/// The change the search reads the relations at (0 when it reads them as they are).
fn change_number(conn: &Db, plan: &PathPlan) -> Result<i64, DbError> {
    match plan.recorded {
        Some(r) => super::change::number_at(conn, r.at),
        None => Ok(0),
    }
}

/// At most this many chains are listed (the shortest ones; say `| limit` for fewer).
pub const MAX_CHAINS: usize = 1000;

/// One relation as a step between two entities.
#[derive(Debug, Clone)]
struct Edge {
    relation: i64,
    subject: i64,
    predicate: i64,
    object: i64,
}

impl Edge {
    fn other(&self, from: i64) -> i64 {
        if self.subject == from {
            self.object
        } else {
            self.subject
        }
    }
}

/// One side of the search: for each entity reached, its depth and the edges that reach
/// it from the layer before.
struct Side {
    depth: HashMap<i64, u32>,
    parents: HashMap<i64, Vec<Edge>>,
    frontier: Vec<i64>,
    level: u32,
}

impl Side {
    fn new(start: i64) -> Self {
        Side {
            depth: HashMap::from([(start, 0)]),
            parents: HashMap::new(),
            frontier: vec![start],
            level: 0,
        }
    }
}

/// Runs the search and gives one row per chain: `hops`, `path`, `from`, `to`,
/// `predicates`, `when`. Fails with SQLite's "interrupted" once `deadline` stops the
/// statement.
/// `copy_by_object`: the store has the relations' copy by object (docs/SCALE.md), which
/// the relations ending at the frontier are read from.
fn search(
    conn: &Db,
    plan: &PathPlan,
    copy_by_object: bool,
    deadline: &Deadline,
) -> Result<ResultSet, DbError> {
    let columns = crate::plan::path_columns()
        .into_iter()
        .map(String::from)
        .collect();
    let mut result = ResultSet {
        columns,
        ..ResultSet::default()
    };
    let (a, b) = (plan.from.key, plan.to.key);
    if a == b {
        return Ok(result);
    }
    let mut fwd = Side::new(a);
    let mut bwd = Side::new(b);
    let mut meet: Vec<i64> = Vec::new();
    while fwd.level + bwd.level < plan.max_hops {
        // Expand the smaller frontier.
        let side = if fwd.frontier.len() <= bwd.frontier.len() {
            &mut fwd
        } else {
            &mut bwd
        };
        if side.frontier.is_empty() {
            break;
        }
        deadline.check_sqlite()?;
        expand(conn, plan, copy_by_object, side, deadline)?;
        meet = fwd
            .frontier
            .iter()
            .chain(bwd.frontier.iter())
            .filter(|k| fwd.depth.contains_key(k) && bwd.depth.contains_key(k))
            .copied()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if !meet.is_empty() {
            break;
        }
    }
    if meet.is_empty() {
        return Ok(result);
    }
    meet.sort_unstable();
    let mut chains: Vec<Vec<(Edge, i64)>> = Vec::new();
    for m in meet {
        deadline.check_sqlite()?;
        let lefts = walk_back(&fwd, m, a);
        let rights = walk_back(&bwd, m, b);
        for l in &lefts {
            deadline.check_sqlite()?;
            for r in &rights {
                if chains.len() >= MAX_CHAINS {
                    break;
                }
                // l: the edges from m back to a; r: the edges from m on to b.
                let mut steps: Vec<(Edge, i64)> = l.iter().rev().cloned().collect();
                steps.extend(r.iter().cloned());
                let chain = orient(a, steps);
                if let Some(chain) = chain {
                    chains.push(chain);
                }
            }
        }
    }
    let hops_total = chains.iter().map(Vec::len).min().unwrap_or(0);
    chains.retain(|c| c.len() == hops_total);
    render(conn, plan, &chains, &mut result)?;
    Ok(result)
}

/// The edges of a layer around `side.frontier`, as one query for the whole frontier.
fn expand(
    conn: &Db,
    plan: &PathPlan,
    copy_by_object: bool,
    side: &mut Side,
    deadline: &Deadline,
) -> Result<(), DbError> {
    let statuses: Vec<&str> = plan
        .statuses
        .as_ref()
        .map(|s| s.iter().map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let via: &[i64] = plan.via.as_deref().unwrap_or_default();
    let d = conn.dialect();
    let filter = format!(
        "(?2 = 0 OR {}) AND (?4 = 0 OR {})",
        dialect::in_list(d, "status", "?3"),
        dialect::in_list(d, "predicate", "?5")
    );
    let table = relation_table(plan, "?6");
    // Where Citus splits `relation` by subject, the relations ending at the frontier are
    // read from the copy split by object: the frontier's shards alone, not every shard.
    let ending = if copy_by_object && table == "relation" {
        crate::sql::COPY_BY_OBJECT
    } else {
        table.as_str()
    };
    // `?6` is the change of the recorded time; the current table has no use for it.
    let sql = format!(
        "SELECT key, subject, predicate, object FROM {table} AS rel \
         WHERE {} AND {filter} \
         UNION ALL \
         SELECT key, subject, predicate, object FROM {ending} AS rel \
         WHERE {} AND {filter} AND CAST(?6 AS BIGINT) = CAST(?6 AS BIGINT)",
        dialect::in_list(d, "subject", "?1"),
        dialect::in_list(d, "object", "?1"),
    );
    let n = change_number(conn, plan)?;
    let rows = conn.query_map(
        &sql,
        &[
            &Param::Ints(&side.frontier),
            &plan.statuses.is_some(),
            &Param::Texts(&statuses),
            &plan.via.is_some(),
            &Param::Ints(via),
            &n,
        ],
        |r| {
            Ok(Edge {
                relation: r.get(0)?,
                subject: r.get(1)?,
                predicate: r.get(2)?,
                object: r.get(3)?,
            })
        },
    )?;
    let next_level = side.level + 1;
    let in_frontier: HashSet<i64> = side.frontier.iter().copied().collect();
    let mut next: Vec<i64> = Vec::new();
    let mut seen_rel: HashSet<(i64, i64)> = HashSet::new();
    for edge in rows {
        deadline.check_sqlite()?;
        if edge.subject == edge.object {
            continue;
        }
        // From which frontier entity does it lead? (Both ends may be in the frontier.)
        for from in [edge.subject, edge.object] {
            if !in_frontier.contains(&from) {
                continue;
            }
            let to = edge.other(from);
            if !seen_rel.insert((edge.relation, to)) {
                continue;
            }
            match side.depth.get(&to) {
                Some(&d) if d < next_level => continue,
                Some(_) => {}
                None => {
                    side.depth.insert(to, next_level);
                    next.push(to);
                }
            }
            side.parents.entry(to).or_default().push(edge.clone());
        }
    }
    side.frontier = next;
    side.level = next_level;
    Ok(())
}

/// Every shortest list of edges from `node` back to `root` (nearest edge first), each
/// with the entity it leaves from on the way back.
fn walk_back(side: &Side, node: i64, root: i64) -> Vec<Vec<(Edge, i64)>> {
    if node == root {
        return vec![Vec::new()];
    }
    let Some(&d) = side.depth.get(&node) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in side.parents.get(&node).into_iter().flatten() {
        let prev = e.other(node);
        if side.depth.get(&prev) != Some(&(d - 1)) {
            continue;
        }
        for mut rest in walk_back(side, prev, root) {
            if out.len() >= MAX_CHAINS {
                return out;
            }
            rest.insert(0, (e.clone(), node));
            out.push(rest);
        }
    }
    out
}

/// Puts a list of edges in walking order from `start`, each with the entity it is
/// entered from; `None` if the chain visits an entity twice.
fn orient(start: i64, edges: Vec<(Edge, i64)>) -> Option<Vec<(Edge, i64)>> {
    let mut at = start;
    let mut visited = HashSet::from([start]);
    let mut out = Vec::with_capacity(edges.len());
    for (e, _) in edges {
        if e.subject != at && e.object != at {
            return None;
        }
        let next = e.other(at);
        if !visited.insert(next) {
            return None;
        }
        out.push((e, at));
        at = next;
    }
    Some(out)
}

fn render(
    conn: &Db,
    plan: &PathPlan,
    chains: &[Vec<(Edge, i64)>],
    result: &mut ResultSet,
) -> Result<(), DbError> {
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut preds: HashMap<i64, (String, bool)> = HashMap::new();
    let mut rel_time: HashMap<i64, String> = HashMap::new();
    // Names as they were at the moment asked about, when names changed since.
    let entities = match plan.recorded {
        Some(r) if r.changed.entities => crate::sql::entities_at_change("?2"),
        _ => "entity".to_string(),
    };
    // `?2` is the change of the recorded time; the current tables have no use for it.
    let name_sql = format!(
        "SELECT name FROM {entities} AS ent WHERE key = ?1 AND CAST(?2 AS BIGINT) = CAST(?2 AS BIGINT)"
    );
    // `symmetric` is quoted: a reserved word in PostgreSQL.
    let pred_sql = "SELECT id, \"symmetric\" FROM predicate WHERE key = ?1";
    let time_sql = format!(
        "SELECT {} FROM {} r WHERE r.key = ?1 AND CAST(?2 AS BIGINT) = CAST(?2 AS BIGINT)",
        crate::model::time_as_written_sql("r"),
        relation_table(plan, "?2")
    );
    let n = change_number(conn, plan)?;
    let mut name_of = |k: i64| -> Result<String, DbError> {
        if let Some(name) = names.get(&k) {
            return Ok(name.clone());
        }
        let name: String = conn.query_row(&name_sql, &[&k, &n], |r| r.get(0))?;
        names.insert(k, name.clone());
        Ok(name)
    };
    let (from_name, to_name) = (name_of(plan.from.key)?, name_of(plan.to.key)?);
    for chain in chains {
        let mut path = String::new();
        let mut pred_ids = Vec::new();
        let mut whens = Vec::new();
        for (i, (e, from)) in chain.iter().enumerate() {
            if let std::collections::hash_map::Entry::Vacant(v) = preds.entry(e.predicate) {
                v.insert(conn.query_row(pred_sql, &[&e.predicate], |r| {
                    Ok((r.get::<String>(0)?, r.get::<i64>(1)? != 0))
                })?);
            }
            if let std::collections::hash_map::Entry::Vacant(v) = rel_time.entry(e.relation) {
                let written: Option<String> =
                    conn.query_row(&time_sql, &[&e.relation, &n], |r| r.get(0))?;
                v.insert(written.unwrap_or_else(|| "?".to_string()));
            }
            let (pid, symmetric) = &preds[&e.predicate];
            let to = e.other(*from);
            if i == 0 {
                path.push_str(&name_of(*from)?);
            }
            let step = if *symmetric {
                format!(" —{pid}— ")
            } else if e.subject == *from {
                format!(" —{pid}→ ")
            } else {
                format!(" ←{pid}— ")
            };
            path.push_str(&step);
            path.push_str(&name_of(to)?);
            pred_ids.push(pid.clone());
            whens.push(rel_time[&e.relation].clone());
        }
        let cells = vec![
            Value::Int(chain.len() as i64),
            Value::Text(path),
            Value::Text(from_name.clone()),
            Value::Text(to_name.clone()),
            Value::Text(pred_ids.join(", ")),
            Value::Text(whens.join("; ")),
            Value::Text(
                chain
                    .iter()
                    .map(|(e, _)| format!("#{}", e.relation))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ];
        result.rows.push(Row {
            cells,
            time: None,
            relation_keys: chain.iter().map(|(e, _)| e.relation).collect(),
        });
    }
    Ok(())
}
