//! The grammar: tokens from [`super::lex`] → one [`Statement`], by recursive descent
//! with one token of look-ahead, recording what was expected at the furthest position
//! reached so that errors point at the real culprit.
//!
//! Nothing here recurses on the user's input except `not`, which is unrolled into a
//! loop and capped at [`MAX_NOT_DEPTH`]; everything else is iterative, so no input can
//! overflow the stack.

use super::ast::*;
use super::error::ParseError;
use super::keywords::{
    self as kw, is_clause_keyword, is_stage_keyword, is_statement_keyword, is_status_word,
};
use super::lex::{lex, Token, TokenKind};

/// How many `not` may be stacked on one clause.
pub const MAX_NOT_DEPTH: usize = 64;

const CLAUSE: &str = "a clause (S P O, S -- O, ?x:kind or not …)";
const TERM: &str = "a term (?var, _, a name or \"text\")";
const PRED: &str = "a predicate (an id, id|id, ?var or *)";
const PRED_ID: &str = "a predicate id";
const DASHES: &str = "`--`";
const FILTER: &str =
    "a time filter (in, on, within, since, until, between, as of, before or after)";
const STATUS_KW: &str = "`status`";
const STATUS: &str = "a status (occurred, planned, alleged, denied or any)";
const PERIOD: &str = "a period (such as 2024, 2024-05, early 2025, today, A..B or $param)";
/// A period in a time filter, where a label may stand for one.
const FILTER_PERIOD: &str =
    "a period (such as 2024, 2024-05, early 2025, today, A..B, $param or @label)";
const LABEL: &str = "a label (@name)";
const DATE: &str = "a date (such as 2024 or 2024-05)";
const COMMA: &str = "`,`";
const PIPE: &str = "`|`";
const END: &str = "the end of the query";
const STAGE: &str = "a stage (show, sort, limit, count, distinct or timeline)";
const COLUMN: &str = "a column (?var, ?var.id or a name such as when)";
const NUMBER: &str = "a whole number";
const SAVED_NAME: &str = "a saved query name";
const PARAM: &str = "a parameter name";
const ARG: &str = "an argument (a term or a period)";

/// Parses one statement of the query language (see LANGUAGE.md).
///
/// Never panics and never recurses deeper than a small bound, whatever `text` holds.
pub fn parse(text: &str) -> Result<Statement, ParseError> {
    let tokens = lex(text)?;
    let mut parser = Parser {
        source: text,
        tokens,
        pos: 0,
        last_end: 0,
        furthest: 0,
        expected: Vec::new(),
        hint: None,
    };
    parser.statement().map_err(|fail| parser.error(fail))
}

/// Why a parsing function gave up.
enum Fail {
    /// Nothing fitted: the parser's recorded expectations say what could have.
    Expected,
    /// A specific error.
    Error(Box<ParseError>),
}

type PResult<T> = Result<T, Fail>;

struct Parser<'a> {
    source: &'a str,
    tokens: Vec<Token<'a>>,
    /// Index of the next token.
    pos: usize,
    /// End of the last token consumed.
    last_end: usize,
    /// Token index where `expected` was recorded.
    furthest: usize,
    expected: Vec<&'static str>,
    hint: Option<String>,
}

impl<'a> Parser<'a> {
    // ---- Token access ----

    fn peek(&self) -> Option<&Token<'a>> {
        self.tokens.get(self.pos)
    }

    fn peek_kind(&self) -> Option<&TokenKind> {
        self.peek().map(|t| &t.kind)
    }

    fn peek_nth(&self, n: usize) -> Option<&Token<'a>> {
        self.tokens.get(self.pos + n)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    /// Byte offset where the next token starts (the text's end past the last token).
    fn here(&self) -> usize {
        self.peek().map_or(self.source.len(), |t| t.span.start)
    }

    fn span_from(&self, start: usize) -> Span {
        Span::new(start, self.last_end.max(start))
    }

    fn bump(&mut self) -> Token<'a> {
        let token = self.tokens[self.pos].clone();
        self.pos += 1;
        self.last_end = token.span.end;
        token
    }

    /// Is the next token the keyword `keyword` (any case)?
    fn at_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Some(t) if t.kind == TokenKind::Word && t.text.eq_ignore_ascii_case(keyword))
    }

    /// The word of `words` that the next token is (any case), if it is one of them.
    fn keyword_in(&self, words: &'static [&'static str]) -> Option<&'static str> {
        let token = self.peek().filter(|t| t.kind == TokenKind::Word)?;
        words
            .iter()
            .copied()
            .find(|k| k.eq_ignore_ascii_case(token.text))
    }

    fn at_kind(&self, kind: &TokenKind) -> bool {
        self.peek_kind() == Some(kind)
    }

    // ---- Expectations and errors ----

    /// Notes that `what` could have stood at the current position.
    fn expect(&mut self, what: &'static str) {
        if self.pos > self.furthest {
            self.furthest = self.pos;
            self.expected.clear();
            self.hint = None;
        }
        if self.pos == self.furthest && !self.expected.contains(&what) {
            self.expected.push(what);
        }
    }

    /// Gives up here, `what` having been expected.
    fn fail<T>(&mut self, what: &'static str) -> PResult<T> {
        self.expect(what);
        Err(Fail::Expected)
    }

    /// Gives up here, `what` having been expected, with advice.
    fn fail_hint<T>(&mut self, what: &'static str, hint: String) -> PResult<T> {
        self.expect(what);
        if self.pos == self.furthest {
            self.hint = Some(hint);
        }
        Err(Fail::Expected)
    }

    /// A specific error at `span`.
    fn error_at<T>(&self, span: Span, message: String, hint: Option<String>) -> PResult<T> {
        let mut error = ParseError::at(self.source, span, message);
        error.hint = hint;
        Err(Fail::Error(Box::new(error)))
    }

    fn consume_keyword(&mut self, keyword: &'static str, label: &'static str) -> PResult<Span> {
        if self.at_keyword(keyword) {
            Ok(self.bump().span)
        } else {
            self.fail(label)
        }
    }

    fn consume(&mut self, kind: TokenKind, label: &'static str) -> PResult<Span> {
        if self.at_kind(&kind) {
            Ok(self.bump().span)
        } else {
            self.fail(label)
        }
    }

    /// One `item` or more, separated by commas. Where no comma follows an item, a comma is
    /// noted as what could have stood there.
    fn comma_separated<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        let mut items = vec![item(self)?];
        while self.at_kind(&TokenKind::Comma) {
            self.bump();
            items.push(item(self)?);
        }
        self.expect(COMMA);
        Ok(items)
    }

    /// `(item, …)`, possibly empty, or nothing at all (no items).
    fn parenthesised<T>(&mut self, item: impl FnMut(&mut Self) -> PResult<T>) -> PResult<Vec<T>> {
        if !self.at_kind(&TokenKind::LParen) {
            self.expect("`(`");
            return Ok(Vec::new());
        }
        self.bump();
        let items = if self.at_kind(&TokenKind::RParen) {
            Vec::new()
        } else {
            self.comma_separated(item)?
        };
        self.consume(TokenKind::RParen, "`)`")?;
        Ok(items)
    }

    fn error(&self, fail: Fail) -> ParseError {
        match fail {
            Fail::Error(error) => *error,
            Fail::Expected => {
                let (span, found) = match self.tokens.get(self.furthest) {
                    Some(token) => (token.span, shown(token.text)),
                    None => (
                        Span::new(self.source.len(), self.source.len()),
                        END.to_string(),
                    ),
                };
                let expected = self.expected.iter().map(|s| s.to_string()).collect();
                let mut error = ParseError::expected(self.source, span, expected, Some(found));
                error.hint = self.hint.clone();
                error
            }
        }
    }

    // ---- Statements ----

    fn statement(&mut self) -> PResult<Statement> {
        let start = self.here();
        let kind = match self.keyword_in(kw::STATEMENT_STARTS) {
            Some(kw::PATH) => StatementKind::Path(self.path()?),
            Some(kw::SAVE) => StatementKind::Save(self.save()?),
            Some(kw::RUN) => StatementKind::Run(self.run()?),
            Some(kw::SAVED) => {
                self.bump();
                StatementKind::Saved
            }
            Some(kw::DROP) => {
                self.bump();
                StatementKind::Drop(self.saved_name()?)
            }
            _ => StatementKind::Query(self.query()?),
        };
        if !self.at_end() {
            return self.fail(END);
        }
        Ok(Statement {
            kind,
            span: self.span_from(start),
        })
    }

    fn query(&mut self) -> PResult<Query> {
        let start = self.here();
        let clauses = self.comma_separated(Self::clause)?;
        let stages = self.pipeline()?;
        Ok(Query {
            clauses,
            stages,
            span: self.span_from(start),
        })
    }

    /// `path A to B [max N] [via P|P…] [status …] [| stage …]`; the options in any order.
    fn path(&mut self) -> PResult<PathQuery> {
        let start = self.here();
        self.bump();
        let from = self.term(TERM)?;
        self.consume_keyword(kw::TO, "`to`")?;
        let to = self.term(TERM)?;
        let (mut max, mut via, mut status) = (None, Vec::new(), None);
        loop {
            let option_start = self.here();
            if self.at_keyword(kw::MAX) {
                self.bump();
                let n = self.number()?;
                if max.replace(n).is_some() {
                    return self.twice(kw::MAX, option_start);
                }
            } else if self.at_keyword(kw::VIA) {
                self.bump();
                let list = self.via_list()?;
                if !via.is_empty() {
                    return self.twice(kw::VIA, option_start);
                }
                via = list;
            } else if self.at_keyword(kw::STATUS) {
                let filter = self.status_filter()?;
                if status.replace(filter).is_some() {
                    return self.twice(kw::STATUS, option_start);
                }
            } else {
                if max.is_none() {
                    self.expect("`max`");
                }
                if via.is_empty() {
                    self.expect("`via`");
                }
                if status.is_none() {
                    self.expect(STATUS_KW);
                }
                break;
            }
        }
        let stages = self.pipeline()?;
        Ok(PathQuery {
            from,
            to,
            max,
            via,
            status,
            stages,
            span: self.span_from(start),
        })
    }

    fn twice<T>(&self, keyword: &str, start: usize) -> PResult<T> {
        self.error_at(
            self.span_from(start),
            format!("`{keyword}` is given twice"),
            Some(format!("keep one `{keyword}`")),
        )
    }

    /// `P|P|…` after `via`: `|` joins ids unless a stage keyword follows it.
    fn via_list(&mut self) -> PResult<Vec<Ident>> {
        let mut ids = vec![self.predicate_id()?];
        while self.at_kind(&TokenKind::Pipe) {
            match self.peek_nth(1) {
                Some(t)
                    if t.kind == TokenKind::Word
                        && !is_stage_keyword(t.text)
                        && !is_clause_keyword(t.text) =>
                {
                    self.bump();
                    ids.push(self.predicate_id()?);
                }
                _ => break,
            }
        }
        Ok(ids)
    }

    /// `save [replace] NAME[(p, …)] = QUERY-or-path`
    fn save(&mut self) -> PResult<SaveQuery> {
        let start = self.here();
        self.bump();
        let replace = self.at_keyword(kw::REPLACE);
        if replace {
            self.bump();
        }
        let name = self.saved_name()?;
        // The parameters listed so far, to refuse one listed twice as soon as it is.
        let mut listed: Vec<Ident> = Vec::new();
        let params = self.parenthesised(|parser| {
            let param = parser.param_name()?;
            if let Some(first) = listed.iter().find(|p| p.name == param.name) {
                let (line, col) = super::error::line_col(parser.source, first.span.start);
                return parser.error_at(
                    param.span,
                    format!("parameter `{}` is listed twice", param.name),
                    Some(format!("it is first listed at {line}:{col}")),
                );
            }
            listed.push(param.clone());
            Ok(param)
        })?;
        self.consume(TokenKind::Equals, "`=`")?;
        let body_start = self.here();
        let body = if self.at_keyword("path") {
            StatementKind::Path(self.path()?)
        } else {
            let word = match self.peek() {
                Some(t) if t.kind == TokenKind::Word && is_statement_keyword(t.text) => {
                    Some((t.span, t.text.to_string()))
                }
                _ => None,
            };
            if let Some((span, word)) = word {
                return self.error_at(
                    span,
                    format!("a saved query holds a query or a path, not `{word}`"),
                    Some("save a query such as `?x visited $place`".to_string()),
                );
            }
            StatementKind::Query(self.query()?)
        };
        let body = Statement {
            kind: body,
            span: self.span_from(body_start),
        };
        Ok(SaveQuery {
            replace,
            name,
            params,
            body: Box::new(body),
            span: self.span_from(start),
        })
    }

    /// `run NAME[(arg, …)] [| stage …]`
    fn run(&mut self) -> PResult<RunQuery> {
        let start = self.here();
        self.bump();
        let name = self.saved_name()?;
        let args = self.parenthesised(Self::arg)?;
        let stages = self.pipeline()?;
        Ok(RunQuery {
            name,
            args,
            stages,
            span: self.span_from(start),
        })
    }

    /// An argument of `run`: a period if it starts like one (`$p` only when `..`
    /// follows it), else a term.
    fn arg(&mut self) -> PResult<Arg> {
        let start = self.here();
        let is_period = match self.peek_kind() {
            Some(TokenKind::Param(_)) => {
                matches!(self.peek_nth(1), Some(t) if t.kind == TokenKind::DotDot)
            }
            Some(TokenKind::DotDot) => true,
            _ => self.at_period_start(false),
        };
        let kind = if is_period {
            ArgKind::Period(self.period(false)?)
        } else {
            ArgKind::Term(self.term(ARG)?)
        };
        Ok(Arg {
            kind,
            span: self.span_from(start),
        })
    }

    /// The name of a saved query: an identifier that is no keyword.
    fn saved_name(&mut self) -> PResult<Ident> {
        match self.peek() {
            Some(t) if t.kind == TokenKind::Word => {
                if is_clause_keyword(t.text) || is_statement_keyword(t.text) {
                    let hint = format!("`{}` is a keyword; choose another name", t.text);
                    return self.fail_hint(SAVED_NAME, hint);
                }
                let token = self.bump();
                Ok(ident(&token))
            }
            _ => self.fail(SAVED_NAME),
        }
    }

    /// A parameter in `save NAME(p, $q)`.
    fn param_name(&mut self) -> PResult<Ident> {
        match self.peek_kind() {
            Some(TokenKind::Word) => {
                let token = self.bump();
                Ok(ident(&token))
            }
            Some(TokenKind::Param(name)) => {
                let name = name.clone();
                let token = self.bump();
                Ok(Ident {
                    name,
                    span: Span::new(token.span.start + 1, token.span.end),
                })
            }
            _ => self.fail(PARAM),
        }
    }

    // ---- Clauses ----

    fn clause(&mut self) -> PResult<Clause> {
        let mut nots = Vec::new();
        while self.at_keyword(kw::NOT) {
            if nots.len() == MAX_NOT_DEPTH {
                let span = self.peek().map_or(Span::default(), |t| t.span);
                return self.error_at(
                    span,
                    format!("more than {MAX_NOT_DEPTH} `not` in a row"),
                    Some("`not not` cancels out: remove pairs of them".to_string()),
                );
            }
            nots.push(self.bump().span.start);
        }
        let mut clause = self.simple_clause()?;
        while let Some(start) = nots.pop() {
            let span = Span::new(start, clause.span.end);
            clause = Clause {
                kind: ClauseKind::Not(Box::new(clause)),
                span,
            };
        }
        Ok(clause)
    }

    /// `S P O …`, `S -- O …` or `?x:kind`.
    fn simple_clause(&mut self) -> PResult<Clause> {
        let start = self.here();
        let subject = self.term(CLAUSE)?;
        if let TermKind::Var {
            name,
            kind: Some(kind),
        } = &subject.kind
        {
            if !self.at_predicate_or_dashes() {
                if let Some(Token {
                    kind: TokenKind::Label(label),
                    span,
                    ..
                }) = self.peek()
                {
                    let message = format!(
                        "`@{label}` labels a relation, but `?{name}:{kind}` is no relation clause",
                        kind = kind.name
                    );
                    let hint = format!(
                        "put the label after a relation clause, such as \
                         `?{name} visited ?place @{label}`"
                    );
                    return self.error_at(*span, message, Some(hint));
                }
                self.expect(PRED);
                self.expect(DASHES);
                let var = Ident {
                    name: name.clone(),
                    span: Span::new(subject.span.start, subject.span.start + 1 + name.len()),
                };
                return Ok(Clause {
                    kind: ClauseKind::Kind {
                        var,
                        kind: kind.clone(),
                    },
                    span: self.span_from(start),
                });
            }
        }
        if self.at_kind(&TokenKind::DashDash) {
            self.bump();
            let right = self.term(TERM)?;
            let (label, filters, status) = self.modifiers()?;
            return Ok(Clause {
                kind: ClauseKind::Between {
                    left: subject,
                    right,
                    label,
                    filters,
                    status,
                },
                span: self.span_from(start),
            });
        }
        self.expect(PRED);
        self.expect(DASHES);
        let predicate = self.predicate()?;
        let object = self.term(TERM)?;
        let (label, filters, status) = self.modifiers()?;
        Ok(Clause {
            kind: ClauseKind::Relation {
                subject,
                predicate,
                object,
                label,
                filters,
                status,
            },
            span: self.span_from(start),
        })
    }

    fn at_predicate_or_dashes(&self) -> bool {
        match self.peek() {
            Some(t) => match &t.kind {
                TokenKind::Word => !is_clause_keyword(t.text),
                TokenKind::Var { .. } | TokenKind::Star | TokenKind::DashDash => true,
                _ => false,
            },
            None => false,
        }
    }

    fn term(&mut self, label: &'static str) -> PResult<Term> {
        let Some(token) = self.peek() else {
            return self.fail(label);
        };
        let kind = match &token.kind {
            TokenKind::Var { name, kind } => TermKind::Var {
                name: name.clone(),
                kind: kind.as_ref().map(|(name, span)| Ident {
                    name: name.clone(),
                    span: *span,
                }),
            },
            TokenKind::Param(name) => TermKind::Param(name.clone()),
            TokenKind::Str(text) => TermKind::Text(text.clone()),
            TokenKind::Word if token.text == "_" => TermKind::Any,
            TokenKind::Word if is_clause_keyword(token.text) => {
                let hint = format!(
                    "`{0}` is a keyword; to mean a name, write it in quotes: \"{0}\"",
                    token.text
                );
                return self.fail_hint(label, hint);
            }
            TokenKind::Word => TermKind::Name(token.text.to_string()),
            TokenKind::Lit => {
                let hint = format!(
                    "to mean a name that looks like a date or number, write it in quotes: \"{}\"",
                    token.text
                );
                return self.fail_hint(label, hint);
            }
            TokenKind::Label(name) => {
                let hint = format!(
                    "`@{name}` is a label: it follows a relation clause's terms \
                     (`?p visited ?x @{name}`) and stands for that relation's time in the \
                     filters of other clauses (`after @{name}`)"
                );
                return self.fail_hint(label, hint);
            }
            _ => return self.fail(label),
        };
        let span = self.bump().span;
        Ok(Term { kind, span })
    }

    fn predicate(&mut self) -> PResult<Pred> {
        let start = self.here();
        let kind = match self.peek_kind() {
            Some(TokenKind::Var { name, kind: None }) => {
                let name = name.clone();
                self.bump();
                PredKind::Var(name)
            }
            Some(TokenKind::Var { kind: Some(_), .. }) => {
                return self.fail_hint(
                    PRED,
                    "a predicate variable takes no kind: write `?r`".to_string(),
                );
            }
            Some(TokenKind::Star) => {
                self.bump();
                PredKind::Any
            }
            Some(TokenKind::Word) => {
                let mut ids = vec![self.predicate_id_or(PRED)?];
                // `|` joins ids unless what follows it reads as a stage: then the
                // object is missing, and the error says so at the `|`.
                while self.at_kind(&TokenKind::Pipe)
                    && matches!(self.peek_nth(1), Some(t) if t.kind == TokenKind::Word
                        && !is_stage_keyword(t.text))
                {
                    self.bump();
                    ids.push(self.predicate_id()?);
                }
                PredKind::Ids(ids)
            }
            _ => return self.fail(PRED),
        };
        Ok(Pred {
            kind,
            span: self.span_from(start),
        })
    }

    fn predicate_id(&mut self) -> PResult<Ident> {
        self.predicate_id_or(PRED_ID)
    }

    fn predicate_id_or(&mut self, label: &'static str) -> PResult<Ident> {
        match self.peek() {
            Some(t) if t.kind == TokenKind::Word => {
                if t.text == "_" {
                    return self.fail_hint(label, "write `*` for any predicate".to_string());
                }
                if is_clause_keyword(t.text) {
                    let hint = format!("`{}` is a keyword, not a predicate id", t.text);
                    return self.fail_hint(label, hint);
                }
                let token = self.bump();
                Ok(ident(&token))
            }
            _ => self.fail(label),
        }
    }

    // ---- Filters ----

    /// At most one label, time filters and at most one status filter, in any order,
    /// after a relation clause's terms.
    fn modifiers(&mut self) -> PResult<(Option<Label>, Vec<TimeFilter>, Option<StatusFilter>)> {
        let mut label: Option<Label> = None;
        let mut filters = Vec::new();
        let mut status: Option<StatusFilter> = None;
        loop {
            let start = self.here();
            if let Some(Token {
                kind: TokenKind::Label(name),
                span,
                ..
            }) = self.peek()
            {
                let found = Label {
                    name: name.clone(),
                    span: *span,
                };
                if let Some(first) = &label {
                    return self.error_at(
                        found.span,
                        format!(
                            "a clause takes one label; this one already has `@{}`",
                            first.name
                        ),
                        Some(format!(
                            "keep one of `@{}` and `@{}`; filters of other clauses may then use it",
                            first.name, found.name
                        )),
                    );
                }
                self.bump();
                label = Some(found);
                continue;
            }
            let certainly = self.at_keyword(kw::CERTAINLY);
            if certainly {
                self.bump();
            }
            let kind = match self.keyword_in(kw::TIME_FILTER_KEYWORDS) {
                Some(kw::BETWEEN) => {
                    self.bump();
                    let from = self.period(true)?;
                    self.consume_keyword(kw::AND, "`and`")?;
                    let to = self.period(true)?;
                    TimeFilterKind::Between(from, to)
                }
                Some(kw::AS) => {
                    self.bump();
                    self.consume_keyword(kw::OF, "`of`")?;
                    TimeFilterKind::AsOf(self.period(true)?)
                }
                None if !certainly && self.at_keyword(kw::STATUS) => {
                    let filter = self.status_filter()?;
                    if status.is_some() {
                        return self.error_at(
                            filter.span,
                            "a clause takes one `status` filter".to_string(),
                            Some("list several statuses as `status planned|alleged`".into()),
                        );
                    }
                    status = Some(filter);
                    continue;
                }
                Some(one_period) => {
                    self.bump();
                    let period = self.period(true)?;
                    match one_period {
                        "in" => TimeFilterKind::In(period),
                        "on" => TimeFilterKind::On(period),
                        "within" => TimeFilterKind::Within(period),
                        "since" => TimeFilterKind::Since(period),
                        "until" => TimeFilterKind::Until(period),
                        "before" => TimeFilterKind::Before(period),
                        _ => TimeFilterKind::After(period),
                    }
                }
                None => {
                    self.expect(FILTER);
                    if certainly {
                        return Err(Fail::Expected);
                    }
                    if status.is_none() {
                        self.expect(STATUS_KW);
                    }
                    if label.is_none() {
                        self.expect(LABEL);
                    }
                    return Ok((label, filters, status));
                }
            };
            let certainly = certainly || matches!(kind, TimeFilterKind::Within(_));
            filters.push(TimeFilter {
                kind,
                certainly,
                span: self.span_from(start),
            });
        }
    }

    /// `status any` or `status WORD(|WORD)*`, where `|` joins only status words.
    fn status_filter(&mut self) -> PResult<StatusFilter> {
        let start = self.here();
        self.bump();
        let mut words = vec![self.status_word(true)?];
        while self.at_kind(&TokenKind::Pipe)
            && matches!(self.peek_nth(1), Some(t) if t.kind == TokenKind::Word
                && (is_status_word(t.text) || t.text.eq_ignore_ascii_case(kw::ANY)))
        {
            self.bump();
            words.push(self.status_word(false)?);
        }
        let span = self.span_from(start);
        let any = words.iter().any(|w| w.name.eq_ignore_ascii_case(kw::ANY));
        let kind = match (any, words.len()) {
            (true, 1) => StatusFilterKind::Any,
            (true, _) => {
                return self.error_at(
                    span,
                    "`any` cannot be combined with other statuses".to_string(),
                    Some("write `status any` alone".to_string()),
                )
            }
            (false, _) => StatusFilterKind::Of(words),
        };
        Ok(StatusFilter { kind, span })
    }

    fn status_word(&mut self, first: bool) -> PResult<Ident> {
        match self.peek() {
            Some(t) if t.kind == TokenKind::Word && (!first || !is_clause_keyword(t.text)) => {
                let token = self.bump();
                Ok(ident(&token))
            }
            _ => self.fail(STATUS),
        }
    }

    // ---- Periods ----

    /// Does a period start here? With `labels`, `@name` is one too (in time filters).
    fn at_period_start(&self, labels: bool) -> bool {
        match self.peek() {
            Some(t) => match &t.kind {
                TokenKind::Lit | TokenKind::Param(_) => true,
                TokenKind::Label(_) => labels,
                TokenKind::Word => kw::is_one_of(kw::PERIOD_WORDS, t.text),
                _ => false,
            },
            None => false,
        }
    }

    /// `A`, `A..B`, `A..` or `..B`, where each end is a date (with an optional part),
    /// `today`, `$param`, or with `labels` (in a time filter) `@label`.
    fn period(&mut self, labels: bool) -> PResult<Period> {
        let start = self.here();
        let what = if labels { FILTER_PERIOD } else { PERIOD };
        let from = if self.at_period_start(labels) {
            Some(self.period_end(labels)?)
        } else {
            None
        };
        if !self.at_kind(&TokenKind::DotDot) {
            return match from {
                Some(period) => Ok(period),
                None => self.fail(what),
            };
        }
        self.bump();
        let to = if self.at_period_start(labels) {
            Some(self.period_end(labels)?)
        } else if from.is_none() {
            return self.fail_hint(what, "a range needs a start, an end or both".to_string());
        } else {
            self.expect(what);
            None
        };
        Ok(Period {
            kind: PeriodKind::Range {
                from: from.map(Box::new),
                to: to.map(Box::new),
            },
            span: self.span_from(start),
        })
    }

    fn period_end(&mut self, labels: bool) -> PResult<Period> {
        let start = self.here();
        let what = if labels { FILTER_PERIOD } else { PERIOD };
        let part = self.keyword_in(kw::PART_WORDS).map(|part| match part {
            "early" => Part::Early,
            "mid" => Part::Mid,
            _ => Part::Late,
        });
        if part.is_some() {
            self.bump();
        }
        let kind = match self.peek_kind() {
            Some(TokenKind::Lit) => PeriodKind::Date {
                part,
                text: self.bump().text.to_string(),
            },
            _ if part.is_some() => return self.fail(DATE),
            Some(TokenKind::Param(name)) => {
                let name = name.clone();
                self.bump();
                PeriodKind::Param(name)
            }
            Some(TokenKind::Label(name)) if labels => {
                let name = name.clone();
                self.bump();
                PeriodKind::Label(name)
            }
            _ if self.at_keyword(kw::TODAY) => {
                self.bump();
                PeriodKind::Today
            }
            _ => return self.fail(what),
        };
        Ok(Period {
            kind,
            span: self.span_from(start),
        })
    }

    // ---- Pipeline ----

    fn pipeline(&mut self) -> PResult<Vec<Stage>> {
        let mut stages = Vec::new();
        loop {
            if self.at_kind(&TokenKind::Pipe) {
                self.bump();
                stages.push(self.stage()?);
            } else {
                self.expect(PIPE);
                return Ok(stages);
            }
        }
    }

    fn stage(&mut self) -> PResult<Stage> {
        let start = self.here();
        let kind = match self.keyword_in(kw::STAGE_KEYWORDS) {
            Some(kw::SHOW) => {
                self.bump();
                StageKind::Show(self.columns()?)
            }
            Some(kw::SORT) => {
                self.bump();
                StageKind::Sort(self.comma_separated(Self::sort_key)?)
            }
            Some(kw::LIMIT) => {
                self.bump();
                StageKind::Limit(self.number()?)
            }
            Some(kw::COUNT) => {
                self.bump();
                if self.at_keyword(kw::BY) {
                    self.bump();
                    StageKind::Count(self.columns()?)
                } else {
                    self.expect("`by`");
                    StageKind::Count(Vec::new())
                }
            }
            Some(kw::DISTINCT) => {
                self.bump();
                StageKind::Distinct
            }
            Some(kw::TIMELINE) => {
                self.bump();
                StageKind::Timeline
            }
            _ => return self.fail(STAGE),
        };
        Ok(Stage {
            kind,
            span: self.span_from(start),
        })
    }

    fn columns(&mut self) -> PResult<Vec<Column>> {
        self.comma_separated(Self::column)
    }

    /// `col`, `col asc` or `col desc`.
    fn sort_key(&mut self) -> PResult<SortKey> {
        let start = self.here();
        let column = self.column()?;
        let descending = match self.keyword_in(kw::SORT_ORDERS) {
            Some(order) => {
                self.bump();
                order == "desc"
            }
            None => {
                self.expect("`asc`");
                self.expect("`desc`");
                false
            }
        };
        Ok(SortKey {
            column,
            descending,
            span: self.span_from(start),
        })
    }

    /// `?x`, `?x.id`, or a name possibly dotted (`when`, `x.id`).
    fn column(&mut self) -> PResult<Column> {
        let start = self.here();
        let kind = match self.peek_kind() {
            Some(TokenKind::Var { name, kind: None }) => {
                let name = name.clone();
                self.bump();
                let id = if self.at_kind(&TokenKind::Dot) {
                    self.bump();
                    if !self.at_keyword("id") {
                        return self.fail_hint(
                            "`id`",
                            format!("a variable's columns are `?{name}` and `?{name}.id`"),
                        );
                    }
                    self.bump();
                    true
                } else {
                    self.expect("`.id`");
                    false
                };
                ColumnKind::Var { name, id }
            }
            Some(TokenKind::Var {
                name,
                kind: Some(_),
            }) => {
                let hint = format!("a column names a variable without its kind: `?{name}`");
                return self.fail_hint(COLUMN, hint);
            }
            Some(TokenKind::Word) => {
                let mut name = self.bump().text.to_string();
                while self.at_kind(&TokenKind::Dot) {
                    self.bump();
                    match self.peek() {
                        Some(t) if t.kind == TokenKind::Word => {
                            name.push('.');
                            name.push_str(t.text);
                            self.bump();
                        }
                        _ => return self.fail("a column name after `.`"),
                    }
                }
                ColumnKind::Named(name)
            }
            _ => return self.fail(COLUMN),
        };
        Ok(Column {
            kind,
            span: self.span_from(start),
        })
    }

    fn number(&mut self) -> PResult<u64> {
        match self.peek() {
            Some(t) if t.kind == TokenKind::Lit && t.text.bytes().all(|b| b.is_ascii_digit()) => {
                match t.text.parse::<u64>() {
                    Ok(n) => {
                        self.bump();
                        Ok(n)
                    }
                    Err(_) => self.error_at(
                        t.span,
                        format!("the number {} is too large", shown_raw(t.text)),
                        Some(format!("use at most {}", u64::MAX)),
                    ),
                }
            }
            _ => self.fail(NUMBER),
        }
    }
}

fn ident(token: &Token<'_>) -> Ident {
    Ident {
        name: token.text.to_string(),
        span: token.span,
    }
}

/// A token's text for an error message: quoted in backticks, cut to one short line.
fn shown(text: &str) -> String {
    format!("`{}`", shown_raw(text))
}

fn shown_raw(text: &str) -> String {
    super::error::clip(text).into_owned()
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
