//! Streaming output for programs: JSON, JSON Lines, CSV, TSV and markdown tables written row by row as
//! rows arrive, so memory stays flat however many rows a query gives. The batch
//! renderers of these formats go through the same writer.

use std::borrow::Cow;
use std::io::{self, Write};

use super::delimited::{escape_tsv, Delimited};
use super::json::write_object;
use super::OutputFormat;
use crate::value::Value;

/// Writes rows in one of the streaming formats.
pub struct RowWriter<W: Write> {
    kind: Kind<W>,
    columns: Vec<String>,
    rows: usize,
    /// CSV and TSV begin with a header line (off: `.headers off`).
    header: bool,
}

enum Kind<W: Write> {
    Json(W),
    Jsonl(W),
    Delimited(Box<csv::Writer<W>>, Delimited),
    Markdown(W),
}

impl<W: Write> RowWriter<W> {
    /// A writer for `format`, or `None` for the formats that need every row before
    /// writing (table, timeline, graphs).
    pub fn new(format: OutputFormat, columns: &[String], out: W) -> Option<Self> {
        let kind = match format {
            OutputFormat::Json => Kind::Json(out),
            OutputFormat::Jsonl => Kind::Jsonl(out),
            OutputFormat::Csv | OutputFormat::Tsv => {
                let delimited = if format == OutputFormat::Csv {
                    Delimited::Csv
                } else {
                    Delimited::Tsv
                };
                let mut builder = csv::WriterBuilder::new();
                if delimited == Delimited::Tsv {
                    builder.delimiter(b'\t').quote_style(csv::QuoteStyle::Never);
                }
                Kind::Delimited(Box::new(builder.from_writer(out)), delimited)
            }
            OutputFormat::Markdown => Kind::Markdown(out),
            OutputFormat::Table | OutputFormat::Dot | OutputFormat::Mermaid => return None,
        };
        Some(RowWriter {
            kind,
            columns: columns.to_vec(),
            rows: 0,
            header: true,
        })
    }

    /// Whether CSV and TSV begin with their header line. A markdown table keeps its
    /// header: markdown has no table without one.
    pub fn with_header(mut self, header: bool) -> Self {
        self.header = header;
        self
    }

    /// The header of CSV and TSV, written with the first row or at the finish: a query
    /// that fails before its first row prints nothing on stdout, not a lone header.
    fn header(&mut self) -> io::Result<()> {
        match &mut self.kind {
            Kind::Delimited(w, kind) if self.header && !self.columns.is_empty() => {
                w.write_record(self.columns.iter().map(|c| field(c, *kind)))?;
            }
            Kind::Markdown(out) if !self.columns.is_empty() => {
                let names: Vec<Cow<'_, str>> =
                    self.columns.iter().map(|c| markdown_cell(c)).collect();
                writeln!(out, "| {} |", names.join(" | "))?;
                writeln!(out, "|{}", " --- |".repeat(self.columns.len()))?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Writes one row.
    pub fn row(&mut self, row: &[Value]) -> io::Result<()> {
        if self.rows == 0 {
            self.header()?;
        }
        match &mut self.kind {
            Kind::Json(out) => {
                out.write_all(if self.rows == 0 { b"[\n  " } else { b",\n  " })?;
                write_object(&self.columns, row, out)?;
            }
            Kind::Jsonl(out) => {
                write_object(&self.columns, row, out)?;
                out.write_all(b"\n")?;
            }
            Kind::Delimited(w, kind) => {
                if !self.columns.is_empty() {
                    let kind = *kind;
                    w.write_record((0..self.columns.len()).map(|i| {
                        row.get(i)
                            .and_then(Value::as_data_text)
                            .map(|text| field(&text, kind))
                            .unwrap_or_default()
                    }))?;
                }
            }
            Kind::Markdown(out) => {
                if !self.columns.is_empty() {
                    let cells: Vec<String> = (0..self.columns.len())
                        .map(|i| {
                            row.get(i)
                                .and_then(Value::as_data_text)
                                .map(|text| markdown_cell(&text).into_owned())
                                .unwrap_or_default()
                        })
                        .collect();
                    writeln!(out, "| {} |", cells.join(" | "))?;
                }
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Closes the output (the JSON array's bracket) and flushes it.
    pub fn finish(mut self) -> io::Result<()> {
        if self.rows == 0 {
            self.header()?;
        }
        match self.kind {
            Kind::Json(mut out) => {
                out.write_all(if self.rows == 0 { b"[]\n" } else { b"\n]\n" })?;
                out.flush()
            }
            Kind::Jsonl(mut out) | Kind::Markdown(mut out) => out.flush(),
            Kind::Delimited(mut w, _) => w.flush(),
        }
    }
}

/// A cell of a markdown table: `|` and `\` escaped with a backslash (a `|` would end
/// the cell), line breaks as `<br>` (a row is one line).
fn markdown_cell(text: &str) -> Cow<'_, str> {
    if !text.contains(['|', '\\', '\n', '\r']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn field(text: &str, kind: Delimited) -> String {
    match kind {
        Delimited::Csv => text.to_owned(),
        Delimited::Tsv => escape_tsv(text).into_owned(),
    }
}
