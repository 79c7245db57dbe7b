/* Exports of an objective's or a thread's contributions (CSV or JSON, streamed), the integrity
 * manifests of closed consultations, and the public statistics.
 *
 * DESIGN: an export answers in chunks. The handler checks the caller and sends the headers; then
 * a query worker reads the next FD_EXPORT_BATCH rows (keyset over thread id and post id), the loop
 * renders them (export.c) and sends them as one chunk, and asks for the next batch, until none is
 * left. At most one batch is in flight per export, and the next is only asked for once the client
 * has taken most of what was sent, so an export holds one batch in memory whatever its size. The
 * client going away, or a shutdown, ends it at the next step. A closed consultation's manifest is
 * the SHA-256 of its thread's CSV export: computed on a query worker from the same batches and the
 * same renderer, stored once by the writer, before the thread or its export is first shown. */
#include <event2/buffer.h>
#include <event2/event.h>
#include <sodium.h>
#include "forumd/handlers.h"
#include "forumd/export.h"
#include "forumd/forum.h"
#include "forumd/log.h"
#include "forumd/valid.h"

/* Past this many bytes still unsent, the next batch waits for the client. */
enum { EXPORT_HIGH_WATER = 512 * 1024 };

/* ---- manifests ---- */

struct manifest_ctx {
    struct fd_thread thread;     /* the thread (id, objective) whose manifest is due */
    char hex[65];                /* computed, then as stored */
    int rc;
    void (*then)(struct fd_req *r);
};

bool h_manifest_due(const struct fd_thread *t, int64_t now)
{
    return !t->manifest_sha256 && fd_thread_consultation_state(t, now) == FD_CONSULT_CLOSED;
}

int h_manifest_compute(struct fd_store *s, int64_t thread_id, char hex[65])
{
    crypto_hash_sha256_state h;
    unsigned char digest[crypto_hash_sha256_BYTES];
    struct evbuffer *buf = evbuffer_new();
    struct fd_export_list l = { 0 };
    int64_t after = 0;
    int rc = FD_OK;
    crypto_hash_sha256_init(&h);
    evbuffer_add(buf, fd_export_csv_header, strlen(fd_export_csv_header));
    do {
        rc = fd_store_export_page(s, 0, thread_id, 0, after, FD_EXPORT_BATCH, &l);
        for (size_t i = 0; rc == FD_OK && i < l.n; i++) {
            fd_export_csv_row(&l.items[i], buf);
            after = l.items[i].post_id;
        }
        bool more = l.more;
        fd_export_list_clear(&l);
        size_t len = evbuffer_get_length(buf);
        crypto_hash_sha256_update(&h, evbuffer_pullup(buf, (ev_ssize_t)len), len);
        evbuffer_drain(buf, len);
        if (!more)
            break;
    } while (rc == FD_OK);
    evbuffer_free(buf);
    if (rc != FD_OK)
        return rc;
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(hex, 65, digest, sizeof digest);
    return FD_OK;
}

static void manifest_ctx_free(void *p)
{
    struct manifest_ctx *c = p;
    fd_thread_clear(&c->thread);
    free(c);
}

static void manifest_job(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct manifest_ctx *c = r->ctx;
    c->rc = h_manifest_compute(s, c->thread.id, c->hex);
}

static int manifest_txn(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct manifest_ctx *c = r->ctx;
    char stored[65];
    int rc = fd_store_thread_set_manifest(s, c->thread.id, c->hex, fd_now(), stored);
    if (rc == FD_OK)
        memcpy(c->hex, stored, sizeof stored); /* another request may have stored it first */
    return rc;
}

static void manifest_stored(struct fd_req *r, int rc)
{
    struct manifest_ctx *c = r->ctx;
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        return;
    }
    fd_log_info("event=manifest thread=%lld sha256=%s", (long long)c->thread.id, c->hex);
    h_pages_changed(r, &c->thread);
    c->then(r);
}

static void manifest_computed(void *arg)
{
    struct fd_req *r = arg;
    struct manifest_ctx *c = r->ctx;
    if (c->rc != FD_OK) {
        fd_reply_status(r, c->rc);
        return;
    }
    fd_req_write(r, manifest_txn, manifest_stored);
}

void h_manifest_then(struct fd_req *r, const struct fd_thread *t, void (*then)(struct fd_req *r))
{
    struct manifest_ctx *c = fd_req_ctx(r, sizeof *c, manifest_ctx_free);
    c->thread.id = t->id;
    c->thread.objective_id = t->objective_id;
    c->then = then;
    fd_req_work_or_reply(r, r->app->queries, manifest_job, manifest_computed);
}

/* ---- exports ---- */

struct export_ctx {
    struct manifest_ctx m;       /* first: a manifest computed before a thread's export */
    int64_t objective_id, thread_id;
    bool json;
    bool manifest_done;          /* the manifest question was settled */
    char *manifest;              /* the thread's manifest, NULL = none */
    int64_t after_thread, after_post;
    size_t rows_sent;
    struct fd_export_list rows;
    int rc;
    bool in_flight;              /* a worker (or the retry timer) holds r */
    bool waiting;                /* the next batch waits for the output to drain */
};

static void export_ctx_free(void *p)
{
    struct export_ctx *c = p;
    fd_thread_clear(&c->m.thread);
    fd_export_list_clear(&c->rows);
    free(c->manifest);
    free(c);
}

static void export_next(struct fd_req *r);

static void export_job(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct export_ctx *c = r->ctx;
    c->rc = fd_store_export_page(s, c->objective_id, c->thread_id, c->after_thread, c->after_post, FD_EXPORT_BATCH,
                                 &c->rows);
}

static void export_render(struct export_ctx *c, struct evbuffer *buf)
{
    for (size_t i = 0; i < c->rows.n; i++) {
        const struct fd_export_row *e = &c->rows.items[i];
        if (c->json) {
            json_t *o = fd_export_row_json(e);
            size_t len = 0;
            char *text = fd_json_dump(o, &len);
            json_decref(o);
            if (c->rows_sent > 0)
                evbuffer_add(buf, ",", 1);
            evbuffer_add(buf, text, len);
            free(text);
        } else {
            fd_export_csv_row(e, buf);
        }
        c->rows_sent++;
        c->after_thread = e->thread_id;
        c->after_post = e->post_id;
    }
}

static void export_written(struct fd_req *r)
{
    struct export_ctx *c = r->ctx;
    if (!c->waiting)
        return;
    c->waiting = false;
    export_next(r);
}

static void export_batch_done(void *arg)
{
    struct fd_req *r = arg;
    struct export_ctx *c = r->ctx;
    c->in_flight = false;
    if (r->gone) {
        fd_req_chunked_end(r);
        return;
    }
    if (c->rc != FD_OK || r->loop->draining) {
        /* cut short: the client must not take a partial export for a whole one */
        if (c->rc != FD_OK)
            fd_log_error("event=export_failed id=%s rc=%d", r->id, c->rc);
        fd_req_chunked_abort(r);
        return;
    }
    bool more = c->rows.more;
    struct evbuffer *buf = evbuffer_new();
    export_render(c, buf);
    fd_export_list_clear(&c->rows);
    if (!more) {
        if (c->json)
            evbuffer_add(buf, "]}\n", 3);
        if (evbuffer_get_length(buf))
            fd_req_chunked_send(r, buf, NULL);
        evbuffer_free(buf);
        fd_req_chunked_end(r);
        return;
    }
    fd_req_chunked_send(r, buf, export_written);
    evbuffer_free(buf);
    if (fd_req_chunked_backlog(r) < EXPORT_HIGH_WATER)
        export_next(r);
    else
        c->waiting = true;
}

static void export_retry(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct fd_req *r = arg;
    struct export_ctx *c = r->ctx;
    c->in_flight = false;
    if (r->gone)
        fd_req_chunked_end(r);
    else
        export_next(r);
}

/* Asks a query worker for the next batch; when their queue is full, tries again shortly (the
 * headers are sent, so "busy" can no longer be the answer). */
static void export_next(struct fd_req *r)
{
    struct export_ctx *c = r->ctx;
    if (r->loop->draining) {
        fd_req_chunked_abort(r);
        return;
    }
    c->in_flight = true;
    if (fd_work_submit(r->app->queries, r->loop->done_queue, export_job, export_batch_done, r) == 0)
        return;
    struct timeval tv = { 0, 50 * 1000 };
    if (event_base_once(r->loop->base, -1, EV_TIMEOUT, export_retry, r, &tv) < 0) {
        c->in_flight = false;
        fd_req_chunked_abort(r);
    }
}

static void export_gone(struct fd_req *r)
{
    struct export_ctx *c = r->ctx;
    if (!c->in_flight)
        fd_req_chunked_end(r); /* nothing holds r: end it now (it was waiting for the output) */
}

static void export_start(struct fd_req *r)
{
    struct export_ctx *c = r->ctx;
    char name[96], at[FD_RFC3339_LEN];
    if (c->m.hex[0]) {
        free(c->manifest);
        c->manifest = fd_xstrdup(c->m.hex);
    }
    snprintf(name, sizeof name, "attachment; filename=\"%s-%lld.%s\"", c->thread_id ? "thread" : "objective",
             (long long)(c->thread_id ? c->thread_id : c->objective_id), c->json ? "json" : "csv");
    fd_req_header_out(r, "Content-Disposition", name);
    if (c->manifest)
        fd_req_header_out(r, "X-Manifest-SHA256", c->manifest);
    fd_req_chunked_start(r, c->json ? "application/json; charset=utf-8" : "text/csv; charset=utf-8", export_gone);
    if (r->method == FD_HEAD) {
        fd_req_chunked_end(r);
        return;
    }
    struct evbuffer *buf = evbuffer_new();
    if (c->json) {
        json_t *meta = json_pack("{s:s, s:I, s:s, s:o}", "scope", c->thread_id ? "thread" : "objective", "id",
                                 (json_int_t)(c->thread_id ? c->thread_id : c->objective_id), "generated_at",
                                 fd_time_rfc3339(fd_now(), at), "manifest_sha256",
                                 c->manifest ? json_string(c->manifest) : json_null());
        size_t len = 0;
        char *text = fd_json_dump(meta, &len);
        json_decref(meta);
        evbuffer_add_printf(buf, "{\"export\":%s,\"rows\":[", text ? text : "null");
        free(text);
    } else {
        evbuffer_add(buf, fd_export_csv_header, strlen(fd_export_csv_header));
    }
    fd_req_chunked_send(r, buf, NULL);
    evbuffer_free(buf);
    export_next(r);
}

/* ?format=csv|json; -1 when answered. */
static int format_or_reply(struct fd_req *r, bool *json)
{
    const char *f = fd_req_query(r, "format");
    *json = f && !strcmp(f, "json");
    if (f && !*json && strcmp(f, "csv") != 0) {
        fd_reply_error(r, 400, "validation_failed", "format", "format must be csv or json.");
        return -1;
    }
    return 0;
}

static int moderates_or_reply(struct fd_req *r, int64_t objective_id)
{
    if (fd_mod_moderates(&r->user, objective_id))
        return 0;
    fd_reply_error(r, 403, "forbidden", NULL, "Only moderators of this objective may export it.");
    return -1;
}

void h_export_objective(struct fd_req *r)
{
    struct fd_objective o = { 0 };
    bool json;
    if (h_objective_or_reply(r, &o) < 0 || moderates_or_reply(r, o.id) < 0 || format_or_reply(r, &json) < 0)
        goto out;
    struct export_ctx *c = fd_req_ctx(r, sizeof *c, export_ctx_free);
    c->objective_id = o.id;
    c->json = json;
    export_start(r);
out:
    fd_objective_clear(&o);
}

void h_export_thread(struct fd_req *r)
{
    struct fd_thread t = { 0 };
    int64_t id;
    bool json;
    if (fd_req_id_or_reply(r, "id", &id) < 0)
        goto out;
    int rc = fd_store_thread_get(r->loop->store, id, &t);
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        goto out;
    }
    if (moderates_or_reply(r, t.objective_id) < 0 || format_or_reply(r, &json) < 0)
        goto out;
    struct export_ctx *c = fd_req_ctx(r, sizeof *c, export_ctx_free);
    c->objective_id = t.objective_id;
    c->thread_id = t.id;
    c->json = json;
    c->manifest = t.manifest_sha256 ? fd_xstrdup(t.manifest_sha256) : NULL;
    if (h_manifest_due(&t, fd_now())) {
        c->m.thread.id = t.id;
        c->m.thread.objective_id = t.objective_id;
        c->m.then = export_start;
        fd_req_work_or_reply(r, r->app->queries, manifest_job, manifest_computed);
        goto out;
    }
    export_start(r);
out:
    fd_thread_clear(&t);
}

/* ---- statistics ---- */

struct stats_ctx {
    int64_t objective_id;
    int rc;
    struct fd_stats st;
};

static void stats_ctx_free(void *p)
{
    struct stats_ctx *c = p;
    fd_stats_clear(&c->st);
    free(c);
}

static void stats_job(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct stats_ctx *c = r->ctx;
    c->rc = fd_store_stats(s, c->objective_id, &c->st);
}

static void stats_done(void *arg)
{
    struct fd_req *r = arg;
    struct stats_ctx *c = r->ctx;
    if (c->rc != FD_OK) {
        fd_reply_status(r, c->rc);
        return;
    }
    fd_reply_json(r, 200, fd_stats_json(&c->st, c->objective_id));
}

void h_stats(struct fd_req *r)
{
    struct stats_ctx *c = fd_req_ctx(r, sizeof *c, stats_ctx_free);
    const char *v = fd_req_query(r, "objective");
    if (v && *v) {
        int64_t id = 0;
        if (fd_parse_id(v, &id) < 0)
            id = 0; /* a slug */
        struct fd_objective o = { 0 };
        int rc = fd_store_objective_get(r->loop->store, id, v, &o);
        c->objective_id = o.id;
        fd_objective_clear(&o);
        if (rc == FD_ENOTFOUND) {
            fd_reply_error(r, 400, "validation_failed", "objective", "objective is not the id or slug of an objective.");
            return;
        }
        if (rc != FD_OK) {
            fd_reply_status(r, rc);
            return;
        }
    }
    fd_req_work_or_reply(r, r->app->queries, stats_job, stats_done);
}
