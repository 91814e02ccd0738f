//! Rows for PostgreSQL's `COPY … FROM STDIN` in its text format ([`StagedRows`]): the
//! staged relations, and the entities, names and weak aliases of a batch.

use std::io::Write as _;

use crate::store::db::{hex_digits, Db, Param};
use crate::store::StoreError;

/// The staged rows copied at once: a few megabytes (memory stays flat, each COPY is
/// long enough to cost no round trip worth counting).
pub(super) const COPY_BATCH_BYTES: usize = 4 << 20;

/// Rows waiting to be copied into a table (PostgreSQL: the staged relations, a batch's
/// entities, names, weak aliases), in COPY's text format.
#[derive(Default)]
pub(in crate::store) struct StagedRows {
    text: Vec<u8>,
}

impl StagedRows {
    /// Appends one row of `cells`.
    pub(super) fn push(&mut self, cells: &[Param<'_>]) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.text.push(b'\t');
            }
            // Digits written straight into the buffer: a million rows' cells, each formatted
            // into a string of its own, cost a noticeable share of the import.
            match *cell {
                Param::Null => self.text.extend_from_slice(b"\\N"),
                Param::Int(n) => {
                    let _ = write!(self.text, "{n}");
                }
                // Rust's shortest digits read back as the same double.
                Param::Real(x) => {
                    let _ = write!(self.text, "{x:?}");
                }
                Param::Text(t) => self.escaped(t.as_bytes()),
                Param::Blob(b) => {
                    // bytea's hex input, its backslash escaped for COPY.
                    self.text.extend_from_slice(b"\\\\x");
                    self.text.extend(hex_digits(b));
                }
                // No copied column is a list; written as PostgreSQL's array input all
                // the same.
                Param::Ints(list) => {
                    let items: Vec<String> = list.iter().map(i64::to_string).collect();
                    self.escaped(format!("{{{}}}", items.join(",")).as_bytes());
                }
                Param::Texts(list) => {
                    let items: Vec<String> = list
                        .iter()
                        .map(|t| format!("\"{}\"", t.replace('\\', "\\\\").replace('"', "\\\"")))
                        .collect();
                    self.escaped(format!("{{{}}}", items.join(",")).as_bytes());
                }
            }
        }
        self.text.push(b'\n');
    }

    /// Text with COPY's escapes: backslash, and the tab, newline and carriage return
    /// that would end a cell or a row.
    fn escaped(&mut self, bytes: &[u8]) {
        // The runs between escapes go in whole.
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let escape: &[u8] = match b {
                b'\\' => b"\\\\",
                b'\t' => b"\\t",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                _ => continue,
            };
            self.text.extend_from_slice(&bytes[start..i]);
            self.text.extend_from_slice(escape);
            start = i + 1;
        }
        self.text.extend_from_slice(&bytes[start..]);
    }

    /// The bytes waiting to be copied.
    pub(super) fn len(&self) -> usize {
        self.text.len()
    }

    /// Copies the rows with `sql` (a `COPY … FROM STDIN` of the rows' columns) and
    /// empties the buffer; `what` says what failed.
    pub(super) fn copy_into(
        &mut self,
        db: &Db,
        sql: &str,
        what: &'static str,
    ) -> Result<(), StoreError> {
        if self.text.is_empty() {
            return Ok(());
        }
        let Db::Postgres(pg) = db else {
            return Ok(());
        };
        let written = pg
            .with_client(|client| {
                use std::io::Write;
                let mut writer = client.copy_in(sql)?;
                if let Err(e) = writer.write_all(&self.text) {
                    return Ok(Err(e));
                }
                writer.finish()?;
                Ok(Ok(()))
            })
            .map_err(StoreError::db(what))?;
        written.map_err(|source| StoreError::Io {
            what: what.to_string(),
            source,
        })?;
        self.text.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_written_in_copys_text_format() {
        let mut rows = StagedRows::default();
        rows.push(&[
            Param::Null,
            Param::Int(-42),
            Param::Real(0.1),
            Param::Text("tab\there, back\\slash, line\nand return\r."),
            Param::Blob(&[0x00, 0x7f, 0xab, 0xff]),
        ]);
        rows.push(&[Param::Text(""), Param::Text("plain")]);
        assert_eq!(
            String::from_utf8(rows.text).unwrap(),
            "\\N\t-42\t0.1\ttab\\there, back\\\\slash, line\\nand return\\r.\t\\\\x007fabff\n\
             \tplain\n"
        );
    }
}
