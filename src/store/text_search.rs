//! The text index of relations' quotes and notes (schema 10, `relation_text`): what it
//! holds is each text in the normalised form of names ([`crate::names::normalise`]:
//! case, Latin diacritics, Arabic spelling variants), split into words by FTS5's
//! `unicode61` tokenizer. Triggers on `relation` keep it in step with every write,
//! import, correction, retraction and undo; they call [`FOLD_FUNCTION`], which each
//! connection registers ([`register`]). A query's `contains "…"` is normalised the same
//! way by the planner, so both sides of a match go through one normalisation and one
//! tokenizer. A PostgreSQL store has no such function: its `relation_text` is a table of
//! the folded texts that the writers fill, searched through its `tsvector` columns (the
//! compiler's `contains` for PostgreSQL, `sql::dialect`).

use rusqlite::functions::FunctionFlags;
use rusqlite::Connection;

/// The triggers on `relation` that keep the index. A bulk import drops them with the
/// relation's indexes: each row they index opens a statement savepoint in which FTS5
/// writes its pending words to disk, so a row-by-row import wrote a small segment per
/// relation and spent half its time merging them. The import indexes its relations at
/// its end instead, in one statement ([`INDEX_CHANGE_SQL`]).
pub(crate) const TEXT_TRIGGERS: &[&str] = &[
    "relation_text_insert",
    "relation_text_delete",
    "relation_text_update",
];

/// Removes from the index the relations of change `?1` (those an import wrote before it
/// dropped [`TEXT_TRIGGERS`]), so that [`INDEX_CHANGE_SQL`] indexes each once.
pub(crate) const UNINDEX_CHANGE_SQL: &str =
    "DELETE FROM relation_text WHERE rowid IN (SELECT key FROM relation WHERE since_change = ?1)";

/// Indexes the texts of the relations of change `?1`, as the triggers would have.
pub(crate) const INDEX_CHANGE_SQL: &str = "INSERT INTO relation_text (rowid, quote, note)
    SELECT key, factstore_fold(quote), factstore_fold(note) FROM relation
    WHERE since_change = ?1 AND (quote IS NOT NULL OR note IS NOT NULL)";

/// Indexes the texts of the relations whose keys are above `?1` (added in a group of
/// changes while [`INSERT_TRIGGER`] was dropped), as the trigger would have.
pub(crate) const INDEX_FROM_KEY_SQL: &str = "INSERT INTO relation_text (rowid, quote, note)
    SELECT key, factstore_fold(quote), factstore_fold(note) FROM relation
    WHERE key > ?1 AND (quote IS NOT NULL OR note IS NOT NULL)";

/// The trigger that indexes a new relation's texts.
pub(crate) const INSERT_TRIGGER: &str = "relation_text_insert";

/// The SQL function the triggers of schema 10 call: a text's normalised form (NULL for
/// NULL).
pub const FOLD_FUNCTION: &str = "factstore_fold";

/// Registers [`FOLD_FUNCTION`] on `conn`. A tool that writes relations without it (the
/// sqlite3 shell) is refused by SQLite ("no such function"), so the index never falls
/// out of step.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        FOLD_FUNCTION,
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let text: Option<String> = ctx.get(0)?;
            Ok(text.map(|t| crate::names::normalise(&t)))
        },
    )
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    fn fold(store: &Store, text: &str) -> String {
        store
            .connection()
            .query_row("SELECT factstore_fold(?1)", [text], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn the_fold_function_is_the_normalised_form_of_names() {
        let store = Store::open_in_memory().unwrap();
        for text in ["بحر قزوين", "Türkiye  Baku", "إلهام علييف"] {
            assert_eq!(fold(&store, text), crate::names::normalise(text));
        }
    }
}
