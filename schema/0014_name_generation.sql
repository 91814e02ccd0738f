-- factstore schema, version 13: the cached name table of `mentions` (schema 11) is kept
-- until a *name* changes, not until any change (a relation added is no reason to build
-- the table of 300,000 names again), and it carries a checksum, so that a damaged blob is
-- built again instead of believed.
--
-- `name_generation` counts the changes of names: triggers on `alias` and `weak_alias`
-- bump it whoever writes them (import, writes, undo, history import, the sqlite3 shell).
-- A bulk import drops the alias triggers while it inserts (src/store/import/bulk.rs) and
-- bumps the count itself when it creates them again. The cached table was built from the
-- names of `generation`; any other count means it is stale.
CREATE TABLE name_generation (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  INTEGER NOT NULL
);
INSERT INTO name_generation (id, generation) VALUES (1, 1);

DROP TABLE name_table_cache;
CREATE TABLE name_table_cache (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  INTEGER NOT NULL,   -- name_generation.generation when it was built
    checksum    INTEGER NOT NULL,   -- of body (names::mentions::checksum)
    body        BLOB NOT NULL       -- names::mentions::NameTable, serialised
);

CREATE TRIGGER alias_generation_insert AFTER INSERT ON alias
BEGIN UPDATE name_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER alias_generation_delete AFTER DELETE ON alias
BEGIN UPDATE name_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER alias_generation_update AFTER UPDATE OF norm, entity ON alias
BEGIN UPDATE name_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER weak_alias_generation_insert AFTER INSERT ON weak_alias
BEGIN UPDATE name_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER weak_alias_generation_delete AFTER DELETE ON weak_alias
BEGIN UPDATE name_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER weak_alias_generation_update AFTER UPDATE OF norm, entity ON weak_alias
BEGIN UPDATE name_generation SET generation = generation + 1 WHERE id = 1; END;
