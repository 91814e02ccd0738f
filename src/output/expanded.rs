//! Expanded display (psql's `\x`): each row as a record, one field per line under a
//! `─[ RECORD n ]─` rule, the field's name on the left and its value wrapped to the
//! terminal's width on the right, so that nothing is cut however many columns there are.

use std::io::{self, Write};

use super::layout::Fit;
use super::table::Cell;
use super::text::{self, display_width, spaces, Fitted};

/// Values are not wrapped narrower than this, however long the names.
const MIN_VALUE_WIDTH: usize = 10;

/// How records are drawn: settled by the first chunk of rows.
pub(crate) struct Records {
    name_width: usize,
    /// The width values wrap at; `None` for no limit.
    value_width: Option<usize>,
    /// The length of the rule above each record.
    rule_width: usize,
    color: bool,
}

impl Records {
    pub(crate) fn new(
        headers: &[String],
        rows: &[Vec<Cell>],
        total: Option<usize>,
        color: bool,
    ) -> Records {
        let name_width = headers.iter().map(|h| display_width(h)).max().unwrap_or(0);
        let widest = rows
            .iter()
            .flatten()
            .map(|c| c.width)
            .max()
            .unwrap_or(0)
            .max(1);
        let value_width = total.map(|t| t.saturating_sub(name_width + 3).max(MIN_VALUE_WIDTH));
        let rule_width = name_width + 3 + value_width.map_or(widest, |w| w.min(widest));
        Records {
            name_width,
            value_width,
            rule_width,
            color,
        }
    }

    /// Writes row number `n` as a record.
    pub(crate) fn write(
        &self,
        n: usize,
        headers: &[String],
        row: &[Cell],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let label = format!("─[ RECORD {n} ]");
        let rule = "─".repeat(self.rule_width.saturating_sub(display_width(&label)));
        writeln!(out, "{}", text::dim(&format!("{label}{rule}"), self.color))?;
        for (name, cell) in headers.iter().zip(row) {
            let lines = match self.value_width {
                Some(width) => cell.lines(width, Fit::Wrap(usize::MAX)),
                None => cell.lines(cell.width, Fit::Wrap(1)),
            };
            let pad = spaces(self.name_width.saturating_sub(display_width(name)));
            for (k, Fitted { text, .. }) in lines.iter().enumerate() {
                let value = cell.styled(text, self.color);
                let name = if k == 0 {
                    format!("{}{pad}", text::bold(name, self.color))
                } else {
                    spaces(self.name_width)
                };
                // An empty value leaves no space at the end of the line.
                let gap = if value.is_empty() { "" } else { " " };
                writeln!(out, "{name} │{gap}{value}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::output::tests::sample;
    use crate::output::{render, Expanded, OutputFormat, RenderOptions};

    fn records(width: Option<usize>) -> String {
        let opts = RenderOptions {
            width,
            color: false,
            expanded: Expanded::On,
            no_header: false,
        };
        let mut out = Vec::new();
        render(&sample(), OutputFormat::Table, &opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn each_row_is_a_record_of_fields() {
        let text = records(None);
        insta::assert_snapshot!("records_sample", text.clone());
        assert_eq!(text.matches("[ RECORD ").count(), 3);
        assert!(text.contains("who.id │ pezeshkian\n"));
        assert!(text.ends_with("(3 rows)\n"));
    }

    #[test]
    fn long_values_wrap_to_the_width_and_nothing_is_cut() {
        let text = records(Some(24));
        assert!(!text.contains('…'), "{text}");
        for line in text.lines() {
            assert!(super::display_width(line) <= 24, "{line}");
        }
        // The quote's words are all there, across lines.
        assert!(text.contains("friends\""), "{text}");
    }
}
