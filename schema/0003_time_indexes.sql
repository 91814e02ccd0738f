-- factstore schema, version 3: time filters without a named entity ("what happened in
-- 2024", "count of one predicate in a period") read a range of an index on the end
-- bound instead of every relation that started before the period's end. Most facts
-- lie in the past, so `end_hi >= P.lo` is the narrow side of "possibly in P"; the
-- columns after it make the indexes covering for the time tests, the status and the
-- predicate, so no table rows are read to decide.
CREATE INDEX relation_predicate_end ON relation(predicate, end_hi, start_lo, status);
CREATE INDEX relation_end ON relation(end_hi, start_lo, status, predicate);
