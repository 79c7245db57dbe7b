/* The HTTP layer on libevent's evhttp: server set-up with explicit limits, the request object,
 * central checks from the route flags (authentication, CSRF, suspension, roles), and every way of
 * answering. Handlers see only struct fd_req and the fd_reply_* functions.
 *
 * DESIGN: each event-loop thread runs its own evhttp on a dup of the one listening socket, with its
 * own read connection to the store. A handler either answers at once or hands work to a worker or
 * the writer, which brings the result back to the same loop; loop->inflight counts requests not yet
 * answered so that a shutdown can wait for them. */
#include <errno.h>
#include <sys/queue.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include "forumd/handlers.h"
#include "forumd/auth.h"
#include "forumd/cursor.h"
#include "forumd/events.h"
#include "forumd/guard.h"
#include "forumd/log.h"
#include "forumd/valid.h"

#define SESSION_COOKIE "forumd_session"

static const struct {
    int err;
    int status;
    const char *code;
    const char *message;
} err_map[] = {
    { FD_ENOTFOUND, 404, "not_found", "Not found." },
    { FD_ECONFLICT, 409, "conflict", "This conflicts with existing data." },
    { FD_EINVAL, 400, "validation_failed", "The request is not valid." },
    { FD_EFORBIDDEN, 403, "forbidden", "You may not do this." },
    { FD_ELOCKED, 409, "thread_locked", "This thread is locked." },
    { FD_ECLOSED, 409, "consultation_closed", "This consultation is closed." },
    { FD_ESUSPENDED, 403, "suspended", "Your account is suspended." },
    { FD_EBUSY, 503, "unavailable", "The database is busy; try again in a moment." },
    { FD_EFULL, 507, "insufficient_storage", "The server is out of storage space." },
    { FD_EINTERNAL, 500, "internal", "Something went wrong on the server." },
};

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    case 507: return "Insufficient Storage";
    default: return status >= 500 ? "Internal Server Error" : "Error";
    }
}

/* ---- request lifetime ---- */

void fd_req_free(struct fd_req *r)
{
    if (!r)
        return;
    if (r->ctx_free)
        r->ctx_free(r->ctx);
    if (r->query) {
        evhttp_clear_headers(r->query);
        free(r->query);
    }
    json_decref(r->json);
    fd_params_clear(&r->params);
    fd_user_clear(&r->user);
    free(r->path);
    if (r->body) {
        memset(r->body, 0, r->body_len); /* bodies may hold passwords */
        free(r->body);
    }
    free(r);
}

static void log_request(struct fd_req *r)
{
    if (r->app->cfg.quiet)
        return;
    char m[16];
    fd_router_methods_str(r->method, m, sizeof m);
    char path[256];
    fd_log_info("event=request id=%s method=%s path=\"%s\" status=%d us=%lld user=%lld", r->id, m,
                fd_log_clean(r->path ? r->path : "", path, sizeof path), r->status,
                (long long)(fd_mono_us() - r->started_us), (long long)r->user.id);
}

/* Called once the answer has been handed to evhttp. */
static void req_done(struct fd_req *r)
{
    struct fd_server_loop *loop = r->loop;
    log_request(r);
    fd_req_free(r);
    loop->inflight--;
    if (loop->draining && loop->inflight == 0)
        event_base_loopexit(loop->base, NULL);
}

static void common_headers(struct fd_req *r)
{
    struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
    evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
    evhttp_add_header(h, "Referrer-Policy", "same-origin");
    evhttp_add_header(h, "X-Frame-Options", "DENY");
    evhttp_add_header(h, "Content-Security-Policy",
                      "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
                      "form-action 'self'; frame-ancestors 'none'");
    /* API answers may be personal: no shared caches, and none at all unless a handler allowed it */
    if (!strncmp(r->path ? r->path : "", "/api/", 5) && !evhttp_find_header(h, "Cache-Control"))
        evhttp_add_header(h, "Cache-Control", "no-store");
}

static void send_buffer(struct fd_req *r, int status, struct evbuffer *buf)
{
    if (r->answered) {
        evbuffer_free(buf);
        return;
    }
    r->answered = true;
    r->status = status;
    common_headers(r);
    if (r->method == FD_HEAD) {
        /* HEAD: the length of the body a GET would have had, without the body */
        char len[32];
        snprintf(len, sizeof len, "%zu", evbuffer_get_length(buf));
        evhttp_remove_header(evhttp_request_get_output_headers(r->ev), "Content-Length");
        evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Content-Length", len);
        evbuffer_drain(buf, evbuffer_get_length(buf));
    }
    evhttp_send_reply(r->ev, status, reason(status), buf);
    evbuffer_free(buf);
    req_done(r);
}

void *fd_req_ctx(struct fd_req *r, size_t size, void (*free_fn)(void *ctx))
{
    r->ctx = fd_xcalloc(1, size);
    r->ctx_free = free_fn;
    return r->ctx;
}

/* ---- streams ---- */

static void stream_closed(struct evhttp_connection *evcon, void *arg)
{
    (void)evcon;
    struct fd_req *r = arg;
    if (r->stream_closed)
        r->stream_closed(r);
    /* When the client went away, evhttp detached the unfinished request from the connection and
     * leaves it to us (ending a detached request frees it); when we dropped the connection, the
     * request is still attached and goes with it. */
    if (!evhttp_request_get_connection(r->ev))
        evhttp_send_reply_end(r->ev);
    r->ev = NULL;
    req_done(r);
}

/* Starts a 200 answer of unknown length (chunked), told of the client going away by closed. */
static void start_chunked(struct fd_req *r, const char *ctype, void (*on_close)(struct fd_req *r),
                          void (*closed)(struct evhttp_connection *, void *))
{
    r->answered = true;
    r->status = 200;
    r->stream_closed = on_close;
    fd_req_header_out(r, "Content-Type", ctype);
    common_headers(r);
    evhttp_send_reply_start(r->ev, 200, "OK");
    struct evhttp_connection *evcon = evhttp_request_get_connection(r->ev);
    fd_guard_set_closecb(r->app->guard, evcon, closed, r);
    /* The client says nothing after its request: no read timeout; a write that cannot go out for a
     * minute means the client stopped reading. */
    struct timeval stalled = { 60, 0 };
    bufferevent_set_timeouts(evhttp_connection_get_bufferevent(evcon), NULL, &stalled);
}

void fd_req_stream_start(struct fd_req *r, void (*on_close)(struct fd_req *r))
{
    fd_req_header_out(r, "Cache-Control", "no-store");
    fd_req_header_out(r, "X-Accel-Buffering", "no"); /* proxies must pass events on at once */
    start_chunked(r, "text/event-stream; charset=utf-8", on_close, stream_closed);
}

int fd_req_stream_send(struct fd_req *r, const char *data, size_t len, size_t max_backlog)
{
    struct evhttp_connection *evcon = evhttp_request_get_connection(r->ev);
    struct bufferevent *bev = evhttp_connection_get_bufferevent(evcon);
    if (evbuffer_get_length(bufferevent_get_output(bev)) > max_backlog) {
        evhttp_connection_free(evcon); /* runs stream_closed, which frees r */
        return -1;
    }
    struct evbuffer *buf = evbuffer_new();
    evbuffer_add(buf, data, len);
    evhttp_send_reply_chunk(r->ev, buf);
    evbuffer_free(buf);
    return 0;
}

void fd_req_stream_end(struct fd_req *r)
{
    fd_guard_set_closecb(r->app->guard, evhttp_request_get_connection(r->ev), NULL, NULL);
    evhttp_send_reply_end(r->ev);
    req_done(r);
}

const char *fd_req_peer(struct fd_req *r)
{
    const char *addr = "";
    ev_uint16_t port;
    evhttp_connection_get_peer(evhttp_request_get_connection(r->ev), (char **)&addr, &port);
    return addr ? addr : "";
}

/* ---- chunked downloads ---- */

static void chunked_closed(struct evhttp_connection *evcon, void *arg)
{
    (void)evcon;
    struct fd_req *r = arg;
    /* as in stream_closed: a request evhttp detached is ours to free, an attached one goes with
     * the connection; either way r lives on until its handler ends it */
    if (!evhttp_request_get_connection(r->ev))
        evhttp_send_reply_end(r->ev);
    r->ev = NULL;
    r->gone = true;
    r->chunk_written = NULL;
    if (r->stream_closed)
        r->stream_closed(r);
}

void fd_req_chunked_start(struct fd_req *r, const char *ctype, void (*on_gone)(struct fd_req *r))
{
    start_chunked(r, ctype, on_gone, chunked_closed);
}

static void chunk_drained(struct evhttp_connection *evcon, void *arg)
{
    (void)evcon;
    struct fd_req *r = arg;
    void (*fn)(struct fd_req *r) = r->chunk_written;
    r->chunk_written = NULL;
    if (fn && !r->gone)
        fn(r);
}

void fd_req_chunked_send(struct fd_req *r, struct evbuffer *buf, void (*written)(struct fd_req *r))
{
    if (r->gone) {
        evbuffer_drain(buf, evbuffer_get_length(buf));
        return;
    }
    r->chunk_written = written;
    evhttp_send_reply_chunk_with_cb(r->ev, buf, chunk_drained, r);
}

size_t fd_req_chunked_backlog(struct fd_req *r)
{
    if (r->gone)
        return 0;
    struct evhttp_connection *evcon = evhttp_request_get_connection(r->ev);
    return evbuffer_get_length(bufferevent_get_output(evhttp_connection_get_bufferevent(evcon)));
}

void fd_req_chunked_end(struct fd_req *r)
{
    if (!r->gone) {
        fd_guard_set_closecb(r->app->guard, evhttp_request_get_connection(r->ev), NULL, NULL);
        evhttp_send_reply_end(r->ev);
    }
    r->ev = NULL;
    req_done(r);
}

void fd_req_chunked_abort(struct fd_req *r)
{
    if (!r->gone) {
        struct evhttp_connection *evcon = evhttp_request_get_connection(r->ev);
        fd_guard_set_closecb(r->app->guard, evcon, NULL, NULL);
        r->status = 499; /* logged: the answer was cut short */
        evhttp_connection_free(evcon); /* the request is attached and goes with it */
    }
    r->ev = NULL;
    req_done(r);
}

void fd_req_header_out(struct fd_req *r, const char *name, const char *value)
{
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), name, value);
}

const char *fd_req_header(struct fd_req *r, const char *name)
{
    return evhttp_find_header(evhttp_request_get_input_headers(r->ev), name);
}

const char *fd_req_query(struct fd_req *r, const char *name)
{
    return r->query ? evhttp_find_header(r->query, name) : NULL;
}

/* ---- answers ---- */

void fd_reply_bytes(struct fd_req *r, int status, const char *ctype, const void *data, size_t len)
{
    struct evbuffer *buf = evbuffer_new();
    if (data && len)
        evbuffer_add(buf, data, len);
    if (ctype)
        fd_req_header_out(r, "Content-Type", ctype);
    send_buffer(r, status, buf);
}

/* Serializes obj (stolen); NULL (already answered with a 500) if there is nothing to send. */
static char *dump_or_reply(struct fd_req *r, json_t *obj, size_t *len)
{
    char *text = fd_json_dump(obj, len);
    json_decref(obj);
    if (!text) {
        fd_log_error("event=render_failed id=%s", r->id);
        fd_reply_error(r, 500, "internal", NULL, "Something went wrong on the server.");
    }
    return text;
}

void fd_reply_json(struct fd_req *r, int status, json_t *obj)
{
    size_t len = 0;
    char *text = dump_or_reply(r, obj, &len);
    if (text)
        fd_reply_bytes(r, status, "application/json; charset=utf-8", text, len);
    free(text);
}

void fd_reply_error(struct fd_req *r, int status, const char *code, const char *field, const char *msg)
{
    json_t *err = json_pack("{s:s, s:s}", "code", code, "message", msg);
    if (field)
        json_object_set_new(err, "field", json_string(field));
    if (!err) {
        fd_reply_bytes(r, 500, "application/json; charset=utf-8",
                       "{\"error\":{\"code\":\"internal\",\"message\":\"internal error\"}}", 56);
        return;
    }
    fd_reply_json(r, status, json_pack("{s:o}", "error", err));
}

void fd_reply_problem(struct fd_req *r, int rc, const struct fd_problem *pb)
{
    for (size_t i = 0; i < FD_ARRAY_LEN(err_map); i++) {
        if (err_map[i].err != rc)
            continue;
        if (rc == FD_EBUSY)
            fd_req_header_out(r, "Retry-After", "1");
        fd_reply_error(r, err_map[i].status, err_map[i].code, pb ? pb->field : NULL,
                       pb && pb->message ? pb->message : err_map[i].message);
        return;
    }
    fd_reply_error(r, 500, "internal", NULL, "Something went wrong on the server.");
}

void fd_reply_status(struct fd_req *r, int rc)
{
    fd_reply_problem(r, rc, NULL);
}

void fd_reply_empty(struct fd_req *r, int status)
{
    send_buffer(r, status, evbuffer_new());
}

void fd_reply_file(struct fd_req *r, int status, const char *ctype, int fd, size_t size)
{
    /* The file joins the buffer by reference (sent with sendfile); for HEAD send_buffer takes its
     * length and drops it unread. */
    struct evbuffer *buf = evbuffer_new();
    if (size == 0) {
        close(fd);
    } else if (evbuffer_add_file(buf, fd, 0, (ev_off_t)size) != 0) {
        evbuffer_free(buf);
        fd_reply_error(r, 500, "internal", NULL, "Cannot read the file.");
        return;
    }
    fd_req_header_out(r, "Content-Type", ctype);
    send_buffer(r, status, buf);
}

/* ---- cached pages ---- */

static const char *page_key(struct fd_req *r)
{
    return evhttp_request_get_uri(r->ev);
}

static void send_page(struct fd_req *r, const char *body, size_t len, const char *etag)
{
    fd_req_header_out(r, "ETag", etag);
    fd_req_header_out(r, "Cache-Control", "private, no-cache");
    if (fd_req_etag_matches(r, etag))
        fd_reply_empty(r, 304);
    else
        fd_reply_bytes(r, 200, "application/json; charset=utf-8", body, len);
}

bool fd_req_etag_matches(struct fd_req *r, const char *etag)
{
    const char *inm = fd_req_header(r, "If-None-Match");
    if (!inm)
        return false;
    size_t elen = strlen(etag);
    /* a list of entity tags, each possibly weak (W/"..."), or "*" */
    for (const char *p = inm; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '*')
            return true;
        if (!strncmp(p, "W/", 2))
            p += 2;
        if (!strncmp(p, etag, elen) && (p[elen] == '\0' || p[elen] == ',' || p[elen] == ' '))
            return true;
        const char *comma = strchr(p, ',');
        if (!comma)
            break;
        p = comma;
    }
    return false;
}

/* True if r's viewer sees the public rendering of a page whose anonymous authors are anon: not
 * staff, and not one of those authors (who see their own name). */
static bool sees_public_page(const struct fd_req *r, const int64_t *anon, size_t n)
{
    /* by role, not by staff: whether a moderator's rights reach a page is only known after it is read */
    if (r->viewer.id != 0 && r->viewer.role != FD_ROLE_MEMBER)
        return false;
    for (size_t i = 0; i < n; i++)
        if (r->viewer.id != 0 && anon[i] == r->viewer.id)
            return false;
    return true;
}

bool fd_req_cached(struct fd_req *r, struct fd_gen_snap gen)
{
    struct fd_cached_page p;
    if (!fd_cache_get(r->loop->cache, page_key(r), gen, fd_now(), &p) || !sees_public_page(r, p.anon, p.n_anon))
        return false;
    send_page(r, p.body, p.len, p.etag);
    return true;
}

void fd_reply_page(struct fd_req *r, json_t *obj, struct fd_gen_snap gen, int64_t valid_until, const int64_t *anon,
                   size_t n)
{
    size_t len = 0;
    char *text = dump_or_reply(r, obj, &len);
    if (!text)
        return;
    bool personal = !sees_public_page(r, anon, n);
    if (!personal)
        fd_cache_put(r->loop->cache, page_key(r), gen, valid_until, anon, n, text, len);
    char etag[FD_ETAG_LEN];
    fd_etag_for(page_key(r), gen, valid_until, personal ? r->viewer.id : 0, etag);
    send_page(r, text, len, etag);
    free(text);
}


/* 429 with Retry-After in whole seconds, and words that say what to wait for. */
static void reply_limited(struct fd_req *r, int wait, const char *message)
{
    char v[16];
    snprintf(v, sizeof v, "%d", wait);
    fd_req_header_out(r, "Retry-After", v);
    fd_reply_error(r, 429, "rate_limited", NULL, message);
}

void fd_reply_busy(struct fd_req *r, int retry_after)
{
    reply_limited(r, retry_after, "The server is busy; try again in a moment.");
}

int fd_req_rate_or_reply(struct fd_req *r, enum fd_rl_kind kind, const char *key, struct fd_rate rate,
                          const char *message)
{
    int wait = fd_rl_take(r->app->limits, kind, key, rate);
    if (wait > 0)
        reply_limited(r, wait, message);
    return wait > 0 ? -1 : 0;
}

int fd_req_address_rate_or_reply(struct fd_req *r, enum fd_rl_kind kind, struct fd_rate rate, const char *message)
{
    char key[80];
    fd_rl_address_key(fd_req_peer(r), key, sizeof key);
    return fd_req_rate_or_reply(r, kind, key, rate, message);
}

int fd_req_wait_or_reply(struct fd_req *r, int wait, const char *message)
{
    if (wait > 0)
        reply_limited(r, wait, message);
    return wait > 0 ? -1 : 0;
}

void fd_req_in_objective(struct fd_req *r, int64_t objective_id)
{
    r->viewer.staff = r->viewer.id != 0 && fd_mod_moderates(&r->user, objective_id);
}

/* ---- request parameters ---- */

int fd_req_id_or_reply(struct fd_req *r, const char *name, int64_t *out)
{
    if (fd_parse_id(fd_params_get(&r->params, name), out) < 0) {
        fd_reply_error(r, 404, "not_found", NULL, "Not found.");
        return -1;
    }
    return 0;
}

int fd_req_optional_body_or_reply(struct fd_req *r, const struct fd_field *fields, void *out)
{
    return r->body_len == 0 ? 0 : fd_req_body_or_reply(r, fields, out);
}

int fd_req_body_or_reply(struct fd_req *r, const struct fd_field *fields, void *out)
{
    struct fd_json_error err = { 0 };
    if (!r->json && fd_json_parse(r->body ? r->body : "", r->body_len, &r->json, &err) < 0) {
        fd_reply_error(r, err.status, err.code, err.field, err.message);
        return -1;
    }
    if (fd_json_decode(r->json, fields, out, &err) < 0) {
        fd_reply_error(r, err.status, err.code, err.field, err.message);
        return -1;
    }
    return 0;
}

int fd_req_limit_or_reply(struct fd_req *r, int *limit)
{
    const char *v = fd_req_query(r, "limit");
    int64_t n = 20;
    if (v && (fd_parse_id(v, &n) < 0 || n > 100)) {
        fd_reply_error(r, 400, "validation_failed", "limit", "limit must be an integer from 1 to 100.");
        return -1;
    }
    *limit = (int)n;
    return 0;
}

int fd_req_cursor_or_reply(struct fd_req *r, char kind, int n, struct fd_cursor *c, bool *has)
{
    const char *v = fd_req_query(r, "cursor");
    *has = v && *v;
    if (*has && fd_cursor_decode(v, kind, n, c) < 0) {
        fd_reply_error(r, 400, "bad_request", "cursor", "The cursor is not valid; start again from the first page.");
        return -1;
    }
    return 0;
}

/* ---- asynchronous steps ---- */

int fd_req_work_or_reply(struct fd_req *r, struct fd_work *pool, fd_job_fn *job, fd_task_fn *done)
{
    if (fd_work_submit(pool, r->loop->done_queue, job, done, r) < 0) {
        fd_reply_busy(r, 1);
        return -1;
    }
    return 0;
}

static void write_done(void *arg, int rc)
{
    struct fd_req *r = arg;
    r->write_done(r, rc);
}

void fd_req_write(struct fd_req *r, fd_txn_fn *txn, void (*done)(struct fd_req *r, int rc))
{
    r->write_done = done;
    fd_writer_submit(r->app->writer, r->loop->done_queue, txn, write_done, r);
}

void fd_req_set_session_cookie(struct fd_req *r, const char *token)
{
    char cookie[200];
    const char *secure = r->app->cfg.secure_cookies ? "; Secure" : "";
    if (token)
        snprintf(cookie, sizeof cookie, SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s", token,
                 (long long)r->app->cfg.session_max, secure);
    else
        snprintf(cookie, sizeof cookie, SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s", secure);
    fd_req_header_out(r, "Set-Cookie", cookie);
}

/* ---- authentication ---- */

bool fd_req_cookie(struct fd_req *r, const char *name, char *out, size_t len)
{
    const char *h = fd_req_header(r, "Cookie");
    const size_t nlen = strlen(name);
    bool found = false;
    for (const char *p = h; p && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchrnul(p, ';');
        if ((size_t)(end - p) > nlen && !strncmp(p, name, nlen) && p[nlen] == '=') {
            size_t vlen = (size_t)(end - p) - nlen - 1;
            if (found || vlen >= len)
                return false; /* two of them: which one the browser meant is anyone's guess */
            memcpy(out, p + nlen + 1, vlen);
            out[vlen] = '\0';
            found = true;
        }
        p = end;
    }
    return found;
}

static int touch_session(struct fd_store *s, void *arg)
{
    int64_t *v = arg;
    return fd_store_session_touch(s, v[0], v[1]);
}

static int touch_token(struct fd_store *s, void *arg)
{
    int64_t *v = arg;
    return fd_store_token_touch(s, v[0], v[1]);
}

/* Records activity at a coarse grain (a minute), so that reads do not each cost a write. */
static void touch_later(struct fd_req *r, fd_txn_fn *fn, int64_t id, int64_t last, int64_t grain)
{
    int64_t now = fd_now_steady();
    if (now - last < grain)
        return;
    int64_t *v = fd_xmalloc(2 * sizeof *v);
    v[0] = id;
    v[1] = now;
    fd_writer_submit(r->app->writer, NULL, fn, NULL, v);
}

static int delete_session(struct fd_store *s, void *arg)
{
    return fd_store_session_delete(s, *(int64_t *)arg);
}

static void authenticate_cookie(struct fd_req *r)
{
    char token[FD_TOKEN_STR_LEN + 1];
    uint8_t hash[FD_TOKEN_HASH_LEN];
    int64_t created = 0, seen = 0, now = fd_now_steady();
    if (!fd_req_cookie(r, SESSION_COOKIE, token, sizeof token) || fd_auth_token_hash(token, hash) < 0)
        return;
    if (fd_store_session_find(r->loop->store, hash, &r->session_id, &created, &seen, &r->user) != FD_OK) {
        fd_user_clear(&r->user);
        return;
    }
    const struct fd_config *cfg = &r->app->cfg;
    if (now - seen > cfg->session_idle || now - created > cfg->session_max) {
        int64_t *id = fd_xmalloc(sizeof *id);
        *id = r->session_id;
        fd_writer_submit(r->app->writer, NULL, delete_session, NULL, id);
        fd_user_clear(&r->user);
        r->session_id = 0;
        return;
    }
    touch_later(r, touch_session, r->session_id, seen, cfg->session_idle / 2 < 60 ? cfg->session_idle / 2 : 60);
    r->auth = FD_AUTH_COOKIE;
    fd_auth_csrf_token(token, r->csrf);
}

/* Returns -1 (and has answered 401) when an Authorization header is present but not valid. */
static int authenticate_bearer(struct fd_req *r, const char *h)
{
    uint8_t hash[FD_TOKEN_HASH_LEN];
    int64_t token_id = 0, last_used = 0;
    if (strncasecmp(h, "Bearer ", 7) != 0 || fd_auth_token_hash(h + 7, hash) < 0 ||
        fd_store_token_find(r->loop->store, hash, &token_id, &last_used, &r->user) != FD_OK) {
        fd_user_clear(&r->user);
        fd_reply_error(r, 401, "unauthorized", NULL, "The API token is not valid.");
        return -1;
    }
    touch_later(r, touch_token, token_id, last_used, 60);
    r->auth = FD_AUTH_BEARER;
    return 0;
}

/* Applies the route's flags: who is asking, CSRF, suspension, role. -1 when already answered. */
/* Whether the Origin header names this site: the public URL's origin when one is configured,
 * else the scheme-less origin must equal the Host header. */
static bool origin_is_ours(struct fd_req *r, const char *origin)
{
    const char *pub = r->app->cfg.public_url;
    if (pub && *pub) {
        size_t n = strlen(pub);
        while (n > 0 && pub[n - 1] == '/')
            n--;
        if (strlen(origin) == n && !strncasecmp(origin, pub, n))
            return true;
    }
    const char *host = fd_req_header(r, "Host");
    const char *rest = !strncasecmp(origin, "http://", 7) ? origin + 7 : !strncasecmp(origin, "https://", 8) ? origin + 8 : NULL;
    return host && rest && *rest && !strcasecmp(rest, host);
}

/* A second line behind the CSRF token, for writes a browser could be tricked into sending: a
 * browser says where a request comes from (Sec-Fetch-Site, Origin), and a write from another site
 * is refused whatever else it carries. Clients that send neither (scripts) are not browsers. */
static int same_site_or_reply(struct fd_req *r)
{
    int m = r->method;
    if (m == FD_GET || m == FD_HEAD || m == FD_OPTIONS || r->auth == FD_AUTH_BEARER)
        return 0;
    const char *site = fd_req_header(r, "Sec-Fetch-Site");
    const char *origin = fd_req_header(r, "Origin");
    bool foreign = (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0) ||
                   (origin && !origin_is_ours(r, origin));
    if (foreign)
        fd_reply_error(r, 403, "csrf_failed", NULL, "This request came from another site.");
    return foreign ? -1 : 0;
}

static int check_route(struct fd_req *r)
{
    int flags = r->route->flags;
    const char *authz = fd_req_header(r, "Authorization");
    if (authz) {
        if (authenticate_bearer(r, authz) < 0)
            return -1;
    } else {
        authenticate_cookie(r);
    }
    if (r->auth != FD_AUTH_NONE) {
        r->viewer = fd_mod_viewer(&r->user);
    }
    if (same_site_or_reply(r) < 0)
        return -1;
    if ((flags & (FD_R_AUTH | FD_R_WRITE | FD_R_MODERATOR | FD_R_ADMIN)) && r->auth == FD_AUTH_NONE) {
        fd_reply_error(r, 401, "unauthorized", NULL, "Please sign in first.");
        return -1;
    }
    if ((flags & (FD_R_WRITE | FD_R_CSRF_ONLY)) && r->auth == FD_AUTH_COOKIE) {
        const char *sent = fd_req_header(r, "X-CSRF-Token");
        if (!sent || !fd_auth_str_equal(sent, r->csrf)) {
            fd_reply_error(r, 403, "csrf_failed", NULL, "The X-CSRF-Token header is missing or wrong.");
            return -1;
        }
    }
    if ((flags & FD_R_WRITE) && fd_forum_is_suspended(&r->user, fd_now())) {
        fd_reply_error(r, 403, "suspended", NULL, "Your account is suspended.");
        return -1;
    }
    if ((flags & FD_R_ADMIN) && r->user.role != FD_ROLE_ADMIN) {
        fd_reply_error(r, 403, "forbidden", NULL, "Only administrators may do this.");
        return -1;
    }
    if ((flags & FD_R_MODERATOR) && !fd_forum_is_staff(&r->user)) {
        fd_reply_error(r, 403, "forbidden", NULL, "Only moderators and administrators may do this.");
        return -1;
    }
    return 0;
}

/* ---- dispatch ---- */

static int method_of(struct evhttp_request *ev)
{
    switch (evhttp_request_get_command(ev)) {
    case EVHTTP_REQ_GET: return FD_GET;
    case EVHTTP_REQ_HEAD: return FD_HEAD;
    case EVHTTP_REQ_POST: return FD_POST;
    case EVHTTP_REQ_PUT: return FD_PUT;
    case EVHTTP_REQ_PATCH: return FD_PATCH;
    case EVHTTP_REQ_DELETE: return FD_DELETE;
    case EVHTTP_REQ_OPTIONS: return FD_OPTIONS;
    default: return 0;
    }
}

/* Fills path, query and body; answers and returns -1 on bad input. */
static int parse_request(struct fd_req *r)
{
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(r->ev);
    const char *raw = uri ? evhttp_uri_get_path(uri) : NULL;
    size_t len = 0;
    char *path = raw ? evhttp_uridecode(raw, 0, &len) : NULL;
    if (!path || len != strlen(path) || path[0] != '/' || !fd_valid_utf8(path, len, false)) {
        free(path);
        r->path = fd_xstrdup("?");
        fd_reply_error(r, 400, "bad_request", NULL, "The request path is not valid.");
        return -1;
    }
    r->path = path;
    const char *q = evhttp_uri_get_query(uri);
    if (q && strcasestr(q, "%00")) {
        fd_reply_error(r, 400, "bad_request", NULL, "The query string must not contain NUL characters.");
        return -1;
    }
    if (q) {
        r->query = fd_xcalloc(1, sizeof *r->query);
        TAILQ_INIT(r->query);
        if (evhttp_parse_query_str(q, r->query) < 0) {
            fd_reply_error(r, 400, "bad_request", NULL, "The query string is not valid.");
            return -1;
        }
    }
    struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
    size_t blen = evbuffer_get_length(in);
    if (blen > r->app->cfg.max_body) {
        fd_reply_error(r, 413, "payload_too_large", NULL, "The request body is too large.");
        return -1;
    }
    r->body = fd_xmalloc(blen + 1);
    evbuffer_remove(in, r->body, blen);
    r->body[blen] = '\0';
    r->body_len = blen;
    return 0;
}

static void route_request(struct fd_req *r)
{
    int allowed = 0;
    char allow[96];
    enum fd_match m = fd_router_match(fd_routes, fd_routes_count, r->method, r->path, &r->route, &r->params, &allowed);
    bool api = !strncmp(r->path, "/api/", 5) || !strcmp(r->path, "/api");
    if (m == FD_MATCH_OK) {
        if (check_route(r) == 0)
            r->route->handler(r);
        return;
    }
    if (m == FD_MATCH_NO_PATH && !api && (r->method == FD_GET || r->method == FD_HEAD)) {
        h_static(r);
        return;
    }
    if (m == FD_MATCH_NO_PATH && !api)
        allowed = FD_GET | FD_HEAD;
    if (r->method == FD_OPTIONS && allowed) {
        fd_router_methods_str(allowed | FD_OPTIONS, allow, sizeof allow);
        fd_req_header_out(r, "Allow", allow);
        fd_reply_empty(r, 204);
    } else if (allowed) {
        fd_router_methods_str(allowed, allow, sizeof allow);
        fd_req_header_out(r, "Allow", allow);
        fd_reply_error(r, 405, "method_not_allowed", NULL, "This method is not allowed here.");
    } else {
        fd_reply_error(r, 404, "not_found", NULL, "There is nothing at this address.");
    }
}

static void dispatch(struct evhttp_request *ev, void *arg)
{
    struct fd_server_loop *loop = arg;
    struct fd_req *r = fd_xcalloc(1, sizeof *r);
    r->ev = ev;
    r->app = loop->app;
    r->loop = loop;
    r->started_us = fd_mono_us();
    r->method = method_of(ev);
    snprintf(r->id, sizeof r->id, "%x-%llx", loop->index, (unsigned long long)++loop->next_request_id);
    loop->inflight++;
    struct fd_guard_verdict refusal;
    if (fd_guard_request(r->app->guard, ev, &refusal) < 0) {
        /* framing or a head that another parser could read otherwise: what follows it on the
         * connection is not trusted either */
        r->path = fd_xstrdup("?");
        fd_req_header_out(r, "Connection", "close");
        fd_reply_error(r, refusal.status, refusal.code, NULL, refusal.message);
        return;
    }
    if (!r->method) {
        r->path = fd_xstrdup("?");
        fd_reply_error(r, 405, "method_not_allowed", NULL, "This method is not allowed.");
        return;
    }
    if (loop->draining) {
        /* A request that arrives on a kept-alive connection after SIGTERM: the writer and the
         * workers may be gone already, so it gets an answer, not a handler. */
        r->path = fd_xstrdup("?");
        fd_req_header_out(r, "Connection", "close");
        fd_req_header_out(r, "Retry-After", "1");
        fd_reply_error(r, 503, "unavailable", NULL, "The server is shutting down; try again in a moment.");
        return;
    }
    if (parse_request(r) < 0)
        return;
    route_request(r);
}

/* ---- server set-up ---- */

int fd_http_listen(const char *host, int port, int *port_out, char *err, size_t errlen)
{
    struct addrinfo hints = { 0 }, *res = NULL;
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%d", port);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int gai = getaddrinfo(host, portstr, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "cannot resolve listen address %s: %s", host, gai_strerror(gai));
        return -1;
    }
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 1024) < 0) {
        snprintf(err, errlen, "cannot listen on %s:%d: %s", host, port, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(res);
        return -1;
    }
    freeaddrinfo(res);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    *port_out = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                               : ((struct sockaddr_in *)&ss)->sin_port);
    return fd;
}

int fd_http_setup(struct fd_app *app, int fd)
{
    app->guard = fd_guard_new(&app->cfg, app->n_loops);
    for (int i = 0; i < app->n_loops; i++) {
        struct fd_server_loop *loop = &app->loops[i];
        struct evhttp *http = evhttp_new(loop->base);
        if (!http)
            return -1;
        evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
                                             EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS);
        evhttp_set_max_headers_size(http, FD_GUARD_MAX_HEAD);
        /* Well above our own limit, so that clients get our JSON 413 rather than evhttp's page. */
        evhttp_set_max_body_size(http, (ev_ssize_t)(app->cfg.max_body * 4));
        evhttp_set_timeout(http, app->cfg.http_timeout);
        evhttp_set_default_content_type(http, "application/json; charset=utf-8");
        evhttp_set_gencb(http, dispatch, loop);
        fd_guard_attach(app->guard, i, loop->base, http); /* connection caps, receive deadline */
        int dfd = dup(fd);
        if (dfd < 0 || evutil_make_socket_nonblocking(dfd) < 0)
            return -1;
        loop->bound = evhttp_accept_socket_with_handle(http, dfd);
        if (!loop->bound) {
            close(dfd);
            evhttp_free(http);
            return -1;
        }
        loop->http = http;
    }
    return 0;
}

static void drain_deadline(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct fd_server_loop *loop = arg;
    fd_log_warn("event=shutdown.deadline loop=%d unanswered=%d", loop->index, loop->inflight);
    event_base_loopexit(loop->base, NULL);
}

void fd_http_drain(struct fd_server_loop *loop)
{
    if (loop->draining)
        return;
    loop->draining = true;
    if (loop->bound) {
        evhttp_del_accept_socket(loop->http, loop->bound);
        loop->bound = NULL;
    }
    fd_events_loop_close(loop->events); /* event streams never end by themselves */
    if (loop->inflight == 0) {
        event_base_loopexit(loop->base, NULL);
        return;
    }
    struct timeval tv = { 10, 0 };
    loop->drain_timer = evtimer_new(loop->base, drain_deadline, loop);
    evtimer_add(loop->drain_timer, &tv);
}
