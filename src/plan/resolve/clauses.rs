//! Queries and their clauses: variables numbered, ends and predicates resolved, clauses
//! anchored where they are read from.

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
        let mut clauses: Vec<Clause> = clauses.into_iter().map(|(_, c)| c).collect();
        anchor(&mut clauses, scope.entity_vars.len());

        let relation_count = clauses
            .iter()
            .filter(|c| matches!(c, Clause::Relation(_)))
            .count();
        let mut columns = Vec::new();
        for (i, v) in scope.entity_vars.iter().enumerate() {
            columns.push(ColumnDef {
                name: v.name.clone(),
                source: ColumnSource::EntityName(i),
                ty: ColumnType::Text,
            });
            columns.push(ColumnDef {
                name: format!("{}.id", v.name),
                source: ColumnSource::EntityId(i),
                ty: ColumnType::Text,
            });
        }
        for (i, name) in scope.pred_vars.iter().enumerate() {
            columns.push(ColumnDef {
                name: name.clone(),
                source: ColumnSource::Predicate(i),
                ty: ColumnType::Text,
            });
        }
        if relation_count == 1 {
            let named = stage_column_names(&q.stages);
            let asked = RelField::ON_REQUEST
                .into_iter()
                .filter(|f| named.iter().any(|n| n.eq_ignore_ascii_case(f.name())));
            for f in RelField::ALL.into_iter().chain(asked) {
                columns.push(ColumnDef {
                    name: f.name().to_string(),
                    source: ColumnSource::Relation(f),
                    ty: match f {
                        RelField::Start | RelField::End => ColumnType::Day,
                        RelField::Id => ColumnType::Handle,
                        _ => ColumnType::Text,
                    },
                });
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
                    anchored: false,
                }))
            }
            ast::ClauseKind::Between {
                left,
                right,
                label,
                filters,
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
                    anchored: false,
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
        Ok(scope.entity_vars.len() - 1)
    }
}

/// Marks each relation clause that has a known entity, or a variable that another
/// clause also uses, at one of its ends.
pub(super) fn anchor(clauses: &mut [Clause], vars: usize) {
    fn vars_of(c: &Clause, out: &mut Vec<usize>) {
        match c {
            Clause::Relation(m) => {
                for n in [m.left, m.right] {
                    if let Node::Var(v) = n {
                        out.push(v);
                    }
                }
            }
            Clause::Kind { var, .. } => out.push(*var),
            Clause::Not(inner) => vars_of(inner, out),
        }
    }
    let mut uses = vec![0usize; vars];
    for c in clauses.iter() {
        let mut vs = Vec::new();
        vars_of(c, &mut vs);
        vs.sort_unstable();
        vs.dedup();
        for v in vs {
            uses[v] += 1;
        }
    }
    fn mark(c: &mut Clause, uses: &[usize]) {
        match c {
            Clause::Relation(m) => {
                let anchored = |n: Node| match n {
                    Node::Entity(_) => true,
                    Node::Var(v) => uses.get(v).is_some_and(|&u| u >= 2),
                    Node::Any => false,
                };
                m.anchored = anchored(m.left) || anchored(m.right);
            }
            Clause::Kind { .. } => {}
            Clause::Not(inner) => mark(inner, uses),
        }
    }
    for c in clauses.iter_mut() {
        mark(c, &uses);
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
