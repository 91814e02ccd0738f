//! Errors of the planner: what in the statement does not fit the store, where, and what
//! to try instead.

use crate::deadline::Stop;
use crate::lang::{ast::Span, clip, clip_message};
use crate::limits::{MAX_NAME_CHARS, MAX_RUN_DEPTH};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct PlanError {
    pub kind: PlanErrorKind,
    /// Where in the statement's text; `None` for errors of the whole statement.
    pub span: Option<Span>,
    /// The error is about an argument of a `run` (an unknown entity given as its value):
    /// `span` is where the argument was written, in the text that runs the saved query.
    pub argument: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlanErrorKind {
    UnknownEntity {
        text: String,
        suggestions: Vec<String>,
    },
    /// Several entities answer to a name: by one of their names, or (`by_word`) by a
    /// whole word of their names. `more`: there are more than those listed.
    AmbiguousEntity {
        text: String,
        candidates: Vec<super::Candidate>,
        by_word: bool,
        more: bool,
    },
    UnknownPredicate {
        id: String,
        suggestions: Vec<String>,
    },
    UnknownKind {
        kind: String,
        suggestions: Vec<String>,
    },
    UnknownStatus {
        word: String,
    },
    UnknownColumn {
        name: String,
        available: Vec<String>,
    },
    UnboundVariable {
        name: String,
    },
    VariableKindClash {
        name: String,
    },
    BadDate {
        text: String,
        reason: String,
    },
    EmptyPeriod {
        text: String,
    },
    TimelineWithoutRelation,
    /// Two clauses carry the same label.
    DuplicateLabel {
        name: String,
    },
    /// A filter uses a label no clause carries.
    UnknownLabel {
        name: String,
        /// Defined labels close to `name` (without `@`), best first.
        suggestions: Vec<String>,
        /// Every label of the query (without `@`).
        defined: Vec<String>,
    },
    /// A clause's filter uses the clause's own label.
    OwnLabel {
        name: String,
    },
    /// A filter outside a `not` clause uses that clause's label.
    LabelInsideNot {
        name: String,
    },
    TooManyHops {
        max: u64,
    },
    UnknownSavedQuery {
        name: String,
        suggestions: Vec<String>,
    },
    WrongArgumentCount {
        name: String,
        expected: usize,
        given: usize,
    },
    UnknownParameter {
        name: String,
    },
    ParameterMismatch {
        name: String,
        expected: &'static str,
    },
    DuplicateParameter {
        name: String,
    },
    SavedQueryBody {
        name: String,
        message: String,
    },
    TooComplex {
        reason: String,
    },
    /// A saved query runs itself: the saved queries of the loop, the first of them again
    /// at the end.
    RunLoop {
        chain: Vec<String>,
    },
    /// Saved queries run each other deeper than [`MAX_RUN_DEPTH`]: the chain, outermost
    /// first.
    RunTooDeep {
        chain: Vec<String>,
    },
    /// `as recorded` on a statement that asks nothing of the past.
    RecordedNotHere,
    /// A write names an entity with a variable, `_` or a parameter.
    WriteNeedsEntity,
    /// `add S P O` with a predicate that is not declared and no `new` before it.
    UnknownWritePredicate {
        id: String,
        suggestions: Vec<String>,
    },
    /// A write names a source the store does not have.
    UnknownSource {
        id: String,
        suggestions: Vec<String>,
    },
    /// A query's `source S` names no source by id or title.
    UnknownQuerySource {
        text: String,
        suggestions: Vec<String>,
    },
    /// `place ?x` or `place _`: a place filter names an entity.
    PlaceNeedsEntity,
    /// `quote contains "…"` with no word to look for.
    NoWordsToFind {
        field: &'static str,
    },
    /// A confidence outside 0..=1.
    BadConfidence {
        value: f64,
    },
    /// A field given where it means nothing (`published` on a relation).
    FieldNotHere {
        field: &'static str,
        what: &'static str,
    },
    /// The statement's deadline passed (`--timeout`) or it was interrupted.
    Stopped(Stop),
    Catalog(String),
}

impl PlanError {
    pub fn new(kind: PlanErrorKind, span: Span) -> Self {
        PlanError {
            kind,
            span: Some(span),
            argument: false,
        }
    }

    pub fn whole(kind: PlanErrorKind) -> Self {
        PlanError {
            kind,
            span: None,
            argument: false,
        }
    }

    /// True for errors in the input (exit status 2); false for a failing store.
    pub fn is_user_error(&self) -> bool {
        !matches!(
            self.kind,
            PlanErrorKind::Catalog(_) | PlanErrorKind::Stopped(_)
        )
    }

    /// A hint on what to try, where there is one; what it quotes is cut to a few words.
    pub fn hint(&self) -> Option<String> {
        self.hint_text().map(|h| clip_message(&h))
    }

    fn hint_text(&self) -> Option<String> {
        use PlanErrorKind::*;
        let list = |v: &[String]| {
            v.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &self.kind {
            UnknownEntity { suggestions, .. } if !suggestions.is_empty() => {
                Some(format!("did you mean {}?", or_list(suggestions)))
            }
            UnknownEntity { text: name, .. }
            | UnknownPredicate { id: name, .. }
            | UnknownKind { kind: name, .. }
                if crate::names::too_long_to_suggest(name) =>
            {
                Some(format!(
                    "no similar names are searched for a name longer than {MAX_NAME_CHARS} \
                     characters: check what was given as the statement"
                ))
            }
            UnknownEntity { .. } => Some(
                "names are matched ignoring case, accents and Arabic spelling variants; \
                 quote a name with spaces: \"Ilham Aliyev\""
                    .into(),
            ),
            AmbiguousEntity { candidates, .. } => Some(format!(
                "use one of the ids: {}{}",
                candidates
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                if candidates.iter().any(|c| c.alias.is_some()) {
                    ", or a name only one of them has"
                } else {
                    ""
                }
            )),
            UnknownPredicate { suggestions, .. } | UnknownKind { suggestions, .. }
                if !suggestions.is_empty() =>
            {
                Some(format!("did you mean {}?", or_list(suggestions)))
            }
            UnknownWritePredicate { suggestions, .. } if !suggestions.is_empty() => Some(format!(
                "did you mean {}? A new predicate is written with `new` before it: \
                     `add A new P B`",
                or_list(suggestions)
            )),
            UnknownWritePredicate { .. } => Some(
                "a new predicate is written with `new` before it (`add A new P B`), or \
                 declared first with `add predicate P`"
                    .into(),
            ),
            UnknownSource { suggestions, .. } if !suggestions.is_empty() => Some(format!(
                "did you mean {}? A new source is added first: `add source ID \"title\"`",
                or_list(suggestions)
            )),
            UnknownSource { .. } => {
                Some("a new source is added first: `add source ID \"title\"`".into())
            }
            UnknownQuerySource { suggestions, .. } if !suggestions.is_empty() => {
                Some(format!("did you mean {}?", or_list(suggestions)))
            }
            UnknownQuerySource { .. } => {
                Some("`source` takes a source's id (seed-article) or its title in quotes".into())
            }
            PlaceNeedsEntity => Some(
                "name the place as a term is named: `place Baku`, `place \"Abu Dhabi\"`; \
                 to see each relation's place, `| show place`"
                    .into(),
            ),
            NoWordsToFind { .. } => Some(
                "give letters or digits to look for, such as `quote contains \"Caspian Sea\"`"
                    .into(),
            ),
            WriteNeedsEntity => Some(
                "a write names its entities: an id, a name or a quoted name, as `Baku` or \
                 \"Ilham Aliyev\""
                    .into(),
            ),
            FieldNotHere { what, .. } if *what == "a retract pattern" => Some(
                "a retract pattern matches on the columns of a one-clause query: source, \
                 quote, when, status"
                    .into(),
            ),
            UnknownSavedQuery { suggestions, .. } if !suggestions.is_empty() => {
                Some(format!("did you mean {}?", or_list(suggestions)))
            }
            UnknownStatus { .. } => Some(format!(
                "statuses are {}, or any",
                crate::model::Status::WORDS.join(", ")
            )),
            UnknownColumn { available, .. } => Some(format!("columns here: {}", list(available))),
            UnboundVariable { .. } => {
                Some("a variable inside `not` must also appear in a clause outside it".into())
            }
            TimelineWithoutRelation => {
                Some("timeline draws relations: add a relation clause".into())
            }
            DuplicateLabel { .. } => {
                Some("a label names one relation clause: rename one of the two".into())
            }
            UnknownLabel { suggestions, .. } if !suggestions.is_empty() => {
                let shown: Vec<String> = suggestions.iter().map(|s| format!("@{s}")).collect();
                Some(format!("did you mean {}?", or_list(&shown)))
            }
            UnknownLabel { name, defined, .. } if defined.is_empty() => Some(format!(
                "label a relation clause first: write `@{name}` after its terms, \
                 as in `?p visited ?x @{name}`"
            )),
            UnknownLabel { defined, .. } => {
                let shown: Vec<String> = defined.iter().map(|s| format!("@{s}")).collect();
                Some(format!("labels here: {}", list(&shown)))
            }
            OwnLabel { .. } => Some(
                "a relation cannot be compared with itself: compare with the label of \
                 another clause, or with a date"
                    .into(),
            ),
            LabelInsideNot { .. } => Some(
                "a relation under `not` is in no result row, so nothing can be compared with \
                 it; label a clause outside `not` (a `not` clause may use those labels)"
                    .into(),
            ),
            WrongArgumentCount { .. } | UnknownSavedQuery { .. } => {
                Some("`saved` lists the saved queries with their parameters".into())
            }
            RunLoop { chain } => Some(format!(
                "a saved query cannot run itself, directly or through others: give `{}` \
                 another body with `save replace {} = …`",
                clip(&chain[0]),
                clip(&chain[0])
            )),
            RunTooDeep { .. } => Some(format!(
                "saved queries may run saved queries at most {MAX_RUN_DEPTH} deep: save a \
                 query that runs fewer of them"
            )),
            _ => None,
        }
    }
}

fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// What a message quotes of the statement (names, variables, labels) is cut to a few
/// words ([`clip_message`]), whatever their length.
impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut message = String::new();
        self.write_message(&mut message)?;
        // An ambiguity's list is bounded by its number of candidates, each clipped
        // already: cut to the usual length it would lose the candidates it exists to name.
        if matches!(self.kind, PlanErrorKind::AmbiguousEntity { .. }) {
            return f.write_str(&message);
        }
        f.write_str(&clip_message(&message))
    }
}

/// The candidates of an ambiguous name as errors list them, each with its display name,
/// id, kind, a name only it has and its relation count:
/// `Baku (baku, city, also "Bakı", 5 relations); Baku (baku_fc, organization, 0 relations)`.
pub fn candidates_text(candidates: &[super::Candidate]) -> String {
    candidates
        .iter()
        .map(|c| {
            let mut parts = vec![clip(&c.id).into_owned(), clip(&c.kind).into_owned()];
            if let Some(alias) = &c.alias {
                parts.push(format!("also {}", crate::lang::quote(&clip(alias))));
            }
            if let Some(n) = c.relations {
                parts.push(format!("{n} relation{}", if n == 1 { "" } else { "s" }));
            }
            format!("{} ({})", clip(&c.name), parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl PlanError {
    fn write_message(&self, f: &mut String) -> fmt::Result {
        use std::fmt::Write as _;
        use PlanErrorKind::*;
        match &self.kind {
            UnknownEntity { text, .. } => write!(f, "unknown entity `{}`", clip(text)),
            AmbiguousEntity {
                text,
                candidates,
                by_word,
                more,
            } => write!(
                f,
                "`{}` {} {}{} entities: {}{}",
                clip(text),
                if *by_word {
                    "is part of the names of"
                } else {
                    "names"
                },
                if *more { "more than " } else { "" },
                candidates.len(),
                candidates_text(candidates),
                if *more { "; …" } else { "" }
            ),
            UnknownPredicate { id, .. } => write!(f, "unknown predicate `{}`", clip(id)),
            UnknownKind { kind, .. } => write!(f, "unknown kind `{}`", clip(kind)),
            UnknownStatus { word } => write!(f, "unknown status `{}`", clip(word)),
            UnknownColumn { name, .. } => write!(f, "unknown column `{}`", clip(name)),
            UnboundVariable { name } => {
                write!(
                    f,
                    "variable `?{name}` is not bound by any clause outside `not`"
                )
            }
            VariableKindClash { name } => write!(
                f,
                "`?{name}` is used both as an entity and as a predicate variable"
            ),
            BadDate { text, reason } => {
                write!(f, "invalid date `{}`: {}", clip(text), clip_message(reason))
            }
            EmptyPeriod { text } => {
                write!(f, "the period `{}` ends before it starts", clip(text))
            }
            TimelineWithoutRelation => write!(f, "`timeline` needs a relation clause"),
            DuplicateLabel { name } => {
                write!(f, "the label `@{name}` is given to two clauses")
            }
            UnknownLabel { name, .. } => write!(f, "unknown label `@{name}`"),
            OwnLabel { name } => {
                write!(f, "a clause's filter uses the clause's own label `@{name}`")
            }
            LabelInsideNot { name } => {
                write!(
                    f,
                    "the label `@{name}` of a `not` clause is used outside it"
                )
            }
            TooManyHops { max } => write!(f, "`path` searches at most {max} hops"),
            UnknownSavedQuery { name, .. } => write!(f, "no saved query named `{name}`"),
            WrongArgumentCount {
                name,
                expected,
                given,
            } => write!(
                f,
                "`{name}` takes {expected} argument{}, {given} given",
                if *expected == 1 { "" } else { "s" }
            ),
            UnknownParameter { name } => write!(f, "no value for parameter `${name}`"),
            ParameterMismatch { name, expected } => {
                write!(
                    f,
                    "parameter `${name}` is used as {expected} but its value is not one"
                )
            }
            DuplicateParameter { name } => write!(f, "parameter `{name}` is listed twice"),
            SavedQueryBody { name, message } => {
                write!(f, "saved query `{name}` no longer runs: {message}")
            }
            TooComplex { reason } => write!(f, "query too complex: {reason}"),
            RunLoop { chain } => write!(
                f,
                "saved query `{}` runs itself: {}",
                clip(&chain[0]),
                chain_text(chain)
            ),
            RunTooDeep { chain } => write!(
                f,
                "saved queries run each other more than {MAX_RUN_DEPTH} deep: {}",
                chain_text(chain)
            ),
            WriteNeedsEntity => write!(f, "a write needs a named entity here"),
            UnknownQuerySource { text, .. } => {
                write!(f, "no source has the id or the title `{}`", clip(text))
            }
            PlaceNeedsEntity => write!(f, "`place` takes one entity, not a variable or `_`"),
            NoWordsToFind { field } => write!(f, "`{field} contains` has no word to look for"),
            RecordedNotHere => write!(
                f,
                "`as recorded` goes with a question: a query, a path, `run` or `history`"
            ),
            UnknownWritePredicate { id, .. } => {
                write!(f, "unknown predicate `{}`; nothing was written", clip(id))
            }
            UnknownSource { id, .. } => write!(f, "unknown source `{}`", clip(id)),
            BadConfidence { value } => write!(
                f,
                "confidence {value} is out of range: it is a number from 0 to 1"
            ),
            FieldNotHere { field, what } => write!(f, "`{field}` is not a field of {what}"),
            Stopped(stop) => write!(f, "{stop}"),
            Catalog(msg) => write!(f, "could not read the store: {msg}"),
        }
    }
}

impl std::error::Error for PlanError {}

/// `run a → b → a`: the saved queries of a chain, each name cut short.
fn chain_text(chain: &[String]) -> String {
    let names: Vec<String> = chain.iter().map(|n| clip(n).into_owned()).collect();
    format!("run {}", names.join(" → "))
}
