//! The syntax tree of one statement of the query language, with a span on every node.
//!
//! Nodes follow one pattern: `Node { kind: NodeKind, span }` where a node has variants,
//! or a struct with a `span` field where it has none. Spans are byte offsets into the
//! statement's text. `Display` prints a node back as canonical query text: parsing the
//! printed text gives the same tree. Nodes compare without their spans.

/// A byte range `start..end` in the statement's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// Equality of nodes by what they say, not where they were written: every field but
/// `span` is compared (as sqlparser-rs does), so trees parsed from different texts are
/// equal when their structure is. [`Span`] itself compares its offsets. The pattern
/// names every field, so a field added to a node and not here fails to build.
macro_rules! eq_without_span {
    ($($node:ident { $($field:ident),+ })+) => {$(
        impl PartialEq for $node {
            fn eq(&self, other: &Self) -> bool {
                let $node { $($field,)+ span: _ } = self;
                $(*$field == other.$field)&&+
            }
        }
    )+};
}

eq_without_span! {
    Ident { name }
    Statement { kind }
    Query { clauses, stages }
    Clause { kind }
    Label { name }
    Term { kind }
    Pred { kind }
    TimeFilter { kind, certainly }
    Period { kind }
    StatusFilter { kind }
    Stage { kind }
    Column { kind }
    SortKey { column, descending }
    PathQuery { from, to, max, via, status, stages }
    SaveQuery { replace, name, params, body }
    RunQuery { name, args, stages }
    Arg { kind }
}

/// A name as written: an identifier (variable name, predicate id, kind, saved query name).
#[derive(Debug, Clone)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// One statement: what a line at the REPL or `factstore query` holds.
#[derive(Debug, Clone)]
pub struct Statement {
    pub kind: StatementKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StatementKind {
    /// Clauses and a pipeline.
    Query(Query),
    /// `path A to B [max N] [via P|P…] [status …]`, optionally followed by a pipeline.
    Path(PathQuery),
    /// `save [replace] NAME(p1, p2) = QUERY`
    Save(SaveQuery),
    /// `run NAME(arg, …)`, optionally followed by a pipeline.
    Run(RunQuery),
    /// `saved`: list the saved queries.
    Saved,
    /// `drop NAME`
    Drop(Ident),
}

/// `clause, clause, … | stage | stage`
#[derive(Debug, Clone)]
pub struct Query {
    pub clauses: Vec<Clause>,
    pub stages: Vec<Stage>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Clause {
    pub kind: ClauseKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClauseKind {
    /// `S P O [@label] [filters…] [status …]`
    Relation {
        subject: Term,
        predicate: Pred,
        object: Term,
        label: Option<Label>,
        filters: Vec<TimeFilter>,
        status: Option<StatusFilter>,
    },
    /// `A -- B [@label] [filters…] [status …]`: a relation either way round, any
    /// predicate.
    Between {
        left: Term,
        right: Term,
        label: Option<Label>,
        filters: Vec<TimeFilter>,
        status: Option<StatusFilter>,
    },
    /// `?x:kind` alone: every entity of that kind.
    Kind { var: Ident, kind: Ident },
    /// `not CLAUSE`
    Not(Box<Clause>),
}

/// `@name` after a relation clause's terms: names the relation the clause matches, so
/// that time filters of other clauses can compare with its time (`after @name`).
#[derive(Debug, Clone)]
pub struct Label {
    /// The name without `@`.
    pub name: String,
    /// The span of `@name`.
    pub span: Span,
}

/// An entity position (subject, object, either side of `--`, path ends, run arguments).
#[derive(Debug, Clone)]
pub struct Term {
    pub kind: TermKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TermKind {
    /// `?x` or `?x:kind`
    Var { name: String, kind: Option<Ident> },
    /// `_`: any entity, not bound.
    Any,
    /// A bare identifier: an entity id, name or alias (`Baku`).
    Name(String),
    /// A quoted string: an entity name or alias in any script (`"بيزيشكيان"`).
    Text(String),
    /// `$p`: a parameter of a saved query.
    Param(String),
}

/// A predicate position.
#[derive(Debug, Clone)]
pub struct Pred {
    pub kind: PredKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PredKind {
    /// One or more predicate ids: `visited` or `visited|met`.
    Ids(Vec<Ident>),
    /// `?r`: binds the predicate id.
    Var(String),
    /// `*`: any predicate.
    Any,
}

/// A time filter on a relation clause.
#[derive(Debug, Clone)]
pub struct TimeFilter {
    pub kind: TimeFilterKind,
    /// `certainly` was written (or `within`, which is `certainly in`).
    pub certainly: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TimeFilterKind {
    /// `in P`
    In(Period),
    /// `on P` (same meaning as `in`)
    On(Period),
    /// `within P`: `certainly in P`; `certainly` is always true with it.
    Within(Period),
    /// `since A`: `in A..`
    Since(Period),
    /// `until B`: `in ..B`
    Until(Period),
    /// `between A and B`: `in A..B`
    Between(Period, Period),
    /// `as of D`
    AsOf(Period),
    /// `before D`
    Before(Period),
    /// `after D`
    After(Period),
}

/// A period in a query: a date expression, `today`, a range, or a parameter.
#[derive(Debug, Clone)]
pub struct Period {
    pub kind: PeriodKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PeriodKind {
    /// A date as written, with an optional `early`/`mid`/`late` part: `2024-Q3`,
    /// `mid 2024`, `early 2025-02`, `2025-04-28`. `text` holds the date token only.
    Date { part: Option<Part>, text: String },
    /// `today`
    Today,
    /// `A..B`, `A..`, `..B`: from the start of A to the end of B.
    Range {
        from: Option<Box<Period>>,
        to: Option<Box<Period>>,
    },
    /// `$p`: a parameter of a saved query.
    Param(String),
    /// `@name`: the time of the relation labelled `@name`, as the period it may cover
    /// (from its earliest start to its latest end). Only in time filters.
    Label(String),
}

/// `early`, `mid`, `late`: a third of a year or of a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Early,
    Mid,
    Late,
}

/// `status planned`, `status occurred|planned`, `status any`.
#[derive(Debug, Clone)]
pub struct StatusFilter {
    pub kind: StatusFilterKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StatusFilterKind {
    Any,
    /// One or more status words as written (checked by the planner).
    Of(Vec<Ident>),
}

/// A pipeline stage after `|`.
#[derive(Debug, Clone)]
pub struct Stage {
    pub kind: StageKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StageKind {
    /// `show col, col, …`
    Show(Vec<Column>),
    /// `sort col [asc|desc], …`
    Sort(Vec<SortKey>),
    /// `limit N`
    Limit(u64),
    /// `count` (empty) or `count by col, …`
    Count(Vec<Column>),
    /// `distinct`
    Distinct,
    /// `timeline`
    Timeline,
}

/// An output column: `?x` (a variable, the column `x`), `?x.id`, or a named column such as
/// `when`, `source`, `x.id`, `count`.
#[derive(Debug, Clone)]
pub struct Column {
    pub kind: ColumnKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ColumnKind {
    /// `?x`; `id` is true for `?x.id`.
    Var { name: String, id: bool },
    /// A bare column name, possibly dotted (`when`, `x.id`).
    Named(String),
}

#[derive(Debug, Clone)]
pub struct SortKey {
    pub column: Column,
    pub descending: bool,
    pub span: Span,
}

/// `path A to B [max N] [via P|P…] [status …] [| stage …]`
#[derive(Debug, Clone)]
pub struct PathQuery {
    pub from: Term,
    pub to: Term,
    pub max: Option<u64>,
    pub via: Vec<Ident>,
    pub status: Option<StatusFilter>,
    pub stages: Vec<Stage>,
    pub span: Span,
}

/// `save [replace] NAME(p1, p2) = QUERY`. `text` is the query's source text as written,
/// which is what the store keeps.
#[derive(Debug, Clone)]
pub struct SaveQuery {
    pub replace: bool,
    pub name: Ident,
    pub params: Vec<Ident>,
    pub body: Box<Statement>,
    pub span: Span,
}

/// `run NAME(arg, …) [| stage …]`
#[derive(Debug, Clone)]
pub struct RunQuery {
    pub name: Ident,
    pub args: Vec<Arg>,
    pub stages: Vec<Stage>,
    pub span: Span,
}

/// An argument of `run`: an entity term or a period.
#[derive(Debug, Clone)]
pub struct Arg {
    pub kind: ArgKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ArgKind {
    Term(Term),
    Period(Period),
}
