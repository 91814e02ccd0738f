//! After a bulk import on PostgreSQL: VACUUM (ANALYZE) of the tables it wrote, outside
//! its transaction, a failure reported rather than failing the committed import.

use super::ImportSummary;
use crate::store::db::Db;

/// At least this many rows added (relations, entities) make an import a bulk one, after
/// which PostgreSQL's tables are vacuumed: below it, the rows are few beside what
/// autovacuum's own thresholds soon catch up with.
pub(super) const VACUUM_AFTER_ROWS: u64 = 1000;

pub(super) fn bulk(summary: &ImportSummary) -> bool {
    summary.relations.added + summary.entities.added >= VACUUM_AFTER_ROWS
}

/// The tables an import writes, vacuumed and analysed after a bulk import on PostgreSQL:
/// an index-only scan reads the table's rows only on pages the visibility map does not
/// mark all-visible, and until a VACUUM none of the new pages are (the suite's counts
/// then visit the table for every row), and the planner needs the new rows' statistics.
/// Autovacuum would come to it, up to a minute and more later.
const VACUUM_SQL: &str = "VACUUM (ANALYZE) relation, relation_text, entity, alias, weak_alias, \
     name_word, predicate, source, predicate_count, source_count";

/// Vacuums the tables after a committed bulk import; VACUUM cannot run inside the
/// import's transaction. A failure does not undo the import: it is returned as a note
/// for the user.
pub(super) fn vacuum(db: &Db) -> Option<String> {
    db.execute_batch(VACUUM_SQL).err().map(|e| {
        format!(
            "the import is committed, but VACUUM (ANALYZE) of its tables failed ({e}): \
             queries may be slower until autovacuum or an administrator's VACUUM runs"
        )
    })
}
