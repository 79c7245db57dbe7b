/* forumd-ceiling: the fastest an evhttp server can answer on this machine, as the benchmarks'
 * yardstick.
 *
 *   forumd-ceiling [--listen 127.0.0.1:0] --size BYTES [--threads 2]
 *
 * Every request gets 200 and the same JSON body of exactly BYTES bytes. Like forumd, it runs
 * --threads event loops, each with its own evhttp, on one shared listening socket (each loop gets
 * a dup() of it), and prints "listening on http://HOST:PORT" on its first line. It stops on SIGTERM
 * or SIGINT. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include "forumd/http.h"

#define MAX_LOOPS 64

struct loop {
    struct event_base *base;
    struct evhttp *http;
    pthread_t thread;
};

static char *body;
static size_t body_len;

static void answer(struct evhttp_request *req, void *arg)
{
    (void)arg;
    struct evbuffer *out = evbuffer_new();
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
                      "application/json; charset=utf-8");
    evbuffer_add_reference(out, body, body_len, NULL, NULL);
    evhttp_send_reply(req, 200, "OK", out);
    evbuffer_free(out);
}

static void *loop_main(void *arg)
{
    struct loop *l = arg;
    event_base_dispatch(l->base);
    return NULL;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: forumd-ceiling [--listen HOST:PORT] --size BYTES [--threads N]\n");
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

int main(int argc, char **argv)
{
    char host[256] = "127.0.0.1";
    char port[16] = "0";
    long size = -1, n_loops = 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--listen") && v) {
            const char *colon = strrchr(v, ':');
            if (!colon || (size_t)(colon - v) >= sizeof host || strlen(colon + 1) >= sizeof port) {
                usage(stderr);
                return 2;
            }
            /* [::1]:8080 or 127.0.0.1:8080 */
            size_t hl = (size_t)(colon - v);
            const char *h = v;
            if (hl >= 2 && v[0] == '[' && v[hl - 1] == ']') {
                h++;
                hl -= 2;
            }
            memcpy(host, h, hl);
            host[hl] = '\0';
            memcpy(port, colon + 1, strlen(colon + 1) + 1);
        } else if (!strcmp(a, "--size")) {
            if (parse_long(v, 2, 64L << 20, &size) < 0) {
                usage(stderr);
                return 2;
            }
        } else if (!strcmp(a, "--threads")) {
            if (parse_long(v, 1, MAX_LOOPS, &n_loops) < 0) {
                usage(stderr);
                return 2;
            }
        } else {
            usage(!strcmp(a, "--help") ? stdout : stderr);
            return !strcmp(a, "--help") ? 0 : 2;
        }
        i++;
    }
    if (size < 0) {
        usage(stderr);
        return 2;
    }

    /* {"pad":"xxx...x"}: valid JSON of exactly size bytes (at least 2: "{}"). */
    body_len = (size_t)size;
    body = malloc(body_len);
    if (!body)
        return 1;
    if (body_len < 12) {
        memset(body, ' ', body_len);
        body[0] = '{';
        body[body_len - 1] = '}';
    } else {
        memcpy(body, "{\"pad\":\"", 8);
        memset(body + 8, 'x', body_len - 10);
        memcpy(body + body_len - 2, "\"}", 2);
    }

    signal(SIGPIPE, SIG_IGN);
    evthread_use_pthreads();
    int portnum = 0;
    char err[256];
    /* the very socket set-up forumd uses, so that the ceiling differs from it only in the handler */
    int fd = fd_http_listen(host, (int)strtol(port, NULL, 10), &portnum, err, sizeof err);
    if (fd < 0) {
        fprintf(stderr, "forumd-ceiling: %s\n", err);
        return 1;
    }
    struct loop loops[MAX_LOOPS] = {{0}};
    for (long i = 0; i < n_loops; i++) {
        struct loop *l = &loops[i];
        l->base = event_base_new();
        l->http = l->base ? evhttp_new(l->base) : NULL;
        int dfd = dup(fd);
        if (!l->http || dfd < 0 || !evhttp_accept_socket_with_handle(l->http, dfd)) {
            fprintf(stderr, "forumd-ceiling: cannot start loop %ld\n", i);
            return 1;
        }
        evhttp_set_gencb(l->http, answer, NULL);
    }
    close(fd);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    for (long i = 0; i < n_loops; i++)
        pthread_create(&loops[i].thread, NULL, loop_main, &loops[i]);
    int v6 = strchr(host, ':') != NULL;
    printf("listening on http://%s%s%s:%d\n", v6 ? "[" : "", host, v6 ? "]" : "", portnum);
    fflush(stdout);

    int sig = 0;
    sigwait(&set, &sig);
    for (long i = 0; i < n_loops; i++)
        event_base_loopbreak(loops[i].base);
    for (long i = 0; i < n_loops; i++) {
        pthread_join(loops[i].thread, NULL);
        evhttp_free(loops[i].http);
        event_base_free(loops[i].base);
    }
    free(body);
    return 0;
}
