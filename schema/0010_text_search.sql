-- factstore schema, version 9: the text index of relations' quotes and notes, for a
-- query's `quote contains "…"` and `note contains "…"` (src/store/text_search.rs).
-- Each relation with a quote or a note is one row, its rowid the relation's key, its
-- text in the normalised form of names (case, Latin diacritics, Arabic spelling
-- variants) as the function factstore_fold gives it; FTS5's unicode61 tokenizer splits
-- it into words. The index keeps only its word lists (contentless), and its rows can be
-- deleted as any table's.

CREATE VIRTUAL TABLE relation_text USING fts5(
    quote,
    note,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- Existing relations.
INSERT INTO relation_text (rowid, quote, note)
SELECT key, factstore_fold(quote), factstore_fold(note)
FROM relation
WHERE quote IS NOT NULL OR note IS NOT NULL;

-- Every write of a relation keeps its row in step: the one owner of the index.
CREATE TRIGGER relation_text_insert AFTER INSERT ON relation
WHEN new.quote IS NOT NULL OR new.note IS NOT NULL
BEGIN
    INSERT INTO relation_text (rowid, quote, note)
    VALUES (new.key, factstore_fold(new.quote), factstore_fold(new.note));
END;

CREATE TRIGGER relation_text_delete AFTER DELETE ON relation
WHEN old.quote IS NOT NULL OR old.note IS NOT NULL
BEGIN
    DELETE FROM relation_text WHERE rowid = old.key;
END;

CREATE TRIGGER relation_text_update AFTER UPDATE OF key, quote, note ON relation
BEGIN
    DELETE FROM relation_text WHERE rowid = old.key;
    INSERT INTO relation_text (rowid, quote, note)
    SELECT new.key, factstore_fold(new.quote), factstore_fold(new.note)
    WHERE new.quote IS NOT NULL OR new.note IS NOT NULL;
END;
