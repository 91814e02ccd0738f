//! A statement's deadline watched by the engine, for as long as the statement holds the
//! store: on SQLite, a progress handler on the store's connection that stops whatever
//! SQL runs once the deadline has passed or its flag is raised; on PostgreSQL, a thread
//! that asks the server to cancel the running statement then (`--timeout`, Ctrl-C: the
//! statement stops on the server too, not only here).

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::deadline::Deadline;

use super::db::Db;
use super::Store;

/// SQLite calls the progress handler every this many virtual machine instructions: well
/// under a millisecond apart, so a deadline is met within about a millisecond (a single
/// instruction that runs long, such as sorting, is not cut short), and the check (an
/// atomic load and one reading of the clock) costs a small fraction of a percent.
const PROGRESS_OPS: std::ffi::c_int = 10_000;

/// How often the PostgreSQL watcher reads the deadline: a cancel reaches the server
/// within a few milliseconds of it, for an atomic load and a reading of the clock.
const POLL: Duration = Duration::from_millis(5);

/// Once the deadline has stopped the statement, a cancel is sent again this often, so
/// that SQL the statement still starts is stopped as SQLite's handler stops it.
const CANCEL_AGAIN: Duration = Duration::from_millis(50);

/// The store while a deadline is watched; it gives the store (`&Store`, or `&mut Store`
/// for writes) and stops watching when dropped.
pub struct Watched<'s> {
    store: &'s mut Store,
    /// The PostgreSQL watcher: told to end, and waited for, when the guard goes.
    watcher: Option<(Arc<AtomicBool>, std::thread::JoinHandle<()>)>,
}

impl Store {
    /// Watches `deadline` while the returned guard lives: SQL that runs on the store then
    /// fails once the deadline stops the statement (SQLite's "interrupted", PostgreSQL's
    /// query_canceled; both read as [`super::StoreError::is_interrupted`]). A deadline
    /// that can never stop installs nothing.
    pub fn watch(&mut self, deadline: &Deadline) -> Watched<'_> {
        let mut watcher = None;
        if deadline.is_bounded() {
            let deadline = deadline.clone();
            match &self.db {
                Db::Sqlite(_) => {
                    // Setting a progress handler cannot fail; the result is a formality
                    // of rusqlite's API.
                    let _ = self
                        .conn_mut()
                        .progress_handler(PROGRESS_OPS, Some(move || deadline.stop().is_some()));
                }
                Db::Postgres(pg) => {
                    let token = pg.cancel_token();
                    let done = Arc::new(AtomicBool::new(false));
                    let ended = Arc::clone(&done);
                    let thread = std::thread::spawn(move || {
                        let mut sent: Option<std::time::Instant> = None;
                        while !ended.load(Ordering::Acquire) {
                            let due = sent.is_none_or(|at| at.elapsed() >= CANCEL_AGAIN);
                            if due && deadline.stop().is_some() {
                                // A failed cancel (the server gone) leaves the statement
                                // to fail on its own.
                                let _ = token.cancel_query(postgres::NoTls);
                                sent = Some(std::time::Instant::now());
                            }
                            std::thread::park_timeout(POLL);
                        }
                    });
                    watcher = Some((done, thread));
                }
            }
        }
        Watched {
            store: self,
            watcher,
        }
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
        match self.watcher.take() {
            Some((done, thread)) => {
                done.store(true, Ordering::Release);
                thread.thread().unpark();
                // The watcher only sleeps and cancels: it ends at once.
                let _ = thread.join();
            }
            None => {
                let _ = self
                    .store
                    .conn_mut()
                    .progress_handler(0, None::<fn() -> bool>);
            }
        }
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

    #[test]
    fn postgres_cancels_the_statement_at_the_deadline() {
        let Some(mut store) = crate::store::engines::postgres_store() else {
            return;
        };
        let slow = "SELECT count(*) FROM pg_sleep(5)";
        let started = std::time::Instant::now();
        {
            let watched = store.watch(&Deadline::after(Duration::from_millis(50)));
            let err = watched
                .db()
                .query_row(slow, &[], |r| r.get::<i64>(0))
                .map_err(crate::store::StoreError::query_db)
                .unwrap_err();
            assert!(err.is_interrupted(), "{err}");
        }
        assert!(started.elapsed() < Duration::from_secs(4), "not cancelled");
        // Once the guard is gone, nothing stops a statement.
        let n: i64 = store
            .db()
            .query_row("SELECT count(*) FROM pg_sleep(0.1)", &[], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
        // A flag raised (Ctrl-C in the REPL) stops it while watched.
        let flag = Arc::new(AtomicBool::new(false));
        let raised = Arc::clone(&flag);
        let watched = store.watch(&Deadline::none().with_cancel(Arc::clone(&flag)));
        cancelled_soon_by(&watched, move || raised.store(true, Ordering::SeqCst));
        drop(watched);
        // Ctrl-C's handle cancels on the server too.
        let handle = store.interrupt_handle();
        cancelled_soon_by(&store, move || handle.interrupt());
    }

    /// A long statement on `store` fails as cancelled by the server once `act` runs,
    /// a moment after it started.
    fn cancelled_soon_by(store: &Store, act: impl FnOnce() + Send + 'static) {
        let acting = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            act();
        });
        let err = store
            .db()
            .query_row("SELECT count(*) FROM pg_sleep(5)", &[], |r| r.get::<i64>(0))
            .unwrap_err();
        assert_eq!(err.sqlstate(), Some("57014"), "{err}");
        acting.join().unwrap();
    }
}
