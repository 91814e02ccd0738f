//! Saved queries in imported JSON Lines are checked as `save` checks them.

use std::path::{Path, PathBuf};

use crate::support::{count, export, on, seed_store, Output, TempStore};

/// A JSON Lines file in a directory of its own.
struct File {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn file(lines: &[&str]) -> File {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("queries.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").expect("the test file is written");
    File { _dir: dir, path }
}

fn saved_query(name: &str, params: &[&str], body: &str) -> String {
    serde_json::json!({"type": "saved_query", "name": name, "params": params, "body": body})
        .to_string()
}

const ENTITY: &str = r#"{"type":"entity","id":"tabriz","kind":"city","name":"Tabriz"}"#;

/// Imports `lines` into the seed store; expects the import refused with exit status 2
/// naming the file, the line of the saved query (line 2: an entity comes first) and
/// `field`, and the store unchanged. Gives the message.
fn refused(name: &str, params: &[&str], body: &str, field: &str) -> String {
    let store = seed_store();
    let before = export(&store.db);
    let query = saved_query(name, params, body);
    let data = file(&[ENTITY, &query]);
    let out = on(&store.db, &["import", path(&data.path)]);
    assert_eq!(out.status, 2, "{out:?}");
    let place = format!("{}:2:", data.path.display());
    assert!(out.stderr.contains(&place), "{place} in {}", out.stderr);
    assert!(
        out.stderr.contains(&format!("field `{field}`")),
        "{field}: {}",
        out.stderr
    );
    assert_eq!(export(&store.db), before, "the store changed");
    assert_eq!(count(&store.db, "saved_query"), 0);
    out.stderr
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// A saved query whose body was not the language (`?who visited` with no object)
/// imported without a word and failed only when run.
#[test]
fn import_accepted_a_saved_query_that_does_not_parse() {
    let message = refused("visitors", &[], "?who visited", "body");
    assert!(message.contains("at 1:13"), "{message}");
}

/// A saved query whose body ran itself (`run loop()`) imported; `save` refuses a body
/// that runs a saved query.
#[test]
fn import_accepted_a_saved_query_that_calls_itself() {
    let message = refused("loop", &[], "run loop()", "body");
    assert!(message.contains("`run`"), "{message}");
}

/// A saved query named with a keyword (`run`) or with words `save` cannot read as a
/// name (`my visitors`) imported, and could then not be run by its name.
#[test]
fn import_accepted_a_saved_query_with_a_name_save_refuses() {
    let message = refused("run", &[], "?who visited Baku", "name");
    assert!(message.contains("keyword"), "{message}");
    let message = refused("my visitors", &[], "?who visited Baku", "name");
    assert!(message.contains("`my visitors`"), "{message}");
}

/// A saved query listing a parameter twice imported.
#[test]
fn import_accepted_a_saved_query_with_duplicate_parameters() {
    let message = refused(
        "visitors",
        &["place", "place"],
        "?who visited $place",
        "params",
    );
    assert!(message.contains("listed twice"), "{message}");
}

/// A saved query naming an entity, predicate or kind the store does not have, or a
/// parameter it does not list, imported.
#[test]
fn import_accepted_a_saved_query_naming_what_the_store_lacks() {
    let message = refused("visitors", &[], "?who visited Bakku", "body");
    assert!(
        message.contains("unknown entity `Bakku` at 1:14"),
        "{message}"
    );
    assert!(message.contains("Baku"), "{message}");
    refused("visitors", &[], "?who toured Baku", "body");
    refused("visitors", &[], "?who:robot visited Baku", "body");
    refused("visitors", &["place"], "?who visited $city", "body");
}

/// A good saved query imports, as `save` would store it, may name what the same file
/// defines further down, and runs.
#[test]
fn a_good_saved_query_imports_and_runs() {
    let store = TempStore::new();
    let query = saved_query(
        "visitors",
        &["place"],
        "  ?who visited $place  # who came\n",
    );
    let data = file(&[
        &query,
        r#"{"type":"entity","id":"ana","kind":"person","name":"Ana"}"#,
        ENTITY,
        r#"{"type":"relation","subject":"ana","predicate":"visited","object":"tabriz","when":"2025-05"}"#,
    ]);
    let out = store.run(&["import", path(&data.path)]);
    assert_eq!(out.status, 0, "{out:?}");
    let listed = store.ok(&["query", "saved", "--format", "csv"]);
    assert!(
        listed.contains("visitors,place,?who visited $place\n"),
        "{listed}"
    );
    let rows = store.ok(&["run", "visitors", "Tabriz", "--format", "csv"]);
    assert!(rows.starts_with("who,who.id"), "{rows}");
    assert!(rows.contains("Ana,ana"), "{rows}");
    // The same file again adds nothing.
    let again = store.run(&["import", path(&data.path)]);
    assert_eq!(again.status, 0, "{again:?}");
    assert_eq!(count(&store.db, "saved_query"), 1);
}

/// Saved queries go out with `export` and come back with `import`.
#[test]
fn export_then_import_round_trips_saved_queries() {
    let store = seed_store();
    store.ok(&[
        "query",
        "save visitors(place) = ?who visited $place status any",
    ]);
    store.ok(&["query", "save relations(a, b) = $a -- $b within 2020..2025"]);
    let exported = export(&store.db);
    let data = file(&[exported.trim_end()]);
    let copy = TempStore::new();
    let out = copy.run(&["import", path(&data.path)]);
    assert_eq!(out.status, 0, "{out:?}");
    assert_eq!(export(&copy.db), exported);
    let run = |s: &TempStore| -> Output { s.run(&["run", "visitors", "Baku", "--format", "csv"]) };
    let (original, imported) = (run(&store), run(&copy));
    assert_eq!(imported.status, 0, "{imported:?}");
    assert_eq!(imported.stdout, original.stdout);
    assert!(
        imported.stdout.contains("Benjamin Netanyahu"),
        "{imported:?}"
    );
}
