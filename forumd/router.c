/* Matching paths against "/api/v1/threads/{id}" patterns. A {name} stands for one non-empty
 * segment, optionally followed by a literal suffix inside the same segment ("{id}.atom"). */
#include "forumd/router.h"

void fd_params_clear(struct fd_params *p)
{
    for (int i = 0; i < p->n; i++)
        free(p->value[i]);
    memset(p, 0, sizeof *p);
}

const char *fd_params_get(const struct fd_params *p, const char *name)
{
    for (int i = 0; i < p->n; i++)
        if (strlen(name) == p->name_len[i] && !strncmp(p->name[i], name, p->name_len[i]))
            return p->value[i];
    return NULL;
}

/* Matches one pattern segment [ps, pe) against one path segment [s, e). */
static bool match_segment(const char *ps, const char *pe, const char *s, const char *e, struct fd_params *params)
{
    if (ps == pe || *ps != '{')
        return (size_t)(pe - ps) == (size_t)(e - s) && !strncmp(ps, s, (size_t)(pe - ps));
    const char *close = memchr(ps, '}', (size_t)(pe - ps));
    if (!close)
        return false;
    size_t suffix = (size_t)(pe - close - 1);
    if ((size_t)(e - s) <= suffix || strncmp(e - suffix, close + 1, suffix) != 0)
        return false;
    if (params && params->n < FD_MAX_PARAMS) {
        params->name[params->n] = ps + 1;
        params->name_len[params->n] = (size_t)(close - ps - 1);
        params->value[params->n] = fd_xstrndup(s, (size_t)(e - s) - suffix);
        params->n++;
    }
    return true;
}

bool fd_router_match_one(const char *pattern, const char *path, struct fd_params *params)
{
    const char *p = pattern, *s = path;
    int start = params ? params->n : 0;
    while (*p == '/' && *s == '/') {
        p++;
        s++;
        const char *pe = strchrnul(p, '/');
        const char *se = strchrnul(s, '/');
        if (!match_segment(p, pe, s, se, params))
            goto out_undo;
        p = pe;
        s = se;
    }
    if (*p == '\0' && *s == '\0')
        return true;
out_undo:
    if (params) {
        while (params->n > start) {
            params->n--;
            free(params->value[params->n]);
            params->value[params->n] = NULL;
        }
    }
    return false;
}

enum fd_match fd_router_match(const struct fd_route *table, size_t n, int method, const char *path,
                              const struct fd_route **out, struct fd_params *params, int *allowed)
{
    int want = (method == FD_HEAD) ? FD_GET : method;
    *allowed = 0;
    for (size_t i = 0; i < n; i++) {
        if (!fd_router_match_one(table[i].pattern, path, NULL))
            continue;
        *allowed |= table[i].method;
        if (table[i].method == want) {
            fd_router_match_one(table[i].pattern, path, params);
            *out = &table[i];
            return FD_MATCH_OK;
        }
    }
    if (*allowed & FD_GET)
        *allowed |= FD_HEAD;
    return *allowed ? FD_MATCH_NO_METHOD : FD_MATCH_NO_PATH;
}

void fd_router_methods_str(int methods, char *buf, size_t len)
{
    static const struct { int m; const char *name; } names[] = {
        { FD_GET, "GET" }, { FD_HEAD, "HEAD" }, { FD_POST, "POST" }, { FD_PUT, "PUT" },
        { FD_PATCH, "PATCH" }, { FD_DELETE, "DELETE" }, { FD_OPTIONS, "OPTIONS" },
    };
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < FD_ARRAY_LEN(names); i++) {
        if (!(methods & names[i].m))
            continue;
        int w = snprintf(buf + o, len - o, "%s%s", o ? ", " : "", names[i].name);
        if (w < 0 || (size_t)w >= len - o)
            break;
        o += (size_t)w;
    }
}
