//! The bulk import's swap on PostgreSQL ([`super::swap`]): the tables swapped in are the
//! stored ones' twins (indexes, constraints, triggers and their states, views, grants,
//! identity sequences), the rows and counts are SQLite's, writes go on after it, what it
//! cannot carry keeps the import in the stored tables, and readers are not held while
//! it waits for a long reader to switch. Skipped (with a message) without a test server.

use super::postgres_tests::{bulk_file_with_copies, counts, export, postgres, postgres_target};
use crate::store::change::{ChangeMeta, Origin};
use crate::store::import::testing::*;
use crate::store::write::WriteOp;
use crate::store::Mode;

/// What the swapped tables are made of, one line each, in order: their columns,
/// indexes, constraints (and those naming them), triggers with their states, identity
/// sequences with their settings, owners and grants (their TOAST tables' names, which
/// are their oids, aside), and every view of the schema.
fn described(store: &Store) -> Vec<String> {
    store
        .db()
        .query_map(
            "WITH t(oid) AS (VALUES ('relation'::regclass), ('relation_text'::regclass))
             SELECT x FROM (
               SELECT format('column %s %s %s %s %s %s %s', a.attrelid::regclass, a.attname,
                             format_type(a.atttypid, a.atttypmod), a.attnotnull,
                             a.attidentity, a.attgenerated,
                             COALESCE(pg_get_expr(d.adbin, d.adrelid), '')) AS x
               FROM pg_attribute a LEFT JOIN pg_attrdef d
                 ON d.adrelid = a.attrelid AND d.adnum = a.attnum
               WHERE a.attrelid IN (SELECT oid FROM t) AND a.attnum > 0
                 AND NOT a.attisdropped
               UNION ALL
               SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i
               WHERE i.indrelid IN (SELECT oid FROM t)
               UNION ALL
               SELECT format('constraint %s %s %s', k.conrelid::regclass, k.conname,
                             pg_get_constraintdef(k.oid))
               FROM pg_constraint k
               WHERE k.conrelid IN (SELECT oid FROM t) OR k.confrelid IN (SELECT oid FROM t)
               UNION ALL
               SELECT format('trigger %s %s', pg_get_triggerdef(g.oid), g.tgenabled)
               FROM pg_trigger g WHERE g.tgrelid IN (SELECT oid FROM t) AND NOT g.tgisinternal
               UNION ALL
               SELECT format('sequence %s %s %s %s', s.seqrelid::regclass, s.seqstart,
                             s.seqincrement, s.seqcache)
               FROM pg_sequence s JOIN pg_depend d ON d.objid = s.seqrelid
               WHERE d.refobjid IN (SELECT oid FROM t)
               UNION ALL
               SELECT format('owner %s %s %s', c.oid::regclass, c.relowner::regrole,
                             COALESCE(c.relacl::text, ''))
               FROM pg_class c
               WHERE c.relkind <> 't'
                 AND (c.oid IN (SELECT oid FROM t)
                      OR c.oid IN (SELECT d.objid FROM pg_depend d
                                   WHERE d.refobjid IN (SELECT oid FROM t)
                                     AND d.classid = 'pg_class'::regclass))
               UNION ALL
               SELECT format('view %s %s', c.oid::regclass, pg_get_viewdef(c.oid))
               FROM pg_class c
               WHERE c.relkind = 'v' AND c.relnamespace = current_schema()::regnamespace
             ) described ORDER BY x",
            &[],
            |r| r.get(0),
        )
        .unwrap()
}

/// The table `relation` is, by its oid: another one after a swap.
fn relation_oid(store: &Store) -> i64 {
    store
        .db()
        .query_row(
            "SELECT CAST('relation'::regclass::oid AS BIGINT)",
            &[],
            |r| r.get(0),
        )
        .unwrap()
}

/// Imports `text` into both stores: the same summary, export and counts.
fn import_alike(pg: &mut Store, lite: &mut Store, text: &str) {
    let expected = jsonl(lite, text).map_err(|e| e.to_string());
    assert_eq!(jsonl(pg, text).map_err(|e| e.to_string()), expected);
    assert_eq!(export(pg), export(lite));
    assert_eq!(counts(pg), counts(lite));
}

/// Adds a relation as one change.
fn add(store: &mut Store, record: &str) {
    store
        .begin_change(ChangeMeta::new("tester", Origin::Repl))
        .unwrap();
    let op = WriteOp::Add(serde_json::from_str(record).unwrap());
    store.write(&op, Some("testing")).unwrap();
    store.commit_change().unwrap();
}

#[test]
fn a_bulk_import_swaps_in_twins_of_the_stored_tables() {
    let Some(mut pg) = postgres() else {
        return;
    };
    // What a team's administrator may have added: grants, and views of their own (one
    // on a table, one on the store's view of relations).
    pg.db()
        .execute_batch(
            "GRANT SELECT ON relation, relation_text TO PUBLIC;
             GRANT USAGE ON SEQUENCE relation_key_seq TO PUBLIC;
             CREATE VIEW quoted AS SELECT count(*) AS n FROM relation_text;
             CREATE VIEW relation_keys AS SELECT key FROM relation_view",
        )
        .unwrap();
    let before = described(&pg);
    let mut lite = store();
    let text = bulk_file_with_copies();
    let oid = relation_oid(&pg);
    import_alike(&mut pg, &mut lite, &text);
    assert_ne!(relation_oid(&pg), oid, "the import swapped the tables");
    assert_eq!(described(&pg), before);
    // Again, into a store that holds as many: its rows are copied, the file's are there.
    let oid = relation_oid(&pg);
    import_alike(
        &mut pg,
        &mut lite,
        &format!("{text}{}", &text[BASE.len()..]),
    );
    assert_ne!(
        relation_oid(&pg),
        oid,
        "the second import swapped the tables"
    );
    assert_eq!(described(&pg), before);
    // Writes go on: the next key, the counts kept by the triggers, the text index.
    let record = r#"{"type":"relation","subject":"b","predicate":"p","object":"a","quote":"after the swap"}"#;
    add(&mut pg, record);
    add(&mut lite, record);
    assert_eq!(export(&pg), export(&lite));
    assert_eq!(counts(&pg), counts(&lite));
    let found: i64 = pg
        .db()
        .query_row(
            "SELECT count(*) FROM relation_text WHERE quote_words @@ plainto_tsquery('simple', 'swap')",
            &[],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(found, 1);
    // A relation removed takes its text row with it (the text's foreign key).
    pg.db()
        .execute_batch("DELETE FROM relation WHERE key = (SELECT max(key) FROM relation_text)")
        .unwrap();
    let texts_left: i64 = pg
        .db()
        .query_row(
            "SELECT count(*) FROM relation_text t WHERE NOT EXISTS \
             (SELECT 1 FROM relation r WHERE r.key = t.key)",
            &[],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(texts_left, 0);
}

#[test]
fn what_a_swap_cannot_carry_keeps_the_import_in_the_stored_tables() {
    let Some(mut pg) = postgres() else {
        return;
    };
    // A materialized view holds its own rows, and could not be pointed at another table.
    pg.db()
        .execute_batch("CREATE MATERIALIZED VIEW kept AS SELECT count(*) AS n FROM relation")
        .unwrap();
    let oid = relation_oid(&pg);
    let mut lite = store();
    import_alike(&mut pg, &mut lite, &bulk_file_with_copies());
    assert_eq!(relation_oid(&pg), oid, "not swapped");
}

#[test]
fn readers_go_on_while_a_swap_waits_for_a_long_reader() {
    let Some(target) = postgres_target() else {
        return;
    };
    let mut pg = Store::open_target(&target, Mode::Create).unwrap();
    jsonl(&mut pg, BASE).unwrap();
    let stored = |store: &Store| -> i64 {
        store
            .db()
            .query_row("SELECT count(*) FROM relation", &[], |r| r.get(0))
            .unwrap()
    };
    // A reader in a long transaction holds the tables the swap takes.
    let long = Store::open_target(&target, Mode::ReadOnly).unwrap();
    long.db().execute_batch("BEGIN").unwrap();
    assert_eq!(stored(&long), 0);
    let importing = {
        let target = target.clone();
        std::thread::spawn(move || {
            let mut pg = Store::open_target(&target, Mode::ReadWrite).unwrap();
            jsonl(&mut pg, &bulk_file_with_copies()[BASE.len()..]).map(|s| s.relations.added)
        })
    };
    // The import reaches the swap and waits for the long reader (100 ms at a time).
    let watcher = Store::open_target(&target, Mode::ReadOnly).unwrap();
    let waiting = || -> bool {
        watcher
            .db()
            .query_row(
                "SELECT count(*) > 0 FROM pg_locks
                 WHERE relation = 'relation'::regclass AND mode = 'AccessExclusiveLock'
                   AND NOT granted",
                &[],
                |r| r.get(0),
            )
            .unwrap()
    };
    let mut seen = false;
    for _ in 0..3000 {
        if waiting() {
            seen = true;
            break;
        }
        assert!(!importing.is_finished(), "the import ended before its swap");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(seen, "the import never reached its swap");
    // Other readers are not held behind it: each is answered within its timeout, with
    // the stored rows.
    let reader = Store::open_target(&target, Mode::ReadOnly).unwrap();
    reader
        .db()
        .execute_batch("SET statement_timeout = '5s'")
        .unwrap();
    for _ in 0..20 {
        assert_eq!(stored(&reader), 0);
    }
    assert!(
        !importing.is_finished(),
        "the import waits for the long reader"
    );
    long.db().execute_batch("COMMIT").unwrap();
    let added = importing.join().unwrap().unwrap();
    assert_eq!(stored(&reader), i64::try_from(added).unwrap());
}

#[test]
fn an_import_refused_after_its_swap_leaves_the_store_as_it_was() {
    let Some(mut pg) = postgres() else {
        return;
    };
    let declared = "{\"type\":\"predicate\",\"id\":\"visits\",\"label\":\"visits\"}\n";
    jsonl(&mut pg, &format!("{BASE}{declared}")).unwrap();
    let (oid, before) = (relation_oid(&pg), export(&pg));
    // A new predicate that looks like a declared one is refused when strict, once the
    // whole file is in: after the swap.
    let text = bulk_file_with_copies().replace("\"predicate\":\"p\"", "\"predicate\":\"visit\"");
    let strict = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    let refused = pg
        .import(
            text.as_bytes(),
            ImportFormat::JsonLines,
            "test.jsonl",
            strict,
        )
        .unwrap_err();
    assert!(refused.to_string().contains("visits"), "{refused}");
    assert_eq!(relation_oid(&pg), oid, "the swap was rolled back");
    assert_eq!(export(&pg), before);
    // A dry run swaps and rolls back as well: it says what it would add, adds nothing.
    let dry = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    let said = pg
        .import(text.as_bytes(), ImportFormat::JsonLines, "test.jsonl", dry)
        .unwrap();
    assert_eq!(said.relations.added, 10_010);
    assert_eq!(relation_oid(&pg), oid, "the dry run was rolled back");
    assert_eq!(export(&pg), before);
    // Not strict, the same file is imported, by a swap.
    jsonl(&mut pg, &text).unwrap();
    assert_ne!(relation_oid(&pg), oid);
}

#[test]
fn an_unknown_id_in_a_swapped_import_is_told_at_its_line_as_on_sqlite() {
    let Some(mut pg) = postgres() else {
        return;
    };
    let mut lite = store();
    let oid = relation_oid(&pg);
    let text = bulk_file_with_copies();
    let lines: Vec<&str> = text.lines().collect();
    // An unknown subject, place or source on one relation of the bulk file, then on two
    // (the first by line is told).
    let unknown = |at: &[(usize, &str, &str)]| -> String {
        let mut lines = lines.clone();
        let changed: Vec<String> = at
            .iter()
            .map(|(i, from, to)| lines[*i].replacen(from, to, 1))
            .collect();
        for ((i, _, _), line) in at.iter().zip(&changed) {
            lines[*i] = line;
        }
        lines.join("\n") + "\n"
    };
    let place = "\"object\":\"b\",\"place\":\"nowhere\"";
    let source = "\"object\":\"b\",\"source\":\"no-such-source\"";
    for file in [
        unknown(&[(5_000, "\"subject\":\"a\"", "\"subject\":\"ghost\"")]),
        unknown(&[(9_000, "\"object\":\"b\"", place)]),
        unknown(&[
            (9_500, "\"object\":\"b\"", source),
            (7_000, "\"object\":\"b\"", "\"object\":\"ghost\""),
        ]),
    ] {
        let expected = jsonl(&mut lite, &file)
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert!(expected.is_err(), "SQLite refuses the file");
        let got = jsonl(&mut pg, &file).map(|_| ()).map_err(|e| e.to_string());
        assert_eq!(got, expected);
        assert_eq!(relation_oid(&pg), oid, "the refused import changed nothing");
    }
}
