-- Distributes a factstore PostgreSQL store with Citus (docs/SCALE.md, "The commands"),
-- after docs/citus_prepare.sql. Run on the coordinator, with the workers added
-- (`SELECT citus_add_node(host, port)`) and the store's schema first on the search path:
--   psql -v ON_ERROR_STOP=1 -d DB -c 'SET search_path = factstore' \
--        -f docs/citus_prepare.sql -f docs/citus_distribute.sql
-- Tested with Citus 13.0.5 on PostgreSQL 15 (a coordinator and two workers; and one node
-- holding its own shards): tests/integration/citus.rs runs it.

-- Reference tables (a copy on every node), referenced ones first.
SELECT create_reference_table('entity');
SELECT create_reference_table('source');
SELECT create_reference_table('predicate');
SELECT create_reference_table('change');
SELECT create_reference_table('alias');
SELECT create_reference_table('weak_alias');
SELECT create_reference_table('name_word');
SELECT create_reference_table('name_generation');
SELECT create_reference_table('name_table_cache');
SELECT create_reference_table('saved_query');
SELECT create_reference_table('predicate_count');
SELECT create_reference_table('source_count');
SELECT create_reference_table('entity_version');
SELECT create_reference_table('predicate_version');
SELECT create_reference_table('source_version');
SELECT create_reference_table('relation_version');
SELECT create_reference_table('schema_version');

-- The relations, split by subject; their copy by object and their texts in the same
-- shard groups. A distributed table with a foreign key to a reference table the
-- transaction has touched takes DDL over one connection per node only ("cannot execute
-- parallel DDL on table relation_text after DDL command on reference table predicate").
SET citus.multi_shard_modify_mode TO 'sequential';
SELECT create_distributed_table('relation', 'subject');
SELECT create_distributed_table('relation_by_object', 'object', colocate_with => 'relation');
SELECT create_distributed_table('relation_text', 'subject', colocate_with => 'relation');
ALTER TABLE relation_text ADD FOREIGN KEY (subject, key) REFERENCES relation (subject, key)
    ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE;
RESET citus.multi_shard_modify_mode;

-- A join on a column that is not both sides' distribution column (a two-clause query
-- such as `E ?r1 ?x, ?x ?r2 ?y`) needs a repartition join, off by default; the
-- repartition writes temporary tables in a transaction that read tables with foreign
-- keys to reference tables, which again must go over one connection per node. For every
-- later session of this database (`ALTER ROLE … SET` would do it for one role).
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET citus.enable_repartition_joins = on',
                   current_database());
    EXECUTE format('ALTER DATABASE %I SET citus.multi_shard_modify_mode = %L',
                   current_database(), 'sequential');
END
$$;
