//! Saved queries that reach the store other than through `save` (an imported
//! `saved_query` record): checked exactly as `save` checks them, by handing the statement
//! `save NAME(p, …) = BODY` to the same parser and planner, so that a saved query the
//! language would refuse (bad syntax, a name that is a keyword, a parameter listed twice,
//! an unknown entity, predicate or kind, a body that runs a saved query) never enters the
//! store to fail only when it is run.

use crate::lang::{self, ast, ParseError};
use crate::plan::{self, Catalog, PlanError, SavedQuery};

/// A saved query given as name, parameters and body, parsed as the statement `save …`.
/// [`SaveStatement::parse`] checks what the parser checks (syntax, the name, the
/// parameters); [`SaveStatement::check`] what the planner checks against a store.
pub(in crate::store) struct SaveStatement {
    layout: Layout,
    statement: ast::Statement,
    name: String,
    params: Vec<String>,
}

/// The text of the statement `save …` and where its parts begin.
struct Layout {
    /// `save NAME(p, …) =` and a line break, then the body: the body starts a line of its
    /// own, so positions in it read as they would in the body alone.
    text: String,
    /// Where the parameter list starts (its `(`).
    params_at: usize,
    /// Where the body starts.
    body_at: usize,
}

/// Why a saved query is refused.
#[derive(Debug)]
pub(in crate::store) enum SavedFault {
    /// The query is not one `save` accepts: the field at fault and why.
    Refused { field: &'static str, reason: String },
    /// The store could not be read while checking the body.
    Catalog(String),
}

impl SaveStatement {
    /// Parses the statement `save NAME(params) = BODY` as `save` parses it.
    pub(in crate::store) fn parse(
        name: &str,
        params: &[&str],
        body: &str,
    ) -> Result<SaveStatement, SavedFault> {
        // The name and each parameter must be one word: anything else could move where
        // the statement's parts begin and end (a `(`, `=` or `#` in a name).
        if !lang::is_identifier(name) {
            return Err(refused(
                "name",
                format!(
                    "`{name}` cannot name a saved query: a name is one word of letters, digits \
                     and `_` (such as `visitors`)"
                ),
            ));
        }
        if let Some(bad) = params.iter().find(|p| !lang::is_identifier(p)) {
            return Err(refused(
                "params",
                format!(
                    "`{bad}` cannot name a parameter: a parameter is one word of letters, \
                     digits and `_`, written without `$` (such as `place`)"
                ),
            ));
        }
        let head = format!("save {name}");
        let params_at = head.len();
        let head = format!("{head}({}) =\n", params.join(", "));
        let layout = Layout {
            body_at: head.len(),
            text: head + body,
            params_at,
        };
        let statement = lang::parse(&layout.text).map_err(|e| layout.parse_fault(e))?;
        Ok(SaveStatement {
            layout,
            statement,
            name: name.to_string(),
            params: params.iter().map(|p| p.to_string()).collect(),
        })
    }

    /// Checks the body against `catalog` as `save` does, and gives the saved query as
    /// `save` would store it (the body without the spaces and comments around it).
    pub(in crate::store) fn check(&self, catalog: &dyn Catalog) -> Result<SavedQuery, SavedFault> {
        let no_params = Default::default();
        // An import has no deadline: it is all or nothing, and Ctrl-C rolls it back. A
        // saved body is checked, not run: `today` in it is resolved when it runs.
        let deadline = crate::deadline::Deadline::none();
        let ctx = plan::Context {
            params: &no_params,
            deadline: &deadline,
            today: crate::time::today(),
        };
        let plan = plan::resolve(&self.statement, &self.layout.text, catalog, &ctx)
            .map_err(|e| self.layout.plan_fault(e))?;
        let plan::Plan::Save {
            name, params, body, ..
        } = plan
        else {
            return Err(refused("body", "it is not a saved query".to_string()));
        };
        // The name and parameters are single words, so `save` reads them as given; should
        // it ever read them otherwise, the record is refused rather than stored altered.
        if name != self.name {
            return Err(refused("name", format!("`save` reads it as `{name}`")));
        }
        if params != self.params {
            return Err(refused(
                "params",
                format!("`save` reads them as ({})", params.join(", ")),
            ));
        }
        Ok(SavedQuery { name, params, body })
    }
}

impl Layout {
    /// The field a position of the text lies in.
    fn field_at(&self, offset: usize) -> &'static str {
        if offset >= self.body_at {
            "body"
        } else if offset >= self.params_at {
            "params"
        } else {
            "name"
        }
    }

    /// Line and column (1-based) of `offset` within the body.
    fn body_position(&self, offset: usize) -> (usize, usize) {
        let body = self.text.get(self.body_at..).unwrap_or_default();
        lang::line_col(body, offset.saturating_sub(self.body_at))
    }

    fn parse_fault(&self, mut e: ParseError) -> SavedFault {
        match self.field_at(e.span.start) {
            "body" => {
                let (line, col) = self.body_position(e.span.start);
                e.line = u32::try_from(line).unwrap_or(u32::MAX);
                e.col = u32::try_from(col).unwrap_or(u32::MAX);
                refused("body", e.to_string())
            }
            // Positions in the made-up statement would mean nothing to the reader of the
            // file: the words alone.
            field => {
                let found = e.found.map(|f| format!(", found {f}")).unwrap_or_default();
                let hint = match (field, e.hint) {
                    ("name", Some(h)) => format!(" ({h})"),
                    _ => String::new(),
                };
                refused(field, format!("{}{found}{hint}", e.message))
            }
        }
    }

    fn plan_fault(&self, e: PlanError) -> SavedFault {
        if !e.is_user_error() {
            return SavedFault::Catalog(e.to_string());
        }
        let hint = e.hint().map(|h| format!(" ({h})")).unwrap_or_default();
        match e.span {
            Some(span) if span.start >= self.body_at => {
                let (line, col) = self.body_position(span.start);
                refused("body", format!("{e} at {line}:{col}{hint}"))
            }
            Some(span) => refused(self.field_at(span.start), format!("{e}{hint}")),
            None => refused("body", format!("{e}{hint}")),
        }
    }
}

fn refused(field: &'static str, reason: String) -> SavedFault {
    SavedFault::Refused { field, reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::test_catalog::TestCatalog;

    fn check(name: &str, params: &[&str], body: &str) -> Result<SavedQuery, SavedFault> {
        SaveStatement::parse(name, params, body)?.check(&TestCatalog::new())
    }

    fn refusal(result: Result<SavedQuery, SavedFault>) -> (&'static str, String) {
        match result {
            Err(SavedFault::Refused { field, reason }) => (field, reason),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_good_query_is_stored_as_save_stores_it() {
        let saved = check(
            "visitors",
            &["place"],
            "  ?who visited $place  # who came\n",
        )
        .unwrap();
        assert_eq!(saved.name, "visitors");
        assert_eq!(saved.params, ["place"]);
        assert_eq!(saved.body, "?who visited $place");
    }

    #[test]
    fn each_refusal_names_its_field() {
        let (field, reason) = refusal(check("run", &[], "?x visited ?y"));
        assert_eq!(field, "name");
        assert!(reason.contains("keyword"), "{reason}");
        let (field, reason) = refusal(check("my query", &[], "?x visited ?y"));
        assert_eq!(field, "name");
        assert!(reason.contains("`my query`"), "{reason}");
        let (field, reason) = refusal(check("q", &["p", "p"], "?x visited $p"));
        assert_eq!(field, "params");
        assert!(reason.contains("listed twice"), "{reason}");
        assert_eq!(refusal(check("q", &["$p"], "?x visited $p")).0, "params");
        let (field, reason) = refusal(check("q", &[], "?x visited"));
        assert_eq!(field, "body");
        assert!(reason.contains("at 1:"), "{reason}");
        let (field, reason) = refusal(check("q", &[], "?x visited\n  Bakku"));
        assert_eq!(field, "body");
        assert!(reason.contains("at 2:3"), "{reason}");
        assert_eq!(refusal(check("q", &[], "run q()")).0, "body");
        assert_eq!(refusal(check("q", &[], "?x visited $nope")).0, "body");
    }
}
