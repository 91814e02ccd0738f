//! A bulk import on PostgreSQL into fresh copies of `relation` and `relation_text`
//! without indexes, indexed once the rows are in and swapped in by name before the
//! import commits: readers keep reading the stored tables meanwhile.
//!
//! PostgreSQL keeps every index of a table up to date row by row: a million relations
//! into the ten indexes of `relation` and the two word indexes of `relation_text` cost
//! most of an import. SQLite's bulk import drops its indexes and builds them again
//! sorted; on PostgreSQL dropping an index locks the table against readers until the
//! import commits. Here the import writes into new tables that hold the stored rows,
//! builds their indexes, constraints and grants from the stored tables' own definitions
//! (read from the server's catalog, so that whatever a later migration adds is carried
//! too), then, holding the stored tables against readers only from that moment to the
//! commit, renames the new tables in, points the views that read them at them, and
//! drops the old ones with their indexes.
//!
//! Only when nothing else depends on those tables in a way this cannot carry over: the
//! importing role owns them, no other table's foreign key, policy, publication,
//! statistics object, function body or materialized view names them, and Citus is not
//! installed (a distributed table is not swapped by renaming). Otherwise the import
//! writes into the stored tables, as a small import does.

use crate::store::db::{Db, DbError, Param};

/// The name of `relation`'s copy, for the import's statements that write into it
/// ([`super::staging`]).
macro_rules! relation_copy {
    () => {
        "relation_next"
    };
}
/// The name of `relation_text`'s copy (see [`relation_copy`]).
macro_rules! relation_text_copy {
    () => {
        "relation_text_next"
    };
}
pub(super) use {relation_copy, relation_text_copy};

/// The tables swapped, in the order their indexes and foreign keys are built (a text
/// row's key names its relation), each with the name of its copy and the name it has
/// between the swap and its drop.
const SWAPPED: [Swapped; 2] = [
    Swapped {
        stored: "relation",
        copy: relation_copy!(),
        old: "relation_swapped_out",
    },
    Swapped {
        stored: "relation_text",
        copy: relation_text_copy!(),
        old: "relation_text_swapped_out",
    },
];

/// The stored names of the swapped tables.
fn stored_names() -> Vec<&'static str> {
    SWAPPED.iter().map(|t| t.stored).collect()
}

/// The names of one swapped table (see [`SWAPPED`]).
struct Swapped {
    stored: &'static str,
    copy: &'static str,
    old: &'static str,
}

/// How long the swap waits for the readers of the stored tables before it lets the
/// readers that came meanwhile (queued behind it) go on, and tries again.
const LOCK_WAIT: &str = "100ms";

/// True when the stored tables `?1` may be swapped (none of the names `?2` taken): see
/// the module's documentation. Each clause is something that would stop it.
const SWAPPABLE_SQL: &str = "
WITH t AS (SELECT c.* FROM pg_class c
           WHERE c.oid IN (SELECT to_regclass(s) FROM unnest(CAST(?1 AS text[])) s))
SELECT (SELECT count(*) FROM t) = cardinality(CAST(?1 AS text[]))
   AND NOT EXISTS (SELECT 1 FROM unnest(CAST(?2 AS text[])) s WHERE to_regclass(s) IS NOT NULL)
   -- Citus distributes tables under their names and oids: not swapped by renaming.
   AND to_regclass('pg_catalog.pg_dist_partition') IS NULL
   AND NOT EXISTS (
       SELECT 1 FROM t
       WHERE t.relkind <> 'r' OR t.relispartition OR t.relrowsecurity
          OR t.relreplident <> 'd' OR t.reloptions IS NOT NULL
          OR t.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
          OR obj_description(t.oid, 'pg_class') IS NOT NULL
          OR EXISTS (SELECT 1 FROM pg_inherits i WHERE t.oid IN (i.inhrelid, i.inhparent))
          OR EXISTS (SELECT 1 FROM pg_attribute a
                     WHERE a.attrelid = t.oid AND a.attacl IS NOT NULL))
   -- What depends on them: their own indexes, sequences, constraints, triggers, defaults
   -- and row types, and views; nothing else.
   AND NOT EXISTS (
       SELECT 1 FROM pg_depend d
       WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid IN (SELECT oid FROM t)
         AND d.classid NOT IN ('pg_class'::regclass, 'pg_constraint'::regclass,
                               'pg_trigger'::regclass, 'pg_attrdef'::regclass,
                               'pg_type'::regclass, 'pg_rewrite'::regclass))
   AND NOT EXISTS (
       SELECT 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
       JOIN pg_class v ON v.oid = r.ev_class
       WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid IN (SELECT oid FROM t)
         AND (v.relkind <> 'v' OR v.reloptions IS NOT NULL OR v.oid IN (SELECT oid FROM t)
              OR v.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)))
   AND NOT EXISTS (
       SELECT 1 FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
       WHERE d.classid = 'pg_class'::regclass AND d.refobjid IN (SELECT oid FROM t)
         AND c.oid NOT IN (SELECT oid FROM t) AND c.relkind NOT IN ('i', 'S', 't'))
   -- Constraints: primary keys, checks, and foreign keys from these tables; no other
   -- table's foreign key names them.
   AND NOT EXISTS (
       SELECT 1 FROM pg_constraint k
       WHERE (k.conrelid IN (SELECT oid FROM t) AND k.contype NOT IN ('p', 'c', 'f', 'n'))
          OR (k.confrelid IN (SELECT oid FROM t) AND k.conrelid NOT IN (SELECT oid FROM t)))
   -- Every index is one this can build again: a plain one, or the primary key's.
   AND NOT EXISTS (
       SELECT 1 FROM pg_index i
       WHERE i.indrelid IN (SELECT oid FROM t)
         AND ((i.indisunique AND NOT i.indisprimary) OR i.indisexclusion
              OR NOT i.indisvalid))";

/// The columns a row is copied by: every stored one but the generated (`?1`: the table).
const COLUMNS_SQL: &str = "
SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
WHERE attrelid = to_regclass(CAST(?1 AS text)) AND attnum > 0 AND NOT attisdropped
  AND attgenerated = ''";

/// The indexes of table `?1`: each one's name, whether it is the primary key's, the
/// name its copy is built under (`?3` and a number), the `CREATE INDEX` that builds it on
/// table `?2` (PostgreSQL's own definition of the stored one from `USING` on), and
/// whether that definition has the form this reads.
const INDEXES_SQL: &str = "
SELECT ci.relname, i.indisprimary, d.built_as,
       format('CREATE %sINDEX %I ON %I USING ', d.is_unique, d.built_as, CAST(?2 AS text))
       || substr(d.def, length(d.head) + 1),
       starts_with(d.def, d.head)
FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
CROSS JOIN LATERAL (
    SELECT pg_get_indexdef(i.indexrelid) AS def,
           CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END AS is_unique,
           format('CREATE %sINDEX %I ON %I.%I USING ',
                  CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END,
                  ci.relname, n.nspname, t.relname) AS head,
           CAST(?3 AS text) || i.indexrelid AS built_as) d
WHERE i.indrelid = to_regclass(CAST(?1 AS text))
ORDER BY ci.relname";

/// The foreign keys of table `?1`, each as the statement that adds it to `?2`, with the
/// name of the table it names as PostgreSQL's definition writes it, and that table's
/// stored name when it is one of the swapped tables `?3`.
const FOREIGN_KEYS_SQL: &str = "
SELECT format('ALTER TABLE %I ADD CONSTRAINT %I ', CAST(?2 AS text), k.conname)
       || pg_get_constraintdef(k.oid),
       k.confrelid::regclass::text,
       (SELECT s FROM unnest(CAST(?3 AS text[])) s WHERE to_regclass(s) = k.confrelid)
FROM pg_constraint k
WHERE k.conrelid = to_regclass(CAST(?1 AS text)) AND k.contype = 'f'
ORDER BY k.conname";

/// The grants on table or sequence `?1`, each as the statement that grants it on `?2`
/// (`?3`: `TABLE` or `SEQUENCE`); the owner's own are the new object's already.
const GRANTS_SQL: &str = "
SELECT format('GRANT %s ON %s %I TO %s%s', a.privilege_type, CAST(?3 AS text),
              CAST(?2 AS text),
              CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END,
              CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
LEFT JOIN pg_roles r ON r.oid = a.grantee
WHERE c.oid = to_regclass(CAST(?1 AS text)) AND a.grantee <> c.relowner";

/// The sequences of the identity columns of table `?1` and of its copy `?2`, by name.
const SEQUENCES_SQL: &str = "
SELECT s.relname, c.relname
FROM pg_attribute a
JOIN pg_class s ON s.oid = to_regclass(pg_get_serial_sequence(
    quote_ident(CAST(?1 AS text)), a.attname))
JOIN pg_class c ON c.oid = to_regclass(pg_get_serial_sequence(
    quote_ident(CAST(?2 AS text)), a.attname))
WHERE a.attrelid = to_regclass(CAST(?1 AS text)) AND a.attidentity <> ''
  AND NOT a.attisdropped";

/// Gives sequence `?2` the value of sequence `?1` (when that one was ever used).
const SEQUENCE_VALUE_SQL: &str = "
SELECT setval(to_regclass(CAST(?2 AS text)), v, true)
FROM (SELECT pg_sequence_last_value(to_regclass(CAST(?1 AS text))) AS v) s
WHERE v IS NOT NULL";

/// The views that read the tables `?1`, each as the statement that defines it again
/// (run once the copies bear the stored names).
const VIEWS_SQL: &str = "
SELECT DISTINCT format('CREATE OR REPLACE VIEW %s AS %s', v.oid::regclass,
                       pg_get_viewdef(v.oid))
FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
WHERE d.classid = 'pg_rewrite'::regclass
  AND d.refobjid IN (SELECT to_regclass(s) FROM unnest(CAST(?1 AS text[])) s)";

/// The triggers of table `?1` (not the foreign keys' own): the statement that makes
/// each, and the one that gives it the stored one's state (the import turns some off).
const TRIGGERS_SQL: &str = "
SELECT pg_get_triggerdef(g.oid),
       format('ALTER TABLE %I %s TRIGGER %I', CAST(?1 AS text),
              CASE g.tgenabled WHEN 'D' THEN 'DISABLE' WHEN 'R' THEN 'ENABLE REPLICA'
                               WHEN 'A' THEN 'ENABLE ALWAYS' ELSE 'ENABLE' END,
              g.tgname)
FROM pg_trigger g
WHERE g.tgrelid = to_regclass(CAST(?1 AS text)) AND NOT g.tgisinternal
ORDER BY g.tgname";

/// Renames an index (`?1`, `?2`: its names), or the primary key constraint of table
/// `?3` with its index.
const RENAME_INDEX_SQL: &str = "
SELECT CASE WHEN CAST(?3 AS text) IS NULL
            THEN format('ALTER INDEX %I RENAME TO %I', CAST(?1 AS text), CAST(?2 AS text))
            ELSE format('ALTER TABLE %I RENAME CONSTRAINT %I TO %I', CAST(?3 AS text),
                        CAST(?1 AS text), CAST(?2 AS text)) END";

/// Renames a sequence (`?1` to `?2`).
const RENAME_SEQUENCE_SQL: &str =
    "SELECT format('ALTER SEQUENCE %I RENAME TO %I', CAST(?1 AS text), CAST(?2 AS text))";

/// One index of a stored table, built on its copy under a name of its own.
struct Index {
    /// The stored index's name, which the copy's takes once the stored one is gone.
    name: String,
    /// The name it is built under.
    built_as: String,
    primary: bool,
    create: String,
}

/// What a swap builds on one copy, read from its stored table before the copy is made.
struct Plan {
    table: &'static Swapped,
    indexes: Vec<Index>,
    foreign_keys: Vec<String>,
}

/// A swap under way: the copies made, holding the stored rows; what is to be built on
/// them.
pub(super) struct Swap {
    plans: Vec<Plan>,
}

impl Swap {
    /// Makes the copies of the stored tables, with their rows, when the tables may be
    /// swapped (see the module's documentation); None when they may not.
    pub(super) fn begin(db: &Db) -> Result<Option<Swap>, DbError> {
        let stored = stored_names();
        let taken: Vec<&str> = SWAPPED.iter().flat_map(|t| [t.copy, t.old]).collect();
        let swappable: bool = db.query_row(
            SWAPPABLE_SQL,
            &[&Param::Texts(&stored), &Param::Texts(&taken)],
            |r| r.get(0),
        )?;
        if !swappable {
            return Ok(None);
        }
        let mut plans = Vec::new();
        for table in &SWAPPED {
            let mut indexes = Vec::new();
            for (name, primary, built_as, create, understood) in db.query_map(
                INDEXES_SQL,
                &[&table.stored, &table.copy, &format!("{}_", table.copy)],
                |r| {
                    let row: (String, bool, String, String, bool) =
                        (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
                    Ok(row)
                },
            )? {
                // A definition not of the form the copy's is made from: no swap.
                if !understood {
                    return Ok(None);
                }
                indexes.push(Index {
                    name,
                    built_as,
                    primary,
                    create,
                });
            }
            let mut foreign_keys = Vec::new();
            for (add, written, names) in db.query_map(
                FOREIGN_KEYS_SQL,
                &[&table.stored, &table.copy, &Param::Texts(&stored)],
                |r| {
                    let row: (String, String, Option<String>) = (r.get(0)?, r.get(1)?, r.get(2)?);
                    Ok(row)
                },
            )? {
                // A key that names a swapped table names its copy.
                let add = match SWAPPED.iter().find(|t| Some(t.stored) == names.as_deref()) {
                    None => add,
                    Some(named) => {
                        let stored = format!(" REFERENCES {written}(");
                        if !add.contains(&stored) {
                            return Ok(None);
                        }
                        add.replacen(&stored, &format!(" REFERENCES {}(", named.copy), 1)
                    }
                };
                foreign_keys.push(add);
            }
            plans.push(Plan {
                table,
                indexes,
                foreign_keys,
            });
        }
        for plan in &plans {
            let Swapped { stored, copy, .. } = plan.table;
            // Names from the schema (SWAPPED), never from input.
            db.execute_batch(&format!(
                "CREATE TABLE {copy} (LIKE {stored} INCLUDING ALL EXCLUDING INDEXES)"
            ))?;
            let columns: String = db.query_row(COLUMNS_SQL, &[stored], |r| r.get(0))?;
            db.execute(
                &format!("INSERT INTO {copy} ({columns}) SELECT {columns} FROM {stored}"),
                &[],
            )?;
        }
        Ok(Some(Swap { plans }))
    }

    /// Builds the copies' indexes, primary keys, foreign keys and grants, once their rows
    /// are in, then swaps them in: see [`Swap::switch`].
    pub(super) fn finish(self, db: &Db) -> Result<(), DbError> {
        // Each index is sorted in memory rather than in temporary files where it fits.
        db.execute_batch("SET LOCAL maintenance_work_mem = '256MB'")?;
        let mut sequences = Vec::new();
        for plan in &self.plans {
            let Swapped { stored, copy, .. } = plan.table;
            for index in &plan.indexes {
                db.execute_batch(&index.create)?;
                if index.primary {
                    let built = &index.built_as;
                    db.execute_batch(&format!(
                        "ALTER TABLE {copy} ADD CONSTRAINT {built} PRIMARY KEY USING INDEX {built}"
                    ))?;
                }
            }
            for add in &plan.foreign_keys {
                db.execute_batch(add)?;
            }
            let first = sequences.len();
            sequences.extend(db.query_map(SEQUENCES_SQL, &[stored, copy], |r| {
                Ok((r.get::<String>(0)?, r.get::<String>(1)?))
            })?);
            let objects = std::iter::once((stored.to_string(), copy.to_string(), "TABLE")).chain(
                sequences[first..]
                    .iter()
                    .cloned()
                    .map(|(s, c)| (s, c, "SEQUENCE")),
            );
            for (from, to, kind) in objects {
                let grants: Vec<String> =
                    db.query_map(GRANTS_SQL, &[&from, &to, &kind], |r| r.get(0))?;
                for grant in grants {
                    db.execute_batch(&grant)?;
                }
            }
        }
        self.switch(db, sequences)
    }

    /// Takes the stored tables from their readers (waiting at most [`LOCK_WAIT`] at a
    /// time, so that readers queued behind the wait go on between tries, for as long as a
    /// reader holds them; an interrupted import's server session ends at its next try),
    /// renames the copies in, points the views at them, drops the stored tables, and gives
    /// the copies' indexes, identity `sequences` (stored name, copy's name) and triggers
    /// the stored names, values and states. Readers wait from here to the commit.
    fn switch(self, db: &Db, sequences: Vec<(String, String)>) -> Result<(), DbError> {
        let stored = stored_names();
        // The transaction's own limit (the store's lock of changes sets one), for after.
        let limit: String =
            db.query_row("SELECT current_setting('lock_timeout')", &[], |r| r.get(0))?;
        loop {
            db.execute_batch(&format!(
                "SAVEPOINT swap_lock; SET LOCAL lock_timeout = '{LOCK_WAIT}'"
            ))?;
            match db.execute_batch(&format!(
                "LOCK TABLE {} IN ACCESS EXCLUSIVE MODE",
                stored.join(", ")
            )) {
                Ok(()) => {
                    db.execute_batch("RELEASE swap_lock")?;
                    db.query_row(
                        "SELECT set_config('lock_timeout', ?1, true)",
                        &[&limit],
                        |_| Ok(()),
                    )?;
                    break;
                }
                // 55P03: lock_not_available.
                Err(e) if e.sqlstate() == Some("55P03") => {
                    db.execute_batch("ROLLBACK TO SAVEPOINT swap_lock; RELEASE swap_lock")?;
                    db.execute_batch("SELECT pg_sleep(0.05)")?;
                }
                Err(e) => return Err(e),
            }
        }
        let views: Vec<String> =
            db.query_map(VIEWS_SQL, &[&Param::Texts(&stored)], |r| r.get(0))?;
        let mut triggers: Vec<(String, String)> = Vec::new();
        for table in &SWAPPED {
            triggers.extend(db.query_map(TRIGGERS_SQL, &[&table.stored], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?);
        }
        for (from, to) in &sequences {
            db.query_map(SEQUENCE_VALUE_SQL, &[from, to], |_| Ok(()))?;
        }
        for Swapped { stored, copy, old } in &SWAPPED {
            db.execute_batch(&format!(
                "ALTER TABLE {stored} RENAME TO {old}; ALTER TABLE {copy} RENAME TO {stored}"
            ))?;
        }
        for view in views {
            db.execute_batch(&view)?;
        }
        let old: Vec<&str> = SWAPPED.iter().map(|t| t.old).collect();
        db.execute_batch(&format!("DROP TABLE {}", old.join(", ")))?;
        for plan in &self.plans {
            for index in &plan.indexes {
                let table = index.primary.then_some(plan.table.stored);
                let rename: String = db.query_row(
                    RENAME_INDEX_SQL,
                    &[&index.built_as, &index.name, &table],
                    |r| r.get(0),
                )?;
                db.execute_batch(&rename)?;
            }
        }
        for (stored, copy) in sequences {
            let rename: String =
                db.query_row(RENAME_SEQUENCE_SQL, &[&copy, &stored], |r| r.get(0))?;
            db.execute_batch(&rename)?;
        }
        for (create, state) in triggers {
            db.execute_batch(&create)?;
            db.execute_batch(&state)?;
        }
        Ok(())
    }
}
