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
    Statement { kind, recorded }
    Query { clauses, stages }
    Clause { kind }
    Label { name }
    Term { kind }
    Pred { kind }
    TimeFilter { kind, certainly }
    FieldFilter { kind }
    Period { kind }
    StatusFilter { kind }
    Stage { kind }
    Column { kind }
    SortKey { column, descending }
    PathQuery { from, to, max, via, status, stages }
    SaveQuery { replace, name, params, body }
    RunQuery { name, args, stages }
    Arg { kind }
    Recorded { kind }
    Handle { id }
    Text { value }
    DateText { text }
    HistoryQuery { target, stages }
    ChangesQuery { since, by, stages }
    Lookup { kind, stages }
    Write { kind, reason }
    Field { kind }
    ChangeNumber { number }
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
    /// `as recorded on P` or `as recorded at change N`: the question is asked of what
    /// the store held then. Only on a query, a path, a `run` and a `history`.
    pub recorded: Option<Recorded>,
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
    /// A change to the store: `add`, `alias`, `correct`, `retract`, `merge`, `undo` …
    Write(Write),
    /// `begin`: the writes up to `commit` are one change.
    Begin,
    /// `commit`: ends a `begin` block, keeping its writes.
    Commit,
    /// `rollback`: ends a `begin` block, dropping its writes.
    Rollback,
    /// `history #412` or `history ENTITY`, optionally followed by a pipeline.
    History(HistoryQuery),
    /// `changes [since P] [by NAME]`, optionally followed by a pipeline.
    Changes(ChangesQuery),
    /// `describe ENTITY`, `entities …`, `predicates`, `sources`, optionally followed by
    /// a pipeline.
    Lookup(Lookup),
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
        /// Filters on the relation's fields (`place …`, `quote contains "…"`).
        fields: Vec<FieldFilter>,
        status: Option<StatusFilter>,
    },
    /// `A -- B [@label] [filters…] [status …]`: a relation either way round, any
    /// predicate.
    Between {
        left: Term,
        right: Term,
        label: Option<Label>,
        filters: Vec<TimeFilter>,
        /// Filters on the relation's fields (`place …`, `quote contains "…"`).
        fields: Vec<FieldFilter>,
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

/// A filter on a field of the relation a clause matches, among its modifiers.
#[derive(Debug, Clone)]
pub struct FieldFilter {
    pub kind: FieldFilterKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldFilterKind {
    /// `place TERM`: the relation's place is that entity.
    Place(Term),
    /// `source ID` or `source "title"`: a source by its id, or else by its title.
    Source(Ident),
    /// `confidence >= 0.7`: the number as written and its value.
    Confidence {
        op: Comparison,
        value: f64,
        text: String,
    },
    /// `quote contains "…"`: the words of the text, in order, in the relation's quote.
    QuoteContains(Text),
    /// `note contains "…"`: the same in its note.
    NoteContains(Text),
}

/// `<`, `<=`, `=`, `>=`, `>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Less,
    LessOrEqual,
    Equal,
    GreaterOrEqual,
    Greater,
}

impl Comparison {
    pub const ALL: [Comparison; 5] = [
        Comparison::Less,
        Comparison::LessOrEqual,
        Comparison::Equal,
        Comparison::GreaterOrEqual,
        Comparison::Greater,
    ];

    /// The operator as written (and as SQL writes it).
    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::Less => "<",
            Comparison::LessOrEqual => "<=",
            Comparison::Equal => "=",
            Comparison::GreaterOrEqual => ">=",
            Comparison::Greater => ">",
        }
    }
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

// ---- Recorded time, handles and the values of writes (WRITES.md) ----

/// `as recorded on P` or `as recorded at change N` at the end of a statement.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub kind: RecordedKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RecordedKind {
    /// `as recorded on P`: what the store held at the end of P (UTC).
    On(Period),
    /// `as recorded at change N`: what the store held right after change N.
    AtChange(u64),
}

/// `#412`: the permanent id of a relation.
#[derive(Debug, Clone)]
pub struct Handle {
    pub id: u64,
    pub span: Span,
}

/// A value written as a string (`"…"`, escapes resolved); where a bare word is allowed
/// instead (an author after `changes by`), the word.
#[derive(Debug, Clone)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// A date of a write (`when`, `from`, `to`, `at`, `published`) as the data writes it
/// (DATA.md, "Date expressions"): `2025-04-28`, `early 2025-05`, `2024-Q3`, `2024?`,
/// `2023-01/2024-06`, `../2024`, `before 2025-05`, `..` (after `to`: still holds).
/// The grammar only delimits it; src/time reads it.
#[derive(Debug, Clone)]
pub struct DateText {
    /// The date as given: a string's text, or the bare words with one space between
    /// them and the leading word (`early`, `before` …) in lower case.
    pub text: String,
    pub span: Span,
}

/// `history #412 | …` or `history ENTITY | …`.
#[derive(Debug, Clone)]
pub struct HistoryQuery {
    pub target: HistoryTarget,
    pub stages: Vec<Stage>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum HistoryTarget {
    /// Every version of one relation.
    Relation(Handle),
    /// The names, merges and relations of an entity (a name or a string).
    Entity(Term),
}

/// `changes [since P] [by NAME] [| stage …]`: the log of changes as rows.
#[derive(Debug, Clone)]
pub struct ChangesQuery {
    pub since: Option<Period>,
    /// The author: a word or a string (`by alice`, `by "Alice B"`).
    pub by: Option<Text>,
    pub stages: Vec<Stage>,
    pub span: Span,
}

/// A lookup in the catalogue, with its pipeline: rows the store makes.
#[derive(Debug, Clone)]
pub struct Lookup {
    pub kind: LookupKind,
    pub stages: Vec<Stage>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LookupKind {
    /// `describe ENTITY`: the entity named (a name or a string).
    Describe(Term),
    /// `entities [kind K] [like "text"]`, the options in either order.
    Entities {
        kind: Option<Ident>,
        like: Option<Text>,
    },
    /// `predicates`
    Predicates,
    /// `sources`
    Sources,
}

/// One write: one change to the store, with its reason (`because "…"`), which
/// `correct`, `retract`, `merge`, `unmerge` and `erase` require.
#[derive(Debug, Clone)]
pub struct Write {
    pub kind: WriteKind,
    pub reason: Option<Text>,
    pub span: Span,
}

/// The writes of WRITES.md. Entities are named as in queries, by a name or a string
/// (never a variable, `_` or a parameter).
#[derive(Debug, Clone, PartialEq)]
pub enum WriteKind {
    /// `add S [new] P O FIELD…`: `new` says P is a predicate not declared yet.
    AddRelation {
        subject: Term,
        predicate: Ident,
        new_predicate: bool,
        object: Term,
        fields: Vec<Field>,
    },
    /// `add entity ID KIND "name" [aka "a", "b"] [weak "w", …] [note "…"]`
    AddEntity {
        id: Ident,
        kind: Ident,
        name: Text,
        aliases: Vec<Text>,
        /// Weak aliases: names that are also common words.
        weak_aliases: Vec<Text>,
        note: Option<Text>,
    },
    /// `add predicate ID [label "…"] [symmetric] [description "…"]`
    AddPredicate {
        id: Ident,
        label: Option<Text>,
        symmetric: bool,
        description: Option<Text>,
    },
    /// `add source ID ["title"] [published D] [lang L] [url "…"] [note "…"] [title "…"]`
    AddSource {
        id: Ident,
        title: Option<Text>,
        fields: Vec<Field>,
    },
    /// `alias ENTITY "name", … [weak]`: more names for an entity; with `weak`, weak
    /// aliases (names that are also common words, counted by `mentions` only in quotes or
    /// beside another name).
    Alias {
        entity: Term,
        names: Vec<Text>,
        weak: bool,
    },
    /// `unalias ENTITY "name", …`
    Unalias { entity: Term, names: Vec<Text> },
    /// `rename ENTITY "name"`: a new display name; the old one stays an alias.
    Rename { entity: Term, name: Text },
    /// `correct #id FIELD VALUE[,] …`: at least one field.
    Correct { id: Handle, fields: Vec<Field> },
    /// `correct source ID FIELD VALUE[,] …`: at least one of a source's fields; a new
    /// `published` date re-anchors the relative dates of the source's relations.
    CorrectSource { id: Ident, fields: Vec<Field> },
    /// `retract #id` or `retract S P O [filters] [FIELD VALUE …] [all]`.
    Retract { target: RetractTarget, all: bool },
    /// `merge A into B`: B is the canonical entity.
    Merge { from: Term, into: Term },
    /// `unmerge A`
    Unmerge { entity: Term },
    /// `undo` (the latest change) or `undo change N`.
    Undo { change: Option<ChangeNumber> },
    /// `erase #id because "…" confirm`: the only physical delete; `confirm` is required,
    /// so `confirm` is true in every parsed tree.
    Erase { id: Handle, confirm: bool },
}

/// What `retract` removes.
#[derive(Debug, Clone, PartialEq)]
pub enum RetractTarget {
    /// `retract #412`
    Handle(Handle),
    /// `retract S P O [filters] [status …] [FIELD VALUE …]`: a relation clause of the
    /// query language (`S P O` or `S -- O`, without a label) and conditions on fields
    /// (`source kan`). In a pattern `status` is the clause's status filter. (Boxed: a
    /// clause is large.)
    Pattern {
        clause: Box<Clause>,
        fields: Vec<Field>,
    },
}

/// `change N` in `undo change N`.
#[derive(Debug, Clone)]
pub struct ChangeNumber {
    pub number: u64,
    pub span: Span,
}

/// `WORD VALUE`: one field of a relation (`when 2025-04-28`, `source kan`) or of a
/// source (`published 2025-05-08`, `lang he`).
#[derive(Debug, Clone)]
pub struct Field {
    pub kind: FieldKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    When(DateText),
    From(DateText),
    /// `to ..` (an open end) has the text `..`.
    To(DateText),
    At(DateText),
    /// A status word as written (checked by the planner).
    Status(Ident),
    Place(Term),
    /// A source id: letters, digits, `_`, `.` and `-` (`seed-article`), or a string.
    Source(Ident),
    Quote(Text),
    Note(Text),
    /// A number as written (`0.7`) and its value.
    Confidence {
        value: f64,
        text: String,
    },
    Subject(Term),
    Object(Term),
    Predicate(Ident),
    Published(DateText),
    /// `reported D`: the anchor of a relation's relative dates.
    Reported(DateText),
    /// A language code (`he`, `zh-Hans`).
    Lang(Ident),
    Url(Text),
    Title(Text),
}

impl FieldKind {
    /// The word that names the field.
    pub fn word(&self) -> &'static str {
        use super::keywords as kw;
        match self {
            FieldKind::When(_) => kw::WHEN,
            FieldKind::From(_) => kw::FROM,
            FieldKind::To(_) => kw::TO,
            FieldKind::At(_) => kw::AT,
            FieldKind::Status(_) => kw::STATUS,
            FieldKind::Place(_) => kw::PLACE,
            FieldKind::Source(_) => kw::SOURCE,
            FieldKind::Quote(_) => kw::QUOTE,
            FieldKind::Note(_) => kw::NOTE,
            FieldKind::Confidence { .. } => kw::CONFIDENCE,
            FieldKind::Subject(_) => kw::SUBJECT,
            FieldKind::Object(_) => kw::OBJECT,
            FieldKind::Predicate(_) => kw::PREDICATE,
            FieldKind::Published(_) => kw::PUBLISHED,
            FieldKind::Reported(_) => kw::REPORTED,
            FieldKind::Lang(_) => kw::LANG,
            FieldKind::Url(_) => kw::URL,
            FieldKind::Title(_) => kw::TITLE,
        }
    }
}

impl WriteKind {
    /// The word that begins the write (`add`, `correct` …).
    pub fn word(&self) -> &'static str {
        use super::keywords as kw;
        match self {
            WriteKind::AddRelation { .. }
            | WriteKind::AddEntity { .. }
            | WriteKind::AddPredicate { .. }
            | WriteKind::AddSource { .. } => kw::ADD,
            WriteKind::Alias { .. } => kw::ALIAS,
            WriteKind::Unalias { .. } => kw::UNALIAS,
            WriteKind::Rename { .. } => kw::RENAME,
            WriteKind::Correct { .. } | WriteKind::CorrectSource { .. } => kw::CORRECT,
            WriteKind::Retract { .. } => kw::RETRACT,
            WriteKind::Merge { .. } => kw::MERGE,
            WriteKind::Unmerge { .. } => kw::UNMERGE,
            WriteKind::Undo { .. } => kw::UNDO,
            WriteKind::Erase { .. } => kw::ERASE,
        }
    }
}
