-- factstore schema, version 1.
-- Dates are stored as day numbers (days since 1970-01-01, proleptic Gregorian) so that
-- they compare and index as integers; an unknown or open bound is the smallest or the
-- largest 64-bit integer (minus or plus infinity). The view `relation_view` shows them
-- as ISO dates for anyone reading the file with the sqlite3 shell.

CREATE TABLE source (
    key         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    title       TEXT,
    published   TEXT,            -- the date expression as written
    published_lo INTEGER,
    published_hi INTEGER,
    lang        TEXT,
    url         TEXT,
    note        TEXT
);

CREATE TABLE entity (
    key         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    note        TEXT
);
CREATE INDEX entity_kind ON entity(kind);

-- Every name of an entity: its display name (is_name = 1) and its aliases, each with
-- its normalised form (see src/names) for lookup.
CREATE TABLE alias (
    entity      INTEGER NOT NULL REFERENCES entity(key) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    norm        TEXT NOT NULL,
    lang        TEXT,
    is_name     INTEGER NOT NULL DEFAULT 0,
    ord         INTEGER NOT NULL DEFAULT 0,   -- order of the alias in the record
    PRIMARY KEY (entity, text)
) WITHOUT ROWID;
CREATE INDEX alias_norm ON alias(norm, entity);

CREATE TABLE predicate (
    key         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    label       TEXT,
    symmetric   INTEGER NOT NULL DEFAULT 0 CHECK (symmetric IN (0, 1)),
    description TEXT,
    declared    INTEGER NOT NULL DEFAULT 1   -- 0: created by a relation that used it
);

CREATE TABLE relation (
    key         INTEGER PRIMARY KEY,
    subject     INTEGER NOT NULL REFERENCES entity(key),
    predicate   INTEGER NOT NULL REFERENCES predicate(key),
    object      INTEGER NOT NULL REFERENCES entity(key),
    -- the time as written: at most one of `when`, (`from`, `to`), `at`
    when_text   TEXT,
    from_text   TEXT,
    to_text     TEXT,
    at_text     TEXT,
    -- the four bounds; all NULL when the time is unknown
    start_lo    INTEGER,
    start_hi    INTEGER,
    end_lo      INTEGER,
    end_hi      INTEGER,
    status      TEXT NOT NULL DEFAULT 'occurred'
                CHECK (status IN ('occurred', 'planned', 'alleged', 'denied')),
    place       INTEGER REFERENCES entity(key),
    source      INTEGER REFERENCES source(key),
    quote       TEXT,
    note        TEXT,
    confidence  REAL CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
    -- 128-bit hash of the record's fields: importing an identical record adds nothing
    fingerprint BLOB NOT NULL UNIQUE
);
CREATE INDEX relation_subject ON relation(subject, predicate, start_lo);
CREATE INDEX relation_object ON relation(object, predicate, start_lo);
CREATE INDEX relation_predicate ON relation(predicate, start_lo);

-- Queries saved with `save NAME(p…) = …`.
CREATE TABLE saved_query (
    name        TEXT PRIMARY KEY,
    params      TEXT NOT NULL,     -- JSON array of parameter names
    body        TEXT NOT NULL      -- the query text as written
);

-- Relations with names resolved and bounds as ISO dates, for people using SQLite tools.
CREATE VIEW relation_view AS
SELECT
    r.key                      AS key,
    s.id                       AS subject_id,
    s.name                     AS subject,
    p.id                       AS predicate,
    o.id                       AS object_id,
    o.name                     AS object,
    COALESCE(r.when_text,
             CASE WHEN r.from_text IS NOT NULL OR r.to_text IS NOT NULL
                  THEN COALESCE(r.from_text, '') || '/' || COALESCE(r.to_text, '') END,
             CASE WHEN r.at_text IS NOT NULL THEN 'at ' || r.at_text END) AS time_text,
    CASE WHEN r.start_lo BETWEEN -719528 AND 2932896 THEN date(r.start_lo * 86400, 'unixepoch') END AS start_lo,
    CASE WHEN r.start_hi BETWEEN -719528 AND 2932896 THEN date(r.start_hi * 86400, 'unixepoch') END AS start_hi,
    CASE WHEN r.end_lo   BETWEEN -719528 AND 2932896 THEN date(r.end_lo   * 86400, 'unixepoch') END AS end_lo,
    CASE WHEN r.end_hi   BETWEEN -719528 AND 2932896 THEN date(r.end_hi   * 86400, 'unixepoch') END AS end_hi,
    r.status                   AS status,
    pl.name                    AS place,
    src.id                     AS source,
    r.quote                    AS quote,
    r.note                     AS note,
    r.confidence               AS confidence
FROM relation r
JOIN entity s    ON s.key = r.subject
JOIN predicate p ON p.key = r.predicate
JOIN entity o    ON o.key = r.object
LEFT JOIN entity pl ON pl.key = r.place
LEFT JOIN source src ON src.key = r.source;
