//! What the compiler writes differently for PostgreSQL: the statement is built once, in
//! SQLite's terms, and these pieces give PostgreSQL's where the two engines disagree.
//! SQLite's text is never changed by them.

use super::{ident, Dialect, Params};

/// PostgreSQL (before 16) refuses a subquery in FROM without an alias, which SQLite
/// takes: each `FROM (…)` of the statement gets one (`AS "q1"`, `"q2"`, …). Nothing
/// refers to them: the compiler names the columns of a subquery, never the subquery.
/// The text is the compiler's own (every value is a parameter), so its only quoted
/// parts are identifiers and the compiler's constant strings, skipped as such.
pub(super) fn name_subqueries(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    // For each open parenthesis: whether it opened a subquery in FROM.
    let mut open: Vec<bool> = Vec::new();
    let mut quote: Option<char> = None;
    let mut named = 0;
    for (at, c) in text.char_indices() {
        match quote {
            Some(q) => {
                // A doubled quote closes and opens again: the same either way.
                if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' => open.push(out.ends_with("FROM ")),
                // A subquery the compiler named already (a relation table as recorded).
                ')' if open.pop() == Some(true) && !named_after(&text[at + 1..]) => {
                    named += 1;
                    out.push(c);
                    out.push_str(" AS ");
                    out.push_str(&ident(format_args!("q{named}")));
                    continue;
                }
                _ => {}
            },
        }
        out.push(c);
    }
    out
}

/// True when `rest` (the text after a subquery) starts by naming it: `AS "x"` or `"x"`.
fn named_after(rest: &str) -> bool {
    let rest = rest.trim_start();
    rest.starts_with("AS ") || rest.starts_with('"')
}

/// The values of `expr` in a group as one text, separated by commas (the relation keys
/// of the rows a count counted): SQLite's `group_concat`, PostgreSQL's `string_agg`.
pub(super) fn comma_list(dialect: Dialect, expr: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("group_concat({expr})"),
        Dialect::Postgres => format!("string_agg(CAST({expr} AS TEXT), ',')"),
    }
}

/// `contains "words"` on PostgreSQL: the relations whose `column` (`quote`, `note`) holds
/// the words, one after another, in the text index (`relation_text`, whose rows are the
/// relations' keys and whose `quote_words`, `note_words` hold the folded texts' words in
/// the `simple` configuration, as the FTS5 index of SQLite holds them).
pub(super) fn words_in_text(r: &str, column: &str, words: &str, params: &mut Params) -> String {
    format!(
        "{r}.{} IN (SELECT {} FROM {} WHERE {} @@ phraseto_tsquery('simple', {}))",
        ident("key"),
        ident("key"),
        ident("relation_text"),
        ident(format_args!("{column}_words")),
        params.text(words)
    )
}

/// What a sort key needs to order NULLs as SQLite does (NULL below every value: first
/// ascending, last descending): nothing on SQLite; PostgreSQL takes NULL as above every
/// value unless told.
pub(super) fn nulls_as_sqlite(dialect: Dialect, descending: bool) -> &'static str {
    match (dialect, descending) {
        (Dialect::Sqlite, _) => "",
        (Dialect::Postgres, false) => " NULLS FIRST",
        (Dialect::Postgres, true) => " NULLS LAST",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_subquery_in_from_gets_a_name() {
        assert_eq!(
            name_subqueries(
                "SELECT \"a\" FROM (SELECT count(*) AS \"a\", 'x)(' FROM (SELECT 1 FROM \"t\") \
                 WHERE \"k\" IN (SELECT 2)) GROUP BY \"a\""
            ),
            "SELECT \"a\" FROM (SELECT count(*) AS \"a\", 'x)(' FROM (SELECT 1 FROM \"t\") AS \"q1\" \
             WHERE \"k\" IN (SELECT 2)) AS \"q2\" GROUP BY \"a\""
        );
        // Named already: left as it is.
        let named = "SELECT 1 FROM (SELECT 2) AS \"r0\", (SELECT 3) \"r1\"";
        assert_eq!(name_subqueries(named), named);
    }
}
