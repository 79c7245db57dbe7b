/* Logging to stderr, one line per event. Values are escaped so that no input can forge a line;
 * callers never pass passwords, tokens or cookies. Thread-safe. */
#ifndef FORUMD_LOG_H
#define FORUMD_LOG_H

#include "forumd/fd.h"

void fd_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define fd_log_info(...) fd_log("info", __VA_ARGS__)
#define fd_log_warn(...) fd_log("warn", __VA_ARGS__)
#define fd_log_error(...) fd_log("error", __VA_ARGS__)

/* Copies s into buf (size n) with control characters, quotes and backslashes escaped, truncating
 * long values; returns buf. For user-controlled values inside log lines. */
char *fd_log_clean(const char *s, char *buf, size_t n);

#endif
