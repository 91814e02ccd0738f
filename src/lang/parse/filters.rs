//! Filters and periods: `[certainly] in P`, `between A and B`, `as of D` …, `status
//! a|b`, and the periods they take (dates with parts, `today`, ranges, `$param`,
//! `@label`).

use nom::branch::alt;
use nom::combinator::{cut, map, opt};
use nom::multi::many0;
use nom::sequence::preceded;
use nom::Parser;

use super::super::keywords::{self as kw, is_clause_keyword, is_status_word};
use super::terms::term;
use super::values::{confidence, dashed_word, text};
use super::{expect, join, kw, kw_in, punct, token, Expect, Input, PResult};
use crate::lang::ast::*;
use crate::lang::lex::{Token, TokenKind};

/// A time filter, with `certainly` before it or not. `certainly` commits: a time filter
/// must follow it. `as` is a time filter only with `of` after it (`as recorded` is
/// [`super::past::recorded`]).
pub(super) fn time_filter(i: Input<'_>) -> PResult<'_, TimeFilter> {
    let start = i.here();
    let (after, certainly) = opt(kw(kw::CERTAINLY)).parse(i)?;
    let certainly = certainly.is_some();
    let mut filter = alt((
        preceded(
            kw(kw::BETWEEN),
            cut((
                period(true),
                expect(Expect::Keyword(kw::AND), kw(kw::AND)),
                period(true),
            )),
        )
        .map(|(from, _, to)| TimeFilterKind::Between(from, to)),
        // `as` commits only with `of`: `as recorded` ends the statement's clauses.
        preceded(
            (kw(kw::AS), expect(Expect::Keyword(kw::OF), kw(kw::OF))),
            cut(period(true)),
        )
        .map(TimeFilterKind::AsOf),
        (kw_in(kw::ONE_PERIOD_FILTERS), cut(period(true))).map(|(word, period)| match word {
            "in" => TimeFilterKind::In(period),
            "on" => TimeFilterKind::On(period),
            "within" => TimeFilterKind::Within(period),
            "since" => TimeFilterKind::Since(period),
            "until" => TimeFilterKind::Until(period),
            "before" => TimeFilterKind::Before(period),
            _ => TimeFilterKind::After(period),
        }),
    ));
    let (rest, kind) = if certainly {
        cut(expect(Expect::TimeFilter, filter)).parse(after)?
    } else {
        filter.parse(after)?
    };
    let certainly = certainly || matches!(kind, TimeFilterKind::Within(_));
    Ok((
        rest,
        TimeFilter {
            kind,
            certainly,
            span: rest.span_from(start),
        },
    ))
}

/// A filter on a relation's field: `place TERM`, `source ID`, `confidence OP N`,
/// `quote contains "…"`, `note contains "…"`. Its word commits: what it takes must follow.
pub(super) fn field_filter(i: Input<'_>) -> PResult<'_, FieldFilter> {
    let start = i.here();
    let contains = |i| {
        preceded(
            expect(Expect::Keyword(kw::CONTAINS), kw(kw::CONTAINS)),
            text(Expect::Text),
        )
        .parse(i)
    };
    let (rest, kind) = alt((
        preceded(kw(kw::PLACE), cut(place)).map(FieldFilterKind::Place),
        preceded(kw(kw::SOURCE), cut(dashed_word(Expect::SourceId))).map(FieldFilterKind::Source),
        preceded(kw(kw::CONFIDENCE), cut((comparison, confidence)))
            .map(|(op, (value, text))| FieldFilterKind::Confidence { op, value, text }),
        preceded(kw(kw::QUOTE), cut(contains)).map(FieldFilterKind::QuoteContains),
        preceded(kw(kw::NOTE), cut(contains)).map(FieldFilterKind::NoteContains),
    ))
    .parse(i)?;
    Ok((
        rest,
        FieldFilter {
            kind,
            span: rest.span_from(start),
        },
    ))
}

/// The entity after `place`: a name, a string or a saved query's `$param`.
fn place(i: Input<'_>) -> PResult<'_, Term> {
    let (rest, found) = term(Expect::Entity)(i)?;
    match found.kind {
        TermKind::Name(_) | TermKind::Text(_) | TermKind::Param(_) => Ok((rest, found)),
        TermKind::Var { .. } | TermKind::Any => i.error_at(
            found.span,
            "`place` takes one entity, not a variable or `_`".to_string(),
            "name the place (`place Baku`, `place \"Abu Dhabi\"`); to see each relation's \
             place, `| show place`"
                .to_string(),
        ),
    }
}

/// `<`, `<=`, `=`, `>=` or `>`.
fn comparison(i: Input<'_>) -> PResult<'_, Comparison> {
    let op = |t: &Token<'_>| match t.kind {
        TokenKind::Equals => Some(Comparison::Equal),
        TokenKind::Compare => Comparison::ALL.into_iter().find(|c| c.as_str() == t.text),
        _ => None,
    };
    expect(Expect::Comparison, token(op)).parse(i)
}

/// `status any` or `status WORD(|WORD)*`, where `|` joins only status words (and `any`,
/// to refuse it with advice).
pub(super) fn status_filter(i: Input<'_>) -> PResult<'_, StatusFilter> {
    let start = i.here();
    let joins = |t: &Token<'_>| is_status_word(t.text) || t.text.eq_ignore_ascii_case(kw::ANY);
    let (rest, (first, more)) = preceded(
        kw(kw::STATUS),
        cut((
            status_word(true),
            many0(preceded(
                join(joins, Expect::StatusWord),
                cut(status_word(false)),
            )),
        )),
    )
    .parse(i)?;
    let span = rest.span_from(start);
    let mut words = vec![first];
    words.extend(more);
    let any = words.iter().any(|w| w.name.eq_ignore_ascii_case(kw::ANY));
    let kind = match (any, words.len()) {
        (true, 1) => StatusFilterKind::Any,
        (true, _) => {
            return rest.error_at(
                span,
                "`any` cannot be combined with other statuses".to_string(),
                "write `status any` alone".to_string(),
            )
        }
        (false, _) => StatusFilterKind::Of(words),
    };
    Ok((rest, StatusFilter { kind, span }))
}

/// A status word as written (checked by the planner); the first after `status` may be
/// no clause keyword.
fn status_word<'t>(first: bool) -> impl FnMut(Input<'t>) -> PResult<'t, Ident> {
    expect(
        Expect::Status,
        token(move |t: &Token<'_>| {
            (t.kind == TokenKind::Word && (!first || !is_clause_keyword(t.text))).then(|| Ident {
                name: t.text.to_string(),
                span: t.span,
            })
        }),
    )
}

/// Does a period start here? With `labels`, `@name` is one too (in time filters).
pub(super) fn at_period_start(i: Input<'_>, labels: bool) -> bool {
    match i.peek() {
        Some(t) => match &t.kind {
            TokenKind::Lit | TokenKind::Param(_) => true,
            TokenKind::Label(_) => labels,
            TokenKind::Word => kw::is_one_of(kw::PERIOD_WORDS, t.text),
            _ => false,
        },
        None => false,
    }
}

/// Where a period is expected, a string is one too: a date as reporters write it
/// (`in "last November"`). Elsewhere (arguments) a string is a name.
fn starts_period_end(i: Input<'_>, labels: bool) -> bool {
    at_period_start(i, labels) || matches!(i.peek(), Some(t) if matches!(t.kind, TokenKind::Str(_)))
}

fn period_what(labels: bool) -> Expect {
    if labels {
        Expect::FilterPeriod
    } else {
        Expect::Period
    }
}

/// `A`, `A..B`, `A..` or `..B`, where each end is a date (with an optional part),
/// `today`, `$param`, or with `labels` (in a time filter) `@label`.
pub(super) fn period<'t>(labels: bool) -> impl Fn(Input<'t>) -> PResult<'t, Period> {
    move |i: Input<'t>| {
        let start = i.here();
        let what = period_what(labels);
        let (after_from, from) = if starts_period_end(i, labels) {
            let (rest, end) = period_end(labels)(i)?;
            (rest, Some(end))
        } else {
            (i, None)
        };
        // EDTF's interval `A/B`, as data writes it: the range `A..B`.
        let slash = after_from
            .bump()
            .filter(|(_, t)| t.kind == TokenKind::Slash && from.is_some())
            .map(|(after, _)| after)
            .filter(|after| at_period_start(*after, labels));
        let dots = match slash {
            Some(after_slash) => Ok((after_slash, ())),
            None => punct(TokenKind::DotDot)(after_from).map(|(rest, _)| (rest, ())),
        };
        let Ok((after_dots, ())) = dots else {
            return match from {
                Some(period) => Ok((after_from, period)),
                None => i.fail(what),
            };
        };
        let (rest, to) = if starts_period_end(after_dots, labels) {
            let (rest, end) = period_end(labels)(after_dots)?;
            (rest, Some(end))
        } else if from.is_none() {
            let hint = "a range needs a start, an end or both".to_string();
            return after_dots.fail_hint(what, hint);
        } else {
            after_dots.expect(what);
            (after_dots, None)
        };
        let kind = PeriodKind::Range {
            from: from.map(Box::new),
            to: to.map(Box::new),
        };
        Ok((
            rest,
            Period {
                kind,
                span: rest.span_from(start),
            },
        ))
    }
}

/// One end of a period: `[early|mid|late] DATE`, `today`, `$param` or (with `labels`)
/// `@label`.
fn period_end<'t>(labels: bool) -> impl Fn(Input<'t>) -> PResult<'t, Period> {
    move |i: Input<'t>| {
        let start = i.here();
        let (after_part, part) = opt(map(kw_in(kw::PART_WORDS), |part| match part {
            "early" => Part::Early,
            "mid" => Part::Mid,
            _ => Part::Late,
        }))
        .parse(i)?;
        // A date as reporters write it comes as a string: `in "last November"`.
        let date = token(move |t: &Token<'_>| match &t.kind {
            TokenKind::Lit => Some(PeriodKind::Date {
                part,
                text: t.text.to_string(),
            }),
            TokenKind::Str(text) => Some(PeriodKind::Date {
                part,
                text: text.clone(),
            }),
            _ => None,
        });
        let (rest, kind) = if part.is_some() {
            cut(expect(Expect::Date, date)).parse(after_part)?
        } else {
            let param_or_label = token(move |t: &Token<'_>| match &t.kind {
                TokenKind::Param(name) => Some(PeriodKind::Param(name.clone())),
                TokenKind::Label(name) if labels => Some(PeriodKind::Label(name.clone())),
                _ => None,
            });
            let today = map(kw(kw::TODAY), |_| PeriodKind::Today);
            expect(period_what(labels), alt((date, param_or_label, today))).parse(i)?
        };
        Ok((
            rest,
            Period {
                kind,
                span: rest.span_from(start),
            },
        ))
    }
}
