//! Write statements (WRITES.md): names resolved exactly as in queries, predicates checked
//! (a new one only with `new`), dates and statuses checked where they were written, and
//! each write turned into the store's operation on records of the data format.

// One part of the resolver: its state, types and imports are the parent module's.
use super::*;
use crate::store::WriteOp;
use serde_json::{Map, Value as Json};

impl Resolver<'_> {
    pub(super) fn write(&mut self, w: &ast::Write, text: &str) -> Result<WritePlan, PlanError> {
        use ast::WriteKind as W;
        let mut pattern = None;
        let op = match &w.kind {
            W::AddRelation {
                subject,
                predicate,
                new_predicate,
                object,
                fields,
            } => {
                let mut record = Map::new();
                record.insert("type".into(), "relation".into());
                record.insert("subject".into(), self.entity_id(subject)?.into());
                let id = self.write_predicate(predicate, *new_predicate)?;
                record.insert("predicate".into(), id.into());
                record.insert("object".into(), self.entity_id(object)?.into());
                self.relation_fields(fields, &mut record)?;
                WriteOp::Add(record)
            }
            W::AddEntity {
                id,
                kind,
                name,
                aliases,
                weak_aliases,
                note,
            } => {
                let mut record = Map::new();
                record.insert("type".into(), "entity".into());
                record.insert("id".into(), id.name.clone().into());
                record.insert("kind".into(), kind.name.to_lowercase().into());
                record.insert("name".into(), name.value.clone().into());
                for (field, names) in [("aliases", aliases), ("weak_aliases", weak_aliases)] {
                    if !names.is_empty() {
                        let names = names.iter().map(|a| Json::from(a.value.clone()));
                        record.insert(field.into(), names.collect());
                    }
                }
                if let Some(note) = note {
                    record.insert("note".into(), note.value.clone().into());
                }
                WriteOp::Add(record)
            }
            W::AddPredicate {
                id,
                label,
                symmetric,
                description,
            } => {
                let mut record = Map::new();
                record.insert("type".into(), "predicate".into());
                record.insert("id".into(), id.name.clone().into());
                if let Some(label) = label {
                    record.insert("label".into(), label.value.clone().into());
                }
                if *symmetric {
                    record.insert("symmetric".into(), true.into());
                }
                if let Some(d) = description {
                    record.insert("description".into(), d.value.clone().into());
                }
                WriteOp::Add(record)
            }
            W::AddSource { id, title, fields } => {
                let mut record = Map::new();
                record.insert("type".into(), "source".into());
                record.insert("id".into(), id.name.clone().into());
                if let Some(title) = title {
                    record.insert("title".into(), title.value.clone().into());
                }
                self.source_fields(fields, &mut record)?;
                WriteOp::Add(record)
            }
            W::Alias {
                entity,
                names,
                weak: false,
            } => WriteOp::Alias {
                entity: self.entity_id(entity)?,
                names: names.iter().map(|n| n.value.clone()).collect(),
            },
            W::Alias {
                entity,
                names,
                weak: true,
            } => WriteOp::WeakAlias {
                entity: self.entity_id(entity)?,
                names: names.iter().map(|n| n.value.clone()).collect(),
            },
            W::Unalias { entity, names } => WriteOp::Unalias {
                entity: self.entity_id(entity)?,
                names: names.iter().map(|n| n.value.clone()).collect(),
            },
            W::Rename { entity, name } => WriteOp::Rename {
                entity: self.entity_id(entity)?,
                name: name.value.clone(),
            },
            W::Correct { id, fields } => {
                let mut record = Map::new();
                self.relation_fields(fields, &mut record)?;
                WriteOp::Correct {
                    id: handle(id),
                    fields: record,
                }
            }
            W::CorrectSource { id, fields } => {
                let mut record = Map::new();
                self.source_fields(fields, &mut record)?;
                WriteOp::CorrectSource {
                    id: self.source_id(id)?,
                    fields: record,
                }
            }
            W::Retract { target, all } => match target {
                ast::RetractTarget::Handle(h) => WriteOp::Retract {
                    ids: vec![handle(h)],
                },
                ast::RetractTarget::Pattern { clause, fields } => {
                    pattern = Some(self.retract_pattern(clause, fields, *all)?);
                    WriteOp::Retract { ids: Vec::new() }
                }
            },
            // The entity merged is named as stored: once merged, its names answer as the
            // entity it was merged into, which `merge` and `unmerge` must see past.
            W::Merge { from, into } => WriteOp::Merge {
                from: self.stored_entity_id(from)?,
                into: self.entity_id(into)?,
            },
            W::Unmerge { entity } => WriteOp::Unmerge {
                entity: self.stored_entity_id(entity)?,
            },
            W::Undo { change } => WriteOp::Undo {
                change: change
                    .as_ref()
                    .map(|c| i64::try_from(c.number).unwrap_or(i64::MAX)),
            },
            W::Erase { id, .. } => WriteOp::Erase { id: handle(id) },
        };
        Ok(WritePlan {
            op,
            pattern,
            reason: w.reason.as_ref().map(|r| r.value.clone()),
            statement: text
                .get(w.span.start..w.span.end)
                .unwrap_or(text)
                .trim()
                .to_string(),
        })
    }

    /// The id of the one entity a write names (never a variable, `_` or a parameter).
    fn entity_id(&self, t: &ast::Term) -> Result<String, PlanError> {
        Ok(self.named_entity(t, false)?.id)
    }

    /// As [`Resolver::entity_id`], without following merges.
    fn stored_entity_id(&self, t: &ast::Term) -> Result<String, PlanError> {
        Ok(self.named_entity(t, true)?.id)
    }

    fn named_entity(&self, t: &ast::Term, as_stored: bool) -> Result<EntityRef, PlanError> {
        match &t.kind {
            ast::TermKind::Name(s) | ast::TermKind::Text(s) if as_stored => {
                self.in_time()?;
                let mut found = self
                    .catalog
                    .entities_named_as_stored(s)
                    .map_err(catalog_err)?;
                if found.len() == 1 {
                    return Ok(found.remove(0));
                }
                // None or several: the same errors as a query's.
                self.entity(s, t.span)
            }
            ast::TermKind::Name(s) | ast::TermKind::Text(s) => self.entity(s, t.span),
            _ => Err(PlanError::new(K::WriteNeedsEntity, t.span)),
        }
    }

    /// The predicate of `add S P O`: a known one, or with `new` any id (created by the
    /// write). A typo of a known predicate is an error with did-you-mean, never a new
    /// predicate.
    fn write_predicate(&self, p: &ast::Ident, new: bool) -> Result<String, PlanError> {
        self.in_time()?;
        if let Some(found) = self.catalog.predicate(&p.name).map_err(catalog_err)? {
            return Ok(found.id);
        }
        if new {
            return Ok(p.name.clone());
        }
        let all = self.catalog.predicate_ids().map_err(catalog_err)?;
        Err(PlanError::new(
            K::UnknownWritePredicate {
                id: p.name.clone(),
                suggestions: suggest(&p.name, all.iter().map(String::as_str)),
            },
            p.span,
        ))
    }

    /// A source a write names: a known id (a new source is added first, with `add
    /// source`).
    fn source_id(&self, s: &ast::Ident) -> Result<String, PlanError> {
        self.in_time()?;
        let all = self.catalog.source_ids().map_err(catalog_err)?;
        if all.contains(&s.name) {
            return Ok(s.name.clone());
        }
        Err(PlanError::new(
            K::UnknownSource {
                id: s.name.clone(),
                suggestions: suggest(&s.name, all.iter().map(String::as_str)),
            },
            s.span,
        ))
    }

    /// The fields of a relation, as a record of the data format gives them; dates and the
    /// status are checked here, where their spans are known.
    fn relation_fields(
        &self,
        fields: &[ast::Field],
        record: &mut Map<String, Json>,
    ) -> Result<(), PlanError> {
        use ast::FieldKind as F;
        fill(fields, record, |f| {
            Ok(match &f.kind {
                F::When(d) | F::From(d) | F::To(d) | F::At(d) | F::Reported(d) => {
                    date_text(d)?.into()
                }
                F::Status(s) => {
                    let word = s.name.to_lowercase();
                    word.parse::<Status>().map_err(|_| {
                        PlanError::new(
                            K::UnknownStatus {
                                word: s.name.clone(),
                            },
                            s.span,
                        )
                    })?;
                    word.into()
                }
                F::Place(t) | F::Subject(t) | F::Object(t) => self.entity_id(t)?.into(),
                F::Source(s) => self.source_id(s)?.into(),
                F::Quote(t) | F::Note(t) => t.value.clone().into(),
                F::Confidence { value, .. } => {
                    if !(0.0..=1.0).contains(value) {
                        return Err(PlanError::new(K::BadConfidence { value: *value }, f.span));
                    }
                    (*value).into()
                }
                F::Predicate(p) => self.write_predicate(p, false)?.into(),
                F::Published(_) | F::Lang(_) | F::Url(_) | F::Title(_) => {
                    return Err(not_here(f, "a relation"))
                }
            })
        })?;
        // `when`, `from`/`to` and `at` are checked together, as the data format does.
        let text = |k: &str| record.get(k).and_then(Json::as_str);
        let time = time::TimeFields {
            when: text("when"),
            from: text("from"),
            to: text("to"),
            at: text("at"),
        };
        // Relative dates count from `reported`, else from the source's `published` date,
        // which the store reads when it writes the relation.
        let anchor =
            text("reported").and_then(|r| time::phrases::anchor_day(r, None).ok().flatten());
        let planned = text("status") == Some(Status::Planned.as_str());
        let context = time::DateContext::at(anchor).planned(planned);
        let checked = time::relation_bounds_at(&time, &context);
        if let Err(e) =
            checked
                .as_ref()
                .map(|_| ())
                .or_else(|e| if e.is_relative() { Ok(()) } else { Err(e) })
        {
            let span = fields
                .iter()
                .find(|f| matches!(f.kind, F::When(_) | F::From(_) | F::To(_) | F::At(_)))
                .map(|f| f.span);
            let err = K::BadDate {
                text: String::new(),
                reason: e.to_string(),
            };
            return Err(match span {
                Some(span) => PlanError::new(err, span),
                None => PlanError::whole(err),
            });
        }
        Ok(())
    }

    /// The fields of a source.
    fn source_fields(
        &self,
        fields: &[ast::Field],
        record: &mut Map<String, Json>,
    ) -> Result<(), PlanError> {
        use ast::FieldKind as F;
        fill(fields, record, |f| {
            Ok(match &f.kind {
                // A source's `published` date is what relative dates count from: never
                // relative itself.
                F::Published(d) => checked_date(d, false)?.into(),
                F::Lang(l) => l.name.clone().into(),
                F::Url(t) | F::Title(t) | F::Note(t) => t.value.clone().into(),
                _ => return Err(not_here(f, "a source")),
            })
        })
    }

    /// `retract S P O [filters] [FIELD VALUE …] [all]`: the clause as a query of the ids
    /// it matches (any status unless it says), and the fields the matches must have.
    fn retract_pattern(
        &mut self,
        clause: &ast::Clause,
        fields: &[ast::Field],
        all: bool,
    ) -> Result<RetractPattern, PlanError> {
        let mut clause = clause.clone();
        let any = ast::StatusFilter {
            kind: ast::StatusFilterKind::Any,
            span: clause.span,
        };
        match &mut clause.kind {
            ast::ClauseKind::Relation { status, .. } | ast::ClauseKind::Between { status, .. }
                if status.is_none() =>
            {
                *status = Some(any);
            }
            _ => {}
        }
        let query = ast::Query {
            clauses: vec![clause],
            stages: Vec::new(),
            span: Span::default(),
        };
        let select = self.query(&query)?;
        let mut wanted = Map::new();
        self.relation_fields(fields, &mut wanted)?;
        let mut matches = Vec::new();
        for (name, value) in wanted {
            let Some(column) = select.columns.iter().position(|c| c.name == name) else {
                let given = fields.iter().find(|f| f.kind.word() == name);
                return Err(match given {
                    Some(f) => not_here(f, "a retract pattern"),
                    None => PlanError::whole(K::WriteNeedsEntity),
                });
            };
            matches.push((column, value));
        }
        let id_column = select
            .columns
            .iter()
            .position(|c| c.name == RelField::Id.name())
            .ok_or_else(|| PlanError::new(K::WriteNeedsEntity, query.span))?;
        Ok(RetractPattern {
            select,
            id_column,
            matches,
            all,
        })
    }
}

/// Puts each field's value, as `value` gives it, into `record` under the field's word
/// (the grammar's name of the field is the data format's).
fn fill(
    fields: &[ast::Field],
    record: &mut Map<String, Json>,
    mut value: impl FnMut(&ast::Field) -> Result<Json, PlanError>,
) -> Result<(), PlanError> {
    for f in fields {
        record.insert(f.kind.word().into(), value(f)?);
    }
    Ok(())
}

/// The error of a field given where it means nothing.
fn not_here(f: &ast::Field, what: &'static str) -> PlanError {
    PlanError::new(
        K::FieldNotHere {
            field: f.kind.word(),
            what,
        },
        f.span,
    )
}

/// A relation's id as the store keys it.
fn handle(h: &ast::Handle) -> i64 {
    i64::try_from(h.id).unwrap_or(i64::MAX)
}

/// A date of a write, checked as a date expression (an open `to ..` as written).
fn date_text(d: &ast::DateText) -> Result<String, PlanError> {
    if d.text == ".." {
        return Ok(d.text.clone());
    }
    // A date as reporters write it may be relative: the store resolves it against the
    // relation's anchor when it writes it.
    checked_date(d, true)
}

/// The advice when a source's `published` date is relative.
const PUBLISHED_ADVICE: &str =
    "a source's `published` date is what its relations' relative dates count from: write \
     the date itself, e.g. 2025-04-28";

/// A date as written, checked as a date expression; a relative one (`last November`) is
/// accepted when `relative` says so, for the store to resolve against an anchor.
fn checked_date(d: &ast::DateText, relative: bool) -> Result<String, PlanError> {
    let context = time::DateContext {
        advice: PUBLISHED_ADVICE,
        ..time::DateContext::NONE
    };
    time::resolve_date(&d.text, &context)
        .map(|_| ())
        .or_else(|e| {
            if relative && e.is_relative() {
                Ok(())
            } else {
                Err(e)
            }
        })
        .map_err(|e| {
            PlanError::new(
                K::BadDate {
                    text: d.text.clone(),
                    reason: e.to_string(),
                },
                d.span,
            )
        })?;
    Ok(d.text.clone())
}
