//! Lookups in the catalogue: `describe ENTITY`, `entities [kind K] [like "text"]`,
//! `predicates` and `sources`, with their pipelines.

// One part of the resolver: its state, types and imports are the parent module's.
use super::history::fixed_columns;
use super::*;

impl Resolver<'_> {
    pub(super) fn lookup(&mut self, l: &ast::Lookup) -> Result<LookupPlan, PlanError> {
        let (of, columns) = match &l.kind {
            ast::LookupKind::Describe(t) => (self.describe(t)?, fixed_columns(DESCRIBE_COLUMNS)),
            ast::LookupKind::Entities { kind, like } => {
                let kind = kind.as_ref().map(|k| self.kind(k)).transpose()?;
                let like = like.as_ref().map(|t| crate::names::normalise(&t.value));
                (
                    LookupOf::Entities { kind, like },
                    fixed_columns(ENTITIES_COLUMNS),
                )
            }
            ast::LookupKind::Predicates => {
                (LookupOf::Predicates, fixed_columns(&predicates_columns()))
            }
            ast::LookupKind::Sources => (LookupOf::Sources, fixed_columns(SOURCES_COLUMNS)),
        };
        let (stages, _) = self.stages(&l.stages, &columns)?;
        Ok(LookupPlan { of, stages })
    }

    /// The entity `describe` describes: the one named, or the one it was merged into
    /// (then `asked` is the one named, so the rows can say so).
    fn describe(&self, t: &ast::Term) -> Result<LookupOf, PlanError> {
        let (ast::TermKind::Name(s) | ast::TermKind::Text(s)) = &t.kind else {
            return Err(PlanError::new(K::WriteNeedsEntity, t.span));
        };
        let entity = self.entity(s, t.span)?;
        let stored = self
            .catalog
            .entities_named_as_stored(s)
            .map_err(catalog_err)?;
        let asked = match stored.as_slice() {
            [one] if one.key != entity.key => Some(one.clone()),
            _ => None,
        };
        Ok(LookupOf::Describe { entity, asked })
    }
}
