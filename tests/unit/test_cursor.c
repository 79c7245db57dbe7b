/* Unit tests of cursor.c: opaque keyset cursors round-trip exactly, and anything a client could
 * tamper with is refused. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <sodium.h>
#include "forumd/cursor.h"

/* base64url without padding of len bytes of plain, as the cursor encoder writes them. */
static char *b64(const char *plain, size_t len)
{
    size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = malloc(cap);
    sodium_bin2base64(out, cap, (const unsigned char *)plain, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

static void assert_url_safe(const char *s)
{
    for (const char *p = s; *p; p++)
        cr_assert((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                      *p == '-' || *p == '_',
                  "'%c' in cursor %s", *p, s);
}

/* ---- round trips ---- */

struct trip {
    char kind;
    int n;
    int64_t k[3];
};

static const struct trip trips[] = {
    { 't', 3, { 0, 1764394562, 42 } },
    { 't', 3, { 1, 1, 1 } },
    { 't', 3, { 0, 0, 0 } },
    { 't', 3, { -1, -1764394562, -42 } },
    { 't', 3, { INT64_MAX, INT64_MAX, INT64_MAX } },
    { 't', 3, { INT64_MIN, INT64_MIN, INT64_MIN } },
    { 't', 3, { INT64_MIN, 0, INT64_MAX } },
    { 'p', 1, { 1, 0, 0 } },
    { 'p', 1, { 0, 0, 0 } },
    { 'p', 1, { -7, 0, 0 } },
    { 'p', 1, { INT64_MAX, 0, 0 } },
    { 'p', 1, { INT64_MIN, 0, 0 } },
    { 'n', 2, { 5, -5, 0 } },
};

ParameterizedTestParameters(cursor, round_trip)
{
    return cr_make_param_array(struct trip, trips, FD_ARRAY_LEN(trips));
}

ParameterizedTest(const struct trip *t, cursor, round_trip)
{
    struct fd_cursor c = { .n = t->n };
    memcpy(c.k, t->k, sizeof c.k);
    char *s = fd_cursor_encode(t->kind, &c);
    cr_assert_not_null(s);
    cr_assert_gt(strlen(s), 0);
    cr_assert_leq(strlen(s), 120, "cursor too long to decode again: %s", s);
    assert_url_safe(s);

    struct fd_cursor out;
    memset(&out, 0x55, sizeof out);
    cr_assert_eq(fd_cursor_decode(s, t->kind, t->n, &out), 0, "%s", s);
    cr_assert_eq(out.n, t->n);
    for (int i = 0; i < t->n; i++)
        cr_assert_eq(out.k[i], t->k[i], "key %d: %lld != %lld", i, (long long)out.k[i], (long long)t->k[i]);

    /* Refused for another kind, and for another number of keys. */
    cr_assert_eq(fd_cursor_decode(s, t->kind == 't' ? 'p' : 't', t->n, &out), -1);
    cr_assert_eq(fd_cursor_decode(s, (char)(t->kind ^ 0x20), t->n, &out), -1); /* other case */
    cr_assert_eq(fd_cursor_decode(s, t->kind, t->n - 1, &out), -1);
    if (t->n < 3)
        cr_assert_eq(fd_cursor_decode(s, t->kind, t->n + 1, &out), -1);
    free(s);
}

Test(cursor, different_positions_give_different_cursors)
{
    struct fd_cursor a = { .n = 3, .k = { 0, 100, 1 } }, b = { .n = 3, .k = { 0, 100, 2 } };
    char *sa = fd_cursor_encode('t', &a), *sb = fd_cursor_encode('t', &b);
    cr_assert_str_neq(sa, sb);
    free(sa);
    free(sb);
}

Test(cursor, every_truncation_is_refused)
{
    struct fd_cursor c = { .n = 3, .k = { 1, 2, 3 } }, out;
    char *s = fd_cursor_encode('t', &c);
    size_t len = strlen(s);
    for (size_t l = 0; l < len; l++) {
        char *t = strndup(s, l);
        cr_assert_eq(fd_cursor_decode(t, 't', 3, &out), -1, "prefix '%s' of '%s' accepted", t, s);
        free(t);
    }
    free(s);
}

Test(cursor, appended_characters_are_refused)
{
    struct fd_cursor c = { .n = 1, .k = { 12 } }, out;
    char *s = fd_cursor_encode('p', &c);
    static const char *const tails[] = { "=", "==", " ", "\n", "A", "AA", "AAA", "AAAA", ".", "%3D" };
    for (size_t i = 0; i < FD_ARRAY_LEN(tails); i++) {
        char buf[160];
        snprintf(buf, sizeof buf, "%s%s", s, tails[i]);
        cr_assert_eq(fd_cursor_decode(buf, 'p', 1, &out), -1, "'%s' accepted", buf);
    }
    free(s);
}

Test(cursor, padded_encoding_is_refused)
{
    struct fd_cursor out;
    char *s = b64("p.1", 3); /* "cC4x": no padding needed */
    cr_assert_eq(fd_cursor_decode(s, 'p', 1, &out), 0);
    free(s);
    cr_assert_eq(fd_cursor_decode("cC4xMA==", 'p', 1, &out), -1); /* "p.10" with padding */
    cr_assert_eq(fd_cursor_decode("cC4xMA", 'p', 1, &out), 0);
    cr_assert_eq(out.k[0], 10);
}

Test(cursor, overlong_input_is_refused)
{
    struct fd_cursor out;
    char *big = malloc(10001);
    memset(big, 'A', 10000);
    big[10000] = '\0';
    cr_assert_eq(fd_cursor_decode(big, 't', 3, &out), -1);
    big[121] = '\0';
    cr_assert_eq(fd_cursor_decode(big, 't', 3, &out), -1);
    free(big);

    /* A well-formed plain text whose encoding is over the limit. */
    char plain[100] = "p.";
    memset(plain + 2, '0', 90);
    plain[92] = '1';
    char *s = b64(plain, 93);
    cr_assert_gt(strlen(s), 120);
    cr_assert_eq(fd_cursor_decode(s, 'p', 1, &out), -1);
    free(s);
}

Test(cursor, null_and_empty_are_refused)
{
    struct fd_cursor out;
    cr_assert_eq(fd_cursor_decode(NULL, 't', 3, &out), -1);
    cr_assert_eq(fd_cursor_decode("", 't', 3, &out), -1);
}

/* ---- tampered plain texts, correctly encoded ---- */

struct tampered {
    char plain[48];
    int len; /* -1: strlen */
    char kind;
    int n;
};

static const struct tampered tampered[] = {
    { "t", -1, 't', 3 },
    { "t.", -1, 't', 3 },
    { "t.1.2", -1, 't', 3 },
    { "t.1.2.", -1, 't', 3 },
    { "t.1.2.3.4", -1, 't', 3 },
    { "t.1.2.3.", -1, 't', 3 },
    { "t.1..3", -1, 't', 3 },
    { "t..1.2.3", -1, 't', 3 },
    { "t.1.2.3x", -1, 't', 3 },
    { "t.1.2.3 ", -1, 't', 3 },
    { "t.1.2.3\n", -1, 't', 3 },
    { "t.1.2. 3", -1, 't', 3 },
    { "t.1.2.+3", -1, 't', 3 },
    { "t.1.2.--3", -1, 't', 3 },
    { "t.1.2.-", -1, 't', 3 },
    { "t.1.2.0x1f", -1, 't', 3 },
    { "t.1.2.1e3", -1, 't', 3 },
    { "t.1.2.3.5", -1, 't', 3 },
    { "t.1.2.9223372036854775808", -1, 't', 3 },
    { "t.1.2.-9223372036854775809", -1, 't', 3 },
    { "t.1.2.99999999999999999999", -1, 't', 3 },
    { "t.1.2.3\0", 8, 't', 3 },
    { "t.1.2.3\0junk", 12, 't', 3 },
    { "t\0.1.2.3", 8, 't', 3 },
    { "t,1,2,3", -1, 't', 3 },
    { "T.1.2.3", -1, 't', 3 },
    { "x.1.2.3", -1, 't', 3 },
    { ".1.2.3", -1, 't', 3 },
    { "tt.1.2.3", -1, 't', 3 },
    { " t.1.2.3", -1, 't', 3 },
    { "p", -1, 'p', 1 },
    { "p.", -1, 'p', 1 },
    { "p.1.2", -1, 'p', 1 },
    { "p.a", -1, 'p', 1 },
    { "p.1a", -1, 'p', 1 },
    { "p.\xc2\xb9", -1, 'p', 1 }, /* superscript one */
    { "p.1", -1, 't', 3 },
    { "t.1.2.3", -1, 'p', 1 },
    { "\xff\xfe\x00\x01", 4, 't', 3 },
};

ParameterizedTestParameters(cursor, tampered)
{
    return cr_make_param_array(struct tampered, tampered, FD_ARRAY_LEN(tampered));
}

ParameterizedTest(const struct tampered *t, cursor, tampered)
{
    size_t len = t->len < 0 ? strlen(t->plain) : (size_t)t->len;
    char *s = b64(t->plain, len);
    struct fd_cursor out;
    cr_assert_eq(fd_cursor_decode(s, t->kind, t->n, &out), -1, "'%.*s' accepted as %c/%d", (int)len, t->plain,
                 t->kind, t->n);
    free(s);
}

/* ---- text that is not base64url ---- */

struct garbage {
    char s[48];
};

static const struct garbage garbage[] = {
    { "!!!!" },        { "dC4x LjIuMw" },  { "dC4xLjIuMw==" }, { "dC4xLjIuMw=" },  { "dC4xLjIuM" },
    { "d" },           { "dC4xLjIuMw\n" }, { "%64C4xLjIuMw" }, { "dC4xLjIuMw\t" }, { "====" },
    { "dC4x.LjIuMw" }, { "\xc3\xa9" },     { "dC4x+jIuMw" },   { "dC4x/jIuMw" }, /* the standard alphabet's
                                                                                    characters */
};

ParameterizedTestParameters(cursor, not_base64url)
{
    return cr_make_param_array(struct garbage, garbage, FD_ARRAY_LEN(garbage));
}

ParameterizedTest(const struct garbage *g, cursor, not_base64url)
{
    struct fd_cursor out;
    cr_assert_eq(fd_cursor_decode(g->s, 't', 3, &out), -1, "'%s' accepted", g->s);
}

Test(cursor, the_reference_text_decodes)
{
    /* "dC4xLjIuMw" is base64url of "t.1.2.3": pins the format shared with any other implementation. */
    struct fd_cursor out;
    cr_assert_eq(fd_cursor_decode("dC4xLjIuMw", 't', 3, &out), 0);
    cr_assert_eq(out.n, 3);
    cr_assert_eq(out.k[0], 1);
    cr_assert_eq(out.k[1], 2);
    cr_assert_eq(out.k[2], 3);
    struct fd_cursor c = { .n = 3, .k = { 1, 2, 3 } };
    char *s = fd_cursor_encode('t', &c);
    cr_assert_str_eq(s, "dC4xLjIuMw");
    free(s);
}
