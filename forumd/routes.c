/* THE route table: every endpoint of the daemon, one line each. Flags are enforced centrally in
 * http.c before the handler runs. Paths outside /api and /healthz fall through to static files. */
#include "forumd/handlers.h"

const struct fd_route fd_routes[] = {
    /* method     pattern                                  handler               flags */
    { FD_GET,     "/healthz",                              h_health,             0 },
    { FD_POST,    "/api/v1/auth/register",                 h_auth_register,      0 },
    { FD_POST,    "/api/v1/auth/login",                    h_auth_login,         0 },
    { FD_POST,    "/api/v1/auth/logout",                   h_auth_logout,        FD_R_AUTH | FD_R_CSRF_ONLY },
    { FD_GET,     "/api/v1/me",                            h_me_get,             FD_R_AUTH },
    { FD_POST,    "/api/v1/me/tokens",                     h_tokens_create,      FD_R_WRITE },
    { FD_DELETE,  "/api/v1/me/tokens/{id}",                h_tokens_delete,      FD_R_AUTH | FD_R_CSRF_ONLY },
    { FD_GET,     "/api/v1/objectives",                    h_objectives_list,    0 },
    { FD_GET,     "/api/v1/objectives/{id}",               h_objectives_get,     0 },
    { FD_GET,     "/api/v1/objectives/{id}/threads",       h_threads_list,       0 },
    { FD_POST,    "/api/v1/objectives/{id}/threads",       h_threads_create,     FD_R_WRITE },
    { FD_GET,     "/api/v1/threads/{id}",                  h_threads_get,        0 },
    { FD_POST,    "/api/v1/threads/{id}/posts",            h_posts_create,       FD_R_WRITE },
    { FD_PATCH,   "/api/v1/posts/{id}",                    h_posts_edit,         FD_R_WRITE },
    { FD_DELETE,  "/api/v1/posts/{id}",                    h_posts_delete,       FD_R_WRITE },
    { FD_GET,     "/api/v1/posts/{id}/revisions",          h_posts_revisions,    0 },
    { FD_POST,    "/api/v1/posts/{id}/flags",              h_posts_flag,         FD_R_WRITE },
    { FD_POST,    "/api/v1/posts/{id}/hide",               h_posts_hide,         FD_R_WRITE | FD_R_MODERATOR },
    { FD_POST,    "/api/v1/posts/{id}/unhide",             h_posts_unhide,       FD_R_WRITE | FD_R_MODERATOR },
    { FD_PATCH,   "/api/v1/threads/{id}",                  h_threads_update,     FD_R_WRITE | FD_R_MODERATOR },
    { FD_GET,     "/api/v1/mod/flags",                     h_flags_list,         FD_R_MODERATOR },
    { FD_POST,    "/api/v1/mod/flags/{id}/resolve",        h_flags_resolve,      FD_R_WRITE | FD_R_MODERATOR },
    { FD_GET,     "/api/v1/mod/log",                       h_mod_log,            FD_R_MODERATOR },
    { FD_POST,    "/api/v1/users/{id}/suspend",            h_users_suspend,      FD_R_WRITE | FD_R_MODERATOR },
    { FD_POST,    "/api/v1/users/{id}/unsuspend",          h_users_unsuspend,    FD_R_WRITE | FD_R_MODERATOR },
    { FD_PUT,     "/api/v1/users/{id}/role",               h_users_role,         FD_R_WRITE | FD_R_ADMIN },
    { FD_GET,     "/api/v1/search",                        h_search,             0 },
    { FD_GET,     "/feeds/objectives/{id}.atom",           h_feeds_objective,    0 },
    { FD_GET,     "/feeds/key-actions/{id}.atom",          h_feeds_key_action,   0 },
    { FD_GET,     "/feeds/threads/{id}.atom",              h_feeds_thread,       0 },
    { FD_PUT,     "/api/v1/objectives/{id}/follow",        h_follow_objective,   FD_R_WRITE },
    { FD_DELETE,  "/api/v1/objectives/{id}/follow",        h_follow_objective,   FD_R_WRITE },
    { FD_PUT,     "/api/v1/key-actions/{id}/follow",       h_follow_key_action,  FD_R_WRITE },
    { FD_DELETE,  "/api/v1/key-actions/{id}/follow",       h_follow_key_action,  FD_R_WRITE },
    { FD_PUT,     "/api/v1/threads/{id}/follow",           h_follow_thread,      FD_R_WRITE },
    { FD_DELETE,  "/api/v1/threads/{id}/follow",           h_follow_thread,      FD_R_WRITE },
    { FD_GET,     "/api/v1/me/follows",                    h_me_follows,         FD_R_AUTH },
    { FD_GET,     "/api/v1/notifications",                 h_notifications_list, FD_R_AUTH },
    { FD_POST,    "/api/v1/notifications/read",            h_notifications_read, FD_R_AUTH | FD_R_CSRF_ONLY },
    { FD_GET,     "/api/v1/events",                        h_events,             0 },
};

const size_t fd_routes_count = FD_ARRAY_LEN(fd_routes);
