//! Reading CSV: the header (relation or entity form), each row made into a record's
//! fields for the importer, the entities relation rows name (by id, name or alias, as
//! queries resolve them), each record's line, and CSV errors as bad records.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

use super::id_cache::ID_CACHE_LIMIT;
use super::importer::Importer;
use super::progress::{Progress, PROGRESS_EVERY};
use super::record::{Fault, Field, Fields, RecordError, CSV_ENTITY_COLUMNS, CSV_RELATION_COLUMNS};
use crate::plan::Catalog;
use crate::store::catalog::StoreCatalog;
use crate::store::StoreError;

/// The columns of a relation row that name entities.
const ENTITY_COLUMNS: &[&str] = &["subject", "object", "place"];

impl<'t> Importer<'t> {
    pub(super) fn read_csv(
        &mut self,
        reader: impl BufRead,
        progress: &Progress<'_>,
    ) -> Result<(), StoreError> {
        // Cells name entities by their names, looked up as they are read: entities are
        // written as they come, never gathered into a batch.
        self.entity_batch = None;
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(LineCounter::new(reader));
        let headers: Vec<String> = match csv.headers() {
            Ok(headers) => headers
                .iter()
                .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
                .collect(),
            Err(e) => return Err(self.csv_error(e, csv.get_mut())),
        };
        // The header is the first line with content (blank lines before it are skipped).
        let header_line = csv.get_mut().line(Some(0));
        let (kind, allowed) = if headers
            .iter()
            .any(|h| h == "subject" || h == "predicate" || h == "object")
        {
            ("relation", CSV_RELATION_COLUMNS)
        } else if headers.iter().any(|h| h == "id") {
            ("entity", CSV_ENTITY_COLUMNS)
        } else {
            return Err(self.bad(
                header_line,
                None,
                Fault::record(
                    "the header row names neither relation columns (subject, predicate, object, \
                     when, …) nor entity columns (id, kind, name, aliases, weak_aliases)",
                ),
            ));
        };
        for (i, h) in headers.iter().enumerate() {
            if !allowed.contains(&h.as_str()) {
                return Err(self.bad(
                    header_line,
                    Some(i as u64 + 1),
                    Fault::field(
                        h,
                        format!(
                            "unknown column for {kind} rows; the columns are {}",
                            allowed.join(", ")
                        ),
                    ),
                ));
            }
            if headers[..i].contains(h) {
                return Err(self.bad(
                    header_line,
                    Some(i as u64 + 1),
                    Fault::field(h, "column appears twice in the header"),
                ));
            }
        }
        let mut row = csv::StringRecord::new();
        let mut count: u64 = 0;
        loop {
            match csv.read_record(&mut row) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(self.csv_error(e, csv.get_mut())),
            }
            let start = row.position().map(|p| p.byte());
            let line = csv.get_mut().line(start);
            count += 1;
            if count.is_multiple_of(PROGRESS_EVERY) {
                progress.set(row.position().map(|p| p.byte()).unwrap_or(0));
            }
            if row.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            let mut fields: Fields = Vec::with_capacity(headers.len() + 1);
            fields.push((Cow::Borrowed("type"), Field::Str(Cow::Borrowed(kind))));
            for (header, cell) in headers.iter().zip(row.iter()) {
                if cell.is_empty() {
                    continue;
                }
                let value = match header.as_str() {
                    "confidence" => match cell.trim().parse::<f64>() {
                        Ok(x) if x.is_finite() => Field::Number(x),
                        _ => {
                            return Err(self.bad(
                                line,
                                None,
                                Fault::field(
                                    "confidence",
                                    format!("`{cell}` is not a number from 0 to 1"),
                                ),
                            ))
                        }
                    },
                    // Both alias lists take one cell, names separated by `|`.
                    "aliases" | "weak_aliases" => Field::Array(
                        cell.split('|')
                            .map(|a| Field::Str(Cow::Borrowed(a.trim())))
                            .collect(),
                    ),
                    column if kind == "relation" && ENTITY_COLUMNS.contains(&column) => {
                        match self.entity_named(column, cell) {
                            Ok(id) => Field::Str(Cow::Owned(id)),
                            Err(RecordError::Fault(fault)) => {
                                return Err(self.bad(line, None, fault))
                            }
                            Err(RecordError::Store(e)) => return Err(e),
                        }
                    }
                    _ => Field::Str(Cow::Borrowed(cell)),
                };
                fields.push((Cow::Borrowed(header.as_str()), value));
            }
            self.record(&fields, line)?;
        }
        progress.set(csv.position().byte());
        Ok(())
    }

    /// The id of the entity a relation cell names: by its id, else by a name or alias
    /// (normalised as queries normalise them). Unknown or ambiguous, it is a fault with
    /// the names it may mean. Each distinct cell is looked up once.
    fn entity_named(&mut self, column: &str, cell: &str) -> Result<String, RecordError> {
        let text = cell.trim();
        if let Some(id) = self.named.get(text) {
            return Ok(id.to_string());
        }
        let catalog_error = |e: crate::plan::CatalogError| StoreError::Catalog {
            context: "cannot look up the entities a CSV row names",
            reason: e.0,
        };
        let catalog = StoreCatalog::of(self.db);
        let found = catalog.entities_named(text).map_err(catalog_error)?;
        let id = match found.as_slice() {
            [one] => one.id.clone(),
            [] => {
                let like = catalog.entity_suggestions(text).map_err(catalog_error)?;
                let hint = if like.is_empty() {
                    "names are matched ignoring case, accents and Arabic spelling variants"
                        .to_string()
                } else {
                    format!("did you mean {}?", like.join(" or "))
                };
                return Err(Fault::field(
                    column,
                    format!("no entity has the id, name or alias `{text}` ({hint})"),
                )
                .into());
            }
            several => {
                let candidates = catalog.candidates(several, text).map_err(catalog_error)?;
                return Err(Fault::field(
                    column,
                    format!(
                        "`{text}` names {} entities: {}; write the id of the one meant",
                        several.len(),
                        crate::plan::candidates_text(&candidates)
                    ),
                )
                .into());
            }
        };
        if self.named.len() >= ID_CACHE_LIMIT {
            self.named.clear();
        }
        self.named.insert(text.into(), id.as_str().into());
        Ok(id)
    }

    /// `e` as a bad record (an I/O error as itself), at the line `lines` counted for it.
    fn csv_error<R: Read>(&self, e: csv::Error, lines: &mut LineCounter<R>) -> StoreError {
        let line = lines.line(e.position().map(|p| p.byte()));
        let reason = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("the row has {len} cells but the header has {expected_len}"),
            csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8".to_string(),
            csv::ErrorKind::Io(io) => {
                return StoreError::Io {
                    what: format!("cannot read {} near line {line}", self.file),
                    source: std::io::Error::new(io.kind(), io.to_string()),
                }
            }
            _ => format!("invalid CSV: {e}"),
        };
        self.bad(line, None, Fault::record(reason))
    }
}

/// A reader that counts the lines of what the csv crate reads through it, to give each
/// record its line: the crate gives a record the line where the one before it ended,
/// which is one too early after a `\r\n` (it ends a record at the `\r` and counts the
/// `\n` with the next) and after blank lines (which it skips within the next record).
/// A line is what ends with `\n`, as for JSON Lines.
struct LineCounter<R> {
    inner: R,
    /// Bytes read so far.
    read: u64,
    /// `\n` bytes read so far.
    newlines: u64,
    /// Whether the last byte read ended a line (`\r` or `\n`), or nothing was read yet.
    at_line_end: bool,
    /// The lines read but not yet asked for that start with something other than an end
    /// of line (only these can start a record): (the offset of their first byte, their
    /// line). As many as the csv crate's read-ahead holds.
    starts: VecDeque<(u64, u64)>,
}

impl<R> LineCounter<R> {
    fn new(inner: R) -> LineCounter<R> {
        LineCounter {
            inner,
            read: 0,
            newlines: 0,
            at_line_end: true,
            starts: VecDeque::new(),
        }
    }

    /// The line of the record the csv crate places at byte `start` (the end of the record
    /// before it): the first line with content from there on. Records must be asked for
    /// in order. Without a position, or past what was read, the line being read.
    fn line(&mut self, start: Option<u64>) -> u64 {
        if let Some(start) = start {
            while let Some(&(offset, line)) = self.starts.front() {
                self.starts.pop_front();
                if offset >= start {
                    return line;
                }
            }
        }
        self.newlines + 1
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            let line_end = b == b'\n' || b == b'\r';
            if self.at_line_end && !line_end {
                self.starts.push_back((self.read, self.newlines + 1));
            }
            self.newlines += u64::from(b == b'\n');
            self.at_line_end = line_end;
            self.read += 1;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::import::testing::*;

    #[test]
    fn csv_relations_and_entities_import() {
        let mut s = store();
        let sum = csv(
            &mut s,
            "id,kind,name,aliases\na,person,Alpha,Alef|ألف\nb,city,Beta,\n",
        )
        .unwrap();
        assert_eq!(sum.entities.added, 2);
        assert_eq!(count(&s, "alias"), 4);
        let sum = csv(
            &mut s,
            "subject,predicate,object,when,status,confidence,quote\n\
             a,visited,b,2025-04-28,planned,0.5,\"a, quoted \"\"text\"\"\"\n\
             b,hosted,a,,,,\n",
        )
        .unwrap();
        assert_eq!(sum.relations.added, 2);
        assert_eq!(
            sum.new_predicates,
            vec!["visited".to_string(), "hosted".to_string()]
        );
        let (status, confidence, quote): (String, f64, String) = s
            .connection()
            .query_row(
                "SELECT status, confidence, quote FROM relation ORDER BY key LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((status.as_str(), confidence), ("planned", 0.5));
        assert_eq!(quote, "a, quoted \"text\"");
    }

    #[test]
    fn csv_entities_take_weak_aliases_separated_like_aliases() {
        let mut s = store();
        let sum = csv(
            &mut s,
            "id,kind,name,aliases,weak_aliases\nkan,organization,Kan,Kan 11,كان| kan \n",
        )
        .unwrap();
        assert_eq!(sum.entities.added, 1);
        assert_eq!(
            texts(&s, "SELECT text FROM weak_alias ORDER BY ord"),
            ["كان", "kan"]
        );
        assert_eq!(
            texts(&s, "SELECT text FROM alias WHERE is_name = 0"),
            ["Kan 11"]
        );
    }

    #[test]
    fn csv_relations_name_entities_by_id_name_or_alias() {
        let mut s = store();
        jsonl(&mut s, BASE).unwrap();
        let sum = csv(
            &mut s,
            "subject,predicate,object,place\nalpha,visited,BETA,\nألف,visited,b,Beta\n",
        )
        .unwrap();
        assert_eq!(sum.relations.added, 2);
        assert_eq!(
            texts(
                &s,
                "SELECT s.id || ' ' || o.id || ' ' || COALESCE(pl.id, '-') FROM relation r
                 JOIN entity s ON s.key = r.subject JOIN entity o ON o.key = r.object
                 LEFT JOIN entity pl ON pl.key = r.place ORDER BY r.key"
            ),
            ["a b -", "a b b"]
        );
        let (line, field, reason) = bad(csv(
            &mut s,
            "subject,predicate,object\na,visited,b\nAlpah,visited,b\n",
        )
        .unwrap_err());
        assert_eq!((line, field.as_deref()), (3, Some("subject")));
        assert!(reason.contains("did you mean Alpha"), "{reason}");
        // An `id` column gives relations their ids.
        let sum = csv(
            &mut s,
            "id,subject,predicate,object\n70,a,met,b\n,b,met,a\n",
        )
        .unwrap();
        assert_eq!(sum.relations.added, 2);
        assert_eq!(
            texts(
                &s,
                "SELECT CAST(r.key AS TEXT) FROM relation r JOIN predicate p ON p.key = r.predicate
                 WHERE p.id = 'met' ORDER BY r.key"
            ),
            ["70", "71"]
        );
        jsonl(
            &mut s,
            r#"{"type":"entity","id":"c","kind":"city","name":"Beta"}"#,
        )
        .unwrap();
        let (line, field, reason) =
            bad(csv(&mut s, "subject,predicate,object\na,visited,beta\n").unwrap_err());
        assert_eq!((line, field.as_deref()), (2, Some("object")));
        assert!(
            reason.contains(
                "names 2 entities: Beta (b, city, 4 relations); Beta (c, city, 0 relations)"
            ),
            "{reason}"
        );
        assert_eq!(count(&s, "relation"), 4);
    }

    #[test]
    fn csv_errors_name_line_and_column() {
        let mut s = store();
        let (line, field, _) = bad(csv(&mut s, "subject,predicate,object,wen\n").unwrap_err());
        assert_eq!((line, field.as_deref()), (1, Some("wen")));
        csv(&mut s, "id,kind,name\na,person,A\nb,city,B\n").unwrap();
        let (line, field, _) = bad(csv(
            &mut s,
            "subject,predicate,object,confidence\na,p,b,0.5\na,p,b,lots\n",
        )
        .unwrap_err());
        assert_eq!((line, field.as_deref()), (3, Some("confidence")));
        let (line, _, reason) = bad(csv(&mut s, "id,kind,name\na,person\n").unwrap_err());
        assert_eq!(line, 2, "{reason}");
        let (line, _, _) = bad(csv(&mut s, "foo,bar\n1,2\n").unwrap_err());
        assert_eq!(line, 1);
        assert_eq!(count(&s, "entity"), 2);
    }

    #[test]
    fn records_get_their_lines_after_crlf_and_blank_lines() {
        let mut s = store();
        jsonl(&mut s, BASE).unwrap();
        // Each file has a bad third relation row, `Alpah`, on line 6.
        for text in [
            "subject,predicate,object\na,p,b\n\nb,p,a\n\nAlpah,p,b\n",
            "subject,predicate,object\r\na,p,b\r\n\r\nb,p,a\r\n\r\nAlpah,p,b\r\n",
            "\r\nsubject,predicate,object\na,p,b\r\nb,p,a\n\r\nAlpah,p,b",
            "subject,predicate,object\r\na,p,\"b\r\n\"\r\nb,p,a\r\n\r\nAlpah,p,b\r\n",
        ] {
            let (line, field, _) = bad(csv(&mut s, text).unwrap_err());
            assert_eq!((line, field.as_deref()), (6, Some("subject")), "{text:?}");
        }
        // A row of the wrong length, after a header that follows a blank line.
        let (line, _, reason) = bad(csv(&mut s, "\r\nid,kind\r\nc,city,C\r\n").unwrap_err());
        assert_eq!(line, 3, "{reason}");
        let (line, field, _) = bad(csv(&mut s, "\n\nsubject,wen\r\n").unwrap_err());
        assert_eq!((line, field.as_deref()), (3, Some("wen")));
        assert_eq!(count(&s, "relation"), 0);
    }
}
