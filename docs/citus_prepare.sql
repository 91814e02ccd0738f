-- Schema changes a factstore PostgreSQL store needs before Citus distributes it
-- (docs/SCALE.md, "What the schema meets and what it breaks"). Run on the coordinator,
-- after CREATE EXTENSION citus, with the store's schema first on the search_path; then
-- the create_reference_table / create_distributed_table calls of docs/SCALE.md.
-- Tested with Citus 13.0.5 on PostgreSQL 15: tests/integration/citus.rs runs it.
BEGIN;
-- Citus refuses tables with triggers (citus.enable_unsafe_triggers aside): the store does
-- their work itself.
DROP TRIGGER alias_words_insert ON alias;
DROP TRIGGER alias_words_delete ON alias;
DROP TRIGGER alias_words_update ON alias;
DROP TRIGGER alias_generation_insert ON alias;
DROP TRIGGER alias_generation_delete ON alias;
DROP TRIGGER alias_generation_update ON alias;
DROP TRIGGER weak_alias_generation_insert ON weak_alias;
DROP TRIGGER weak_alias_generation_delete ON weak_alias;
DROP TRIGGER weak_alias_generation_update ON weak_alias;
DROP TRIGGER relation_count_insert ON relation;
DROP TRIGGER relation_count_delete ON relation;
DROP TRIGGER relation_count_update ON relation;
-- Keys of distributed tables, and foreign keys between them, hold the distribution
-- column (subject).
ALTER TABLE relation_text DROP CONSTRAINT relation_text_key_fkey;
ALTER TABLE relation_text DROP CONSTRAINT relation_text_pkey;
ALTER TABLE relation_text ADD COLUMN subject BIGINT;
UPDATE relation_text t SET subject = r.subject FROM relation r WHERE r.key = t.key;
ALTER TABLE relation_text ALTER COLUMN subject SET NOT NULL;
ALTER TABLE relation DROP CONSTRAINT relation_pkey;
ALTER TABLE relation ADD PRIMARY KEY (subject, key);
-- Citus makes a table with a foreign key to a reference table a local table of its own
-- when the coordinator is in its metadata (one node holding the shards, or a coordinator
-- holding copies of the reference tables), and cannot then distribute it while it has
-- an identity column ("cannot complete operation on a table with identity column").
-- factstore gives relations their keys itself (the next is max(key) + 1).
ALTER TABLE relation ALTER COLUMN key DROP IDENTITY;
-- Writes by `#key` and the next key (max(key) + 1) still look relations up by key alone.
CREATE INDEX relation_key ON relation (key);
ALTER TABLE relation_text ADD PRIMARY KEY (subject, key);
-- Its foreign key to relation (subject, key) is added once both are distributed
-- (docs/citus_distribute.sql): Citus takes no foreign key from a table it keeps on the
-- coordinator to a distributed one.
-- The same rows distributed by object, co-located with relation, for object-side branches.
CREATE TABLE relation_by_object (LIKE relation INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE relation_by_object ADD PRIMARY KEY (object, key),
    ADD FOREIGN KEY (subject) REFERENCES entity (key) DEFERRABLE INITIALLY IMMEDIATE,
    ADD FOREIGN KEY (object) REFERENCES entity (key) DEFERRABLE INITIALLY IMMEDIATE,
    ADD FOREIGN KEY (predicate) REFERENCES predicate (key) DEFERRABLE INITIALLY IMMEDIATE,
    ADD FOREIGN KEY (place) REFERENCES entity (key) DEFERRABLE INITIALLY IMMEDIATE,
    ADD FOREIGN KEY (source) REFERENCES source (key) DEFERRABLE INITIALLY IMMEDIATE;
CREATE INDEX relation_by_object_object ON relation_by_object
    (object, predicate, start_lo, end_hi, subject, status, since_change, source);
CREATE INDEX relation_by_object_object_end ON relation_by_object
    (object, end_lo, start_hi, status, predicate);
CREATE INDEX relation_by_object_subject ON relation_by_object (subject, predicate, start_lo, end_hi);
CREATE INDEX relation_by_object_key ON relation_by_object (key);
INSERT INTO relation_by_object SELECT * FROM relation;
COMMIT;
