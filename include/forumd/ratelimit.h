/* Abuse limits kept in memory, shared by the loop threads: token buckets per client address or
 * account, progressive back-off after failed sign-ins, and "seen recently" marks for refusing the
 * same post twice. Intervals use the monotonic clock, so a step of the wall clock neither frees
 * nor blocks anyone. The table is bounded: when a shard fills, idle entries go first.
 *
 * Nothing here survives a restart; limits are about minutes, and a restart is rare. */
#ifndef FORUMD_RATELIMIT_H
#define FORUMD_RATELIMIT_H

#include <stdbool.h>
#include "forumd/config.h"

enum fd_rl_kind {
    FD_RL_LOGIN_ADDRESS,   /* every sign-in attempt from an address */
    FD_RL_LOGIN_ACCOUNT,   /* failed sign-ins for an email address, from anywhere */
    FD_RL_LOGIN_PAIR,      /* failed sign-ins for an email address from one address: back-off */
    FD_RL_REGISTER_ADDRESS,
    FD_RL_POST_ADDRESS,
    FD_RL_POST_ACCOUNT,
    FD_RL_POST_NEW_ACCOUNT,
    FD_RL_FLAG_ACCOUNT,
    FD_RL_SEARCH_ADDRESS,
    FD_RL_STREAM_ADDRESS,
    FD_RL_DUPLICATE,       /* author + hash of a body posted recently */
    FD_RL_KINDS
};

struct fd_ratelimit;

struct fd_ratelimit *fd_rl_new(void);
void fd_rl_free(struct fd_ratelimit *rl);

/* Takes a token from the bucket of (kind, key) shaped by rate. Returns 0 when allowed, else the
 * whole seconds (>= 1) until a token will be there. A rate with burst 0 never limits. */
int fd_rl_take(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key, struct fd_rate rate);
/* Like fd_rl_take without taking: 0 if a token is there now, else the seconds to wait. */
int fd_rl_peek(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key, struct fd_rate rate);

/* Progressive back-off: fd_rl_backoff_wait says how many seconds are left before (kind, key) may
 * try again (0 = now); each fd_rl_backoff_fail after the first `free_failures` doubles the wait,
 * from 1 s up to max_seconds; fd_rl_backoff_reset forgets the failures. */
int fd_rl_backoff_wait(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key);
void fd_rl_backoff_fail(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key, int free_failures,
                        int max_seconds);
void fd_rl_backoff_reset(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key);

/* Marks (kind, key) for ttl seconds; false (and no change) if it is marked already. */
bool fd_rl_mark(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key, int ttl);
/* Removes a mark (a write that was refused should not block its own retry). */
void fd_rl_unmark(struct fd_ratelimit *rl, enum fd_rl_kind kind, const char *key);

/* The key of a client address: IPv4 as is, IPv6 by its /64 (one subscriber's usual share). */
void fd_rl_address_key(const char *peer, char *out, size_t len);

/* Entries held now (for tests and the stop log). */
size_t fd_rl_count(struct fd_ratelimit *rl);

#endif
