//! The proleptic Gregorian calendar: days since 1970-01-01 from and to year/month/day,
//! month lengths, `YYYY-MM-DD` text and today's date from the system clock.

use std::time::{SystemTime, UNIX_EPOCH};

use super::{Day, NEG_INF, POS_INF};

/// The largest year magnitude accepted anywhere (`|year| <= YEAR_LIMIT`). It keeps every
/// day, and every day plus or minus one, far from the `NEG_INF`/`POS_INF` sentinels.
pub const YEAR_LIMIT: i64 = 1_000_000_000_000;

/// Whether `year` (astronomical numbering: year 0 exists) is a leap year.
pub fn is_leap_year(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

/// Days in `month` (1..=12) of `year`; 0 for a month outside 1..=12.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The day of `year-month-day`; `None` if the month or day does not exist or the year is
/// beyond [`YEAR_LIMIT`].
pub fn day_from_ymd(year: i64, month: u32, day: u32) -> Option<Day> {
    if !(-YEAR_LIMIT..=YEAR_LIMIT).contains(&year)
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
    {
        return None;
    }
    // Howard Hinnant's days_from_civil, in i128 so no intermediate can overflow.
    let y = i128::from(year) - i128::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i128::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i128::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Day::try_from(era * 146_097 + doe - 719_468).ok()
}

/// The year, month and day of `day`. Total: any `Day`, sentinels included, gives a date
/// (the sentinels give dates far outside [`YEAR_LIMIT`]).
pub fn ymd(day: Day) -> (i64, u32, u32) {
    // Howard Hinnant's civil_from_days, in i128 so no intermediate can overflow.
    let z = i128::from(day) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i128::from(m <= 2);
    // |y| <= |day| / 365 + 1, so it always fits in an i64; month and day are small.
    let year = i64::try_from(y).unwrap_or(if y < 0 { i64::MIN } else { i64::MAX });
    (year, m as u32, d as u32)
}

/// The last day of `year-month` (`month` in 1..=12); `None` outside [`YEAR_LIMIT`].
pub(crate) fn last_day_of_month(year: i64, month: u32) -> Option<Day> {
    day_from_ymd(year, month, days_in_month(year, month))
}

/// `day` as `YYYY-MM-DD`. Years 0000..=9999 have four digits; later years are written with
/// all their digits (`170000002-01-01`), earlier ones with a minus sign and at least four
/// digits (`-1985-01-01`), as the EDTF corpus writes them. `None` for `NEG_INF`/`POS_INF`.
/// Up to year 9999 the text parses back with `parse_date`; later years are only readable
/// there as whole `Y`-years (`Y170000002`), so such text is for display.
pub fn format_day(day: Day) -> Option<String> {
    if day == NEG_INF || day == POS_INF {
        return None;
    }
    let (year, month, d) = ymd(day);
    let sign = if year < 0 { "-" } else { "" };
    Some(format!(
        "{sign}{:04}-{month:02}-{d:02}",
        year.unsigned_abs()
    ))
}

/// The first instant after day `day` ends (UTC) as the change log writes instants
/// (`2025-05-02T`, which sorts after every instant of 2025-05-01 and before every later
/// one); `None` past the calendar's end, and from year 10000 on: the log's instants have
/// four-digit years, and `10000-01-01T` would sort before them as text.
pub fn instant_after(day: Day) -> Option<String> {
    format_day(day.checked_add(1)?)
        .filter(|d| d.split('-').next().is_some_and(|year| year.len() <= 4))
        .map(|d| format!("{d}T"))
}

/// Today's date (UTC) from the system clock.
pub fn today() -> Day {
    const SECONDS_PER_DAY: i64 = 86_400;
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(since) => {
            i64::try_from(since.as_secs() / SECONDS_PER_DAY.unsigned_abs()).unwrap_or(POS_INF - 1)
        }
        Err(before) => {
            // A clock set before 1970: count back, rounding towards the earlier day.
            let secs = i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX / 2);
            -(secs + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_instant_after_a_day_sorts_after_the_days_instants_and_before_later_ones() {
        let day = |y, m, d| day_from_ymd(y, m, d).unwrap();
        assert_eq!(instant_after(day(2025, 5, 1)).unwrap(), "2025-05-02T");
        let recorded = "2025-05-01T23:59:59.999999Z";
        assert!(recorded < instant_after(day(2025, 5, 1)).unwrap().as_str());
        assert!(recorded > instant_after(day(2025, 4, 30)).unwrap().as_str());
        // The last day of year 9999 ends after every instant the log can hold.
        assert_eq!(instant_after(day(9999, 12, 31)), None);
    }

    #[test]
    fn epoch_is_day_zero() {
        assert_eq!(day_from_ymd(1970, 1, 1), Some(0));
        assert_eq!(ymd(0), (1970, 1, 1));
        assert_eq!(day_from_ymd(1969, 12, 31), Some(-1));
        assert_eq!(day_from_ymd(2000, 3, 1), Some(11_017));
        assert_eq!(day_from_ymd(0, 1, 1), Some(-719_528));
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap_year(2024));
        assert!(is_leap_year(2000));
        assert!(is_leap_year(0));
        assert!(is_leap_year(-4));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2025));
        assert!(!is_leap_year(-1));
        assert!(day_from_ymd(2024, 2, 29).is_some());
        assert!(day_from_ymd(2025, 2, 29).is_none());
        assert!(day_from_ymd(1900, 2, 29).is_none());
        assert!(day_from_ymd(2000, 2, 29).is_some());
    }

    #[test]
    fn invalid_dates_are_refused() {
        assert_eq!(day_from_ymd(2025, 2, 30), None);
        assert_eq!(day_from_ymd(2025, 13, 1), None);
        assert_eq!(day_from_ymd(2025, 0, 1), None);
        assert_eq!(day_from_ymd(2025, 4, 31), None);
        assert_eq!(day_from_ymd(2025, 4, 0), None);
        assert_eq!(day_from_ymd(YEAR_LIMIT + 1, 1, 1), None);
        assert_eq!(day_from_ymd(i64::MIN, 1, 1), None);
    }

    #[test]
    fn formats_days_as_the_corpus_writes_them() {
        let day = |y, m, d| day_from_ymd(y, m, d).unwrap();
        assert_eq!(format_day(day(2025, 4, 28)).as_deref(), Some("2025-04-28"));
        assert_eq!(format_day(day(33, 1, 5)).as_deref(), Some("0033-01-05"));
        assert_eq!(
            format_day(day(-1985, 12, 31)).as_deref(),
            Some("-1985-12-31")
        );
        assert_eq!(format_day(day(-5, 1, 1)).as_deref(), Some("-0005-01-01"));
        assert_eq!(
            format_day(day(170_000_002, 1, 1)).as_deref(),
            Some("170000002-01-01")
        );
        assert_eq!(format_day(NEG_INF), None);
        assert_eq!(format_day(POS_INF), None);
    }

    #[test]
    fn ymd_is_total_on_the_sentinels() {
        // Must not panic; the values are far outside any real date.
        let (y_min, _, _) = ymd(NEG_INF);
        let (y_max, _, _) = ymd(POS_INF);
        assert!(y_min < -YEAR_LIMIT);
        assert!(y_max > YEAR_LIMIT);
    }

    #[test]
    fn today_is_after_this_code_was_written() {
        assert!(today() > day_from_ymd(2024, 1, 1).unwrap());
    }

    proptest! {
        #[test]
        fn ymd_round_trips(year in -YEAR_LIMIT..=YEAR_LIMIT, month in 1u32..=12, day in 1u32..=31) {
            match day_from_ymd(year, month, day) {
                Some(d) => prop_assert_eq!(ymd(d), (year, month, day)),
                None => prop_assert!(day > days_in_month(year, month)),
            }
        }

        #[test]
        fn days_round_trip(d in -365_000_000_000_000i64..365_000_000_000_000i64) {
            let (y, m, dd) = ymd(d);
            prop_assert_eq!(day_from_ymd(y, m, dd), Some(d));
        }

        #[test]
        fn consecutive_days_are_consecutive_dates(d in -10_000_000i64..10_000_000i64) {
            let (y, m, dd) = ymd(d);
            let (y2, m2, d2) = ymd(d + 1);
            if dd < days_in_month(y, m) {
                prop_assert_eq!((y2, m2, d2), (y, m, dd + 1));
            } else if m < 12 {
                prop_assert_eq!((y2, m2, d2), (y, m + 1, 1));
            } else {
                prop_assert_eq!((y2, m2, d2), (y + 1, 1, 1));
            }
        }
    }
}
