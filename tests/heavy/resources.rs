//! Limits on a query's time and memory, measured on the real binary.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::seed_store_with;

#[test]
fn a_huge_product_is_bounded_by_timeout_and_limit() {
    let store = seed_store_with(500, 20_000, "m");
    let product = "?a ?r ?b, ?c ?r2 ?d";
    for (text, format) in [
        (format!("{product} | count"), "json"),
        (product.to_string(), "jsonl"),
    ] {
        let started = Instant::now();
        let out = store.run(&["query", "--format", format, "--timeout", "1", &text]);
        let took = started.elapsed();
        assert_eq!(out.status, 1, "{text}: {}", out.stderr);
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
        assert!(out.stderr.contains("timeout"), "{}", out.stderr);
        assert!(out.stderr.contains("1 s"), "{}", out.stderr);
        assert!(
            took < Duration::from_secs(10),
            "{text}: a 1 s timeout took {took:?}"
        );
    }
    // With a limit, the first rows come at once.
    let started = Instant::now();
    let out = store.run(&[
        "query",
        "--format",
        "jsonl",
        "--limit",
        "250",
        "--timeout",
        "20",
        product,
    ]);
    let took = started.elapsed();
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 250);
    assert!(took < Duration::from_secs(5), "250 rows took {took:?}");
}

/// The largest resident set a process has had, in kB (Linux).
#[cfg(target_os = "linux")]
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Streaming 1.2 million rows of a product to a pipe keeps the binary's memory flat:
/// far below what holding the rows would take (hundreds of bytes each).
#[cfg(target_os = "linux")]
#[test]
fn streaming_a_million_rows_keeps_memory_flat() {
    const ROWS: usize = 1_200_000;
    const BOUND_KB: u64 = 100 * 1024;
    let store = seed_store_with(500, 2_000, "m");
    let mut child = store
        .command_for(&[
            "query",
            "--format",
            "jsonl",
            "--limit",
            &ROWS.to_string(),
            "?a ?r ?b, ?c ?r2 ?d",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the factstore binary runs");
    let pid = child.id();
    let stdout = child.stdout.take().expect("piped stdout");
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    let mut line = Vec::new();
    let mut rows = 0usize;
    let mut peak = 0u64;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).expect("read rows");
        if n == 0 {
            break;
        }
        if rows == 0 {
            assert!(line.starts_with(b"{"), "{}", String::from_utf8_lossy(&line));
        }
        rows += 1;
        // The process is alive until its output is drained: sample as rows flow.
        if rows.is_multiple_of(50_000) {
            if let Some(kb) = peak_rss_kb(pid) {
                peak = peak.max(kb);
            }
        }
    }
    let out = child.wait_with_output().expect("the query finishes");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(rows, ROWS);
    assert!(peak > 0, "no memory sample was taken");
    eprintln!("peak memory streaming {ROWS} rows: {peak} kB");
    assert!(
        peak < BOUND_KB,
        "streaming {ROWS} rows took {peak} kB at peak (bound {BOUND_KB} kB)"
    );
    std::io::stderr().flush().ok();
}
