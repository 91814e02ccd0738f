//! Names and terms: entities, variables, parameters, kinds, predicates and statuses.

// One part of the resolver: its state, types and imports are the parent module's.
use super::*;

impl Resolver<'_> {
    pub(super) fn node(
        &mut self,
        t: &ast::Term,
        scope: &mut Scope,
        negated: bool,
    ) -> Result<Node, PlanError> {
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
                    // An unknown name is the argument's fault: said where it was written.
                    ast::TermKind::Name(s) | ast::TermKind::Text(s) => {
                        match self.entity(s, term.span) {
                            Ok(entity) => Ok(Node::Entity(entity.key)),
                            Err(mut e) => {
                                e.argument = true;
                                Err(e)
                            }
                        }
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

    pub(super) fn binding(&self, name: &str, span: Span) -> Result<Binding, PlanError> {
        self.bindings
            .get(name)
            .cloned()
            .ok_or_else(|| PlanError::new(K::UnknownParameter { name: name.into() }, span))
    }

    pub(super) fn entity(&self, text: &str, span: Span) -> Result<EntityRef, PlanError> {
        self.in_time()?;
        let mut found = match self.recorded {
            None => self.catalog.entities_named(text).map_err(catalog_err)?,
            Some(at) => self
                .catalog
                .entities_named_at(text, at)
                .map_err(catalog_err)?,
        };
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => {
                self.in_time()?;
                // No name is `text`: a whole word of exactly one entity's names will do.
                let mut by_word = self
                    .catalog
                    .entities_by_word(text, self.recorded, MAX_CANDIDATES + 1)
                    .map_err(catalog_err)?;
                match by_word.len() {
                    0 => {}
                    1 => {
                        let e = by_word.remove(0);
                        self.note(format!(
                            "`{}` is taken as {} ({}, {}): the one entity with that word in its names",
                            clip(text),
                            e.name,
                            e.id,
                            e.kind
                        ));
                        return Ok(e);
                    }
                    _ => return Err(self.ambiguous(text, by_word, true, span)),
                }
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
            _ => Err(self.ambiguous(text, found, false, span)),
        }
    }

    /// The error of a name that several entities answer to, listing at most
    /// [`MAX_CANDIDATES`] of them with what tells them apart.
    fn ambiguous(
        &self,
        text: &str,
        mut found: Vec<EntityRef>,
        by_word: bool,
        span: Span,
    ) -> PlanError {
        let more = found.len() > MAX_CANDIDATES;
        found.truncate(MAX_CANDIDATES);
        let candidates = match self.catalog.candidates(&found, text) {
            Ok(candidates) => candidates,
            Err(e) => return catalog_err(e),
        };
        PlanError::new(
            K::AmbiguousEntity {
                text: text.into(),
                candidates,
                by_word,
                more,
            },
            span,
        )
    }

    pub(super) fn kind(&mut self, kind: &ast::Ident) -> Result<String, PlanError> {
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

    pub(super) fn predicate(
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
                scope
                    .order
                    .push(VarRef::Predicate(scope.pred_vars.len() - 1));
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

    pub(super) fn statuses(
        &self,
        s: Option<&ast::StatusFilter>,
    ) -> Result<Option<Vec<Status>>, PlanError> {
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
}
