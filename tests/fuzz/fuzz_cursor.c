/* libFuzzer harness: keyset cursors (cursor.c).
 *
 * Input: any bytes. They are decoded as a cursor string for every kind and key count the handlers
 * use (never crashing, and a success must yield exactly that many keys and re-encode to a cursor
 * that decodes to the same keys); and they are read as a cursor to make (a kind byte, a key count,
 * three 64-bit keys), which is encoded, must be URL-safe text, and must decode back to the same
 * keys for its own kind and count only. */
#include "forumd/cursor.h"

/* The lists and their key counts: threads, posts, flags, moderation log, notifications, search. */
static const struct {
    char kind;
    int n;
} uses[] = { { 't', 3 }, { 'p', 1 }, { 'f', 1 }, { 'l', 1 }, { 'n', 2 }, { 's', 2 } };

static void fail(const char *what, const char *s) __attribute__((noreturn));

static void fail(const char *what, const char *s)
{
    fprintf(stderr, "fuzz_cursor: %s (cursor \"%s\")\n", what, s ? s : "");
    abort();
}

static bool same_keys(const struct fd_cursor *a, const struct fd_cursor *b)
{
    if (a->n != b->n)
        return false;
    for (int i = 0; i < a->n; i++)
        if (a->k[i] != b->k[i])
            return false;
    return true;
}

static void check_decode(const char *s)
{
    for (size_t u = 0; u < FD_ARRAY_LEN(uses); u++) {
        struct fd_cursor c;
        memset(&c, 0xa5, sizeof c);
        if (fd_cursor_decode(s, uses[u].kind, uses[u].n, &c) != 0)
            continue;
        if (c.n != uses[u].n)
            fail("a decoded cursor has the wrong number of keys", s);
        for (int i = c.n; i < 3; i++)
            if (c.k[i] != 0)
                fail("a decoded cursor has keys beyond its count", s);
        char *again = fd_cursor_encode(uses[u].kind, &c);
        struct fd_cursor d;
        if (fd_cursor_decode(again, uses[u].kind, uses[u].n, &d) != 0 || !same_keys(&c, &d))
            fail("a decoded cursor does not survive encoding", again);
        free(again);
    }
}

static void check_encode(const uint8_t *data, size_t size)
{
    uint8_t raw[1 + 1 + 3 * 8] = { 0 };
    memcpy(raw, data, size < sizeof raw ? size : sizeof raw);
    struct fd_cursor c = { 0 };
    char kind = (char)raw[0];
    c.n = raw[1] % 3 + 1;
    for (int i = 0; i < c.n; i++)
        memcpy(&c.k[i], raw + 2 + 8 * i, 8);
    if (kind == '\0')
        kind = 't';
    char *s = fd_cursor_encode(kind, &c);
    if (!*s || !fd_is_base64url(s))
        fail("an encoded cursor is not URL-safe text", s);
    struct fd_cursor d;
    if (fd_cursor_decode(s, kind, c.n, &d) != 0 || !same_keys(&c, &d))
        fail("encode then decode does not give the keys back", s);
    for (int n = 1; n <= 3; n++)
        if (n != c.n && fd_cursor_decode(s, kind, n, &d) == 0)
            fail("a cursor decodes with another key count", s);
    char other = kind == 'x' ? 'y' : 'x';
    if (fd_cursor_decode(s, other, c.n, &d) == 0)
        fail("a cursor decodes for another kind", s);
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *s = fd_xstrndup((const char *)data, size);
    check_decode(s);
    free(s);
    check_encode(data, size);
    return 0;
}
