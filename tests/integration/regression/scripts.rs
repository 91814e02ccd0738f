//! Bugs of the REPL's input and of scripts' messages: typed-ahead and pasted lines,
//! positions of errors in scripts, errors of saved queries' arguments.

use std::time::Duration;

use expectrl::Expect;

use crate::repl::{prompt, quit, spawn};
use crate::support::seed_store;

#[test]
/// Lines typed ahead or pasted without bracketed paste: only the first ran, the others
/// were dropped without a word (rustyline dropped its read buffer after each line).
fn lines_typed_ahead_were_lost_but_the_first() {
    let store = seed_store();
    let home = tempfile::tempdir().unwrap();
    let mut repl = spawn(&store.db, home.path());
    // Three lines in one write, as a fast typist or an unbracketed paste sends them.
    repl.send("?who visited Baku\n.format csv\nIran -- Azerbaijan | count\n")
        .unwrap();
    repl.expect("Masoud Pezeshkian")
        .expect("the first line's result");
    repl.expect("count\r\n6")
        .expect("the third line's result, as CSV");
    prompt(&mut repl);
    quit(repl);
}

#[test]
/// A bracketed paste of several statements became one statement, which failed.
fn a_bracketed_paste_ran_as_one_broken_statement() {
    let store = seed_store();
    let home = tempfile::tempdir().unwrap();
    let mut repl = spawn(&store.db, home.path());
    repl.send(
        "\x1b[200~.format csv\nIran -- Azerbaijan | count; ?who visited Baku | count\x1b[201~",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    repl.send("\r").unwrap();
    repl.expect("count\r\n6")
        .expect("the first statement's result");
    repl.expect("count\r\n1")
        .expect("the second statement's result");
    prompt(&mut repl);
    quit(repl);
}

#[test]
/// An error on line 3 of a piped script said `at 1:12`: the position in the statement,
/// not in the script.
fn script_errors_said_1_12_for_line_3() {
    let store = seed_store();
    let script = "saved\n\n?who visited Baku; ?x visited Bakuu\n";
    let out = store.run_with_stdin(&["repl"], script);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(out.stderr.contains("at <stdin>:3:31"), "{}", out.stderr);
    assert!(out.stdout.contains("Pezeshkian"), "{}", out.stdout);
}

#[test]
/// `run visitors Bakuu` said "saved query `visitors` no longer runs" with a caret under
/// the whole `run`, text the user never typed, and named no saved query on a miss.
fn saved_query_argument_errors_said_no_longer_runs() {
    let store = seed_store();
    store.ok(&["query", "save visitors(place) = ?who visited $place"]);
    let out = store.run(&["run", "visitors", "Bakuu"]);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(
        out.stderr.contains("unknown entity `Bakuu`"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("no longer runs"), "{}", out.stderr);
    assert!(out.stderr.contains("did you mean Baku?"), "{}", out.stderr);
    let out = store.run(&["run", "visitorz", "Baku"]);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(
        out.stderr.contains("did you mean visitors?"),
        "{}",
        out.stderr
    );
}
