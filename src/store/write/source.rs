//! `correct source`: new values for a source's fields, its id kept and its old version in
//! history; a new `published` date resolves again, in the same change, the relative dates
//! of the source's relations that count from it (ARTICLES.md, "The anchor"), each
//! relation's old version kept as `correct` keeps it.

use serde_json::{Map, Value};

use super::versions::Table;
use super::{checked, db, WriteReport, Writer};
use crate::store::anchor::{reanchor_source, AnchorFault};
use crate::store::import::fields::CheckedRecord;
use crate::store::StoreError;
use crate::time::phrases::anchor_day;

/// The fields of a source record besides `type` and `id`, as the `source` table's columns
/// hold them.
const FIELDS: [&str; 5] = ["title", "published", "lang", "url", "note"];

impl Writer<'_> {
    /// `correct source ID`: the given fields on top of the stored source, checked again by
    /// the import's rules.
    pub(super) fn correct_source(
        &self,
        id: &str,
        given: &Map<String, Value>,
    ) -> Result<WriteReport, StoreError> {
        let key = self.source_key(id)?;
        let stored = self.source_record(key, id)?;
        let mut record = stored.clone();
        for (field, value) in given {
            if !FIELDS.contains(&field.as_str()) {
                return Err(StoreError::BadWrite {
                    field: Some(field.clone()),
                    reason: format!(
                        "`correct source` changes a source's {}; not its {field}",
                        FIELDS.join(", ")
                    ),
                });
            }
            if value.is_null() {
                record.remove(field);
            } else {
                record.insert(field.clone(), value.clone());
            }
        }
        if record == stored {
            return Ok(WriteReport::said(format!(
                "source `{id}` already says that (already recorded); nothing changed"
            )));
        }
        let CheckedRecord::Source(s) = checked(&record)? else {
            return Err(StoreError::Corrupt {
                what: format!("reads source `{id}` back as another kind of record"),
            });
        };
        self.keep(Table::Source, key)?;
        let (lo, hi) = s.published_range.unzip();
        self.db
            .execute(
                "UPDATE source SET title = ?2, published = ?3, published_lo = ?4, \
                 published_hi = ?5, lang = ?6, url = ?7, note = ?8, since_change = ?9 \
                 WHERE key = ?1",
                &[
                    &key,
                    &s.title,
                    &s.published,
                    &lo,
                    &hi,
                    &s.lang,
                    &s.url,
                    &s.note,
                    &self.change,
                ],
            )
            .map_err(db)?;
        let mut report = WriteReport::changed(format!("corrected source `{id}`"), Vec::new());
        if stored.get("published") != record.get("published") {
            report = report.and(self.reanchor(key, id, s.published.as_deref())?);
        }
        Ok(report)
    }

    /// Resolves again the relative dates of the relations that count from source `key`'s
    /// `published` date (now `published`), keeping each one's old version.
    fn reanchor(
        &self,
        key: i64,
        id: &str,
        published: Option<&str>,
    ) -> Result<WriteReport, StoreError> {
        let moved = reanchor_source(self.db, key, |relation| {
            self.keep(Table::Relation, relation)
        })?;
        let keys = moved.map_err(|(relation, fault)| refusal(id, published, relation, fault))?;
        for &relation in &keys {
            self.touch(Table::Relation, relation)?;
        }
        if keys.is_empty() {
            return Ok(WriteReport::default());
        }
        let handles: Vec<String> = keys.iter().map(|k| format!("#{k}")).collect();
        Ok(WriteReport::changed(
            format!(
                "resolved again the relative dates of {} (they count from `published`)",
                handles.join(", ")
            ),
            keys,
        ))
    }

    /// Source `key` (id `id`) as a record of the data format.
    fn source_record(&self, key: i64, id: &str) -> Result<Map<String, Value>, StoreError> {
        let row: Option<[Option<String>; 5]> = self
            .db
            .query_opt(
                "SELECT title, published, lang, url, note FROM source WHERE key = ?1",
                &[&key],
                |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]),
            )
            .map_err(db)?;
        let Some(values) = row else {
            return Err(StoreError::UnknownId {
                what: "source",
                id: id.to_string(),
            });
        };
        let mut record = Map::new();
        record.insert("type".into(), "source".into());
        record.insert("id".into(), id.into());
        for (field, value) in FIELDS.into_iter().zip(values) {
            if let Some(value) = value {
                record.insert(field.into(), value.into());
            }
        }
        Ok(record)
    }
}

/// Why source `id`'s new `published` date cannot stand: relation `relation` counts its
/// relative date from it and cannot be resolved against it.
fn refusal(id: &str, published: Option<&str>, relation: i64, fault: AnchorFault) -> StoreError {
    let why = match published {
        Some(text) if matches!(anchor_day(text, None), Ok(Some(_))) => fault.reason,
        Some(text) => format!("`{text}` is not one day"),
        None => "the source would have none".to_string(),
    };
    StoreError::BadWrite {
        field: Some("published".into()),
        reason: format!(
            "#{relation} counts its relative `{}` from source `{id}`'s `published` date, \
             which cannot anchor it: {why}. Give one day (e.g. published 2025-04-28), or \
             first give #{relation} a date of its own (`correct #{relation} reported D`)",
            fault.field
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::WriteOp;

    /// Source `art` published 2025-04-28: #3 counts `last November` from it, #4 has its
    /// own `reported` date, #5 a written date; #6 counts from another source.
    const ARTICLE: &str = r#"{"type":"source","id":"art","title":"Article","published":"2025-04-28","lang":"ar"}
{"type":"source","id":"other","title":"Other","published":"2025-04-28"}
{"type":"relation","subject":"a","predicate":"visited","object":"d","when":"last November","source":"art"}
{"type":"relation","subject":"c","predicate":"visited","object":"d","when":"yesterday","reported":"2025-05-02","source":"art"}
{"type":"relation","subject":"c","predicate":"visited","object":"b","when":"2020","source":"art"}
{"type":"relation","subject":"b","predicate":"visited","object":"d","when":"last November","source":"other"}
"#;

    fn correct_source(id: &str, fields: &str) -> WriteOp {
        WriteOp::CorrectSource {
            id: id.into(),
            fields: json(fields),
        }
    }

    /// Each relation's key, bounds as days and anchor.
    fn times(s: &Store) -> Vec<String> {
        rows(
            s,
            "SELECT key, date(start_lo * 86400, 'unixepoch'), date(end_hi * 86400, 'unixepoch'), anchor, \
             since_change FROM relation ORDER BY key",
        )
    }

    fn article() -> Store {
        store_with(&format!("{BASE}{ARTICLE}"))
    }

    #[test]
    fn a_new_published_date_moves_the_relations_that_count_from_it_and_undo_restores_them() {
        let mut s = article();
        let before = (snapshot(&s), times(&s));
        let report = write(
            &mut s,
            correct_source(
                "art",
                r#"{"published":"2026-01-15","title":"Article, corrected"}"#,
            ),
        )
        .unwrap();
        assert!(report.changed);
        assert_eq!(report.ids, [3]);
        assert_eq!(
            report.messages,
            [
                "corrected source `art`",
                "resolved again the relative dates of #3 (they count from `published`)"
            ]
        );
        let after = times(&s);
        // November before January 2026; the other relations as they were.
        assert!(
            after[2].starts_with("3|2025-11-01|2025-11-30|"),
            "{after:?}"
        );
        assert!(after[2].ends_with("|2"), "made by change 2: {after:?}");
        assert_eq!(after[..2], before.1[..2]);
        assert_eq!(after[3..], before.1[3..]);
        assert_eq!(
            rows(
                &s,
                "SELECT title, published, lang FROM source WHERE id = 'art'"
            ),
            ["Article, corrected|2026-01-15|ar"]
        );
        // The old versions are in history, ended by change 2.
        assert_eq!(
            rows(
                &s,
                "SELECT published, until_change FROM source_version WHERE id = 'art'"
            ),
            ["2025-04-28|2"]
        );
        assert_eq!(
            rows(
                &s,
                "SELECT id, date(start_lo * 86400, 'unixepoch'), until_change FROM relation_version"
            ),
            ["3|2024-11-01|2"]
        );

        write(&mut s, WriteOp::Undo { change: None }).unwrap();
        assert_eq!((snapshot(&s), times(&s).len()), (before.0, before.1.len()));
        let restored = times(&s);
        assert!(
            restored[2].starts_with("3|2024-11-01|2024-11-30|20206|"),
            "the old anchor too: {restored:?}"
        );
    }

    #[test]
    fn a_source_that_already_says_so_changes_nothing() {
        let mut s = article();
        let before = snapshot(&s);
        let report = write(
            &mut s,
            correct_source("art", r#"{"published":"2025-04-28","lang":"ar"}"#),
        )
        .unwrap();
        assert!(!report.changed);
        assert_eq!(
            report.messages,
            ["source `art` already says that (already recorded); nothing changed"]
        );
        assert_eq!(snapshot(&s), before);
        // Another field only: no relation is resolved again.
        let report = write(&mut s, correct_source("art", r#"{"url":"https://x"}"#)).unwrap();
        assert_eq!(report.messages, ["corrected source `art`"]);
        assert!(report.ids.is_empty());
    }

    #[test]
    fn a_published_date_that_cannot_anchor_is_refused_and_the_store_is_unchanged() {
        let mut s = article();
        let before = (snapshot(&s), times(&s));
        let err = write(&mut s, correct_source("art", r#"{"published":"2026"}"#)).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("#3 counts its relative `when`"), "{text}");
        assert!(text.contains("not one day"), "{text}");
        assert!(text.contains("correct #3 reported D"), "{text}");
        assert_eq!((snapshot(&s), times(&s)), before);
        // A source no relation counts from may have a year.
        write(&mut s, correct_source("s1", r#"{"published":"2025"}"#)).unwrap();
        let err = write(
            &mut s,
            correct_source("art", r#"{"published":"yesterday"}"#),
        )
        .unwrap_err();
        assert!(err.to_string().contains("published"), "{err}");
        let err = write(&mut s, correct_source("nope", r#"{"lang":"en"}"#)).unwrap_err();
        assert!(
            matches!(err, StoreError::UnknownId { what: "source", .. }),
            "{err}"
        );
        let err = write(&mut s, correct_source("art", r#"{"id":"new"}"#)).unwrap_err();
        assert!(err.to_string().contains("not its id"), "{err}");
    }
}
