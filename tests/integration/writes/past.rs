//! Questions about the past: `as recorded on D` / `at change N` on queries, paths and
//! timelines, with valid-time filters; `history` and `changes` as rows in every format.

use super::{
    answer, change_row, column, handle_after, latest_change, rows, rows_as_set, set_recorded,
    write, write_as,
};
use crate::support::{seed_store, TempStore, SEED};

/// The instant of change `n` in these tests: change 1 on 15 January 2025, each later one
/// a day after the one before, at noon UTC.
fn day_of(n: i64) -> String {
    let day = 15 + n - 1;
    let (month, day) = if day <= 31 { (1, day) } else { (2, day - 31) };
    assert!(day <= 28, "the tests make few changes");
    format!("2025-{month:02}-{day:02}")
}

/// Gives every change of the store its day (see [`day_of`]).
fn date_changes(s: &TempStore) {
    let latest = latest_change(s);
    let instants: Vec<(i64, String)> = (1..=latest)
        .map(|n| (n, format!("{}T12:00:00.000000Z", day_of(n))))
        .collect();
    let refs: Vec<(i64, &str)> = instants.iter().map(|(n, i)| (*n, i.as_str())).collect();
    set_recorded(&s.db, &refs);
}

/// Questions whose answers the writes of [`rewrite`] change: valid-time filters,
/// paths, timelines, counts.
const QUESTIONS: &[(&str, &str)] = &[
    ("?a ?r ?b certainly as of 2024-01-01", "csv"),
    ("?a ?r ?b within 2024", "csv"),
    ("?who visited Baku", "csv"),
    ("?x visited _ | count by ?x", "csv"),
    ("path Netanyahu to Pezeshkian", "csv"),
    ("Iran -- Azerbaijan | timeline", "table"),
    ("Iran -- Azerbaijan | timeline", "json"),
    // Hajiyev visited Tehran; he is merged into Aliyev last.
    ("?x -- Tehran status any", "json"),
];

/// The answers to [`QUESTIONS`], each as its set of rows: the language leaves the order
/// of rows open unless a question sorts them.
fn answers(s: &TempStore, suffix: &str) -> Vec<String> {
    QUESTIONS
        .iter()
        .map(|(q, format)| rows_as_set(&answer(s, &format!("{q}{suffix}"), format)))
        .collect()
}

/// Writes that change every answer of [`QUESTIONS`], one change each.
fn rewrite(s: &TempStore) {
    let closed = rows(s, "Azerbaijan embassy_closed_in Iran")[0]["id"].clone();
    write(s, &format!(r#"retract #{closed} because "x""#));
    let naval = rows(s, "Iran naval_exercise_with Azerbaijan")[0]["id"].clone();
    write(s, &format!(r#"correct #{naval} when 2023-11 because "x""#));
    write(s, r#"retract Israel enemy_of Iran because "x""#);
    write(s, "add Aliyev visited Baku when 2024-03");
    write(s, r#"merge hajiyev into aliyev because "x""#);
}

#[test]
fn as_recorded_on_a_day_sees_what_the_store_held_at_the_end_of_it() {
    let s = seed_store();
    let seeded = answers(&s, "");
    let visit = rows(&s, "Pezeshkian visited Baku")[0]["id"]
        .as_i64()
        .unwrap();
    let said = write(&s, "add Aliyev visited Baku when 2025-04-30");
    let added = handle_after(&said, "added");
    write(&s, &format!(r#"retract #{visit} because "x""#));
    write(
        &s,
        &format!(r#"correct #{added} when 2025-05-01 because "y""#),
    );
    // Changes 2 and 3 on the same day, one at its last instant.
    set_recorded(
        &s.db,
        &[
            (1, "2025-04-30T08:00:00.000000Z"),
            (2, "2025-05-01T23:59:59.999999Z"),
            (3, "2025-05-02T00:00:00.000000Z"),
            (4, "2025-05-03T12:00:00.000000Z"),
        ],
    );
    let at = |suffix: &str| {
        rows(&s, &format!("?who visited Baku{suffix}"))
            .iter()
            .map(|r| {
                (
                    r["id"].as_i64().unwrap(),
                    r["when"].as_str().unwrap().to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    let pezeshkian = (visit, "2025-04-28".to_string());
    assert_eq!(at(" as recorded on 2025-04-29"), []);
    assert_eq!(
        at(" as recorded on 2025-04-30"),
        std::slice::from_ref(&pezeshkian)
    );
    assert_eq!(answers(&s, " as recorded on 2025-04-30"), seeded);
    let mut both = at(" as recorded on 2025-05-01");
    both.sort();
    assert_eq!(both, [pezeshkian, (added, "2025-04-30".into())]);
    assert_eq!(
        at(" as recorded on 2025-05-02"),
        [(added, "2025-04-30".into())]
    );
    for later in ["2025-05-03", "2030-01-01"] {
        assert_eq!(
            at(&format!(" as recorded on {later}")),
            [(added, "2025-05-01".into())]
        );
    }
    assert_eq!(at(""), [(added, "2025-05-01".into())]);
    // The same by change number.
    assert_eq!(
        at(" as recorded at change 1"),
        at(" as recorded on 2025-04-30")
    );
    assert_eq!(at(" as recorded at change 2"), both);
    assert_eq!(
        at(" as recorded at change 3"),
        at(" as recorded on 2025-05-02")
    );
    assert_eq!(at(" as recorded at change 4"), at(""));
}

#[test]
fn as_recorded_combines_with_paths_timelines_and_valid_time_filters() {
    let s = seed_store();
    let seeded = answers(&s, "");
    rewrite(&s);
    date_changes(&s);
    let now = answers(&s, "");
    for (i, (q, _)) in QUESTIONS.iter().enumerate() {
        assert_ne!(now[i], seeded[i], "the writes change `{q}`");
    }
    let same = |suffix: &str, expected: &[String]| {
        for (i, got) in answers(&s, suffix).iter().enumerate() {
            assert_eq!(got, &expected[i], "`{}{suffix}`", QUESTIONS[i].0);
        }
    };
    same(" as recorded at change 1", &seeded);
    same(&format!(" as recorded on {}", day_of(1)), &seeded);
    let latest = latest_change(&s);
    same(&format!(" as recorded at change {latest}"), &now);
    same(&format!(" as recorded on {}", day_of(latest)), &now);
    // WRITES.md's own example: before the first change, nothing was held.
    let r = rows(
        &s,
        "?a ?r ?b certainly as of 2024-01-01 as recorded on 2025-01-14",
    );
    assert!(r.is_empty(), "{r:?}");
    let r = rows(
        &s,
        "?a ?r ?b certainly as of 2024-01-01 as recorded on 2025-02-01",
    );
    assert!(r.is_empty(), "the closure was retracted on day 2: {r:?}");
    let r = rows(
        &s,
        &format!(
            "?a ?r ?b certainly as of 2024-01-01 as recorded on {}",
            day_of(1)
        ),
    );
    assert_eq!(column(&r, "r"), ["embassy_closed_in"]);
    // Each change in turn: the merge (the last) is invisible one change earlier.
    let before_merge = answers(&s, &format!(" as recorded at change {}", latest - 1));
    let i = QUESTIONS
        .iter()
        .position(|(q, _)| q.contains("Tehran"))
        .unwrap();
    assert!(
        before_merge[i].contains("Hikmet Hajiyev"),
        "{}",
        before_merge[i]
    );
    assert!(!now[i].contains("Hikmet Hajiyev"), "{}", now[i]);
}

#[test]
fn history_and_changes_are_rows_in_every_format() {
    let s = TempStore::new();
    s.ok(&["--as", "alice", "import", SEED]);
    let said = write_as(&s, "bob", "add Aliyev visited Tehran when 2025-07");
    let id = handle_after(&said, "added");
    write_as(
        &s,
        "carol",
        &format!(r#"correct #{id} when 2025-08 because "the ministry, again""#),
    );
    write_as(&s, "bob", r#"alias Tehran "Tehran city""#);
    date_changes(&s);

    let all = rows(&s, "changes");
    assert_eq!(column(&all, "change"), ["1", "2", "3", "4"]);
    assert_eq!(
        column(&all, "recorded_by"),
        ["alice", "bob", "carol", "bob"]
    );
    assert_eq!(all[2]["reason"], "the ministry, again");
    assert_eq!(all[0]["origin"], SEED);
    assert_eq!(all[1]["origin"], "<command line>");
    assert_eq!(
        all[1]["statement"],
        "add Aliyev visited Tehran when 2025-07"
    );
    assert_eq!(all[1]["summary"], "1 relation added");

    let since = format!("changes since {} by bob", day_of(3));
    assert_eq!(column(&rows(&s, &since), "change"), ["4"]);
    assert_eq!(
        column(&rows(&s, &format!("changes since {}", day_of(2))), "change"),
        ["2", "3", "4"]
    );
    assert_eq!(column(&rows(&s, "changes by bob"), "change"), ["2", "4"]);
    assert!(rows(&s, "changes by nobody").is_empty());
    assert_eq!(rows(&s, "changes | count")[0]["count"], 4);
    assert_eq!(
        answer(&s, "changes by carol | show change, reason", "csv"),
        "change,reason\n3,\"the ministry, again\"\n"
    );

    // CSV quotes the reason's comma; the table has a row count; JSON Lines a line each.
    let csv = answer(&s, &since, "csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("change,recorded,recorded_by,origin,sha256,reason,statement,undoes,summary")
    );
    assert!(lines
        .next()
        .unwrap()
        .starts_with(&format!("4,{}T12:00:00", day_of(4))));
    assert_eq!(lines.next(), None);
    let csv = answer(&s, "changes by carol", "csv");
    assert!(csv.contains(r#","the ministry, again","#), "{csv}");
    let table = answer(&s, "changes", "table");
    assert!(table.contains("recorded_by"), "{table}");
    assert!(table.contains("(4 rows)"), "{table}");
    assert_eq!(answer(&s, "changes", "jsonl").lines().count(), 4);

    let history = rows(&s, &format!("history #{id}"));
    assert_eq!(column(&history, "change"), ["2", "3"]);
    assert_eq!(column(&history, "recorded_by"), ["bob", "carol"]);
    assert_eq!(column(&history, "when"), ["2025-07", "2025-08"]);
    assert_eq!(
        column(&history, "recorded"),
        [2, 3].map(|n| change_row(&s, n)["recorded"].as_str().unwrap().to_string())
    );
    let csv = answer(&s, &format!("history #{id}"), "csv");
    assert!(
        csv.starts_with(
            "change,recorded,recorded_by,origin,reason,action,id,subject,predicate,object,when,"
        ),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 3);
    let table = answer(&s, &format!("history #{id}"), "table");
    assert!(
        table.contains("corrected") && table.contains("(2 rows)"),
        "{table}"
    );

    let tehran = rows(&s, "history Tehran");
    let actions: Vec<(String, String)> = tehran
        .iter()
        .map(|r| {
            (
                r["change"].to_string(),
                r["action"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        ("1", "added"),
        ("2", "added"),
        ("3", "corrected"),
        ("4", "alias"),
    ] {
        assert!(
            actions.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} not in {actions:?}"
        );
    }
    let csv = answer(&s, "history Tehran", "csv");
    assert!(
        csv.starts_with("change,recorded,recorded_by,reason,action,id,detail\n"),
        "{csv}"
    );
}

/// WRITES.md: "Output columns `recorded` (instant the version was recorded) and
/// `recorded_by` are available to `show`."
#[test]
fn show_gives_the_recorded_instant_and_author_of_each_version() {
    let s = TempStore::new();
    s.ok(&["--as", "alice", "import", SEED]);
    let said = write_as(&s, "bob", "add Aliyev visited Baku when 2025-07");
    let id = handle_after(&said, "added");
    let r = rows(
        &s,
        "?who visited Baku | show who, id, recorded, recorded_by",
    );
    let mine = super::with_id(r.clone(), id);
    assert_eq!(mine["recorded_by"], "bob");
    assert_eq!(mine["recorded"], change_row(&s, 2)["recorded"]);
    assert!(r.iter().any(
        |row| row["recorded_by"] == "alice" && row["recorded"] == change_row(&s, 1)["recorded"]
    ));
    let r = rows(
        &s,
        "?who visited Baku as recorded at change 1 | show who, recorded_by",
    );
    assert_eq!(column(&r, "recorded_by"), ["alice"]);
}
