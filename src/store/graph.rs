//! A result as a graph: the relations its rows matched become edges, the entities they
//! join (and those named in `x.id` columns) become nodes.

use std::collections::HashSet;

use crate::value::{Graph, GraphEdge, GraphNode, ResultSet, Value};

use super::db::{Db, DbError};
use super::{Store, StoreError};

impl Store {
    /// The graph of `result`: the relations its rows matched as edges, the entities they
    /// join and those named in `….id` columns as nodes.
    pub fn graph(&self, result: &ResultSet) -> Result<Graph, StoreError> {
        build(self.db(), result).map_err(StoreError::query_db)
    }
}

/// Builds the graph of `result` from its rows: the relations each row matched (its
/// [`Row::relation_keys`](crate::value::Row::relation_keys)) as edges, drawn once however many rows share
/// them, and the entities they join and those named in `….id` columns as nodes.
fn build(conn: &Db, result: &ResultSet) -> Result<Graph, DbError> {
    let mut graph = Graph::default();
    let mut node_ids: Vec<String> = Vec::new();
    let mut seen_nodes: HashSet<String> = HashSet::new();
    let mut add_node = |id: String, nodes: &mut Vec<String>| {
        if seen_nodes.insert(id.clone()) {
            nodes.push(id);
        }
    };
    // An edge's time reads as the `when` column does; `symmetric` is quoted, a reserved
    // word in PostgreSQL.
    let edge_sql = format!(
        "SELECT s.id, p.id, o.id, p.\"symmetric\", r.status, {} \
         FROM relation r JOIN entity s ON s.key = r.subject \
         JOIN entity o ON o.key = r.object JOIN predicate p ON p.key = r.predicate \
         WHERE r.key = ?1",
        crate::model::time_as_written_sql("r")
    );
    let mut seen_edges: HashSet<i64> = HashSet::new();
    for key in result.relation_keys() {
        if !seen_edges.insert(key) {
            continue;
        }
        let edge = conn.query_row(&edge_sql, &[&key], |r| {
            Ok(GraphEdge {
                from: r.get(0)?,
                predicate: r.get(1)?,
                to: r.get(2)?,
                symmetric: r.get::<i64>(3)? != 0,
                status: r.get(4)?,
                when: r.get(5)?,
            })
        })?;
        add_node(edge.from.clone(), &mut node_ids);
        add_node(edge.to.clone(), &mut node_ids);
        graph.edges.push(edge);
    }
    // Entities named by the rows' id columns, relations or not.
    let id_columns: Vec<usize> = result
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.ends_with(".id"))
        .map(|(i, _)| i)
        .collect();
    for row in &result.rows {
        for &i in &id_columns {
            if let Some(Value::Text(id)) = row.cells.get(i) {
                add_node(id.clone(), &mut node_ids);
            }
        }
    }
    for id in node_ids {
        graph.nodes.push(conn.query_row(
            "SELECT id, name, kind FROM entity WHERE id = ?1",
            &[&id],
            |r| {
                Ok(GraphNode {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: r.get(2)?,
                })
            },
        )?);
    }
    Ok(graph)
}
