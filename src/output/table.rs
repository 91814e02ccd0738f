//! Table output: columns aligned by display width in a box of line-drawing characters, a
//! header and a separator, the rows, and a closing `(N rows)` line.
//!
//! Numbers are right-aligned (and so is the header of an all-number column), everything else
//! left-aligned. Null is empty, or a dim `null` with colour. A cell holding right-to-left
//! text gets a LEFT-TO-RIGHT MARK after it. When the table is wider than the given width the
//! widest columns are cut first, each with `…`, down to a few cells each.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::value::{ResultSet, Value};

use super::row_count_line;
use super::text::{self, display_width, fit_pieces, printable, spaces, Fitted};

/// Columns are not cut narrower than this (nor than their own content).
const MIN_COLUMN_WIDTH: usize = 5;
/// How a null reads when colour is on.
const NULL_WORD: &str = "null";

/// One cell's printable text.
struct Cell {
    text: String,
    width: usize,
    null: bool,
}

impl Cell {
    fn new(value: &Value, color: bool) -> Cell {
        match value.as_text() {
            Some(raw) => {
                let text = printable(&raw).into_owned();
                Cell {
                    width: display_width(&text),
                    text,
                    null: false,
                }
            }
            None => Cell {
                text: if color {
                    NULL_WORD.to_owned()
                } else {
                    String::new()
                },
                width: if color { NULL_WORD.len() } else { 0 },
                null: true,
            },
        }
    }
}

/// Writes the result as a table.
pub(crate) fn write_table(
    result: &ResultSet,
    opts: &super::RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let ncols = result.columns.len();
    if ncols == 0 {
        return writeln!(out, "{}", row_count_line(result.rows.len()));
    }
    let headers: Vec<Cell> = result
        .columns
        .iter()
        .map(|name| Cell::new(&Value::Text(name.clone()), opts.color))
        .collect();
    let rows: Vec<Vec<Cell>> = result
        .rows
        .iter()
        .map(|row| {
            (0..ncols)
                .map(|i| Cell::new(row.cells.get(i).unwrap_or(&Value::Null), opts.color))
                .collect()
        })
        .collect();
    let numeric: Vec<bool> = (0..ncols)
        .map(|i| is_numeric_column(result.rows.iter().map(|row| row.cells.get(i))))
        .collect();
    let natural: Vec<usize> = (0..ncols)
        .map(|i| {
            rows.iter()
                .map(|row| row[i].width)
                .chain([headers[i].width, 1])
                .max()
                .unwrap_or(1)
        })
        .collect();
    let widths = fit_widths(&natural, opts.width);

    writeln!(out, "{}", border(&widths, '┌', '┬', '┐'))?;
    let header_line = line(&headers, &widths, &numeric, LineKind::Header, opts.color);
    writeln!(out, "{header_line}")?;
    writeln!(out, "{}", border(&widths, '├', '┼', '┤'))?;
    for (row, values) in rows.iter().zip(&result.rows) {
        let right: Vec<bool> = (0..ncols)
            .map(|i| {
                matches!(
                    values.cells.get(i),
                    Some(Value::Int(_) | Value::Real(_) | Value::Handle(_))
                )
            })
            .collect();
        let row_line = line(row, &widths, &right, LineKind::Body, opts.color);
        writeln!(out, "{row_line}")?;
    }
    writeln!(out, "{}", border(&widths, '└', '┴', '┘'))?;
    writeln!(out, "{}", row_count_line(result.rows.len()))
}

/// Whether a column holds numbers only (and at least one).
fn is_numeric_column<'a>(cells: impl Iterator<Item = Option<&'a Value>>) -> bool {
    let mut any = false;
    for cell in cells {
        match cell {
            Some(Value::Int(_) | Value::Real(_) | Value::Handle(_)) => any = true,
            Some(Value::Text(_)) => return false,
            Some(Value::Null) | None => {}
        }
    }
    any
}

/// The widths the columns get: their natural widths, or, when the table with its borders
/// (`3 × columns + 1` cells) would be wider than `total`, the widest cut down first, to no
/// less than `MIN_COLUMN_WIDTH` (or their natural width if smaller).
fn fit_widths(natural: &[usize], total: Option<usize>) -> Vec<usize> {
    let Some(total) = total else {
        return natural.to_vec();
    };
    let budget = total.saturating_sub(3 * natural.len() + 1);
    if natural.iter().sum::<usize>() <= budget {
        return natural.to_vec();
    }
    let capped = |cap: usize| -> Vec<usize> {
        natural
            .iter()
            .map(|&n| n.min(cap.max(MIN_COLUMN_WIDTH)))
            .collect()
    };
    // The largest cap under which the columns fit, by bisection.
    let mut low = MIN_COLUMN_WIDTH;
    let mut high = natural.iter().copied().max().unwrap_or(MIN_COLUMN_WIDTH);
    if capped(low).iter().sum::<usize>() > budget {
        return capped(low);
    }
    while low < high {
        let mid = low + (high - low).div_ceil(2);
        if capped(mid).iter().sum::<usize>() <= budget {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    let mut widths = capped(low);
    // Cells left over go one each to the columns held at the cap, leftmost first.
    let mut spare = budget - widths.iter().sum::<usize>();
    for (width, &n) in widths.iter_mut().zip(natural) {
        if spare == 0 {
            break;
        }
        if n > *width {
            *width += 1;
            spare -= 1;
        }
    }
    widths
}

/// A horizontal border: `┌──┬──┐` and the like.
fn border(widths: &[usize], left: char, middle: char, right: char) -> String {
    let mut s = String::new();
    s.push(left);
    for (i, &w) in widths.iter().enumerate() {
        if i > 0 {
            s.push(middle);
        }
        s.push_str(&"─".repeat(w + 2));
    }
    s.push(right);
    s
}

/// What a line of cells is: the header is bold with colour, nulls in the body dim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Header,
    Body,
}

/// One line of cells between vertical bars, each cut to its column's width and padded.
fn line(
    cells: &[Cell],
    widths: &[usize],
    right_aligned: &[bool],
    kind: LineKind,
    color: bool,
) -> String {
    let mut s = String::from("│");
    for ((cell, &width), &right) in cells.iter().zip(widths).zip(right_aligned) {
        let Fitted { text, width: used } = fit_pieces(&[cell.text.as_str()], width);
        let styled = match kind {
            LineKind::Header => text::bold(&text, color),
            LineKind::Body if cell.null => text::dim(&text, color),
            LineKind::Body => Cow::Borrowed(text.as_str()),
        };
        let pad = spaces(width.saturating_sub(used));
        s.push(' ');
        if right {
            s.push_str(&pad);
            s.push_str(&styled);
        } else {
            s.push_str(&styled);
            s.push_str(&pad);
        }
        s.push_str(" │");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::sample;
    use crate::output::RenderOptions;
    use unicode_width::UnicodeWidthChar;

    fn table(result: &ResultSet, width: Option<usize>, color: bool) -> String {
        let mut out = Vec::new();
        write_table(result, &RenderOptions { width, color }, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Terminal cells of a line, counted independently of the module's own helper.
    fn cells(line: &str) -> usize {
        line.chars().map(|c| c.width().unwrap_or(0)).sum()
    }

    /// The lines of the box (all but the closing count).
    fn box_lines(text: &str) -> Vec<&str> {
        let lines: Vec<&str> = text.lines().collect();
        lines[..lines.len() - 1].to_vec()
    }

    #[test]
    fn sample_table() {
        insta::assert_snapshot!("table_sample", table(&sample(), None, false));
    }

    #[test]
    fn lines_have_equal_width_with_arabic_and_cjk() {
        let text = table(&sample(), None, false);
        let lines = box_lines(&text);
        let width = cells(lines[0]);
        for line in &lines {
            assert_eq!(cells(line), width, "{line}");
        }
        assert!(text.ends_with("(3 rows)\n"));
        // The quote's tab and line break do not break the row.
        assert_eq!(lines.len(), 3 + 3 + 1);
    }

    #[test]
    fn right_to_left_cells_get_a_mark() {
        let text = table(&sample(), None, false);
        assert!(text.contains("إلهام علييف\u{200E} "));
        assert!(text.contains("قال: \"أهلاً\"\u{200E} "));
        assert!(!text.contains("Masoud Pezeshkian\u{200E}"));
        assert_eq!(text.matches('\u{200E}').count(), 2);
    }

    #[test]
    fn narrow_width_cuts_the_widest_columns() {
        let text = table(&sample(), Some(60), false);
        insta::assert_snapshot!("table_narrow", text.clone());
        let lines = box_lines(&text);
        for line in &lines {
            assert_eq!(cells(line), 60, "{line}");
        }
        assert!(text.contains('…'));
        // Short columns are untouched.
        assert!(text.contains("who.id"));
        assert!(text.contains("1234567"));
    }

    #[test]
    fn very_narrow_width_stops_at_the_minimum() {
        let text = table(&sample(), Some(10), false);
        let lines = box_lines(&text);
        let width = cells(lines[0]);
        for line in &lines {
            assert_eq!(cells(line), width, "{line}");
        }
        // Five columns of at most five cells, plus borders.
        assert!(width <= 5 * MIN_COLUMN_WIDTH + 3 * 5 + 1);
    }

    #[test]
    fn numbers_are_right_aligned() {
        let text = table(&sample(), None, false);
        assert!(text.contains("│     -13 │"), "{text}");
        assert!(text.contains("│   count │"), "{text}");
    }

    #[test]
    fn zero_rows_show_the_header() {
        let result = ResultSet {
            columns: vec!["who".into(), "who.id".into()],
            ..ResultSet::default()
        };
        let text = table(&result, None, false);
        assert_eq!(
            text,
            "┌─────┬────────┐\n│ who │ who.id │\n├─────┼────────┤\n└─────┴────────┘\n(0 rows)\n"
        );
    }

    #[test]
    fn no_columns_gives_only_the_count() {
        assert_eq!(table(&ResultSet::default(), None, false), "(0 rows)\n");
    }

    #[test]
    fn colour_bolds_the_header_and_dims_nulls() {
        let text = table(&sample(), None, true);
        assert!(text.contains("\x1b[1mwho\x1b[0m"));
        assert!(text.contains("\x1b[2mnull\x1b[0m"));
        let plain = table(&sample(), None, false);
        assert!(!plain.contains('\x1b'));
        assert!(!plain.contains("null"));
    }

    #[test]
    fn control_characters_cannot_escape_the_cell() {
        let result = ResultSet {
            columns: vec!["x".into()],
            rows: vec![vec![Value::Text("a\x1b[2Jb\u{202E}c".into())].into()],
            ..ResultSet::default()
        };
        let text = table(&result, None, false);
        assert!(!text.contains('\x1b'));
        assert!(!text.contains('\u{202E}'));
    }

    #[test]
    fn fit_widths_shrinks_widest_first() {
        assert_eq!(fit_widths(&[3, 40, 10], None), [3, 40, 10]);
        assert_eq!(fit_widths(&[3, 40, 10], Some(100)), [3, 40, 10]);
        // Budget 40 - 10 = 30: the 40 goes down to 17, the others keep theirs.
        assert_eq!(fit_widths(&[3, 40, 10], Some(40)), [3, 17, 10]);
        // Budget 20: the two wide ones share what is left.
        assert_eq!(fit_widths(&[3, 40, 30], Some(30)), [3, 9, 8]);
        assert_eq!(fit_widths(&[3, 40, 30], Some(5)), [3, 5, 5]);
    }
}
