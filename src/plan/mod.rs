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
pub use error::{candidates_text, PlanError, PlanErrorKind};
pub use resolve::{resolve, resolve_noting, Context};

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

/// One of the entities an ambiguous name names, as an error lists it: enough to tell
/// it from the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// A name or alias of it that none of the other candidates has (and that is not
    /// its display name nor the name asked for), if it has one.
    pub alias: Option<String>,
    /// How many relations it takes part in; `None` where the catalog does not count.
    pub relations: Option<u64>,
}

impl Candidate {
    /// A candidate known only by its reference.
    pub fn of(e: &EntityRef) -> Candidate {
        Candidate {
            id: e.id.clone(),
            name: e.name.clone(),
            kind: e.kind.clone(),
            alias: None,
            relations: None,
        }
    }
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
    /// When no name is `text`: the entities one of whose names has `text` (normalised)
    /// as whole words (`Bayramov` in `Jeyhun Bayramov`), at most `limit`, merged ones
    /// as in [`Catalog::entities_named`] (with the merges at `at` if given). A catalog
    /// without a word index finds none.
    fn entities_by_word(
        &self,
        _text: &str,
        _at: Option<Recorded>,
        _limit: usize,
    ) -> Result<Vec<EntityRef>, CatalogError> {
        Ok(Vec::new())
    }
    /// The entities `found` as an ambiguity error lists them for the name `text`: each
    /// with a name the others lack and its relation count where the catalog knows them.
    fn candidates(&self, found: &[EntityRef], _text: &str) -> Result<Vec<Candidate>, CatalogError> {
        Ok(found.iter().map(Candidate::of).collect())
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
    /// Every source with a title, as `(id, title)` (a query's `source "title"`).
    fn source_titles(&self) -> Result<Vec<(String, String)>, CatalogError> {
        Ok(Vec::new())
    }
    /// Every entity kind in use.
    fn kinds(&self) -> Result<Vec<String>, CatalogError>;
    fn saved_query(&self, name: &str) -> Result<Option<SavedQuery>, CatalogError>;
    /// Every saved query's name (for suggestions).
    fn saved_names(&self) -> Result<Vec<String>, CatalogError> {
        Ok(Vec::new())
    }
    /// Which tables a question about `at` must read as they were then: those something
    /// changed in after it. A catalog that cannot tell says all of them.
    fn changed_since(&self, at: Recorded) -> Result<Changed, CatalogError> {
        let _ = at;
        Ok(Changed::ALL)
    }
    /// Whether a relation version current at `at` has one of `ends` at its ends: an
    /// entity (key) at either end, or with the other entity given, those two, either way
    /// round. A query whose every relation clause is fixed at one of them reads no
    /// version otherwise. A catalog that cannot tell says yes.
    fn versions_touch(&self, at: Recorded, ends: &[FixedEnds]) -> Result<bool, CatalogError> {
        let _ = (at, ends);
        Ok(true)
    }
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
    /// `describe ENTITY`, `entities …`, `predicates`, `sources`.
    Lookup(LookupPlan),
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

/// What a lookup in the catalogue lists.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupOf {
    /// `describe ENTITY`: rows of [`DESCRIBE_COLUMNS`] about `entity`; `asked` is the
    /// entity named when it was merged into `entity` (it describes as its target).
    Describe {
        entity: EntityRef,
        asked: Option<EntityRef>,
    },
    /// `entities [kind K] [like "text"]`: rows of [`ENTITIES_COLUMNS`]; `like` is
    /// normalised already.
    Entities {
        kind: Option<String>,
        like: Option<String>,
    },
    /// `predicates`: rows of [`predicates_columns`].
    Predicates,
    /// `sources`: rows of [`SOURCES_COLUMNS`].
    Sources,
}

/// A lookup in the catalogue with the stages over its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct LookupPlan {
    pub of: LookupOf,
    pub stages: Vec<Stage>,
}

/// The columns of `describe`: one row per fact about the entity. `field` says what the
/// row is (`id`, `kind`, `name`, `alias`, `note`, `merged`, `relations`, `first`,
/// `last`, `source`); `value` is the fact; `detail` qualifies it (an alias's script, a
/// relation's status or time, a source's title); `count` counts relations.
pub const DESCRIBE_COLUMNS: &[&str] = &["field", "value", "detail", "count"];

/// The columns of `entities`: `matched` is the name or alias that `like` matched.
pub const ENTITIES_COLUMNS: &[&str] = &["id", "kind", "name", "matched"];

/// The columns of `sources`.
pub const SOURCES_COLUMNS: &[&str] = &["id", "title", "published", "lang", "url", "relations"];

/// The columns of `predicates`: id, label, symmetric (`yes`/`no`), every relation, then
/// the relations of each status in [`Status::WORDS`]' order.
pub fn predicates_columns() -> Vec<&'static str> {
    let mut columns = vec!["id", "label", "symmetric", "relations"];
    columns.extend(Status::WORDS);
    columns
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
    pub recorded: Option<AsRecorded>,
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

/// Which of the tables a query reads changed after a moment of recorded time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed {
    /// A relation was added, corrected, retracted or erased after it.
    pub relations: bool,
    /// Some of the relations current then are no longer (corrected, retracted or erased
    /// since): their versions must be read.
    pub relation_versions: bool,
    /// An entity was added or changed (names, merges) after it.
    pub entities: bool,
}

impl Changed {
    pub const ALL: Changed = Changed {
        relations: true,
        relation_versions: true,
        entities: true,
    };
}

/// The entities a relation clause is fixed at: one end's, and the other's when both are.
pub type FixedEnds = (i64, Option<i64>);

/// `as recorded …` on a query or a path, as planned: the moment, and the tables that
/// changed after it. The others are read as they are now, through their indexes, which
/// is what they held then; a question about a moment nothing changed after reads every
/// table as it is (the moment is kept: a change it names must exist).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsRecorded {
    pub at: Recorded,
    pub changed: Changed,
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
    /// Filters on the relation's fields (`place …`, `quote contains "…"`).
    pub fields: Vec<FieldTest>,
}

/// A filter on a field of a relation.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldTest {
    /// The relation's place is this entity (its key).
    Place(i64),
    /// Its source is one of these (source ids).
    Source(Vec<String>),
    /// Its confidence compares so with the value (none: the filter is false).
    Confidence(crate::lang::ast::Comparison, f64),
    /// The words of `words` (in the normalised form of names), one after another, stand
    /// in the field (see [`crate::store::text_search`]).
    Contains { field: TextField, words: String },
}

/// The fields searched by `contains`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Quote,
    Note,
}

impl TextField {
    /// The column of the relation (and of its text index).
    pub fn column(self) -> &'static str {
        match self {
            TextField::Quote => "quote",
            TextField::Note => "note",
        }
    }
}

impl RelationMatch {
    /// The ways round this clause is matched: a query's rows are the bindings of its
    /// variables, so a symmetric relation is read both ways whatever the predicate
    /// position holds (a name, alternatives, `?r`, `*`), and `--` reads any relation
    /// both ways.
    pub fn orientations(&self) -> Vec<Orientation> {
        let reverse = self.either
            || match &self.predicate {
                PredMatch::Keys { symmetric, .. } => !symmetric.is_empty(),
                PredMatch::Var(_) | PredMatch::Any => true,
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
    pub recorded: Option<AsRecorded>,
}

/// Default number of hops of `path`.
pub const PATH_DEFAULT_HOPS: u32 = 4;
/// Largest number of hops `path` accepts.
pub const PATH_MAX_HOPS: u32 = 8;

/// The columns of a path result, one row per chain.
pub fn path_columns() -> Vec<&'static str> {
    vec!["hops", "path", "from", "to", "predicates", "when", "ids"]
}
