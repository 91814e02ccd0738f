-- factstore schema, version 6: the index on a relation's two ends also holds its time
-- bounds `start_lo` and `end_hi`. A time filter around one entity with any predicate
-- ("what did this hub do before 1995", "what was in 2024") then tests each of the
-- entity's index entries and reads only the relations that pass, instead of reading
-- every relation of the entity from the table (for a hub, tens of thousands). Lookups of
-- the relations between two entities use it as before.
DROP INDEX relation_pair;
CREATE INDEX relation_pair ON relation(subject, object, start_lo, end_hi);

-- The dropped index took its statistics with it (sampled, as after an import).
PRAGMA analysis_limit = 1000;
ANALYZE relation_pair;
PRAGMA analysis_limit = 0;
