//! WRITES.md through the binary: every line of its two blocks run on a store made from
//! the seed article's facts (plus the entities and sources the examples need, added by
//! `add` themselves), asserting what a user sees: rows, ids, messages, exit statuses.
//!
//! The parts: [`relations`] adds, corrects and retracts relations (and adds entities,
//! predicates, sources and names); [`sources`] corrects sources (their relations' relative
//! dates move with them); [`entities`] merges and unmerges; [`undo`] undoes and
//! erases; [`past`] asks about the past (`as recorded`, `history`, `changes`);
//! [`authors`] says who wrote, from where, and in how many changes (`--atomic`,
//! `begin` … `commit`); [`transfer`] exports and imports history and upgrades an old
//! store; [`writers`] runs two processes on one store.

mod authors;
mod entities;
mod past;
mod relations;
mod sources;
mod transfer;
mod undo;
mod writers;

use std::path::Path;

use serde_json::{Map, Value};

use crate::support::{run_command, Output, TempStore};

/// One row of JSON output.
pub type Row = Map<String, Value>;

/// Runs one statement with `factstore query`, output as JSON.
pub fn query(store: &TempStore, text: &str) -> Output {
    store.run(&["query", "--format", "json", text])
}

/// Runs a write that must succeed; gives what it said (stderr). Writes print nothing on
/// stdout.
pub fn write(store: &TempStore, text: &str) -> String {
    written(query(store, text), text)
}

/// [`write`] by `author` (`--as AUTHOR`).
pub fn write_as(store: &TempStore, author: &str, text: &str) -> String {
    written(store.run(&["--as", author, "query", text]), text)
}

/// What a write that must have succeeded said.
fn written(out: Output, text: &str) -> String {
    assert_eq!(out.status, 0, "`{text}` failed: {}", out.stderr);
    assert!(
        out.stdout.trim().is_empty() || out.stdout.trim() == "[]",
        "`{text}` printed rows: {}",
        out.stdout
    );
    out.stderr
}

/// Runs a statement that must fail with `status`, leaving the store as it was (its
/// export with history unchanged); gives the error message (stderr).
pub fn refused(store: &TempStore, text: &str, status: i32) -> String {
    let before = history_export(store);
    let out = query(store, text);
    assert_eq!(out.status, status, "`{text}`: {out:?}");
    assert!(
        out.stdout.is_empty(),
        "`{text}` printed rows: {}",
        out.stdout
    );
    assert!(
        out.stderr.starts_with("error: "),
        "`{text}`: {}",
        out.stderr
    );
    assert_eq!(
        history_export(store),
        before,
        "`{text}` failed but changed the store"
    );
    out.stderr
}

/// Runs a write that must succeed without changing anything (no change recorded, the
/// store as it was); gives what it said.
pub fn unchanged(store: &TempStore, text: &str) -> String {
    let before = history_export(store);
    let said = write(store, text);
    assert_eq!(
        history_export(store),
        before,
        "`{text}` said {said:?} but changed the store"
    );
    said
}

/// The rows of a query (JSON output), which must succeed.
pub fn rows(store: &TempStore, text: &str) -> Vec<Row> {
    let out = query(store, text);
    assert_eq!(out.status, 0, "`{text}` failed: {}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("`{text}` printed no JSON ({e}): {}", out.stdout));
    v.as_array()
        .unwrap_or_else(|| panic!("`{text}` printed no array: {}", out.stdout))
        .iter()
        .map(|r| r.as_object().expect("rows are objects").clone())
        .collect()
}

/// A query's output in `format`, exactly as printed (for comparing answers).
pub fn answer(store: &TempStore, text: &str, format: &str) -> String {
    let out = store.run(&["query", "--format", format, text]);
    assert_eq!(out.status, 0, "`{text}` failed: {}", out.stderr);
    out.stdout
}

/// Output with its lines sorted (a JSON array's rows without their separating commas):
/// the same rows in any order give the same text.
pub fn rows_as_set(output: &str) -> String {
    let mut lines: Vec<&str> = output.lines().map(|l| l.trim_end_matches(',')).collect();
    lines.sort_unstable();
    lines.join("\n")
}

/// A column of rows as text (`null` for a null, numbers as written).
pub fn column(rows: &[Row], name: &str) -> Vec<String> {
    rows.iter()
        .map(|r| match r.get(name) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => panic!("no column `{name}` in {r:?}"),
        })
        .collect()
}

/// The relation ids (`id` column) of a single-clause query.
pub fn ids(store: &TempStore, text: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = rows(store, text)
        .iter()
        .map(|r| r["id"].as_i64().expect("an id is a number"))
        .collect();
    ids.sort_unstable();
    ids
}

/// The `#N` a write message names after `word` (`added #41`, `already recorded as #41`).
pub fn handle_after(said: &str, word: &str) -> i64 {
    let at = said
        .find(word)
        .unwrap_or_else(|| panic!("no `{word}` in {said:?}"));
    let rest = &said[at + word.len()..];
    let rest = rest.trim_start().strip_prefix('#').unwrap_or_else(|| {
        panic!("no #id after `{word}` in {said:?}");
    });
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().expect("an id")
}

/// The change a write message names: `… (change N)`.
pub fn change_of(said: &str) -> i64 {
    let at = said
        .rfind("(change ")
        .unwrap_or_else(|| panic!("no change in {said:?}"));
    let digits: String = said[at + 8..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().expect("a change number")
}

/// The number of the latest change, 0 without any.
pub fn latest_change(store: &TempStore) -> i64 {
    rows(store, "changes")
        .iter()
        .filter_map(|r| r["change"].as_i64())
        .max()
        .unwrap_or(0)
}

/// The row of `changes` for change `n`.
pub fn change_row(store: &TempStore, n: i64) -> Row {
    rows(store, "changes")
        .into_iter()
        .find(|r| r["change"].as_i64() == Some(n))
        .unwrap_or_else(|| panic!("no change {n}"))
}

/// Everything the store holds, history included.
pub fn history_export(store: &TempStore) -> String {
    let out = store.run(&["export", "--history"]);
    assert_eq!(out.status, 0, "export --history failed: {}", out.stderr);
    out.stdout
}

/// Runs `factstore --db DB ARGS` with `stdin` and the given environment changes
/// (`None` removes a variable).
pub fn run_env(
    store: &TempStore,
    args: &[&str],
    stdin: &str,
    env: &[(&str, Option<&str>)],
) -> Output {
    let mut cmd = store.command_for(args);
    for (name, value) in env {
        match value {
            Some(v) => cmd.env(name, v),
            None => cmd.env_remove(name),
        };
    }
    run_command(cmd, stdin)
}

/// Statements piped to `factstore repl` (with `extra` flags before `repl`).
pub fn piped(store: &TempStore, extra: &[&str], script: &str) -> Output {
    let mut args = extra.to_vec();
    args.push("repl");
    store.run_with_stdin(&args, script)
}

/// Sets the instant every change was recorded at (`(change, instant)`), so that
/// questions about days (`as recorded on D`, `changes since D`) have days to tell apart.
/// The binary records the clock's instant; a test cannot wait for days to pass.
pub fn set_recorded(db: &Path, instants: &[(i64, &str)]) {
    let conn = rusqlite::Connection::open(db).expect("the store opens");
    for (change, instant) in instants {
        let n = conn
            .execute(
                "UPDATE change SET recorded = ?2 WHERE id = ?1",
                rusqlite::params![change, instant],
            )
            .expect("the change table");
        assert_eq!(n, 1, "no change {change}");
    }
}

/// The row whose `id` is `id`, which must be there.
pub fn with_id(rows: Vec<Row>, id: i64) -> Row {
    rows.iter()
        .find(|r| r["id"].as_i64() == Some(id))
        .cloned()
        .unwrap_or_else(|| panic!("no row #{id} in {rows:?}"))
}
