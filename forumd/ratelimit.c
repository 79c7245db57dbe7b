/* Token buckets, back-off and recent marks in one bounded, sharded table (see ratelimit.h).
 *
 * Every entry is (kind, key) → two numbers whose meaning depends on the kind:
 *   bucket:  a = tokens left, b = when they were counted;
 *   back-off: a = failures, b = when the next try is allowed;
 *   mark:    b = when it expires.
 * A full shard first drops idle entries, then the oldest ones in the order they came (a list per
 * shard, so that a flood of fresh keys costs each insertion O(1), never a scan). */
#include <arpa/inet.h>
#include <math.h>
#include <pthread.h>
#include <time.h>
#include "forumd/fd.h"
#include "forumd/ratelimit.h"

#define SHARDS 32
#define SLOTS 1024          /* hash chains per shard */
#define SHARD_CAP 8192      /* entries per shard: 262,144 in all, about 25 MB at most */
#define KEY_MAX 72
#define BACKOFF_FORGET 3600 /* failures older than this are forgotten */

struct entry {
    struct entry *next;          /* hash chain */
    struct entry *older, *newer; /* the shard's list, oldest first */
    int kind;
    char key[KEY_MAX];
    double a, b, seen;
};

struct shard {
    pthread_mutex_t lock;
    struct entry *slots[SLOTS];
    struct entry *oldest, *newest;
    size_t n;
};

struct fd_ratelimit {
    struct shard shards[SHARDS];
};

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t hash_key(int kind, const char *key)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)kind; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

struct fd_ratelimit *fd_rl_new(void)
{
    struct fd_ratelimit *rl = fd_xcalloc(1, sizeof *rl);
    for (int i = 0; i < SHARDS; i++)
        pthread_mutex_init(&rl->shards[i].lock, NULL);
    return rl;
}

void fd_rl_free(struct fd_ratelimit *rl)
{
    if (!rl)
        return;
    for (int i = 0; i < SHARDS; i++) {
        for (int j = 0; j < SLOTS; j++)
            for (struct entry *e = rl->shards[i].slots[j], *next; e; e = next) {
                next = e->next;
                free(e);
            }
        pthread_mutex_destroy(&rl->shards[i].lock);
    }
    free(rl);
}

/* An entry nobody would miss: a bucket refilled to the brim, a back-off long past, a mark expired. */
static bool idle(const struct entry *e, double now)
{
    switch (e->kind) {
    case FD_RL_LOGIN_PAIR:
        return now - e->b > BACKOFF_FORGET;
    case FD_RL_DUPLICATE:
        return now >= e->b;
    default:
        return now - e->seen > 3600; /* buckets of at most an hour's period are full again */
    }
}

/* Unlinks e (found at *pp in its hash chain) from both lists and frees it. */
static void drop(struct shard *s, struct entry **pp)
{
    struct entry *e = *pp;
    *pp = e->next;
    if (e->older)
        e->older->newer = e->newer;
    else
        s->oldest = e->newer;
    if (e->newer)
        e->newer->older = e->older;
    else
        s->newest = e->older;
    free(e);
    s->n--;
}

static struct entry **chain_of(struct shard *s, const struct entry *e)
{
    struct entry **pp = &s->slots[(hash_key(e->kind, e->key) >> 8) % SLOTS];
    while (*pp != e)
        pp = &(*pp)->next;
    return pp;
}

/* Idle entries go first, then the oldest, down to 7/8 of the bound: the pass over the shard is
 * paid at most once per SHARD_CAP / 8 insertions. */
static void make_room(struct shard *s, double now)
{
    for (int j = 0; j < SLOTS; j++)
        for (struct entry **pp = &s->slots[j]; *pp;) {
            if (idle(*pp, now))
                drop(s, pp);
            else
                pp = &(*pp)->next;
        }
    while (s->n > SHARD_CAP - SHARD_CAP / 8 && s->oldest)
        drop(s, chain_of(s, s->oldest));
}

/* Finds (kind, key) in its shard, which the caller has locked; creates it when create is set
 * (fresh fields zero, fresh = true). NULL when absent and not created. */
static struct entry *find(struct shard *s, uint64_t h, int kind, const char *key, bool create, double now,
                          bool *fresh)
{
    struct entry **head = &s->slots[(h >> 8) % SLOTS];
    for (struct entry *e = *head; e; e = e->next)
        if (e->kind == kind && !strcmp(e->key, key)) {
            *fresh = false;
            return e;
        }
    if (!create)
        return NULL;
    if (s->n >= SHARD_CAP)
        make_room(s, now);
    struct entry *e = fd_xcalloc(1, sizeof *e);
    e->kind = kind;
    snprintf(e->key, sizeof e->key, "%s", key);
    e->next = *head;
    *head = e;
    e->older = s->newest;
    if (s->newest)
        s->newest->newer = e;
    else
        s->oldest = e;
    s->newest = e;
    s->n++;
    *fresh = true;
    return e;
}

static struct shard *shard_of(struct fd_ratelimit *rl, uint64_t h)
{
    return &rl->shards[h % SHARDS];
}

/* take: whether to take the token when there is one. */
static int bucket(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key, struct fd_rate rate, bool take)
{
    if (rate.burst <= 0)
        return 0;
    double now = mono_now(), per_sec = (double)rate.burst / rate.period;
    uint64_t h = hash_key(kind, key);
    struct shard *s = shard_of(rl, h);
    int wait = 0;
    bool fresh;
    pthread_mutex_lock(&s->lock);
    struct entry *e = find(s, h, kind, key, true, now, &fresh);
    if (fresh)
        e->a = rate.burst;
    else
        e->a = fmin((double)rate.burst, e->a + (now - e->b) * per_sec);
    e->b = now;
    e->seen = now;
    if (e->a >= 1.0) {
        if (take)
            e->a -= 1.0;
    } else {
        wait = (int)ceil((1.0 - e->a) / per_sec);
        wait = wait < 1 ? 1 : wait;
    }
    pthread_mutex_unlock(&s->lock);
    return wait;
}

int fd_rl_take(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key, struct fd_rate rate)
{
    return bucket(rl, kind, key, rate, true);
}

int fd_rl_peek(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key, struct fd_rate rate)
{
    return bucket(rl, kind, key, rate, false);
}

int fd_rl_backoff_wait(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key)
{
    double now = mono_now();
    uint64_t h = hash_key(kind, key);
    struct shard *s = shard_of(rl, h);
    int wait = 0;
    bool fresh;
    pthread_mutex_lock(&s->lock);
    struct entry *e = find(s, h, kind, key, false, now, &fresh);
    if (e && e->b > now)
        wait = (int)ceil(e->b - now);
    pthread_mutex_unlock(&s->lock);
    return wait;
}

void fd_rl_backoff_fail(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key, int free_failures,
                        int max_seconds)
{
    double now = mono_now();
    uint64_t h = hash_key(kind, key);
    struct shard *s = shard_of(rl, h);
    bool fresh;
    pthread_mutex_lock(&s->lock);
    struct entry *e = find(s, h, kind, key, true, now, &fresh);
    if (!fresh && now - e->seen > BACKOFF_FORGET)
        e->a = 0;
    e->a += 1;
    e->seen = now;
    if (e->a > free_failures) {
        double delay = ldexp(1.0, (int)fmin(e->a - free_failures - 1, 30));
        e->b = now + fmin(delay, (double)max_seconds);
    }
    pthread_mutex_unlock(&s->lock);
}

static void remove_entry(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key)
{
    uint64_t h = hash_key(kind, key);
    struct shard *s = shard_of(rl, h);
    pthread_mutex_lock(&s->lock);
    for (struct entry **pp = &s->slots[(h >> 8) % SLOTS]; *pp; pp = &(*pp)->next)
        if ((*pp)->kind == (int)kind && !strcmp((*pp)->key, key)) {
            drop(s, pp);
            break;
        }
    pthread_mutex_unlock(&s->lock);
}

void fd_rl_backoff_reset(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key)
{
    remove_entry(rl, kind, key);
}

bool fd_rl_mark(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key, int ttl)
{
    double now = mono_now();
    uint64_t h = hash_key(kind, key);
    struct shard *s = shard_of(rl, h);
    bool fresh, ok;
    pthread_mutex_lock(&s->lock);
    struct entry *e = find(s, h, kind, key, true, now, &fresh);
    ok = fresh || now >= e->b;
    if (ok)
        e->b = now + ttl;
    e->seen = now;
    pthread_mutex_unlock(&s->lock);
    return ok;
}

void fd_rl_unmark(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key)
{
    remove_entry(rl, kind, key);
}

void fd_rl_address_key(const char *peer, char *out, size_t len)
{
    struct in6_addr a6;
    if (peer && strchr(peer, ':') && inet_pton(AF_INET6, peer, &a6) == 1) {
        memset(a6.s6_addr + 8, 0, 8);
        char buf[INET6_ADDRSTRLEN];
        if (inet_ntop(AF_INET6, &a6, buf, sizeof buf)) {
            snprintf(out, len, "%s/64", buf);
            return;
        }
    }
    snprintf(out, len, "%s", peer ? peer : "?");
}

size_t fd_rl_count(struct fd_ratelimit *rl)
{
    size_t n = 0;
    for (int i = 0; i < SHARDS; i++) {
        pthread_mutex_lock(&rl->shards[i].lock);
        n += rl->shards[i].n;
        pthread_mutex_unlock(&rl->shards[i].lock);
    }
    return n;
}
