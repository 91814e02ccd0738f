//! Statistics of a store: counts of every kind of record, the time span the relations
//! cover, the most used predicates and the number of relations per year.

use std::fmt;

use super::db::dialect;
use super::{Store, StoreError};
use crate::time;

/// How many predicates `Stats::top_predicates` lists.
const TOP_PREDICATES: usize = 10;
/// How many entities `Stats::top_entities` lists.
const TOP_ENTITIES: usize = 10;

/// Counts and spans of a store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub entities: u64,
    /// Entities per kind, most numerous first.
    pub entities_by_kind: Vec<(String, u64)>,
    pub relations: u64,
    pub predicates: u64,
    pub sources: u64,
    /// Rows of the alias table: display names and aliases.
    pub aliases: u64,
    pub saved_queries: u64,
    /// The earliest and latest finite time bound of any relation, as ISO dates.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// The most used predicates with their number of relations, most used first.
    pub top_predicates: Vec<(String, u64)>,
    /// The entities in the most relations (as subject or object), most first, by name.
    pub top_entities: Vec<(String, u64)>,
    /// Relations per year of their earliest finite bound (relations without a time, or
    /// outside the years 0–9999, are not counted), in year order.
    pub relations_per_year: Vec<(i64, u64)>,
}

/// Finite bounds: neither minus nor plus infinity.
const FINITE: &str = "BETWEEN -9223372036854775807 AND 9223372036854775806";

impl Store {
    /// Gathers the statistics of the store.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let db = StoreError::db("cannot compute the statistics");
        let conn = self.db();
        let count = |table: &str| -> Result<u64, StoreError> {
            conn.query_row(&format!("SELECT count(*) FROM {table}"), &[], |r| {
                r.get::<i64>(0)
            })
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(db)
        };
        let pairs = |sql: &str| -> Result<Vec<(String, u64)>, StoreError> {
            conn.query_map(sql, &[], |r| {
                Ok((
                    r.get::<String>(0)?,
                    u64::try_from(r.get::<i64>(1)?).unwrap_or(0),
                ))
            })
            .map_err(db)
        };

        // Subqueries in FROM are named: PostgreSQL requires it.
        let (first, last): (Option<i64>, Option<i64>) = conn
            .query_row(
                &format!(
                    "SELECT min(v), max(v) FROM (
                        SELECT start_lo AS v FROM relation UNION ALL
                        SELECT start_hi FROM relation UNION ALL
                        SELECT end_lo FROM relation UNION ALL
                        SELECT end_hi FROM relation) AS bounds
                     WHERE v {FINITE}"
                ),
                &[],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(db)?;

        let per_year = conn
            .query_map(
                &format!(
                    "SELECT {} AS year, count(*)
                     FROM (SELECT CASE WHEN start_lo {FINITE} THEN start_lo
                                       WHEN start_hi {FINITE} THEN start_hi
                                       WHEN end_lo {FINITE} THEN end_lo
                                       WHEN end_hi {FINITE} THEN end_hi END AS d
                           FROM relation) AS days
                     WHERE d BETWEEN -719528 AND 2932896
                     GROUP BY year ORDER BY year",
                    dialect::year_of_day(conn.dialect(), "d")
                ),
                &[],
                |r| {
                    Ok((
                        r.get::<i64>(0)?,
                        u64::try_from(r.get::<i64>(1)?).unwrap_or(0),
                    ))
                },
            )
            .map_err(db)?;

        Ok(Stats {
            entities: count("entity")?,
            entities_by_kind: pairs(
                "SELECT kind, count(*) AS n FROM entity GROUP BY kind ORDER BY n DESC, kind",
            )?,
            relations: count("relation")?,
            predicates: count("predicate")?,
            sources: count("source")?,
            aliases: count("alias")?,
            saved_queries: count("saved_query")?,
            first_date: first.and_then(time::format_day),
            last_date: last.and_then(time::format_day),
            top_predicates: pairs(&format!(
                "SELECT p.id, count(*) AS n FROM relation r JOIN predicate p ON p.key = r.predicate
                 GROUP BY p.id ORDER BY n DESC, p.id LIMIT {TOP_PREDICATES}"
            ))?,
            top_entities: pairs(&format!(
                "SELECT e.name, t.n FROM (
                   SELECT k, sum(n) AS n FROM (
                     SELECT subject AS k, count(*) AS n FROM relation GROUP BY subject
                     UNION ALL
                     SELECT object AS k, count(*) AS n FROM relation GROUP BY object) AS ends
                   GROUP BY k ORDER BY n DESC, k LIMIT {TOP_ENTITIES}) t
                 JOIN entity e ON e.key = t.k ORDER BY t.n DESC, e.name"
            ))?,
            relations_per_year: per_year,
        })
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "entities       {}", self.entities)?;
        for (kind, n) in &self.entities_by_kind {
            writeln!(f, "  {kind:<12} {n}")?;
        }
        writeln!(f, "relations      {}", self.relations)?;
        writeln!(f, "predicates     {}", self.predicates)?;
        writeln!(f, "sources        {}", self.sources)?;
        writeln!(f, "names          {}", self.aliases)?;
        writeln!(f, "saved queries  {}", self.saved_queries)?;
        match (&self.first_date, &self.last_date) {
            (Some(a), Some(b)) => writeln!(f, "time span      {a} .. {b}")?,
            _ => writeln!(f, "time span      (no dated relations)")?,
        }
        if !self.top_predicates.is_empty() {
            writeln!(f, "top predicates")?;
            for (p, n) in &self.top_predicates {
                writeln!(f, "  {p:<24} {n}")?;
            }
        }
        if !self.top_entities.is_empty() {
            writeln!(f, "top entities")?;
            for (e, n) in &self.top_entities {
                writeln!(f, "  {e:<24} {n}")?;
            }
        }
        if !self.relations_per_year.is_empty() {
            writeln!(f, "relations per year")?;
            for (y, n) in &self.relations_per_year {
                writeln!(f, "  {y:<6} {n}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{ImportFormat, ImportOptions, Store};

    #[test]
    fn stats_count_and_span() {
        let mut s = Store::open_in_memory().unwrap();
        let text = r#"{"type":"entity","id":"a","kind":"person","name":"A","aliases":["Ā"]}
{"type":"entity","id":"b","kind":"city","name":"B"}
{"type":"entity","id":"c","kind":"city","name":"C"}
{"type":"relation","subject":"a","predicate":"visited","object":"b","when":"2023-01"}
{"type":"relation","subject":"a","predicate":"visited","object":"c","at":"2025-04-28"}
{"type":"relation","subject":"b","predicate":"near","object":"c"}
"#;
        s.import(
            text.as_bytes(),
            ImportFormat::JsonLines,
            "t",
            ImportOptions::default(),
        )
        .unwrap();
        let st = s.stats().unwrap();
        assert_eq!(st.entities, 3);
        assert_eq!(
            st.entities_by_kind,
            vec![("city".to_string(), 2), ("person".to_string(), 1)]
        );
        assert_eq!((st.relations, st.predicates, st.aliases), (3, 2, 4));
        assert_eq!(st.first_date.as_deref(), Some("2023-01-01"));
        assert_eq!(st.last_date.as_deref(), Some("2025-04-28"));
        assert_eq!(st.top_predicates[0], ("visited".to_string(), 2));
        assert_eq!(st.relations_per_year, vec![(2023, 1), (2025, 1)]);
        let shown = st.to_string();
        assert!(shown.contains("2023-01-01 .. 2025-04-28"), "{shown}");
    }

    #[test]
    fn empty_store_has_no_span() {
        let st = Store::open_in_memory().unwrap().stats().unwrap();
        assert_eq!(st.relations, 0);
        assert_eq!(st.first_date, None);
        assert!(st.to_string().contains("no dated relations"));
    }
}
