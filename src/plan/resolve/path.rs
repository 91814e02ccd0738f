//! `path A to B`: its ends, hops, predicates and statuses.

// One part of the resolver: its state, types and imports are the parent module's.
use super::*;

impl Resolver<'_> {
    pub(super) fn path(&mut self, p: &ast::PathQuery) -> Result<PathPlan, PlanError> {
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
            recorded: None,
        })
    }

    pub(super) fn path_end(&mut self, t: &ast::Term) -> Result<EntityRef, PlanError> {
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
}
