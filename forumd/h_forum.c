/* Objectives, threads and posts: browse, open a thread, reply. */
#include "forumd/handlers.h"
#include "forumd/cursor.h"
#include "forumd/markdown.h"
#include "forumd/valid.h"
#include <sodium.h>

/* ---- objectives ---- */

int h_objective_or_reply(struct fd_req *r, struct fd_objective *o)
{
    const char *key = fd_params_get(&r->params, "id");
    int64_t id = 0;
    if (fd_parse_id(key, &id) < 0)
        id = 0; /* a slug */
    int rc = fd_store_objective_get(r->loop->store, id, key, o);
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        return -1;
    }
    return 0;
}

void h_objectives_list(struct fd_req *r)
{
    struct fd_objective_list l = { 0 };
    struct fd_gen_snap gen = fd_gen_objectives(r->app->gens);
    if (fd_req_cached(r, gen))
        return;
    int rc = fd_store_objectives_list(r->loop->store, &l);
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
    } else {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.n; i++)
            json_array_append_new(arr, fd_objective_json(&l.items[i]));
        fd_reply_page(r, json_pack("{s:o}", "objectives", arr), gen, 0, NULL, 0);
    }
    fd_objective_list_clear(&l);
}

void h_objectives_get(struct fd_req *r)
{
    struct fd_objective o = { 0 };
    if (h_objective_or_reply(r, &o) == 0)
        fd_reply_json(r, 200, json_pack("{s:o}", "objective", fd_objective_json(&o)));
    fd_objective_clear(&o);
}

/* ---- thread list ---- */

/* The key action named by ?key_action= (id or slug) among o's; 0 if absent, -1 if answered. */
static int key_action_filter(struct fd_req *r, const struct fd_objective *o, int64_t *out)
{
    const char *v = fd_req_query(r, "key_action");
    *out = 0;
    if (!v || !*v)
        return 0;
    int64_t id = 0;
    bool numeric = fd_parse_id(v, &id) == 0;
    for (size_t i = 0; i < o->n_key_actions; i++) {
        if ((numeric && o->key_actions[i].id == id) || (!numeric && !strcmp(o->key_actions[i].slug, v))) {
            *out = o->key_actions[i].id;
            return 0;
        }
    }
    fd_reply_error(r, 400, "validation_failed", "key_action", "key_action is not a key action of this objective.");
    return -1;
}

/* The earlier of two expiry times, where 0 means none. */
static int64_t earliest(int64_t a, int64_t b)
{
    return (a == 0 || (b != 0 && b < a)) ? b : a;
}

static json_t *cursor_json(char kind, const struct fd_cursor *c)
{
    char *s = fd_cursor_encode(kind, c);
    json_t *v = json_string(s);
    free(s);
    return v;
}

void h_threads_list(struct fd_req *r)
{
    struct fd_objective o = { 0 };
    struct fd_thread_list l = { 0 };
    struct fd_cursor after;
    bool has_cursor;
    int64_t key_action = 0;
    int limit;
    if (h_objective_or_reply(r, &o) < 0)
        goto out;
    struct fd_gen_snap gen = fd_gen_objective(r->app->gens, o.id);
    if (fd_req_cached(r, gen) || key_action_filter(r, &o, &key_action) < 0 || fd_req_limit_or_reply(r, &limit) < 0 ||
        fd_req_cursor_or_reply(r, 't', 3, &after, &has_cursor) < 0)
        goto out;
    int rc = fd_store_threads_page(r->loop->store, o.id, key_action, has_cursor ? &after : NULL, limit, &l);
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        goto out;
    }
    fd_req_in_objective(r, o.id);
    int64_t now = fd_now(), valid_until = 0;
    int64_t *anon = fd_xcalloc(l.n ? l.n : 1, sizeof *anon);
    size_t n_anon = 0;
    json_t *arr = json_array();
    for (size_t i = 0; i < l.n; i++) {
        json_array_append_new(arr, fd_thread_json(&l.items[i], &r->viewer, now));
        valid_until = earliest(valid_until, fd_thread_state_changes_at(&l.items[i], now));
        if (l.items[i].anonymous)
            anon[n_anon++] = l.items[i].author.id;
    }
    json_t *next = json_null();
    if (l.more && l.n > 0) {
        const struct fd_thread *last = &l.items[l.n - 1];
        struct fd_cursor c = { 3, { last->pinned, last->last_post_at, last->id } };
        json_decref(next);
        next = cursor_json('t', &c);
    }
    fd_reply_page(r, json_pack("{s:o, s:o}", "threads", arr, "next_cursor", next), gen, valid_until, anon, n_anon);
    free(anon);
out:
    fd_thread_list_clear(&l);
    fd_objective_clear(&o);
}

/* ---- thread view ---- */

void h_threads_get(struct fd_req *r)
{
    struct fd_thread t = { 0 };
    struct fd_post_list l = { 0 };
    struct fd_cursor after;
    bool has_cursor;
    int64_t id;
    int limit;
    if (fd_req_id_or_reply(r, "id", &id) < 0)
        goto out;
    /* Read before the data, so that a write landing in between makes this page stale, not wrong. */
    struct fd_gen_snap gen = fd_gen_thread(r->app->gens, id);
    if (fd_req_cached(r, gen) || fd_req_limit_or_reply(r, &limit) < 0 ||
        fd_req_cursor_or_reply(r, 'p', 1, &after, &has_cursor) < 0)
        goto out;
    int rc = fd_store_thread_get(r->loop->store, id, &t);
    if (rc == FD_OK && !r->ctx && h_manifest_due(&t, fd_now())) {
        h_manifest_then(r, &t, h_threads_get); /* then shows the thread again, manifest included */
        goto out;
    }
    if (rc == FD_OK)
        rc = fd_store_posts_page(r->loop->store, id, has_cursor ? after.k[0] : 0, limit, &l);
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        goto out;
    }
    fd_req_in_objective(r, t.objective_id);
    int64_t *anon = fd_xcalloc(l.n + 1, sizeof *anon);
    size_t n_anon = 0;
    if (t.anonymous)
        anon[n_anon++] = t.author.id;
    json_t *posts = json_array();
    for (size_t i = 0; i < l.n; i++) {
        json_array_append_new(posts, fd_post_json(&l.items[i], &r->viewer));
        if (l.items[i].anonymous)
            anon[n_anon++] = l.items[i].author.id;
    }
    json_t *next = json_null();
    if (l.more && l.n > 0) {
        struct fd_cursor c = { 1, { l.items[l.n - 1].id, 0, 0 } };
        json_decref(next);
        next = cursor_json('p', &c);
    }
    int64_t now = fd_now();
    fd_reply_page(r, json_pack("{s:o, s:o, s:o}", "thread", fd_thread_json(&t, &r->viewer, now), "posts", posts,
                               "next_cursor", next),
                  gen, fd_thread_state_changes_at(&t, now), anon, n_anon);
    free(anon);
out:
    fd_post_list_clear(&l);
    fd_thread_clear(&t);
}

/* ---- writing ---- */

struct write_ctx {
    struct fd_new_thread in; /* a reply uses in.post only */
    char duplicate_key[48];  /* the recent-body mark this post holds, "" = none */
    struct fd_problem pb;
    int64_t thread_id, post_id;
    struct fd_thread thread;
    struct fd_post post;
};

static void write_ctx_free(void *p)
{
    struct write_ctx *c = p;
    free(c->in.post.body_html);
    fd_thread_clear(&c->thread);
    fd_post_clear(&c->post);
    free(c);
}

static struct write_ctx *write_ctx_new(struct fd_req *r)
{
    return fd_req_ctx(r, sizeof(struct write_ctx), write_ctx_free);
}

/* Links in a rendered post: every anchor the renderer wrote. */
static int count_links(const char *html)
{
    int n = 0;
    for (const char *p = html; p && (p = strstr(p, "<a href=")); p += 8)
        n++;
    return n;
}

/* The abuse rules every new post passes before it reaches the writer (staff are exempt: the
 * Commission may answer many contributions in a row): posting rates per address and account,
 * a slower rate and fewer links for accounts in their first day, and no second copy of a body
 * the same author posted within the duplicate window. Renders the body first. -1 = answered. */
static int post_rules_or_reply(struct fd_req *r, struct write_ctx *c)
{
    const struct fd_config *cfg = &r->app->cfg;
    struct fd_new_post *p = &c->in.post;
    p->body_html = fd_markdown_render(p->body, strlen(p->body));
    if (r->user.role != FD_ROLE_MEMBER)
        return 0;
    char account[32];
    snprintf(account, sizeof account, "u%lld", (long long)r->user.id);
    bool fresh = fd_now() - r->user.created_at < cfg->new_account_period;
    if (fresh && count_links(p->body_html) > cfg->new_account_links) {
        char msg[160];
        snprintf(msg, sizeof msg, "During their first day, accounts may put at most %d links in a contribution.",
                 cfg->new_account_links);
        fd_reply_error(r, 422, "validation_failed", "body", msg);
        return -1;
    }
    const char *slow = "You are posting faster than the forum allows; please wait a moment.";
    if (fd_req_address_rate_or_reply(r, FD_RL_POST_ADDRESS, cfg->rate_post_address, slow) < 0 ||
        fd_req_rate_or_reply(r, FD_RL_POST_ACCOUNT, account, cfg->rate_post_account, slow) < 0 ||
        (fresh && fd_req_rate_or_reply(r, FD_RL_POST_NEW_ACCOUNT, account, cfg->rate_post_new_account,
                                       "New accounts post more slowly during their first day; please wait.") < 0))
        return -1;
    if (cfg->duplicate_window > 0) {
        unsigned char h[8];
        crypto_generichash(h, sizeof h, (const unsigned char *)p->body, strlen(p->body), NULL, 0);
        int n = snprintf(c->duplicate_key, sizeof c->duplicate_key, "%s:", account);
        sodium_bin2hex(c->duplicate_key + n, sizeof c->duplicate_key - (size_t)n, h, sizeof h);
        if (!fd_rl_mark(r->app->limits, FD_RL_DUPLICATE, c->duplicate_key, (int)cfg->duplicate_window)) {
            c->duplicate_key[0] = '\0';
            fd_reply_error(r, 409, "conflict", "body", "You posted this same text a moment ago.");
            return -1;
        }
    }
    return 0;
}

/* A post the writer refused frees its recent-body mark, so that trying again is not a "duplicate". */
static void post_refused(struct fd_req *r, struct write_ctx *c)
{
    if (c->duplicate_key[0])
        fd_rl_unmark(r->app->limits, FD_RL_DUPLICATE, c->duplicate_key);
}

int h_decode_consultation(json_t *v, void *out, struct fd_json_error *err)
{
    struct fd_consultation_in *c = out;
    const char *closes = NULL, *opens = NULL, *key;
    json_t *val;
    if (!json_is_object(v)) {
        snprintf(err->message, sizeof err->message, "consultation must be an object with closes_at.");
        goto out_fail;
    }
    json_object_foreach(v, key, val) {
        if (strcmp(key, "closes_at") != 0 && strcmp(key, "opens_at") != 0) {
            snprintf(err->message, sizeof err->message, "consultation accepts only opens_at and closes_at.");
            goto out_fail;
        }
    }
    closes = json_string_value(json_object_get(v, "closes_at"));
    val = json_object_get(v, "opens_at");
    opens = (val && !json_is_null(val)) ? json_string_value(val) : NULL;
    if (!closes || fd_time_parse(closes, &c->closes_at) < 0 || (val && !json_is_null(val) && !opens) ||
        (opens && fd_time_parse(opens, &c->opens_at) < 0)) {
        snprintf(err->message, sizeof err->message, "consultation.closes_at (and opens_at) must be RFC 3339 times.");
        goto out_fail;
    }
    c->given = true;
    return 0;
out_fail:
    err->status = 400;
    err->code = "validation_failed";
    return -1;
}

#define POST_FIELDS(T, m)                                                                                   \
    FD_TEXT("body", T, m.body, 1, 50000, FD_REQUIRED | FD_NOT_BLANK),                                       \
    FD_BOOL("anonymous", T, m.anonymous, FD_OPTIONAL), FD_BOOL("official", T, m.official, FD_OPTIONAL),     \
    FD_TEXT_CHECK("language", T, m.language, 2, 35, FD_OPTIONAL, fd_valid_language)

static const struct fd_field thread_fields[] = {
    FD_TEXT("title", struct fd_new_thread, title, 1, 200, FD_REQUIRED | FD_NOT_BLANK),
    FD_ID("key_action_id", struct fd_new_thread, key_action_id, FD_OPTIONAL),
    FD_CUSTOM("consultation", struct fd_new_thread, consultation, FD_OPTIONAL, h_decode_consultation),
    POST_FIELDS(struct fd_new_thread, post),
    FD_FIELDS_END
};

/* A reply decodes into the post member of the same input struct. */
static const struct fd_field post_fields[] = {
    FD_ID("parent_id", struct fd_new_thread, post.parent_id, FD_OPTIONAL),
    POST_FIELDS(struct fd_new_thread, post),
    FD_FIELDS_END
};

void h_pages_changed(struct fd_req *r, const struct fd_thread *t)
{
    fd_gen_bump_thread(r->app->gens, t->id);
    fd_gen_bump_objective(r->app->gens, t->objective_id);
}

static int thread_insert(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct write_ctx *c = r->ctx;
    int rc = fd_forum_thread_create(s, &r->user, &c->in, fd_now(), &c->thread_id, &c->post_id, &c->pb);
    if (rc == FD_OK)
        rc = fd_store_thread_get(s, c->thread_id, &c->thread);
    if (rc == FD_OK)
        rc = fd_store_post_get(s, c->post_id, &c->post);
    return rc;
}

static void thread_inserted(struct fd_req *r, int rc)
{
    struct write_ctx *c = r->ctx;
    if (rc != FD_OK) {
        post_refused(r, c);
        fd_reply_problem(r, rc, &c->pb);
        return;
    }
    h_pages_changed(r, &c->thread);
    h_events_thread_created(r, &c->thread, &c->post);
    fd_req_in_objective(r, c->thread.objective_id);
    fd_reply_json(r, 201, json_pack("{s:o, s:o}", "thread", fd_thread_json(&c->thread, &r->viewer, fd_now()), "post",
                                    fd_post_json(&c->post, &r->viewer)));
}

void h_threads_create(struct fd_req *r)
{
    struct write_ctx *c = write_ctx_new(r);
    struct fd_objective o = { 0 };
    if (h_objective_or_reply(r, &o) < 0 || fd_req_body_or_reply(r, thread_fields, &c->in) < 0) {
        fd_objective_clear(&o);
        return;
    }
    c->in.objective_id = o.id;
    fd_objective_clear(&o);
    if (post_rules_or_reply(r, c) == 0)
        fd_req_write(r, thread_insert, thread_inserted);
}

static int post_insert(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct write_ctx *c = r->ctx;
    int rc = fd_forum_post_create(s, &r->user, &c->in.post, fd_now(), &c->post_id, &c->pb);
    if (rc == FD_OK)
        rc = fd_store_post_get(s, c->post_id, &c->post);
    if (rc == FD_OK)
        rc = fd_store_thread_get(s, c->post.thread_id, &c->thread);
    return rc;
}

static void post_inserted(struct fd_req *r, int rc)
{
    struct write_ctx *c = r->ctx;
    if (rc != FD_OK) {
        post_refused(r, c);
        fd_reply_problem(r, rc, &c->pb);
        return;
    }
    h_pages_changed(r, &c->thread);
    h_events_post(r, "post", &c->thread, &c->post);
    fd_req_in_objective(r, c->thread.objective_id);
    fd_reply_json(r, 201, json_pack("{s:o}", "post", fd_post_json(&c->post, &r->viewer)));
}

void h_posts_create(struct fd_req *r)
{
    struct write_ctx *c = write_ctx_new(r);
    if (fd_req_id_or_reply(r, "id", &c->in.post.thread_id) < 0 || fd_req_body_or_reply(r, post_fields, &c->in) < 0)
        return;
    if (post_rules_or_reply(r, c) == 0)
        fd_req_write(r, post_insert, post_inserted);
}

/* ---- POST /preview: what a post would look like, through the very renderer posts use ---- */

struct preview_in {
    const char *body;
};

static const struct fd_field preview_fields[] = {
    FD_TEXT("body", struct preview_in, body, 1, 50000, FD_REQUIRED),
    FD_FIELDS_END
};

void h_preview(struct fd_req *r)
{
    struct preview_in *in = fd_req_ctx(r, sizeof *in, free);
    if (fd_req_body_or_reply(r, preview_fields, in) < 0)
        return;
    char *html = fd_markdown_render(in->body, strlen(in->body));
    fd_reply_json(r, 200, json_pack("{s:s}", "body_html", html ? html : ""));
    free(html);
}
