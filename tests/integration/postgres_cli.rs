//! The command line on a PostgreSQL store (SERVER.md): the store named by `--db` or
//! `FACTSTORE_DB`, `--schema`, a role that may only read, and what a user sees when the
//! server cannot be reached.

use std::process::Command;

use crate::postgres_server::{self, Server};
use crate::support::{factstore, run_command, seed_store, Output, SEED};

/// Runs `factstore --db CONNINFO --schema SCHEMA ARGS…`.
fn on_schema(conninfo: &str, schema: &str, args: &[&str]) -> Output {
    let mut all = vec!["--db", conninfo, "--schema", schema];
    all.extend_from_slice(args);
    factstore(&all)
}

/// Runs SQL on the server as its superuser, through psql.
fn psql(server: &Server, sql: &str) {
    let psql = postgres_server::program("psql").expect("psql is installed beside the server");
    let out = Command::new(psql)
        .args(["-v", "ON_ERROR_STOP=1", "-q", server.conninfo(), "-c", sql])
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn factstore_db_names_a_server_and_every_command_uses_it() {
    let Some(server) = postgres_server::server() else {
        return;
    };
    let schema = server.fresh_schema();
    let with_env = |args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_factstore"));
        cmd.args(["--schema", schema.as_str()])
            .args(args)
            .env("FACTSTORE_DB", server.conninfo());
        run_command(cmd, "")
    };
    let init = with_env(&["init"]);
    assert_eq!(init.status, 0, "{init:?}");
    assert!(
        init.stderr.contains("Created an empty store in the schema"),
        "{}",
        init.stderr
    );
    let again = with_env(&["init"]);
    assert!(again.stderr.contains("up to date"), "{}", again.stderr);
    let imported = with_env(&["import", SEED]);
    assert_eq!(imported.status, 0, "{imported:?}");
    let sqlite = seed_store();
    for args in [
        &["query", "--format", "jsonl", "?who visited Baku | sort who"][..],
        &["query", "--format", "jsonl", "describe Pezeshkian"],
        &["stats", "--format", "json"],
        &["export"],
    ] {
        let got = with_env(args);
        assert_eq!(got.status, 0, "{args:?}: {}", got.stderr);
        assert_eq!(got.stdout, sqlite.ok(args), "{args:?}");
    }
}

#[test]
fn a_role_that_may_only_read_runs_the_reading_commands() {
    let Some(server) = postgres_server::server() else {
        return;
    };
    let schema = server.fresh_schema();
    let imported = on_schema(server.conninfo(), &schema, &["import", SEED]);
    assert_eq!(imported.status, 0, "{imported:?}");
    let role = format!("{schema}_reader");
    psql(
        server,
        &format!(
            "CREATE ROLE {role} LOGIN; GRANT USAGE ON SCHEMA {schema} TO {role}; \
             GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role};"
        ),
    );
    let reader = format!(
        "{} user={role}",
        server.conninfo().replace("user=postgres", "")
    );
    let owner_export = on_schema(server.conninfo(), &schema, &["export"]);
    for args in [
        &["query", "--format", "jsonl", "?who visited ?where"][..],
        &["query", "--format", "jsonl", "path Netanyahu to Pezeshkian"],
        &["query", "--format", "jsonl", "changes"],
        &["stats"],
        &["check"],
        &["explain", "?who visited Baku"],
    ] {
        let out = on_schema(&reader, &schema, args);
        assert_eq!(out.status, 0, "{args:?}: {}", out.stderr);
        assert!(!out.stdout.is_empty(), "{args:?}");
    }
    let export = on_schema(&reader, &schema, &["export"]);
    assert_eq!(export.stdout, owner_export.stdout);
    // A write is refused with the server's reason; nothing changes.
    let write = on_schema(
        &reader,
        &schema,
        &["query", "alias Pezeshkian \"P. Reader\""],
    );
    assert_ne!(write.status, 0, "{write:?}");
    assert!(
        write.stderr.contains("permission denied"),
        "{}",
        write.stderr
    );
    assert_eq!(
        on_schema(&reader, &schema, &["export"]).stdout,
        owner_export.stdout
    );
}

#[test]
fn schema_names_and_unreachable_servers_are_told_plainly() {
    let bad = factstore(&[
        "--db",
        "host=/nonexistent/dir dbname=x",
        "--schema",
        "a-b",
        "stats",
    ]);
    assert_eq!(bad.status, 2, "{bad:?}");
    assert!(
        bad.stderr.contains("is not a schema name"),
        "{}",
        bad.stderr
    );
    let file = factstore(&[
        "--db",
        "facts-that-are-not-here.db",
        "--schema",
        "s",
        "stats",
    ]);
    assert_eq!(file.status, 2, "{file:?}");
    assert!(
        file.stderr.contains("--schema names a schema"),
        "{}",
        file.stderr
    );
    let down = factstore(&["--db", "host=/nonexistent/dir dbname=x", "stats"]);
    assert_eq!(down.status, 1, "{down:?}");
    assert!(
        down.stderr
            .contains("cannot connect to the PostgreSQL store host=/nonexistent/dir"),
        "{}",
        down.stderr
    );
    let secret = factstore(&["--db", "postgresql://ana:s3cret@127.0.0.1:1/x", "stats"]);
    assert!(!secret.stderr.contains("s3cret"), "{}", secret.stderr);
    assert!(secret.stderr.contains("ana:***@"), "{}", secret.stderr);
}

#[test]
fn a_missing_schema_is_not_created_by_a_reading_command() {
    let Some(server) = postgres_server::server() else {
        return;
    };
    let schema = server.fresh_schema();
    let out = on_schema(server.conninfo(), &schema, &["query", "?who visited Baku"]);
    assert_eq!(out.status, 1, "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("no store in the schema `{schema}`")),
        "{}",
        out.stderr
    );
    let again = on_schema(server.conninfo(), &schema, &["stats"]);
    assert!(
        again.stderr.contains("no store in the schema"),
        "{}",
        again.stderr
    );
}
