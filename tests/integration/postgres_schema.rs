//! The PostgreSQL schema (schema/postgres) keeps what SQLite's triggers keep: the same
//! writes, made on a store `factstore init` created and on the PostgreSQL schema in a
//! fresh schema of the test server, leave the same rows in the tables the triggers keep
//! (`name_word`, `name_generation`, `predicate_count`, `source_count`) and in
//! `relation_view`. Driven with psql until the store itself speaks PostgreSQL.

use std::io::Write as _;
use std::process::{Command, Stdio};

use crate::postgres_server::{program, server, Server};
use crate::support::TempStore;

/// The PostgreSQL migrations so far.
const MIGRATION: &str = include_str!("../../schema/postgres/0001_init.sql");

/// What the triggers keep, and the view (confidence scaled to an integer: the two clients
/// write reals differently).
const DUMP: &[&str] = &[
    "SELECT word, entity FROM name_word ORDER BY word, entity",
    "SELECT generation FROM name_generation",
    "SELECT predicate, status, n FROM predicate_count ORDER BY predicate, status",
    "SELECT source, n FROM source_count ORDER BY source",
    "SELECT key, subject_id, subject, predicate, object_id, object, time_text, start_lo, \
     start_hi, end_lo, end_hi, status, place, source, quote, note, \
     CAST(confidence * 1000 AS BIGINT) FROM relation_view ORDER BY key",
];

/// Writes in the SQL both databases take, each followed by a comparison. They cover each
/// trigger's cases: names of one word, of several, with a repeated word, two spaces, a
/// control character, JSON's special characters; a word another name still has; updates
/// of the name, of its entity, of neither; several rows in one statement; a cascade; and
/// day numbers at the edges of the view's years.
const STEPS: &[&str] = &[
    "INSERT INTO entity (key, id, kind, name) VALUES (1, 'a', 'person', 'Jeyhun Bayramov'),
        (2, 'b', 'person', 'B'), (3, 'c', 'org', 'C'), (4, 'd', 'org', 'D');
     INSERT INTO alias (entity, text, norm, is_name)
        VALUES (1, 'Jeyhun Bayramov', 'jeyhun bayramov', 1);
     INSERT INTO alias (entity, text, norm)
        VALUES (1, 'J. Bayramov', 'j bayramov'), (1, 'Bayramov', 'bayramov'),
        (2, 'a b a', 'a b a'), (2, 'x  y', 'x  y'), (2, 'tail ', 'tail '),
        (3, 'ctl', 'ctl\u{1} word'), (3, 'tab', 'tab\tx y'), (3, 'del', 'del\u{7f} z'),
        (4, 'quo', 'o\"neil x\\y'), (4, 'bs', 'back\\slash b');",
    "DELETE FROM alias WHERE entity = 1 AND text = 'J. Bayramov';",
    "DELETE FROM alias WHERE entity = 1 AND text = 'Jeyhun Bayramov';",
    "UPDATE alias SET norm = 'jeyhun q' WHERE entity = 1 AND text = 'Bayramov';",
    "UPDATE alias SET norm = norm WHERE entity = 2;",
    "UPDATE alias SET entity = 1 WHERE entity = 2 AND text = 'a b a';",
    "UPDATE alias SET norm = 'p q ' || text WHERE entity IN (1, 2, 3);",
    "UPDATE alias SET lang = 'en' WHERE entity = 1;",
    "INSERT INTO weak_alias (entity, text, norm) VALUES (1, 'was', 'was'), (2, 'kan', 'kan');
     UPDATE weak_alias SET norm = 'w' WHERE entity = 1;
     UPDATE weak_alias SET ord = 3 WHERE entity = 2;
     DELETE FROM weak_alias WHERE entity = 2;",
    "DELETE FROM entity WHERE key = 2;",
    "INSERT INTO entity (key, id, kind, name) VALUES (5, 'e', 'x', 'E'), (6, 'f', 'x', 'F');
     INSERT INTO predicate (key, id, \"symmetric\") VALUES (1, 'met', 1), (2, 'in', 0);
     INSERT INTO source (key, id) VALUES (1, 's1'), (2, 's2');
     INSERT INTO relation (key, subject, predicate, object, when_text, start_lo, start_hi,
        end_lo, end_hi, status, source, fingerprint) VALUES
        (1, 5, 1, 6, '2024', 19723, 19723, 20088, 20088, 'occurred', 1, '\\x01'),
        (2, 5, 2, 6, NULL, -719528, -719529, 2932896, 2932897, 'planned', NULL, '\\x02'),
        (3, 6, 1, 5, NULL, -9223372036854775808, 9223372036854775807, 0, -1, 'alleged', 2,
         '\\x03'),
        (4, 6, 2, 5, NULL, -700000, -719163, -719162, 11016, 'denied', 2, '\\x04'),
        (5, 5, 1, 5, NULL, -609897, -609896, -609895, 2932895, 'occurred', 1, '\\x05');
     INSERT INTO relation (key, subject, predicate, object, from_text, to_text, place, quote,
        note, confidence, fingerprint) VALUES
        (6, 5, 1, 6, '2020', '2021', 1, 'q', 'n', 0.25, '\\x06'),
        (7, 6, 1, 5, '2020', NULL, NULL, NULL, NULL, 1, '\\x07');
     INSERT INTO relation (key, subject, predicate, object, to_text, fingerprint)
        VALUES (8, 5, 2, 6, 'mid 2024', '\\x08');
     INSERT INTO relation (key, subject, predicate, object, at_text, fingerprint)
        VALUES (9, 5, 2, 6, 'Baku', '\\x09');",
    "UPDATE relation SET status = 'denied' WHERE key = 1;",
    "UPDATE relation SET status = status, source = source, predicate = predicate;",
    "UPDATE relation SET source = NULL WHERE key = 3; UPDATE relation SET source = 1 WHERE key = 2;",
    "UPDATE relation SET predicate = 2, status = 'occurred', source = 2 WHERE key IN (1, 5, 6);",
    "DELETE FROM relation WHERE key IN (1, 2, 3);",
    "DELETE FROM relation;",
    "INSERT INTO relation (key, subject, predicate, object, status, source, fingerprint)
        VALUES (10, 5, 1, 6, 'planned', 2, '\\x0a');",
];

/// Runs `sql` with psql in `schema` of the server; gives its rows, `|` between columns.
fn psql(server: &Server, schema: &str, sql: &str) -> String {
    let psql = program("psql").expect("psql is installed beside the server");
    let mut child = Command::new(psql)
        .arg(server.conninfo())
        .args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-F",
            "|",
            "-v",
            "ON_ERROR_STOP=1",
            "-f",
            "-",
        ])
        .env("PGOPTIONS", format!("-c search_path={schema}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("psql runs");
    child
        .stdin
        .take()
        .expect("psql's stdin")
        .write_all(sql.as_bytes())
        .expect("psql reads");
    let out = child.wait_with_output().expect("psql ends");
    assert!(
        out.status.success(),
        "psql failed on {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The rows of `DUMP` on SQLite, written as psql writes them.
fn sqlite_dump(conn: &rusqlite::Connection) -> String {
    use rusqlite::types::Value;
    let mut all = String::new();
    for query in DUMP {
        let mut stmt = conn.prepare(query).expect("the dump prepares");
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).expect("the dump runs");
        while let Some(row) = rows.next().expect("a row") {
            let fields: Vec<String> = (0..columns)
                .map(|i| match row.get::<_, Value>(i).expect("a value") {
                    Value::Null => String::new(),
                    Value::Integer(n) => n.to_string(),
                    Value::Real(x) => x.to_string(),
                    Value::Text(s) => s,
                    Value::Blob(b) => format!("{b:?}"),
                })
                .collect();
            all.push_str(&fields.join("|"));
            all.push('\n');
        }
    }
    all
}

#[test]
fn postgres_triggers_and_view_match_sqlite() {
    let Some(server) = server() else { return };
    let schema = server.fresh_schema();
    psql(server, "public", &format!("CREATE SCHEMA {schema};"));
    psql(server, &schema, MIGRATION);

    let store = TempStore::new();
    store.ok(&["init"]);
    let conn = rusqlite::Connection::open(&store.db).expect("the store opens");
    // The text index's triggers call the store's own fold function, which this connection
    // lacks; on PostgreSQL the store writes that index itself (docs/POSTGRES.md).
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         DROP TRIGGER relation_text_insert; DROP TRIGGER relation_text_delete;
         DROP TRIGGER relation_text_update;",
    )
    .expect("the text triggers drop");

    let dump = DUMP.join(";\n") + ";";
    for (n, step) in STEPS.iter().enumerate() {
        conn.execute_batch(step)
            .unwrap_or_else(|e| panic!("SQLite refused step {n}: {e}"));
        psql(server, &schema, step);
        assert_eq!(
            psql(server, &schema, &dump),
            sqlite_dump(&conn),
            "PostgreSQL and SQLite differ after step {n}: {step}"
        );
    }
    psql(server, "public", &format!("DROP SCHEMA {schema} CASCADE;"));
}

/// On PostgreSQL the text index is a table the store fills (no fold function to call from
/// a trigger): its words answer a phrase, and its rows go with their relation.
#[test]
fn postgres_text_index_finds_words_and_follows_relations() {
    let Some(server) = server() else { return };
    let schema = server.fresh_schema();
    psql(server, "public", &format!("CREATE SCHEMA {schema};"));
    psql(server, &schema, MIGRATION);
    let found = psql(
        server,
        &schema,
        "INSERT INTO entity (key, id, kind, name) VALUES (1, 'a', 'x', 'A');
         INSERT INTO predicate (key, id) VALUES (1, 'p');
         INSERT INTO relation (key, subject, predicate, object, fingerprint)
            VALUES (1, 1, 1, 1, '\\x01'), (2, 1, 1, 1, '\\x02');
         INSERT INTO relation_text (key, quote, note)
            VALUES (1, 'the minister said, no', NULL), (2, NULL, 'minister-said');
         SELECT key FROM relation_text
            WHERE quote_words @@ phraseto_tsquery('simple', 'minister said') ORDER BY key;
         SELECT key FROM relation_text WHERE note_words @@ plainto_tsquery('simple', 'said');
         DELETE FROM relation WHERE key = 1;
         SELECT count(*) FROM relation_text;",
    );
    assert_eq!(found, "1\n2\n1\n");
    psql(server, "public", &format!("DROP SCHEMA {schema} CASCADE;"));
}
