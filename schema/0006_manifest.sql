-- Integrity manifests of closed consultations (README "Export"): the SHA-256 of the thread's CSV
-- export, computed the first time it is needed after closes_at and kept as received at closing.
ALTER TABLE threads ADD COLUMN manifest_sha256 TEXT;
ALTER TABLE threads ADD COLUMN manifest_at INTEGER;

-- Statistics and exports read visible posts only. This partial index holds what statistics
-- need (thread, author, time, anonymity) in (thread, post) order, so that counting a million
-- posts does not read their text, and an export walks a thread's visible posts in order.
CREATE INDEX posts_visible ON posts(thread_id, id, author_id, created_at, anonymous)
    WHERE hidden = 0 AND deleted = 0;
