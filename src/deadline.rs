//! When a statement must stop: a time limit (`--timeout`) and a flag another thread can
//! raise (Ctrl-C in the REPL). One [`Deadline`] is made when a statement starts and is
//! checked by every stage that can take long: the planner between catalog lookups, the
//! path search between layers and chains, and SQLite itself through its progress
//! handler (see [`crate::store::Store::watch`]), so a timeout covers the whole
//! statement, not only its SQL.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why a statement was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Stop {
    /// It ran past its time limit (the duration asked for).
    #[error("the query was stopped after the timeout of {} s; narrow it (a named entity, a period, `limit`) or raise --timeout", .0.as_secs_f64())]
    Timeout(Duration),
    /// Someone asked it to stop (Ctrl-C).
    #[error("the query was interrupted")]
    Interrupted,
}

/// A statement's time limit and stop flag; the default has neither and never stops.
///
/// Cheap to check (an atomic load and, with a time limit, one reading of the clock) and
/// cheap to clone (the flag is shared).
#[derive(Debug, Clone, Default)]
pub struct Deadline {
    /// The instant the statement must be done by, and the limit it was made from.
    until: Option<(Instant, Duration)>,
    cancel: Option<Arc<AtomicBool>>,
}

impl Deadline {
    /// No time limit and no flag.
    pub fn none() -> Deadline {
        Deadline::default()
    }

    /// A deadline `limit` from now.
    pub fn after(limit: Duration) -> Deadline {
        Deadline {
            // A limit too far away to add to the clock is no limit.
            until: Instant::now().checked_add(limit).map(|at| (at, limit)),
            cancel: None,
        }
    }

    /// The same deadline, also stopping once `flag` is true.
    pub fn with_cancel(mut self, flag: Arc<AtomicBool>) -> Deadline {
        self.cancel = Some(flag);
        self
    }

    /// True if this deadline can ever stop anything (so watching it is worth a cost).
    pub fn is_bounded(&self) -> bool {
        self.until.is_some() || self.cancel.is_some()
    }

    /// Why the statement must stop now, if it must.
    pub fn stop(&self) -> Option<Stop> {
        if self
            .cancel
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
        {
            return Some(Stop::Interrupted);
        }
        match self.until {
            Some((at, limit)) if Instant::now() >= at => Some(Stop::Timeout(limit)),
            _ => None,
        }
    }

    /// `Err` once the statement must stop.
    pub fn check(&self) -> Result<(), Stop> {
        match self.stop() {
            Some(stop) => Err(stop),
            None => Ok(()),
        }
    }

    /// [`Deadline::check`] for code that works between SQLite calls on behalf of one
    /// statement (the path search): stopping there reads as SQLite's own interrupt, which
    /// the statement layer turns into the reason given by [`Deadline::stop`].
    pub fn check_sqlite(&self) -> rusqlite::Result<()> {
        match self.stop() {
            Some(_) => Err(interrupted()),
            None => Ok(()),
        }
    }
}

/// What the REPL and `factstore query` say when Ctrl-C stopped a statement after `rows`
/// rows were printed.
pub fn interrupted_after(rows: usize) -> String {
    format!(
        "interrupted after {rows} {}: the query was stopped (Ctrl-C); the store is unchanged",
        if rows == 1 { "row" } else { "rows" }
    )
}

/// SQLite's "interrupted" error, as `sqlite3_interrupt` or a progress handler gives it.
pub fn interrupted() -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_INTERRUPT),
        None,
    )
}

/// Is `e` SQLite's "interrupted" (a deadline, Ctrl-C, or [`interrupted`])?
pub fn is_interrupted(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_deadline_never_stops() {
        let d = Deadline::none();
        assert!(!d.is_bounded());
        assert_eq!(d.stop(), None);
        assert!(d.check_sqlite().is_ok());
    }

    #[test]
    fn a_passed_time_limit_stops_with_its_duration() {
        let limit = Duration::from_nanos(1);
        let d = Deadline::after(limit);
        std::thread::sleep(Duration::from_millis(1));
        assert_eq!(d.check(), Err(Stop::Timeout(limit)));
        assert!(d.check_sqlite().is_err_and(|e| is_interrupted(&e)));
        let later = Deadline::after(Duration::from_secs(3600));
        assert_eq!(later.stop(), None);
        // A limit past what the clock can hold is none.
        assert_eq!(Deadline::after(Duration::MAX).stop(), None);
    }

    #[test]
    fn the_flag_stops_clones_too() {
        let flag = Arc::new(AtomicBool::new(false));
        let d = Deadline::after(Duration::from_secs(3600)).with_cancel(flag.clone());
        let copy = d.clone();
        assert_eq!(copy.stop(), None);
        flag.store(true, Ordering::SeqCst);
        assert_eq!(copy.stop(), Some(Stop::Interrupted));
        assert_eq!(d.stop(), Some(Stop::Interrupted));
    }
}
