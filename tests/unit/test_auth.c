/* Unit tests of auth.c: Argon2id password hashes, random tokens stored as hashes, CSRF tokens, and
 * constant-time comparison. Small Argon2id limits keep the tests fast. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <sodium.h>
#include "forumd/auth.h"

#define OPS 1ULL
#define MEM ((size_t)8192 * 1024)

static void setup(void)
{
    cr_assert_eq(fd_auth_init(), 0);
}

TestSuite(auth_password, .init = setup);
TestSuite(auth_token, .init = setup);
TestSuite(auth_csrf, .init = setup);

static bool url_safe(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_'))
            return false;
    return true;
}

/* ---- passwords ---- */

Test(auth, init_can_be_called_twice)
{
    cr_assert_eq(fd_auth_init(), 0);
    cr_assert_eq(fd_auth_init(), 0);
}

Test(auth_password, right_password_verifies_wrong_one_does_not)
{
    char *h = fd_auth_hash_password("correct horse battery", OPS, MEM);
    cr_assert_not_null(h);
    cr_assert_eq(strncmp(h, "$argon2id$", 10), 0, "%s", h);
    cr_assert_null(strstr(h, "correct horse"), "the hash contains the password");
    cr_assert(fd_auth_verify_password(h, "correct horse battery"));
    cr_assert_not(fd_auth_verify_password(h, "correct horse batterz"));
    cr_assert_not(fd_auth_verify_password(h, "correct horse battery "));
    cr_assert_not(fd_auth_verify_password(h, "Correct horse battery"));
    cr_assert_not(fd_auth_verify_password(h, "correct horse"));
    cr_assert_not(fd_auth_verify_password(h, ""));
    free(h);
}

Test(auth_password, unicode_password)
{
    const char *pw = "m\xc3\xb6t de passe \xf0\x9f\x94\x91";
    char *h = fd_auth_hash_password(pw, OPS, MEM);
    cr_assert_not_null(h);
    cr_assert(fd_auth_verify_password(h, pw));
    cr_assert_not(fd_auth_verify_password(h, "mot de passe \xf0\x9f\x94\x91"));
    free(h);
}

Test(auth_password, two_hashes_of_one_password_differ)
{
    char *a = fd_auth_hash_password("same password here", OPS, MEM);
    char *b = fd_auth_hash_password("same password here", OPS, MEM);
    cr_assert_not_null(a);
    cr_assert_not_null(b);
    cr_assert_str_neq(a, b, "no random salt");
    cr_assert(fd_auth_verify_password(a, "same password here"));
    cr_assert(fd_auth_verify_password(b, "same password here"));
    free(a);
    free(b);
}

Test(auth_password, needs_rehash_when_limits_change)
{
    char *h = fd_auth_hash_password("a long enough password", OPS, MEM);
    cr_assert_not_null(h);
    cr_assert_not(fd_auth_needs_rehash(h, OPS, MEM));
    cr_assert(fd_auth_needs_rehash(h, OPS + 1, MEM));
    cr_assert(fd_auth_needs_rehash(h, OPS, MEM * 2));
    cr_assert(fd_auth_needs_rehash(h, OPS + 1, MEM * 2));
    free(h);
}

Test(auth_password, malformed_hashes_never_verify)
{
    static const char *const bad[] = {
        "",
        "$argon2id$",
        "plain text password",
        "$argon2id$v=19$m=8192,t=1,p=1$AAAA$AAAA",
        "$2y$10$abcdefghijklmnopqrstuuXvGqFRuSxf6LIVJKUEuXeMf8jcT5fz6",
    };
    for (size_t i = 0; i < FD_ARRAY_LEN(bad); i++) {
        cr_assert_not(fd_auth_verify_password(bad[i], ""), "'%s'", bad[i]);
        cr_assert_not(fd_auth_verify_password(bad[i], "plain text password"), "'%s'", bad[i]);
        cr_assert(fd_auth_needs_rehash(bad[i], OPS, MEM), "'%s' would be kept", bad[i]);
    }
}

Test(auth_password, impossible_limits_give_null)
{
    cr_assert_null(fd_auth_hash_password("whatever password", OPS, 1024)); /* under libsodium's minimum */
    cr_assert_null(fd_auth_hash_password("whatever password", 0, MEM));
}

/* ---- tokens ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

Test(auth_token, tokens_are_43_url_safe_characters)
{
    char str[FD_TOKEN_STR_LEN];
    uint8_t hash[FD_TOKEN_HASH_LEN];
    for (int i = 0; i < 50; i++) {
        memset(str, 'x', sizeof str);
        fd_auth_token_new(str, hash);
        cr_assert_eq(strlen(str), 43, "%s", str);
        cr_assert(url_safe(str), "%s", str);
    }
}

Test(auth_token, a_thousand_tokens_are_unique)
{
    enum { N = 1000 };
    static char tokens[N][FD_TOKEN_STR_LEN];
    static uint8_t hashes[N][FD_TOKEN_HASH_LEN];
    for (int i = 0; i < N; i++)
        fd_auth_token_new(tokens[i], hashes[i]);
    qsort(tokens, N, sizeof tokens[0], cmp_str);
    for (int i = 1; i < N; i++)
        cr_assert_str_neq(tokens[i - 1], tokens[i]);
    for (int i = 1; i < N; i++)
        cr_assert_neq(memcmp(hashes[0], hashes[i], FD_TOKEN_HASH_LEN), 0);
}

Test(auth_token, hash_of_the_text_equals_the_hash_at_creation)
{
    for (int i = 0; i < 20; i++) {
        char str[FD_TOKEN_STR_LEN];
        uint8_t made[FD_TOKEN_HASH_LEN], again[FD_TOKEN_HASH_LEN];
        fd_auth_token_new(str, made);
        memset(again, 0, sizeof again);
        cr_assert_eq(fd_auth_token_hash(str, again), 0, "%s", str);
        cr_assert_eq(memcmp(made, again, FD_TOKEN_HASH_LEN), 0, "%s", str);
    }
}

Test(auth_token, different_texts_give_different_hashes)
{
    char a[FD_TOKEN_STR_LEN], b[FD_TOKEN_STR_LEN];
    uint8_t ha[FD_TOKEN_HASH_LEN], hb[FD_TOKEN_HASH_LEN];
    fd_auth_token_new(a, ha);
    memcpy(b, a, sizeof b);
    b[0] = b[0] == 'A' ? 'B' : 'A';
    cr_assert_eq(fd_auth_token_hash(b, hb), 0);
    cr_assert_neq(memcmp(ha, hb, sizeof ha), 0);
}

Test(auth_token, the_hash_is_not_the_secret)
{
    /* The store keeps the hash: it must not be the token's bytes. */
    static const char text[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"; /* 32 zero bytes */
    uint8_t h[FD_TOKEN_HASH_LEN];
    uint8_t zero[FD_TOKEN_HASH_LEN] = { 0 };
    cr_assert_eq(fd_auth_token_hash(text, h), 0);
    cr_assert_neq(memcmp(h, zero, sizeof h), 0);
}

struct bad_token {
    char text[64];
    char why[32];
};

static const struct bad_token bad_tokens[] = {
    { "", "empty" },
    { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "42 characters" },
    { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "44 characters" },
    { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "padding" },
    { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "44 with padding" },
    { "AAAAAAAAAAAAAAAAAAAA+AAAAAAAAAAAAAAAAAAAAAA", "plus" },
    { "AAAAAAAAAAAAAAAAAAAA/AAAAAAAAAAAAAAAAAAAAAA", "slash" },
    { "AAAAAAAAAAAAAAAAAAAA!AAAAAAAAAAAAAAAAAAAAAA", "bang" },
    { "AAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAAA", "space" },
    { "AAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA", "dot" },
    { " AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "leading space" },
    { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", "trailing newline" },
    { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB", "non-zero padding bits" },
    { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAD", "non-zero padding bits" },
    { "Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "with scheme" },
};

ParameterizedTestParameters(auth_token, bad_forms)
{
    return cr_make_param_array(struct bad_token, bad_tokens, FD_ARRAY_LEN(bad_tokens));
}

ParameterizedTest(const struct bad_token *t, auth_token, bad_forms)
{
    uint8_t h[FD_TOKEN_HASH_LEN];
    cr_assert_eq(fd_auth_token_hash(t->text, h), -1, "%s: '%s' accepted", t->why, t->text);
}

Test(auth_token, non_ascii_bytes_are_refused)
{
    /* 43 bytes, two of them not base64url characters. libsodium 1.0.18's decoder reads every byte >= 0x80
     * as '_', so this would otherwise be the same token as "AAAA...__AAAA". */
    static const char text[] = "AAAAAAAAAAAAAAAAAAAA\xc3\xa9"
                               "AAAAAAAAAAAAAAAAAAAAA";
    static const char same[] = "AAAAAAAAAAAAAAAAAAAA__AAAAAAAAAAAAAAAAAAAAA";
    uint8_t h[FD_TOKEN_HASH_LEN], h2[FD_TOKEN_HASH_LEN];
    cr_assert_eq(strlen(text), 43);
    cr_assert_eq(fd_auth_token_hash(same, h2), 0);
    int rc = fd_auth_token_hash(text, h);
    cr_expect_eq(rc, -1, "'%s' accepted%s", text,
                 rc == 0 && !memcmp(h, h2, sizeof h) ? " as the token AAAA...__AAAA" : "");
    static const char high[] =
        "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
        "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
        "\xff\xffw";
    cr_assert_eq(strlen(high), 43);
    cr_expect_eq(fd_auth_token_hash(high, h), -1, "43 bytes of 0xff (and a final w) accepted as a token");
}

Test(auth_token, null_is_refused)
{
    uint8_t h[FD_TOKEN_HASH_LEN];
    cr_assert_eq(fd_auth_token_hash(NULL, h), -1);
}

Test(auth_token, every_canonical_last_character_is_accepted)
{
    /* 32 bytes fill 43 characters with 2 spare bits: the last character is one of 16. */
    static const char last[] = "AEIMQUYcgkosw048";
    char text[FD_TOKEN_STR_LEN];
    memset(text, 'A', 42);
    text[43] = '\0';
    uint8_t h[FD_TOKEN_HASH_LEN];
    for (const char *c = last; *c; c++) {
        text[42] = *c;
        cr_assert_eq(fd_auth_token_hash(text, h), 0, "%s", text);
    }
}

/* ---- CSRF tokens ---- */

Test(auth_csrf, deterministic_per_session_token)
{
    char tok[FD_TOKEN_STR_LEN];
    uint8_t h[FD_TOKEN_HASH_LEN];
    fd_auth_token_new(tok, h);
    char a[FD_TOKEN_STR_LEN], b[FD_TOKEN_STR_LEN];
    fd_auth_csrf_token(tok, a);
    fd_auth_csrf_token(tok, b);
    cr_assert_str_eq(a, b);
    cr_assert_eq(strlen(a), 43);
    cr_assert(url_safe(a), "%s", a);
    cr_assert_str_neq(a, tok, "the CSRF token is the session secret");
}

Test(auth_csrf, different_across_session_tokens)
{
    char t1[FD_TOKEN_STR_LEN], t2[FD_TOKEN_STR_LEN];
    uint8_t h[FD_TOKEN_HASH_LEN];
    fd_auth_token_new(t1, h);
    fd_auth_token_new(t2, h);
    char c1[FD_TOKEN_STR_LEN], c2[FD_TOKEN_STR_LEN];
    fd_auth_csrf_token(t1, c1);
    fd_auth_csrf_token(t2, c2);
    cr_assert_str_neq(c1, c2);
    cr_assert_str_neq(c1, t2);
    cr_assert_str_neq(c2, t1);
}

Test(auth_csrf, not_the_stored_hash_either)
{
    /* A database copy holds the session hash: the CSRF token must not be derivable as its encoding. */
    char tok[FD_TOKEN_STR_LEN], csrf[FD_TOKEN_STR_LEN];
    uint8_t h[FD_TOKEN_HASH_LEN];
    fd_auth_token_new(tok, h);
    fd_auth_csrf_token(tok, csrf);
    char enc[FD_TOKEN_STR_LEN];
    sodium_bin2base64(enc, sizeof enc, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    cr_assert_str_neq(csrf, enc);
}

Test(auth_csrf, one_character_changes_everything)
{
    char a[FD_TOKEN_STR_LEN] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    char b[FD_TOKEN_STR_LEN] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE";
    char ca[FD_TOKEN_STR_LEN], cb[FD_TOKEN_STR_LEN];
    fd_auth_csrf_token(a, ca);
    fd_auth_csrf_token(b, cb);
    int same = 0;
    for (int i = 0; i < 43; i++)
        same += ca[i] == cb[i];
    cr_assert_lt(same, 10, "%s vs %s", ca, cb);
}

/* ---- constant-time string comparison ---- */

struct eq_case {
    char a[16];
    char b[16];
    bool equal;
};

static const struct eq_case eq_cases[] = {
    { "abc", "abc", true }, { "", "", true },        { "abc", "abd", false },
    { "abc", "ab", false }, { "ab", "abc", false },  { "", "a", false },
    { "a", "", false },     { "abc", "ABC", false }, { "xbc", "abc", false },
};

ParameterizedTestParameters(auth_str_equal, table)
{
    return cr_make_param_array(struct eq_case, eq_cases, FD_ARRAY_LEN(eq_cases));
}

ParameterizedTest(const struct eq_case *c, auth_str_equal, table, .init = setup)
{
    cr_assert_eq(fd_auth_str_equal(c->a, c->b), c->equal, "'%s' vs '%s'", c->a, c->b);
}
