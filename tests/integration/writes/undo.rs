//! `undo`, `undo change N` and `erase`.

use std::fs;

use super::{
    answer, change_row, column, handle_after, history_export, ids, latest_change, query, refused,
    rows, rows_as_set, unchanged, write, write_as,
};
use crate::support::{seed_store, sidecar, TempStore};

/// What a user can ask that a write may change: the current beliefs whole, and answers
/// that go through names, merges, paths and counts.
fn snapshot(s: &TempStore) -> Vec<String> {
    let mut all = vec![s.ok(&["export"])];
    for q in [
        "?a ?r ?b status any",
        "?x visited _ | count by ?x",
        "path Netanyahu to Pezeshkian",
        "Baku -- ?x status any",
        "?who:person -- Azerbaijan status any",
    ] {
        all.push(rows_as_set(&answer(s, q, "csv")));
    }
    all.push(rows_as_set(&answer(
        s,
        "Iran -- Azerbaijan | timeline",
        "table",
    )));
    all
}

#[test]
fn undoing_any_kind_of_change_restores_the_earlier_answers_exactly() {
    let s = seed_store();
    let file = s.db.with_file_name("more.jsonl");
    fs::write(
        &file,
        r#"{"type":"entity","id":"shusha","kind":"city","name":"Shusha","aliases":["Şuşa"]}
{"type":"relation","subject":"aliyev","predicate":"visited","object":"shusha","when":"2023-05"}
{"type":"entity","id":"baku","aliases":["Baki"]}
"#,
    )
    .unwrap();
    let import = format!("import {}", file.display());
    // (what to do first, kept; the change to undo)
    let cases: &[(&[&str], &str)] = &[
        (&[], "add Aliyev visited Tehran when 2025-07"),
        (&[], "add Aliyev new toured Tehran when 2025-07"),
        (&[], r#"add entity shusha city "Shusha" aka "Şuşa""#),
        (&[], r#"add predicate hosted label "hosted" symmetric"#),
        (&[], r#"add source apa "APA" published 2025-05-01"#),
        (&[], r#"alias Baku "Baki city""#),
        (&[], r#"unalias Baku "Bakı""#),
        (&[], r#"rename Baku "Baku city""#),
        (
            &[],
            r#"correct #1 when early 2025-04, status alleged, object Azerbaijan because "x""#,
        ),
        (&[], r#"retract #2 because "x""#),
        (&[], r#"retract Iran -- Azerbaijan all because "x""#),
        (&[], r#"merge hajiyev into aliyev because "x""#),
        (
            &[r#"merge hajiyev into aliyev because "x""#],
            r#"unmerge hajiyev because "y""#,
        ),
        (
            &[
                r#"add entity bibi person "Bibi N""#,
                "add bibi visited Tehran when 2025-06",
            ],
            r#"merge bibi into Netanyahu because "x""#,
        ),
        (
            &["add Aliyev visited Abu_Dhabi when 2025-08", "undo"],
            "undo change LATEST",
        ),
        (&[], &import),
    ];
    for (setup, statement) in cases {
        for text in *setup {
            write(&s, text);
        }
        let before = snapshot(&s);
        let statement = statement.replace("LATEST", &latest_change(&s).to_string());
        let out = match statement.strip_prefix("import ") {
            Some(path) => s.run(&["import", path]),
            None => query(&s, &statement),
        };
        assert_eq!(out.status, 0, "{statement}: {}", out.stderr);
        let n = latest_change(&s);
        assert_ne!(snapshot(&s), before, "{statement} changed nothing");
        let said = write(&s, &format!("undo change {n}"));
        assert!(said.contains(&format!("undid change {n}")), "{said}");
        let after = snapshot(&s);
        for (b, a) in before.iter().zip(&after) {
            assert_eq!(a, b, "after undoing {statement}");
        }
        // The undo is a change of its own that names the change it undid.
        let undo = change_row(&s, latest_change(&s));
        assert_eq!(undo["undoes"], n, "{statement}");
        assert_eq!(undo["statement"], format!("undo change {n}"));
    }
}

#[test]
fn undo_reverts_the_latest_change_that_is_not_an_undo() {
    let s = TempStore::new();
    s.ok(&["init"]);
    let said = unchanged(&s, "undo");
    assert!(said.contains("nothing to undo"), "{said}");
    let s = seed_store();
    let before = snapshot(&s);
    write(&s, r#"add entity shusha city "Shusha""#);
    let middle = snapshot(&s);
    write(&s, "add Aliyev visited Shusha when 2023-05");
    write(&s, "undo");
    assert_eq!(snapshot(&s), middle);
    // A second `undo` goes further back, not forward.
    write(&s, "undo");
    assert_eq!(snapshot(&s), before);
    // The seed's import is a change too.
    write(&s, "undo");
    assert!(rows(&s, "?a ?r ?b status any").is_empty());
    assert!(s.ok(&["export"]).is_empty());
}

#[test]
fn undo_of_a_change_whose_rows_changed_since_is_refused_naming_who_and_when() {
    let s = seed_store();
    let out = write_as(&s, "alice", "add Aliyev visited Tehran when 2025-07");
    let id = handle_after(&out, "added");
    let added = latest_change(&s);
    write_as(
        &s,
        "bob",
        &format!(r#"correct #{id} when 2025-08 because "later""#),
    );
    let corrected = latest_change(&s);
    let instant = change_row(&s, corrected)["recorded"]
        .as_str()
        .unwrap()
        .to_string();
    let e = refused(&s, &format!("undo change {added}"), 2);
    assert!(
        e.contains(&format!("change {added} cannot be undone")),
        "{e}"
    );
    assert!(
        e.contains(&format!("change {corrected} by bob at {instant}")),
        "{e}"
    );
    assert!(e.contains(&format!("#{id}")), "{e}");

    // Names and merges are rows too.
    write_as(&s, "alice", r#"alias Baku "Baki city""#);
    let aliased = latest_change(&s);
    write_as(&s, "carol", r#"rename Baku "Baku city""#);
    let renamed = latest_change(&s);
    let e = refused(&s, &format!("undo change {aliased}"), 2);
    assert!(e.contains(&format!("change {renamed} by carol")), "{e}");

    // An earlier change whose rows nothing touched since is undone, later ones or not.
    let seeded = ids(&s, "?a ?r ?b status any");
    let said = write(&s, "add Aliyev visited Abu_Dhabi when 2025-09");
    let other = handle_after(&said, "added");
    write(&s, "add Aliyev visited Baku when 2025-09");
    write(&s, &format!("undo change {}", latest_change(&s) - 1));
    assert!(!ids(&s, "?a ?r ?b status any").contains(&other));

    // In order, last first: each is undone.
    write(&s, &format!("undo change {corrected}"));
    write(&s, &format!("undo change {added}"));
    assert!(!ids(&s, "?a ?r ?b status any").contains(&id));
    assert!(seeded.contains(&id));
    let e = refused(&s, "undo change 99999", 2);
    assert!(e.contains("no change 99999"), "{e}");
}

#[test]
fn erase_removes_the_content_for_good_and_history_keeps_a_tombstone() {
    let s = seed_store();
    let secret = "SECRET-SOURCE-7731";
    let said = write(
        &s,
        &format!(
            r#"add Aliyev met Netanyahu when 2025-07 quote "{secret} said so" note "{secret}""#
        ),
    );
    let id = handle_after(&said, "added");
    write(
        &s,
        &format!(r#"correct #{id} when 2025-08 because "per the source""#),
    );
    let e = refused(&s, &format!(r#"erase #{id} because "protect""#), 2);
    assert!(e.contains("confirm"), "{e}");
    let out = write_as(
        &s,
        "erin",
        &format!(r#"erase #{id} because "source protection" confirm"#),
    );
    assert!(out.contains(&format!("erased #{id}")), "{}", out);
    let erased = latest_change(&s);

    assert!(!ids(&s, "?a ?r ?b status any").contains(&id));
    let history = rows(&s, &format!("history #{id}"));
    assert_eq!(column(&history, "action").last().unwrap(), "erased");
    let last = history.last().unwrap();
    assert_eq!(last["change"], erased);
    assert_eq!(last["recorded_by"], "erin");
    assert_eq!(last["reason"], "source protection");
    for row in &history {
        for field in ["subject", "predicate", "object", "when", "quote", "note"] {
            assert!(row[field].is_null(), "{field} kept: {row:?}");
        }
    }
    // Nowhere: not in the file, its journal, an export of the history or the log.
    for path in [s.db.clone(), sidecar(&s.db, "-wal")] {
        if let Ok(bytes) = fs::read(&path) {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} still holds the content",
                path.display()
            );
        }
    }
    assert!(!history_export(&s).contains(secret));
    assert!(!answer(&s, "changes", "csv").contains(secret));

    // Gone for good: no undo brings it back.
    let e = refused(&s, &format!("undo change {erased}"), 2);
    assert!(e.contains("gone for good"), "{e}");
    let e = refused(&s, &format!(r#"correct #{id} when 2025 because "x""#), 2);
    assert!(e.contains("erased by erin"), "{e}");
}
