//! Statements: a query, `path A to B …`, `save [replace] NAME(p, …) = …`,
//! `run NAME(arg, …)`, `saved`, `drop NAME`, `begin`, `commit`, `rollback`, and the
//! first word of writes ([`super::writes`]), of questions about the past
//! ([`super::past`]) and of lookups ([`super::lookups`]).

use nom::branch::alt;
use nom::combinator::{cut, map, opt};
use nom::sequence::preceded;
use nom::Parser;

use super::super::error::line_col;
use super::super::keywords::{self as kw, is_clause_keyword, is_stage_keyword};
use super::clauses::query;
use super::filters::status_filter;
use super::lookups::lookup;
use super::past::{changes, history, tail};
use super::stages::number;
use super::terms::{arg, param_name, predicate_id, saved_name, term};
use super::writes::write;
use super::{comma_list, expect, is_word, join, kw, kw_in, punct, Expect, Input, PResult};
use crate::lang::ast::*;
use crate::lang::lex::{Token, TokenKind};

/// One statement (without what follows it). A word of [`kw::STATEMENT_STARTS`] first
/// begins its statement; anything else begins a query.
pub(super) fn statement(i: Input<'_>) -> PResult<'_, Statement> {
    let start = i.here();
    let first = kw_in(kw::STATEMENT_STARTS)(i).ok().map(|(_, word)| word);
    let (rest, (kind, recorded)) = match first {
        Some(kw::PATH) => map(path_query, |(p, r)| (StatementKind::Path(p), r)).parse(i)?,
        Some(kw::SAVE) => map(save_query, |s| (StatementKind::Save(s), None)).parse(i)?,
        Some(kw::RUN) => map(run_query, |(q, r)| (StatementKind::Run(q), r)).parse(i)?,
        Some(kw::SAVED) => (i.skip(), (StatementKind::Saved, None)),
        Some(kw::DROP) => map(preceded(kw(kw::DROP), cut(saved_name)), |name| {
            (StatementKind::Drop(name), None)
        })
        .parse(i)?,
        Some(kw::BEGIN) => (i.skip(), (StatementKind::Begin, None)),
        Some(kw::COMMIT) => (i.skip(), (StatementKind::Commit, None)),
        Some(kw::ROLLBACK) => (i.skip(), (StatementKind::Rollback, None)),
        Some(kw::HISTORY) => map(history, |(h, r)| (StatementKind::History(h), r)).parse(i)?,
        Some(kw::CHANGES) => map(changes, |c| (StatementKind::Changes(c), None)).parse(i)?,
        Some(w) if kw::LOOKUP_STARTS.contains(&w) => {
            map(lookup, |l| (StatementKind::Lookup(l), None)).parse(i)?
        }
        Some(_) => map(write, |w| (StatementKind::Write(w), None)).parse(i)?,
        None => {
            i.expect(Expect::Offer(kw::STATEMENT_STARTS));
            map(query, |(q, r)| (StatementKind::Query(q), r)).parse(i)?
        }
    };
    Ok((
        rest,
        Statement {
            kind,
            recorded,
            span: rest.span_from(start),
        },
    ))
}

/// An option of `path`.
enum PathOption {
    Max(u64),
    Via(Vec<Ident>),
    Status(StatusFilter),
}

/// `path A to B [max N] [via P|P…] [status …] [| stage …]`; the options in any order,
/// each at most once.
fn path_query(i: Input<'_>) -> PResult<'_, (PathQuery, Option<Recorded>)> {
    let start = i.here();
    let (mut i, (from, _, to)) = preceded(
        kw(kw::PATH),
        cut((
            term(Expect::Term),
            expect(Expect::Keyword(kw::TO), kw(kw::TO)),
            term(Expect::Term),
        )),
    )
    .parse(i)?;
    let (mut max, mut via, mut status) = (None, Vec::new(), None);
    let mut option = alt((
        map(preceded(kw(kw::MAX), cut(number)), PathOption::Max),
        map(preceded(kw(kw::VIA), cut(via_list)), PathOption::Via),
        map(status_filter, PathOption::Status),
    ));
    loop {
        let option_start = i.here();
        let (rest, found) = match option.parse(i) {
            Ok(found) => found,
            Err(nom::Err::Error(_)) => break,
            Err(e) => return Err(e),
        };
        let twice = match found {
            PathOption::Max(n) => max.replace(n).is_some().then_some(kw::MAX),
            PathOption::Via(list) => {
                let again = !via.is_empty();
                via = list;
                again.then_some(kw::VIA)
            }
            PathOption::Status(filter) => status.replace(filter).is_some().then_some(kw::STATUS),
        };
        if let Some(keyword) = twice {
            return rest.error_at(
                rest.span_from(option_start),
                format!("`{keyword}` is given twice"),
                format!("keep one `{keyword}`"),
            );
        }
        i = rest;
    }
    for (absent, keyword) in [
        (max.is_none(), kw::MAX),
        (via.is_empty(), kw::VIA),
        (status.is_none(), kw::STATUS),
    ] {
        if absent {
            i.expect(Expect::Keyword(keyword));
        }
    }
    let (rest, (stages, recorded)) = tail(i)?;
    let path = PathQuery {
        from,
        to,
        max,
        via,
        status,
        stages,
        span: rest.span_from(start),
    };
    Ok((rest, (path, recorded)))
}

/// `P|P|…` after `via`: `|` joins ids unless a stage keyword follows it.
fn via_list(i: Input<'_>) -> PResult<'_, Vec<Ident>> {
    let joins = |t: &Token<'_>| !is_stage_keyword(t.text) && !is_clause_keyword(t.text);
    let (rest, (first, more)) = (
        predicate_id,
        nom::multi::many0(preceded(
            join(joins, Expect::PredicateId),
            cut(predicate_id),
        )),
    )
        .parse(i)?;
    let mut ids = vec![first];
    ids.extend(more);
    Ok((rest, ids))
}

/// `(item, …)`, possibly empty, or nothing at all (no items).
fn parenthesised<'t, P: Parser<Input<'t>, Error = super::Fail>>(
    item: P,
) -> impl Parser<Input<'t>, Output = Vec<P::Output>, Error = super::Fail> {
    let items = alt((
        map(nom::combinator::peek(punct(TokenKind::RParen)), |_| {
            Vec::new()
        }),
        comma_list(item),
    ));
    map(
        opt(preceded(
            expect(Expect::Punct("("), punct(TokenKind::LParen)),
            cut((items, expect(Expect::Punct(")"), punct(TokenKind::RParen)))),
        )),
        |list| list.map(|(items, _)| items).unwrap_or_default(),
    )
}

/// `save [replace] NAME[(p, …)] = QUERY-or-path`
fn save_query<'t>(i: Input<'t>) -> PResult<'t, SaveQuery> {
    let start = i.here();
    let (i, _) = kw(kw::SAVE)(i)?;
    let (i, replace) = opt(expect(Expect::Offer(&[kw::REPLACE]), kw(kw::REPLACE))).parse(i)?;
    let (i, name) = cut(saved_name).parse(i)?;
    // The parameters listed so far, to refuse one listed twice as soon as it is.
    let mut listed: Vec<Ident> = Vec::new();
    let param = |i: Input<'t>| {
        let (rest, param) = param_name(i)?;
        if let Some(first) = listed.iter().find(|p| p.name == param.name) {
            let (line, col) = line_col(i.source(), first.span.start);
            return i.error_at(
                param.span,
                format!("parameter `{}` is listed twice", param.name),
                format!("it is first listed at {line}:{col}"),
            );
        }
        listed.push(param.clone());
        Ok((rest, param))
    };
    let (i, (params, _)) = cut((
        parenthesised(param),
        expect(Expect::Punct("="), punct(TokenKind::Equals)),
    ))
    .parse(i)?;
    let body_start = i.here();
    let (rest, (body, recorded)) = match i.peek() {
        Some(t) if is_word(t, kw::PATH) => {
            map(path_query, |(p, r)| (StatementKind::Path(p), r)).parse(i)?
        }
        Some(t) if t.kind == TokenKind::Word && kw::is_statement_keyword(t.text) => {
            return i.error_at(
                t.span,
                format!("a saved query holds a query or a path, not `{}`", t.text),
                "save a query such as `?x visited $place`".to_string(),
            );
        }
        _ => cut(map(query, |(q, r)| (StatementKind::Query(q), r))).parse(i)?,
    };
    // The question of the past is asked when the query runs, of all it runs.
    if let Some(recorded) = recorded {
        return i.error_at(
            recorded.span,
            "a saved query cannot hold `as recorded`".to_string(),
            "save the query without it and ask when running it: \
             `run NAME(…) as recorded on 2025-05-01`"
                .to_string(),
        );
    }
    let body = Statement {
        kind: body,
        recorded: None,
        span: rest.span_from(body_start),
    };
    Ok((
        rest,
        SaveQuery {
            replace: replace.is_some(),
            name,
            params,
            body: Box::new(body),
            span: rest.span_from(start),
        },
    ))
}

/// `run NAME[(arg, …)] [| stage …]`
fn run_query(i: Input<'_>) -> PResult<'_, (RunQuery, Option<Recorded>)> {
    let start = i.here();
    let (rest, (name, args, (stages, recorded))) =
        preceded(kw(kw::RUN), cut((saved_name, parenthesised(arg), tail))).parse(i)?;
    let run = RunQuery {
        name,
        args,
        stages,
        span: rest.span_from(start),
    };
    Ok((rest, (run, recorded)))
}
