//! Adding, correcting and retracting relations; adding entities, predicates and sources
//! and changing entities' names; statuses; reasons.

use super::{
    change_of, change_row, column, handle_after, ids, latest_change, query, refused, rows,
    unchanged, with_id, write, write_as,
};
use crate::support::seed_store;

/// WRITES.md's block of writes, line by line, in order, on the seed store. Its names
/// are the spec's: what they need that the seed lacks (the source `kan`, the entities
/// `abbas_araghchi` and `iran_fm`, relations for the retractions to find) is added by
/// `add` first, and `#412` and `change 57` are the ids this store gives.
#[test]
fn every_line_of_the_block_of_writes() {
    let s = seed_store();
    let seeded = ids(&s, "?a ?r ?b status any");

    let said = write(
        &s,
        r#"add Pezeshkian visited Baku when 2025-04-28 place Baku source seed-article quote "وصل ...""#,
    );
    let visit = handle_after(&said, "added");
    assert!(
        seeded.iter().all(|&id| id < visit),
        "a new id is above every id: {visit} {seeded:?}"
    );
    assert!(
        ids(&s, "?who visited Baku").contains(&visit),
        "the new relation answers at once"
    );

    // `kan` is an organisation of the seed, not a source: a source must be added first,
    // and a write naming one that is not there says so and writes nothing.
    let e = refused(
        &s,
        "add Netanyahu visited Baku when 2025-05-08 status planned source kan confidence 0.7",
        2,
    );
    assert!(e.contains("`kan`"), "{e}");
    write(&s, r#"add source kan "Kan news""#);
    let said = write(
        &s,
        "add Netanyahu visited Baku when 2025-05-08 status planned source kan confidence 0.7",
    );
    let planned = handle_after(&said, "added");
    let r = with_id(rows(&s, "?who visited Baku status planned"), planned);
    assert_eq!(r["who"], "Benjamin Netanyahu");
    assert_eq!(r["source"], "kan");

    let said = write(
        &s,
        "add Aliyev president_of Azerbaijan from 2003-10-31 to ..",
    );
    let president = handle_after(&said, "added");
    let r = with_id(
        rows(&s, "Aliyev president_of ?c as of 2020-01-01"),
        president,
    );
    assert_eq!(r["when"], "from 2003-10-31 to ..");

    let said = write(
        &s,
        r#"add entity araghchi person "Abbas Araghchi" aka "عباس عراقجي", "Araghchi" note "Iran's FM""#,
    );
    assert!(said.contains("added entity `araghchi`"), "{said}");
    write(&s, "add araghchi visited Baku when 2025-03");
    for name in ["Abbas Araghchi", "عباس عراقجي", "Araghchi", "araghchi"] {
        let r = rows(&s, &format!("\"{name}\" visited ?where"));
        assert_eq!(column(&r, "where"), ["Baku"], "{name}");
    }

    let said = write(&s, r#"add predicate postponed label "postponed" symmetric"#);
    assert!(said.contains("added predicate `postponed`"), "{said}");
    // Declared symmetric: the same relation written the other way round is no new one.
    let said = write(&s, "add Aliyev postponed Netanyahu when 2025-05");
    let postponed = handle_after(&said, "added");
    let said = unchanged(&s, "add Netanyahu postponed Aliyev when 2025-05");
    assert_eq!(handle_after(&said, "already recorded as"), postponed);

    let said = write(
        &s,
        r#"add source kan-0508 "Kan news, 8 May 2025" published 2025-05-08 lang he url "https://...""#,
    );
    assert!(said.contains("added source `kan-0508`"), "{said}");
    write(
        &s,
        "add Netanyahu visited Baku when 2025-06 source kan-0508",
    );
    let exported = s.ok(&["export"]);
    assert!(
        exported.contains(
            r#"{"type":"source","id":"kan-0508","title":"Kan news, 8 May 2025","published":"2025-05-08","lang":"he","url":"https://..."}"#
        ),
        "{exported}"
    );

    write(
        &s,
        r#"alias araghchi "عراقچی", "Arakchi"          # more names for an entity"#,
    );
    for name in ["عراقچی", "Arakchi", "arakchi"] {
        let r = rows(&s, &format!("\"{name}\" visited ?where"));
        assert_eq!(column(&r, "where"), ["Baku"], "{name}");
    }
    write(&s, r#"unalias araghchi "Arakchi""#);
    let e = refused(&s, r#""Arakchi" visited ?where"#, 2);
    assert!(e.contains("unknown entity `Arakchi`"), "{e}");
    assert_eq!(
        column(&rows(&s, r#""عراقچی" visited ?where"#), "where"),
        ["Baku"]
    );

    write(
        &s,
        r#"rename azerbaijan_fm "Jeyhun Bayramov"      # new display name; the old one stays an alias"#,
    );
    for name in ["Jeyhun Bayramov", "Foreign minister of Azerbaijan"] {
        let r = rows(&s, &format!("\"{name}\" foreign_minister_of ?c"));
        assert_eq!(column(&r, "subject"), ["Jeyhun Bayramov"], "{name}");
    }

    // `#412` is the planned visit.
    let h = format!("#{planned}");
    write(
        &s,
        &format!(r#"correct {h} when early 2025-05 because "the ministry gave the date""#),
    );
    let r = with_id(rows(&s, "Netanyahu visited Baku status planned"), planned);
    assert_eq!(r["when"], "early 2025-05");
    write(
        &s,
        &format!(r#"correct {h} status postponed, note "moved to June" because "Kan, 8 May""#),
    );
    assert!(!ids(&s, "Netanyahu visited Baku status planned").contains(&planned));
    assert_eq!(
        ids(&s, "Netanyahu visited Baku status postponed"),
        [planned]
    );
    let said = write(&s, &format!(r#"retract {h} because "misread the source""#));
    assert!(said.contains(&format!("retracted {h}")), "{said}");
    assert!(!ids(&s, "?a ?r ?b status any").contains(&planned));

    // Relations for the two retractions by pattern to find.
    let said = write(
        &s,
        "add Pezeshkian visited Tehran when 2025-05-03 source seed-article",
    );
    let tehran = handle_after(&said, "added");
    let mut by_kan = [
        handle_after(
            &write(&s, "add Pezeshkian visited Baku when 2025-05-10 source kan"),
            "added",
        ),
        handle_after(
            &write(
                &s,
                "add Pezeshkian visited Azerbaijan when 2025-05-10 source kan",
            ),
            "added",
        ),
    ];
    by_kan.sort_unstable();
    let said = write(
        &s,
        r#"retract Pezeshkian visited Tehran in 2025-05 because "duplicate"   # must match one live relation"#,
    );
    assert!(said.contains(&format!("retracted #{tehran}")), "{said}");
    let listed = format!("#{}, #{}", by_kan[0], by_kan[1]);
    let e = refused(
        &s,
        r#"retract Pezeshkian visited _ source kan because "source withdrawn""#,
        2,
    );
    assert!(e.contains(&listed), "{e}");
    assert!(e.contains("`all`"), "{e}");
    let said = write(
        &s,
        r#"retract Pezeshkian visited _ source kan all because "source withdrawn"   # several need `all`"#,
    );
    let n = change_of(&said);
    let left = ids(&s, "Pezeshkian visited _ status any");
    assert!(by_kan.iter().all(|id| !left.contains(id)), "{left:?}");
    assert_eq!(change_row(&s, n)["summary"], "2 relations retracted");

    write(&s, r#"add entity abbas_araghchi person "Abbas Araghchi""#);
    write(
        &s,
        r#"add entity iran_fm person "Foreign minister of Iran""#,
    );
    write(&s, "add abbas_araghchi met Aliyev when 2025-03");
    let said = write(
        &s,
        r#"merge abbas_araghchi into iran_fm because "same person""#,
    );
    let merged = change_of(&said);
    assert_eq!(
        column(&rows(&s, "abbas_araghchi met ?x"), "subject"),
        ["Foreign minister of Iran"]
    );
    write(
        &s,
        r#"unmerge abbas_araghchi because "two people after all""#,
    );
    assert_eq!(
        column(&rows(&s, "abbas_araghchi met ?x"), "subject"),
        ["Abbas Araghchi"]
    );

    let before_undo = latest_change(&s);
    let said = write(
        &s,
        "undo                                         # reverts the latest change, as a new change",
    );
    assert!(
        said.contains(&format!("undid change {before_undo}")),
        "{said}"
    );
    assert_eq!(
        change_row(&s, latest_change(&s))["undoes"],
        serde_json::json!(before_undo)
    );
    assert_eq!(
        column(&rows(&s, "abbas_araghchi met ?x"), "subject"),
        ["Foreign minister of Iran"],
        "undoing the unmerge merges again"
    );
    // `undo change 57`: the rename, which nothing touched since.
    let renamed = rows(&s, "changes")
        .into_iter()
        .find(|r| r["statement"].as_str().unwrap_or("").starts_with("rename"))
        .expect("the rename's change")["change"]
        .as_i64()
        .unwrap();
    assert!(renamed < merged);
    let said = write(&s, &format!("undo change {renamed}"));
    assert!(said.contains(&format!("undid change {renamed}")), "{said}");
    let r = rows(&s, "azerbaijan_fm foreign_minister_of ?c");
    assert_eq!(column(&r, "subject"), ["Foreign minister of Azerbaijan"]);

    let said = write(
        &s,
        &format!(r#"erase {h} because "source protection" confirm   # the only physical delete"#),
    );
    assert!(said.contains(&format!("erased {h}")), "{said}");
    let history = rows(&s, &format!("history {h}"));
    assert_eq!(
        column(&history, "action").last().map(String::as_str),
        Some("erased")
    );
    assert!(
        history.iter().all(|r| r["subject"].is_null()),
        "{history:?}"
    );
}

#[test]
fn adding_a_relation_twice_says_already_recorded_as_its_id() {
    let s = seed_store();
    let text = "add Hajiyev visited Baku when 2025-03-01 source seed-article note \"n\"";
    let said = write(&s, text);
    let id = handle_after(&said, "added");
    let n = change_of(&said);
    assert_eq!(latest_change(&s), n);
    let said = unchanged(&s, text);
    assert_eq!(handle_after(&said, "already recorded as"), id);
    // The same relation however its names are spelt.
    let said = unchanged(
        &s,
        "add \"حكمت حاجييف\" visited \"باكو\" when 2025-03-01 source seed-article note \"n\"",
    );
    assert_eq!(handle_after(&said, "already recorded as"), id);
    // A relation of the seed, field for field, is recorded already too.
    let seeded = rows(&s, "Iran tensions_with Azerbaijan");
    let said = unchanged(
        &s,
        &format!(
            "add Iran tensions_with Azerbaijan at 2025-04-28 source seed-article quote \"{}\"",
            seeded[0]["quote"].as_str().unwrap()
        ),
    );
    assert_eq!(
        handle_after(&said, "already recorded as"),
        seeded[0]["id"].as_i64().unwrap()
    );
    // One field differs: another relation.
    let said = write(
        &s,
        "add Hajiyev visited Baku when 2025-03-01 source seed-article note \"m\"",
    );
    assert_ne!(handle_after(&said, "added"), id);
    assert_eq!(ids(&s, "Hajiyev visited Baku").len(), 2);
}

#[test]
fn a_symmetric_relation_written_the_other_way_round_is_already_recorded() {
    let s = seed_store();
    // `met` is symmetric in the seed.
    let said = write(
        &s,
        "add Aliyev met Netanyahu when 2025-06 source seed-article",
    );
    let id = handle_after(&said, "added");
    let said = unchanged(
        &s,
        "add Netanyahu met Aliyev when 2025-06 source seed-article",
    );
    assert_eq!(handle_after(&said, "already recorded as"), id);
    // The seed's own `Pezeshkian met Aliyev`, written the other way round.
    let seeded = rows(&s, "Pezeshkian met Aliyev status planned");
    let said = unchanged(
        &s,
        &format!(
            "add Aliyev met Pezeshkian when 2025-04-28 status planned place Baku source seed-article quote \"{}\"",
            seeded[0]["quote"].as_str().unwrap()
        ),
    );
    assert_eq!(
        handle_after(&said, "already recorded as"),
        seeded[0]["id"].as_i64().unwrap()
    );
    // A predicate that is not symmetric has a direction.
    let said = write(&s, "add Aliyev visited Tehran when 2025-06");
    let one = handle_after(&said, "added");
    let said = write(&s, "add Tehran visited Aliyev when 2025-06");
    assert_ne!(handle_after(&said, "added"), one);
}

#[test]
fn a_name_the_store_does_not_know_is_an_error_with_suggestions_and_creates_nothing() {
    let s = seed_store();
    for (text, name, hint) in [
        (
            "add Pezeshkain visited Baku when 2025",
            "Pezeshkain",
            "Pezeshkian",
        ),
        ("add Pezeshkian visited Bakku when 2025", "Bakku", "Baku"),
        (
            "add Pezeshkian visited Azerbaijan when 2025 place Bakku",
            "Bakku",
            "Baku",
        ),
        ("add \"Ilham Alyev\" met Netanyahu", "Ilham Alyev", "Aliyev"),
        (r#"alias Pezeshkain "P""#, "Pezeshkain", "Pezeshkian"),
    ] {
        let e = refused(&s, text, 2);
        assert!(e.contains(&format!("unknown entity `{name}`")), "{e}");
        assert!(e.contains("did you mean"), "{e}");
        assert!(e.contains(hint), "{e}");
        // Where: the statement with a caret under the name.
        assert!(e.contains(text), "{e}");
        assert!(e.contains('^'), "{e}");
    }
    let e = refused(&s, "add Pezeshkian visited Baku source seedarticle", 2);
    assert!(e.contains("`seedarticle`"), "{e}");
    // Nothing was created on the way: the names are still unknown.
    let e = refused(&s, "Pezeshkain visited ?x", 2);
    assert!(e.contains("unknown entity"), "{e}");
}

#[test]
fn a_misspelt_predicate_is_an_error_unless_new_declares_it() {
    let s = seed_store();
    let e = refused(&s, "add Pezeshkian vistied Baku when 2025-04-29", 2);
    assert!(e.contains("unknown predicate `vistied`"), "{e}");
    assert!(e.contains("did you mean visited"), "{e}");
    assert!(e.contains("`new`"), "{e}");
    // No predicate was created: a query does not know it either.
    let e = refused(&s, "?x vistied ?y", 2);
    assert!(e.contains("vistied"), "{e}");

    let said = write(&s, "add Pezeshkian new toured Baku when 2025-04-29");
    let id = handle_after(&said, "added");
    assert!(said.contains("new predicate `toured`"), "{said}");
    let r = rows(&s, "?x toured ?y");
    assert_eq!(column(&r, "x"), ["Masoud Pezeshkian"]);
    assert_eq!(column(&r, "id"), [id.to_string()]);
    // Declared now: further adds need no `new`.
    write(&s, "add Aliyev toured Tehran when 2025-05");
    assert_eq!(rows(&s, "?x toured ?y").len(), 2);
    let e = refused(&s, "add Aliyev touredd Tehran when 2025-05", 2);
    assert!(e.contains("did you mean toured"), "{e}");
}

#[test]
fn correct_keeps_the_id_and_history_shows_every_version() {
    let s = seed_store();
    let said = write(
        &s,
        "add Hajiyev visited Baku when 2025-03 source seed-article",
    );
    let id = handle_after(&said, "added");
    let added = change_of(&said);
    let h = format!("#{id}");

    let said = write(
        &s,
        &format!(r#"correct {h} when early 2025-03 because "the ministry gave the date""#),
    );
    assert!(said.contains(&format!("corrected {h}")), "{said}");
    let dated = change_of(&said);
    let said = write(
        &s,
        &format!(r#"correct {h} object Tehran, note "in fact Tehran" because "map""#),
    );
    let moved = change_of(&said);
    let r = rows(&s, "Hajiyev visited ?where");
    let mine: Vec<_> = r
        .iter()
        .filter(|row| row["id"].as_i64() == Some(id))
        .collect();
    assert_eq!(mine.len(), 1, "{r:?}");
    assert_eq!(mine[0]["where"], "Tehran");
    assert_eq!(mine[0]["when"], "early 2025-03");
    assert!(rows(&s, "Hajiyev visited Baku").is_empty());

    let history = rows(&s, &format!("history {h}"));
    assert_eq!(
        column(&history, "change"),
        [added, dated, moved].map(|c| c.to_string())
    );
    assert_eq!(
        column(&history, "action"),
        ["added", "corrected", "corrected"]
    );
    assert_eq!(column(&history, "id"), [id, id, id].map(|i| i.to_string()));
    assert_eq!(
        column(&history, "when"),
        ["2025-03", "early 2025-03", "early 2025-03"]
    );
    assert_eq!(column(&history, "object"), ["Baku", "Baku", "Tehran"]);
    assert_eq!(
        column(&history, "reason"),
        ["null", "the ministry gave the date", "map"]
    );
    assert_eq!(history[2]["note"], "in fact Tehran");

    // A correction needs a reason and a field; a relation that never was is named.
    let e = refused(&s, &format!("correct {h} when 2025"), 2);
    assert!(e.contains("because"), "{e}");
    let e = refused(&s, &format!("correct {h} because \"x\""), 2);
    assert!(e.contains("expected a field"), "{e}");
    let e = refused(&s, "correct #99999 when 2025 because \"x\"", 2);
    assert!(e.contains("#99999"), "{e}");
    // Correcting to what it already says changes nothing.
    let said = unchanged(
        &s,
        &format!(r#"correct {h} when early 2025-03 because "again""#),
    );
    assert!(said.contains("nothing"), "{said}");
}

#[test]
fn a_retracted_relation_leaves_every_query_and_stays_in_history() {
    let s = seed_store();
    let r = rows(&s, "Israel supplies_arms_to ?c");
    let id = r[0]["id"].as_i64().unwrap();
    let h = format!("#{id}");
    let said = write_as(
        &s,
        "dana",
        &format!(r#"retract {h} because "misread the source""#),
    );
    let n = change_of(&said);
    for q in [
        "Israel supplies_arms_to ?c status any",
        "?a ?r ?b status any",
        "Israel -- Azerbaijan status any",
    ] {
        assert!(!ids(&s, q).contains(&id), "{q}");
    }
    let counted = rows(&s, "Israel -- Azerbaijan status any | count");
    assert_eq!(counted[0]["count"], 1, "close_ties_with only");
    let history = rows(&s, &format!("history {h}"));
    assert_eq!(column(&history, "action"), ["added", "retracted"]);
    assert_eq!(history[1]["change"], n);
    assert_eq!(history[1]["recorded_by"], "dana");
    assert_eq!(history[1]["reason"], "misread the source");
    assert_eq!(history[0]["predicate"], "supplies_arms_to");

    // Again: it says so, with who and when, and changes nothing.
    let said = unchanged(&s, &format!(r#"retract {h} because "again""#));
    assert!(
        said.contains(&format!("{h} is already retracted")),
        "{said}"
    );
    assert!(said.contains("dana"), "{said}");
    assert!(
        said.contains(change_row(&s, n)["recorded"].as_str().unwrap()),
        "{said}"
    );
}

#[test]
fn a_pattern_retracts_one_relation_or_all_it_matches_with_all() {
    let s = seed_store();
    let matching = ids(&s, "Iran -- Azerbaijan");
    assert!(matching.len() > 2, "{matching:?}");
    let e = refused(&s, r#"retract Iran -- Azerbaijan because "x""#, 2);
    let listed = matching
        .iter()
        .map(|i| format!("#{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    assert!(e.contains(&listed), "{e}");
    assert!(
        e.contains(&format!("matches {} relations", matching.len())),
        "{e}"
    );
    let e = refused(&s, r#"retract Iran visited Baku because "x""#, 2);
    assert!(e.contains("no live relation matches"), "{e}");
    // A filter narrows to one: retracted without `all`.
    let one = ids(&s, "Iran -- Azerbaijan within 2024-11");
    assert_eq!(one.len(), 1);
    let said = write(
        &s,
        r#"retract Iran -- Azerbaijan within 2024-11 because "x""#,
    );
    assert!(said.contains(&format!("retracted #{}", one[0])), "{said}");
    let said = write(&s, r#"retract Iran -- Azerbaijan all because "y""#);
    let n = change_of(&said);
    assert!(rows(&s, "Iran -- Azerbaijan").is_empty());
    // One change for all of them.
    let rest = matching.len() - 1;
    assert_eq!(
        change_row(&s, n)["summary"],
        format!("{rest} relations retracted")
    );
    assert_eq!(latest_change(&s), n);
}

#[test]
fn every_judgement_needs_a_reason() {
    let s = seed_store();
    write(&s, r#"add entity bibi person "B. Netanyahu""#);
    for text in [
        "correct #1 when 2025",
        "retract #1",
        "retract Pezeshkian visited Baku",
        "merge bibi into Netanyahu",
        "unmerge bibi",
        "erase #1 confirm",
    ] {
        let e = refused(&s, text, 2);
        assert!(e.contains("needs a reason"), "{text}: {e}");
        assert!(e.contains("because \"…\""), "{text}: {e}");
    }
    let e = refused(&s, r#"erase #1 because "x""#, 2);
    assert!(e.contains("confirm"), "{e}");
}

#[test]
fn postponed_and_cancelled_are_statuses_left_out_by_default() {
    let s = seed_store();
    let default = ids(&s, "?a visited ?b");
    let mut made = Vec::new();
    for (month, status) in ["postponed", "cancelled", "alleged", "denied", "planned"]
        .into_iter()
        .enumerate()
    {
        let said = write(
            &s,
            &format!(
                "add Aliyev visited Tehran when 2025-0{} status {status}",
                month + 1
            ),
        );
        made.push((status, handle_after(&said, "added")));
    }
    for (status, id) in &made {
        assert_eq!(
            ids(&s, &format!("Aliyev visited Tehran status {status}")),
            [*id],
            "{status}"
        );
    }
    // The default is occurred and alleged.
    let alleged = made.iter().find(|(s, _)| *s == "alleged").unwrap().1;
    let mut expected = default.clone();
    expected.push(alleged);
    expected.sort_unstable();
    assert_eq!(ids(&s, "?a visited ?b"), expected);
    assert_eq!(
        ids(&s, "Aliyev visited Tehran status any"),
        made.iter().map(|(_, id)| *id).collect::<Vec<_>>()
    );
    // A planned visit postponed, then called off.
    let planned = made.iter().find(|(s, _)| *s == "planned").unwrap().1;
    write(
        &s,
        &format!(r#"correct #{planned} status postponed because "moved""#),
    );
    assert_eq!(ids(&s, "Aliyev visited Tehran status postponed").len(), 2);
    write(
        &s,
        &format!(r#"correct #{planned} status cancelled because "off""#),
    );
    assert_eq!(ids(&s, "Aliyev visited Tehran status cancelled").len(), 2);
    let e = query(&s, "add Aliyev visited Tehran status maybe");
    assert_eq!(e.status, 2);
    assert!(e.stderr.contains("postponed, cancelled"), "{}", e.stderr);
}

#[test]
fn entities_predicates_and_sources_are_added_once() {
    let s = seed_store();
    let said = unchanged(&s, r#"add entity pezeshkian person "Masoud Pezeshkian""#);
    assert!(said.contains("already recorded"), "{said}");
    let e = refused(&s, r#"add entity pezeshkian person "Someone Else""#, 2);
    assert!(e.contains("rename pezeshkian"), "{e}");
    let said = unchanged(&s, "add predicate visited");
    assert!(said.contains("already recorded"), "{said}");
    let said = unchanged(&s, "add source seed-article");
    assert!(said.contains("already recorded"), "{said}");
    // The display name is never unaliased; rename first.
    let e = refused(&s, r#"unalias pezeshkian "Masoud Pezeshkian""#, 2);
    assert!(e.contains("rename"), "{e}");
}
