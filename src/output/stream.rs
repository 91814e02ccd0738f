//! Streaming output for programs: JSON, JSON Lines, CSV and TSV written row by row as
//! rows arrive, so memory stays flat however many rows a query gives. The batch
//! renderers of these formats go through the same writer.

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
}

enum Kind<W: Write> {
    Json(W),
    Jsonl(W),
    Delimited(Box<csv::Writer<W>>, Delimited),
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
            OutputFormat::Table | OutputFormat::Dot | OutputFormat::Mermaid => return None,
        };
        Some(RowWriter {
            kind,
            columns: columns.to_vec(),
            rows: 0,
        })
    }

    /// The header of CSV and TSV, written with the first row or at the finish: a query
    /// that fails before its first row prints nothing on stdout, not a lone header.
    fn header(&mut self) -> io::Result<()> {
        if let Kind::Delimited(w, kind) = &mut self.kind {
            if !self.columns.is_empty() {
                w.write_record(self.columns.iter().map(|c| field(c, *kind)))?;
            }
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
            Kind::Jsonl(mut out) => out.flush(),
            Kind::Delimited(mut w, _) => w.flush(),
        }
    }
}

fn field(text: &str, kind: Delimited) -> String {
    match kind {
        Delimited::Csv => text.to_owned(),
        Delimited::Tsv => escape_tsv(text).into_owned(),
    }
}
