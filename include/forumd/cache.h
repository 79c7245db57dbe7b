/* Rendered-page cache and the generation counters that invalidate it.
 *
 * DESIGN: every loop thread keeps its own cache of rendered public pages (no locks on the read
 * path), bounded in bytes with least-recently-used eviction. Freshness comes from generation
 * counters shared by all threads: a page remembers the generations of what it shows (its thread,
 * its objective, the global one) as read *before* its data was queried, and a write bumps them
 * *after* its commit and before it is answered. So a cached page can be older than the data only
 * until the write's own answer goes out, never after. Pages whose content depends on the clock
 * (a consultation opening or closing) carry their own expiry. */
#ifndef FORUMD_CACHE_H
#define FORUMD_CACHE_H

#include "forumd/fd.h"

#define FD_GEN_SLOTS 65536

struct fd_gens;

/* The shared counters; fd_gens_new's result is freed with free(). */
struct fd_gens *fd_gens_new(void);
void fd_gen_bump_thread(struct fd_gens *g, int64_t thread_id);
void fd_gen_bump_objective(struct fd_gens *g, int64_t objective_id);
void fd_gen_bump_all(struct fd_gens *g);

/* A snapshot of the generations a page depends on. */
struct fd_gen_snap {
    uint64_t object;
    uint64_t global;
};
struct fd_gen_snap fd_gen_thread(struct fd_gens *g, int64_t thread_id);
struct fd_gen_snap fd_gen_objective(struct fd_gens *g, int64_t objective_id);
/* The objectives overview depends on every objective's counters. */
struct fd_gen_snap fd_gen_objectives(struct fd_gens *g);

struct fd_cache;

struct fd_cached_page {
    const char *body;      /* borrowed from the cache until the next put on the same cache */
    size_t len;
    const char *etag;
    const int64_t *anon;   /* the page's anonymous authors, who must not be shown this page */
    size_t n_anon;
};

/* A cache of at most max_bytes; one per loop thread, used only by that thread. */
struct fd_cache *fd_cache_new(size_t max_bytes);
void fd_cache_free(struct fd_cache *c);
/* Looks key up; a hit needs the same generations and valid_until not passed. Whether the viewer may
 * see the cached public page is the caller's decision (out->anon). */
bool fd_cache_get(struct fd_cache *c, const char *key, struct fd_gen_snap gen, int64_t now,
                  struct fd_cached_page *out);
/* The ETag of the page at key as rendered for generations gen and variant (0 for the public page,
 * else the viewer's id): derived from the generations, not the body, so it costs nothing to
 * compute, and salted per process so that counters restarting from zero never repeat one.
 * valid_until (when a consultation on the page changes state by the clock, 0 = never) is part of
 * it, so a page rendered before a deadline never matches after it. buf must hold FD_ETAG_LEN bytes. */
#define FD_ETAG_LEN 96
void fd_etag_for(const char *key, struct fd_gen_snap gen, int64_t valid_until, int64_t variant, char *buf);
/* Stores a copy of body under key, evicting the least recently used pages to stay within the
 * limit. anon lists the ids of anonymous authors on the page (n of them); valid_until 0 means no
 * clock dependence. */
void fd_cache_put(struct fd_cache *c, const char *key, struct fd_gen_snap gen, int64_t valid_until,
                  const int64_t *anon, size_t n, const char *body, size_t len);
/* Hits, misses and bytes held, for the log and the benchmark. */
void fd_cache_stats(const struct fd_cache *c, uint64_t *hits, uint64_t *misses, size_t *bytes);

#endif
