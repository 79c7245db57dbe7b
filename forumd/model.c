/* The model's small helpers: role names, freeing structs, consultation state. */
#include "forumd/model.h"

static const char *const role_names[] = { [FD_ROLE_MEMBER] = "member", [FD_ROLE_MODERATOR] = "moderator",
                                          [FD_ROLE_ADMIN] = "admin" };

const char *fd_role_name(enum fd_role role)
{
    return (unsigned)role < FD_ARRAY_LEN(role_names) ? role_names[role] : "member";
}

int fd_role_parse(const char *s, enum fd_role *out)
{
    for (size_t i = 0; i < FD_ARRAY_LEN(role_names); i++) {
        if (s && !strcmp(s, role_names[i])) {
            *out = (enum fd_role)i;
            return 0;
        }
    }
    return -1;
}

void fd_user_clear(struct fd_user *u)
{
    free(u->email);
    if (u->password_hash) {
        memset(u->password_hash, 0, strlen(u->password_hash));
        free(u->password_hash);
    }
    free(u->display_name);
    free(u->stakeholder_type);
    free(u->organisation);
    free(u->country);
    free(u->transparency_register_id);
    free(u->suspension_reason);
    free(u->moderates);
    memset(u, 0, sizeof *u);
}

void fd_author_clear(struct fd_author *a)
{
    free(a->display_name);
    free(a->stakeholder_type);
    free(a->organisation);
    free(a->country);
    memset(a, 0, sizeof *a);
}

void fd_objective_clear(struct fd_objective *o)
{
    free(o->slug);
    free(o->title);
    free(o->summary);
    for (size_t i = 0; i < o->n_key_actions; i++) {
        free(o->key_actions[i].slug);
        free(o->key_actions[i].title);
    }
    free(o->key_actions);
    memset(o, 0, sizeof *o);
}

void fd_thread_clear(struct fd_thread *t)
{
    free(t->title);
    free(t->manifest_sha256);
    fd_author_clear(&t->author);
    memset(t, 0, sizeof *t);
}

void fd_post_clear(struct fd_post *p)
{
    free(p->body);
    free(p->body_html);
    free(p->language);
    fd_author_clear(&p->author);
    memset(p, 0, sizeof *p);
}

void fd_thread_list_clear(struct fd_thread_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        fd_thread_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

void fd_post_list_clear(struct fd_post_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        fd_post_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

void fd_feed_list_clear(struct fd_feed_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        fd_post_clear(&l->items[i].post);
        free(l->items[i].thread_title);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

void fd_objective_list_clear(struct fd_objective_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        fd_objective_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

enum fd_consultation_state fd_thread_consultation_state(const struct fd_thread *t, int64_t now)
{
    if (t->closes_at == 0)
        return FD_CONSULT_NONE;
    if (now < t->opens_at)
        return FD_CONSULT_PLANNED;
    return now < t->closes_at ? FD_CONSULT_OPEN : FD_CONSULT_CLOSED;
}

int64_t fd_thread_state_changes_at(const struct fd_thread *t, int64_t now)
{
    if (t->closes_at == 0 || now >= t->closes_at)
        return 0;
    return now < t->opens_at ? t->opens_at : t->closes_at;
}

void fd_search_list_clear(struct fd_search_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        fd_post_clear(&l->items[i].post);
        free(l->items[i].thread_title);
        free(l->items[i].snippet);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

void fd_revision_list_clear(struct fd_revision_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].body);
        fd_author_clear(&l->items[i].editor);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

void fd_flag_clear(struct fd_flag *f)
{
    free(f->reason);
    free(f->text);
    free(f->resolution);
    fd_author_clear(&f->flagger);
    fd_post_clear(&f->post);
    memset(f, 0, sizeof *f);
}

void fd_flag_list_clear(struct fd_flag_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        fd_flag_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

void fd_log_list_clear(struct fd_log_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        fd_author_clear(&l->items[i].actor);
        free(l->items[i].action);
        free(l->items[i].target_type);
        free(l->items[i].reason);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

void fd_follows_clear(struct fd_follows *f)
{
    for (size_t i = 0; i < FD_ARRAY_LEN(f->ids); i++)
        free(f->ids[i]);
    memset(f, 0, sizeof *f);
}

void fd_notification_clear(struct fd_notification *n)
{
    free(n->kind);
    fd_author_clear(&n->actor);
    free(n->reason);
    free(n->thread_title);
    memset(n, 0, sizeof *n);
}

void fd_notification_list_clear(struct fd_notification_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        fd_notification_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

void fd_personal_clear(struct fd_personal *p)
{
    for (size_t i = 0; p->revisions && i < p->posts.n; i++)
        fd_revision_list_clear(&p->revisions[i]);
    free(p->revisions);
    fd_post_list_clear(&p->posts);
    fd_flag_list_clear(&p->flags);
    fd_follows_clear(&p->follows);
    free(p->sessions);
    for (size_t i = 0; i < p->n_tokens; i++)
        free(p->tokens[i].name);
    free(p->tokens);
    memset(p, 0, sizeof *p);
}
