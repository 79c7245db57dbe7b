/* Editing, withdrawing and flagging posts, and the moderators' tools: parse the request, run the
 * rule of moderation.c on the writer (which logs it), render what changed. */
#include "forumd/handlers.h"
#include "forumd/cursor.h"
#include "forumd/markdown.h"
#include "forumd/valid.h"

enum { MAX_MODERATES = 32 };

/* The objectives a moderator is limited to, as a request gives them. */
struct moderates_in {
    bool given;
    size_t n;
    int64_t ids[MAX_MODERATES];
};

struct mod_ctx {
    int64_t id; /* the post, thread, flag or user the path names */
    struct fd_problem pb;
    /* inputs (text borrowed from the parsed body) */
    const char *body, *reason, *text, *action, *role;
    char *body_html;
    int64_t until;
    struct fd_thread_patch patch;
    struct moderates_in moderates;
    /* what the write left, read in its transaction */
    int64_t flag_id;
    int64_t old_objective;
    struct fd_post post;
    struct fd_thread thread;
    struct fd_flag flag;
    struct fd_user user;
};

static void mod_ctx_free(void *p)
{
    struct mod_ctx *c = p;
    free(c->body_html);
    fd_post_clear(&c->post);
    fd_thread_clear(&c->thread);
    fd_flag_clear(&c->flag);
    fd_user_clear(&c->user);
    free(c);
}

/* The context of a request on /<things>/{id}; NULL (answered 404) for a malformed id. */
static struct mod_ctx *mod_ctx_new(struct fd_req *r)
{
    struct mod_ctx *c = fd_req_ctx(r, sizeof *c, mod_ctx_free);
    return fd_req_id_or_reply(r, "id", &c->id) < 0 ? NULL : c;
}

/* Reads the post and its thread after a write, for the answer. */
static int reload_post(struct fd_store *s, struct mod_ctx *c, int64_t post_id)
{
    int rc = fd_store_post_get(s, post_id, &c->post);
    return rc == FD_OK ? fd_store_thread_get(s, c->post.thread_id, &c->thread) : rc;
}

/* Answers a write: the rule's refusal, or what the render step makes of the result. */
static bool refused(struct fd_req *r, int rc)
{
    struct mod_ctx *c = r->ctx;
    if (rc == FD_OK)
        return false;
    fd_reply_problem(r, rc, &c->pb);
    return true;
}

static void reply_post(struct fd_req *r, int rc)
{
    struct mod_ctx *c = r->ctx;
    if (refused(r, rc))
        return;
    h_pages_changed(r, &c->thread);
    h_events_post(r, "post_changed", &c->thread, &c->post);
    fd_req_in_objective(r, c->thread.objective_id);
    fd_reply_json(r, 200, json_pack("{s:o}", "post", fd_post_json(&c->post, &r->viewer)));
}

/* ---- editing and withdrawing ---- */

static const struct fd_field edit_fields[] = {
    FD_TEXT("body", struct mod_ctx, body, 1, 50000, FD_REQUIRED | FD_NOT_BLANK),
    FD_TEXT("reason", struct mod_ctx, reason, 1, 500, FD_OPTIONAL | FD_NOT_BLANK),
    FD_FIELDS_END
};

static int post_edit_txn(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct mod_ctx *c = r->ctx;
    int rc = fd_mod_post_edit(s, &r->user, c->id, c->body, c->body_html, c->reason, fd_now(), &c->pb);
    return rc == FD_OK ? reload_post(s, c, c->id) : rc;
}

void h_posts_edit(struct fd_req *r)
{
    struct mod_ctx *c = mod_ctx_new(r);
    if (!c || fd_req_body_or_reply(r, edit_fields, c) < 0)
        return;
    c->body_html = fd_markdown_render(c->body, strlen(c->body));
    fd_req_write(r, post_edit_txn, reply_post);
}

static int post_delete_txn(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct mod_ctx *c = r->ctx;
    int rc = fd_mod_post_delete(s, &r->user, c->id, fd_now(), &c->pb);
    return rc == FD_OK ? reload_post(s, c, c->id) : rc;
}

static void post_deleted(struct fd_req *r, int rc)
{
    struct mod_ctx *c = r->ctx;
    if (refused(r, rc))
        return;
    h_pages_changed(r, &c->thread);
    h_events_post(r, "post_changed", &c->thread, &c->post);
    fd_reply_empty(r, 204);
}

void h_posts_delete(struct fd_req *r)
{
    if (mod_ctx_new(r))
        fd_req_write(r, post_delete_txn, post_deleted);
}

void h_posts_revisions(struct fd_req *r)
{
    struct mod_ctx *c = mod_ctx_new(r);
    struct fd_revision_list l = { 0 };
    if (!c)
        return;
    int rc = reload_post(r->loop->store, c, c->id);
    if (rc == FD_OK && !fd_mod_can_see(&r->user, &c->post, c->thread.objective_id))
        rc = FD_ENOTFOUND;
    if (rc == FD_OK)
        rc = fd_store_post_revisions(r->loop->store, c->id, &l);
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        return;
    }
    fd_req_in_objective(r, c->thread.objective_id);
    json_t *arr = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(arr, fd_revision_json(&l.items[i], &c->post, &r->viewer));
    fd_revision_list_clear(&l);
    fd_reply_json(r, 200, json_pack("{s:o}", "revisions", arr));
}

/* ---- hiding ---- */

static const struct fd_field hide_fields[] = {
    FD_TEXT("reason", struct mod_ctx, reason, 1, 500, FD_REQUIRED | FD_NOT_BLANK),
    FD_FIELDS_END
};

static const struct fd_field reason_fields[] = {
    FD_TEXT("reason", struct mod_ctx, reason, 1, 500, FD_OPTIONAL | FD_NOT_BLANK),
    FD_FIELDS_END
};

static int hide_txn(struct fd_store *s, struct fd_req *r, bool hide)
{
    struct mod_ctx *c = r->ctx;
    int rc = fd_mod_post_hide(s, &r->user, c->id, hide, c->reason, fd_now());
    return rc == FD_OK ? reload_post(s, c, c->id) : rc;
}

static int post_hide_txn(struct fd_store *s, void *arg)
{
    return hide_txn(s, arg, true);
}

static int post_unhide_txn(struct fd_store *s, void *arg)
{
    return hide_txn(s, arg, false);
}

void h_posts_hide(struct fd_req *r)
{
    struct mod_ctx *c = mod_ctx_new(r);
    if (c && fd_req_body_or_reply(r, hide_fields, c) == 0)
        fd_req_write(r, post_hide_txn, reply_post);
}

void h_posts_unhide(struct fd_req *r)
{
    struct mod_ctx *c = mod_ctx_new(r);
    if (c && fd_req_optional_body_or_reply(r, reason_fields, c) == 0)
        fd_req_write(r, post_unhide_txn, reply_post);
}

/* ---- flags ---- */

static const struct fd_field flag_fields[] = {
    FD_TEXT("reason", struct mod_ctx, reason, 1, 32, FD_REQUIRED),
    FD_TEXT("text", struct mod_ctx, text, 1, 500, FD_OPTIONAL | FD_NOT_BLANK),
    FD_FIELDS_END
};

static int flag_txn(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct mod_ctx *c = r->ctx;
    int rc = fd_mod_flag(s, &r->user, c->id, c->reason, c->text, fd_now(), &c->flag_id, &c->pb);
    if (rc == FD_OK)
        rc = fd_store_flag_get(s, c->flag_id, &c->flag);
    return rc == FD_OK ? reload_post(s, c, c->id) : rc;
}

static void reply_flag(struct fd_req *r, int rc, int status)
{
    struct mod_ctx *c = r->ctx;
    if (refused(r, rc))
        return;
    h_pages_changed(r, &c->thread); /* a flag may have hidden the post, a decision shown it again */
    h_events_post(r, "post_changed", &c->thread, &c->post);
    fd_req_in_objective(r, c->thread.objective_id);
    fd_reply_json(r, status, json_pack("{s:o}", "flag", fd_flag_json(&c->flag, &r->viewer)));
}

static void flag_created(struct fd_req *r, int rc)
{
    reply_flag(r, rc, 201);
}

void h_posts_flag(struct fd_req *r)
{
    char account[32];
    snprintf(account, sizeof account, "u%lld", (long long)r->user.id);
    if (fd_req_rate_or_reply(r, FD_RL_FLAG_ACCOUNT, account, r->app->cfg.rate_flag_account,
                             "You have flagged many contributions in a short time; the moderators will look at "
                             "them first. Please wait before flagging more.") < 0)
        return;
    struct mod_ctx *c = mod_ctx_new(r);
    if (c && fd_req_body_or_reply(r, flag_fields, c) == 0)
        fd_req_write(r, flag_txn, flag_created);
}

static const struct fd_field resolve_fields[] = {
    FD_TEXT("action", struct mod_ctx, action, 1, 16, FD_REQUIRED),
    FD_TEXT("reason", struct mod_ctx, reason, 1, 500, FD_OPTIONAL | FD_NOT_BLANK),
    FD_FIELDS_END
};

static int resolve_txn(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct mod_ctx *c = r->ctx;
    int rc = fd_mod_flag_resolve(s, &r->user, c->id, c->action, c->reason, fd_now(), &c->pb);
    if (rc == FD_OK)
        rc = fd_store_flag_get(s, c->id, &c->flag);
    return rc == FD_OK ? reload_post(s, c, c->flag.post_id) : rc;
}

static void flag_resolved(struct fd_req *r, int rc)
{
    reply_flag(r, rc, 200);
}

void h_flags_resolve(struct fd_req *r)
{
    struct mod_ctx *c = mod_ctx_new(r);
    if (c && fd_req_body_or_reply(r, resolve_fields, c) == 0)
        fd_req_write(r, resolve_txn, flag_resolved);
}

static json_t *next_id_cursor(char kind, bool more, int64_t last_id)
{
    if (!more)
        return json_null();
    struct fd_cursor cur = { 1, { last_id, 0, 0 } };
    char *s = fd_cursor_encode(kind, &cur);
    json_t *v = json_string(s);
    free(s);
    return v;
}

void h_flags_list(struct fd_req *r)
{
    const char *state = fd_req_query(r, "state");
    struct fd_cursor after;
    bool has_cursor;
    int limit;
    if (state && strcmp(state, "open") != 0 && strcmp(state, "resolved") != 0) {
        fd_reply_error(r, 400, "validation_failed", "state", "state must be open or resolved.");
        return;
    }
    if (fd_req_limit_or_reply(r, &limit) < 0 || fd_req_cursor_or_reply(r, 'f', 1, &after, &has_cursor) < 0)
        return;
    struct fd_flag_list l = { 0 };
    struct fd_scope scope = fd_mod_scope(&r->user);
    bool resolved = state && !strcmp(state, "resolved");
    int rc = fd_store_flags_page(r->loop->store, resolved, &scope, has_cursor ? after.k[0] : 0, limit, &l);
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        fd_flag_list_clear(&l);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.n; i++) {
        fd_req_in_objective(r, l.items[i].objective_id);
        json_array_append_new(arr, fd_flag_json(&l.items[i], &r->viewer));
    }
    json_t *next = next_id_cursor('f', l.more && l.n, l.n ? l.items[l.n - 1].id : 0);
    fd_flag_list_clear(&l);
    fd_reply_json(r, 200, json_pack("{s:o, s:o}", "flags", arr, "next_cursor", next));
}

/* ---- threads ---- */

static int decode_opt_bool(json_t *v, void *out, struct fd_json_error *err)
{
    struct fd_opt_bool *b = out;
    if (!json_is_boolean(v)) {
        snprintf(err->message, sizeof err->message, "must be true or false.");
        return -1;
    }
    b->given = true;
    b->value = json_is_true(v);
    return 0;
}

static int decode_opt_id(json_t *v, void *out, struct fd_json_error *err)
{
    struct fd_opt_id *o = out;
    if (!json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) <= 0)) {
        snprintf(err->message, sizeof err->message, "must be a positive integer id, or null for none.");
        return -1;
    }
    o->given = true;
    o->id = json_is_null(v) ? 0 : (int64_t)json_integer_value(v);
    return 0;
}

static int decode_opt_consultation(json_t *v, void *out, struct fd_json_error *err)
{
    struct fd_opt_consultation *o = out;
    o->given = true;
    return json_is_null(v) ? 0 : h_decode_consultation(v, &o->window, err);
}

static const struct fd_field thread_patch_fields[] = {
    FD_CUSTOM("locked", struct mod_ctx, patch.locked, FD_OPTIONAL, decode_opt_bool),
    FD_CUSTOM("pinned", struct mod_ctx, patch.pinned, FD_OPTIONAL, decode_opt_bool),
    FD_ID("objective_id", struct mod_ctx, patch.objective_id, FD_OPTIONAL),
    FD_CUSTOM("key_action_id", struct mod_ctx, patch.key_action, FD_NULLABLE, decode_opt_id),
    FD_TEXT("title", struct mod_ctx, patch.title, 1, 200, FD_OPTIONAL | FD_NOT_BLANK),
    FD_CUSTOM("consultation", struct mod_ctx, patch.consultation, FD_NULLABLE, decode_opt_consultation),
    FD_TEXT("reason", struct mod_ctx, patch.reason, 1, 500, FD_OPTIONAL | FD_NOT_BLANK),
    FD_FIELDS_END
};

static bool patch_is_empty(const struct fd_thread_patch *p)
{
    return !p->locked.given && !p->pinned.given && !p->objective_id && !p->key_action.given && !p->title &&
           !p->consultation.given;
}

static int thread_update_txn(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct mod_ctx *c = r->ctx;
    int rc = fd_store_thread_get(s, c->id, &c->thread);
    c->old_objective = c->thread.objective_id;
    fd_thread_clear(&c->thread);
    if (rc == FD_OK)
        rc = fd_mod_thread_update(s, &r->user, c->id, &c->patch, fd_now(), &c->pb);
    return rc == FD_OK ? fd_store_thread_get(s, c->id, &c->thread) : rc;
}

static void thread_updated(struct fd_req *r, int rc)
{
    struct mod_ctx *c = r->ctx;
    if (refused(r, rc))
        return;
    h_pages_changed(r, &c->thread);
    fd_gen_bump_objective(r->app->gens, c->old_objective); /* a moved thread leaves its old list */
    fd_req_in_objective(r, c->thread.objective_id);
    fd_reply_json(r, 200, json_pack("{s:o}", "thread", fd_thread_json(&c->thread, &r->viewer, fd_now())));
}

void h_threads_update(struct fd_req *r)
{
    struct mod_ctx *c = mod_ctx_new(r);
    if (!c || fd_req_body_or_reply(r, thread_patch_fields, c) < 0)
        return;
    if (patch_is_empty(&c->patch)) {
        fd_reply_error(r, 400, "validation_failed", NULL,
                       "Give at least one of locked, pinned, objective_id, key_action_id, title, consultation.");
        return;
    }
    fd_req_write(r, thread_update_txn, thread_updated);
}

/* ---- accounts ---- */

static int decode_time(json_t *v, void *out, struct fd_json_error *err)
{
    const char *s = json_string_value(v);
    if (!s || fd_time_parse(s, out) < 0) {
        snprintf(err->message, sizeof err->message, "must be an RFC 3339 time such as 2026-12-31T23:59:59Z.");
        return -1;
    }
    return 0;
}

static int decode_moderates(json_t *v, void *out, struct fd_json_error *err)
{
    struct moderates_in *m = out;
    size_t i;
    json_t *id;
    m->given = true;
    if (json_is_null(v))
        return 0; /* every objective */
    if (!json_is_array(v) || json_array_size(v) > MAX_MODERATES) {
        snprintf(err->message, sizeof err->message, "moderates must be a list of objective ids, or null for all.");
        return -1;
    }
    json_array_foreach(v, i, id) {
        if (!json_is_integer(id) || json_integer_value(id) <= 0) {
            snprintf(err->message, sizeof err->message, "moderates must be a list of objective ids, or null for all.");
            return -1;
        }
        m->ids[m->n++] = (int64_t)json_integer_value(id);
    }
    return 0;
}

static const struct fd_field suspend_fields[] = {
    FD_CUSTOM("until", struct mod_ctx, until, FD_REQUIRED, decode_time),
    FD_TEXT("reason", struct mod_ctx, reason, 1, 500, FD_REQUIRED | FD_NOT_BLANK),
    FD_FIELDS_END
};

static bool valid_role(const char *s)
{
    enum fd_role role;
    return fd_role_parse(s, &role) == 0;
}

static const struct fd_field role_fields[] = {
    FD_TEXT_CHECK("role", struct mod_ctx, role, 1, 16, FD_REQUIRED, valid_role),
    FD_CUSTOM("moderates", struct mod_ctx, moderates, FD_NULLABLE, decode_moderates),
    FD_FIELDS_END
};

static int suspend_txn(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct mod_ctx *c = r->ctx;
    int rc = fd_mod_suspend(s, &r->user, c->id, c->until, c->reason, fd_now(), &c->pb);
    return rc == FD_OK ? fd_store_user_get(s, c->id, &c->user) : rc;
}

static int role_txn(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct mod_ctx *c = r->ctx;
    enum fd_role role = FD_ROLE_MEMBER;
    fd_role_parse(c->role, &role);
    int rc = fd_mod_set_role(s, &r->user, c->id, role, c->moderates.ids, c->moderates.n, fd_now(), &c->pb);
    return rc == FD_OK ? fd_store_user_get(s, c->id, &c->user) : rc;
}

static void reply_user(struct fd_req *r, int rc)
{
    struct mod_ctx *c = r->ctx;
    if (!refused(r, rc))
        fd_reply_json(r, 200, json_pack("{s:o}", "user", fd_user_json(&c->user, &r->viewer)));
}

void h_users_suspend(struct fd_req *r)
{
    struct mod_ctx *c = mod_ctx_new(r);
    if (c && fd_req_body_or_reply(r, suspend_fields, c) == 0)
        fd_req_write(r, suspend_txn, reply_user);
}

void h_users_unsuspend(struct fd_req *r)
{
    struct mod_ctx *c = mod_ctx_new(r);
    if (c && fd_req_optional_body_or_reply(r, reason_fields, c) == 0)
        fd_req_write(r, suspend_txn, reply_user); /* until 0: lifted */
}

void h_users_role(struct fd_req *r)
{
    struct mod_ctx *c = mod_ctx_new(r);
    if (c && fd_req_body_or_reply(r, role_fields, c) == 0)
        fd_req_write(r, role_txn, reply_user);
}

/* ---- the log ---- */

void h_mod_log(struct fd_req *r)
{
    static const char *const types[] = { "post", "thread", "user", "flag" };
    const char *type = fd_req_query(r, "target_type");
    int64_t target_id = 0;
    struct fd_cursor after;
    bool has_cursor, known = !type;
    int limit;
    for (size_t i = 0; type && i < FD_ARRAY_LEN(types); i++)
        known = known || !strcmp(type, types[i]);
    if (!known || (type && fd_parse_id(fd_req_query(r, "target_id"), &target_id) < 0)) {
        fd_reply_error(r, 400, "validation_failed", known ? "target_id" : "target_type",
                       "Filter with target_type (post, thread, user or flag) and target_id together.");
        return;
    }
    if (fd_req_limit_or_reply(r, &limit) < 0 || fd_req_cursor_or_reply(r, 'l', 1, &after, &has_cursor) < 0)
        return;
    struct fd_log_list l = { 0 };
    struct fd_scope scope = fd_mod_scope(&r->user);
    int rc = fd_store_log_page(r->loop->store, &scope, type, target_id, has_cursor ? after.k[0] : 0, limit, &l);
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        fd_log_list_clear(&l);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(arr, fd_log_entry_json(&l.items[i]));
    json_t *next = next_id_cursor('l', l.more && l.n, l.n ? l.items[l.n - 1].id : 0);
    fd_log_list_clear(&l);
    fd_reply_json(r, 200, json_pack("{s:o, s:o}", "entries", arr, "next_cursor", next));
}
