/* The moderation rules: who moderates what, and every moderating action with its row in the
 * moderation log. Like forum.h, no HTTP and no SQL; the actions run on the writer thread inside
 * the transaction that writes them, so a rule's check, the change and its log row commit together. */
#ifndef FORUMD_MODERATION_H
#define FORUMD_MODERATION_H

#include "forumd/forum.h"
#include "forumd/render.h"

/* Whether u has moderator rights in objective_id (admins everywhere; moderators in their
 * objectives, or in all when they are not limited). */
bool fd_mod_moderates(const struct fd_user *u, int64_t objective_id);
/* Whether u moderates every objective (admins, and moderators who are not limited). */
bool fd_mod_moderates_all(const struct fd_user *u);
/* The objectives whose flags and log rows u may read; borrows u's list. */
struct fd_scope fd_mod_scope(const struct fd_user *u);
/* The viewer u is, with moderator rights where u has them everywhere. */
struct fd_viewer fd_mod_viewer(const struct fd_user *u);
/* Whether u may read post p of an objective: deleted and hidden posts only for its moderators. */
bool fd_mod_can_see(const struct fd_user *u, const struct fd_post *p, int64_t objective_id);

/* Writes one log row about a target in thread `where` (its id and objective; NULL for accounts).
 * actor 0 = the system. */
int fd_mod_log(struct fd_store *s, int64_t actor, const char *action, const char *target_type, int64_t target_id,
               const struct fd_thread *where, const char *reason, int64_t now);

/* Each returns enum fd_err; FD_EINVAL and some FD_EFORBIDDEN fill pb. */
int fd_mod_post_edit(struct fd_store *s, const struct fd_user *u, int64_t post_id, const char *body,
                     const char *body_html, const char *reason, int64_t now, struct fd_problem *pb);
int fd_mod_post_delete(struct fd_store *s, const struct fd_user *u, int64_t post_id, int64_t now,
                       struct fd_problem *pb);
int fd_mod_post_hide(struct fd_store *s, const struct fd_user *u, int64_t post_id, bool hide, const char *reason,
                     int64_t now);
int fd_mod_flag(struct fd_store *s, const struct fd_user *u, int64_t post_id, const char *reason, const char *text,
                int64_t now, int64_t *flag_id, struct fd_problem *pb);
/* action "dismiss" or "hide": decides for every open flag of the flag's post. */
int fd_mod_flag_resolve(struct fd_store *s, const struct fd_user *u, int64_t flag_id, const char *action,
                        const char *reason, int64_t now, struct fd_problem *pb);
int fd_mod_thread_update(struct fd_store *s, const struct fd_user *u, int64_t thread_id,
                         const struct fd_thread_patch *p, int64_t now, struct fd_problem *pb);
/* until 0 lifts the suspension. */
int fd_mod_suspend(struct fd_store *s, const struct fd_user *u, int64_t user_id, int64_t until, const char *reason,
                   int64_t now, struct fd_problem *pb);
int fd_mod_set_role(struct fd_store *s, const struct fd_user *u, int64_t user_id, enum fd_role role,
                    const int64_t *moderates, size_t n, int64_t now, struct fd_problem *pb);

/* Erases u's personal data (the account stays as "Deleted user" under its posts); refused
 * (FD_ECONFLICT) for the last administrator. */
int fd_mod_erase_account(struct fd_store *s, const struct fd_user *u, struct fd_problem *pb);

/* Posts with this many open flags from different members are hidden until a moderator decides. */
#define FD_FLAGS_TO_HIDE 3

#endif
