//! The data model's vocabulary, each piece written once: the statuses a relation can
//! have ([`Status`]). The parser, planner, importer, checks and outputs take
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
            "unknown status `maybe`; use one of occurred, planned, alleged, denied"
        );
    }

    #[test]
    fn statuses_are_listed_for_messages() {
        assert_eq!(Status::listed(None), "occurred, planned, alleged or denied");
        assert_eq!(
            Status::listed(Some("any")),
            "occurred, planned, alleged, denied or any"
        );
    }

    #[test]
    fn the_queried_statuses_are_statuses() {
        assert!(Status::DEFAULT_QUERIED
            .iter()
            .all(|s| Status::ALL.contains(s)));
        assert_eq!(Status::default(), Status::Occurred);
    }
}
