-- factstore schema, version 13: the ends of relation versions, for the planner's question
-- before a query about the past (`Catalog::versions_touch`, src/store/catalog.rs): "was a
-- version current at change N between these two entities (or at this one)?". Through the
-- subject and object indexes of schema 8 that read the row of every version of the entity
-- for its other end and its changes (about fifty of a hub's after 1,000 corrections);
-- with the ends and the changes in the index it is one seek per way round, on entries
-- only. Two orders so that an entity is found at either end; a pair either way round is
-- found through the first. The versions table is small beside `relation`, and a write
-- adds at most one version per relation it changes, so the cost is one entry each.
CREATE INDEX relation_version_ends ON relation_version(subject, object, until_change, since_change);
CREATE INDEX relation_version_ends_mirror ON relation_version(object, subject, until_change, since_change);
