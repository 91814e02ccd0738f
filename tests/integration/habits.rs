//! The habits of sqlite3, psql and duckdb: `;`, bare `help`/`quit`, `.read`, `.output`,
//! `.once`, `.bail`, `.echo`, `.mode` (box, markdown), `.headers`; `factstore STORE`,
//! `-c`, the format flags, `-o`, `--no-color`, `--version`, completions, the man page,
//! `FACTSTORE_HISTORY`, JSON reports; periods written as data writes them.

use std::time::Duration;

use expectrl::Expect;

use crate::repl::{prompt, quit};
use crate::support::{factstore, seed_store};

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

#[test]
fn a_store_argument_and_c_run_statements_as_a_script() {
    let store = seed_store();
    let db = store.db.to_str().unwrap();
    let out = factstore(&[db, "-c", "Iran -- Azerbaijan | count; .stats", "--csv"]);
    assert_eq!(out.status, 0, "{out:?}");
    assert!(out.stdout.starts_with("count\n6\n"), "{}", out.stdout);
    assert!(out.stdout.contains("entities"), "{}", out.stdout);
    let out = factstore(&[db, "-c", "?x visited Bakuu"]);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(out.stderr.contains("<command line>:1:12"), "{}", out.stderr);
    // The demo is a REPL too: its flags come before `demo`.
    let out = factstore(&["--csv", "-c", "Iran -- Azerbaijan | count", "demo"]);
    assert_eq!(
        (out.status, out.stdout.as_str()),
        (0, "count\n6\n"),
        "{out:?}"
    );
    // The REPL's flags before another command are refused, not ignored.
    let out = factstore(&[db, "stats"]);
    assert_eq!(out.status, 2, "{out:?}");
}

#[test]
fn format_flags_and_output_files() {
    let store = seed_store();
    let count = "Iran -- Azerbaijan | count";
    assert_eq!(store.ok(&["query", count, "--csv"]), "count\n6\n");
    assert_eq!(store.ok(&["query", count, "--tsv"]), "count\n6\n");
    assert_eq!(store.ok(&["query", count, "--format", "CSV"]), "count\n6\n");
    assert_eq!(
        store.ok(&["query", count, "--jsonl"]).trim(),
        r#"{"count": 6}"#
    );
    assert!(store
        .ok(&["query", count, "--json"])
        .contains(r#""count": 6"#));
    assert_eq!(store.run(&["query", count, "--json", "--csv"]).status, 2);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.csv");
    let out = store.run(&["query", count, "--csv", "-o", file.to_str().unwrap()]);
    assert_eq!((out.status, out.stdout.as_str()), (0, ""), "{out:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "count\n6\n");
    let out = store.run(&["run", "nothing", "-o", store.db.to_str().unwrap()]);
    assert_eq!(out.status, 2, "the store is never an output file: {out:?}");
}

#[test]
fn a_param_the_statement_does_not_use_is_refused() {
    let store = seed_store();
    let out = store.run(&["query", "?who visited $place", "--param", "plac=Baku"]);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(out.stderr.contains("it uses $place"), "{}", out.stderr);
    let out = store.run(&[
        "query",
        "?who visited $place | count",
        "--param",
        "place=Baku",
        "--csv",
    ]);
    assert_eq!(out.stdout, "count\n1\n", "{out:?}");
}

#[test]
fn stats_and_check_speak_json() {
    let store = seed_store();
    let stats: serde_json::Value =
        serde_json::from_str(&store.ok(&["stats", "--format", "json"])).unwrap();
    assert_eq!(stats["entities"], 25);
    assert_eq!(stats["entities_by_kind"][0]["kind"], "person");
    let check: serde_json::Value = serde_json::from_str(&store.ok(&["check", "--json"])).unwrap();
    assert_eq!(check["problems"], serde_json::json!([]));
}

#[test]
fn version_completions_man_page_and_help() {
    let out = factstore(&["--version"]);
    assert!(out.stdout.contains("store schema"), "{}", out.stdout);
    assert!(out.stdout.contains("SQLite 3."), "{}", out.stdout);
    for shell in ["bash", "zsh", "fish"] {
        let out = factstore(&["completions", shell]);
        assert_eq!(out.status, 0, "{out:?}");
        assert!(out.stdout.contains("factstore"), "{shell}");
        assert!(out.stdout.contains("query"), "{shell}");
    }
    let out = factstore(&["man"]);
    assert!(out.stdout.contains(".TH factstore 1"), "{}", out.stdout);
    let help = factstore(&["query", "--help"]).stdout;
    assert!(
        help.contains("Examples:") && help.contains("?who visited Baku"),
        "{help}"
    );
    let help = factstore(&["--help"]).stdout;
    assert!(
        help.contains("FACTSTORE_DB") && help.contains("NO_COLOR"),
        "{help}"
    );
}

#[test]
fn examples_in_the_help_run() {
    let store = seed_store();
    let help = factstore(&["query", "--help"]).stdout;
    let examples = help.split("Examples:").nth(1).unwrap();
    for line in examples.lines().filter(|l| l.contains("factstore query '")) {
        let text = line.split('\'').nth(1).unwrap();
        let mut args = vec!["query", text, "--csv"];
        if text.contains("$place") {
            args.extend(["--param", "place=Baku"]);
        }
        let out = store.run(&args);
        assert_eq!(out.status, 0, "{text}: {out:?}");
        assert!(
            text.starts_with("save") || out.stdout.lines().count() > 1,
            "{text} gives rows: {out:?}"
        );
    }
}

#[test]
fn no_color_turns_off_every_style_of_a_table() {
    let store = seed_store();
    let run = |extra: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_factstore"));
        cmd.arg("--db")
            .arg(&store.db)
            .args(["query", "?who visited Baku"])
            .args(extra)
            .env_remove("NO_COLOR")
            .env("TERM", "xterm");
        let mut session = expectrl::Session::spawn(cmd).unwrap();
        session.set_expect_timeout(Some(Duration::from_secs(10)));
        let found = session.expect(expectrl::Eof).unwrap();
        String::from_utf8_lossy(found.as_bytes()).into_owned()
    };
    let styled = run(&[]);
    assert!(
        styled.contains("Pezeshkian") && styled.contains("\x1b["),
        "{styled:?}"
    );
    let plain = run(&["--no-color"]);
    assert!(
        plain.contains("Pezeshkian") && !plain.contains("\x1b["),
        "{plain:?}"
    );
}

#[test]
fn factstore_history_moves_or_disables_the_history() {
    let store = seed_store();
    let home = tempfile::tempdir().unwrap();
    let moved = home.path().join("h.txt");
    for (value, expect_file) in [(moved.to_str().unwrap(), true), ("", false)] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_factstore"));
        cmd.arg("--db")
            .arg(&store.db)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("FACTSTORE_HISTORY", value)
            .env("NO_COLOR", "1")
            .env("TERM", "xterm");
        let mut repl = expectrl::Session::spawn(cmd).unwrap();
        repl.set_expect_timeout(Some(Duration::from_secs(10)));
        repl.expect("factstore> ").unwrap();
        repl.send_line("saved").unwrap();
        prompt(&mut repl);
        quit(repl);
        assert_eq!(moved.exists(), expect_file);
        let _ = std::fs::remove_file(&moved);
        assert!(!home.path().join("data/factstore/history").exists());
    }
}

#[test]
fn a_mistyped_command_is_not_taken_for_a_store() {
    let out = factstore(&["qurey", "?who visited Baku"]);
    assert_eq!(out.status, 2, "{out:?}");
    let out = factstore(&["qurey"]);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(out.stderr.contains("factstore query"), "{}", out.stderr);
}

#[test]
fn edtf_intervals_and_date_times_are_periods_in_queries() {
    let store = seed_store();
    let count = |text: &str| store.ok(&["query", text, "--csv"]);
    assert_eq!(
        count("?x ?r ?y in 2024-12/2025-02 | count"),
        count("?x ?r ?y in 2024-12..2025-02 | count")
    );
    assert_eq!(
        count("?x ?r ?y on 2025-04-28T10:00:00Z | count"),
        count("?x ?r ?y on 2025-04-28 | count")
    );
    let out = store.run(&["query", "?x ?r ?y on 2025-04-28T25:00:00"]);
    assert_eq!(out.status, 2, "{out:?}");
}

#[test]
fn headers_off_and_the_box_and_markdown_modes() {
    let store = seed_store();
    let out = store.run_with_stdin(
        &["repl"],
        ".mode csv\n.headers off\nIran -- Azerbaijan | count\n.headers on\n\
         .mode markdown\nIran -- Azerbaijan | count\n.mode box\n.headers off\n\
         Iran -- Azerbaijan | count\n",
    );
    assert_eq!(out.status, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        "6\n| count |\n| --- |\n| 6 |\n┌───┐\n│ 6 │\n└───┘\n(1 row)\n"
    );
    assert_eq!(
        store.ok(&[
            "query",
            "Iran -- Azerbaijan | count",
            "--format",
            "markdown"
        ]),
        "| count |\n| --- |\n| 6 |\n"
    );
    let count = "Iran -- Azerbaijan | count";
    assert_eq!(store.ok(&["query", count, "--csv", "--no-header"]), "6\n");
    assert_eq!(
        store.ok(&["query", count, "--format", "table", "--no-header"]),
        "┌───┐\n│ 6 │\n└───┘\n(1 row)\n"
    );
}
