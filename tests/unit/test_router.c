/* Unit tests of router.c (pattern matching, 404 vs 405, Allow text) and of the route table in
 * routes.c (every write is CSRF-protected, no route shadows another). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "forumd/router.h"

/* ---- fd_router_match_one ---- */

Test(router_match_one, captures_a_param)
{
    struct fd_params p = { 0 };
    cr_assert(fd_router_match_one("/api/v1/threads/{id}", "/api/v1/threads/42", &p));
    cr_assert_eq(p.n, 1);
    cr_assert_str_eq(fd_params_get(&p, "id"), "42");
    cr_assert_null(fd_params_get(&p, "i"));
    cr_assert_null(fd_params_get(&p, "idx"));
    fd_params_clear(&p);
    cr_assert_eq(p.n, 0);
}

Test(router_match_one, captures_a_param_before_a_literal_suffix)
{
    struct fd_params p = { 0 };
    cr_assert(fd_router_match_one("/feeds/threads/{id}.atom", "/feeds/threads/7.atom", &p));
    cr_assert_str_eq(fd_params_get(&p, "id"), "7");
    fd_params_clear(&p);
}

Test(router_match_one, captures_several_params_in_order)
{
    struct fd_params p = { 0 };
    cr_assert(fd_router_match_one("/a/{x}/b/{y}", "/a/one/b/two", &p));
    cr_assert_eq(p.n, 2);
    cr_assert_str_eq(fd_params_get(&p, "x"), "one");
    cr_assert_str_eq(fd_params_get(&p, "y"), "two");
    fd_params_clear(&p);
}

Test(router_match_one, params_of_a_failed_match_are_undone)
{
    /* The first segment captures, the last one fails: nothing may be left behind (ASan checks the frees). */
    struct fd_params p = { 0 };
    cr_assert_not(fd_router_match_one("/a/{x}/b", "/a/1/c", &p));
    cr_assert_eq(p.n, 0);
    cr_assert_null(fd_params_get(&p, "x"));
    /* Earlier captures of a previous successful match are kept. */
    cr_assert(fd_router_match_one("/t/{id}", "/t/9", &p));
    cr_assert_not(fd_router_match_one("/a/{x}/{y}/z", "/a/1/2/q", &p));
    cr_assert_eq(p.n, 1);
    cr_assert_str_eq(fd_params_get(&p, "id"), "9");
    fd_params_clear(&p);
}

Test(router_match_one, null_params_is_allowed)
{
    cr_assert(fd_router_match_one("/api/v1/threads/{id}", "/api/v1/threads/1", NULL));
    cr_assert_not(fd_router_match_one("/api/v1/threads/{id}", "/api/v1/threads/", NULL));
}

/* Criterion copies parameters into the test process, which is a fresh exec of this binary: parameter
 * structs hold their text inline, never pointers into this process. */
struct match_case {
    char pattern[40];
    char path[40];
    bool match;
    char id[8]; /* expected {id} when it matches, or "" */
};

static const struct match_case match_cases[] = {
    { "/healthz", "/healthz", true, "" },
    { "/healthz", "/healthz/", false, "" }, /* trailing slash */
    { "/healthz", "/healthzz", false, "" },
    { "/healthz", "/health", false, "" },
    { "/healthz", "/HEALTHZ", false, "" }, /* paths are case-sensitive */
    { "/healthz", "", false, "" },
    { "/healthz", "healthz", false, "" },
    { "/healthz", "//healthz", false, "" },
    { "/", "/", true, "" },
    { "/", "/x", false, "" },
    { "/api/v1/threads/{id}", "/api/v1/threads/12", true, "12" },
    { "/api/v1/threads/{id}", "/api/v1/threads/abc", true, "abc" },    /* the handler validates the id */
    { "/api/v1/threads/{id}", "/api/v1/threads/12/", false, "" },      /* trailing slash */
    { "/api/v1/threads/{id}", "/api/v1/threads/12/posts", false, "" }, /* extra segment */
    { "/api/v1/threads/{id}", "/api/v1/threads/", false, "" },         /* empty segment */
    { "/api/v1/threads/{id}", "/api/v1/threads", false, "" },
    { "/api/v1/threads/{id}", "/api/v1/threads//", false, "" },
    { "/api/v1/threads/{id}", "/api/v1/threads//12", false, "" },
    { "/api/v1/threads/{id}", "/api/v1/thread/12", false, "" },
    { "/api/v1/threads/{id}", "/api/v2/threads/12", false, "" },
    { "/api/v1/threads/{id}/posts", "/api/v1/threads/5/posts", true, "5" },
    { "/api/v1/threads/{id}/posts", "/api/v1/threads//posts", false, "" },
    { "/api/v1/threads/{id}/posts", "/api/v1/threads/5/posts/", false, "" },
    { "/api/v1/threads/{id}/posts", "/api/v1/threads/5/post", false, "" },
    { "/feeds/threads/{id}.atom", "/feeds/threads/7.atom", true, "7" },
    { "/feeds/threads/{id}.atom", "/feeds/threads/.atom", false, "" }, /* empty param before the suffix */
    { "/feeds/threads/{id}.atom", "/feeds/threads/7.rss", false, "" },
    { "/feeds/threads/{id}.atom", "/feeds/threads/7", false, "" },
    { "/feeds/threads/{id}.atom", "/feeds/threads/7.atom/", false, "" },
    { "/feeds/threads/{id}.atom", "/feeds/threads/atom", false, "" },
    { "/feeds/threads/{id}.atom", "/feeds/threads/1.2.atom", true, "1.2" },
};

ParameterizedTestParameters(router_match_one, table)
{
    return cr_make_param_array(struct match_case, match_cases, FD_ARRAY_LEN(match_cases));
}

ParameterizedTest(const struct match_case *c, router_match_one, table)
{
    struct fd_params p = { 0 };
    bool m = fd_router_match_one(c->pattern, c->path, &p);
    cr_assert_eq(m, c->match, "pattern '%s' path '%s': expected %s", c->pattern, c->path,
                 c->match ? "a match" : "no match");
    if (m && c->id[0])
        cr_assert_str_eq(fd_params_get(&p, "id"), c->id);
    if (!m)
        cr_assert_eq(p.n, 0, "a failed match left %d params", p.n);
    fd_params_clear(&p);
}

/* ---- fd_router_match: 404 vs 405 ---- */

static void h_dummy(struct fd_req *r)
{
    (void)r;
}

static const struct fd_route test_routes[] = {
    { FD_GET, "/api/v1/threads/{id}", h_dummy, 0 },
    { FD_PATCH, "/api/v1/threads/{id}", h_dummy, FD_R_WRITE },
    { FD_POST, "/api/v1/threads/{id}/posts", h_dummy, FD_R_WRITE },
    { FD_DELETE, "/api/v1/posts/{id}", h_dummy, FD_R_WRITE },
    { FD_GET, "/feeds/threads/{id}.atom", h_dummy, 0 },
};

Test(router_match, finds_the_route_and_its_params)
{
    const struct fd_route *rt = NULL;
    struct fd_params p = { 0 };
    int allowed = -1;
    enum fd_match m = fd_router_match(test_routes, FD_ARRAY_LEN(test_routes), FD_PATCH, "/api/v1/threads/3",
                                      &rt, &p, &allowed);
    cr_assert_eq(m, FD_MATCH_OK);
    cr_assert_eq(rt, &test_routes[1]);
    cr_assert_str_eq(fd_params_get(&p, "id"), "3");
    cr_assert_eq(p.n, 1, "params must be captured once, not once per candidate route");
    fd_params_clear(&p);
}

Test(router_match, unknown_path_is_no_path)
{
    const struct fd_route *rt = NULL;
    struct fd_params p = { 0 };
    int allowed = -1;
    cr_assert_eq(
        fd_router_match(test_routes, FD_ARRAY_LEN(test_routes), FD_GET, "/api/v1/nothing", &rt, &p, &allowed),
        FD_MATCH_NO_PATH);
    cr_assert_eq(allowed, 0);
    cr_assert_eq(p.n, 0);
    cr_assert_eq(fd_router_match(test_routes, FD_ARRAY_LEN(test_routes), FD_GET, "/api/v1/threads/3/", &rt,
                                 &p, &allowed),
                 FD_MATCH_NO_PATH);
    cr_assert_eq(fd_router_match(test_routes, FD_ARRAY_LEN(test_routes), FD_GET, "/api/v1/threads/", &rt, &p,
                                 &allowed),
                 FD_MATCH_NO_PATH);
    cr_assert_eq(p.n, 0);
}

Test(router_match, known_path_wrong_method_is_no_method_with_allowed_mask)
{
    const struct fd_route *rt = NULL;
    struct fd_params p = { 0 };
    int allowed = 0;
    cr_assert_eq(fd_router_match(test_routes, FD_ARRAY_LEN(test_routes), FD_DELETE, "/api/v1/threads/3", &rt,
                                 &p, &allowed),
                 FD_MATCH_NO_METHOD);
    cr_assert_eq(allowed, FD_GET | FD_HEAD | FD_PATCH, "allowed = %#x", (unsigned)allowed);
    cr_assert_eq(p.n, 0);

    cr_assert_eq(fd_router_match(test_routes, FD_ARRAY_LEN(test_routes), FD_GET, "/api/v1/threads/3/posts",
                                 &rt, &p, &allowed),
                 FD_MATCH_NO_METHOD);
    cr_assert_eq(allowed, FD_POST, "a POST-only path must not advertise HEAD: allowed = %#x",
                 (unsigned)allowed);
    cr_assert_eq(p.n, 0);
}

Test(router_match, head_matches_get_routes)
{
    const struct fd_route *rt = NULL;
    struct fd_params p = { 0 };
    int allowed = -1;
    cr_assert_eq(fd_router_match(test_routes, FD_ARRAY_LEN(test_routes), FD_HEAD, "/feeds/threads/8.atom",
                                 &rt, &p, &allowed),
                 FD_MATCH_OK);
    cr_assert_eq(rt, &test_routes[4]);
    cr_assert_str_eq(fd_params_get(&p, "id"), "8");
    fd_params_clear(&p);

    /* HEAD on a path without a GET route is a 405, not a match of some other method. */
    cr_assert_eq(fd_router_match(test_routes, FD_ARRAY_LEN(test_routes), FD_HEAD, "/api/v1/posts/1", &rt, &p,
                                 &allowed),
                 FD_MATCH_NO_METHOD);
    cr_assert_eq(allowed, FD_DELETE);
}

/* ---- fd_router_methods_str ---- */

struct methods_case {
    int methods;
    char text[48];
};

static const struct methods_case methods_cases[] = {
    { 0, "" },
    { FD_GET, "GET" },
    { FD_GET | FD_HEAD, "GET, HEAD" },
    { FD_POST | FD_GET | FD_HEAD, "GET, HEAD, POST" },
    { FD_DELETE | FD_PATCH, "PATCH, DELETE" },
    { FD_GET | FD_HEAD | FD_POST | FD_PUT | FD_PATCH | FD_DELETE | FD_OPTIONS,
      "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" },
};

ParameterizedTestParameters(router_methods_str, table)
{
    return cr_make_param_array(struct methods_case, methods_cases, FD_ARRAY_LEN(methods_cases));
}

ParameterizedTest(const struct methods_case *c, router_methods_str, table)
{
    char buf[64];
    memset(buf, 'x', sizeof buf);
    fd_router_methods_str(c->methods, buf, sizeof buf);
    cr_assert_str_eq(buf, c->text);
}

Test(router_methods_str, small_buffer_stays_terminated_and_in_bounds)
{
    char buf[16];
    memset(buf, 'x', sizeof buf);
    fd_router_methods_str(FD_GET | FD_HEAD | FD_POST | FD_PUT | FD_PATCH | FD_DELETE | FD_OPTIONS, buf, 8);
    cr_assert(memchr(buf, '\0', 8) != NULL, "not NUL-terminated within the 8 bytes given");
    for (size_t i = 8; i < sizeof buf; i++)
        cr_assert_eq(buf[i], 'x', "wrote past the buffer at %zu", i);
    cr_assert_eq(strncmp(buf, "GET", 3), 0);
}

/* ---- the real route table ---- */

static bool is_public_auth_route(const struct fd_route *r)
{
    return r->method == FD_POST &&
           (!strcmp(r->pattern, "/api/v1/auth/register") || !strcmp(r->pattern, "/api/v1/auth/login"));
}

Test(routes, table_is_not_empty_and_well_formed)
{
    cr_assert_gt(fd_routes_count, 0);
    for (size_t i = 0; i < fd_routes_count; i++) {
        const struct fd_route *r = &fd_routes[i];
        cr_assert_not_null(r->pattern);
        cr_assert_not_null(r->handler, "route %s has no handler", r->pattern);
        cr_assert_eq(r->pattern[0], '/', "route %s does not start with '/'", r->pattern);
        /* exactly one method bit, and never HEAD (GET routes answer HEAD) */
        cr_assert(r->method != 0 && (r->method & (r->method - 1)) == 0, "route %s has method mask %#x",
                  r->pattern, (unsigned)r->method);
        cr_assert_neq(r->method, FD_HEAD, "route %s is declared for HEAD", r->pattern);
        int params = 0;
        for (const char *c = r->pattern; *c; c++) {
            if (*c == '{') {
                const char *close = strchr(c, '}');
                const char *slash = strchr(c, '/');
                cr_assert(close && (!slash || close < slash), "route %s has an unclosed {", r->pattern);
                cr_assert_gt(close - c, 1, "route %s has an empty {}", r->pattern);
                cr_assert_eq(c[-1], '/', "route %s has a { that does not start a segment", r->pattern);
                params++;
            }
        }
        cr_assert_leq(params, FD_MAX_PARAMS, "route %s has more params than FD_MAX_PARAMS", r->pattern);
        /* A route matches its own literal form, so the shadowing test below means something. */
        cr_assert(fd_router_match_one(r->pattern, r->pattern, NULL), "route %s does not match itself",
                  r->pattern);
    }
}

Test(routes, every_write_is_csrf_protected)
{
    for (size_t i = 0; i < fd_routes_count; i++) {
        const struct fd_route *r = &fd_routes[i];
        if (r->method == FD_GET)
            continue;
        cr_assert(r->flags & (FD_R_WRITE | FD_R_CSRF_ONLY) || is_public_auth_route(r),
                  "route %#x %s changes state without FD_R_WRITE or FD_R_CSRF_ONLY", (unsigned)r->method,
                  r->pattern);
    }
}

Test(routes, csrf_only_routes_require_sign_in)
{
    for (size_t i = 0; i < fd_routes_count; i++) {
        const struct fd_route *r = &fd_routes[i];
        if (r->flags & FD_R_CSRF_ONLY)
            cr_assert(r->flags & FD_R_AUTH, "route %s checks CSRF but not the session", r->pattern);
    }
}

Test(routes, the_public_auth_routes_exist)
{
    int found = 0;
    for (size_t i = 0; i < fd_routes_count; i++)
        found += is_public_auth_route(&fd_routes[i]);
    cr_assert_eq(found, 2);
}

Test(routes, no_route_shadows_another)
{
    for (size_t i = 0; i < fd_routes_count; i++) {
        for (size_t j = 0; j < fd_routes_count; j++) {
            if (i == j || fd_routes[i].method != fd_routes[j].method)
                continue;
            cr_assert_not(fd_router_match_one(fd_routes[i].pattern, fd_routes[j].pattern, NULL),
                          "%#x %s shadows %s", (unsigned)fd_routes[i].method, fd_routes[i].pattern,
                          fd_routes[j].pattern);
        }
    }
}

Test(routes, every_route_is_reachable_through_fd_router_match)
{
    /* Route i must be the one fd_router_match picks for its own literal path and method. */
    for (size_t i = 0; i < fd_routes_count; i++) {
        const struct fd_route *rt = NULL;
        struct fd_params p = { 0 };
        int allowed = 0;
        enum fd_match m = fd_router_match(fd_routes, fd_routes_count, fd_routes[i].method,
                                          fd_routes[i].pattern, &rt, &p, &allowed);
        cr_assert_eq(m, FD_MATCH_OK, "%s", fd_routes[i].pattern);
        cr_assert_eq(rt, &fd_routes[i], "%s is answered by %s", fd_routes[i].pattern, rt->pattern);
        fd_params_clear(&p);
    }
}

Test(routes, known_endpoints_answer_404_and_405_as_the_api_says)
{
    const struct fd_route *rt = NULL;
    struct fd_params p = { 0 };
    int allowed = 0;
    cr_assert_eq(fd_router_match(fd_routes, fd_routes_count, FD_GET, "/api/v1/threads/12", &rt, &p, &allowed),
                 FD_MATCH_OK);
    cr_assert_str_eq(fd_params_get(&p, "id"), "12");
    fd_params_clear(&p);
    cr_assert_eq(fd_router_match(fd_routes, fd_routes_count, FD_HEAD, "/healthz", &rt, &p, &allowed),
                 FD_MATCH_OK);
    cr_assert_eq(fd_router_match(fd_routes, fd_routes_count, FD_GET, "/api/v1/auth/login", &rt, &p, &allowed),
                 FD_MATCH_NO_METHOD);
    cr_assert(allowed & FD_POST);
    cr_assert_not(allowed & FD_GET);
    cr_assert_eq(fd_router_match(fd_routes, fd_routes_count, FD_GET, "/api/v1/nope", &rt, &p, &allowed),
                 FD_MATCH_NO_PATH);
    cr_assert_eq(
        fd_router_match(fd_routes, fd_routes_count, FD_GET, "/api/v1/threads/12/", &rt, &p, &allowed),
        FD_MATCH_NO_PATH);
    cr_assert_eq(p.n, 0);
}
