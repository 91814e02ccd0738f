//! The store through the command line: import, export round trip, refused files, check,
//! stats, demo, and the rules about missing and newer stores.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{count, export, factstore, factstore_with_stdin, on, SEED};

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::tempdir().expect("a temporary directory"))
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        fs::write(&p, text).expect("the test file is written");
        p
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

fn import_seed(db: &Path) {
    let run = on(db, &["import", SEED]);
    assert_eq!(run.status, 0, "{}", run.stderr);
}

#[test]
fn seed_imports_once_and_round_trips() {
    let dir = Dir::new();
    let db = dir.path("facts.db");
    let run = on(&db, &["import", SEED]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("relations      added 39"),
        "{}",
        run.stdout
    );
    assert_eq!(count(&db, "source"), 2);
    assert_eq!(count(&db, "entity"), 25);
    assert_eq!(count(&db, "predicate"), 29);
    assert_eq!(count(&db, "relation"), 39);

    let before = export(&db);
    let again = on(&db, &["import", SEED]);
    assert_eq!(again.status, 0, "{}", again.stderr);
    assert!(again
        .stdout
        .contains("relations      added 0, already present 39"));
    assert_eq!(count(&db, "relation"), 39);
    assert_eq!(export(&db), before);

    let exported = dir.write("export.jsonl", &before);
    let fresh = dir.path("fresh.db");
    let run = on(&fresh, &["import", s(&exported)]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(export(&fresh), before);
    assert_eq!(count(&fresh, "alias"), count(&db, "alias"));

    // `export FILE` writes the same bytes as stdout.
    let file = dir.path("out.jsonl");
    assert_eq!(on(&db, &["export", s(&file)]).status, 0);
    assert_eq!(fs::read_to_string(&file).unwrap(), before);
}

#[test]
fn bad_line_is_refused_with_line_and_field_and_nothing_is_written() {
    let seed = fs::read_to_string(SEED).unwrap();
    let lines: Vec<&str> = seed.lines().collect();
    // (bad record, field named in the error, or None for a JSON syntax error)
    let cases: &[(&str, Option<&str>)] = &[
        (r#"{"type": "entity", "id": "x1", "kind": "person""#, None),
        (
            r#"{"type": "relation", "subject": "pezeshkian", "predicate": "visited", "object": "atlantis"}"#,
            Some("object"),
        ),
        (
            r#"{"type": "relation", "subject": "pezeshkian", "predicate": "visited", "object": "baku", "when": "2025-02-30"}"#,
            Some("when"),
        ),
        (
            r#"{"type": "entity", "id": "x1", "name": "X"}"#,
            Some("kind"),
        ),
        (
            r#"{"type": "relation", "subject": "pezeshkian", "predicate": "visited", "object": "baku", "status": "rumoured"}"#,
            Some("status"),
        ),
        (
            r#"{"type": "entity", "id": "x1", "kind": "person", "name": 42}"#,
            Some("name"),
        ),
    ];
    let dir = Dir::new();
    let db = dir.path("facts.db");
    // The store already holds a small file; the bad files add to the seed.
    let first = dir.write(
        "first.jsonl",
        "{\"type\":\"entity\",\"id\":\"first\",\"kind\":\"person\",\"name\":\"First\"}\n",
    );
    assert_eq!(on(&db, &["import", s(&first)]).status, 0);
    let before = export(&db);
    for (n, (record, field)) in cases.iter().enumerate() {
        // Put the bad record at line 50 of the seed (and a new entity before it).
        let bad_line = 50;
        let mut text: Vec<&str> = lines.clone();
        text.insert(bad_line - 1, record);
        text.insert(
            3,
            r#"{"type": "entity", "id": "x2", "kind": "city", "name": "X2"}"#,
        );
        let file = dir.write(&format!("bad{n}.jsonl"), &(text.join("\n") + "\n"));
        let run = on(&db, &["import", s(&file)]);
        assert_eq!(run.status, 2, "{record}: {}", run.stderr);
        let expected_line = bad_line + 1;
        assert!(
            run.stderr.contains(&format!(".jsonl:{expected_line}:")),
            "{record}: {}",
            run.stderr
        );
        if let Some(field) = field {
            assert!(
                run.stderr.contains(&format!("field `{field}`")),
                "{record}: {}",
                run.stderr
            );
        } else {
            assert!(run.stderr.contains("invalid JSON"), "{}", run.stderr);
        }
        assert!(!run.stderr.contains("panicked"));
        assert_eq!(run.stdout, "");
        assert_eq!(export(&db), before, "{record}: the store changed");
    }
}

#[test]
fn csv_relations_and_entities_import() {
    let dir = Dir::new();
    let db = dir.path("facts.db");
    let entities = dir.write(
        "people.csv",
        "id,kind,name,aliases\nkhalid,person,Khalid,خالد|Khaled\nriyadh,city,Riyadh,الرياض\n",
    );
    let relations = dir.write(
        "moves.csv",
        "subject,predicate,object,from,to,status,confidence,quote\n\
         khalid,lived_in,riyadh,2019,2023-06,,0.9,\"he said, \"\"I lived there\"\"\"\n",
    );
    let run = on(&db, &["import", s(&entities), s(&relations)]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("new undeclared predicates: lived_in"),
        "{}",
        run.stdout
    );
    assert_eq!(count(&db, "entity"), 2);
    assert_eq!(count(&db, "alias"), 5);
    let out = export(&db);
    assert!(out.contains(
        r#"{"type":"relation","id":1,"subject":"khalid","predicate":"lived_in","object":"riyadh","from":"2019","to":"2023-06","quote":"he said, \"I lived there\"","confidence":0.9}"#
    ), "{out}");
    assert!(out.contains(r#""aliases":["خالد","Khaled"]"#), "{out}");

    // --format overrides the extension.
    let txt = dir.write("more.txt", "id,kind,name\nnajd,place,Najd\n");
    assert_eq!(on(&db, &["import", s(&txt)]).status, 2);
    let run = on(&db, &["import", "--format", "csv", s(&txt)]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(count(&db, "entity"), 3);
}

#[test]
fn dry_run_writes_nothing() {
    let dir = Dir::new();
    let db = dir.path("facts.db");
    // On a missing store: checks, creates no file.
    let run = on(&db, &["import", "--dry-run", SEED]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("dry run"), "{}", run.stdout);
    assert!(!db.exists());
    // On an existing store: nothing changes.
    let first = dir.write("first.csv", "id,kind,name\nfirst,person,First\n");
    assert_eq!(on(&db, &["import", s(&first)]).status, 0);
    let before = export(&db);
    let run = on(&db, &["import", "--dry-run", SEED]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("would add 39"), "{}", run.stdout);
    assert_eq!(export(&db), before);
}

#[test]
fn import_reads_standard_input() {
    let dir = Dir::new();
    let db = dir.path("facts.db");
    let seed = fs::read_to_string(SEED).unwrap();
    let run = factstore_with_stdin(&["--db", s(&db), "import", "-"], &seed);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(count(&db, "relation"), 39);
}

#[test]
fn check_passes_on_fresh_and_demo_stores_and_reports_broken_rules() {
    let dir = Dir::new();
    let fresh = dir.path("fresh.db");
    assert_eq!(on(&fresh, &["init"]).status, 0);
    let run = on(&fresh, &["check"]);
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);

    let demo = dir.path("demo.db");
    let run = factstore(&["demo", "--db", s(&demo)]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    // With nothing on standard input the demo's REPL runs no statement; the import
    // summary is on stderr.
    assert!(
        run.stderr.contains("relations      added 39"),
        "{}",
        run.stderr
    );
    let run = on(&demo, &["check"]);
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);

    let broken = dir.path("broken.db");
    import_seed(&broken);
    {
        let conn = rusqlite::Connection::open(&broken).unwrap();
        conn.execute_batch(
            "UPDATE relation SET start_lo = end_hi + 1
               WHERE key = (SELECT min(key) FROM relation WHERE when_text IS NOT NULL);
             PRAGMA foreign_keys = OFF;
             UPDATE relation SET subject = 9999 WHERE key = (SELECT max(key) FROM relation);",
        )
        .unwrap();
    }
    let run = on(&broken, &["check"]);
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("ends before it starts"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("dangling subject"), "{}", run.stdout);
    assert!(run.stderr.contains("problem"), "{}", run.stderr);
}

#[test]
fn newer_store_is_refused_and_left_unchanged() {
    let dir = Dir::new();
    let db = dir.path("facts.db");
    import_seed(&db);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA user_version = 999;")
            .unwrap();
    }
    let bytes = fs::read(&db).unwrap();
    for args in [
        vec!["stats"],
        vec!["check"],
        vec!["export"],
        vec!["init"],
        vec!["import", SEED],
    ] {
        let run = on(&db, &args);
        assert_eq!(run.status, 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("999"), "{}", run.stderr);
        assert!(run.stderr.contains("newer factstore"), "{}", run.stderr);
        assert_eq!(fs::read(&db).unwrap(), bytes, "{args:?} changed the file");
    }
}

#[test]
fn read_only_commands_on_a_missing_store_create_nothing() {
    let dir = Dir::new();
    let db = dir.path("missing.db");
    for args in [vec!["stats"], vec!["check"], vec!["export"]] {
        let run = on(&db, &args);
        assert_eq!(run.status, 1, "{args:?}");
        assert!(run.stderr.contains("factstore --db"), "{}", run.stderr);
        assert!(run.stderr.contains("init"), "{}", run.stderr);
        assert_eq!(run.stdout, "");
        assert!(!db.exists());
    }
}

#[test]
fn store_path_comes_from_the_environment() {
    let dir = Dir::new();
    let db = dir.path("env.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_factstore"))
        .arg("init")
        .env("FACTSTORE_DB", &db)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(db.exists());
}

#[test]
fn stats_show_counts_and_span() {
    let dir = Dir::new();
    let db = dir.path("facts.db");
    import_seed(&db);
    let run = on(&db, &["stats"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    for expected in [
        "entities       25",
        "relations      39",
        "predicates     29",
        "sources        2",
        "time span      2023-01-01 ..",
    ] {
        assert!(run.stdout.contains(expected), "{expected}: {}", run.stdout);
    }
}

#[test]
fn demo_without_db_uses_a_temporary_store() {
    let dir = Dir::new();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_factstore"))
        .arg("demo")
        .current_dir(dir.0.path())
        .env("FACTSTORE_DB", dir.path("should-not-exist.db"))
        .output()
        .unwrap();
    assert!(run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("relations      added 39"));
    assert_eq!(fs::read_dir(dir.0.path()).unwrap().count(), 0);
}

#[test]
fn a_missing_import_file_creates_no_store() {
    let dir = Dir::new();
    let db = dir.path("facts.db");
    let run = on(&db, &["import", s(&dir.path("nope.jsonl"))]);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("nope.jsonl"), "{}", run.stderr);
    assert!(!db.exists());
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(factstore(&["import"]).status, 2);
    assert_eq!(factstore(&["no-such-command"]).status, 2);
    let help = factstore(&["--help"]);
    assert_eq!(help.status, 0);
    assert!(help.stdout.contains("import"));
}
