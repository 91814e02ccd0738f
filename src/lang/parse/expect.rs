//! What the grammar can expect at a position: named in parse errors (`expected a term
//! …`) and, at the end of a text, offered by completion.

use std::borrow::Cow;

use super::super::keywords as kw;

/// One thing that could stand at a position of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Words that could stand here, offered by completion but not named in errors (where
    /// another expectation at the same position names the construct): the first words
    /// of statements other than queries, `replace` after `save`.
    Offer(&'static [&'static str]),
    /// A clause: a subject, or `not`.
    Clause,
    /// An entity position: subject, object, either side of `--`, a path's ends.
    Term,
    /// An argument of `run` (a term or a period).
    Arg,
    /// A predicate after a clause's subject.
    Predicate,
    /// A predicate id (after `|` in `visited|met`, after `via`).
    PredicateId,
    /// A time filter or `certainly` before one, after a relation clause's terms.
    Filter,
    /// A time filter after `certainly`.
    TimeFilter,
    /// A status word or `any` after `status`.
    Status,
    /// A status word without `any`: joined to the previous by `|`, or the value of a
    /// `status` field.
    StatusWord,
    /// A period (in `run` arguments).
    Period,
    /// A period in a time filter, where a label may stand for one.
    FilterPeriod,
    /// A date after `early`, `mid` or `late`.
    Date,
    /// A relation clause's label, `@name`.
    Label,
    /// A pipeline stage after `|`.
    Stage,
    /// An output column.
    Column,
    /// A column name after `.` in a dotted column.
    ColumnName,
    /// A whole number (`limit`, `max`).
    Number,
    /// The name of a saved query.
    SavedName,
    /// A parameter name in `save NAME(p, …)`.
    Param,
    /// An entity named by a write: a name or a string.
    Entity,
    /// A relation's id, `#412`.
    Handle,
    /// One of these field words (and its value).
    Field(&'static [&'static str]),
    /// A string, `"…"`.
    Text,
    /// A date of a write (`when`, `from`, `to`, `at`, `published`).
    DateText,
    /// A source id (`seed-article`).
    SourceId,
    /// A language code (`he`).
    Language,
    /// The id of a new entity or predicate.
    NewId,
    /// A kind of entities (`person`).
    Kind,
    /// A confidence, a number from 0 to 1.
    Confidence,
    /// A comparison after `confidence` in a query: `<`, `<=`, `=`, `>=`, `>`.
    Comparison,
    /// The author of changes (`changes by alice`).
    Author,
    /// This keyword.
    Keyword(&'static str),
    /// This punctuation.
    Punct(&'static str),
    /// The end of the statement.
    End,
}

impl Expect {
    /// The words naming this expectation in an error message, or `None` for an
    /// expectation only offered by completion.
    pub fn describe(self) -> Option<Cow<'static, str>> {
        use Expect::*;
        let text = match self {
            Offer(_) => return None,
            Clause => "a clause (S P O, S -- O, ?x:kind or not …)",
            Term => "a term (?var, _, a name or \"text\")",
            Arg => "an argument (a term or a period)",
            Predicate => "a predicate (an id, id|id, ?var or *)",
            PredicateId => "a predicate id",
            Filter | TimeFilter => {
                "a time filter (in, on, within, since, until, between, as of, before or after)"
            }
            Status => {
                let words = crate::model::Status::listed(Some(kw::ANY));
                return Some(Cow::Owned(format!("a status ({words})")));
            }
            StatusWord => {
                let words = crate::model::Status::listed(None);
                return Some(Cow::Owned(format!("a status ({words})")));
            }
            Field(words) => return Some(Cow::Owned(format!("a field ({})", words.join(", ")))),
            Entity => "an entity (a name or \"text\")",
            Handle => "a relation id (such as #412)",
            Text => "a string (\"…\")",
            DateText => "a date (such as 2025-04-28, early 2025-05, before 2024 or \"mid 2024\")",
            SourceId => "a source id (such as seed-article)",
            Language => "a language code (such as he)",
            NewId => "an id (letters, digits and _)",
            Kind => "a kind (such as person)",
            Confidence => "a confidence (a number from 0 to 1)",
            Comparison => "a comparison (<, <=, =, >= or >)",
            Author => "an author (a name or \"text\")",
            Period => "a period (such as 2024, 2024-05, early 2025, today, A..B or $param)",
            FilterPeriod => {
                "a period (such as 2024, 2024-05, early 2025, today, A..B, $param or @label)"
            }
            Date => "a date (such as 2024 or 2024-05)",
            Label => "a label (@name)",
            Stage => "a stage (show, sort, limit, count, distinct or timeline)",
            Column => "a column (?var, ?var.id or a name such as when)",
            ColumnName => "a column name after `.`",
            Number => "a whole number",
            SavedName => "a saved query name",
            Param => "a parameter name",
            Keyword(word) | Punct(word) => return Some(Cow::Owned(format!("`{word}`"))),
            End => "the end of the query",
        };
        Some(Cow::Borrowed(text))
    }

    /// The keywords that could begin what is expected (for completion); empty for
    /// expectations of names, terms and punctuation.
    pub fn keywords(self) -> &'static [&'static str] {
        use Expect::*;
        match self {
            Offer(words) => words,
            Clause => &[kw::NOT],
            Filter => kw::FILTER_STARTS,
            TimeFilter => kw::TIME_FILTER_KEYWORDS,
            Status => kw::STATUS_OR_ANY,
            StatusWord => kw::STATUS_WORDS,
            Field(words) => words,
            DateText => kw::DATE_TEXT_WORDS,
            Period | FilterPeriod => kw::PERIOD_WORDS,
            Stage => kw::STAGE_KEYWORDS,
            Keyword(word) => match kw::KEYWORDS.iter().find(|k| **k == word) {
                Some(k) => std::slice::from_ref(k),
                None => &[],
            },
            Term | Arg | Predicate | PredicateId | Date | Label | Column | ColumnName | Number
            | SavedName | Param | Entity | Handle | Text | SourceId | Language | NewId | Kind
            | Confidence | Comparison | Author | Punct(_) | End => &[],
        }
    }
}
