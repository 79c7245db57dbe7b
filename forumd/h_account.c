/* The account holder's own data: everything held about them as one JSON download, and erasure. */
#include "forumd/handlers.h"
#include "forumd/auth.h"

/* ---- GET /me/export ---- */

struct my_data {
    int rc;
    char *json;
    size_t len;
};

static void my_data_free(void *p)
{
    struct my_data *c = p;
    free(c->json);
    free(c);
}

static json_t *posts_json(const struct fd_personal *d, const struct fd_viewer *self)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < d->posts.n; i++) {
        const struct fd_post *p = &d->posts.items[i];
        json_t *o = fd_post_json(p, self);
        /* their own words, also when hidden or withdrawn */
        json_object_set_new(o, "body", json_string(p->body));
        json_object_set_new(o, "body_html", json_string(p->body_html));
        json_t *revs = json_array();
        for (size_t k = 0; k < d->revisions[i].n; k++)
            json_array_append_new(revs, fd_revision_json(&d->revisions[i].items[k], p, self));
        json_object_set_new(o, "revisions", revs);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *account_json(const struct fd_personal *d, int64_t current_session)
{
    json_t *sessions = json_array(), *tokens = json_array();
    for (size_t i = 0; i < d->n_sessions; i++)
        json_array_append_new(sessions, json_pack("{s:I, s:o, s:o, s:b}", "id", (json_int_t)d->sessions[i].id,
                                                  "created_at", fd_time_json(d->sessions[i].created_at),
                                                  "last_seen_at", fd_time_json(d->sessions[i].last_seen_at),
                                                  "current", d->sessions[i].id == current_session));
    for (size_t i = 0; i < d->n_tokens; i++)
        json_array_append_new(tokens, json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)d->tokens[i].id, "name",
                                                d->tokens[i].name ? d->tokens[i].name : "", "created_at",
                                                fd_time_json(d->tokens[i].created_at), "last_used_at",
                                                fd_time_json(d->tokens[i].last_used_at)));
    return json_pack("{s:o, s:o}", "sessions", sessions, "tokens", tokens);
}

/* On a query worker: a prolific author's data is many rows. */
static void my_data_job(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct my_data *c = r->ctx;
    struct fd_personal d = { 0 };
    struct fd_notification_list notes = { 0 };
    int64_t unread = 0;
    c->rc = fd_store_personal_data(s, r->user.id, &d);
    if (c->rc == FD_OK)
        c->rc = fd_store_notifications_page(s, r->user.id, false, NULL, 100, &notes, &unread);
    if (c->rc == FD_OK) {
        struct fd_viewer self = fd_mod_viewer(&r->user);
        json_t *flags = json_array(), *notifications = json_array();
        for (size_t i = 0; i < d.flags.n; i++)
            json_array_append_new(flags, fd_flag_json(&d.flags.items[i], &self));
        for (size_t i = 0; i < notes.n; i++)
            json_array_append_new(notifications, fd_notification_json(&notes.items[i], &self));
        json_t *doc = account_json(&d, r->session_id);
        json_object_set_new(doc, "user", fd_user_json(&r->user, &self));
        json_object_set_new(doc, "posts", posts_json(&d, &self));
        json_object_set_new(doc, "flags", flags);
        json_object_set_new(doc, "follows", fd_follows_json(&d.follows));
        json_object_set_new(doc, "notifications", notifications);
        json_object_set_new(doc, "generated_at", fd_time_json(fd_now()));
        c->json = fd_json_dump(doc, &c->len);
        json_decref(doc);
    }
    fd_notification_list_clear(&notes);
    fd_personal_clear(&d);
}

static void my_data_done(void *arg)
{
    struct fd_req *r = arg;
    struct my_data *c = r->ctx;
    if (c->rc != FD_OK || !c->json) {
        fd_reply_status(r, c->rc != FD_OK ? c->rc : FD_EINTERNAL);
        return;
    }
    fd_req_header_out(r, "Content-Disposition", "attachment; filename=\"forumd-my-data.json\"");
    fd_reply_bytes(r, 200, "application/json; charset=utf-8", c->json, c->len);
}

void h_me_export(struct fd_req *r)
{
    fd_req_ctx(r, sizeof(struct my_data), my_data_free);
    fd_req_work_or_reply(r, r->app->queries, my_data_job, my_data_done);
}

/* ---- DELETE /me ---- */

struct erase {
    const char *password;
    struct fd_user user; /* with the password hash */
    bool ok;
    struct fd_problem pb;
};

static void erase_free(void *p)
{
    struct erase *c = p;
    fd_user_clear(&c->user);
    free(c);
}

static const struct fd_field erase_fields[] = {
    FD_TEXT("password", struct erase, password, 1, 1024, FD_REQUIRED),
    FD_FIELDS_END
};

static void erase_verify(struct fd_store *s, void *arg)
{
    (void)s;
    struct fd_req *r = arg;
    struct erase *c = r->ctx;
    c->ok = c->user.password_hash && fd_auth_verify_password(c->user.password_hash, c->password);
}

static int erase_txn(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct erase *c = r->ctx;
    return fd_mod_erase_account(s, &r->user, &c->pb);
}

static void erased(struct fd_req *r, int rc)
{
    struct erase *c = r->ctx;
    if (rc != FD_OK) {
        fd_reply_problem(r, rc, &c->pb);
        return;
    }
    fd_gen_bump_all(r->app->gens); /* their name is on pages of every objective */
    fd_req_set_session_cookie(r, NULL);
    fd_reply_empty(r, 204);
}

static void erase_verified(void *arg)
{
    struct fd_req *r = arg;
    struct erase *c = r->ctx;
    if (!c->ok)
        fd_reply_error(r, 401, "invalid_credentials", "password", "The password is not correct.");
    else
        fd_req_write(r, erase_txn, erased);
}

void h_me_delete(struct fd_req *r)
{
    struct erase *c = fd_req_ctx(r, sizeof *c, erase_free);
    if (fd_req_body_or_reply(r, erase_fields, c) < 0)
        return;
    int rc = fd_store_user_get(r->loop->store, r->user.id, &c->user);
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        return;
    }
    fd_req_work_or_reply(r, r->app->work, erase_verify, erase_verified);
}
