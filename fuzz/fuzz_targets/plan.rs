//! Fuzz target `plan`: any text is parsed and resolved against a store holding the demo
//! data. A resolved query compiles to SQL that SQLite accepts (its query plan is asked
//! for); a statement that only reads runs with a small limit and a short timeout, and its
//! rows render in every row format. Nothing panics.
#![no_main]

use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use factstore::deadline::Deadline;
use factstore::error::Error;
use factstore::lang;
use factstore::output::{self, OutputFormat, RenderOptions};
use factstore::statement::{self, Options, Outcome};
use factstore::store::{self, ImportOptions, Store};
use libfuzzer_sys::fuzz_target;

const DEMO: &str = include_str!("../../data/demo.jsonl");

/// The demo store, loaded once and shared by every run (nothing below writes to it).
fn demo_store() -> &'static Mutex<Store> {
    static STORE: OnceLock<Mutex<Store>> = OnceLock::new();
    STORE.get_or_init(|| {
        let mut store = Store::open_in_memory().expect("an in-memory store opens");
        store
            .import(
                DEMO.as_bytes(),
                store::ImportFormat::JsonLines,
                "demo",
                ImportOptions::default(),
            )
            .expect("the demo data imports");
        Mutex::new(store)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut store = demo_store().lock().unwrap_or_else(|p| p.into_inner());
    let opts = Options {
        limit: Some(20),
        deadline: Deadline::after(Duration::from_millis(250)),
        ..Options::default()
    };
    let stmt = match lang::parse(text) {
        Ok(stmt) => stmt,
        Err(e) => {
            let _ = Error::from(e).render(Some(text));
            return;
        }
    };
    let prepared = match statement::prepare(&store, &stmt, text, &opts) {
        Ok(prepared) => prepared,
        Err(e) => {
            let _ = e.render(Some(text));
            return;
        }
    };

    match statement::explain(&store, &prepared, &opts, true) {
        Ok(sql) => assert!(sql.contains("-- parameters"), "{sql}"),
        // Not a query (path, save, run of a path, saved, drop), or refused by the
        // compiler as wrong input.
        Err(e @ (Error::Usage(_) | Error::Sql(_))) => assert_eq!(e.exit_code(), 2),
        Err(e) => panic!("{text:?} resolves but its SQL is refused: {e}"),
    }

    if statement::writes(&stmt) {
        return;
    }
    let outcome = statement::run(&store.watch(&opts.deadline), &prepared, &opts);
    match outcome {
        Ok(Outcome::Rows(rows)) => {
            for format in OutputFormat::ROWS {
                for width in [None, Some(40)] {
                    let mut out = Vec::new();
                    output::render(
                        &rows,
                        format,
                        &RenderOptions {
                            width,
                            color: false,
                            ..RenderOptions::default()
                        },
                        &mut out,
                    )
                    .unwrap_or_else(|e| panic!("{text:?} as {format:?}: {e}"));
                }
            }
        }
        Ok(Outcome::Message(_)) | Err(Error::Stopped(_)) => {}
        Err(e @ (Error::Usage(_) | Error::Sql(_) | Error::SavedMissing(_))) => {
            assert_eq!(e.exit_code(), 2)
        }
        Err(Error::Plan(e)) if e.is_user_error() => {}
        Err(e) => panic!("{text:?} resolves but fails to run: {e}"),
    }
});
