/* Live updates: the hub, the per-loop subscribers and their heartbeats. See events.h. */
#include <pthread.h>
#include <stdatomic.h>
#include <event2/event.h>
#include "forumd/events.h"
#include "forumd/app.h"
#include "forumd/http.h"

/* One published event, shared by the ring and the loops delivering it. */
struct event_msg {
    atomic_int refs;
    uint64_t id;
    int64_t objective_id, thread_id;
    size_t len;
    char frame[]; /* "id: N\nevent: kind\ndata: json\n\n" */
};

struct address {
    char *addr;
    int streams;
};

struct fd_events {
    pthread_mutex_t mu;
    uint64_t next_id; /* the id the next event gets */
    struct event_msg *ring[FD_EVENTS_RING];
    struct address *addrs;
    size_t n_addrs, cap_addrs;
    int max_per_address;
};

struct sub {
    struct sub *prev, *next;
    struct fd_events_loop *el;
    struct fd_req *r;
    int64_t objective_id, thread_id;
    uint64_t last_sent;
    char *addr;
};

struct fd_events_loop {
    struct fd_server_loop *loop;
    struct event *heartbeat;
    struct sub *subs;
    int n_subs;
};

static void msg_unref(struct event_msg *m)
{
    if (m && atomic_fetch_sub(&m->refs, 1) == 1)
        free(m);
}

/* ---- the hub ---- */

struct fd_events *fd_events_new(int max_per_address)
{
    struct fd_events *e = fd_xcalloc(1, sizeof *e);
    pthread_mutex_init(&e->mu, NULL);
    /* Ids go on growing across restarts (a million a second from the start time), so that a
     * Last-Event-ID from before a restart is seen as a gap, never as some other event. */
    e->next_id = (uint64_t)fd_now() << 20;
    e->max_per_address = max_per_address;
    return e;
}

void fd_events_free(struct fd_events *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < FD_EVENTS_RING; i++)
        msg_unref(e->ring[i]);
    for (size_t i = 0; i < e->n_addrs; i++)
        free(e->addrs[i].addr);
    free(e->addrs);
    pthread_mutex_destroy(&e->mu);
    free(e);
}

/* Counts a stream for addr; false (nothing counted) when addr is at its limit. Caller locks. */
static bool address_acquire(struct fd_events *e, const char *addr)
{
    for (size_t i = 0; i < e->n_addrs; i++) {
        if (!strcmp(e->addrs[i].addr, addr)) {
            if (e->addrs[i].streams >= e->max_per_address)
                return false;
            e->addrs[i].streams++;
            return true;
        }
    }
    if (e->n_addrs == e->cap_addrs) {
        e->cap_addrs = e->cap_addrs ? 2 * e->cap_addrs : 16;
        e->addrs = fd_xrealloc(e->addrs, e->cap_addrs * sizeof *e->addrs);
    }
    e->addrs[e->n_addrs++] = (struct address){ fd_xstrdup(addr), 1 };
    return e->max_per_address > 0;
}

static void address_release(struct fd_events *e, const char *addr)
{
    pthread_mutex_lock(&e->mu);
    for (size_t i = 0; i < e->n_addrs; i++) {
        if (strcmp(e->addrs[i].addr, addr) != 0)
            continue;
        if (--e->addrs[i].streams <= 0) { /* forget idle addresses: the table stays small */
            free(e->addrs[i].addr);
            e->addrs[i] = e->addrs[--e->n_addrs];
        }
        break;
    }
    pthread_mutex_unlock(&e->mu);
}

/* ---- subscribers (each loop touches only its own) ---- */

static bool wants(const struct sub *s, const struct event_msg *m)
{
    return s->thread_id ? m->thread_id == s->thread_id : m->objective_id == s->objective_id;
}

static void sub_unlink(struct sub *s)
{
    struct fd_events_loop *el = s->el;
    if (s->prev)
        s->prev->next = s->next;
    else
        el->subs = s->next;
    if (s->next)
        s->next->prev = s->prev;
    el->n_subs--;
    address_release(el->loop->app->events, s->addr);
    free(s->addr);
    free(s);
}

static void stream_gone(struct fd_req *r)
{
    sub_unlink(r->ctx);
    r->ctx = NULL;
}

/* Sends to s; false when s was dropped (slow client) and is gone. */
static bool sub_send(struct sub *s, const char *data, size_t len)
{
    return fd_req_stream_send(s->r, data, len, FD_EVENTS_MAX_BACKLOG) == 0;
}

struct delivery {
    struct fd_events_loop *el;
    struct event_msg *m;
};

static void deliver(void *arg)
{
    struct delivery *d = arg;
    struct sub *next;
    for (struct sub *s = d->el->subs; s; s = next) {
        next = s->next;
        if (wants(s, d->m) && d->m->id > s->last_sent) {
            s->last_sent = d->m->id;
            sub_send(s, d->m->frame, d->m->len);
        }
    }
    msg_unref(d->m);
    free(d);
}

static void heartbeat(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct fd_events_loop *el = arg;
    static const char beat[] = ": heartbeat\n\n";
    struct sub *next;
    for (struct sub *s = el->subs; s; s = next) {
        next = s->next;
        sub_send(s, beat, sizeof beat - 1);
    }
}

struct fd_events_loop *fd_events_loop_new(struct fd_server_loop *loop)
{
    struct fd_events_loop *el = fd_xcalloc(1, sizeof *el);
    el->loop = loop;
    el->heartbeat = event_new(loop->base, -1, EV_PERSIST, heartbeat, el);
    struct timeval every = { loop->app->cfg.sse_heartbeat, 0 };
    event_add(el->heartbeat, &every);
    return el;
}

void fd_events_loop_close(struct fd_events_loop *el)
{
    if (!el)
        return;
    if (el->heartbeat) {
        event_free(el->heartbeat);
        el->heartbeat = NULL;
    }
    while (el->subs) {
        struct sub *s = el->subs;
        struct fd_req *r = s->r;
        sub_unlink(s);
        r->ctx = NULL;
        fd_req_stream_end(r);
    }
}

void fd_events_loop_free(struct fd_events_loop *el)
{
    fd_events_loop_close(el);
    free(el);
}

/* ---- publishing ---- */

void fd_events_publish(struct fd_app *app, const char *kind, int64_t objective_id, int64_t thread_id,
                       const char *data, size_t len)
{
    struct fd_events *e = app->events;
    size_t cap = len + 64 + strlen(kind);
    struct event_msg *m = fd_xmalloc(sizeof *m + cap);
    m->objective_id = objective_id;
    m->thread_id = thread_id;
    pthread_mutex_lock(&e->mu);
    m->id = e->next_id++;
    m->len = (size_t)snprintf(m->frame, cap, "id: %llu\nevent: %s\ndata: %.*s\n\n", (unsigned long long)m->id, kind,
                              (int)len, data);
    atomic_init(&m->refs, 1 + app->n_loops);
    struct event_msg **slot = &e->ring[m->id % FD_EVENTS_RING];
    struct event_msg *old = *slot;
    *slot = m;
    pthread_mutex_unlock(&e->mu);
    msg_unref(old);
    for (int i = 0; i < app->n_loops; i++) {
        struct delivery *d = fd_xmalloc(sizeof *d);
        d->el = app->loops[i].events;
        d->m = m;
        fd_loop_post(app->loops[i].done_queue, deliver, d);
    }
}

/* ---- subscribing ---- */

/* The frames after last_id that s wants, from the ring, into out; false (and nothing) if some are
 * gone from the ring. */
static bool replay(struct fd_events *e, const struct sub *s, uint64_t last_id, char **out, size_t *len,
                   uint64_t *newest)
{
    *out = NULL;
    *len = 0;
    *newest = e->next_id - 1;
    if (last_id == 0 || last_id >= e->next_id - 1)
        return last_id == 0 || last_id == e->next_id - 1;
    uint64_t oldest = e->next_id > FD_EVENTS_RING ? e->next_id - FD_EVENTS_RING : 1;
    if (last_id + 1 < oldest)
        return false; /* a gap: the client reloads instead */
    for (uint64_t id = last_id + 1; id < e->next_id; id++) {
        struct event_msg *m = e->ring[id % FD_EVENTS_RING];
        if (!m || m->id != id || !wants(s, m))
            continue;
        *out = fd_xrealloc(*out, *len + m->len);
        memcpy(*out + *len, m->frame, m->len);
        *len += m->len;
    }
    return true;
}

int fd_events_subscribe(struct fd_req *r, int64_t objective_id, int64_t thread_id, uint64_t last_id)
{
    struct fd_events *e = r->app->events;
    struct fd_events_loop *el = r->loop->events;
    struct sub *s = fd_xcalloc(1, sizeof *s);
    s->el = el;
    s->r = r;
    s->objective_id = objective_id;
    s->thread_id = thread_id;
    s->addr = fd_xstrdup(fd_req_peer(r));
    char *missed = NULL;
    size_t missed_len = 0;
    pthread_mutex_lock(&e->mu);
    bool allowed = address_acquire(e, s->addr);
    bool complete = allowed ? replay(e, s, last_id, &missed, &missed_len, &s->last_sent) : true;
    pthread_mutex_unlock(&e->mu);
    if (!allowed) {
        free(s->addr);
        free(s);
        return -1;
    }
    s->next = el->subs;
    if (el->subs)
        el->subs->prev = s;
    el->subs = s;
    el->n_subs++;
    r->ctx = s;
    r->ctx_free = NULL; /* s belongs to the loop's list; stream_gone unlinks it */
    fd_req_stream_start(r, stream_gone);
    static const char hello[] = "retry: 3000\n\n";
    static const char reset[] = "event: reset\ndata: {}\n\n";
    bool alive = sub_send(s, hello, sizeof hello - 1);
    if (alive && !complete)
        alive = sub_send(s, reset, sizeof reset - 1);
    if (alive && missed_len)
        sub_send(s, missed, missed_len);
    free(missed);
    return 0;
}
