-- factstore schema, version 2: relations between two given entities (`A -- B`, the
-- hops of `path`) are found through one index lookup instead of a scan of all the
-- relations of either end, which for a hub is a large share of the store.
CREATE INDEX relation_pair ON relation(subject, object);
