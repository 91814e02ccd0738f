//! Writes in scripts: `begin`, `commit` and `rollback` where they do not belong.

use crate::support::seed_store;

/// Statements piped to the REPL that ended inside a `begin` block exited 0: the block was
/// rolled back and nothing was written, yet a caller saw a success.
#[test]
fn an_unclosed_begin_block_in_a_script_exited_0_having_written_nothing() {
    let s = seed_store();
    let before = s.ok(&["export", "--history"]);
    let out = s.run_with_stdin(
        &["repl"],
        "begin\nadd entity e1 person \"E 1\"\nadd e1 visited Baku when 2025\n",
    );
    assert_eq!(out.status, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("rolled back: the input ended inside a `begin` block"),
        "{}",
        out.stderr
    );
    assert_eq!(s.ok(&["export", "--history"]), before);
    // Closed, the same block is written and the script succeeds.
    let out = s.run_with_stdin(
        &["repl"],
        "begin\nadd entity e1 person \"E 1\"\nadd e1 visited Baku when 2025\ncommit\n",
    );
    assert_eq!(out.status, 0, "{out:?}");
}

/// `commit` or `rollback` with no block open said "no change is open: a write runs inside
/// a change (begin_change)", naming a function of the store's API; a second `begin` said
/// "a change is open already" without saying which.
#[test]
fn commit_without_begin_named_the_stores_function_begin_change() {
    let s = seed_store();
    let out = s.run_with_stdin(&["repl"], "commit\nrollback\nbegin\nbegin\nrollback\n");
    assert_eq!(out.status, 2, "{out:?}");
    assert!(!out.stderr.contains("begin_change"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("no `begin` block is open, so there is nothing to commit"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("nothing to roll back"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("a change is open already (a `begin` block"),
        "{}",
        out.stderr
    );
}

/// `factstore query begin` said "began a change" and exited 0; the change was dropped as
/// the command ended, so the block held nothing and nothing said so.
#[test]
fn query_begin_began_a_change_the_command_then_dropped() {
    let s = seed_store();
    for text in ["begin", "commit", "rollback"] {
        let out = s.run(&["query", text]);
        assert_eq!(out.status, 2, "{text}: {out:?}");
        assert!(
            out.stderr.contains("factstore repl < script"),
            "{}",
            out.stderr
        );
        assert!(!out.stderr.contains("began a change"), "{}", out.stderr);
    }
}

/// An `--atomic` script with a `commit` in it wrote the statements before the `commit`
/// as one change and each after it as a change of its own: a later failure no longer
/// undid the script.
#[test]
fn commit_in_an_atomic_script_split_it_into_several_changes() {
    let s = seed_store();
    let before = s.ok(&["export", "--history"]);
    let out = s.run_with_stdin(
        &["--atomic", "repl"],
        "add entity e1 person \"E 1\"\ncommit\nadd entity e2 person \"E 2\"\n",
    );
    assert_eq!(out.status, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("with --atomic the whole script is one change"),
        "{}",
        out.stderr
    );
    assert_eq!(s.ok(&["export", "--history"]), before);
}

/// Write messages counted with "(s)": "undid change 4 (1 relation(s))", "1 relation(s)
/// of `bibi` now name `netanyahu`".
#[test]
fn write_messages_counted_relations_with_parenthesised_plurals() {
    let s = seed_store();
    s.ok(&["query", r#"add entity bibi person "B. N.""#]);
    s.ok(&["query", "add bibi visited Tehran when 2025-06"]);
    let out = s.run(&["query", r#"merge bibi into Netanyahu because "same""#]);
    assert!(
        out.stderr
            .contains("moved 1 relation of `bibi` to `netanyahu`"),
        "{}",
        out.stderr
    );
    let out = s.run(&["query", "undo"]);
    assert!(
        out.stderr.contains("(1 entity, 1 relation)"),
        "{}",
        out.stderr
    );
    s.ok(&["query", "add bibi visited Baku when 2025-06"]);
    let out = s.run(&["query", r#"retract bibi visited _ all because "x""#]);
    assert!(!out.stderr.contains("(s)"), "{}", out.stderr);
    let out = s.run(&["query", "undo"]);
    assert!(out.stderr.contains("(2 relations)"), "{}", out.stderr);
}

/// `history B` showed `A` merged into it and unmerged, but not an `undo` of the unmerge
/// that merged `A` into it again: B's history ended with A apart while A was merged.
#[test]
fn history_of_an_entity_left_out_an_undo_that_merged_another_into_it_again() {
    let s = seed_store();
    s.ok(&["query", r#"add entity bibi person "B. N.""#]);
    s.ok(&["query", r#"merge bibi into Netanyahu because "same""#]);
    s.ok(&["query", r#"unmerge bibi because "apart""#]);
    s.ok(&["query", "undo"]);
    let history = s.ok(&["query", "--format", "csv", "history Netanyahu"]);
    let lines: Vec<&str> = history.lines().filter(|l| l.contains("`bibi`")).collect();
    assert_eq!(lines.len(), 3, "{history}");
    assert!(
        lines[0].ends_with(",merged,,`bibi` merged into it"),
        "{history}"
    );
    assert!(
        lines[1].ends_with(",unmerged,,`bibi` unmerged from it"),
        "{history}"
    );
    assert!(
        lines[2].ends_with(",restored,,`bibi` merged into it again (an undo)"),
        "{history}"
    );
    s.ok(&["query", "undo"]);
    let history = s.ok(&["query", "--format", "csv", "history Netanyahu"]);
    assert!(
        history.contains("`bibi` unmerged from it again (an undo)"),
        "{history}"
    );
}

/// `add … source X` with a source the store does not have failed in the store, without
/// a caret or a did-you-mean, unlike an unknown entity or predicate.
#[test]
fn an_unknown_source_in_add_had_no_caret_and_no_suggestion() {
    let s = seed_store();
    let before = s.ok(&["export", "--history"]);
    let out = s.run(&[
        "query",
        "add Pezeshkian visited Baku when 2025 source seed-artcle",
    ]);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(
        out.stderr.contains("unknown source `seed-artcle` at 1:"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("^^^"), "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean seed-article?"),
        "{}",
        out.stderr
    );
    assert_eq!(s.ok(&["export", "--history"]), before);
}

/// `as recorded at change 99` on a store of a few changes answered with today's beliefs,
/// as if the change had been recorded.
#[test]
fn a_question_at_a_change_not_yet_recorded_answered_with_todays_beliefs() {
    let s = seed_store();
    let out = s.run(&["query", "?x visited Baku as recorded at change 99"]);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(
        out.stderr.contains("there is no change 99 in the store"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
}
