//! Canonical text of the syntax tree: single spaces, keywords in lower case, strings
//! re-escaped, so that parsing the printed text gives the same tree (spans aside).

use super::ast::*;
use super::keywords::is_clause_keyword;
use super::lex::{is_identifier, lex, starts_date, TokenKind};
use std::fmt::{self, Display, Formatter, Write};

/// Writes `items` separated by `sep`.
pub(super) fn joined<T: Display>(f: &mut Formatter<'_>, items: &[T], sep: &str) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        item.fmt(f)?;
    }
    Ok(())
}

pub(super) fn stages(f: &mut Formatter<'_>, stages: &[Stage]) -> fmt::Result {
    for stage in stages {
        write!(f, " | {stage}")?;
    }
    Ok(())
}

/// `text` as a string of the language: in quotes, with `"` and `\` escaped. The one
/// quoting of the language's strings: the printer, the CLI's arguments and the REPL's
/// completions all write names with it.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    // Writing into a String cannot fail.
    let _ = quoted(&mut out, text);
    out
}

/// Writes `text` as a quoted string, escaping `"` and `\`.
pub(crate) fn quoted(f: &mut impl Write, text: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in text.chars() {
        if c == '"' || c == '\\' {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('"')
}

impl Display for Ident {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            StatementKind::Query(query) => query.fmt(f),
            StatementKind::Path(path) => path.fmt(f),
            StatementKind::Save(save) => save.fmt(f),
            StatementKind::Run(run) => run.fmt(f),
            StatementKind::Saved => f.write_str("saved"),
            StatementKind::Drop(name) => write!(f, "drop {name}"),
            StatementKind::Write(write) => write.fmt(f),
            StatementKind::Begin => f.write_str("begin"),
            StatementKind::Commit => f.write_str("commit"),
            StatementKind::Rollback => f.write_str("rollback"),
            StatementKind::History(history) => history.fmt(f),
            StatementKind::Changes(changes) => changes.fmt(f),
            StatementKind::Lookup(lookup) => lookup.fmt(f),
        }?;
        // At the very end, after any pipeline: it reads back there whatever the statement.
        if let Some(recorded) = &self.recorded {
            write!(f, " {recorded}")?;
        }
        Ok(())
    }
}

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        joined(f, &self.clauses, ", ")?;
        stages(f, &self.stages)
    }
}

/// A relation clause's trailing modifiers: its label, then time filters, then field
/// filters, then status.
fn modifiers(
    f: &mut Formatter<'_>,
    label: &Option<Label>,
    filters: &[TimeFilter],
    fields: &[FieldFilter],
    status: &Option<StatusFilter>,
) -> fmt::Result {
    if let Some(label) = label {
        write!(f, " {label}")?;
    }
    for filter in filters {
        write!(f, " {filter}")?;
    }
    for field in fields {
        write!(f, " {field}")?;
    }
    if let Some(status) = status {
        write!(f, " {status}")?;
    }
    Ok(())
}

impl Display for FieldFilter {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            FieldFilterKind::Place(entity) => write!(f, "place {entity}"),
            FieldFilterKind::Source(word) => {
                f.write_str("source ")?;
                super::print_writes::dashed_word(f, &word.name)
            }
            FieldFilterKind::Confidence { op, text, .. } => {
                write!(f, "confidence {} {text}", op.as_str())
            }
            FieldFilterKind::QuoteContains(text) => write!(f, "quote contains {text}"),
            FieldFilterKind::NoteContains(text) => write!(f, "note contains {text}"),
        }
    }
}

impl Display for Clause {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        // `not` chains are printed in a loop: no recursion on their depth.
        let mut clause = self;
        while let ClauseKind::Not(inner) = &clause.kind {
            f.write_str("not ")?;
            clause = inner;
        }
        match &clause.kind {
            ClauseKind::Relation {
                subject,
                predicate,
                object,
                label,
                filters,
                fields,
                status,
            } => {
                write!(f, "{subject} {predicate} {object}")?;
                modifiers(f, label, filters, fields, status)
            }
            ClauseKind::Between {
                left,
                right,
                label,
                filters,
                fields,
                status,
            } => {
                write!(f, "{left} -- {right}")?;
                modifiers(f, label, filters, fields, status)
            }
            ClauseKind::Kind { var, kind } => write!(f, "?{var}:{kind}"),
            ClauseKind::Not(_) => Ok(()),
        }
    }
}

impl Display for Label {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "@{}", self.name)
    }
}

impl Display for Term {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TermKind::Var { name, kind } => {
                write!(f, "?{name}")?;
                if let Some(kind) = kind {
                    write!(f, ":{kind}")?;
                }
                Ok(())
            }
            TermKind::Any => f.write_str("_"),
            // A name that could not be read back bare is written as a string.
            TermKind::Name(name) if is_bare_name(name) => f.write_str(name),
            TermKind::Name(name) | TermKind::Text(name) => quoted(f, name),
            TermKind::Param(name) => write!(f, "${name}"),
        }
    }
}

/// Can `name` be written bare in a term position?
fn is_bare_name(name: &str) -> bool {
    is_identifier(name) && name != "_" && !is_clause_keyword(name) && !starts_date(name)
}

impl Display for Pred {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            PredKind::Ids(ids) => joined(f, ids, "|"),
            PredKind::Var(name) => write!(f, "?{name}"),
            PredKind::Any => f.write_str("*"),
        }
    }
}

impl Display for TimeFilter {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.certainly && !matches!(self.kind, TimeFilterKind::Within(_)) {
            f.write_str("certainly ")?;
        }
        match &self.kind {
            TimeFilterKind::In(p) => write!(f, "in {p}"),
            TimeFilterKind::On(p) => write!(f, "on {p}"),
            TimeFilterKind::Within(p) => write!(f, "within {p}"),
            TimeFilterKind::Since(p) => write!(f, "since {p}"),
            TimeFilterKind::Until(p) => write!(f, "until {p}"),
            TimeFilterKind::Between(a, b) => write!(f, "between {a} and {b}"),
            TimeFilterKind::AsOf(p) => write!(f, "as of {p}"),
            TimeFilterKind::Before(p) => write!(f, "before {p}"),
            TimeFilterKind::After(p) => write!(f, "after {p}"),
        }
    }
}

impl Display for Part {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Early => "early",
            Part::Mid => "mid",
            Part::Late => "late",
        })
    }
}

/// Whether `text` reads back as one date token (else it is printed as a string).
fn is_date_token(text: &str) -> bool {
    matches!(lex(text).as_deref(), Ok([token]) if token.kind == TokenKind::Lit && token.text == text)
}

/// One end of a range, or a period that is no range.
fn period_end(f: &mut Formatter<'_>, period: &Period) -> fmt::Result {
    match &period.kind {
        PeriodKind::Date { part, text } => {
            if let Some(part) = part {
                write!(f, "{part} ")?;
            }
            // A date as reporters write it (`"last November"`) was given as a string.
            if is_date_token(text) {
                f.write_str(text)
            } else {
                quoted(f, text)
            }
        }
        PeriodKind::Today => f.write_str("today"),
        PeriodKind::Param(name) => write!(f, "${name}"),
        PeriodKind::Label(name) => write!(f, "@{name}"),
        // The grammar has no nested ranges; a tree holding one prints its ends' ends.
        PeriodKind::Range { from, to } => {
            if let Some(from) = from.as_deref().and_then(range_from) {
                period_end(f, from)?;
            }
            f.write_str("..")?;
            if let Some(to) = to.as_deref().and_then(range_to) {
                period_end(f, to)?;
            }
            Ok(())
        }
    }
}

/// The first non-range period at the start of `period` (iteratively: no recursion).
fn range_from(mut period: &Period) -> Option<&Period> {
    while let PeriodKind::Range { from, .. } = &period.kind {
        period = from.as_deref()?;
    }
    Some(period)
}

fn range_to(mut period: &Period) -> Option<&Period> {
    while let PeriodKind::Range { to, .. } = &period.kind {
        period = to.as_deref()?;
    }
    Some(period)
}

impl Display for Period {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        period_end(f, self)
    }
}

impl Display for StatusFilter {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            StatusFilterKind::Any => f.write_str("status any"),
            StatusFilterKind::Of(words) => {
                f.write_str("status ")?;
                joined(f, words, "|")
            }
        }
    }
}

impl Display for Stage {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            StageKind::Show(columns) => {
                f.write_str("show ")?;
                joined(f, columns, ", ")
            }
            StageKind::Sort(keys) => {
                f.write_str("sort ")?;
                joined(f, keys, ", ")
            }
            StageKind::Limit(n) => write!(f, "limit {n}"),
            StageKind::Count(columns) if columns.is_empty() => f.write_str("count"),
            StageKind::Count(columns) => {
                f.write_str("count by ")?;
                joined(f, columns, ", ")
            }
            StageKind::Distinct => f.write_str("distinct"),
            StageKind::Timeline => f.write_str("timeline"),
        }
    }
}

impl Display for Column {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ColumnKind::Var { name, id: false } => write!(f, "?{name}"),
            ColumnKind::Var { name, id: true } => write!(f, "?{name}.id"),
            ColumnKind::Named(name) => f.write_str(name),
        }
    }
}

impl Display for SortKey {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.column.fmt(f)?;
        if self.descending {
            f.write_str(" desc")?;
        }
        Ok(())
    }
}

impl Display for PathQuery {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "path {} to {}", self.from, self.to)?;
        if let Some(max) = self.max {
            write!(f, " max {max}")?;
        }
        if !self.via.is_empty() {
            f.write_str(" via ")?;
            joined(f, &self.via, "|")?;
        }
        if let Some(status) = &self.status {
            write!(f, " {status}")?;
        }
        stages(f, &self.stages)
    }
}

impl Display for SaveQuery {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("save ")?;
        if self.replace {
            f.write_str("replace ")?;
        }
        self.name.fmt(f)?;
        if !self.params.is_empty() {
            f.write_str("(")?;
            joined(f, &self.params, ", ")?;
            f.write_str(")")?;
        }
        write!(f, " = {}", self.body)
    }
}

impl Display for RunQuery {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "run {}", self.name)?;
        if !self.args.is_empty() {
            f.write_str("(")?;
            joined(f, &self.args, ", ")?;
            f.write_str(")")?;
        }
        stages(f, &self.stages)
    }
}

impl Display for Arg {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ArgKind::Term(term) => term.fmt(f),
            ArgKind::Period(period) => period.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp() -> Span {
        Span::default()
    }

    fn name(n: &str) -> Term {
        Term {
            kind: TermKind::Name(n.into()),
            span: sp(),
        }
    }

    #[test]
    fn quoted_strings_parse_back_to_their_text() {
        for text in ["a \"b\" \\", "Ilham Aliyev", "", "\\\"", "باكو \"x\""] {
            let quoted = quote(text);
            assert!(quoted.starts_with('"') && quoted.ends_with('"'), "{quoted}");
            let arg = crate::lang::parse_arg(&quoted).unwrap_or_else(|e| panic!("{quoted}: {e}"));
            assert_eq!(arg.to_string(), quoted, "{text:?}");
        }
        assert_eq!(quote("a \"b\" \\"), "\"a \\\"b\\\" \\\\\"");
    }

    #[test]
    fn names_that_cannot_stand_bare_are_quoted() {
        assert_eq!(name("Baku").to_string(), "Baku");
        assert_eq!(name("New York").to_string(), "\"New York\"");
        assert_eq!(name("in").to_string(), "\"in\"");
        assert_eq!(name("_").to_string(), "\"_\"");
        assert_eq!(name("Y2024").to_string(), "\"Y2024\"");
        assert_eq!(name("Y2K").to_string(), "Y2K");
        let text = Term {
            kind: TermKind::Text(r#"a "b" \c"#.into()),
            span: sp(),
        };
        assert_eq!(text.to_string(), r#""a \"b\" \\c""#);
    }

    #[test]
    fn within_prints_without_certainly() {
        let filter = TimeFilter {
            kind: TimeFilterKind::Within(Period {
                kind: PeriodKind::Today,
                span: sp(),
            }),
            certainly: true,
            span: sp(),
        };
        assert_eq!(filter.to_string(), "within today");
    }

    #[test]
    fn deep_not_chains_print_without_recursion() {
        let mut clause = Clause {
            kind: ClauseKind::Kind {
                var: Ident {
                    name: "x".into(),
                    span: sp(),
                },
                kind: Ident {
                    name: "person".into(),
                    span: sp(),
                },
            },
            span: sp(),
        };
        for _ in 0..3 {
            clause = Clause {
                kind: ClauseKind::Not(Box::new(clause)),
                span: sp(),
            };
        }
        assert_eq!(clause.to_string(), "not not not ?x:person");
    }
}
