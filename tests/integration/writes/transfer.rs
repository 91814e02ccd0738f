//! History across files and versions: `export` with ids, `export --history` imported
//! into an empty store, and a store from before history upgraded in place.

use std::fs;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use super::{answer, handle_after, history_export, latest_change, rows, rows_as_set, write};
use crate::support::{seed_store, TempStore};

/// A store that went through every kind of write.
fn store_with_every_kind_of_change() -> TempStore {
    let s = seed_store();
    write(
        &s,
        r#"add source kan "Kan news" published 2025-05-08 lang he"#,
    );
    // A relative date, moved by its source's corrected `published` date.
    write(
        &s,
        r#"add Aliyev met Netanyahu when "last November" source kan"#,
    );
    write(
        &s,
        r#"correct source kan published 2025-05-09 because "misread""#,
    );
    write(&s, r#"add predicate hosted label "hosted" symmetric"#);
    write(&s, r#"add entity bibi person "B. Netanyahu" aka "Bibi N""#);
    let visit = handle_after(
        &write(&s, "add bibi visited Tehran when 2025-06 source kan"),
        "added",
    );
    write(
        &s,
        &format!(r#"correct #{visit} when early 2025-06 status postponed because "Kan""#),
    );
    write(&s, r#"merge bibi into Netanyahu because "same person""#);
    write(&s, "add Aliyev new hosted Netanyahu when 2025-05");
    write(&s, r#"alias Baku "Baki city""#);
    write(&s, r#"rename Baku "Baku city""#);
    write(&s, r#"unmerge bibi because "two people""#);
    write(
        &s,
        r#"retract Iran -- Azerbaijan within 2024 all because "x""#,
    );
    write(&s, "undo");
    let secret = handle_after(
        &write(
            &s,
            r#"add Aliyev met Netanyahu when 2025-07 quote "secret""#,
        ),
        "added",
    );
    write(
        &s,
        &format!(r#"erase #{secret} because "protection" confirm"#),
    );
    write(&s, r#"retract #2 because "misread""#);
    s
}

#[test]
fn export_writes_each_relation_with_its_id_and_an_import_keeps_them() {
    let s = seed_store();
    let added = handle_after(
        &write(&s, "add Aliyev visited Tehran when 2025-07"),
        "added",
    );
    write(&s, r#"retract #3 because "x""#);
    let exported = s.ok(&["export"]);
    assert!(
        exported.contains(&format!(
            r#"{{"type":"relation","id":{added},"subject":"aliyev","predicate":"visited","object":"tehran","when":"2025-07"}}"#
        )),
        "{exported}"
    );
    assert!(
        !exported.contains(r#""id":3,"#),
        "a retracted relation is no current belief"
    );
    let fresh = TempStore::new();
    let out = fresh.run_with_stdin(&["import", "-"], &exported);
    assert_eq!(out.status, 0, "{}", out.stderr);
    for q in ["?a ?r ?b status any", "path Netanyahu to Pezeshkian"] {
        assert_eq!(answer(&fresh, q, "csv"), answer(&s, q, "csv"), "{q}");
    }
    assert_eq!(fresh.ok(&["export"]), exported);
}

#[test]
fn a_history_export_imported_into_an_empty_store_gives_the_same_answers_past_included() {
    let s = store_with_every_kind_of_change();
    let history = history_export(&s);
    let file = s.db.with_file_name("history.jsonl");
    fs::write(&file, &history).unwrap();
    let fresh = TempStore::new();
    let out = fresh.run(&["--as", "someone-else", "import", file.to_str().unwrap()]);
    assert_eq!(out.status, 0, "{}", out.stderr);

    for format in ["json", "csv", "table"] {
        assert_eq!(
            answer(&fresh, "changes", format),
            answer(&s, "changes", format),
            "{format}"
        );
    }
    let latest = latest_change(&s);
    assert_eq!(latest_change(&fresh), latest);
    // Every relation there ever was, and ids there never were.
    for id in 1..=60 {
        let q = format!("history #{id}");
        let (a, b) = (
            fresh.run(&["query", "--format", "csv", &q]),
            s.run(&["query", "--format", "csv", &q]),
        );
        assert_eq!((a.status, a.stdout), (b.status, b.stdout), "{q}");
    }
    for entity in ["bibi", "Netanyahu", "Baku", "Iran"] {
        let q = format!("history {entity}");
        assert_eq!(answer(&fresh, &q, "csv"), answer(&s, &q, "csv"), "{q}");
    }
    for k in 1..=latest {
        for q in [
            "?a ?r ?b status any",
            "?x visited _ status any | count by ?x",
            "path Netanyahu to Tehran status any",
            "Iran -- Azerbaijan | timeline",
        ] {
            let q = format!("{q} as recorded at change {k}");
            assert_eq!(answer(&fresh, &q, "csv"), answer(&s, &q, "csv"), "{q}");
        }
    }
    assert_eq!(fresh.ok(&["export"]), s.ok(&["export"]));
    assert_eq!(history_export(&fresh), history);
    // The new store goes on from there: its next change follows the last one.
    let said = write(&fresh, r#"add entity shusha city "Shusha""#);
    assert!(said.contains(&format!("(change {})", latest + 1)), "{said}");
}

/// A store written with schema version 1 (a fixture), brought to version 7 — the last
/// before history — by the migrations of that time.
fn make_store_of_schema_7(db: &Path) {
    fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store-v1.db"),
        db,
    )
    .unwrap();
    let conn = rusqlite::Connection::open(db).unwrap();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let mut files: Vec<_> = fs::read_dir(&schema)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            ("0002".."0008").contains(&&name[..4])
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 6, "{files:?}");
    for file in files {
        conn.execute_batch(&fs::read_to_string(&file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }
    conn.execute_batch("PRAGMA user_version = 7; PRAGMA journal_mode = DELETE;")
        .unwrap();
}

/// Seconds since 1970 of an instant `YYYY-MM-DDTHH:MM:SS…Z`.
fn epoch_seconds(instant: &str) -> i64 {
    let n = |r: std::ops::Range<usize>| instant[r].parse::<i64>().unwrap();
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + n(11..13) * 3600 + n(14..16) * 60 + n(17..19)
}

#[test]
fn a_store_from_before_history_is_upgraded_with_its_contents_as_change_1() {
    let s = TempStore::new();
    make_store_of_schema_7(&s.db);
    let expected = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/store-v1.jsonl"
    ))
    .unwrap();
    let start = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let changes = rows(&s, "changes");
    let end = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["change"], 1);
    assert_eq!(changes[0]["reason"], "before history");
    let at = epoch_seconds(changes[0]["recorded"].as_str().unwrap());
    assert!((start - 1..=end + 1).contains(&at), "{changes:?}");
    assert_eq!(s.ok(&["export"]), expected);
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, factstore::store::SCHEMA_VERSION);
    drop(conn);

    // Every relation was added by change 1; the past before it is empty.
    let history = rows(&s, "history #1");
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0]["change"], 1);
    assert_eq!(history[0]["action"], "added");
    assert_eq!(history[0]["reason"], "before history");
    let all =
        |suffix: &str| rows_as_set(&answer(&s, &format!("?a ?r ?b status any{suffix}"), "csv"));
    let now = all("");
    assert_eq!(all(" as recorded at change 1"), now);
    // Writes go on from it.
    let said = write(&s, r#"retract #1 because "x""#);
    assert!(said.contains("(change 2)"), "{said}");
    assert_ne!(all(""), now);
    assert_eq!(all(" as recorded at change 1"), now);
}

/// What `mentions` finds in one sentence that names Kan by a weak alias in quotes.
fn kan_in_quotes(store: &TempStore) -> String {
    let out = store.run_with_stdin(
        &["mentions", "-", "--format", "jsonl"],
        "He spoke to \"KanTV\" yesterday.",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    out.stdout
}

#[test]
fn weak_aliases_come_back_with_an_undo_of_an_undo_and_through_a_history_export() {
    let s = seed_store();
    assert!(!kan_in_quotes(&s).contains("KanTV"));
    write(&s, r#"alias kan "KanTV" weak"#);
    let added = kan_in_quotes(&s);
    assert!(added.contains("KanTV"), "{added}");
    write(&s, "undo");
    assert!(!kan_in_quotes(&s).contains("KanTV"));
    let undo = latest_change(&s);
    write(&s, &format!("undo change {undo}"));
    assert_eq!(kan_in_quotes(&s), added);
    let history = answer(&s, "history kan", "csv");
    assert!(history.contains(r#"alias,,"""KanTV"" weak""#), "{history}");

    let file = s.db.with_file_name("history.jsonl");
    fs::write(&file, history_export(&s)).unwrap();
    let fresh = TempStore::new();
    let out = fresh.run(&["import", file.to_str().unwrap()]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(kan_in_quotes(&fresh), added);
    assert_eq!(answer(&fresh, "history kan", "csv"), history);
    assert_eq!(
        answer(&fresh, "describe kan", "csv"),
        answer(&s, "describe kan", "csv")
    );
    assert_eq!(fresh.ok(&["export"]), s.ok(&["export"]));
}
