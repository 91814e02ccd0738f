//! PostgreSQL's bulk import with relations copied straight into the swap's copies
//! ([`super::direct`]): what it writes is SQLite's (summary, export, counts), whatever
//! follows the switch (copies of the file's and of stored relations, mirror images,
//! forward references, relative dates, ids), the text index holds every relation's folded
//! texts, and a bad record is told at its line with the store unchanged. Skipped (with a
//! message) without a test server.

use super::direct::COPIED;
use super::postgres_tests::{counts, export, postgres};
use crate::store::import::testing::*;

/// Imports `text` (JSON Lines) as `name` into both stores: the same outcome (summary or
/// error), and the same export and counts after.
fn import_alike(pg: &mut Store, lite: &mut Store, name: &str, text: &str) {
    // Either outcome, alike (some files here are refused on purpose).
    let _ = import_as_alike(pg, lite, name, ImportFormat::JsonLines, text);
}

/// [`import_alike`] in `format`; returns SQLite's outcome.
fn import_as_alike(
    pg: &mut Store,
    lite: &mut Store,
    name: &str,
    format: ImportFormat,
    text: &str,
) -> Result<ImportSummary, String> {
    let import = |store: &mut Store| {
        store
            .import(text.as_bytes(), format, name, ImportOptions::default())
            .map_err(|e| e.to_string())
    };
    let expected = import(lite);
    assert_eq!(import(pg), expected);
    assert_eq!(export(pg), export(lite));
    assert_eq!(counts(pg), counts(lite));
    expected
}

/// How many relations the import of the file `name` copied straight into the copy.
fn copied(name: &str) -> Option<u64> {
    let copied = COPIED.lock().unwrap();
    copied
        .iter()
        .find(|(file, _)| file == name)
        .map(|(_, n)| *n)
}

/// A relation of `a` and `b` by `predicate`, its note `n` and a quote to fold.
fn rel(predicate: &str, subject: &str, object: &str, n: usize) -> String {
    format!(
        "{{\"type\":\"relation\",\"subject\":\"{subject}\",\"predicate\":\"{predicate}\",\
         \"object\":\"{object}\",\"quote\":\"Café Ünïcode {n}\",\"note\":\"{n}\"}}\n"
    )
}

/// The store's text index as rows, and the folded texts of its relations it should hold.
fn text_index(pg: &Store) -> (Vec<String>, Vec<String>) {
    let rows = |sql: &str| -> Vec<(i64, Option<String>, Option<String>)> {
        pg.db()
            .query_map(sql, &[], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
    };
    let shown = |(key, quote, note): (i64, Option<String>, Option<String>)| {
        format!("{key} {quote:?} {note:?}")
    };
    let held = rows("SELECT key, quote, note FROM relation_text ORDER BY key");
    let expected = rows(
        "SELECT key, quote, note FROM relation
         WHERE quote IS NOT NULL OR note IS NOT NULL ORDER BY key",
    )
    .into_iter()
    .map(|(key, quote, note)| {
        let fold = |t: Option<String>| t.as_deref().map(crate::names::normalise);
        (key, fold(quote), fold(note))
    });
    (
        held.into_iter().map(shown).collect(),
        expected.map(shown).collect(),
    )
}

#[test]
fn what_follows_the_switch_to_copying_is_written_as_sqlite_writes_it() {
    let Some(mut pg) = postgres() else {
        return;
    };
    let mut lite = store();
    let met = r#"{"type":"predicate","id":"met","label":"met","symmetric":true}
"#;
    // Stored before: a relation, and one of a symmetric predicate.
    let stored = format!(
        "{BASE}{met}{}{}",
        rel("p", "a", "b", 0),
        rel("met", "a", "b", 1)
    );
    import_alike(&mut pg, &mut lite, "stored.jsonl", &stored);
    // As many new and distinct relations as a bulk import takes, then the rest.
    let mut text = String::from(BASE);
    for n in 10..10_010 {
        text.push_str(&rel("p", "a", "b", n));
    }
    for line in [
        // Copies: of the file's first relations, of one copied, of the stored ones (the
        // symmetric one either way round), and a new relation twice.
        rel("p", "a", "b", 12),
        rel("p", "a", "b", 0),
        rel("met", "b", "a", 1),
        rel("p", "a", "b", 20_000),
        rel("p", "a", "b", 20_000),
        rel("p", "a", "b", 10_005),
        rel("met", "a", "b", 20_001),
        rel("met", "b", "a", 20_001),
        // Entities and a source defined further down, a place.
        rel("p", "c", "a", 20_002),
        r#"{"type":"relation","subject":"a","predicate":"p","object":"b","place":"c","source":"src-2","note":"placed"}"#.to_string() + "\n",
        // Relative dates: anchored by `reported`, and by the source's date.
        r#"{"type":"relation","subject":"a","predicate":"saw","object":"b","when":"yesterday","reported":"2025-05-02"}"#.to_string() + "\n",
        r#"{"type":"relation","subject":"a","predicate":"saw","object":"b","when":"yesterday","source":"src-1"}"#.to_string() + "\n",
        // An id of its own, above every key.
        r#"{"type":"relation","id":50000,"subject":"b","predicate":"p","object":"a","note":"kept"}"#.to_string() + "\n",
        rel("p", "b", "a", 20_003),
        // The id of a relation copied above (the first `20_000`), given by the same
        // relation: present.
        r#"{"type":"relation","id":10006,"subject":"a","predicate":"p","object":"b","quote":"Café Ünïcode 20000","note":"20000"}"#.to_string() + "\n",
        r#"{"type":"entity","id":"c","kind":"city","name":"Gamma"}"#.to_string() + "\n",
        r#"{"type":"source","id":"src-2","title":"U","published":"2025-05-01"}"#.to_string() + "\n",
    ] {
        text.push_str(&line);
    }
    import_alike(&mut pg, &mut lite, "direct-alike.jsonl", &text);
    // Every relation after the first bulk's but the two that name ids defined further
    // down and the one already present: copies and a relation with an id included.
    assert_eq!(copied("direct-alike.jsonl"), Some(12));
    let (held, expected) = text_index(&pg);
    assert_eq!(held, expected);
    // A second time: everything present (the store holds as many, nothing is copied).
    import_alike(&mut pg, &mut lite, "direct-again.jsonl", &text);
    assert_eq!(copied("direct-again.jsonl"), None);
    let (held, expected) = text_index(&pg);
    assert_eq!(held, expected);
}

#[test]
fn a_copy_among_the_first_relations_keeps_the_import_staged() {
    let Some(mut pg) = postgres() else {
        return;
    };
    let mut lite = store();
    let mut text = String::from(BASE);
    text.push_str(&rel("p", "a", "b", 0));
    for n in 0..10_100 {
        text.push_str(&rel("p", "a", "b", n));
    }
    import_alike(&mut pg, &mut lite, "staged-copies.jsonl", &text);
    assert_eq!(copied("staged-copies.jsonl"), None);
    let (held, expected) = text_index(&pg);
    assert_eq!(held, expected);
}

#[test]
fn an_unknown_id_after_the_switch_is_told_at_its_line_as_on_sqlite() {
    let Some(mut pg) = postgres() else {
        return;
    };
    let mut lite = store();
    import_alike(&mut pg, &mut lite, "base.jsonl", BASE);
    let before = export(&pg);
    for (field, bad) in [
        ("subject", rel("p", "nobody", "a", 3)),
        (
            "source",
            r#"{"type":"relation","subject":"a","predicate":"p","object":"b","source":"nowhere"}"#
                .to_string()
                + "\n",
        ),
        (
            "place",
            r#"{"type":"relation","subject":"a","predicate":"p","object":"b","place":"nowhere"}"#
                .to_string()
                + "\n",
        ),
    ] {
        let mut text = String::new();
        for n in 0..10_050 {
            text.push_str(&rel("p", "a", "b", n));
            if n == 10_020 {
                text.push_str(&bad);
            }
        }
        import_alike(&mut pg, &mut lite, &format!("unknown-{field}.jsonl"), &text);
        let err = jsonl(&mut pg, &text).unwrap_err().to_string();
        assert!(err.contains(&format!("`{field}`")), "{err}");
        assert_eq!(export(&pg), before);
    }
}

#[test]
fn an_id_held_by_a_copied_relation_is_refused_as_on_sqlite() {
    let Some(mut pg) = postgres() else {
        return;
    };
    let mut lite = store();
    let mut text = String::from(BASE);
    for n in 0..10_050 {
        text.push_str(&rel("p", "a", "b", n));
    }
    // Key 10,020 is the relation of note 10,019 (keys from 1; after the first 10,000
    // the relations are copied): another relation may not take it.
    text.push_str(r#"{"type":"relation","id":10020,"subject":"b","predicate":"p","object":"a"}"#);
    text.push('\n');
    import_alike(&mut pg, &mut lite, "claimed.jsonl", &text);
    let err = jsonl(&mut pg, &text).unwrap_err().to_string();
    assert!(err.contains("already the id of another relation"), "{err}");
    assert_eq!(export(&pg), "");
}

/// Imports `rows` (CSV) as `name` into both stores, alike (see [`import_alike`]), and
/// without error; the text index holds the folded texts.
fn import_csv_alike(pg: &mut Store, lite: &mut Store, name: &str, rows: &str) {
    let outcome = import_as_alike(pg, lite, name, ImportFormat::Csv, rows);
    assert!(outcome.is_ok(), "{outcome:?}");
    let (held, expected) = text_index(pg);
    assert_eq!(held, expected);
}

/// 12,000 CSV rows naming stored entities by name and id, with a source; the last 1,970
/// are copies of the first ones.
fn bulk_csv() -> String {
    let mut rows = String::from("subject,predicate,object,source,quote,note\n");
    for n in 0..12_000 {
        let m = n % 10_030;
        rows.push_str(&format!("Alpha,visited,b,src-1,\"Café, {m}\",{m}\n"));
    }
    rows
}

#[test]
fn a_bulk_csv_file_of_relations_is_copied_with_the_stored_keys() {
    let Some(mut pg) = postgres() else {
        return;
    };
    let mut lite = store();
    import_alike(&mut pg, &mut lite, "base.jsonl", BASE);
    import_csv_alike(&mut pg, &mut lite, "stored-keys.csv", &bulk_csv());
    // The store's few entities and sources were read at the switch: every relation after
    // the first 10,000 is copied.
    assert_eq!(copied("stored-keys.csv"), Some(2000));
}

#[test]
fn ids_of_a_larger_store_are_looked_up_as_they_come() {
    let Some(mut pg) = postgres() else {
        return;
    };
    let mut lite = store();
    let more = r#"{"type":"entity","id":"c","kind":"city","name":"Gamma"}
{"type":"entity","id":"d","kind":"city","name":"Delta"}
"#;
    import_alike(&mut pg, &mut lite, "base.jsonl", &format!("{BASE}{more}"));
    import_csv_alike(&mut pg, &mut lite, "asked-keys.csv", &bulk_csv());
    // More entities than the tests read at the switch: relations are staged until 1,024
    // wait for the ids they name, looked up together then; the other 976 are copied.
    assert_eq!(copied("asked-keys.csv"), Some(976));
}

#[test]
fn a_strict_refusal_or_a_dry_run_after_the_switch_leaves_the_store_as_it_was() {
    let Some(mut pg) = postgres() else {
        return;
    };
    let mut lite = store();
    let declared = "{\"type\":\"predicate\",\"id\":\"visits\",\"label\":\"visits\"}\n";
    import_alike(
        &mut pg,
        &mut lite,
        "base.jsonl",
        &format!("{BASE}{declared}"),
    );
    let before = export(&pg);
    // Relations copied after the first 10,000, of a new predicate that looks like the
    // declared one: refused when strict, once the whole file is in.
    let mut text = String::new();
    for n in 0..10_050 {
        text.push_str(&rel("visit", "a", "b", n));
    }
    for options in [
        ImportOptions {
            strict: true,
            ..ImportOptions::default()
        },
        ImportOptions {
            dry_run: true,
            ..ImportOptions::default()
        },
    ] {
        let import = |store: &mut Store| {
            store
                .import(
                    text.as_bytes(),
                    ImportFormat::JsonLines,
                    "checked.jsonl",
                    options,
                )
                .map_err(|e| e.to_string())
        };
        let expected = import(&mut lite);
        // Strict: refused; a dry run: says what it would add.
        match &expected {
            Err(refused) => assert!(options.strict && refused.contains("visits"), "{refused}"),
            Ok(said) => assert_eq!(said.relations.added, 10_050),
        }
        assert_eq!(import(&mut pg), expected);
        assert_eq!(export(&pg), before);
        assert_eq!(export(&lite), before);
    }
    // Both went through the copies.
    let copied = COPIED.lock().unwrap();
    let runs = copied.iter().filter(|(file, _)| file == "checked.jsonl");
    assert_eq!(runs.map(|(_, n)| *n).collect::<Vec<_>>(), [50, 50]);
}

#[test]
fn an_import_at_a_stricter_isolation_level_copies_alike() {
    // As a server or role whose default is stricter would begin the import: the server
    // takes `COPY … (FREEZE)` into a table the transaction made at every level.
    for level in ["repeatable read", "serializable"] {
        let Some(mut pg) = postgres() else {
            return;
        };
        let mut lite = store();
        pg.db()
            .execute_batch(&format!("SET default_transaction_isolation = '{level}'"))
            .unwrap();
        let mut text = String::from(BASE);
        for n in 0..10_050 {
            text.push_str(&rel("p", "a", "b", n));
        }
        let name = format!("{level}.jsonl");
        import_alike(&mut pg, &mut lite, &name, &text);
        assert_eq!(copied(&name), Some(50));
        let (held, expected) = text_index(&pg);
        assert_eq!(held, expected);
    }
}
