-- Schema changes a factstore PostgreSQL store needs before Citus distributes it
-- (docs/SCALE.md, "What the schema meets and what it breaks"). Run on the coordinator,
-- after CREATE EXTENSION citus, with the store's schema first on the search_path; then
-- the create_reference_table / create_distributed_table calls of docs/SCALE.md.
-- Tested on PostgreSQL 15 (without Citus) on a copy of the 100k bench store.
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
-- Writes by `#key` and the next key (max(key) + 1) still look relations up by key alone.
CREATE INDEX relation_key ON relation (key);
ALTER TABLE relation_text ADD PRIMARY KEY (subject, key);
ALTER TABLE relation_text ADD FOREIGN KEY (subject, key) REFERENCES relation (subject, key)
    ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE;
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
