//! The records, written as JSON Lines in import order: sources, predicates, entities, then
//! relations between skewed endpoints with a time, status, place, source and quote.

use std::io::{self, Write};

use factstore::model::Status;

use crate::dates::{pick_time, start_year, RelationTime, FIRST_YEAR, LAST_YEAR};
use crate::manifest::{build_manifest, Manifest};
use crate::random::{EntityPicker, PowerLawTable, SplitMix64};
use crate::vocabulary::{
    name_entity, pick_kind, Kind, ASYMMETRIC_LABELS, SOURCES, SYMMETRIC_LABELS,
};
use crate::GenArgs;

/// What a relation needs to know of an entity when it is generated.
pub(crate) struct EntityCard {
    pub(crate) name: String,
    pub(crate) arabic: Option<String>,
}

/// A predicate as generated.
pub(crate) struct PredicateCard {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) arabic: &'static str,
}

pub(crate) fn entity_id(index: u64) -> String {
    format!("e{index:07}")
}

/// Writes one JSON string (escaped by serde_json).
fn write_json_str<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    serde_json::to_writer(&mut *out, text).map_err(io::Error::other)
}

/// Generates the whole data set into `out` and returns the manifest.
pub(crate) fn generate<W: Write>(args: &GenArgs, out: &mut W) -> io::Result<Manifest> {
    let mut rng = SplitMix64::new(args.seed);

    // Sources.
    for (id, title, published, lang) in SOURCES {
        write!(out, "{{\"type\":\"source\",\"id\":\"{id}\",\"title\":")?;
        write_json_str(out, title)?;
        writeln!(
            out,
            ",\"published\":\"{published}\",\"lang\":\"{lang}\",\"note\":\"synthetic source \
             (factstore-gen)\"}}"
        )?;
    }

    // Predicates: every fifth one symmetric.
    let mut predicates: Vec<PredicateCard> = Vec::with_capacity(args.predicates as usize);
    let (mut symmetric_used, mut asymmetric_used) = (0usize, 0usize);
    for index in 0..args.predicates {
        let symmetric = index % 5 == 1;
        let (table, used) = if symmetric {
            (SYMMETRIC_LABELS, &mut symmetric_used)
        } else {
            (ASYMMETRIC_LABELS, &mut asymmetric_used)
        };
        let (base, arabic) = table[*used % table.len()];
        let round = *used / table.len();
        *used += 1;
        let label = if round == 0 {
            base.to_string()
        } else {
            format!("{base} ({})", round + 1)
        };
        let id = format!("p{index:03}");
        write!(out, "{{\"type\":\"predicate\",\"id\":\"{id}\",\"label\":")?;
        write_json_str(out, &label)?;
        writeln!(out, ",\"symmetric\":{symmetric}}}")?;
        predicates.push(PredicateCard { id, label, arabic });
    }

    // Hubs: distinct entities drawn at random; hub rank 0 is the heaviest.
    let mut hubs: Vec<u64> = Vec::with_capacity(args.hubs as usize);
    while (hubs.len() as u64) < args.hubs {
        let candidate = rng.below(args.entities);
        if !hubs.contains(&candidate) {
            hubs.push(candidate);
        }
    }
    let mut hub_rank_of: Vec<Option<usize>> = vec![None; args.entities as usize];
    for (rank, &hub) in hubs.iter().enumerate() {
        hub_rank_of[hub as usize] = Some(rank);
    }

    // Entities.
    let mut cards: Vec<EntityCard> = Vec::with_capacity(args.entities as usize);
    let mut cities: Vec<u64> = Vec::new();
    for index in 0..args.entities {
        let kind = pick_kind(&mut rng, hub_rank_of[index as usize]);
        let (spelled, aliases) = name_entity(&mut rng, kind);
        write!(
            out,
            "{{\"type\":\"entity\",\"id\":\"{}\",\"kind\":\"{}\",\"name\":",
            entity_id(index),
            kind.as_str()
        )?;
        write_json_str(out, &spelled.latin)?;
        out.write_all(b",\"aliases\":[")?;
        for (i, alias) in aliases.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            write_json_str(out, alias)?;
        }
        out.write_all(b"]}\n")?;
        let has_arabic = aliases
            .iter()
            .any(|a| a.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)));
        if kind == Kind::City {
            cities.push(index);
        }
        cards.push(EntityCard {
            name: spelled.latin,
            arabic: has_arabic.then_some(spelled.arabic),
        });
    }

    // Relations.
    let picker = EntityPicker::new(args.entities, &mut rng);
    let hub_table = PowerLawTable::new(hubs.len(), 1.0);
    let predicate_table = PowerLawTable::new(predicates.len(), 0.8);
    let mut degree = vec![0u64; args.entities as usize];
    let mut out_degree = vec![0u64; args.entities as usize];
    let mut predicate_count = vec![0u64; predicates.len()];
    let mut year_count = vec![0u64; (LAST_YEAR - FIRST_YEAR + 1) as usize];
    let mut quote = String::new();
    for _ in 0..args.relations {
        let (subject, object) = if !hubs.is_empty() && rng.chance(0.3) {
            let hub = hubs[hub_table.sample(&mut rng)];
            let mut other = picker.pick(&mut rng);
            while other == hub {
                other = picker.pick(&mut rng);
            }
            if rng.chance(0.5) {
                (hub, other)
            } else {
                (other, hub)
            }
        } else {
            let subject = picker.pick(&mut rng);
            let mut object = picker.pick(&mut rng);
            while object == subject {
                object = picker.pick(&mut rng);
            }
            (subject, object)
        };
        let predicate_index = predicate_table.sample(&mut rng);
        let predicate = &predicates[predicate_index];
        let time = pick_time(&mut rng);
        let status_roll = rng.below(100);
        let status = match status_roll {
            0..=2 => Some(Status::Planned.as_str()),
            3 => Some(Status::Alleged.as_str()),
            _ => None,
        };
        let place = (!cities.is_empty() && rng.chance(0.1)).then(|| *rng.pick(&cities));
        let (source, _, _, lang) = *rng.pick(SOURCES);

        degree[subject as usize] += 1;
        degree[object as usize] += 1;
        out_degree[subject as usize] += 1;
        predicate_count[predicate_index] += 1;
        if let Some(year) = start_year(&time) {
            year_count[(year - FIRST_YEAR) as usize] += 1;
        }

        write!(
            out,
            "{{\"type\":\"relation\",\"subject\":\"{}\",\"predicate\":\"{}\",\"object\":\"{}\"",
            entity_id(subject),
            predicate.id,
            entity_id(object)
        )?;
        match &time {
            RelationTime::When(when) => write!(out, ",\"when\":\"{when}\"")?,
            RelationTime::Span { from, to } => write!(out, ",\"from\":\"{from}\",\"to\":\"{to}\"")?,
            RelationTime::Undated => {}
        }
        if let Some(status) = status {
            write!(out, ",\"status\":\"{status}\"")?;
        }
        if let Some(place) = place {
            write!(out, ",\"place\":\"{}\"", entity_id(place))?;
        }
        write!(out, ",\"source\":\"{source}\",\"quote\":")?;
        quote.clear();
        let (s, o) = (&cards[subject as usize], &cards[object as usize]);
        match (lang, &s.arabic, &o.arabic) {
            ("ar", Some(s_ar), Some(o_ar)) => {
                quote.push_str(s_ar);
                quote.push(' ');
                quote.push_str(predicate.arabic);
                quote.push(' ');
                quote.push_str(o_ar);
            }
            _ => {
                quote.push_str(&s.name);
                quote.push(' ');
                quote.push_str(&predicate.label);
                quote.push(' ');
                quote.push_str(&o.name);
            }
        }
        write_json_str(out, &quote)?;
        out.write_all(b"}\n")?;
    }
    out.flush()?;

    Ok(build_manifest(
        args,
        &cards,
        &degree,
        &out_degree,
        &predicates,
        &predicate_count,
        &year_count,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{args, lines, run};
    use std::collections::{HashMap, HashSet};

    #[test]
    fn every_line_is_json_with_a_type_and_counts_match() {
        let (text, _) = run(&args(1000, 3000, 3));
        let mut counts: HashMap<String, usize> = HashMap::new();
        for value in lines(&text) {
            let kind = value["type"]
                .as_str()
                .expect("type is a string")
                .to_string();
            *counts.entry(kind).or_default() += 1;
        }
        assert_eq!(counts["source"], SOURCES.len());
        assert_eq!(counts["predicate"], 50);
        assert_eq!(counts["entity"], 1000);
        assert_eq!(counts["relation"], 3000);
        assert_eq!(counts.len(), 4);
    }

    #[test]
    fn references_resolve_and_subject_differs_from_object() {
        let (text, _) = run(&args(300, 5000, 4));
        let values = lines(&text);
        let ids_of = |kind: &str| -> HashSet<String> {
            values
                .iter()
                .filter(|v| v["type"] == kind)
                .map(|v| v["id"].as_str().expect("id").to_string())
                .collect()
        };
        let (entities, predicates, sources) =
            (ids_of("entity"), ids_of("predicate"), ids_of("source"));
        for rel in values.iter().filter(|v| v["type"] == "relation") {
            let subject = rel["subject"].as_str().expect("subject");
            let object = rel["object"].as_str().expect("object");
            assert_ne!(subject, object);
            assert!(entities.contains(subject) && entities.contains(object));
            assert!(predicates.contains(rel["predicate"].as_str().expect("predicate")));
            assert!(sources.contains(rel["source"].as_str().expect("source")));
            assert!(!rel["quote"].as_str().expect("quote").is_empty());
            if let Some(place) = rel.get("place") {
                assert!(entities.contains(place.as_str().expect("place")));
            }
        }
    }

    #[test]
    fn two_entities_and_no_hubs_still_work() {
        let mut small = args(2, 50, 9);
        small.hubs = 0;
        let (text, _) = run(&small);
        assert_eq!(lines(&text).len(), SOURCES.len() + 50 + 2 + 50);
    }
}
