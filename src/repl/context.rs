//! Where the cursor is in a statement, for completion: which word is being typed (its
//! start and prefix, from the REPL's forgiving scan) and what may stand there (keywords,
//! entity names, predicate ids, kinds, columns, saved query names, dot-commands), as the
//! language's grammar expects it after the text before that word.

use crate::lang::{self, Expect};
use crate::plan::RelField;

use super::scan::{scan, Piece};

/// Something that may stand at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Want {
    /// These keywords (and standard column names), in the grammar's order.
    Keywords(Vec<&'static str>),
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

/// What may stand at the end of `text`, as the grammar expects it there: keywords (in
/// one list, in the grammar's order), then names, predicate ids and so on. Empty where
/// the text already leaves the grammar.
fn wants_after(text: &str) -> Vec<Want> {
    let Some(expected) = lang::expected_after(text) else {
        return Vec::new();
    };
    let mut words: Vec<&'static str> = Vec::new();
    let mut wants: Vec<Want> = Vec::new();
    let want = |w: Want, wants: &mut Vec<Want>| {
        if !wants.contains(&w) {
            wants.push(w);
        }
    };
    for e in expected {
        for word in e.keywords() {
            if !words.contains(word) {
                words.push(word);
            }
        }
        match e {
            Expect::Clause | Expect::Term | Expect::Arg => {
                want(Want::Entities, &mut wants);
                want(Want::Variables, &mut wants);
            }
            // A write names entities by name, never by a variable.
            Expect::Entity => want(Want::Entities, &mut wants),
            Expect::Kind => want(Want::Kinds, &mut wants),
            Expect::Predicate | Expect::PredicateId => want(Want::Predicates, &mut wants),
            Expect::SavedName => want(Want::SavedNames, &mut wants),
            Expect::Column => {
                want(Want::Variables, &mut wants);
                for field in RelField::ALL {
                    if !words.contains(&field.name()) {
                        words.push(field.name());
                    }
                }
            }
            _ => {}
        }
    }
    if !words.is_empty() {
        wants.insert(0, Want::Keywords(words));
    }
    wants
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
    // After a `;` a new statement starts: its context is its own (a dot-command is its
    // whole line, `;` and all).
    let semicolon = match before.trim_start().starts_with('.') {
        true => None,
        false => scan(before)
            .iter()
            .rev()
            .find(|t| t.piece == Piece::Punct(";"))
            .map(|t| t.span.end),
    };
    if let Some(end) = semicolon {
        let mut context = detect(&text[end..], pos - end);
        context.start += end;
        return context;
    }
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
            Piece::Comment
            | Piece::Lit
            | Piece::Handle
            | Piece::Other
            | Piece::Str { closed: true } => return nothing(pos),
            Piece::Punct(_) => None,
            _ => tokens.pop(),
        },
        Some(t) if t.piece == Piece::Comment && !before[t.span.end..].contains('\n') => {
            return nothing(pos)
        }
        _ => None,
    };
    let Some(word) = partial else {
        return Context {
            start: pos,
            prefix: String::new(),
            quoted: false,
            wants: wants_after(before),
        };
    };
    let wants = || wants_after(&before[..word.span.start]);
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
            wants: wants()
                .into_iter()
                .filter(|w| *w == Want::Entities)
                .collect(),
        },
        _ => Context {
            start: word.span.start,
            prefix: text_of.to_string(),
            quoted: false,
            wants: wants()
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
    use crate::lang::{
        MODIFIER_KEYWORDS, PATH_OPTIONS, PERIOD_WORDS, STAGE_KEYWORDS, STATEMENT_STARTS,
        STATUS_OR_ANY, STATUS_WORDS,
    };
    use Want::*;

    /// One list of keywords, the lists `groups` end to end.
    fn words(groups: &[&[&'static str]]) -> Want {
        Keywords(groups.concat())
    }

    const NOT: &[&str] = &[lang::NOT];
    /// `as` of `as recorded`, which may end a query, a path, a `run` or a `history`.
    const AS: &[&str] = &[lang::AS];

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
        assert_eq!(c.wants, vec![words(&[STATEMENT_STARTS, NOT]), Entities]);

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
            vec![words(&[MODIFIER_KEYWORDS])]
        );
        assert_eq!(at_end("?x visited Baku st").prefix, "st");
        assert_eq!(
            at_end("?x visited Baku in ").wants,
            vec![words(&[PERIOD_WORDS])]
        );
        assert_eq!(
            at_end("?x visited Baku status ").wants,
            vec![words(&[STATUS_OR_ANY])]
        );
        assert_eq!(
            at_end("?x visited Baku | ").wants,
            vec![words(&[STAGE_KEYWORDS])]
        );
        let columns: Vec<&str> = RelField::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(
            at_end("?x visited Baku | sort ").wants,
            vec![words(&[&columns]), Variables]
        );
        assert_eq!(
            at_end("?x visited Baku | sort start ").wants,
            vec![words(&[&["asc", "desc"], AS])]
        );
        assert_eq!(
            at_end("?x visited Baku | count ").wants,
            vec![words(&[&[lang::BY], AS])]
        );
        assert_eq!(
            at_end("?x visited Baku, ").wants,
            vec![words(&[NOT]), Entities, Variables]
        );
        // After a whole period: more filters (`and` only after `between A`).
        assert_eq!(
            at_end("?x visited Baku in 2024 ").wants,
            vec![words(&[MODIFIER_KEYWORDS])]
        );
        assert_eq!(
            at_end("?x visited Baku between 2024 ").wants,
            vec![words(&[&[lang::AND]])]
        );
        assert_eq!(
            at_end("?x visited Baku as ").wants,
            vec![words(&[&[lang::OF, lang::RECORDED]])]
        );
        // `|` after a status word: another status word, or a stage.
        assert_eq!(
            at_end("?x visited Baku status planned|").wants,
            vec![words(&[STATUS_WORDS, STAGE_KEYWORDS])]
        );
        // A statement spread over lines.
        assert_eq!(
            at_end("Iran -- Azerbaijan |\nso").wants,
            vec![words(&[STAGE_KEYWORDS])]
        );
        // Text that has left the grammar gets nothing.
        assert!(at_end("?x visited Baku ) ").wants.is_empty());
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
            vec![words(&[MODIFIER_KEYWORDS])]
        );
        // A label ends a period like a date.
        assert_eq!(
            at_end("?p visited ?x @v, ?x ?r ?y between @v ").wants,
            vec![words(&[&[lang::AND]])]
        );
        assert_eq!(
            at_end("?p visited ?x @v, ?x ?r ?y after @v | ").wants,
            vec![words(&[STAGE_KEYWORDS])]
        );
    }

    #[test]
    fn paths_saved_queries_and_statements() {
        assert_eq!(at_end("path Netanyahu ").wants, vec![words(&[&[lang::TO]])]);
        assert_eq!(at_end("path Netanyahu to Pez").wants, vec![Entities]);
        assert_eq!(
            at_end("path Netanyahu to Pezeshkian ").wants,
            vec![words(&[PATH_OPTIONS, AS])]
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
            vec![words(&[STATEMENT_STARTS, NOT]), Entities]
        );
        assert_eq!(
            at_end("save ").wants,
            vec![words(&[&[lang::REPLACE]]), SavedNames]
        );
        assert_eq!(at_end("save replace p(x) = ?y ").wants, vec![Predicates]);
    }

    #[test]
    fn writes_and_questions_about_the_past() {
        use crate::lang::{ADD_FORMS, RELATION_FIELDS};
        assert_eq!(at_end("add ").wants, vec![words(&[ADD_FORMS]), Entities]);
        assert_eq!(at_end("add Pez").wants, vec![words(&[ADD_FORMS]), Entities]);
        assert_eq!(
            at_end("add Pezeshkian ").wants,
            vec![words(&[&[lang::NEW]]), Predicates]
        );
        assert_eq!(at_end("add Pezeshkian visited ").wants, vec![Entities]);
        assert_eq!(at_end("add entity araghchi ").wants, vec![Kinds]);
        assert_eq!(at_end("add entity araghchi per").wants, vec![Kinds]);
        assert_eq!(
            at_end("add Pezeshkian visited Baku ").wants,
            vec![words(&[RELATION_FIELDS, &[lang::BECAUSE]])]
        );
        assert_eq!(
            at_end("correct #412 ").wants,
            vec![words(&[RELATION_FIELDS])]
        );
        assert_eq!(
            at_end("correct #412 st").wants,
            vec![words(&[RELATION_FIELDS])]
        );
        assert_eq!(
            at_end("correct #412 status ").wants,
            vec![words(&[STATUS_WORDS])]
        );
        assert_eq!(
            at_end("correct #412 when ").wants,
            vec![words(&[lang::DATE_TEXT_WORDS])]
        );
        assert_eq!(
            at_end("correct ").wants,
            vec![words(&[lang::CORRECT_FORMS])]
        );
        assert_eq!(
            at_end("correct source kan ").wants,
            vec![words(&[lang::SOURCE_FIELDS])]
        );
        assert_eq!(
            at_end("correct source kan published 2025-05-08, ").wants,
            vec![words(&[lang::SOURCE_FIELDS])]
        );
        // A string is expected: nothing to offer.
        assert!(at_end("correct #412 when 2025 because ").wants.is_empty());
        assert!(at_end("correct #41").wants.is_empty());
        assert_eq!(
            at_end("retract ").wants,
            vec![Entities, Variables],
            "a relation id, or a clause's subject"
        );
        assert_eq!(at_end("merge a ").wants, vec![words(&[&[lang::INTO]])]);
        assert_eq!(at_end("merge a into ir").wants, vec![Entities]);
        assert_eq!(
            at_end("erase #412 because \"x\" ").wants,
            vec![words(&[&[lang::CONFIRM]])]
        );
        assert_eq!(at_end("history ").wants, vec![Entities]);
        assert_eq!(
            at_end("changes ").wants,
            vec![words(&[&[lang::SINCE, lang::BY]])]
        );
        assert_eq!(
            at_end("?x visited Baku as recorded ").wants,
            vec![words(&[&[lang::ON, lang::AT]])]
        );
        assert_eq!(
            at_end("Iran -- Azerbaijan | timeline as recorded at ").wants,
            vec![words(&[&[lang::CHANGE]])]
        );
        // A comment after a relation id is still a comment.
        assert!(at_end("history #412 # Ba").wants.is_empty());
    }

    #[test]
    fn after_a_semicolon_a_new_statement_starts() {
        let c = at_end("?x visited Baku; ?y vis");
        assert_eq!((c.start, c.prefix.as_str()), (20, "vis"));
        assert_eq!(c.wants, vec![Predicates]);
        let c = at_end("saved; .fo");
        assert_eq!((c.start, c.prefix.as_str()), (7, ".fo"));
        assert_eq!(c.wants, vec![DotCommands]);
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
