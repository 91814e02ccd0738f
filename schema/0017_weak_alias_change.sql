-- `alias ENTITY "w" weak` (WRITES.md) adds weak aliases to an entity that exists. Weak
-- aliases are not kept in entity versions, so `undo` finds those a change added by this
-- column and removes them. NULL for weak aliases that came with their entity (`add
-- entity … weak`, an import): undoing that change removes the entity, and them with it.
ALTER TABLE weak_alias ADD COLUMN added_by INTEGER;
