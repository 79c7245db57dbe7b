-- Following and notifications. Notifications about followed objectives, key actions and threads
-- are computed when read (fan-out on read), from the follows and the posts: writing a post costs
-- the same with ten thousand followers as with none. Only notifications that have one reader
-- and nothing to derive them from (moderation of your post or account) are stored.

CREATE TABLE follows (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    target_type TEXT NOT NULL CHECK (target_type IN ('objective', 'key_action', 'thread')),
    target_id INTEGER NOT NULL,
    since_post_id INTEGER NOT NULL, -- the newest post when the follow began: what came before is not news
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, target_type, target_id)
) WITHOUT ROWID;

-- The opening post of a thread, for "new thread" notifications (its id orders them with the posts).
ALTER TABLE threads ADD COLUMN first_post_id INTEGER;
UPDATE threads SET first_post_id = (SELECT min(p.id) FROM posts p WHERE p.thread_id = threads.id);
CREATE INDEX threads_new_by_objective ON threads(objective_id, first_post_id);
CREATE INDEX threads_new_by_key_action ON threads(key_action_id, first_post_id);

-- Replies to a post, for "reply" notifications.
CREATE INDEX posts_by_parent ON posts(parent_id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('moderation')),
    thread_id INTEGER REFERENCES threads(id),
    post_id INTEGER REFERENCES posts(id),
    reason TEXT,
    created_at INTEGER NOT NULL,
    read INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notifications_by_user ON notifications(user_id, id);

-- Read marks of computed notifications (by the post they are about), above the user's watermark.
CREATE TABLE notification_reads (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id INTEGER NOT NULL,
    PRIMARY KEY (user_id, post_id)
) WITHOUT ROWID;
-- "Mark all as read": every computed notification about a post up to this id is read.
ALTER TABLE users ADD COLUMN notifications_read_post INTEGER NOT NULL DEFAULT 0;
