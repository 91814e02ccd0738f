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
    /// A relation's id: written `#412` for people, the number `412` for scripts (JSON,
    /// CSV, TSV).
    Handle(i64),
}

impl Value {
    /// The cell as text for table, CSV and TSV output; `None` for null.
    pub fn as_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Value::Null => None,
            Value::Int(i) => Some(i.to_string().into()),
            Value::Real(f) => Some(f.to_string().into()),
            Value::Text(s) => Some(s.as_str().into()),
            Value::Handle(id) => Some(format!("#{id}").into()),
        }
    }

    /// The cell as text for scripts (CSV, TSV): as [`Value::as_text`], but a relation's
    /// id is its bare number.
    pub fn as_data_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Value::Handle(id) => Some(id.to_string().into()),
            other => other.as_text(),
        }
    }
}

/// One row of a result: its cells, and what it carries besides for timelines and
/// graphs. Whatever reorders, cuts or merges rows moves these with their cells.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(transparent)]
pub struct Row {
    /// One value per column of the result, in order.
    pub cells: Vec<Value>,
    /// The relation's time bounds `[start_lo, start_hi, end_lo, end_hi]` as days since
    /// 1970-01-01 (`i64::MIN` / `i64::MAX` where unknown or open); `None` for a row
    /// without a time, and for every row of a result that is not
    /// [`timed`](ResultSet::timed).
    #[serde(skip)]
    pub time: Option<[i64; 4]>,
    /// The keys of the relations the row matched (graph output); empty when not asked
    /// for or when the row matched none.
    #[serde(skip)]
    pub relation_keys: Vec<i64>,
}

impl From<Vec<Value>> for Row {
    /// A row of cells only.
    fn from(cells: Vec<Value>) -> Row {
        Row {
            cells,
            ..Row::default()
        }
    }
}

/// The rows of a result with their column names, in order.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// The query ended with `| timeline`: table output draws the rows on a time axis.
    /// Each row then has the columns `start` and `end` (ISO dates or null).
    #[serde(skip)]
    pub timeline: bool,
    /// The rows carry their time bounds ([`Row::time`]): the timeline draws from them.
    /// Otherwise it reads the `start` and `end` columns.
    #[serde(skip)]
    pub timed: bool,
    /// The result as a graph of entities and relations, for `--format dot|mermaid`.
    #[serde(skip)]
    pub graph: Option<Graph>,
    /// Columns that only repeat what the query says (see
    /// [`crate::plan::Select::repeated_columns`]): tables leave them out, the formats
    /// for programs keep them.
    #[serde(skip)]
    pub repeated: Vec<usize>,
}

impl ResultSet {
    /// The keys of the relations behind every row, row by row (a key may repeat).
    pub fn relation_keys(&self) -> impl Iterator<Item = i64> + '_ {
        self.rows
            .iter()
            .flat_map(|r| r.relation_keys.iter().copied())
    }
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
