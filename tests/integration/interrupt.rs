//! Ctrl-C in `factstore query`: the statement stops where it is, the rows printed stay,
//! stderr says how many, and the process exits 130, in a streaming format and in a
//! table alike.

use std::process::Command;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::{ControlCode, Expect, Regex, Session};

use crate::support::{seed_store_with, TempStore};

/// Runs `factstore query` with `args` in a pseudo-terminal, presses Ctrl-C once the
/// first rows are out, and gives the number of rows it says were printed and the exit
/// status.
fn interrupted(store: &TempStore, args: &[&str], first_rows: &str) -> (usize, WaitStatus) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factstore"));
    cmd.arg("--db")
        .arg(&store.db)
        .arg("query")
        .args(args)
        .env_remove("FACTSTORE_DB")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut session = Session::spawn(cmd).expect("factstore starts in a pseudo-terminal");
    session.set_expect_timeout(Some(Duration::from_secs(20)));
    // Output waits for the test to read it: the rows are part way when Ctrl-C comes.
    session.expect(first_rows).expect("the first rows");
    session.send(ControlCode::EndOfText).unwrap();
    let found = session
        .expect(Regex(r"interrupted after (\d+) rows?"))
        .expect("the interruption is said");
    let rows: usize = String::from_utf8_lossy(&found[1]).parse().unwrap();
    let status = session.get_process().wait().expect("factstore exits");
    (rows, status)
}

#[test]
fn ctrl_c_stops_a_query_part_way_with_status_130() {
    // 20,000 relations: far more than the terminal takes in before the test reads it.
    let store = seed_store_with(100, 20_000, "e");
    let query = "?a e_linked ?b | show a, b";
    for args in [vec![query, "--format", "jsonl"], vec![query, "--no-pager"]] {
        let (rows, status) = interrupted(&store, &args, "e thing");
        assert!(rows > 0 && rows < 20_000, "{args:?}: {rows}");
        assert!(
            matches!(status, WaitStatus::Exited(_, 130)),
            "{args:?}: {status:?}"
        );
    }
}
