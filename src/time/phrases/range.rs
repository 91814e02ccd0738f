//! Ranges of dates in words: two ends joined by `to`, `–`, إلى (or `between … and`,
//! بين … و): `13–15 July 2025`, `July 13–15, 2025`, `from 13 to 15 July`, `13 July to
//! 2 August 2025`, `May–June 2025`, `2023–2024`, من 13 إلى 15 يوليو، بين 13 و15 تموز.
//! A range comes to the EDTF interval of its ends (`2025-07-13/2025-07-15`), which
//! [`parse_date`](crate::time::parse_date) reads as any interval: this module only says
//! where the ends are. The year written once serves both ends; a range without a year is
//! placed as its first day would be alone (back from the anchor, forward when planned).

use super::grammar::{
    day_number, month_and_day, month_word, year_after, year_number, Cursor, End, Phrase, YearPart,
    YearRef,
};
use super::resolve::{place, PlaceError, Placed};
use super::words::{Unit, Word};
use crate::time::calendar::ymd;
use crate::time::Day;

/// One form of range: its two ends, read after `from` or `between` (true).
type Form = fn(&mut Cursor, bool) -> Option<(End, End)>;

/// A range at the cursor: `from`/`between` (optional), two ends and what joins them.
pub(super) fn range(c: &mut Cursor) -> Option<Phrase> {
    let between = c
        .take(|w| match w {
            Word::From => Some(false),
            Word::Between => Some(true),
            _ => None,
        })
        .unwrap_or(false);
    let forms: [Form; 5] = [days_then_month, month_then_days, days, months, years];
    let mut best: Option<((End, End), Cursor)> = None;
    for form in forms {
        let mut ahead = *c;
        if let Some(ends) = form(&mut ahead, between) {
            if best.is_none_or(|(_, b)| ahead.pos > b.pos) {
                best = Some((ends, ahead));
            }
        }
    }
    let ((start, end), after) = best?;
    *c = after;
    Some(Phrase::Range { start, end })
}

/// What joins the ends: `to` (–, إلى, `-` between words: `May-June`); after `between`, `and` (و, often written on the
/// number: و15) or nothing.
fn joined(c: &mut Cursor, between: bool) -> Option<()> {
    if c.hyphen() || c.is(Word::To) {
        return Some(());
    }
    if between {
        c.is(Word::And);
        return Some(());
    }
    None
}

/// `13–15 July 2025`, من 13 إلى 15 يوليو: two days of one month.
fn days_then_month(c: &mut Cursor, between: bool) -> Option<(End, End)> {
    let first = day_number(c)?;
    joined(c, between)?;
    let last = day_number(c)?;
    c.is(Word::Unit(Unit::Month));
    let month = c.take(month_word)?;
    Some(same_month(year_after(c, true), month, first, last))
}

/// `July 13–15, 2025`: a month, then two of its days.
fn month_then_days(c: &mut Cursor, between: bool) -> Option<(End, End)> {
    c.is(Word::Unit(Unit::Month));
    let month = c.take(month_word)?;
    let first = day_number(c)?;
    joined(c, between)?;
    let last = day_number(c)?;
    Some(same_month(year_after(c, true), month, first, last))
}

fn same_month(year: YearRef, month: u32, first: u32, last: u32) -> (End, End) {
    (
        End::Day {
            year,
            month,
            day: first,
        },
        End::Day {
            year,
            month,
            day: last,
        },
    )
}

/// `13 July to 2 August 2025`: two days of their months, each with its year or not.
fn days(c: &mut Cursor, between: bool) -> Option<(End, End)> {
    let one = |c: &mut Cursor| {
        let (month, day) = month_and_day(c)?;
        Some(End::Day {
            year: year_after(c, false),
            month,
            day,
        })
    };
    let start = one(c)?;
    joined(c, between)?;
    Some((start, one(c)?))
}

/// `May–June 2025`, `from May to June`: two months.
fn months(c: &mut Cursor, between: bool) -> Option<(End, End)> {
    let one = |c: &mut Cursor| {
        c.is(Word::Unit(Unit::Month));
        let month = c.take(month_word)?;
        Some(End::Month {
            year: year_after(c, false),
            month,
        })
    };
    let start = one(c)?;
    joined(c, between)?;
    Some((start, one(c)?))
}

/// `2023–2024`: two years in four digits, the second after the first (`555-1234` is no
/// range of years).
fn years(c: &mut Cursor, between: bool) -> Option<(End, End)> {
    let four = |w: Word| match w {
        Word::Number(_, 4) => year_number(w),
        _ => None,
    };
    c.is(Word::Unit(Unit::Year));
    let first = c.take(four)?;
    joined(c, between)?;
    c.is(Word::Unit(Unit::Year));
    let last = c.take(four)?;
    (last > first).then_some((End::Year(first), End::Year(last)))
}

impl End {
    fn year(self) -> YearRef {
        match self {
            End::Day { year, .. } | End::Month { year, .. } => year,
            End::Year(y) => YearRef::Given(y),
        }
    }

    /// Where in its year it falls, to tell whether a range crosses a new year.
    fn in_year(self) -> (u32, u32) {
        match self {
            End::Day { month, day, .. } => (month, day),
            End::Month { month, .. } => (month, 0),
            End::Year(_) => (0, 0),
        }
    }

    /// The same end in `year`, as a phrase of its own.
    fn phrase(self, year: YearRef) -> Phrase {
        match self {
            End::Day { month, day, .. } => Phrase::Date {
                year,
                month,
                day,
                weekday: None,
            },
            End::Month { month, .. } => Phrase::Month {
                year,
                month,
                third: None,
            },
            End::Year(y) => Phrase::Year {
                year: YearRef::Given(y),
                part: YearPart::Whole,
            },
        }
    }
}

/// Whether the range's ends are relative (a year not written at either end).
pub(super) fn is_relative(start: End, end: End) -> bool {
    !matches!(start.year(), YearRef::Given(_)) && !matches!(end.year(), YearRef::Given(_))
}

/// Places a range: each end in its year (the year written at one end serves the other,
/// one less or more where the range crosses a new year: `20 December to 5 January
/// 2025`), written as the EDTF interval of the two.
pub(super) fn place_range(
    start: End,
    end: End,
    anchor: Option<Day>,
    forward: bool,
) -> Result<Placed, PlaceError> {
    let crosses = start.in_year() > end.in_year();
    let (first_year, rule) = match (start.year(), end.year()) {
        (YearRef::Given(y), _) => (y, "a range of dates written out".to_string()),
        (_, YearRef::Given(y)) => (
            y - i64::from(crosses),
            "a range of dates, the year written once".to_string(),
        ),
        (year, _) => {
            let first = place(&start.phrase(year), anchor, forward)?;
            (
                ymd(first.lo).0,
                format!("a range placed by its start: {}", first.rule),
            )
        }
    };
    let last_year = match end.year() {
        YearRef::Given(y) => y,
        _ => first_year + i64::from(crosses),
    };
    let first = place(&start.phrase(YearRef::Given(first_year)), anchor, forward)?;
    let last = place(&end.phrase(YearRef::Given(last_year)), anchor, forward)?;
    if last.hi < first.lo {
        return Err(PlaceError::Invalid(format!(
            "the range ends ({}) before it starts ({})",
            last.written, first.written
        )));
    }
    let written = format!("{}/{}", first.written, last.written);
    Ok(Placed {
        lo: first.lo,
        hi: last.hi,
        rule: format!("{rule}; the interval {written} (EDTF)"),
        written,
    })
}
