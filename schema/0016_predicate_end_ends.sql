-- The predicate and time index carries each relation's ends too. A query whose predicate
-- position reads symmetric relations both ways (`?a ?r ?b in 2025 | count by ?r`) leaves
-- a relation with the same entity at both ends out of its reverse branch, which needs
-- the ends: without them the index did not cover that branch, and SQLite read it through
-- `relation_predicate` and the table instead, every row of every symmetric predicate
-- (BENCHMARKS.md, "Rows are bindings and q6").
DROP INDEX relation_predicate_end;
CREATE INDEX relation_predicate_end ON relation(predicate, end_hi, start_lo, status, subject, object);
PRAGMA analysis_limit = 1000;
ANALYZE relation;
PRAGMA analysis_limit = 0;
