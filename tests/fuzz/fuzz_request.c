/* libFuzzer harness: whole raw HTTP requests through the server, in process.
 *
 * The harness builds the application as `forumd serve` does (main.c: writer, checkpointer, hashing
 * and query workers, generation counters, event hub, one event loop with its own read connection
 * and page cache) and sets up evhttp with fd_http_setup() itself, so that the limits, allowed
 * methods and callbacks are production's, on a listening socket on 127.0.0.1. The database is a
 * temporary file (every thread has its own connection, which ":memory:" cannot share), migrated
 * once, with fixtures: an administrator, a moderator and two members, API tokens for the first
 * three, a cookie session for the member, and a thread with replies and a flag, so that inputs
 * can reach the handlers behind sign-in (the tokens and cookie are in the seeds and dictionary).
 * Rate limits are switched off and Argon2id set to its minimum so that an input costs
 * milliseconds; everything else keeps its default.
 *
 * Input: the bytes a client sends on one connection (one request, several pipelined, or garbage).
 * The loop runs on this thread until the server has answered everything it can (nothing moves for
 * a few loop turns with no request in flight, or for 50 ms with one in flight: an event stream, or
 * a request still incomplete), or closes the connection; then the client resets the connection
 * and the loop runs until every request has been let go.
 *
 * Checks:
 * - what the server wrote is a sequence of HTTP/1.x responses: a status line with a 3-digit
 *   status, header lines of the form "Name: value" ending in CRLF (no bare CR or LF, no NUL:
 *   no header injection), then a body as Content-Length or chunked encoding says;
 * - a JSON response (ours, not one of evhttp's own HTML error pages) carries the security headers
 *   and a body that parses, with {"error": {"code", "message"}} on every 4xx/5xx;
 * - no answer is a 500: whatever a client sends, the server knows what is wrong with it (a busy
 *   or full database would be a 503 or 507, which a throw-away database never is);
 * - no request is still in flight five seconds after its client went away (a leak of
 *   loop->inflight would hold up every shutdown).
 * No thread is started per input; the DESIGN of http.h keeps one loop, its workers and the writer
 * for the whole run. Every 256 inputs, a write job puts the fixtures back as they were (tokens,
 * session, roles, suspensions), since inputs may sign out, suspend or demote them. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>
#include <sanitizer/common_interface_defs.h>
#include <sodium.h>
#include "forumd/http.h"
#include "forumd/auth.h"
#include "forumd/cache.h"
#include "forumd/events.h"
#include "forumd/markdown.h"
#include "forumd/ratelimit.h"

#define INPUT_MAX (64 * 1024)
#define MAX_REPLY (8u << 20)  /* bytes of answer kept for the checks (more is read and dropped) */
#define QUIET_TURNS 4         /* loop turns without progress before a connection counts as done */
#define STALL_MS 50           /* ... or milliseconds without progress while a request is in flight */
#define INPUT_BUDGET_MS 3000  /* longest one input may keep the connection */
#define RELEASE_MS 5000       /* longest the server may hold a request whose client left */
#define REPAIR_EVERY 256

/* The fixtures' secrets, also in the seeds and the dictionary (base64url of 32 bytes). */
#define ADMIN_TOKEN "ZnV6eiBhZG1pbiBhcGkgdG9rZW4gMDAwMDAwMDAwMDE"
#define MOD_TOKEN "ZnV6eiBtb2RlcmF0b3IgYXBpIHRva2VuIDAwMDAwMDI"
#define MEMBER_TOKEN "ZnV6eiBtZW1iZXIgYXBpIHRva2VuIDAwMDAwMDAwMDM"
#define MEMBER_SESSION "ZnV6eiBtZW1iZXIgc2Vzc2lvbiBzZWNyZXQgMDAwMDQ"
#define MEMBER_CSRF "p0Nch5fIK49bb_fdRtz3-zYerlT4kIi_n0xEz_J5Zms"
#define PASSWORD "correct horse battery staple"

struct fixture_user {
    const char *email, *name, *role, *stakeholder_type, *token, *session;
    enum fd_role want_role;
    int64_t id;
    int generation; /* bumped when an erased account is replaced */
};

static struct fixture_user users[] = {
    /* email                    name              role         stakeholder type  token         session */
    { "admin@fuzz.example",     "Fuzz admin",     "admin",     "commission",     ADMIN_TOKEN,  NULL,
      FD_ROLE_ADMIN, 0, 0 },
    { "moderator@fuzz.example", "Fuzz moderator", "moderator", "eu_agency",      MOD_TOKEN,    NULL,
      FD_ROLE_MODERATOR, 0, 0 },
    { "member@fuzz.example",    "Fuzz member",    NULL,        "civil_society",  MEMBER_TOKEN, MEMBER_SESSION,
      FD_ROLE_MEMBER, 0, 0 },
    { "other@fuzz.example",     "Other member",   NULL,        "academia",       NULL,         NULL,
      FD_ROLE_MEMBER, 0, 0 },
};

static struct {
    struct fd_app app;
    struct fd_server_loop *loop;
    struct event *tick;
    int port;
    char dir[PATH_MAX], db[PATH_MAX + 16];
    unsigned long inputs;
    bool repaired;
    bool verbose; /* FUZZ_VERBOSE=1: print every answer (to see what a seed gets) */
} g;

/* The client side of one input. */
struct client {
    int fd;
    struct event *ev;
    char *buf;
    size_t len, total;
    bool eof;
};

/* Removes the temporary database: at exit, and before an abort (a found bug), so that crashing
 * runs leave nothing behind. */
static void cleanup(void)
{
    static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
    char path[PATH_MAX + 32];
    for (size_t i = 0; i < FD_ARRAY_LEN(suffix); i++) {
        snprintf(path, sizeof path, "%s%s", g.db, suffix[i]);
        unlink(path);
    }
    rmdir(g.dir);
}

static void fail(const char *what, const struct client *c) __attribute__((noreturn));

static void fail(const char *what, const struct client *c)
{
    fprintf(stderr, "fuzz_request: %s\n", what);
    if (c && c->len)
        fprintf(stderr, "--- the server's answer (%zu bytes) ---\n%.*s\n---\n", c->len,
                (int)(c->len < 4096 ? c->len : 4096), c->buf);
    cleanup();
    abort();
}

static void die(const char *what, const char *err)
{
    fprintf(stderr, "fuzz_request: cannot start: %s%s%s\n", what, err ? ": " : "", err ? err : "");
    exit(1);
}

static int64_t mono_ms(void)
{
    return fd_mono_us() / 1000;
}

/* ---- the application, as main.c's serve() makes it ---- */

static void config(struct fd_config *cfg)
{
    /* Fast password hashing and no rate limits, so that an input costs milliseconds and the same
     * input gets the same answer however often it runs; long sessions, so that the fixture's
     * session outlives a long run. Options a build does not know are skipped. */
    static const char *const opts[][2] = {
        { "threads", "1" },
        { "workers", "1" },
        { "pwhash-ops", "1" },
        { "pwhash-mem", "8K" },
        { "synchronous", "normal" },
        { "quiet", "true" },
        { "cache-size", "8M" },
        { "session-idle", "31536000" },
        { "session-max", "31536000" },
        { "rate-login-address", "0/1" },
        { "rate-login-account", "0/1" },
        { "rate-register-address", "0/1" },
        { "rate-post-address", "0/1" },
        { "rate-post-account", "0/1" },
        { "rate-post-new-account", "0/1" },
        { "rate-flag-account", "0/1" },
        { "rate-search-address", "0/1" },
        { "rate-stream-address", "0/1" },
        { "duplicate-window", "0" },
        { "new-account-links", "10000" },
    };
    char err[256];
    fd_config_defaults(cfg);
    for (size_t i = 0; i < FD_ARRAY_LEN(opts); i++)
        if (fd_config_set(cfg, opts[i][0], opts[i][1], err, sizeof err) < 0)
            fprintf(stderr, "fuzz_request: option %s left at its default: %s\n", opts[i][0], err);
    if (fd_config_set(cfg, "db", g.db, err, sizeof err) < 0 ||
        fd_config_set(cfg, "web", FUZZ_WEB_DIR, err, sizeof err) < 0)
        die("configuration", err);
}

static int checkpoint_tick(struct fd_store *s)
{
    return fd_store_checkpoint(s);
}

/* ---- fixtures ---- */

static int user_fixture(struct fd_store *s, struct fixture_user *u, int64_t now)
{
    char email[128];
    if (u->generation)
        snprintf(email, sizeof email, "%d.%s", u->generation, u->email);
    else
        snprintf(email, sizeof email, "%s", u->email);
    struct fd_new_user in = { .email = email, .password = PASSWORD, .display_name = u->name,
                              .stakeholder_type = u->stakeholder_type, .role = u->role, .country = "BE" };
    in.password_hash = fd_auth_hash_password(PASSWORD, 1, 8192);
    struct fd_user out = { 0 };
    int rc = in.password_hash ? fd_store_user_create(s, &in, now, &out) : FD_EINTERNAL;
    u->id = out.id;
    fd_user_clear(&out);
    free(in.password_hash);
    return rc;
}

/* Puts the fixtures back: accounts (an erased one is replaced), roles, suspensions, tokens and the
 * session. Runs in a write transaction (the writer's, or the set-up's). */
static int repair_txn(struct fd_store *s, void *arg)
{
    (void)arg;
    int64_t now = fd_now();
    for (size_t i = 0; i < FD_ARRAY_LEN(users); i++) {
        struct fixture_user *u = &users[i];
        struct fd_user cur = { 0 };
        int rc = u->id ? fd_store_user_get(s, u->id, &cur) : FD_ENOTFOUND;
        if (rc == FD_OK && !cur.email)
            rc = FD_ENOTFOUND; /* erased: its tokens and sessions are gone with it */
        if (rc == FD_ENOTFOUND) {
            fd_user_clear(&cur);
            u->generation += u->id != 0;
            if ((rc = user_fixture(s, u, now)) != FD_OK || (rc = fd_store_user_get(s, u->id, &cur)) != FD_OK)
                return rc;
        } else if (rc != FD_OK) {
            return rc;
        }
        if (cur.suspended_until)
            rc = fd_store_user_suspend(s, u->id, 0, NULL);
        if (rc == FD_OK && (cur.role != u->want_role || cur.n_moderates))
            rc = fd_store_user_set_role(s, u->id, u->want_role, NULL, 0);
        fd_user_clear(&cur);
        uint8_t hash[FD_TOKEN_HASH_LEN];
        int64_t id = 0;
        if (rc == FD_OK && u->token && fd_auth_token_hash(u->token, hash) == 0) {
            struct fd_user owner = { 0 };
            if (fd_store_token_find(s, hash, &id, NULL, &owner) == FD_ENOTFOUND)
                rc = fd_store_token_create(s, u->id, "fuzz", hash, now, &id);
            fd_user_clear(&owner);
        }
        if (rc == FD_OK && u->session && fd_auth_token_hash(u->session, hash) == 0) {
            struct fd_user owner = { 0 };
            int64_t created, seen;
            if (fd_store_session_find(s, hash, &id, &created, &seen, &owner) == FD_ENOTFOUND)
                rc = fd_store_session_create(s, u->id, hash, now, &id);
            fd_user_clear(&owner);
        }
        if (rc != FD_OK)
            return rc;
    }
    return FD_OK;
}

/* A thread in the first objective with replies and a flag, for the handlers that need content. */
static int content_txn(struct fd_store *s)
{
    struct fd_user author = { 0 }, other = { 0 };
    struct fd_problem pb = { 0 };
    int64_t thread_id = 0, post_id = 0, reply_id = 0, flag_id = 0, now = fd_now();
    static const char body[] = "Opening post with a [link](https://example.eu/a?b=c) and *emphasis*.";
    static const char reply[] = "A reply with `code` and a list:\n\n- one\n- two\n";
    int rc = fd_store_user_get(s, users[2].id, &author);
    if (rc == FD_OK)
        rc = fd_store_user_get(s, users[3].id, &other);
    struct fd_new_thread t = { .objective_id = 1, .title = "Fuzzing thread", .post.body = body };
    t.post.body_html = fd_markdown_render(body, strlen(body));
    if (rc == FD_OK)
        rc = fd_forum_thread_create(s, &author, &t, now, &thread_id, &post_id, &pb);
    struct fd_new_post p = { .thread_id = thread_id, .parent_id = post_id, .body = reply };
    p.body_html = fd_markdown_render(reply, strlen(reply));
    if (rc == FD_OK)
        rc = fd_forum_post_create(s, &other, &p, now, &reply_id, &pb);
    p.parent_id = reply_id;
    if (rc == FD_OK)
        rc = fd_forum_post_create(s, &author, &p, now, &reply_id, &pb);
    if (rc == FD_OK)
        rc = fd_store_flag_create(s, reply_id, users[3].id, "spam", NULL, now, &flag_id);
    free(t.post.body_html);
    free(p.body_html);
    fd_user_clear(&author);
    fd_user_clear(&other);
    return rc;
}

static void make_fixtures(void)
{
    char err[512];
    struct fd_store *s = fd_store_sqlite_open(g.db, true, err, sizeof err);
    if (!s)
        die("database", err);
    int rc = fd_store_tx_begin(s);
    if (rc == FD_OK)
        rc = repair_txn(s, NULL);
    if (rc == FD_OK)
        rc = content_txn(s);
    if (rc == FD_OK)
        rc = fd_store_tx_commit(s);
    if (rc != FD_OK) {
        snprintf(err, sizeof err, "error %d", rc);
        die("fixtures", err);
    }
    fd_store_close(s);
    char csrf[FD_TOKEN_STR_LEN];
    fd_auth_csrf_token(MEMBER_SESSION, csrf);
    if (strcmp(csrf, MEMBER_CSRF) != 0)
        fprintf(stderr, "fuzz_request: the member's CSRF token is now %s: update MEMBER_CSRF and the seeds\n",
                csrf);
}

static void repair_done(void *arg, int rc)
{
    (void)arg;
    if (rc != FD_OK)
        fprintf(stderr, "fuzz_request: putting the fixtures back failed (error %d)\n", rc);
    g.repaired = true;
}

static void tick_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[512];
    signal(SIGPIPE, SIG_IGN);
    g.verbose = getenv("FUZZ_VERBOSE") && !strcmp(getenv("FUZZ_VERBOSE"), "1");
    const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm"
                      : getenv("TMPDIR")            ? getenv("TMPDIR")
                                                    : "/tmp";
    snprintf(g.dir, sizeof g.dir, "%s/fuzz_request.XXXXXX", tmp);
    if (!mkdtemp(g.dir))
        die("temporary folder", strerror(errno));
    snprintf(g.db, sizeof g.db, "%s/forum.db", g.dir);
    atexit(cleanup);
    __sanitizer_set_death_callback(cleanup);

    struct fd_app *app = &g.app;
    config(&app->cfg);
    if (fd_auth_init() < 0 || evthread_use_pthreads() < 0)
        die("libsodium or libevent threads", NULL);
    fd_store_sqlite_set_synchronous(app->cfg.sync_full);
    make_fixtures();

    struct fd_store *wstore = fd_store_sqlite_open(g.db, true, err, sizeof err);
    struct fd_store *cstore = wstore ? fd_store_sqlite_open(g.db, false, err, sizeof err) : NULL;
    if (!cstore)
        die("database", err);
    fd_store_auto_checkpoint(wstore, false);
    app->writer = fd_writer_new(wstore);
    app->checkpointer = fd_ticker_new(cstore, 250, checkpoint_tick);
    app->gens = fd_gens_new();
    app->events = fd_events_new(app->cfg.sse_per_address);
    char real[PATH_MAX];
    app->web_root = realpath(app->cfg.web_dir, real) ? fd_xstrdup(real) : NULL;
    app->limits = fd_rl_new();
    randombytes_buf(app->device_key, sizeof app->device_key);
    app->dummy_hash =
        fd_auth_hash_password("forumd dummy password", app->cfg.pwhash_ops, app->cfg.pwhash_mem);
    if (!app->dummy_hash)
        die("password hashing", NULL);

    app->n_loops = 1;
    app->loops = fd_xcalloc(1, sizeof *app->loops);
    struct fd_server_loop *loop = g.loop = &app->loops[0];
    loop->app = app;
    loop->base = event_base_new();
    if (!loop->base)
        die("event loop", NULL);
    loop->done_queue = fd_loop_new(loop->base);
    loop->cache = fd_cache_new(app->cfg.cache_bytes);
    loop->events = fd_events_loop_new(loop);
    if (!(loop->store = fd_store_sqlite_open(g.db, false, err, sizeof err)))
        die("database", err);

    int fd = fd_http_listen("127.0.0.1", 0, &g.port, err, sizeof err);
    if (fd < 0)
        die("listening socket", err);
    if (fd_http_setup(app, fd) < 0)
        die("HTTP server", NULL);
    close(fd);

    app->work = fd_work_new(app->cfg.workers, 32, NULL);
    struct fd_store **stores = fd_xcalloc((size_t)app->cfg.workers, sizeof *stores);
    for (int i = 0; i < app->cfg.workers; i++)
        if (!(stores[i] = fd_store_sqlite_open(g.db, false, err, sizeof err)))
            die("database", err);
    app->queries = fd_work_new(app->cfg.workers, 64, stores);
    free(stores);
    g.tick = evtimer_new(loop->base, tick_cb, NULL);
    return 0;
}

/* ---- running the loop ---- */

static void client_read(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    struct client *c = arg;
    char tmp[16384];
    for (;;) {
        ssize_t n = recv(fd, tmp, sizeof tmp, 0);
        if (n > 0) {
            size_t keep = c->len + (size_t)n <= MAX_REPLY ? (size_t)n : MAX_REPLY - c->len;
            memcpy(c->buf + c->len, tmp, keep);
            c->len += keep;
            c->total += (size_t)n;
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            c->eof = true;
            event_del(c->ev);
        }
        return;
    }
}

/* One turn of the loop: without waiting (ms 0), or waiting at most ms for something to happen. */
static void turn(int ms)
{
    if (ms == 0) {
        event_base_loop(g.loop->base, EVLOOP_NONBLOCK);
        return;
    }
    struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
    evtimer_add(g.tick, &tv);
    event_base_loop(g.loop->base, EVLOOP_ONCE);
    evtimer_del(g.tick);
}

struct progress {
    size_t total;
    uint64_t requests;
    int inflight;
};

static struct progress progress_of(const struct client *c)
{
    return (struct progress){ c->total, g.loop->next_request_id, g.loop->inflight };
}

static bool moved(struct progress a, struct progress b)
{
    return a.total != b.total || a.requests != b.requests || a.inflight != b.inflight;
}

static void repair_fixtures(void)
{
    g.repaired = false;
    fd_writer_submit(g.app.writer, g.loop->done_queue, repair_txn, repair_done, NULL);
    int64_t until = mono_ms() + 10000;
    while (!g.repaired && mono_ms() < until)
        turn(100);
    if (!g.repaired)
        fail("the fixtures were not put back within 10 s", NULL);
}

/* ---- what the server wrote ---- */

static bool starts(const char *p, const char *end, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(end - p) >= n && !memcmp(p, s, n);
}

static bool tchar(unsigned char ch)
{
    return ch > 0x20 && ch < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", ch);
}

/* The value of header name in the header block [h, e), or NULL; its length in *len. */
static const char *header(const char *h, const char *e, const char *name, size_t *len)
{
    size_t n = strlen(name);
    for (const char *p = h; p < e;) {
        const char *eol = memchr(p, '\r', (size_t)(e - p));
        if (!eol)
            break;
        if ((size_t)(eol - p) > n && !strncasecmp(p, name, n) && p[n] == ':') {
            const char *v = p + n + 1;
            while (v < eol && (*v == ' ' || *v == '\t'))
                v++;
            *len = (size_t)(eol - v);
            return v;
        }
        p = eol + 2;
    }
    return NULL;
}

static void check_json_body(const struct client *c, int status, const char *h, const char *he,
                            const char *body, size_t blen)
{
    size_t n;
    const char *v = header(h, he, "X-Content-Type-Options", &n);
    if (!v || n != 7 || strncmp(v, "nosniff", 7) != 0)
        fail("a JSON answer without X-Content-Type-Options: nosniff", c);
    if (!header(h, he, "Content-Security-Policy", &n))
        fail("a JSON answer without Content-Security-Policy", c);
    if (status == 204 || status == 304 || blen == 0)
        return;
    json_error_t jerr;
    json_t *root = json_loadb(body, blen, 0, &jerr);
    if (!root)
        fail("a JSON answer whose body does not parse", c);
    if (status >= 400) {
        json_t *err = json_object_get(root, "error");
        if (!json_is_object(err) || !json_is_string(json_object_get(err, "code")) ||
            !json_is_string(json_object_get(err, "message")))
            fail("an error answer without {\"error\": {\"code\", \"message\"}}", c);
    }
    json_decref(root);
}

/* Walks the answers in c->buf; aborts on one that is not well-formed. An answer cut short (the
 * connection was closed mid-way, or more was sent than kept) ends the walk quietly. */
static void check_answers(const struct client *c)
{
    const char *p = c->buf, *end = c->buf + c->len;
    while (p < end) {
        /* status line. evhttp 2.1 answers with the version of the request line, which it takes
         * as "HTTP/%d.%d" with a major of at most 1 ("HTTP/1.2", "HTTP/1.-5" and "HTTP/0.9"
         * included), so the version is any such pair as printf writes it */
        if (!starts(p, end, "HTTP/")) {
            if ((size_t)(end - p) < 5 && !memcmp(p, "HTTP/", (size_t)(end - p)))
                return;
            fail("an answer that does not start with HTTP/", c);
        }
        const char *s = p + 5;
        for (int part = 0; part < 2; part++) {
            s += s < end && *s == '-';
            const char *digits = s;
            while (s < end && *s >= '0' && *s <= '9')
                s++;
            if (s == end)
                return;
            if (s == digits || *s != (part ? ' ' : '.'))
                fail("an answer whose HTTP version is not two numbers", c);
            s++;
        }
        if (end - s < 5)
            return;
        if (!(s[0] >= '1' && s[0] <= '5') || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9' ||
            s[3] != ' ')
            fail("a status that is not 3 digits and a space", c);
        int status = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
        if (status == 500)
            fail("a 500 answer: some input reaches an error the server did not expect", c);
        const char *eol = s + 4;
        while (eol < end && *eol != '\r' && *eol != '\n' && *eol != '\0')
            eol++;
        if (eol == end)
            return;
        if (!starts(eol, end, "\r\n")) {
            if (end - eol < 2 && *eol == '\r')
                return;
            fail("a status line that does not end in CRLF", c);
        }
        /* header lines */
        const char *h = eol + 2, *q = h;
        for (;;) {
            if (q == end || (end - q == 1 && *q == '\r'))
                return;
            if (starts(q, end, "\r\n"))
                break;
            const char *name = q;
            while (q < end && tchar((unsigned char)*q))
                q++;
            if (q == end)
                return;
            if (q == name || *q != ':')
                fail("a header line that is not \"Name: value\"", c);
            while (q < end && *q != '\r' && *q != '\n' && *q != '\0')
                q++;
            if (q == end || (end - q == 1 && *q == '\r'))
                return;
            if (!starts(q, end, "\r\n"))
                fail("a header value with a bare CR or LF, or a NUL (header injection)", c);
            q += 2;
        }
        const char *he = q;
        const char *body = q + 2;
        size_t n;
        const char *ctype = header(h, he, "Content-Type", &n);
        bool json = ctype && n >= 16 && !strncasecmp(ctype, "application/json", 16);
        const char *te = header(h, he, "Transfer-Encoding", &n);
        bool chunked = te && n == 7 && !strncasecmp(te, "chunked", 7);
        const char *cl = header(h, he, "Content-Length", &n);
        if (status < 200 || status == 204 || status == 304) {
            if (json)
                check_json_body(c, status, h, he, body, 0);
            p = body;
            continue;
        }
        if (chunked) {
            const char *b = body;
            for (;;) {
                char *x;
                if (b >= end)
                    return;
                unsigned long long size = strtoull(b, &x, 16); /* the reply buffer ends in a NUL */
                if (x == b)
                    fail("a chunk without a size", c);
                const char *crlf = x;
                while (crlf < end && *crlf != '\r')
                    crlf++;
                if (end - crlf < 2)
                    return;
                if (crlf[1] != '\n')
                    fail("a chunk size line without CRLF", c);
                b = crlf + 2;
                if (size > (unsigned long long)(end - b))
                    return;
                b += size;
                if (end - b < 2)
                    return;
                if (!starts(b, end, "\r\n"))
                    fail("a chunk that does not end in CRLF", c);
                b += 2;
                if (size == 0)
                    break;
            }
            p = b;
            continue;
        }
        if (!cl)
            return; /* the body runs to the end of the connection */
        char *x;
        unsigned long long len = strtoull(cl, &x, 10);
        if (x == cl || (size_t)(x - cl) != n)
            fail("a Content-Length that is not a number", c);
        if (len > (unsigned long long)(end - body))
            return; /* cut short, or a HEAD answer followed by nothing more */
        const char *next = body + len;
        if (next == end || starts(next, end, "HTTP/")) {
            if (json)
                check_json_body(c, status, h, he, body, (size_t)len);
            p = next;
        } else if (starts(body, end, "HTTP/")) {
            p = body; /* a HEAD answer: the length of a body that is not sent */
        } else {
            fail("an answer whose length does not lead to the next answer", c);
        }
    }
}

/* ---- one input ---- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > INPUT_MAX)
        return 0;
    if (g.inputs++ % REPAIR_EVERY == 0 && g.inputs > 1)
        repair_fixtures();

    struct client c = { 0 };
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)g.port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (c.fd < 0 || connect(c.fd, (struct sockaddr *)&sa, sizeof sa) < 0)
        fail("cannot connect to the server", NULL);
    /* a reset, not a FIN, when the client closes: no TIME_WAIT, so ports never run out */
    struct linger lg = { 1, 0 };
    setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    evutil_make_socket_nonblocking(c.fd);
    c.buf = fd_xmalloc(MAX_REPLY + 1);
    c.ev = event_new(g.loop->base, c.fd, EV_READ | EV_PERSIST, client_read, &c);
    event_add(c.ev, NULL);

    int64_t start = mono_ms();
    for (size_t off = 0; off < size && !c.eof && mono_ms() - start < INPUT_BUDGET_MS;) {
        ssize_t n = send(c.fd, data + off, size - off, MSG_NOSIGNAL);
        if (n > 0)
            off += (size_t)n;
        else if (n < 0 && errno != EAGAIN && errno != EINTR)
            break; /* the server closed the connection already */
        else
            turn(1);
    }
    int quiet = 0;
    while (!c.eof && mono_ms() - start < INPUT_BUDGET_MS) {
        struct progress before = progress_of(&c);
        turn(g.loop->inflight > 0 ? STALL_MS : 0);
        quiet = moved(before, progress_of(&c)) ? 0 : quiet + 1;
        if (quiet >= (g.loop->inflight > 0 ? 1 : QUIET_TURNS))
            break;
    }

    event_free(c.ev);
    close(c.fd);
    int64_t gone = mono_ms();
    while (g.loop->inflight > 0 && mono_ms() - gone < RELEASE_MS)
        turn(STALL_MS);
    if (g.loop->inflight > 0)
        fail("a request is still in flight 5 s after its client went away", &c);
    for (int i = 0; i < QUIET_TURNS; i++)
        turn(0); /* the server sees the reset and frees the connection */

    c.buf[c.len] = '\0';
    if (g.verbose)
        fprintf(stderr, "--- %zu bytes in, %zu bytes out ---\n%s\n", size, c.total, c.buf);
    check_answers(&c);
    free(c.buf);
    return 0;
}
