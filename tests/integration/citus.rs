//! A store distributed by Citus (SERVER.md, "Citus"; docs/SCALE.md): the seed data
//! imported through the binary, the store distributed by the project's own scripts
//! (docs/citus_prepare.sql, docs/citus_distribute.sql), then every query of the language
//! corpus gives SQLite's rows, one-entity questions run on one node, `check`, `stats`, `describe` and `export` answer as on
//! SQLite, and writes are refused (exit 2) with the store unchanged.
//!
//! Citus is not packaged for Debian, so CI has none: the test is ignored unless asked for
//! (`cargo test --test integration citus -- --ignored`), and then needs a Citus
//! coordinator (`FACTSTORE_TEST_CITUS`) or Citus installed beside the PostgreSQL
//! programs, from which it starts a throwaway one-node cluster.

use std::process::Command;

use crate::corpus::differences_from_sqlite;
use crate::postgres_server;
use crate::support::{assert_refused, seed_store, seeded_schema, Output, SEED};

/// The project's scripts that distribute a store, in the order they run.
const SCRIPTS: [&str; 2] = [
    concat!(env!("CARGO_MANIFEST_DIR"), "/docs/citus_prepare.sql"),
    concat!(env!("CARGO_MANIFEST_DIR"), "/docs/citus_distribute.sql"),
];

/// One-entity questions of the seed data, each asked of the entity on either side:
/// Citus runs each on the one node that holds the entity's shards (SERVER.md).
const ONE_NODE: [&str; 3] = [
    "pezeshkian ?r ?x",
    "Iran -- Azerbaijan",
    "?x visited Baku in 2025",
];

/// Runs psql on `conninfo` with the store's schema first on the search path: `args`
/// (`-c SQL`, `-f FILE`, …) in order; its output, or its error.
fn psql(conninfo: &str, schema: &str, args: &[&str]) -> Result<String, String> {
    let psql = postgres_server::program("psql").ok_or("psql is not installed")?;
    let out = Command::new(psql)
        .arg(conninfo)
        .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c"])
        .arg(format!("SET search_path = {schema}"))
        .args(args)
        .output()
        .map_err(|e| format!("cannot run psql: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
#[ignore = "needs Citus (FACTSTORE_TEST_CITUS, or citus.so beside PostgreSQL), which CI cannot install"]
fn a_store_citus_distributes_answers_as_on_sqlite_and_refuses_writes() {
    let server = postgres_server::citus_server().unwrap_or_else(|why| panic!("no Citus: {why}"));
    let schema = server.fresh_schema();
    let on_citus = seeded_schema(server.conninfo(), &schema);
    let mut script_args = Vec::new();
    for script in SCRIPTS {
        script_args.extend(["-f", script]);
    }
    psql(server.conninfo(), &schema, &script_args)
        .unwrap_or_else(|e| panic!("the distribution scripts failed: {e}"));
    let kinds = psql(
        server.conninfo(),
        &schema,
        &[
            "-c",
            "SELECT string_agg(c.relname || ' ' || CAST(p.partmethod AS text), ',' ORDER BY c.relname) \
             FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid \
             WHERE c.relname IN ('relation', 'relation_by_object', 'relation_text', 'entity')
               AND c.relnamespace = CAST(current_schema() AS regnamespace)",
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // Hash-distributed relations and their copies; entities a reference table (`n`).
    assert_eq!(
        kinds.trim(),
        "entity n,relation h,relation_by_object h,relation_text h"
    );

    let sqlite = seed_store();
    let mut differ = differences_from_sqlite(&on_citus);
    for args in [
        &["stats"][..],
        &["query", "--format", "jsonl", "describe pezeshkian"],
        &["query", "--format", "jsonl", "path Netanyahu to Pezeshkian"],
        &[
            "query",
            "--format",
            "jsonl",
            "?c:country, not ?c -- Israel | sort c",
        ],
        &["export"],
    ] {
        let want = sqlite.ok(args);
        let out = on_citus(args);
        if out.status != 0 || out.stdout != want {
            differ.push(format!(
                "{args:?}\n  sqlite: {want}\n  citus ({}): {}{}",
                out.status, out.stdout, out.stderr
            ));
        }
    }
    for query in ONE_NODE {
        let out = on_citus(&["explain", "--plan", query]);
        if out.status != 0 || !out.stdout.contains("Task Count: 1\n") {
            differ.push(format!("{query}: not one task on one node: {out:?}"));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    checked_then_writes_refused(&on_citus);
}

/// `check` finds nothing on the store `on_store` runs the binary on, and its writes are
/// refused (exit 2), whatever writes (an add, a retraction, an import), the store left
/// as it was.
fn checked_then_writes_refused(on_store: &dyn Fn(&[&str]) -> Output) {
    let checked = on_store(&["check"]);
    assert_eq!(checked.status, 0, "{checked:?}");
    let export = on_store(&["export"]).stdout;
    let says = "prepared for Citus or distributed by it";
    assert_refused(
        &on_store(&["query", "add entity zz person \"Zed Zee\""]),
        says,
    );
    assert_refused(&on_store(&["query", "retract #1 because \"test\""]), says);
    assert_refused(&on_store(&["import", SEED]), says);
    assert_eq!(on_store(&["export"]).stdout, export, "the store changed");
}

/// The first step alone on PostgreSQL without Citus (what CI can run): with the
/// relations' copy by object, the queries read it where Citus would keep a branch on one
/// node, and give SQLite's rows; writes are refused, as on a distributed store.
#[test]
fn a_store_prepared_for_citus_reads_its_copy_by_object_and_refuses_writes() {
    let Some(server) = postgres_server::server() else {
        return;
    };
    let schema = server.fresh_schema();
    let on_postgres = seeded_schema(server.conninfo(), &schema);
    psql(server.conninfo(), &schema, &["-f", SCRIPTS[0]])
        .unwrap_or_else(|e| panic!("docs/citus_prepare.sql failed: {e}"));
    let explained = on_postgres(&["explain", "?x visited Baku"]);
    assert!(
        explained
            .stdout
            .contains("\"relation_by_object\" AS \"r0\""),
        "{explained:?}"
    );
    let differ = differences_from_sqlite(&on_postgres);
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    checked_then_writes_refused(&on_postgres);
}
