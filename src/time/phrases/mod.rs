//! Dates as reporters write them (ARTICLES.md, "Relative and written-out dates"): written
//! dates (`8 May 2025`, ٨ أيار ٢٠٢٥), day words, weekdays, months without a year,
//! `last`/`this`/`next`, early/mid/late and beginning/end, quarters and halves in words,
//! counts (`3 days ago`, منذ ثلاثة أيام), ranges (`13–15 July 2025`, `May–June 2025`,
//! من 13 إلى 15 يوليو), in English and Arabic.
//!
//! - [`resolve_date`]: any date text (DATA.md's expressions first, then phrases) against an
//!   anchor, with the rule that applied.
//! - [`find`]: the date phrases inside running text, with their spans.
//!
//! The words are in [`words`], the forms in [`grammar`] (ranges in [`range`]), the
//! placing in [`resolve`].

mod grammar;
mod range;
mod resolve;
mod words;

use std::ops::Range;

use super::expr::DateExpr;
use super::{format_day, parse_date, Day, TimeError};
use grammar::phrase_at;
use resolve::{place, relative_kind, PlaceError};
use words::{tokens, Word};

/// What a date is read against: the anchor of relative words, and whether a month,
/// weekday or part without a year looks forward (a planned relation) rather than back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateContext<'a> {
    /// The day relative words count from: a relation's `reported` date, its source's
    /// `published` date, or today in a query. `None`: relative words are an error.
    pub anchor: Option<Day>,
    /// Look forward from the anchor (a `planned` relation).
    pub planned: bool,
    /// What to give when there is no anchor, for the error (e.g. "give `--anchor D`").
    pub advice: &'a str,
}

/// The advice when a relation's relative date has no anchor.
pub const RELATION_ANCHOR_ADVICE: &str =
    "give `reported D` on the relation, or a source with a `published` date";

impl DateContext<'static> {
    /// No anchor: relative words are refused with the relation's advice.
    pub const NONE: DateContext<'static> = DateContext {
        anchor: None,
        planned: false,
        advice: RELATION_ANCHOR_ADVICE,
    };

    /// Relative to `anchor`, looking back.
    pub fn at(anchor: Option<Day>) -> DateContext<'static> {
        DateContext {
            anchor,
            ..DateContext::NONE
        }
    }
}

impl DateContext<'_> {
    /// The same, looking forward when `planned`.
    pub fn planned(self, planned: bool) -> Self {
        DateContext { planned, ..self }
    }
}

/// A date text resolved: its expression (bounds), how DATA.md would write it, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The date, as the rest of the time layer uses it.
    pub expr: DateExpr,
    /// The same date as DATA.md writes it (`early 2025-02`, `2024-Q1`; a week as
    /// `first..last`); the text itself for a date expression.
    pub written: String,
    /// The rule that applied, in words.
    pub rule: String,
    /// Whether the anchor was used (the text is relative: a corrected anchor moves it).
    pub relative: bool,
}

/// Reads `text` as a date: a date expression of DATA.md (`2025-04`, `early 2024`,
/// `2023/2024`, EDTF) as [`parse_date`] reads it, else a written or relative phrase placed
/// against `context`; `before`/`after` take a phrase too (`before May 2025`).
///
/// Errors: a relative phrase without an anchor ([`TimeError::Relative`]), a phrase that
/// names no date (30 February), and text that is no date at all (with the forms to write).
pub fn resolve_date(text: &str, context: &DateContext) -> Result<Resolved, TimeError> {
    let strict = match parse_date(text) {
        Ok(expr) => {
            return Ok(Resolved {
                expr,
                written: text.trim().to_string(),
                rule: "a date expression (DATA.md)".to_string(),
                relative: false,
            })
        }
        Err(e) => e,
    };
    let trimmed = text.trim();
    let (keyword, rest) = match trimmed.split_once(char::is_whitespace) {
        Some((k, rest)) if k.eq_ignore_ascii_case("before") || k.eq_ignore_ascii_case("after") => {
            (Some(k.to_ascii_lowercase()), rest)
        }
        _ => (None, trimmed),
    };
    let toks = tokens(rest);
    let Some((phrase, end)) = phrase_at(&toks, 0) else {
        return Err(not_a_date(text, strict));
    };
    // A full stop after the date (`8 May 2025.`) is no extra word.
    if let Some(extra) = toks[end..]
        .iter()
        .find(|t| !matches!(t.word, Word::Filler | Word::Break))
    {
        return Err(TimeError::InvalidDate {
            text: text.to_string(),
            reason: format!(
                "`{}` is a date but `{}` after it is not understood; write the date alone",
                rest[..toks[end - 1].span.end].trim(),
                rest[extra.span.start..].trim()
            ),
        });
    }
    let placed = place(&phrase, context.anchor, context.planned).map_err(|e| match e {
        PlaceError::NoAnchor(what) => TimeError::Relative {
            text: text.to_string(),
            what: what.to_string(),
            advice: context.advice.to_string(),
        },
        PlaceError::Invalid(reason) => TimeError::InvalidDate {
            text: text.to_string(),
            reason,
        },
    })?;
    let relative = relative_kind(&phrase).is_some();
    let (expr, written, rule) = match keyword.as_deref() {
        Some("before") => (
            DateExpr::before_days(placed.lo),
            format!("before {}", placed.written),
            format!("before: {}", placed.rule),
        ),
        Some(_) => (
            DateExpr::after_days(placed.hi),
            format!("after {}", placed.written),
            format!("after: {}", placed.rule),
        ),
        // A range is the EDTF interval it is written as, with that interval's bounds.
        None if matches!(phrase, grammar::Phrase::Range { .. }) => {
            (parse_date(&placed.written)?, placed.written, placed.rule)
        }
        None => (
            DateExpr::within_days(placed.lo, placed.hi),
            placed.written,
            placed.rule,
        ),
    };
    Ok(Resolved {
        expr,
        written,
        rule,
        relative,
    })
}

/// The anchor a date gives: its day when it names one day (`2025-04-28`, `8 May 2025`);
/// `None` for a wider date (`2025-04`, `before 2025-04-28`), which cannot say from which
/// day `yesterday` counts. Relative words in `text` itself count from `today` (when given).
pub fn anchor_day(text: &str, today: Option<Day>) -> Result<Option<Day>, TimeError> {
    let resolved = resolve_date(text, &DateContext::at(today))?;
    let (lo, hi) = resolved.expr.range();
    Ok((lo == hi).then_some(lo))
}

/// Whether `text` is relative: it resolves only against an anchor (and moves with it).
pub fn is_relative(text: &str) -> bool {
    matches!(
        resolve_date(text, &DateContext::NONE),
        Err(TimeError::Relative { .. })
    )
}

/// The error for text that is neither a date expression nor a phrase: the expression's
/// reason, with the written forms added when the text has letters (a misspelt phrase).
fn not_a_date(text: &str, strict: TimeError) -> TimeError {
    match strict {
        TimeError::InvalidDate { text: t, reason } if text.chars().any(char::is_alphabetic) => {
            TimeError::InvalidDate {
                text: t,
                reason: format!(
                    "{reason}; or words such as 8 May 2025, May 2025, last November, \
                     early last February, the first quarter of 2024, yesterday, Monday, \
                     3 days ago, مطلع فبراير الماضي, 8 مايو"
                ),
            }
        }
        other => other,
    }
}

/// A date phrase found in running text.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundDate {
    /// Its bytes in the text.
    pub span: Range<usize>,
    /// The words as written.
    pub text: String,
    /// Its bounds against the anchor, or why it has none (relative without an anchor,
    /// 30 February).
    pub resolved: Result<Resolved, TimeError>,
}

/// The date phrases in `text`, in order, each at its longest: `اليوم الاثنين`,
/// `8 May 2025`, `late 2024`. Bare numbers (`in 2024`) and a lone `may` (a verb as often as a month)
/// are not dates here; ISO dates (`2025-04-28`) are.
pub fn find(text: &str, anchor: Option<Day>) -> Vec<FoundDate> {
    let toks = tokens(text);
    let context = DateContext::at(anchor);
    let mut found = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let phrase = match toks[i].word {
            Word::Filler | Word::Break | Word::Hyphen | Word::Other => None,
            // A number alone (`in 2024 people`, the `2` of a score `2-1`) is no date
            // here; `8 May`, `3 days ago` and عام 2024 are.
            first => phrase_at(&toks, i).filter(|(p, end)| {
                let bare_year = matches!(
                    p,
                    grammar::Phrase::Year {
                        year: grammar::YearRef::Given(_),
                        part: grammar::YearPart::Whole
                    }
                );
                let mut words = toks[i..*end]
                    .iter()
                    .filter(|t| !matches!(t.word, Word::Filler | Word::In));
                let lone_number = matches!(
                    (words.next().map(|t| t.word), words.next()),
                    (Some(Word::Number(..)), None)
                );
                let bare_year = bare_year && matches!(first, Word::Number(..) | Word::In);
                !(bare_year || lone_number)
            }),
        };
        let iso = iso_at(text, &toks[i].span);
        match (phrase, iso) {
            (Some((_, end)), _) if !lone_may(text, &toks[i..end]) => {
                let span = toks[i].span.start..toks[end - 1].span.end;
                let words = text[span.clone()].to_string();
                found.push(FoundDate {
                    resolved: resolve_date(&words, &context),
                    text: words,
                    span,
                });
                i = end;
            }
            (_, Some(resolved)) => {
                found.push(FoundDate {
                    span: toks[i].span.clone(),
                    text: text[toks[i].span.clone()].to_string(),
                    resolved: Ok(resolved),
                });
                i += 1;
            }
            _ => i += 1,
        }
    }
    found
}

/// An ISO date or month written as one word (`2025-04-28`, `2025-04`).
fn iso_at(text: &str, span: &Range<usize>) -> Option<Resolved> {
    let word = &text[span.clone()];
    let iso = word.len() >= 7
        && word.as_bytes()[4] == b'-'
        && word.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    if !iso {
        return None;
    }
    resolve_date(word, &DateContext::NONE).ok()
}

/// `may` alone, in Latin letters: a verb in running English, not the month.
fn lone_may(text: &str, toks: &[words::Token]) -> bool {
    toks.len() == 1 && text[toks[0].span.clone()].eq_ignore_ascii_case("may")
}

/// The day bounds as `YYYY-MM-DD..YYYY-MM-DD` (`..` alone for an open side).
pub fn bounds_text(expr: &DateExpr) -> String {
    let (lo, hi) = expr.range();
    format!(
        "{}..{}",
        format_day(lo).unwrap_or_default(),
        format_day(hi).unwrap_or_default()
    )
}

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod tests;
