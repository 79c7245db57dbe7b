-- Atom feeds: the newest threads of an objective or key action by creation. Thread ids grow with
-- creation, so these indexes give that order without a sort; the list indexes of 0001 are ordered
-- by pinned and last activity instead.
CREATE INDEX threads_by_objective_id ON threads(objective_id, id);
CREATE INDEX threads_by_key_action_id ON threads(key_action_id, id);
