/* Configuration from defaults, a config file, FORUMD_* environment variables and flags, in that
 * order of precedence (flags win). One table names every option once. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include "forumd/config.h"

enum opt_kind { O_STR, O_INT, O_I64, O_U64, O_SIZE, O_BOOL, O_LISTEN, O_SYNC, O_RATE };

struct opt {
    const char *name;
    enum opt_kind kind;
    size_t offset;
    long long lo, hi;
};

#define OPT(n, k, m, lo, hi) { n, k, offsetof(struct fd_config, m), lo, hi }
static const struct opt opts[] = {
    OPT("listen", O_LISTEN, listen_host, 0, 0),
    OPT("db", O_STR, db_path, 0, 0),
    OPT("web", O_STR, web_dir, 0, 0),
    OPT("config", O_STR, config_file, 0, 0),
    OPT("public-url", O_STR, public_url, 0, 0),
    OPT("threads", O_INT, threads, 1, 64),
    OPT("workers", O_INT, workers, 1, 64),
    OPT("session-idle", O_I64, session_idle, 1, 365LL * 86400),
    OPT("session-max", O_I64, session_max, 1, 365LL * 86400),
    OPT("pwhash-ops", O_U64, pwhash_ops, 1, 64),
    OPT("pwhash-mem", O_SIZE, pwhash_mem, 8192, 4LL << 30),
    OPT("http-timeout", O_INT, http_timeout, 1, 3600),
    OPT("max-body", O_SIZE, max_body, 1024, 64LL << 20),
    OPT("cache-size", O_SIZE, cache_bytes, 0, 64LL << 30),
    OPT("quiet", O_BOOL, quiet, 0, 1),
    OPT("sse-per-address", O_INT, sse_per_address, 1, 1000000),
    OPT("sse-heartbeat", O_INT, sse_heartbeat, 1, 3600),
    OPT("synchronous", O_SYNC, sync_full, 0, 0),
    OPT("max-connections", O_INT, max_connections, 16, 1000000),
    OPT("max-per-address", O_INT, max_per_address, 1, 1000000),
    OPT("header-timeout", O_INT, header_timeout, 1, 3600),
    OPT("rate-login-address", O_RATE, rate_login_address, 0, 0),
    OPT("rate-login-account", O_RATE, rate_login_account, 0, 0),
    OPT("rate-register-address", O_RATE, rate_register_address, 0, 0),
    OPT("rate-post-address", O_RATE, rate_post_address, 0, 0),
    OPT("rate-post-account", O_RATE, rate_post_account, 0, 0),
    OPT("rate-post-new-account", O_RATE, rate_post_new_account, 0, 0),
    OPT("rate-flag-account", O_RATE, rate_flag_account, 0, 0),
    OPT("rate-search-address", O_RATE, rate_search_address, 0, 0),
    OPT("rate-stream-address", O_RATE, rate_stream_address, 0, 0),
    OPT("new-account-period", O_I64, new_account_period, 0, 365LL * 86400),
    OPT("new-account-links", O_INT, new_account_links, 0, 10000),
    OPT("duplicate-window", O_I64, duplicate_window, 0, 7LL * 86400),
};

void fd_config_defaults(struct fd_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->listen_host = fd_xstrdup("127.0.0.1");
    cfg->listen_port = 8080;
    cfg->db_path = fd_xstrdup("forum.db");
    cfg->threads = 2;
    cfg->workers = 2;
    cfg->session_idle = 30 * 60;     /* ASVS 4.0.3 L2, 3.3.2 */
    cfg->session_max = 12 * 3600;
    cfg->pwhash_ops = 2;             /* OWASP's Argon2id minimum: t=2, m=19 MiB */
    cfg->pwhash_mem = 19u << 20;
    cfg->http_timeout = 30;
    cfg->max_body = 1u << 20;
    cfg->cache_bytes = 128u << 20;
    cfg->sse_per_address = 8;
    cfg->sse_heartbeat = 15;
    cfg->sync_full = true;
    cfg->max_connections = 20000;
    cfg->max_per_address = 256;
    cfg->header_timeout = 10;
    /* Discourse-like defaults: generous for people, tight for scripts. */
    cfg->rate_login_address = (struct fd_rate){ 20, 60 };
    cfg->rate_login_account = (struct fd_rate){ 100, 3600 }; /* failures only (ASVS 2.2.1); see h_auth.c */
    cfg->rate_register_address = (struct fd_rate){ 5, 3600 };
    cfg->rate_post_address = (struct fd_rate){ 30, 60 };
    cfg->rate_post_account = (struct fd_rate){ 10, 60 };
    cfg->rate_post_new_account = (struct fd_rate){ 3, 300 };
    cfg->rate_flag_account = (struct fd_rate){ 20, 3600 };
    cfg->rate_search_address = (struct fd_rate){ 60, 60 };
    cfg->rate_stream_address = (struct fd_rate){ 30, 60 };
    cfg->new_account_period = 86400;
    cfg->new_account_links = 2;
    cfg->duplicate_window = 300;
}

void fd_config_clear(struct fd_config *cfg)
{
    free(cfg->listen_host);
    free(cfg->db_path);
    free(cfg->web_dir);
    free(cfg->config_file);
    free(cfg->public_url);
    memset(cfg, 0, sizeof *cfg);
}

static bool same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (*a == '_') ? '-' : (char)tolower((unsigned char)*a);
        char y = (*b == '_') ? '-' : (char)tolower((unsigned char)*b);
        if (x != y)
            return false;
    }
    return *a == *b;
}

/* A decimal number in lo..hi; sizes may carry a K, M or G suffix. */
static int parse_ll(const char *v, long long lo, long long hi, bool size, long long *out)
{
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || end == v)
        return -1;
    long long mul = 1;
    if (*end == 'K' || *end == 'k')
        mul = 1024;
    else if (*end == 'M' || *end == 'm')
        mul = 1024 * 1024;
    else if (*end == 'G' || *end == 'g')
        mul = 1024LL * 1024 * 1024;
    if (mul != 1) {
        if (!size)
            return -1;
        end++;
    }
    if (*end != '\0' || __builtin_mul_overflow(n, mul, &n) || n < lo || n > hi)
        return -1;
    *out = n;
    return 0;
}

static int set_listen(struct fd_config *cfg, const char *v)
{
    const char *colon = strrchr(v, ':');
    long long port;
    if (!colon || colon == v || parse_ll(colon + 1, 0, 65535, false, &port) < 0)
        return -1;
    const char *host = v;
    size_t hlen = (size_t)(colon - v);
    /* IPv6 addresses come in brackets ("[::1]:8080"); anything else may not hold ':' or brackets */
    if (host[0] == '[') {
        if (hlen < 3 || host[hlen - 1] != ']')
            return -1;
        host++;
        hlen -= 2;
        if (memchr(host, '[', hlen) || memchr(host, ']', hlen))
            return -1;
    } else if (memchr(host, ':', hlen) || memchr(host, '[', hlen) || memchr(host, ']', hlen)) {
        return -1;
    }
    free(cfg->listen_host);
    cfg->listen_host = fd_xstrndup(host, hlen);
    cfg->listen_port = (int)port;
    return 0;
}

/* "N/SECONDS": N in 0..1000000, SECONDS in 1..one year. */
static int parse_rate(const char *v, struct fd_rate *out)
{
    const char *slash = strchr(v, '/');
    long long n, secs;
    if (!slash || slash - v > 20)
        return -1;
    char num[24];
    memcpy(num, v, (size_t)(slash - v));
    num[slash - v] = '\0';
    if (parse_ll(num, 0, 1000000, false, &n) < 0 || parse_ll(slash + 1, 1, 365LL * 86400, false, &secs) < 0)
        return -1;
    out->burst = (int)n;
    out->period = (int)secs;
    return 0;
}

int fd_config_set(struct fd_config *cfg, const char *name, const char *value, char *err, size_t errlen)
{
    for (size_t i = 0; i < FD_ARRAY_LEN(opts); i++) {
        const struct opt *o = &opts[i];
        if (!same_name(o->name, name))
            continue;
        void *p = (char *)cfg + o->offset;
        long long n = 0;
        bool ok = true;
        switch (o->kind) {
        case O_STR:
            free(*(char **)p);
            *(char **)p = fd_xstrdup(value);
            break;
        case O_LISTEN:
            ok = set_listen(cfg, value) == 0;
            break;
        case O_SYNC:
            ok = !strcmp(value, "full") || !strcmp(value, "normal");
            if (ok)
                *(bool *)p = !strcmp(value, "full");
            break;
        case O_RATE:
            ok = parse_rate(value, p) == 0;
            break;
        case O_BOOL:
            if (!strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes") || !strcmp(value, "on"))
                *(bool *)p = true;
            else if (!strcmp(value, "0") || !strcmp(value, "false") || !strcmp(value, "no") || !strcmp(value, "off"))
                *(bool *)p = false;
            else
                ok = false;
            break;
        default:
            ok = parse_ll(value, o->lo, o->hi, o->kind == O_SIZE, &n) == 0;
            if (!ok)
                break;
            if (o->kind == O_INT)
                *(int *)p = (int)n;
            else if (o->kind == O_I64)
                *(int64_t *)p = n;
            else if (o->kind == O_U64)
                *(unsigned long long *)p = (unsigned long long)n;
            else
                *(size_t *)p = (size_t)n;
            break;
        }
        if (!ok) {
            snprintf(err, errlen, "invalid value for --%s: '%s'", o->name, value);
            return -1;
        }
        if (o->kind == O_STR && same_name(o->name, "public-url"))
            cfg->secure_cookies = strncmp(value, "https://", 8) == 0;
        return 0;
    }
    snprintf(err, errlen, "unknown option --%s", name);
    return -1;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

int fd_config_load_file(struct fd_config *cfg, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read config file %s: %s", path, strerror(errno));
        return -1;
    }
    char line[1024];
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (*s == '\0' || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected 'name = value'", path, lineno);
            rc = -1;
            break;
        }
        *eq = '\0';
        char inner[512];
        if (fd_config_set(cfg, trim(s), trim(eq + 1), inner, sizeof inner) < 0) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, inner);
            rc = -1;
        }
    }
    fclose(f);
    return rc;
}

int fd_config_load_env(struct fd_config *cfg, char *err, size_t errlen)
{
    for (size_t i = 0; i < FD_ARRAY_LEN(opts); i++) {
        char var[64] = "FORUMD_";
        size_t o = strlen(var);
        for (const char *c = opts[i].name; *c && o + 1 < sizeof var; c++)
            var[o++] = *c == '-' ? '_' : (char)toupper((unsigned char)*c);
        var[o] = '\0';
        const char *v = getenv(var);
        if (v && *v && fd_config_set(cfg, opts[i].name, v, err, errlen) < 0)
            return -1;
    }
    return 0;
}
