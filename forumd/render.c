/* JSON serializers, one per object; the only place that decides what a viewer may see. */
#include "forumd/render.h"

bool fd_viewer_is_staff(const struct fd_viewer *v)
{
    return v->id != 0 && v->staff;
}

/* Moderators and admins, wherever their rights apply: they read accounts' moderation details. */
static bool viewer_has_role(const struct fd_viewer *v)
{
    return v->id != 0 && (v->role == FD_ROLE_MODERATOR || v->role == FD_ROLE_ADMIN);
}

static json_t *id_list_json(const int64_t *ids, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_integer((json_int_t)ids[i]));
    return a;
}

json_t *fd_time_json(int64_t t)
{
    char buf[FD_RFC3339_LEN];
    return t ? json_string(fd_time_rfc3339(t, buf)) : json_null();
}

/* A string or null. Stored text was checked as UTF-8 when it was accepted, so it is not checked a
 * second time on every read (jansson's check is the costliest part of rendering a long page). */
static json_t *str_or_null(const char *s)
{
    return s ? json_stringn_nocheck(s, strlen(s)) : json_null();
}

json_t *fd_user_json(const struct fd_user *u, const struct fd_viewer *v)
{
    json_t *o = json_pack("{s:I, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)u->id, "display_name",
                          str_or_null(u->display_name), "role", fd_role_name(u->role), "stakeholder_type",
                          str_or_null(u->stakeholder_type), "organisation", str_or_null(u->organisation),
                          "country", str_or_null(u->country), "transparency_register_id",
                          str_or_null(u->transparency_register_id), "created_at", fd_time_json(u->created_at));
    if (o && v && (v->id == u->id || (v->id && v->role == FD_ROLE_ADMIN)))
        json_object_set_new(o, "email", str_or_null(u->email));
    bool self_or_staff = v && (v->id == u->id || viewer_has_role(v));
    if (o && u->suspended_until > fd_now() && self_or_staff) { /* an ended suspension is not shown */
        json_object_set_new(o, "suspended_until", fd_time_json(u->suspended_until));
        json_object_set_new(o, "suspension_reason", str_or_null(u->suspension_reason));
    }
    if (o && self_or_staff && u->role != FD_ROLE_MEMBER)
        json_object_set_new(o, "moderates", u->role == FD_ROLE_MODERATOR && u->n_moderates
                                                ? id_list_json(u->moderates, u->n_moderates)
                                                : json_null());
    return o;
}

static json_t *author_json(const struct fd_author *a, bool anonymous, const struct fd_viewer *v)
{
    bool reveal = !anonymous || fd_viewer_is_staff(v) || (v->id != 0 && v->id == a->id);
    if (!reveal)
        return json_pack("{s:n, s:s, s:o, s:o}", "id", "display_name", "Anonymous", "stakeholder_type",
                         str_or_null(a->stakeholder_type), "country", str_or_null(a->country));
    return json_pack("{s:I, s:o, s:o, s:o, s:o}", "id", (json_int_t)a->id, "display_name",
                     str_or_null(a->display_name), "stakeholder_type", str_or_null(a->stakeholder_type),
                     "organisation", str_or_null(a->organisation), "country", str_or_null(a->country));
}

static json_t *id_or_null(int64_t id)
{
    return id ? json_integer((json_int_t)id) : json_null();
}

json_t *fd_objective_json(const struct fd_objective *o)
{
    json_t *kas = json_array();
    for (size_t i = 0; i < o->n_key_actions; i++)
        json_array_append_new(kas, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)o->key_actions[i].id, "slug",
                                             o->key_actions[i].slug, "title", o->key_actions[i].title));
    return json_pack("{s:I, s:i, s:s, s:s, s:s, s:o, s:I, s:I, s:o}", "id", (json_int_t)o->id, "number", o->number,
                     "slug", o->slug, "title", o->title, "summary", o->summary, "key_actions", kas, "thread_count",
                     (json_int_t)o->thread_count, "post_count", (json_int_t)o->post_count, "last_post_at",
                     fd_time_json(o->last_post_at));
}

static json_t *consultation_json(const struct fd_thread *t, int64_t now)
{
    static const char *const names[] = { [FD_CONSULT_PLANNED] = "planned", [FD_CONSULT_OPEN] = "open",
                                         [FD_CONSULT_CLOSED] = "closed" };
    enum fd_consultation_state st = fd_thread_consultation_state(t, now);
    if (st == FD_CONSULT_NONE)
        return json_null();
    return json_pack("{s:o, s:o, s:s}", "opens_at", fd_time_json(t->opens_at), "closes_at",
                     fd_time_json(t->closes_at), "state", names[st]);
}

json_t *fd_thread_json(const struct fd_thread *t, const struct fd_viewer *v, int64_t now)
{
    json_t *o = json_pack("{s:I, s:I, s:o, s:o, s:o, s:b, s:o, s:o, s:I, s:b, s:b, s:o, s:o}", "id", (json_int_t)t->id,
                     "objective_id", (json_int_t)t->objective_id, "key_action_id", id_or_null(t->key_action_id),
                     "title", str_or_null(t->title), "author", author_json(&t->author, t->anonymous, v), "anonymous",
                     t->anonymous, "created_at", fd_time_json(t->created_at), "last_post_at",
                     fd_time_json(t->last_post_at), "post_count", (json_int_t)t->post_count, "locked", t->locked,
                     "pinned", t->pinned, "consultation", consultation_json(t, now), "official_post_id",
                     id_or_null(t->official_post_id));
    if (o)
        json_object_set_new(o, "manifest_sha256", str_or_null(t->manifest_sha256));
    return o;
}

json_t *fd_post_json(const struct fd_post *p, const struct fd_viewer *v)
{
    bool show = !p->deleted && (!p->hidden || fd_viewer_is_staff(v));
    json_t *o = json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:o, s:o, s:b, s:b}", "id", (json_int_t)p->id,
                     "thread_id", (json_int_t)p->thread_id, "parent_id", id_or_null(p->parent_id), "author",
                     author_json(&p->author, p->anonymous, v), "body", str_or_null(show ? p->body : NULL),
                     "body_html", str_or_null(show ? p->body_html : NULL), "language", str_or_null(p->language),
                     "anonymous", p->anonymous, "official", p->official, "created_at", fd_time_json(p->created_at),
                     "edited_at", fd_time_json(p->edited_at), "hidden", p->hidden, "deleted", p->deleted);
    if (o)
        json_object_set_new(o, "edited_by_moderator", json_boolean(p->edited_by_moderator));
    return o;
}

json_t *fd_revision_json(const struct fd_revision *r, const struct fd_post *p, const struct fd_viewer *v)
{
    /* the author of an anonymous post stays anonymous in its history */
    bool anonymous = p->anonymous && r->editor.id == p->author.id;
    return json_pack("{s:o, s:o, s:o, s:b}", "body", str_or_null(r->body), "edited_at", fd_time_json(r->edited_at),
                     "editor", author_json(&r->editor, anonymous, v), "by_moderator", r->by_moderator);
}

json_t *fd_flag_json(const struct fd_flag *f, const struct fd_viewer *v)
{
    json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:o, s:o, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)f->id,
                          "post_id", (json_int_t)f->post_id, "thread_id", (json_int_t)f->thread_id, "objective_id",
                          (json_int_t)f->objective_id, "reason", str_or_null(f->reason), "text", str_or_null(f->text),
                          "state", f->resolution ? "resolved" : "open", "resolution", str_or_null(f->resolution),
                          "created_at", fd_time_json(f->created_at), "resolved_at", fd_time_json(f->resolved_at),
                          "flagger", author_json(&f->flagger, false, v));
    if (o && f->has_post)
        json_object_set_new(o, "post", fd_post_json(&f->post, v));
    return o;
}

json_t *fd_log_entry_json(const struct fd_log_entry *e)
{
    static const struct fd_viewer nobody = { 0 };
    return json_pack("{s:I, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o}", "id", (json_int_t)e->id, "actor",
                     e->actor.id ? author_json(&e->actor, false, &nobody) : json_null(), "action",
                     str_or_null(e->action), "target_type", str_or_null(e->target_type), "target_id",
                     (json_int_t)e->target_id, "objective_id", id_or_null(e->objective_id), "thread_id",
                     id_or_null(e->thread_id), "reason", str_or_null(e->reason), "created_at",
                     fd_time_json(e->created_at));
}

json_t *fd_notification_json(const struct fd_notification *n, const struct fd_viewer *v)
{
    json_t *o = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:b, s:o}", "id", (json_int_t)n->id, "kind",
                          str_or_null(n->kind), "thread_id", id_or_null(n->thread_id), "post_id", id_or_null(n->post_id),
                          "actor", n->actor.id ? author_json(&n->actor, n->anonymous, v) : json_null(), "created_at",
                          fd_time_json(n->created_at), "read", n->read, "thread_title", str_or_null(n->thread_title));
    if (o && n->reason)
        json_object_set_new(o, "reason", str_or_null(n->reason));
    return o;
}

json_t *fd_follows_json(const struct fd_follows *f)
{
    return json_pack("{s:o, s:o, s:o}", "objectives",
                     id_list_json(f->ids[FD_FOLLOW_OBJECTIVE], f->n[FD_FOLLOW_OBJECTIVE]), "key_actions",
                     id_list_json(f->ids[FD_FOLLOW_KEY_ACTION], f->n[FD_FOLLOW_KEY_ACTION]), "threads",
                     id_list_json(f->ids[FD_FOLLOW_THREAD], f->n[FD_FOLLOW_THREAD]));
}
