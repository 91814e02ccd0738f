-- factstore schema, version 13: lookups without reading every relation.
--
-- `predicates` and `sources` count the current relations by predicate and status, and by
-- source. Counted on demand that is a read of a million index entries (150–500 ms on the
-- 1M store); kept here it is a read of a few rows. Triggers keep the counts in step with
-- `relation` whoever writes it (writes, undo, erase, merge, history import, the sqlite3
-- shell), in the writer's own transaction: no code path has to remember them. A bulk
-- import drops the triggers and counts once at its end (src/store/import/bulk.rs);
-- `factstore check` compares them with a count of the relations. A row whose count falls
-- to 0 stays (a later relation finds it); readers take a missing row as 0.
CREATE TABLE predicate_count (
    predicate INTEGER NOT NULL,
    status    TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (predicate, status)
) WITHOUT ROWID;

CREATE TABLE source_count (
    source INTEGER PRIMARY KEY,
    n      INTEGER NOT NULL
);

INSERT INTO predicate_count (predicate, status, n)
SELECT predicate, status, count(*) FROM relation GROUP BY predicate, status;
INSERT INTO source_count (source, n)
SELECT source, count(*) FROM relation WHERE source IS NOT NULL GROUP BY source;

CREATE TRIGGER relation_count_insert AFTER INSERT ON relation
BEGIN
    INSERT INTO predicate_count (predicate, status, n) VALUES (NEW.predicate, NEW.status, 1)
    ON CONFLICT (predicate, status) DO UPDATE SET n = n + 1;
    INSERT INTO source_count (source, n) SELECT NEW.source, 1 WHERE NEW.source IS NOT NULL
    ON CONFLICT (source) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER relation_count_delete AFTER DELETE ON relation
BEGIN
    UPDATE predicate_count SET n = n - 1
    WHERE predicate = OLD.predicate AND status = OLD.status;
    UPDATE source_count SET n = n - 1 WHERE source = OLD.source;
END;

CREATE TRIGGER relation_count_update AFTER UPDATE OF predicate, status, source ON relation
WHEN OLD.predicate IS NOT NEW.predicate OR OLD.status IS NOT NEW.status
  OR OLD.source IS NOT NEW.source
BEGIN
    UPDATE predicate_count SET n = n - 1
    WHERE predicate = OLD.predicate AND status = OLD.status;
    UPDATE source_count SET n = n - 1 WHERE source = OLD.source;
    INSERT INTO predicate_count (predicate, status, n) VALUES (NEW.predicate, NEW.status, 1)
    ON CONFLICT (predicate, status) DO UPDATE SET n = n + 1;
    INSERT INTO source_count (source, n) SELECT NEW.source, 1 WHERE NEW.source IS NOT NULL
    ON CONFLICT (source) DO UPDATE SET n = n + 1;
END;

-- `describe` of an entity counts its relations by predicate, status and source and finds
-- its first and last dated one. The two indexes that list an entity's relations as
-- subject and as object already hold all of that but the source: with it at their end
-- (their order, so the plans that use them, unchanged) `describe` reads index entries
-- only, not each relation's row (83,448 rows for the 1M store's biggest hub). Built with
-- sorter threads, as schema 8 built them.
PRAGMA threads = 4;
DROP INDEX relation_object;
CREATE INDEX relation_object ON relation(object, predicate, start_lo, end_hi, subject, status, since_change, source);
DROP INDEX relation_pair;
CREATE INDEX relation_pair ON relation(subject, object, predicate, status, start_lo, end_hi, since_change, source);
PRAGMA threads = 0;
PRAGMA analysis_limit = 1000;
ANALYZE relation;
PRAGMA analysis_limit = 0;
