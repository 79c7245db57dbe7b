/* Unit tests of guard.c: the checks of a parsed request head (framing, header names and values,
 * version, sizes). The connection guards are tested black-box in tests/http/test_badinput.py. */
#include <sys/queue.h>
#include <criterion/criterion.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include "forumd/guard.h"

/* A head with version 1.1, a short URI and the headers given as "name", "value" pairs. */
static int check(int major, int minor, const char *uri, bool nul, const char *const *kv, size_t n,
                 struct fd_guard_verdict *v)
{
    struct evkeyvalq headers;
    TAILQ_INIT(&headers);
    for (size_t i = 0; i + 1 < n; i += 2) {
        /* evhttp_add_header refuses CR/LF in values; build the entry as the parser would */
        struct evkeyval *e = calloc(1, sizeof *e);
        e->key = strdup(kv[i]);
        e->value = strdup(kv[i + 1]);
        TAILQ_INSERT_TAIL(&headers, e, next);
    }
    struct fd_guard_head h = { .major = major, .minor = minor, .uri = uri, .headers = &headers, .nul = nul };
    int rc = fd_guard_check_head(&h, v);
    evhttp_clear_headers(&headers);
    return rc;
}

#define HEAD(...)                                                                                 \
    ((const char *const[]){ __VA_ARGS__ }), (sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *))

Test(guard, plain_requests_pass)
{
    struct fd_guard_verdict v;
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x"), &v), 0);
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "Content-Length", "12"), &v), 0);
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "Transfer-Encoding", "chunked"), &v), 0);
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "Transfer-Encoding", "Chunked"), &v), 0);
    cr_assert_eq(check(1, 0, "/", false, HEAD("Accept", "*/*"), &v), 0, "HTTP/1.0 needs no Host");
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "X-Obs", "caf\xc3\xa9\tok"), &v), 0);
}

Test(guard, ambiguous_framing_refused)
{
    struct fd_guard_verdict v;
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "Content-Length", "4", "Transfer-Encoding", "chunked"), &v),
                 -1);
    cr_assert_eq(v.status, 400);
    cr_assert_str_eq(v.code, "bad_request");
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "Content-Length", "2", "Content-Length", "2"), &v), -1);
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "content-length", "2", "Content-Length", "3"), &v), -1);
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "Transfer-Encoding", "gzip, chunked"), &v), -1);
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "Transfer-Encoding", "\tchunked"), &v), -1);
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "Transfer-Encoding", "x chunked"), &v), -1);
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "Transfer-Encoding", "chunked", "Transfer-Encoding",
                                              "chunked"), &v), -1);
    static const char *const lengths[] = { "+5", "-5", "0x5", "5 5", "", "5a", "1234567890123456789" };
    for (size_t i = 0; i < sizeof lengths / sizeof *lengths; i++)
        cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "Content-Length", lengths[i]), &v), -1, "%s",
                     lengths[i]);
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "Content-Length", "123456789012345678"), &v), 0);
}

Test(guard, names_values_and_hosts)
{
    struct fd_guard_verdict v;
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "Transfer-Encoding ", "chunked"), &v), -1);
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "", "x"), &v), -1);
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "X(Y)", "x"), &v), -1);
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "X-A", "a\x01" "b"), &v), -1);
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "X-A", "a\x7f"), &v), -1);
    cr_assert_eq(check(1, 1, "/", false, HEAD("Host", "x", "Host", "y"), &v), -1);
    cr_assert_eq(check(1, 1, "/", false, HEAD("Accept", "*/*"), &v), -1, "HTTP/1.1 without Host");
    cr_assert_eq(check(1, 1, "/", true, HEAD("Host", "x"), &v), -1, "a NUL byte in the head");
}

Test(guard, versions_and_sizes)
{
    struct fd_guard_verdict v;
    cr_assert_eq(check(-1, -1, "/", false, HEAD("Host", "x"), &v), -1);
    cr_assert_eq(check(2, 0, "/", false, HEAD("Host", "x"), &v), -1);
    cr_assert_eq(check(1, 2, "/", false, HEAD("Host", "x"), &v), -1);
    cr_assert_eq(check(0, 9, "/", false, HEAD("Host", "x"), &v), -1);
    char uri[FD_GUARD_MAX_URI + 2];
    memset(uri, 'a', sizeof uri - 1);
    uri[0] = '/';
    uri[FD_GUARD_MAX_URI] = '\0';
    cr_assert_eq(check(1, 1, uri, false, HEAD("Host", "x"), &v), 0, "exactly the longest URI");
    uri[FD_GUARD_MAX_URI] = 'a';
    uri[FD_GUARD_MAX_URI + 1] = '\0';
    cr_assert_eq(check(1, 1, uri, false, HEAD("Host", "x"), &v), -1);
    cr_assert_eq(v.status, 414);
}

Test(guard, header_count)
{
    struct fd_guard_verdict v;
    const char *kv[2 * (FD_GUARD_MAX_HEADERS + 1)];
    for (int i = 0; i < FD_GUARD_MAX_HEADERS + 1; i++) {
        kv[2 * i] = i == 0 ? "Host" : "X-Many";
        kv[2 * i + 1] = "v";
    }
    cr_assert_eq(check(1, 1, "/", false, kv, 2 * FD_GUARD_MAX_HEADERS, &v), 0);
    cr_assert_eq(check(1, 1, "/", false, kv, 2 * (FD_GUARD_MAX_HEADERS + 1), &v), -1);
    cr_assert_eq(v.status, 400);
}
