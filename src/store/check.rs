//! Integrity checks of a store: SQLite's own (integrity_check, foreign_key_check: a
//! PostgreSQL server enforces its foreign keys itself) and the store's rules (ids that
//! point nowhere, impossible time bounds, unknown statuses, entities without a name, a
//! relation stored twice, a symmetric relation stored both ways round), on either
//! engine.

use std::fmt;

use super::db::{dialect, Db, DbError, Dialect, Param, Sql};
use super::import::identity::MIRRORED_SQL;
use super::{Store, StoreError};
use crate::model::Status;

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

/// The store's own rules: (rule, condition on `r` and its joins, what is wrong). The
/// statuses are the data model's ([`Status`]): the rule on them is [`status_rule`].
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
        "partial bounds",
        "(CASE WHEN r.start_lo IS NULL THEN 1 ELSE 0 END \
          + CASE WHEN r.start_hi IS NULL THEN 1 ELSE 0 END \
          + CASE WHEN r.end_lo IS NULL THEN 1 ELSE 0 END \
          + CASE WHEN r.end_hi IS NULL THEN 1 ELSE 0 END) NOT IN (0, 4)",
        "'some but not all of its four time bounds are NULL'",
    ),
];

/// The rule on statuses: (condition, what is wrong), the statuses bound as `?1` (a
/// list) and the words for the message as `?2`.
fn status_rule(d: Dialect) -> (String, String) {
    (
        format!(
            "r.status IS NULL OR NOT ({})",
            dialect::in_list(d, "r.status", "?1")
        ),
        format!(
            "'its status ' || {} || ' is not ' || CAST(?2 AS TEXT)",
            dialect::quoted_text(d, "r.status")
        ),
    )
}

/// Rules on other tables: (rule, query giving one text per problem). Subqueries are
/// named, as PostgreSQL requires.
fn other_rules(d: Dialect) -> [(&'static str, String); 5] {
    [
        (
            "dangling alias",
            format!(
                "SELECT 'alias ' || {} || ' belongs to entity key ' || a.entity || \
                 ', which does not exist' FROM alias a \
                 WHERE NOT EXISTS (SELECT 1 FROM entity e WHERE e.key = a.entity)",
                dialect::quoted_text(d, "a.text")
            ),
        ),
        (
            "entity without a name",
            "SELECT 'entity ' || e.id || ' has no alias row for its name (is_name = 1)' \
             FROM entity e \
             WHERE NOT EXISTS (SELECT 1 FROM alias a WHERE a.entity = e.key AND a.is_name = 1) \
             ORDER BY e.key"
                .to_owned(),
        ),
        (
            "repeated relation",
            // One ordered read of the fingerprint index, whose entries of one fingerprint
            // come in key order.
            format!(
                "SELECT 'relations ' || {} || ' are the same record \
                 (fingerprint ' || {} || '); an import keeps one' \
                 FROM relation GROUP BY fingerprint HAVING count(*) > 1",
                dialect::keys_listed(d, "key"),
                dialect::hex_upper(d, "fingerprint")
            ),
        ),
        (
            // Schema 13: the counts `predicates` and `sources` show, kept by triggers.
            "wrong predicate count",
            "SELECT 'predicate ' || COALESCE(p.id, CAST(c.predicate AS TEXT)) || ' (' || \
             c.status || '): ' || c.found || ' relations, counted ' || c.kept FROM \
             (SELECT predicate, status, sum(found) AS found, sum(kept) AS kept FROM \
              (SELECT predicate, status, count(*) AS found, 0 AS kept FROM relation \
               GROUP BY predicate, status \
               UNION ALL SELECT predicate, status, 0, n FROM predicate_count) AS counts \
              GROUP BY predicate, status HAVING sum(found) <> sum(kept)) c \
             LEFT JOIN predicate p ON p.key = c.predicate"
                .to_owned(),
        ),
        (
            "wrong source count",
            "SELECT 'source ' || COALESCE(s.id, CAST(c.source AS TEXT)) || ': ' || c.found || \
             ' relations, counted ' || c.kept FROM \
             (SELECT source, sum(found) AS found, sum(kept) AS kept FROM \
              (SELECT source, count(*) AS found, 0 AS kept FROM relation \
               WHERE source IS NOT NULL GROUP BY source \
               UNION ALL SELECT source, 0, n FROM source_count) AS counts \
              GROUP BY source HAVING sum(found) <> sum(kept)) c \
             LEFT JOIN source s ON s.key = c.source"
                .to_owned(),
        ),
    ]
}

impl Store {
    /// Runs every check and returns the problems found (empty: the store is sound).
    /// SQLite's own findings come first. A store too damaged for a check to finish still
    /// gives what was found up to that point, then a `damaged store` problem saying which
    /// check could not run and why (the user is already running `check`: the error must
    /// not send them back to it).
    pub fn check(&self) -> Result<Vec<Problem>, StoreError> {
        let mut problems = Vec::new();
        if let Err(CheckFailure { step, source }) = self.run_checks(&mut problems) {
            match source.sqlite() {
                Some(e) if is_damage(e) => problems.push(damage_problem(step, e)),
                _ => return Err(StoreError::db("cannot check the store")(source)),
            }
        }
        Ok(problems)
    }

    /// Opens the store at `path` read-only and checks it. A file too damaged to open is
    /// one `damaged store` problem rather than an error: that is what `check` is asked.
    pub fn check_file(path: &std::path::Path) -> Result<Vec<Problem>, StoreError> {
        match Store::open(path, super::Mode::ReadOnly) {
            Ok(store) => store.check(),
            Err(StoreError::Open { source, .. }) if is_damage(&source) => {
                Ok(vec![damage_problem("opening of the store", &source)])
            }
            Err(e) => Err(e),
        }
    }

    fn run_checks(&self, problems: &mut Vec<Problem>) -> Result<(), CheckFailure> {
        let db: &Db = self.db();
        if db.dialect() == Dialect::Sqlite {
            let rows = db
                .query_map("PRAGMA integrity_check", &[], |r| r.get::<String>(0))
                .map_err(CheckFailure::at("integrity check"))?;
            // One row may hold several findings, one a line.
            let findings = rows
                .iter()
                .flat_map(|row| row.lines())
                .filter(|line| !line.is_empty() && *line != "ok")
                .map(str::to_string)
                .collect();
            push_limited(problems, "sqlite integrity", findings);
        }
        check_rules(db, self.copy_by_object(), problems)
    }
}

/// The problems of the store on `conn` but for SQLite's integrity check (which reads every
/// page): the foreign key check and the store's rules. A restored history export
/// must have none before it is committed.
pub(super) fn rule_problems(conn: &(impl Sql + ?Sized)) -> Result<Vec<Problem>, DbError> {
    let mut problems = Vec::new();
    // A restored history goes into a new store, never one prepared for Citus (which
    // refuses imports): no copy by object.
    check_rules(conn, false, &mut problems).map_err(|failure| failure.source)?;
    Ok(problems)
}

/// SQLite's foreign key check (a PostgreSQL server enforces foreign keys itself), then
/// the store's rules; `copy_by_object`: the store has the relations' copy by object (see
/// [`super::Store::copy_by_object`]).
fn check_rules(
    conn: &(impl Sql + ?Sized),
    copy_by_object: bool,
    problems: &mut Vec<Problem>,
) -> Result<(), CheckFailure> {
    let d = conn.dialect();
    if d == Dialect::Sqlite {
        let rows = conn
            .query_map("PRAGMA foreign_key_check", &[], |r| {
                let table: String = r.get(0)?;
                let rowid: Option<i64> = r.get(1)?;
                let parent: String = r.get(2)?;
                Ok(match rowid {
                    Some(id) => format!("{table} row {id} refers to a missing row of {parent}"),
                    None => format!("a row of {table} refers to a missing row of {parent}"),
                })
            })
            .map_err(CheckFailure::at("foreign key check"))?;
        push_limited(problems, "sqlite foreign key", rows);
    }
    let rules = CheckFailure::at("check of the store's rules");
    let relation_rule = |condition: &str, what: &str, params: &[&dyn super::db::ToParam]| {
        conn.query_map(
            &format!(
                "SELECT {RELATION_LABEL} || ': ' || {what} {RELATION_FROM} WHERE {condition} \
                 ORDER BY r.key"
            ),
            params,
            |r| r.get::<String>(0),
        )
    };
    for (rule, condition, what) in &RELATION_RULES[..8] {
        push_limited(
            problems,
            rule,
            relation_rule(condition, what, &[]).map_err(rules)?,
        );
    }
    let (condition, what) = status_rule(d);
    let statuses = Status::WORDS.to_vec();
    let status_words = Status::listed(None);
    let found = relation_rule(
        &condition,
        &what,
        &[&Param::Texts(&statuses), &status_words],
    )
    .map_err(rules)?;
    push_limited(problems, "unknown status", found);
    for (rule, condition, what) in &RELATION_RULES[8..] {
        push_limited(
            problems,
            rule,
            relation_rule(condition, what, &[]).map_err(rules)?,
        );
    }
    for (rule, sql) in other_rules(d) {
        let rows = conn
            .query_map(&sql, &[], |r| r.get::<String>(0))
            .map_err(rules)?;
        push_limited(problems, rule, rows);
    }
    // Parameters that are not a JSON list: read by the same JSON reader that reads them
    // when the query runs.
    let bad_saved = conn
        .query_map(
            "SELECT name, params FROM saved_query ORDER BY name",
            &[],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
        )
        .map_err(rules)?
        .into_iter()
        .filter(|(_, params)| {
            !matches!(
                serde_json::from_str::<serde_json::Value>(params),
                Ok(serde_json::Value::Array(_))
            )
        })
        .map(|(name, _)| format!("saved query {name} has parameters that are not a JSON list"))
        .collect();
    push_limited(problems, "bad saved query", bad_saved);
    // `B met A` beside an identical `A met B` of a symmetric predicate: one lookup of
    // the pair index per relation of a symmetric predicate. Where the store has the
    // relations' copy by object (prepared for Citus, which splits `relation` by subject),
    // `b` is read from the copy, whose shards hold the same entities' rows as `a`'s: a
    // join Citus runs on each node (docs/SCALE.md).
    let mirror = if copy_by_object {
        crate::sql::COPY_BY_OBJECT
    } else {
        "relation"
    };
    let mirrored = format!(
        "SELECT 'relations ' || a.key || ' and ' || b.key || ' (' || COALESCE(s.id, '?') \
             || ' ' || p.id || ' ' || COALESCE(o.id, '?') || ') state one fact either way \
             round, since ' || p.id || ' is symmetric; retract one of them' \
             FROM relation a JOIN predicate p ON p.key = a.predicate AND p.\"symmetric\" = 1 \
             JOIN {mirror} b ON {MIRRORED_SQL} AND b.key > a.key \
             LEFT JOIN entity s ON s.key = a.subject LEFT JOIN entity o ON o.key = a.object \
             WHERE a.subject <> a.object ORDER BY a.key"
    );
    let rows = conn
        .query_map(&mirrored, &[], |r| r.get::<String>(0))
        .map_err(rules)?;
    push_limited(problems, "symmetric duplicate", rows);
    Ok(())
}

/// The problem reported when SQLite cannot read the store far enough to check it: at
/// open (`step` = "opening of the store") or partway through the checks.
fn damage_problem(step: &str, source: &rusqlite::Error) -> Problem {
    Problem {
        rule: "damaged store",
        detail: format!(
            "SQLite stopped the {step} with \"{source}\", so the checks after it could not \
             run. Restore the store from a backup or an export"
        ),
    }
}

/// A check that could not finish, and which one.
struct CheckFailure {
    step: &'static str,
    source: DbError,
}

impl CheckFailure {
    fn at(step: &'static str) -> impl Fn(DbError) -> CheckFailure + Copy {
        move |source| CheckFailure { step, source }
    }
}

/// True for the errors of a damaged file (as opposed to, say, a locked store).
pub(crate) fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
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
    use crate::store::{ImportFormat, ImportOptions, Store};

    fn store_with_data() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        let text = r#"{"type":"entity","id":"a","kind":"person","name":"A"}
{"type":"entity","id":"b","kind":"city","name":"B"}
{"type":"relation","subject":"a","predicate":"visited","object":"b","when":"2025-04"}
"#;
        s.import(
            text.as_bytes(),
            ImportFormat::JsonLines,
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
    fn an_unknown_status_is_named_with_the_known_ones() {
        let s = store_with_data();
        s.connection()
            .execute_batch(
                "PRAGMA ignore_check_constraints = ON; UPDATE relation SET status = 'maybe'",
            )
            .unwrap();
        let problems = s.check().unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            problems[0].detail,
            "relation 1 (a visited b): its status 'maybe' is not occurred, planned, alleged, \
             denied, postponed or cancelled"
        );
    }

    #[test]
    fn the_rules_give_the_same_problems_on_both_engines() {
        let sound = store_with_data();
        let Some(pg) = crate::store::engines::postgres_copy(&sound) else {
            return;
        };
        assert_eq!(rules(&pg), Vec::<&str>::new());
        drop(pg);
        // Breaks both engines let happen (PostgreSQL enforces its foreign keys), the
        // keys given: the copy's identity columns do not know the copied keys.
        let cases: &[(&str, &str)] = &[
            (
                "UPDATE relation SET start_lo = end_hi + 1",
                "start bounds reversed",
            ),
            ("UPDATE relation SET end_hi = NULL", "partial bounds"),
            (
                "DELETE FROM alias WHERE is_name = 1 AND text = 'A'",
                "entity without a name",
            ),
            (
                "INSERT INTO relation(key, subject, predicate, object, fingerprint) \
                 SELECT key + 100, subject, predicate, object, fingerprint FROM relation",
                "repeated relation",
            ),
            (
                "UPDATE predicate SET \"symmetric\" = 1; \
                 INSERT INTO relation(key, subject, predicate, object, when_text, start_lo, \
                     start_hi, end_lo, end_hi, fingerprint) \
                 SELECT key + 100, object, predicate, subject, when_text, start_lo, start_hi, \
                     end_lo, end_hi, substr(fingerprint, 1, 1) FROM relation",
                "symmetric duplicate",
            ),
            ("UPDATE predicate_count SET n = 5", "wrong predicate count"),
            (
                "INSERT INTO saved_query (name, params, body) VALUES ('q', '{', 'x')",
                "bad saved query",
            ),
        ];
        for (sql, rule) in cases {
            let sqlite = store_with_data();
            let pg = crate::store::engines::postgres_copy(&sqlite).unwrap();
            sqlite.connection().execute_batch(sql).unwrap();
            pg.db().execute_batch(sql).unwrap();
            let want = sqlite.check().unwrap();
            assert!(want.iter().any(|p| p.rule == *rule), "{sql}: {want:?}");
            assert_eq!(pg.check().unwrap(), want, "{sql}");
        }
        // A status outside the list: each engine's own CHECK set aside.
        let sqlite = store_with_data();
        let pg = crate::store::engines::postgres_copy(&sqlite).unwrap();
        sqlite
            .connection()
            .execute_batch(
                "PRAGMA ignore_check_constraints = ON; UPDATE relation SET status = 'maybe'",
            )
            .unwrap();
        pg.db()
            .execute_batch(
                "ALTER TABLE relation DROP CONSTRAINT relation_status_check; \
                 UPDATE relation SET status = 'maybe'",
            )
            .unwrap();
        assert_eq!(pg.check().unwrap(), sqlite.check().unwrap());
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
            (
                "UPDATE predicate SET symmetric = 1; \
                 INSERT INTO relation(subject, predicate, object, when_text, start_lo, \
                     start_hi, end_lo, end_hi, fingerprint) \
                 SELECT object, predicate, subject, when_text, start_lo, start_hi, end_lo, \
                     end_hi, x'00' FROM relation",
                &["symmetric duplicate"],
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
