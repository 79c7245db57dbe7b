/* One JSON serializer per object. Each applies what the viewer may see (hidden and deleted bodies,
 * anonymous authors, e-mail addresses) and returns a new reference the caller owns. */
#ifndef FORUMD_RENDER_H
#define FORUMD_RENDER_H

#include <jansson.h>
#include "forumd/model.h"

struct fd_viewer {
    int64_t id;        /* 0 = not signed in */
    enum fd_role role;
    bool staff;        /* moderator rights over what is rendered (see fd_req_in_objective) */
};

bool fd_viewer_is_staff(const struct fd_viewer *v);

/* An RFC 3339 string, or JSON null for 0. */
json_t *fd_time_json(int64_t t);
json_t *fd_user_json(const struct fd_user *u, const struct fd_viewer *v);
json_t *fd_objective_json(const struct fd_objective *o);
json_t *fd_thread_json(const struct fd_thread *t, const struct fd_viewer *v, int64_t now);
json_t *fd_post_json(const struct fd_post *p, const struct fd_viewer *v);
/* A previous version of post p. */
json_t *fd_revision_json(const struct fd_revision *r, const struct fd_post *p, const struct fd_viewer *v);
/* A flag, with its post when f->has_post (the queue: rendered for staff). */
json_t *fd_flag_json(const struct fd_flag *f, const struct fd_viewer *v);
json_t *fd_log_entry_json(const struct fd_log_entry *e);
/* {"objectives": [ids], "key_actions": [ids], "threads": [ids]} */
json_t *fd_follows_json(const struct fd_follows *f);
json_t *fd_notification_json(const struct fd_notification *n, const struct fd_viewer *v);

#endif
