-- Full-text search over the posts a reader may see (SQLite FTS5).
--
-- search_docs says what is indexed for each post: its body, and the thread's title on the thread's
-- opening post, so that a title hit ranks once, on the post that opened the discussion. posts_fts
-- keeps only the index (external content): snippets read the text back through the view.
--
-- The index is kept in step with posts by the store, in the same transaction as each change: a post
-- is added when it is written and visible, and removed (with the values it was indexed with, read
-- through the view BEFORE the change) when it is hidden, deleted, edited or erased. Never run FTS5's
-- 'rebuild': it would index hidden posts.
--
-- unicode61 with remove_diacritics 2 folds "sécurité" and "securite" together.
CREATE VIEW search_docs AS
SELECT p.id AS id,
       CASE WHEN p.id = (SELECT min(f.id) FROM posts f WHERE f.thread_id = p.thread_id) THEN t.title ELSE '' END AS title,
       p.body AS body
  FROM posts p JOIN threads t ON t.id = p.thread_id;

CREATE VIRTUAL TABLE posts_fts USING fts5(
    title, body,
    content = 'search_docs', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- FTS5 keeps its index as segments that it merges as posts arrive. Merging 8 segments at a time
-- (instead of 4) rewrites each entry fewer times, which keeps posting fast on a large forum.
INSERT INTO posts_fts(posts_fts, rank) VALUES('automerge', 8);

INSERT INTO posts_fts(rowid, title, body)
SELECT d.id, d.title, d.body FROM search_docs d JOIN posts p ON p.id = d.id WHERE p.hidden = 0 AND p.deleted = 0;

-- Indexing an existing forum in one go leaves many segments waiting to be merged, a backlog the
-- next posts would pay for (posting on 1,000,000 posts: 1,400 a second instead of 3,900).
INSERT INTO posts_fts(posts_fts) VALUES('optimize');
