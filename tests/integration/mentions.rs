//! `factstore mentions` (ARTICLES.md, "Mentions") on the seed article: every entity it
//! names at its line and column, particles, spellings, Kan as a name and `كان` as a verb,
//! every output format, standard input, the REPL's `.mentions`, and weak aliases through
//! import and export.

use serde_json::Value;

use crate::support::{assert_refused, seed_store, TempStore};

/// The seed article beside the seed facts.
const ARTICLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/article-ar.txt");

/// `mentions --format json` on the article, parsed.
fn report(store: &TempStore) -> Value {
    let out = store.ok(&[
        "mentions",
        ARTICLE,
        "--format",
        "json",
        "--published",
        "2025-04-28",
    ]);
    serde_json::from_str(&out).expect("mentions --format json is JSON")
}

/// (line, column, text) of the mentions of entity `id`.
fn places(report: &Value, id: &str) -> Vec<(u64, u64, String)> {
    report["mentions"]
        .as_array()
        .expect("a mentions array")
        .iter()
        .filter(|m| m["id"] == id)
        .map(|m| {
            (
                m["line"].as_u64().unwrap(),
                m["column"].as_u64().unwrap(),
                m["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn first(report: &Value, id: &str) -> (u64, u64, String) {
    places(report, id)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no mention of {id}"))
}

#[test]
fn the_article_names_its_entities_at_their_line_and_column() {
    let store = seed_store();
    let r = report(&store);
    let expect = |id: &str, line: u64, column: u64, text: &str| {
        assert_eq!(first(&r, id), (line, column, text.to_owned()), "{id}");
    };
    expect("azerbaijan", 1, 21, "أذربيجان");
    expect("pezeshkian", 3, 20, "مسعود بزشكيان");
    expect("baku", 3, 71, "باكو");
    expect("aliyev", 3, 110, "إلهام علييف");
    expect("hajiyev", 4, 118, "حكمت حاجييف");
    expect("tehran", 4, 134, "طهران");
    expect("israel", 9, 101, "إسرائيل");
    expect("iran", 9, 124, "إيران");
    expect("caspian_sea", 12, 86, "بحر قزوين");
    expect("zangezur_corridor", 16, 1, "ممر زانجيزور");
    expect("armenia", 18, 78, "أرمينيا");
    expect("netanyahu", 19, 1, "نتنياهو");
    expect("kan", 20, 120, "هيئة البث الإسرائيلية");
    expect("abu_dhabi", 22, 144, "أبو ظبي");
}

#[test]
fn both_spellings_of_pezeshkian_and_attached_particles_are_found() {
    let store = seed_store();
    let r = report(&store);
    let texts: Vec<String> = places(&r, "pezeshkian").into_iter().map(|p| p.2).collect();
    assert!(texts.contains(&"بزشكيان".to_owned()), "{texts:?}");
    assert!(texts.contains(&"بيزيشكيان".to_owned()), "{texts:?}");
    // `وإسرائيل` (line 9) and `لإيران` (line 9): the particle stays outside the mention.
    assert!(places(&r, "israel").contains(&(9, 101, "إسرائيل".to_owned())));
    assert!(places(&r, "iran").contains(&(9, 124, "إيران".to_owned())));
    // The longest name wins: `بنيامين نتنياهو`, not `نتنياهو` inside it.
    assert!(places(&r, "netanyahu").contains(&(20, 81, "بنيامين نتنياهو".to_owned())));
    // Byte offsets point at the text as written.
    let article = std::fs::read_to_string(ARTICLE).unwrap();
    for m in r["mentions"].as_array().unwrap() {
        let (start, end) = (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap());
        assert_eq!(&article[start as usize..end as usize], m["text"], "{m}");
    }
}

#[test]
fn kan_is_the_broadcaster_in_quotes_and_the_verb_elsewhere() {
    let store = seed_store();
    let r = report(&store);
    let kan: Vec<&Value> = r["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["text"] == "كان")
        .collect();
    assert_eq!(kan.len(), 2, "{kan:?}");
    // `هيئة البث الإسرائيلية «كان»`: a name.
    assert_eq!(
        (&kan[0]["line"], &kan[0]["column"]),
        (&20.into(), &143.into())
    );
    assert_eq!(kan[0]["note"], "weak alias, in quotes");
    // `كان أحدثها لقاء`: the verb, reported as weak and not counted.
    assert_eq!(kan[1]["line"], 22);
    assert_eq!(kan[1]["note"], "weak alias, not counted");
    let entity = r["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "kan")
        .unwrap();
    assert_eq!(entity["mentions"], 2, "{entity}");
}

#[test]
fn the_summary_and_the_known_relations_come_with_the_mentions() {
    let store = seed_store();
    let r = report(&store);
    let baku = r["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "baku")
        .unwrap()
        .clone();
    assert_eq!(baku["mentions"], 10);
    assert_eq!(
        (&baku["first_line"], &baku["first_column"]),
        (&3.into(), &71.into())
    );
    let relations = r["relations"].as_array().unwrap();
    assert!(
        relations.iter().any(|x| x["subject.id"] == "pezeshkian"
            && x["predicate"] == "president_of"
            && x["object.id"] == "iran"),
        "{relations:?}"
    );
}

/// (line, column, text, from, to) of every date phrase of the report.
fn dates(report: &Value) -> Vec<(u64, u64, String, String, String)> {
    report["dates"]
        .as_array()
        .expect("a dates array")
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or("").to_owned();
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                s("text"),
                s("from"),
                s("to"),
            )
        })
        .collect()
}

#[test]
fn the_articles_date_phrases_come_with_their_bounds() {
    let store = seed_store();
    let r = report(&store);
    let found = dates(&r);
    // ARTICLES.md's phrases of the seed article, against its publication day.
    for (text, from, to) in [
        ("اليوم الاثنين", "2025-04-28", "2025-04-28"),
        ("مطلع فبراير الماضي", "2025-02-01", "2025-02-10"),
        ("منتصف عام 2024", "2024-05-01", "2024-08-31"),
        ("أواخر عام 2024", "2024-09-01", "2024-12-31"),
        ("يناير 2023", "2023-01-01", "2023-01-31"),
    ] {
        assert!(
            found
                .iter()
                .any(|d| (d.2.as_str(), d.3.as_str(), d.4.as_str()) == (text, from, to)),
            "{text} {from}..{to} not in {found:#?}"
        );
    }
    let first = &found[0];
    assert_eq!(
        (first.0, first.1, first.2.as_str()),
        (3, 36, "اليوم الاثنين")
    );
    // The byte offsets are the phrase's in the file, and the rule says why.
    let article = std::fs::read_to_string(ARTICLE).unwrap();
    let row = &r["dates"][0];
    let (start, end) = (row["start"].as_u64().unwrap(), row["end"].as_u64().unwrap());
    assert_eq!(&article[start as usize..end as usize], "اليوم الاثنين");
    assert!(!row["rule"].as_str().unwrap_or("").is_empty(), "{row}");
    // Another anchor moves the relative phrases.
    let out = store.ok(&[
        "mentions",
        ARTICLE,
        "--format",
        "json",
        "--published",
        "2026-01-05",
    ]);
    let later: Value = serde_json::from_str(&out).unwrap();
    assert!(
        dates(&later)
            .iter()
            .any(|d| d.2 == "مطلع فبراير الماضي" && d.3 == "2025-02-01"),
        "{later}"
    );
}

#[test]
fn every_format_and_standard_input() {
    let store = seed_store();
    let text = "التقى نتنياهو في أبو ظبي «كان» يوم 8 مايو\n";
    let run = |format: &str| {
        let out = store.run_with_stdin(&["mentions", "-", "--format", format], text);
        assert_eq!(out.status, 0, "{out:?}");
        out.stdout
    };
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["mentions"][0]["id"], "netanyahu");
    assert_eq!(json["mentions"][1]["id"], "abu_dhabi");
    let jsonl = run("jsonl");
    let first: Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(
        (&first["section"], &first["id"]),
        (&"mentions".into(), &"netanyahu".into())
    );
    assert!(run("csv").starts_with(
        "section,line,column,start,end,text,id,name,kind,note,candidates\nmentions,1,7,"
    ));
    assert!(run("tsv").starts_with("section\tline\tcolumn"));
    let table = run("table");
    for heading in [
        "Mentions",
        "Dates",
        "Entities mentioned",
        "Relations already known",
    ] {
        assert!(table.contains(heading), "{table}");
    }
    assert!(table.contains("abu_dhabi"), "{table}");
}

#[test]
fn bad_input_is_refused_and_the_store_is_unchanged() {
    let store = seed_store();
    let before = crate::support::export(&store.db);
    assert_refused(
        &store.run(&["mentions", ARTICLE, "--published", "someday"]),
        "--published",
    );
    assert_refused(
        &store.run(&["mentions", ARTICLE, "--format", "dot"]),
        "prints rows",
    );
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"caf\xe9 Baku").unwrap();
    assert_refused(
        &store.run(&["mentions", latin1.to_str().unwrap()]),
        "not UTF-8",
    );
    let missing = store.run(&["mentions", "/no/such/article.txt"]);
    assert_eq!(missing.status, 1, "{missing:?}");
    assert!(missing.stderr.contains("cannot read"), "{}", missing.stderr);
    assert_eq!(crate::support::export(&store.db), before);
}

#[test]
fn weak_aliases_round_trip_and_a_new_name_is_found_after_an_import() {
    let store = seed_store();
    assert!(crate::support::export(&store.db).contains(r#""weak_aliases":["كان"]"#));
    // The name table is cached; a new entity's name is found on the next run.
    let text = "زار عراقجي باكو";
    let before = store.run_with_stdin(&["mentions", "-", "--format", "jsonl"], text);
    assert!(!before.stdout.contains("araghchi"), "{}", before.stdout);
    let add = store.run_with_stdin(
        &["import", "-"],
        r#"{"type":"entity","id":"araghchi","kind":"person","name":"Abbas Araghchi","aliases":["عراقجي"],"weak_aliases":["Abbas"]}"#,
    );
    assert_eq!(add.status, 0, "{add:?}");
    let after = store.run_with_stdin(&["mentions", "-", "--format", "jsonl"], text);
    assert!(after.stdout.contains("araghchi"), "{}", after.stdout);
    assert!(crate::support::export(&store.db).contains(r#""weak_aliases":["Abbas"]"#));
}

#[test]
fn the_repl_lists_mentions_of_a_file() {
    let store = seed_store();
    let script = format!(".format jsonl\n.mentions {ARTICLE}\n");
    let out = store.run_with_stdin(&["repl"], &script);
    assert_eq!(out.status, 0, "{out:?}");
    assert!(
        out.stdout.contains(r#""section": "mentions""#),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(r#""id": "abu_dhabi""#),
        "{}",
        out.stdout
    );
    let missing = store.run_with_stdin(&["repl"], ".mentions /no/such/file.txt\n");
    assert!(missing.stderr.contains("cannot read"), "{missing:?}");
}

#[test]
fn add_entity_takes_weak_aliases() {
    let store = seed_store();
    let add = store.run(&[
        "query",
        r#"add entity al_jazeera organization "Al Jazeera" aka "الجزيرة" weak "Jazeera", "جزيرة""#,
    ]);
    assert_eq!(add.status, 0, "{add:?}");
    assert!(crate::support::export(&store.db).contains(r#""weak_aliases":["Jazeera","جزيرة"]"#));
    let text = "Jazeera said. The “Jazeera” report; Al Jazeera (Jazeera) too.";
    let out = store.run_with_stdin(&["mentions", "-", "--format", "json"], text);
    let r: Value = serde_json::from_str(&out.stdout).unwrap();
    let notes: Vec<&Value> = r["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["note"])
        .collect();
    assert_eq!(
        notes,
        [
            &Value::from("weak alias, not counted"),
            &Value::from("weak alias, in quotes"),
            &Value::Null,
            &Value::from("weak alias, beside another name"),
        ]
    );
    // Queries do not resolve a weak alias. (`Jazeera` would: it is a whole word of the
    // entity's name `Al Jazeera`, which names resolve by.)
    let query = store.run(&["query", "--format", "jsonl", "?x reported جزيرة"]);
    assert_ne!(query.status, 0, "{query:?}");
}

#[test]
fn alias_weak_adds_weak_aliases_that_undo_removes() {
    let store = seed_store();
    let add = store.run(&["query", r#"alias baku "Bakou", "Bakou" weak"#]);
    assert_eq!(add.status, 0, "{add:?}");
    assert!(crate::support::export(&store.db).contains(r#""weak_aliases":["Bakou"]"#));
    let text = "Bakou said. The “Bakou” report.";
    let notes = |store: &TempStore| -> Vec<Value> {
        let out = store.run_with_stdin(&["mentions", "-", "--format", "json"], text);
        let r: Value = serde_json::from_str(&out.stdout).unwrap();
        r["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["note"].clone())
            .collect()
    };
    assert_eq!(
        notes(&store),
        [
            Value::from("weak alias, not counted"),
            Value::from("weak alias, in quotes"),
        ]
    );
    // Queries do not resolve it.
    let query = store.run(&["query", "?x visited Bakou"]);
    assert_ne!(query.status, 0, "{query:?}");
    // Undo removes the weak aliases the change added, and only those.
    let undo = store.run(&["query", "undo"]);
    assert_eq!(undo.status, 0, "{undo:?}");
    assert!(!crate::support::export(&store.db).contains("Bakou"));
    assert!(notes(&store).is_empty(), "{:?}", notes(&store));
    assert!(crate::support::export(&store.db).contains(r#""weak_aliases":["كان"]"#));
}
