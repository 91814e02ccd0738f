//! The anchor of a relation's relative dates (ARTICLES.md): its `reported` date, else its
//! source's `published` date. Resolving a stored relation's time against it, when the
//! relation is written and again when its source's `published` date changes.

use super::db::{DbError, Sql};
use super::StoreError;
use crate::model::Status;
use crate::time::phrases::{anchor_day, is_relative, DateContext, RELATION_ANCHOR_ADVICE};
use crate::time::{relation_bounds_at, Day, TimeError, TimeFields};

/// Why a relation's time cannot be resolved: the field, and why.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AnchorFault {
    /// `reported` or a time field (`when`, `from`, `to`, `at`).
    pub(crate) field: &'static str,
    pub(crate) reason: String,
}

/// The day a `reported` or `published` date gives as an anchor: `Ok(None)` for a date
/// wider than a day, which cannot anchor `yesterday`.
fn one_day(text: &str) -> Result<Option<Day>, TimeError> {
    anchor_day(text, None)
}

/// Resolves the time of relation `key` against its anchor and stores its bounds, its
/// `reported` text and the anchor used. `Ok(Err(..))` when the time cannot be resolved
/// (a relative date and no anchor, a `reported` date that is not one day).
pub(crate) fn resolve_relation_time(
    db: &(impl Sql + ?Sized),
    key: i64,
    reported: Option<&str>,
) -> Result<Result<(), AnchorFault>, DbError> {
    let row: Option<([Option<String>; 4], String, Option<String>)> = db.query_opt(
        "SELECT r.when_text, r.from_text, r.to_text, r.at_text, r.status, so.published
             FROM relation r LEFT JOIN source so ON so.key = r.source WHERE r.key = ?1",
        &[&key],
        |r| {
            Ok((
                [r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?],
                r.get(4)?,
                r.get(5)?,
            ))
        },
    )?;
    let Some((texts, status, published)) = row else {
        return Ok(Ok(()));
    };
    let (anchor, advice) = match (reported, published.as_deref()) {
        (Some(text), _) => match one_day(text) {
            Ok(Some(day)) => (Some(day), RELATION_ANCHOR_ADVICE.to_string()),
            Ok(None) => {
                return Ok(Err(AnchorFault {
                    field: "reported",
                    reason: format!(
                        "`{text}` is not one day; give the day the report was made, e.g. \
                         reported 2025-04-28"
                    ),
                }))
            }
            Err(e) => {
                return Ok(Err(AnchorFault {
                    field: "reported",
                    reason: e.to_string(),
                }))
            }
        },
        (None, Some(text)) => match one_day(text) {
            Ok(Some(day)) => (Some(day), RELATION_ANCHOR_ADVICE.to_string()),
            _ => (
                None,
                format!(
                    "its source's `published` date (`{text}`) is not one day; give `reported D` \
                     on the relation"
                ),
            ),
        },
        (None, None) => (None, RELATION_ANCHOR_ADVICE.to_string()),
    };
    let fields = TimeFields {
        when: texts[0].as_deref(),
        from: texts[1].as_deref(),
        to: texts[2].as_deref(),
        at: texts[3].as_deref(),
    };
    let context = DateContext {
        anchor,
        planned: status == Status::Planned.as_str(),
        advice: &advice,
    };
    let bounds = match relation_bounds_at(&fields, &context) {
        Ok(bounds) => bounds,
        Err(TimeError::InField { field, source }) => {
            return Ok(Err(AnchorFault {
                field,
                reason: source.to_string(),
            }))
        }
        Err(e) => {
            return Ok(Err(AnchorFault {
                field: "when",
                reason: e.to_string(),
            }))
        }
    };
    let relative = texts.iter().flatten().any(|t| is_relative(t));
    let [start_lo, start_hi, end_lo, end_hi] = match bounds {
        Some(b) => [
            Some(b.start_lo),
            Some(b.start_hi),
            Some(b.end_lo),
            Some(b.end_hi),
        ],
        None => [None; 4],
    };
    db.execute(
        "UPDATE relation SET start_lo = ?2, start_hi = ?3, end_lo = ?4, end_hi = ?5,
             reported = ?6, anchor = ?7
         WHERE key = ?1",
        &[
            &key,
            &start_lo,
            &start_hi,
            &end_lo,
            &end_hi,
            &reported,
            &if relative { anchor } else { None },
        ],
    )?;
    Ok(Ok(()))
}

/// Resolves again the relative dates of the relations of source `source` that count from
/// its `published` date (those without a `reported` date of their own), after that date
/// changed. `before` is called with each relation's key before its row changes (the
/// write engine keeps its version there). Returns the keys of the relations resolved
/// again; a fault names the relation's key.
pub(crate) fn reanchor_source(
    db: &(impl Sql + ?Sized),
    source: i64,
    mut before: impl FnMut(i64) -> Result<(), StoreError>,
) -> Result<Result<Vec<i64>, (i64, AnchorFault)>, StoreError> {
    let err = StoreError::db("cannot resolve the dates of the source's relations again");
    let keys: Vec<i64> = db
        .query_map(
            "SELECT key FROM relation WHERE source = ?1 AND reported IS NULL
                 AND (anchor IS NOT NULL OR (start_lo IS NULL AND (when_text IS NOT NULL
                      OR from_text IS NOT NULL OR to_text IS NOT NULL OR at_text IS NOT NULL)))
             ORDER BY key",
            &[&source],
            |r| r.get(0),
        )
        .map_err(err)?;
    for &key in &keys {
        before(key)?;
        if let Err(fault) = resolve_relation_time(db, key, None).map_err(err)? {
            return Ok(Err((key, fault)));
        }
    }
    Ok(Ok(keys))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ImportFormat, ImportOptions, Store};

    const ARTICLE: &str = r#"{"type":"entity","id":"a","kind":"person","name":"A"}
{"type":"source","id":"art","title":"T","published":"2025-04-28"}
{"type":"relation","subject":"a","predicate":"met","object":"a","when":"نوفمبر الماضي","source":"art"}
{"type":"relation","subject":"a","predicate":"saw","object":"a","when":"yesterday","reported":"2025-05-02","source":"art"}
{"type":"relation","subject":"a","predicate":"knew","object":"a","when":"2020","source":"art"}
"#;

    fn bounds(store: &Store) -> Vec<(Option<i64>, Option<i64>, Option<i64>)> {
        store
            .connection()
            .prepare("SELECT start_lo, end_hi, anchor FROM relation ORDER BY key")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn day(text: &str) -> Option<i64> {
        Some(crate::time::parse_date(text).unwrap().range().0)
    }

    #[test]
    fn a_corrected_published_date_moves_the_relations_that_count_from_it() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .import(
                ARTICLE.as_bytes(),
                ImportFormat::JsonLines,
                "a.jsonl",
                ImportOptions::default(),
            )
            .unwrap();
        let before = bounds(&store);
        assert_eq!(
            before[0],
            (day("2024-11-01"), day("2024-11-30"), day("2025-04-28"))
        );
        assert_eq!(
            before[1],
            (day("2025-05-01"), day("2025-05-01"), day("2025-05-02"))
        );
        assert_eq!(before[2], (day("2020-01-01"), day("2020-12-31"), None));

        let conn = store.connection();
        conn.execute(
            "UPDATE source SET published = '2026-01-15' WHERE id = 'art'",
            [],
        )
        .unwrap();
        let source: i64 = conn
            .query_row("SELECT key FROM source WHERE id = 'art'", [], |r| r.get(0))
            .unwrap();
        let mut seen = Vec::new();
        let moved = reanchor_source(conn, source, |key| {
            seen.push(key);
            Ok::<_, StoreError>(())
        });
        assert_eq!(moved.unwrap(), Ok(vec![1]));
        assert_eq!(seen, [1]);
        let after = bounds(&store);
        // November before January 2026; `reported` and written dates stay.
        assert_eq!(
            after[0],
            (day("2025-11-01"), day("2025-11-30"), day("2026-01-15"))
        );
        assert_eq!(after[1..], before[1..]);

        store
            .connection()
            .execute("UPDATE source SET published = '2026' WHERE id = 'art'", [])
            .unwrap();
        let refused = reanchor_source(store.connection(), source, |_| Ok::<_, StoreError>(()))
            .unwrap()
            .unwrap_err();
        assert_eq!(refused.1.field, "when");
        assert!(
            refused.1.reason.contains("not one day"),
            "{}",
            refused.1.reason
        );
    }
}
