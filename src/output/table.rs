//! Table output: columns aligned by display width in a box of line-drawing characters, a
//! header and a separator, the rows, and a closing `(N rows)` line; or, when the table
//! cannot fit the terminal (or expanded display is on), each row as a record of one
//! field per line ([`super::expanded`]).
//!
//! Rows are written in chunks as they come ([`TableWriter`]): the first chunk sets the
//! columns' widths and whether rows are records, and later chunks keep them, so memory
//! holds one chunk however many rows a query gives. A later cell wider than its column
//! wraps inside it.
//!
//! Numbers are right-aligned (and so is the header of an all-number column), everything else
//! left-aligned. Null is empty, or a dim `null` with colour. A cell holding right-to-left
//! text gets a LEFT-TO-RIGHT MARK after it. Columns that only repeat what the query says
//! ([`crate::value::ResultSet::repeated`]) are left out.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::value::Value;

use super::expanded;
use super::layout::{fit_columns, is_free_text, Columns, Fit};
use super::text::{self, display_width, fit_pieces, printable, spaces, wrap, Fitted};
use super::{row_count_line, RenderOptions};

/// Rows measured together before they are written.
pub(crate) const CHUNK_ROWS: usize = 1000;
/// How a null reads when colour is on.
const NULL_WORD: &str = "null";

/// One cell's printable text.
pub(crate) struct Cell {
    pub text: String,
    pub width: usize,
    pub null: bool,
    /// A number: right-aligned.
    pub number: bool,
}

impl Cell {
    pub(crate) fn new(value: &Value, color: bool) -> Cell {
        let number = matches!(value, Value::Int(_) | Value::Real(_) | Value::Handle(_));
        match value.as_text() {
            Some(raw) => {
                let text = printable(&raw).into_owned();
                Cell {
                    width: display_width(&text),
                    text,
                    null: false,
                    number,
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
                number,
            },
        }
    }

    /// The cell's lines in a column `width` cells wide.
    pub(crate) fn lines(&self, width: usize, fit: Fit) -> Vec<Fitted> {
        if self.width <= width {
            return vec![fit_pieces(&[self.text.as_str()], width)];
        }
        match fit {
            Fit::Cut => vec![fit_pieces(&[self.text.as_str()], width)],
            Fit::Wrap(lines) => wrap(&self.text, width, lines),
        }
    }

    /// A line of this cell, styled: nulls dim.
    pub(crate) fn styled<'a>(&self, line: &'a str, color: bool) -> Cow<'a, str> {
        if self.null {
            text::dim(line, color)
        } else {
            Cow::Borrowed(line)
        }
    }
}

/// How the rows are drawn, settled by the first chunk.
enum Shape {
    Table {
        columns: Columns,
        /// Headers right-aligned over all-number columns.
        numeric: Vec<bool>,
    },
    Records(expanded::Records),
}

/// Writes rows as a table (or records) in chunks.
pub struct TableWriter<W: Write> {
    out: W,
    /// The columns shown: all but those the query only repeats.
    shown: Vec<usize>,
    headers: Vec<String>,
    opts: RenderOptions,
    chunk: usize,
    pending: Vec<Vec<Cell>>,
    shape: Option<Shape>,
    written: usize,
}

impl<W: Write> TableWriter<W> {
    /// A writer for rows of `columns`, leaving out the `repeated` ones.
    pub fn new(columns: &[String], repeated: &[usize], opts: RenderOptions, out: W) -> Self {
        let shown: Vec<usize> = (0..columns.len())
            .filter(|i| !repeated.contains(i))
            .collect();
        TableWriter {
            out,
            headers: shown.iter().map(|&i| columns[i].clone()).collect(),
            shown,
            opts,
            chunk: CHUNK_ROWS,
            pending: Vec::new(),
            shape: None,
            written: 0,
        }
    }

    /// Measures `rows` rows together instead of [`CHUNK_ROWS`] (all of a result held in
    /// memory anyway).
    pub(crate) fn with_chunk(mut self, rows: usize) -> Self {
        self.chunk = rows.max(1);
        self
    }

    /// Rows written so far (not those waiting in the chunk).
    pub fn written(&self) -> usize {
        self.written
    }

    /// Takes one row; writes the chunk when it is full.
    pub fn row(&mut self, cells: &[Value]) -> io::Result<()> {
        let color = self.opts.color;
        let row = self
            .shown
            .iter()
            .map(|&i| Cell::new(cells.get(i).unwrap_or(&Value::Null), color));
        self.pending.push(row.collect());
        if self.pending.len() >= self.chunk {
            self.write_pending()?;
        }
        Ok(())
    }

    /// Writes the rows waiting, the closing border and the `(N rows)` line.
    pub fn finish(mut self) -> io::Result<()> {
        self.close()?;
        writeln!(self.out, "{}", row_count_line(self.written))?;
        self.out.flush()
    }

    /// Writes the rows waiting and the closing border, without the count (the caller
    /// says why the rows stopped); gives the number of rows written.
    pub fn stop(mut self) -> io::Result<usize> {
        self.close()?;
        self.out.flush()?;
        Ok(self.written)
    }

    fn close(&mut self) -> io::Result<()> {
        self.write_pending()?;
        if let Some(Shape::Table { columns, .. }) = &self.shape {
            if !self.headers.is_empty() {
                writeln!(self.out, "{}", border(&columns.widths, '└', '┴', '┘'))?;
            }
        }
        Ok(())
    }

    fn write_pending(&mut self) -> io::Result<()> {
        let color = self.opts.color;
        let rows = std::mem::take(&mut self.pending);
        if self.shape.is_none() {
            let shape = self.shape_for(&rows);
            self.start(&shape)?;
            self.shape = Some(shape);
        }
        let Some(shape) = &self.shape else {
            return Ok(());
        };
        if self.headers.is_empty() {
            self.written += rows.len();
            return Ok(());
        }
        for row in &rows {
            match shape {
                Shape::Table { columns, .. } => {
                    for line in row_lines(row, columns, color) {
                        writeln!(self.out, "{line}")?;
                    }
                }
                Shape::Records(records) => {
                    records.write(self.written + 1, &self.headers, row, &mut self.out)?
                }
            }
            self.written += 1;
        }
        Ok(())
    }

    /// The shape the first chunk's rows (and the headers) call for.
    fn shape_for(&self, rows: &[Vec<Cell>]) -> Shape {
        let n = self.headers.len();
        let natural: Vec<usize> = (0..n)
            .map(|i| {
                rows.iter()
                    .map(|row| row[i].width)
                    .chain([self.header_width(i), 1])
                    .max()
                    .unwrap_or(1)
            })
            .collect();
        let free: Vec<bool> = self.headers.iter().map(|h| is_free_text(h)).collect();
        match fit_columns(&natural, &free, self.opts.width, self.opts.expanded) {
            Some(columns) => Shape::Table {
                columns,
                numeric: (0..n).map(|i| is_numeric_column(rows, i)).collect(),
            },
            None => Shape::Records(expanded::Records::new(
                &self.headers,
                rows,
                self.opts.width,
                self.opts.color,
            )),
        }
    }

    /// The width column `i`'s header needs: none without the header row.
    fn header_width(&self, i: usize) -> usize {
        if self.opts.no_header {
            0
        } else {
            display_width(&self.headers[i])
        }
    }

    /// The header of a table (nothing for records): only its top border without the
    /// header row (`.headers off`).
    fn start(&mut self, shape: &Shape) -> io::Result<()> {
        let Shape::Table { columns, numeric } = shape else {
            return Ok(());
        };
        if self.headers.is_empty() {
            return Ok(());
        }
        writeln!(self.out, "{}", border(&columns.widths, '┌', '┬', '┐'))?;
        if self.opts.no_header {
            return Ok(());
        }
        let color = self.opts.color;
        let headers: Vec<Cell> = self
            .headers
            .iter()
            .map(|h| Cell::new(&Value::Text(h.clone()), color))
            .collect();
        let mut line = String::from("│");
        for ((cell, &width), &right) in headers.iter().zip(&columns.widths).zip(numeric) {
            let Fitted { text, width: used } = fit_pieces(&[cell.text.as_str()], width);
            push_cell(&mut line, &text::bold(&text, color), used, width, right);
        }
        writeln!(self.out, "{line}")?;
        writeln!(self.out, "{}", border(&columns.widths, '├', '┼', '┤'))
    }
}

/// Whether column `i` holds numbers only (and at least one).
fn is_numeric_column(rows: &[Vec<Cell>], i: usize) -> bool {
    let mut any = false;
    for row in rows {
        let cell = &row[i];
        if cell.number {
            any = true;
        } else if !cell.null {
            return false;
        }
    }
    any
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

/// ` text ` padded to `width` on the side away from its alignment, then `│`.
fn push_cell(line: &mut String, styled: &str, used: usize, width: usize, right: bool) {
    let pad = spaces(width.saturating_sub(used));
    line.push(' ');
    if right {
        line.push_str(&pad);
        line.push_str(styled);
    } else {
        line.push_str(styled);
        line.push_str(&pad);
    }
    line.push_str(" │");
}

/// The lines of one row: as many as its tallest cell takes.
fn row_lines(row: &[Cell], columns: &Columns, color: bool) -> Vec<String> {
    let cells: Vec<Vec<Fitted>> = row
        .iter()
        .zip(&columns.widths)
        .zip(&columns.fits)
        .map(|((cell, &width), &fit)| cell.lines(width, fit))
        .collect();
    let height = cells.iter().map(Vec::len).max().unwrap_or(1);
    (0..height)
        .map(|k| {
            let mut line = String::from("│");
            for ((cell, lines), &width) in row.iter().zip(&cells).zip(&columns.widths) {
                match lines.get(k) {
                    Some(Fitted { text, width: used }) => {
                        let styled = cell.styled(text, color);
                        push_cell(&mut line, &styled, *used, width, cell.number);
                    }
                    None => push_cell(&mut line, "", 0, width, false),
                }
            }
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::layout::MIN_COLUMN_WIDTH;
    use crate::output::tests::sample;
    use crate::output::Expanded;
    use crate::value::{ResultSet, Row};
    use unicode_width::UnicodeWidthChar;

    fn render(result: &ResultSet, opts: RenderOptions, chunk: usize) -> String {
        let mut out = Vec::new();
        let mut w =
            TableWriter::new(&result.columns, &result.repeated, opts, &mut out).with_chunk(chunk);
        for row in &result.rows {
            w.row(&row.cells).unwrap();
        }
        w.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    fn table(result: &ResultSet, width: Option<usize>, color: bool) -> String {
        let opts = RenderOptions {
            width,
            color,
            expanded: Expanded::Off,
            no_header: false,
        };
        render(result, opts, usize::MAX)
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
    fn narrow_width_wraps_the_quote_and_keeps_the_rest() {
        let opts = RenderOptions {
            width: Some(72),
            color: false,
            expanded: Expanded::Auto,
            no_header: false,
        };
        let text = render(&sample(), opts, usize::MAX);
        insta::assert_snapshot!("table_narrow", text.clone());
        for line in box_lines(&text) {
            assert_eq!(cells(line), 72, "{line}");
        }
        // Names, ids and numbers are whole; the quote wraps onto more lines.
        assert!(text.contains("Masoud Pezeshkian"));
        assert!(text.contains("pezeshkian"));
        assert!(text.contains("1234567"));
        assert!(box_lines(&text).len() > 3 + 3 + 1);
    }

    #[test]
    fn very_narrow_width_with_expanded_off_cuts_to_the_minimum() {
        let text = table(&sample(), Some(10), false);
        let lines = box_lines(&text);
        let width = cells(lines[0]);
        for line in &lines {
            assert_eq!(cells(line), width, "{line}");
        }
        // Five columns of at most five cells, plus borders.
        assert!(width <= 5 * MIN_COLUMN_WIDTH + 3 * 5 + 1);
        assert!(text.contains('…'));
    }

    #[test]
    fn a_table_too_wide_becomes_records_in_auto() {
        let opts = RenderOptions {
            width: Some(30),
            color: false,
            expanded: Expanded::Auto,
            no_header: false,
        };
        let text = render(&sample(), opts, usize::MAX);
        assert!(text.contains("[ RECORD 1 ]"), "{text}");
        assert!(text.contains("who    │ Masoud Pezeshkian\n"), "{text}");
        assert!(text.ends_with("(3 rows)\n"));
        for line in text.lines() {
            assert!(cells(line) <= 30, "{line}");
        }
    }

    #[test]
    fn repeated_columns_are_left_out() {
        let mut result = sample();
        result.repeated = vec![1, 4];
        let text = table(&result, None, false);
        assert!(!text.contains("who.id"));
        assert!(!text.contains("quote"));
        assert!(text.contains("│ who "));
        assert!(text.contains("count"));
    }

    #[test]
    fn later_chunks_keep_the_first_chunks_widths() {
        let text_row = |s: &str| vec![Value::Text(s.into())].into();
        let result = ResultSet {
            columns: vec!["who".into()],
            rows: vec![text_row("Ann"), text_row("Bartholomew")],
            ..ResultSet::default()
        };
        let text = render(&result, RenderOptions::default(), 1);
        let lines = box_lines(&text);
        let width = cells(lines[0]);
        for line in &lines {
            assert_eq!(cells(line), width, "{line}");
        }
        // The second row wraps inside the column the first made.
        assert!(text.contains("│ Ann │\n│ Bar │\n│ tho │"), "{text}");
    }

    #[test]
    fn stopping_closes_the_box_without_a_count() {
        let mut out = Vec::new();
        let result = sample();
        let mut w = TableWriter::new(&result.columns, &[], RenderOptions::default(), &mut out)
            .with_chunk(2);
        for row in &result.rows {
            w.row(&row.cells).unwrap();
        }
        assert_eq!(w.written(), 2);
        assert_eq!(w.stop().unwrap(), 3);
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("┘\n"), "{text}");
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
    fn without_the_header_only_the_top_border_comes_before_the_rows() {
        let result = ResultSet {
            columns: vec!["who".into(), "count".into()],
            rows: vec![Row::from(vec![Value::Text("Baku".into()), Value::Int(2)])],
            ..ResultSet::default()
        };
        let opts = RenderOptions {
            no_header: true,
            expanded: Expanded::Off,
            ..RenderOptions::default()
        };
        assert_eq!(
            render(&result, opts, usize::MAX),
            "┌──────┬───┐\n│ Baku │ 2 │\n└──────┴───┘\n(1 row)\n"
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
}
