//! Where the cursor is in a statement, for completion: which word is being typed (its
//! start and prefix) and what may stand there (keywords, entity names, predicate ids,
//! kinds, columns, saved query names, dot-commands), from a walk over the tokens before
//! the cursor that follows the language's grammar loosely.

use crate::lang::{
    self, FILTER_KEYWORDS, ONE_PERIOD_FILTERS, PART_WORDS, PATH_OPTIONS, PERIOD_WORDS, SORT_ORDERS,
    STAGE_KEYWORDS, STATEMENT_STARTS, STATUS_WORDS,
};

use super::scan::{scan, Piece, Token};

/// Something that may stand at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Want {
    /// These keywords.
    Keywords(&'static [&'static str]),
    /// Entity ids, names and aliases.
    Entities,
    /// Predicate ids.
    Predicates,
    /// Kinds of entities (after `?x:`).
    Kinds,
    /// Variables used elsewhere in the statement (`?x`).
    Variables,
    /// Parameters used elsewhere in the statement (`$p`).
    Parameters,
    /// Labels used elsewhere in the statement (`@a`).
    Labels,
    /// Names of saved queries.
    SavedNames,
    /// Dot-command names (the text starts with `.`).
    DotCommands,
    /// The argument of a dot-command, named here (without its dot).
    DotArgument(String),
}

/// The word being completed and what may replace it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// Byte offset where the replaced text starts (the cursor when nothing is typed).
    pub start: usize,
    /// What is typed so far: for a string, its text after the opening quote with
    /// escapes resolved; for a variable, `?` and the name.
    pub prefix: String,
    /// True when the word is an open string (`"…`).
    pub quoted: bool,
    /// What may stand there; empty when nothing is to be offered.
    pub wants: Vec<Want>,
}

const NOT: &[&str] = &[lang::NOT];
const OF: &[&str] = &[lang::OF];
const AND: &[&str] = &[lang::AND];
const TO: &[&str] = &[lang::TO];
const BY: &[&str] = &[lang::BY];
const STATUS_ANY: &[&str] = &[lang::ANY];
const SAVE_REPLACE: &[&str] = &[lang::REPLACE];
/// Columns every single-clause query has.
pub const STANDARD_COLUMNS: &[&str] = &[
    "subject",
    "predicate",
    "object",
    "when",
    "start",
    "end",
    "status",
    "source",
    "quote",
];

/// The grammar position after the tokens seen so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// The start of a statement (or of a saved query's body).
    Start,
    /// The subject of a clause, after `,` or `not`.
    Subject,
    /// After a subject: a predicate, `--`, or the end of a `?x:kind` clause.
    Predicate,
    /// After a predicate: the object (or `|` and another predicate id).
    Object,
    /// After `visited|`: another predicate id.
    PredicateAlternative,
    /// After a whole clause: filters, `,` or `|`.
    AfterClause,
    /// After `as`.
    As,
    /// After `between P`.
    BetweenAnd,
    /// Where a period goes (after `in`, `before`, `..` …).
    Period,
    /// After `status`.
    Status,
    /// After a status word.
    StatusWord,
    /// After `status w|`: a status word or a stage.
    StatusPipe,
    /// After `|` in the pipeline.
    Stage,
    /// After `count`.
    Count,
    /// Columns of `show`, `sort`, `count by`.
    Columns { sort: bool },
    /// After a column.
    AfterColumn { sort: bool },
    /// After a stage that takes nothing more, or its number.
    StageEnd,
    /// After `limit`.
    Limit,
    /// After `path`, before its first term.
    PathFrom,
    /// After `path A`.
    PathTo,
    /// After `path A to`.
    PathTarget,
    /// After `path A to B`: options.
    PathOptions,
    /// After `max`.
    PathMax,
    /// After `via` or `via a|`.
    Via,
    /// After `via a`.
    ViaAfter,
    /// After `run` or `drop`.
    SavedName { run: bool },
    /// After `run NAME`.
    RunAfterName,
    /// Inside `run NAME(…)`.
    RunArgs,
    /// After `save`, before `=`.
    SaveHead { after_keyword: bool },
    /// Nothing to offer until the end.
    Done,
}

/// Is `t` a word after which a period comes: a time filter that takes one period, or
/// `between`, `and` (of `between A and B`) or `of` (of `as of`)?
fn is_period_before(t: &Token, src: &str) -> bool {
    ONE_PERIOD_FILTERS
        .iter()
        .chain(&[lang::BETWEEN, lang::AND, lang::OF])
        .any(|k| t.is_word(src, k))
}

fn is_term(piece: &Piece) -> bool {
    matches!(piece, Piece::Word | Piece::Var { .. } | Piece::Str { .. })
}

/// Does this token end a clause's term list and start the next clause or stage?
fn step(state: State, t: &Token, src: &str) -> State {
    use State::*;
    let word = |k: &str| t.is_word(src, k);
    let punct = |p: &str| matches!(t.piece, Piece::Punct(q) if q == p);
    match state {
        Start => {
            if word(lang::PATH) {
                PathFrom
            } else if word(lang::RUN) {
                SavedName { run: true }
            } else if word(lang::DROP) {
                SavedName { run: false }
            } else if word(lang::SAVE) {
                SaveHead {
                    after_keyword: true,
                }
            } else if word(lang::SAVED) {
                StageEnd
            } else {
                step(Subject, t, src)
            }
        }
        Subject => {
            if word(lang::NOT) {
                Subject
            } else if is_term(&t.piece) {
                Predicate
            } else {
                Done
            }
        }
        Predicate => {
            if punct(",") {
                Subject
            } else if punct("|") {
                Stage
            } else if punct("--")
                || matches!(t.piece, Piece::Word | Piece::Var { .. })
                || punct("*")
            {
                Object
            } else {
                Done
            }
        }
        Object => {
            if punct("|") {
                // `visited|met`: another predicate id.
                PredicateAlternative
            } else if is_term(&t.piece) {
                AfterClause
            } else {
                Done
            }
        }
        AfterClause | StatusWord => {
            if punct(",") {
                Subject
            } else if punct("|") {
                if state == StatusWord {
                    StatusPipe
                } else {
                    Stage
                }
            } else if is_period_before(t, src) || punct("..") {
                Period
            } else if word(lang::AS) {
                As
            } else if word(lang::CERTAINLY) {
                AfterClause
            } else if word(lang::STATUS) {
                Status
            } else if t.piece == Piece::Label {
                // the clause's label
                AfterClause
            } else if t.piece == Piece::Lit {
                // the end of a period
                BetweenAnd
            } else {
                Done
            }
        }
        BetweenAnd => {
            if word(lang::AND) {
                Period
            } else {
                step(AfterClause, t, src)
            }
        }
        As => {
            if word(lang::OF) {
                Period
            } else {
                Done
            }
        }
        Period => {
            if PART_WORDS.iter().any(|k| word(k)) || punct("..") {
                Period
            } else if matches!(t.piece, Piece::Lit | Piece::Label) || word(lang::TODAY) {
                BetweenAnd
            } else {
                step(AfterClause, t, src)
            }
        }
        PredicateAlternative => {
            if t.piece == Piece::Word {
                Object
            } else {
                Done
            }
        }
        Status => {
            if t.piece == Piece::Word {
                StatusWord
            } else {
                Done
            }
        }
        StatusPipe => {
            if STATUS_WORDS.iter().any(|k| word(k)) {
                StatusWord
            } else {
                step(Stage, t, src)
            }
        }
        Stage => {
            if word(lang::SHOW) {
                Columns { sort: false }
            } else if word(lang::SORT) {
                Columns { sort: true }
            } else if word(lang::COUNT) {
                Count
            } else if word(lang::LIMIT) {
                Limit
            } else if word(lang::DISTINCT) || word(lang::TIMELINE) {
                StageEnd
            } else {
                Done
            }
        }
        Count => {
            if word(lang::BY) {
                Columns { sort: false }
            } else if punct("|") {
                Stage
            } else {
                Done
            }
        }
        Columns { sort } => {
            if matches!(t.piece, Piece::Word | Piece::Var { .. }) {
                AfterColumn { sort }
            } else if punct("|") {
                Stage
            } else {
                Done
            }
        }
        AfterColumn { sort } => {
            if punct(",") {
                Columns { sort }
            } else if punct("|") {
                Stage
            } else if sort && SORT_ORDERS.iter().any(|k| word(k)) {
                AfterColumn { sort }
            } else {
                Done
            }
        }
        Limit => {
            if t.piece == Piece::Lit {
                StageEnd
            } else {
                Done
            }
        }
        StageEnd => {
            if punct("|") {
                Stage
            } else {
                Done
            }
        }
        PathFrom => {
            if is_term(&t.piece) {
                PathTo
            } else {
                Done
            }
        }
        PathTo => {
            if word(lang::TO) {
                PathTarget
            } else {
                Done
            }
        }
        PathTarget => {
            if is_term(&t.piece) {
                PathOptions
            } else {
                Done
            }
        }
        PathOptions | PathMax | ViaAfter => {
            if state == PathMax && t.piece == Piece::Lit {
                PathOptions
            } else if state == ViaAfter && punct("|") {
                Via
            } else if word(lang::MAX) {
                PathMax
            } else if word(lang::VIA) {
                Via
            } else if word(lang::STATUS) {
                Status
            } else if punct("|") {
                Stage
            } else {
                Done
            }
        }
        Via => {
            if STAGE_KEYWORDS.iter().any(|k| word(k)) {
                step(Stage, t, src)
            } else if t.piece == Piece::Word {
                ViaAfter
            } else {
                Done
            }
        }
        SavedName { run } => {
            if t.piece == Piece::Word && run {
                RunAfterName
            } else {
                Done
            }
        }
        RunAfterName => {
            if punct("(") {
                RunArgs
            } else if punct("|") {
                Stage
            } else {
                Done
            }
        }
        RunArgs => {
            if punct(")") {
                StageEnd
            } else {
                RunArgs
            }
        }
        SaveHead { .. } => {
            if punct("=") {
                Start
            } else {
                SaveHead {
                    after_keyword: false,
                }
            }
        }
        Done => Done,
    }
}

/// What may stand in a grammar position.
fn wants(state: State) -> Vec<Want> {
    use State::*;
    use Want::*;
    match state {
        Start => vec![
            Keywords(STATEMENT_STARTS),
            Keywords(NOT),
            Entities,
            Variables,
        ],
        Subject => vec![Keywords(NOT), Entities, Variables],
        Predicate | PredicateAlternative | Via => vec![Predicates],
        Object | PathFrom | PathTarget | RunArgs => vec![Entities, Variables],
        AfterClause | StatusWord => vec![Keywords(FILTER_KEYWORDS)],
        As => vec![Keywords(OF)],
        BetweenAnd => vec![Keywords(AND), Keywords(FILTER_KEYWORDS)],
        Period => vec![Keywords(PERIOD_WORDS)],
        Status => vec![Keywords(STATUS_WORDS), Keywords(STATUS_ANY)],
        StatusPipe => vec![Keywords(STATUS_WORDS), Keywords(STAGE_KEYWORDS)],
        Stage => vec![Keywords(STAGE_KEYWORDS)],
        Count => vec![Keywords(BY)],
        Columns { .. } => vec![Variables, Keywords(STANDARD_COLUMNS)],
        AfterColumn { sort: true } => vec![Keywords(SORT_ORDERS)],
        PathTo => vec![Keywords(TO)],
        PathOptions | ViaAfter => vec![Keywords(PATH_OPTIONS)],
        SavedName { .. } => vec![SavedNames],
        SaveHead {
            after_keyword: true,
        } => vec![Keywords(SAVE_REPLACE)],
        AfterColumn { sort: false }
        | StageEnd
        | Limit
        | PathMax
        | RunAfterName
        | SaveHead { .. }
        | Done => Vec::new(),
    }
}

/// The text of a string token after its opening quote, escapes resolved.
fn string_prefix(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().skip(1);
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(e) = chars.next() {
                out.push(e);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The completion context at byte `pos` of `text` (clamped to a character boundary).
pub fn detect(text: &str, pos: usize) -> Context {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    let before = &text[..pos];
    let nothing = |start: usize| Context {
        start,
        prefix: String::new(),
        quoted: false,
        wants: Vec::new(),
    };

    // Dot-commands: `.name` or `.name ARG`.
    let lead = before.len() - before.trim_start().len();
    if before[lead..].starts_with('.') {
        let line = &before[lead..];
        return match line.rfind(char::is_whitespace) {
            None => Context {
                start: lead,
                prefix: line.to_string(),
                quoted: false,
                wants: vec![Want::DotCommands],
            },
            Some(space) => {
                let command = line[1..]
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string();
                let arg_start = space + line[space..].chars().next().map_or(1, char::len_utf8);
                Context {
                    start: lead + arg_start,
                    prefix: line[arg_start..].to_string(),
                    quoted: false,
                    wants: vec![Want::DotArgument(command)],
                }
            }
        };
    }

    let mut tokens = scan(before);
    // The word under the cursor, if the cursor touches the end of one.
    let partial = match tokens.last() {
        Some(t) if t.span.end == pos => match t.piece {
            Piece::Comment | Piece::Lit | Piece::Other | Piece::Str { closed: true } => {
                return nothing(pos)
            }
            Piece::Punct(_) => None,
            _ => tokens.pop(),
        },
        Some(t) if t.piece == Piece::Comment && !before[t.span.end..].contains('\n') => {
            return nothing(pos)
        }
        _ => None,
    };
    tokens.retain(|t| t.piece != Piece::Comment);

    let mut state = State::Start;
    for t in &tokens {
        state = step(state, t, before);
    }

    let Some(word) = partial else {
        return Context {
            start: pos,
            prefix: String::new(),
            quoted: false,
            wants: wants(state),
        };
    };
    let text_of = word.text(before);
    match &word.piece {
        Piece::Var { kind: Some(kind) } => Context {
            start: kind.start,
            prefix: before[kind.clone()].to_string(),
            quoted: false,
            wants: vec![Want::Kinds],
        },
        Piece::Var { kind: None } => Context {
            start: word.span.start,
            prefix: text_of.to_string(),
            quoted: false,
            wants: vec![Want::Variables],
        },
        Piece::Param => Context {
            start: word.span.start,
            prefix: text_of.to_string(),
            quoted: false,
            wants: vec![Want::Parameters],
        },
        Piece::Label => Context {
            start: word.span.start,
            prefix: text_of.to_string(),
            quoted: false,
            wants: vec![Want::Labels],
        },
        Piece::Str { .. } => Context {
            start: word.span.start,
            prefix: string_prefix(text_of),
            quoted: true,
            wants: wants(state)
                .into_iter()
                .filter(|w| *w == Want::Entities)
                .collect(),
        },
        _ => Context {
            start: word.span.start,
            prefix: text_of.to_string(),
            quoted: false,
            wants: wants(state)
                .into_iter()
                .filter(|w| !matches!(w, Want::Variables | Want::Parameters | Want::Labels))
                .collect(),
        },
    }
}

/// The variables (`?x`), parameters (`$p`) or labels (`@a`) used in `text`, in order of first use,
/// without the one at byte `skip` (the word being typed).
pub fn names_used(text: &str, sigil: char, skip: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in scan(text) {
        if t.span.start == skip {
            continue;
        }
        let name = match t.piece {
            Piece::Var { ref kind } if sigil == '?' => {
                let end = kind.as_ref().map_or(t.span.end, |k| k.start - 1);
                &text[t.span.start..end]
            }
            Piece::Param if sigil == '$' => t.text(text),
            Piece::Label if sigil == '@' => t.text(text),
            _ => continue,
        };
        if name.len() > 1 && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Want::*;

    fn at_end(text: &str) -> Context {
        detect(text, text.len())
    }

    #[test]
    fn terms_and_predicates() {
        let c = at_end("?x visited Bak");
        assert_eq!((c.start, c.prefix.as_str()), (11, "Bak"));
        assert_eq!(c.wants, vec![Entities]);

        let c = at_end("?x vis");
        assert_eq!(c.wants, vec![Predicates]);
        assert_eq!(c.prefix, "vis");

        let c = at_end("?x ");
        assert_eq!(c.wants, vec![Predicates]);

        let c = at_end("Bak");
        assert_eq!(
            c.wants,
            vec![Keywords(STATEMENT_STARTS), Keywords(NOT), Entities]
        );

        let c = at_end("?x visited|");
        assert_eq!(c.wants, vec![Predicates], "`|` joins predicate ids");
        let c = at_end("?x visited|me");
        assert_eq!(c.wants, vec![Predicates]);
        let c = at_end("?x visited|met ");
        assert_eq!(c.wants, vec![Entities, Variables]);
    }

    #[test]
    fn arabic_open_string() {
        let text = "?x received \"الهام";
        let c = at_end(text);
        assert!(c.quoted);
        assert_eq!(c.prefix, "الهام");
        assert_eq!(c.start, text.find('"').unwrap());
        assert_eq!(c.wants, vec![Entities]);

        let c = at_end("\"بيز");
        assert_eq!(c.wants, vec![Entities]);
        let c = at_end("بيز");
        assert_eq!(c.prefix, "بيز");
        assert!(c.wants.contains(&Entities));
    }

    #[test]
    fn after_a_clause_and_in_the_pipeline() {
        assert_eq!(
            at_end("?x visited Baku ").wants,
            vec![Keywords(FILTER_KEYWORDS)]
        );
        assert_eq!(at_end("?x visited Baku st").prefix, "st");
        assert_eq!(
            at_end("?x visited Baku in ").wants,
            vec![Keywords(PERIOD_WORDS)]
        );
        assert_eq!(
            at_end("?x visited Baku status ").wants,
            vec![Keywords(STATUS_WORDS), Keywords(STATUS_ANY)]
        );
        assert_eq!(
            at_end("?x visited Baku | ").wants,
            vec![Keywords(STAGE_KEYWORDS)]
        );
        assert_eq!(
            at_end("?x visited Baku | sort ").wants,
            vec![Variables, Keywords(STANDARD_COLUMNS)]
        );
        assert_eq!(
            at_end("?x visited Baku | sort start ").wants,
            vec![Keywords(SORT_ORDERS)]
        );
        assert_eq!(at_end("?x visited Baku | count ").wants, vec![Keywords(BY)]);
        assert_eq!(
            at_end("?x visited Baku, ").wants,
            vec![Keywords(NOT), Entities, Variables]
        );
        assert_eq!(
            at_end("?x visited Baku in 2024 ").wants,
            vec![Keywords(AND), Keywords(FILTER_KEYWORDS)]
        );
        assert_eq!(at_end("?x visited Baku as ").wants, vec![Keywords(OF)]);
        assert_eq!(
            at_end("?x visited Baku status planned|").wants,
            vec![Keywords(STATUS_WORDS), Keywords(STAGE_KEYWORDS)]
        );
        // A statement spread over lines.
        assert_eq!(
            at_end("Iran -- Azerbaijan |\nso").wants,
            vec![Keywords(STAGE_KEYWORDS)]
        );
    }

    #[test]
    fn kinds_variables_and_parameters() {
        let c = at_end("?c:cou");
        assert_eq!((c.start, c.prefix.as_str()), (3, "cou"));
        assert_eq!(c.wants, vec![Kinds]);
        let c = at_end("?who visited ?w");
        assert_eq!(c.wants, vec![Variables]);
        assert_eq!(c.prefix, "?w");
        assert_eq!(names_used("?who visited ?w", '?', 13), vec!["?who"]);
        assert_eq!(
            names_used("?c:country, not ?c -- $p", '?', usize::MAX),
            vec!["?c"]
        );
        assert_eq!(at_end("save p(x) = $x visited $").wants, vec![Parameters]);
    }

    #[test]
    fn labels_after_a_clause_and_in_periods() {
        let c = at_end("?p visited ?x @v, ?x ?r ?y after @");
        assert_eq!((c.start, c.prefix.as_str()), (33, "@"));
        assert_eq!(c.wants, vec![Labels]);
        assert_eq!(
            names_used("?p visited ?x @v, ?x ?r ?y after @", '@', 33),
            vec!["@v"]
        );
        // A label ends a clause's terms; filters may follow it.
        assert_eq!(
            at_end("?p visited ?x @v ").wants,
            vec![Keywords(FILTER_KEYWORDS)]
        );
        // A label ends a period like a date.
        assert_eq!(
            at_end("?p visited ?x @v, ?x ?r ?y between @v ").wants,
            vec![Keywords(AND), Keywords(FILTER_KEYWORDS)]
        );
        assert_eq!(
            at_end("?p visited ?x @v, ?x ?r ?y after @v | ").wants,
            vec![Keywords(STAGE_KEYWORDS)]
        );
    }

    #[test]
    fn paths_saved_queries_and_statements() {
        assert_eq!(at_end("path Netanyahu ").wants, vec![Keywords(TO)]);
        assert_eq!(at_end("path Netanyahu to Pez").wants, vec![Entities]);
        assert_eq!(
            at_end("path Netanyahu to Pezeshkian ").wants,
            vec![Keywords(PATH_OPTIONS)]
        );
        assert_eq!(
            at_end("path Netanyahu to Pezeshkian via vis").wants,
            vec![Predicates]
        );
        assert_eq!(at_end("run ").wants, vec![SavedNames]);
        assert_eq!(at_end("drop my").wants, vec![SavedNames]);
        assert_eq!(at_end("run pair(Ir").wants, vec![Entities]);
        assert_eq!(
            at_end("sa").wants,
            vec![Keywords(STATEMENT_STARTS), Keywords(NOT), Entities]
        );
        assert_eq!(at_end("save replace p(x) = ?y ").wants, vec![Predicates]);
    }

    #[test]
    fn dot_commands() {
        let c = at_end(".fo");
        assert_eq!((c.start, c.prefix.as_str()), (0, ".fo"));
        assert_eq!(c.wants, vec![DotCommands]);
        let c = at_end(".format j");
        assert_eq!((c.start, c.prefix.as_str()), (8, "j"));
        assert_eq!(c.wants, vec![DotArgument("format".into())]);
    }

    #[test]
    fn nothing_inside_comments_numbers_and_after_closed_strings() {
        assert!(at_end("?x visited Baku # Ba").wants.is_empty());
        assert!(at_end("?x visited Baku | limit 1").wants.is_empty());
        assert!(at_end("?x visited \"Baku\"").wants.is_empty());
        // After the comment's line, completion works again.
        assert_eq!(at_end("?x # note\nvis").wants, vec![Predicates]);
    }

    #[test]
    fn cursor_in_the_middle_and_off_boundaries() {
        let text = "?x visited Bak | count";
        let c = detect(text, 14);
        assert_eq!((c.start, c.prefix.as_str()), (11, "Bak"));
        let c = detect("بيز", 1);
        assert_eq!(c.start, 0);
        let _ = detect("", 10);
    }
}
