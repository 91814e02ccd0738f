//! Timeline output (table format after `| timeline`): each dated row is a label and a chart
//! line on a shared time axis, under a line of year (or month, or day) ticks; rows without a
//! date follow under `(no date)`.
//!
//! A row's time is four bounds: its start lies in [start_lo, start_hi], its end in
//! [end_lo, end_hi]. The chart draws the part the relation certainly held (start_hi to
//! end_lo) as `█`, the uncertain parts (start_lo to start_hi, end_lo to end_hi) as `░`, a
//! relation that fits in one cell as `●`, and an unknown or open side as `◀` / `▶` in the
//! chart's edge cell. The bounds come from `ResultSet::times`; a result that does not carry
//! them (one entry per row) is drawn from its `start` and `end` columns, which only say the
//! start and the end both lie between the two dates, so the whole span is drawn uncertain.
//!
//! The label is the row's `subject`, `predicate` and `object` when the result has them, else
//! its other columns but the ids (`x.id`) and the time and provenance columns.

use std::io::{self, Write};

use crate::model::Status;
use crate::time::{Day, NEG_INF, POS_INF};
use crate::value::{ResultSet, Value};

use super::axis::{days_from_civil, Axis};
use super::text::{self, display_width, fit_pieces, printable, spaces};
use super::{row_count_line, RenderOptions};

/// Columns never used as a label.
const NOT_LABEL: [&str; 6] = ["when", "start", "end", "status", "source", "quote"];
/// Chart width when the output has no width limit.
const DEFAULT_CHART_WIDTH: usize = 60;
/// Label width cap when the output has no width limit.
const DEFAULT_LABEL_CAP: usize = 40;
/// The chart is never narrower than this, even on a very narrow terminal.
const MIN_CHART_WIDTH: usize = 12;
/// Labels may be cut down to this before the chart shrinks.
const MIN_LABEL_WIDTH: usize = 8;

const CERTAIN: char = '█';
const UNCERTAIN: char = '░';
const POINT: char = '●';
const OPEN_LEFT: char = '◀';
const OPEN_RIGHT: char = '▶';

/// The marks a row is drawn with, by its status: what happened in solid blocks, what is
/// only planned as a double line, what someone alleges shaded, what is denied or was
/// called off crossed out; so that a plan never reads as an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Marks {
    certain: char,
    uncertain: char,
    point: char,
    /// What the legend calls rows drawn so.
    word: &'static str,
}

const OCCURRED: Marks = Marks {
    certain: CERTAIN,
    uncertain: UNCERTAIN,
    point: POINT,
    word: "occurred",
};
const PLANNED: Marks = Marks {
    certain: '═',
    uncertain: '┄',
    point: '○',
    word: "planned",
};
const ALLEGED: Marks = Marks {
    certain: '▒',
    uncertain: '·',
    point: '◐',
    word: "alleged",
};
const DENIED: Marks = Marks {
    certain: '×',
    uncertain: '-',
    point: '×',
    word: "denied/cancelled",
};
/// In the legend's order.
const ALL_MARKS: [Marks; 4] = [OCCURRED, PLANNED, ALLEGED, DENIED];

impl Marks {
    /// The marks of a row whose status reads `status` (occurred when it has none).
    fn of(status: Option<&str>) -> Marks {
        match status.and_then(|s| s.parse::<Status>().ok()) {
            Some(Status::Planned | Status::Postponed) => PLANNED,
            Some(Status::Alleged) => ALLEGED,
            Some(Status::Denied | Status::Cancelled) => DENIED,
            Some(Status::Occurred) | None => OCCURRED,
        }
    }
}

/// The legend under a chart: the marks of the statuses drawn, their uncertain parts, and
/// the open ends if any.
fn legend(used: &[Marks], open: bool) -> String {
    let drawn: Vec<&Marks> = ALL_MARKS.iter().filter(|m| used.contains(m)).collect();
    let mut parts: Vec<String> = drawn
        .iter()
        .map(|m| {
            let mut marks = String::from(m.certain);
            if m.point != m.certain {
                marks.push(m.point);
            }
            format!("{marks} {}", m.word)
        })
        .collect();
    let uncertain: String = drawn.iter().map(|m| m.uncertain).collect();
    parts.push(format!("{uncertain} uncertain"));
    if open {
        parts.push(format!("{OPEN_LEFT}{OPEN_RIGHT} open"));
    }
    parts.join("  ")
}

/// A row's time bounds, as days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bounds {
    start_lo: Day,
    start_hi: Day,
    end_lo: Day,
    end_hi: Day,
}

impl Bounds {
    /// The bounds, or `None` when none of them is finite (nothing to draw).
    fn new([start_lo, start_hi, end_lo, end_hi]: [Day; 4]) -> Option<Bounds> {
        let bounds = Bounds {
            start_lo,
            start_hi,
            end_lo,
            end_hi,
        };
        bounds.finite().next().is_some().then_some(bounds)
    }

    fn all(&self) -> [Day; 4] {
        [self.start_lo, self.start_hi, self.end_lo, self.end_hi]
    }

    fn finite(&self) -> impl Iterator<Item = Day> {
        self.all().into_iter().filter(|&d| is_finite(d))
    }
}

fn is_finite(day: Day) -> bool {
    day != NEG_INF && day != POS_INF
}

/// Writes the result as a timeline.
pub(crate) fn write_timeline(
    result: &ResultSet,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let label_columns = label_columns(&result.columns);
    let labels: Vec<Vec<String>> = result
        .rows
        .iter()
        .map(|row| {
            label_columns
                .iter()
                .filter_map(|&i| row.cells.get(i).and_then(Value::as_text))
                .map(|text| printable(&text).into_owned())
                .collect()
        })
        .collect();
    let bounds = row_bounds(result);
    let dated: Vec<(usize, Bounds)> = bounds
        .iter()
        .enumerate()
        .filter_map(|(i, b)| b.map(|b| (i, b)))
        .collect();

    if !dated.is_empty() {
        let natural = dated
            .iter()
            .map(|&(i, _)| label_width(&labels[i]))
            .max()
            .unwrap_or(0);
        let (label_width, chart_width) = layout(natural, opts.width);
        let lo = dated.iter().flat_map(|(_, b)| b.finite()).min();
        let hi = dated.iter().flat_map(|(_, b)| b.finite()).max();
        let (Some(lo), Some(hi)) = (lo, hi) else {
            // Unreachable: every dated row has a finite bound.
            return Ok(());
        };
        let axis = Axis::new(lo, hi, chart_width);
        let ticks = axis.ticks();
        let indent = spaces(label_width + 1);
        let labels_line = axis.label_line(&ticks);
        writeln!(out, "{indent}{}", text::bold(&labels_line, opts.color))?;
        writeln!(
            out,
            "{indent}{}",
            text::dim(&axis.rule_line(&ticks), opts.color)
        )?;
        let status_column = result.columns.iter().position(|c| c == "status");
        let mut used = Vec::new();
        for &(i, b) in &dated {
            let label = fit_label(&labels[i], label_width);
            let pad = spaces(label_width.saturating_sub(label.1));
            let status = status_column
                .and_then(|c| result.rows[i].cells.get(c))
                .and_then(Value::as_text);
            let marks = Marks::of(status.as_deref());
            if !used.contains(&marks) {
                used.push(marks);
            }
            let chart = chart_line(&axis, &b, marks);
            writeln!(out, "{}{pad} {}", label.0, chart.trim_end())?;
        }
        let open = dated
            .iter()
            .any(|(_, b)| b.all().iter().any(|&d| !is_finite(d)));
        // Under the chart, or from the left edge and cut when it is too long for that.
        let legend = legend(&used, open);
        let room = opts.width.unwrap_or(usize::MAX);
        let (indent, legend) = if indent.len() + display_width(&legend) <= room {
            (indent, legend)
        } else {
            (String::new(), fit_pieces(&[legend.as_str()], room).text)
        };
        writeln!(out, "{indent}{}", text::dim(&legend, opts.color))?;
    }

    let undated: Vec<usize> = (0..result.rows.len())
        .filter(|&i| bounds[i].is_none())
        .collect();
    if !undated.is_empty() {
        writeln!(out, "{}", text::dim("(no date)", opts.color))?;
        let width = opts.width.map_or(usize::MAX, |w| w.saturating_sub(2));
        for i in undated {
            writeln!(out, "  {}", fit_label(&labels[i], width).0)?;
        }
    }
    writeln!(out, "{}", row_count_line(result.rows.len()))
}

/// The columns a row's label is made of.
fn label_columns(columns: &[String]) -> Vec<usize> {
    let find = |name: &str| columns.iter().position(|c| c == name);
    if let (Some(s), Some(p), Some(o)) = (find("subject"), find("predicate"), find("object")) {
        return vec![s, p, o];
    }
    let chosen: Vec<usize> = (0..columns.len())
        .filter(|&i| !columns[i].ends_with(".id") && !NOT_LABEL.contains(&columns[i].as_str()))
        .collect();
    if chosen.is_empty() {
        (0..columns.len().min(1)).collect()
    } else {
        chosen
    }
}

/// The display width of a label's pieces joined by spaces.
fn label_width(pieces: &[String]) -> usize {
    pieces.iter().map(|p| display_width(p)).sum::<usize>() + pieces.len().saturating_sub(1)
}

/// A label fitted to `width` cells, and its width.
fn fit_label(pieces: &[String], width: usize) -> (String, usize) {
    let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
    let fitted = fit_pieces(&pieces, width);
    (fitted.text, fitted.width)
}

/// The label and chart widths for labels `natural` cells wide on an output `width` wide.
fn layout(natural: usize, width: Option<usize>) -> (usize, usize) {
    match width {
        None => (natural.min(DEFAULT_LABEL_CAP), DEFAULT_CHART_WIDTH),
        Some(width) => {
            let label = natural.min((width * 2 / 5).max(MIN_LABEL_WIDTH));
            let chart = width.saturating_sub(label + 1).max(MIN_CHART_WIDTH);
            (label, chart)
        }
    }
}

/// Each row's bounds: from the rows' times when the result is
/// [`timed`](ResultSet::timed), else from the `start` and `end` columns.
fn row_bounds(result: &ResultSet) -> Vec<Option<Bounds>> {
    if result.timed {
        return result
            .rows
            .iter()
            .map(|r| r.time.and_then(Bounds::new))
            .collect();
    }
    let find = |name: &str| result.columns.iter().position(|c| c == name);
    let (start, end) = (find("start"), find("end"));
    let day_in = |row: &[Value], column: Option<usize>| -> Option<Day> {
        match row.get(column?)? {
            Value::Text(text) => parse_iso_date(text),
            _ => None,
        }
    };
    result
        .rows
        .iter()
        .map(|row| {
            let first = day_in(&row.cells, start).unwrap_or(NEG_INF);
            let last = day_in(&row.cells, end).unwrap_or(POS_INF);
            Bounds::new([first, last, first, last])
        })
        .collect()
}

/// The day of a `YYYY-MM-DD` date (a year may have more digits or a minus sign), or `None`.
fn parse_iso_date(text: &str) -> Option<Day> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut parts = rest.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let all_digits = |s: &str, len: Option<usize>| {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && len.is_none_or(|l| s.len() == l)
    };
    if y.len() < 4 || !all_digits(y, None) || !all_digits(m, Some(2)) || !all_digits(d, Some(2)) {
        return None;
    }
    let year: i64 = y.parse().ok()?;
    let year = if negative { -year } else { year };
    let (month, day): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days_in_month)
        .contains(&day)
        .then(|| days_from_civil(year, month, day))
}

/// The chart line of one row, drawn with the marks of its status.
fn chart_line(axis: &Axis, b: &Bounds, marks: Marks) -> String {
    let width = axis.width();
    let mut cells = vec![' '; width];
    let mut paint = |from: Day, to: Day, mark: char| {
        if from > to {
            return;
        }
        for cell in &mut cells[axis.column(from)..=axis.column(to)] {
            if mark == marks.certain || *cell == ' ' {
                *cell = mark;
            }
        }
    };
    paint(b.start_lo, b.start_hi, marks.uncertain);
    paint(b.end_lo, b.end_hi, marks.uncertain);
    paint(b.start_hi, b.end_lo, marks.certain);
    if b.all().into_iter().all(is_finite) && axis.column(b.start_lo) == axis.column(b.end_hi) {
        cells[axis.column(b.start_lo)] = marks.point;
    }
    if b.all().contains(&NEG_INF) {
        cells[0] = OPEN_LEFT;
    }
    if b.all().contains(&POS_INF) {
        cells[width - 1] = OPEN_RIGHT;
    }
    cells.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Row;
    use unicode_width::UnicodeWidthChar;

    fn day(y: i64, m: u32, d: u32) -> Day {
        days_from_civil(y, m, d)
    }

    fn text(s: &str) -> Value {
        Value::Text(s.to_owned())
    }

    /// Rows with a point, a certain span, a fuzzy year, an open end, an unknown start, a fuzzy
    /// start and end, and no date.
    fn sample() -> ResultSet {
        let rows: Vec<(&str, &str, &str, Option<[Day; 4]>)> = vec![
            (
                "Masoud Pezeshkian",
                "visited",
                "Baku",
                Some([day(2025, 4, 28); 4]),
            ),
            (
                "Iran",
                "embassy_closed_in",
                "Azerbaijan",
                Some([
                    day(2023, 1, 27),
                    day(2023, 1, 27),
                    day(2024, 7, 14),
                    day(2024, 7, 14),
                ]),
            ),
            (
                "Azerbaijan",
                "expelled",
                "Iranian diplomats",
                Some([
                    day(2023, 1, 1),
                    day(2023, 12, 31),
                    day(2023, 1, 1),
                    day(2023, 12, 31),
                ]),
            ),
            (
                "الهام علييف",
                "president_of",
                "Azerbaijan",
                Some([day(2023, 6, 1), day(2023, 6, 1), POS_INF, POS_INF]),
            ),
            (
                "Israel",
                "supplies_arms_to",
                "Azerbaijan",
                Some([NEG_INF, day(2024, 3, 1), day(2024, 3, 1), POS_INF]),
            ),
            (
                "Iran",
                "naval_exercise_with",
                "Russia",
                Some([
                    day(2023, 9, 1),
                    day(2023, 10, 31),
                    day(2024, 2, 1),
                    day(2024, 3, 31),
                ]),
            ),
            ("Netanyahu", "planned_visit", "Baku", None),
        ];
        let mut result = ResultSet {
            columns: ["subject", "predicate", "object", "start", "end"]
                .map(String::from)
                .to_vec(),
            timeline: true,
            timed: true,
            ..ResultSet::default()
        };
        for (s, p, o, t) in rows {
            result.rows.push(Row {
                time: t,
                ..vec![text(s), text(p), text(o), Value::Null, Value::Null].into()
            });
        }
        result
    }

    fn timeline(result: &ResultSet, width: Option<usize>) -> String {
        let mut out = Vec::new();
        let opts = RenderOptions {
            width,
            color: false,
            ..RenderOptions::default()
        };
        write_timeline(result, &opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn cells(line: &str) -> usize {
        line.chars().map(|c| c.width().unwrap_or(0)).sum()
    }

    /// The chart part of the line whose label starts with `label`.
    fn chart_of<'a>(text: &'a str, label: &str) -> &'a str {
        let line = text
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no line for {label} in\n{text}"));
        line.rsplit_once("  ").map_or(line, |(_, chart)| chart)
    }

    #[test]
    fn sample_timeline() {
        insta::assert_snapshot!("timeline_sample", timeline(&sample(), Some(100)));
    }

    #[test]
    fn marks_follow_the_bounds() {
        let text = timeline(&sample(), Some(100));
        assert_eq!(chart_of(&text, "Masoud").trim(), "●");
        let closed = chart_of(&text, "Iran embassy").trim();
        assert!(closed.chars().all(|c| c == CERTAIN), "{closed}");
        let fuzzy = chart_of(&text, "Azerbaijan expelled").trim();
        assert!(fuzzy.chars().all(|c| c == UNCERTAIN), "{fuzzy}");
        let open = chart_of(&text, "الهام").trim();
        assert!(
            open.starts_with(CERTAIN) && open.ends_with(OPEN_RIGHT),
            "{open}"
        );
        let unknown = chart_of(&text, "Israel");
        assert!(unknown.starts_with(OPEN_LEFT), "{unknown}");
        assert!(unknown.contains(UNCERTAIN) && unknown.ends_with(OPEN_RIGHT));
        let exercise = chart_of(&text, "Iran naval").trim();
        assert!(exercise.starts_with(UNCERTAIN) && exercise.ends_with(UNCERTAIN));
        assert!(exercise.contains(CERTAIN), "{exercise}");
    }

    #[test]
    fn statuses_are_drawn_apart_with_a_legend() {
        let mut result = sample();
        result.columns.push("status".into());
        let statuses = ["occurred", "planned", "alleged", "denied"];
        for (row, status) in result.rows.iter_mut().zip(statuses.iter().cycle()) {
            row.cells.push(text(status));
        }
        let text = timeline(&result, Some(100));
        assert_eq!(chart_of(&text, "Masoud").trim(), "●");
        let planned = chart_of(&text, "Iran embassy").trim();
        assert!(planned.chars().all(|c| c == PLANNED.certain), "{planned}");
        let alleged = chart_of(&text, "Azerbaijan expelled").trim();
        assert!(alleged.chars().all(|c| c == ALLEGED.uncertain), "{alleged}");
        let denied = chart_of(&text, "الهام").trim();
        assert!(denied.starts_with(DENIED.certain), "{denied}");
        let legend = text
            .lines()
            .find(|l| l.contains("occurred"))
            .expect("a legend");
        for word in ["occurred", "planned", "alleged", "denied", "open"] {
            assert!(legend.contains(word), "{legend}");
        }
        // Without statuses, the legend names only what is drawn.
        let plain = timeline(&sample(), Some(100));
        assert!(
            !plain.contains("alleged") && !plain.contains(PLANNED.certain),
            "{plain}"
        );
    }

    #[test]
    fn undated_rows_come_last() {
        let text = timeline(&sample(), Some(100));
        let lines: Vec<&str> = text.lines().collect();
        let n = lines.len();
        assert_eq!(lines[n - 3], "(no date)");
        assert_eq!(lines[n - 2], "  Netanyahu planned_visit Baku");
        assert_eq!(lines[n - 1], "(7 rows)");
    }

    #[test]
    fn lines_fit_the_width_and_labels_align() {
        for width in [100, 60, 30] {
            let text = timeline(&sample(), Some(width));
            for line in text.lines() {
                assert!(cells(line) <= width, "{width}: {line}");
            }
            // Every chart starts in the same column.
            let label_width = layout(
                label_width(&[
                    "Azerbaijan".into(),
                    "expelled".into(),
                    "Iranian diplomats".into(),
                ]),
                Some(width),
            )
            .0;
            for line in text.lines().skip(2).take(6) {
                let label: String = line.chars().take_while(|&c| !"█░●◀▶".contains(c)).collect();
                assert!(cells(&label) >= label_width, "{width}: {line}");
            }
        }
    }

    #[test]
    fn arabic_labels_get_a_mark_and_are_measured_by_width() {
        let text = timeline(&sample(), Some(100));
        assert!(text.contains("الهام علييف\u{200E} president_of Azerbaijan"));
        let narrow = timeline(&sample(), Some(30));
        assert!(narrow.contains("الهام علييف\u{200E}…"), "{narrow}");
        let narrower = timeline(&sample(), Some(20));
        assert!(narrower.contains("الهام ع…\u{200E}"), "{narrower}");
    }

    #[test]
    fn axis_shows_years() {
        let text = timeline(&sample(), Some(100));
        let first = text.lines().next().unwrap_or_default();
        assert!(first.contains("2024") && first.contains("2025"), "{first}");
    }

    #[test]
    fn start_and_end_columns_are_used_without_times() {
        let result = ResultSet {
            columns: ["x", "start", "end"].map(String::from).to_vec(),
            rows: [
                vec![text("a"), text("2024-01-01"), text("2024-12-31")],
                vec![text("b"), text("2025-06-01"), Value::Null],
                vec![text("c"), Value::Null, Value::Null],
            ]
            .into_iter()
            .map(Row::from)
            .collect(),
            timeline: true,
            ..ResultSet::default()
        };
        let text = timeline(&result, Some(60));
        let a = chart_of(&text, "a").trim();
        assert!(a.chars().all(|c| c == UNCERTAIN), "{a}");
        assert!(chart_of(&text, "b").ends_with(OPEN_RIGHT));
        assert!(text.contains("(no date)\n  c\n"));
    }

    #[test]
    fn labels_skip_ids_and_provenance() {
        let columns: Vec<String> = ["who", "who.id", "when", "start", "end", "source"]
            .map(String::from)
            .to_vec();
        assert_eq!(label_columns(&columns), [0]);
        let columns: Vec<String> = ["x", "x.id", "subject", "predicate", "object"]
            .map(String::from)
            .to_vec();
        assert_eq!(label_columns(&columns), [2, 3, 4]);
        let columns: Vec<String> = ["start"].map(String::from).to_vec();
        assert_eq!(label_columns(&columns), [0]);
    }

    #[test]
    fn iso_dates_parse_strictly() {
        assert_eq!(parse_iso_date("2025-04-28"), Some(day(2025, 4, 28)));
        assert_eq!(parse_iso_date("2024-02-29"), Some(day(2024, 2, 29)));
        assert_eq!(parse_iso_date("-0044-03-15"), Some(day(-44, 3, 15)));
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-4-28",
            "2025",
            "x",
            "",
            "2025-04-28T",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn no_rows_and_no_dates() {
        let empty = ResultSet {
            columns: vec!["x".into()],
            timeline: true,
            ..ResultSet::default()
        };
        assert_eq!(timeline(&empty, Some(80)), "(0 rows)\n");
        let mut undated = sample();
        for row in &mut undated.rows {
            row.time = None;
        }
        let text = timeline(&undated, None);
        assert!(text.starts_with("(no date)\n"));
    }

    #[test]
    fn odd_bounds_do_not_panic() {
        let mut result = sample();
        let times = [
            Some([POS_INF, NEG_INF, 5, -5]),
            Some([i64::MIN + 1, i64::MAX - 1, 0, 0]),
            Some([NEG_INF, NEG_INF, NEG_INF, 3]),
            Some([0, POS_INF, POS_INF, POS_INF]),
            Some([NEG_INF, POS_INF, NEG_INF, POS_INF]),
            Some([1, 0, 1, 0]),
            None,
        ];
        assert_eq!(times.len(), result.rows.len());
        for (row, time) in result.rows.iter_mut().zip(times) {
            row.time = time;
        }
        for width in [None, Some(0), Some(5), Some(200)] {
            let text = timeline(&result, width);
            assert!(text.ends_with("(7 rows)\n"));
        }
    }
}
