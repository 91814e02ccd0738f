//! What a date expression is once parsed: [`DateExpr`] (a date, `before`/`after` a date,
//! or an interval), its [`Edge`]s and EDTF [`Qualifiers`], and the day bounds all of them
//! give. The text is read by [`fuzzy`](super::fuzzy) (the expressions analysts write) and
//! [`edtf`](super::edtf) (single dates in EDTF).

use super::calendar::YEAR_LIMIT;
use super::{Day, NEG_INF, POS_INF};

/// The advice given when a text is not recognisable as a date at all.
pub(super) const DATE_FORMS: &str =
    "write a date such as 2025, 2025-04, 2025-04-28, 2024-Q3, 2024-H2, \
     early 2025, late 2025-02, before 2024-06, or EDTF such as 2024?, 201X, 2001-21, \
     2023-01/2024-06 or 2024/..";

/// Why a text is not a date, in words for the analyst.
pub(super) type Reason = String;

/// The reason given for a year beyond [`YEAR_LIMIT`].
pub(super) fn out_of_range() -> Reason {
    format!("the year is out of range (at most {YEAR_LIMIT} either side of year 0)")
}

/// One end of a parsed date expression, as the EDTF corpus distinguishes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// A known day.
    Day(Day),
    /// Open: `..` in an interval, or the unbounded side of `before`/`after`.
    Open,
    /// Unknown: the empty side of an EDTF interval (`1985/`, `/1985`).
    Unknown,
}

/// The EDTF qualifiers written on a date: `?` uncertain, `~` approximate, `%` both.
/// They are kept for display; they never change bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Qualifiers {
    /// `?` or `%` was written.
    pub uncertain: bool,
    /// `~` or `%` was written.
    pub approximate: bool,
}

impl Qualifiers {
    /// No qualifier.
    pub const NONE: Qualifiers = Qualifiers {
        uncertain: false,
        approximate: false,
    };

    /// Whether no qualifier was written.
    pub fn is_empty(self) -> bool {
        !self.uncertain && !self.approximate
    }

    /// The qualifiers of either (for an interval: those of both ends).
    pub fn union(self, other: Qualifiers) -> Qualifiers {
        Qualifiers {
            uncertain: self.uncertain || other.uncertain,
            approximate: self.approximate || other.approximate,
        }
    }

    /// The EDTF symbol: `?`, `~`, `%`, or `None` when unqualified.
    pub fn symbol(self) -> Option<char> {
        match (self.uncertain, self.approximate) {
            (true, true) => Some('%'),
            (true, false) => Some('?'),
            (false, true) => Some('~'),
            (false, false) => None,
        }
    }
}

/// A parsed date expression (any form of DATA.md's table, including EDTF L0/L1).
#[derive(Debug, Clone, PartialEq)]
pub struct DateExpr {
    pub(super) shape: Shape,
}

/// What kind of expression was written.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Shape {
    /// One date of some precision: somewhere in [lo, hi].
    Point(Point),
    /// `before D`: an unknown point strictly before D's first day.
    Before(Point),
    /// `after D`: an unknown point strictly after D's last day.
    After(Point),
    /// `A/B`, `../B`, `A/..`, `A/`, `/B`.
    Interval { start: Side, end: Side },
}

/// One side of an interval as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Side {
    Date(Point),
    /// `..`
    Open,
    /// empty
    Unknown,
}

impl Side {
    fn end(self) -> End {
        match self {
            Side::Date(p) => End::Date(p.lo, p.hi),
            Side::Open => End::Open,
            Side::Unknown => End::Unknown,
        }
    }
}

/// One end of an interval or of a relation's time, reduced to what bounds need: a day
/// range, open (`..`) or unknown (not given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    Date(Day, Day),
    Open,
    Unknown,
}

/// The ranges the start and the end lie in, for an interval from `start` to `end`.
///
/// An open start began at no known time (`NEG_INF`), an open end still holds (`POS_INF`).
/// An unknown start lies anywhere up to the end's last day; an unknown end anywhere from the
/// start's first day.
pub(crate) fn end_ranges(start: End, end: End) -> ((Day, Day), (Day, Day)) {
    let start_range = match start {
        End::Date(lo, hi) => (lo, hi),
        End::Open => (NEG_INF, NEG_INF),
        End::Unknown => match end {
            End::Date(_, hi) => (NEG_INF, hi),
            End::Open | End::Unknown => (NEG_INF, POS_INF),
        },
    };
    let end_range = match end {
        End::Date(lo, hi) => (lo, hi),
        End::Open => (POS_INF, POS_INF),
        End::Unknown => match start {
            End::Date(lo, _) => (lo, POS_INF),
            End::Open | End::Unknown => (NEG_INF, POS_INF),
        },
    };
    (start_range, end_range)
}

/// A single date as written, with its bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Point {
    pub(super) lo: Day,
    pub(super) hi: Day,
    pub(super) qualifiers: Qualifiers,
    /// Set for a plain year or year-month (no X, qualifier or time), which `early`, `mid`
    /// and `late` may divide.
    pub(super) plain: Plain,
}

impl Point {
    /// Days `lo..=hi`, unqualified and not divisible by `early`/`mid`/`late`.
    fn days(lo: Day, hi: Day) -> Point {
        Point {
            lo,
            hi,
            qualifiers: Qualifiers::NONE,
            plain: Plain::No,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Plain {
    Year(i64),
    Month(i64, u32),
    No,
}

impl DateExpr {
    /// A date known to lie within `lo..=hi` (a written or relative date, resolved).
    pub(crate) fn within_days(lo: Day, hi: Day) -> DateExpr {
        DateExpr {
            shape: Shape::Point(Point::days(lo, hi)),
        }
    }

    /// An unknown point before day `lo` (`before` a resolved phrase).
    pub(crate) fn before_days(lo: Day) -> DateExpr {
        DateExpr {
            shape: Shape::Before(Point::days(lo, lo)),
        }
    }

    /// An unknown point after day `hi` (`after` a resolved phrase).
    pub(crate) fn after_days(hi: Day) -> DateExpr {
        DateExpr {
            shape: Shape::After(Point::days(hi, hi)),
        }
    }

    /// The earliest day, as the corpus's `earliest`.
    pub fn earliest(&self) -> Edge {
        match &self.shape {
            Shape::Point(p) => Edge::Day(p.lo),
            Shape::Before(_) => Edge::Open,
            Shape::After(p) => Edge::Day(p.hi + 1),
            Shape::Interval { start, .. } => match start {
                Side::Date(p) => Edge::Day(p.lo),
                Side::Open => Edge::Open,
                Side::Unknown => Edge::Unknown,
            },
        }
    }

    /// The latest day, as the corpus's `latest`.
    pub fn latest(&self) -> Edge {
        match &self.shape {
            Shape::Point(p) => Edge::Day(p.hi),
            Shape::Before(p) => Edge::Day(p.lo - 1),
            Shape::After(_) => Edge::Open,
            Shape::Interval { end, .. } => match end {
                Side::Date(p) => Edge::Day(p.hi),
                Side::Open => Edge::Open,
                Side::Unknown => Edge::Unknown,
            },
        }
    }

    /// lo..hi with infinities for open/unknown (NEG_INF / POS_INF).
    pub fn range(&self) -> (Day, Day) {
        (self.start_range().0, self.end_range().1)
    }

    /// For an interval: the range its start lies in. `..` gives `(NEG_INF, NEG_INF)` (it
    /// began at no known time), an empty start `(NEG_INF, end's last day)`. For anything
    /// else: the same as `range()`.
    pub fn start_range(&self) -> (Day, Day) {
        match &self.shape {
            Shape::Interval { start, end } => end_ranges(start.end(), end.end()).0,
            _ => self.single_range(),
        }
    }

    /// For an interval: the range its end lies in. `..` gives `(POS_INF, POS_INF)` (it
    /// still holds), an empty end `(start's first day, POS_INF)`. For anything else: the
    /// same as `range()`.
    pub fn end_range(&self) -> (Day, Day) {
        match &self.shape {
            Shape::Interval { start, end } => end_ranges(start.end(), end.end()).1,
            _ => self.single_range(),
        }
    }

    /// Whether this is an interval (`A/B`, `../B`, `A/..`, `A/`, `/B`).
    pub fn is_interval(&self) -> bool {
        matches!(self.shape, Shape::Interval { .. })
    }

    /// Whether this is `before D` or `after D`.
    pub fn is_before_or_after(&self) -> bool {
        matches!(self.shape, Shape::Before(_) | Shape::After(_))
    }

    /// The EDTF qualifiers written (for an interval: on either end).
    pub fn qualifiers(&self) -> Qualifiers {
        match &self.shape {
            Shape::Point(p) | Shape::Before(p) | Shape::After(p) => p.qualifiers,
            Shape::Interval { start, end } => side_qualifiers(*start).union(side_qualifiers(*end)),
        }
    }

    /// For an interval: the qualifiers of its start and of its end; for anything else both
    /// are `qualifiers()`.
    pub fn side_qualifiers(&self) -> (Qualifiers, Qualifiers) {
        match &self.shape {
            Shape::Interval { start, end } => (side_qualifiers(*start), side_qualifiers(*end)),
            _ => (self.qualifiers(), self.qualifiers()),
        }
    }

    /// The interval's start and end reduced to [`End`]s; `None` when not an interval.
    pub(crate) fn interval_ends(&self) -> Option<(End, End)> {
        match &self.shape {
            Shape::Interval { start, end } => Some((start.end(), end.end())),
            _ => None,
        }
    }

    fn single_range(&self) -> (Day, Day) {
        match &self.shape {
            Shape::Point(p) => (p.lo, p.hi),
            Shape::Before(p) => (NEG_INF, p.lo - 1),
            Shape::After(p) => (p.hi + 1, POS_INF),
            Shape::Interval { start, end } => {
                let (s, e) = end_ranges(start.end(), end.end());
                (s.0, e.1)
            }
        }
    }
}

fn side_qualifiers(side: Side) -> Qualifiers {
    match side {
        Side::Date(p) => p.qualifiers,
        Side::Open | Side::Unknown => Qualifiers::NONE,
    }
}

/// Helpers for the parsers' tests: parse, then give the bounds or the reason refused.
#[cfg(test)]
pub(super) mod test_support {
    use super::super::{day_from_ymd, parse_date, TimeError};
    use super::Day;

    pub(in crate::time) fn day(y: i64, m: u32, d: u32) -> Day {
        day_from_ymd(y, m, d).unwrap()
    }

    pub(in crate::time) fn range(text: &str) -> (Day, Day) {
        parse_date(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .range()
    }

    pub(in crate::time) fn reason(text: &str) -> String {
        match parse_date(text) {
            Ok(expr) => panic!("{text} accepted as {expr:?}"),
            Err(TimeError::InvalidDate { text: t, reason }) => {
                assert_eq!(t, text);
                reason
            }
            Err(other) => panic!("{text}: unexpected error {other}"),
        }
    }
}
