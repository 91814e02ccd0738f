//! Lookups in the catalogue (`describe`, `entities`, `predicates`, `sources`), names
//! resolved by a whole word, and the listing of ambiguity errors: every example of the
//! README's "Looking things up", and every output format.

use serde_json::Value;

use crate::support::{seed_store, TempStore};

/// The README's text between `## Looking things up` and the next section.
fn readme_section() -> String {
    let readme = include_str!("../../README.md");
    let start = readme.find("## Looking things up").expect("the section");
    let end = start
        + readme[start..]
            .find("\n## Correcting facts")
            .expect("its end");
    readme[start..end].to_string()
}

/// The lines of the README's section from `$ factstore query '{statement}'…` up to the
/// next `$` line or the end of the block.
fn readme_shows(command: &str) -> String {
    let section = readme_section();
    let at = section
        .find(command)
        .unwrap_or_else(|| panic!("{command} in the README"));
    let shown: Vec<&str> = section[at..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("$ ") && !l.starts_with("```"))
        .collect();
    shown.join("\n") + "\n"
}

fn json_rows(s: &TempStore, q: &str) -> Vec<serde_json::Map<String, Value>> {
    let out = s.ok(&["query", q, "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{q}: {e}: {out}"));
    v.as_array()
        .expect("an array")
        .iter()
        .map(|r| r.as_object().expect("an object").clone())
        .collect()
}

fn column(rows: &[serde_json::Map<String, Value>], name: &str) -> Vec<String> {
    rows.iter()
        .map(|r| match &r[name] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

#[test]
fn readme_describe_example_prints_as_shown() {
    let s = seed_store();
    let out = s.ok(&["query", "describe Netanyahu", "--format", "csv"]);
    assert_eq!(
        out,
        readme_shows("$ factstore query 'describe Netanyahu' --format csv")
    );
}

#[test]
fn readme_predicates_example_prints_as_shown() {
    let s = seed_store();
    let q = "predicates | sort relations desc | limit 3 | show id, relations, occurred, planned";
    let out = s.ok(&["query", q, "--format", "table"]);
    assert_eq!(out, readme_shows(&format!("$ factstore query '{q}'")));
}

#[test]
fn readme_word_example_resolves_with_a_note() {
    let s = seed_store();
    let q = "Masoud visited ?where | show where";
    let out = s.run(&["query", q, "--format", "csv"]);
    assert_eq!(out.status, 0, "{out:?}");
    let shown = readme_shows(&format!("$ factstore query '{q}' --format csv"));
    let (note, rows) = shown.split_once('\n').expect("a note, then rows");
    assert_eq!(out.stderr, format!("{note}\n"));
    assert_eq!(out.stdout, rows);
}

#[test]
fn readme_ambiguity_example_lists_the_candidates() {
    let s = seed_store();
    let out = s.run(&["query", "\"foreign minister\" ?r ?x"]);
    assert_eq!(out.status, 2, "{out:?}");
    assert_eq!(
        out.stderr,
        readme_shows("$ factstore query '\"foreign minister\" ?r ?x'")
    );
}

#[test]
fn readme_lookup_lines_give_what_their_comments_say() {
    let s = seed_store();
    let d = json_rows(&s, "describe Netanyahu");
    assert_eq!(column(&d, "field")[..3], ["id", "kind", "name"]);
    let all = json_rows(&s, "entities");
    assert_eq!(all.len(), 25, "every entity of the seed");
    let header = |q: &str| {
        s.ok(&["query", q, "--format", "csv"])
            .lines()
            .next()
            .map(str::to_string)
    };
    assert_eq!(header("entities").as_deref(), Some("id,kind,name,matched"));
    let countries = json_rows(&s, "entities kind country");
    assert_eq!(
        column(&countries, "id"),
        ["armenia", "azerbaijan", "iran", "israel", "turkey", "uae"]
    );
    let aliy = json_rows(&s, "entities like \"aliy\"");
    assert_eq!(column(&aliy, "name"), ["Ilham Aliyev"]);
    let minister = json_rows(&s, "entities like \"وزير\"");
    assert_eq!(column(&minister, "id"), ["azerbaijan_fm", "israel_fm"]);
    // Either order, a bare word, and a kind that filters it.
    assert_eq!(
        json_rows(&s, "entities like aliy kind person"),
        json_rows(&s, "entities kind person like \"ALIY\"")
    );
    assert!(json_rows(&s, "entities kind country like aliy").is_empty());
    let p = json_rows(&s, "predicates");
    assert_eq!(
        header("predicates").as_deref(),
        Some("id,label,symmetric,relations,occurred,planned,alleged,denied,postponed,cancelled")
    );
    assert_eq!(
        header("sources").as_deref(),
        Some("id,title,published,lang,url,relations")
    );
    let met = p.iter().find(|r| r["id"] == "met").expect("met");
    assert_eq!(
        (met["symmetric"].as_str(), met["relations"].as_i64()),
        (Some("yes"), Some(2))
    );
    let sources = json_rows(&s, "sources");
    assert_eq!(column(&sources, "id"), ["kan-report", "seed-article"]);
    assert_eq!(column(&sources, "relations"), ["1", "38"]);
    // The words begin their statement; quoted, the name is a name.
    let out = s.run(&["query", "\"sources\" met ?x"]);
    assert!(out.stderr.contains("unknown entity `sources`"), "{out:?}");
}

#[test]
fn every_format_prints_every_lookup() {
    let s = seed_store();
    for q in [
        "describe Netanyahu",
        "entities kind city",
        "predicates",
        "sources",
    ] {
        for format in ["table", "json", "jsonl", "csv", "tsv", "dot", "mermaid"] {
            let out = s.run(&["query", q, "--format", format]);
            assert_eq!(out.status, 0, "{q} --format {format}: {out:?}");
            assert!(!out.stdout.is_empty(), "{q} --format {format}");
        }
        let lines = s.ok(&["query", q, "--format", "jsonl"]);
        let n = json_rows(&s, q).len();
        assert_eq!(lines.lines().count(), n, "{q}");
        let csv = s.ok(&["query", q, "--format", "csv"]);
        assert_eq!(csv.lines().count(), n + 1, "{q}: a header and the rows");
    }
}

#[test]
fn a_merged_entity_describes_as_its_target_and_retracted_relations_are_not_counted() {
    let s = seed_store();
    s.ok(&["query", r#"add entity bibi2 person "B. Netanyahu""#]);
    s.ok(&[
        "query",
        r#"merge bibi2 into Netanyahu because "same person""#,
    ]);
    let d = json_rows(&s, "describe bibi2");
    assert_eq!(column(&d, "field")[..4], ["id", "kind", "name", "asked"]);
    assert_eq!(d[0]["value"], "netanyahu");
    assert_eq!(d[3]["value"], "bibi2");
    let merged = d
        .iter()
        .find(|r| r["field"] == "merged")
        .expect("a merged row");
    assert_eq!(merged["value"], "bibi2");
    // Retracting the planned visit takes it out of every count.
    let visits = |s: &TempStore| {
        let p = json_rows(s, "predicates");
        let v = p
            .iter()
            .find(|r| r["id"] == "visited")
            .expect("visited")
            .clone();
        (v["relations"].as_i64(), v["planned"].as_i64())
    };
    assert_eq!(visits(&s), (Some(4), Some(1)));
    s.ok(&[
        "query",
        "retract Netanyahu visited Baku because \"called off\"",
    ]);
    assert_eq!(visits(&s), (Some(3), Some(0)));
    let d = json_rows(&s, "describe Netanyahu");
    assert!(
        !column(&d, "value").contains(&"visited".to_string()),
        "{d:?}"
    );
}

#[test]
fn a_full_name_wins_over_a_word_and_words_follow_every_change_of_names() {
    let s = seed_store();
    s.ok(&["query", r#"add entity baku_fc organization "Neftchi Baku""#]);
    // `Baku` is still the city, without a note.
    let out = s.run(&["query", "?x visited Baku", "--format", "csv"]);
    assert_eq!((out.status, out.stderr.as_str()), (0, ""), "{out:?}");
    // A word of the club's name alone finds it, with a note.
    let out = s.run(&["query", "describe Neftchi", "--format", "csv"]);
    assert!(out.stdout.contains("id,baku_fc"), "{out:?}");
    assert!(
        out.stderr
            .contains("`Neftchi` is taken as Neftchi Baku (baku_fc"),
        "{out:?}"
    );
    // A new alias with the word makes it ambiguous; removing it resolves it again.
    s.ok(&["query", r#"alias Pezeshkian "Neftchi fan""#]);
    let out = s.run(&["query", "describe Neftchi"]);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("`Neftchi` is part of the names of 2 entities"),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("(baku_fc, organization, 0 relations)"),
        "{out:?}"
    );
    s.ok(&["query", r#"unalias Pezeshkian "Neftchi fan""#]);
    assert_eq!(s.run(&["query", "describe Neftchi"]).status, 0);
    // Renamed, the old name stays an alias, and its words with it; once no name has
    // the word, it is gone.
    s.ok(&["query", r#"rename baku_fc "FC Baku""#]);
    assert_eq!(s.run(&["query", "describe Neftchi"]).status, 0);
    s.ok(&["query", r#"unalias baku_fc "Neftchi Baku""#]);
    let out = s.run(&["query", "describe Neftchi"]);
    assert!(out.stderr.contains("unknown entity `Neftchi`"), "{out:?}");
}

#[test]
fn an_ambiguous_name_lists_a_name_only_each_has() {
    let s = seed_store();
    s.ok(&[
        "query",
        r#"add entity baku_fc organization "Baku" aka "Neftchi""#,
    ]);
    for q in ["?x visited Baku", "path Baku to Iran", "add Baku met Iran"] {
        let out = s.run(&["query", q]);
        assert_eq!(out.status, 2, "{q}: {out:?}");
        assert!(
            out.stderr.contains(
                "`Baku` names 2 entities: Baku (baku, city, also \"باكو\", 3 relations); \
                 Baku (baku_fc, organization, also \"Neftchi\", 0 relations)"
            ),
            "{q}: {out:?}"
        );
    }
}
