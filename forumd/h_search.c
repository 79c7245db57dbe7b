/* Full-text search: parse and check the filters, run the query on a query worker (it may take
 * milliseconds), render the hits back on the loop. */
#include <math.h>
#include "forumd/handlers.h"
#include "forumd/cursor.h"
#include "forumd/escape.h"
#include "forumd/search.h"
#include "forumd/valid.h"

struct search_ctx {
    struct fd_search_query q;
    struct fd_search_expr expr;
    struct fd_search_after after;
    bool has_after;
    int limit;
    int rc;
    struct fd_search_list hits;
};

static void search_ctx_free(void *p)
{
    struct search_ctx *c = p;
    fd_search_expr_clear(&c->expr);
    fd_search_list_clear(&c->hits);
    free(c);
}

static int invalid(struct fd_req *r, const char *field, const char *message)
{
    fd_reply_error(r, 400, "validation_failed", field, message);
    return -1;
}

/* ?name= as a day (YYYY-MM-DD, UTC) or an RFC 3339 time; a day given for "to" includes all of it. */
static int time_param(struct fd_req *r, const char *name, bool end, int64_t *out)
{
    const char *v = fd_req_query(r, name);
    char buf[32];
    if (!v || !*v)
        return 0;
    bool day = strlen(v) == 10;
    if (day)
        snprintf(buf, sizeof buf, "%sT00:00:00Z", v);
    if (fd_time_parse(day ? buf : v, out) < 0)
        return invalid(r, name, "Give a day as YYYY-MM-DD or a time as in 2026-05-01T12:00:00Z.");
    if (day && end)
        *out += 86400;
    else if (end)
        *out += 1; /* "to" a time includes that second */
    return 0;
}

static int objective_param(struct fd_req *r, int64_t *out)
{
    const char *v = fd_req_query(r, "objective");
    if (!v || !*v)
        return 0;
    int64_t id = 0;
    if (fd_parse_id(v, &id) < 0)
        id = 0; /* a slug */
    struct fd_objective o = { 0 };
    int rc = fd_store_objective_get(r->loop->store, id, v, &o);
    *out = o.id;
    fd_objective_clear(&o);
    if (rc == FD_ENOTFOUND)
        return invalid(r, "objective", "objective is not the id or slug of an objective.");
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        return -1;
    }
    return 0;
}

static int text_param(struct fd_req *r, const char *name, bool (*ok)(const char *), const char *message,
                      const char **out)
{
    const char *v = fd_req_query(r, name);
    if (!v || !*v)
        return 0;
    if (!ok(v))
        return invalid(r, name, message);
    *out = v;
    return 0;
}

static int query_param(struct fd_req *r, struct search_ctx *c)
{
    const char *q = fd_req_query(r, "q"), *why = NULL;
    if (!q || !*q)
        return invalid(r, "q", "Type at least one word to search for.");
    if (strlen(q) > FD_SEARCH_MAX_LEN || !fd_valid_utf8(q, strlen(q), false))
        return invalid(r, "q", "The search text must be UTF-8 of at most 256 bytes.");
    if (fd_search_translate(q, &c->expr, &why) < 0)
        return invalid(r, "q", why);
    c->q.match = c->expr.match;
    c->q.terms = (const char *const *)c->expr.terms;
    c->q.n_terms = c->expr.n_terms;
    return 0;
}

static int key_action_param(struct fd_req *r, int64_t *out)
{
    const char *v = fd_req_query(r, "key_action");
    if (v && *v && fd_parse_id(v, out) < 0)
        return invalid(r, "key_action", "key_action must be the id of a key action.");
    return 0;
}

static int cursor_param(struct fd_req *r, struct search_ctx *c)
{
    struct fd_cursor cur;
    if (fd_req_cursor_or_reply(r, 's', 2, &cur, &c->has_after) < 0)
        return -1;
    if (c->has_after) {
        memcpy(&c->after.rank, &cur.k[0], sizeof c->after.rank);
        c->after.id = cur.k[1];
        if (!isfinite(c->after.rank))
            return invalid(r, "cursor", "The cursor is not valid; start again from the first page.");
    }
    return 0;
}

static void run_search(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct search_ctx *c = r->ctx;
    c->rc = fd_store_search(s, &c->q, c->has_after ? &c->after : NULL, c->limit, &c->hits);
}

static json_t *hit_json(const struct fd_search_hit *h, const struct fd_viewer *v)
{
    char *snippet = fd_esc_html_marked_dup(h->snippet ? h->snippet : "");
    json_t *o = json_pack("{s:o, s:I, s:s, s:I, s:s}", "post", fd_post_json(&h->post, v), "thread_id",
                          (json_int_t)h->post.thread_id, "thread_title", h->thread_title ? h->thread_title : "",
                          "objective_id", (json_int_t)h->objective_id, "snippet", snippet);
    free(snippet);
    return o;
}

static void search_done(void *arg)
{
    struct fd_req *r = arg;
    struct search_ctx *c = r->ctx;
    if (c->rc == FD_EINVAL) {
        invalid(r, "q", "This search cannot be run; try other words.");
        return;
    }
    if (c->rc != FD_OK) {
        fd_reply_status(r, c->rc);
        return;
    }
    json_t *results = json_array();
    for (size_t i = 0; i < c->hits.n; i++)
        json_array_append_new(results, hit_json(&c->hits.items[i], &r->viewer));
    json_t *next = json_null();
    if (c->hits.more && c->hits.n > 0) {
        const struct fd_search_hit *last = &c->hits.items[c->hits.n - 1];
        struct fd_cursor cur = { 2, { 0, last->post.id, 0 } };
        memcpy(&cur.k[0], &last->rank, sizeof last->rank);
        char *s = fd_cursor_encode('s', &cur);
        json_decref(next);
        next = json_string(s);
        free(s);
    }
    fd_reply_json(r, 200, json_pack("{s:o, s:o}", "results", results, "next_cursor", next));
}

void h_search(struct fd_req *r)
{
    struct search_ctx *c = fd_req_ctx(r, sizeof *c, search_ctx_free);
    c->q.window = FD_SEARCH_WINDOW;
    if (fd_req_address_rate_or_reply(r, FD_RL_SEARCH_ADDRESS, r->app->cfg.rate_search_address,
                                     "Too many searches from your address; please wait a moment.") < 0 ||
        query_param(r, c) < 0 || objective_param(r, &c->q.objective_id) < 0 ||
        key_action_param(r, &c->q.key_action_id) < 0 ||
        text_param(r, "stakeholder_type", fd_valid_stakeholder_type, "stakeholder_type is not a stakeholder type.",
                   &c->q.stakeholder_type) < 0 ||
        text_param(r, "country", fd_valid_country, "country must be an ISO 3166-1 alpha-2 code such as DE.",
                   &c->q.country) < 0 ||
        time_param(r, "from", false, &c->q.from) < 0 || time_param(r, "to", true, &c->q.until) < 0 ||
        fd_req_limit_or_reply(r, &c->limit) < 0 || cursor_param(r, c) < 0)
        return;
    fd_req_work_or_reply(r, r->app->queries, run_search, search_done);
}
