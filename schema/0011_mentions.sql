-- factstore schema, version 9: what `mentions` needs (ARTICLES.md, "Mentions").
--
-- Weak aliases (FollowTheMoney's `weakAlias`): names of an entity that are also common
-- words (`كان`, "was", is also the broadcaster Kan). `mentions` counts one only in
-- quotation marks or beside another name of the entity; queries do not resolve them, so
-- a common word never makes a query's name ambiguous. Kept apart from `alias`, which
-- every query's name resolution reads.
CREATE TABLE weak_alias (
    entity      INTEGER NOT NULL REFERENCES entity(key) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    norm        TEXT NOT NULL,
    ord         INTEGER NOT NULL DEFAULT 0,   -- order in the record's `weak_aliases`
    PRIMARY KEY (entity, text)
) WITHOUT ROWID;

-- The table of every name's matching key that `mentions` searches (names::mentions::
-- NameTable, serialised), built when the store's last change is not `change`: building it
-- for 300,000 names takes longer than reading it back. One row at most.
CREATE TABLE name_table_cache (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    change      INTEGER NOT NULL,
    body        BLOB NOT NULL
);
