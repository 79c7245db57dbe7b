/* libFuzzer harness: request-target parsing and path decoding as the HTTP layer does them
 * (evhttp_uri_parse_with_flags, evhttp_uridecode, the checks of parse_request in http.c), then the
 * route table lookup for every method.
 *
 * Input: one byte choosing the method (its low three bits; 0 = a method we do not know), then the
 * request target as it would stand on the request line.
 *
 * Checks: an independent matcher written here must agree with fd_router_match_one on every route
 * of the table; fd_router_match must return the first route of the table that matches path and
 * method, with exactly the parameters the pattern captures, and otherwise the right 404/405 and
 * Allow set; fd_router_methods_str must stay inside any buffer it is given. */
#include <event2/http.h>
#include "forumd/router.h"

#define MAX_SEGS 64

static const int methods[] = { 0, FD_GET, FD_HEAD, FD_POST, FD_PUT, FD_PATCH, FD_DELETE, FD_OPTIONS };

static void fail(const char *what, const char *path) __attribute__((noreturn));

static void fail(const char *what, const char *path)
{
    fprintf(stderr, "fuzz_router: %s (path \"%s\")\n", what, path);
    abort();
}

/* Splits s at '/' into at most MAX_SEGS (start, length) pairs; -1 if there are more. */
static int split(const char *s, const char **seg, size_t *len)
{
    int n = 0;
    for (;;) {
        const char *e = strchr(s, '/');
        size_t l = e ? (size_t)(e - s) : strlen(s);
        if (n == MAX_SEGS)
            return -1;
        seg[n] = s;
        len[n] = l;
        n++;
        if (!e)
            return n;
        s = e + 1;
    }
}

/* The matcher as the route table's comment describes it, written without looking at router.c's
 * loop: same number of '/'-separated segments; a literal segment is equal; "{name}suffix" takes a
 * segment that ends with suffix and has at least one byte before it. The captured values go to
 * val/val_len (at most FD_MAX_PARAMS). Returns -1 when the path has too many segments to judge. */
static int my_match(const char *pattern, const char *path, const char **val, size_t *val_len, int *nval)
{
    const char *ps[MAX_SEGS], *ss[MAX_SEGS];
    size_t pl[MAX_SEGS], sl[MAX_SEGS];
    int np = split(pattern, ps, pl), ns = split(path, ss, sl);
    *nval = 0;
    if (np < 0 || ns < 0)
        return -1;
    if (np != ns)
        return 0;
    for (int i = 0; i < np; i++) {
        if (pl[i] > 0 && ps[i][0] == '{') {
            const char *close = memchr(ps[i], '}', pl[i]);
            if (!close)
                return 0;
            size_t suffix = pl[i] - (size_t)(close + 1 - ps[i]);
            if (sl[i] <= suffix || memcmp(ss[i] + sl[i] - suffix, close + 1, suffix) != 0)
                return 0;
            if (*nval < FD_MAX_PARAMS) {
                val[*nval] = ss[i];
                val_len[*nval] = sl[i] - suffix;
                (*nval)++;
            }
        } else if (pl[i] != sl[i] || memcmp(ps[i], ss[i], pl[i]) != 0) {
            return 0;
        }
    }
    return 1;
}

static void check_route_lookup(const char *path)
{
    bool matches[256];
    if (fd_routes_count > FD_ARRAY_LEN(matches))
        fail("route table larger than the harness expects", path);
    for (size_t i = 0; i < fd_routes_count; i++) {
        const char *val[FD_MAX_PARAMS];
        size_t val_len[FD_MAX_PARAMS];
        int nval;
        int mine = my_match(fd_routes[i].pattern, path, val, val_len, &nval);
        struct fd_params p = { 0 };
        bool theirs = fd_router_match_one(fd_routes[i].pattern, path, &p);
        if (mine >= 0 && (mine == 1) != theirs)
            fail(theirs ? "fd_router_match_one matched a path the pattern does not describe"
                        : "fd_router_match_one missed a path the pattern describes",
                 path);
        if (mine < 0)
            theirs = false; /* too many segments for the oracle: the table has none that long */
        matches[i] = theirs;
        if (theirs) {
            if (p.n != nval)
                fail("captured parameter count differs", path);
            for (int k = 0; k < p.n; k++)
                if (strlen(p.value[k]) != val_len[k] || memcmp(p.value[k], val[k], val_len[k]) != 0 ||
                    !val_len[k] || strchr(p.value[k], '/'))
                    fail("captured parameter value differs", path);
        } else if (p.n != 0) {
            fail("a failed match left parameters behind", path);
        }
        fd_params_clear(&p);
    }

    for (size_t m = 0; m < FD_ARRAY_LEN(methods); m++) {
        int method = methods[m], want = method == FD_HEAD ? FD_GET : method;
        const struct fd_route *expect = NULL;
        int expect_allowed = 0;
        for (size_t i = 0; i < fd_routes_count && !expect; i++) {
            if (!matches[i])
                continue;
            expect_allowed |= fd_routes[i].method;
            if (fd_routes[i].method == want)
                expect = &fd_routes[i];
        }
        if (expect_allowed & FD_GET)
            expect_allowed |= FD_HEAD;

        const struct fd_route *route = NULL;
        struct fd_params p = { 0 };
        int allowed = -1;
        enum fd_match r = fd_router_match(fd_routes, fd_routes_count, method, path, &route, &p, &allowed);
        if (expect) {
            if (r != FD_MATCH_OK || route != expect)
                fail("fd_router_match did not pick the first matching route", path);
            int braces = 0;
            for (const char *c = route->pattern; *c; c++)
                braces += *c == '{';
            if (p.n != braces)
                fail("matched route's parameters are not all captured", path);
            for (int k = 0; k < p.n; k++) {
                char name[64];
                if (p.name_len[k] >= sizeof name)
                    fail("parameter name too long", path);
                memcpy(name, p.name[k], p.name_len[k]);
                name[p.name_len[k]] = '\0';
                if (fd_params_get(&p, name) == NULL)
                    fail("fd_params_get cannot find a captured parameter", path);
            }
        } else if (expect_allowed) {
            if (r != FD_MATCH_NO_METHOD || allowed != expect_allowed || (allowed & want))
                fail("fd_router_match: wrong 405 or Allow set", path);
        } else if (r != FD_MATCH_NO_PATH || allowed != 0) {
            fail("fd_router_match: a path no route matches is not a 404", path);
        }
        fd_params_clear(&p);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 8192)
        return 0;
    uint8_t sel = data[0];
    char *target = fd_xstrndup((const char *)data + 1, size - 1);

    /* The Allow text: any method set, any buffer size, never past the end, always terminated. */
    size_t blen = (size_t)(sel >> 3) % 48 + 1;
    char *buf = fd_xmalloc(blen);
    fd_router_methods_str(sel, buf, blen);
    if (memchr(buf, '\0', blen) == NULL)
        fail("fd_router_methods_str left its buffer unterminated", "");
    free(buf);

    /* As evhttp parses the request line (2.1: evhttp_parse_request_line) and http.c the path. */
    struct evhttp_uri *uri = evhttp_uri_parse_with_flags(target, EVHTTP_URI_NONCONFORMANT);
    const char *raw = uri ? evhttp_uri_get_path(uri) : NULL;
    size_t len = 0;
    char *path = raw ? evhttp_uridecode(raw, 0, &len) : NULL;
    /* http.c refuses a path with NUL, without a leading '/' or not UTF-8 before routing; the router
     * is checked on every decoded path all the same, and on the undecoded target. */
    if (path)
        check_route_lookup(path);
    if (!path || strcmp(path, target) != 0)
        check_route_lookup(target);
    free(path);
    if (uri)
        evhttp_uri_free(uri);
    free(target);
    return 0;
}
