//! Values and result sets: what the store gives back for a query and the renderers print.

use serde::Serialize;

/// One cell of a result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Value {
    /// The cell as text for table, CSV and TSV output; `None` for null.
    pub fn as_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Value::Null => None,
            Value::Int(i) => Some(i.to_string().into()),
            Value::Real(f) => Some(f.to_string().into()),
            Value::Text(s) => Some(s.as_str().into()),
        }
    }
}

/// The rows of a result with their column names, in order.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    /// The query ended with `| timeline`: table output draws the rows on a time axis.
    /// Each row then has the columns `start` and `end` (ISO dates or null).
    #[serde(skip)]
    pub timeline: bool,
    /// Per row, the relation's time bounds `[start_lo, start_hi, end_lo, end_hi]` as days
    /// since 1970-01-01 (`i64::MIN` / `i64::MAX` where unknown or open), `None` for a row
    /// without a time. Filled only when `timeline` is true; the timeline draws from it.
    #[serde(skip)]
    pub times: Vec<Option<[i64; 4]>>,
    /// Per row, the keys of the relations that row matched (graph output): entry `i`
    /// belongs to row `i`; empty when no row carries any (not asked for, or no row
    /// matched a relation). Whatever reorders, cuts or merges the rows does the same to
    /// these, so that a graph of the result draws only the relations of the rows shown.
    #[serde(skip)]
    pub relation_keys: Vec<Vec<i64>>,
    /// The result as a graph of entities and relations, for `--format dot|mermaid`.
    #[serde(skip)]
    pub graph: Option<Graph>,
}

/// Entities as nodes and relations as edges.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GraphNode {
    pub id: String,
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GraphEdge {
    /// Entity ids.
    pub from: String,
    pub to: String,
    pub predicate: String,
    /// The time as written, if any.
    pub when: Option<String>,
    /// The predicate is symmetric: drawn without an arrow head.
    pub symmetric: bool,
    pub status: String,
}
