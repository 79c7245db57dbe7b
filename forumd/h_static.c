/* "Other paths": the health check and the web front end's static files. */
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include "forumd/handlers.h"

void h_health(struct fd_req *r)
{
    int rc = fd_store_health(r->loop->store);
    if (rc == FD_OK)
        fd_reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
    else
        fd_reply_json(r, 503, json_pack("{s:s}", "status", "unavailable"));
}

static const struct {
    const char *ext;
    const char *type;
} mime[] = {
    { ".html", "text/html; charset=utf-8" },
    { ".css", "text/css; charset=utf-8" },
    { ".js", "text/javascript; charset=utf-8" },
    { ".mjs", "text/javascript; charset=utf-8" },
    { ".json", "application/json; charset=utf-8" },
    { ".svg", "image/svg+xml" },
    { ".png", "image/png" },
    { ".jpg", "image/jpeg" },
    { ".ico", "image/x-icon" },
    { ".txt", "text/plain; charset=utf-8" },
    { ".woff2", "font/woff2" },
    { ".webmanifest", "application/manifest+json" },
};

static const char *mime_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < FD_ARRAY_LEN(mime); i++)
            if (!strcasecmp(dot, mime[i].ext))
                return mime[i].type;
    return NULL;
}

/* Refuses what could step out of the web folder before touching the file system: backslashes,
 * empty, "." and ".." segments, and hidden files. */
static bool safe_path(const char *p)
{
    if (strchr(p, '\\'))
        return false;
    for (const char *seg = p + 1;; ) {
        const char *end = strchrnul(seg, '/');
        size_t len = (size_t)(end - seg);
        if ((len == 0 && *end) || (len > 0 && seg[0] == '.'))
            return false;
        if (!*end)
            return true;
        seg = end + 1;
    }
}

static void not_found(struct fd_req *r)
{
    fd_reply_error(r, 404, "not_found", NULL, "There is nothing at this address.");
}

void h_static(struct fd_req *r)
{
    const char *root = r->app->web_root;
    const char *rel = strcmp(r->path, "/") ? r->path : "/index.html";
    if (!root || !safe_path(rel) || strlen(root) + strlen(rel) >= PATH_MAX) {
        not_found(r);
        return;
    }
    char joined[PATH_MAX], real[PATH_MAX];
    size_t rlen = strlen(root);
    memcpy(joined, root, rlen);
    memcpy(joined + rlen, rel, strlen(rel) + 1);
    /* The resolved file must still lie inside the web folder (symbolic links included). */
    if (!realpath(joined, real) || strncmp(real, root, rlen) != 0 || real[rlen] != '/') {
        not_found(r);
        return;
    }
    const char *type = mime_type(real);
    int fd = open(real, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (!type || fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        not_found(r);
        return;
    }
    char etag[64];
    snprintf(etag, sizeof etag, "\"%llx-%llx-%llx\"", (unsigned long long)st.st_ino, (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtim.tv_sec * 1000000000ULL + (unsigned long long)st.st_mtim.tv_nsec);
    fd_req_header_out(r, "ETag", etag);
    fd_req_header_out(r, "Cache-Control", "no-cache");
    if (fd_req_etag_matches(r, etag)) {
        close(fd);
        fd_reply_empty(r, 304);
        return;
    }
    fd_reply_file(r, 200, type, fd, (size_t)st.st_size);
}
