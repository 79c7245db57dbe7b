/* Guards for the HTTP surface that evhttp 2.1.12 lacks (see guard.h).
 *
 * DESIGN: evhttp 2.1.12 tells its user nothing about a connection until a whole request has
 * arrived: it has no connection cap, no deadline for the request as a whole (its timeout is one
 * of inactivity, which a client sending a byte every few seconds never trips), no callback for a
 * new connection and no way to hand it an accepted socket. Its one earlier hook is
 * evhttp_set_bevcb(), called for every accepted connection to make the bufferevent that evhttp
 * then puts the socket on. The guard makes that bufferevent itself, with a record for the
 * connection (struct conn):
 *
 *  - a watcher on the bufferevent's input buffer sees every byte as it arrives, before evhttp
 *    parses it: it counts the bytes of the request being received, finds where its head ends,
 *    and notes a NUL byte in the head (evhttp would silently cut a header value there);
 *  - a timer, activated at once, finishes the set-up as soon as evhttp has put the socket on the
 *    bufferevent (the client's address, the caps, the close callback), and is from then on the
 *    deadline for receiving a request;
 *  - fd_guard_request(), the request callback's first step, stops the deadline, counts the
 *    request and checks its parsed head; an on-complete callback of the request starts the clock
 *    for the next one when the answer has gone out;
 *  - the connection's close callback gives back its counts and frees the record. The streaming
 *    answers of http.c, which need a close callback of their own, set it with
 *    fd_guard_set_closecb(), and the guard calls it first.
 *
 * The set-up reaches evhttp's connection object through the bufferevent's callback argument:
 * libevent 2.1.12's http.c installs its callbacks with bufferevent_setcb(evcon->bufev, ...,
 * evcon), and nothing public leads from a new bufferevent to its connection before the first
 * request. fd_guard_request() checks that the connection it is given is the one found then.
 *
 * The deadline: a request's line and headers must arrive within header_timeout of the
 * connection's opening (first request) or of the request's first byte (later ones, so that an
 * idle keep-alive connection is left to evhttp's inactivity timeout). Its body must arrive by
 * then too, except that every FD_GUARD_BODY_RATE bytes beyond FD_GUARD_MAX_HEAD earn one more
 * second: the slowest legitimate upload keeps going, while a client that trickles bytes (slowloris,
 * slow POST) is answered 408 and closed. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <strings.h>
#include <unistd.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/keyvalq_struct.h>
#include "forumd/guard.h"
#include "forumd/log.h"

#define ADDR_KEY_LEN 9        /* family, then 4 bytes of IPv4 or the 8 of an IPv6 /64 */
#define ADDR_BUCKETS 4096     /* a power of two */
#define FD_RESERVE 256        /* descriptors kept for the database, files being sent, pipes */
#define MAX_FD_TABLE (1 << 20)

enum conn_state {
    C_NEW,   /* accepted; set-up pending */
    C_HEAD,  /* receiving a request's line and headers */
    C_BODY,  /* its head is complete; receiving its body */
    C_BUSY,  /* handed to the request callback; until its answer has gone out */
    C_IDLE,  /* between requests on a kept-alive connection */
};

struct guard_loop {
    struct fd_guard *g;
    const struct timeval *deadline;  /* header_timeout as a common timeout of base */
    int64_t last_log_us;             /* refusals and timeouts are logged once a second at most */
    unsigned unlogged;
};

struct conn {
    struct guard_loop *gl;
    struct bufferevent *bev;
    struct evhttp_connection *evcon;
    struct evbuffer_cb_entry *watch;
    struct event *timer;             /* the set-up, then the receive deadline */
    void (*user_closecb)(struct evhttp_connection *, void *);
    void *user_arg;
    int fd;
    enum conn_state state;
    int eol;                         /* head-end finder: 0, 1 after LF, 2 after LF CR */
    bool at_start;                   /* before the request's first byte other than CR and LF */
    bool nul;                        /* a NUL byte in this request's head */
    bool alien;                      /* not HTTP (TLS, HTTP/2, binary): answered and closed at once */
    bool alien_seen;
    bool addr_counted;
    unsigned requests;
    int64_t started_us;              /* the current request began to arrive */
    size_t received;                 /* bytes since then */
    uint8_t addr[ADDR_KEY_LEN];
};

struct addr_entry {
    struct addr_entry *next;
    uint8_t key[ADDR_KEY_LEN];
    int count;
};

struct fd_guard {
    int max_conns;
    int max_per_addr;
    int header_timeout;
    atomic_int conns;
    atomic_bool warned_lookup;
    pthread_mutex_t lock;            /* the per-address table */
    struct addr_entry *buckets[ADDR_BUCKETS];
    _Atomic(struct conn *) *by_fd;   /* each connection's record, by its socket */
    size_t n_fd;
    struct guard_loop *loops;        /* one per loop thread */
};

/* The security headers of every answer forumd writes (http.c common_headers has the same). */
#define SECURITY_HEADERS                                                                              \
    "X-Content-Type-Options: nosniff\r\n"                                                             \
    "Referrer-Policy: same-origin\r\n"                                                                \
    "X-Frame-Options: DENY\r\n"                                                                       \
    "Content-Security-Policy: default-src 'self'; img-src 'self' data:; object-src 'none'; "         \
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'\r\n"                                 \
    "Cache-Control: no-store\r\n"

/* ---- answers written on the socket itself ---- */

/* Each with its status line and extra headers, and its body in the spec's error form. */
enum raw_kind { RAW_FULL, RAW_PER_ADDRESS, RAW_TIMEOUT, RAW_NOT_HTTP };
static const struct {
    const char *head;
    const char *body;
} raw_answers[] = {
    [RAW_FULL] = { "503 Service Unavailable\r\nRetry-After: 1",
                   "{\"error\":{\"code\":\"unavailable\",\"message\":\"The server has too many connections; "
                   "try again in a moment.\"}}" },
    [RAW_PER_ADDRESS] = { "429 Too Many Requests\r\nRetry-After: 10",
                          "{\"error\":{\"code\":\"rate_limited\",\"message\":\"Too many connections from your "
                          "address; close some and try again.\"}}" },
    [RAW_TIMEOUT] = { "408 Request Timeout",
                      "{\"error\":{\"code\":\"request_timeout\",\"message\":\"The request did not arrive in "
                      "time.\"}}" },
    [RAW_NOT_HTTP] = { "400 Bad Request",
                       "{\"error\":{\"code\":\"bad_request\",\"message\":\"This port speaks HTTP/1.1, without "
                       "TLS.\"}}" },
};

/* Writes a complete JSON error answer of kind straight to the socket, before evhttp has written
 * anything on it (best effort: a client too slow to take it does not get it). */
static void raw_answer(int fd, enum raw_kind kind)
{
    char buf[1024];
    int n = snprintf(buf, sizeof buf,
                     "HTTP/1.1 %s\r\nContent-Type: application/json; charset=utf-8\r\n" SECURITY_HEADERS
                     "Connection: close\r\nContent-Length: %zu\r\n\r\n%s",
                     raw_answers[kind].head, strlen(raw_answers[kind].body), raw_answers[kind].body);
    if (n > 0 && (size_t)n < sizeof buf)
        (void)!send(fd, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* Reads and drops what the client already sent, so that closing does not reset the connection
 * (and the answer with it) for unread data. */
static void drop_input(int fd)
{
    char buf[16384];
    for (int i = 0; i < 4 && recv(fd, buf, sizeof buf, MSG_DONTWAIT) == (ssize_t)sizeof buf; i++)
        ;
}

/* Logs what happened to a connection, at most about once a second per loop, with the number of
 * events left unlogged since. */
static void log_event(struct conn *c, const char *event, const char *detail)
{
    struct guard_loop *gl = c->gl;
    int64_t now = fd_mono_us();
    if (now - gl->last_log_us < 1000000) {
        gl->unlogged++;
        return;
    }
    char *peer = NULL;
    ev_uint16_t port = 0;
    if (c->evcon)
        evhttp_connection_get_peer(c->evcon, &peer, &port);
    fd_log_warn("event=%s peer=%s %s open=%d unlogged=%u", event, peer ? peer : "?", detail,
                atomic_load(&gl->g->conns), gl->unlogged);
    gl->last_log_us = now;
    gl->unlogged = 0;
}

/* ---- per-address counts ---- */

static void address_key(int fd, uint8_t key[ADDR_KEY_LEN])
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    memset(key, 0, ADDR_KEY_LEN);
    if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
        return;
    if (ss.ss_family == AF_INET) {
        key[0] = 4;
        memcpy(key + 1, &((struct sockaddr_in *)&ss)->sin_addr, 4);
    } else if (ss.ss_family == AF_INET6) {
        const uint8_t *a = ((struct sockaddr_in6 *)&ss)->sin6_addr.s6_addr;
        static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
        if (!memcmp(a, mapped, sizeof mapped)) {
            key[0] = 4;
            memcpy(key + 1, a + 12, 4);
        } else {
            key[0] = 6;
            memcpy(key + 1, a, 8); /* one client has a /64 */
        }
    }
}

static size_t address_bucket(const uint8_t key[ADDR_KEY_LEN])
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < ADDR_KEY_LEN; i++)
        h = (h ^ key[i]) * 16777619u;
    return h & (ADDR_BUCKETS - 1);
}

/* Counts one more connection from key; returns the count. */
static int address_add(struct fd_guard *g, const uint8_t key[ADDR_KEY_LEN])
{
    size_t b = address_bucket(key);
    pthread_mutex_lock(&g->lock);
    struct addr_entry *e = g->buckets[b];
    while (e && memcmp(e->key, key, ADDR_KEY_LEN))
        e = e->next;
    if (!e) {
        e = fd_xcalloc(1, sizeof *e);
        memcpy(e->key, key, ADDR_KEY_LEN);
        e->next = g->buckets[b];
        g->buckets[b] = e;
    }
    int n = ++e->count;
    pthread_mutex_unlock(&g->lock);
    return n;
}

static void address_remove(struct fd_guard *g, const uint8_t key[ADDR_KEY_LEN])
{
    size_t b = address_bucket(key);
    pthread_mutex_lock(&g->lock);
    for (struct addr_entry **p = &g->buckets[b]; *p; p = &(*p)->next) {
        if (memcmp((*p)->key, key, ADDR_KEY_LEN))
            continue;
        struct addr_entry *e = *p;
        if (--e->count == 0) {
            *p = e->next;
            free(e);
        }
        break;
    }
    pthread_mutex_unlock(&g->lock);
}

/* ---- connection records ---- */

static struct conn *find(struct fd_guard *g, struct evhttp_connection *evcon)
{
    if (!g || !evcon)
        return NULL;
    struct bufferevent *bev = evhttp_connection_get_bufferevent(evcon);
    evutil_socket_t fd = bev ? bufferevent_getfd(bev) : -1;
    if (fd < 0 || (size_t)fd >= g->n_fd)
        return NULL;
    struct conn *c = atomic_load_explicit(&g->by_fd[fd], memory_order_relaxed);
    return c && c->evcon == evcon ? c : NULL;
}

/* Gives back the connection's counts and frees its record, with its reference to the
 * bufferevent. */
static void release(struct conn *c)
{
    struct fd_guard *g = c->gl->g;
    if (c->watch)
        evbuffer_remove_cb_entry(bufferevent_get_input(c->bev), c->watch);
    event_free(c->timer);
    if (c->fd >= 0 && (size_t)c->fd < g->n_fd) {
        struct conn *expected = c;
        atomic_compare_exchange_strong(&g->by_fd[c->fd], &expected, NULL);
    }
    if (c->addr_counted)
        address_remove(g, c->addr);
    atomic_fetch_sub(&g->conns, 1);
    bufferevent_decref(c->bev);
    free(c);
}

static void on_close(struct evhttp_connection *evcon, void *arg)
{
    struct conn *c = arg;
    if (c->user_closecb)
        c->user_closecb(evcon, c->user_arg);
    release(c);
}

/* Closes the connection now (evhttp frees it, and on_close frees c). */
static void drop(struct conn *c)
{
    evhttp_connection_free(c->evcon);
}

/* ---- the receive deadline ---- */

static int64_t allowance_us(const struct conn *c)
{
    int64_t us = (int64_t)c->gl->g->header_timeout * 1000000;
    if (c->received > FD_GUARD_MAX_HEAD)
        us += (int64_t)((c->received - FD_GUARD_MAX_HEAD) * (1000000.0 / FD_GUARD_BODY_RATE));
    return us;
}

/* Looks at len bytes of buf from offset: a NUL byte in the head, and the empty line that ends it
 * (LF, optional CR, LF: evhttp accepts a bare LF as a line end). */
static void scan_head(struct conn *c, struct evbuffer *buf, size_t offset, size_t len)
{
    struct evbuffer_ptr pos;
    if (len == 0 || evbuffer_ptr_set(buf, &pos, offset, EVBUFFER_PTR_SET) < 0)
        return;
    struct evbuffer_iovec v[8];
    while (len > 0 && c->state == C_HEAD) {
        int n = evbuffer_peek(buf, (ev_ssize_t)len, &pos, v, 8);
        if (n <= 0)
            return;
        size_t done = 0;
        for (int i = 0; i < n && i < 8 && c->state == C_HEAD && done < len; i++) {
            const unsigned char *p = v[i].iov_base;
            size_t m = v[i].iov_len < len - done ? v[i].iov_len : len - done;
            for (size_t j = 0; j < m; j++) {
                unsigned char b = p[j];
                if (b == '\0')
                    c->nul = true;
                if (c->at_start && b != '\r' && b != '\n') {
                    /* a request starts with its method: TLS, HTTP/2 and binary junk do not */
                    c->at_start = false;
                    c->alien = b < 'A' || b > 'Z';
                }
                if (b == '\n' && c->eol > 0) {
                    c->state = C_BODY; /* the rest is its body (or the next request) */
                    break;
                }
                c->eol = b == '\n' ? 1 : (b == '\r' && c->eol > 0) ? 2 : 0;
            }
            done += m;
        }
        len -= done;
        if (len > 0 && evbuffer_ptr_set(buf, &pos, done, EVBUFFER_PTR_ADD) < 0)
            return;
    }
}

/* A request starts arriving now, with the bytes already in the input buffer. */
static void start_request(struct conn *c)
{
    c->state = C_HEAD;
    c->started_us = fd_mono_us();
    c->received = 0;
    c->eol = 0;
    c->at_start = true;
    c->nul = false;
    event_add(c->timer, c->gl->deadline);
}

/* After a scan: a client that does not speak HTTP is answered at once, from the timer (evhttp is
 * about to read the same bytes: the connection cannot be freed under it). */
static void check_alien(struct conn *c)
{
    if (c->alien && !c->alien_seen) {
        c->alien_seen = true;
        event_active(c->timer, EV_TIMEOUT, 1);
    }
}

static void watch_input(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
    struct conn *c = arg;
    if (info->n_added == 0 || c->state == C_BUSY || c->state == C_NEW)
        return; /* C_BUSY: the next request's first bytes, looked at when this one is answered */
    if (c->state == C_IDLE)
        start_request(c);
    c->received += info->n_added;
    if (c->state == C_HEAD) {
        /* the callback runs as the bytes are added, before evhttp reads them: they are the last
         * n_added of the buffer */
        size_t have = evbuffer_get_length(buf), n = info->n_added < have ? info->n_added : have;
        scan_head(c, buf, have - n, n);
        check_alien(c);
    }
}

/* The request was answered; on a kept-alive connection the next one may already be waiting. */
static void request_done(struct evhttp_request *ev, void *arg)
{
    (void)ev;
    struct conn *c = arg;
    struct evbuffer *in = bufferevent_get_input(c->bev);
    size_t n = evbuffer_get_length(in);
    c->state = C_IDLE;
    if (n > 0) {
        start_request(c);
        c->received = n;
        scan_head(c, in, 0, n);
        check_alien(c);
    }
}

/* The set-up, once evhttp has put the socket on the bufferevent: the caps, the close callback. */
static void set_up(struct conn *c)
{
    struct fd_guard *g = c->gl->g;
    bufferevent_event_cb errorcb = NULL;
    void *cbarg = NULL;
    bufferevent_getcb(c->bev, NULL, NULL, &errorcb, &cbarg);
    if (!errorcb || !cbarg) {
        /* evhttp gave the connection up already (it failed to set it up): only our reference
         * keeps the bufferevent */
        evbuffer_remove_cb_entry(bufferevent_get_input(c->bev), c->watch);
        bufferevent_decref(c->bev);
        event_free(c->timer);
        atomic_fetch_sub(&g->conns, 1);
        free(c);
        return;
    }
    c->evcon = cbarg;
    c->fd = bufferevent_getfd(c->bev);
    evhttp_connection_set_closecb(c->evcon, on_close, c);
    if (c->fd >= 0 && (size_t)c->fd < g->n_fd)
        atomic_store_explicit(&g->by_fd[c->fd], c, memory_order_relaxed);

    address_key(c->fd, c->addr);
    c->addr_counted = true;
    int from_addr = address_add(g, c->addr);
    int open = atomic_load(&g->conns);
    /* a socket beyond the table cannot be tracked: the process is at its limit of open files */
    bool full = open > g->max_conns || c->fd < 0 || (size_t)c->fd >= g->n_fd;
    if (full || from_addr > g->max_per_addr) {
        char detail[64];
        snprintf(detail, sizeof detail, "from_address=%d", from_addr);
        log_event(c, full ? "guard.too_many_connections" : "guard.too_many_from_address", detail);
        drop_input(c->fd);
        raw_answer(c->fd, full ? RAW_FULL : RAW_PER_ADDRESS);
        drop(c);
        return;
    }
    start_request(c);
    c->received = evbuffer_get_length(bufferevent_get_input(c->bev));
    scan_head(c, bufferevent_get_input(c->bev), 0, c->received);
    check_alien(c);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct conn *c = arg;
    if (c->state == C_NEW) {
        set_up(c);
        return;
    }
    if (c->state != C_HEAD && c->state != C_BODY)
        return;
    bufferevent_event_cb errorcb = NULL;
    bufferevent_getcb(c->bev, NULL, NULL, &errorcb, NULL);
    if (!errorcb) {
        /* evhttp freed the connection without calling its close callback (not known to happen):
         * the record's reference kept the bufferevent valid, and lets it go now */
        release(c);
        return;
    }
    if (c->alien && evbuffer_get_length(bufferevent_get_output(c->bev)) == 0) {
        log_event(c, "guard.not_http", "");
        drop_input(c->fd);
        raw_answer(c->fd, RAW_NOT_HTTP);
        drop(c);
        return;
    }
    int64_t took = fd_mono_us() - c->started_us, allowed = allowance_us(c);
    if (took < allowed) {
        struct timeval tv = { (time_t)((allowed - took) / 1000000), (suseconds_t)((allowed - took) % 1000000) };
        event_add(c->timer, &tv);
        return;
    }
    char detail[96];
    snprintf(detail, sizeof detail, "phase=%s received=%zu ms=%lld", c->state == C_HEAD ? "head" : "body",
             c->received, (long long)(took / 1000));
    log_event(c, "guard.request_too_slow", detail);
    /* answer 408 to a request begun, unless evhttp has begun an answer of its own (it sends an
     * interim 100 Continue); a connection that never sent a byte (a browser's spare one) is just
     * closed */
    if (c->received > 0 && evbuffer_get_length(bufferevent_get_output(c->bev)) == 0) {
        drop_input(c->fd);
        raw_answer(c->fd, RAW_TIMEOUT);
    }
    drop(c);
}

/* evhttp's bevcb: a connection was accepted; its socket is set on the bufferevent afterwards. */
static struct bufferevent *new_connection(struct event_base *base, void *arg)
{
    struct guard_loop *gl = arg;
    struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
    if (!bev)
        return NULL; /* evhttp makes one itself; this connection goes unguarded */
    struct conn *c = fd_xcalloc(1, sizeof *c);
    c->gl = gl;
    c->bev = bev;
    c->fd = -1;
    c->state = C_NEW;
    c->timer = evtimer_new(base, on_timer, c);
    c->watch = evbuffer_add_cb(bufferevent_get_input(bev), watch_input, c);
    bufferevent_incref(bev); /* the record's own, so that it never points to a freed one */
    atomic_fetch_add(&gl->g->conns, 1);
    event_active(c->timer, EV_TIMEOUT, 1);
    return bev;
}

/* ---- the request's head ---- */

static bool is_tchar(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

static bool is_token(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!is_tchar((unsigned char)*s))
            return false;
    return true;
}

/* Field values: visible characters, spaces, tabs and octets from 0x80 (obs-text), nothing else. */
static bool is_field_value(const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
            return false;
    }
    return true;
}

static bool is_digits(const char *s, size_t max)
{
    size_t n = strspn(s, "0123456789");
    return n > 0 && n <= max && s[n] == '\0';
}

static int refuse(struct fd_guard_verdict *v, int status, const char *code, const char *message)
{
    v->status = status;
    v->code = code;
    v->message = message;
    return -1;
}

int fd_guard_check_head(const struct fd_guard_head *h, struct fd_guard_verdict *v)
{
    if (h->nul)
        return refuse(v, 400, "bad_request", "The request's head contains a NUL byte.");
    if (h->major != 1 || (h->minor != 0 && h->minor != 1))
        return refuse(v, 400, "bad_request", "Only HTTP/1.0 and HTTP/1.1 are spoken here.");
    if (h->uri && strlen(h->uri) > FD_GUARD_MAX_URI)
        return refuse(v, 414, "bad_request", "The address is too long.");
    int n = 0, n_length = 0, n_coding = 0, n_host = 0;
    const char *length = NULL, *coding = NULL;
    const struct evkeyval *kv;
    TAILQ_FOREACH(kv, h->headers, next) {
        if (++n > FD_GUARD_MAX_HEADERS)
            return refuse(v, 400, "bad_request", "The request has too many header fields.");
        if (!is_token(kv->key))
            return refuse(v, 400, "bad_request", "A header field name is not valid.");
        if (!is_field_value(kv->value))
            return refuse(v, 400, "bad_request", "A header field value contains a control character.");
        if (!strcasecmp(kv->key, "Content-Length")) {
            n_length++;
            length = kv->value;
        } else if (!strcasecmp(kv->key, "Transfer-Encoding")) {
            n_coding++;
            coding = kv->value;
        } else if (!strcasecmp(kv->key, "Host")) {
            n_host++;
        }
    }
    /* framing: exactly one way to tell where the body ends, in a form every parser reads alike */
    if (n_coding && n_length)
        return refuse(v, 400, "bad_request", "Content-Length and Transfer-Encoding must not come together.");
    if (n_coding > 1 || (n_coding && strcasecmp(coding, "chunked")))
        return refuse(v, 400, "bad_request", "The only transfer coding accepted is a single \"chunked\".");
    if (n_length > 1)
        return refuse(v, 400, "bad_request", "The request has more than one Content-Length.");
    if (n_length && !is_digits(length, 18))
        return refuse(v, 400, "bad_request", "Content-Length must be a decimal number.");
    if (n_host > 1 || (n_host == 0 && h->minor == 1))
        return refuse(v, 400, "bad_request", "An HTTP/1.1 request needs exactly one Host header.");
    return 0;
}

int fd_guard_request(struct fd_guard *g, struct evhttp_request *ev, struct fd_guard_verdict *v)
{
    struct evhttp_connection *evcon = evhttp_request_get_connection(ev);
    struct conn *c = find(g, evcon);
    if (c) {
        event_del(c->timer);
        c->state = C_BUSY;
        c->requests++;
        evhttp_request_set_on_complete_cb(ev, request_done, c);
        if (c->requests >= FD_GUARD_REQUESTS_PER_CONN)
            evhttp_add_header(evhttp_request_get_output_headers(ev), "Connection", "close");
    } else if (g && evcon && !atomic_exchange(&g->warned_lookup, true)) {
        fd_log_error("event=guard.untracked_connection (is libevent newer than 2.1.12?)");
    }
    struct fd_guard_head h = {
        .major = ev->major,
        .minor = ev->minor,
        .uri = evhttp_request_get_uri(ev),
        .headers = evhttp_request_get_input_headers(ev),
        .nul = c && c->nul,
    };
    if (fd_guard_check_head(&h, v) == 0)
        return 0;
    if (h.major != 1 || (h.minor != 0 && h.minor != 1)) {
        /* evhttp answers in the request's version: HTTP/4294967295.255 parsed as -1.-1 */
        ev->major = 1;
        ev->minor = 1;
    }
    return -1;
}

void fd_guard_set_closecb(struct fd_guard *g, struct evhttp_connection *evcon,
                          void (*cb)(struct evhttp_connection *, void *), void *arg)
{
    struct conn *c = find(g, evcon);
    if (!c) {
        evhttp_connection_set_closecb(evcon, cb, arg);
        return;
    }
    c->user_closecb = cb;
    c->user_arg = arg;
}

/* ---- set-up ---- */

/* Raises the soft limit of open files to the hard one; returns the soft limit then. */
static rlim_t raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return 1024;
    if (rl.rlim_cur < rl.rlim_max) {
        struct rlimit want = { rl.rlim_max, rl.rlim_max };
        if (want.rlim_cur > MAX_FD_TABLE)
            want.rlim_cur = MAX_FD_TABLE;
        if (want.rlim_cur > rl.rlim_cur && setrlimit(RLIMIT_NOFILE, &want) == 0)
            rl.rlim_cur = want.rlim_cur;
    }
    return rl.rlim_cur;
}

struct fd_guard *fd_guard_new(const struct fd_config *cfg, int n_loops)
{
    struct fd_guard *g = fd_xcalloc(1, sizeof *g);
    g->max_conns = cfg->max_connections;
    g->max_per_addr = cfg->max_per_address;
    g->header_timeout = cfg->header_timeout;
    atomic_init(&g->conns, 0);
    atomic_init(&g->warned_lookup, false);
    pthread_mutex_init(&g->lock, NULL);
    rlim_t files = raise_fd_limit();
    g->n_fd = files > MAX_FD_TABLE ? MAX_FD_TABLE : (size_t)files;
    g->by_fd = fd_xcalloc(g->n_fd, sizeof *g->by_fd);
    if ((rlim_t)g->max_conns + FD_RESERVE > files) {
        int fit = files > FD_RESERVE + 16 ? (int)(files - FD_RESERVE) : 16;
        fd_log_info("event=guard.max_connections configured=%d open_files_limit=%llu using=%d", g->max_conns,
                    (unsigned long long)files, fit);
        g->max_conns = fit;
    }
    g->loops = fd_xcalloc((size_t)n_loops, sizeof *g->loops);
    return g;
}

void fd_guard_attach(struct fd_guard *g, int index, struct event_base *base, struct evhttp *http)
{
    struct guard_loop *gl = &g->loops[index];
    struct timeval tv = { g->header_timeout, 0 };
    gl->g = g;
    gl->deadline = event_base_init_common_timeout(base, &tv);
    evhttp_set_bevcb(http, new_connection, gl);
}

void fd_guard_free(struct fd_guard *g)
{
    if (!g)
        return;
    for (size_t b = 0; b < ADDR_BUCKETS; b++) {
        while (g->buckets[b]) {
            struct addr_entry *e = g->buckets[b];
            g->buckets[b] = e->next;
            free(e);
        }
    }
    pthread_mutex_destroy(&g->lock);
    free(g->by_fd);
    free(g->loops);
    free(g);
}
