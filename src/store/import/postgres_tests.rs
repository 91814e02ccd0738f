//! The import on PostgreSQL: the same files imported into a SQLite store and into a
//! fresh PostgreSQL schema give the same summaries and the same export bytes; importing
//! again adds nothing; a bad record leaves the store as it was; two imports of one file
//! at once add its records once. Skipped (with a message) without a test server.

use crate::store::import::testing::*;
use crate::store::{Mode, Target};

/// A fresh PostgreSQL store, or None without a test server.
pub(super) fn postgres() -> Option<Store> {
    let target = postgres_target()?;
    Some(Store::open_target(&target, Mode::Create).unwrap())
}

pub(super) fn postgres_target() -> Option<Target> {
    let server = crate::store::pg_server::server()?;
    Some(Target::Postgres {
        conninfo: server.conninfo().to_owned(),
        schema: server.fresh_schema(),
    })
}

pub(super) fn export(store: &Store) -> String {
    let mut out = Vec::new();
    store.export(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Imports each file into a new SQLite store and a new PostgreSQL one, in order: the
/// same summaries (change numbers included) and, after each, the same export.
fn same_on_both(files: &[&str]) {
    if let Some(pg) = postgres() {
        same_as_sqlite(pg, files);
    }
}

/// A fresh PostgreSQL store opened by a role that is not a superuser (and so may not
/// turn off the session's triggers), made on the test server once; None without a server
/// or with one given by a URL (said).
fn postgres_as_plain_role() -> Option<Store> {
    let server = crate::store::pg_server::server()?;
    if server.conninfo().contains("://") {
        eprintln!("skipped: the test server is given by a URL, to which no user can be added");
        return None;
    }
    let admin = postgres()?;
    admin
        .db()
        .execute_batch(
            "DO $$ BEGIN CREATE ROLE factstore_plain LOGIN NOSUPERUSER; \
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$; \
             DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO factstore_plain', \
             current_database()); END $$",
        )
        .unwrap();
    let target = Target::Postgres {
        conninfo: format!("{} user=factstore_plain", server.conninfo()),
        schema: server.fresh_schema(),
    };
    let store = Store::open_target(&target, Mode::Create).unwrap();
    let superuser: String = store
        .db()
        .query_row("SELECT current_setting('is_superuser')", &[], |r| r.get(0))
        .unwrap();
    assert_eq!(superuser, "off");
    Some(store)
}

/// [`same_on_both`] on the PostgreSQL store `pg`.
pub(super) fn same_as_sqlite(mut pg: Store, files: &[&str]) {
    let mut lite = store();
    for (i, text) in files.iter().enumerate() {
        let expected = jsonl(&mut lite, text).map_err(|e| e.to_string());
        let got = jsonl(&mut pg, text).map_err(|e| e.to_string());
        assert_eq!(got, expected, "file {i}");
        assert_eq!(export(&pg), export(&lite), "after file {i}");
        assert_eq!(counts(&pg), counts(&lite), "after file {i}");
        assert_eq!(name_words(&pg), name_words(&lite), "after file {i}");
    }
}

/// The words of names (`name_word`), as "word entity".
fn name_words(store: &Store) -> Vec<String> {
    store
        .db()
        .query_map(
            "SELECT word || ' ' || CAST(entity AS TEXT) FROM name_word ORDER BY 1",
            &[],
            |r| r.get(0),
        )
        .unwrap()
}

/// The kept counts of relations (by predicate and status, by source), without the rows
/// a count of 0 leaves.
pub(super) fn counts(store: &Store) -> Vec<(String, i64)> {
    store
        .db()
        .query_map(
            "SELECT p.id || ' ' || c.status, c.n FROM predicate_count c
             JOIN predicate p ON p.key = c.predicate WHERE c.n > 0
             UNION ALL
             SELECT s.id, c.n FROM source_count c JOIN source s ON s.key = c.source
             WHERE c.n > 0
             ORDER BY 1",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn the_demo_and_the_fixture_import_alike_and_once() {
    for file in ["data/demo.jsonl", "tests/fixtures/store-v1.jsonl"] {
        // Saved queries included (the fixture has one): checked by the planner's catalog
        // on either engine.
        let text = read(file);
        same_on_both(&[&text, &text]);
    }
}

#[test]
fn forward_references_symmetric_relations_and_ids_import_alike() {
    let forward = r#"{"type":"relation","subject":"x","predicate":"met","object":"a","note":"n\ttab\\slash"}
{"type":"relation","subject":"a","predicate":"met","object":"x","note":"n\ttab\\slash"}
{"type":"relation","subject":"a","predicate":"knows","object":"b","quote":"Ésmé said «yes»","confidence":0.30000000000000004}
{"type":"entity","id":"x","kind":"person","name":"X"}
{"type":"predicate","id":"met","symmetric":true}
{"type":"relation","id":40,"subject":"b","predicate":"knows","object":"a","when":"2025-04"}
{"type":"relation","subject":"b","predicate":"knows","object":"a","from":"2024","to":"2025","source":"src-1"}
"#;
    let again = r#"{"type":"relation","id":40,"subject":"b","predicate":"knows","object":"a","when":"2025-04"}
{"type":"relation","subject":"x","predicate":"met","object":"a","note":"n\ttab\\slash"}
{"type":"relation","subject":"a","predicate":"knws","object":"b"}
"#;
    same_on_both(&[BASE, forward, again]);
}

#[test]
fn entities_gathered_in_batches_import_alike() {
    // New entities are written a batch at a time on PostgreSQL: names shared with
    // stored entities, with earlier ones of the file and within one record, weak
    // aliases, an entity given twice (the batch is written before the second record
    // reads it), aliases added to a stored one, all as SQLite writes them row by row.
    let first = r#"{"type":"entity","id":"c","kind":"city","name":"Gamma","aliases":["ALEF","Gamma","G"],"weak_aliases":["gee","gee","gam"]}
{"type":"entity","id":"d","kind":"city","name":"G","note":"n\tb","aliases":["Alpha","D"]}
{"type":"entity","id":"c","kind":"city","name":"Gamma","aliases":["C3"]}
{"type":"entity","id":"e","kind":"person","name":"E","aliases":["d"]}
{"type":"entity","id":"a","aliases":["Alpha","G","A2"]}
{"type":"entity","id":"f","kind":"person","name":"F Two","aliases":["a2","Alpha Two","F  two"]}
"#;
    let again = r#"{"type":"entity","id":"g","kind":"person","name":"Gamma"}
{"type":"entity","id":"c","kind":"city","name":"Gamma"}
"#;
    same_on_both(&[BASE, first, first, again]);
}

#[test]
fn a_refused_name_in_a_batch_is_reported_at_its_line() {
    let Some(mut pg) = postgres() else {
        return;
    };
    let mut lite = store();
    let strict = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    // Line 2's name is refused under --strict before line 3's bad record is reached,
    // as row by row; and a batch's refusal at the end of the file.
    let files = [
        "{\"type\":\"entity\",\"id\":\"c\",\"kind\":\"city\",\"name\":\"C\"}\n\
         {\"type\":\"entity\",\"id\":\"d\",\"kind\":\"city\",\"name\":\"Alpha\"}\n\
         {\"type\":\"entity\"}\n",
        "{\"type\":\"entity\",\"id\":\"c\",\"kind\":\"city\",\"name\":\"C\",\"aliases\":[\"beta\"]}\n",
    ];
    for s in [&mut lite, &mut pg] {
        jsonl(s, BASE).unwrap();
    }
    for text in files {
        let import = |s: &mut Store| {
            s.import(text.as_bytes(), ImportFormat::JsonLines, "t.jsonl", strict)
                .map_err(|e| e.to_string())
        };
        let expected = import(&mut lite);
        assert!(expected.is_err(), "{expected:?}");
        assert_eq!(import(&mut pg), expected);
        assert_eq!(export(&pg), export(&lite));
    }
}

#[test]
fn a_long_file_streams_alike() {
    // Longer than what is imported from memory: read on one thread, written on another.
    let mut text = String::from(BASE);
    let mut n = 0;
    while text.len() < 200 * 1024 {
        text.push_str(&format!(
            "{{\"type\":\"relation\",\"subject\":\"a\",\"predicate\":\"p{}\",\"object\":\"b\",\"note\":\"{n}\"}}\n",
            n % 5
        ));
        n += 1;
    }
    same_on_both(&[&text, &text]);
}

#[test]
fn a_bulk_file_with_copies_numbers_alike() {
    // Enough relations for SQLite's bulk insert, which gives every relation from its
    // start a key (copies too, removed afterwards); before it, copies take none.
    let text = bulk_file_with_copies();
    same_on_both(&[&text, &text]);
}

/// A file of many relations, some written twice, for the bulk paths.
pub(super) fn bulk_file_with_copies() -> String {
    let rel = |n: usize| {
        format!(
            "{{\"type\":\"relation\",\"subject\":\"a\",\"predicate\":\"p\",\"object\":\"b\",\"note\":\"{n}\"}}\n"
        )
    };
    let mut text = String::from(BASE);
    for n in 0..10_010 {
        text.push_str(&rel(n));
        if n % 3000 == 1 || n == 10_005 {
            text.push_str(&rel(n - 1));
        }
    }
    text.push_str(&rel(5));
    text
}

#[test]
fn an_import_by_a_role_that_may_not_turn_off_row_checks_imports_alike() {
    // The import's relations are then checked row by row by PostgreSQL's foreign keys.
    if let Some(pg) = postgres_as_plain_role() {
        let text = bulk_file_with_copies();
        same_as_sqlite(pg, &[&text, &text, &read("data/demo.jsonl")]);
    }
}

#[test]
fn foreign_keys_still_hold_after_an_import_that_skipped_their_row_checks() {
    let Some(mut pg) = postgres() else {
        return;
    };
    let text = bulk_file_with_copies();
    jsonl(&mut pg, &text).unwrap();
    // The import's session turned its triggers off for two statements only.
    let role: String = pg
        .db()
        .query_row(
            "SELECT current_setting('session_replication_role')",
            &[],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(role, "origin");
    let refused = pg
        .db()
        .execute_batch("DELETE FROM entity WHERE id = 'b'")
        .unwrap_err();
    assert!(refused.to_string().contains("foreign key"), "{refused}");
}

#[test]
fn a_bad_record_leaves_the_store_unchanged() {
    let Some(mut pg) = postgres() else {
        return;
    };
    jsonl(&mut pg, BASE).unwrap();
    let before = export(&pg);
    let bad_file = format!(
        "{}\n{}\n{}\n",
        r#"{"type":"entity","id":"c","kind":"city","name":"C"}"#,
        r#"{"type":"relation","subject":"a","predicate":"p","object":"c"}"#,
        r#"{"type":"relation","subject":"a","predicate":"p","object":"nowhere"}"#
    );
    let (line, field, _) = bad(jsonl(&mut pg, &bad_file).unwrap_err());
    assert_eq!((line, field.as_deref()), (3, Some("object")));
    assert_eq!(export(&pg), before);
    // The store goes on: the next import numbers its change as if nothing had happened.
    let sum = jsonl(&mut pg, &bad_file.replace("nowhere", "b")).unwrap();
    assert_eq!((sum.relations.added, sum.change), (2, Some(2)));
}

#[test]
fn the_text_index_holds_the_folded_texts_of_imported_relations() {
    let Some(mut pg) = postgres() else {
        return;
    };
    let text = format!(
        "{BASE}{}\n{}\n",
        r#"{"type":"relation","subject":"a","predicate":"p","object":"b","quote":"Ésmé SAID","note":"Note"}"#,
        r#"{"type":"relation","subject":"a","predicate":"p","object":"b"}"#
    );
    jsonl(&mut pg, &text).unwrap();
    let rows: Vec<(i64, Option<String>, Option<String>)> = pg
        .db()
        .query_map(
            "SELECT key, quote, note FROM relation_text ORDER BY key",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let fold = |t: &str| Some(crate::names::normalise(t));
    assert_eq!(rows, [(1, fold("Ésmé SAID"), fold("Note"))]);
    // The identity keys go on after the imported ones.
    let next: i64 = pg
        .db()
        .query_row("SELECT nextval('relation_key_seq')", &[], |r| r.get(0))
        .unwrap();
    assert_eq!(next, 3);
}

#[test]
fn two_imports_of_one_file_at_once_add_it_once() {
    let Some(target) = postgres_target() else {
        return;
    };
    let mut first = Store::open_target(&target, Mode::Create).unwrap();
    jsonl(&mut first, BASE).unwrap();
    let mut text = String::new();
    for n in 0..2000 {
        text.push_str(&format!(
            "{{\"type\":\"relation\",\"subject\":\"a\",\"predicate\":\"p\",\"object\":\"b\",\"note\":\"{n}\"}}\n"
        ));
    }
    let sums: Vec<ImportSummary> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (target, text) = (&target, &text);
                scope.spawn(move || {
                    let mut store = Store::open_target(target, Mode::ReadWrite).unwrap();
                    jsonl(&mut store, text).unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let added: Vec<u64> = sums.iter().map(|s| s.relations.added).collect();
    assert!(added == [2000, 0] || added == [0, 2000], "{added:?}");
    let count: i64 = first
        .db()
        .query_row("SELECT count(*) FROM relation", &[], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 2000);
}

#[test]
fn csv_files_name_entities_alike() {
    let Some(mut pg) = postgres() else {
        return;
    };
    let mut lite = store();
    let rows = "subject,predicate,object,when,status,confidence,quote,place\n\
                alpha,visited,BETA,2025-04-28,planned,0.5,\"a, quoted \"\"text\"\"\",\n\
                ألف,visited,b,,,,,Beta\n";
    for s in [&mut lite, &mut pg] {
        jsonl(s, BASE).unwrap();
    }
    let expected = csv(&mut lite, rows).map_err(|e| e.to_string());
    assert!(expected.is_ok(), "{expected:?}");
    assert_eq!(csv(&mut pg, rows).map_err(|e| e.to_string()), expected);
    assert_eq!(export(&pg), export(&lite));
    // A name no entity has: the same refusal, with the same suggestions.
    let bad = "subject,predicate,object\na,visited,b\nAlpah,visited,b\n";
    assert_eq!(
        csv(&mut pg, bad).map_err(|e| e.to_string()),
        csv(&mut lite, bad).map_err(|e| e.to_string())
    );
}

/// A bulk import vacuums and analyses the tables it wrote (after its commit), so that
/// their pages are marked all-visible for index-only scans (once no older transaction
/// of the server needs their old state: other tests' may, so the test counts the
/// VACUUMs); a small one leaves that to autovacuum.
#[test]
fn a_bulk_import_vacuums_its_tables() {
    let Some(mut pg) = postgres() else {
        return;
    };
    let vacuums = |store: &Store| -> (i64, i64) {
        store
            .db()
            .query_row(
                "SELECT vacuum_count, analyze_count FROM pg_stat_user_tables \
                 WHERE relid = 'relation'::regclass",
                &[],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    };
    let relations = |from: u64, to: u64| {
        (from..to)
            .map(|i| {
                format!(
                    "{{\"type\":\"relation\",\"subject\":\"a\",\"predicate\":\"visited\",\
                     \"object\":\"b\",\"note\":\"visit {i}\"}}\n"
                )
            })
            .collect::<String>()
    };
    let small = jsonl(&mut pg, &format!("{BASE}{}", relations(0, 10))).unwrap();
    assert_eq!(small.after_commit, None);
    assert_eq!(vacuums(&pg), (0, 0), "a small import is left to autovacuum");
    let bulk = super::vacuum::VACUUM_AFTER_ROWS;
    let summary = jsonl(&mut pg, &relations(10, 10 + bulk)).unwrap();
    assert_eq!(summary.relations.added, bulk);
    assert_eq!(summary.after_commit, None);
    assert_eq!(vacuums(&pg), (1, 1));
}
