//! Forgetting where a statement was written: resetting every span of a tree to the
//! default, so that trees parsed from different texts compare by structure alone.

use super::ast::*;

/// Sets every span in `statement` to `Span::default()`.
pub fn clear_spans(statement: &mut Statement) {
    statement.span = Span::default();
    match &mut statement.kind {
        StatementKind::Query(query) => clear_query(query),
        StatementKind::Path(path) => clear_path(path),
        StatementKind::Save(save) => {
            save.span = Span::default();
            clear_ident(&mut save.name);
            save.params.iter_mut().for_each(clear_ident);
            // A body is a query or a path, never another `save`: this recursion has
            // depth one on trees from the parser.
            clear_spans(&mut save.body);
        }
        StatementKind::Run(run) => {
            run.span = Span::default();
            clear_ident(&mut run.name);
            for arg in &mut run.args {
                arg.span = Span::default();
                match &mut arg.kind {
                    ArgKind::Term(term) => clear_term(term),
                    ArgKind::Period(period) => clear_period(period),
                }
            }
            clear_stages(&mut run.stages);
        }
        StatementKind::Saved => {}
        StatementKind::Drop(name) => clear_ident(name),
    }
}

fn clear_ident(ident: &mut Ident) {
    ident.span = Span::default();
}

fn clear_query(query: &mut Query) {
    query.span = Span::default();
    query.clauses.iter_mut().for_each(clear_clause);
    clear_stages(&mut query.stages);
}

fn clear_path(path: &mut PathQuery) {
    path.span = Span::default();
    clear_term(&mut path.from);
    clear_term(&mut path.to);
    path.via.iter_mut().for_each(clear_ident);
    if let Some(status) = &mut path.status {
        clear_status(status);
    }
    clear_stages(&mut path.stages);
}

fn clear_clause(mut clause: &mut Clause) {
    // `not` chains are walked in a loop.
    loop {
        clause.span = Span::default();
        match &mut clause.kind {
            ClauseKind::Not(inner) => clause = inner,
            ClauseKind::Relation {
                subject,
                predicate,
                object,
                label,
                filters,
                status,
            } => {
                clear_term(subject);
                predicate.span = Span::default();
                if let PredKind::Ids(ids) = &mut predicate.kind {
                    ids.iter_mut().for_each(clear_ident);
                }
                clear_term(object);
                clear_label(label);
                clear_filters(filters, status);
                return;
            }
            ClauseKind::Between {
                left,
                right,
                label,
                filters,
                status,
            } => {
                clear_term(left);
                clear_term(right);
                clear_label(label);
                clear_filters(filters, status);
                return;
            }
            ClauseKind::Kind { var, kind } => {
                clear_ident(var);
                clear_ident(kind);
                return;
            }
        }
    }
}

fn clear_label(label: &mut Option<Label>) {
    if let Some(label) = label {
        label.span = Span::default();
    }
}

fn clear_term(term: &mut Term) {
    term.span = Span::default();
    if let TermKind::Var {
        kind: Some(kind), ..
    } = &mut term.kind
    {
        clear_ident(kind);
    }
}

fn clear_filters(filters: &mut [TimeFilter], status: &mut Option<StatusFilter>) {
    for filter in filters {
        filter.span = Span::default();
        match &mut filter.kind {
            TimeFilterKind::In(p)
            | TimeFilterKind::On(p)
            | TimeFilterKind::Within(p)
            | TimeFilterKind::Since(p)
            | TimeFilterKind::Until(p)
            | TimeFilterKind::AsOf(p)
            | TimeFilterKind::Before(p)
            | TimeFilterKind::After(p) => clear_period(p),
            TimeFilterKind::Between(a, b) => {
                clear_period(a);
                clear_period(b);
            }
        }
    }
    if let Some(status) = status {
        clear_status(status);
    }
}

fn clear_status(status: &mut StatusFilter) {
    status.span = Span::default();
    if let StatusFilterKind::Of(words) = &mut status.kind {
        words.iter_mut().for_each(clear_ident);
    }
}

fn clear_period(period: &mut Period) {
    // Ranges are walked with an explicit stack, whatever their nesting.
    let mut stack = vec![period];
    while let Some(period) = stack.pop() {
        period.span = Span::default();
        if let PeriodKind::Range { from, to } = &mut period.kind {
            stack.extend(from.as_deref_mut());
            stack.extend(to.as_deref_mut());
        }
    }
}

fn clear_stages(stages: &mut [Stage]) {
    for stage in stages {
        stage.span = Span::default();
        match &mut stage.kind {
            StageKind::Show(columns) | StageKind::Count(columns) => {
                columns.iter_mut().for_each(|c| c.span = Span::default());
            }
            StageKind::Sort(keys) => {
                for key in keys {
                    key.span = Span::default();
                    key.column.span = Span::default();
                }
            }
            StageKind::Limit(_) | StageKind::Distinct | StageKind::Timeline => {}
        }
    }
}
