//! Two writers on one store: a REPL session and another process. Nothing is lost: a
//! writer waits for another's open change, and a correction of a relation another writer
//! retracted meanwhile is refused with who and when. (Writers that outwait SQLite's
//! patience, and writes during a long import, are in tests/heavy.)

use std::process::Stdio;
use std::thread::sleep;
use std::time::Duration;

use super::{change_of, change_row, column, handle_after, latest_change, rows, write_as, Row};
use crate::support::{seed_store, PipedRepl};

#[test]
fn a_correct_of_a_relation_another_writer_retracted_meanwhile_is_refused_with_who_and_when() {
    let s = seed_store();
    let mut alice = PipedRepl::start(&s, &["--as", "alice"]);
    alice.send("add Aliyev visited Tehran when 2025-07");
    let id = handle_after(&alice.wait_for("added #"), "added");
    alice.send("add Aliyev visited Baku when 2025-07");
    let other = handle_after(&alice.wait_for("added #"), "added");

    // Bob, in another process, retracts the first and corrects the second.
    write_as(&s, "bob", &format!(r#"retract #{id} because "wrong""#));
    let retracted = latest_change(&s);
    let when = change_row(&s, retracted)["recorded"]
        .as_str()
        .unwrap()
        .to_string();
    write_as(
        &s,
        "bob",
        &format!(r#"correct #{other} when 2025-08 because "the date""#),
    );

    // Alice's session goes on from the store as it is now.
    alice.send(&format!(r#"correct #{id} when 2025-09 because "the date""#));
    let refused = alice.wait_for("error:");
    assert!(
        refused.contains(&format!(
            "#{id} cannot be corrected: it was retracted by bob at {when} (change {retracted})"
        )),
        "{refused}"
    );
    alice.send(&format!(r#"correct #{other} note "by air" because "more""#));
    alice.wait_for(&format!("corrected #{other}"));
    let (status, said) = alice.finish();
    assert_eq!(status, 2, "one statement failed: {said}");

    // Both corrections of the other relation hold: neither writer's change was lost.
    let history = rows(&s, &format!("history #{other}"));
    assert_eq!(column(&history, "recorded_by"), ["alice", "bob", "alice"]);
    let last = history.last().unwrap();
    assert_eq!(last["when"], "2025-08");
    assert_eq!(last["note"], "by air");
    assert!(rows(&s, &format!("history #{id}"))
        .iter()
        .all(|r| r["recorded_by"] != "alice" || r["action"] == "added"));
}

#[test]
fn a_writer_waits_for_the_open_block_of_another_process_and_both_changes_are_kept() {
    let s = seed_store();
    let mut alice = PipedRepl::holding_a_block(&s, "alice");

    let mut bob = s
        .command_for(&["--as", "bob", "query", r#"add entity e2 person "E 2""#])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the second writer starts");
    // Bob waits for the store's write lock while Alice's block is open.
    sleep(Duration::from_millis(700));
    assert!(
        bob.try_wait().unwrap().is_none(),
        "the second writer did not wait for the open block"
    );
    alice.send("commit");
    alice.wait_for("committed: change 2");
    let out = bob.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("(change 3)"), "{stderr}");
    let (status, said) = alice.finish();
    assert_eq!(status, 0, "{said}");

    let changes = rows(&s, "changes");
    assert_eq!(column(&changes, "recorded_by")[1..], ["alice", "bob"]);
    assert_eq!(changes[1]["statement"], r#"add entity e1 person "E 1""#);
    assert_eq!(changes[2]["statement"], r#"add entity e2 person "E 2""#);
}

#[test]
fn a_piped_write_is_recorded_before_the_repl_says_so_and_before_it_waits_for_more_input() {
    let s = seed_store();
    let mut alice = PipedRepl::start(&s, &["--as", "alice"]);
    // Two writes that arrive together, then the pipe stays open with nothing more.
    alice.send("add Aliyev visited Tehran when 2025-07\nadd Aliyev visited Baku when 2025-08");
    let first = handle_after(&alice.wait_for("added #"), "added");
    let second = handle_after(&alice.wait_for("added #"), "added");
    // Another writer does not wait for a script that waits for its input.
    write_as(&s, "bob", r#"add entity e2 person "E 2""#);
    // What the REPL said it added survives its death.
    alice.kill();
    let kept = rows(&s, "?x visited ?y");
    for id in [first, second] {
        assert!(
            kept.iter().any(|r| r["id"].as_i64() == Some(id)),
            "#{id} was said to be added but is not in the store: {kept:?}"
        );
    }
    let changes = rows(&s, "changes");
    assert_eq!(
        column(&changes, "recorded_by")[1..],
        ["alice", "alice", "bob"]
    );
}

#[test]
fn piped_writes_that_arrive_together_are_each_a_change_and_a_failed_one_is_only_itself() {
    let s = seed_store();
    let before = latest_change(&s);
    let baku = rows(&s, "?x visited Baku").len() as u64;
    let input = "add Aliyev visited Tehran when 2025-07\n\
                 add \"Nobody At All\" visited Baku when 2025-07\n\
                 add Aliyev visited Baku when 2025-08\n\
                 ?x visited Baku | count\n\
                 add Aliyev visited Tehran when 2025-09\n";
    let out = s.run_with_stdin(&["--as", "alice", "repl"], input);
    assert_eq!(out.status, 2, "one statement failed: {}", out.stderr);
    // Said in the order of the input: each write's message after it is recorded.
    let said: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| !l.starts_with("  "))
        .collect();
    let added = |n: usize| {
        said.iter()
            .filter(|l| l.starts_with("added #"))
            .nth(n)
            .copied()
    };
    let error_at = said
        .iter()
        .position(|l| l.starts_with("error:"))
        .expect(&out.stderr);
    let first_at = said.iter().position(|l| Some(*l) == added(0)).unwrap();
    let second_at = said.iter().position(|l| Some(*l) == added(1)).unwrap();
    assert!(
        first_at < error_at && error_at < second_at,
        "{}",
        out.stderr
    );
    assert!(added(2).is_some(), "{}", out.stderr);
    // The query between the writes saw the write before it.
    let counted: serde_json::Value = serde_json::from_str(out.stdout.trim()).expect(&out.stdout);
    assert_eq!(
        counted[0]["count"].as_u64(),
        Some(baku + 1),
        "{}",
        out.stdout
    );
    // Three changes, one per write that succeeded, in order, each with its statement.
    let changes = rows(&s, "changes");
    let new: Vec<&Row> = changes
        .iter()
        .filter(|r| r["change"].as_i64().unwrap() > before)
        .collect();
    let statements: Vec<&str> = new
        .iter()
        .map(|r| r["statement"].as_str().unwrap())
        .collect();
    assert_eq!(
        statements,
        [
            "add Aliyev visited Tehran when 2025-07",
            "add Aliyev visited Baku when 2025-08",
            "add Aliyev visited Tehran when 2025-09"
        ]
    );
    for (i, r) in new.iter().enumerate() {
        assert_eq!(r["change"].as_i64(), Some(before + 1 + i as i64));
        assert_eq!(change_of(added(i).unwrap()), before + 1 + i as i64);
    }
}
