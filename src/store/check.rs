//! Integrity checks of a store: SQLite's own (integrity_check, foreign_key_check) and the
//! store's rules (ids that point nowhere, impossible time bounds, unknown statuses,
//! entities without a name, a relation stored twice).

use std::fmt;

use super::{Store, StoreError};

/// At most this many problems are listed per rule; the rest are counted.
const MAX_PER_RULE: usize = 20;

/// One thing wrong with the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The rule that is broken, e.g. `dangling subject`.
    pub rule: &'static str,
    /// Which row breaks it and how.
    pub detail: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.rule, self.detail)
    }
}

/// A relation described for a person: its key and its ids where they resolve.
const RELATION_LABEL: &str = "'relation ' || r.key || ' (' || COALESCE(s.id, '?') || ' ' || \
     COALESCE(p.id, '?') || ' ' || COALESCE(o.id, '?') || ')'";

const RELATION_FROM: &str = "FROM relation r
     LEFT JOIN entity s ON s.key = r.subject
     LEFT JOIN predicate p ON p.key = r.predicate
     LEFT JOIN entity o ON o.key = r.object";

/// The store's own rules: (rule, condition on `r` and its joins, what is wrong).
const RELATION_RULES: &[(&str, &str, &str)] = &[
    (
        "dangling subject",
        "s.key IS NULL",
        "'its subject ' || r.subject || ' is not an entity'",
    ),
    (
        "dangling predicate",
        "p.key IS NULL",
        "'its predicate ' || r.predicate || ' is not a predicate'",
    ),
    (
        "dangling object",
        "o.key IS NULL",
        "'its object ' || r.object || ' is not an entity'",
    ),
    (
        "dangling place",
        "r.place IS NOT NULL AND NOT EXISTS (SELECT 1 FROM entity e WHERE e.key = r.place)",
        "'its place ' || r.place || ' is not an entity'",
    ),
    (
        "dangling source",
        "r.source IS NOT NULL AND NOT EXISTS (SELECT 1 FROM source x WHERE x.key = r.source)",
        "'its source ' || r.source || ' is not a source'",
    ),
    (
        "start bounds reversed",
        "r.start_lo > r.start_hi",
        "'its start_lo ' || r.start_lo || ' is after its start_hi ' || r.start_hi",
    ),
    (
        "end bounds reversed",
        "r.end_lo > r.end_hi",
        "'its end_lo ' || r.end_lo || ' is after its end_hi ' || r.end_hi",
    ),
    (
        "ends before it starts",
        "r.start_lo > r.end_hi",
        "'its start_lo ' || r.start_lo || ' is after its end_hi ' || r.end_hi",
    ),
    (
        "unknown status",
        "r.status IS NULL OR r.status NOT IN ('occurred', 'planned', 'alleged', 'denied')",
        "'its status ' || quote(r.status) || ' is not occurred, planned, alleged or denied'",
    ),
    (
        "partial bounds",
        "((r.start_lo IS NULL) + (r.start_hi IS NULL) + (r.end_lo IS NULL) + (r.end_hi IS NULL)) \
         NOT IN (0, 4)",
        "'some but not all of its four time bounds are NULL'",
    ),
];

/// Rules on other tables: (rule, query giving one text per problem).
const OTHER_RULES: &[(&str, &str)] = &[
    (
        "dangling alias",
        "SELECT 'alias ' || quote(a.text) || ' belongs to entity key ' || a.entity || \
         ', which does not exist' FROM alias a \
         WHERE NOT EXISTS (SELECT 1 FROM entity e WHERE e.key = a.entity)",
    ),
    (
        "entity without a name",
        "SELECT 'entity ' || e.id || ' has no alias row for its name (is_name = 1)' FROM entity e \
         WHERE NOT EXISTS (SELECT 1 FROM alias a WHERE a.entity = e.key AND a.is_name = 1) \
         ORDER BY e.key",
    ),
    (
        "repeated relation",
        // One ordered read of the fingerprint index, whose entries of one fingerprint
        // come in key order.
        "SELECT 'relations ' || group_concat(key, ', ') || ' are the same record \
         (fingerprint ' || hex(fingerprint) || '); an import keeps one' \
         FROM relation GROUP BY fingerprint HAVING count(*) > 1",
    ),
    (
        "bad saved query",
        "SELECT 'saved query ' || q.name || ' has parameters that are not a JSON list' \
         FROM saved_query q WHERE json_valid(q.params) = 0 OR json_type(q.params) != 'array'",
    ),
];

impl Store {
    /// Runs every check and returns the problems found (empty: the store is sound).
    pub fn check(&self) -> Result<Vec<Problem>, StoreError> {
        let db = StoreError::sqlite("cannot check the store");
        let conn = &self.conn;
        let mut problems = Vec::new();

        let mut stmt = conn.prepare("PRAGMA integrity_check").map_err(db)?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db)?;
        push_limited(
            &mut problems,
            "sqlite integrity",
            rows.into_iter().filter(|t| t != "ok").collect(),
        );

        let mut stmt = conn.prepare("PRAGMA foreign_key_check").map_err(db)?;
        let rows = stmt
            .query_map([], |r| {
                let table: String = r.get(0)?;
                let rowid: Option<i64> = r.get(1)?;
                let parent: String = r.get(2)?;
                Ok(match rowid {
                    Some(id) => format!("{table} row {id} refers to a missing row of {parent}"),
                    None => format!("a row of {table} refers to a missing row of {parent}"),
                })
            })
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db)?;
        push_limited(&mut problems, "sqlite foreign key", rows);

        for (rule, condition, what) in RELATION_RULES {
            let sql = format!(
                "SELECT {RELATION_LABEL} || ': ' || {what} {RELATION_FROM} WHERE {condition} \
                 ORDER BY r.key"
            );
            push_limited(&mut problems, rule, texts(conn, &sql).map_err(db)?);
        }
        for (rule, sql) in OTHER_RULES {
            push_limited(&mut problems, rule, texts(conn, sql).map_err(db)?);
        }
        Ok(problems)
    }
}

fn texts(conn: &rusqlite::Connection, sql: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

fn push_limited(problems: &mut Vec<Problem>, rule: &'static str, details: Vec<String>) {
    let total = details.len();
    problems.extend(
        details
            .into_iter()
            .take(MAX_PER_RULE)
            .map(|detail| Problem { rule, detail }),
    );
    if total > MAX_PER_RULE {
        problems.push(Problem {
            rule,
            detail: format!("… and {} more", total - MAX_PER_RULE),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{Format, ImportOptions, Store};

    fn store_with_data() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        let text = r#"{"type":"entity","id":"a","kind":"person","name":"A"}
{"type":"entity","id":"b","kind":"city","name":"B"}
{"type":"relation","subject":"a","predicate":"visited","object":"b","when":"2025-04"}
"#;
        s.import(
            text.as_bytes(),
            Format::JsonLines,
            "t",
            ImportOptions::default(),
        )
        .unwrap();
        s
    }

    fn rules(s: &Store) -> Vec<&'static str> {
        s.check().unwrap().into_iter().map(|p| p.rule).collect()
    }

    #[test]
    fn a_sound_store_has_no_problems() {
        assert!(rules(&Store::open_in_memory().unwrap()).is_empty());
        assert!(rules(&store_with_data()).is_empty());
    }

    #[test]
    fn broken_rules_are_reported() {
        let cases: &[(&str, &[&str])] = &[
            (
                "UPDATE relation SET start_lo = end_hi + 1",
                &["start bounds reversed", "ends before it starts"],
            ),
            (
                "UPDATE relation SET end_lo = end_hi + 5",
                &["end bounds reversed"],
            ),
            ("UPDATE relation SET end_hi = NULL", &["partial bounds"]),
            (
                "DELETE FROM alias WHERE is_name = 1 AND text = 'A'",
                &["entity without a name"],
            ),
            (
                "PRAGMA foreign_keys = OFF; UPDATE relation SET subject = 999",
                &["sqlite foreign key", "dangling subject"],
            ),
            (
                "PRAGMA foreign_keys = OFF; UPDATE relation SET place = 77",
                &["sqlite foreign key", "dangling place"],
            ),
            (
                "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON; \
                 UPDATE relation SET status = 'maybe'",
                &["unknown status"],
            ),
            (
                "INSERT INTO relation(subject, predicate, object, fingerprint) \
                 SELECT subject, predicate, object, fingerprint FROM relation",
                &["repeated relation"],
            ),
        ];
        for (sql, expected) in cases {
            let s = store_with_data();
            s.connection().execute_batch(sql).unwrap();
            let mut got = rules(&s);
            got.dedup();
            assert_eq!(&got, expected, "{sql}");
        }
    }
}
