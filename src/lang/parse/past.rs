//! Questions about the store's past: `as recorded on P` and `as recorded at change N`
//! at the end of a query, a path, a `run` or a `history` (before or after its pipeline),
//! `history #412 | …`, `history ENTITY | …` and `changes [since P] [by NAME] | …`.

use nom::branch::alt;
use nom::combinator::cut;
use nom::sequence::preceded;
use nom::Parser;

use super::super::keywords as kw;
use super::filters::period;
use super::stages::{number, pipeline};
use super::values::{dashed_word, entity, handle};
use super::{expect, kw, kw_in, Expect, Input, PResult};
use crate::lang::ast::*;

/// `as recorded on P` or `as recorded at change N`. `as` commits (a time filter `as of`
/// is read before this is tried).
pub(super) fn recorded(i: Input<'_>) -> PResult<'_, Recorded> {
    let start = i.here();
    let (rest, kind) = preceded(
        expect(Expect::Offer(&[kw::AS]), kw(kw::AS)),
        cut(preceded(
            expect(Expect::Keyword(kw::RECORDED), kw(kw::RECORDED)),
            alt((
                preceded(
                    expect(Expect::Keyword(kw::ON), kw(kw::ON)),
                    cut(period(false)),
                )
                .map(RecordedKind::On),
                preceded(
                    expect(Expect::Keyword(kw::AT), kw(kw::AT)),
                    cut(preceded(
                        expect(Expect::Keyword(kw::CHANGE), kw(kw::CHANGE)),
                        number,
                    )),
                )
                .map(RecordedKind::AtChange),
            )),
        )),
    )
    .parse(i)?;
    Ok((
        rest,
        Recorded {
            kind,
            span: rest.span_from(start),
        },
    ))
}

/// The end of a query, a path, a `run` or a `history`: its pipeline, and `as recorded …`
/// before or after the pipeline (at most once).
pub(super) fn tail(i: Input<'_>) -> PResult<'_, (Vec<Stage>, Option<Recorded>)> {
    let (i, before) = optional(recorded, i)?;
    let (i, stages) = pipeline(i)?;
    let (rest, after) = optional(recorded, i)?;
    match (before, after) {
        (Some(first), Some(again)) => {
            let (line, col) = crate::lang::line_col(i.source(), first.span.start);
            rest.error_at(
                again.span,
                "`as recorded` is given twice".to_string(),
                format!("keep one; the first is at {line}:{col}"),
            )
        }
        (before, after) => Ok((rest, (stages, before.or(after)))),
    }
}

/// `parser`, or nothing where it fails without reading.
fn optional<'t, T>(
    parser: impl Fn(Input<'t>) -> PResult<'t, T>,
    i: Input<'t>,
) -> PResult<'t, Option<T>> {
    match parser(i) {
        Ok((rest, value)) => Ok((rest, Some(value))),
        Err(nom::Err::Error(_)) => Ok((i, None)),
        Err(e) => Err(e),
    }
}

/// `history #412 …` or `history ENTITY …`, with its tail.
pub(super) fn history(i: Input<'_>) -> PResult<'_, (HistoryQuery, Option<Recorded>)> {
    let start = i.here();
    let (i, _) = kw(kw::HISTORY)(i)?;
    let (i, target) = cut(alt((
        handle.map(HistoryTarget::Relation),
        entity.map(HistoryTarget::Entity),
    )))
    .parse(i)?;
    let (rest, (stages, recorded)) = tail(i)?;
    let query = HistoryQuery {
        target,
        stages,
        span: rest.span_from(start),
    };
    Ok((rest, (query, recorded)))
}

/// `changes [since P] [by NAME] [| stage …]`; `since` and `by` in either order.
pub(super) fn changes(i: Input<'_>) -> PResult<'_, ChangesQuery> {
    let start = i.here();
    let (mut i, _) = kw(kw::CHANGES)(i)?;
    let mut since: Option<Period> = None;
    let mut by: Option<Text> = None;
    loop {
        let option_start = i.here();
        let Ok((after, word)) = kw_in(kw::CHANGES_OPTIONS)(i) else {
            break;
        };
        let (rest, twice) = if word == kw::SINCE {
            let (rest, period) = cut(period(false)).parse(after)?;
            (rest, since.replace(period).is_some())
        } else {
            let (rest, author) = cut(dashed_word(Expect::Author)).parse(after)?;
            let author = Text {
                value: author.name,
                span: author.span,
            };
            (rest, by.replace(author).is_some())
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
    for (absent, word) in [(since.is_none(), kw::SINCE), (by.is_none(), kw::BY)] {
        if absent {
            i.expect(Expect::Keyword(word));
        }
    }
    let (rest, stages) = pipeline(i)?;
    Ok((
        rest,
        ChangesQuery {
            since,
            by,
            stages,
            span: rest.span_from(start),
        },
    ))
}
