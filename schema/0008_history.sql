-- factstore schema, version 8: recorded time (WRITES.md). Every change to the store (a
-- write statement, a `begin … commit` block or `--atomic` script, an import, an upgrade)
-- is a row of `change`. The current beliefs stay where queries read them (`relation`,
-- `entity` with `alias`, `predicate`, `source`), each row saying which change made its
-- current version (`since_change`), so a query that does not ask about the past reads
-- exactly what it read before. A version a later change replaced, retracted or erased
-- moves to the matching `*_version` table with the change that ended it
-- (`until_change`). What the store held at the end of change N is therefore:
--   the current rows with since_change <= N, and
--   the versions with since_change <= N < until_change.
-- Ids are never reused: a new relation's id (its key, shown `#412`) and a new entity's
-- key are above every key in the current table and in its versions.

CREATE TABLE change (
    id            INTEGER PRIMARY KEY,  -- the change number: 1, 2, …
    recorded      TEXT NOT NULL,        -- UTC instant 'YYYY-MM-DDTHH:MM:SS.SSSSSSZ' (sorts as text)
    author        TEXT NOT NULL,        -- `--as`, FACTSTORE_USER or the login name
    origin        TEXT NOT NULL,        -- 'repl', 'upgrade', a script's path, an import file's name
    origin_sha256 TEXT,                 -- hex SHA-256 of an imported file
    reason        TEXT,                 -- the `because` text(s) of the change
    statement     TEXT,                 -- the write statements as written
    undoes        INTEGER REFERENCES change(id)  -- the change an `undo` reverted
);
CREATE INDEX change_recorded ON change(recorded);
CREATE INDEX change_author ON change(author, recorded);

-- The store's contents before history become change 1, "before history", recorded at the
-- upgrade's instant. A new, empty store has no change until its first write or import.
INSERT INTO change (id, recorded, author, origin, reason)
SELECT 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'factstore', 'upgrade', 'before history'
WHERE EXISTS (SELECT 1 FROM entity) OR EXISTS (SELECT 1 FROM predicate)
   OR EXISTS (SELECT 1 FROM source) OR EXISTS (SELECT 1 FROM saved_query);

ALTER TABLE relation  ADD COLUMN since_change INTEGER NOT NULL DEFAULT 1;
ALTER TABLE entity    ADD COLUMN since_change INTEGER NOT NULL DEFAULT 1;
ALTER TABLE predicate ADD COLUMN since_change INTEGER NOT NULL DEFAULT 1;
ALTER TABLE source    ADD COLUMN since_change INTEGER NOT NULL DEFAULT 1;
-- The rows a change after the first made current: a question about the past leaves them
-- out by key (see src/sql/recorded.rs) and asks whether any change came after the moment
-- it asks about. Partial, so that the rows of the first change (the upgrade's "before
-- history", or the first import into an empty store: usually nearly all) cost nothing.
CREATE INDEX relation_since ON relation(since_change) WHERE since_change > 1;
CREATE INDEX entity_since ON entity(since_change) WHERE since_change > 1;
-- The indexes that queries read without the relations' rows (counts by predicate and by
-- time, hops between entities, the path search's layers) end with since_change, so a
-- question about the past tests it on their entries instead of reading each relation's
-- row; the other indexes serve queries that read the rows they find anyway. Their order
-- is unchanged, so are today's plans. Built with sorter threads, as an import builds
-- them (src/store/import/bulk.rs), then the connection's defaults again.
PRAGMA threads = 4;
DROP INDEX relation_predicate_end;
CREATE INDEX relation_predicate_end ON relation(predicate, end_hi, start_lo, status, since_change);
DROP INDEX relation_end;
CREATE INDEX relation_end ON relation(end_hi, start_lo, status, predicate, since_change);
DROP INDEX relation_object;
CREATE INDEX relation_object ON relation(object, predicate, start_lo, end_hi, subject, status, since_change);
DROP INDEX relation_pair;
CREATE INDEX relation_pair ON relation(subject, object, predicate, status, start_lo, end_hi, since_change);
PRAGMA threads = 0;
-- Statistics for the new indexes (dropping an index drops its own), sampled as after an
-- import: without them the planner chose a slow plan for the fold below (an upgrade of
-- 1M relations took 24 s instead of 5).
PRAGMA analysis_limit = 1000;
ANALYZE relation;
PRAGMA analysis_limit = 0;
-- `merge A into B`: A's row stays (its id keeps resolving, to B) with merged_into = B.
ALTER TABLE entity    ADD COLUMN merged_into INTEGER REFERENCES entity(key);
CREATE INDEX entity_merged_into ON entity(merged_into) WHERE merged_into IS NOT NULL;

-- Versions of relations that are no longer current. An erased relation leaves one
-- tombstone row (erased = 1, every content column NULL) and no other version.
CREATE TABLE relation_version (
    id           INTEGER NOT NULL,      -- the relation's handle (relation.key)
    since_change INTEGER NOT NULL,
    until_change INTEGER NOT NULL,
    subject      INTEGER,
    predicate    INTEGER,
    object       INTEGER,
    when_text    TEXT,
    from_text    TEXT,
    to_text      TEXT,
    at_text      TEXT,
    start_lo     INTEGER,
    start_hi     INTEGER,
    end_lo       INTEGER,
    end_hi       INTEGER,
    status       TEXT,
    place        INTEGER,
    source       INTEGER,
    quote        TEXT,
    note         TEXT,
    confidence   REAL,
    erased       INTEGER NOT NULL DEFAULT 0 CHECK (erased IN (0, 1)),
    PRIMARY KEY (id, since_change)
) WITHOUT ROWID;
CREATE INDEX relation_version_until ON relation_version(until_change, since_change);
CREATE INDEX relation_version_subject ON relation_version(subject, predicate, start_lo, end_hi);
CREATE INDEX relation_version_object ON relation_version(object, predicate, start_lo, end_hi);
CREATE INDEX relation_version_predicate ON relation_version(predicate, start_lo);

-- Versions of entities that are no longer current, with their names as they were (a JSON
-- array of [text, lang, is_name, ord] in the order of `alias`).
CREATE TABLE entity_version (
    key          INTEGER NOT NULL,
    since_change INTEGER NOT NULL,
    until_change INTEGER NOT NULL,
    id           TEXT,
    kind         TEXT,
    name         TEXT,
    note         TEXT,
    merged_into  INTEGER,
    aliases      TEXT,
    PRIMARY KEY (key, since_change)
) WITHOUT ROWID;
CREATE INDEX entity_version_until ON entity_version(until_change, since_change);

CREATE TABLE predicate_version (
    key          INTEGER NOT NULL,
    since_change INTEGER NOT NULL,
    until_change INTEGER NOT NULL,
    id           TEXT,
    label        TEXT,
    symmetric    INTEGER,
    description  TEXT,
    declared     INTEGER,
    PRIMARY KEY (key, since_change)
) WITHOUT ROWID;

CREATE TABLE source_version (
    key          INTEGER NOT NULL,
    since_change INTEGER NOT NULL,
    until_change INTEGER NOT NULL,
    id           TEXT,
    title        TEXT,
    published    TEXT,
    published_lo INTEGER,
    published_hi INTEGER,
    lang         TEXT,
    url          TEXT,
    note         TEXT,
    PRIMARY KEY (key, since_change)
) WITHOUT ROWID;

-- Statuses `postponed` and `cancelled` (a planned event moved or called off) join the
-- relation's CHECK. Rebuilding a table of millions of relations and its nine indexes to
-- widen a CHECK would make the upgrade slow; SQLite documents editing the table's
-- definition in place for changes that leave the stored rows valid, as widening a CHECK
-- does (https://sqlite.org/lang_altertable.html, "other kinds of table schema changes").
-- The ALTER TABLEs above changed the schema cookie, so every connection reads it again.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql,
    'CHECK (status IN (''occurred'', ''planned'', ''alleged'', ''denied''))',
    'CHECK (status IN (''occurred'', ''planned'', ''alleged'', ''denied'', ''postponed'', ''cancelled''))')
WHERE type = 'table' AND name = 'relation';
PRAGMA writable_schema = RESET;

-- A symmetric relation is the same fact either way round: `B met A` stored beside an
-- identical `A met B` is a duplicate. The upgrade keeps the first (lowest key) of each
-- such pair and records the others' removal as change 2, "fold symmetric duplicates", so
-- history shows what was removed and why.
CREATE TEMP TABLE fold AS
SELECT b.key AS key
FROM relation a
JOIN relation b
  ON b.subject = a.object AND b.object = a.subject AND b.predicate = a.predicate
 AND b.key > a.key AND a.subject <> a.object
JOIN predicate p ON p.key = a.predicate AND p.symmetric = 1
WHERE a.when_text IS b.when_text AND a.from_text IS b.from_text AND a.to_text IS b.to_text
  AND a.at_text IS b.at_text AND a.status IS b.status AND a.place IS b.place
  AND a.source IS b.source AND a.quote IS b.quote AND a.note IS b.note
  AND a.confidence IS b.confidence;

INSERT INTO change (id, recorded, author, origin, reason)
SELECT 2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'factstore', 'upgrade',
       'fold symmetric duplicates'
WHERE EXISTS (SELECT 1 FROM temp.fold);

INSERT INTO relation_version (id, since_change, until_change, subject, predicate, object,
    when_text, from_text, to_text, at_text, start_lo, start_hi, end_lo, end_hi, status,
    place, source, quote, note, confidence)
SELECT r.key, 1, 2, r.subject, r.predicate, r.object, r.when_text, r.from_text, r.to_text,
       r.at_text, r.start_lo, r.start_hi, r.end_lo, r.end_hi, r.status, r.place, r.source,
       r.quote, r.note, r.confidence
FROM relation r WHERE r.key IN (SELECT key FROM temp.fold);

DELETE FROM relation WHERE key IN (SELECT key FROM temp.fold);
DROP TABLE temp.fold;
