//! The data model's vocabulary, each piece written once: the statuses a relation can
//! have ([`Status`]) and how a relation's time is written back to people
//! ([`time_as_written_sql`]). The parser, planner, importer, checks and outputs take
//! them from here; the released schema migrations keep their own copy, and a new status
//! needs one line below plus a migration widening the schema's CHECK.

use std::fmt;
use std::str::FromStr;

/// Declares [`Status`] from its variants and words, so that the list of every status,
/// its words and the mapping between them cannot disagree.
macro_rules! statuses {
    ($( $(#[$doc:meta])* $variant:ident = $word:literal, )+) => {
        /// What is known of whether a relation happened.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Status {
            $( $(#[$doc])* $variant, )+
        }

        impl Status {
            /// Every status, in the order messages list them.
            pub const ALL: &'static [Status] = &[$(Status::$variant),+];
            /// The word of each status, in the order of [`Status::ALL`].
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            /// The status's word, as stored, imported, exported and written in queries.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Status::$variant => $word, )+
                }
            }
        }
    };
}

statuses! {
    /// It happened (the status of a relation recorded without one).
    Occurred = "occurred",
    /// It is announced for later.
    Planned = "planned",
    /// Someone says it happened.
    Alleged = "alleged",
    /// Someone says it did not happen.
    Denied = "denied",
    /// It was planned and has been moved to a later time.
    Postponed = "postponed",
    /// It was planned and has been called off.
    Cancelled = "cancelled",
}

impl Status {
    /// The status of a relation recorded without one; an export leaves it unsaid.
    pub const DEFAULT: Status = Status::Occurred;
    /// The statuses a query matches unless it says otherwise (`status …`).
    pub const DEFAULT_QUERIED: &'static [Status] = &[Status::Occurred, Status::Alleged];

    /// Every status's word joined for a message: `occurred, planned, alleged or denied`,
    /// with `last` (`or any`) as the final alternative instead when given.
    pub fn listed(last: Option<&str>) -> String {
        let mut words: Vec<&str> = Status::WORDS.to_vec();
        words.extend(last);
        match words.split_last() {
            Some((final_word, rest)) if !rest.is_empty() => {
                format!("{} or {final_word}", rest.join(", "))
            }
            _ => words.join(""),
        }
    }
}

impl Default for Status {
    fn default() -> Self {
        Status::DEFAULT
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that is no status (statuses are read exactly, in lower case).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown status `{0}`; use one of {words}", words = Status::WORDS.join(", "))]
pub struct UnknownStatus(pub String);

impl FromStr for Status {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .iter()
            .copied()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

/// The time of the relation whose table is aliased `r` (written as SQL, already quoted),
/// as written: its `when` text, else `from A to B`, `from A`, `to B` or `at D`, else
/// NULL. It is SQL because the `when` column is sorted, grouped and counted in SQL; the
/// `when` column, path results and graph labels all select it, so a relation's time reads
/// the same everywhere.
pub fn time_as_written_sql(r: &str) -> String {
    let column = |name: &str| format!("{r}.{}", crate::sql::ident(name));
    let (w, fr, to, at) = (
        column("when_text"),
        column("from_text"),
        column("to_text"),
        column("at_text"),
    );
    format!(
        "COALESCE({w}, CASE WHEN {fr} IS NOT NULL AND {to} IS NOT NULL THEN 'from ' || {fr} || ' to ' || {to} \
         WHEN {fr} IS NOT NULL THEN 'from ' || {fr} \
         WHEN {to} IS NOT NULL THEN 'to ' || {to} \
         WHEN {at} IS NOT NULL THEN 'at ' || {at} END)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_reads_back_from_its_word() {
        assert_eq!(Status::ALL.len(), Status::WORDS.len());
        for (status, word) in Status::ALL.iter().zip(Status::WORDS) {
            assert_eq!(status.as_str(), *word);
            assert_eq!(word.parse::<Status>(), Ok(*status));
            assert_eq!(status.to_string(), *word);
        }
        assert!("Occurred".parse::<Status>().is_err());
        assert!("any".parse::<Status>().is_err());
        assert_eq!(
            "maybe".parse::<Status>().unwrap_err().to_string(),
            "unknown status `maybe`; use one of occurred, planned, alleged, denied, postponed, \
             cancelled"
        );
    }

    #[test]
    fn statuses_are_listed_for_messages() {
        assert_eq!(
            Status::listed(None),
            "occurred, planned, alleged, denied, postponed or cancelled"
        );
        assert_eq!(
            Status::listed(Some("any")),
            "occurred, planned, alleged, denied, postponed, cancelled or any"
        );
    }

    #[test]
    fn the_queried_statuses_are_statuses() {
        assert!(Status::DEFAULT_QUERIED
            .iter()
            .all(|s| Status::ALL.contains(s)));
        assert_eq!(Status::default(), Status::Occurred);
    }

    #[test]
    fn a_time_is_written_as_stored_or_from_its_ends() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE relation (when_text, from_text, to_text, at_text);
             INSERT INTO relation VALUES
               ('2024-05', NULL, NULL, NULL),
               (NULL, '2023-01', 'mid 2024', NULL),
               (NULL, '2023-01', NULL, NULL),
               (NULL, NULL, 'mid 2024', NULL),
               (NULL, NULL, NULL, '2024-05-01'),
               (NULL, NULL, NULL, NULL);",
        )
        .unwrap();
        let sql = format!(
            "SELECT {} FROM relation AS r ORDER BY rowid",
            time_as_written_sql("r")
        );
        let mut stmt = conn.prepare(&sql).unwrap();
        let got: Vec<Option<String>> = stmt
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let want = [
            Some("2024-05"),
            Some("from 2023-01 to mid 2024"),
            Some("from 2023-01"),
            Some("to mid 2024"),
            Some("at 2024-05-01"),
            None,
        ];
        assert_eq!(got, want.map(|w| w.map(str::to_string)));
    }
}
