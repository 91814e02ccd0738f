-- factstore schema, version 9: the anchor of a relation's relative dates (ARTICLES.md).
-- A relation's time may be written as a reporter wrote it (`last November`, مطلع فبراير
-- الماضي); its bounds count from an anchor: the relation's `reported` date as written,
-- else its source's `published` date. `anchor` is the day they counted from (NULL when
-- the time needs none), so that correcting a source's `published` date can find the
-- relations to resolve again.
ALTER TABLE relation ADD COLUMN reported TEXT;
ALTER TABLE relation ADD COLUMN anchor INTEGER;
-- Earlier versions keep them too, so that an undo restores them.
ALTER TABLE relation_version ADD COLUMN reported TEXT;
ALTER TABLE relation_version ADD COLUMN anchor INTEGER;
