//! Labels of relation clauses (`@name`): which clause each names, checked once per query.

// One part of the resolver: its state, types and imports are the parent module's.
use super::*;

/// A label carried by a clause of the query being planned.
pub(super) struct LabelDef<'q> {
    pub(super) name: &'q str,
    /// The number of the labelled relation clause (see [`Select`]); `None` for a clause
    /// inside `not`.
    pub(super) relation: Option<usize>,
}

/// The labels a clause's filters may use, and the clause's own.
pub(super) struct LabelScope<'a, 'q> {
    pub(super) defs: &'a [LabelDef<'q>],
    pub(super) own: Option<&'q str>,
}

impl LabelScope<'_, '_> {
    /// The relation clause `@name` at `span` stands for.
    pub(super) fn relation(&self, name: &str, span: Span) -> Result<usize, PlanError> {
        let Some(def) = self.defs.iter().find(|d| d.name == name) else {
            return Err(PlanError::new(
                K::UnknownLabel {
                    name: name.into(),
                    suggestions: suggest(name, self.defs.iter().map(|d| d.name)),
                    defined: self.defs.iter().map(|d| d.name.to_string()).collect(),
                },
                span,
            ));
        };
        if self.own == Some(name) {
            return Err(PlanError::new(K::OwnLabel { name: name.into() }, span));
        }
        def.relation
            .ok_or_else(|| PlanError::new(K::LabelInsideNot { name: name.into() }, span))
    }
}

/// The labels of `clauses`, each with the number of its relation clause; an error if
/// two clauses carry the same one.
pub(super) fn labels_of(clauses: &[ast::Clause]) -> Result<Vec<LabelDef<'_>>, PlanError> {
    let mut defs: Vec<LabelDef<'_>> = Vec::new();
    let mut relations = 0;
    for c in clauses {
        let mut inner = c;
        let mut negated = false;
        while let ast::ClauseKind::Not(next) = &inner.kind {
            inner = next;
            negated = true;
        }
        let label = match &inner.kind {
            ast::ClauseKind::Relation { label, .. } | ast::ClauseKind::Between { label, .. } => {
                label
            }
            ast::ClauseKind::Kind { .. } | ast::ClauseKind::Not(_) => continue,
        };
        let relation = if negated {
            None
        } else {
            relations += 1;
            Some(relations - 1)
        };
        if let Some(label) = label {
            if defs.iter().any(|d| d.name == label.name) {
                return Err(PlanError::new(
                    K::DuplicateLabel {
                        name: label.name.clone(),
                    },
                    label.span,
                ));
            }
            defs.push(LabelDef {
                name: &label.name,
                relation,
            });
        }
    }
    Ok(defs)
}
