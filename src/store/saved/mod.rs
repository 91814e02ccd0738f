//! Saved queries: adding, replacing, dropping and listing them (the planner reads one
//! by name through the catalog), and checking those an import brings ([`check`]).

mod check;

use crate::plan::SavedQuery;

pub(super) use check::{SaveStatement, SavedFault};

use super::{Store, StoreError};

/// What [`Store::save_query`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// The name was new.
    Added,
    /// The name was taken and `replace` was asked: the query under it was replaced.
    Replaced,
    /// The name was taken and `replace` was not asked: nothing changed.
    Exists,
}

impl Store {
    /// Saves `body` (canonical query text) under `name` with its parameter names.
    pub fn save_query(
        &self,
        name: &str,
        params: &[String],
        body: &str,
        replace: bool,
    ) -> Result<Saved, StoreError> {
        // Built as a JSON value, not serialised from the slice: that cannot fail.
        let params_json = serde_json::Value::from(params.to_vec()).to_string();
        let conn = self.db();
        if replace {
            conn.execute(
                "INSERT INTO saved_query(name, params, body) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(name) DO UPDATE SET params = excluded.params, body = excluded.body",
                &[&name, &params_json, &body],
            )
            .map_err(StoreError::query_db)?;
            Ok(Saved::Replaced)
        } else {
            let added = conn
                .execute(
                    "INSERT INTO saved_query(name, params, body) VALUES (?1, ?2, ?3) \
                     ON CONFLICT(name) DO NOTHING",
                    &[&name, &params_json, &body],
                )
                .map_err(StoreError::query_db)?;
            Ok(if added == 0 {
                Saved::Exists
            } else {
                Saved::Added
            })
        }
    }

    /// Drops the saved query `name`; false if there was none.
    pub fn drop_query(&self, name: &str) -> Result<bool, StoreError> {
        let n = self
            .db()
            .execute("DELETE FROM saved_query WHERE name = ?1", &[&name])
            .map_err(StoreError::query_db)?;
        Ok(n > 0)
    }

    /// Every saved query, by name. Parameters that cannot be read (a file changed by
    /// other tools) are listed as none; `check` reports them.
    pub fn saved_queries(&self) -> Result<Vec<SavedQuery>, StoreError> {
        self.db()
            .query_map(
                "SELECT name, params, body FROM saved_query ORDER BY name",
                &[],
                |r| {
                    let params: String = r.get(1)?;
                    Ok(SavedQuery {
                        name: r.get(0)?,
                        params: serde_json::from_str(&params).unwrap_or_default(),
                        body: r.get(2)?,
                    })
                },
            )
            .map_err(StoreError::query_db)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_replace_list_and_drop() {
        save_replace_list_and_drop_on(&Store::open_in_memory().unwrap());
        if let Some(pg) = crate::store::engines::postgres_store() {
            save_replace_list_and_drop_on(&pg);
        }
    }

    fn save_replace_list_and_drop_on(store: &Store) {
        let params = vec!["who".to_string()];
        assert_eq!(
            store
                .save_query("q", &params, "$who visited Baku", false)
                .unwrap(),
            Saved::Added
        );
        assert_eq!(
            store
                .save_query("q", &[], "?x visited Baku", false)
                .unwrap(),
            Saved::Exists
        );
        let listed = store.saved_queries().unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].params, params);
        assert_eq!(listed[0].body, "$who visited Baku");
        assert_eq!(
            store.save_query("q", &[], "?x visited Baku", true).unwrap(),
            Saved::Replaced
        );
        assert_eq!(store.saved_queries().unwrap()[0].body, "?x visited Baku");
        assert!(store.drop_query("q").unwrap());
        assert!(!store.drop_query("q").unwrap());
        assert!(store.saved_queries().unwrap().is_empty());
    }
}
