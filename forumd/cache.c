/* Per-loop LRU cache of rendered pages, and shared generation counters (see cache.h). */
#include <stdatomic.h>
#include <sodium.h>
#include "forumd/cache.h"

/* ---- generations ---- */

struct fd_gens {
    _Atomic uint64_t global;
    _Atomic uint64_t objectives;
    _Atomic uint64_t objective[64];
    _Atomic uint64_t thread[FD_GEN_SLOTS]; /* hashed by id: a collision only costs an extra render */
};

struct fd_gens *fd_gens_new(void)
{
    struct fd_gens *g = fd_xcalloc(1, sizeof *g);
    return g;
}

static size_t slot(int64_t id, size_t n)
{
    return (size_t)((uint64_t)id % n);
}

void fd_gen_bump_thread(struct fd_gens *g, int64_t thread_id)
{
    atomic_fetch_add(&g->thread[slot(thread_id, FD_GEN_SLOTS)], 1);
}

void fd_gen_bump_objective(struct fd_gens *g, int64_t objective_id)
{
    atomic_fetch_add(&g->objective[slot(objective_id, 64)], 1);
    atomic_fetch_add(&g->objectives, 1);
}

void fd_gen_bump_all(struct fd_gens *g)
{
    atomic_fetch_add(&g->global, 1);
}

struct fd_gen_snap fd_gen_thread(struct fd_gens *g, int64_t thread_id)
{
    struct fd_gen_snap s = { atomic_load(&g->thread[slot(thread_id, FD_GEN_SLOTS)]), atomic_load(&g->global) };
    return s;
}

struct fd_gen_snap fd_gen_objective(struct fd_gens *g, int64_t objective_id)
{
    struct fd_gen_snap s = { atomic_load(&g->objective[slot(objective_id, 64)]), atomic_load(&g->global) };
    return s;
}

struct fd_gen_snap fd_gen_objectives(struct fd_gens *g)
{
    struct fd_gen_snap s = { atomic_load(&g->objectives), atomic_load(&g->global) };
    return s;
}

/* ---- cache ---- */

struct entry {
    struct entry *lru_prev, *lru_next; /* most recent at head */
    struct entry *chain;
    uint64_t hash;
    char *key;
    struct fd_gen_snap gen;
    int64_t valid_until;
    int64_t *anon;
    size_t n_anon;
    char *body;
    size_t len;
    char etag[FD_ETAG_LEN];
};

struct fd_cache {
    struct entry **buckets;
    size_t n_buckets; /* a power of two */
    size_t n_entries;
    size_t bytes, max_bytes;
    struct entry *head, *tail;
    uint64_t hits, misses;
};

static uint64_t fnv1a(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void fd_etag_for(const char *key, struct fd_gen_snap gen, int64_t valid_until, int64_t variant, char *buf)
{
    static _Atomic uint32_t boot_salt;
    uint32_t boot = atomic_load(&boot_salt);
    if (!boot) {
        uint32_t mine = randombytes_random() | 1u, none = 0;
        boot = atomic_compare_exchange_strong(&boot_salt, &none, mine) ? mine : none;
    }
    snprintf(buf, FD_ETAG_LEN, "\"%08x-%llx-%llx-%llx-%llx-%llx\"", boot, (unsigned long long)gen.object,
             (unsigned long long)gen.global, (unsigned long long)valid_until, (unsigned long long)variant,
             (unsigned long long)(fnv1a(key, strlen(key)) & 0xffffffffu));
}

struct fd_cache *fd_cache_new(size_t max_bytes)
{
    struct fd_cache *c = fd_xcalloc(1, sizeof *c);
    c->n_buckets = 1024;
    c->buckets = fd_xcalloc(c->n_buckets, sizeof *c->buckets);
    c->max_bytes = max_bytes;
    return c;
}

static size_t entry_cost(const struct entry *e)
{
    return sizeof *e + strlen(e->key) + e->len + e->n_anon * sizeof(int64_t);
}

static void lru_unlink(struct fd_cache *c, struct entry *e)
{
    if (e->lru_prev)
        e->lru_prev->lru_next = e->lru_next;
    else
        c->head = e->lru_next;
    if (e->lru_next)
        e->lru_next->lru_prev = e->lru_prev;
    else
        c->tail = e->lru_prev;
    e->lru_prev = e->lru_next = NULL;
}

static void lru_push_head(struct fd_cache *c, struct entry *e)
{
    e->lru_prev = NULL;
    e->lru_next = c->head;
    if (c->head)
        c->head->lru_prev = e;
    c->head = e;
    if (!c->tail)
        c->tail = e;
}

static void entry_remove(struct fd_cache *c, struct entry *e)
{
    struct entry **p = &c->buckets[e->hash & (c->n_buckets - 1)];
    while (*p && *p != e)
        p = &(*p)->chain;
    if (*p)
        *p = e->chain;
    lru_unlink(c, e);
    c->bytes -= entry_cost(e);
    c->n_entries--;
    free(e->key);
    free(e->anon);
    free(e->body);
    free(e);
}

void fd_cache_free(struct fd_cache *c)
{
    if (!c)
        return;
    while (c->head)
        entry_remove(c, c->head);
    free(c->buckets);
    free(c);
}

static struct entry *find(struct fd_cache *c, const char *key, uint64_t h)
{
    for (struct entry *e = c->buckets[h & (c->n_buckets - 1)]; e; e = e->chain)
        if (e->hash == h && !strcmp(e->key, key))
            return e;
    return NULL;
}

static void fill(const struct entry *e, struct fd_cached_page *out)
{
    out->body = e->body;
    out->len = e->len;
    out->etag = e->etag;
    out->anon = e->anon;
    out->n_anon = e->n_anon;
}

bool fd_cache_get(struct fd_cache *c, const char *key, struct fd_gen_snap gen, int64_t now,
                  struct fd_cached_page *out)
{
    uint64_t h = fnv1a(key, strlen(key));
    struct entry *e = find(c, key, h);
    if (e && (e->gen.object != gen.object || e->gen.global != gen.global ||
              (e->valid_until && now >= e->valid_until))) {
        entry_remove(c, e);
        e = NULL;
    }
    if (!e) {
        c->misses++;
        return false;
    }
    c->hits++;
    lru_unlink(c, e);
    lru_push_head(c, e);
    fill(e, out);
    return true;
}

static void grow(struct fd_cache *c)
{
    size_t n = c->n_buckets * 2;
    struct entry **b = fd_xcalloc(n, sizeof *b);
    for (size_t i = 0; i < c->n_buckets; i++) {
        struct entry *e = c->buckets[i];
        while (e) {
            struct entry *next = e->chain;
            e->chain = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    free(c->buckets);
    c->buckets = b;
    c->n_buckets = n;
}

void fd_cache_put(struct fd_cache *c, const char *key, struct fd_gen_snap gen, int64_t valid_until,
                  const int64_t *anon, size_t n, const char *body, size_t len)
{
    uint64_t h = fnv1a(key, strlen(key));
    struct entry *old = find(c, key, h);
    if (old)
        entry_remove(c, old);
    struct entry *e = fd_xcalloc(1, sizeof *e);
    e->hash = h;
    e->key = fd_xstrdup(key);
    e->gen = gen;
    e->valid_until = valid_until;
    if (n) {
        e->anon = fd_xmalloc(n * sizeof *anon);
        memcpy(e->anon, anon, n * sizeof *anon);
        e->n_anon = n;
    }
    e->body = fd_xmalloc(len + 1);
    memcpy(e->body, body, len);
    e->body[len] = '\0';
    e->len = len;
    fd_etag_for(key, gen, valid_until, 0, e->etag);
    if (entry_cost(e) > c->max_bytes / 8) { /* one page may not crowd out the rest */
        free(e->key);
        free(e->anon);
        free(e->body);
        free(e);
        return;
    }
    while (c->head && c->bytes + entry_cost(e) > c->max_bytes)
        entry_remove(c, c->tail);
    if (c->n_entries >= c->n_buckets)
        grow(c);
    e->chain = c->buckets[h & (c->n_buckets - 1)];
    c->buckets[h & (c->n_buckets - 1)] = e;
    lru_push_head(c, e);
    c->bytes += entry_cost(e);
    c->n_entries++;
}

void fd_cache_stats(const struct fd_cache *c, uint64_t *hits, uint64_t *misses, size_t *bytes)
{
    *hits = c->hits;
    *misses = c->misses;
    *bytes = c->bytes;
}
