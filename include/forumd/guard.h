/* Guards for the HTTP surface that libevent's evhttp 2.1.12 does not have: caps on open
 * connections (in all and per client address), a deadline for receiving a request (slowloris),
 * a bound on the requests one connection may make, and a check of every parsed request's head
 * (framing that two parsers could read differently, header names and values, sizes) before
 * anything else looks at it.
 *
 * One struct fd_guard serves every loop thread: its counters are shared (atomics, and a mutex for
 * the per-address table); each connection belongs to the loop that accepted it. */
#ifndef FORUMD_GUARD_H
#define FORUMD_GUARD_H

#include "forumd/config.h"

struct event_base;
struct evhttp;
struct evhttp_request;
struct evhttp_connection;
struct evkeyvalq;

#define FD_GUARD_MAX_HEAD (16 * 1024)    /* request line and headers (evhttp_set_max_headers_size) */
#define FD_GUARD_MAX_URI 8192            /* request target; longer ones get 414 */
#define FD_GUARD_MAX_HEADERS 100         /* header fields in one request */
#define FD_GUARD_REQUESTS_PER_CONN 1000  /* then the answer says Connection: close */
#define FD_GUARD_BODY_RATE 1024          /* bytes per second a body beyond FD_GUARD_MAX_HEAD earns */

/* Why a request is refused: status, the spec's error code and a message for a person. */
struct fd_guard_verdict {
    int status;
    const char *code;
    const char *message;
};

/* What fd_guard_check_head() looks at: the parsed request line and headers. */
struct fd_guard_head {
    int major, minor;                  /* HTTP version */
    const char *uri;                   /* the request target as sent */
    const struct evkeyvalq *headers;   /* as parsed by evhttp */
    bool nul;                          /* a NUL byte arrived in the head (evhttp cuts values there) */
};

/* A guard for n_loops loop threads with cfg's limits (max_connections, max_per_address,
 * header_timeout). Raises the soft limit on open files to the hard one, and keeps
 * max_connections below it. Free with fd_guard_free() after every evhttp it guards is freed. */
struct fd_guard *fd_guard_new(const struct fd_config *cfg, int n_loops);
void fd_guard_free(struct fd_guard *g);

/* Guards the connections that http (of loop thread index, running on base) accepts from now on. */
void fd_guard_attach(struct fd_guard *g, int index, struct event_base *base, struct evhttp *http);

/* The first step of the request callback: ends the connection's receive deadline, counts the
 * request, and checks its head. 0 if it may proceed; -1 with v filled if it must be answered with
 * v and the connection closed (Connection: close), because what follows it on the connection
 * cannot be trusted. May add Connection: close to the answer (the connection's last request). */
int fd_guard_request(struct fd_guard *g, struct evhttp_request *ev, struct fd_guard_verdict *v);

/* The checks of fd_guard_request() on a parsed head alone; 0, or -1 with v filled. */
int fd_guard_check_head(const struct fd_guard_head *h, struct fd_guard_verdict *v);

/* Use instead of evhttp_connection_set_closecb() on connections of a guarded evhttp, whose
 * close callback the guard needs for itself: cb(evcon, arg) runs when the connection closes
 * (NULL for none), just before the guard's own. */
void fd_guard_set_closecb(struct fd_guard *g, struct evhttp_connection *evcon,
                          void (*cb)(struct evhttp_connection *, void *), void *arg);

#endif
