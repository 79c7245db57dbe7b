/* forumd's command line: serve (the default), migrate, user create, backup, --help, --version.
 * Exit status: 0 done, 1 failed at run time (one line on stderr says why), 2 wrong usage. */
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>
#include "forumd/app.h"
#include "forumd/auth.h"
#include "forumd/cache.h"
#include "forumd/events.h"
#include "forumd/guard.h"
#include "forumd/http.h"
#include "forumd/log.h"
#include "forumd/migrate.h"
#include "forumd/valid.h"
#include <sodium.h>

#define EXIT_USAGE 2

static const char usage_text[] =
    "usage: forumd [serve] [--listen HOST:PORT] [--db PATH] [--web DIR] [--config FILE] [--threads N]\n"
    "              [--workers N] [--session-idle SECONDS] [--session-max SECONDS] [--public-url URL]\n"
    "              [--pwhash-ops N] [--pwhash-mem BYTES] [--http-timeout SECONDS] [--max-body BYTES] [--quiet]\n"
    "              [--cache-size BYTES] [--sse-per-address N] [--sse-heartbeat SECONDS]\n"
    "              [--synchronous full|normal] [--max-connections N] [--max-per-address N]\n"
    "              [--header-timeout SECONDS] [--rate-KIND N/SECONDS] [--new-account-period SECONDS]\n"
    "              [--new-account-links N] [--duplicate-window SECONDS]\n"
    "              rate KINDs: login-address login-account register-address post-address post-account\n"
    "              post-new-account flag-account search-address stream-address (\"0/1\" = no limit)\n"
    "       forumd migrate --db PATH\n"
    "       forumd user create --db PATH --email EMAIL --display-name NAME --role admin|moderator|member\n"
    "                          --stakeholder-type TYPE [--organisation ORG] [--country CC]\n"
    "                          (the password is read from standard input, one line)\n"
    "       forumd backup --db PATH --to FILE\n"
    "       forumd routes      (the API's route table: method, path, who may call it)\n"
    "       forumd --help | --version\n"
    "\n"
    "Every serve option can also be set as FORUMD_<NAME> in the environment (FORUMD_LISTEN, FORUMD_DB, ...)\n"
    "or as 'name = value' in the config file; flags win over the environment, which wins over the file.\n";

static int usage_error(const char *msg)
{
    fprintf(stderr, "forumd: %s\n%s", msg, usage_text);
    return EXIT_USAGE;
}

/* ---- flags ---- */

struct flag {
    const char *name;
    const char *value;
};

struct flags {
    struct flag f[32];
    int n;
};

/* Collects --name value and --name=value pairs from argv[start..]; --quiet takes no value. */
static int parse_flags(int argc, char **argv, int start, struct flags *out, char *err, size_t errlen)
{
    out->n = 0;
    for (int i = start; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            snprintf(err, errlen, "unexpected argument '%s'", a);
            return -1;
        }
        if (out->n == (int)FD_ARRAY_LEN(out->f)) {
            snprintf(err, errlen, "too many options");
            return -1;
        }
        static char names[32][64];
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (nlen >= sizeof names[0]) {
            snprintf(err, errlen, "unknown option %s", a);
            return -1;
        }
        memcpy(names[out->n], a + 2, nlen);
        names[out->n][nlen] = '\0';
        out->f[out->n].name = names[out->n];
        if (eq) {
            out->f[out->n].value = eq + 1;
        } else if (!strcmp(names[out->n], "quiet")) {
            out->f[out->n].value = "true";
        } else if (i + 1 < argc) {
            out->f[out->n].value = argv[++i];
        } else {
            snprintf(err, errlen, "option %s needs a value", a);
            return -1;
        }
        out->n++;
    }
    return 0;
}

static const char *flag_get(const struct flags *fl, const char *name)
{
    for (int i = 0; i < fl->n; i++)
        if (!strcmp(fl->f[i].name, name))
            return fl->f[i].value;
    return NULL;
}

/* Only the names in allowed may appear. */
static int flags_only(const struct flags *fl, const char *const *allowed, char *err, size_t errlen)
{
    for (int i = 0; i < fl->n; i++) {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            ok = ok || !strcmp(*a, fl->f[i].name);
        if (!ok) {
            snprintf(err, errlen, "unknown option --%s", fl->f[i].name);
            return -1;
        }
    }
    return 0;
}

/* defaults < config file < environment < flags */
static int load_config(struct fd_config *cfg, const struct flags *fl, char *err, size_t errlen)
{
    fd_config_defaults(cfg);
    const char *file = flag_get(fl, "config");
    if (!file)
        file = getenv("FORUMD_CONFIG");
    if (file && fd_config_load_file(cfg, file, err, errlen) < 0)
        return 1;
    if (fd_config_load_env(cfg, err, errlen) < 0)
        return EXIT_USAGE;
    for (int i = 0; i < fl->n; i++)
        if (fd_config_set(cfg, fl->f[i].name, fl->f[i].value, err, errlen) < 0)
            return EXIT_USAGE;
    return 0;
}

/* ---- serve ---- */

static char *find_web_root(const char *configured)
{
    char real[PATH_MAX];
    if (configured)
        return realpath(configured, real) ? fd_xstrdup(real) : NULL;
    const char *candidates[] = { FORUMD_SOURCE_WEB, "web", "/usr/share/forumd/web" };
    for (size_t i = 0; i < FD_ARRAY_LEN(candidates); i++) {
        char index[PATH_MAX];
        snprintf(index, sizeof index, "%s/index.html", candidates[i]);
        if (access(index, R_OK) == 0 && realpath(candidates[i], real))
            return fd_xstrdup(real);
    }
    return NULL;
}

/* Copies the write-ahead log into the database in the background (see store.h). */
static int checkpoint_tick(struct fd_store *s)
{
    return fd_store_checkpoint(s);
}

static void *loop_main(void *arg)
{
    struct fd_server_loop *loop = arg;
    event_base_dispatch(loop->base);
    return NULL;
}

static void drain_task(void *arg)
{
    fd_http_drain(arg);
}

static int purge_sessions(struct fd_store *s, void *arg)
{
    const int64_t *cutoff = arg; /* idle before, created before */
    return fd_store_sessions_purge(s, cutoff[0], cutoff[1]);
}

static void purge_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct fd_app *app = arg;
    int64_t now = fd_now_steady(), *cutoff = fd_xmalloc(2 * sizeof *cutoff);
    cutoff[0] = now - app->cfg.session_idle;
    cutoff[1] = now - app->cfg.session_max;
    fd_writer_submit(app->writer, NULL, purge_sessions, NULL, cutoff);
}

/* Runs the callbacks that finished while the loops were stopping, so nothing is left unanswered. */
static void flush_loops(struct fd_app *app)
{
    for (int i = 0; i < app->n_loops; i++)
        event_base_loop(app->loops[i].base, EVLOOP_NONBLOCK);
}

static int open_loops(struct fd_app *app, char *err, size_t errlen)
{
    app->n_loops = app->cfg.threads;
    app->loops = fd_xcalloc((size_t)app->n_loops, sizeof *app->loops);
    for (int i = 0; i < app->n_loops; i++) {
        struct fd_server_loop *loop = &app->loops[i];
        loop->app = app;
        loop->index = i;
        loop->base = event_base_new();
        if (!loop->base) {
            snprintf(err, errlen, "cannot create an event loop");
            return -1;
        }
        loop->done_queue = fd_loop_new(loop->base);
        loop->cache = fd_cache_new(app->cfg.cache_bytes);
        loop->events = fd_events_loop_new(loop);
        loop->store = fd_store_sqlite_open(app->cfg.db_path, false, err, errlen);
        if (!loop->store)
            return -1;
    }
    return 0;
}

/* The pool for long reads: as many workers as hashing ones, each with its own connection. */
static int open_query_pool(struct fd_app *app, char *err, size_t errlen)
{
    int n = app->cfg.workers;
    struct fd_store **stores = fd_xcalloc((size_t)n, sizeof *stores);
    for (int i = 0; i < n; i++) {
        if (!(stores[i] = fd_store_sqlite_open(app->cfg.db_path, false, err, errlen))) {
            while (i-- > 0)
                fd_store_close(stores[i]);
            free(stores);
            return -1;
        }
    }
    app->queries = fd_work_new(n, 64, stores);
    free(stores);
    return 0;
}

static void close_loops(struct fd_app *app)
{
    for (int i = 0; i < app->n_loops; i++) {
        struct fd_server_loop *loop = &app->loops[i];
        if (loop->http)
            evhttp_free(loop->http);
        if (loop->drain_timer)
            event_free(loop->drain_timer);
        fd_events_loop_free(loop->events);
        fd_loop_free(loop->done_queue);
        fd_store_close(loop->store);
        fd_cache_free(loop->cache);
        if (loop->base)
            event_base_free(loop->base);
    }
    free(app->loops);
}

static int serve(struct fd_config *cfg)
{
    char err[512];
    struct fd_app app = { 0 };
    int rc = 1, fd = -1, port = 0;
    app.cfg = *cfg;
    memset(cfg, 0, sizeof *cfg); /* app owns the strings now */
    /* Signals are taken by this thread alone, with sigwait: blocked before any other thread
     * (writer, workers, loops) starts, so that every thread inherits the mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (fd_auth_init() < 0 || evthread_use_pthreads() < 0) {
        fprintf(stderr, "forumd: cannot initialise libsodium or libevent threads\n");
        goto out;
    }
    fd_store_sqlite_set_synchronous(app.cfg.sync_full);
    struct fd_store *wstore = fd_store_sqlite_open(app.cfg.db_path, true, err, sizeof err);
    if (!wstore) {
        fprintf(stderr, "forumd: %s\n", err);
        goto out;
    }
    fd_store_auto_checkpoint(wstore, false);
    app.writer = fd_writer_new(wstore);
    struct fd_store *cstore = fd_store_sqlite_open(app.cfg.db_path, false, err, sizeof err);
    if (!cstore) {
        fprintf(stderr, "forumd: %s\n", err);
        goto out;
    }
    app.checkpointer = fd_ticker_new(cstore, 250, checkpoint_tick);
    app.gens = fd_gens_new();
    app.events = fd_events_new(app.cfg.sse_per_address);
    app.web_root = find_web_root(app.cfg.web_dir);
    if (!app.web_root && app.cfg.web_dir) {
        fprintf(stderr, "forumd: web folder %s not found\n", app.cfg.web_dir);
        goto out;
    }
    app.limits = fd_rl_new();
    randombytes_buf(app.device_key, sizeof app.device_key);
    app.dummy_hash = fd_auth_hash_password("forumd dummy password", app.cfg.pwhash_ops, app.cfg.pwhash_mem);
    if (!app.dummy_hash) {
        fprintf(stderr, "forumd: cannot hash with --pwhash-mem %zu\n", app.cfg.pwhash_mem);
        goto out;
    }
    if (open_loops(&app, err, sizeof err) < 0) {
        fprintf(stderr, "forumd: %s\n", err);
        goto out;
    }
    fd = fd_http_listen(app.cfg.listen_host, app.cfg.listen_port, &port, err, sizeof err);
    if (fd < 0) {
        fprintf(stderr, "forumd: %s\n", err);
        goto out;
    }
    if (fd_http_setup(&app, fd) < 0) {
        fprintf(stderr, "forumd: cannot start the HTTP server\n");
        goto out;
    }
    close(fd);
    fd = -1;
    app.work = fd_work_new(app.cfg.workers, 32, NULL);
    if (open_query_pool(&app, err, sizeof err) < 0) {
        fprintf(stderr, "forumd: %s\n", err);
        goto out;
    }


    struct timeval hour = { 3600, 0 };
    struct event *purge = event_new(app.loops[0].base, -1, EV_PERSIST, purge_timer, &app);
    event_add(purge, &hour);

    pthread_t *threads = fd_xcalloc((size_t)app.n_loops, sizeof *threads);
    for (int i = 0; i < app.n_loops; i++)
        pthread_create(&threads[i], NULL, loop_main, &app.loops[i]);
    bool v6 = strchr(app.cfg.listen_host, ':') != NULL;
    printf("listening on http://%s%s%s:%d\n", v6 ? "[" : "", app.cfg.listen_host, v6 ? "]" : "", port);
    fflush(stdout);
    fd_log_info("event=start version=%s db=\"%s\" threads=%d web=\"%s\"", FORUMD_VERSION, app.cfg.db_path,
                app.n_loops, app.web_root ? app.web_root : "");

    int sig = 0;
    sigwait(&set, &sig);
    fd_log_info("event=shutdown signal=%d", sig);
    for (int i = 0; i < app.n_loops; i++)
        fd_loop_post(app.loops[i].done_queue, drain_task, &app.loops[i]);
    for (int i = 0; i < app.n_loops; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    event_free(purge);

    /* Work handed to workers and the writer before the signal is finished and answered. */
    fd_work_free(app.work);
    app.work = NULL;
    fd_work_free(app.queries);
    app.queries = NULL;
    flush_loops(&app);
    size_t max_batch = fd_writer_max_batch(app.writer);
    fd_writer_free(app.writer);
    app.writer = NULL;
    flush_loops(&app);
    fd_ticker_free(app.checkpointer);
    app.checkpointer = NULL;
    int unanswered = 0;
    uint64_t hits = 0, misses = 0;
    for (int i = 0; i < app.n_loops; i++) {
        uint64_t h, m;
        size_t bytes;
        fd_cache_stats(app.loops[i].cache, &h, &m, &bytes);
        hits += h;
        misses += m;
        unanswered += app.loops[i].inflight;
    }
    rc = unanswered ? 1 : 0;
    /* the figures that explain a run: group-commit batch size and page-cache hit rate */
    fd_log_info("event=stopped unanswered=%d writer_max_batch=%zu cache_hits=%llu cache_misses=%llu", unanswered,
                max_batch, (unsigned long long)hits, (unsigned long long)misses);
out:
    if (fd >= 0)
        close(fd);
    fd_work_free(app.work);
    fd_work_free(app.queries);
    fd_writer_free(app.writer);
    fd_ticker_free(app.checkpointer);
    close_loops(&app);
    fd_guard_free(app.guard); /* after every evhttp, whose connections it counted */
    free(app.web_root);
    free(app.dummy_hash);
    fd_rl_free(app.limits);
    free(app.gens);
    fd_events_free(app.events);
    fd_config_clear(&app.cfg);
    return rc;
}

/* ---- other subcommands ---- */

static int cmd_migrate(const struct flags *fl)
{
    char err[512];
    static const char *const allowed[] = { "db", NULL };
    const char *db = flag_get(fl, "db");
    if (flags_only(fl, allowed, err, sizeof err) < 0)
        return usage_error(err);
    if (!db)
        return usage_error("migrate needs --db PATH");
    struct fd_store *s = fd_store_sqlite_open(db, true, err, sizeof err);
    if (!s) {
        fprintf(stderr, "forumd: %s\n", err);
        return 1;
    }
    fd_store_close(s);
    printf("%s: schema version %d\n", db, fd_migrate_latest());
    return 0;
}

static int cmd_backup(const struct flags *fl)
{
    char err[512];
    static const char *const allowed[] = { "db", "to", NULL };
    const char *db = flag_get(fl, "db"), *to = flag_get(fl, "to");
    if (flags_only(fl, allowed, err, sizeof err) < 0)
        return usage_error(err);
    if (!db || !to)
        return usage_error("backup needs --db PATH --to FILE");
    if (fd_store_sqlite_backup(db, to, err, sizeof err) < 0) {
        fprintf(stderr, "forumd: %s\n", err);
        return 1;
    }
    printf("backup of %s written to %s\n", db, to);
    return 0;
}

/* Reads one line from stdin into a new string without its line ending; NULL on EOF. */
static char *read_password(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return line;
}

/* Checks the user create input with the same validators as registration. NULL if fine. */
static const char *check_new_user(struct fd_new_user *u, char *country)
{
    size_t plen = strlen(u->password);
    if (!fd_valid_utf8(u->password, plen, false) || fd_utf8_chars(u->password, plen) < 12 ||
        fd_utf8_chars(u->password, plen) > 128)
        return "the password must be 12 to 128 characters of UTF-8 text";
    if (!fd_valid_email(u->email))
        return "--email is not a valid email address";
    size_t dlen = strlen(u->display_name);
    if (!fd_valid_utf8(u->display_name, dlen, false) || !fd_valid_not_blank(u->display_name) ||
        fd_utf8_chars(u->display_name, dlen) > 80)
        return "--display-name must be 1 to 80 characters";
    enum fd_role role;
    if (fd_role_parse(u->role, &role) < 0)
        return "--role must be admin, moderator or member";
    if (!fd_valid_stakeholder_type(u->stakeholder_type))
        return "--stakeholder-type is not one of the stakeholder types";
    if (u->organisation && (!fd_valid_utf8(u->organisation, strlen(u->organisation), false) ||
                            fd_utf8_chars(u->organisation, strlen(u->organisation)) > 200))
        return "--organisation must be at most 200 characters";
    if (u->country) {
        if (strlen(u->country) != 2)
            return "--country must be an ISO 3166-1 alpha-2 code";
        country[0] = (char)toupper((unsigned char)u->country[0]);
        country[1] = (char)toupper((unsigned char)u->country[1]);
        country[2] = '\0';
        u->country = country;
        if (!fd_valid_country(country))
            return "--country must be an ISO 3166-1 alpha-2 code";
    }
    if (!strcmp(u->stakeholder_type, "member_state") && !(u->country && fd_valid_eu_country(u->country)))
        return "member_state accounts need --country, one of the 27 EU Member States";
    return NULL;
}

static int cmd_user_create(const struct flags *fl)
{
    char err[512], country[3];
    static const char *const allowed[] = { "db", "email", "display-name", "role", "stakeholder-type",
                                           "organisation", "country", NULL };
    if (flags_only(fl, allowed, err, sizeof err) < 0)
        return usage_error(err);
    struct fd_new_user u = { .email = flag_get(fl, "email"), .display_name = flag_get(fl, "display-name"),
                             .role = flag_get(fl, "role"), .stakeholder_type = flag_get(fl, "stakeholder-type"),
                             .organisation = flag_get(fl, "organisation"), .country = flag_get(fl, "country") };
    const char *db = flag_get(fl, "db");
    if (!db || !u.email || !u.display_name || !u.role || !u.stakeholder_type)
        return usage_error("user create needs --db, --email, --display-name, --role and --stakeholder-type");
    char *password = read_password();
    if (!password)
        return usage_error("the password must be given on standard input");
    u.password = password;
    const char *bad = check_new_user(&u, country);
    int rc = EXIT_USAGE;
    struct fd_store *s = NULL;
    if (bad) {
        fprintf(stderr, "forumd: %s\n", bad);
        goto out;
    }
    rc = 1;
    struct fd_config defaults;
    fd_config_defaults(&defaults);
    if (fd_auth_init() < 0 ||
        !(u.password_hash = fd_auth_hash_password(password, defaults.pwhash_ops, defaults.pwhash_mem))) {
        fd_config_clear(&defaults);
        fprintf(stderr, "forumd: cannot hash the password\n");
        goto out;
    }
    fd_config_clear(&defaults);
    s = fd_store_sqlite_open(db, true, err, sizeof err);
    if (!s) {
        fprintf(stderr, "forumd: %s\n", err);
        goto out;
    }
    struct fd_user out = { 0 };
    int st = fd_store_tx_begin(s);
    if (st == FD_OK)
        st = fd_store_user_create(s, &u, fd_now(), &out);
    if (st == FD_OK)
        st = fd_store_tx_commit(s);
    else
        fd_store_tx_rollback(s);
    if (st == FD_ECONFLICT)
        fprintf(stderr, "forumd: an account with email %s exists already\n", u.email);
    else if (st != FD_OK)
        fprintf(stderr, "forumd: cannot create the user (error %d)\n", st);
    else
        printf("created %s %lld <%s>\n", fd_role_name(out.role), (long long)out.id, u.email);
    rc = st == FD_OK ? 0 : 1;
    fd_user_clear(&out);
out:
    fd_store_close(s);
    memset(password, 0, strlen(password));
    free(password);
    free(u.password_hash);
    return rc;
}

/* The route table as "METHOD PATH rule,rule": what the authorization tests walk. */
static int cmd_routes(void)
{
    static const struct { int flag; const char *name; } rules[] = {
        { FD_R_AUTH, "auth" }, { FD_R_WRITE, "write" }, { FD_R_MODERATOR, "moderator" },
        { FD_R_ADMIN, "admin" }, { FD_R_CSRF_ONLY, "csrf" },
    };
    for (size_t i = 0; i < fd_routes_count; i++) {
        char method[16];
        fd_router_methods_str(fd_routes[i].method, method, sizeof method);
        printf("%s %s ", method, fd_routes[i].pattern);
        bool any = false;
        for (size_t k = 0; k < FD_ARRAY_LEN(rules); k++) {
            if (fd_routes[i].flags & rules[k].flag) {
                printf("%s%s", any ? "," : "", rules[k].name);
                any = true;
            }
        }
        printf("%s\n", any ? "" : "public");
    }
    return 0;
}

int main(int argc, char **argv)
{
    char err[512];
    struct flags fl;
    signal(SIGPIPE, SIG_IGN);
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "--version")) {
        printf("forumd %s\n", FORUMD_VERSION);
        return 0;
    }
    const char *cmd = (argc > 1 && strncmp(argv[1], "--", 2) != 0) ? argv[1] : "serve";
    if (!strcmp(cmd, "routes"))
        return argc == 2 ? cmd_routes() : usage_error("routes takes no options");
    int start = (argc > 1 && strncmp(argv[1], "--", 2) != 0) ? 2 : 1;
    if (!strcmp(cmd, "user")) {
        if (argc < 3 || strcmp(argv[2], "create") != 0)
            return usage_error("the user command is 'user create'");
        start = 3;
    }
    if (parse_flags(argc, argv, start, &fl, err, sizeof err) < 0)
        return usage_error(err);
    if (!strcmp(cmd, "serve")) {
        struct fd_config cfg;
        int rc = load_config(&cfg, &fl, err, sizeof err);
        if (rc != 0) {
            fd_config_clear(&cfg);
            return rc == EXIT_USAGE ? usage_error(err) : (fprintf(stderr, "forumd: %s\n", err), 1);
        }
        return serve(&cfg);
    }
    if (!strcmp(cmd, "migrate"))
        return cmd_migrate(&fl);
    if (!strcmp(cmd, "backup"))
        return cmd_backup(&fl);
    if (!strcmp(cmd, "user"))
        return cmd_user_create(&fl);
    return usage_error("unknown command");
}
