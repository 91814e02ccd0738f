//! The import's own tests: whole files in, rows and errors out.

use super::*;
use crate::store::import::testing::*;
use rusqlite::params;

#[test]
fn bad_line_rolls_back_the_whole_file() {
    let mut s = store();
    let text = format!(
        "{BASE}{}\n",
        r#"{"type":"relation","subject":"a","predicate":"visited","object":"nowhere"}"#
    );
    let (line, field, reason) = bad(jsonl(&mut s, &text).unwrap_err());
    assert_eq!(line, 4);
    assert_eq!(field.as_deref(), Some("object"));
    assert!(reason.contains("nowhere"), "{reason}");
    for table in ["entity", "alias", "source", "predicate", "relation"] {
        assert_eq!(count(&s, table), 0, "{table}");
    }
}

#[test]
fn dry_run_checks_everything_and_writes_nothing() {
    let mut s = store();
    let opts = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    let text = format!(
        "{BASE}{}\n",
        r#"{"type":"relation","subject":"a","predicate":"visited","object":"b"}"#
    );
    let sum = s
        .import(text.as_bytes(), ImportFormat::JsonLines, "t", opts)
        .unwrap();
    assert!(sum.dry_run);
    assert_eq!(sum.relations.added, 1);
    assert_eq!(count(&s, "entity"), 0);
    assert_eq!(count(&s, "predicate"), 0);
    let bad_text = format!(
        "{BASE}{}\n",
        r#"{"type":"relation","subject":"a","predicate":"visited","object":"zz"}"#
    );
    let err = s
        .import(bad_text.as_bytes(), ImportFormat::JsonLines, "t", opts)
        .unwrap_err();
    assert_eq!(bad(err).0, 4);
}

#[test]
fn constraint_checks_are_restored_after_an_import() {
    let mut s = store();
    let setting = |s: &Store, pragma: &str| -> bool {
        s.connection()
            .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
            .unwrap()
    };
    assert!(setting(&s, "foreign_keys"));
    // Files long enough to be streamed: only those are imported with relaxed checks.
    let good = streamed(&format!(
        "{BASE}{}\n",
        r#"{"type":"relation","subject":"a","predicate":"p","object":"b"}"#
    ));
    jsonl(&mut s, &good).unwrap();
    let wrong =
        streamed(r#"{"type":"relation","subject":"a","predicate":"p","object":"b","status":"x"}"#);
    assert_eq!(bad(jsonl(&mut s, &wrong).unwrap_err()).0, 1);
    let (a, p): (i64, i64) = s
        .connection()
        .query_row(
            "SELECT e.key, p.key FROM entity e, predicate p WHERE e.id = 'a' AND p.id = 'p'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    for _ in 0..2 {
        assert!(setting(&s, "foreign_keys"));
        assert!(!setting(&s, "ignore_check_constraints"));
        // The schema's own checks hold again for other writers.
        let insert = |status: &str, object: i64, fingerprint: &[u8]| {
            s.connection().execute(
                "INSERT INTO relation(subject, predicate, object, status, fingerprint)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![a, p, object, status, fingerprint],
            )
        };
        assert!(insert("rumoured", a, &[0]).is_err());
        assert!(insert("occurred", 999, &[1]).is_err());
        assert_eq!(insert("occurred", a, &[2]).unwrap(), 1);
        s.connection()
            .execute("DELETE FROM relation WHERE fingerprint = x'02'", [])
            .unwrap();
        jsonl(&mut s, &good).unwrap();
    }
    assert!(s.check().unwrap().is_empty());
}

/// `text` followed by enough blank lines (skipped by the import) to be streamed.
fn streamed(text: &str) -> String {
    format!("{text}\n{}", "\n".repeat(SMALL_FILE as usize))
}

/// JSON Lines relations `a p b` with notes 0, 1, …, after [`BASE`], until the text
/// is at least `size` bytes long.
fn relations(size: u64) -> (String, u64) {
    let mut text = String::from(BASE);
    let mut n = 0;
    while (text.len() as u64) < size {
        text.push_str(&format!(
            "{{\"type\":\"relation\",\"subject\":\"a\",\"predicate\":\"p\",\"object\":\"b\",\"note\":\"{n}\"}}\n"
        ));
        n += 1;
    }
    (text, n)
}

#[test]
fn a_small_file_and_a_streamed_one_import_alike() {
    let (text, n) = relations(SMALL_FILE / 2);
    let export = |s: &Store| {
        let mut out = Vec::new();
        s.export(&mut out).unwrap();
        out
    };
    let mut small = store();
    let mut long = store();
    let sum = jsonl(&mut small, &text).unwrap();
    assert_eq!(jsonl(&mut long, &streamed(&text)).unwrap(), sum);
    assert_eq!(sum.relations.added, n);
    assert_eq!(export(&small), export(&long));
    // Refused alike, at the same line, leaving the store as it was.
    let refused = format!("{text}{}\n", r#"{"type":"entity","id":"a","kind":"city"}"#);
    let line = n + 4;
    assert_eq!(bad(jsonl(&mut small, &refused).unwrap_err()).0, line);
    assert_eq!(
        bad(jsonl(&mut long, &streamed(&refused)).unwrap_err()).0,
        line
    );
    assert_eq!(export(&small), export(&long));
}

#[test]
fn a_streamed_file_reads_on_from_its_first_bytes() {
    // Records on both sides of the first SMALL_FILE bytes, one across them.
    let (text, n) = relations(SMALL_FILE * 2);
    let mut s = store();
    assert_eq!(jsonl(&mut s, &text).unwrap().relations.added, n);
    assert_eq!(count(&s, "relation"), n as i64);
    let bad_line = format!("{text}{{\"type\":\"relation\"\n");
    assert_eq!(bad(jsonl(&mut s, &bad_line).unwrap_err()).0, n + 4);
    let mut rows = String::from("subject,predicate,object,note\n");
    let mut m = 0;
    while (rows.len() as u64) <= SMALL_FILE * 2 {
        rows.push_str(&format!("a,p,b,{m}\n"));
        m += 1;
    }
    let mut s = store();
    jsonl(&mut s, BASE).unwrap();
    assert_eq!(csv(&mut s, &rows).unwrap().relations.added, m);
    assert_eq!(count(&s, "relation"), m as i64);
}

#[test]
fn the_change_records_the_sha256_of_small_and_streamed_files() {
    use sha2::{Digest, Sha256};
    let (small, _) = relations(SMALL_FILE / 2);
    let (long, _) = relations(SMALL_FILE * 2);
    let rows = |n: usize| format!("subject,predicate,object\n{}", "a,p,b\n".repeat(n));
    let files = [
        (ImportFormat::JsonLines, small),
        (ImportFormat::JsonLines, long),
        (ImportFormat::Csv, rows(1)),
        (ImportFormat::Csv, streamed(&rows(1))),
    ];
    for (format, text) in files {
        let mut s = store();
        jsonl(&mut s, BASE).unwrap();
        let opts = ImportOptions::default();
        let sum = s.import(text.as_bytes(), format, "t", opts).unwrap();
        let hex: String = Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let recorded: String = s
            .connection()
            .query_row(
                "SELECT origin_sha256 FROM change WHERE id = ?1",
                [sum.change.unwrap()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(recorded, hex, "{format:?} of {} bytes", text.len());
    }
}

#[test]
fn a_file_that_cannot_be_read_imports_nothing() {
    /// Gives `text`, then fails.
    struct Failing(&'static [u8]);
    impl std::io::Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Err(std::io::Error::other("the disk is gone"));
            }
            let n = self.0.read(buf)?;
            Ok(n)
        }
    }
    let mut s = store();
    let reader = std::io::BufReader::new(Failing(BASE.as_bytes()));
    let err = s
        .import(
            reader,
            ImportFormat::JsonLines,
            "t",
            ImportOptions::default(),
        )
        .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("cannot read t at line 4"), "{message}");
    assert!(message.contains("Nothing from t was imported"), "{message}");
    assert_eq!(err.exit_code(), 1);
    assert_eq!(count(&s, "entity"), 0);
}

#[test]
fn format_follows_the_extension() {
    assert_eq!(
        ImportFormat::from_path(Path::new("a.JSONL")),
        Some(ImportFormat::JsonLines)
    );
    assert_eq!(
        ImportFormat::from_path(Path::new("dir/a.csv")),
        Some(ImportFormat::Csv)
    );
    assert_eq!(ImportFormat::from_path(Path::new("a.txt")), None);
    assert_eq!(ImportFormat::from_path(Path::new("noext")), None);
}
