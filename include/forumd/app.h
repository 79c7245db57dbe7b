/* The application object, made once in main and passed everywhere (never a global). */
#ifndef FORUMD_APP_H
#define FORUMD_APP_H

#include "forumd/config.h"
#include "forumd/work.h"

struct event_base;
struct evhttp;
struct event;
struct evhttp_bound_socket;
struct fd_ticker;
struct fd_guard;

/* One event-loop thread: its own base, HTTP server and read connection to the store. */
struct fd_server_loop {
    struct fd_app *app;
    int index;
    struct event_base *base;
    struct evhttp *http;
    struct evhttp_bound_socket *bound;
    uint64_t next_request_id;
    struct fd_loop *done_queue;
    struct fd_store *store;
    struct fd_cache *cache;  /* rendered public pages, this loop only */
    struct event *drain_timer;
    struct fd_events_loop *events; /* this loop's event streams */
    int inflight;            /* requests accepted and not yet answered (streams included) */
    bool draining;
};

struct fd_app {
    struct fd_config cfg;
    char *web_root;          /* realpath of cfg.web_dir, or NULL if there is none */
    struct fd_server_loop *loops;
    int n_loops;
    struct fd_work *work;    /* password hashing: CPU-bound, no database */
    struct fd_work *queries; /* long reads (search), each worker with its own read connection */
    struct fd_writer *writer;
    struct fd_ticker *checkpointer;
    struct fd_gens *gens;    /* shared generation counters that invalidate cached pages */
    struct fd_events *events; /* the hub of live updates */
    struct fd_guard *guard;  /* connection caps and request checks of the HTTP surface */
    char *dummy_hash;        /* verified against when an email is unknown, so timing says nothing */
    struct fd_ratelimit *limits; /* abuse limits: buckets, sign-in back-off, recent posts */
    uint8_t device_key[32];  /* signs "this browser signed in before" cookies; new at each start */
};

#endif
