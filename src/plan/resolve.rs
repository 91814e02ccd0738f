//! Statement → plan: entity references, predicates, kinds and periods resolved against
//! the catalog; variables numbered; the columns of each stage worked out.

use std::collections::HashMap;

use super::columns::{after_stage, ColumnDef, ColumnSource, ColumnType, RelField};
use super::error::{PlanError, PlanErrorKind as K};
use super::*;
use crate::deadline::Deadline;
use crate::lang::ast::{self, Span};
use crate::limits::{MAX_RUN_DEPTH, MAX_STAGES};
use crate::model::Status;
use crate::names::too_long_to_suggest;
use crate::time::{self, NEG_INF, POS_INF};

/// What `$name` stands for while resolving.
#[derive(Debug, Clone, PartialEq)]
pub enum Binding {
    /// A value given by `run` or `--param`.
    Value(ast::Arg),
    /// While checking a body for `save`: any entity or period will do.
    Placeholder,
}

/// What planning takes besides the statement and the catalog.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The values of `$name` parameters in an ad-hoc query (`--param name=value`).
    pub params: &'a HashMap<String, ast::Arg>,
    /// Planning stops with [`PlanErrorKind::Stopped`] once it passes (it is checked
    /// before each clause and each catalog lookup).
    pub deadline: &'a Deadline,
    /// The day `today` stands for: the caller reads the clock (or, in tests, fixes the
    /// day), so that a plan depends on nothing but what it is given.
    pub today: Day,
}

/// Checks `stmt` (parsed from `text`) against the catalog and plans it, in `ctx`.
pub fn resolve(
    stmt: &ast::Statement,
    text: &str,
    catalog: &dyn Catalog,
    ctx: &Context<'_>,
) -> Result<Plan, PlanError> {
    let bindings = ctx
        .params
        .iter()
        .map(|(k, v)| (k.clone(), Binding::Value(v.clone())))
        .collect();
    Resolver {
        catalog,
        bindings,
        kinds: None,
        depth: 0,
        running: Vec::new(),
        deadline: ctx.deadline,
        today: ctx.today,
    }
    .statement(stmt, text)
}

struct Resolver<'c> {
    catalog: &'c dyn Catalog,
    bindings: HashMap<String, Binding>,
    kinds: Option<Vec<String>>,
    depth: usize,
    /// The saved queries being run, outermost first (for the error of a loop).
    running: Vec<String>,
    deadline: &'c Deadline,
    today: Day,
}

/// Variables met so far in one query.
#[derive(Default)]
struct Scope {
    entity_vars: Vec<EntityVar>,
    pred_vars: Vec<String>,
    /// Variables bound by clauses outside `not`.
    bound: Vec<bool>,
    pred_bound: Vec<bool>,
}

/// A label carried by a clause of the query being planned.
struct LabelDef<'q> {
    name: &'q str,
    /// The number of the labelled relation clause (see [`Select`]); `None` for a clause
    /// inside `not`.
    relation: Option<usize>,
}

/// The labels a clause's filters may use, and the clause's own.
struct LabelScope<'a, 'q> {
    defs: &'a [LabelDef<'q>],
    own: Option<&'q str>,
}

impl LabelScope<'_, '_> {
    /// The relation clause `@name` at `span` stands for.
    fn relation(&self, name: &str, span: Span) -> Result<usize, PlanError> {
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
fn labels_of(clauses: &[ast::Clause]) -> Result<Vec<LabelDef<'_>>, PlanError> {
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

fn catalog_err(e: CatalogError) -> PlanError {
    PlanError::whole(K::Catalog(e.0))
}

impl<'c> Resolver<'c> {
    /// An error once the statement's deadline has passed.
    fn in_time(&self) -> Result<(), PlanError> {
        self.deadline
            .check()
            .map_err(|stop| PlanError::whole(K::Stopped(stop)))
    }

    fn statement(&mut self, stmt: &ast::Statement, text: &str) -> Result<Plan, PlanError> {
        match &stmt.kind {
            ast::StatementKind::Query(q) => Ok(Plan::Select(self.query(q)?)),
            ast::StatementKind::Path(p) => Ok(Plan::Path(self.path(p)?)),
            ast::StatementKind::Save(s) => self.save(s, text),
            ast::StatementKind::Run(r) => self.run(r),
            ast::StatementKind::Saved => Ok(Plan::Saved),
            ast::StatementKind::Drop(name) => Ok(Plan::Drop {
                name: name.name.clone(),
            }),
        }
    }

    // ----- queries -------------------------------------------------------------------

    fn query(&mut self, q: &ast::Query) -> Result<Select, PlanError> {
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
            for f in RelField::ALL {
                columns.push(ColumnDef {
                    name: f.name().to_string(),
                    source: ColumnSource::Relation(f),
                    ty: if matches!(f, RelField::Start | RelField::End) {
                        ColumnType::Day
                    } else {
                        ColumnType::Text
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
            entity_vars: scope.entity_vars,
            pred_vars: scope.pred_vars,
            clauses,
            columns,
            stages,
            timeline,
        })
    }

    fn clause<'q>(
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

    fn entity_var(
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

    fn node(&mut self, t: &ast::Term, scope: &mut Scope, negated: bool) -> Result<Node, PlanError> {
        match &t.kind {
            ast::TermKind::Var { name, kind } => {
                let idx = self.entity_var(name, t.span, scope, negated)?;
                if let Some(k) = kind {
                    let k = self.kind(k)?;
                    let kinds = &mut scope.entity_vars[idx].kinds;
                    if !kinds.contains(&k) {
                        kinds.push(k);
                    }
                }
                Ok(Node::Var(idx))
            }
            ast::TermKind::Any => Ok(Node::Any),
            ast::TermKind::Name(s) | ast::TermKind::Text(s) => {
                Ok(Node::Entity(self.entity(s, t.span)?.key))
            }
            ast::TermKind::Param(p) => match self.binding(p, t.span)? {
                Binding::Placeholder => Ok(Node::Entity(-1)),
                Binding::Value(ast::Arg {
                    kind: ast::ArgKind::Term(term),
                    ..
                }) => match &term.kind {
                    ast::TermKind::Name(s) | ast::TermKind::Text(s) => {
                        Ok(Node::Entity(self.entity(s, t.span)?.key))
                    }
                    ast::TermKind::Any => Ok(Node::Any),
                    _ => Err(PlanError::new(
                        K::ParameterMismatch {
                            name: p.clone(),
                            expected: "an entity",
                        },
                        t.span,
                    )),
                },
                Binding::Value(_) => Err(PlanError::new(
                    K::ParameterMismatch {
                        name: p.clone(),
                        expected: "an entity",
                    },
                    t.span,
                )),
            },
        }
    }

    fn binding(&self, name: &str, span: Span) -> Result<Binding, PlanError> {
        self.bindings
            .get(name)
            .cloned()
            .ok_or_else(|| PlanError::new(K::UnknownParameter { name: name.into() }, span))
    }

    fn entity(&self, text: &str, span: Span) -> Result<EntityRef, PlanError> {
        self.in_time()?;
        let mut found = self.catalog.entities_named(text).map_err(catalog_err)?;
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => {
                self.in_time()?;
                let suggestions = if too_long_to_suggest(text) {
                    Vec::new()
                } else {
                    self.catalog.entity_suggestions(text).map_err(catalog_err)?
                };
                Err(PlanError::new(
                    K::UnknownEntity {
                        text: text.into(),
                        suggestions,
                    },
                    span,
                ))
            }
            _ => Err(PlanError::new(
                K::AmbiguousEntity {
                    text: text.into(),
                    candidates: found.into_iter().map(|e| (e.id, e.name)).collect(),
                },
                span,
            )),
        }
    }

    fn kind(&mut self, kind: &ast::Ident) -> Result<String, PlanError> {
        if self.kinds.is_none() {
            self.kinds = Some(self.catalog.kinds().map_err(catalog_err)?);
        }
        let kinds = self.kinds.as_deref().unwrap_or_default();
        let wanted = kind.name.to_lowercase();
        if kinds.contains(&wanted) {
            return Ok(wanted);
        }
        Err(PlanError::new(
            K::UnknownKind {
                kind: kind.name.clone(),
                suggestions: suggest(&wanted, kinds.iter().map(String::as_str)),
            },
            kind.span,
        ))
    }

    fn predicate(
        &mut self,
        p: &ast::Pred,
        scope: &mut Scope,
        negated: bool,
    ) -> Result<PredMatch, PlanError> {
        match &p.kind {
            ast::PredKind::Any => Ok(PredMatch::Any),
            ast::PredKind::Var(name) => {
                if scope.entity_vars.iter().any(|v| v.name == *name) {
                    return Err(PlanError::new(
                        K::VariableKindClash { name: name.clone() },
                        p.span,
                    ));
                }
                if let Some(i) = scope.pred_vars.iter().position(|v| v == name) {
                    if !negated {
                        scope.pred_bound[i] = true;
                    } else if !scope.pred_bound[i] {
                        return Err(PlanError::new(
                            K::UnboundVariable { name: name.clone() },
                            p.span,
                        ));
                    }
                    return Ok(PredMatch::Var(i));
                }
                if negated {
                    return Err(PlanError::new(
                        K::UnboundVariable { name: name.clone() },
                        p.span,
                    ));
                }
                scope.pred_vars.push(name.clone());
                scope.pred_bound.push(true);
                Ok(PredMatch::Var(scope.pred_vars.len() - 1))
            }
            ast::PredKind::Ids(ids) => {
                let mut keys = Vec::new();
                let mut symmetric = Vec::new();
                for id in ids {
                    self.in_time()?;
                    let found = self.catalog.predicate(&id.name).map_err(catalog_err)?;
                    let Some(pred) = found else {
                        let all = self.catalog.predicate_ids().map_err(catalog_err)?;
                        return Err(PlanError::new(
                            K::UnknownPredicate {
                                id: id.name.clone(),
                                suggestions: suggest(&id.name, all.iter().map(String::as_str)),
                            },
                            id.span,
                        ));
                    };
                    if !keys.contains(&pred.key) {
                        keys.push(pred.key);
                        if pred.symmetric {
                            symmetric.push(pred.key);
                        }
                    }
                }
                Ok(PredMatch::Keys { keys, symmetric })
            }
        }
    }

    fn statuses(&self, s: Option<&ast::StatusFilter>) -> Result<Option<Vec<Status>>, PlanError> {
        match s {
            None => Ok(Some(Status::DEFAULT_QUERIED.to_vec())),
            Some(ast::StatusFilter {
                kind: ast::StatusFilterKind::Any,
                ..
            }) => Ok(None),
            Some(ast::StatusFilter {
                kind: ast::StatusFilterKind::Of(words),
                ..
            }) => {
                let mut out: Vec<Status> = Vec::new();
                for w in words {
                    let lower = w.name.to_lowercase();
                    if lower == "any" {
                        return Ok(None);
                    }
                    let Ok(status) = lower.parse::<Status>() else {
                        return Err(PlanError::new(
                            K::UnknownStatus {
                                word: w.name.clone(),
                            },
                            w.span,
                        ));
                    };
                    if !out.contains(&status) {
                        out.push(status);
                    }
                }
                Ok(Some(out))
            }
        }
    }

    // ----- time ----------------------------------------------------------------------

    fn filters(
        &self,
        filters: &[ast::TimeFilter],
        labels: &LabelScope<'_, '_>,
    ) -> Result<Vec<Filter>, PlanError> {
        filters.iter().map(|f| self.filter(f, labels)).collect()
    }

    fn filter(
        &self,
        f: &ast::TimeFilter,
        labels: &LabelScope<'_, '_>,
    ) -> Result<Filter, PlanError> {
        use ast::TimeFilterKind as T;
        let span_test = |certainly: bool| {
            if certainly {
                FilterTest::Within
            } else {
                FilterTest::Overlaps
            }
        };
        let period = |p: &ast::Period| self.period_at(p, labels, 0);
        let (test, (lo, hi)) = match &f.kind {
            T::In(p) | T::On(p) => (span_test(f.certainly), period(p)?),
            T::Within(p) => (FilterTest::Within, period(p)?),
            T::Since(p) => (span_test(f.certainly), (period(p)?.0, Bound::Day(POS_INF))),
            T::Until(p) => (span_test(f.certainly), (Bound::Day(NEG_INF), period(p)?.1)),
            T::Between(a, b) => {
                let lo = period(a)?.0;
                let hi = period(b)?.1;
                if let (Bound::Day(lo), Bound::Day(hi)) = (lo, hi) {
                    if lo > hi {
                        return Err(PlanError::new(
                            K::EmptyPeriod {
                                text: format!("{a} and {b}"),
                            },
                            f.span,
                        ));
                    }
                }
                (span_test(f.certainly), (lo, hi))
            }
            T::AsOf(p) => (
                if f.certainly {
                    FilterTest::CertainlyAsOf
                } else {
                    FilterTest::AsOf
                },
                period(p)?,
            ),
            T::Before(p) => (
                if f.certainly {
                    FilterTest::CertainlyBefore
                } else {
                    FilterTest::Before
                },
                period(p)?,
            ),
            T::After(p) => (
                if f.certainly {
                    FilterTest::CertainlyAfter
                } else {
                    FilterTest::After
                },
                period(p)?,
            ),
        };
        Ok(Filter { test, lo, hi })
    }

    /// A period's first and last day, or for `@label` the labelled relation's earliest
    /// start and latest end.
    fn period_at(
        &self,
        p: &ast::Period,
        labels: &LabelScope<'_, '_>,
        depth: usize,
    ) -> Result<(Bound, Bound), PlanError> {
        match &p.kind {
            ast::PeriodKind::Today => Ok((Bound::Day(self.today), Bound::Day(self.today))),
            ast::PeriodKind::Date { part, text } => {
                let full = match part {
                    None => text.clone(),
                    Some(ast::Part::Early) => format!("early {text}"),
                    Some(ast::Part::Mid) => format!("mid {text}"),
                    Some(ast::Part::Late) => format!("late {text}"),
                };
                let expr = time::parse_date(&full).map_err(|e| {
                    PlanError::new(
                        K::BadDate {
                            text: full.clone(),
                            reason: e.to_string(),
                        },
                        p.span,
                    )
                })?;
                let (lo, hi) = expr.range();
                Ok((Bound::Day(lo), Bound::Day(hi)))
            }
            ast::PeriodKind::Range { from, to } => {
                let lo = match from {
                    Some(a) => self.period_at(a, labels, depth + 1)?.0,
                    None => Bound::Day(NEG_INF),
                };
                let hi = match to {
                    Some(b) => self.period_at(b, labels, depth + 1)?.1,
                    None => Bound::Day(POS_INF),
                };
                if let (Bound::Day(lo), Bound::Day(hi)) = (lo, hi) {
                    if lo > hi {
                        return Err(PlanError::new(
                            K::EmptyPeriod {
                                text: p.to_string(),
                            },
                            p.span,
                        ));
                    }
                }
                Ok((lo, hi))
            }
            ast::PeriodKind::Param(name) => match self.binding(name, p.span)? {
                Binding::Placeholder => Ok((Bound::Day(NEG_INF), Bound::Day(POS_INF))),
                Binding::Value(ast::Arg {
                    kind: ast::ArgKind::Period(inner),
                    ..
                }) if depth < MAX_RUN_DEPTH => self.period_at(&inner, labels, depth + 1),
                Binding::Value(_) => Err(PlanError::new(
                    K::ParameterMismatch {
                        name: name.clone(),
                        expected: "a period",
                    },
                    p.span,
                )),
            },
            ast::PeriodKind::Label(name) => {
                let n = labels.relation(name, p.span)?;
                Ok((Bound::StartOf(n), Bound::EndOf(n)))
            }
        }
    }

    // ----- pipeline ------------------------------------------------------------------

    fn stages(
        &self,
        stages: &[ast::Stage],
        columns: &[ColumnDef],
    ) -> Result<(Vec<Stage>, bool), PlanError> {
        let mut current = columns.to_vec();
        let mut out = Vec::new();
        let mut timeline = false;
        for s in stages {
            let stage = match &s.kind {
                ast::StageKind::Timeline => {
                    timeline = true;
                    continue;
                }
                ast::StageKind::Distinct => Stage::Distinct,
                ast::StageKind::Limit(n) => Stage::Limit(*n),
                ast::StageKind::Show(cols) => Stage::Show(
                    cols.iter()
                        .map(|c| column_index(c, &current))
                        .collect::<Result<_, _>>()?,
                ),
                ast::StageKind::Count(cols) => {
                    // `count by ?x` groups by the entity: its name and its id.
                    let mut by = Vec::new();
                    for c in cols {
                        by.push(column_index(c, &current)?);
                        if let ast::ColumnKind::Var { name, id: false } = &c.kind {
                            let id = format!("{name}.id");
                            if let Some(i) = current.iter().position(|col| col.name == id) {
                                by.push(i);
                            }
                        }
                    }
                    by.dedup();
                    Stage::Count(by)
                }
                ast::StageKind::Sort(keys) => Stage::Sort(
                    keys.iter()
                        .map(|k| Ok((column_index(&k.column, &current)?, k.descending)))
                        .collect::<Result<_, PlanError>>()?,
                ),
            };
            // Repeated limits and distincts collapse into one.
            match (out.last_mut(), &stage) {
                (Some(Stage::Limit(prev)), Stage::Limit(n)) => {
                    *prev = (*prev).min(*n);
                    continue;
                }
                (Some(Stage::Distinct), Stage::Distinct) => continue,
                _ => {}
            }
            if out.len() >= MAX_STAGES {
                return Err(PlanError::new(
                    K::TooComplex {
                        reason: format!("more than {MAX_STAGES} pipeline stages"),
                    },
                    s.span,
                ));
            }
            current = after_stage(&current, &stage);
            out.push(stage);
        }
        Ok((out, timeline))
    }

    // ----- path ----------------------------------------------------------------------

    fn path(&mut self, p: &ast::PathQuery) -> Result<PathPlan, PlanError> {
        let mut scope = Scope::default();
        let from = self.path_end(&p.from)?;
        let to = self.path_end(&p.to)?;
        let max_hops = match p.max {
            None => PATH_DEFAULT_HOPS,
            Some(n) if (1..=PATH_MAX_HOPS as u64).contains(&n) => n as u32,
            Some(_) => {
                return Err(PlanError::new(
                    K::TooManyHops {
                        max: PATH_MAX_HOPS as u64,
                    },
                    p.span,
                ))
            }
        };
        let via = if p.via.is_empty() {
            None
        } else {
            let pred = ast::Pred {
                kind: ast::PredKind::Ids(p.via.clone()),
                span: p.span,
            };
            match self.predicate(&pred, &mut scope, false)? {
                PredMatch::Keys { keys, .. } => Some(keys),
                _ => None,
            }
        };
        let statuses = self.statuses(p.status.as_ref())?;
        let columns: Vec<ColumnDef> = path_columns()
            .into_iter()
            .map(|name| ColumnDef {
                name: name.into(),
                source: ColumnSource::Count,
                ty: if name == "hops" {
                    ColumnType::Integer
                } else {
                    ColumnType::Text
                },
            })
            .collect();
        let (stages, _) = self.stages(&p.stages, &columns)?;
        Ok(PathPlan {
            from,
            to,
            max_hops,
            via,
            statuses,
            stages,
        })
    }

    fn path_end(&mut self, t: &ast::Term) -> Result<EntityRef, PlanError> {
        let mismatch = |name: String| {
            PlanError::new(
                K::ParameterMismatch {
                    name,
                    expected: "an entity (a path joins two named entities)",
                },
                t.span,
            )
        };
        match &t.kind {
            ast::TermKind::Name(s) | ast::TermKind::Text(s) => self.entity(s, t.span),
            ast::TermKind::Param(name) => match self.binding(name, t.span)? {
                Binding::Placeholder => Ok(EntityRef {
                    key: -1,
                    id: String::new(),
                    name: String::new(),
                    kind: String::new(),
                }),
                Binding::Value(ast::Arg {
                    kind:
                        ast::ArgKind::Term(ast::Term {
                            kind: ast::TermKind::Name(s) | ast::TermKind::Text(s),
                            ..
                        }),
                    ..
                }) => self.entity(&s, t.span),
                Binding::Value(_) => Err(mismatch(name.clone())),
            },
            _ => Err(mismatch(t.to_string())),
        }
    }

    // ----- saved queries ---------------------------------------------------------------

    fn save(&mut self, s: &ast::SaveQuery, text: &str) -> Result<Plan, PlanError> {
        let mut params: Vec<String> = Vec::new();
        for p in &s.params {
            let name = p.name.trim_start_matches('$').to_string();
            if params.contains(&name) {
                return Err(PlanError::new(K::DuplicateParameter { name }, p.span));
            }
            params.push(name);
        }
        let body_text = text
            .get(s.body.span.start..s.body.span.end)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| s.body.to_string());
        // Check the body now: syntax was checked by the parser; predicates, kinds,
        // entities named in it and the use of parameters are checked here.
        let mut checker = Resolver {
            catalog: self.catalog,
            bindings: params
                .iter()
                .map(|p| (p.clone(), Binding::Placeholder))
                .collect(),
            kinds: self.kinds.clone(),
            depth: self.depth + 1,
            running: self.running.clone(),
            deadline: self.deadline,
            today: self.today,
        };
        checker.statement(&s.body, text)?;
        Ok(Plan::Save {
            replace: s.replace,
            name: s.name.name.clone(),
            params,
            body: body_text,
        })
    }

    fn run(&mut self, r: &ast::RunQuery) -> Result<Plan, PlanError> {
        let mut chain = self.running.clone();
        chain.push(r.name.name.clone());
        // A saved query that runs itself, directly or through others, never ends: said
        // at once, with the loop.
        if let Some(first) = self.running.iter().position(|n| *n == r.name.name) {
            return Err(PlanError::new(
                K::RunLoop {
                    chain: chain.split_off(first),
                },
                r.span,
            ));
        }
        if self.depth >= MAX_RUN_DEPTH {
            return Err(PlanError::new(K::RunTooDeep { chain }, r.span));
        }
        self.in_time()?;
        let saved = self
            .catalog
            .saved_query(&r.name.name)
            .map_err(catalog_err)?
            .ok_or_else(|| {
                PlanError::new(
                    K::UnknownSavedQuery {
                        name: r.name.name.clone(),
                        suggestions: Vec::new(),
                    },
                    r.name.span,
                )
            })?;
        if saved.params.len() != r.args.len() {
            return Err(PlanError::new(
                K::WrongArgumentCount {
                    name: saved.name.clone(),
                    expected: saved.params.len(),
                    given: r.args.len(),
                },
                r.span,
            ));
        }
        let body = crate::lang::parse(&saved.body).map_err(|e| {
            PlanError::new(
                K::SavedQueryBody {
                    name: saved.name.clone(),
                    message: e.to_string(),
                },
                r.span,
            )
        })?;
        // Arguments that are themselves parameters (inside another saved query) take
        // their values from this level.
        let mut bindings = HashMap::new();
        for (name, arg) in saved.params.iter().zip(&r.args) {
            let value = match &arg.kind {
                ast::ArgKind::Term(ast::Term {
                    kind: ast::TermKind::Param(p),
                    ..
                })
                | ast::ArgKind::Period(ast::Period {
                    kind: ast::PeriodKind::Param(p),
                    ..
                }) => self.binding(p, arg.span)?,
                _ => Binding::Value(arg.clone()),
            };
            bindings.insert(name.clone(), value);
        }
        let mut inner = Resolver {
            catalog: self.catalog,
            bindings,
            kinds: self.kinds.clone(),
            depth: self.depth + 1,
            running: chain,
            deadline: self.deadline,
            today: self.today,
        };
        // Errors inside the body point into the body's text, not this statement's:
        // report them at the `run` with the body's message. Errors of the whole chain of
        // saved queries (a loop, too deep) and a stop are passed on as they are, at this
        // `run`, so they are said once.
        let plan = inner.statement(&body, &saved.body).map_err(|e| {
            if matches!(e.kind, K::Catalog(_)) {
                e
            } else if matches!(
                e.kind,
                K::RunLoop { .. } | K::RunTooDeep { .. } | K::Stopped(_)
            ) {
                PlanError::new(e.kind, r.span)
            } else {
                PlanError::new(
                    K::SavedQueryBody {
                        name: saved.name.clone(),
                        message: match e.hint() {
                            Some(h) => format!("{e}; {h}"),
                            None => e.to_string(),
                        },
                    },
                    r.span,
                )
            }
        })?;
        match plan {
            Plan::Select(mut sel) => {
                let mut current = sel.columns.clone();
                for s in &sel.stages {
                    current = after_stage(&current, s);
                }
                let (more, timeline) = self.stages(&r.stages, &current)?;
                sel.stages.extend(more);
                sel.timeline |= timeline;
                Ok(Plan::Select(sel))
            }
            Plan::Path(mut p) => {
                let mut current: Vec<ColumnDef> = path_columns()
                    .into_iter()
                    .map(|name| ColumnDef {
                        name: name.into(),
                        source: ColumnSource::Count,
                        ty: ColumnType::Text,
                    })
                    .collect();
                for s in &p.stages {
                    current = after_stage(&current, s);
                }
                let (more, _) = self.stages(&r.stages, &current)?;
                p.stages.extend(more);
                Ok(Plan::Path(p))
            }
            other => Ok(other),
        }
    }
}

/// Marks each relation clause that has a known entity, or a variable that another
/// clause also uses, at one of its ends.
fn anchor(clauses: &mut [Clause], vars: usize) {
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

fn column_index(c: &ast::Column, columns: &[ColumnDef]) -> Result<usize, PlanError> {
    let name = match &c.kind {
        ast::ColumnKind::Var { name, id: false } => name.clone(),
        ast::ColumnKind::Var { name, id: true } => format!("{name}.id"),
        ast::ColumnKind::Named(n) => n.clone(),
    };
    columns
        .iter()
        .position(|col| col.name == name)
        .or_else(|| {
            let lower = name.to_lowercase();
            columns
                .iter()
                .position(|col| col.name.to_lowercase() == lower)
        })
        .ok_or_else(|| {
            PlanError::new(
                K::UnknownColumn {
                    name,
                    available: columns.iter().map(|c| c.name.clone()).collect(),
                },
                c.span,
            )
        })
}

/// The closest few of `candidates` to `text`; none for a name too long to compare.
fn suggest<'a>(text: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    if too_long_to_suggest(text) {
        return Vec::new();
    }
    let norm = crate::names::normalise(text);
    let pairs: Vec<(&str, String)> = candidates
        .map(|c| (c, crate::names::normalise(c)))
        .collect();
    crate::names::suggest(&norm, pairs.iter().map(|(d, n)| (*d, n.as_str())), 3)
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
