//! Filters on a relation's fields (`place X`, `source S`, `confidence >= 0.7`,
//! `quote contains "…"`, `note contains "…"`): entities and sources resolved, words
//! normalised as names are.

// One part of the resolver: its state, types and imports are the parent module's.
use super::*;

impl Resolver<'_> {
    pub(super) fn field_tests(
        &mut self,
        fields: &[ast::FieldFilter],
    ) -> Result<Vec<FieldTest>, PlanError> {
        fields.iter().map(|f| self.field_test(f)).collect()
    }

    fn field_test(&mut self, f: &ast::FieldFilter) -> Result<FieldTest, PlanError> {
        match &f.kind {
            ast::FieldFilterKind::Place(term) => {
                if matches!(term.kind, ast::TermKind::Var { .. } | ast::TermKind::Any) {
                    return Err(PlanError::new(K::PlaceNeedsEntity, term.span));
                }
                // A name, a string or `$p`: resolved as in any other entity position.
                match self.node(term, &mut Scope::default(), false)? {
                    Node::Entity(key) => Ok(FieldTest::Place(key)),
                    Node::Var(_) | Node::Any => Err(PlanError::new(K::PlaceNeedsEntity, term.span)),
                }
            }
            ast::FieldFilterKind::Source(s) => Ok(FieldTest::Source(self.sources_named(s)?)),
            ast::FieldFilterKind::Confidence { op, value, .. } => {
                if !(0.0..=1.0).contains(value) {
                    return Err(PlanError::new(K::BadConfidence { value: *value }, f.span));
                }
                Ok(FieldTest::Confidence(*op, *value))
            }
            ast::FieldFilterKind::QuoteContains(text) => contains(TextField::Quote, text),
            ast::FieldFilterKind::NoteContains(text) => contains(TextField::Note, text),
        }
    }

    /// The ids of the sources `s` names: the source of that id, or else those whose
    /// title has the normalised form of `s`.
    fn sources_named(&self, s: &ast::Ident) -> Result<Vec<String>, PlanError> {
        self.in_time()?;
        let ids = self.catalog.source_ids().map_err(catalog_err)?;
        if ids.contains(&s.name) {
            return Ok(vec![s.name.clone()]);
        }
        let titles = self.catalog.source_titles().map_err(catalog_err)?;
        let wanted = crate::names::normalise(&s.name);
        let found: Vec<String> = titles
            .iter()
            .filter(|(_, title)| crate::names::normalise(title) == wanted)
            .map(|(id, _)| id.clone())
            .collect();
        if !found.is_empty() {
            return Ok(found);
        }
        let candidates = ids
            .iter()
            .map(String::as_str)
            .chain(titles.iter().map(|(_, t)| t.as_str()));
        Err(PlanError::new(
            K::UnknownQuerySource {
                text: s.name.clone(),
                suggestions: suggest(&s.name, candidates),
            },
            s.span,
        ))
    }
}

/// `contains "…"` on `field`: the text in the normalised form of names, which is the
/// form the store indexes; an error if it has no word to look for.
fn contains(field: TextField, text: &ast::Text) -> Result<FieldTest, PlanError> {
    let words = crate::names::normalise(&text.value);
    if !words.chars().any(char::is_alphanumeric) {
        return Err(PlanError::new(
            K::NoWordsToFind {
                field: field.column(),
            },
            text.span,
        ));
    }
    Ok(FieldTest::Contains { field, words })
}
