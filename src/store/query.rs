//! Running a compiled statement: binds its parameters, reads its rows as typed values.

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use crate::plan::ColumnType;
use crate::sql::{SqlParam, SqlQuery};
use crate::time;
use crate::value::{ResultSet, Value};

/// Runs `q` on `conn` and collects its rows.
pub fn run(conn: &Connection, q: &SqlQuery) -> Result<ResultSet, rusqlite::Error> {
    let mut result = ResultSet {
        columns: q.columns.iter().map(|c| c.name.clone()).collect(),
        timeline: q.timeline,
        ..ResultSet::default()
    };
    for_each_row(conn, q, |row, times| {
        result.rows.push(row);
        if q.timeline {
            result.times.push(times);
        }
        Ok(())
    })?;
    Ok(result)
}

/// Runs `q` and hands each row (and, for a timeline, its four bounds) to `f` as it
/// comes, so that output can stream.
pub fn for_each_row(
    conn: &Connection,
    q: &SqlQuery,
    mut f: impl FnMut(Vec<Value>, Option<[i64; 4]>) -> Result<(), rusqlite::Error>,
) -> Result<(), rusqlite::Error> {
    let mut stmt = conn.prepare(&q.text)?;
    for (i, p) in q.params.iter().enumerate() {
        match p {
            SqlParam::Int(v) => stmt.raw_bind_parameter(i + 1, v)?,
            SqlParam::Text(v) => stmt.raw_bind_parameter(i + 1, v.as_str())?,
        }
    }
    let n = q.columns.len();
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next()? {
        let mut out = Vec::with_capacity(n);
        for (i, c) in q.columns.iter().enumerate() {
            out.push(cell(row.get_ref(i)?, c.ty));
        }
        let times = if q.timeline {
            let mut b = [0i64; 4];
            let mut known = true;
            for (k, slot) in b.iter_mut().enumerate() {
                match row.get_ref(n + k)? {
                    ValueRef::Integer(v) => *slot = v,
                    _ => known = false,
                }
            }
            known.then_some(b)
        } else {
            None
        };
        f(out, times)?;
    }
    Ok(())
}

fn cell(v: ValueRef<'_>, ty: ColumnType) -> Value {
    match (v, ty) {
        (ValueRef::Null, _) => Value::Null,
        (ValueRef::Integer(d), ColumnType::Day) => match time::format_day(d) {
            Some(s) => Value::Text(s),
            None => Value::Null,
        },
        (ValueRef::Integer(i), _) => Value::Int(i),
        (ValueRef::Real(f), _) => Value::Real(f),
        (ValueRef::Text(t), _) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        (ValueRef::Blob(b), _) => Value::Text(format!("<{} bytes>", b.len())),
    }
}
