//! Two writers on one store: a REPL session and another process. Nothing is lost: a
//! writer waits for another's open change, and a correction of a relation another writer
//! retracted meanwhile is refused with who and when. (Writers that outwait SQLite's
//! patience, and writes during a long import, are in tests/heavy.)

use std::process::Stdio;
use std::thread::sleep;
use std::time::Duration;

use super::{change_row, column, handle_after, latest_change, rows, write_as};
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
