//! What a CSV import made of the lines of a file whose lines end in `\r\n`.

use crate::support::{assert_refused, count, TempStore};

/// Writes `text` beside the store and imports it.
fn import(store: &TempStore, name: &str, text: &str) -> crate::support::Output {
    let file = store.db.with_file_name(name);
    std::fs::write(&file, text).unwrap();
    store.run(&["import", file.to_str().unwrap()])
}

/// The csv crate gives a record after a `\r\n` line ending the line number of the record
/// before it (and one after blank lines the line before them), and the import took it
/// as the record's line: `subject,predicate,object\na,p,b\r\na,p,c\n` failed with
/// "UNIQUE constraint failed: import_relation.line" when its rows were staged (two rows
/// staged as line 2: here they name a source not seen yet), and in
/// a file whose lines all end in `\r\n` every error named the line before the bad one.
#[test]
fn a_csv_file_with_crlf_line_endings_failed_or_named_the_line_before() {
    let store = TempStore::new();
    let entities = import(
        &store,
        "entities.csv",
        "id,kind,name\r\na,person,A\r\nb,person,B\r\nc,person,C\r\n",
    );
    assert_eq!(entities.status, 0, "{}", entities.stderr);

    let mixed = import(
        &store,
        "mixed.csv",
        "subject,predicate,object\na,p,b\r\na,p,c\n",
    );
    assert_eq!(mixed.status, 0, "{}", mixed.stderr);
    assert!(mixed.stdout.contains("added 2"), "{}", mixed.stdout);
    assert_eq!(count(&store.db, "relation"), 2);

    // Refused at the right line, the store unchanged: rows naming a source not seen yet
    // (staged by line until the end of the file); in a file whose lines all end in
    // `\r\n`, an unknown entity after a blank line, and a row of the wrong length.
    for (name, text, says) in [
        (
            "staged.csv",
            "subject,predicate,object,source\na,p,b,nowhere\r\na,p,c,nowhere\n",
            "staged.csv:2: field `source`",
        ),
        (
            "crlf.csv",
            "subject,predicate,object\r\nb,p,c\r\n\r\nc,p,zz\r\na,p,b\r\n",
            "crlf.csv:4: field `object`",
        ),
        (
            "short.csv",
            "subject,predicate,object\r\nb,p,c\r\nc,p\r\n",
            "short.csv:3: the row has 2 cells",
        ),
    ] {
        assert_refused(&import(&store, name, text), says);
        assert_eq!(count(&store.db, "relation"), 2);
    }
}
