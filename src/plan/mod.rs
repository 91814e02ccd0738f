//! The planner: a parsed statement checked against the store's catalog (entities,
//! predicates, kinds, saved queries) and turned into a [`Plan`] — names resolved to keys,
//! periods turned into day bounds, variables numbered, output columns worked out.
//!
//! The planner never touches SQLite: it sees the store only through [`Catalog`].

mod columns;
mod error;
mod repeats;
mod resolve;
#[cfg(test)]
pub(crate) mod test_catalog;

pub use columns::{after_stage, ColumnDef, ColumnSource, ColumnType, RelField};
pub use error::{PlanError, PlanErrorKind};
pub use resolve::{resolve, Context};

use crate::model::Status;
use crate::time::Day;

/// An entity as the catalog knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityRef {
    pub key: i64,
    pub id: String,
    pub name: String,
    pub kind: String,
}

/// A predicate as the catalog knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PredicateRef {
    pub key: i64,
    pub id: String,
    pub symmetric: bool,
}

/// A saved query as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedQuery {
    pub name: String,
    pub params: Vec<String>,
    pub body: String,
}

/// A failure of the catalog itself (the database), as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CatalogError(pub String);

/// What the planner needs to know of the store.
pub trait Catalog {
    /// Entities whose id is `text`; if none, those with a name or alias whose normalised
    /// form equals the normalised `text`. An entity merged into another
    /// (`merge A into B`) is given as the one it was merged into.
    fn entities_named(&self, text: &str) -> Result<Vec<EntityRef>, CatalogError>;
    /// As [`Catalog::entities_named`], but a merged entity as itself (for `unmerge`,
    /// `merge` and `history`). A catalog without merges gives the same.
    fn entities_named_as_stored(&self, text: &str) -> Result<Vec<EntityRef>, CatalogError> {
        self.entities_named(text)
    }
    /// As [`Catalog::entities_named`], with the merges in force at a moment of recorded
    /// time (`as recorded …`): an entity merged since answers as itself.
    fn entities_named_at(&self, text: &str, _at: Recorded) -> Result<Vec<EntityRef>, CatalogError> {
        // A catalog without history knows no merges but today's.
        self.entities_named(text)
    }
    /// Up to a few known names close to `text`, best first.
    fn entity_suggestions(&self, text: &str) -> Result<Vec<String>, CatalogError>;
    fn predicate(&self, id: &str) -> Result<Option<PredicateRef>, CatalogError>;
    /// Every predicate id (for suggestions).
    fn predicate_ids(&self) -> Result<Vec<String>, CatalogError>;
    /// Every source id (for checking and suggesting the `source` of a write).
    fn source_ids(&self) -> Result<Vec<String>, CatalogError> {
        Ok(Vec::new())
    }
    /// Every entity kind in use.
    fn kinds(&self) -> Result<Vec<String>, CatalogError>;
    fn saved_query(&self, name: &str) -> Result<Option<SavedQuery>, CatalogError>;
}

/// A checked statement, ready for the SQL compiler (or, for `path` and saved-query
/// commands, for the store).
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    Select(Select),
    Path(PathPlan),
    Save {
        replace: bool,
        name: String,
        params: Vec<String>,
        /// The body as canonical query text.
        body: String,
    },
    Saved,
    Drop {
        name: String,
    },
    /// A write statement: one change unless a `begin` block is open.
    Write(Box<WritePlan>),
    /// `begin`, `commit`, `rollback`: a block of writes as one change.
    Begin,
    Commit,
    Rollback,
    /// `history #id` or `history ENTITY`.
    History(HistoryPlan),
    /// `changes [since D] [by NAME]`.
    Changes(ChangesPlan),
}

/// A write, resolved: the store's operation, the reason, the statement as written.
#[derive(Debug, Clone, PartialEq)]
pub struct WritePlan {
    pub op: crate::store::WriteOp,
    /// `retract PATTERN`: the ids the operation retracts are the pattern's matches.
    pub pattern: Option<RetractPattern>,
    /// `because "…"`
    pub reason: Option<String>,
    /// The statement's text as written, for the change log.
    pub statement: String,
}

/// The relations `retract S P O …` names: the rows of a one-clause query (any status
/// unless it says), kept where each `(column, value)` of `matches` holds.
#[derive(Debug, Clone, PartialEq)]
pub struct RetractPattern {
    pub select: Select,
    /// The column of the relation's id.
    pub id_column: usize,
    /// Fields the matches must have (`source kan`), by column of the query.
    pub matches: Vec<(usize, serde_json::Value)>,
    /// `all`: every match is retracted; without it there must be exactly one.
    pub all: bool,
}

/// Whose history `history` gives.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryOf {
    /// A relation's id.
    Relation(i64),
    /// An entity's id (as stored: a merged entity's own history).
    Entity(String),
}

/// `history …`: rows of [`RELATION_HISTORY_COLUMNS`] or [`ENTITY_HISTORY_COLUMNS`].
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPlan {
    pub of: HistoryOf,
    pub stages: Vec<Stage>,
    /// `as recorded …`: only the versions recorded by then.
    pub recorded: Option<Recorded>,
}

/// `changes …`: rows of [`CHANGES_COLUMNS`].
#[derive(Debug, Clone, PartialEq)]
pub struct ChangesPlan {
    /// The first day (UTC) of the changes listed.
    pub since: Option<Day>,
    /// Only the changes of this author.
    pub by: Option<String>,
    pub stages: Vec<Stage>,
}

/// The columns of `history #id`: one row per version of the relation.
pub const RELATION_HISTORY_COLUMNS: &[&str] = &[
    "change",
    "recorded",
    "recorded_by",
    "origin",
    "reason",
    "action",
    "id",
    "subject",
    "predicate",
    "object",
    "when",
    "start",
    "end",
    "status",
    "place",
    "source",
    "quote",
    "note",
    "confidence",
];

/// The columns of `history ENTITY`: its names, merges and relations by change.
pub const ENTITY_HISTORY_COLUMNS: &[&str] = &[
    "change",
    "recorded",
    "recorded_by",
    "reason",
    "action",
    "id",
    "detail",
];

/// The columns of `changes`: one row per change.
pub const CHANGES_COLUMNS: &[&str] = &[
    "change",
    "recorded",
    "recorded_by",
    "origin",
    "sha256",
    "reason",
    "statement",
    "undoes",
    "summary",
];

/// Clauses joined on shared variables, then pipeline stages.
///
/// The relation clauses outside `not` are numbered in the order of `clauses` from 0:
/// that is the number a label stands for in a [`Bound`].
#[derive(Debug, Clone, PartialEq)]
pub struct Select {
    /// Entity variables in order of first appearance (name without `?`).
    pub entity_vars: Vec<EntityVar>,
    /// Predicate variables in order of first appearance.
    pub pred_vars: Vec<String>,
    pub clauses: Vec<Clause>,
    /// The columns the clauses give, before any stage.
    pub columns: Vec<ColumnDef>,
    pub stages: Vec<Stage>,
    /// `| timeline` was given: rows in time order, with the bounds of the first relation
    /// clause for drawing.
    pub timeline: bool,
    /// `as recorded …`: what the store held then instead of its current beliefs.
    pub recorded: Option<Recorded>,
}

/// A moment of recorded time (WRITES.md): the end of a change, or the end of a day (UTC),
/// which is the end of the last change recorded that day or before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// `as recorded at change N`
    AtChange(i64),
    /// `as recorded on P`: the end of P's last day.
    EndOfDay(crate::time::Day),
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntityVar {
    pub name: String,
    /// Kinds the variable is restricted to (`?x:person`); several restrictions must all
    /// hold.
    pub kinds: Vec<String>,
}

/// One end of a relation clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// A known entity (its key).
    Entity(i64),
    /// An entity variable (index into `Select::entity_vars`).
    Var(usize),
    /// `_`
    Any,
}

impl Node {
    pub fn is_fixed(&self) -> bool {
        matches!(self, Node::Entity(_))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PredMatch {
    /// Named predicates; `symmetric` lists the keys of those that are symmetric.
    Keys { keys: Vec<i64>, symmetric: Vec<i64> },
    /// A predicate variable (index into `Select::pred_vars`).
    Var(usize),
    /// `*`
    Any,
}

/// Which way round a relation is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// As stored: the clause's left end is the relation's subject.
    Forward,
    /// Reversed: the clause's left end is the relation's object. For named predicates
    /// only the symmetric ones; for `?r`/`*` only symmetric predicates; for `--` any.
    Reverse,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RelationMatch {
    pub left: Node,
    pub right: Node,
    pub predicate: PredMatch,
    /// `A -- B`: any predicate, either direction.
    pub either: bool,
    pub filters: Vec<Filter>,
    /// `None`: any status.
    pub statuses: Option<Vec<Status>>,
    /// An end is a known entity or a variable that other clauses also use: the clause
    /// is read from that end, so relations that read both ways are found from it.
    pub anchored: bool,
}

impl RelationMatch {
    /// The ways round this clause is matched. Named symmetric predicates match both ways
    /// always (`?a met ?b` gives each meeting twice); `--`, `?r` and `*` match the
    /// reverse way only when the clause is anchored (an end is a known entity or a
    /// variable joined with another clause), so that between two free variables each
    /// relation is listed once, as stored.
    pub fn orientations(&self) -> Vec<Orientation> {
        let fixed_end = self.anchored;
        let reverse = if self.either {
            fixed_end
        } else {
            match &self.predicate {
                PredMatch::Keys { symmetric, .. } => !symmetric.is_empty(),
                PredMatch::Var(_) | PredMatch::Any => fixed_end,
            }
        };
        if reverse {
            vec![Orientation::Forward, Orientation::Reverse]
        } else {
            vec![Orientation::Forward]
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    Relation(RelationMatch),
    /// `?x:kind` alone.
    Kind {
        var: usize,
        kind: String,
    },
    Not(Box<Clause>),
}

/// A time filter with its period's bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter {
    pub test: FilterTest,
    pub lo: Bound,
    pub hi: Bound,
}

/// One end of a filter's period: a day, or a bound of another relation clause's
/// relation (`after @a`: the period that relation may cover, from its earliest start to
/// its latest end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// A day of the query (`NEG_INF`/`POS_INF` for an open end).
    Day(Day),
    /// The earliest start (`start_lo`) of relation clause n (see [`Select`]).
    StartOf(usize),
    /// The latest end (`end_hi`) of relation clause n.
    EndOf(usize),
}

/// The comparisons of LANGUAGE.md's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterTest {
    /// `in`/`on`/`since`/`until`/`between`, possibly: start_lo ≤ hi and end_hi ≥ lo.
    Overlaps,
    /// the same, certainly (`within`): lo ≤ start_lo and end_hi ≤ hi.
    Within,
    /// `as of`, possibly: start_lo ≤ hi and end_hi ≥ lo.
    AsOf,
    /// `certainly as of`: start_hi ≤ lo and end_lo ≥ hi.
    CertainlyAsOf,
    /// `before`, possibly: start_lo < lo.
    Before,
    /// `certainly before`: end_hi < lo.
    CertainlyBefore,
    /// `after`, possibly: end_hi > hi.
    After,
    /// `certainly after`: start_lo > hi.
    CertainlyAfter,
}

/// A pipeline stage; column numbers index the columns of the stage before it.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    Show(Vec<usize>),
    Sort(Vec<(usize, bool)>),
    Limit(u64),
    /// `count` (no columns) or `count by …`
    Count(Vec<usize>),
    Distinct,
}

/// `path A to B`: the store searches it.
#[derive(Debug, Clone, PartialEq)]
pub struct PathPlan {
    pub from: EntityRef,
    pub to: EntityRef,
    pub max_hops: u32,
    /// Predicate keys allowed; `None` for any.
    pub via: Option<Vec<i64>>,
    pub statuses: Option<Vec<Status>>,
    /// Stages applied to the path rows (columns of [`path_columns`]).
    pub stages: Vec<Stage>,
    /// `as recorded …`: the chains the store held then.
    pub recorded: Option<Recorded>,
}

/// Default number of hops of `path`.
pub const PATH_DEFAULT_HOPS: u32 = 4;
/// Largest number of hops `path` accepts.
pub const PATH_MAX_HOPS: u32 = 8;

/// The columns of a path result, one row per chain.
pub fn path_columns() -> Vec<&'static str> {
    vec!["hops", "path", "from", "to", "predicates", "when", "ids"]
}
