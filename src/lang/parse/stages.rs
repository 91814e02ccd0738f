//! The pipeline after a query, a path or a `run`: `| show …`, `| sort …`, `| limit N`,
//! `| count [by …]`, `| distinct`, `| timeline`; their columns and numbers.

use nom::branch::alt;
use nom::combinator::{cut, map, opt};
use nom::multi::many0;
use nom::sequence::preceded;
use nom::Parser;

use super::super::keywords as kw;
use super::{comma_list, expect, kw, kw_in, punct, shown_raw, Expect, Input, PResult};
use crate::lang::ast::*;
use crate::lang::lex::TokenKind;

/// `| stage | stage …`, possibly none.
pub(super) fn pipeline(i: Input<'_>) -> PResult<'_, Vec<Stage>> {
    many0(preceded(
        expect(Expect::Punct("|"), punct(TokenKind::Pipe)),
        cut(stage),
    ))
    .parse(i)
}

fn stage(i: Input<'_>) -> PResult<'_, Stage> {
    let start = i.here();
    let (rest, kind) = expect(
        Expect::Stage,
        alt((
            map(preceded(kw(kw::SHOW), cut(columns)), StageKind::Show),
            map(
                preceded(kw(kw::SORT), cut(comma_list(sort_key))),
                StageKind::Sort,
            ),
            map(preceded(kw(kw::LIMIT), cut(number)), StageKind::Limit),
            map(
                preceded(
                    kw(kw::COUNT),
                    opt(preceded(
                        expect(Expect::Keyword(kw::BY), kw(kw::BY)),
                        cut(columns),
                    )),
                ),
                |by| StageKind::Count(by.unwrap_or_default()),
            ),
            map(kw(kw::DISTINCT), |_| StageKind::Distinct),
            map(kw(kw::TIMELINE), |_| StageKind::Timeline),
        )),
    )
    .parse(i)?;
    Ok((
        rest,
        Stage {
            kind,
            span: rest.span_from(start),
        },
    ))
}

fn columns(i: Input<'_>) -> PResult<'_, Vec<Column>> {
    comma_list(column).parse(i)
}

/// `col`, `col asc` or `col desc`.
fn sort_key(i: Input<'_>) -> PResult<'_, SortKey> {
    let start = i.here();
    let (i, column) = column(i)?;
    let (rest, descending) = match kw_in(kw::SORT_ORDERS)(i) {
        Ok((rest, order)) => (rest, order == "desc"),
        Err(_) => {
            for order in kw::SORT_ORDERS {
                i.expect(Expect::Keyword(order));
            }
            (i, false)
        }
    };
    Ok((
        rest,
        SortKey {
            column,
            descending,
            span: rest.span_from(start),
        },
    ))
}

/// `?x`, `?x.id`, a name possibly dotted (`when`, `x.id`), or a label's field
/// (`@v.when`).
fn column(i: Input<'_>) -> PResult<'_, Column> {
    let start = i.here();
    let (rest, kind) = match i.peek().map(|t| &t.kind) {
        Some(TokenKind::Var { name, kind: None }) => {
            let rest = i.skip();
            match punct(TokenKind::Dot)(rest) {
                Ok((after_dot, _)) => match kw("id")(after_dot) {
                    Ok((rest, _)) => (
                        rest,
                        ColumnKind::Var {
                            name: name.clone(),
                            id: true,
                        },
                    ),
                    Err(_) => {
                        let hint = format!("a variable's columns are `?{name}` and `?{name}.id`");
                        return after_dot.fail_hint(Expect::Keyword("id"), hint);
                    }
                },
                Err(_) => {
                    rest.expect(Expect::Punct(".id"));
                    (
                        rest,
                        ColumnKind::Var {
                            name: name.clone(),
                            id: false,
                        },
                    )
                }
            }
        }
        Some(TokenKind::Var {
            name,
            kind: Some(_),
        }) => {
            let hint = format!("a column names a variable without its kind: `?{name}`");
            return i.fail_hint(Expect::Column, hint);
        }
        Some(TokenKind::Word) => {
            let word = |i| {
                super::token(|t: &crate::lang::lex::Token<'_>| {
                    (t.kind == TokenKind::Word).then_some(t.text)
                })(i)
            };
            let (rest, (first, more)) = (
                word,
                many0(preceded(
                    punct(TokenKind::Dot),
                    cut(expect(Expect::ColumnName, word)),
                )),
            )
                .parse(i)?;
            let mut name = first.to_string();
            for part in more {
                name.push('.');
                name.push_str(part);
            }
            (rest, ColumnKind::Named(name))
        }
        // `@v.when`: a field of the relation labelled `@v`.
        Some(TokenKind::Label(label)) => {
            let word = |i| {
                super::token(|t: &crate::lang::lex::Token<'_>| {
                    (t.kind == TokenKind::Word).then_some(t.text)
                })(i)
            };
            let (rest, field) = preceded(
                expect(Expect::Punct("."), punct(TokenKind::Dot)),
                cut(expect(Expect::ColumnName, word)),
            )
            .parse(i.skip())?;
            (rest, ColumnKind::Named(format!("@{label}.{field}")))
        }
        _ => return i.fail(Expect::Column),
    };
    Ok((
        rest,
        Column {
            kind,
            span: rest.span_from(start),
        },
    ))
}

/// A whole number (`limit N`, `max N`).
pub(super) fn number(i: Input<'_>) -> PResult<'_, u64> {
    match i.bump() {
        Some((rest, t))
            if t.kind == TokenKind::Lit && t.text.bytes().all(|b| b.is_ascii_digit()) =>
        {
            match t.text.parse::<u64>() {
                Ok(n) => Ok((rest, n)),
                Err(_) => i.error_at(
                    t.span,
                    format!("the number {} is too large", shown_raw(t.text)),
                    format!("use at most {}", u64::MAX),
                ),
            }
        }
        _ => i.fail(Expect::Number),
    }
}
