//! The kept counts of relations (schema 15): by predicate and status (`predicate_count`)
//! and by source (`source_count`). Triggers keep them row by row; a bulk import drops
//! those triggers ([`COUNT_TRIGGERS`]) and counts again once at its end ([`recount`]).

use std::collections::HashMap;

use rusqlite::{params, Connection};

use crate::model::Status;

/// The triggers on `relation` that keep the counts. Each costs about 2 µs of CPU per
/// relation written, a third of a bulk import's own time per relation.
pub(super) const COUNT_TRIGGERS: &[&str] = &[
    "relation_count_insert",
    "relation_count_delete",
    "relation_count_update",
];

/// The trigger that counts a new relation.
pub(super) const INSERT_TRIGGER: &str = "relation_count_insert";

/// Counts the relations whose keys are above `?1` (added in a group of changes while
/// [`INSERT_TRIGGER`] was dropped) as the trigger would have: by predicate and status,
/// then by source.
pub(super) const COUNT_FROM_KEY_SQL: [&str; 2] = [
    "INSERT INTO predicate_count (predicate, status, n)
     SELECT predicate, status, count(*) FROM relation WHERE key > ?1 GROUP BY predicate, status
     ON CONFLICT (predicate, status) DO UPDATE SET n = n + excluded.n",
    "INSERT INTO source_count (source, n)
     SELECT source, count(*) FROM relation WHERE key > ?1 AND source IS NOT NULL GROUP BY source
     ON CONFLICT (source) DO UPDATE SET n = n + excluded.n",
];

/// Every relation's predicate, status and source, read from an index that holds all
/// three (schema 15's `relation_pair`) rather than from the table's much wider rows.
const RELATIONS_SQL: &str = "SELECT predicate, status, source FROM relation";

/// Counts every relation again and replaces both tables' rows. One pass over an index,
/// tallied here: grouping in SQL sorts a million rows (three times the time).
pub(super) fn recount(conn: &Connection) -> rusqlite::Result<()> {
    // Counts by predicate, one per status of [`Status::WORDS`]; a status outside it
    // cannot be stored (the table's CHECK), but is counted by its word all the same.
    let mut by_predicate: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut other_status: HashMap<(i64, String), i64> = HashMap::new();
    let mut by_source: HashMap<i64, i64> = HashMap::new();
    {
        let mut stmt = conn.prepare(RELATIONS_SQL)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let predicate: i64 = row.get(0)?;
            let status = row.get_ref(1)?.as_str()?;
            match Status::WORDS.iter().position(|w| *w == status) {
                Some(i) => {
                    by_predicate
                        .entry(predicate)
                        .or_insert_with(|| vec![0; Status::WORDS.len()])[i] += 1
                }
                None => *other_status.entry((predicate, status.into())).or_default() += 1,
            }
            if let Some(source) = row.get::<_, Option<i64>>(2)? {
                *by_source.entry(source).or_default() += 1;
            }
        }
    }
    conn.execute_batch("DELETE FROM predicate_count; DELETE FROM source_count;")?;
    let mut put =
        conn.prepare("INSERT INTO predicate_count (predicate, status, n) VALUES (?1, ?2, ?3)")?;
    for (predicate, counts) in &by_predicate {
        for (status, n) in Status::WORDS.iter().zip(counts).filter(|(_, n)| **n > 0) {
            put.execute(params![predicate, status, n])?;
        }
    }
    for ((predicate, status), n) in &other_status {
        put.execute(params![predicate, status, n])?;
    }
    let mut put = conn.prepare("INSERT INTO source_count (source, n) VALUES (?1, ?2)")?;
    for (source, n) in &by_source {
        put.execute(params![source, n])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Mode, Store};

    /// The non-zero rows of `predicate_count` and of `source_count`, in order.
    type Kept = (Vec<(i64, String, i64)>, Vec<(i64, i64)>);

    fn kept(store: &Store) -> Kept {
        let conn = store.connection();
        let predicates = conn
            .prepare("SELECT predicate, status, n FROM predicate_count WHERE n > 0 ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let sources = conn
            .prepare("SELECT source, n FROM source_count WHERE n > 0 ORDER BY 1")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        (predicates, sources)
    }

    #[test]
    fn triggers_and_recount_agree_and_follow_every_change() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("s.db"), Mode::Create).unwrap();
        let conn = store.connection();
        conn.execute_batch(
            "INSERT INTO entity (key, id, kind, name) VALUES (1, 'a', 'x', 'A'), (2, 'b', 'x', 'B');
             INSERT INTO predicate (key, id) VALUES (1, 'p'), (2, 'q');
             INSERT INTO source (key, id) VALUES (1, 's'), (2, 't');
             INSERT INTO relation (key, subject, predicate, object, status, source, fingerprint)
             VALUES (1, 1, 1, 2, 'occurred', 1, x'01'), (2, 1, 1, 2, 'denied', 1, x'02'),
                    (3, 2, 2, 1, 'occurred', NULL, x'03'), (4, 2, 1, 1, 'occurred', 2, x'04');
             UPDATE relation SET status = 'alleged', source = 2 WHERE key = 2;
             UPDATE relation SET predicate = 2 WHERE key = 4;
             DELETE FROM relation WHERE key = 1;",
        )
        .unwrap();
        let by_triggers = kept(&store);
        assert_eq!(
            by_triggers,
            (
                vec![(1, "alleged".into(), 1), (2, "occurred".into(), 2)],
                vec![(2, 2)]
            )
        );
        recount(conn).unwrap();
        assert_eq!(kept(&store), by_triggers);
        // (The entities have no alias rows: `check` says so, and nothing else.)
        let wrong_counts = |store: &Store| -> Vec<_> {
            let problems = store.check().unwrap();
            problems
                .into_iter()
                .filter(|p| p.rule.ends_with(" count"))
                .collect()
        };
        assert_eq!(wrong_counts(&store), []);
        // A count gone wrong is what `check` reports.
        conn.execute_batch("UPDATE source_count SET n = 5 WHERE source = 2")
            .unwrap();
        let problems = wrong_counts(&store);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].rule, "wrong source count");
        assert_eq!(problems[0].detail, "source t: 2 relations, counted 5");
    }
}
