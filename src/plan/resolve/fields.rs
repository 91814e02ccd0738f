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

#[cfg(test)]
mod tests {
    use crate::deadline::Deadline;
    use crate::lang::ast::Comparison;
    use crate::plan::test_catalog::{test_context, TestCatalog};
    use crate::plan::*;

    fn plan(text: &str) -> Result<Select, PlanError> {
        let stmt = crate::lang::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        match resolve(
            &stmt,
            text,
            &TestCatalog::new(),
            &test_context(&Deadline::none()),
        )? {
            Plan::Select(s) => Ok(s),
            other => panic!("{text:?}: {other:?}"),
        }
    }

    fn relation(s: &Select, i: usize) -> &RelationMatch {
        match &s.clauses[i] {
            Clause::Relation(m) => m,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn field_filters_resolve_entities_and_normalise_words() {
        let s =
            plan(r#"?x visited ?y place "baku" confidence >= 0.5 quote contains "Bakı  VISIT""#)
                .unwrap();
        assert_eq!(
            relation(&s, 0).fields,
            vec![
                FieldTest::Place(3),
                FieldTest::Confidence(Comparison::GreaterOrEqual, 0.5),
                FieldTest::Contains {
                    field: TextField::Quote,
                    words: "baki visit".into()
                },
            ]
        );
    }

    #[test]
    fn field_filters_refuse_what_cannot_match() {
        let e = plan("?x visited ?y confidence < 1.5").unwrap_err();
        assert_eq!(e.kind, PlanErrorKind::BadConfidence { value: 1.5 });
        let e = plan(r#"?x visited ?y note contains " … ""#).unwrap_err();
        assert_eq!(e.kind, PlanErrorKind::NoWordsToFind { field: "note" });
        let e = plan("?x visited ?y source nowhere").unwrap_err();
        assert!(
            matches!(e.kind, PlanErrorKind::UnknownQuerySource { .. }),
            "{e:?}"
        );
        assert!(crate::lang::parse("?x visited ?y place ?z").is_err());
    }

    #[test]
    fn variables_give_columns_in_the_order_written() {
        let s = plan("?s ?p ?o").unwrap();
        let names: Vec<&str> = s.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names[..5], ["s", "s.id", "p", "o", "o.id"]);
        let fields: Vec<&str> = RelField::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names[5..], fields);
        // The columns a one-clause query gave before stay first; the new ones follow.
        assert_eq!(fields[8..], ["quote", "id", "place", "note", "confidence"]);
    }

    #[test]
    fn every_predicate_position_reads_symmetric_relations_both_ways() {
        let both = vec![Orientation::Forward, Orientation::Reverse];
        for q in [
            "?a ?r ?b",
            "?a * ?b",
            "?a -- ?b",
            "?a met ?b",
            "?a met|visited ?b",
        ] {
            assert_eq!(relation(&plan(q).unwrap(), 0).orientations(), both, "{q}");
        }
        let s = plan("?a visited ?b").unwrap();
        assert_eq!(relation(&s, 0).orientations(), vec![Orientation::Forward]);
    }

    #[test]
    fn a_label_gives_the_fields_a_stage_names() {
        let s = plan("?x visited ?y @v, ?y ?r ?z | show @v.when, @v.recorded, ?z").unwrap();
        let labelled: Vec<(&str, ColumnSource)> = s
            .columns
            .iter()
            .filter(|c| c.name.starts_with('@'))
            .map(|c| (c.name.as_str(), c.source))
            .collect();
        assert_eq!(
            labelled,
            [
                (
                    "@v.when",
                    ColumnSource::Relation {
                        clause: 0,
                        field: RelField::When
                    }
                ),
                (
                    "@v.recorded",
                    ColumnSource::Relation {
                        clause: 0,
                        field: RelField::Recorded
                    }
                ),
            ]
        );
        let e = plan("?x visited ?y @v, ?y ?r ?z | show @w.when").unwrap_err();
        assert!(
            matches!(e.kind, PlanErrorKind::UnknownColumn { .. }),
            "{e:?}"
        );
    }
}
