-- factstore schema, version 9: the words of names. A name that is no entity's full name
-- or alias but a whole word of names (`Bayramov` in `Jeyhun Bayramov`) resolves through
-- this index, and `entities like "…"` finds names by the start of any of their words.
-- Each row says: some name or alias of `entity`, normalised (alias.norm), has `word` as
-- one of its space-separated words. Only names of two or more words are listed: a name
-- of one word is its own normalised form, which alias_norm already indexes.
--
-- Triggers keep it in step with `alias` whoever writes it (import, writes, undo, history
-- import, the sqlite3 shell): no code path has to remember it. The words are split in SQL
-- by reading the normalised name as a JSON array (normalised names have single spaces
-- between words); a name whose text would not make valid JSON (a control character)
-- lists no words and still resolves by its whole name.

CREATE TABLE name_word (
    word   TEXT NOT NULL,
    entity INTEGER NOT NULL,
    PRIMARY KEY (word, entity)
) WITHOUT ROWID;

INSERT OR IGNORE INTO name_word (word, entity)
SELECT w.value, a.entity
FROM alias a,
     json_each(CASE WHEN json_valid('["' || replace(replace(replace(a.norm, '\', '\\'), '"', '\"'), ' ', '","') || '"]')
                    THEN '["' || replace(replace(replace(a.norm, '\', '\\'), '"', '\"'), ' ', '","') || '"]'
                    ELSE '[]' END) w
WHERE instr(a.norm, ' ') > 0;

CREATE TRIGGER alias_words_insert AFTER INSERT ON alias
WHEN instr(NEW.norm, ' ') > 0
BEGIN
    INSERT OR IGNORE INTO name_word (word, entity)
    SELECT w.value, NEW.entity
    FROM json_each(CASE WHEN json_valid('["' || replace(replace(replace(NEW.norm, '\', '\\'), '"', '\"'), ' ', '","') || '"]')
                        THEN '["' || replace(replace(replace(NEW.norm, '\', '\\'), '"', '\"'), ' ', '","') || '"]'
                        ELSE '[]' END) w;
END;

-- A word goes when no other name of the entity still has it.
CREATE TRIGGER alias_words_delete AFTER DELETE ON alias
WHEN instr(OLD.norm, ' ') > 0
BEGIN
    DELETE FROM name_word
    WHERE entity = OLD.entity
      AND instr(' ' || OLD.norm || ' ', ' ' || word || ' ') > 0
      AND NOT EXISTS (SELECT 1 FROM alias a
                      WHERE a.entity = OLD.entity
                        AND instr(' ' || a.norm || ' ', ' ' || name_word.word || ' ') > 0);
END;

CREATE TRIGGER alias_words_update AFTER UPDATE OF norm, entity ON alias
BEGIN
    DELETE FROM name_word
    WHERE entity = OLD.entity
      AND instr(' ' || OLD.norm || ' ', ' ' || word || ' ') > 0
      AND NOT EXISTS (SELECT 1 FROM alias a
                      WHERE a.entity = OLD.entity
                        AND instr(' ' || a.norm || ' ', ' ' || name_word.word || ' ') > 0);
    INSERT OR IGNORE INTO name_word (word, entity)
    SELECT w.value, NEW.entity
    FROM json_each(CASE WHEN instr(NEW.norm, ' ') > 0
                         AND json_valid('["' || replace(replace(replace(NEW.norm, '\', '\\'), '"', '\"'), ' ', '","') || '"]')
                        THEN '["' || replace(replace(replace(NEW.norm, '\', '\\'), '"', '\"'), ' ', '","') || '"]'
                        ELSE '[]' END) w;
END;
