//! Running a compiled statement: binds its parameters, reads its rows as typed values;
//! and SQLite's query plan for it.

use std::collections::HashMap;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Statement};

use crate::plan::ColumnType;
use crate::sql::{SqlParam, SqlQuery};
use crate::time;
use crate::value::{ResultSet, Row, Value};

use super::{Store, StoreError};

/// One step of SQLite's plan for a query: what it does, nested `depth` steps deep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPlanStep {
    pub depth: usize,
    pub detail: String,
}

impl Store {
    /// Runs a compiled query on the store and collects its rows: the store's stage of a
    /// statement ([`Store::for_each_row`] hands them over one at a time instead).
    pub fn query(&self, q: &SqlQuery) -> Result<ResultSet, StoreError> {
        run(self.connection(), q)
    }

    /// Runs `q` and hands each row to `f` as it comes, so that output can stream.
    /// SQLite's failures come as [`StoreError::Query`].
    pub fn for_each_row<E: From<StoreError>>(
        &self,
        q: &SqlQuery,
        f: impl FnMut(Row) -> Result<(), E>,
    ) -> Result<(), E> {
        for_each_row(self.connection(), q, f)
    }

    /// SQLite's plan for `q` (`EXPLAIN QUERY PLAN`), step by step in SQLite's order.
    pub fn query_plan(&self, q: &SqlQuery) -> Result<Vec<QueryPlanStep>, StoreError> {
        let err = StoreError::query;
        let mut stmt = self
            .connection()
            .prepare(&format!("EXPLAIN QUERY PLAN {}", q.text))
            .map_err(err)?;
        bind(&mut stmt, q).map_err(err)?;
        let mut rows = stmt.raw_query();
        let mut depth: HashMap<i64, usize> = HashMap::new();
        let mut steps = Vec::new();
        while let Some(row) = rows.next().map_err(err)? {
            let id: i64 = row.get(0).map_err(err)?;
            let parent: i64 = row.get(1).map_err(err)?;
            let detail: String = row.get(3).map_err(err)?;
            let d = depth.get(&parent).map(|d| d + 1).unwrap_or(0);
            depth.insert(id, d);
            steps.push(QueryPlanStep { depth: d, detail });
        }
        Ok(steps)
    }
}

/// Binds the query's parameters, in order, to `stmt`.
fn bind(stmt: &mut Statement<'_>, q: &SqlQuery) -> rusqlite::Result<()> {
    for (i, p) in q.params.iter().enumerate() {
        match p {
            SqlParam::Int(v) => stmt.raw_bind_parameter(i + 1, v)?,
            SqlParam::Text(v) => stmt.raw_bind_parameter(i + 1, v.as_str())?,
            SqlParam::Real(v) => stmt.raw_bind_parameter(i + 1, v)?,
        }
    }
    Ok(())
}

/// Runs `q` on `conn` and collects its rows.
fn run(conn: &Connection, q: &SqlQuery) -> Result<ResultSet, StoreError> {
    let mut result = ResultSet {
        columns: q.columns.iter().map(|c| c.name.clone()).collect(),
        timeline: q.timeline,
        timed: q.timeline,
        ..ResultSet::default()
    };
    for_each_row::<StoreError>(conn, q, |row| {
        result.rows.push(row);
        Ok(())
    })?;
    Ok(result)
}

fn for_each_row<E: From<StoreError>>(
    conn: &Connection,
    q: &SqlQuery,
    mut f: impl FnMut(Row) -> Result<(), E>,
) -> Result<(), E> {
    let err = |e| E::from(StoreError::query(e));
    // Queries of one shape compile to the same text: the prepared statement is reused.
    let mut stmt = conn.prepare_cached(&q.text).map_err(err)?;
    bind(&mut stmt, q).map_err(err)?;
    let n = q.columns.len();
    // A `show` left to the reader: its columns are picked from the statement's, and the
    // hidden columns follow all of those.
    let (picks, width) = match &q.projection {
        Some(p) => (Some(p.picks.as_slice()), p.width),
        None => (None, n),
    };
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next().map_err(err)? {
        let mut out = Vec::with_capacity(n);
        for (i, c) in q.columns.iter().enumerate() {
            let from = picks.and_then(|p| p.get(i).copied()).unwrap_or(i);
            out.push(cell(row.get_ref(from).map_err(err)?, c.ty));
        }
        let mut found = Row::from(out);
        let mut next = width;
        if q.timeline {
            let mut b = [0i64; 4];
            let mut known = true;
            for (k, slot) in b.iter_mut().enumerate() {
                match row.get_ref(width + k).map_err(err)? {
                    ValueRef::Integer(v) => *slot = v,
                    _ => known = false,
                }
            }
            found.time = known.then_some(b);
            next += 4;
        }
        for k in 0..q.relation_keys {
            match row.get_ref(next + k).map_err(err)? {
                ValueRef::Integer(key) => found.relation_keys.push(key),
                // A counted row: the keys of the rows it counted.
                ValueRef::Text(list) => found.relation_keys.extend(
                    String::from_utf8_lossy(list)
                        .split(',')
                        .filter_map(|key| key.trim().parse::<i64>().ok()),
                ),
                _ => {}
            }
        }
        f(found)?;
    }
    Ok(())
}

/// One cell of a result, shown as its column's type says (days as ISO dates).
pub(super) fn cell(v: ValueRef<'_>, ty: ColumnType) -> Value {
    match (v, ty) {
        (ValueRef::Null, _) => Value::Null,
        (ValueRef::Integer(d), ColumnType::Day) => match time::format_day(d) {
            Some(s) => Value::Text(s),
            None => Value::Null,
        },
        (ValueRef::Integer(id), ColumnType::Handle) => Value::Handle(id),
        (ValueRef::Integer(i), _) => Value::Int(i),
        (ValueRef::Real(f), _) => Value::Real(f),
        // Text is UTF-8 as the store writes it; anything else written into the file by
        // other tools is shown with replacement characters.
        (ValueRef::Text(t), _) => Value::Text(match std::str::from_utf8(t) {
            Ok(text) => text.to_owned(),
            Err(_) => String::from_utf8_lossy(t).into_owned(),
        }),
        (ValueRef::Blob(b), _) => Value::Text(format!("<{} bytes>", b.len())),
    }
}
