//! The manifest written beside the data: the entities, predicate and year that benchmark
//! queries need (the biggest hubs, a mid-degree entity, the commonest predicate and year),
//! chosen from counts gathered while generating.

use serde::Serialize;

use crate::dates::FIRST_YEAR;
use crate::records::{entity_id, EntityCard, PredicateCard};
use crate::GenArgs;

/// Named entities and figures for benchmark queries, computed while generating.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Manifest {
    seed: u64,
    entities: u64,
    relations: u64,
    predicates: u64,
    /// The two entities with most relations (subject or object).
    hubs: Vec<EntityFigure>,
    /// An entity at the 90th percentile of degree: tens of relations, not thousands.
    mid: EntityFigure,
    /// The predicate with most relations.
    predicate: PredicateFigure,
    /// The year in which most relations start.
    year: YearFigure,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct EntityFigure {
    id: String,
    name: String,
    /// Relations where it is subject or object.
    degree: u64,
    /// Relations where it is subject.
    out_degree: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct PredicateFigure {
    id: String,
    label: String,
    count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct YearFigure {
    year: u32,
    count: u64,
}

/// Chooses the benchmark figures from the counts gathered while generating.
pub(crate) fn build_manifest(
    args: &GenArgs,
    cards: &[EntityCard],
    degree: &[u64],
    out_degree: &[u64],
    predicates: &[PredicateCard],
    predicate_count: &[u64],
    year_count: &[u64],
) -> Manifest {
    let figure = |index: usize| EntityFigure {
        id: entity_id(index as u64),
        name: cards[index].name.clone(),
        degree: degree[index],
        out_degree: out_degree[index],
    };
    // Entities by degree, highest first; ties by id so the order is deterministic.
    let mut by_degree: Vec<usize> = (0..cards.len()).collect();
    by_degree.sort_by(|&a, &b| degree[b].cmp(&degree[a]).then(a.cmp(&b)));
    let hubs = by_degree.iter().take(2).map(|&i| figure(i)).collect();
    // The 90th percentile of entities that have relations, preferring one that is a
    // subject (q1 reads outgoing relations).
    let connected = by_degree.iter().filter(|&&i| degree[i] > 0).count();
    let start = connected / 10;
    let mid_index = by_degree[start.min(by_degree.len() - 1)..]
        .iter()
        .copied()
        .find(|&i| out_degree[i] > 0)
        .unwrap_or(by_degree[start.min(by_degree.len() - 1)]);
    let (predicate_index, &count) = predicate_count
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
        .unwrap_or((0, &0));
    let (year_index, &year_total) = year_count
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
        .unwrap_or((0, &0));
    Manifest {
        seed: args.seed,
        entities: args.entities,
        relations: args.relations,
        predicates: args.predicates,
        hubs,
        mid: figure(mid_index),
        predicate: PredicateFigure {
            id: predicates[predicate_index].id.clone(),
            label: predicates[predicate_index].label.clone(),
            count,
        },
        year: YearFigure {
            year: FIRST_YEAR + year_index as u32,
            count: year_total,
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::dates::{FIRST_YEAR, LAST_YEAR};
    use crate::test_support::{args, lines, run};
    use std::collections::HashMap;

    #[test]
    fn hubs_take_a_large_share_and_manifest_names_them() {
        let (text, manifest) = run(&args(5000, 20_000, 8));
        let mut degree: HashMap<String, u64> = HashMap::new();
        for rel in lines(&text).iter().filter(|v| v["type"] == "relation") {
            for end in ["subject", "object"] {
                *degree
                    .entry(rel[end].as_str().expect("end").to_string())
                    .or_default() += 1;
            }
        }
        let top = degree.values().copied().max().unwrap_or(0);
        assert_eq!(manifest.hubs[0].degree, top);
        assert_eq!(degree[&manifest.hubs[0].id], top);
        assert!(manifest.hubs[0].degree >= manifest.hubs[1].degree);
        // The heaviest hub alone: ~30% × 1/H_20 ≈ 8% of relations.
        assert!(top > 20_000 / 20, "top hub degree {top}");
        let mid = &manifest.mid;
        assert_eq!(degree[&mid.id], mid.degree);
        assert!(mid.degree < top / 10 && mid.out_degree > 0, "{mid:?}");
        assert!(manifest.year.count > 0);
        assert!((FIRST_YEAR..=LAST_YEAR).contains(&manifest.year.year));
        assert!(manifest.predicate.count > 20_000 / 50);
    }
}
