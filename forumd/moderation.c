/* Moderation rules and actions; see moderation.h. Each action checks its rule, writes through the
 * store and logs itself, inside the writer's transaction. */
#include "forumd/moderation.h"

bool fd_mod_moderates_all(const struct fd_user *u)
{
    return u->id != 0 && (u->role == FD_ROLE_ADMIN || (u->role == FD_ROLE_MODERATOR && u->n_moderates == 0));
}

bool fd_mod_moderates(const struct fd_user *u, int64_t objective_id)
{
    if (fd_mod_moderates_all(u))
        return true;
    if (u->id == 0 || u->role != FD_ROLE_MODERATOR)
        return false;
    for (size_t i = 0; i < u->n_moderates; i++)
        if (u->moderates[i] == objective_id)
            return true;
    return false;
}

struct fd_scope fd_mod_scope(const struct fd_user *u)
{
    struct fd_scope sc = { fd_mod_moderates_all(u), u->moderates, u->n_moderates };
    return sc;
}

struct fd_viewer fd_mod_viewer(const struct fd_user *u)
{
    struct fd_viewer v = { u->id, u->role, fd_mod_moderates_all(u) };
    return v;
}

bool fd_mod_can_see(const struct fd_user *u, const struct fd_post *p, int64_t objective_id)
{
    return (!p->deleted && !p->hidden) || fd_mod_moderates(u, objective_id);
}

int fd_mod_log(struct fd_store *s, int64_t actor, const char *action, const char *target_type, int64_t target_id,
               const struct fd_thread *where, const char *reason, int64_t now)
{
    struct fd_log_new e = { actor, action, target_type, target_id, where ? where->objective_id : 0,
                            where ? where->id : 0, reason };
    return fd_store_log_add(s, &e, now);
}

static int problem(struct fd_problem *pb, int rc, const char *field, const char *message)
{
    if (pb) {
        pb->field = field;
        pb->message = message;
    }
    return rc;
}

/* The post and its thread. */
static int load(struct fd_store *s, int64_t post_id, struct fd_post *p, struct fd_thread *t)
{
    int rc = fd_store_post_get(s, post_id, p);
    return rc == FD_OK ? fd_store_thread_get(s, p->thread_id, t) : rc;
}

static int log_post(struct fd_store *s, int64_t actor, const char *action, const struct fd_post *p,
                    const struct fd_thread *t, const char *reason, int64_t now)
{
    return fd_mod_log(s, actor, action, "post", p->id, t, reason, now);
}

/* Tells a post's author that a moderator (or the flags) hid it; never about one's own action. */
static int tell_author(struct fd_store *s, int64_t actor, const struct fd_post *p, const char *reason, int64_t now)
{
    if (p->author.id == actor)
        return FD_OK;
    return fd_store_notify_moderation(s, p->author.id, p->thread_id, p->id, reason ? reason : "hidden by a moderator",
                                      now);
}

/* ---- posts ---- */

/* The rules for an author editing their own post (moderators edit whatever they moderate). */
static int author_may_edit(const struct fd_post *p, const struct fd_thread *t, int64_t now, struct fd_problem *pb)
{
    if (p->hidden)
        return problem(pb, FD_EFORBIDDEN, NULL, "This contribution was hidden by a moderator and cannot be edited.");
    if (t->locked)
        return FD_ELOCKED;
    enum fd_consultation_state st = fd_thread_consultation_state(t, now);
    if (st == FD_CONSULT_CLOSED || st == FD_CONSULT_PLANNED)
        return problem(pb, FD_ECLOSED, NULL, "Contributions to this consultation can no longer be changed.");
    return FD_OK;
}

int fd_mod_post_edit(struct fd_store *s, const struct fd_user *u, int64_t post_id, const char *body,
                     const char *body_html, const char *reason, int64_t now, struct fd_problem *pb)
{
    struct fd_post p = { 0 };
    struct fd_thread t = { 0 };
    int rc = load(s, post_id, &p, &t);
    bool moderator = rc == FD_OK && fd_mod_moderates(u, t.objective_id);
    bool author = rc == FD_OK && p.author.id == u->id;
    if (rc != FD_OK)
        goto out;
    if (p.deleted) {
        rc = problem(pb, FD_ECONFLICT, NULL, "A withdrawn contribution cannot be edited.");
    } else if (!author && !moderator) {
        rc = problem(pb, FD_EFORBIDDEN, NULL, "Only the author or a moderator may edit this contribution.");
    } else if (!moderator && (rc = author_may_edit(&p, &t, now, pb)) != FD_OK) {
        /* refused by author_may_edit */
    } else {
        bool by_moderator = moderator && !author;
        rc = fd_store_post_edit(s, post_id, body, body_html, u->id, by_moderator, now);
        if (rc == FD_OK && by_moderator)
            rc = log_post(s, u->id, "edit", &p, &t, reason, now);
    }
out:
    fd_post_clear(&p);
    fd_thread_clear(&t);
    return rc;
}

int fd_mod_post_delete(struct fd_store *s, const struct fd_user *u, int64_t post_id, int64_t now,
                       struct fd_problem *pb)
{
    struct fd_post p = { 0 };
    struct fd_thread t = { 0 };
    int rc = load(s, post_id, &p, &t);
    if (rc != FD_OK)
        goto out;
    enum fd_consultation_state st = fd_thread_consultation_state(&t, now);
    if (p.author.id != u->id)
        rc = problem(pb, FD_EFORBIDDEN, NULL, "Only its author may withdraw a contribution.");
    else if (p.deleted)
        rc = FD_OK; /* already withdrawn: nothing changes, nothing is logged */
    else if (st == FD_CONSULT_CLOSED)
        rc = problem(pb, FD_ECLOSED, NULL, "This consultation is closed: its contributions stay as received.");
    else if ((rc = fd_store_post_set_deleted(s, post_id)) == FD_OK)
        rc = log_post(s, u->id, "delete", &p, &t, NULL, now);
out:
    fd_post_clear(&p);
    fd_thread_clear(&t);
    return rc;
}

int fd_mod_post_hide(struct fd_store *s, const struct fd_user *u, int64_t post_id, bool hide, const char *reason,
                     int64_t now)
{
    struct fd_post p = { 0 };
    struct fd_thread t = { 0 };
    int rc = load(s, post_id, &p, &t);
    if (rc != FD_OK)
        goto out;
    if (!fd_mod_moderates(u, t.objective_id)) {
        rc = FD_EFORBIDDEN; /* a hidden post is no secret: the thread shows its place */
        goto out;
    }
    /* An automatic hide becomes a moderator's decision when a moderator hides the post. */
    bool changes = hide ? (!p.hidden || p.hidden_auto) : p.hidden;
    if (!changes || p.deleted)
        goto out;
    rc = fd_store_post_set_hidden(s, post_id, hide, false);
    if (rc == FD_OK)
        rc = fd_store_flags_resolve(s, post_id, hide ? "hidden" : "dismissed", u->id, now);
    if (rc == FD_OK)
        rc = log_post(s, u->id, hide ? "hide" : "unhide", &p, &t, reason, now);
    if (rc == FD_OK && hide && !p.hidden)
        rc = tell_author(s, u->id, &p, reason, now);
out:
    fd_post_clear(&p);
    fd_thread_clear(&t);
    return rc;
}

/* ---- flags ---- */

static const char *const flag_reasons[] = { "spam", "off_topic", "abusive", "illegal", "personal_data", "other" };

static bool valid_flag_reason(const char *r)
{
    for (size_t i = 0; i < FD_ARRAY_LEN(flag_reasons); i++)
        if (!strcmp(r, flag_reasons[i]))
            return true;
    return false;
}

/* Hides p once enough members flagged it, until a moderator decides. */
static int hide_if_flagged(struct fd_store *s, const struct fd_post *p, const struct fd_thread *t, int64_t now)
{
    int64_t open = 0;
    int rc = fd_store_flags_open_count(s, p->id, &open);
    if (rc != FD_OK || open < FD_FLAGS_TO_HIDE || p->hidden)
        return rc;
    rc = fd_store_post_set_hidden(s, p->id, true, true);
    if (rc == FD_OK)
        rc = log_post(s, 0, "auto_hide", p, t, "flagged by 3 members", now);
    return rc == FD_OK ? tell_author(s, 0, p, "hidden after flags from 3 members, until a moderator decides", now)
                       : rc;
}

int fd_mod_flag(struct fd_store *s, const struct fd_user *u, int64_t post_id, const char *reason, const char *text,
                int64_t now, int64_t *flag_id, struct fd_problem *pb)
{
    if (!valid_flag_reason(reason))
        return problem(pb, FD_EINVAL, "reason",
                       "reason must be spam, off_topic, abusive, illegal, personal_data or other.");
    if (!strcmp(reason, "other") && !text)
        return problem(pb, FD_EINVAL, "text", "Say what is wrong when the reason is other.");
    struct fd_post p = { 0 };
    struct fd_thread t = { 0 };
    int rc = load(s, post_id, &p, &t);
    if (rc != FD_OK)
        goto out;
    if (p.deleted || p.hidden)
        rc = FD_ENOTFOUND; /* nothing left to flag */
    else if (p.author.id == u->id)
        rc = problem(pb, FD_EFORBIDDEN, NULL, "You cannot flag your own contribution.");
    else if ((rc = fd_store_flag_create(s, post_id, u->id, reason, text, now, flag_id)) == FD_ECONFLICT)
        problem(pb, FD_ECONFLICT, NULL, "You have already flagged this contribution.");
    if (rc == FD_OK)
        rc = fd_mod_log(s, u->id, "flag", "flag", *flag_id, &t, reason, now);
    if (rc == FD_OK)
        rc = hide_if_flagged(s, &p, &t, now);
out:
    fd_post_clear(&p);
    fd_thread_clear(&t);
    return rc;
}

int fd_mod_flag_resolve(struct fd_store *s, const struct fd_user *u, int64_t flag_id, const char *action,
                        const char *reason, int64_t now, struct fd_problem *pb)
{
    bool hide = !strcmp(action, "hide");
    if (!hide && strcmp(action, "dismiss") != 0)
        return problem(pb, FD_EINVAL, "action", "action must be dismiss or hide.");
    struct fd_flag f = { 0 };
    struct fd_post p = { 0 };
    struct fd_thread t = { 0 };
    int rc = fd_store_flag_get(s, flag_id, &f);
    if (rc == FD_OK && !fd_mod_moderates(u, f.objective_id))
        rc = problem(pb, FD_EFORBIDDEN, NULL, "This flag is about an objective you do not moderate.");
    else if (rc == FD_OK && f.resolution)
        rc = problem(pb, FD_ECONFLICT, NULL, "This flag has already been resolved.");
    if (rc == FD_OK)
        rc = load(s, f.post_id, &p, &t);
    if (rc != FD_OK)
        goto out;
    rc = fd_store_flags_resolve(s, p.id, hide ? "hidden" : "dismissed", u->id, now);
    if (rc == FD_OK && hide && (!p.hidden || p.hidden_auto))
        rc = fd_store_post_set_hidden(s, p.id, true, false);
    if (rc == FD_OK && hide && !p.hidden)
        rc = tell_author(s, u->id, &p, reason ? reason : f.reason, now);
    else if (rc == FD_OK && !hide && p.hidden && p.hidden_auto)
        rc = fd_store_post_set_hidden(s, p.id, false, false);
    if (rc == FD_OK)
        rc = fd_mod_log(s, u->id, hide ? "flag_hide" : "flag_dismiss", "flag", flag_id, &t, reason, now);
out:
    fd_flag_clear(&f);
    fd_post_clear(&p);
    fd_thread_clear(&t);
    return rc;
}

/* ---- threads ---- */

static bool objective_has_key_action(const struct fd_objective *o, int64_t key_action_id)
{
    for (size_t i = 0; i < o->n_key_actions; i++)
        if (o->key_actions[i].id == key_action_id)
            return true;
    return false;
}

/* Checks a move and the key action against the objective the thread will be in. */
static int check_place(struct fd_store *s, const struct fd_user *u, const struct fd_thread *t,
                       struct fd_thread_patch *p, struct fd_problem *pb)
{
    int64_t target = p->objective_id ? p->objective_id : t->objective_id;
    if (p->objective_id && p->objective_id != t->objective_id && !fd_mod_moderates(u, p->objective_id))
        return problem(pb, FD_EFORBIDDEN, "objective_id", "You do not moderate the objective to move the thread to.");
    struct fd_objective o = { 0 };
    int rc = fd_store_objective_get(s, target, NULL, &o);
    if (rc == FD_ENOTFOUND)
        rc = problem(pb, FD_EINVAL, "objective_id", "objective_id is not an objective.");
    else if (rc == FD_OK && p->key_action.given && p->key_action.id && !objective_has_key_action(&o, p->key_action.id))
        rc = problem(pb, FD_EINVAL, "key_action_id", "This key action does not belong to the thread's objective.");
    fd_objective_clear(&o);
    if (rc == FD_OK && p->objective_id && p->objective_id != t->objective_id && !p->key_action.given) {
        p->key_action.given = true; /* the old objective's key action does not follow the thread */
        p->key_action.id = 0;
    }
    return rc;
}

/* The log rows of a thread change, one per field that changes. */
static int log_thread_changes(struct fd_store *s, const struct fd_user *u, const struct fd_thread *t,
                              const struct fd_thread_patch *p, int64_t now)
{
    const struct fd_opt_consultation *c = &p->consultation;
    struct {
        bool changed;
        const char *action;
    } rows[] = {
        { p->locked.given && p->locked.value != t->locked, p->locked.value ? "lock" : "unlock" },
        { p->pinned.given && p->pinned.value != t->pinned, p->pinned.value ? "pin" : "unpin" },
        { (p->objective_id && p->objective_id != t->objective_id) ||
              (p->key_action.given && p->key_action.id != t->key_action_id), "move" },
        { p->title && strcmp(p->title, t->title) != 0, "retitle" },
        { c->given && c->window.given && !t->closes_at, "consultation_open" },
        { c->given && c->window.given && t->closes_at &&
              (c->window.opens_at != t->opens_at || c->window.closes_at != t->closes_at),
          "consultation_change" },
        { c->given && !c->window.given && t->closes_at, "consultation_end" },
    };
    struct fd_thread after = { .id = t->id, .objective_id = p->objective_id ? p->objective_id : t->objective_id };
    int rc = FD_OK;
    for (size_t i = 0; rc == FD_OK && i < FD_ARRAY_LEN(rows); i++)
        if (rows[i].changed)
            rc = fd_mod_log(s, u->id, rows[i].action, "thread", t->id, &after, p->reason, now);
    return rc;
}

int fd_mod_thread_update(struct fd_store *s, const struct fd_user *u, int64_t thread_id,
                         const struct fd_thread_patch *in, int64_t now, struct fd_problem *pb)
{
    struct fd_thread t = { 0 };
    struct fd_thread_patch p = *in;
    int rc = fd_store_thread_get(s, thread_id, &t);
    if (rc == FD_OK && !fd_mod_moderates(u, t.objective_id))
        rc = problem(pb, FD_EFORBIDDEN, NULL, "You do not moderate this thread's objective.");
    struct fd_consultation_in *w = &p.consultation.window;
    if (rc == FD_OK && p.consultation.given && w->given) {
        if (!w->opens_at) /* a new deadline keeps the opening time; a new consultation opens now */
            w->opens_at = t.closes_at ? t.opens_at : now;
        if (w->closes_at <= w->opens_at)
            rc = problem(pb, FD_EINVAL, "consultation", "closes_at must be after the opening time.");
    }
    if (rc == FD_OK)
        rc = check_place(s, u, &t, &p, pb);
    if (rc == FD_OK)
        rc = fd_store_thread_update(s, thread_id, &p);
    if (rc == FD_OK)
        rc = log_thread_changes(s, u, &t, &p, now);
    fd_thread_clear(&t);
    return rc;
}

/* ---- accounts ---- */

int fd_mod_suspend(struct fd_store *s, const struct fd_user *u, int64_t user_id, int64_t until, const char *reason,
                   int64_t now, struct fd_problem *pb)
{
    struct fd_user target = { 0 };
    int rc = fd_store_user_get(s, user_id, &target);
    if (rc != FD_OK)
        goto out;
    if (!fd_mod_moderates_all(u))
        rc = problem(pb, FD_EFORBIDDEN, NULL, "Only moderators of every objective and administrators suspend accounts.");
    else if (target.id == u->id)
        rc = problem(pb, FD_EFORBIDDEN, NULL, "You cannot suspend yourself.");
    else if (target.role != FD_ROLE_MEMBER && u->role != FD_ROLE_ADMIN)
        rc = problem(pb, FD_EFORBIDDEN, NULL, "Only an administrator may suspend a moderator or administrator.");
    else if (until && until <= now)
        rc = problem(pb, FD_EINVAL, "until", "until must be in the future.");
    else if (!until && !fd_forum_is_suspended(&target, now))
        rc = FD_OK; /* not suspended: nothing to lift */
    else if ((rc = fd_store_user_suspend(s, user_id, until, reason)) == FD_OK)
        rc = fd_mod_log(s, u->id, until ? "suspend" : "unsuspend", "user", user_id, NULL, reason, now);
    if (rc == FD_OK && until)
        rc = fd_store_notify_moderation(s, user_id, 0, 0, reason, now);
out:
    fd_user_clear(&target);
    return rc;
}

/* "moderator of objectives 1, 3" and the like, for the log. */
static void role_text(enum fd_role role, const int64_t *ids, size_t n, char *out, size_t len)
{
    size_t used = (size_t)snprintf(out, len, "%s%s", fd_role_name(role), n ? " of objectives" : "");
    for (size_t i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, "%s %lld", i ? "," : "", (long long)ids[i]);
}

int fd_mod_set_role(struct fd_store *s, const struct fd_user *u, int64_t user_id, enum fd_role role,
                    const int64_t *moderates, size_t n, int64_t now, struct fd_problem *pb)
{
    if (u->role != FD_ROLE_ADMIN)
        return problem(pb, FD_EFORBIDDEN, NULL, "Only administrators change roles.");
    if (n && role != FD_ROLE_MODERATOR)
        return problem(pb, FD_EINVAL, "moderates", "Only moderators can be limited to objectives.");
    struct fd_user target = { 0 };
    int64_t admins = 0;
    int rc = fd_store_user_get(s, user_id, &target);
    for (size_t i = 0; rc == FD_OK && i < n; i++) {
        struct fd_objective o = { 0 };
        rc = fd_store_objective_get(s, moderates[i], NULL, &o);
        fd_objective_clear(&o);
        if (rc == FD_ENOTFOUND)
            rc = problem(pb, FD_EINVAL, "moderates", "moderates must list objective ids.");
    }
    if (rc == FD_OK && target.role == FD_ROLE_ADMIN && role != FD_ROLE_ADMIN &&
        (rc = fd_store_admins_count(s, &admins)) == FD_OK && admins <= 1)
        rc = problem(pb, FD_ECONFLICT, "role", "The forum would be left without an administrator.");
    if (rc == FD_OK)
        rc = fd_store_user_set_role(s, user_id, role, moderates, n);
    if (rc == FD_OK) {
        char text[200];
        role_text(role, moderates, n, text, sizeof text);
        rc = fd_mod_log(s, u->id, "role", "user", user_id, NULL, text, now);
    }
    fd_user_clear(&target);
    return rc;
}

int fd_mod_erase_account(struct fd_store *s, const struct fd_user *u, struct fd_problem *pb)
{
    int64_t admins = 0;
    int rc = u->role == FD_ROLE_ADMIN ? fd_store_admins_count(s, &admins) : FD_OK;
    if (rc == FD_OK && u->role == FD_ROLE_ADMIN && admins <= 1)
        return problem(pb, FD_ECONFLICT, NULL,
                       "You are the last administrator: make someone else an administrator first.");
    return rc == FD_OK ? fd_store_user_erase(s, u->id) : rc;
}
