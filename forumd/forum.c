/* The forum's rules for creating threads and posts. They run on the writer thread, inside the
 * transaction that performs the write. */
#include "forumd/forum.h"
#include "forumd/moderation.h"

bool fd_forum_is_staff(const struct fd_user *u)
{
    return u->id != 0 && (u->role == FD_ROLE_MODERATOR || u->role == FD_ROLE_ADMIN);
}

bool fd_forum_is_suspended(const struct fd_user *u, int64_t now)
{
    return u->suspended_until != 0 && u->suspended_until > now;
}

static int problem(struct fd_problem *pb, int rc, const char *field, const char *message)
{
    if (pb) {
        pb->field = field;
        pb->message = message;
    }
    return rc;
}

/* Staff-only options of a new post in an objective. */
static int check_post_privileges(const struct fd_user *author, const struct fd_new_post *in, int64_t objective_id,
                                 struct fd_problem *pb)
{
    if (in->official && !fd_mod_moderates(author, objective_id))
        return problem(pb, FD_EFORBIDDEN, "official",
                       "Only moderators of this objective and administrators may post official answers.");
    return FD_OK;
}

static bool objective_has_key_action(const struct fd_objective *o, int64_t key_action_id)
{
    for (size_t i = 0; i < o->n_key_actions; i++)
        if (o->key_actions[i].id == key_action_id)
            return true;
    return false;
}

int fd_forum_thread_create(struct fd_store *s, const struct fd_user *author, const struct fd_new_thread *in,
                           int64_t now, int64_t *thread_id, int64_t *post_id, struct fd_problem *pb)
{
    if (fd_forum_is_suspended(author, now))
        return FD_ESUSPENDED;
    int rc = check_post_privileges(author, &in->post, in->objective_id, pb);
    if (rc != FD_OK)
        return rc;
    if (in->consultation.given && !fd_mod_moderates(author, in->objective_id))
        return problem(pb, FD_EFORBIDDEN, "consultation",
                       "Only moderators of this objective and administrators may open consultations.");
    if (in->consultation.given && in->consultation.closes_at <= (in->consultation.opens_at ? in->consultation.opens_at : now))
        return problem(pb, FD_EINVAL, "consultation", "closes_at must be after the opening time.");
    struct fd_objective o = { 0 };
    rc = fd_store_objective_get(s, in->objective_id, NULL, &o);
    if (rc == FD_OK && in->key_action_id && !objective_has_key_action(&o, in->key_action_id))
        rc = problem(pb, FD_EINVAL, "key_action_id", "This key action does not belong to the objective.");
    fd_objective_clear(&o);
    if (rc == FD_OK)
        rc = fd_store_thread_create(s, in, author->id, now, thread_id, post_id);
    if (rc == FD_OK) /* authors follow their own threads */
        rc = fd_store_follow_set(s, author->id, FD_FOLLOW_THREAD, *thread_id, true, now);
    struct fd_thread where = { .id = rc == FD_OK ? *thread_id : 0, .objective_id = in->objective_id };
    if (rc == FD_OK && in->consultation.given)
        rc = fd_mod_log(s, author->id, "consultation_open", "thread", *thread_id, &where, NULL, now);
    if (rc == FD_OK && in->post.official)
        rc = fd_mod_log(s, author->id, "official_answer", "post", *post_id, &where, NULL, now);
    return rc;
}

int fd_forum_post_create(struct fd_store *s, const struct fd_user *author, const struct fd_new_post *in,
                         int64_t now, int64_t *post_id, struct fd_problem *pb)
{
    if (fd_forum_is_suspended(author, now))
        return FD_ESUSPENDED;
    struct fd_thread t = { 0 };
    struct fd_post parent = { 0 };
    int rc = fd_store_thread_get(s, in->thread_id, &t);
    if (rc == FD_OK)
        rc = check_post_privileges(author, in, t.objective_id, pb);
    if (rc != FD_OK)
        goto out;
    /* The Commission's answer may come after the deadline and in a locked thread. */
    bool official = in->official;
    if (t.locked && !official) {
        rc = FD_ELOCKED;
        goto out;
    }
    enum fd_consultation_state st = fd_thread_consultation_state(&t, now);
    if ((st == FD_CONSULT_CLOSED || st == FD_CONSULT_PLANNED) && !official) {
        rc = problem(pb, FD_ECLOSED, NULL,
                     st == FD_CONSULT_CLOSED ? "This consultation is closed." : "This consultation is not open yet.");
        goto out;
    }
    if (in->parent_id) {
        rc = fd_store_post_get(s, in->parent_id, &parent);
        if (rc == FD_ENOTFOUND || (rc == FD_OK && parent.thread_id != in->thread_id)) {
            rc = problem(pb, FD_EINVAL, "parent_id", "parent_id must be a post of this thread.");
            goto out;
        }
        if (rc != FD_OK)
            goto out;
    }
    rc = fd_store_post_create(s, in, author->id, now, post_id);
    if (rc == FD_OK && official)
        rc = fd_mod_log(s, author->id, "official_answer", "post", *post_id, &t, NULL, now);
out:
    fd_thread_clear(&t);
    fd_post_clear(&parent);
    return rc;
}
