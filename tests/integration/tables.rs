//! Tables as a user sees them: the REPL in a pseudo-terminal 80 and 200 columns wide
//! (tables never wider than the terminal, names and dates never cut, records when a
//! table cannot fit, `\x`, the pager and `.pager off`, Ctrl-C while rows print), and
//! `factstore query` as a script runs it.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use expectrl::session::OsSession;
use expectrl::{ControlCode, Expect, Regex, Session};
use unicode_width::UnicodeWidthStr;

use crate::repl::{prompt, quit};
use crate::support::{seed_store, seed_store_with, TempStore};

const TIMEOUT: Duration = Duration::from_secs(20);

/// A REPL on `db` in a pseudo-terminal `width` columns wide and 24 lines high, no
/// colours; the pager marks each line it shows with `PAGED:`.
fn spawn_sized(db: &Path, home: &Path, width: u16) -> OsSession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factstore"));
    cmd.arg("--db")
        .arg(db)
        .arg("repl")
        .env_remove("FACTSTORE_DB")
        .env_remove("COLUMNS")
        .env_remove("LINES")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("PAGER", "sed s/^/PAGED:/");
    let mut session = Session::spawn(cmd).expect("the REPL starts in a pseudo-terminal");
    session
        .get_process_mut()
        .set_window_size(width, 24)
        .expect("the terminal's size is set");
    session.set_expect_timeout(Some(TIMEOUT));
    session.expect("factstore> ").expect("the first prompt");
    session
}

/// Runs `line` and gives what it printed up to the row count line.
fn run(repl: &mut OsSession, line: &str) -> String {
    repl.send_line(line).unwrap();
    let found = repl
        .expect(Regex(r"\(\d+ rows?\)"))
        .expect("the row count line");
    let text = String::from_utf8_lossy(found.before()).into_owned();
    prompt(repl);
    text
}

/// The lines of a result, without the echoed input and carriage returns.
fn result_lines(text: &str) -> Vec<String> {
    text.split('\n')
        .skip(1)
        .map(|l| l.trim_end_matches('\r').to_owned())
        .collect()
}

/// Whether `text` has a record line `name │ value`, whatever the padding after the name
/// (it follows the longest field name of the result).
fn has_field(text: &str, name: &str, value: &str) -> bool {
    text.lines().any(|l| {
        l.split_once('│')
            .is_some_and(|(n, v)| n.trim_end() == name && n.ends_with(' ') && v.trim() == value)
    })
}

fn widest(lines: &[String]) -> usize {
    lines.iter().map(|l| l.width()).max().unwrap_or(0)
}

#[test]
fn at_80_columns_a_wide_result_is_records_and_nothing_is_cut() {
    let store = seed_store();
    let home = tempfile::tempdir().unwrap();
    let mut repl = spawn_sized(&store.db, home.path(), 80);
    let text = run(&mut repl, "?who visited Baku");
    let lines = result_lines(&text);
    assert!(widest(&lines) <= 80, "{text}");
    assert!(text.contains("[ RECORD 1 ]"), "{text}");
    assert!(has_field(&text, "who", "Masoud Pezeshkian"), "{text}");
    assert!(has_field(&text, "start", "2025-04-28"), "{text}");
    assert!(!text.contains('…'), "{text}");
    // `subject` only repeats `who`, `object` the Baku of the query.
    assert!(!text.contains("subject"), "{text}");
    assert!(!text.contains("object"), "{text}");

    // A narrower result is a table that fits.
    let text = run(&mut repl, "?a ?r ?b | show a, r, b, start | limit 3");
    let lines = result_lines(&text);
    assert!(widest(&lines) <= 80, "{text}");
    assert!(text.contains("│ a "), "{text}");
    assert!(!text.contains('…'), "{text}");
    quit(repl);
}

#[test]
fn at_200_columns_the_table_keeps_names_and_dates_whole() {
    let store = seed_store();
    let home = tempfile::tempdir().unwrap();
    let mut repl = spawn_sized(&store.db, home.path(), 200);
    let text = run(&mut repl, "?who visited Baku");
    let lines = result_lines(&text);
    assert!(widest(&lines) <= 200, "{text}");
    assert!(lines[0].starts_with('┌'), "{text}");
    assert!(
        text.contains("│ Masoud Pezeshkian │ pezeshkian │ 2025-04-28 │"),
        "{text}"
    );
    assert!(!text.contains("subject"), "{text}");

    // A path's chain wraps inside its column; its ends, which repeat the query, are left
    // out.
    let text = run(&mut repl, "path Netanyahu to Pezeshkian");
    let lines = result_lines(&text);
    assert!(widest(&lines) <= 200, "{text}");
    assert!(!text.contains("│ from"), "{text}");
    assert!(text.contains("Masoud Pezeshkian"), "{text}");
    quit(repl);
}

#[test]
fn backslash_x_switches_records_on_off_and_auto() {
    let store = seed_store();
    let home = tempfile::tempdir().unwrap();
    let mut repl = spawn_sized(&store.db, home.path(), 80);
    repl.send_line("\\x").unwrap();
    repl.expect("expanded display: on").unwrap();
    prompt(&mut repl);
    let text = run(&mut repl, "?x supplies_arms_to Azerbaijan | show x");
    assert!(text.contains("[ RECORD 1 ]"), "{text}");
    assert!(has_field(&text, "x", "Israel"), "{text}");

    // Off: a table, cut to the terminal as the last way to fit it.
    repl.send_line("\\x").unwrap();
    repl.expect("expanded display: off").unwrap();
    prompt(&mut repl);
    let text = run(&mut repl, "?who visited Baku");
    let lines = result_lines(&text);
    assert!(lines[0].starts_with('┌'), "{text}");
    assert!(widest(&lines) <= 80, "{text}");
    assert!(text.contains('…'), "{text}");

    repl.send_line("\\x auto").unwrap();
    repl.expect("expanded display: auto").unwrap();
    prompt(&mut repl);
    let text = run(&mut repl, "?who visited Baku");
    assert!(text.contains("[ RECORD 1 ]"), "{text}");
    quit(repl);
}

#[test]
fn a_result_longer_than_the_screen_goes_through_the_pager_until_pager_off() {
    let store = seed_store();
    let home = tempfile::tempdir().unwrap();
    let mut repl = spawn_sized(&store.db, home.path(), 200);
    // Short: straight to the terminal.
    let text = run(&mut repl, "?x supplies_arms_to Azerbaijan | show x");
    assert!(!text.contains("PAGED:"), "{text}");
    // Longer than 24 lines: through the pager.
    let text = run(&mut repl, "?a ?r ?b | show a, r, b");
    assert!(text.contains("PAGED:┌"), "{text}");
    assert!(text.contains("PAGED:│ a "), "{text}");

    repl.send_line(".pager off").unwrap();
    prompt(&mut repl);
    let text = run(&mut repl, "?a ?r ?b | show a, r, b");
    assert!(!text.contains("PAGED:"), "{text}");
    assert!(text.contains("│ a "), "{text}");
    quit(repl);
}

#[test]
fn ctrl_c_while_rows_print_says_how_many_were_printed() {
    // 20,000 relations: far more than the terminal takes in before the test reads it.
    let store = seed_store_with(100, 20_000, "e");
    let home = tempfile::tempdir().unwrap();
    let mut repl = spawn_sized(&store.db, home.path(), 80);
    repl.send_line(".pager off").unwrap();
    prompt(&mut repl);
    repl.send_line("?a e_linked ?b | show a, b").unwrap();
    // Output waits for the test to read it: the table is part way when Ctrl-C comes.
    repl.expect("e thing").expect("the first rows");
    repl.send(ControlCode::EndOfText).unwrap();
    let found = repl
        .expect(Regex(r"interrupted after (\d+) rows"))
        .expect("the interruption is said");
    let rows: usize = String::from_utf8_lossy(&found[1]).parse().unwrap();
    assert!(rows > 0 && rows < 20_000, "{rows}");
    prompt(&mut repl);
    let text = run(&mut repl, "e1 e_linked ?b | count");
    assert!(text.contains("count"), "{text}");
    quit(repl);
}

/// `factstore query` with `args`, the environment of a script: no terminal.
fn query(store: &TempStore, args: &[&str], columns: Option<&str>) -> String {
    let mut cmd = store.command_for(args);
    cmd.env_remove("COLUMNS");
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    let out = cmd.output().expect("factstore runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn scripts_keep_every_documented_column_and_piped_tables_are_not_cut() {
    let store = seed_store();
    let q = "?who visited Baku";
    let csv = query(&store, &["query", q, "--format", "csv"], None);
    assert!(
        csv.starts_with("who,who.id,subject,predicate,object,"),
        "{csv}"
    );
    let json = query(&store, &["query", q], None);
    assert!(json.contains("\"subject\""), "{json}");
    // A piped table has no width to fit: whole, on one line per row, no repeats.
    let table = query(&store, &["query", q, "--format", "table"], None);
    assert!(
        !table.contains('…') && !table.contains("[ RECORD"),
        "{table}"
    );
    assert!(!table.contains("subject"), "{table}");
    assert_eq!(table.lines().count(), 6, "{table}");
    // COLUMNS asks for a width even when piped.
    let fitted = query(&store, &["query", q, "--format", "table"], Some("80"));
    assert!(fitted.contains("[ RECORD 1 ]"), "{fitted}");
    for line in fitted.lines() {
        assert!(line.width() <= 80, "{line}");
    }
    let records = query(&store, &["query", q, "--format", "table", "-x"], None);
    assert!(has_field(&records, "who.id", "pezeshkian"), "{records}");
    let unpaged = query(
        &store,
        &["query", q, "--format", "table", "--no-pager"],
        None,
    );
    assert_eq!(unpaged, table);
}
