//! The anchor of a relation's relative dates (ARTICLES.md): its `reported` date, else its
//! source's `published` date. Resolving a stored relation's time against it, when the
//! relation is written and again when its source's `published` date changes.

use rusqlite::{params, Connection, OptionalExtension};

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
    conn: &Connection,
    key: i64,
    reported: Option<&str>,
) -> Result<Result<(), AnchorFault>, rusqlite::Error> {
    let row: Option<([Option<String>; 4], String, Option<String>)> = conn
        .prepare_cached(
            "SELECT r.when_text, r.from_text, r.to_text, r.at_text, r.status, so.published
             FROM relation r LEFT JOIN source so ON so.key = r.source WHERE r.key = ?1",
        )?
        .query_row([key], |r| {
            Ok((
                [r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?],
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .optional()?;
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
    conn.prepare_cached(
        "UPDATE relation SET start_lo = ?2, start_hi = ?3, end_lo = ?4, end_hi = ?5,
             reported = ?6, anchor = ?7
         WHERE key = ?1",
    )?
    .execute(params![
        key,
        start_lo,
        start_hi,
        end_lo,
        end_hi,
        reported,
        if relative { anchor } else { None }
    ])?;
    Ok(Ok(()))
}

/// Resolves again the relative dates of the relations of source `source` that count from
/// its `published` date (those without a `reported` date of their own), after that date
/// changed. Returns how many were resolved; a fault names the relation's key.
pub(crate) fn reanchor_source(
    conn: &Connection,
    source: i64,
) -> Result<Result<usize, (i64, AnchorFault)>, rusqlite::Error> {
    let keys: Vec<i64> = conn
        .prepare_cached(
            "SELECT key FROM relation WHERE source = ?1 AND reported IS NULL
                 AND (anchor IS NOT NULL OR (start_lo IS NULL AND (when_text IS NOT NULL
                      OR from_text IS NOT NULL OR to_text IS NOT NULL OR at_text IS NOT NULL)))",
        )?
        .query_map([source], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for &key in &keys {
        if let Err(fault) = resolve_relation_time(conn, key, None)? {
            return Ok(Err((key, fault)));
        }
    }
    Ok(Ok(keys.len()))
}
