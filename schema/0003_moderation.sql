-- Moderation: which objectives a moderator may act in, edit history, flags, and the moderation
-- log. Timestamps are unix seconds (UTC).

-- A moderator with no row here moderates every objective; with rows, only those.
CREATE TABLE moderator_objectives (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    objective_id INTEGER NOT NULL REFERENCES objectives(id),
    PRIMARY KEY (user_id, objective_id)
) WITHOUT ROWID;

-- Who made the latest edit of a post, and whether a moderator made it (shown on the post).
ALTER TABLE posts ADD COLUMN edited_by INTEGER REFERENCES users(id);
ALTER TABLE posts ADD COLUMN edited_by_moderator INTEGER NOT NULL DEFAULT 0;
-- Hidden by three flags rather than by a moderator: dismissing the flags shows it again.
ALTER TABLE posts ADD COLUMN hidden_auto INTEGER NOT NULL DEFAULT 0;

-- Every edit keeps the text the post had before it.
CREATE TABLE post_revisions (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id),
    body TEXT NOT NULL,
    editor_id INTEGER NOT NULL REFERENCES users(id),
    by_moderator INTEGER NOT NULL,
    edited_at INTEGER NOT NULL
);
CREATE INDEX post_revisions_by_post ON post_revisions(post_id, id);

CREATE TABLE flags (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL CHECK (reason IN ('spam', 'off_topic', 'abusive', 'illegal', 'personal_data', 'other')),
    text TEXT,
    created_at INTEGER NOT NULL,
    resolution TEXT CHECK (resolution IN ('dismissed', 'hidden')), -- NULL while open
    resolved_by INTEGER REFERENCES users(id),
    resolved_at INTEGER,
    UNIQUE (post_id, user_id)
);
CREATE INDEX flags_open ON flags(resolution, id);
CREATE INDEX flags_by_post ON flags(post_id, resolution);

-- Append-only: one row per moderation action. actor_id NULL = the system (automatic hiding).
CREATE TABLE mod_log (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    target_type TEXT NOT NULL CHECK (target_type IN ('post', 'thread', 'user', 'flag')),
    target_id INTEGER NOT NULL,
    objective_id INTEGER REFERENCES objectives(id),
    thread_id INTEGER REFERENCES threads(id),  -- the thread of a post, flag or thread target
    reason TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX mod_log_by_target ON mod_log(target_type, target_id, id);
CREATE INDEX mod_log_by_objective ON mod_log(objective_id, id);

CREATE TRIGGER mod_log_no_update BEFORE UPDATE ON mod_log
BEGIN
    SELECT RAISE(ABORT, 'the moderation log is append-only');
END;
CREATE TRIGGER mod_log_no_delete BEFORE DELETE ON mod_log
BEGIN
    SELECT RAISE(ABORT, 'the moderation log is append-only');
END;
