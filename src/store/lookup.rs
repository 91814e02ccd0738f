//! Lookups in the catalogue as rows: `describe ENTITY` (everything the store holds about
//! one entity), `entities [kind K] [like "text"]`, `predicates` and `sources`. The
//! columns are the plan's ([`crate::plan::DESCRIBE_COLUMNS`] and the others).

use std::collections::HashMap;

use super::db::{dialect, Db, DbError, Row as DbRow};
use super::{Store, StoreError};
use crate::model::Status;
use crate::plan::{self, EntityRef};
use crate::value::{ResultSet, Row, Value};

fn err(e: DbError) -> StoreError {
    StoreError::db("cannot look up the catalogue")(e)
}

fn text_or_null(t: Option<String>) -> Value {
    t.map_or(Value::Null, Value::Text)
}

fn count(n: u64) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn result(columns: &[&str], rows: Vec<Vec<Value>>) -> ResultSet {
    ResultSet {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: rows.into_iter().map(Row::from).collect(),
        ..ResultSet::default()
    }
}

/// What one pass over an entity's relations gathers for `describe`.
#[derive(Default)]
struct Tally {
    /// Relations by (predicate key, status).
    by_predicate: HashMap<PredicateStatus, u64>,
    /// Relations by source key.
    by_source: HashMap<i64, u64>,
    /// The dated relation that starts first and the one that starts last, as
    /// (start_lo, key).
    first: Option<(i64, i64)>,
    last: Option<(i64, i64)>,
}

impl Tally {
    fn add(
        &mut self,
        key: i64,
        predicate: i64,
        status: String,
        source: Option<i64>,
        start: Option<i64>,
    ) {
        *self.by_predicate.entry((predicate, status)).or_default() += 1;
        if let Some(source) = source {
            *self.by_source.entry(source).or_default() += 1;
        }
        // An unknown start is no date to order by.
        if let Some(start) = start.filter(|s| *s != crate::time::NEG_INF) {
            if self.first.is_none_or(|f| (start, key) < f) {
                self.first = Some((start, key));
            }
            if self.last.is_none_or(|l| (start, key) > l) {
                self.last = Some((start, key));
            }
        }
    }
}

impl Store {
    /// `describe`: the rows of [`plan::DESCRIBE_COLUMNS`] about `entity`. `asked` is the
    /// entity named when it was merged into `entity`.
    pub fn describe(
        &self,
        entity: &EntityRef,
        asked: Option<&EntityRef>,
    ) -> Result<ResultSet, StoreError> {
        let conn = self.db();
        let mut rows: Vec<Vec<Value>> = Vec::new();
        let mut row = |field: &str, value: Value, detail: Value, n: Value| {
            rows.push(vec![Value::Text(field.into()), value, detail, n]);
        };
        row(
            "id",
            Value::Text(entity.id.clone()),
            Value::Null,
            Value::Null,
        );
        row(
            "kind",
            Value::Text(entity.kind.clone()),
            Value::Null,
            Value::Null,
        );
        row(
            "name",
            Value::Text(entity.name.clone()),
            Value::Text(crate::names::script(&entity.name).into()),
            Value::Null,
        );
        if let Some(asked) = asked {
            row(
                "asked",
                Value::Text(asked.id.clone()),
                Value::Text(format!("merged into {}: described as it", entity.id)),
                Value::Null,
            );
        }
        for (id, name) in pairs(
            conn,
            "SELECT id, name FROM entity WHERE merged_into = ?1 ORDER BY id",
            entity.key,
        )? {
            row("merged", Value::Text(id), Value::Text(name), Value::Null);
        }
        for (text, _) in pairs(
            conn,
            // The empty text named: Citus sends it to a node as `''::text`, a column
            // PostgreSQL names `text` after its type, and `ORDER BY text` was ambiguous.
            "SELECT text, '' AS unused FROM alias WHERE entity = ?1 AND is_name = 0 \
             ORDER BY ord, text",
            entity.key,
        )? {
            let script = crate::names::script(&text);
            row(
                "alias",
                Value::Text(text),
                Value::Text(script.into()),
                Value::Null,
            );
        }
        let note: Option<String> = conn
            .query_row(
                "SELECT note FROM entity WHERE key = ?1",
                &[&entity.key],
                |r| r.get(0),
            )
            .map_err(err)?;
        if let Some(note) = note {
            row("note", Value::Text(note), Value::Null, Value::Null);
        }
        let tally = tally(conn, entity.key)?;
        let predicates = ids(conn, "SELECT key, id FROM predicate")?;
        let mut by_predicate: Vec<(String, String, u64)> = tally
            .by_predicate
            .iter()
            .map(|((p, status), n)| {
                let id = predicates.get(p).cloned().unwrap_or_default();
                (id, status.clone(), *n)
            })
            .collect();
        // The biggest first; then by predicate and status, so the order is fixed.
        by_predicate.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (&a.0, &a.1).cmp(&(&b.0, &b.1))));
        for (predicate, status, n) in by_predicate {
            row(
                "relations",
                Value::Text(predicate),
                Value::Text(status),
                count(n),
            );
        }
        for (field, found) in [("first", tally.first), ("last", tally.last)] {
            if let Some((_, key)) = found {
                let (said, when) = relation_said(conn, key)?;
                row(field, Value::Text(said), text_or_null(when), Value::Null);
            }
        }
        let sources = source_titles(conn)?;
        let mut by_source: Vec<(String, Option<String>, u64)> = tally
            .by_source
            .iter()
            .map(|(s, n)| {
                let (id, title) = sources.get(s).cloned().unwrap_or_default();
                (id, title, *n)
            })
            .collect();
        by_source.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        for (id, title, n) in by_source {
            row("source", Value::Text(id), text_or_null(title), count(n));
        }
        Ok(result(plan::DESCRIBE_COLUMNS, rows))
    }

    /// `entities [kind K] [like "text"]`: rows of [`plan::ENTITIES_COLUMNS`] in order of
    /// id. `like` (normalised) matches a name or alias that starts with it or has a word
    /// that starts with it; a merged entity's names answer as its target.
    pub fn entities(
        &self,
        kind: Option<&str>,
        like: Option<&str>,
    ) -> Result<ResultSet, StoreError> {
        let conn = self.db();
        let Some(like) = like.filter(|l| !l.is_empty()) else {
            let rows = conn
                .query_map(
                    "SELECT id, kind, name FROM entity WHERE merged_into IS NULL \
                     AND (CAST(?1 AS TEXT) IS NULL OR kind = ?1) ORDER BY id",
                    &[&kind],
                    |r| {
                        Ok(vec![
                            Value::Text(r.get(0)?),
                            Value::Text(r.get(1)?),
                            Value::Text(r.get(2)?),
                            Value::Null,
                        ])
                    },
                )
                .map_err(err)?;
            return Ok(result(plan::ENTITIES_COLUMNS, rows));
        };
        let first_word = like.split(' ').next().unwrap_or(like);
        let upper = |p: &str| super::catalog::upper_bound(conn.dialect(), p);
        // Names starting with `like` (alias_norm), and names with a later word starting
        // with it (name_word): two range scans of indexes, never a scan of every name.
        let found: Vec<(String, String, String, String, bool)> = conn
            .query_map(
                &format!(
                    "SELECT e.id, e.kind, e.name, a.text, a.is_name FROM alias a \
                     JOIN entity m ON m.key = a.entity \
                     JOIN entity e ON e.key = COALESCE(m.merged_into, m.key) \
                     WHERE a.norm >= ?1 AND a.norm < ?2 \
                       AND (CAST(?5 AS TEXT) IS NULL OR e.kind = ?5) \
                     UNION \
                     SELECT e.id, e.kind, e.name, a.text, a.is_name FROM name_word w \
                     JOIN alias a ON a.entity = w.entity \
                     JOIN entity m ON m.key = a.entity \
                     JOIN entity e ON e.key = COALESCE(m.merged_into, m.key) \
                     WHERE w.word >= ?3 AND w.word < ?4 AND {}(' ' || a.norm, ' ' || ?1) > 0 \
                       AND (CAST(?5 AS TEXT) IS NULL OR e.kind = ?5)",
                    dialect::position_function(conn.dialect())
                ),
                &[&like, &upper(like), &first_word, &upper(first_word), &kind],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get::<i64>(4)? != 0,
                    ))
                },
            )
            .map_err(err)?;
        // One row per entity: its display name if that matched, else its first alias
        // that did.
        let mut best: std::collections::BTreeMap<String, (String, String, String, bool)> =
            std::collections::BTreeMap::new();
        for (id, kind, name, text, is_name) in found {
            let better = match best.get(&id) {
                None => true,
                Some((_, _, have, have_name)) => (!is_name, &text) < (!*have_name, have),
            };
            if better {
                best.insert(id, (kind, name, text, is_name));
            }
        }
        let rows = best
            .into_iter()
            .map(|(id, (kind, name, text, _))| {
                vec![
                    Value::Text(id),
                    Value::Text(kind),
                    Value::Text(name),
                    Value::Text(text),
                ]
            })
            .collect();
        Ok(result(plan::ENTITIES_COLUMNS, rows))
    }

    /// `predicates`: rows of [`plan::predicates_columns`] in order of id.
    pub fn predicates(&self) -> Result<ResultSet, StoreError> {
        let conn = self.db();
        // Kept by triggers (schema 15): a read of a few rows, not of every relation.
        let counts: HashMap<PredicateStatus, u64> = conn
            .query_map(
                "SELECT predicate, status, n FROM predicate_count",
                &[],
                |r| {
                    let n: i64 = r.get(2)?;
                    Ok(((r.get(0)?, r.get(1)?), u64::try_from(n).unwrap_or(0)))
                },
            )
            .map_err(err)?
            .into_iter()
            .collect();
        // `symmetric` is quoted: a reserved word in PostgreSQL.
        let listed: Vec<(i64, String, Option<String>, bool)> = conn
            .query_map(
                "SELECT key, id, label, \"symmetric\" FROM predicate ORDER BY id",
                &[],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<i64>(3)? != 0)),
            )
            .map_err(err)?;
        let rows = listed
            .into_iter()
            .map(|(key, id, label, symmetric)| {
                let of =
                    |status: &str| counts.get(&(key, status.to_string())).copied().unwrap_or(0);
                let mut row = vec![
                    Value::Text(id),
                    text_or_null(label),
                    Value::Text(if symmetric { "yes" } else { "no" }.into()),
                    count(Status::WORDS.iter().map(|s| of(s)).sum()),
                ];
                row.extend(Status::WORDS.iter().map(|s| count(of(s))));
                row
            })
            .collect();
        Ok(result(&plan::predicates_columns(), rows))
    }

    /// `sources`: rows of [`plan::SOURCES_COLUMNS`] in order of id.
    pub fn sources(&self) -> Result<ResultSet, StoreError> {
        let rows = self
            .db()
            .query_map(
                // The counts kept by triggers (schema 15).
                "SELECT s.id, s.title, s.published, s.lang, s.url, COALESCE(n.n, 0) FROM source s \
                 LEFT JOIN source_count n ON n.source = s.key ORDER BY s.id",
                &[],
                |r| {
                    Ok(vec![
                        Value::Text(r.get(0)?),
                        text_or_null(r.get(1)?),
                        text_or_null(r.get(2)?),
                        text_or_null(r.get(3)?),
                        text_or_null(r.get(4)?),
                        Value::Int(r.get(5)?),
                    ])
                },
            )
            .map_err(err)?;
        Ok(result(plan::SOURCES_COLUMNS, rows))
    }
}

/// A predicate's key and a status.
type PredicateStatus = (i64, String);

/// The two text columns of the rows `sql` gives for `key`.
fn pairs(conn: &Db, sql: &str, key: i64) -> Result<Vec<(String, String)>, StoreError> {
    conn.query_map(sql, &[&key], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(err)
}

/// Key → id of every row of a small table (predicates).
fn ids(conn: &Db, sql: &str) -> Result<HashMap<i64, String>, StoreError> {
    Ok(conn
        .query_map(sql, &[], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(err)?
        .into_iter()
        .collect())
}

/// Key → (id, title) of every source.
fn source_titles(conn: &Db) -> Result<HashMap<i64, (String, Option<String>)>, StoreError> {
    Ok(conn
        .query_map("SELECT key, id, title FROM source", &[], |r| {
            Ok((r.get(0)?, (r.get(1)?, r.get(2)?)))
        })
        .map_err(err)?
        .into_iter()
        .collect())
}

/// One pass over the relations `key` takes part in (a relation with itself once), read
/// from the index entries alone: the subject's from `relation_pair`, the object's from
/// `relation_object`, both holding every column read here (schema 15).
fn tally(conn: &Db, key: i64) -> Result<Tally, StoreError> {
    let mut tally = Tally::default();
    conn.for_each(
        "SELECT key, predicate, status, source, start_lo FROM relation WHERE subject = ?1 \
         UNION ALL \
         SELECT key, predicate, status, source, start_lo FROM relation \
         WHERE object = ?1 AND subject <> ?1",
        &[&key],
        |r: &DbRow<'_>| {
            tally.add(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            Ok::<(), DbError>(())
        },
    )
    .map_err(err)?;
    Ok(tally)
}

/// A relation in words, `Masoud Pezeshkian visited Baku (#12)`, and its time as written.
fn relation_said(conn: &Db, key: i64) -> Result<(String, Option<String>), StoreError> {
    let sql = format!(
        "SELECT s.name || ' ' || p.id || ' ' || o.name || ' (#' || r.key || ')', {} \
         FROM relation r JOIN entity s ON s.key = r.subject JOIN entity o ON o.key = r.object \
         JOIN predicate p ON p.key = r.predicate WHERE r.key = ?1",
        crate::model::time_as_written_sql("r")
    );
    conn.query_row(&sql, &[&key], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(err)
}
