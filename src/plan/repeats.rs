//! Columns that only repeat what the query already says: `subject` of `?a ?r ?b` is `a`
//! row for row, `object` of `?who visited Baku` is Baku in every row, `from` and `to` of
//! a path are its two ends. Tables leave them out (they cost width and tell nothing);
//! JSON, CSV and the other formats keep every documented column, which scripts rely on.

use super::{
    ColumnSource, Node, Orientation, PathPlan, PredMatch, RelField, RelationMatch, Select, Stage,
};

/// Stages after which the columns are no longer the clauses' own: `show` chose them (the
/// user asked for each), `count` made new ones.
fn reshaped(stages: &[Stage]) -> bool {
    stages
        .iter()
        .any(|s| matches!(s, Stage::Show(_) | Stage::Count(_)))
}

impl Select {
    /// The indexes of the output columns that repeat a variable's column or a fixed term
    /// of the query's only relation clause, in increasing order.
    pub fn repeated_columns(&self) -> Vec<usize> {
        if reshaped(&self.stages) {
            return Vec::new();
        }
        let mut relations = self.clauses.iter().filter_map(|c| match c {
            super::Clause::Relation(m) => Some(m),
            _ => None,
        });
        let (Some(m), None) = (relations.next(), relations.next()) else {
            return Vec::new();
        };
        // Read the other way round, `subject` is the clause's right end: it repeats
        // neither end then.
        let forward_only = m.orientations() == [Orientation::Forward];
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| match c.source {
                ColumnSource::Relation {
                    field: RelField::Subject,
                    ..
                } => forward_only && self.node_is_said(m.left),
                ColumnSource::Relation {
                    field: RelField::Object,
                    ..
                } => forward_only && self.node_is_said(m.right),
                ColumnSource::Relation {
                    field: RelField::Predicate,
                    ..
                } => self.predicate_is_said(m),
                _ => false,
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Whether an end's name is already in another column (a variable's) or in the query
    /// (a known entity).
    fn node_is_said(&self, node: Node) -> bool {
        match node {
            Node::Entity(_) => true,
            Node::Var(v) => self
                .columns
                .iter()
                .any(|c| c.source == ColumnSource::EntityName(v)),
            Node::Any => false,
        }
    }

    fn predicate_is_said(&self, m: &RelationMatch) -> bool {
        match &m.predicate {
            PredMatch::Keys { keys, .. } => keys.len() == 1,
            PredMatch::Var(j) => self
                .columns
                .iter()
                .any(|c| c.source == ColumnSource::Predicate(*j)),
            PredMatch::Any => false,
        }
    }
}

impl PathPlan {
    /// `from` and `to`: every chain starts and ends at the entities the query names.
    pub fn repeated_columns(&self) -> Vec<usize> {
        if reshaped(&self.stages) {
            return Vec::new();
        }
        super::path_columns()
            .iter()
            .enumerate()
            .filter(|(_, name)| matches!(**name, "from" | "to"))
            .map(|(i, _)| i)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::deadline::Deadline;
    use crate::plan::test_catalog::{test_context, TestCatalog};
    use crate::plan::{resolve, Plan};

    /// The names of the columns `text` repeats.
    fn repeated(text: &str) -> Vec<String> {
        let stmt = crate::lang::parse(text).unwrap();
        let deadline = Deadline::none();
        let plan = resolve(&stmt, text, &TestCatalog::new(), &test_context(&deadline)).unwrap();
        match plan {
            Plan::Select(s) => s
                .repeated_columns()
                .into_iter()
                .map(|i| s.columns[i].name.clone())
                .collect(),
            Plan::Path(p) => p
                .repeated_columns()
                .into_iter()
                .map(|i| crate::plan::path_columns()[i].to_owned())
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn variables_and_fixed_terms_are_repeated() {
        // `?r` reads symmetric relations both ways (rows are bindings): `subject` and
        // `object` then say which way round the relation was stored, and stay.
        assert_eq!(repeated("?a ?r ?b"), ["predicate"]);
        assert_eq!(
            repeated("?who visited Baku"),
            ["subject", "predicate", "object"]
        );
        assert_eq!(repeated("?who visited _"), ["subject", "predicate"]);
    }

    #[test]
    fn columns_read_both_ways_or_chosen_are_kept() {
        // `met` is symmetric: a row read the other way has `b` as its subject.
        assert_eq!(repeated("?a met ?b"), ["predicate"]);
        assert!(repeated("?x -- Iran").is_empty());
        assert!(repeated("?a ?r ?b | show subject, a").is_empty());
        assert!(repeated("?x visited _, ?x met _").is_empty());
    }

    #[test]
    fn paths_repeat_their_ends() {
        assert_eq!(repeated("path Aliyev to Baku"), ["from", "to"]);
        assert!(repeated("path Aliyev to Baku | show path, from").is_empty());
    }
}
