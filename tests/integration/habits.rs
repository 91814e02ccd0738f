//! The habits of sqlite3, psql and duckdb: pasted and typed-ahead lines (through a
//! pseudo-terminal), `;`, bare `help`/`quit`, `.read`, `.output`, `.once`, `.bail`,
//! `.echo`, `.mode`, and errors of scripts that say `FILE:LINE:COL`.

use std::time::Duration;

use expectrl::Expect;

use crate::repl::{prompt, quit, spawn};
use crate::support::seed_store;

#[test]
fn lines_typed_ahead_all_run_in_order() {
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
fn a_bracketed_paste_runs_statement_by_statement() {
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
fn errors_of_a_piped_script_say_the_line_and_column_in_the_script() {
    let store = seed_store();
    let script = "saved\n\n?who visited Baku; ?x visited Bakuu\n";
    let out = store.run_with_stdin(&["repl"], script);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(out.stderr.contains("at <stdin>:3:31"), "{}", out.stderr);
    assert!(out.stdout.contains("Pezeshkian"), "{}", out.stdout);
}

#[test]
fn semicolons_bare_words_and_bail() {
    let store = seed_store();
    let out = store.run_with_stdin(
        &["repl"],
        ".mode csv\nIran -- Azerbaijan | count; ?who visited Baku | count;\nhelp\n\
         .bail on\n?x visited Nowhere\n?who visited Baku\n",
    );
    assert_eq!(out.status, 2, "{out:?}");
    assert!(
        out.stdout.starts_with("count\n6\ncount\n1\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(".read FILE"),
        "help is printed: {}",
        out.stdout
    );
    // `.bail on` stopped the script at the unknown entity.
    assert!(!out.stdout.contains("Masoud Pezeshkian"), "{}", out.stdout);
    let out = store.run_with_stdin(&["repl"], "saved\nquit\n?who visited Nowhere\n");
    assert_eq!(out.status, 0, "`quit` ends the script: {out:?}");
}

#[test]
fn read_output_once_and_echo() {
    let store = seed_store();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("s.fq");
    std::fs::write(&script, "# a script\n.mode csv\n\n  ?who visited Bakuu\n").unwrap();
    let all = dir.path().join("all.csv");
    let once = dir.path().join("once.json");
    let input = format!(
        ".echo on\n.read {}\n.output {}\nIran -- Azerbaijan | count\n?who visited Baku | count\n\
         .output\n.once {}\n.format json\nIran -- Azerbaijan | count\nsaved\n",
        script.display(),
        all.display(),
        once.display()
    );
    let out = store.run_with_stdin(&["repl"], &input);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("at {}:4:16", script.display())),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("?who visited Baku | count"),
        "echoed: {}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&all).unwrap(),
        "count\n6\ncount\n1\n"
    );
    let once = std::fs::read_to_string(&once).unwrap();
    assert!(once.contains("\"count\": 6"), "{once}");
    // After `.once`, results are back on stdout.
    assert_eq!(out.stdout.trim(), "[]", "{}", out.stdout);
    // The store itself is never an output file.
    let out = store.run_with_stdin(
        &["repl"],
        &format!(".output {}\nsaved\n", store.db.display()),
    );
    assert_eq!(out.status, 2, "{out:?}");
}
