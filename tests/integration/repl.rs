//! The REPL: driven through a real pseudo-terminal (expectrl) for the line editor —
//! results, Tab completion, continuation lines, `.sql`, Ctrl-C and Ctrl-D — and through
//! a pipe for the piped mode.

use std::path::Path;
use std::process::Command;
use std::thread::sleep;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use expectrl::{ControlCode, Expect, Regex, Session};

use crate::support::{factstore_with_stdin, seed_store, seed_store_with};

/// Generous: CI machines are slow. Never a statement about speed.
const TIMEOUT: Duration = Duration::from_secs(10);

/// A REPL on `db` in a pseudo-terminal, with its history under `home`, no colours.
pub(crate) fn spawn(db: &Path, home: &Path) -> OsSession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factstore"));
    cmd.arg("--db")
        .arg(db)
        .arg("repl")
        .env_remove("FACTSTORE_DB")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        // A long result goes through the pager: one that never waits for a key.
        .env("PAGER", "cat");
    let mut session = Session::spawn(cmd).expect("the REPL starts in a pseudo-terminal");
    // Wide enough that no cell of the seed's tables is cut.
    session
        .get_process_mut()
        .set_window_size(400, 50)
        .expect("the terminal's size is set");
    session.set_expect_timeout(Some(TIMEOUT));
    session.expect("factstore> ").expect("the first prompt");
    session
}

/// Waits for the prompt of a new line: after the newline that ended the last one (and
/// any terminal modes set in between), so not a redraw of the line being edited.
/// Each line waits for this, so that what a test expects follows the line it sent.
pub(crate) fn prompt(session: &mut OsSession) {
    session
        .expect(Regex(r"\n(\x1b\[[0-9;?]*[A-Za-z]|\r)*factstore> "))
        .expect("a new prompt");
}

pub(crate) fn quit(mut session: OsSession) {
    session
        .send(ControlCode::EndOfTransmission)
        .expect("Ctrl-D is sent");
    let status = session.get_process().wait().expect("the REPL exits");
    assert!(
        matches!(status, WaitStatus::Exited(_, 0)),
        "Ctrl-D should exit with status 0, got {status:?}"
    );
}

#[test]
fn a_query_prints_its_table_and_ctrl_d_exits_0_keeping_the_history() {
    let store = seed_store();
    let home = tempfile::tempdir().unwrap();
    let mut repl = spawn(&store.db, home.path());
    repl.send_line("?who visited Baku").unwrap();
    repl.expect("who.id").expect("the table's header");
    repl.expect("Masoud Pezeshkian").expect("the visitor");
    repl.expect("(1 row)").expect("the row count");
    prompt(&mut repl);
    quit(repl);
    let history = std::fs::read_to_string(home.path().join("data/factstore/history"))
        .expect("the history file is written");
    assert!(history.contains("?who visited Baku"), "{history}");
}

#[test]
fn tab_completes_latin_and_arabic_prefixes() {
    let store = seed_store();
    let home = tempfile::tempdir().unwrap();
    let mut repl = spawn(&store.db, home.path());
    // `Bak` alone is no entity: only the completed `Baku` finds the visit.
    repl.send("?x visited Bak\t").unwrap();
    repl.expect("Baku").expect("Bak completed");
    repl.send("\r").unwrap();
    repl.expect("Masoud Pezeshkian")
        .expect("the query ran on Baku");
    prompt(&mut repl);

    repl.send("بيز\t").unwrap();
    repl.expect("بيزيشكيان")
        .expect("the Arabic prefix completed");
    repl.send(" visited ?where\r").unwrap();
    repl.expect("Azerbaijan")
        .expect("the places Pezeshkian visited");
    repl.expect("(2 rows)").unwrap();
    prompt(&mut repl);

    // A name with a space is inserted in quotes; Arabic orthography is unified.
    repl.send("\"الهام\t").unwrap();
    repl.expect("\"إلهام علييف\"").expect("the alias, quoted");
    repl.send(" received ?guest\r").unwrap();
    repl.expect("Masoud Pezeshkian").unwrap();
    prompt(&mut repl);
    quit(repl);
}

#[test]
fn an_unfinished_statement_continues_on_the_next_line() {
    let store = seed_store();
    let home = tempfile::tempdir().unwrap();
    let mut repl = spawn(&store.db, home.path());
    repl.send_line("Iran -- Azerbaijan |").unwrap();
    repl.expect("...> ").expect("the continuation prompt");
    repl.send_line("count").unwrap();
    repl.expect("count").unwrap();
    repl.expect("6")
        .expect("six relations between Iran and Azerbaijan");
    prompt(&mut repl);
    quit(repl);
}

#[test]
fn dot_sql_prints_the_sql_before_the_result() {
    let store = seed_store();
    let home = tempfile::tempdir().unwrap();
    let mut repl = spawn(&store.db, home.path());
    repl.send_line(".sql on").unwrap();
    prompt(&mut repl);
    repl.send_line("?x supplies_arms_to Azerbaijan").unwrap();
    repl.expect("SELECT").expect("the compiled SQL");
    repl.expect("-- parameters").expect("its parameters");
    repl.expect("Israel").expect("then the result");
    prompt(&mut repl);
    repl.send_line(".format json").unwrap();
    prompt(&mut repl);
    repl.send_line(".sql off").unwrap();
    prompt(&mut repl);
    repl.send_line("?x supplies_arms_to Azerbaijan").unwrap();
    repl.expect("\"x\": \"Israel\"")
        .expect("JSON after .format json");
    // rustyline drops keys typed before its prompt: a Ctrl-D sent while the rows still
    // print was lost and the test waited for ever.
    prompt(&mut repl);
    quit(repl);
}

#[test]
fn ctrl_c_stops_a_running_query_and_clears_a_line() {
    // 20,000 relations over 200 entities (`e0` … `e199`, predicate `e_linked`): an
    // unbound product of them runs far longer than the test.
    let store = seed_store_with(200, 20_000, "e");
    let home = tempfile::tempdir().unwrap();
    let mut repl = spawn(&store.db, home.path());
    repl.send_line("?a ?r ?b, ?c ?r2 ?d | count").unwrap();
    // The query runs far longer than the test; a Ctrl-C that comes before it starts is
    // ignored, so Ctrl-C is sent again until the query reports that it was stopped.
    repl.set_expect_timeout(Some(Duration::from_secs(1)));
    let mut stopped = false;
    for _ in 0..10 {
        sleep(Duration::from_millis(300));
        repl.send(ControlCode::EndOfText).unwrap();
        if repl.expect("interrupted").is_ok() {
            stopped = true;
            break;
        }
    }
    assert!(stopped, "Ctrl-C did not stop the query");
    repl.set_expect_timeout(Some(TIMEOUT));
    prompt(&mut repl);

    // On a line being edited, Ctrl-C drops it.
    repl.send("?a e_linked").unwrap();
    repl.send(ControlCode::EndOfText).unwrap();
    prompt(&mut repl);
    repl.send_line("e1 e_linked ?b | count").unwrap();
    repl.expect("100").expect("the REPL still answers");
    prompt(&mut repl);
    quit(repl);
}

#[test]
fn piped_statements_print_their_results_and_exit_0() {
    let store = seed_store();
    let db = store.db.to_str().unwrap();
    let out = factstore_with_stdin(
        &["--db", db, "repl"],
        "?who visited Baku\n# a comment line\n\nIran -- Azerbaijan |\n  count\n",
    );
    assert_eq!(out.status, 0, "{out:?}");
    assert!(
        out.stdout.contains("\"who\": \"Masoud Pezeshkian\""),
        "{out:?}"
    );
    assert!(out.stdout.contains("\"count\": 6"), "{out:?}");
    assert!(!out.stdout.contains("factstore>"), "no prompts: {out:?}");
}

#[test]
fn piped_bad_statement_among_good_ones_exits_2() {
    let store = seed_store();
    let db = store.db.to_str().unwrap();
    let out = factstore_with_stdin(
        &["--db", db, "repl"],
        "?who visited Baku\n?who visited Bakku\n.format csv\n?x supplies_arms_to Azerbaijan\n",
    );
    assert_eq!(out.status, 2, "{out:?}");
    assert!(out.stdout.contains("Masoud Pezeshkian"), "{out:?}");
    assert!(
        out.stdout.contains("x,x.id,subject"),
        "CSV after .format csv: {out:?}"
    );
    assert!(out.stderr.contains("unknown entity `Bakku`"), "{out:?}");
    assert!(out.stderr.contains("did you mean Baku"), "{out:?}");
}

#[test]
fn the_demo_reads_piped_statements() {
    let out = factstore_with_stdin(&["demo"], "?who visited Baku\n");
    assert_eq!(out.status, 0, "{out:?}");
    assert!(out.stdout.contains("Masoud Pezeshkian"), "{out:?}");
    assert!(
        out.stdout.trim_start().starts_with('['),
        "only results: {out:?}"
    );
}

#[test]
fn without_a_store_the_repl_says_how_to_create_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    let out = factstore_with_stdin(&["--db", db.to_str().unwrap()], "saved\n");
    assert_eq!(out.status, 1, "{out:?}");
    assert!(out.stderr.contains("init"), "{out:?}");
    assert!(!db.exists(), "the REPL creates no store");
}
