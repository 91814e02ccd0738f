//! Single dates in EDTF (levels 0 and 1, and level 2's unambiguous sub-year groupings):
//! `[-]YYYY[-MM[-DD[Thh:mm:ss[Z|±hh[:mm]]]]]` with rightmost `X` digits, seasons
//! `YYYY-21..24`, `Y`-years of more than four digits, a final `?`, `~` or `%`; and the
//! analysts' quarters and halves (`2024-Q3`, `2024-H2`), which take a month's place.

use super::calendar::{day_from_ymd, days_in_month, last_day_of_month, YEAR_LIMIT};
use super::expr::{out_of_range, Plain, Point, Reason, DATE_FORMS};
use super::{Day, Qualifiers};

impl Qualifiers {
    /// The qualifier an EDTF symbol writes: `?`, `~` or `%`.
    fn from_symbol(c: char) -> Option<Qualifiers> {
        match c {
            '?' => Some(Qualifiers {
                uncertain: true,
                approximate: false,
            }),
            '~' => Some(Qualifiers {
                uncertain: false,
                approximate: true,
            }),
            '%' => Some(Qualifiers {
                uncertain: true,
                approximate: true,
            }),
            _ => None,
        }
    }
}

/// A single EDTF-style date: `[-]YYYY[-MM[-DD[Thh:mm:ss[Z|±hh[:mm]]]]]` with `X` digits,
/// seasons and sub-year groupings, `YYYY-Qn`/`YYYY-Hn`, `Y`-years, and a final qualifier.
pub(super) fn parse_point(text: &str) -> Result<Point, Reason> {
    let mut qualifiers = Qualifiers::NONE;
    let mut body = text;
    if let Some(last) = text.chars().last() {
        if let Some(q) = Qualifiers::from_symbol(last) {
            qualifiers = q;
            body = &text[..text.len() - last.len_utf8()];
            if body
                .chars()
                .last()
                .and_then(Qualifiers::from_symbol)
                .is_some()
            {
                return Err(
                    "write one qualifier: ? (uncertain), ~ (approximate) or % (both)".into(),
                );
            }
        }
    }
    if body.is_empty() {
        return Err(format!("a qualifier needs a date before it; {DATE_FORMS}"));
    }
    if let Some(year_text) = body.strip_prefix('Y') {
        let year = parse_y_year(year_text)?;
        return Ok(Point {
            lo: day_from_ymd_or_err(year, 1, 1)?,
            hi: day_from_ymd_or_err(year, 12, 31)?,
            qualifiers,
            plain: if qualifiers.is_empty() {
                Plain::Year(year)
            } else {
                Plain::No
            },
        });
    }
    let (date_text, time_text) = match body.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (body, None),
    };
    let date = parse_calendar_date(date_text)?;
    if let Some(time) = time_text {
        let DateValue::Day(year, month, day) = date else {
            return Err(
                "a time needs a complete date before the T (e.g. 1985-04-12T23:20:30)".to_string(),
            );
        };
        if !qualifiers.is_empty() {
            return Err("a date-time cannot carry ? ~ or %; qualify the date alone".into());
        }
        check_time(time)?;
        let d = day_from_ymd_or_err(year, month, day)?;
        return Ok(Point {
            lo: d,
            hi: d,
            qualifiers,
            plain: Plain::No,
        });
    }
    let (lo, hi) = date.bounds()?;
    let plain = match date {
        _ if !qualifiers.is_empty() => Plain::No,
        DateValue::Years { lo, hi, .. } if lo == hi => Plain::Year(lo),
        DateValue::Months {
            year, first, last, ..
        } if first == last => Plain::Month(year, first),
        _ => Plain::No,
    };
    Ok(Point {
        lo,
        hi,
        qualifiers,
        plain,
    })
}

fn day_from_ymd_or_err(year: i64, month: u32, day: u32) -> Result<Day, Reason> {
    day_from_ymd(year, month, day).ok_or_else(out_of_range)
}

/// The digits after `Y`: `Y170000002`, `Y-170000002` (more than four digits).
fn parse_y_year(text: &str) -> Result<i64, Reason> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(
            "after Y comes a year of more than four digits and nothing else (e.g. Y170000002, \
             Y-170000002); exponential and significant-digit years are not supported"
                .to_string(),
        );
    }
    let value = digits
        .parse::<i64>()
        .ok()
        .filter(|v| *v <= YEAR_LIMIT)
        .ok_or_else(out_of_range)?;
    if value <= 9999 {
        return Err(format!(
            "Y marks years of more than four digits; write this year without Y ({}{:04})",
            if negative { "-" } else { "" },
            value
        ));
    }
    Ok(if negative { -value } else { value })
}

/// A calendar date of some precision, with its unspecified (`X`) digits resolved to ranges.
#[derive(Debug, Clone, Copy, PartialEq)]
enum DateValue {
    /// A year or a range of years (`201X`), whole years.
    Years { lo: i64, hi: i64 },
    /// Months `first..=last` of one year (`2004-06`, `2004-XX`, `2004-1X`).
    Months { year: i64, first: u32, last: u32 },
    /// One exact day.
    Day(i64, u32, u32),
    /// Days `first..=last` of one month (`1985-04-XX`, `1985-04-1X`).
    Days {
        year: i64,
        month: u32,
        first: u32,
        last: u32,
    },
    /// A sub-year grouping: from month `first` of `year` to month `last`, which may be in
    /// the next year (`last` > 12 for winter).
    Grouping { year: i64, first: u32, last: u32 },
}

impl DateValue {
    fn bounds(self) -> Result<(Day, Day), Reason> {
        let range = match self {
            DateValue::Years { lo, hi } => (day_from_ymd(lo, 1, 1), day_from_ymd(hi, 12, 31)),
            DateValue::Months { year, first, last } => {
                (day_from_ymd(year, first, 1), last_day_of_month(year, last))
            }
            DateValue::Day(year, month, day) => {
                let d = day_from_ymd(year, month, day);
                (d, d)
            }
            DateValue::Days {
                year,
                month,
                first,
                last,
            } => (
                day_from_ymd(year, month, first),
                day_from_ymd(year, month, last),
            ),
            DateValue::Grouping { year, first, last } => {
                let (end_year, end_month) = if last > 12 {
                    (year + 1, last - 12)
                } else {
                    (year, last)
                };
                (
                    day_from_ymd(year, first, 1),
                    last_day_of_month(end_year, end_month),
                )
            }
        };
        match range {
            (Some(lo), Some(hi)) => Ok((lo, hi)),
            _ => Err(out_of_range()),
        }
    }
}

/// `[-]YYYY[-MM[-DD]]` with rightmost `X` digits, or `YYYY-SS` (season / grouping), or
/// `YYYY-Qn` / `YYYY-Hn`.
fn parse_calendar_date(text: &str) -> Result<DateValue, Reason> {
    if text.starts_with("-Y") {
        return Err("a negative Y-year is written Y-170000002, not -Y170000002".into());
    }
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut parts = unsigned.split('-');
    let year_text = parts.next().unwrap_or_default();
    let month_text = parts.next();
    let day_text = parts.next();
    if parts.next().is_some() {
        return Err(format!("too many parts; {DATE_FORMS}"));
    }
    let (year_lo, year_hi) = parse_year(year_text, negative)?;
    let year_has_x = year_lo != year_hi;

    let Some(month_text) = month_text else {
        return Ok(DateValue::Years {
            lo: year_lo,
            hi: year_hi,
        });
    };
    if year_has_x {
        if month_text != "XX" || day_text.is_some_and(|d| d != "XX") {
            return Err(rightmost_x());
        }
        return Ok(DateValue::Years {
            lo: year_lo,
            hi: year_hi,
        });
    }
    let year = year_lo;
    let month = parse_month(month_text, year)?;
    let (first, last) = match month {
        Month::Grouping { first, last, name } => {
            if day_text.is_some() {
                return Err(format!(
                    "a {name} has no day; write e.g. {year_text}-{month_text}"
                ));
            }
            return Ok(DateValue::Grouping { year, first, last });
        }
        Month::Range(first, last) => (first, last),
    };
    let Some(day_text) = day_text else {
        return Ok(DateValue::Months { year, first, last });
    };
    if first != last {
        if day_text != "XX" {
            return Err(rightmost_x());
        }
        return Ok(DateValue::Months { year, first, last });
    }
    parse_day(day_text, year, first)
}

fn rightmost_x() -> Reason {
    "unspecified digits (X) must be the rightmost ones, e.g. 201X, 20XX, 2004-XX, 1985-04-XX"
        .to_string()
}

/// Four year characters (digits, then possibly `X`s): the range of years they allow.
fn parse_year(text: &str, negative: bool) -> Result<(i64, i64), Reason> {
    let valid_chars = text.bytes().all(|b| b.is_ascii_digit() || b == b'X');
    if text.is_empty() || !valid_chars {
        if text.bytes().any(|b| b.is_ascii_digit()) {
            return Err(format!(
                "`{text}` is not a year of four digits; {DATE_FORMS}"
            ));
        }
        return Err(format!("it is not a date; {DATE_FORMS}"));
    }
    if text.len() != 4 {
        if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "write dates with hyphens ({}-{}-{}); the basic format without them is not accepted",
                &text[..4],
                &text[4..6],
                &text[6..]
            ));
        }
        if text.len() > 4 {
            return Err(format!(
                "a year has four digits; years of more digits are written with Y (e.g. Y{text})"
            ));
        }
        return Err(format!(
            "a year has four digits (e.g. 0198 for the year 198); a decade is written with X (e.g. {text}X)"
        ));
    }
    let digits = text.trim_end_matches('X');
    if digits.contains('X') {
        return Err(rightmost_x());
    }
    if digits.is_empty() {
        return Err(
            "at least the first digit of the year must be given (XXXX cannot be bounded)"
                .to_string(),
        );
    }
    let unspecified = (text.len() - digits.len()) as u32;
    let prefix: i64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a year"))?;
    let scale = 10_i64.pow(unspecified);
    let (lo, hi) = (prefix * scale, prefix * scale + scale - 1);
    if negative {
        if hi == 0 {
            return Err("year zero has no sign; write 0000".to_string());
        }
        Ok((-hi, -lo))
    } else {
        Ok((lo, hi))
    }
}

/// What the second part of a date names.
enum Month {
    /// Months `first..=last` (one month, or several for `XX`, `0X`, `1X`).
    Range(u32, u32),
    /// A season, quarter or other grouping from month `first` to month `last` (> 12: in the
    /// next year).
    Grouping {
        first: u32,
        last: u32,
        name: &'static str,
    },
}

fn parse_month(text: &str, year: i64) -> Result<Month, Reason> {
    let bytes = text.as_bytes();
    if bytes.len() != 2 {
        return Err(format!(
            "the month has two digits (e.g. {year:04}-01, not {year:04}-{text})"
        ));
    }
    let grouping = |first, last, name| Ok(Month::Grouping { first, last, name });
    match (bytes[0].to_ascii_uppercase(), bytes[1]) {
        (b'Q', n @ b'1'..=b'4') => {
            let first = 1 + 3 * u32::from(n - b'1');
            grouping(first, first + 2, "quarter")
        }
        (b'H', n @ b'1'..=b'2') => {
            let first = 1 + 6 * u32::from(n - b'1');
            grouping(first, first + 5, "half-year")
        }
        (b'Q' | b'H', _) => Err(format!(
            "`{text}` is not a quarter or half; quarters are Q1 to Q4, halves H1 and H2"
        )),
        (b'X', b'X') => Ok(Month::Range(1, 12)),
        (b'0', b'X') => Ok(Month::Range(1, 9)),
        (b'1', b'X') => Ok(Month::Range(10, 12)),
        (b'X', _) | (_, b'X') => Err(rightmost_x()),
        (a @ b'0'..=b'9', b @ b'0'..=b'9') => {
            let code = u32::from(a - b'0') * 10 + u32::from(b - b'0');
            match code {
                1..=12 => Ok(Month::Range(code, code)),
                // Seasons (northern-hemisphere meteorological, as the corpus gives them).
                21 => grouping(3, 5, "season"),
                22 => grouping(6, 8, "season"),
                23 => grouping(9, 11, "season"),
                24 => grouping(12, 14, "season"),
                // EDTF level 2 sub-year groupings whose months are unambiguous:
                // quarters 33–36, quadrimesters 37–39, semesters 40–41.
                33..=36 => {
                    let first = 1 + 3 * (code - 33);
                    grouping(first, first + 2, "quarter")
                }
                37..=39 => {
                    let first = 1 + 4 * (code - 37);
                    grouping(first, first + 3, "third of a year")
                }
                40..=41 => {
                    let first = 1 + 6 * (code - 40);
                    grouping(first, first + 5, "half-year")
                }
                25..=32 => Err(format!(
                    "hemisphere-specific season {code} is not supported; use 21 (spring), 22 \
                     (summer), 23 (autumn) or 24 (winter)"
                )),
                _ => Err(format!(
                    "month {text} does not exist (months are 01 to 12; seasons 21 to 24)"
                )),
            }
        }
        _ => Err(format!("`{text}` is not a month; months are 01 to 12")),
    }
}

fn parse_day(text: &str, year: i64, month: u32) -> Result<DateValue, Reason> {
    let bytes = text.as_bytes();
    let length = days_in_month(year, month);
    let month_name = || format!("{} {year:04}", MONTH_NAMES[(month - 1) as usize]);
    if bytes.len() != 2 {
        return Err(format!(
            "the day has two digits (e.g. {year:04}-{month:02}-05, not {year:04}-{month:02}-{text})"
        ));
    }
    match (bytes[0], bytes[1]) {
        (b'X', b'X') => Ok(DateValue::Days {
            year,
            month,
            first: 1,
            last: length,
        }),
        (tens @ b'0'..=b'3', b'X') => {
            let tens = u32::from(tens - b'0') * 10;
            let (first, last) = (tens.max(1), (tens + 9).min(length));
            if first > last {
                return Err(format!("{} has no day {text}", month_name()));
            }
            Ok(DateValue::Days {
                year,
                month,
                first,
                last,
            })
        }
        (b'X', _) | (_, b'X') => Err(rightmost_x()),
        (a @ b'0'..=b'9', b @ b'0'..=b'9') => {
            let day = u32::from(a - b'0') * 10 + u32::from(b - b'0');
            if day == 0 {
                Err("day 00 does not exist; days start at 01".to_string())
            } else if day > length {
                Err(format!("{} has {length} days", month_name()))
            } else {
                Ok(DateValue::Day(year, month, day))
            }
        }
        _ => Err(format!("`{text}` is not a day of the month")),
    }
}

/// English month names, January first (EDTF's descriptions and the date phrases').
pub(crate) const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `hh:mm:ss[.fff]` then `Z`, `±hh` or `±hh:mm` (at most ±14:00), or nothing.
fn check_time(text: &str) -> Result<(), Reason> {
    let usage = "a time is written hh:mm:ss, optionally followed by Z, +hh or +hh:mm (e.g. \
                 1985-04-12T23:20:30+04:30)";
    let (clock, shift) = match text.find(['Z', '+', '-']) {
        Some(i) => (&text[..i], Some(&text[i..])),
        None => (text, None),
    };
    let (whole, fraction) = match clock.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (clock, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return Err(usage.to_string());
    }
    let fields: Vec<&str> = whole.split(':').collect();
    let [hour, minute, second] = fields[..] else {
        return Err(usage.to_string());
    };
    let hour = two_digits(hour).ok_or(usage)?;
    let minute = two_digits(minute).ok_or(usage)?;
    let second = two_digits(second).ok_or(usage)?;
    if hour > 23 {
        return Err(format!("hour {hour:02} does not exist; hours are 00 to 23"));
    }
    if minute > 59 || second > 59 {
        return Err("minutes and seconds are 00 to 59".to_string());
    }
    let Some(shift) = shift else {
        return Ok(());
    };
    if shift == "Z" {
        return Ok(());
    }
    let offset = &shift[1..];
    let (shift_hours, shift_minutes) = match offset.split_once(':') {
        Some((h, m)) => (two_digits(h), two_digits(m)),
        None => (two_digits(offset), Some(0)),
    };
    let (Some(shift_hours), Some(shift_minutes)) = (shift_hours, shift_minutes) else {
        return Err(usage.to_string());
    };
    if shift_minutes > 59 || shift_hours * 60 + shift_minutes > 14 * 60 {
        return Err(format!(
            "time shift {shift} is out of range; shifts are at most ±14:00"
        ));
    }
    Ok(())
}

fn two_digits(text: &str) -> Option<u32> {
    match text.as_bytes() {
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] => Some(u32::from(a - b'0') * 10 + u32::from(b - b'0')),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::expr::test_support::{day, range, reason};
    use super::super::{parse_date, Qualifiers};
    use proptest::prelude::*;

    #[test]
    fn years_months_and_days() {
        assert_eq!(range("2025"), (day(2025, 1, 1), day(2025, 12, 31)));
        assert_eq!(range("2025-02"), (day(2025, 2, 1), day(2025, 2, 28)));
        assert_eq!(range("2024-02"), (day(2024, 2, 1), day(2024, 2, 29)));
        assert_eq!(range("2025-04-28"), (day(2025, 4, 28), day(2025, 4, 28)));
        assert_eq!(range("  2025-04-28 "), (day(2025, 4, 28), day(2025, 4, 28)));
        assert_eq!(range("0000"), (day(0, 1, 1), day(0, 12, 31)));
    }

    #[test]
    fn quarters_and_halves() {
        assert_eq!(range("2024-Q1"), (day(2024, 1, 1), day(2024, 3, 31)));
        assert_eq!(range("2024-Q2"), (day(2024, 4, 1), day(2024, 6, 30)));
        assert_eq!(range("2024-Q3"), (day(2024, 7, 1), day(2024, 9, 30)));
        assert_eq!(range("2024-Q4"), (day(2024, 10, 1), day(2024, 12, 31)));
        assert_eq!(range("2024-H1"), (day(2024, 1, 1), day(2024, 6, 30)));
        assert_eq!(range("2024-H2"), (day(2024, 7, 1), day(2024, 12, 31)));
        assert_eq!(range("2024-q3"), range("2024-Q3"));
        assert_eq!(range("2024-h1"), range("2024-H1"));
        assert!(reason("2024-Q5").contains("Q1 to Q4"));
        assert!(reason("2024-H3").contains("H1 and H2"));
        assert!(reason("2024-Q1-05").contains("no day"));
    }

    #[test]
    fn qualifiers_are_kept_and_do_not_change_bounds() {
        for (text, symbol) in [("2024?", '?'), ("2024~", '~'), ("2024%", '%')] {
            let expr = parse_date(text).unwrap();
            assert_eq!(expr.range(), range("2024"), "{text}");
            assert_eq!(expr.qualifiers().symbol(), Some(symbol), "{text}");
        }
        let plain = parse_date("2024").unwrap().qualifiers();
        assert!(plain.is_empty());
        assert_eq!(plain.symbol(), None);

        let interval = parse_date("1984?/2004~").unwrap();
        assert_eq!(
            interval.qualifiers(),
            Qualifiers {
                uncertain: true,
                approximate: true
            }
        );
        let (start, end) = interval.side_qualifiers();
        assert_eq!((start.symbol(), end.symbol()), (Some('?'), Some('~')));
        assert!(reason("2024?~").contains("one qualifier"));
        assert!(reason("?").contains("qualifier needs a date"));
        assert!(reason("1985-04-12T10:00:00?").contains("date-time"));
    }

    #[test]
    fn unspecified_digits() {
        assert_eq!(range("201X"), (day(2010, 1, 1), day(2019, 12, 31)));
        assert_eq!(range("20XX"), (day(2000, 1, 1), day(2099, 12, 31)));
        assert_eq!(range("2XXX"), (day(2000, 1, 1), day(2999, 12, 31)));
        assert_eq!(range("2004-XX"), (day(2004, 1, 1), day(2004, 12, 31)));
        assert_eq!(range("1985-XX-XX"), (day(1985, 1, 1), day(1985, 12, 31)));
        assert_eq!(range("1985-04-XX"), (day(1985, 4, 1), day(1985, 4, 30)));
        assert_eq!(range("201X-XX"), range("201X"));
        assert_eq!(range("2004-0X"), (day(2004, 1, 1), day(2004, 9, 30)));
        assert_eq!(range("2004-1X"), (day(2004, 10, 1), day(2004, 12, 31)));
        assert_eq!(range("2004-1X-XX"), range("2004-1X"));
        assert_eq!(range("1985-04-0X"), (day(1985, 4, 1), day(1985, 4, 9)));
        assert_eq!(range("1985-04-3X"), (day(1985, 4, 30), day(1985, 4, 30)));
        assert_eq!(range("2024-02-2X"), (day(2024, 2, 20), day(2024, 2, 29)));
        assert_eq!(range("-198X"), (day(-1989, 1, 1), day(-1980, 12, 31)));
        for bad in [
            "2X1X",
            "20XX-04",
            "2004-X1",
            "2004-XX-05",
            "1985-04-X1",
            "201X-05",
        ] {
            assert!(reason(bad).contains("rightmost"), "{bad}");
        }
        assert!(reason("XXXX").contains("first digit"));
        assert!(reason("2025-02-3X").contains("no day 3X"));
        assert!(parse_date("2004-2X").is_err());
        assert!(parse_date("201XT10:00:00").is_err());
    }

    #[test]
    fn seasons_and_sub_year_groupings() {
        assert_eq!(range("2001-21"), (day(2001, 3, 1), day(2001, 5, 31)));
        assert_eq!(range("2001-22"), (day(2001, 6, 1), day(2001, 8, 31)));
        assert_eq!(range("2001-23"), (day(2001, 9, 1), day(2001, 11, 30)));
        assert_eq!(range("2001-24"), (day(2001, 12, 1), day(2002, 2, 28)));
        assert_eq!(range("2023-24"), (day(2023, 12, 1), day(2024, 2, 29)));
        assert_eq!(range("2001-34"), range("2001-Q2"));
        assert_eq!(range("2001-33"), range("2001-Q1"));
        assert_eq!(range("2001-36"), range("2001-Q4"));
        assert_eq!(range("2001-37"), range("early 2001"));
        assert_eq!(range("2001-38"), range("mid 2001"));
        assert_eq!(range("2001-39"), range("late 2001"));
        assert_eq!(range("2001-40"), range("2001-H1"));
        assert_eq!(range("2001-41"), range("2001-H2"));
        assert_eq!(
            parse_date("2001-21~").unwrap().qualifiers().symbol(),
            Some('~')
        );
        assert!(reason("2001-25").contains("hemisphere"));
        assert!(reason("2001-42").contains("does not exist"));
        assert!(reason("2001-21-05").contains("season has no day"));
    }

    #[test]
    fn long_and_negative_years() {
        assert_eq!(
            range("Y170000002"),
            (day(170_000_002, 1, 1), day(170_000_002, 12, 31))
        );
        assert_eq!(
            range("Y-170000002"),
            (day(-170_000_002, 1, 1), day(-170_000_002, 12, 31))
        );
        assert_eq!(range("-1985"), (day(-1985, 1, 1), day(-1985, 12, 31)));
        assert_eq!(range("-0004-02"), (day(-4, 2, 1), day(-4, 2, 29)));
        assert_eq!(range("early Y170000002"), {
            let (lo, _) = range("Y170000002");
            (lo, day(170_000_002, 4, 30))
        });
        assert!(reason("Y2024").contains("without Y (2024)"));
        assert!(reason("Y-17E7").contains("exponential"));
        assert!(reason("Y99999999999999999999").contains("out of range"));
        assert!(reason("Y1000000000001").contains("out of range"));
        assert!(reason("-Y170000002").contains("Y-170000002"));
        assert!(reason("12345").contains("Y12345"));
        assert!(reason("-0000").contains("year zero"));
        assert!(reason("Y170000002-01").contains("nothing else"));
    }

    #[test]
    fn date_times_bound_to_their_day_and_are_validated() {
        let d = (day(1985, 4, 12), day(1985, 4, 12));
        for ok in [
            "1985-04-12T23:20:30",
            "1985-04-12T00:00:00Z",
            "1985-04-12T23:59:59+14:00",
            "1985-04-12T23:20:30-04",
            "1985-04-12T23:20:30-12:30",
            "1985-04-12T23:20:30.25Z",
        ] {
            assert_eq!(range(ok), d, "{ok}");
        }
        assert!(reason("1985-04-12T24:00:00").contains("hour 24"));
        assert!(reason("1985-04-12T23:60:00").contains("00 to 59"));
        assert!(reason("1985-04-12T23:20:30+14:01").contains("±14:00"));
        assert!(reason("1985-04-12T23:20:30-15").contains("±14:00"));
        for bad in [
            "1985-04-12T23:20",
            "1985-04-12T",
            "1985-04-12T23:20:30+4",
            "1985-04-12T23:20:30+04:3",
            "1985-04-12T23:20:30.Z",
            "1985-04-12T23:20:30Z+01",
        ] {
            assert!(reason(bad).contains("hh:mm:ss"), "{bad}");
        }
        assert!(reason("1985-04T10:00:00").contains("complete date"));
    }

    proptest! {
        #[test]
        // Years up to 9999: later ones are written as Y-years, which have no month or day.
        fn every_valid_day_parses_to_itself(d in -3_000_000i64..=2_932_896i64) {
            let text = super::super::format_day(d).unwrap_or_default();
            prop_assert_eq!(range(&text), (d, d));
        }
    }
}
