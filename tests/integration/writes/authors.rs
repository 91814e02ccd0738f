//! Who wrote (`--as`, `FACTSTORE_USER`, the login name), from where (the command line,
//! a script's path, standard input, an imported file and its SHA-256, the REPL), and how
//! many statements one change holds (`--atomic`, `begin` … `commit`, `rollback`).

use std::fs;

use super::{change_row, history_export, latest_change, piped, query, rows, run_env, write};
use crate::support::{seed_store, sha256_hex, SEED};

#[test]
fn the_author_is_as_else_factstore_user_else_the_login_name() {
    let s = seed_store();
    let add = |n: usize| format!(r#"add entity e{n} person "E {n}""#);
    // (flags, environment, the author recorded)
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, Option<&'a str>)], &'a str);
    let cases: [Case; 5] = [
        (
            &["--as", "alice"],
            &[("FACTSTORE_USER", Some("bob")), ("USER", Some("carol"))],
            "alice",
        ),
        (
            &[],
            &[("FACTSTORE_USER", Some("bob")), ("USER", Some("carol"))],
            "bob",
        ),
        (
            &[],
            &[("FACTSTORE_USER", None), ("USER", Some("carol"))],
            "carol",
        ),
        // An empty name is no name.
        (
            &["--as", " "],
            &[("FACTSTORE_USER", Some("")), ("USER", Some("dave"))],
            "dave",
        ),
        (
            &["--as", "Eve Analyst"],
            &[("FACTSTORE_USER", None)],
            "Eve Analyst",
        ),
    ];
    for (i, (flags, env, author)) in cases.iter().enumerate() {
        let text = add(i);
        let mut args = flags.to_vec();
        args.extend(["query", text.as_str()]);
        let out = run_env(&s, &args, "", env);
        assert_eq!(out.status, 0, "{out:?}");
        let n = latest_change(&s);
        assert_eq!(
            change_row(&s, n)["recorded_by"],
            *author,
            "{flags:?} {env:?}"
        );
    }
    // The same for imports and piped scripts.
    let out = run_env(
        &s,
        &["import", "-"],
        r#"{"type":"entity","id":"shusha","kind":"city","name":"Shusha"}"#,
        &[("FACTSTORE_USER", Some("frank"))],
    );
    assert_eq!(out.status, 0, "{out:?}");
    assert_eq!(change_row(&s, latest_change(&s))["recorded_by"], "frank");
    let out = run_env(
        &s,
        &["--as", "grace", "repl"],
        "add entity e9 person \"E 9\"\n",
        &[("FACTSTORE_USER", Some("frank"))],
    );
    assert_eq!(out.status, 0, "{out:?}");
    assert_eq!(change_row(&s, latest_change(&s))["recorded_by"], "grace");
}

#[test]
fn the_origin_is_the_command_line_the_script_stdin_or_the_imported_file() {
    let s = seed_store();
    let seed_sha = sha256_hex(&fs::read(SEED).unwrap());
    let first = change_row(&s, 1);
    assert_eq!(first["origin"], SEED);
    assert_eq!(first["sha256"], seed_sha);

    write(&s, r#"add entity e1 person "E 1""#);
    let row = change_row(&s, latest_change(&s));
    assert_eq!(row["origin"], "<command line>");
    assert!(row["sha256"].is_null());

    let script = s.db.with_file_name("fix.fq");
    fs::write(&script, "add entity e2 person \"E 2\"\n").unwrap();
    let path = script.to_str().unwrap();
    s.ok(&["query", "--file", path]);
    assert_eq!(change_row(&s, latest_change(&s))["origin"], path);

    let out = s.run_with_stdin(&["query", "-"], "add entity e3 person \"E 3\"");
    assert_eq!(out.status, 0, "{out:?}");
    assert_eq!(change_row(&s, latest_change(&s))["origin"], "<stdin>");

    let out = piped(&s, &[], "add entity e4 person \"E 4\"\n");
    assert_eq!(out.status, 0, "{out:?}");
    assert_eq!(change_row(&s, latest_change(&s))["origin"], "<stdin>");

    let data = r#"{"type":"entity","id":"shusha","kind":"city","name":"Shusha"}"#;
    let file = s.db.with_file_name("shusha.jsonl");
    fs::write(&file, data).unwrap();
    s.ok(&["import", file.to_str().unwrap()]);
    let row = change_row(&s, latest_change(&s));
    assert_eq!(row["origin"], file.to_str().unwrap());
    assert_eq!(row["sha256"], sha256_hex(data.as_bytes()));
    let data = r#"{"type":"entity","id":"susa","kind":"city","name":"Susa"}"#;
    let out = s.run_with_stdin(&["import", "-"], data);
    assert_eq!(out.status, 0, "{out:?}");
    let row = change_row(&s, latest_change(&s));
    assert_eq!(row["origin"], "<stdin>");
    assert_eq!(row["sha256"], sha256_hex(data.as_bytes()));
}

#[test]
fn an_atomic_script_is_one_change_or_nothing() {
    let s = seed_store();
    let before = history_export(&s);
    let failing = "add entity e1 person \"E 1\"\n\
                   add e1 visited Baku when 2025\n\
                   add e1 visited Bakku when 2025\n\
                   add entity e2 person \"E 2\"\n";
    let out = piped(&s, &["--atomic"], failing);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(
        out.stderr.contains("unknown entity `Bakku`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("nothing of the change was written"),
        "{}",
        out.stderr
    );
    assert_eq!(history_export(&s), before, "a failed --atomic script wrote");

    let good = "add entity e1 person \"E 1\"\n\
                add e1 visited Baku when 2025\n\
                ?x visited Baku\n\
                add entity e2 person \"E 2\"\n";
    let out = piped(&s, &["--atomic", "--as", "ana"], good);
    assert_eq!(out.status, 0, "{out:?}");
    // The script's queries see its own writes.
    assert!(out.stdout.contains("\"x.id\": \"e1\""), "{}", out.stdout);
    assert_eq!(latest_change(&s), 2, "one change: {}", out.stderr);
    let row = change_row(&s, 2);
    assert_eq!(row["recorded_by"], "ana");
    assert_eq!(
        row["statement"],
        "add entity e1 person \"E 1\"\nadd e1 visited Baku when 2025\nadd entity e2 person \"E 2\""
    );
    assert_eq!(row["summary"], "2 entities added; 1 relation added");
}

#[test]
fn a_begin_block_is_one_change_and_rollback_drops_it() {
    let s = seed_store();
    let out = piped(
        &s,
        &["--as", "ben"],
        "begin\n\
         add entity e1 person \"E 1\"\n\
         add e1 visited Baku when 2025\n\
         e1 visited ?where\n\
         commit\n\
         add entity e2 person \"E 2\"\n\
         begin\n\
         add entity e3 person \"E 3\"\n\
         rollback\n",
    );
    assert_eq!(out.status, 0, "{out:?}");
    assert!(out.stdout.contains("\"where\": \"Baku\""), "{}", out.stdout);
    assert!(out.stderr.contains("committed: change 2"), "{}", out.stderr);
    let changes = rows(&s, "changes");
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert_eq!(
        changes[1]["statement"],
        "add entity e1 person \"E 1\"\nadd e1 visited Baku when 2025"
    );
    assert_eq!(changes[2]["statement"], "add entity e2 person \"E 2\"");
    assert_eq!(query(&s, "e3 -- ?x").status, 2, "rolled back");
    assert_eq!(rows(&s, "e1 visited ?w").len(), 1);
}

#[test]
fn writes_typed_at_the_repl_have_the_origin_repl_and_an_open_block_ends_with_the_session() {
    use expectrl::Expect;
    let s = seed_store();
    let home = tempfile::tempdir().unwrap();
    let mut repl = crate::repl::spawn(&s.db, home.path());
    repl.send_line("add entity e1 person \"E 1\"").unwrap();
    repl.expect("added entity `e1`")
        .expect("the write's message");
    crate::repl::prompt(&mut repl);
    repl.send_line("begin").unwrap();
    crate::repl::prompt(&mut repl);
    repl.send_line("add entity e2 person \"E 2\"").unwrap();
    repl.expect("added entity `e2`")
        .expect("the write's message");
    crate::repl::prompt(&mut repl);
    crate::repl::quit(repl);
    let changes = rows(&s, "changes");
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[1]["origin"], "repl");
    assert_eq!(
        query(&s, "e2 -- ?x").status,
        2,
        "the open block was rolled back"
    );
}

#[test]
fn the_help_tells_of_writes_history_and_their_flags() {
    let query = crate::support::factstore(&["query", "--help"]);
    assert_eq!(query.status, 0);
    for word in [
        "add",
        "correct",
        "retract",
        "undo",
        "history",
        "changes",
        "as recorded",
        "--as",
        "--atomic",
        "begin",
    ] {
        assert!(
            query.stdout.contains(word),
            "`query --help` lacks {word}: {}",
            query.stdout
        );
    }
    let repl = crate::support::factstore(&["repl", "--help"]);
    for word in ["begin", "commit", "rollback", "--atomic"] {
        assert!(
            repl.stdout.contains(word),
            "`repl --help` lacks {word}: {}",
            repl.stdout
        );
    }
    let export = crate::support::factstore(&["export", "--help"]);
    assert!(export.stdout.contains("--history"), "{}", export.stdout);
    let import = crate::support::factstore(&["import", "--help"]);
    assert!(import.stdout.contains("--strict"), "{}", import.stdout);
}
