/* Every HTTP handler; routes.c wires them to paths. */
#ifndef FORUMD_HANDLERS_H
#define FORUMD_HANDLERS_H

#include "forumd/http.h"
#include "forumd/moderation.h"

void h_health(struct fd_req *r);
void h_static(struct fd_req *r);

void h_auth_register(struct fd_req *r);
void h_auth_login(struct fd_req *r);
void h_auth_logout(struct fd_req *r);
void h_me_get(struct fd_req *r);
void h_tokens_create(struct fd_req *r);
void h_tokens_delete(struct fd_req *r);

void h_objectives_list(struct fd_req *r);
void h_objectives_get(struct fd_req *r);
void h_threads_list(struct fd_req *r);
void h_threads_create(struct fd_req *r);
void h_threads_get(struct fd_req *r);
void h_posts_create(struct fd_req *r);
void h_search(struct fd_req *r);
void h_export_objective(struct fd_req *r);
void h_export_thread(struct fd_req *r);
void h_stats(struct fd_req *r);
void h_feeds_objective(struct fd_req *r);
void h_feeds_key_action(struct fd_req *r);
void h_feeds_thread(struct fd_req *r);

void h_posts_edit(struct fd_req *r);
void h_posts_delete(struct fd_req *r);
void h_posts_revisions(struct fd_req *r);
void h_posts_flag(struct fd_req *r);
void h_posts_hide(struct fd_req *r);
void h_posts_unhide(struct fd_req *r);
void h_threads_update(struct fd_req *r);
void h_flags_list(struct fd_req *r);
void h_flags_resolve(struct fd_req *r);
void h_mod_log(struct fd_req *r);
void h_users_suspend(struct fd_req *r);
void h_users_unsuspend(struct fd_req *r);
void h_users_role(struct fd_req *r);

void h_follow_objective(struct fd_req *r);
void h_follow_key_action(struct fd_req *r);
void h_follow_thread(struct fd_req *r);
void h_me_follows(struct fd_req *r);
void h_notifications_list(struct fd_req *r);
void h_notifications_read(struct fd_req *r);
void h_events(struct fd_req *r);
void h_me_export(struct fd_req *r);
void h_me_delete(struct fd_req *r);
void h_me_tokens(struct fd_req *r);
void h_me_update(struct fd_req *r);
void h_preview(struct fd_req *r);
void h_me_sessions(struct fd_req *r);
void h_me_session_delete(struct fd_req *r);
void h_me_password(struct fd_req *r);

/* Live updates of committed writes (h_events.c), in the public view. kind: "post" for a new post,
 * "post_changed" for an edit, hide, unhide or withdrawal. */
void h_events_thread_created(struct fd_req *r, const struct fd_thread *t, const struct fd_post *opening);
void h_events_post(struct fd_req *r, const char *kind, const struct fd_thread *t, const struct fd_post *p);

/* Finds the objective named by path parameter "id" (number or slug) on r's connection; answers 404
 * itself and returns -1 if there is none. */
int h_objective_or_reply(struct fd_req *r, struct fd_objective *o);
/* Decodes {"closes_at", "opens_at"?} into a struct fd_consultation_in (a body field decoder). */
int h_decode_consultation(json_t *v, void *out, struct fd_json_error *err);
/* A committed write to t makes the cached pages that show it stale; called before answering. */
void h_pages_changed(struct fd_req *r, const struct fd_thread *t);

/* Integrity manifests (h_export.c). Whether t is a closed consultation without one yet. */
bool h_manifest_due(const struct fd_thread *t, int64_t now);
/* Computes t's manifest on a query worker, stores it through the writer, then runs then(r) on the
 * loop (answers the error itself on failure). Gives r its handler state (r->ctx). */
void h_manifest_then(struct fd_req *r, const struct fd_thread *t, void (*then)(struct fd_req *r));
/* The SHA-256 (lowercase hex) of thread_id's CSV export as read on s. */
int h_manifest_compute(struct fd_store *s, int64_t thread_id, char hex[65]);

#endif
