/* Configuration: defaults < config file < environment (FORUMD_*) < command-line flags. */
#ifndef FORUMD_CONFIG_H
#define FORUMD_CONFIG_H

#include "forumd/fd.h"

/* A token bucket's shape: up to `burst` requests at once, refilled at burst/period per second.
 * Written "N/SECONDS" ("10/60": 10 at once, then one every 6 s); "0/1" switches the limit off. */
struct fd_rate {
    int burst;
    int period;
};

struct fd_config {
    char *listen_host;
    int listen_port;
    char *db_path;
    char *web_dir;
    char *config_file;
    char *public_url;        /* https://... makes cookies Secure */
    int threads;             /* event-loop threads */
    int workers;             /* threads for Argon2id and other slow jobs */
    int64_t session_idle;    /* seconds without a request before a session ends */
    int64_t session_max;     /* absolute session lifetime, seconds */
    unsigned long long pwhash_ops;
    size_t pwhash_mem;       /* bytes */
    int http_timeout;        /* seconds of inactivity before a connection is closed */
    size_t max_body;         /* bytes of request body accepted */
    size_t cache_bytes;      /* rendered-page cache of each loop thread */
    bool secure_cookies;
    bool quiet;              /* no per-request log lines */
    int sse_per_address;     /* event streams one client address may hold */
    int sse_heartbeat;       /* seconds between heartbeats on event streams */
    bool sync_full;          /* SQLite synchronous=FULL (default) rather than NORMAL */
    /* HTTP surface */
    int max_connections;     /* open client connections, all loops together */
    int max_per_address;     /* open connections from one client address */
    int header_timeout;      /* seconds to receive a request's line and headers (slowloris) */
    /* rate limits (token buckets), per client address and per account */
    struct fd_rate rate_login_address, rate_login_account, rate_register_address;
    struct fd_rate rate_post_address, rate_post_account, rate_post_new_account;
    struct fd_rate rate_flag_account, rate_search_address, rate_stream_address;
    int64_t new_account_period;  /* seconds during which an account counts as new */
    int new_account_links;       /* links a new account may put in one post */
    int64_t duplicate_window;    /* seconds during which the same body from the same author is refused */
};

/* Fills cfg with the defaults. */
void fd_config_defaults(struct fd_config *cfg);
/* Sets one option by its long name (without "--", '-' or '_' alike). Returns 0, or -1 with a reason
 * in err if the name is unknown or the value invalid. */
int fd_config_set(struct fd_config *cfg, const char *name, const char *value, char *err, size_t errlen);
/* Reads "name = value" lines ('#' comments) from path. 0 or -1 with err. */
int fd_config_load_file(struct fd_config *cfg, const char *path, char *err, size_t errlen);
/* Applies FORUMD_<NAME> environment variables. 0 or -1 with err. */
int fd_config_load_env(struct fd_config *cfg, char *err, size_t errlen);
/* Frees the strings of cfg. */
void fd_config_clear(struct fd_config *cfg);

#endif
