/* Common definitions every forumd module includes: the error enum, allocation helpers that abort on
 * out-of-memory (so OOM is never an error path), and time helpers. */
#ifndef FORUMD_FD_H
#define FORUMD_FD_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

/* Results of the rules and storage layers; only http.c maps them to statuses. */
enum fd_err {
    FD_OK = 0,
    FD_ENOTFOUND = -1,
    FD_ECONFLICT = -2,
    FD_EINVAL = -3,
    FD_EFORBIDDEN = -4,
    FD_ELOCKED = -5,
    FD_ECLOSED = -6,
    FD_ESUSPENDED = -7,
    FD_EINTERNAL = -8,
    FD_EBUSY = -9, /* the database stayed locked past the busy timeout: try again */
    FD_EFULL = -10, /* disk full */
};

/* True if s consists only of base64url characters (A-Z a-z 0-9 - _). libsodium's decoder reads
 * bytes above 0x7f as '_', so text must be checked before it is decoded. */
bool fd_is_base64url(const char *s);

#define FD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that aborts on failure. */
void *fd_xmalloc(size_t n);
void *fd_xcalloc(size_t n, size_t size);
void *fd_xrealloc(void *p, size_t n);
char *fd_xstrdup(const char *s);
char *fd_xstrndup(const char *s, size_t n);
/* Returns a newly allocated printf-formatted string; the caller frees it. */
char *fd_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Wall-clock time in unix seconds. */
int64_t fd_now(void);
/* Wall-clock seconds that advance with the monotonic clock (see util.c): for session ages and
 * expiry, which a step of the system clock must not move. */
int64_t fd_now_steady(void);
/* Monotonic time in microseconds, for measuring intervals. */
int64_t fd_mono_us(void);

#define FD_RFC3339_LEN 32
/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least FD_RFC3339_LEN bytes); returns buf. */
char *fd_time_rfc3339(int64_t t, char *buf);
/* Parses an RFC 3339 timestamp (with Z or a numeric offset, optional fraction); 0 on success. */
int fd_time_parse(const char *s, int64_t *out);

#include "forumd/banned.h"

#endif
