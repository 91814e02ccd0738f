//! Statement → plan: entity references, predicates, kinds and periods resolved against
//! the catalog; variables numbered; the columns of each stage worked out.
//!
//! Here: the entry point, the resolver's state and the statement dispatch; the
//! submodules each add the resolver's methods for one part of the language.

use std::cell::RefCell;
use std::collections::HashMap;

use super::columns::{after_stage, ColumnDef, ColumnSource, ColumnType, RelField};
use super::error::{PlanError, PlanErrorKind as K};
use super::*;
use crate::deadline::Deadline;
use crate::lang::ast::{self, Span};
use crate::lang::clip;
use crate::limits::{MAX_RUN_DEPTH, MAX_STAGES};
use crate::model::Status;
use crate::names::too_long_to_suggest;
use crate::time::{self, NEG_INF, POS_INF};

mod clauses;
mod fields;
mod history;
mod labels;
mod lookups;
mod path;
mod periods;
mod saved;
mod stages;
mod terms;
mod writes;

use labels::{labels_of, LabelDef, LabelScope};

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
    resolve_noting(stmt, text, catalog, ctx).map(|(plan, _)| plan)
}

/// As [`resolve`], with the notes the user should see beside the result (a name taken
/// as the one entity with that word in its names), each once, in order.
pub fn resolve_noting(
    stmt: &ast::Statement,
    text: &str,
    catalog: &dyn Catalog,
    ctx: &Context<'_>,
) -> Result<(Plan, Vec<String>), PlanError> {
    let bindings = ctx
        .params
        .iter()
        .map(|(k, v)| (k.clone(), Binding::Value(v.clone())))
        .collect();
    let notes = RefCell::new(Vec::new());
    let plan = Resolver {
        catalog,
        bindings,
        kinds: None,
        depth: 0,
        running: Vec::new(),
        deadline: ctx.deadline,
        today: ctx.today,
        recorded: None,
        notes: &notes,
    }
    .statement(stmt, text)?;
    Ok((plan, notes.into_inner()))
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
    /// The statement's `as recorded …`: names then resolve through the merges in force
    /// at that moment, not today's.
    recorded: Option<Recorded>,
    /// What the user should be told beside the result ([`resolve_noting`]).
    notes: &'c RefCell<Vec<String>>,
}

/// Variables met so far in one query.
#[derive(Default)]
struct Scope {
    entity_vars: Vec<EntityVar>,
    pred_vars: Vec<String>,
    /// Variables bound by clauses outside `not`.
    bound: Vec<bool>,
    pred_bound: Vec<bool>,
    /// Entity and predicate variables in the order they are first written.
    order: Vec<VarRef>,
}

/// A variable of either sort, by its number.
#[derive(Debug, Clone, Copy)]
enum VarRef {
    Entity(usize),
    Predicate(usize),
}

fn catalog_err(e: CatalogError) -> PlanError {
    PlanError::whole(K::Catalog(e.0))
}

/// How many entities an ambiguity error lists.
const MAX_CANDIDATES: usize = 10;

impl<'c> Resolver<'c> {
    /// Keeps `note` for the user, once.
    fn note(&self, note: String) {
        let mut notes = self.notes.borrow_mut();
        if !notes.contains(&note) {
            notes.push(note);
        }
    }

    /// An error once the statement's deadline has passed.
    fn in_time(&self) -> Result<(), PlanError> {
        self.deadline
            .check()
            .map_err(|stop| PlanError::whole(K::Stopped(stop)))
    }

    fn statement(&mut self, stmt: &ast::Statement, text: &str) -> Result<Plan, PlanError> {
        let recorded = self.recorded(stmt.recorded.as_ref())?;
        // A saved query run `as recorded …` inherits the moment of its `run`.
        if recorded.is_some() {
            self.recorded = recorded;
        }
        let mut plan = self.statement_kind(stmt, text)?;
        if let (Some(r), Some(span)) = (recorded, stmt.recorded.as_ref().map(|r| r.span)) {
            match &mut plan {
                Plan::Select(s) => {
                    let fixed = history::fixed_entities(s);
                    s.recorded = Some(self.as_recorded(r, fixed.as_deref())?);
                }
                Plan::Path(p) => p.recorded = Some(self.as_recorded(r, None)?),
                Plan::History(h) => h.recorded = Some(r),
                _ => return Err(PlanError::new(K::RecordedNotHere, span)),
            }
        }
        Ok(plan)
    }

    fn statement_kind(&mut self, stmt: &ast::Statement, text: &str) -> Result<Plan, PlanError> {
        match &stmt.kind {
            ast::StatementKind::Write(w) => Ok(Plan::Write(Box::new(self.write(w, text)?))),
            ast::StatementKind::Begin => Ok(Plan::Begin),
            ast::StatementKind::Commit => Ok(Plan::Commit),
            ast::StatementKind::Rollback => Ok(Plan::Rollback),
            ast::StatementKind::History(h) => Ok(Plan::History(self.history(h)?)),
            ast::StatementKind::Changes(c) => Ok(Plan::Changes(self.changes(c)?)),
            ast::StatementKind::Lookup(l) => Ok(Plan::Lookup(self.lookup(l)?)),
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
