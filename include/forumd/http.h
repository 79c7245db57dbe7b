/* The HTTP layer: evhttp set-up and limits, struct fd_req, and every way of answering a request.
 * Only this module and the handlers see evhttp. A request may be answered later, from another
 * callback on the same loop thread (after a worker or the writer finished); it stays alive until
 * answered, even if the client went away. */
#ifndef FORUMD_HTTP_H
#define FORUMD_HTTP_H

#include <jansson.h>
#include "forumd/app.h"
#include "forumd/router.h"
#include "forumd/model.h"
#include "forumd/json.h"
#include "forumd/forum.h"
#include "forumd/render.h"
#include "forumd/cache.h"
#include "forumd/ratelimit.h"

struct evhttp_request;
struct evkeyvalq;

enum fd_auth_kind { FD_AUTH_NONE, FD_AUTH_COOKIE, FD_AUTH_BEARER };

struct fd_req {
    struct evhttp_request *ev;
    struct fd_app *app;
    struct fd_server_loop *loop;
    int method;
    char *path;                  /* percent-decoded path */
    struct evkeyvalq *query;     /* parsed query string */
    const struct fd_route *route;
    struct fd_params params;
    char *body;                  /* NUL-terminated copy of the body */
    size_t body_len;
    json_t *json;                /* parsed body, when the handler asked for it */

    enum fd_auth_kind auth;
    struct fd_user user;         /* the signed-in user, if auth != FD_AUTH_NONE */
    struct fd_viewer viewer;
    int64_t session_id;
    char csrf[48];               /* the session's CSRF token, for cookie sessions */

    char id[17];                 /* request id for the log */
    int64_t started_us;
    int status;
    bool answered;

    void (*write_done)(struct fd_req *r, int rc);
    void (*stream_closed)(struct fd_req *r);
    void (*chunk_written)(struct fd_req *r); /* chunked downloads: the output drained */
    bool gone;                   /* chunked downloads: the connection is gone */
    void *ctx;                   /* handler state across asynchronous steps */
    void (*ctx_free)(void *ctx);
};

/* Creates the evhttp servers of every loop with their limits, on the listening socket fd. */
int fd_http_setup(struct fd_app *app, int fd);
/* Binds host:port; returns the socket or -1 with err. *port_out gets the bound port. */
int fd_http_listen(const char *host, int port, int *port_out, char *err, size_t errlen);
/* Starts draining loop: stop accepting, answer what is in flight, then leave the loop. Loop thread. */
void fd_http_drain(struct fd_server_loop *loop);

/* Answers. Each sends exactly once; later calls are ignored. */
/* Sends obj as JSON (steals the reference; NULL becomes a 500). */
void fd_reply_json(struct fd_req *r, int status, json_t *obj);
/* The spec's error body {"error":{"code","message","field"?}}. */
void fd_reply_error(struct fd_req *r, int status, const char *code, const char *field, const char *msg);
/* Maps an enum fd_err to its status and code. */
void fd_reply_status(struct fd_req *r, int rc);
/* Like fd_reply_status, with the field and message of a rule's problem when there is one. */
void fd_reply_problem(struct fd_req *r, int rc, const struct fd_problem *pb);
/* A reply without a body (204, 304). */
void fd_reply_empty(struct fd_req *r, int status);
/* Sends data of content type ctype; data may be NULL for HEAD. */
void fd_reply_bytes(struct fd_req *r, int status, const char *ctype, const void *data, size_t len);
/* Sends the file open on fd (size bytes); takes ownership of fd. */
void fd_reply_file(struct fd_req *r, int status, const char *ctype, int fd, size_t size);
/* Answers from the loop's page cache if the page r asks for is cached, fresh for gen, and the
 * viewer sees the public page (not staff). True if answered (200, or 304 on a matching
 * If-None-Match). */
bool fd_req_cached(struct fd_req *r, struct fd_gen_snap gen);
/* Sends obj (stolen) as a 200 page with an ETag, keeping it in the cache when the viewer sees the
 * public page. anon lists the anonymous authors on the page; valid_until as in fd_cache_put. */
void fd_reply_page(struct fd_req *r, json_t *obj, struct fd_gen_snap gen, int64_t valid_until, const int64_t *anon,
                   size_t n);
/* 429 with Retry-After. */
void fd_reply_busy(struct fd_req *r, int retry_after);

/* True if the request's If-None-Match names etag (or is "*"). */
bool fd_req_etag_matches(struct fd_req *r, const char *etag);
/* Adds a response header. */
void fd_req_header_out(struct fd_req *r, const char *name, const char *value);
/* A request header, or NULL. */
const char *fd_req_header(struct fd_req *r, const char *name);
/* A query parameter, or NULL. */
const char *fd_req_query(struct fd_req *r, const char *name);

/* The _or_reply helpers answer the client themselves on failure and return -1. */
/* The path parameter name as a positive id; 404 if it is not one. */
int fd_req_id_or_reply(struct fd_req *r, const char *name, int64_t *out);
/* Parses the body and decodes fields into out. */
int fd_req_body_or_reply(struct fd_req *r, const struct fd_field *fields, void *out);
/* The same for actions whose body may be left out altogether (nothing to decode, 0). */
int fd_req_optional_body_or_reply(struct fd_req *r, const struct fd_field *fields, void *out);
/* ?limit= (1..100, default 20). */
int fd_req_limit_or_reply(struct fd_req *r, int *limit);
/* ?cursor= of kind with n keys; *has is false when absent. */
int fd_req_cursor_or_reply(struct fd_req *r, char kind, int n, struct fd_cursor *c, bool *has);

/* Gives r a zeroed handler state of size bytes, freed with free_fn (after its own contents) when
 * r is freed; returns it. */
void *fd_req_ctx(struct fd_req *r, size_t size, void (*free_fn)(void *ctx));

/* ---- streams (server-sent events) ---- */

/* Starts a text/event-stream answer. r then stays alive until fd_req_stream_end(), or until the
 * client goes away, when on_close(r) runs (and r is freed after it). */
void fd_req_stream_start(struct fd_req *r, void (*on_close)(struct fd_req *r));
/* Sends bytes on a stream. A client with more than max_backlog bytes still unsent is too slow:
 * it is disconnected (on_close runs) and -1 is returned; r is then gone. */
int fd_req_stream_send(struct fd_req *r, const char *data, size_t len, size_t max_backlog);
/* Ends a stream cleanly and frees r (on_close does not run). */
void fd_req_stream_end(struct fd_req *r);
/* The client's address, as text. */
const char *fd_req_peer(struct fd_req *r);
/* Copies the value of cookie name from the Cookie header into out; false if absent, too long, or
 * given twice. */
bool fd_req_cookie(struct fd_req *r, const char *name, char *out, size_t len);
/* Rate limits: take a token from (kind, key), or answer 429 rate_limited with Retry-After and
 * message, and return -1. The _address_ form keys by the client's address (IPv6 by /64). */
int fd_req_rate_or_reply(struct fd_req *r, enum fd_rl_kind kind, const char *key, struct fd_rate rate,
                          const char *message);
int fd_req_address_rate_or_reply(struct fd_req *r, enum fd_rl_kind kind, struct fd_rate rate, const char *message);
/* Answers 429 with Retry-After wait when wait > 0 (a back-off computed elsewhere); -1 then. */
int fd_req_wait_or_reply(struct fd_req *r, int wait, const char *message);

/* ---- chunked downloads (exports) ---- */

/* Starts a 200 answer of content type ctype whose body follows in chunks; headers added before
 * go with it. r stays alive until fd_req_chunked_end() or fd_req_chunked_abort(), even when the
 * client goes away meanwhile: r->gone then turns true and sending does nothing, so that a worker
 * still holding r can finish first. */
void fd_req_chunked_start(struct fd_req *r, const char *ctype, void (*on_gone)(struct fd_req *r));
/* Sends buf's bytes (at least one; buf is emptied and stays the caller's) as one chunk. When
 * written is not NULL, written(r) runs on the loop once the output has drained; if the client goes
 * away instead, on_gone(r) runs (and must end r unless a worker still holds it). */
struct evbuffer;
void fd_req_chunked_send(struct fd_req *r, struct evbuffer *buf, void (*written)(struct fd_req *r));
/* Bytes handed to the connection and not yet sent (0 once gone). */
size_t fd_req_chunked_backlog(struct fd_req *r);
/* Ends the answer cleanly (the last chunk) and frees r. */
void fd_req_chunked_end(struct fd_req *r);
/* Drops the connection without the last chunk, so that the client sees an incomplete answer
 * (a shutdown, a failed read), and frees r. */
void fd_req_chunked_abort(struct fd_req *r);

/* What r renders belongs to objective_id: gives r's viewer moderator rights there if they have them
 * (a moderator limited to other objectives sees the public view). */
void fd_req_in_objective(struct fd_req *r, int64_t objective_id);

/* Queues job on a worker, done back on r's loop; answers 429 itself if the queue is full (-1). */
int fd_req_work_or_reply(struct fd_req *r, struct fd_work *pool, fd_job_fn *job, fd_task_fn *done);
/* Queues a write; done(r, rc) runs on r's loop after the commit. */
void fd_req_write(struct fd_req *r, fd_txn_fn *txn, void (*done)(struct fd_req *r, int rc));

/* The session cookie header for token (or an expiring one for NULL). */
void fd_req_set_session_cookie(struct fd_req *r, const char *token);

/* Frees r and all it holds; called once it has been answered. */
void fd_req_free(struct fd_req *r);

#endif
