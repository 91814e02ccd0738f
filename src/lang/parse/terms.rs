//! Terms, predicates and names: the entity positions of clauses and paths, `run`
//! arguments, predicate ids, saved query names and parameter names.

use nom::combinator::{cut, map};
use nom::multi::many0;
use nom::Parser;

use super::super::keywords::{is_clause_keyword, is_saved_name_keyword, is_stage_keyword};
use super::filters::{at_period_start, period};
use super::{join, Expect, Input, PResult};
use crate::lang::ast::*;
use crate::lang::lex::{Token, TokenKind};

fn ident(token: &Token<'_>) -> Ident {
    Ident {
        name: token.text.to_string(),
        span: token.span,
    }
}

/// A term, `what` naming the position where none stands: `?x`, `?x:kind`, `_`, a name,
/// `"text"` or `$param`. Keywords, dates and labels are refused with advice.
pub(super) fn term<'t>(what: Expect) -> impl Fn(Input<'t>) -> PResult<'t, Term> {
    move |i: Input<'t>| {
        let Some((rest, token)) = i.bump() else {
            return i.fail(what);
        };
        let kind = match &token.kind {
            TokenKind::Var { name, kind } => TermKind::Var {
                name: name.clone(),
                kind: kind.as_ref().map(|(name, span)| Ident {
                    name: name.clone(),
                    span: *span,
                }),
            },
            TokenKind::Param(name) => TermKind::Param(name.clone()),
            TokenKind::Str(text) => TermKind::Text(text.clone()),
            TokenKind::Word if token.text == "_" => TermKind::Any,
            TokenKind::Word if is_clause_keyword(token.text) => {
                let hint = format!(
                    "`{0}` is a keyword; to mean a name, write it in quotes: \"{0}\"",
                    token.text
                );
                return i.fail_hint(what, hint);
            }
            TokenKind::Word => TermKind::Name(token.text.to_string()),
            TokenKind::Lit => {
                let hint = format!(
                    "to mean a name that looks like a date or number, write it in quotes: \"{}\"",
                    token.text
                );
                return i.fail_hint(what, hint);
            }
            TokenKind::Label(name) => {
                let hint = format!(
                    "`@{name}` is a label: it follows a relation clause's terms \
                     (`?p visited ?x @{name}`) and stands for that relation's time in the \
                     filters of other clauses (`after @{name}`)"
                );
                return i.fail_hint(what, hint);
            }
            _ => return i.fail(what),
        };
        Ok((
            rest,
            Term {
                kind,
                span: token.span,
            },
        ))
    }
}

/// A predicate: `?r`, `*`, or ids joined by `|` (`visited|met`).
pub(super) fn predicate(i: Input<'_>) -> PResult<'_, Pred> {
    let start = i.here();
    let (rest, kind) = match i.peek().map(|t| &t.kind) {
        Some(TokenKind::Var { name, kind: None }) => (i.skip(), PredKind::Var(name.clone())),
        Some(TokenKind::Var { kind: Some(_), .. }) => {
            let hint = "a predicate variable takes no kind: write `?r`".to_string();
            return i.fail_hint(Expect::Predicate, hint);
        }
        Some(TokenKind::Star) => (i.skip(), PredKind::Any),
        Some(TokenKind::Word) => {
            // `|` joins ids unless what follows it reads as a stage: then the object is
            // missing, and the error says so at the `|`.
            let joined = |t: &Token<'_>| !is_stage_keyword(t.text);
            let (rest, (first, more)) = (
                predicate_id_or(Expect::Predicate),
                many0(nom::sequence::preceded(
                    join(joined, Expect::PredicateId),
                    cut(predicate_id),
                )),
            )
                .parse(i)?;
            let mut ids = vec![first];
            ids.extend(more);
            (rest, PredKind::Ids(ids))
        }
        _ => return i.fail(Expect::Predicate),
    };
    Ok((
        rest,
        Pred {
            kind,
            span: rest.span_from(start),
        },
    ))
}

/// A predicate id (after `|`, after `via`).
pub(super) fn predicate_id(i: Input<'_>) -> PResult<'_, Ident> {
    predicate_id_or(Expect::PredicateId)(i)
}

/// A predicate id, `what` naming the position where none stands.
fn predicate_id_or<'t>(what: Expect) -> impl Fn(Input<'t>) -> PResult<'t, Ident> {
    move |i: Input<'t>| match i.bump() {
        Some((rest, t)) if t.kind == TokenKind::Word => {
            if t.text == "_" {
                return i.fail_hint(what, "write `*` for any predicate".to_string());
            }
            if is_clause_keyword(t.text) {
                let hint = format!("`{}` is a keyword, not a predicate id", t.text);
                return i.fail_hint(what, hint);
            }
            Ok((rest, ident(t)))
        }
        _ => i.fail(what),
    }
}

/// The name of a saved query: an identifier that is no keyword.
pub(super) fn saved_name(i: Input<'_>) -> PResult<'_, Ident> {
    match i.bump() {
        Some((rest, t)) if t.kind == TokenKind::Word => {
            if is_saved_name_keyword(t.text) {
                let hint = format!("`{}` is a keyword; choose another name", t.text);
                return i.fail_hint(Expect::SavedName, hint);
            }
            Ok((rest, ident(t)))
        }
        _ => i.fail(Expect::SavedName),
    }
}

/// A parameter in `save NAME(p, $q)`.
pub(super) fn param_name(i: Input<'_>) -> PResult<'_, Ident> {
    match i.bump() {
        Some((rest, t)) if t.kind == TokenKind::Word => Ok((rest, ident(t))),
        Some((rest, t)) => match &t.kind {
            TokenKind::Param(name) => Ok((
                rest,
                Ident {
                    name: name.clone(),
                    span: Span::new(t.span.start + 1, t.span.end),
                },
            )),
            _ => i.fail(Expect::Param),
        },
        None => i.fail(Expect::Param),
    }
}

/// An argument of `run`: a period if it starts like one (`$p` only when `..` follows
/// it), else a term.
pub(super) fn arg(i: Input<'_>) -> PResult<'_, Arg> {
    let start = i.here();
    let is_period = match i.peek().map(|t| &t.kind) {
        Some(TokenKind::Param(_)) => {
            matches!(i.peek_nth(1), Some(t) if t.kind == TokenKind::DotDot)
        }
        Some(TokenKind::DotDot) => true,
        _ => at_period_start(i, false),
    };
    let (rest, kind) = if is_period {
        map(period(false), ArgKind::Period).parse(i)?
    } else {
        map(term(Expect::Arg), ArgKind::Term).parse(i)?
    };
    Ok((
        rest,
        Arg {
            kind,
            span: rest.span_from(start),
        },
    ))
}
