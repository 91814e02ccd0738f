//! Output that another program must accept: DOT through Graphviz's `dot`.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::seed_store;

#[test]
fn dot_output_is_accepted_by_graphviz() {
    let db = seed_store();
    let dot = db.ok(&["query", "--format", "dot", "?a ?r ?b status any"]);
    assert!(dot.starts_with("digraph"));
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` runs (apt-get install graphviz)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
}
