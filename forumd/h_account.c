/* The account holder's own data: everything held about them as one JSON download, and erasure. */
#include <ctype.h>
#include <sodium.h>
#include "forumd/handlers.h"
#include "forumd/auth.h"
#include "forumd/valid.h"

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

static json_t *sessions_json(const struct fd_personal *d, int64_t current_session)
{
    json_t *sessions = json_array();
    for (size_t i = 0; i < d->n_sessions; i++)
        json_array_append_new(sessions, json_pack("{s:I, s:o, s:o, s:b}", "id", (json_int_t)d->sessions[i].id,
                                                  "created_at", fd_time_json(d->sessions[i].created_at),
                                                  "last_seen_at", fd_time_json(d->sessions[i].last_seen_at),
                                                  "current", d->sessions[i].id == current_session));
    return sessions;
}

static json_t *tokens_json(const struct fd_personal *d)
{
    json_t *tokens = json_array();
    for (size_t i = 0; i < d->n_tokens; i++)
        json_array_append_new(tokens, json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)d->tokens[i].id, "name",
                                                d->tokens[i].name ? d->tokens[i].name : "", "created_at",
                                                fd_time_json(d->tokens[i].created_at), "last_used_at",
                                                fd_time_json(d->tokens[i].last_used_at)));
    return tokens;
}

static json_t *account_json(const struct fd_personal *d, int64_t current_session)
{
    return json_pack("{s:o, s:o}", "sessions", sessions_json(d, current_session), "tokens", tokens_json(d));
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

/* ---- GET /me/tokens: a few indexed rows, read on the loop ---- */

void h_me_tokens(struct fd_req *r)
{
    struct fd_personal d = { 0 };
    int rc = fd_store_credentials(r->loop->store, r->user.id, &d);
    if (rc != FD_OK)
        fd_reply_status(r, rc);
    else
        fd_reply_json(r, 200, json_pack("{s:o}", "tokens", tokens_json(&d)));
    fd_personal_clear(&d);
}

/* ---- PATCH /me: the public profile ---- */

struct profile {
    struct fd_profile_patch in;
    char country[3];
    struct fd_user out;
};

static void profile_free(void *p)
{
    struct profile *c = p;
    fd_user_clear(&c->out);
    free(c);
}

/* An optional profile text: null or "" clears it, anything else is checked like at registration. */
static int decode_opt(json_t *v, struct fd_opt_text *o, const char *name, size_t lo, size_t hi,
                      bool (*check)(const char *), struct fd_json_error *err)
{
    o->set = true;
    o->value = NULL;
    if (json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
        return 0;
    if (fd_json_text(v, name, lo, hi, FD_NOT_BLANK, &o->value, err) < 0)
        return -1;
    if (check && !check(o->value)) {
        err->status = 400;
        err->code = "validation_failed";
        err->field = name;
        snprintf(err->message, sizeof err->message, "%s is not valid.", name);
        return -1;
    }
    return 0;
}

static int decode_organisation(json_t *v, void *out, struct fd_json_error *err)
{
    return decode_opt(v, out, "organisation", 1, 200, NULL, err);
}

static int decode_country(json_t *v, void *out, struct fd_json_error *err)
{
    return decode_opt(v, out, "country", 2, 2, NULL, err); /* checked once upper-cased */
}

static int decode_register_id(json_t *v, void *out, struct fd_json_error *err)
{
    return decode_opt(v, out, "transparency_register_id", 3, 20, fd_valid_transparency_id, err);
}

static const struct fd_field profile_fields[] = {
    FD_TEXT_CHECK("display_name", struct fd_profile_patch, display_name, 1, 80, FD_OPTIONAL | FD_NOT_BLANK,
                  fd_valid_display_name),
    FD_CUSTOM("organisation", struct fd_profile_patch, organisation, FD_NULLABLE, decode_organisation),
    FD_CUSTOM("country", struct fd_profile_patch, country, FD_NULLABLE, decode_country),
    FD_CUSTOM("transparency_register_id", struct fd_profile_patch, register_id, FD_NULLABLE, decode_register_id),
    FD_FIELDS_END
};

/* Upper-cases the country and applies the registration rule: Member State accounts name an EU
 * Member State, so they may change it but not clear it. */
static int profile_check_country(struct fd_req *r, struct profile *c)
{
    struct fd_opt_text *o = &c->in.country;
    if (o->set && o->value) {
        c->country[0] = (char)toupper((unsigned char)o->value[0]);
        c->country[1] = (char)toupper((unsigned char)o->value[1]);
        o->value = c->country;
        if (!fd_valid_country(c->country)) {
            fd_reply_error(r, 400, "validation_failed", "country", "country must be an ISO 3166-1 alpha-2 code.");
            return -1;
        }
    }
    if (o->set && !strcmp(r->user.stakeholder_type, "member_state") && !(o->value && fd_valid_eu_country(o->value))) {
        fd_reply_error(r, 400, "validation_failed", "country",
                       "Member State accounts must give one of the 27 EU Member States as country.");
        return -1;
    }
    return 0;
}

static int profile_txn(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct profile *c = r->ctx;
    int rc = fd_store_user_update_profile(s, r->user.id, &c->in);
    return rc == FD_OK ? fd_store_user_get(s, r->user.id, &c->out) : rc;
}

static void profile_done(struct fd_req *r, int rc)
{
    struct profile *c = r->ctx;
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        return;
    }
    fd_gen_bump_all(r->app->gens); /* their name and organisation are on pages of every objective */
    struct fd_viewer self = fd_mod_viewer(&c->out);
    fd_reply_json(r, 200, json_pack("{s:o}", "user", fd_user_json(&c->out, &self)));
}

void h_me_update(struct fd_req *r)
{
    struct profile *c = fd_req_ctx(r, sizeof *c, profile_free);
    if (fd_req_body_or_reply(r, profile_fields, &c->in) < 0 || profile_check_country(r, c) < 0)
        return;
    fd_req_write(r, profile_txn, profile_done);
}

/* ---- sessions: listed, revoked one by one ---- */

void h_me_sessions(struct fd_req *r)
{
    struct fd_personal d = { 0 };
    int rc = fd_store_credentials(r->loop->store, r->user.id, &d);
    if (rc != FD_OK)
        fd_reply_status(r, rc);
    else
        fd_reply_json(r, 200, json_pack("{s:o}", "sessions", sessions_json(&d, r->session_id)));
    fd_personal_clear(&d);
}

static int session_revoke_txn(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    return fd_store_session_revoke(s, r->user.id, *(int64_t *)r->ctx);
}

static void session_revoked(struct fd_req *r, int rc)
{
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        return;
    }
    if (*(int64_t *)r->ctx == r->session_id)
        fd_req_set_session_cookie(r, NULL); /* signing this browser out */
    fd_reply_empty(r, 204);
}

void h_me_session_delete(struct fd_req *r)
{
    int64_t *id = fd_req_ctx(r, sizeof *id, free);
    if (fd_req_id_or_reply(r, "id", id) == 0)
        fd_req_write(r, session_revoke_txn, session_revoked);
}

/* ---- POST /me/password: every session ends; this browser gets a new one ---- */

struct password_change {
    const char *current_password;
    const char *new_password;
    struct fd_user user; /* with the password hash */
    bool ok;
    char *new_hash;
    char token[FD_TOKEN_STR_LEN];
    uint8_t token_hash[FD_TOKEN_HASH_LEN];
};

static void password_free(void *p)
{
    struct password_change *c = p;
    fd_user_clear(&c->user);
    free(c->new_hash);
    sodium_memzero(c->token, sizeof c->token);
    free(c);
}

static const struct fd_field password_fields[] = {
    FD_TEXT("current_password", struct password_change, current_password, 1, 1024, FD_REQUIRED),
    FD_TEXT("new_password", struct password_change, new_password, 12, 128, FD_REQUIRED),
    FD_FIELDS_END
};

/* On a worker: both Argon2id runs, the check of the old password and the hash of the new one. */
static void password_hash(struct fd_store *s, void *arg)
{
    (void)s;
    struct fd_req *r = arg;
    struct password_change *c = r->ctx;
    c->ok = c->user.password_hash && fd_auth_verify_password(c->user.password_hash, c->current_password);
    if (c->ok)
        c->new_hash = fd_auth_hash_password(c->new_password, r->app->cfg.pwhash_ops, r->app->cfg.pwhash_mem);
}

static int password_txn(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct password_change *c = r->ctx;
    int rc = fd_store_user_set_password_hash(s, r->user.id, c->new_hash);
    if (rc == FD_OK)
        rc = fd_store_sessions_revoke_all(s, r->user.id);
    if (rc == FD_OK && r->auth == FD_AUTH_COOKIE)
        rc = fd_store_session_create(s, r->user.id, c->token_hash, fd_now_steady(), NULL);
    return rc;
}

static void password_changed(struct fd_req *r, int rc)
{
    struct password_change *c = r->ctx;
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        return;
    }
    json_t *csrf = json_null();
    if (r->auth == FD_AUTH_COOKIE) {
        char token[FD_TOKEN_STR_LEN];
        fd_auth_csrf_token(c->token, token);
        csrf = json_string(token);
        fd_req_set_session_cookie(r, c->token);
    }
    fd_reply_json(r, 200, json_pack("{s:o, s:o}", "user", fd_user_json(&r->user, &r->viewer), "csrf_token", csrf));
}

static void password_checked(void *arg)
{
    struct fd_req *r = arg;
    struct password_change *c = r->ctx;
    if (!c->ok) {
        fd_reply_error(r, 401, "invalid_credentials", "current_password", "The current password is not correct.");
        return;
    }
    if (!c->new_hash) {
        fd_reply_status(r, FD_EINTERNAL);
        return;
    }
    fd_auth_token_new(c->token, c->token_hash);
    fd_req_write(r, password_txn, password_changed);
}

void h_me_password(struct fd_req *r)
{
    struct password_change *c = fd_req_ctx(r, sizeof *c, password_free);
    if (fd_req_body_or_reply(r, password_fields, c) < 0)
        return;
    int rc = fd_store_user_get(r->loop->store, r->user.id, &c->user);
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        return;
    }
    fd_req_work_or_reply(r, r->app->work, password_hash, password_checked);
}
