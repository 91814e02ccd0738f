//! Lookups in the catalogue: `describe ENTITY`, `entities [kind K] [like "text"]`,
//! `predicates` and `sources`, each with an optional pipeline.

use nom::branch::alt;
use nom::combinator::cut;
use nom::Parser;

use super::super::keywords as kw;
use super::stages::pipeline;
use super::values::{entity, text, word_of};
use super::{kw_in, Expect, Input, PResult};
use crate::lang::ast::*;

/// One lookup, its first word deciding which.
pub(super) fn lookup(i: Input<'_>) -> PResult<'_, Lookup> {
    let start = i.here();
    let (after, word) = kw_in(kw::LOOKUP_STARTS)(i)?;
    let (i, kind) = match word {
        kw::DESCRIBE => cut(entity.map(LookupKind::Describe)).parse(after)?,
        kw::ENTITIES => entities(after)?,
        kw::PREDICATES => (after, LookupKind::Predicates),
        _ => (after, LookupKind::Sources),
    };
    let (rest, stages) = pipeline(i)?;
    Ok((
        rest,
        Lookup {
            kind,
            stages,
            span: rest.span_from(start),
        },
    ))
}

/// The options of `entities`: `kind K` and `like "text"` (or a bare word), in either
/// order, each at most once.
fn entities(mut i: Input<'_>) -> PResult<'_, LookupKind> {
    let mut kind: Option<Ident> = None;
    let mut like: Option<Text> = None;
    loop {
        let option_start = i.here();
        let Ok((after, word)) = kw_in(kw::ENTITIES_OPTIONS)(i) else {
            break;
        };
        let (rest, twice) = if word == kw::KIND {
            let (rest, k) = cut(word_of(Expect::Kind)).parse(after)?;
            (rest, kind.replace(k).is_some())
        } else {
            let bare = word_of(Expect::Text).map(|w| Text {
                value: w.name,
                span: w.span,
            });
            let (rest, t) = cut(alt((text(Expect::Text), bare))).parse(after)?;
            (rest, like.replace(t).is_some())
        };
        if twice {
            return rest.error_at(
                rest.span_from(option_start),
                format!("`{word}` is given twice"),
                format!("keep one `{word}`"),
            );
        }
        i = rest;
    }
    for (absent, word) in [(kind.is_none(), kw::KIND), (like.is_none(), kw::LIKE)] {
        if absent {
            i.expect(Expect::Keyword(word));
        }
    }
    Ok((i, LookupKind::Entities { kind, like }))
}
