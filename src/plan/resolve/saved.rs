//! Saved queries: `save` checks a body before it is stored, `run` plans one with its
//! arguments.

// One part of the resolver: its state, types and imports are the parent module's.
use super::*;

impl Resolver<'_> {
    pub(super) fn save(&mut self, s: &ast::SaveQuery, text: &str) -> Result<Plan, PlanError> {
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
            recorded: self.recorded,
            notes: self.notes,
        };
        checker.statement(&s.body, text)?;
        Ok(Plan::Save {
            replace: s.replace,
            name: s.name.name.clone(),
            params,
            body: body_text,
        })
    }

    pub(super) fn run(&mut self, r: &ast::RunQuery) -> Result<Plan, PlanError> {
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
                let names = self.catalog.saved_names().unwrap_or_default();
                PlanError::new(
                    K::UnknownSavedQuery {
                        name: r.name.name.clone(),
                        suggestions: super::suggest(&r.name.name, names.iter().map(String::as_str)),
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
            recorded: self.recorded,
            notes: self.notes,
        };
        // Errors inside the body point into the body's text, not this statement's:
        // report them at the `run` with the body's message. Errors of the whole chain of
        // saved queries (a loop, too deep) and a stop are passed on as they are, at this
        // `run`, so they are said once.
        let plan = inner.statement(&body, &saved.body).map_err(|mut e| {
            if matches!(e.kind, K::Catalog(_)) {
                e
            } else if e.argument {
                // An argument written here is this text's: the error points at it as it
                // is. One passed on from a parameter was written further up.
                let written_here = r.args.iter().any(|a| {
                    e.span
                        .is_some_and(|s| a.span.start <= s.start && s.end <= a.span.end)
                        && !is_param(a)
                });
                if written_here {
                    e.argument = false;
                }
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

/// Is this `run` argument a parameter (`$p`) of the text around it?
fn is_param(arg: &ast::Arg) -> bool {
    matches!(
        &arg.kind,
        ast::ArgKind::Term(ast::Term {
            kind: ast::TermKind::Param(_),
            ..
        }) | ast::ArgKind::Period(ast::Period {
            kind: ast::PeriodKind::Param(_),
            ..
        })
    )
}
