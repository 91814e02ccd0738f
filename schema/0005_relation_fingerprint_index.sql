-- factstore schema, version 5: relation fingerprints (a 128-bit hash of a record's fields,
-- so that importing an identical record adds nothing) are looked up through a named
-- index instead of a UNIQUE column constraint. A constraint's index cannot be dropped; a
-- named one can, so a bulk import drops it with the other relation indexes and builds it
-- once, sorted, at the end, instead of inserting a random 16-byte key per relation into a
-- b-tree that, for millions of relations, no longer fits the page cache. The import (the
-- only writer of relations) keeps one relation per fingerprint: it writes a relation only
-- when the fingerprint is not stored, and after a bulk insert it removes the later copies
-- before building the other indexes. `factstore check` verifies it.
--
-- SQLite cannot drop a column constraint, so the table is rebuilt with the same columns
-- in the same order, its rows and keys copied, and its indexes and view made again.
DROP VIEW relation_view;

CREATE TABLE relation_new (
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
    fingerprint BLOB NOT NULL
);

INSERT INTO relation_new SELECT * FROM relation;
DROP TABLE relation;
ALTER TABLE relation_new RENAME TO relation;

CREATE INDEX relation_fingerprint ON relation(fingerprint);
CREATE INDEX relation_subject ON relation(subject, predicate, start_lo);
CREATE INDEX relation_object ON relation(object, predicate, start_lo);
CREATE INDEX relation_predicate ON relation(predicate, start_lo);
CREATE INDEX relation_pair ON relation(subject, object);
CREATE INDEX relation_predicate_end ON relation(predicate, end_hi, start_lo, status);
CREATE INDEX relation_end ON relation(end_hi, start_lo, status, predicate);
CREATE INDEX relation_subject_end ON relation(subject, end_lo, start_hi, status, predicate);
CREATE INDEX relation_object_end ON relation(object, end_lo, start_hi, status, predicate);

-- Dropping the old table dropped its statistics: gather them again (sampled, so a large
-- store upgrades quickly).
PRAGMA analysis_limit = 1000;
ANALYZE relation;
PRAGMA analysis_limit = 0;

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
