/* The SQLite backend of the storage interface.
 *
 * DESIGN: one struct fd_sqlite per connection and thread. Every statement is written once in the
 * sql[] table, prepared on first use and kept for the life of the connection, and always bound
 * with sqlite3_bind_*. Connections run in WAL mode with synchronous=FULL, so that a commit the
 * server acknowledged survives a crash of the process or of the machine; readers never wait for the
 * writer. Only the writer thread writes (see work.c), so SQLITE_BUSY can only come from another
 * process holding the database, and it becomes FD_EBUSY, never a 500. */
#include <sqlite3.h>
#include <float.h>
#include <unistd.h>
#include "forumd/store.h"
#include "forumd/migrate.h"
#include "forumd/log.h"
#include "forumd/sqlite_rank.h"

enum q {
    Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_SAVEPOINT, Q_RELEASE, Q_ROLLBACK_TO, Q_HEALTH,
    Q_USER_INSERT, Q_USER_GET, Q_USER_BY_EMAIL, Q_USER_SET_HASH,
    Q_SESSION_INSERT, Q_SESSION_FIND, Q_SESSION_TOUCH, Q_TOKEN_TOUCH, Q_SESSION_REVOKE, Q_SESSION_DELETE, Q_SESSIONS_PURGE,
    Q_TOKEN_INSERT, Q_TOKEN_FIND, Q_TOKEN_DELETE,
    Q_OBJECTIVES, Q_OBJECTIVE_BY_ID, Q_OBJECTIVE_BY_SLUG, Q_KEY_ACTIONS, Q_KEY_ACTIONS_OF,
    Q_THREADS_BY_OBJECTIVE, Q_THREADS_BY_KEY_ACTION, Q_THREAD_GET, Q_THREAD_INSERT, Q_THREAD_BUMP,
    Q_THREAD_SET_OFFICIAL, Q_OBJECTIVE_BUMP,
    Q_POST_INSERT, Q_POSTS_PAGE, Q_POST_GET,
    Q_FEED_THREADS_BY_OBJECTIVE, Q_FEED_THREADS_BY_KEY_ACTION, Q_FEED_POSTS,
    Q_FTS_ADD, Q_FTS_REMOVE, Q_SEARCH, Q_SEARCH_FILTERED, Q_SNIPPET,
    Q_REVISION_SAVE, Q_POST_EDIT, Q_REVISIONS, Q_POST_SET_HIDDEN, Q_POST_SET_DELETED,
    Q_THREAD_SET, Q_THREAD_FIRST_POST, Q_OBJECTIVE_RECOUNT,
    Q_FLAG_INSERT, Q_FLAG_GET, Q_FLAGS_OPEN_COUNT, Q_FLAGS_RESOLVE, Q_FLAGS_PAGE,
    Q_USER_SUSPEND, Q_USER_SET_ROLE, Q_USER_PROFILE, Q_SCOPE_CLEAR, Q_SCOPE_ADD, Q_ADMINS_COUNT,
    Q_LOG_ADD, Q_LOG_PAGE,
    Q_THREAD_SET_FIRST, Q_FOLLOW, Q_UNFOLLOW, Q_FOLLOWS, Q_OBJECTIVE_EXISTS, Q_KEY_ACTION_EXISTS, Q_THREAD_EXISTS,
    Q_N_REPLIES, Q_N_THREAD_POSTS, Q_N_OBJECTIVE_THREADS, Q_N_KEY_ACTION_THREADS, Q_N_STORED, Q_FOLLOWS_SINCE,
    Q_N_WATERMARK, Q_N_READS, Q_NOTIF_READ_POST,
    Q_MY_POSTS, Q_MY_FLAGS, Q_MY_SESSIONS, Q_MY_TOKENS, Q_ERASE_USER, Q_ERASE_SESSIONS, Q_ERASE_TOKENS,
    Q_ERASE_FOLLOWS, Q_ERASE_NOTIFICATIONS, Q_ERASE_READS, Q_ERASE_SCOPE, Q_NOTIF_READ_STORED, Q_NOTIF_READ_ALL,
    Q_NOTIF_READ_ALL_STORED, Q_NOTIF_READS_PRUNE, Q_NOTIFY,
    Q_EXPORT_OBJECTIVE, Q_EXPORT_THREAD, Q_MANIFEST_SET, Q_MANIFEST_GET,
    Q_STATS_ALL, Q_STATS_OBJECTIVE, Q_STATS_TOTALS_ALL, Q_STATS_TOTALS_OBJECTIVE,
    Q_COUNT
};

/* The moderator's objectives, as "1,3" (NULL = not limited). */
#define USER_SCOPE "(SELECT group_concat(m.objective_id) FROM moderator_objectives m WHERE m.user_id = u.id)"
#define USER_COLS "u.id, u.email, u.display_name, u.role, u.stakeholder_type, u.organisation, u.country," \
                  " u.transparency_register_id, u.created_at, u.suspended_until, u.password_hash, u.suspend_reason, " \
                  USER_SCOPE
/* The same columns without the password hash, for the lookups made on every request. */
#define USER_COLS_NO_HASH "u.id, u.email, u.display_name, u.role, u.stakeholder_type, u.organisation, u.country," \
                          " u.transparency_register_id, u.created_at, u.suspended_until, NULL, u.suspend_reason, " \
                          USER_SCOPE
#define AUTHOR_COLS "a.id, a.display_name, a.stakeholder_type, a.organisation, a.country"
#define THREAD_SELECT "SELECT t.id, t.objective_id, t.key_action_id, t.title, t.anonymous, t.created_at," \
                      " t.last_post_at, t.post_count, t.locked, t.pinned, t.opens_at, t.closes_at," \
                      " t.official_post_id, " AUTHOR_COLS ", t.manifest_sha256 FROM threads t" \
                      " JOIN users a ON a.id = t.author_id "
#define POST_COLS "p.id, p.thread_id, p.parent_id, p.body, p.body_html, p.language, p.anonymous, p.official," \
                  " p.created_at, p.edited_at, p.hidden, p.deleted, " AUTHOR_COLS ", p.edited_by_moderator, p.hidden_auto"
#define POST_SELECT "SELECT " POST_COLS " FROM posts p JOIN users a ON a.id = p.author_id "
/* Search: one page c(id, rank) of a ranked window of matches, read as posts with their thread's title. */
#define SEARCH_SELECT "SELECT c.rank, " POST_COLS ", t.title, t.objective_id FROM (SELECT id, rank FROM "
#define SEARCH_PAGE " WHERE rank > ?9 OR (rank = ?9 AND id > ?10) ORDER BY rank, id LIMIT ?11) c" \
                    " JOIN posts p ON p.id = c.id JOIN users a ON a.id = p.author_id" \
                    " JOIN threads t ON t.id = p.thread_id ORDER BY c.rank, c.id"
/* Feeds of threads: (title, opening = 1, POST_COLS) of each thread's opening post, read by feed_row. */
#define FEED_THREADS "SELECT t.title, 1, " POST_COLS " FROM threads t" \
                     " JOIN posts p ON p.id = (SELECT min(f.id) FROM posts f WHERE f.thread_id = t.id)" \
                     " JOIN users a ON a.id = p.author_id WHERE "
#define FEED_THREADS_END " AND p.hidden = 0 AND p.deleted = 0 ORDER BY t.id DESC LIMIT ?2"
/* Notifications are gathered per source, each source's newest NOTIF_PER_SOURCE, and merged in C
 * (sq_notifications_page). Every query returns NOTIF_COLS; ids are 4 * post id + 1 for a
 * notification about a post (one per post: a reply to you is not also a new post), 4 * row id + 2
 * for a stored one. */
#define NOTIF_COLS(kind, nid, created, reason, read) nid ", '" kind "', t.id, p.id, " created ", " reason ", " read ", p.anonymous, t.title, " AUTHOR_COLS
#define NOTIF_FROM_POSTS " FROM posts p JOIN threads t ON t.id = p.thread_id JOIN users a ON a.id = p.author_id "
#define NOTIF_VISIBLE " AND p.hidden = 0 AND p.deleted = 0"
#define FLAG_SELECT "SELECT f.id, f.post_id, p.thread_id, t.objective_id, f.reason, f.text, f.created_at," \
                    " f.resolution, f.resolved_at, " AUTHOR_COLS " FROM flags f JOIN posts p ON p.id = f.post_id" \
                    " JOIN threads t ON t.id = p.thread_id JOIN users a ON a.id = f.user_id "
/* Exports: (EXPORT_COLS) of visible posts, read by export_row. */
#define EXPORT_SELECT "SELECT t.id, t.title, k.slug, p.id, p.parent_id, p.created_at, a.display_name," \
                      " a.stakeholder_type, a.organisation, a.country, a.transparency_register_id, p.anonymous," \
                      " p.official, p.body FROM threads t JOIN posts p ON p.thread_id = t.id" \
                      " JOIN users a ON a.id = p.author_id LEFT JOIN key_actions k ON k.id = t.key_action_id "
#define EXPORT_VISIBLE " AND p.hidden = 0 AND p.deleted = 0"
#define STATS_OF_OBJECTIVE "FROM threads t JOIN posts p ON p.thread_id = t.id"
#define STATS_GROUPS(from, where) "SELECT a.stakeholder_type, a.country, p.created_at / 86400, count(*)," \
                                  " sum(p.anonymous) " from " JOIN users a ON a.id = p.author_id WHERE " where \
                                  "p.hidden = 0 AND p.deleted = 0 GROUP BY 1, 2, 3"
#define STATS_TOTALS(from, where) "SELECT count(*), count(DISTINCT p.thread_id), count(DISTINCT p.author_id) " from \
                                  " WHERE " where "p.hidden = 0 AND p.deleted = 0"
#define OBJECTIVE_SELECT "SELECT id, number, slug, title, summary, thread_count, post_count, last_post_at FROM objectives "

static const char *const sql[Q_COUNT] = {
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_SAVEPOINT] = "SAVEPOINT job",
    [Q_RELEASE] = "RELEASE job",
    [Q_ROLLBACK_TO] = "ROLLBACK TO job",
    [Q_HEALTH] = "SELECT count(*) FROM objectives",
    [Q_USER_INSERT] = "INSERT INTO users(email, password_hash, display_name, role, stakeholder_type, organisation,"
                      " country, transparency_register_id, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [Q_USER_GET] = "SELECT " USER_COLS " FROM users u WHERE u.id = ?1",
    [Q_USER_BY_EMAIL] = "SELECT " USER_COLS " FROM users u WHERE u.email = ?1",
    [Q_USER_SET_HASH] = "UPDATE users SET password_hash = ?2 WHERE id = ?1",
    [Q_SESSION_INSERT] = "INSERT INTO sessions(user_id, token_hash, created_at, last_seen_at) VALUES(?1, ?2, ?3, ?3)",
    [Q_SESSION_FIND] = "SELECT s.id, s.created_at, s.last_seen_at, " USER_COLS_NO_HASH
                       " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1",
    [Q_SESSION_TOUCH] = "UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1 AND last_seen_at < ?2",
    [Q_SESSION_DELETE] = "DELETE FROM sessions WHERE id = ?1",
    [Q_SESSION_REVOKE] = "DELETE FROM sessions WHERE id = ?1 AND user_id = ?2",
    [Q_SESSIONS_PURGE] = "DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2",
    [Q_TOKEN_INSERT] = "INSERT INTO api_tokens(user_id, name, token_hash, created_at) VALUES(?1, ?2, ?3, ?4)",
    [Q_TOKEN_FIND] = "SELECT k.id, coalesce(k.last_used_at, 0), " USER_COLS_NO_HASH " FROM api_tokens k JOIN users u ON u.id = k.user_id"
                     " WHERE k.token_hash = ?1",
    [Q_TOKEN_TOUCH] = "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1",
    [Q_TOKEN_DELETE] = "DELETE FROM api_tokens WHERE id = ?1 AND user_id = ?2",
    [Q_OBJECTIVES] = OBJECTIVE_SELECT "ORDER BY number",
    [Q_OBJECTIVE_BY_ID] = OBJECTIVE_SELECT "WHERE id = ?1",
    [Q_OBJECTIVE_BY_SLUG] = OBJECTIVE_SELECT "WHERE slug = ?1",
    [Q_KEY_ACTIONS] = "SELECT id, objective_id, slug, title FROM key_actions ORDER BY objective_id, position",
    [Q_KEY_ACTIONS_OF] = "SELECT id, objective_id, slug, title FROM key_actions WHERE objective_id = ?1 ORDER BY position",
    /* The first page passes (2, max, max), which sorts after every real row. */
    [Q_THREADS_BY_OBJECTIVE] = THREAD_SELECT "WHERE t.objective_id = ?1 AND (t.pinned, t.last_post_at, t.id) < (?2, ?3, ?4)"
                               " ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC LIMIT ?5",
    [Q_THREADS_BY_KEY_ACTION] = THREAD_SELECT "WHERE t.key_action_id = ?1 AND (t.pinned, t.last_post_at, t.id) < (?2, ?3, ?4)"
                                " ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC LIMIT ?5",
    [Q_THREAD_GET] = THREAD_SELECT "WHERE t.id = ?1",
    [Q_THREAD_INSERT] = "INSERT INTO threads(objective_id, key_action_id, title, author_id, anonymous, created_at,"
                        " last_post_at, post_count, opens_at, closes_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?6, 0, ?7, ?8)",
    [Q_THREAD_BUMP] = "UPDATE threads SET post_count = post_count + 1, last_post_at = max(last_post_at, ?2) WHERE id = ?1",
    [Q_THREAD_SET_OFFICIAL] = "UPDATE threads SET official_post_id = ?2 WHERE id = ?1",
    [Q_OBJECTIVE_BUMP] = "UPDATE objectives SET thread_count = thread_count + ?2, post_count = post_count + 1,"
                         " last_post_at = max(coalesce(last_post_at, 0), ?3) WHERE id = ?1",
    [Q_POST_INSERT] = "INSERT INTO posts(thread_id, parent_id, author_id, body, body_html, language, anonymous, official,"
                      " created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [Q_POSTS_PAGE] = POST_SELECT "WHERE p.thread_id = ?1 AND p.id > ?2 ORDER BY p.id LIMIT ?3",
    [Q_POST_GET] = POST_SELECT "WHERE p.id = ?1",
    /* Feeds: the newest threads by creation (ids grow with it: schema/0005_feeds.sql indexes them
     * per objective and key action), each joined to its opening post, the thread's lowest post id
     * (posts_by_thread). The walk stops after ?2 visible ones. */
    [Q_FEED_THREADS_BY_OBJECTIVE] = FEED_THREADS "t.objective_id = ?1" FEED_THREADS_END,
    [Q_FEED_THREADS_BY_KEY_ACTION] = FEED_THREADS "t.key_action_id = ?1" FEED_THREADS_END,
    [Q_FEED_POSTS] = "SELECT t.title, p.id = (SELECT min(f.id) FROM posts f WHERE f.thread_id = ?1), " POST_COLS
                     " FROM posts p JOIN threads t ON t.id = p.thread_id JOIN users a ON a.id = p.author_id"
                     " WHERE p.thread_id = ?1 AND p.hidden = 0 AND p.deleted = 0 ORDER BY p.id DESC LIMIT ?2",
    /* What is indexed is what the search_docs view says (schema/0002_search.sql). */
    /* A post is in the index while it is visible. Every change to a post runs Q_FTS_REMOVE before
     * (it removes the post if it was indexed, with the values it was indexed with) and Q_FTS_ADD
     * after (it adds the post if it is visible now). */
    [Q_FTS_ADD] = "INSERT INTO posts_fts(rowid, title, body) SELECT d.id, d.title, d.body FROM search_docs d"
                  " JOIN posts p ON p.id = d.id WHERE d.id = ?1 AND p.hidden = 0 AND p.deleted = 0",
    [Q_FTS_REMOVE] = "INSERT INTO posts_fts(posts_fts, rowid, title, body) SELECT 'delete', d.id, d.title, d.body"
                     " FROM search_docs d JOIN posts p ON p.id = d.id WHERE d.id = ?1 AND p.hidden = 0 AND p.deleted = 0",
    /* The innermost query walks the matches newest first (filtered, for Q_SEARCH_FILTERED) and
     * keeps the first ?8; only those are ranked (fd_rank: BM25, title hits weigh 10 times body
     * hits), which bounds the cost of a word found in half the forum. The middle one picks the page
     * by (rank, id), and only its rows are joined to their posts. */
    [Q_SEARCH] = SEARCH_SELECT "(SELECT rowid AS id, fd_rank(posts_fts, ?12) AS rank FROM posts_fts"
                 " WHERE posts_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?8)" SEARCH_PAGE,
    [Q_SEARCH_FILTERED] = SEARCH_SELECT "(SELECT posts_fts.rowid AS id, fd_rank(posts_fts, ?12) AS rank"
                          " FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid JOIN threads t ON t.id = p.thread_id"
                          " JOIN users u ON u.id = p.author_id"
                          " WHERE posts_fts MATCH ?1 AND (?2 = 0 OR t.objective_id = ?2)"
                          " AND (?3 = 0 OR t.key_action_id = ?3) AND (?4 IS NULL OR u.stakeholder_type = ?4)"
                          " AND (?5 IS NULL OR u.country = ?5) AND p.created_at >= ?6 AND p.created_at < ?7"
                          " ORDER BY posts_fts.rowid DESC LIMIT ?8)" SEARCH_PAGE,
    [Q_REVISION_SAVE] = "INSERT INTO post_revisions(post_id, body, editor_id, by_moderator, edited_at)"
                        " SELECT id, body, ?2, ?3, ?4 FROM posts WHERE id = ?1",
    [Q_POST_EDIT] = "UPDATE posts SET body = ?2, body_html = ?3, edited_at = ?4, edited_by = ?5,"
                    " edited_by_moderator = ?6 WHERE id = ?1",
    [Q_REVISIONS] = "SELECT r.body, r.edited_at, r.by_moderator, " AUTHOR_COLS " FROM post_revisions r"
                    " JOIN users a ON a.id = r.editor_id WHERE r.post_id = ?1 ORDER BY r.id LIMIT 1000",
    [Q_POST_SET_HIDDEN] = "UPDATE posts SET hidden = ?2, hidden_auto = ?3 WHERE id = ?1",
    [Q_POST_SET_DELETED] = "UPDATE posts SET deleted = 1 WHERE id = ?1",
    /* ?8: whether the consultation changes; then ?9/?10 are its window (NULL, NULL: none) */
    [Q_THREAD_SET] = "UPDATE threads SET locked = coalesce(?2, locked), pinned = coalesce(?3, pinned),"
                     " title = coalesce(?4, title), objective_id = coalesce(?5, objective_id),"
                     " key_action_id = CASE WHEN ?6 THEN ?7 ELSE key_action_id END,"
                     " opens_at = CASE WHEN ?8 THEN ?9 ELSE opens_at END,"
                     " closes_at = CASE WHEN ?8 THEN ?10 ELSE closes_at END WHERE id = ?1",
    [Q_THREAD_FIRST_POST] = "SELECT min(id) FROM posts WHERE thread_id = ?1",
    [Q_OBJECTIVE_RECOUNT] = "UPDATE objectives SET thread_count = (SELECT count(*) FROM threads WHERE objective_id = ?1),"
                            " post_count = (SELECT coalesce(sum(post_count), 0) FROM threads WHERE objective_id = ?1),"
                            " last_post_at = (SELECT max(last_post_at) FROM threads WHERE objective_id = ?1)"
                            " WHERE id = ?1",
    [Q_FLAG_INSERT] = "INSERT INTO flags(post_id, user_id, reason, text, created_at) VALUES(?1, ?2, ?3, ?4, ?5)",
    [Q_FLAG_GET] = FLAG_SELECT "WHERE f.id = ?1",
    [Q_FLAGS_OPEN_COUNT] = "SELECT count(*) FROM flags WHERE post_id = ?1 AND resolution IS NULL",
    [Q_FLAGS_RESOLVE] = "UPDATE flags SET resolution = ?2, resolved_by = ?3, resolved_at = ?4"
                        " WHERE post_id = ?1 AND resolution IS NULL",
    [Q_FLAGS_PAGE] = FLAG_SELECT "WHERE ((?1 = 0 AND f.resolution IS NULL) OR (?1 = 1 AND f.resolution IS NOT NULL))"
                     " AND f.id < ?2 AND (?3 IS NULL OR t.objective_id IN (SELECT value FROM json_each(?3)))"
                     " ORDER BY f.id DESC LIMIT ?4",
    [Q_USER_SUSPEND] = "UPDATE users SET suspended_until = ?2, suspend_reason = ?3 WHERE id = ?1",
    [Q_USER_SET_ROLE] = "UPDATE users SET role = ?2 WHERE id = ?1",
    [Q_USER_PROFILE] = "UPDATE users SET display_name = coalesce(?2, display_name),"
                       " organisation = CASE WHEN ?3 THEN ?4 ELSE organisation END,"
                       " country = CASE WHEN ?5 THEN ?6 ELSE country END,"
                       " transparency_register_id = CASE WHEN ?7 THEN ?8 ELSE transparency_register_id END"
                       " WHERE id = ?1 AND email IS NOT NULL",
    [Q_SCOPE_CLEAR] = "DELETE FROM moderator_objectives WHERE user_id = ?1",
    [Q_SCOPE_ADD] = "INSERT OR IGNORE INTO moderator_objectives(user_id, objective_id) VALUES(?1, ?2)",
    [Q_ADMINS_COUNT] = "SELECT count(*) FROM users WHERE role = 'admin'",
    [Q_LOG_ADD] = "INSERT INTO mod_log(actor_id, action, target_type, target_id, objective_id, thread_id, reason,"
                  " created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    /* Scoped moderators see their objectives' rows and those about no objective (accounts). */
    [Q_LOG_PAGE] = "SELECT l.id, l.action, l.target_type, l.target_id, l.objective_id, l.reason, l.created_at, l.thread_id, "
                   AUTHOR_COLS " FROM mod_log l LEFT JOIN users a ON a.id = l.actor_id WHERE l.id < ?1"
                   " AND (?2 IS NULL OR l.objective_id IS NULL OR l.objective_id IN (SELECT value FROM json_each(?2)))"
                   " AND (?3 IS NULL OR (l.target_type = ?3 AND l.target_id = ?4)) ORDER BY l.id DESC LIMIT ?5",
    [Q_THREAD_SET_FIRST] = "UPDATE threads SET first_post_id = ?2 WHERE id = ?1",
    /* a follow reports what comes after the newest post at the time it began */
    [Q_FOLLOW] = "INSERT OR IGNORE INTO follows(user_id, target_type, target_id, since_post_id, created_at)"
                 " VALUES(?1, ?2, ?3, (SELECT coalesce(max(id), 0) FROM posts), ?4)",
    [Q_UNFOLLOW] = "DELETE FROM follows WHERE user_id = ?1 AND target_type = ?2 AND target_id = ?3",
    [Q_FOLLOWS] = "SELECT target_type, target_id FROM follows WHERE user_id = ?1 ORDER BY target_type, target_id",
    [Q_OBJECTIVE_EXISTS] = "SELECT count(*) FROM objectives WHERE id = ?1",
    [Q_KEY_ACTION_EXISTS] = "SELECT count(*) FROM key_actions WHERE id = ?1",
    [Q_THREAD_EXISTS] = "SELECT count(*) FROM threads WHERE id = ?1",
    /* replies to the newest 1000 posts of the reader */
    [Q_N_REPLIES] = "SELECT " NOTIF_COLS("reply", "p.id * 4 + 1", "p.created_at", "NULL", "0") NOTIF_FROM_POSTS
                    "WHERE p.parent_id IN (SELECT id FROM posts WHERE author_id = ?1 ORDER BY id DESC LIMIT 1000)"
                    " AND p.author_id != ?1" NOTIF_VISIBLE " ORDER BY p.id DESC LIMIT ?2",
    /* all followed threads in one query: its cost follows their new posts, not how many they are */
    [Q_N_THREAD_POSTS] = "SELECT " NOTIF_COLS("new_post", "p.id * 4 + 1", "p.created_at", "NULL", "0")
                         " FROM follows f JOIN posts p ON p.thread_id = f.target_id AND p.id > f.since_post_id"
                         " JOIN threads t ON t.id = p.thread_id JOIN users a ON a.id = p.author_id"
                         " WHERE f.user_id = ?1 AND f.target_type = 'thread' AND p.author_id != ?1" NOTIF_VISIBLE
                         " AND NOT EXISTS (SELECT 1 FROM posts q WHERE q.id = p.parent_id AND q.author_id = ?1)"
                         " ORDER BY p.id DESC LIMIT ?2",
    [Q_N_OBJECTIVE_THREADS] = "SELECT " NOTIF_COLS("new_thread", "t.first_post_id * 4 + 1", "t.created_at", "NULL", "0")
                              " FROM threads t JOIN posts p ON p.id = t.first_post_id JOIN users a ON a.id = t.author_id"
                              " WHERE t.objective_id = ?2 AND t.first_post_id > ?3 AND t.author_id != ?1" NOTIF_VISIBLE
                              " ORDER BY t.first_post_id DESC LIMIT ?4",
    [Q_N_KEY_ACTION_THREADS] = "SELECT " NOTIF_COLS("new_thread", "t.first_post_id * 4 + 1", "t.created_at", "NULL", "0")
                               " FROM threads t JOIN posts p ON p.id = t.first_post_id JOIN users a ON a.id = t.author_id"
                               " WHERE t.key_action_id = ?2 AND t.first_post_id > ?3 AND t.author_id != ?1" NOTIF_VISIBLE
                               " ORDER BY t.first_post_id DESC LIMIT ?4",
    [Q_N_STORED] = "SELECT n.id * 4 + 2, n.kind, n.thread_id, n.post_id, n.created_at, n.reason, n.read, 0, t.title,"
                   " NULL, NULL, NULL, NULL, NULL FROM notifications n LEFT JOIN threads t ON t.id = n.thread_id"
                   " WHERE n.user_id = ?1 ORDER BY n.id DESC LIMIT ?2",
    [Q_FOLLOWS_SINCE] = "SELECT target_type, target_id, since_post_id FROM follows WHERE user_id = ?1"
                        " AND target_type != 'thread'",
    [Q_N_WATERMARK] = "SELECT notifications_read_post FROM users WHERE id = ?1",
    [Q_N_READS] = "SELECT post_id FROM notification_reads WHERE user_id = ?1 ORDER BY post_id",
    [Q_NOTIF_READ_POST] = "INSERT OR IGNORE INTO notification_reads(user_id, post_id) VALUES(?1, ?2)",
    [Q_NOTIF_READ_STORED] = "UPDATE notifications SET read = 1 WHERE user_id = ?1 AND id = ?2",
    [Q_NOTIF_READ_ALL] = "UPDATE users SET notifications_read_post = (SELECT coalesce(max(id), 0) FROM posts)"
                         " WHERE id = ?1",
    [Q_NOTIF_READ_ALL_STORED] = "UPDATE notifications SET read = 1 WHERE user_id = ?1 AND read = 0",
    [Q_NOTIF_READS_PRUNE] = "DELETE FROM notification_reads WHERE user_id = ?1"
                            " AND post_id <= (SELECT notifications_read_post FROM users WHERE id = ?1)",
    [Q_NOTIFY] = "INSERT INTO notifications(user_id, kind, thread_id, post_id, reason, created_at)"
                 " VALUES(?1, 'moderation', ?2, ?3, ?4, ?5)",
    [Q_MY_POSTS] = POST_SELECT "WHERE p.author_id = ?1 ORDER BY p.id",
    [Q_MY_FLAGS] = FLAG_SELECT "WHERE f.user_id = ?1 ORDER BY f.id",
    [Q_MY_SESSIONS] = "SELECT id, created_at, last_seen_at FROM sessions WHERE user_id = ?1 ORDER BY id",
    [Q_MY_TOKENS] = "SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = ?1 ORDER BY id",
    /* what identifies a person goes; the stakeholder type stays, as on every anonymous post */
    [Q_ERASE_USER] = "UPDATE users SET email = NULL, password_hash = NULL, display_name = 'Deleted user',"
                     " organisation = NULL, country = NULL, transparency_register_id = NULL, suspended_until = NULL,"
                     " suspend_reason = NULL, role = 'member' WHERE id = ?1",
    [Q_ERASE_SESSIONS] = "DELETE FROM sessions WHERE user_id = ?1",
    [Q_ERASE_TOKENS] = "DELETE FROM api_tokens WHERE user_id = ?1",
    [Q_ERASE_FOLLOWS] = "DELETE FROM follows WHERE user_id = ?1",
    [Q_ERASE_NOTIFICATIONS] = "DELETE FROM notifications WHERE user_id = ?1",
    [Q_ERASE_READS] = "DELETE FROM notification_reads WHERE user_id = ?1",
    [Q_ERASE_SCOPE] = "DELETE FROM moderator_objectives WHERE user_id = ?1",
    [Q_SNIPPET] = "SELECT snippet(posts_fts, -1, char(2), char(3), '…', 16) FROM posts_fts"
                  " WHERE posts_fts MATCH ?1 AND rowid = ?2",
    /* Exports: keyset over (thread id, post id); the first thread of a page resumes after ?3. */
    [Q_EXPORT_OBJECTIVE] = EXPORT_SELECT "WHERE t.objective_id = ?1 AND t.id >= ?2"
                           " AND p.id > CASE WHEN t.id = ?2 THEN ?3 ELSE 0 END" EXPORT_VISIBLE
                           " ORDER BY t.id, p.id LIMIT ?4",
    [Q_EXPORT_THREAD] = EXPORT_SELECT "WHERE t.id = ?1 AND p.id > ?2" EXPORT_VISIBLE " ORDER BY p.id LIMIT ?3",
    [Q_MANIFEST_SET] = "UPDATE threads SET manifest_sha256 = ?2, manifest_at = ?3 WHERE id = ?1 AND manifest_sha256 IS NULL",
    [Q_MANIFEST_GET] = "SELECT manifest_sha256 FROM threads WHERE id = ?1",
    /* Statistics: visible posts grouped by (stakeholder type, country, day), read from the partial
     * index posts_visible (schema/0006) without touching the posts' text. */
    /* CROSS JOIN keeps posts (read from posts_visible) the outer loop: otherwise SQLite walks users
     * and fetches every post row by author, 4 s instead of 1 s on 1,000,000 posts */
    [Q_STATS_ALL] = STATS_GROUPS("FROM posts p CROSS", ""),
    [Q_STATS_OBJECTIVE] = STATS_GROUPS(STATS_OF_OBJECTIVE, "t.objective_id = ?1 AND "),
    [Q_STATS_TOTALS_ALL] = STATS_TOTALS("FROM posts p", ""),
    [Q_STATS_TOTALS_OBJECTIVE] = STATS_TOTALS(STATS_OF_OBJECTIVE, "t.objective_id = ?1 AND "),
};

struct fd_sqlite {
    struct fd_store base;
    sqlite3 *db;
    struct fd_rank_cache *rank; /* document counts of searched terms */
    sqlite3_stmt *st[Q_COUNT];
};

static int map_rc(struct fd_sqlite *s, int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return FD_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return FD_EBUSY;
    case SQLITE_FULL:
        fd_log_error("event=db.full msg=\"%s\"", sqlite3_errmsg(s->db));
        return FD_EFULL;
    case SQLITE_CONSTRAINT:
        return FD_ECONFLICT;
    default:
        fd_log_error("event=db.error code=%d msg=\"%s\"", rc, sqlite3_errmsg(s->db));
        return FD_EINTERNAL;
    }
}

/* The prepared statement q, reset and with its bindings cleared; NULL (logged) if it cannot be
 * prepared. */
static sqlite3_stmt *stmt(struct fd_sqlite *s, enum q q)
{
    if (!s->st[q]) {
        if (sqlite3_prepare_v3(s->db, sql[q], -1, SQLITE_PREPARE_PERSISTENT, &s->st[q], NULL) != SQLITE_OK) {
            fd_log_error("event=db.prepare q=%d msg=\"%s\"", (int)q, sqlite3_errmsg(s->db));
            return NULL;
        }
    } else {
        sqlite3_reset(s->st[q]);
        sqlite3_clear_bindings(s->st[q]);
    }
    return s->st[q];
}

/* Runs a statement that returns no rows. */
static int exec_q(struct fd_sqlite *s, sqlite3_stmt *st)
{
    if (!st)
        return FD_EINTERNAL;
    int rc = sqlite3_step(st);
    int err = map_rc(s, rc);
    sqlite3_reset(st);
    return err;
}

/* Runs q, which takes one id and returns no rows. */
static int exec_id(struct fd_sqlite *s, enum q q, int64_t id)
{
    sqlite3_stmt *st = stmt(s, q);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, id);
    return exec_q(s, st);
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void bind_id_or_null(sqlite3_stmt *st, int i, int64_t v)
{
    if (v)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

static char *col_str(sqlite3_stmt *st, int i)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    return v ? fd_xstrdup((const char *)v) : NULL;
}

static struct fd_sqlite *S(struct fd_store *store)
{
    return (struct fd_sqlite *)store;
}

/* ---- transactions ---- */

static int tx(struct fd_store *store, enum q q)
{
    struct fd_sqlite *s = S(store);
    return exec_q(s, stmt(s, q));
}

static int sq_tx_begin(struct fd_store *s) { return tx(s, Q_BEGIN); }
static int sq_tx_commit(struct fd_store *s) { return tx(s, Q_COMMIT); }
/* After a COMMIT that failed with SQLITE_FULL or an I/O error, SQLite has rolled back already;
 * a second ROLLBACK would only log a misleading error. */
static int sq_tx_rollback(struct fd_store *s)
{
    return sqlite3_get_autocommit(S(s)->db) ? FD_OK : tx(s, Q_ROLLBACK);
}
static int sq_savepoint(struct fd_store *s) { return tx(s, Q_SAVEPOINT); }
static int sq_savepoint_release(struct fd_store *s) { return tx(s, Q_RELEASE); }
static int sq_savepoint_rollback(struct fd_store *s) { return tx(s, Q_ROLLBACK_TO); }

static int sq_auto_checkpoint(struct fd_store *store, bool on)
{
    /* 1000 pages is SQLite's default */
    return map_rc(S(store), sqlite3_wal_autocheckpoint(S(store)->db, on ? 1000 : 0));
}

static int sq_checkpoint(struct fd_store *store)
{
    /* PASSIVE: copies what it can without waiting for readers or blocking the writer. Readers that
     * never pause keep it from reaching the end of the log, which then grows (see README,
     * Performance); waiting for them (RESTART) held the writer back for hundreds of milliseconds. */
    int rc = sqlite3_wal_checkpoint_v2(S(store)->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return rc == SQLITE_BUSY ? FD_OK : map_rc(S(store), rc);
}

static int sq_health(struct fd_store *store)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_HEALTH);
    if (!st)
        return FD_EINTERNAL;
    int rc = sqlite3_step(st);
    int ok = rc == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
    sqlite3_reset(st);
    return ok ? FD_OK : map_rc(s, rc == SQLITE_ROW ? SQLITE_ERROR : rc);
}

/* ---- users ---- */

/* Parses "1,3" (a group_concat of ids) into a new array; NULL gives none. */
static void read_id_list(const char *v, int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    if (!v || !*v)
        return;
    size_t cap = 1;
    for (const char *p = v; *p; p++)
        cap += *p == ',';
    *ids = fd_xcalloc(cap, sizeof **ids);
    for (const char *p = v; *p && *n < cap;) {
        char *end;
        long long id = strtoll(p, &end, 10);
        if (end == p)
            break;
        (*ids)[(*n)++] = id;
        p = *end == ',' ? end + 1 : end;
    }
}

/* Reads USER_COLS starting at column i. */
static void read_user(sqlite3_stmt *st, int i, struct fd_user *u)
{
    u->id = sqlite3_column_int64(st, i);
    u->email = col_str(st, i + 1);
    u->display_name = col_str(st, i + 2);
    const char *role = (const char *)sqlite3_column_text(st, i + 3);
    if (fd_role_parse(role, &u->role) < 0)
        u->role = FD_ROLE_MEMBER;
    u->stakeholder_type = col_str(st, i + 4);
    u->organisation = col_str(st, i + 5);
    u->country = col_str(st, i + 6);
    u->transparency_register_id = col_str(st, i + 7);
    u->created_at = sqlite3_column_int64(st, i + 8);
    u->suspended_until = sqlite3_column_int64(st, i + 9);
    u->password_hash = col_str(st, i + 10);
    u->suspension_reason = col_str(st, i + 11);
    read_id_list((const char *)sqlite3_column_text(st, i + 12), &u->moderates, &u->n_moderates);
}

/* Steps a statement expected to return at most one row, read by fn. */
static int one_row(struct fd_sqlite *s, sqlite3_stmt *st, void (*fn)(sqlite3_stmt *, void *), void *out)
{
    if (!st)
        return FD_EINTERNAL;
    int rc = sqlite3_step(st);
    int err = FD_ENOTFOUND;
    if (rc == SQLITE_ROW) {
        fn(st, out);
        err = FD_OK;
    } else if (rc != SQLITE_DONE) {
        err = map_rc(s, rc);
    }
    sqlite3_reset(st);
    return err;
}

/* Runs statement q with one id bound and reads its single row with fn. */
static int row_by_id(struct fd_sqlite *s, enum q q, int64_t id, void (*fn)(sqlite3_stmt *, void *), void *out)
{
    sqlite3_stmt *st = stmt(s, q);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    return one_row(s, st, fn, out);
}

static void user_row(sqlite3_stmt *st, void *out)
{
    read_user(st, 0, out);
}

static int sq_user_get(struct fd_store *store, int64_t id, struct fd_user *out)
{
    return row_by_id(S(store), Q_USER_GET, id, user_row, out);
}

static int sq_user_by_email(struct fd_store *store, const char *email, struct fd_user *out)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_USER_BY_EMAIL);
    if (st)
        sqlite3_bind_text(st, 1, email, -1, SQLITE_TRANSIENT);
    return one_row(s, st, user_row, out);
}

static int sq_user_create(struct fd_store *store, const struct fd_new_user *in, int64_t now, struct fd_user *out)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_USER_INSERT);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_text(st, 1, in->email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, in->password_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, in->display_name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, in->role ? in->role : "member", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, in->stakeholder_type, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 6, in->organisation);
    bind_text_or_null(st, 7, in->country);
    bind_text_or_null(st, 8, in->transparency_register_id);
    sqlite3_bind_int64(st, 9, now);
    int rc = exec_q(s, st);
    if (rc != FD_OK)
        return rc;
    return out ? sq_user_get(store, sqlite3_last_insert_rowid(s->db), out) : FD_OK;
}

static int sq_user_set_password_hash(struct fd_store *store, int64_t id, const char *hash)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_USER_SET_HASH);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
    return exec_q(s, st);
}

/* ---- sessions and tokens ---- */

static int sq_session_create(struct fd_store *store, int64_t user_id, const uint8_t *hash, int64_t now, int64_t *id)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_SESSION_INSERT);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_blob(st, 2, hash, FD_TOKEN_HASH_LEN, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, now);
    int rc = exec_q(s, st);
    if (rc == FD_OK && id)
        *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

struct session_row {
    int64_t *id, *created_at, *last_seen_at;
    struct fd_user *user;
};

static void session_row(sqlite3_stmt *st, void *out)
{
    struct session_row *r = out;
    *r->id = sqlite3_column_int64(st, 0);
    *r->created_at = sqlite3_column_int64(st, 1);
    *r->last_seen_at = sqlite3_column_int64(st, 2);
    read_user(st, 3, r->user);
}

static int sq_session_find(struct fd_store *store, const uint8_t *hash, int64_t *id, int64_t *created_at,
                           int64_t *last_seen_at, struct fd_user *user)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_SESSION_FIND);
    if (st)
        sqlite3_bind_blob(st, 1, hash, FD_TOKEN_HASH_LEN, SQLITE_TRANSIENT);
    struct session_row r = { id, created_at, last_seen_at, user };
    return one_row(s, st, session_row, &r);
}

/* Runs q, which takes two integers (ids, or an id and a time) and returns no rows. */
static int exec_two_ids(struct fd_sqlite *s, enum q q, int64_t a, int64_t b)
{
    sqlite3_stmt *st = stmt(s, q);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    return exec_q(s, st);
}

/* exec_two_ids for a statement that must change a row: FD_ENOTFOUND when none matched. */
static int exec_two_ids_found(struct fd_sqlite *s, enum q q, int64_t a, int64_t b)
{
    int rc = exec_two_ids(s, q, a, b);
    return rc == FD_OK && sqlite3_changes(s->db) == 0 ? FD_ENOTFOUND : rc;
}

static int sq_session_touch(struct fd_store *store, int64_t id, int64_t now)
{
    return exec_two_ids(S(store), Q_SESSION_TOUCH, id, now);
}

static int sq_session_delete(struct fd_store *store, int64_t id)
{
    return exec_id(S(store), Q_SESSION_DELETE, id);
}

static int sq_session_revoke(struct fd_store *store, int64_t user_id, int64_t id)
{
    return exec_two_ids_found(S(store), Q_SESSION_REVOKE, id, user_id);
}

static int sq_sessions_revoke_all(struct fd_store *store, int64_t user_id)
{
    return exec_id(S(store), Q_ERASE_SESSIONS, user_id);
}

static int sq_sessions_purge(struct fd_store *store, int64_t idle_before, int64_t created_before)
{
    return exec_two_ids(S(store), Q_SESSIONS_PURGE, idle_before, created_before);
}

static int sq_token_create(struct fd_store *store, int64_t user_id, const char *name, const uint8_t *hash,
                           int64_t now, int64_t *id)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_TOKEN_INSERT);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 3, hash, FD_TOKEN_HASH_LEN, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, now);
    int rc = exec_q(s, st);
    if (rc == FD_OK)
        *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

struct token_row {
    int64_t *id, *last_used;
    struct fd_user *user;
};

static void token_row(sqlite3_stmt *st, void *out)
{
    struct token_row *r = out;
    *r->id = sqlite3_column_int64(st, 0);
    if (r->last_used)
        *r->last_used = sqlite3_column_int64(st, 1);
    read_user(st, 2, r->user);
}

static int sq_token_find(struct fd_store *store, const uint8_t *hash, int64_t *id, int64_t *last_used,
                         struct fd_user *user)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_TOKEN_FIND);
    if (st)
        sqlite3_bind_blob(st, 1, hash, FD_TOKEN_HASH_LEN, SQLITE_TRANSIENT);
    struct token_row r = { id, last_used, user };
    return one_row(s, st, token_row, &r);
}

static int sq_token_touch(struct fd_store *store, int64_t id, int64_t now)
{
    return exec_two_ids(S(store), Q_TOKEN_TOUCH, id, now);
}

static int sq_token_delete(struct fd_store *store, int64_t user_id, int64_t token_id)
{
    return exec_two_ids_found(S(store), Q_TOKEN_DELETE, token_id, user_id);
}

/* ---- objectives ---- */

static void objective_row(sqlite3_stmt *st, void *out)
{
    struct fd_objective *o = out;
    o->id = sqlite3_column_int64(st, 0);
    o->number = sqlite3_column_int(st, 1);
    o->slug = col_str(st, 2);
    o->title = col_str(st, 3);
    o->summary = col_str(st, 4);
    o->thread_count = sqlite3_column_int64(st, 5);
    o->post_count = sqlite3_column_int64(st, 6);
    o->last_post_at = sqlite3_column_int64(st, 7);
}

static void add_key_action(struct fd_objective *o, sqlite3_stmt *st)
{
    o->key_actions = fd_xrealloc(o->key_actions, (o->n_key_actions + 1) * sizeof *o->key_actions);
    struct fd_key_action *k = &o->key_actions[o->n_key_actions++];
    k->id = sqlite3_column_int64(st, 0);
    k->objective_id = sqlite3_column_int64(st, 1);
    k->slug = col_str(st, 2);
    k->title = col_str(st, 3);
}

/* Attaches key actions to the n objectives of objs (the query is ordered by objective). */
static int load_key_actions(struct fd_sqlite *s, sqlite3_stmt *st, struct fd_objective *objs, size_t n)
{
    if (!st)
        return FD_EINTERNAL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t oid = sqlite3_column_int64(st, 1);
        for (size_t i = 0; i < n; i++)
            if (objs[i].id == oid)
                add_key_action(&objs[i], st);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? FD_OK : map_rc(s, rc);
}

static int sq_objectives_list(struct fd_store *store, struct fd_objective_list *out)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_OBJECTIVES);
    if (!st)
        return FD_EINTERNAL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        out->items = fd_xrealloc(out->items, (out->n + 1) * sizeof *out->items);
        memset(&out->items[out->n], 0, sizeof *out->items);
        objective_row(st, &out->items[out->n++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return map_rc(s, rc);
    return load_key_actions(s, stmt(s, Q_KEY_ACTIONS), out->items, out->n);
}

static int sq_objective_get(struct fd_store *store, int64_t id, const char *slug, struct fd_objective *out)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, id ? Q_OBJECTIVE_BY_ID : Q_OBJECTIVE_BY_SLUG);
    if (st) {
        if (id)
            sqlite3_bind_int64(st, 1, id);
        else
            sqlite3_bind_text(st, 1, slug ? slug : "", -1, SQLITE_TRANSIENT);
    }
    int rc = one_row(s, st, objective_row, out);
    if (rc != FD_OK)
        return rc;
    st = stmt(s, Q_KEY_ACTIONS_OF);
    if (st)
        sqlite3_bind_int64(st, 1, out->id);
    return load_key_actions(s, st, out, 1);
}

/* ---- threads and posts ---- */

static void read_author(sqlite3_stmt *st, int i, struct fd_author *a)
{
    a->id = sqlite3_column_int64(st, i);
    a->display_name = col_str(st, i + 1);
    a->stakeholder_type = col_str(st, i + 2);
    a->organisation = col_str(st, i + 3);
    a->country = col_str(st, i + 4);
}

static void thread_row(sqlite3_stmt *st, void *out)
{
    struct fd_thread *t = out;
    t->id = sqlite3_column_int64(st, 0);
    t->objective_id = sqlite3_column_int64(st, 1);
    t->key_action_id = sqlite3_column_int64(st, 2);
    t->title = col_str(st, 3);
    t->anonymous = sqlite3_column_int(st, 4) != 0;
    t->created_at = sqlite3_column_int64(st, 5);
    t->last_post_at = sqlite3_column_int64(st, 6);
    t->post_count = sqlite3_column_int64(st, 7);
    t->locked = sqlite3_column_int(st, 8) != 0;
    t->pinned = sqlite3_column_int(st, 9) != 0;
    t->opens_at = sqlite3_column_int64(st, 10);
    t->closes_at = sqlite3_column_int64(st, 11);
    t->official_post_id = sqlite3_column_int64(st, 12);
    read_author(st, 13, &t->author);
    t->manifest_sha256 = col_str(st, 18);
}

/* A post whose columns (POST_SELECT's) start at column c. */
static void post_row_at(sqlite3_stmt *st, int c, struct fd_post *p)
{
    p->id = sqlite3_column_int64(st, c);
    p->thread_id = sqlite3_column_int64(st, c + 1);
    p->parent_id = sqlite3_column_int64(st, c + 2);
    p->body = col_str(st, c + 3);
    p->body_html = col_str(st, c + 4);
    p->language = col_str(st, c + 5);
    p->anonymous = sqlite3_column_int(st, c + 6) != 0;
    p->official = sqlite3_column_int(st, c + 7) != 0;
    p->created_at = sqlite3_column_int64(st, c + 8);
    p->edited_at = sqlite3_column_int64(st, c + 9);
    p->hidden = sqlite3_column_int(st, c + 10) != 0;
    p->deleted = sqlite3_column_int(st, c + 11) != 0;
    read_author(st, c + 12, &p->author);
    p->edited_by_moderator = sqlite3_column_int(st, c + 17) != 0;
    p->hidden_auto = sqlite3_column_int(st, c + 18) != 0;
}

/* The number of columns of POST_COLS. */
enum { POST_NCOLS = 19 };

static void post_row(sqlite3_stmt *st, void *out)
{
    post_row_at(st, 0, out);
}

/* Reads up to limit rows into a growing array of elem-sized items; one row more sets *more. */
static int read_page(struct fd_sqlite *s, sqlite3_stmt *st, int limit, size_t elem, void (*fn)(sqlite3_stmt *, void *),
                     void **items, size_t *n, bool *more)
{
    int rc;
    *items = fd_xcalloc((size_t)limit, elem);
    *n = 0;
    *more = false;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == (size_t)limit) {
            *more = true;
            break;
        }
        fn(st, (char *)*items + *n * elem);
        (*n)++;
    }
    sqlite3_reset(st);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? FD_OK : map_rc(s, rc);
}

static int sq_threads_page(struct fd_store *store, int64_t objective_id, int64_t key_action_id,
                           const struct fd_cursor *after, int limit, struct fd_thread_list *out)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, key_action_id ? Q_THREADS_BY_KEY_ACTION : Q_THREADS_BY_OBJECTIVE);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, key_action_id ? key_action_id : objective_id);
    sqlite3_bind_int64(st, 2, after ? after->k[0] : 2);
    sqlite3_bind_int64(st, 3, after ? after->k[1] : INT64_MAX);
    sqlite3_bind_int64(st, 4, after ? after->k[2] : INT64_MAX);
    sqlite3_bind_int(st, 5, limit + 1);
    void *items;
    int rc = read_page(s, st, limit, sizeof(struct fd_thread), thread_row, &items, &out->n, &out->more);
    out->items = items;
    return rc;
}

static int sq_thread_get(struct fd_store *store, int64_t id, struct fd_thread *out)
{
    return row_by_id(S(store), Q_THREAD_GET, id, thread_row, out);
}

static int sq_posts_page(struct fd_store *store, int64_t thread_id, int64_t after_id, int limit,
                         struct fd_post_list *out)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_POSTS_PAGE);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, thread_id);
    sqlite3_bind_int64(st, 2, after_id);
    sqlite3_bind_int(st, 3, limit + 1);
    void *items;
    int rc = read_page(s, st, limit, sizeof(struct fd_post), post_row, &items, &out->n, &out->more);
    out->items = items;
    return rc;
}

static int sq_post_get(struct fd_store *store, int64_t id, struct fd_post *out)
{
    return row_by_id(S(store), Q_POST_GET, id, post_row, out);
}

/* ---- feeds ---- */

/* (thread title, opening flag, POST_COLS): the rows of the feed statements. */
static void feed_row(sqlite3_stmt *st, void *out)
{
    struct fd_feed_entry *e = out;
    e->thread_title = col_str(st, 0);
    e->opening = sqlite3_column_int(st, 1) != 0;
    post_row_at(st, 2, &e->post);
}

static int read_feed(struct fd_sqlite *s, sqlite3_stmt *st, int64_t id, int limit, struct fd_feed_list *out)
{
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, limit);
    void *items;
    bool more;
    int rc = read_page(s, st, limit, sizeof(struct fd_feed_entry), feed_row, &items, &out->n, &more);
    out->items = items;
    return rc;
}

static int sq_feed_threads(struct fd_store *store, int64_t objective_id, int64_t key_action_id, int limit,
                           struct fd_feed_list *out)
{
    struct fd_sqlite *s = S(store);
    if (key_action_id)
        return read_feed(s, stmt(s, Q_FEED_THREADS_BY_KEY_ACTION), key_action_id, limit, out);
    return read_feed(s, stmt(s, Q_FEED_THREADS_BY_OBJECTIVE), objective_id, limit, out);
}

static int sq_feed_posts(struct fd_store *store, int64_t thread_id, int limit, struct fd_feed_list *out)
{
    struct fd_sqlite *s = S(store);
    return read_feed(s, stmt(s, Q_FEED_POSTS), thread_id, limit, out);
}

/* ---- search ---- */

static void search_row(sqlite3_stmt *st, void *out)
{
    struct fd_search_hit *h = out;
    h->rank = sqlite3_column_double(st, 0);
    /* post_row reads from column 0: the post's columns follow the rank here */
    post_row_at(st, 1, &h->post);
    h->thread_title = col_str(st, 1 + POST_NCOLS);
    h->objective_id = sqlite3_column_int64(st, 2 + POST_NCOLS);
}

static int add_snippets(struct fd_sqlite *s, const char *match, struct fd_search_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        sqlite3_stmt *st = stmt(s, Q_SNIPPET);
        if (!st)
            return FD_EINTERNAL;
        sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, l->items[i].post.id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            l->items[i].snippet = col_str(st, 0);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return map_rc(s, rc);
    }
    return FD_OK;
}

static int sq_search(struct fd_store *store, const struct fd_search_query *q, const struct fd_search_after *after,
                     int limit, struct fd_search_list *out)
{
    struct fd_sqlite *s = S(store);
    bool filtered = q->objective_id || q->key_action_id || q->stakeholder_type || q->country || q->from || q->until;
    sqlite3_stmt *st = stmt(s, filtered ? Q_SEARCH_FILTERED : Q_SEARCH);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_text(st, 1, q->match, -1, SQLITE_STATIC);
    if (filtered) {
        sqlite3_bind_int64(st, 2, q->objective_id);
        sqlite3_bind_int64(st, 3, q->key_action_id);
        bind_text_or_null(st, 4, q->stakeholder_type);
        bind_text_or_null(st, 5, q->country);
        sqlite3_bind_int64(st, 6, q->from);
        sqlite3_bind_int64(st, 7, q->until ? q->until : INT64_MAX);
    }
    size_t dfs_len = (size_t)q->n_terms * 21 + 1; /* up to 20 digits and a space per term */
    char *dfs = fd_xmalloc(dfs_len);
    int rc = fd_rank_dfs(s->rank, s->db, q->terms, q->n_terms, dfs, dfs_len);
    if (rc != SQLITE_OK) {
        free(dfs);
        return map_rc(s, rc);
    }
    sqlite3_bind_text(st, 12, dfs, -1, free);
    sqlite3_bind_int(st, 8, q->window);
    sqlite3_bind_double(st, 9, after ? after->rank : -DBL_MAX);
    sqlite3_bind_int64(st, 10, after ? after->id : 0);
    sqlite3_bind_int(st, 11, limit + 1);
    void *items;
    rc = read_page(s, st, limit, sizeof(struct fd_search_hit), search_row, &items, &out->n, &out->more);
    out->items = items;
    if (rc == FD_EINTERNAL && sqlite3_errcode(s->db) == SQLITE_ERROR)
        return FD_EINVAL; /* FTS5 refused the expression: a bad query, not a broken server */
    return rc == FD_OK ? add_snippets(s, q->match, out) : rc;
}

/* Inserts a post and keeps the thread's and objective's counters in step. */
static int insert_post(struct fd_sqlite *s, const struct fd_new_post *in, int64_t objective_id, bool new_thread,
                       int64_t author_id, int64_t now, int64_t *post_id)
{
    sqlite3_stmt *st = stmt(s, Q_POST_INSERT);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, in->thread_id);
    bind_id_or_null(st, 2, in->parent_id);
    sqlite3_bind_int64(st, 3, author_id);
    sqlite3_bind_text(st, 4, in->body, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, in->body_html, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 6, in->language);
    sqlite3_bind_int(st, 7, in->anonymous);
    sqlite3_bind_int(st, 8, in->official);
    sqlite3_bind_int64(st, 9, now);
    int rc = exec_q(s, st);
    if (rc != FD_OK)
        return rc;
    *post_id = sqlite3_last_insert_rowid(s->db);
    if ((rc = exec_id(s, Q_FTS_ADD, *post_id)) != FD_OK)
        return rc;
    if (new_thread && (rc = exec_two_ids(s, Q_THREAD_SET_FIRST, in->thread_id, *post_id)) != FD_OK)
        return rc;
    if ((rc = exec_two_ids(s, Q_THREAD_BUMP, in->thread_id, now)) != FD_OK)
        return rc;
    if (in->official && (rc = exec_two_ids(s, Q_THREAD_SET_OFFICIAL, in->thread_id, *post_id)) != FD_OK)
        return rc;
    st = stmt(s, Q_OBJECTIVE_BUMP);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, objective_id);
    sqlite3_bind_int(st, 2, new_thread ? 1 : 0);
    sqlite3_bind_int64(st, 3, now);
    return exec_q(s, st);
}

static int sq_thread_create(struct fd_store *store, const struct fd_new_thread *in, int64_t author_id, int64_t now,
                            int64_t *thread_id, int64_t *post_id)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_THREAD_INSERT);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, in->objective_id);
    bind_id_or_null(st, 2, in->key_action_id);
    sqlite3_bind_text(st, 3, in->title, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, author_id);
    sqlite3_bind_int(st, 5, in->post.anonymous);
    sqlite3_bind_int64(st, 6, now);
    if (in->consultation.given) {
        sqlite3_bind_int64(st, 7, in->consultation.opens_at ? in->consultation.opens_at : now);
        sqlite3_bind_int64(st, 8, in->consultation.closes_at);
    }
    int rc = exec_q(s, st);
    if (rc != FD_OK)
        return rc;
    *thread_id = sqlite3_last_insert_rowid(s->db);
    struct fd_new_post first = in->post;
    first.thread_id = *thread_id;
    first.parent_id = 0;
    return insert_post(s, &first, in->objective_id, true, author_id, now, post_id);
}

static int sq_post_create(struct fd_store *store, const struct fd_new_post *in, int64_t author_id, int64_t now,
                          int64_t *post_id)
{
    struct fd_sqlite *s = S(store);
    struct fd_thread t = { 0 };
    int rc = sq_thread_get(store, in->thread_id, &t);
    if (rc == FD_OK)
        rc = insert_post(s, in, t.objective_id, false, author_id, now, post_id);
    fd_thread_clear(&t);
    return rc;
}

/* ---- moderation ---- */

/* Runs fn(s, post_id, arg) between taking the post out of the search index and putting it back,
 * so that the index holds the post's text while, and only while, the post is visible. */
static int reindexed(struct fd_sqlite *s, int64_t post_id, int (*fn)(struct fd_sqlite *, int64_t, const void *),
                     const void *arg)
{
    int rc = exec_id(s, Q_FTS_REMOVE, post_id);
    if (rc == FD_OK)
        rc = fn(s, post_id, arg);
    if (rc == FD_OK)
        rc = exec_id(s, Q_FTS_ADD, post_id);
    return rc;
}

struct edit_args {
    const char *body, *body_html;
    int64_t editor_id, now;
    bool by_moderator;
};

static int edit_post(struct fd_sqlite *s, int64_t id, const void *arg)
{
    const struct edit_args *a = arg;
    sqlite3_stmt *st = stmt(s, Q_REVISION_SAVE);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, a->editor_id);
    sqlite3_bind_int(st, 3, a->by_moderator);
    sqlite3_bind_int64(st, 4, a->now);
    int rc = exec_q(s, st);
    if (rc != FD_OK)
        return rc;
    if (!(st = stmt(s, Q_POST_EDIT)))
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, a->body, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, a->body_html, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, a->now);
    sqlite3_bind_int64(st, 5, a->editor_id);
    sqlite3_bind_int(st, 6, a->by_moderator);
    return exec_q(s, st);
}

static int sq_post_edit(struct fd_store *store, int64_t post_id, const char *body, const char *body_html,
                        int64_t editor_id, bool by_moderator, int64_t now)
{
    struct edit_args a = { body, body_html, editor_id, now, by_moderator };
    return reindexed(S(store), post_id, edit_post, &a);
}

static void revision_row(sqlite3_stmt *st, void *out)
{
    struct fd_revision *r = out;
    r->body = col_str(st, 0);
    r->edited_at = sqlite3_column_int64(st, 1);
    r->by_moderator = sqlite3_column_int(st, 2) != 0;
    read_author(st, 3, &r->editor);
}

static int sq_post_revisions(struct fd_store *store, int64_t post_id, struct fd_revision_list *out)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_REVISIONS);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, post_id);
    void *items;
    bool more;
    int rc = read_page(s, st, 1000, sizeof(struct fd_revision), revision_row, &items, &out->n, &more);
    out->items = items;
    return rc;
}

struct hide_args {
    bool hidden, automatic;
};

static int hide_post(struct fd_sqlite *s, int64_t id, const void *arg)
{
    const struct hide_args *a = arg;
    sqlite3_stmt *st = stmt(s, Q_POST_SET_HIDDEN);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, a->hidden);
    sqlite3_bind_int(st, 3, a->hidden && a->automatic);
    return exec_q(s, st);
}

static int sq_post_set_hidden(struct fd_store *store, int64_t post_id, bool hidden, bool automatic)
{
    struct hide_args a = { hidden, automatic };
    return reindexed(S(store), post_id, hide_post, &a);
}

static int delete_post(struct fd_sqlite *s, int64_t id, const void *arg)
{
    (void)arg;
    return exec_id(s, Q_POST_SET_DELETED, id);
}

static int sq_post_set_deleted(struct fd_store *store, int64_t post_id)
{
    return reindexed(S(store), post_id, delete_post, NULL);
}

/* The single integer a statement returns (0 for NULL or no row). */
static int one_int(struct fd_sqlite *s, sqlite3_stmt *st, int64_t *out)
{
    if (!st)
        return FD_EINTERNAL;
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? FD_OK : map_rc(s, rc);
}

static int int_by_id(struct fd_sqlite *s, enum q q, int64_t id, int64_t *out)
{
    sqlite3_stmt *st = stmt(s, q);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    return one_int(s, st, out);
}

static int set_thread(struct fd_sqlite *s, int64_t id, const void *arg)
{
    const struct fd_thread_patch *p = arg;
    sqlite3_stmt *st = stmt(s, Q_THREAD_SET);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, id);
    if (p->locked.given)
        sqlite3_bind_int(st, 2, p->locked.value);
    if (p->pinned.given)
        sqlite3_bind_int(st, 3, p->pinned.value);
    bind_text_or_null(st, 4, p->title);
    bind_id_or_null(st, 5, p->objective_id);
    sqlite3_bind_int(st, 6, p->key_action.given);
    bind_id_or_null(st, 7, p->key_action.id);
    sqlite3_bind_int(st, 8, p->consultation.given);
    if (p->consultation.given && p->consultation.window.given) {
        sqlite3_bind_int64(st, 9, p->consultation.window.opens_at);
        sqlite3_bind_int64(st, 10, p->consultation.window.closes_at);
    }
    return exec_q(s, st);
}

static int sq_thread_update(struct fd_store *store, int64_t thread_id, const struct fd_thread_patch *p)
{
    struct fd_sqlite *s = S(store);
    int64_t old_objective = 0, first_post = 0;
    int rc = FD_OK;
    if (p->objective_id) { /* to recount the objective it leaves */
        struct fd_thread t = { 0 };
        rc = sq_thread_get(store, thread_id, &t);
        old_objective = t.objective_id;
        fd_thread_clear(&t);
    }
    if (rc == FD_OK)
        rc = int_by_id(s, Q_THREAD_FIRST_POST, thread_id, &first_post);
    if (rc != FD_OK)
        return rc;
    /* the title is indexed with the opening post: out with the old title, in with the new */
    bool retitle = p->title && first_post;
    if (retitle)
        rc = exec_id(s, Q_FTS_REMOVE, first_post);
    if (rc == FD_OK)
        rc = set_thread(s, thread_id, p);
    if (rc == FD_OK && retitle)
        rc = exec_id(s, Q_FTS_ADD, first_post);
    if (rc == FD_OK && p->objective_id && p->objective_id != old_objective) {
        rc = exec_id(s, Q_OBJECTIVE_RECOUNT, old_objective);
        if (rc == FD_OK)
            rc = exec_id(s, Q_OBJECTIVE_RECOUNT, p->objective_id);
    }
    return rc;
}

static int sq_flag_create(struct fd_store *store, int64_t post_id, int64_t user_id, const char *reason,
                          const char *text, int64_t now, int64_t *flag_id)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_FLAG_INSERT);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, post_id);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_text(st, 3, reason, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 4, text);
    sqlite3_bind_int64(st, 5, now);
    int rc = exec_q(s, st);
    if (rc == FD_OK)
        *flag_id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static void flag_row(sqlite3_stmt *st, void *out)
{
    struct fd_flag *f = out;
    f->id = sqlite3_column_int64(st, 0);
    f->post_id = sqlite3_column_int64(st, 1);
    f->thread_id = sqlite3_column_int64(st, 2);
    f->objective_id = sqlite3_column_int64(st, 3);
    f->reason = col_str(st, 4);
    f->text = col_str(st, 5);
    f->created_at = sqlite3_column_int64(st, 6);
    f->resolution = col_str(st, 7);
    f->resolved_at = sqlite3_column_int64(st, 8);
    read_author(st, 9, &f->flagger);
}

static int sq_flag_get(struct fd_store *store, int64_t id, struct fd_flag *out)
{
    return row_by_id(S(store), Q_FLAG_GET, id, flag_row, out);
}

static int sq_flags_open_count(struct fd_store *store, int64_t post_id, int64_t *n)
{
    return int_by_id(S(store), Q_FLAGS_OPEN_COUNT, post_id, n);
}

static int sq_flags_resolve(struct fd_store *store, int64_t post_id, const char *resolution, int64_t by, int64_t now)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_FLAGS_RESOLVE);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, post_id);
    sqlite3_bind_text(st, 2, resolution, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, by);
    sqlite3_bind_int64(st, 4, now);
    return exec_q(s, st);
}

/* The scope as a JSON array for json_each ("[1,3]"), or NULL for every objective. */
static char *scope_json(const struct fd_scope *scope)
{
    if (!scope || scope->all)
        return NULL;
    char *out = fd_xmalloc(scope->n * 21 + 3);
    size_t len = 0;
    out[len++] = '[';
    for (size_t i = 0; i < scope->n; i++)
        len += (size_t)snprintf(out + len, 22, "%s%lld", i ? "," : "", (long long)scope->ids[i]);
    out[len++] = ']';
    out[len] = '\0';
    return out;
}

static int sq_flags_page(struct fd_store *store, bool resolved, const struct fd_scope *scope, int64_t after_id,
                         int limit, struct fd_flag_list *out)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_FLAGS_PAGE);
    if (!st)
        return FD_EINTERNAL;
    char *ids = scope_json(scope);
    sqlite3_bind_int(st, 1, resolved);
    sqlite3_bind_int64(st, 2, after_id ? after_id : INT64_MAX);
    bind_text_or_null(st, 3, ids);
    sqlite3_bind_int(st, 4, limit + 1);
    void *items;
    int rc = read_page(s, st, limit, sizeof(struct fd_flag), flag_row, &items, &out->n, &out->more);
    out->items = items;
    free(ids);
    for (size_t i = 0; rc == FD_OK && i < out->n; i++) {
        rc = sq_post_get(store, out->items[i].post_id, &out->items[i].post);
        out->items[i].has_post = rc == FD_OK;
    }
    return rc;
}

static int sq_user_suspend(struct fd_store *store, int64_t user_id, int64_t until, const char *reason)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_USER_SUSPEND);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    bind_id_or_null(st, 2, until);
    bind_text_or_null(st, 3, until ? reason : NULL);
    return exec_q(s, st);
}

static int sq_user_set_role(struct fd_store *store, int64_t user_id, enum fd_role role, const int64_t *moderates,
                            size_t n)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_USER_SET_ROLE);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, fd_role_name(role), -1, SQLITE_STATIC);
    int rc = exec_q(s, st);
    if (rc == FD_OK)
        rc = exec_id(s, Q_SCOPE_CLEAR, user_id);
    for (size_t i = 0; rc == FD_OK && role == FD_ROLE_MODERATOR && i < n; i++)
        rc = exec_two_ids(s, Q_SCOPE_ADD, user_id, moderates[i]);
    return rc;
}

static int sq_admins_count(struct fd_store *store, int64_t *n)
{
    struct fd_sqlite *s = S(store);
    return one_int(s, stmt(s, Q_ADMINS_COUNT), n);
}

static int sq_log_add(struct fd_store *store, const struct fd_log_new *e, int64_t now)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_LOG_ADD);
    if (!st)
        return FD_EINTERNAL;
    bind_id_or_null(st, 1, e->actor_id);
    sqlite3_bind_text(st, 2, e->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e->target_type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, e->target_id);
    bind_id_or_null(st, 5, e->objective_id);
    bind_id_or_null(st, 6, e->thread_id);
    bind_text_or_null(st, 7, e->reason);
    sqlite3_bind_int64(st, 8, now);
    return exec_q(s, st);
}

static void log_row(sqlite3_stmt *st, void *out)
{
    struct fd_log_entry *e = out;
    e->id = sqlite3_column_int64(st, 0);
    e->action = col_str(st, 1);
    e->target_type = col_str(st, 2);
    e->target_id = sqlite3_column_int64(st, 3);
    e->objective_id = sqlite3_column_int64(st, 4);
    e->reason = col_str(st, 5);
    e->created_at = sqlite3_column_int64(st, 6);
    e->thread_id = sqlite3_column_int64(st, 7);
    read_author(st, 8, &e->actor);
}

static int sq_log_page(struct fd_store *store, const struct fd_scope *scope, const char *target_type,
                       int64_t target_id, int64_t after_id, int limit, struct fd_log_list *out)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_LOG_PAGE);
    if (!st)
        return FD_EINTERNAL;
    char *ids = scope_json(scope);
    sqlite3_bind_int64(st, 1, after_id ? after_id : INT64_MAX);
    bind_text_or_null(st, 2, ids);
    bind_text_or_null(st, 3, target_type);
    sqlite3_bind_int64(st, 4, target_id);
    sqlite3_bind_int(st, 5, limit + 1);
    void *items;
    int rc = read_page(s, st, limit, sizeof(struct fd_log_entry), log_row, &items, &out->n, &out->more);
    out->items = items;
    free(ids);
    return rc;
}

/* ---- following and notifications ---- */

static const char *const follow_types[] = { "objective", "key_action", "thread" };

static int sq_follow_set(struct fd_store *store, int64_t user_id, enum fd_follow_target type, int64_t target_id,
                         bool on, int64_t now)
{
    static const enum q exists[] = { Q_OBJECTIVE_EXISTS, Q_KEY_ACTION_EXISTS, Q_THREAD_EXISTS };
    struct fd_sqlite *s = S(store);
    int64_t n = 0;
    int rc = int_by_id(s, exists[type], target_id, &n);
    if (rc != FD_OK)
        return rc;
    if (n == 0)
        return FD_ENOTFOUND;
    sqlite3_stmt *st = stmt(s, on ? Q_FOLLOW : Q_UNFOLLOW);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, follow_types[type], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, target_id);
    if (on)
        sqlite3_bind_int64(st, 4, now);
    return exec_q(s, st);
}

static int sq_follows_list(struct fd_store *store, int64_t user_id, struct fd_follows *out)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_FOLLOWS);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    size_t cap[3] = { 0 };
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        for (size_t k = 0; type && k < FD_ARRAY_LEN(follow_types); k++) {
            if (strcmp(type, follow_types[k]) != 0)
                continue;
            if (out->n[k] == cap[k]) {
                cap[k] = cap[k] ? 2 * cap[k] : 16;
                out->ids[k] = fd_xrealloc(out->ids[k], cap[k] * sizeof *out->ids[k]);
            }
            out->ids[k][out->n[k]++] = sqlite3_column_int64(st, 1);
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? FD_OK : map_rc(s, rc);
}

static void notification_row(sqlite3_stmt *st, void *out)
{
    struct fd_notification *n = out;
    n->id = sqlite3_column_int64(st, 0);
    n->kind = col_str(st, 1);
    n->thread_id = sqlite3_column_int64(st, 2);
    n->post_id = sqlite3_column_int64(st, 3);
    n->created_at = sqlite3_column_int64(st, 4);
    n->reason = col_str(st, 5);
    n->read = sqlite3_column_int(st, 6) != 0;
    n->anonymous = sqlite3_column_int(st, 7) != 0;
    n->thread_title = col_str(st, 8);
    read_author(st, 9, &n->actor);
}

/* How many notifications each source contributes at most: the newest of each. */
enum { NOTIF_PER_SOURCE = 100 };

/* Appends the rows of st (NOTIF_COLS) to l. */
static int gather(struct fd_sqlite *s, sqlite3_stmt *st, struct fd_notification_list *l, size_t *cap)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (l->n == *cap) {
            *cap = *cap ? 2 * *cap : 256;
            l->items = fd_xrealloc(l->items, *cap * sizeof *l->items);
        }
        memset(&l->items[l->n], 0, sizeof l->items[l->n]);
        notification_row(st, &l->items[l->n++]);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? FD_OK : map_rc(s, rc);
}

/* One source: statement q for user_id with its own bindings (?2.. from args), newest NOTIF_PER_SOURCE. */
static int gather_source(struct fd_sqlite *s, enum q q, int64_t user_id, const int64_t *args, int n_args,
                         struct fd_notification_list *l, size_t *cap)
{
    sqlite3_stmt *st = stmt(s, q);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    for (int i = 0; i < n_args; i++)
        sqlite3_bind_int64(st, 2 + i, args[i]);
    sqlite3_bind_int(st, 2 + n_args, NOTIF_PER_SOURCE);
    return gather(s, st, l, cap);
}

/* Every source of user_id's notifications: replies, the stored ones, and each follow. */
static int gather_all(struct fd_sqlite *s, int64_t user_id, struct fd_notification_list *l)
{
    size_t cap = 0;
    int rc = gather_source(s, Q_N_REPLIES, user_id, NULL, 0, l, &cap);
    if (rc == FD_OK)
        rc = gather_source(s, Q_N_STORED, user_id, NULL, 0, l, &cap);
    if (rc == FD_OK)
        rc = gather_source(s, Q_N_THREAD_POSTS, user_id, NULL, 0, l, &cap);
    /* followed objectives and key actions are few (there are 5 and 17) and may each hold many new
     * threads: one indexed query each, newest first, stops after NOTIF_PER_SOURCE. The follows are
     * read first because a statement cannot run while this one is open. */
    struct source {
        enum q q;
        int64_t args[2];
    } *f = NULL;
    size_t n = 0, fcap = 0;
    sqlite3_stmt *fs = rc == FD_OK ? stmt(s, Q_FOLLOWS_SINCE) : NULL;
    if (fs) {
        sqlite3_bind_int64(fs, 1, user_id);
        while (sqlite3_step(fs) == SQLITE_ROW) {
            const char *type = (const char *)sqlite3_column_text(fs, 0);
            if (n == fcap)
                f = fd_xrealloc(f, (fcap = fcap ? 2 * fcap : 16) * sizeof *f);
            f[n].q = !strcmp(type, "objective") ? Q_N_OBJECTIVE_THREADS : Q_N_KEY_ACTION_THREADS;
            f[n].args[0] = sqlite3_column_int64(fs, 1);
            f[n++].args[1] = sqlite3_column_int64(fs, 2);
        }
        sqlite3_reset(fs);
    }
    for (size_t i = 0; rc == FD_OK && i < n; i++)
        rc = gather_source(s, f[i].q, user_id, f[i].args, 2, l, &cap);
    free(f);
    return rc;
}

/* Newest first: created_at, then id. */
static int notification_cmp(const void *a, const void *b)
{
    const struct fd_notification *x = a, *y = b;
    if (x->created_at != y->created_at)
        return x->created_at > y->created_at ? -1 : 1;
    return (x->id < y->id) - (x->id > y->id);
}

static int int64_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Marks computed notifications read: up to the user's watermark, and those in notification_reads. */
static int apply_reads(struct fd_sqlite *s, int64_t user_id, struct fd_notification_list *l)
{
    int64_t seen = 0, *reads = NULL;
    size_t n = 0, cap = 0;
    int rc = int_by_id(s, Q_N_WATERMARK, user_id, &seen);
    sqlite3_stmt *st = rc == FD_OK ? stmt(s, Q_N_READS) : NULL;
    if (rc != FD_OK || !st)
        return rc == FD_OK ? FD_EINTERNAL : rc;
    sqlite3_bind_int64(st, 1, user_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap)
            reads = fd_xrealloc(reads, (cap = cap ? 2 * cap : 64) * sizeof *reads);
        reads[n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    for (size_t i = 0; i < l->n; i++) {
        struct fd_notification *x = &l->items[i];
        if (x->id % 4 == 1)
            x->read = x->post_id <= seen || (n && bsearch(&x->post_id, reads, n, sizeof *reads, int64_cmp));
    }
    free(reads);
    return rc == SQLITE_DONE ? FD_OK : map_rc(s, rc);
}

static int sq_notifications_page(struct fd_store *store, int64_t user_id, bool unread_only, const int64_t after[2],
                                 int limit, struct fd_notification_list *out, int64_t *unread)
{
    struct fd_sqlite *s = S(store);
    struct fd_notification_list all = { 0 };
    int rc = gather_all(s, user_id, &all);
    if (rc == FD_OK)
        rc = apply_reads(s, user_id, &all);
    if (rc != FD_OK) {
        fd_notification_list_clear(&all);
        return rc;
    }
    if (all.n)
        qsort(all.items, all.n, sizeof *all.items, notification_cmp);
    out->items = fd_xcalloc((size_t)limit + 1, sizeof *out->items);
    *unread = 0;
    int64_t previous = 0;
    for (size_t i = 0; i < all.n; i++) {
        struct fd_notification *x = &all.items[i];
        /* the same new thread under a followed objective and a followed key action comes twice */
        if (x->id == previous)
            continue;
        previous = x->id;
        bool before = !after || x->created_at < after[0] || (x->created_at == after[0] && x->id < after[1]);
        if (!x->read)
            (*unread)++;
        if (!before || (unread_only && x->read))
            continue;
        if (out->n < (size_t)limit) {
            out->items[out->n++] = *x;
            memset(x, 0, sizeof *x); /* moved to out */
        } else {
            out->more = true;
        }
    }
    fd_notification_list_clear(&all);
    return FD_OK;
}

static int sq_notifications_mark(struct fd_store *store, int64_t user_id, const int64_t *ids, size_t n)
{
    struct fd_sqlite *s = S(store);
    if (n == 0) {
        int rc = exec_id(s, Q_NOTIF_READ_ALL, user_id);
        if (rc == FD_OK)
            rc = exec_id(s, Q_NOTIF_READ_ALL_STORED, user_id);
        return rc == FD_OK ? exec_id(s, Q_NOTIF_READS_PRUNE, user_id) : rc;
    }
    int rc = FD_OK;
    for (size_t i = 0; rc == FD_OK && i < n; i++) {
        /* the kind of id: 4 * post id + 1 for computed ones, 4 * row id + 2 for stored ones */
        if (ids[i] % 4 == 1)
            rc = exec_two_ids(s, Q_NOTIF_READ_POST, user_id, ids[i] / 4);
        else if (ids[i] % 4 == 2)
            rc = exec_two_ids(s, Q_NOTIF_READ_STORED, user_id, ids[i] / 4);
    }
    return rc;
}

static int sq_notify_moderation(struct fd_store *store, int64_t user_id, int64_t thread_id, int64_t post_id,
                                const char *reason, int64_t now)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_NOTIFY);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    bind_id_or_null(st, 2, thread_id);
    bind_id_or_null(st, 3, post_id);
    bind_text_or_null(st, 4, reason);
    sqlite3_bind_int64(st, 5, now);
    return exec_q(s, st);
}

/* ---- personal data ---- */

static void session_info_row(sqlite3_stmt *st, void *out)
{
    struct fd_session_info *x = out;
    x->id = sqlite3_column_int64(st, 0);
    x->created_at = sqlite3_column_int64(st, 1);
    x->last_seen_at = sqlite3_column_int64(st, 2);
}

static void token_info_row(sqlite3_stmt *st, void *out)
{
    struct fd_token_info *x = out;
    x->id = sqlite3_column_int64(st, 0);
    x->name = col_str(st, 1);
    x->created_at = sqlite3_column_int64(st, 2);
    x->last_used_at = sqlite3_column_int64(st, 3);
}

/* Every row of q for user_id, read by fn into a new array. */
static int all_rows(struct fd_sqlite *s, enum q q, int64_t user_id, size_t elem, void (*fn)(sqlite3_stmt *, void *),
                    void **items, size_t *n)
{
    sqlite3_stmt *st = stmt(s, q);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    size_t cap = 16;
    int rc;
    *items = fd_xcalloc(cap, elem);
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            *items = fd_xrealloc(*items, 2 * cap * elem);
            memset((char *)*items + cap * elem, 0, cap * elem);
            cap *= 2;
        }
        fn(st, (char *)*items + *n * elem);
        (*n)++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? FD_OK : map_rc(s, rc);
}

static int sq_credentials(struct fd_store *store, int64_t user_id, struct fd_personal *out)
{
    struct fd_sqlite *s = S(store);
    void *items = NULL;
    int rc = all_rows(s, Q_MY_SESSIONS, user_id, sizeof(struct fd_session_info), session_info_row, &items,
                      &out->n_sessions);
    out->sessions = items;
    if (rc == FD_OK) {
        items = NULL;
        rc = all_rows(s, Q_MY_TOKENS, user_id, sizeof(struct fd_token_info), token_info_row, &items, &out->n_tokens);
        out->tokens = items;
    }
    return rc;
}

static int sq_personal_data(struct fd_store *store, int64_t user_id, struct fd_personal *out)
{
    struct fd_sqlite *s = S(store);
    void *items = NULL;
    int rc = all_rows(s, Q_MY_POSTS, user_id, sizeof(struct fd_post), post_row, &items, &out->posts.n);
    out->posts.items = items;
    out->revisions = fd_xcalloc(out->posts.n + 1, sizeof *out->revisions);
    for (size_t i = 0; rc == FD_OK && i < out->posts.n; i++)
        rc = sq_post_revisions(store, out->posts.items[i].id, &out->revisions[i]);
    if (rc == FD_OK) {
        rc = all_rows(s, Q_MY_FLAGS, user_id, sizeof(struct fd_flag), flag_row, &items, &out->flags.n);
        out->flags.items = items;
    }
    if (rc == FD_OK)
        rc = sq_follows_list(store, user_id, &out->follows);
    if (rc == FD_OK)
        rc = sq_credentials(store, user_id, out);
    return rc;
}

static int sq_user_update_profile(struct fd_store *store, int64_t user_id, const struct fd_profile_patch *p)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_USER_PROFILE);
    if (!st)
        return FD_EINTERNAL;
    const struct fd_opt_text *opt[] = { &p->organisation, &p->country, &p->register_id };
    sqlite3_bind_int64(st, 1, user_id);
    bind_text_or_null(st, 2, p->display_name);
    for (int i = 0; i < 3; i++) {
        sqlite3_bind_int(st, 3 + 2 * i, opt[i]->set);
        bind_text_or_null(st, 4 + 2 * i, opt[i]->value);
    }
    int rc = exec_q(s, st);
    if (rc == FD_OK && sqlite3_changes(s->db) == 0)
        rc = FD_ENOTFOUND;
    return rc;
}

static int sq_user_erase(struct fd_store *store, int64_t user_id)
{
    static const enum q steps[] = { Q_ERASE_USER, Q_ERASE_SESSIONS, Q_ERASE_TOKENS, Q_ERASE_FOLLOWS,
                                    Q_ERASE_NOTIFICATIONS, Q_ERASE_READS, Q_ERASE_SCOPE };
    int rc = FD_OK;
    for (size_t i = 0; rc == FD_OK && i < FD_ARRAY_LEN(steps); i++)
        rc = exec_id(S(store), steps[i], user_id);
    return rc;
}

/* ---- exports, manifests and statistics ---- */

/* (EXPORT_SELECT's columns): one row of an export. */
static void export_row(sqlite3_stmt *st, void *out)
{
    struct fd_export_row *e = out;
    e->thread_id = sqlite3_column_int64(st, 0);
    e->thread_title = col_str(st, 1);
    e->key_action = col_str(st, 2);
    e->post_id = sqlite3_column_int64(st, 3);
    e->parent_id = sqlite3_column_int64(st, 4);
    e->created_at = sqlite3_column_int64(st, 5);
    e->author_name = col_str(st, 6);
    e->stakeholder_type = col_str(st, 7);
    e->organisation = col_str(st, 8);
    e->country = col_str(st, 9);
    e->register_id = col_str(st, 10);
    e->anonymous = sqlite3_column_int(st, 11) != 0;
    e->official = sqlite3_column_int(st, 12) != 0;
    e->body = col_str(st, 13);
}

static int sq_export_page(struct fd_store *store, int64_t objective_id, int64_t thread_id, int64_t after_thread,
                          int64_t after_post, int limit, struct fd_export_list *out)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, thread_id ? Q_EXPORT_THREAD : Q_EXPORT_OBJECTIVE);
    if (!st)
        return FD_EINTERNAL;
    if (thread_id) {
        sqlite3_bind_int64(st, 1, thread_id);
        sqlite3_bind_int64(st, 2, after_post);
        sqlite3_bind_int(st, 3, limit + 1);
    } else {
        sqlite3_bind_int64(st, 1, objective_id);
        sqlite3_bind_int64(st, 2, after_thread);
        sqlite3_bind_int64(st, 3, after_post);
        sqlite3_bind_int(st, 4, limit + 1);
    }
    void *items;
    int rc = read_page(s, st, limit, sizeof(struct fd_export_row), export_row, &items, &out->n, &out->more);
    out->items = items;
    return rc;
}

static void manifest_row(sqlite3_stmt *st, void *out)
{
    const unsigned char *v = sqlite3_column_text(st, 0);
    snprintf(out, 65, "%s", v ? (const char *)v : "");
}

static int sq_thread_set_manifest(struct fd_store *store, int64_t thread_id, const char *sha256, int64_t now,
                                  char *stored)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, Q_MANIFEST_SET);
    if (!st)
        return FD_EINTERNAL;
    sqlite3_bind_int64(st, 1, thread_id);
    sqlite3_bind_text(st, 2, sha256, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, now);
    int rc = exec_q(s, st);
    if (rc != FD_OK)
        return rc;
    return row_by_id(s, Q_MANIFEST_GET, thread_id, manifest_row, stored);
}

static void stats_row(sqlite3_stmt *st, void *out)
{
    struct fd_stats_group *g = out;
    g->stakeholder_type = col_str(st, 0);
    g->country = col_str(st, 1);
    g->day = sqlite3_column_int64(st, 2);
    g->posts = sqlite3_column_int64(st, 3);
    g->anonymous = sqlite3_column_int64(st, 4);
}

static void stats_totals_row(sqlite3_stmt *st, void *out)
{
    struct fd_stats *t = out;
    t->posts = sqlite3_column_int64(st, 0);
    t->threads = sqlite3_column_int64(st, 1);
    t->participants = sqlite3_column_int64(st, 2);
}

static int sq_stats(struct fd_store *store, int64_t objective_id, struct fd_stats *out)
{
    struct fd_sqlite *s = S(store);
    sqlite3_stmt *st = stmt(s, objective_id ? Q_STATS_TOTALS_OBJECTIVE : Q_STATS_TOTALS_ALL);
    if (!st)
        return FD_EINTERNAL;
    if (objective_id)
        sqlite3_bind_int64(st, 1, objective_id);
    int rc = one_row(s, st, stats_totals_row, out);
    if (rc != FD_OK)
        return rc;
    st = stmt(s, objective_id ? Q_STATS_OBJECTIVE : Q_STATS_ALL);
    if (!st)
        return FD_EINTERNAL;
    if (objective_id)
        sqlite3_bind_int64(st, 1, objective_id);
    /* groups are few (types x countries x days), so one large page holds them all */
    size_t cap = 64, n = 0;
    struct fd_stats_group *g = fd_xcalloc(cap, sizeof *g);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            g = fd_xrealloc(g, 2 * cap * sizeof *g);
            memset(g + cap, 0, cap * sizeof *g);
            cap *= 2;
        }
        stats_row(st, &g[n++]);
    }
    sqlite3_reset(st);
    out->groups = g;
    out->n_groups = n;
    return rc == SQLITE_DONE ? FD_OK : map_rc(s, rc);
}

/* ---- connection ---- */

static void sq_close(struct fd_store *store)
{
    struct fd_sqlite *s = S(store);
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    fd_rank_cache_free(s->rank);
    sqlite3_close_v2(s->db);
    free(s);
}

static const struct fd_store_ops sqlite_ops = {
    .close = sq_close,
    .health = sq_health,
    .auto_checkpoint = sq_auto_checkpoint,
    .checkpoint = sq_checkpoint,
    .tx_begin = sq_tx_begin,
    .tx_commit = sq_tx_commit,
    .tx_rollback = sq_tx_rollback,
    .savepoint = sq_savepoint,
    .savepoint_release = sq_savepoint_release,
    .savepoint_rollback = sq_savepoint_rollback,
    .user_create = sq_user_create,
    .user_get = sq_user_get,
    .user_by_email = sq_user_by_email,
    .user_set_password_hash = sq_user_set_password_hash,
    .session_create = sq_session_create,
    .session_find = sq_session_find,
    .session_touch = sq_session_touch,
    .session_revoke = sq_session_revoke,
    .sessions_revoke_all = sq_sessions_revoke_all,
    .session_delete = sq_session_delete,
    .sessions_purge = sq_sessions_purge,
    .token_create = sq_token_create,
    .token_find = sq_token_find,
    .token_touch = sq_token_touch,
    .token_delete = sq_token_delete,
    .objectives_list = sq_objectives_list,
    .objective_get = sq_objective_get,
    .threads_page = sq_threads_page,
    .thread_get = sq_thread_get,
    .thread_create = sq_thread_create,
    .posts_page = sq_posts_page,
    .post_get = sq_post_get,
    .post_create = sq_post_create,
    .feed_threads = sq_feed_threads,
    .feed_posts = sq_feed_posts,
    .search = sq_search,
    .post_edit = sq_post_edit,
    .post_revisions = sq_post_revisions,
    .post_set_hidden = sq_post_set_hidden,
    .post_set_deleted = sq_post_set_deleted,
    .thread_update = sq_thread_update,
    .flag_create = sq_flag_create,
    .flag_get = sq_flag_get,
    .flags_open_count = sq_flags_open_count,
    .flags_resolve = sq_flags_resolve,
    .flags_page = sq_flags_page,
    .user_suspend = sq_user_suspend,
    .user_set_role = sq_user_set_role,
    .admins_count = sq_admins_count,
    .log_add = sq_log_add,
    .log_page = sq_log_page,
    .export_page = sq_export_page,
    .thread_set_manifest = sq_thread_set_manifest,
    .stats = sq_stats,
    .follow_set = sq_follow_set,
    .follows_list = sq_follows_list,
    .notifications_page = sq_notifications_page,
    .notifications_mark = sq_notifications_mark,
    .notify_moderation = sq_notify_moderation,
    .personal_data = sq_personal_data,
    .credentials = sq_credentials,
    .user_update_profile = sq_user_update_profile,
    .user_erase = sq_user_erase,
};

static const char setup_sql[] = "PRAGMA foreign_keys = ON;"
                                "PRAGMA cache_size = -16384;"
                                "PRAGMA mmap_size = 268435456;"
                                "PRAGMA temp_store = MEMORY;"
                                "PRAGMA journal_size_limit = 67108864;";

/* FULL syncs the log at every commit, so an acknowledged write survives a power cut too; NORMAL
 * only survives a crash of the process. Set once at start-up, before any connection opens. */
static bool sync_full = true;

void fd_store_sqlite_set_synchronous(bool full)
{
    sync_full = full;
}

struct fd_store *fd_store_sqlite_open(const char *path, bool migrate, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (migrate ? SQLITE_OPEN_CREATE : 0);
    char *msg = NULL;
    /* A file that is not forumd's is refused before SQLite opens it, and so left as it was. */
    if (fd_migrate_precheck(path, err, errlen) < 0)
        return NULL;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        goto out_close;
    }
    if (fd_migrate_check_header(db, path, err, errlen) < 0)
        goto out_close;
    sqlite3_extended_result_codes(db, 0);
    /* Until the file is known to be ours, closing must not checkpoint a write-ahead log (perhaps
     * another database's) into it. */
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    sqlite3_busy_timeout(db, 5000);
    /* Reading the header first turns "not a database" into a clear message before any change. */
    if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "cannot read database %s: %s", path, msg ? msg : sqlite3_errmsg(db));
        goto out_close;
    }
    /* Refused before PRAGMA journal_mode, the first statement that may write to the file. */
    char why[400];
    if (fd_migrate_identify(db, why, sizeof why) < 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        goto out_close;
    }
    if (strcmp(path, ":memory:") != 0 &&
        sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "cannot switch %s to WAL mode: %s", path, msg ? msg : sqlite3_errmsg(db));
        goto out_close;
    }
    if (sqlite3_exec(db, setup_sql, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(db, sync_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", NULL, NULL, &msg) !=
            SQLITE_OK ||
        fd_sqlite_rank_register(db) != SQLITE_OK) {
        snprintf(err, errlen, "cannot configure database %s: %s", path, msg ? msg : sqlite3_errmsg(db));
        goto out_close;
    }
    if (migrate) {
        if (fd_migrate(db, why, sizeof why) < 0) {
            snprintf(err, errlen, "%s: %s", path, why);
            goto out_close;
        }
    } else {
        int version = 0;
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                version = sqlite3_column_int(st, 0);
            sqlite3_finalize(st);
        }
        if (version != fd_migrate_latest()) {
            snprintf(err, errlen, "%s: schema version %d, this forumd needs %d (run forumd migrate)", path, version,
                     fd_migrate_latest());
            goto out_close;
        }
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
    struct fd_sqlite *s = fd_xcalloc(1, sizeof *s);
    s->base.ops = &sqlite_ops;
    s->db = db;
    s->rank = fd_rank_cache_new();
    return &s->base;
out_close:
    sqlite3_free(msg);
    sqlite3_close_v2(db);
    return NULL;
}

int fd_store_sqlite_backup(const char *src, const char *dst, char *err, size_t errlen)
{
    sqlite3 *from = NULL, *to = NULL;
    int rc = -1;
    char *tmp = fd_xasprintf("%s.tmp-%d", dst, (int)getpid());
    if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", src, sqlite3_errmsg(from));
        goto out;
    }
    sqlite3_busy_timeout(from, 5000);
    if (sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, sqlite3_errmsg(to));
        goto out;
    }
    /* One step copies every page inside one read transaction: a consistent snapshot, and in WAL
     * mode the server's writers are not blocked meanwhile. */
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) {
        snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(to));
        goto out;
    }
    int step = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (step != SQLITE_DONE) {
        snprintf(err, errlen, "backup failed: %s", sqlite3_errstr(step));
        goto out;
    }
    if (sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(to));
        goto out;
    }
    sqlite3_close_v2(to);
    to = NULL;
    if (rename(tmp, dst) != 0) {
        snprintf(err, errlen, "cannot rename %s to %s", tmp, dst);
        goto out;
    }
    rc = 0;
out:
    sqlite3_close_v2(from);
    sqlite3_close_v2(to);
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}
