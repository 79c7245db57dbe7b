/* The storage interface: everything the forum keeps goes through these operations, so that a
 * PostgreSQL backend can sit beside the SQLite one without touching handlers or rules.
 *
 * A struct fd_store is one connection, used by one thread at a time. Operations return enum fd_err
 * (never backend codes); outputs are caller-provided structs whose strings the caller frees with
 * the fd_*_clear() of model.h. Writes are only made by the writer thread, inside a transaction it
 * opened with fd_store_tx_begin(). */
#ifndef FORUMD_STORE_H
#define FORUMD_STORE_H

#include "forumd/model.h"

#define FD_TOKEN_HASH_LEN 32

struct fd_store;

struct fd_store_ops {
    void (*close)(struct fd_store *s);
    int (*health)(struct fd_store *s);
    /* Whether commits on this connection also copy the log into the database file (SQLite's WAL
     * checkpoint). The server turns it off on the writer and calls checkpoint from a background
     * thread instead, so that a commit never waits for that copy. Backends without such a log make
     * both no-ops. */
    int (*auto_checkpoint)(struct fd_store *s, bool on);
    int (*checkpoint)(struct fd_store *s);

    /* transactions: begin (writes), commit, rollback; savepoints nest inside one transaction */
    int (*tx_begin)(struct fd_store *s);
    int (*tx_commit)(struct fd_store *s);
    int (*tx_rollback)(struct fd_store *s);
    int (*savepoint)(struct fd_store *s);
    int (*savepoint_release)(struct fd_store *s);
    int (*savepoint_rollback)(struct fd_store *s);

    /* users */
    int (*user_create)(struct fd_store *s, const struct fd_new_user *in, int64_t now, struct fd_user *out);
    int (*user_get)(struct fd_store *s, int64_t id, struct fd_user *out);
    int (*user_by_email)(struct fd_store *s, const char *email, struct fd_user *out);
    int (*user_set_password_hash)(struct fd_store *s, int64_t id, const char *hash);

    /* sessions and API tokens, found by the hash of the secret */
    int (*session_create)(struct fd_store *s, int64_t user_id, const uint8_t *hash, int64_t now, int64_t *id);
    int (*session_find)(struct fd_store *s, const uint8_t *hash, int64_t *id, int64_t *created_at,
                        int64_t *last_seen_at, struct fd_user *user);
    int (*session_touch)(struct fd_store *s, int64_t id, int64_t now);
    int (*session_delete)(struct fd_store *s, int64_t id);
    /* one of the user's own sessions (FD_ENOTFOUND if not theirs), or all of them */
    int (*session_revoke)(struct fd_store *s, int64_t user_id, int64_t id);
    int (*sessions_revoke_all)(struct fd_store *s, int64_t user_id);
    int (*sessions_purge)(struct fd_store *s, int64_t idle_before, int64_t created_before);
    int (*token_create)(struct fd_store *s, int64_t user_id, const char *name, const uint8_t *hash, int64_t now,
                        int64_t *id);
    /* last_used (may be NULL): when it was last used, 0 = never */
    int (*token_find)(struct fd_store *s, const uint8_t *hash, int64_t *id, int64_t *last_used, struct fd_user *user);
    int (*token_touch)(struct fd_store *s, int64_t id, int64_t now);
    int (*token_delete)(struct fd_store *s, int64_t user_id, int64_t token_id);

    /* objectives and key actions; an objective is found by id, or by slug when id is 0 */
    int (*objectives_list)(struct fd_store *s, struct fd_objective_list *out);
    int (*objective_get)(struct fd_store *s, int64_t id, const char *slug, struct fd_objective *out);

    /* threads and posts */
    int (*threads_page)(struct fd_store *s, int64_t objective_id, int64_t key_action_id,
                        const struct fd_cursor *after, int limit, struct fd_thread_list *out);
    int (*thread_get)(struct fd_store *s, int64_t id, struct fd_thread *out);
    int (*thread_create)(struct fd_store *s, const struct fd_new_thread *in, int64_t author_id, int64_t now,
                         int64_t *thread_id, int64_t *post_id);
    int (*posts_page)(struct fd_store *s, int64_t thread_id, int64_t after_id, int limit,
                      struct fd_post_list *out);
    int (*post_get)(struct fd_store *s, int64_t id, struct fd_post *out);
    int (*post_create)(struct fd_store *s, const struct fd_new_post *in, int64_t author_id, int64_t now,
                       int64_t *post_id);
    /* Atom feeds. The newest `limit` threads of an objective (of a key action when key_action_id is
     * not 0) by creation, newest first, each as its opening post; threads whose opening post is
     * hidden or deleted are left out. */
    int (*feed_threads)(struct fd_store *s, int64_t objective_id, int64_t key_action_id, int limit,
                        struct fd_feed_list *out);
    /* The newest `limit` posts of a thread that are neither hidden nor deleted, newest first. */
    int (*feed_posts)(struct fd_store *s, int64_t thread_id, int limit, struct fd_feed_list *out);
    /* moderation. Every change keeps the search index in step (a post is indexed while visible). */
    int (*post_edit)(struct fd_store *s, int64_t post_id, const char *body, const char *body_html, int64_t editor_id,
                     bool by_moderator, int64_t now);
    int (*post_revisions)(struct fd_store *s, int64_t post_id, struct fd_revision_list *out);
    int (*post_set_hidden)(struct fd_store *s, int64_t post_id, bool hidden, bool automatic);
    int (*post_set_deleted)(struct fd_store *s, int64_t post_id);
    int (*thread_update)(struct fd_store *s, int64_t thread_id, const struct fd_thread_patch *p);
    /* FD_ECONFLICT if user_id already flagged the post */
    int (*flag_create)(struct fd_store *s, int64_t post_id, int64_t user_id, const char *reason, const char *text,
                       int64_t now, int64_t *flag_id);
    int (*flag_get)(struct fd_store *s, int64_t id, struct fd_flag *out);
    int (*flags_open_count)(struct fd_store *s, int64_t post_id, int64_t *n);
    /* resolves every open flag of the post with resolution "dismissed" or "hidden" */
    int (*flags_resolve)(struct fd_store *s, int64_t post_id, const char *resolution, int64_t by, int64_t now);
    /* newest first, each with its post; after_id 0 = the first page */
    int (*flags_page)(struct fd_store *s, bool resolved, const struct fd_scope *scope, int64_t after_id, int limit,
                      struct fd_flag_list *out);
    /* until 0 lifts the suspension */
    int (*user_suspend)(struct fd_store *s, int64_t user_id, int64_t until, const char *reason);
    int (*user_set_role)(struct fd_store *s, int64_t user_id, enum fd_role role, const int64_t *moderates, size_t n);
    int (*admins_count)(struct fd_store *s, int64_t *n);
    int (*log_add)(struct fd_store *s, const struct fd_log_new *e, int64_t now);
    /* newest first; target_type NULL = any */
    int (*log_page)(struct fd_store *s, const struct fd_scope *scope, const char *target_type, int64_t target_id,
                    int64_t after_id, int limit, struct fd_log_list *out);
    /* following; notifications about follows and replies are computed when read */
    int (*follow_set)(struct fd_store *s, int64_t user_id, enum fd_follow_target type, int64_t target_id, bool on,
                      int64_t now);
    int (*follows_list)(struct fd_store *s, int64_t user_id, struct fd_follows *out);
    /* newest first; after: the (created_at, id) of the previous page's last item, or NULL. Each
     * source (replies, each follow, stored ones) contributes its newest 100; *unread counts the
     * unread ones among them. */
    int (*notifications_page)(struct fd_store *s, int64_t user_id, bool unread_only, const int64_t after[2],
                              int limit, struct fd_notification_list *out, int64_t *unread);
    /* marks ids read, or every notification when n is 0 */
    int (*notifications_mark)(struct fd_store *s, int64_t user_id, const int64_t *ids, size_t n);
    /* stores a moderation notification for user_id (thread_id, post_id 0 = none) */
    int (*notify_moderation)(struct fd_store *s, int64_t user_id, int64_t thread_id, int64_t post_id,
                             const char *reason, int64_t now);
    /* personal data: everything held about an account; erasure keeps the posts under "Deleted user" */
    int (*personal_data)(struct fd_store *s, int64_t user_id, struct fd_personal *out);
    int (*user_erase)(struct fd_store *s, int64_t user_id);
    /* the account's sessions and API tokens (no secrets), into out->sessions and out->tokens */
    int (*credentials)(struct fd_store *s, int64_t user_id, struct fd_personal *out);
    int (*user_update_profile)(struct fd_store *s, int64_t user_id, const struct fd_profile_patch *p);
    /* full-text search over visible posts, best first; FD_EINVAL if the backend refuses q->match */
    int (*search)(struct fd_store *s, const struct fd_search_query *q, const struct fd_search_after *after, int limit,
                  struct fd_search_list *out);
    /* exports: up to limit visible posts (neither hidden nor deleted) after (after_thread,
     * after_post), ordered by thread id then post id; of thread_id when it is not 0, else of
     * objective_id */
    int (*export_page)(struct fd_store *s, int64_t objective_id, int64_t thread_id, int64_t after_thread,
                       int64_t after_post, int limit, struct fd_export_list *out);
    /* stores a closed consultation's manifest unless it has one; stored gets the one it keeps
     * (65 bytes) */
    int (*thread_set_manifest)(struct fd_store *s, int64_t thread_id, const char *sha256, int64_t now, char *stored);
    /* statistics over visible posts, of one objective or of all (objective_id 0) */
    int (*stats)(struct fd_store *s, int64_t objective_id, struct fd_stats *out);
};

/* Every backend's connection struct starts with this member. */
struct fd_store {
    const struct fd_store_ops *ops;
};

/* Thin wrappers, so that call sites read fd_store_thread_get(s, id, &t). */
static inline void fd_store_close(struct fd_store *s) { if (s) s->ops->close(s); }
#define FD_STORE_CALL(s, op, ...) ((s)->ops->op((s), __VA_ARGS__))
#define fd_store_health(s) ((s)->ops->health(s))
#define fd_store_auto_checkpoint(s, on) ((s)->ops->auto_checkpoint((s), (on)))
#define fd_store_checkpoint(s) ((s)->ops->checkpoint(s))
#define fd_store_tx_begin(s) ((s)->ops->tx_begin(s))
#define fd_store_tx_commit(s) ((s)->ops->tx_commit(s))
#define fd_store_tx_rollback(s) ((s)->ops->tx_rollback(s))
#define fd_store_savepoint(s) ((s)->ops->savepoint(s))
#define fd_store_savepoint_release(s) ((s)->ops->savepoint_release(s))
#define fd_store_savepoint_rollback(s) ((s)->ops->savepoint_rollback(s))
#define fd_store_user_create(s, ...) FD_STORE_CALL(s, user_create, __VA_ARGS__)
#define fd_store_user_get(s, ...) FD_STORE_CALL(s, user_get, __VA_ARGS__)
#define fd_store_user_by_email(s, ...) FD_STORE_CALL(s, user_by_email, __VA_ARGS__)
#define fd_store_user_set_password_hash(s, ...) FD_STORE_CALL(s, user_set_password_hash, __VA_ARGS__)
#define fd_store_session_create(s, ...) FD_STORE_CALL(s, session_create, __VA_ARGS__)
#define fd_store_session_find(s, ...) FD_STORE_CALL(s, session_find, __VA_ARGS__)
#define fd_store_session_touch(s, ...) FD_STORE_CALL(s, session_touch, __VA_ARGS__)
#define fd_store_session_delete(s, ...) FD_STORE_CALL(s, session_delete, __VA_ARGS__)
#define fd_store_sessions_purge(s, ...) FD_STORE_CALL(s, sessions_purge, __VA_ARGS__)
#define fd_store_token_create(s, ...) FD_STORE_CALL(s, token_create, __VA_ARGS__)
#define fd_store_session_revoke(s, ...) FD_STORE_CALL(s, session_revoke, __VA_ARGS__)
#define fd_store_sessions_revoke_all(s, ...) FD_STORE_CALL(s, sessions_revoke_all, __VA_ARGS__)
#define fd_store_token_find(s, ...) FD_STORE_CALL(s, token_find, __VA_ARGS__)
#define fd_store_token_touch(s, ...) FD_STORE_CALL(s, token_touch, __VA_ARGS__)
#define fd_store_token_delete(s, ...) FD_STORE_CALL(s, token_delete, __VA_ARGS__)
#define fd_store_objectives_list(s, ...) FD_STORE_CALL(s, objectives_list, __VA_ARGS__)
#define fd_store_objective_get(s, ...) FD_STORE_CALL(s, objective_get, __VA_ARGS__)
#define fd_store_threads_page(s, ...) FD_STORE_CALL(s, threads_page, __VA_ARGS__)
#define fd_store_thread_get(s, ...) FD_STORE_CALL(s, thread_get, __VA_ARGS__)
#define fd_store_thread_create(s, ...) FD_STORE_CALL(s, thread_create, __VA_ARGS__)
#define fd_store_posts_page(s, ...) FD_STORE_CALL(s, posts_page, __VA_ARGS__)
#define fd_store_post_get(s, ...) FD_STORE_CALL(s, post_get, __VA_ARGS__)
#define fd_store_post_create(s, ...) FD_STORE_CALL(s, post_create, __VA_ARGS__)
#define fd_store_feed_threads(s, ...) FD_STORE_CALL(s, feed_threads, __VA_ARGS__)
#define fd_store_feed_posts(s, ...) FD_STORE_CALL(s, feed_posts, __VA_ARGS__)
#define fd_store_search(s, ...) FD_STORE_CALL(s, search, __VA_ARGS__)
#define fd_store_personal_data(s, ...) FD_STORE_CALL(s, personal_data, __VA_ARGS__)
#define fd_store_user_erase(s, ...) FD_STORE_CALL(s, user_erase, __VA_ARGS__)
#define fd_store_credentials(s, ...) FD_STORE_CALL(s, credentials, __VA_ARGS__)
#define fd_store_user_update_profile(s, ...) FD_STORE_CALL(s, user_update_profile, __VA_ARGS__)
#define fd_store_follow_set(s, ...) FD_STORE_CALL(s, follow_set, __VA_ARGS__)
#define fd_store_follows_list(s, ...) FD_STORE_CALL(s, follows_list, __VA_ARGS__)
#define fd_store_notifications_page(s, ...) FD_STORE_CALL(s, notifications_page, __VA_ARGS__)
#define fd_store_notifications_mark(s, ...) FD_STORE_CALL(s, notifications_mark, __VA_ARGS__)
#define fd_store_notify_moderation(s, ...) FD_STORE_CALL(s, notify_moderation, __VA_ARGS__)
#define fd_store_post_edit(s, ...) FD_STORE_CALL(s, post_edit, __VA_ARGS__)
#define fd_store_post_revisions(s, ...) FD_STORE_CALL(s, post_revisions, __VA_ARGS__)
#define fd_store_post_set_hidden(s, ...) FD_STORE_CALL(s, post_set_hidden, __VA_ARGS__)
#define fd_store_post_set_deleted(s, ...) FD_STORE_CALL(s, post_set_deleted, __VA_ARGS__)
#define fd_store_thread_update(s, ...) FD_STORE_CALL(s, thread_update, __VA_ARGS__)
#define fd_store_flag_create(s, ...) FD_STORE_CALL(s, flag_create, __VA_ARGS__)
#define fd_store_flag_get(s, ...) FD_STORE_CALL(s, flag_get, __VA_ARGS__)
#define fd_store_flags_open_count(s, ...) FD_STORE_CALL(s, flags_open_count, __VA_ARGS__)
#define fd_store_flags_resolve(s, ...) FD_STORE_CALL(s, flags_resolve, __VA_ARGS__)
#define fd_store_flags_page(s, ...) FD_STORE_CALL(s, flags_page, __VA_ARGS__)
#define fd_store_user_suspend(s, ...) FD_STORE_CALL(s, user_suspend, __VA_ARGS__)
#define fd_store_user_set_role(s, ...) FD_STORE_CALL(s, user_set_role, __VA_ARGS__)
#define fd_store_admins_count(s, ...) FD_STORE_CALL(s, admins_count, __VA_ARGS__)
#define fd_store_log_add(s, ...) FD_STORE_CALL(s, log_add, __VA_ARGS__)
#define fd_store_log_page(s, ...) FD_STORE_CALL(s, log_page, __VA_ARGS__)
#define fd_store_export_page(s, ...) FD_STORE_CALL(s, export_page, __VA_ARGS__)
#define fd_store_thread_set_manifest(s, ...) FD_STORE_CALL(s, thread_set_manifest, __VA_ARGS__)
#define fd_store_stats(s, ...) FD_STORE_CALL(s, stats, __VA_ARGS__)

/* Opens the SQLite backend at path (":memory:" allowed), migrating it first when migrate is true.
 * Returns NULL and writes a one-line reason into err (errlen bytes) on failure. Close with
 * fd_store_close(). */
struct fd_store *fd_store_sqlite_open(const char *path, bool migrate, char *err, size_t errlen);
/* synchronous=FULL (true, the default) or NORMAL for every connection opened afterwards. */
void fd_store_sqlite_set_synchronous(bool full);

/* A consistent copy of the database at src into dst through SQLite's online backup API, safe while a
 * server writes. 0 on success, else -1 with err filled. */
int fd_store_sqlite_backup(const char *src, const char *dst, char *err, size_t errlen);

#endif
