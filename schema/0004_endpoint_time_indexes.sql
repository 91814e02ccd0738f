-- factstore schema, version 4: time filters on one entity's relations ("what certainly
-- held around this hub on that day") read the entity's relations in the order of their
-- end bound instead of all of them, which for a hub is tens of thousands of rows. The
-- indexes are covering for the time tests, the status and the predicate.
CREATE INDEX relation_subject_end ON relation(subject, end_lo, start_hi, status, predicate);
CREATE INDEX relation_object_end ON relation(object, end_lo, start_hi, status, predicate);
