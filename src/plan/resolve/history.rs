//! Questions about recorded time: `as recorded …` on a statement, `history #id`,
//! `history ENTITY` and `changes [since D] [by NAME]`, with their pipelines.

// One part of the resolver: its state, types and imports are the parent module's.
use super::*;

impl Resolver<'_> {
    /// `as recorded on P` (the end of P's last day) or `as recorded at change N`.
    pub(super) fn recorded(
        &self,
        r: Option<&ast::Recorded>,
    ) -> Result<Option<Recorded>, PlanError> {
        let Some(r) = r else { return Ok(None) };
        Ok(Some(match &r.kind {
            ast::RecordedKind::AtChange(n) => {
                Recorded::AtChange(i64::try_from(*n).unwrap_or(i64::MAX))
            }
            ast::RecordedKind::On(p) => Recorded::EndOfDay(self.last_day(p)?),
        }))
    }

    /// How a query or a path reads the moment `at`: the tables changed after it as they
    /// were then, the others (all of them when nothing changed after it) as they are.
    /// `fixed`: the entities each relation clause of a query is fixed at; when no
    /// version current then has them at its ends, no clause reads versions (half the
    /// branches: `A -- B` after corrections elsewhere read twice as many).
    pub(super) fn as_recorded(
        &self,
        at: Recorded,
        fixed: Option<&[FixedEnds]>,
    ) -> Result<AsRecorded, PlanError> {
        let mut changed = self.catalog.changed_since(at).map_err(catalog_err)?;
        if let (true, Some(entities)) = (changed.relation_versions, fixed) {
            changed.relation_versions = self
                .catalog
                .versions_touch(at, entities)
                .map_err(catalog_err)?;
        }
        Ok(AsRecorded { at, changed })
    }

    /// The first and last day of a period given outside a time filter, where no label
    /// is in scope (so `@x` is an unknown label).
    fn days(&self, p: &ast::Period) -> Result<(Day, Day), PlanError> {
        let no_labels = LabelScope {
            defs: &[],
            own: None,
        };
        match self.period_at(p, &no_labels, 0)? {
            (Bound::Day(lo), Bound::Day(hi)) => Ok((lo, hi)),
            _ => Err(PlanError::new(
                K::EmptyPeriod {
                    text: p.to_string(),
                },
                p.span,
            )),
        }
    }

    fn last_day(&self, p: &ast::Period) -> Result<Day, PlanError> {
        Ok(self.days(p)?.1)
    }

    fn first_day(&self, p: &ast::Period) -> Result<Day, PlanError> {
        Ok(self.days(p)?.0)
    }

    pub(super) fn history(&mut self, h: &ast::HistoryQuery) -> Result<HistoryPlan, PlanError> {
        let (of, names) = match &h.target {
            ast::HistoryTarget::Relation(handle) => (
                HistoryOf::Relation(i64::try_from(handle.id).unwrap_or(i64::MAX)),
                RELATION_HISTORY_COLUMNS,
            ),
            ast::HistoryTarget::Entity(t) => {
                // An entity's history is its own, merged or not.
                let e = match &t.kind {
                    ast::TermKind::Name(s) | ast::TermKind::Text(s) => {
                        let mut found = self
                            .catalog
                            .entities_named_as_stored(s)
                            .map_err(catalog_err)?;
                        if found.len() == 1 {
                            found.remove(0)
                        } else {
                            self.entity(s, t.span)?
                        }
                    }
                    _ => return Err(PlanError::new(K::WriteNeedsEntity, t.span)),
                };
                (HistoryOf::Entity(e.id), ENTITY_HISTORY_COLUMNS)
            }
        };
        let columns = fixed_columns(names);
        let (stages, _) = self.stages(&h.stages, &columns)?;
        Ok(HistoryPlan {
            of,
            stages,
            recorded: None,
        })
    }

    pub(super) fn changes(&mut self, c: &ast::ChangesQuery) -> Result<ChangesPlan, PlanError> {
        let since = c.since.as_ref().map(|p| self.first_day(p)).transpose()?;
        let columns = fixed_columns(CHANGES_COLUMNS);
        let (stages, _) = self.stages(&c.stages, &columns)?;
        Ok(ChangesPlan {
            since,
            by: c.by.as_ref().map(|b| b.value.clone()),
            stages,
        })
    }
}

/// Columns of rows the store makes (history, changes, lookups), all shown as they come.
pub(super) fn fixed_columns(names: &[&str]) -> Vec<ColumnDef> {
    names
        .iter()
        .map(|name| ColumnDef {
            name: (*name).into(),
            source: ColumnSource::Count,
            ty: match *name {
                "id" => ColumnType::Handle,
                "change" | "undoes" | "count" | "relations" => ColumnType::Integer,
                status if crate::model::Status::WORDS.contains(&status) => ColumnType::Integer,
                _ => ColumnType::Text,
            },
        })
        .collect()
}

/// The entities each of a query's relation clauses is fixed at; `None` when a clause
/// has no fixed end. Clauses under `not` read the relations through one table of their
/// own, never split by versions.
pub(super) fn fixed_entities(select: &Select) -> Option<Vec<FixedEnds>> {
    let mut ends = Vec::new();
    for clause in &select.clauses {
        if let Clause::Relation(m) = clause {
            match (&m.left, &m.right) {
                (Node::Entity(a), Node::Entity(b)) => ends.push((*a, Some(*b))),
                (Node::Entity(k), _) | (_, Node::Entity(k)) => ends.push((*k, None)),
                _ => return None,
            }
        }
    }
    Some(ends)
}
