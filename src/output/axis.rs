//! The time axis of a timeline: maps days to chart columns and places labelled ticks on
//! year, month or day boundaries, whichever reads best at the chart's width.
//!
//! A chart of `width` cells keeps its first and last cell as gutters for the arrows of open
//! or unknown bounds; days between the axis ends map onto the cells in between.

use crate::time::{Day, NEG_INF, POS_INF};

/// Days beyond this distance from 1970 (about 2.7 million years) are drawn at the axis ends;
/// it keeps the calendar arithmetic far from overflow.
const FARTHEST_DAY: Day = 1_000_000_000;

/// Steps, in days, tried for day ticks (ticks fall on days 1, 1 + step, … of each month).
const DAY_STEPS: [i64; 5] = [1, 2, 5, 10, 15];
/// Steps, in months, tried for month ticks (ticks fall on months 1, 1 + step, …).
const MONTH_STEPS: [i64; 4] = [1, 2, 3, 6];

/// A labelled tick: its column and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tick {
    pub column: usize,
    pub label: String,
}

/// A time axis over a chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Axis {
    /// The first day of the axis.
    lo: Day,
    /// The last day of the axis (inclusive).
    hi: Day,
    /// Cells of the chart, gutters included (at least 3).
    width: usize,
}

impl Axis {
    /// An axis from day `lo` to day `hi` over a chart of `width` cells. A span shorter than
    /// the cells between the gutters is widened around its middle, one day per cell.
    pub(crate) fn new(lo: Day, hi: Day, width: usize) -> Axis {
        let width = width.max(3);
        let (mut lo, mut hi) = (
            lo.clamp(-FARTHEST_DAY, FARTHEST_DAY),
            hi.clamp(-FARTHEST_DAY, FARTHEST_DAY),
        );
        if hi < lo {
            std::mem::swap(&mut lo, &mut hi);
        }
        let inner = (width - 2) as i64;
        let span = hi - lo + 1;
        if span < inner {
            lo -= (inner - span) / 2;
            hi = lo + inner - 1;
        }
        Axis { lo, hi, width }
    }

    /// Cells of the chart, gutters included.
    pub(crate) fn width(&self) -> usize {
        self.width
    }

    /// The column of `day`: minus infinity in the left gutter, plus infinity in the right
    /// one, other days between them (clamped to the axis).
    pub(crate) fn column(&self, day: Day) -> usize {
        match day {
            NEG_INF => 0,
            POS_INF => self.width - 1,
            day => {
                let inner = (self.width - 2) as i128;
                let offset = (day.clamp(self.lo, self.hi) - self.lo) as i128;
                let span = (self.hi - self.lo + 1) as i128;
                let cell = (offset * inner / span).clamp(0, inner - 1);
                // In range: 0 <= cell < inner <= usize::MAX.
                1 + usize::try_from(cell).unwrap_or(0)
            }
        }
    }

    /// Chart cells per day.
    fn cells_per_day(&self) -> f64 {
        (self.width - 2) as f64 / (self.hi - self.lo + 1) as f64
    }

    /// The ticks to label: on years when at least two year boundaries fall on the axis, else
    /// on months when two do, else on days; steps are the smallest that leave room between
    /// labels. An axis with no boundary at all gets its first day as the only tick.
    pub(crate) fn ticks(&self) -> Vec<Tick> {
        let years = self.year_ticks();
        if years.len() >= 2 {
            return years;
        }
        let months = self.month_ticks();
        if months.len() >= 2 {
            return months;
        }
        let days = self.day_ticks();
        if !days.is_empty() {
            return days;
        }
        match (years.is_empty(), months.is_empty()) {
            (false, _) => years,
            (true, false) => months,
            (true, true) => vec![self.tick(self.lo, iso_date(self.lo))],
        }
    }

    fn tick(&self, day: Day, label: String) -> Tick {
        Tick {
            column: self.column(day),
            label,
        }
    }

    /// Whether ticks `step_days` apart leave room for labels `label_width` wide.
    fn fits(&self, step_days: f64, label_width: usize) -> bool {
        step_days * self.cells_per_day() >= (label_width + 1) as f64
    }

    fn year_ticks(&self) -> Vec<Tick> {
        let (first_year, _, _) = civil_from_days(self.lo);
        let (last_year, _, _) = civil_from_days(self.hi);
        let label_width = first_year
            .to_string()
            .len()
            .max(last_year.to_string().len());
        let Some(step) = self.year_step(label_width) else {
            return Vec::new();
        };
        let mut year = first_year.div_euclid(step) * step;
        let mut ticks = Vec::new();
        while year <= last_year {
            let day = days_from_civil(year, 1, 1);
            if (self.lo..=self.hi).contains(&day) {
                ticks.push(self.tick(day, year.to_string()));
            }
            year += step;
        }
        ticks
    }

    /// The smallest of 1, 2, 5, 10, 20, 50, … years that leaves room for labels.
    fn year_step(&self, label_width: usize) -> Option<i64> {
        let mut magnitude: i64 = 1;
        loop {
            for factor in [1, 2, 5] {
                let step = magnitude.checked_mul(factor)?;
                if self.fits(step as f64 * 365.2425, label_width) {
                    return Some(step);
                }
            }
            magnitude = magnitude.checked_mul(10)?;
        }
    }

    fn month_ticks(&self) -> Vec<Tick> {
        let Some(&step) = MONTH_STEPS
            .iter()
            .find(|&&step| self.fits(step as f64 * 28.0, "2025-04".len()))
        else {
            return Vec::new();
        };
        let (year, month, _) = civil_from_days(self.lo);
        let mut index = (year * 12 + i64::from(month) - 1).div_euclid(step) * step;
        let mut ticks = Vec::new();
        loop {
            let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
            let day = days_from_civil(year, month as u32, 1);
            if day > self.hi {
                break;
            }
            if day >= self.lo {
                ticks.push(self.tick(day, format!("{year:04}-{month:02}")));
            }
            index += step;
        }
        ticks
    }

    fn day_ticks(&self) -> Vec<Tick> {
        let Some(&step) = DAY_STEPS
            .iter()
            .find(|&&step| self.fits(step as f64, "2025-04-28".len()))
        else {
            return Vec::new();
        };
        // Only reached for spans of a few hundred days at most (the step fits the width).
        let step = step as u32;
        (self.lo..=self.hi)
            .filter(|&day| {
                let (_, _, d) = civil_from_days(day);
                (d - 1) % step == 0 && d + step <= 32
            })
            .map(|day| self.tick(day, iso_date(day)))
            .collect()
    }

    /// The line of tick labels over the chart: each label starts at its tick (or ends at the
    /// chart's end); a label that would touch the previous one is left out.
    pub(crate) fn label_line(&self, ticks: &[Tick]) -> String {
        let mut cells = vec![' '; self.width];
        let mut free_from = 0;
        for tick in ticks {
            let len = tick.label.chars().count();
            let start = tick.column.min(self.width.saturating_sub(len));
            if start < free_from || start + len > self.width {
                continue;
            }
            for (cell, c) in cells[start..].iter_mut().zip(tick.label.chars()) {
                *cell = c;
            }
            free_from = start + len + 1;
        }
        cells.into_iter().collect::<String>().trim_end().to_owned()
    }

    /// The axis line: `─` with `┬` at the ticks.
    pub(crate) fn rule_line(&self, ticks: &[Tick]) -> String {
        let mut cells = vec!['─'; self.width];
        for tick in ticks {
            if let Some(cell) = cells.get_mut(tick.column) {
                *cell = '┬';
            }
        }
        cells.into_iter().collect()
    }
}

/// `YYYY-MM-DD` for a day.
pub(crate) fn iso_date(day: Day) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date of a day (days since 1970-01-01); days are first clamped to
/// ±`FARTHEST_DAY`.
pub(crate) fn civil_from_days(day: Day) -> (i64, u32, u32) {
    crate::time::ymd(day.clamp(-FARTHEST_DAY, FARTHEST_DAY))
}

/// The day number of a proleptic Gregorian date; the axis only asks for dates that exist
/// (the first of a month or of a year), and gets the nearest day back otherwise.
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> Day {
    crate::time::day_from_ymd(year, month, day)
        .or_else(|| crate::time::day_from_ymd(year, month, 1))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2025, 4, 28), 20_206);
        assert_eq!(civil_from_days(20_206), (2025, 4, 28));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(iso_date(days_from_civil(2024, 2, 29)), "2024-02-29");
        for day in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
    }

    #[test]
    fn columns_keep_gutters_for_infinities() {
        let axis = Axis::new(
            days_from_civil(2023, 1, 1),
            days_from_civil(2025, 12, 31),
            40,
        );
        assert_eq!(axis.column(NEG_INF), 0);
        assert_eq!(axis.column(POS_INF), 39);
        assert_eq!(axis.column(days_from_civil(2023, 1, 1)), 1);
        assert_eq!(axis.column(days_from_civil(2025, 12, 31)), 38);
        assert_eq!(axis.column(days_from_civil(1900, 1, 1)), 1);
        assert_eq!(axis.column(i64::MIN + 1), 1);
        assert_eq!(axis.column(i64::MAX - 1), 38);
        let mid = axis.column(days_from_civil(2024, 7, 1));
        assert!((19..=21).contains(&mid), "{mid}");
    }

    #[test]
    fn long_spans_tick_on_years() {
        let axis = Axis::new(
            days_from_civil(2023, 3, 1),
            days_from_civil(2025, 11, 30),
            50,
        );
        let labels: Vec<String> = axis.ticks().into_iter().map(|t| t.label).collect();
        assert_eq!(labels, ["2024", "2025"]);
        let axis = Axis::new(days_from_civil(1900, 1, 1), days_from_civil(2025, 1, 1), 60);
        let labels: Vec<String> = axis.ticks().into_iter().map(|t| t.label).collect();
        assert_eq!(
            labels,
            ["1900", "1920", "1940", "1960", "1980", "2000", "2020"]
        );
    }

    #[test]
    fn short_spans_tick_on_months_then_days() {
        let axis = Axis::new(
            days_from_civil(2024, 6, 10),
            days_from_civil(2024, 11, 20),
            60,
        );
        let labels: Vec<String> = axis.ticks().into_iter().map(|t| t.label).collect();
        assert_eq!(
            labels,
            ["2024-07", "2024-08", "2024-09", "2024-10", "2024-11"]
        );
        let axis = Axis::new(
            days_from_civil(2025, 4, 20),
            days_from_civil(2025, 5, 10),
            60,
        );
        let labels: Vec<String> = axis.ticks().into_iter().map(|t| t.label).collect();
        assert!(labels.contains(&"2025-05-01".to_owned()), "{labels:?}");
        assert!(labels.iter().all(|l| l.len() == 10));
    }

    #[test]
    fn a_single_day_gets_a_window_around_it() {
        let day = days_from_civil(2025, 4, 28);
        let axis = Axis::new(day, day, 22);
        let column = axis.column(day);
        assert!((9..=12).contains(&column), "{column}");
        assert!(!axis.ticks().is_empty());
    }

    #[test]
    fn labels_do_not_overlap_or_overflow() {
        let axis = Axis::new(
            days_from_civil(2020, 1, 1),
            days_from_civil(2025, 12, 31),
            30,
        );
        let ticks = axis.ticks();
        let labels = axis.label_line(&ticks);
        assert!(labels.chars().count() <= 30);
        assert!(labels.contains("2020"));
        let rule = axis.rule_line(&ticks);
        assert_eq!(rule.chars().count(), 30);
        assert_eq!(rule.matches('┬').count(), ticks.len());
    }

    #[test]
    fn huge_and_reversed_bounds_do_not_panic() {
        let axis = Axis::new(i64::MAX - 1, i64::MIN + 1, 10);
        let ticks = axis.ticks();
        assert!(!ticks.is_empty());
        let _ = axis.label_line(&ticks);
        assert_eq!(Axis::new(0, 0, 0).width(), 3);
    }
}
