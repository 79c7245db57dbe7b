/* forumd-idle: holds many idle keep-alive connections open on a server, so that the benchmark
 * runner can measure what they cost in memory.
 *
 *   forumd-idle --connect HOST:PORT [--conns 10000] [--hold SECONDS] [--path /healthz] [--sse]
 *               [--timeout SECONDS]
 *
 * It opens --conns TCP connections (at most 256 connecting at a time), sends one
 * "GET <path> HTTP/1.1" with keep-alive on each and reads the whole answer (with --sse: only the
 * status line and headers of the event stream, which then stays open). When every connection has
 * its answer (or --timeout passed) it prints "ready OK/N" on standard output, keeps them all open
 * and idle for --hold seconds (reading and dropping whatever an event stream sends), then prints a
 * summary and closes them. Exit status 0 if every connection got a 200, 1 otherwise, 2 wrong usage.
 *
 * DESIGN: one thread, non-blocking sockets on one epoll set; per connection a small state and a
 * buffer that lives only until its answer is complete. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <netdb.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#define MAX_CONNECTING 256
#define HEAD_MAX 16384

enum state { S_NONE, S_CONNECTING, S_READING, S_IDLE, S_FAILED, S_CLOSED };

struct conn {
    int fd;
    enum state state;
    char *buf; /* the answer so far, while reading it */
    size_t len;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: forumd-idle --connect HOST:PORT [--conns N] [--hold SECONDS] [--path PATH] [--sse]"
               " [--timeout SECONDS]\n");
}

static int parse_long(const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long n = v ? strtol(v, &end, 10) : 0;
    if (!v || errno || end == v || *end || n < lo || n > hi)
        return -1;
    *out = n;
    return 0;
}

static void conn_close(struct conn *c, enum state st)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    free(c->buf);
    c->buf = NULL;
    c->state = st;
}

/* True once buf holds a complete answer: with sse, the headers; otherwise the headers and
 * Content-Length bytes of body (or a whole chunked body). */
static int answer_complete(const char *buf, size_t len, int sse)
{
    const char *end = NULL;
    for (size_t i = 0; i + 3 < len; i++) {
        if (!memcmp(buf + i, "\r\n\r\n", 4)) {
            end = buf + i + 4;
            break;
        }
    }
    if (!end)
        return 0;
    if (sse)
        return 1;
    size_t head = (size_t)(end - buf), body = len - head;
    for (const char *p = buf; p < end; p++) {
        if (*p == '\n' && !strncasecmp(p + 1, "Content-Length:", 15))
            return body >= (size_t)strtoul(p + 16, NULL, 10);
        if (*p == '\n' && !strncasecmp(p + 1, "Transfer-Encoding: chunked", 26))
            return body >= 5 && !memcmp(buf + len - 5, "0\r\n\r\n", 5);
    }
    return 1; /* no length: nothing more to wait for */
}

int main(int argc, char **argv)
{
    const char *target = NULL, *path = "/healthz";
    long n = 10000, hold = 10, timeout = 60;
    int sse = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (!strcmp(a, "--sse")) {
            sse = 1;
            continue;
        } else if (!strcmp(a, "--connect") && v) {
            target = v;
        } else if (!strcmp(a, "--path") && v) {
            path = v;
        } else if (!strcmp(a, "--conns")) {
            bad = parse_long(v, 1, 1000000, &n);
        } else if (!strcmp(a, "--hold")) {
            bad = parse_long(v, 0, 86400, &hold);
        } else if (!strcmp(a, "--timeout")) {
            bad = parse_long(v, 1, 86400, &timeout);
        } else {
            bad = 1;
        }
        if (bad) {
            usage(stderr);
            return 2;
        }
        i++;
    }
    const char *colon = target ? strrchr(target, ':') : NULL;
    if (!colon || colon == target) {
        usage(stderr);
        return 2;
    }
    char host[256];
    size_t hl = (size_t)(colon - target);
    if (hl >= sizeof host) {
        usage(stderr);
        return 2;
    }
    memcpy(host, target, hl);
    host[hl] = '\0';

    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && (rlim_t)n + 16 > rl.rlim_cur) {
        fprintf(stderr, "forumd-idle: %ld connections need a higher open-file limit than %llu (ulimit -n)\n",
                n, (unsigned long long)rl.rlim_cur);
        return 1;
    }
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    if (getaddrinfo(host, colon + 1, &hints, &res) != 0) {
        fprintf(stderr, "forumd-idle: cannot resolve %s\n", target);
        return 1;
    }
    char req[1024];
    int req_len = snprintf(req, sizeof req,
                           "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: keep-alive\r\nAccept: %s\r\n\r\n",
                           path, target, sse ? "text/event-stream" : "application/json");
    if (req_len < 0 || (size_t)req_len >= sizeof req) {
        fprintf(stderr, "forumd-idle: path too long\n");
        return 2;
    }

    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct conn *conns = calloc((size_t)n, sizeof *conns);
    struct epoll_event *evs = calloc(1024, sizeof *evs);
    if (ep < 0 || !conns || !evs)
        return 1;
    for (long i = 0; i < n; i++)
        conns[i].fd = -1;

    long next = 0, connecting = 0, ok = 0, failed = 0, not_200 = 0;
    double t0 = now_s();
    /* Phase 1: connect, ask, read the answer. */
    while (ok + failed < n && now_s() - t0 < (double)timeout) {
        while (next < n && connecting < MAX_CONNECTING) {
            struct conn *c = &conns[next];
            c->fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (c->fd < 0 || (connect(c->fd, res->ai_addr, res->ai_addrlen) < 0 && errno != EINPROGRESS)) {
                if (failed == 0)
                    fprintf(stderr, "forumd-idle: connect: %s\n", strerror(errno));
                conn_close(c, S_FAILED);
                failed++;
                next++;
                continue;
            }
            struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN, .data.u64 = (uint64_t)next};
            epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
            c->state = S_CONNECTING;
            connecting++;
            next++;
        }
        int k = epoll_wait(ep, evs, 1024, 100);
        for (int j = 0; j < k; j++) {
            struct conn *c = &conns[evs[j].data.u64];
            if (c->state == S_CONNECTING && (evs[j].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
                int err = 0;
                socklen_t el = sizeof err;
                getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
                if (err != 0 || write(c->fd, req, (size_t)req_len) != req_len) {
                    if (failed == 0)
                        fprintf(stderr, "forumd-idle: connect/send: %s\n", strerror(err ? err : errno));
                    conn_close(c, S_FAILED);
                    failed++;
                    connecting--;
                    continue;
                }
                struct epoll_event ev = {.events = EPOLLIN, .data.u64 = evs[j].data.u64};
                epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                c->state = S_READING;
                c->buf = malloc(HEAD_MAX);
                c->len = 0;
                continue;
            }
            if (c->state != S_READING)
                continue;
            ssize_t r = read(c->fd, c->buf + c->len, HEAD_MAX - 1 - c->len);
            if (r < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (r <= 0 || (size_t)r + c->len >= HEAD_MAX - 1) {
                conn_close(c, S_FAILED);
                failed++;
                connecting--;
                continue;
            }
            c->len += (size_t)r;
            if (answer_complete(c->buf, c->len, sse)) {
                if (strncmp(c->buf, "HTTP/1.1 200", 12) != 0) {
                    not_200++;
                    conn_close(c, S_FAILED);
                    failed++;
                } else {
                    free(c->buf);
                    c->buf = NULL;
                    c->state = S_IDLE;
                    ok++;
                }
                connecting--;
            }
        }
    }
    double t_ready = now_s() - t0;
    printf("ready %ld/%ld in %.2f s (failed %ld, of which not 200: %ld)\n", ok, n, t_ready, failed, not_200);
    fflush(stdout);

    /* Phase 2: hold them idle; an event stream may send heartbeats, which are dropped. */
    long closed = 0;
    double t_hold = now_s();
    char sink[4096];
    while (now_s() - t_hold < (double)hold) {
        int k = epoll_wait(ep, evs, 1024, 200);
        for (int j = 0; j < k; j++) {
            struct conn *c = &conns[evs[j].data.u64];
            if (c->state != S_IDLE)
                continue;
            ssize_t r = read(c->fd, sink, sizeof sink);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                conn_close(c, S_CLOSED);
                closed++;
            }
        }
    }
    printf("held %ld connections for %ld s; %ld closed by the server meanwhile\n", ok - closed, hold, closed);
    fflush(stdout);
    for (long i = 0; i < n; i++)
        conn_close(&conns[i], S_CLOSED);
    freeaddrinfo(res);
    free(conns);
    free(evs);
    close(ep);
    return failed == 0 && closed == 0 ? 0 : 1;
}
