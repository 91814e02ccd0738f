//! A statement's deadline watched by SQLite: a progress handler on the store's
//! connection that stops whatever SQL runs once the deadline has passed or its flag is
//! raised, for as long as the statement holds the store.

use std::ops::{Deref, DerefMut};

use crate::deadline::Deadline;

use super::Store;

/// SQLite calls the progress handler every this many virtual machine instructions: well
/// under a millisecond apart, so a deadline is met within about a millisecond (a single
/// instruction that runs long, such as sorting, is not cut short), and the check (an
/// atomic load and one reading of the clock) costs a small fraction of a percent.
const PROGRESS_OPS: std::ffi::c_int = 10_000;

/// The store while a deadline is watched; it gives the store (`&Store`, or `&mut Store`
/// for writes) and stops watching when dropped.
pub struct Watched<'s> {
    store: &'s mut Store,
}

impl Store {
    /// Watches `deadline` while the returned guard lives: SQL that runs on the store then
    /// fails with SQLite's "interrupted" once the deadline stops the statement. A
    /// deadline that can never stop installs nothing.
    pub fn watch(&mut self, deadline: &Deadline) -> Watched<'_> {
        if deadline.is_bounded() {
            let deadline = deadline.clone();
            // Setting a progress handler cannot fail; the result is a formality of
            // rusqlite's API.
            let _ = self
                .conn_mut()
                .progress_handler(PROGRESS_OPS, Some(move || deadline.stop().is_some()));
        }
        Watched { store: self }
    }
}

impl Deref for Watched<'_> {
    type Target = Store;

    fn deref(&self) -> &Store {
        self.store
    }
}

impl DerefMut for Watched<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        self.store
    }
}

impl Drop for Watched<'_> {
    fn drop(&mut self) {
        let _ = self
            .store
            .conn_mut()
            .progress_handler(0, None::<fn() -> bool>);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A query that counts to ten million: far longer than a millisecond.
    const LONG: &str = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n \
                        WHERE i < 10000000) SELECT count(*) FROM n";

    #[test]
    fn sql_stops_at_the_deadline_and_runs_again_after() {
        let mut store = Store::open_in_memory().unwrap();
        {
            let watched = store.watch(&Deadline::after(Duration::from_millis(1)));
            let result: rusqlite::Result<i64> =
                watched.connection().query_row(LONG, [], |r| r.get(0));
            assert!(
                result.as_ref().is_err_and(crate::deadline::is_interrupted),
                "{result:?}"
            );
        }
        // Once the guard is gone, nothing stops the same query.
        let n: i64 = store
            .connection()
            .query_row(LONG, [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 10_000_000);
    }
}
