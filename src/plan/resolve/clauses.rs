//! Queries and their clauses: variables numbered in the order they are written, ends and
//! predicates resolved, the columns the clauses give.

// One part of the resolver: its state, types and imports are the parent module's.
use super::*;

impl Resolver<'_> {
    pub(super) fn query(&mut self, q: &ast::Query) -> Result<Select, PlanError> {
        let mut scope = Scope::default();
        let labels = labels_of(&q.clauses)?;
        let mut clauses = Vec::with_capacity(q.clauses.len());
        // Clauses outside `not` first: they bind the variables `not` clauses may use.
        for c in &q.clauses {
            if !matches!(c.kind, ast::ClauseKind::Not(_)) {
                clauses.push((c.span.start, self.clause(c, &mut scope, false, &labels)?));
            }
        }
        for c in &q.clauses {
            if matches!(c.kind, ast::ClauseKind::Not(_)) {
                clauses.push((c.span.start, self.clause(c, &mut scope, true, &labels)?));
            }
        }
        clauses.sort_by_key(|(start, _)| *start);
        let clauses: Vec<Clause> = clauses.into_iter().map(|(_, c)| c).collect();

        let relation_count = clauses
            .iter()
            .filter(|c| matches!(c, Clause::Relation(_)))
            .count();
        // Variables in the order they are first written, so that a predicate variable
        // stands between its subject and object (`?s ?p ?o`: s, s.id, p, o, o.id).
        let mut columns = Vec::new();
        for var in &scope.order {
            match *var {
                VarRef::Entity(i) => {
                    let name = &scope.entity_vars[i].name;
                    columns.push(ColumnDef {
                        name: name.clone(),
                        source: ColumnSource::EntityName(i),
                        ty: ColumnType::Text,
                    });
                    columns.push(ColumnDef {
                        name: format!("{name}.id"),
                        source: ColumnSource::EntityId(i),
                        ty: ColumnType::Text,
                    });
                }
                VarRef::Predicate(i) => columns.push(ColumnDef {
                    name: scope.pred_vars[i].clone(),
                    source: ColumnSource::Predicate(i),
                    ty: ColumnType::Text,
                }),
            }
        }
        let named = stage_column_names(&q.stages);
        if relation_count == 1 {
            let asked = RelField::ON_REQUEST
                .into_iter()
                .filter(|f| named.iter().any(|n| n.eq_ignore_ascii_case(f.name())));
            for field in RelField::ALL.into_iter().chain(asked) {
                columns.push(ColumnDef {
                    name: field.name().to_string(),
                    source: ColumnSource::Relation { clause: 0, field },
                    ty: field.column_type(),
                });
            }
        }
        // A label's fields (`@v.when`), each given when a stage names it.
        for def in &labels {
            let Some(clause) = def.relation else { continue };
            for field in RelField::every() {
                let name = field.labelled_name(def.name);
                if named.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                    columns.push(ColumnDef {
                        name,
                        source: ColumnSource::Relation { clause, field },
                        ty: field.column_type(),
                    });
                }
            }
        }
        let (stages, timeline) = self.stages(&q.stages, &columns)?;
        if timeline && relation_count == 0 {
            let span = q
                .stages
                .iter()
                .find(|s| matches!(s.kind, ast::StageKind::Timeline))
                .map(|s| s.span)
                .unwrap_or(q.span);
            return Err(PlanError::new(K::TimelineWithoutRelation, span));
        }
        Ok(Select {
            recorded: None,
            entity_vars: scope.entity_vars,
            pred_vars: scope.pred_vars,
            clauses,
            columns,
            stages,
            timeline,
        })
    }

    pub(super) fn clause<'q>(
        &mut self,
        c: &'q ast::Clause,
        scope: &mut Scope,
        negated: bool,
        labels: &[LabelDef<'q>],
    ) -> Result<Clause, PlanError> {
        self.in_time()?;
        let labels_of_clause = |label: &'q Option<ast::Label>| LabelScope {
            defs: labels,
            own: label.as_ref().map(|l| l.name.as_str()),
        };
        match &c.kind {
            ast::ClauseKind::Not(inner) => Ok(Clause::Not(Box::new(
                self.clause(inner, scope, true, labels)?,
            ))),
            ast::ClauseKind::Kind { var, kind } => {
                let kind_name = self.kind(kind)?;
                let idx = self.entity_var(&var.name, var.span, scope, negated)?;
                Ok(Clause::Kind {
                    var: idx,
                    kind: kind_name,
                })
            }
            ast::ClauseKind::Relation {
                subject,
                predicate,
                object,
                label,
                filters,
                fields,
                status,
            } => {
                let left = self.node(subject, scope, negated)?;
                let predicate = self.predicate(predicate, scope, negated)?;
                let right = self.node(object, scope, negated)?;
                Ok(Clause::Relation(RelationMatch {
                    left,
                    right,
                    predicate,
                    either: false,
                    filters: self.filters(filters, &labels_of_clause(label))?,
                    statuses: self.statuses(status.as_ref())?,
                    fields: self.field_tests(fields)?,
                }))
            }
            ast::ClauseKind::Between {
                left,
                right,
                label,
                filters,
                fields,
                status,
            } => {
                let left = self.node(left, scope, negated)?;
                let right = self.node(right, scope, negated)?;
                Ok(Clause::Relation(RelationMatch {
                    left,
                    right,
                    predicate: PredMatch::Any,
                    either: true,
                    filters: self.filters(filters, &labels_of_clause(label))?,
                    statuses: self.statuses(status.as_ref())?,
                    fields: self.field_tests(fields)?,
                }))
            }
        }
    }

    pub(super) fn entity_var(
        &mut self,
        name: &str,
        span: Span,
        scope: &mut Scope,
        negated: bool,
    ) -> Result<usize, PlanError> {
        if scope.pred_vars.iter().any(|p| p == name) {
            return Err(PlanError::new(
                K::VariableKindClash { name: name.into() },
                span,
            ));
        }
        if let Some(i) = scope.entity_vars.iter().position(|v| v.name == name) {
            if !negated {
                scope.bound[i] = true;
            } else if !scope.bound[i] {
                return Err(PlanError::new(
                    K::UnboundVariable { name: name.into() },
                    span,
                ));
            }
            return Ok(i);
        }
        if negated {
            return Err(PlanError::new(
                K::UnboundVariable { name: name.into() },
                span,
            ));
        }
        scope.entity_vars.push(EntityVar {
            name: name.into(),
            kinds: Vec::new(),
        });
        scope.bound.push(true);
        scope
            .order
            .push(VarRef::Entity(scope.entity_vars.len() - 1));
        Ok(scope.entity_vars.len() - 1)
    }
}

/// The column names a query's stages mention (`show`, `sort`, `count by`).
fn stage_column_names(stages: &[ast::Stage]) -> Vec<&str> {
    fn name(c: &ast::Column) -> Option<&str> {
        match &c.kind {
            ast::ColumnKind::Named(n) => Some(n.as_str()),
            ast::ColumnKind::Var { .. } => None,
        }
    }
    let mut out = Vec::new();
    for s in stages {
        match &s.kind {
            ast::StageKind::Show(cols) | ast::StageKind::Count(cols) => {
                out.extend(cols.iter().filter_map(name));
            }
            ast::StageKind::Sort(keys) => out.extend(keys.iter().filter_map(|k| name(&k.column))),
            _ => {}
        }
    }
    out
}
