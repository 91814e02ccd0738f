//! A relation's time: the four bounds (start in [start_lo, start_hi], end in
//! [end_lo, end_hi]) from the `when`/`from`/`to`/`at` fields, as DATA.md's "Time of a
//! relation" table gives them.

use super::expr::{end_ranges, DateExpr, End};
use super::fuzzy::parse_date;
use super::phrases::{resolve_date, DateContext};
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
    relation_bounds_at(fields, &DateContext::NONE)
}

/// [`relation_bounds`] with dates as reporters write them (`last November`, `8 May`)
/// resolved against `context`: the relation's anchor, and forward for a planned relation.
/// A relative date without an anchor is [`TimeError::Relative`] inside
/// [`TimeError::InField`].
pub fn relation_bounds_at(
    fields: &TimeFields,
    context: &DateContext,
) -> Result<Option<Bounds>, TimeError> {
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
        let expr = parse_field("when", text, context)?;
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
        let expr = parse_field("at", text, context)?;
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
    let start = field_end("from", from, context)?;
    let end = field_end("to", to, context)?;
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

fn parse_field(
    field: &'static str,
    text: &str,
    context: &DateContext,
) -> Result<DateExpr, TimeError> {
    // DATA.md's expressions first: the common case of a bulk import, read without the
    // phrase reader's allocations.
    if let Ok(expr) = parse_date(text) {
        return Ok(expr);
    }
    resolve_date(text, context)
        .map(|r| r.expr)
        .map_err(|error| TimeError::InField {
            field,
            source: Box::new(error),
        })
}

/// `from` or `to` as one end: not given, `..` (open), or a single date.
fn field_end(
    field: &'static str,
    text: Option<&str>,
    context: &DateContext,
) -> Result<End, TimeError> {
    let Some(text) = text else {
        return Ok(End::Unknown);
    };
    if text.trim() == ".." {
        return Ok(End::Open);
    }
    let expr = parse_field(field, text, context)?;
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

/// The time of several relations taken together, as bounds in the order `start_lo,
/// start_hi, end_lo, end_hi`: from the earliest start to the latest end (the smaller
/// start bounds, the larger end bounds). A relation with no time adds nothing, so the
/// span of undated relations is `None`. This is what `distinct` gives a row that stands
/// for several (in SQL: `min`, `min`, `max`, `max` over the group).
pub fn span(a: Option<[i64; 4]>, b: Option<[i64; 4]>) -> Option<[i64; 4]> {
    match (a, b) {
        (Some(a), Some(b)) => Some([
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ]),
        (a, None) => a,
        (None, b) => b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::day_from_ymd;

    fn day(y: i64, m: u32, d: u32) -> Day {
        day_from_ymd(y, m, d).unwrap()
    }

    fn bounds(fields: TimeFields) -> Bounds {
        relation_bounds(&fields)
            .unwrap_or_else(|e| panic!("{fields:?}: {e}"))
            .unwrap_or_else(|| panic!("{fields:?}: no bounds"))
    }

    fn b(start_lo: Day, start_hi: Day, end_lo: Day, end_hi: Day) -> Bounds {
        Bounds {
            start_lo,
            start_hi,
            end_lo,
            end_hi,
        }
    }

    fn when(text: &str) -> TimeFields<'_> {
        TimeFields {
            when: Some(text),
            ..TimeFields::default()
        }
    }

    fn from_to<'a>(from: Option<&'a str>, to: Option<&'a str>) -> TimeFields<'a> {
        TimeFields {
            from,
            to,
            ..TimeFields::default()
        }
    }

    fn error(fields: TimeFields) -> TimeError {
        match relation_bounds(&fields) {
            Ok(found) => panic!("{fields:?} accepted as {found:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn span_runs_from_the_earliest_start_to_the_latest_end() {
        let a = Some([10, 12, 20, 25]);
        let b = Some([5, 15, 18, 30]);
        assert_eq!(span(a, b), Some([5, 12, 20, 30]));
        assert_eq!(span(a, None), a);
        assert_eq!(span(None, b), b);
        assert_eq!(span(None, None), None);
        assert_eq!(
            span(Some([i64::MIN, 0, 1, i64::MAX]), a),
            Some([i64::MIN, 0, 20, i64::MAX])
        );
    }

    #[test]
    fn when_means_start_and_end_both_within() {
        let d = day(2025, 4, 28);
        assert_eq!(bounds(when("2025-04-28")), b(d, d, d, d));
        let (lo, hi) = (day(2024, 1, 1), day(2024, 12, 31));
        assert_eq!(bounds(when("2024")), b(lo, hi, lo, hi));
        let (lo, hi) = (day(2024, 9, 1), day(2024, 12, 31));
        assert_eq!(bounds(when("late 2024")), b(lo, hi, lo, hi));
        let hi = day(2019, 12, 31);
        assert_eq!(bounds(when("before 2020")), b(NEG_INF, hi, NEG_INF, hi));
    }

    #[test]
    fn when_with_an_interval_means_from_and_to() {
        assert_eq!(
            bounds(when("2023-01/2024-06")),
            bounds(from_to(Some("2023-01"), Some("2024-06")))
        );
        assert_eq!(
            bounds(when("2023-01/2024-06")),
            b(
                day(2023, 1, 1),
                day(2023, 1, 31),
                day(2024, 6, 1),
                day(2024, 6, 30)
            )
        );
        assert_eq!(
            bounds(when("1985/..")),
            bounds(from_to(Some("1985"), Some("..")))
        );
        assert_eq!(bounds(when("1985/")), bounds(from_to(Some("1985"), None)));
        assert_eq!(bounds(when("/1985")), bounds(from_to(None, Some("1985"))));
        assert_eq!(
            bounds(when("../1985")),
            bounds(from_to(Some(".."), Some("1985")))
        );
        assert_eq!(
            bounds(when("../1985")),
            b(NEG_INF, NEG_INF, day(1985, 1, 1), day(1985, 12, 31))
        );
    }

    #[test]
    fn from_and_to() {
        assert_eq!(
            bounds(from_to(Some("2023-03"), Some("2024"))),
            b(
                day(2023, 3, 1),
                day(2023, 3, 31),
                day(2024, 1, 1),
                day(2024, 12, 31)
            )
        );
        // Still holds.
        assert_eq!(
            bounds(from_to(Some("2023-03-05"), Some(".."))),
            b(day(2023, 3, 5), day(2023, 3, 5), POS_INF, POS_INF)
        );
        // End unknown: no earlier than the start.
        assert_eq!(
            bounds(from_to(Some("2023-03"), None)),
            b(day(2023, 3, 1), day(2023, 3, 31), day(2023, 3, 1), POS_INF)
        );
        // Start unknown: no later than the end.
        assert_eq!(
            bounds(from_to(None, Some("2024-Q2"))),
            b(NEG_INF, day(2024, 6, 30), day(2024, 4, 1), day(2024, 6, 30))
        );
        assert_eq!(
            bounds(from_to(Some("before 2020"), Some("after 2021"))),
            b(NEG_INF, day(2019, 12, 31), day(2022, 1, 1), POS_INF)
        );
        // Overlapping precisions are fine as long as the start can precede the end.
        assert!(relation_bounds(&from_to(Some("2024"), Some("2024-01-01"))).is_ok());
        assert!(relation_bounds(&from_to(Some(" .. "), Some(".."))).is_ok());
    }

    #[test]
    fn at_means_observed_to_hold_on_that_date() {
        let fields = TimeFields {
            at: Some("2025-03"),
            ..TimeFields::default()
        };
        assert_eq!(
            bounds(fields),
            b(NEG_INF, day(2025, 3, 1), day(2025, 3, 31), POS_INF)
        );
    }

    #[test]
    fn no_time_is_none() {
        assert_eq!(relation_bounds(&TimeFields::default()), Ok(None));
        let blank = TimeFields {
            when: Some(""),
            from: Some("  "),
            to: None,
            at: Some("\t"),
        };
        assert_eq!(relation_bounds(&blank), Ok(None));
        // A blank field does not conflict with a given one.
        let d = day(2025, 4, 28);
        let fields = TimeFields {
            when: Some("2025-04-28"),
            from: Some(""),
            ..TimeFields::default()
        };
        assert_eq!(bounds(fields), b(d, d, d, d));
    }

    #[test]
    fn conflicting_fields_are_errors() {
        let x = Some("2024");
        let cases = [
            (
                TimeFields {
                    when: x,
                    from: x,
                    ..TimeFields::default()
                },
                ("when", "from"),
            ),
            (
                TimeFields {
                    when: x,
                    to: x,
                    ..TimeFields::default()
                },
                ("when", "to"),
            ),
            (
                TimeFields {
                    when: x,
                    at: x,
                    ..TimeFields::default()
                },
                ("when", "at"),
            ),
            (
                TimeFields {
                    at: x,
                    from: x,
                    ..TimeFields::default()
                },
                ("at", "from"),
            ),
            (
                TimeFields {
                    at: x,
                    to: x,
                    ..TimeFields::default()
                },
                ("at", "to"),
            ),
        ];
        for (fields, (first, second)) in cases {
            assert_eq!(
                error(fields),
                TimeError::ConflictingFields { first, second }
            );
        }
        let message = error(cases[3].0).to_string();
        assert!(message.starts_with("fields `at` and `from` cannot be given together"));
    }

    #[test]
    fn invalid_dates_name_their_field() {
        let e = error(from_to(Some("2024"), Some("2025-02-30")));
        assert!(matches!(e, TimeError::InField { field: "to", .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "field `to`: `2025-02-30` is not a valid date: February 2025 has 28 days"
        );
        let e = error(when("hello"));
        assert!(e
            .to_string()
            .starts_with("field `when`: `hello` is not a valid date"));
        let e = error(TimeFields {
            at: Some("2025-13"),
            ..TimeFields::default()
        });
        assert!(matches!(e, TimeError::InField { field: "at", .. }), "{e:?}");
        let e = error(from_to(Some(".. "), Some("..2024")));
        assert!(matches!(e, TimeError::InField { field: "to", .. }), "{e:?}");
    }

    #[test]
    fn from_later_than_to_is_an_error() {
        let e = error(from_to(Some("2025"), Some("2024")));
        assert_eq!(
            e,
            TimeError::EndsBeforeStart {
                from: "2025".into(),
                to: "2024".into()
            }
        );
        assert!(e.to_string().contains("later than `to`"));
        assert!(matches!(
            error(from_to(Some("after 2024"), Some("before 2024"))),
            TimeError::EndsBeforeStart { .. }
        ));
        assert!(matches!(
            error(when("2025/2024")),
            TimeError::InField { field: "when", .. }
        ));
    }

    #[test]
    fn single_date_fields_refuse_intervals() {
        let e = error(from_to(Some("2023/2024"), None));
        assert!(
            matches!(e, TimeError::NotSingleDate { field: "from", .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("takes a single date"));
        let e = error(from_to(None, Some("../2024")));
        assert!(matches!(e, TimeError::NotSingleDate { field: "to", .. }));
        for at in ["2023/2024", "before 2024", "after 2024"] {
            let e = error(TimeFields {
                at: Some(at),
                ..TimeFields::default()
            });
            assert!(
                matches!(e, TimeError::NotSingleDate { field: "at", .. }),
                "{at}: {e:?}"
            );
        }
    }
}
