//! Queries and their clauses: `S P O`, `S -- O`, `?x:kind`, `not CLAUSE`, and the
//! label and filters after a relation clause's terms.

use nom::branch::alt;
use nom::combinator::cut;
use nom::sequence::preceded;
use nom::Parser;

use super::super::keywords::{self as kw, is_clause_keyword};
use super::filters::{field_filter, status_filter, time_filter};
use super::past::tail;
use super::terms::{predicate, term};
use super::{comma_list, expect, kw, punct, Expect, Input, PResult, MAX_NOT_DEPTH};
use crate::lang::ast::*;
use crate::lang::lex::{Token, TokenKind};

/// `clause, clause, … | stage | stage`, and `as recorded …` before or after the
/// pipeline.
pub(super) fn query(i: Input<'_>) -> PResult<'_, (Query, Option<Recorded>)> {
    let start = i.here();
    let (rest, (clauses, (stages, recorded))) = (comma_list(clause), tail).parse(i)?;
    let query = Query {
        clauses,
        stages,
        span: rest.span_from(start),
    };
    Ok((rest, (query, recorded)))
}

fn clause(i: Input<'_>) -> PResult<'_, Clause> {
    clause_at(0, i)
}

/// A clause under `depth` `not`s: `not CLAUSE` (one level deeper) or a simple clause.
fn clause_at<'t>(depth: usize, i: Input<'t>) -> PResult<'t, Clause> {
    let negated = |i: Input<'t>| {
        let (rest, not) = kw(kw::NOT)(i)?;
        if depth == MAX_NOT_DEPTH {
            return i.error_at(
                not,
                format!("more than {MAX_NOT_DEPTH} `not` in a row"),
                "`not not` cancels out: remove pairs of them".to_string(),
            );
        }
        let (rest, inner) = cut(|i| clause_at(depth + 1, i)).parse(rest)?;
        let span = Span::new(not.start, inner.span.end);
        let kind = ClauseKind::Not(Box::new(inner));
        Ok((rest, Clause { kind, span }))
    };
    alt((negated, simple_clause)).parse(i)
}

fn simple_clause(i: Input<'_>) -> PResult<'_, Clause> {
    clause_with(Expect::Clause, true, i)
}

/// `S P O …`, `S -- O …` or `?x:kind` without filters on fields (a `retract` pattern,
/// whose fields are its own); `what` names the subject's position where no term stands.
pub(super) fn simple_clause_as(what: Expect, i: Input<'_>) -> PResult<'_, Clause> {
    clause_with(what, false, i)
}

/// A simple clause; `fields`: its modifiers may filter on fields (`place X`).
fn clause_with(what: Expect, fields: bool, i: Input<'_>) -> PResult<'_, Clause> {
    let start = i.here();
    let (i, subject) = term(what)(i)?;
    if let TermKind::Var {
        name,
        kind: Some(kind),
    } = &subject.kind
    {
        if !at_predicate_or_dashes(i) {
            if let Some(Token {
                kind: TokenKind::Label(label),
                span,
                ..
            }) = i.peek()
            {
                let message = format!(
                    "`@{label}` labels a relation, but `?{name}:{kind}` is no relation clause",
                    kind = kind.name
                );
                let hint = format!(
                    "put the label after a relation clause, such as \
                     `?{name} visited ?place @{label}`"
                );
                return i.error_at(*span, message, hint);
            }
            i.expect(Expect::Predicate);
            i.expect(Expect::Punct("--"));
            let var = Ident {
                name: name.clone(),
                span: Span::new(subject.span.start, subject.span.start + 1 + name.len()),
            };
            let kind = ClauseKind::Kind {
                var,
                kind: kind.clone(),
            };
            let span = i.span_from(start);
            return Ok((i, Clause { kind, span }));
        }
    }
    let modifiers = |i| modifiers(fields, i);
    let relation = (predicate, cut(term(Expect::Term)), cut(modifiers));
    let between = preceded(
        expect(Expect::Punct("--"), punct(TokenKind::DashDash)),
        cut((term(Expect::Term), modifiers)),
    );
    // What follows the subject, which is moved into the clause once it is known.
    enum Tail {
        Relation(Pred, Term, Modifiers),
        Between(Term, Modifiers),
    }
    let (rest, tail) = alt((
        relation.map(|(predicate, object, modifiers)| Tail::Relation(predicate, object, modifiers)),
        between.map(|(right, modifiers)| Tail::Between(right, modifiers)),
    ))
    .parse(i)?;
    let kind = match tail {
        Tail::Relation(predicate, object, (label, filters, fields, status)) => {
            ClauseKind::Relation {
                subject,
                predicate,
                object,
                label,
                filters,
                fields,
                status,
            }
        }
        Tail::Between(right, (label, filters, fields, status)) => ClauseKind::Between {
            left: subject,
            right,
            label,
            filters,
            fields,
            status,
        },
    };
    Ok((
        rest,
        Clause {
            kind,
            span: rest.span_from(start),
        },
    ))
}

fn at_predicate_or_dashes(i: Input<'_>) -> bool {
    match i.peek() {
        Some(t) => match &t.kind {
            TokenKind::Word => !is_clause_keyword(t.text),
            TokenKind::Var { .. } | TokenKind::Star | TokenKind::DashDash => true,
            _ => false,
        },
        None => false,
    }
}

type Modifiers = (
    Option<Label>,
    Vec<TimeFilter>,
    Vec<FieldFilter>,
    Option<StatusFilter>,
);

/// At most one label, time filters, filters on fields (where `with_fields`) and at most
/// one status filter, in any order, after a relation clause's terms.
fn modifiers(with_fields: bool, mut i: Input<'_>) -> PResult<'_, Modifiers> {
    let mut label: Option<Label> = None;
    let mut filters = Vec::new();
    let mut fields = Vec::new();
    let mut status: Option<StatusFilter> = None;
    loop {
        if let Some(Token {
            kind: TokenKind::Label(name),
            span,
            ..
        }) = i.peek()
        {
            if let Some(first) = &label {
                return i.error_at(
                    *span,
                    format!(
                        "a clause takes one label; this one already has `@{}`",
                        first.name
                    ),
                    format!(
                        "keep one of `@{}` and `@{name}`; filters of other clauses may then use it",
                        first.name
                    ),
                );
            }
            label = Some(Label {
                name: name.clone(),
                span: *span,
            });
            i = i.bump().map_or(i, |(rest, _)| rest);
            continue;
        }
        match time_filter(i) {
            Ok((rest, filter)) => {
                filters.push(filter);
                i = rest;
                continue;
            }
            Err(nom::Err::Error(_)) => {}
            Err(e) => return Err(e),
        }
        if with_fields {
            match field_filter(i) {
                Ok((rest, field)) => {
                    fields.push(field);
                    i = rest;
                    continue;
                }
                Err(nom::Err::Error(_)) => {}
                Err(e) => return Err(e),
            }
        }
        match status_filter(i) {
            Ok((rest, filter)) => {
                if status.is_some() {
                    return i.error_at(
                        filter.span,
                        "a clause takes one `status` filter".to_string(),
                        "list several statuses as `status planned|alleged`".to_string(),
                    );
                }
                status = Some(filter);
                i = rest;
            }
            Err(nom::Err::Error(_)) => {
                i.expect(Expect::Filter);
                if with_fields {
                    i.expect(Expect::Field(kw::FIELD_FILTER_KEYWORDS));
                }
                if status.is_none() {
                    i.expect(Expect::Keyword(kw::STATUS));
                }
                if label.is_none() {
                    i.expect(Expect::Label);
                }
                return Ok((i, (label, filters, fields, status)));
            }
            Err(e) => return Err(e),
        }
    }
}
