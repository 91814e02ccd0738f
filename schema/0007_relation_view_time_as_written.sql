-- factstore schema, version 7: the view `relation_view` writes a relation's time as
-- every other output does (`from 2023-01 to mid 2024`, `from A`, `to B`, `at D`), not
-- `A/B`. The expression is `model::time_as_written_sql("r")`, the one writer of the time
-- as written; a unit test (store::open) keeps this file equal to it.
DROP VIEW relation_view;

CREATE VIEW relation_view AS
SELECT
    r.key                      AS key,
    s.id                       AS subject_id,
    s.name                     AS subject,
    p.id                       AS predicate,
    o.id                       AS object_id,
    o.name                     AS object,
    COALESCE(r."when_text", CASE WHEN r."from_text" IS NOT NULL AND r."to_text" IS NOT NULL THEN 'from ' || r."from_text" || ' to ' || r."to_text" WHEN r."from_text" IS NOT NULL THEN 'from ' || r."from_text" WHEN r."to_text" IS NOT NULL THEN 'to ' || r."to_text" WHEN r."at_text" IS NOT NULL THEN 'at ' || r."at_text" END) AS time_text,
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
