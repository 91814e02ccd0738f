//! A relation's time: the four bounds (start in [start_lo, start_hi], end in
//! [end_lo, end_hi]) from the `when`/`from`/`to`/`at` fields, as DATA.md's "Time of a
//! relation" table gives them.

use super::expr::{end_ranges, parse_date, DateExpr, End};
use super::{Day, TimeError, NEG_INF, POS_INF};

/// A relation's time: start in [start_lo, start_hi], end in [end_lo, end_hi];
/// NEG_INF / POS_INF where unknown or open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Earliest possible start.
    pub start_lo: Day,
    /// Latest possible start.
    pub start_hi: Day,
    /// Earliest possible end.
    pub end_lo: Day,
    /// Latest possible end.
    pub end_hi: Day,
}

/// The time fields of a relation record as written. A field that is empty or only
/// whitespace counts as not given (a CSV cell left blank).
#[derive(Debug, Clone, Copy, Default)]
pub struct TimeFields<'a> {
    /// `when: X`: happened within X (or, for an interval `A/B`, held from A to B).
    pub when: Option<&'a str>,
    /// `from: A`: held from A.
    pub from: Option<&'a str>,
    /// `to: B`: held until B; `..` means it still holds.
    pub to: Option<&'a str>,
    /// `at: D`: observed to hold on D.
    pub at: Option<&'a str>,
}

/// The bounds of a relation's time from its fields (DATA.md's table); `Ok(None)` when no
/// field is given (time unknown).
///
/// - `when: X`: start and end both in X; an interval `A/B` means `from: A, to: B`.
/// - `from: A, to: B`: start in A, end in B; `to: ".."`: the end is `POS_INF` (still
///   holds); `from: ".."`: the start is `NEG_INF`.
/// - `from: A` alone: end in [A.lo, POS_INF]; `to: B` alone: start in [NEG_INF, B.hi].
/// - `at: D`: start in [NEG_INF, D.lo], end in [D.hi, POS_INF].
///
/// Errors name the field: an invalid date, `when` together with `from`/`to`/`at`, `at`
/// together with `from`/`to`, an interval where a single date is needed, or `from` later
/// than `to`.
pub fn relation_bounds(fields: &TimeFields) -> Result<Option<Bounds>, TimeError> {
    let when = given(fields.when);
    let from = given(fields.from);
    let to = given(fields.to);
    let at = given(fields.at);

    let present = [("when", when), ("at", at), ("from", from), ("to", to)];
    for (i, (first, value)) in present.iter().enumerate() {
        for (second, other) in &present[i + 1..] {
            let excluded = *first == "when" || (*first == "at" && *second != "at");
            if excluded && value.is_some() && other.is_some() {
                return Err(TimeError::ConflictingFields { first, second });
            }
        }
    }

    if let Some(text) = when {
        let expr = parse_field("when", text)?;
        let ((start_lo, start_hi), (end_lo, end_hi)) = match expr.interval_ends() {
            Some((start, end)) => end_ranges(start, end),
            None => {
                let range = expr.range();
                (range, range)
            }
        };
        return Ok(Some(Bounds {
            start_lo,
            start_hi,
            end_lo,
            end_hi,
        }));
    }

    if let Some(text) = at {
        let expr = parse_field("at", text)?;
        if expr.is_interval() {
            return Err(TimeError::NotSingleDate {
                field: "at",
                text: text.to_string(),
                what: "an interval",
                advice: "; for something that held over a period use `from`/`to`",
            });
        }
        if expr.is_before_or_after() {
            return Err(TimeError::NotSingleDate {
                field: "at",
                text: text.to_string(),
                what: "a `before`/`after` date",
                advice: "; give the date it was observed",
            });
        }
        let (lo, hi) = expr.range();
        return Ok(Some(Bounds {
            start_lo: NEG_INF,
            start_hi: lo,
            end_lo: hi,
            end_hi: POS_INF,
        }));
    }

    if from.is_none() && to.is_none() {
        return Ok(None);
    }
    let start = field_end("from", from)?;
    let end = field_end("to", to)?;
    let ((start_lo, start_hi), (end_lo, end_hi)) = end_ranges(start, end);
    if start_lo > end_hi {
        return Err(TimeError::EndsBeforeStart {
            from: from.unwrap_or_default().trim().to_string(),
            to: to.unwrap_or_default().trim().to_string(),
        });
    }
    Ok(Some(Bounds {
        start_lo,
        start_hi,
        end_lo,
        end_hi,
    }))
}

/// A field's text, or `None` when it is absent or blank.
fn given(field: Option<&str>) -> Option<&str> {
    field.filter(|text| !text.trim().is_empty())
}

fn parse_field(field: &'static str, text: &str) -> Result<DateExpr, TimeError> {
    parse_date(text).map_err(|error| TimeError::InField {
        field,
        source: Box::new(error),
    })
}

/// `from` or `to` as one end: not given, `..` (open), or a single date.
fn field_end(field: &'static str, text: Option<&str>) -> Result<End, TimeError> {
    let Some(text) = text else {
        return Ok(End::Unknown);
    };
    if text.trim() == ".." {
        return Ok(End::Open);
    }
    let expr = parse_field(field, text)?;
    if expr.is_interval() {
        return Err(TimeError::NotSingleDate {
            field,
            text: text.to_string(),
            what: "an interval",
            advice: "; write an interval in `when` (e.g. when: 2023-01/2024-06) or split it \
                     into `from` and `to`",
        });
    }
    let (lo, hi) = expr.range();
    Ok(End::Date(lo, hi))
}
