//! Completion candidates for the word at the cursor, from the store: entity names and
//! aliases (through `names::normalise`, so `الهام` offers `إلهام علييف`), entity ids,
//! predicate ids, kinds and saved query names, plus keywords, variables and
//! dot-commands. Every store lookup is one range scan of an index with a LIMIT, so
//! completion stays instant on stores of millions of entities.

use rustyline::completion::Pair;

use crate::lang::{is_clause_keyword, is_identifier, is_statement_keyword, quote};
use crate::names;
use crate::store::{StoreCatalog, StoreError};

use super::context::{detect, names_used, Context, Want};
use super::dot::{self, ArgKind};

/// At most this many names come from one lookup.
pub const LOOKUP_LIMIT: usize = 50;

/// The candidates for the word at byte `pos` of `text`: where the replaced text starts,
/// and the candidates (display, replacement), without duplicates. Lookups that fail
/// (a locked or damaged store) give no candidates rather than an error.
pub fn complete(catalog: &StoreCatalog<'_>, text: &str, pos: usize) -> (usize, Vec<Pair>) {
    let ctx = detect(text, pos);
    let mut out: Vec<Pair> = Vec::new();
    for want in &ctx.wants {
        let found = match want {
            Want::Keywords(words) => keywords(words, &ctx.prefix),
            Want::Entities => entities(catalog, &ctx).unwrap_or_default(),
            Want::Predicates => plain(catalog.predicates_with_prefix(&ctx.prefix, LOOKUP_LIMIT)),
            Want::Kinds => plain(catalog.kinds_with_prefix(&ctx.prefix, LOOKUP_LIMIT)),
            Want::SavedNames => plain(catalog.saved_names_with_prefix(&ctx.prefix, LOOKUP_LIMIT)),
            Want::Variables => used(text, '?', &ctx),
            Want::Parameters => used(text, '$', &ctx),
            Want::Labels => used(text, '@', &ctx),
            Want::DotCommands => dot::COMMANDS
                .iter()
                .flat_map(|c| c.names.iter())
                .map(|n| format!(".{n}"))
                .filter(|n| n.starts_with(&ctx.prefix))
                .map(|n| Pair {
                    display: n.clone(),
                    replacement: n,
                })
                .collect(),
            Want::DotArgument(command) => match dot::find(command).map(|c| &c.arg) {
                Some(ArgKind::Choice(choices)) => keywords(choices, &ctx.prefix),
                _ => Vec::new(),
            },
        };
        for pair in found {
            if !out.iter().any(|p| p.replacement == pair.replacement) {
                out.push(pair);
            }
        }
    }
    (ctx.start, out)
}

fn plain(found: Result<Vec<String>, StoreError>) -> Vec<Pair> {
    found
        .unwrap_or_default()
        .into_iter()
        .map(|s| Pair {
            display: s.clone(),
            replacement: s,
        })
        .collect()
}

fn keywords(words: &[&str], prefix: &str) -> Vec<Pair> {
    let lower = prefix.to_lowercase();
    words
        .iter()
        .filter(|w| w.starts_with(&lower))
        .map(|w| Pair {
            display: w.to_string(),
            replacement: w.to_string(),
        })
        .collect()
}

fn used(text: &str, sigil: char, ctx: &Context) -> Vec<Pair> {
    names_used(text, sigil, ctx.start)
        .into_iter()
        .filter(|n| n.starts_with(&ctx.prefix) && *n != ctx.prefix)
        .map(|n| Pair {
            display: n.clone(),
            replacement: n,
        })
        .collect()
}

/// Is `text` safe to insert unquoted as a term? One identifier and not a keyword.
fn bare_term(text: &str) -> bool {
    is_identifier(text) && text != "_" && !is_clause_keyword(text) && !is_statement_keyword(text)
}

/// Names and aliases whose normalised form starts with the normalised prefix (one range
/// scan of `alias_norm`), one per entity: its display name if that matches, else the
/// alias spelt as typed, else the first; then, for a bare word, entity ids starting with
/// it (the `entity.id` index).
fn entities(catalog: &StoreCatalog<'_>, ctx: &Context) -> Result<Vec<Pair>, StoreError> {
    let norm = names::normalise(&ctx.prefix);
    let rows = catalog.aliases_with_prefix(&norm, LOOKUP_LIMIT)?;
    // (entity, alias, display name), the best alias of each entity.
    let mut best: Vec<(i64, String, String)> = Vec::new();
    let rank = |alias: &str, name: &str| {
        if alias == name {
            0
        } else if alias.starts_with(&ctx.prefix) {
            1
        } else {
            2
        }
    };
    for row in rows {
        let (entity, alias, name) = (row.entity, row.alias, row.name);
        match best.iter_mut().find(|b| b.0 == entity) {
            Some(b) => {
                if rank(&alias, &name) < rank(&b.1, &b.2) {
                    b.1 = alias;
                }
            }
            None => best.push((entity, alias, name)),
        }
    }
    let mut out: Vec<Pair> = Vec::new();
    for (_, alias, name) in best {
        let replacement = if !ctx.quoted && bare_term(&alias) {
            alias.clone()
        } else {
            quote(&alias)
        };
        if out.iter().any(|p| p.replacement == replacement) {
            continue;
        }
        let display = if alias == name {
            alias
        } else {
            format!("{alias} ({name})")
        };
        out.push(Pair {
            display,
            replacement,
        });
    }
    if !ctx.quoted && !ctx.prefix.is_empty() {
        for id in catalog.entity_ids_with_prefix(&ctx.prefix, LOOKUP_LIMIT)? {
            // An id spelt like a name already offered adds nothing.
            let id_norm = names::normalise(&id);
            let offered = out
                .iter()
                .any(|p| names::normalise(p.replacement.trim_matches('"')) == id_norm);
            if !offered && bare_term(&id) {
                out.push(Pair {
                    display: id.clone(),
                    replacement: id,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ImportFormat, ImportOptions, Mode, Store};

    fn seed() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("t.db"), Mode::Create).unwrap();
        let data = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo.jsonl"))
            .unwrap();
        store
            .import(
                data.as_bytes(),
                ImportFormat::JsonLines,
                "seed",
                ImportOptions::default(),
            )
            .unwrap();
        (dir, store)
    }

    fn replacements(store: &Store, text: &str) -> (usize, Vec<String>) {
        let (start, pairs) = complete(&store.catalog(), text, text.len());
        (start, pairs.into_iter().map(|p| p.replacement).collect())
    }

    #[test]
    fn latin_prefix_offers_the_name() {
        let (_d, store) = seed();
        let (start, got) = replacements(&store, "?x visited Bak");
        assert_eq!(start, 11);
        assert_eq!(got, vec!["Baku"]);
        // Case and diacritics do not matter; the id spelt like the name is not repeated.
        let (_, got) = replacements(&store, "?x visited bak");
        assert_eq!(got, vec!["Baku"]);
    }

    #[test]
    fn arabic_prefixes_match_through_normalisation() {
        let (_d, store) = seed();
        let (_, got) = replacements(&store, "بيز");
        assert_eq!(got, vec!["بيزيشكيان"]);
        let text = "?x received \"الهام";
        let (start, got) = replacements(&store, text);
        assert_eq!(start, text.find('"').unwrap());
        assert_eq!(got, vec!["\"إلهام علييف\""]);
        // Unquoted, a name with a space is inserted quoted.
        let (_, got) = replacements(&store, "الهام");
        assert_eq!(got, vec!["\"إلهام علييف\""]);
    }

    #[test]
    fn predicates_kinds_and_keywords() {
        let (_d, store) = seed();
        let (_, got) = replacements(&store, "?x visi");
        assert_eq!(got, vec!["visited"]);
        let (_, got) = replacements(&store, "?c:cou");
        assert_eq!(got, vec!["country"]);
        let (_, got) = replacements(&store, "?c:");
        assert!(got.contains(&"person".to_string()), "{got:?}");
        assert!(got.contains(&"country".to_string()), "{got:?}");
        let (_, got) = replacements(&store, "?x visited Baku | so");
        assert_eq!(got, vec!["sort"]);
        let (_, got) = replacements(&store, "path Netanyahu t");
        assert_eq!(got, vec!["to"]);
        let (_, got) = replacements(&store, ".for");
        assert_eq!(got, vec![".format"]);
        let (_, got) = replacements(&store, ".format j");
        assert_eq!(got, vec!["json", "jsonl"]);
        let (_, got) = replacements(&store, "?who visited Baku | show ?w");
        assert_eq!(got, vec!["?who"]);
    }

    #[test]
    fn lookups_complete_their_words_entities_and_kinds() {
        let (_d, store) = seed();
        let (_, got) = replacements(&store, "desc");
        assert_eq!(got, vec!["describe"]);
        let (_, got) = replacements(&store, "pred");
        assert_eq!(got, vec!["predicates"]);
        let (_, got) = replacements(&store, "sour");
        assert_eq!(got, vec!["sources"]);
        let (_, got) = replacements(&store, "describe Pez");
        assert_eq!(got, vec!["Pezeshkian"]);
        let (_, got) = replacements(&store, "entities l");
        assert_eq!(got, vec!["like"]);
        let (_, got) = replacements(&store, "entities kind cou");
        assert_eq!(got, vec!["country"]);
        let (_, got) = replacements(&store, "predicates | so");
        assert_eq!(got, vec!["sort"]);
    }

    #[test]
    fn saved_query_names_after_run() {
        let (_d, store) = seed();
        store
            .save_query("visitors", &[], "?x visited Baku", false)
            .unwrap();
        let (_, got) = replacements(&store, "run vis");
        assert_eq!(got, vec!["visitors"]);
        let (_, got) = replacements(&store, "drop ");
        assert_eq!(got, vec!["visitors"]);
    }

    #[test]
    fn writes_complete_entities_predicates_kinds_and_fields() {
        let (_d, store) = seed();
        let (_, got) = replacements(&store, "add Pez");
        assert_eq!(got, vec!["Pezeshkian"]);
        let (_, got) = replacements(&store, "add e");
        assert!(got.contains(&"entity".to_string()), "{got:?}");
        let (_, got) = replacements(&store, "add Pezeshkian visi");
        assert_eq!(got, vec!["visited"]);
        let (_, got) = replacements(&store, "add entity araghchi pers");
        assert_eq!(got, vec!["person"]);
        let (_, got) = replacements(&store, "correct #412 sta");
        assert_eq!(got, vec!["status"]);
        let (_, got) = replacements(&store, "correct #412 status pla");
        assert_eq!(got, vec!["planned"]);
        let (_, got) = replacements(&store, "correct sou");
        assert_eq!(got, vec!["source"]);
        let (_, got) = replacements(&store, "correct source kan pub");
        assert_eq!(got, vec!["published"]);
        let (_, got) = replacements(&store, "?x visited Baku as recorded o");
        assert_eq!(got, vec!["on"]);
        let (_, got) = replacements(&store, "merge Pezeshkian into Bak");
        assert_eq!(got, vec!["Baku"]);
    }

    /// A measurement, not a check of speed: completion on a store of a million entities
    /// (two million names). Run with
    /// `cargo test --lib completion_latency -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement: builds a store of a million entities"]
    fn completion_latency_on_a_million_entities() {
        use rusqlite::params;
        const N: usize = 1_000_000;
        let (_d, store) = seed();
        let conn = store.connection();
        let latin = [
            "ba", "ku", "ra", "mi", "sha", "te", "lo", "vin", "dar", "zen",
        ];
        let arabic = [
            "با", "كو", "را", "مي", "شا", "تي", "لو", "فين", "دار", "زين",
        ];
        let built = std::time::Instant::now();
        conn.execute_batch("BEGIN").unwrap();
        {
            let mut entity = conn
                .prepare("INSERT INTO entity(id, kind, name) VALUES (?1, ?2, ?3)")
                .unwrap();
            let mut alias = conn
                .prepare(
                    "INSERT INTO alias(entity, text, norm, is_name, ord) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .unwrap();
            for i in 0..N {
                let (a, b, c) = (i % 10, (i / 10) % 10, (i / 100) % 10);
                let mut name = format!("{}{}{} {i}", latin[a], latin[b], latin[c]);
                name[..1].make_ascii_uppercase();
                let arabic_name = format!("{}{}{} {i}", arabic[c], arabic[b], arabic[a]);
                let key = entity
                    .insert(params![format!("gen{i}"), format!("kind{}", i % 20), name])
                    .unwrap();
                alias
                    .execute(params![key, name, names::normalise(&name), 1, 0])
                    .unwrap();
                alias
                    .execute(params![
                        key,
                        arabic_name,
                        names::normalise(&arabic_name),
                        0,
                        1
                    ])
                    .unwrap();
            }
        }
        conn.execute_batch("COMMIT").unwrap();
        println!(
            "built {N} entities ({} names) in {:.1} s",
            2 * N,
            built.elapsed().as_secs_f64()
        );
        for text in [
            "?x visited Bak",
            "?x visited Ba",
            "?x visited ",
            "Shakura",
            "\"شاكو",
            "بيز",
            "\"الهام",
            "?c:kind1",
            "?x vis",
            "run ",
            "gen12345",
        ] {
            let runs = 200;
            let mut worst = std::time::Duration::ZERO;
            let started = std::time::Instant::now();
            let mut found = 0;
            for _ in 0..runs {
                let one = std::time::Instant::now();
                found = complete(&store.catalog(), text, text.len()).1.len();
                worst = worst.max(one.elapsed());
            }
            let mean = started.elapsed() / runs;
            println!(
                "{text:<18} {found:>3} candidates  mean {:>7.1} µs  worst {:>7.1} µs",
                mean.as_secs_f64() * 1e6,
                worst.as_secs_f64() * 1e6
            );
        }
    }

    #[test]
    fn names_that_are_not_identifiers_are_quoted() {
        assert!(bare_term("Baku"));
        assert!(!bare_term("in"));
        assert!(!bare_term("Ilham Aliyev"));
        assert!(!bare_term("_"));
    }
}
