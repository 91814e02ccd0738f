//! A small catalog in memory for the unit tests of the planner and the SQL compiler:
//! a few entities, predicates (one symmetric), kinds and saved queries, looked up the
//! way the store's catalog does (ids first, then normalised names and aliases).

use std::collections::HashMap;
use std::sync::LazyLock;

use super::{Catalog, CatalogError, Context, EntityRef, PredicateRef, SavedQuery};
use crate::deadline::Deadline;
use crate::lang::ast;
use crate::names;
use crate::time::{day_from_ymd, Day};

/// The day `today` stands for in the unit tests: fixed, so that no test depends on the
/// clock.
pub(crate) static TEST_TODAY: LazyLock<Day> =
    LazyLock::new(|| day_from_ymd(2025, 6, 15).expect("a valid day"));

/// The planning context of the unit tests: no parameters, the fixed [`TEST_TODAY`].
pub(crate) fn test_context(deadline: &Deadline) -> Context<'_> {
    static NO_PARAMS: LazyLock<HashMap<String, ast::Arg>> = LazyLock::new(HashMap::new);
    Context {
        params: &NO_PARAMS,
        deadline,
        today: *TEST_TODAY,
    }
}

pub(crate) struct TestCatalog {
    /// (key, id, kind, display name, aliases)
    entities: Vec<(
        i64,
        &'static str,
        &'static str,
        &'static str,
        Vec<&'static str>,
    )>,
    /// (key, id, symmetric)
    predicates: Vec<(i64, &'static str, bool)>,
    saved: Vec<SavedQuery>,
}

impl TestCatalog {
    pub(crate) fn new() -> TestCatalog {
        TestCatalog {
            entities: vec![
                (
                    1,
                    "pezeshkian",
                    "person",
                    "Masoud Pezeshkian",
                    vec!["Pezeshkian", "بيزيشكيان"],
                ),
                (2, "aliyev", "person", "Ilham Aliyev", vec!["Aliyev"]),
                (3, "baku", "city", "Baku", vec![]),
                (4, "azerbaijan", "country", "Azerbaijan", vec![]),
                (5, "iran", "country", "Iran", vec![]),
            ],
            predicates: vec![
                (10, "visited", false),
                (11, "received", false),
                (12, "invited", false),
                (13, "met", true),
                (14, "president_of", false),
            ],
            saved: Vec::new(),
        }
    }

    /// The catalog with a saved query `name(params) = body`.
    pub(crate) fn with_saved(mut self, name: &str, params: &[&str], body: &str) -> TestCatalog {
        self.saved.push(SavedQuery {
            name: name.into(),
            params: params.iter().map(|p| p.to_string()).collect(),
            body: body.into(),
        });
        self
    }
}

impl Catalog for TestCatalog {
    fn entities_named(&self, text: &str) -> Result<Vec<EntityRef>, CatalogError> {
        let to_ref = |&(key, id, kind, name, _): &(i64, &str, &str, &str, Vec<&str>)| EntityRef {
            key,
            id: id.into(),
            name: name.into(),
            kind: kind.into(),
        };
        let by_id: Vec<EntityRef> = self
            .entities
            .iter()
            .filter(|e| e.1 == text)
            .map(to_ref)
            .collect();
        if !by_id.is_empty() {
            return Ok(by_id);
        }
        let wanted = names::normalise(text);
        Ok(self
            .entities
            .iter()
            .filter(|e| {
                std::iter::once(e.3)
                    .chain(e.4.iter().copied())
                    .any(|n| names::normalise(n) == wanted)
            })
            .map(to_ref)
            .collect())
    }

    fn entity_suggestions(&self, text: &str) -> Result<Vec<String>, CatalogError> {
        let wanted = names::normalise(text);
        let all: Vec<(&str, String)> = self
            .entities
            .iter()
            .flat_map(|e| std::iter::once(e.3).chain(e.4.iter().copied()))
            .map(|n| (n, names::normalise(n)))
            .collect();
        Ok(names::suggest(
            &wanted,
            all.iter().map(|(d, n)| (*d, n.as_str())),
            3,
        ))
    }

    fn predicate(&self, id: &str) -> Result<Option<PredicateRef>, CatalogError> {
        Ok(self
            .predicates
            .iter()
            .find(|p| p.1 == id)
            .map(|&(key, id, symmetric)| PredicateRef {
                key,
                id: id.into(),
                symmetric,
            }))
    }

    fn predicate_ids(&self) -> Result<Vec<String>, CatalogError> {
        Ok(self.predicates.iter().map(|p| p.1.to_string()).collect())
    }

    fn kinds(&self) -> Result<Vec<String>, CatalogError> {
        let mut kinds: Vec<String> = self.entities.iter().map(|e| e.2.to_string()).collect();
        kinds.sort();
        kinds.dedup();
        Ok(kinds)
    }

    fn saved_query(&self, name: &str) -> Result<Option<SavedQuery>, CatalogError> {
        Ok(self.saved.iter().find(|s| s.name == name).cloned())
    }

    fn saved_names(&self) -> Result<Vec<String>, CatalogError> {
        Ok(self.saved.iter().map(|s| s.name.clone()).collect())
    }
}
