//! The keys of ids an import has looked up or written ([`IdCache`]), bounded in memory.

use std::collections::HashMap;

use crate::store::db::DbError;

/// The most ids an [`IdCache`] holds before it starts over (about 64 bytes each).
pub(super) const ID_CACHE_LIMIT: usize = 1 << 20;

/// Keys of ids (entities, sources or predicates) looked up or written during one import,
/// including ids known to be missing from the store. Only the importing transaction writes
/// to the store while it runs, so an entry stays true until the import itself adds the id
/// (which updates it). The cache is emptied when it reaches [`ID_CACHE_LIMIT`] ids, so its
/// memory is bounded whatever the size of the store or of the file; a cleared id is
/// simply looked up in the store again.
pub(super) struct IdCache {
    keys: HashMap<Box<str>, Option<i64>>,
    limit: usize,
    /// True once the cache started over: it may have forgotten ids it was given.
    started_over: bool,
}

impl IdCache {
    pub(super) fn new() -> IdCache {
        IdCache::with_limit(ID_CACHE_LIMIT)
    }

    fn with_limit(limit: usize) -> IdCache {
        IdCache {
            keys: HashMap::new(),
            limit,
            started_over: false,
        }
    }

    /// What is known of `id`: `Some(Some(key))` stored, `Some(None)` missing, `None`
    /// unknown.
    pub(super) fn get(&self, id: &str) -> Option<Option<i64>> {
        self.keys.get(id).copied()
    }

    /// The key of `id`, from the cache or else from `lookup` (a query of the key by id),
    /// whose answer is kept.
    pub(super) fn key(
        &mut self,
        id: &str,
        lookup: impl FnOnce(&str) -> Result<Option<i64>, DbError>,
    ) -> Result<Option<i64>, DbError> {
        if let Some(known) = self.get(id) {
            return Ok(known);
        }
        let key = lookup(id)?;
        self.set(id, key);
        Ok(key)
    }

    /// True when the cache holds every id it was given (it never started over).
    pub(super) fn holds_all_given(&self) -> bool {
        !self.started_over
    }

    pub(super) fn set(&mut self, id: &str, key: Option<i64>) {
        if let Some(slot) = self.keys.get_mut(id) {
            *slot = key;
            return;
        }
        if self.keys.len() >= self.limit {
            self.keys.clear();
            self.started_over = true;
        }
        self.keys.insert(id.into(), key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_cache_starts_over_when_full() {
        let mut cache = IdCache::with_limit(2);
        cache.set("a", Some(1));
        cache.set("b", None);
        assert_eq!(cache.get("a"), Some(Some(1)));
        cache.set("b", Some(2));
        assert_eq!(cache.get("b"), Some(Some(2)));
        assert!(cache.holds_all_given());
        cache.set("c", Some(3));
        assert!(!cache.holds_all_given());
        assert_eq!(cache.keys.len(), 1);
        assert_eq!(cache.get("a"), None);
        assert_eq!(cache.get("c"), Some(Some(3)));
    }
}
