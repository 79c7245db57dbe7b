/* Logging: one line per event on stderr, written with a single fputs so that lines from several
 * threads do not interleave. */
#include <stdarg.h>
#include <time.h>
#include "forumd/log.h"

void fd_log(const char *level, const char *fmt, ...)
{
    char line[2048];
    char ts[FD_RFC3339_LEN];
    int n = snprintf(line, sizeof line, "%s %s ", fd_time_rfc3339(fd_now(), ts), level);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof line)
        vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    size_t len = strlen(line);
    if (len + 1 < sizeof line) {
        line[len] = '\n';
        line[len + 1] = '\0';
    } else {
        line[sizeof line - 2] = '\n';
    }
    fputs(line, stderr);
}

char *fd_log_clean(const char *s, char *buf, size_t n)
{
    size_t o = 0;
    if (n == 0)
        return buf;
    for (; s && *s && o + 5 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
            o += (size_t)snprintf(buf + o, n - o, "\\x%02x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    buf[o] = '\0';
    return buf;
}
