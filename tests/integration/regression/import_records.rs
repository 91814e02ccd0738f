//! What an import made of records that looked right: a symmetric relation given the
//! other way round, a misspelt predicate, a name another entity has, names for an
//! existing entity, entities named by name in CSV.

use crate::support::{assert_refused, count, seed_store, TempStore};

/// Writes `text` beside the store and imports it with `args` before the file name.
fn import(store: &TempStore, name: &str, text: &str, args: &[&str]) -> crate::support::Output {
    let file = store.db.with_file_name(name);
    std::fs::write(&file, text).unwrap();
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    all.push(file.to_str().unwrap());
    store.run(&all)
}

/// `aliyev met pezeshkian`, imported after the seed's identical `pezeshkian met aliyev`
/// (`met` is symmetric), was stored a second time: `Pezeshkian -- Aliyev` listed the
/// meeting twice. So was a pair within one file whose predicate was declared symmetric
/// further down.
#[test]
fn a_symmetric_relation_imported_the_other_way_round_was_stored_twice() {
    let store = seed_store();
    let before = count(&store.db, "relation");
    let out = import(
        &store,
        "mirror.jsonl",
        r#"{"type":"relation","subject":"aliyev","predicate":"met","object":"pezeshkian","when":"2025-04-28","status":"planned","place":"baku","source":"seed-article","quote":"ومن المقرر أن يلتقي بزشكيان مع نظيره الأذربيجاني إلهام علييف"}"#,
        &[],
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("added 0, already present 1"),
        "{}",
        out.stdout
    );
    assert_eq!(count(&store.db, "relation"), before);

    let out = import(
        &store,
        "later.jsonl",
        r#"{"type":"relation","subject":"iran","predicate":"talked_with","object":"turkey","when":"2025"}
{"type":"relation","subject":"turkey","predicate":"talked_with","object":"iran","when":"2025"}
{"type":"predicate","id":"talked_with","label":"talked with","symmetric":true}
"#,
        &[],
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("added 1, already present 1"),
        "{}",
        out.stdout
    );
    assert!(store.ok(&["check"]).contains("no problems"));

    // A pair stored before the fix is reported by `check`.
    let conn = rusqlite::Connection::open(&store.db).unwrap();
    // The triggers of the text index call factstore's function.
    factstore::store::text_search::register(&conn).unwrap();
    conn.execute_batch(
        "INSERT INTO relation (subject, predicate, object, when_text, start_lo, start_hi,
             end_lo, end_hi, status, fingerprint)
         SELECT object, predicate, subject, when_text, start_lo, start_hi, end_lo, end_hi,
             status, x'01' FROM relation
         WHERE predicate = (SELECT key FROM predicate WHERE id = 'talked_with')",
    )
    .unwrap();
    let out = store.run(&["check"]);
    assert_eq!(out.status, 1, "{out:?}");
    assert!(
        out.stdout.contains("symmetric duplicate: relations"),
        "{}",
        out.stdout
    );
}

/// A relation naming `vistied` (meant: `visited`) was imported without a word, creating
/// a new predicate that no query for visits would ever find.
#[test]
fn a_misspelt_predicate_was_imported_as_a_new_one_silently() {
    let store = seed_store();
    let before = count(&store.db, "relation");
    let typo =
        r#"{"type":"relation","subject":"netanyahu","predicate":"vistied","object":"tehran"}"#;
    let out = import(&store, "typo.jsonl", &format!("\n{typo}\n"), &["--strict"]);
    assert_refused(&out, "typo.jsonl:2: field `predicate`: predicate `vistied` is not declared; did you mean `visited`?");
    assert_eq!(count(&store.db, "relation"), before);
    let out = import(&store, "typo.jsonl", &format!("\n{typo}\n"), &[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("warning: ") && out.stderr.contains("typo.jsonl:2: field `predicate`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `visited`?"),
        "{}",
        out.stderr
    );
}

/// A new entity named `Aliyev` (an alias of Ilham Aliyev) was imported silently, and from
/// then on every query naming Aliyev failed as ambiguous.
#[test]
fn a_new_entity_named_like_another_made_the_name_ambiguous_silently() {
    let store = seed_store();
    let other = r#"{"type":"entity","id":"heydar","kind":"person","name":"Heydar Aliyev","aliases":["Aliyev"]}"#;
    let out = import(&store, "people.jsonl", other, &["--strict"]);
    assert_refused(&out, "people.jsonl:1: field `aliases`: `Aliyev`, a name of entity `heydar`, already names entity `aliyev` (Ilham Aliyev): did you mean `aliyev`?");
    assert_eq!(count(&store.db, "entity"), 25);
    let out = import(&store, "people.jsonl", other, &[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stderr.contains("warning: "), "{}", out.stderr);
    assert!(
        out.stderr.contains("already names entity `aliyev`"),
        "{}",
        out.stderr
    );
}

/// Giving an existing entity another name took a whole record again (`kind` and `name`
/// repeated exactly, or the import refused it).
#[test]
fn adding_aliases_to_an_entity_needed_its_kind_and_name_again() {
    let store = seed_store();
    let out = import(
        &store,
        "names.jsonl",
        r#"{"type":"entity","id":"azerbaijan_fm","aliases":["Jeyhun Bayramov"]}"#,
        &[],
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    let rows = store.ok(&[
        "query",
        "--format",
        "jsonl",
        "\"Jeyhun Bayramov\" foreign_minister_of ?country",
    ]);
    assert!(rows.contains("Azerbaijan"), "{rows}");
    let out = import(
        &store,
        "names.jsonl",
        "\n{\"type\":\"entity\",\"id\":\"armenia_fm\",\"aliases\":[\"Ararat Mirzoyan\"]}\n",
        &[],
    );
    assert_refused(
        &out,
        "names.jsonl:2: entity `armenia_fm` is not in the store",
    );
}

/// A CSV of relations had to name entities by their ids (`aliyev`, `tehran`): `Ilham
/// Aliyev` or `طهران`, which every query accepts, were unknown ids.
#[test]
fn csv_relations_named_entities_only_by_id() {
    let store = seed_store();
    let out = import(
        &store,
        "visits.csv",
        "subject,predicate,object,when\nIlham Aliyev,visited,طهران,2025-06\n",
        &[],
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    let rows = store.ok(&["query", "--format", "jsonl", "aliyev visited tehran"]);
    assert_eq!(rows.lines().count(), 1, "{rows}");
    let out = import(
        &store,
        "visits.csv",
        "subject,predicate,object,when\naliyev,visited,Bakku,2025-07\n",
        &[],
    );
    assert_refused(&out, "visits.csv:2: field `object`");
    assert!(out.stderr.contains("did you mean Baku?"), "{}", out.stderr);
    // A name two entities share is refused with their ids.
    import(
        &store,
        "club.jsonl",
        r#"{"type":"entity","id":"baku_fc","kind":"organization","name":"Baku"}"#,
        &[],
    );
    let out = import(
        &store,
        "visits.csv",
        "subject,predicate,object,when\naliyev,visited,Baku,2025-07\n",
        &[],
    );
    assert_refused(
        &out,
        "`Baku` names 2 entities: Baku (baku, city, also \"باكو\", 3 relations); \
         Baku (baku_fc, organization, 0 relations)",
    );
}
