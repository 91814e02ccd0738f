//! Writes (WRITES.md): `add` (a relation, an entity, a predicate, a source), `alias`,
//! `unalias`, `rename`, `correct` (a relation or a source), `retract`, `merge`, `unmerge`, `undo` and `erase`,
//! each with its reason (`because "…"`), which `correct`, `retract`, `merge`, `unmerge`
//! and `erase` require; `erase` requires `confirm` too.

use nom::combinator::{cut, map, opt};
use nom::sequence::preceded;
use nom::Parser;

use super::super::keywords::{self as kw, is_one_of};
use super::clauses::simple_clause_as;
use super::stages::number;
use super::terms::predicate_id;
use super::values::{dashed_word, entity, fields, handle, text, texts, word_of};
use super::{expect, kw, kw_in, Expect, Fail, Input, PResult};
use crate::lang::ast::*;
use crate::lang::lex::TokenKind;

/// One write, from its first word to its reason (and `confirm` for `erase`).
pub(super) fn write(i: Input<'_>) -> PResult<'_, Write> {
    let start = i.here();
    let (after, word) = kw_in(kw::WRITE_STARTS)(i)?;
    let body: for<'t> fn(Input<'t>) -> PResult<'t, WriteKind> = match word {
        kw::ADD => add,
        kw::ALIAS => alias,
        kw::UNALIAS => unalias,
        kw::RENAME => rename,
        kw::CORRECT => correct,
        kw::RETRACT => retract,
        kw::MERGE => merge,
        kw::UNMERGE => unmerge,
        kw::UNDO => undo,
        _ => erase,
    };
    let (i, mut kind) = cut(body).parse(after)?;
    let erasing = matches!(kind, WriteKind::Erase { .. });
    // `confirm` may come before the reason too.
    let (i, confirmed) = match erasing {
        true => opt(kw(kw::CONFIRM)).parse(i)?,
        false => (i, None),
    };
    let (i, reason) = opt(preceded(
        expect(Expect::Keyword(kw::BECAUSE), kw(kw::BECAUSE)),
        cut(text(Expect::Text)),
    ))
    .parse(i)?;
    if reason.is_none() && is_one_of(kw::REASON_REQUIRED, word) {
        return missing(
            i,
            start,
            kw::BECAUSE,
            format!("`{word}` needs a reason: add because \"…\""),
            "the reason is kept with the change, for `history` and `changes` to show",
        );
    }
    let (rest, confirmed) = match (erasing, confirmed) {
        (true, None) => opt(expect(Expect::Keyword(kw::CONFIRM), kw(kw::CONFIRM))).parse(i)?,
        (_, confirmed) => (i, confirmed),
    };
    if erasing && confirmed.is_none() {
        return missing(
            rest,
            start,
            kw::CONFIRM,
            "`erase` deletes the relation's content for good (the only physical delete) and \
             needs `confirm`"
                .to_string(),
            "add confirm at the end; `retract` takes a relation out of answers and keeps \
             it in history",
        );
    }
    if let WriteKind::Erase { confirm, .. } = &mut kind {
        *confirm = true;
    }
    Ok((
        rest,
        Write {
            kind,
            reason,
            span: rest.span_from(start),
        },
    ))
}

/// A required `word` is missing at `i`. At the end of the text, the error says why it is
/// required (the statement is finished: it runs and fails, rather than waiting for more
/// lines); elsewhere, what was expected where the text went wrong.
fn missing<'t, T>(
    i: Input<'t>,
    start: usize,
    word: &'static str,
    message: String,
    hint: &str,
) -> PResult<'t, T> {
    i.expect(Expect::Keyword(word));
    if i.peek().is_some() {
        return Err(nom::Err::Failure(Fail::Expected));
    }
    let end = i.span_from(start).end;
    i.error_at(Span::new(end, end), message, hint.to_string())
}

/// After `add`: `entity …`, `predicate …`, `source …` or a relation. A relation whose
/// subject is spelt like one of those three words writes it in quotes.
fn add(i: Input<'_>) -> PResult<'_, WriteKind> {
    match kw_in(kw::ADD_FORMS)(i) {
        Ok((rest, kw::ENTITY)) => cut(add_entity).parse(rest),
        Ok((rest, kw::PREDICATE)) => cut(add_predicate).parse(rest),
        Ok((rest, _)) => cut(add_source).parse(rest),
        Err(_) => {
            i.expect(Expect::Offer(kw::ADD_FORMS));
            add_relation(i)
        }
    }
}

/// `S [new] P O FIELD…`. `new` right after the subject is always the mark of a new
/// predicate (a predicate whose id is `new` is written `new new`).
fn add_relation(i: Input<'_>) -> PResult<'_, WriteKind> {
    let (i, subject) = entity(i)?;
    let (i, new) = opt(expect(Expect::Offer(&[kw::NEW]), kw(kw::NEW))).parse(i)?;
    let (rest, (predicate, object, fields)) =
        cut((predicate_id, entity, fields(kw::RELATION_FIELDS))).parse(i)?;
    Ok((
        rest,
        WriteKind::AddRelation {
            subject,
            predicate,
            new_predicate: new.is_some(),
            object,
            fields,
        },
    ))
}

/// Options in any order, each at most once: `words` begin them, `read` reads the value
/// after the word (committing: the word promises it).
fn options<'t>(
    mut i: Input<'t>,
    words: &'static [&'static str],
    mut read: impl FnMut(&'static str, Input<'t>) -> PResult<'t, ()>,
) -> PResult<'t, ()> {
    let mut seen: Vec<(&'static str, usize)> = Vec::new();
    loop {
        let start = i.here();
        let Ok((after, word)) = kw_in(words)(i) else {
            break;
        };
        let (rest, ()) = read(word, after)?;
        if let Some((_, first)) = seen.iter().find(|(w, _)| *w == word) {
            let (line, col) = crate::lang::line_col(i.source(), *first);
            return rest.error_at(
                rest.span_from(start),
                format!("`{word}` is given twice"),
                format!("keep one `{word}`; the first is at {line}:{col}"),
            );
        }
        seen.push((word, start));
        i = rest;
    }
    for word in words {
        if !seen.iter().any(|(w, _)| w == word) {
            i.expect(Expect::Keyword(word));
        }
    }
    Ok((i, ()))
}

/// `ID KIND "name" [aka "a", …] [weak "w", …] [note "…"]`
fn add_entity(i: Input<'_>) -> PResult<'_, WriteKind> {
    let (i, (id, kind, name)) = (
        word_of(Expect::NewId),
        cut(word_of(Expect::Kind)),
        cut(text(Expect::Text)),
    )
        .parse(i)?;
    let mut aliases = Vec::new();
    let mut weak_aliases = Vec::new();
    let mut note = None;
    let (rest, ()) = options(i, kw::ENTITY_OPTIONS, |word, i| match word {
        kw::AKA => cut(map(texts, |found| aliases = found)).parse(i),
        kw::WEAK => cut(map(texts, |found| weak_aliases = found)).parse(i),
        _ => cut(map(text(Expect::Text), |found| note = Some(found))).parse(i),
    })?;
    Ok((
        rest,
        WriteKind::AddEntity {
            id,
            kind,
            name,
            aliases,
            weak_aliases,
            note,
        },
    ))
}

/// `ID [label "…"] [symmetric] [description "…"]`
fn add_predicate(i: Input<'_>) -> PResult<'_, WriteKind> {
    let (i, id) = word_of(Expect::NewId)(i)?;
    let (mut label, mut symmetric, mut description) = (None, false, None);
    let (rest, ()) = options(i, kw::PREDICATE_OPTIONS, |word, i| match word {
        kw::LABEL => cut(map(text(Expect::Text), |found| label = Some(found))).parse(i),
        kw::SYMMETRIC => {
            symmetric = true;
            Ok((i, ()))
        }
        _ => cut(map(text(Expect::Text), |found| description = Some(found))).parse(i),
    })?;
    Ok((
        rest,
        WriteKind::AddPredicate {
            id,
            label,
            symmetric,
            description,
        },
    ))
}

/// `ID ["title"] [published D] [lang L] [url "…"] [note "…"] [title "…"]`: the title
/// right after the id, or as a field, not both.
fn add_source(i: Input<'_>) -> PResult<'_, WriteKind> {
    let (i, id) = dashed_word(Expect::SourceId)(i)?;
    // Optional: a word here is no title to quote, but the next field.
    let (i, title) = match i.peek() {
        Some(t) if matches!(t.kind, TokenKind::Str(_)) => map(text(Expect::Text), Some).parse(i)?,
        _ => {
            i.expect(Expect::Text);
            (i, None)
        }
    };
    let (rest, fields) = fields(kw::SOURCE_FIELDS)(i)?;
    if let (Some(first), Some(again)) = (
        &title,
        fields
            .iter()
            .find(|f| matches!(f.kind, FieldKind::Title(_))),
    ) {
        let (line, col) = crate::lang::line_col(i.source(), first.span.start);
        return rest.error_at(
            again.span,
            "the title is given twice".to_string(),
            format!("keep one title; the first is at {line}:{col}"),
        );
    }
    Ok((rest, WriteKind::AddSource { id, title, fields }))
}

/// `ENTITY "name", … [weak]`
fn alias(i: Input<'_>) -> PResult<'_, WriteKind> {
    let (i, (entity, names)) = (entity, cut(texts)).parse(i)?;
    let (rest, weak) = opt(expect(Expect::Offer(&[kw::WEAK]), kw(kw::WEAK))).parse(i)?;
    Ok((
        rest,
        WriteKind::Alias {
            entity,
            names,
            weak: weak.is_some(),
        },
    ))
}

/// `ENTITY "name", …`
fn unalias(i: Input<'_>) -> PResult<'_, WriteKind> {
    entity_and_names(i, |entity, names| WriteKind::Unalias { entity, names })
}

/// `ENTITY "name", …`, made into a write by `make`.
fn entity_and_names(
    i: Input<'_>,
    make: fn(Term, Vec<Text>) -> WriteKind,
) -> PResult<'_, WriteKind> {
    map((entity, cut(texts)), |(entity, names)| make(entity, names)).parse(i)
}

/// `ENTITY "name"`
fn rename(i: Input<'_>) -> PResult<'_, WriteKind> {
    map((entity, cut(text(Expect::Text))), |(entity, name)| {
        WriteKind::Rename { entity, name }
    })
    .parse(i)
}

/// `#id FIELD VALUE[,] …` or `source ID FIELD VALUE[,] …`: at least one field.
fn correct(i: Input<'_>) -> PResult<'_, WriteKind> {
    if let Ok((rest, _)) = kw_in(kw::CORRECT_FORMS)(i) {
        return cut(correct_source).parse(rest);
    }
    i.expect(Expect::Offer(kw::CORRECT_FORMS));
    let (i, id) = handle(i)?;
    let (rest, fields) = fields(kw::RELATION_FIELDS)(i)?;
    if fields.is_empty() {
        return no_field(i, kw::RELATION_FIELDS, &format!("{id} when 2025-05-08"));
    }
    Ok((rest, WriteKind::Correct { id, fields }))
}

/// `ID FIELD VALUE[,] …` after `correct source`: at least one of a source's fields.
fn correct_source(i: Input<'_>) -> PResult<'_, WriteKind> {
    let (i, id) = dashed_word(Expect::SourceId)(i)?;
    let (rest, fields) = fields(kw::SOURCE_FIELDS)(i)?;
    if fields.is_empty() {
        let example = format!("source {} published 2025-05-08", id.name);
        return no_field(i, kw::SOURCE_FIELDS, &example);
    }
    Ok((rest, WriteKind::CorrectSource { id, fields }))
}

/// The failure of a `correct` that names no field of `allowed` at `i`; `example` is what
/// follows `correct` in an example of the statement.
fn no_field<'t, T>(
    i: Input<'t>,
    allowed: &'static [&'static str],
    example: &str,
) -> PResult<'t, T> {
    // A word that may mean a field keeps its did-you-mean hint.
    let failed = match i.peek() {
        Some(t) if !super::is_word(t, kw::BECAUSE) => i.fail(Expect::Field(allowed)),
        _ => i.fail_hint(
            Expect::Field(allowed),
            format!("say what to change, such as `correct {example}`"),
        ),
    };
    failed.map_err(|e| match e {
        nom::Err::Error(fail) => nom::Err::Failure(fail),
        other => other,
    })
}

/// `#id`, or a relation clause (`S P O` or `S -- O` with its filters, no label), its
/// field conditions and `all`.
fn retract(i: Input<'_>) -> PResult<'_, WriteKind> {
    if i.peek().is_some_and(|t| t.kind == TokenKind::Handle) {
        let (rest, id) = handle(i)?;
        let target = RetractTarget::Handle(id);
        return Ok((rest, WriteKind::Retract { target, all: false }));
    }
    i.expect(Expect::Handle);
    let (i, clause) = simple_clause_as(Expect::Term, i)?;
    let label = match &clause.kind {
        ClauseKind::Relation { label, .. } | ClauseKind::Between { label, .. } => label,
        _ => {
            return i.error_at(
                clause.span,
                "`retract` takes a relation id or a relation (S P O or S -- O)".to_string(),
                "such as `retract #412` or `retract Pezeshkian visited Tehran in 2025-05`"
                    .to_string(),
            )
        }
    };
    if let Some(label) = label {
        return i.error_at(
            label.span,
            format!("the label `@{}` has no use in `retract`", label.name),
            "remove it: a label only links the clauses of a query".to_string(),
        );
    }
    let (rest, (fields, all)) = (
        fields(kw::PATTERN_FIELDS),
        opt(expect(Expect::Keyword(kw::ALL), kw(kw::ALL))),
    )
        .parse(i)?;
    let target = RetractTarget::Pattern {
        clause: Box::new(clause),
        fields,
    };
    Ok((
        rest,
        WriteKind::Retract {
            target,
            all: all.is_some(),
        },
    ))
}

/// `A into B`
fn merge(i: Input<'_>) -> PResult<'_, WriteKind> {
    let (rest, (from, _, into)) = (
        entity,
        cut(expect(Expect::Keyword(kw::INTO), kw(kw::INTO))),
        cut(entity),
    )
        .parse(i)?;
    Ok((rest, WriteKind::Merge { from, into }))
}

/// `A`
fn unmerge(i: Input<'_>) -> PResult<'_, WriteKind> {
    map(entity, |entity| WriteKind::Unmerge { entity }).parse(i)
}

/// Nothing (the latest change) or `change N`.
fn undo(i: Input<'_>) -> PResult<'_, WriteKind> {
    let start = i.here();
    let (rest, number) = opt(preceded(
        expect(Expect::Keyword(kw::CHANGE), kw(kw::CHANGE)),
        cut(number),
    ))
    .parse(i)?;
    let change = number.map(|number| ChangeNumber {
        number,
        span: rest.span_from(start),
    });
    Ok((rest, WriteKind::Undo { change }))
}

/// `#id` (its reason and `confirm` follow).
fn erase(i: Input<'_>) -> PResult<'_, WriteKind> {
    map(handle, |id| WriteKind::Erase { id, confirm: false }).parse(i)
}
