/* Path routing: "/api/v1/threads/{id}" patterns, and the one route table (routes.c). */
#ifndef FORUMD_ROUTER_H
#define FORUMD_ROUTER_H

#include "forumd/fd.h"

struct fd_req;
typedef void fd_handler_fn(struct fd_req *r);

enum fd_method {
    FD_GET = 1 << 0,
    FD_HEAD = 1 << 1,
    FD_POST = 1 << 2,
    FD_PUT = 1 << 3,
    FD_PATCH = 1 << 4,
    FD_DELETE = 1 << 5,
    FD_OPTIONS = 1 << 6,
};

/* Route flags, checked centrally before the handler runs. */
enum {
    FD_R_AUTH = 1 << 0,      /* signed in, else 401 */
    FD_R_WRITE = 1 << 1,     /* CSRF check for cookie sessions, and not suspended (implies AUTH) */
    FD_R_MODERATOR = 1 << 2, /* moderator or admin, else 403 */
    FD_R_ADMIN = 1 << 3,     /* admin, else 403 */
    FD_R_CSRF_ONLY = 1 << 4, /* CSRF check but a suspended user may still do it (logout) */
};

struct fd_route {
    int method;
    const char *pattern;
    fd_handler_fn *handler;
    int flags;
};

#define FD_MAX_PARAMS 4
struct fd_params {
    int n;
    const char *name[FD_MAX_PARAMS];
    size_t name_len[FD_MAX_PARAMS];
    char *value[FD_MAX_PARAMS]; /* owned; freed by fd_params_clear */
};

enum fd_match { FD_MATCH_OK, FD_MATCH_NO_PATH, FD_MATCH_NO_METHOD };

/* True if path matches pattern; captured {name} segments are added to params. */
bool fd_router_match_one(const char *pattern, const char *path, struct fd_params *params);
/* Finds the route of table (n entries) for method and path. On FD_MATCH_OK *out and params are set;
 * on FD_MATCH_NO_METHOD, *allowed has the methods the path does accept. HEAD matches GET routes. */
enum fd_match fd_router_match(const struct fd_route *table, size_t n, int method, const char *path,
                              const struct fd_route **out, struct fd_params *params, int *allowed);
/* Writes "GET, POST" style text of methods into buf. */
void fd_router_methods_str(int methods, char *buf, size_t len);
void fd_params_clear(struct fd_params *p);
/* The value of parameter name, or NULL. */
const char *fd_params_get(const struct fd_params *p, const char *name);

extern const struct fd_route fd_routes[];
extern const size_t fd_routes_count;

#endif
