//! Pipeline stages and the columns they name.

// One part of the resolver: its state, types and imports are the parent module's.
use super::*;

impl Resolver<'_> {
    pub(super) fn stages(
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
}

pub(super) fn column_index(c: &ast::Column, columns: &[ColumnDef]) -> Result<usize, PlanError> {
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
