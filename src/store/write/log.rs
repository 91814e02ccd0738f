//! The change log read back: `changes since D by NAME` as rows, each change with a
//! summary of what it did (read from the versions), and the change the store was at when
//! a day ended.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use super::versions::Table;
use crate::store::db::{Db, DbError, Row as DbRow};
use crate::store::{change, Store, StoreError};
use crate::value::{ResultSet, Row, Value};

/// A failure to read history.
pub(super) fn err(source: DbError) -> StoreError {
    StoreError::db("cannot read the store's history")(source)
}

/// A change's row of the log.
#[derive(Clone)]
pub(super) struct ChangeRow {
    recorded: String,
    author: String,
    origin: String,
    sha256: Option<String>,
    reason: Option<String>,
    statement: Option<String>,
    pub(super) undoes: Option<i64>,
}

/// Reads changes of the log once each.
pub(super) struct Log<'c> {
    pub(super) db: &'c Db,
    rows: RefCell<HashMap<i64, ChangeRow>>,
}

impl<'c> Log<'c> {
    pub(super) fn new(db: &'c Db) -> Log<'c> {
        Log {
            db,
            rows: RefCell::new(HashMap::new()),
        }
    }

    pub(super) fn get(&self, change: i64) -> Result<ChangeRow, StoreError> {
        if let Some(row) = self.rows.borrow().get(&change) {
            return Ok(row.clone());
        }
        let row = self
            .db
            .query_opt(
                "SELECT recorded, author, origin, origin_sha256, reason, statement, undoes \
                 FROM change WHERE id = ?1",
                &[&change],
                change_row,
            )
            .map_err(err)?
            .ok_or(StoreError::NoSuchChange { change })?;
        self.rows.borrow_mut().insert(change, row.clone());
        Ok(row)
    }

    pub(super) fn is_undo(&self, change: i64) -> Result<bool, StoreError> {
        Ok(self.get(change)?.undoes.is_some())
    }

    /// The first cells of a history row: the change, when, who (and where from, why).
    pub(super) fn cells(&self, change: i64, origin: bool) -> Result<Vec<Value>, StoreError> {
        let row = self.get(change)?;
        let mut cells = vec![
            Value::Int(change),
            Value::Text(row.recorded),
            Value::Text(row.author),
        ];
        if origin {
            cells.push(Value::Text(row.origin));
        }
        cells.push(row.reason.map_or(Value::Null, Value::Text));
        Ok(cells)
    }
}

fn change_row(r: &DbRow<'_>) -> Result<ChangeRow, DbError> {
    Ok(ChangeRow {
        recorded: r.get(0)?,
        author: r.get(1)?,
        origin: r.get(2)?,
        sha256: r.get(3)?,
        reason: r.get(4)?,
        statement: r.get(5)?,
        undoes: r.get(6)?,
    })
}

pub(super) fn result(columns: &[&str], rows: Vec<Vec<Value>>) -> ResultSet {
    ResultSet {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: rows.into_iter().map(Row::from).collect(),
        ..ResultSet::default()
    }
}

impl Store {
    /// `changes since D by NAME`: the change log as rows, oldest first, each with a
    /// summary of what it did. `since` is an instant as the log writes them (changes
    /// recorded at or after it are listed), `by` an author.
    pub fn changes(&self, since: Option<&str>, by: Option<&str>) -> Result<ResultSet, StoreError> {
        let db = self.db();
        let listed: Vec<(i64, ChangeRow)> = db
            .query_map(
                "SELECT recorded, author, origin, origin_sha256, reason, statement, undoes, id \
                 FROM change WHERE (CAST(?1 AS TEXT) IS NULL OR recorded >= ?1) \
                 AND (CAST(?2 AS TEXT) IS NULL OR author = ?2) ORDER BY id",
                &[&since, &by],
                |r| Ok((r.get(7)?, change_row(r)?)),
            )
            .map_err(err)?;
        let first = listed.first().map_or(i64::MAX, |(id, _)| *id);
        let mut summaries: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for table in Table::ALL {
            for (change, text) in summarise(db, table, first)? {
                summaries.entry(change).or_default().push(text);
            }
        }
        let rows = listed
            .into_iter()
            .map(|(id, c)| {
                let summary = summaries
                    .remove(&id)
                    .map_or("nothing".to_string(), |s| s.join("; "));
                let text = |t: Option<String>| t.map_or(Value::Null, Value::Text);
                vec![
                    Value::Int(id),
                    Value::Text(c.recorded),
                    Value::Text(c.author),
                    Value::Text(c.origin),
                    text(c.sha256),
                    text(c.reason),
                    text(c.statement),
                    c.undoes.map_or(Value::Null, Value::Int),
                    Value::Text(summary),
                ]
            })
            .collect();
        Ok(result(crate::plan::CHANGES_COLUMNS, rows))
    }

    /// The change a moment of recorded time stands for (`as recorded at change N`, or
    /// the end of a day, UTC: the last change recorded on or before it; 0 when the store
    /// had no change yet).
    pub fn change_number(&self, at: crate::plan::Recorded) -> Result<i64, StoreError> {
        change::number_at(self.db(), at).map_err(err)
    }

    /// The number of the last change, if there is one.
    pub fn last_change(&self) -> Result<Option<i64>, StoreError> {
        self.db()
            .query_row("SELECT max(id) FROM change", &[], |r| r.get(0))
            .map_err(err)
    }

    /// Checks that change `change` exists.
    pub fn check_change(&self, change: i64) -> Result<(), StoreError> {
        Log::new(self.db()).get(change).map(drop)
    }
}

/// For each change from `first` on, what it did to the rows of `table`, in words
/// (`2 relations added, 1 corrected`).
fn summarise(db: &Db, table: Table, first: i64) -> Result<Vec<(i64, String)>, StoreError> {
    let (current, versions, vkey) = (table.current(), table.versions(), table.version_key());
    let erased = if table == Table::Relation {
        "erased"
    } else {
        "0"
    };
    // (change, key) -> (had a version before the change, has one after, erased)
    let mut seen: BTreeMap<(i64, i64), (bool, bool, bool)> = BTreeMap::new();
    let rows = db
        .query_map(
            &format!(
                "SELECT key, since_change, NULL, 0 FROM {current} WHERE since_change >= ?1 \
                 UNION ALL SELECT {vkey}, since_change, until_change, {erased} FROM {versions} \
                     WHERE since_change >= ?1 OR until_change >= ?1"
            ),
            &[&first],
            |r| {
                Ok((
                    r.get::<i64>(0)?,
                    r.get::<i64>(1)?,
                    r.get::<Option<i64>>(2)?,
                    r.get::<bool>(3)?,
                ))
            },
        )
        .map_err(err)?;
    for row in rows {
        let (key, since, until, erased) = row;
        if erased {
            // A tombstone: the relation was added by its first change, erased by its last.
            seen.entry((until.unwrap_or(since), key)).or_default().2 = true;
            if since >= first && until != Some(since) {
                seen.entry((since, key)).or_default().1 = true;
            }
            continue;
        }
        if since >= first && until != Some(since) {
            seen.entry((since, key)).or_default().1 = true;
        }
        if let Some(until) = until.filter(|&u| u >= first && since < u) {
            seen.entry((until, key)).or_default().0 = true;
        }
    }
    let (replaced, removed) = match table {
        Table::Relation => ("corrected", "retracted"),
        Table::Entity | Table::Predicate | Table::Source => ("changed", "removed"),
    };
    let mut counts: BTreeMap<i64, [usize; 4]> = BTreeMap::new();
    for ((change, _), (before, after, erased)) in seen {
        let slot = match (before, after, erased) {
            (_, _, true) => 3,
            (false, true, _) => 0,
            (true, true, _) => 1,
            (true, false, _) => 2,
            (false, false, _) => continue,
        };
        counts.entry(change).or_default()[slot] += 1;
    }
    Ok(counts
        .into_iter()
        .map(|(change, c)| {
            let parts: Vec<String> = [
                (c[0], "added"),
                (c[1], replaced),
                (c[2], removed),
                (c[3], "erased"),
            ]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .enumerate()
            .map(|(i, (n, verb))| match i {
                0 => format!("{} {verb}", table.counted(n)),
                _ => format!("{n} {verb}"),
            })
            .collect();
            (change, parts.join(", "))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use crate::plan::Recorded;
    use crate::store::write::testing::*;
    use crate::time::day_from_ymd;

    #[test]
    fn changes_are_listed_with_what_they_did() {
        let mut s = store_with_history();
        s.begin_change(ChangeMeta::new("bob", Origin::Script("fix.fs".into())))
            .unwrap();
        s.record_statement("retract #1").unwrap();
        s.write(&retract(&[1]), Some("wrong")).unwrap();
        s.write(
            &add(r#"{"type":"relation","subject":"c","predicate":"met","object":"d"}"#),
            Some("seen"),
        )
        .unwrap();
        s.commit_change().unwrap();
        let all = s.changes(None, None).unwrap();
        assert_eq!(
            all.columns.join(" "),
            "change recorded recorded_by origin sha256 reason statement undoes summary"
        );
        assert_eq!(
            column(&all, "summary"),
            [
                "4 entities added; 2 predicates added; 1 source added; 2 relations added",
                "1 relation corrected",
                "1 entity changed; 1 relation corrected",
                "1 relation retracted",
                "1 relation added",
                "1 entity changed; 1 relation corrected",
                "1 relation erased",
                "1 relation added, 1 retracted",
            ]
        );
        assert_eq!(column(&all, "undoes")[4], "4");
        let bob = s.changes(Some("2000-01-01T"), Some("bob")).unwrap();
        assert_eq!(column(&bob, "change"), ["8"]);
        assert_eq!(column(&bob, "reason"), ["wrong; seen"]);
        assert_eq!(column(&bob, "origin"), ["fix.fs"]);
        assert_eq!(column(&bob, "statement"), ["retract #1"]);
        assert_eq!(
            column(&s.changes(Some("2025-01-02T"), None).unwrap(), "change").len(),
            7
        );
    }

    #[test]
    fn the_change_at_the_end_of_a_day() {
        let s = store_with_history();
        let day = |y, m, d| day_from_ymd(y, m, d).unwrap();
        let at_end = |d| s.change_number(Recorded::EndOfDay(d)).unwrap();
        assert_eq!(at_end(day(2024, 12, 31)), 0);
        assert_eq!(at_end(day(2025, 1, 1)), 1);
        assert_eq!(at_end(day(9000, 1, 1)), 7);
        assert_eq!(s.change_number(Recorded::AtChange(3)).unwrap(), 3);
        assert_eq!(s.last_change().unwrap(), Some(7));
        assert!(s.check_change(7).is_ok());
        assert!(matches!(
            s.check_change(8),
            Err(StoreError::NoSuchChange { change: 8 })
        ));
    }
}
