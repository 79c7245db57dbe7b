/* Unit tests of json.c: strict parsing of request bodies and decoding through field specs. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "forumd/json.h"
#include "forumd/valid.h"

/* The struct a small field table decodes into. */
struct in {
    const char *title;
    const char *email;
    const char *note;
    int64_t parent_id;
    bool anonymous;
    int level;
};

/* A custom decoder in the way h_forum.c writes them: "low" or "high" only. */
static int decode_level(json_t *v, void *out, struct fd_json_error *err)
{
    const char *s = json_string_value(v);
    if (s && !strcmp(s, "low")) {
        *(int *)out = 1;
        return 0;
    }
    if (s && !strcmp(s, "high")) {
        *(int *)out = 2;
        return 0;
    }
    err->status = 400;
    err->code = "validation_failed";
    snprintf(err->message, sizeof err->message, "level must be \"low\" or \"high\".");
    return -1;
}

static const struct fd_field fields[] = {
    FD_TEXT("title", struct in, title, 1, 200, FD_REQUIRED | FD_NOT_BLANK),
    FD_TEXT_CHECK("email", struct in, email, 3, 254, FD_OPTIONAL, fd_valid_email),
    FD_TEXT("note", struct in, note, 0, 10, FD_OPTIONAL),
    FD_ID("parent_id", struct in, parent_id, FD_OPTIONAL),
    FD_BOOL("anonymous", struct in, anonymous, FD_OPTIONAL),
    FD_CUSTOM("level", struct in, level, FD_OPTIONAL, decode_level),
    FD_FIELDS_END
};

/* Parses and decodes text; returns what fd_json_parse or fd_json_decode returned. *root must be
 * decref'd by the caller (the decoded strings are borrowed from it). */
static int run(const char *body, size_t len, json_t **root, struct in *out, struct fd_json_error *err)
{
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    int rc = fd_json_parse(body, len, root, err);
    if (rc < 0)
        return rc;
    return fd_json_decode(*root, fields, out, err);
}

/* ---- valid input ---- */

Test(json, valid_input_fills_the_struct)
{
    const char *body = "{\"title\":\"Hello \\u00e9t\\u00e9\",\"email\":\"a@example.eu\",\"note\":\"n\","
                       "\"parent_id\":42,\"anonymous\":true,\"level\":\"high\"}";
    json_t *root = NULL;
    struct in in;
    struct fd_json_error err;
    cr_assert_eq(run(body, strlen(body), &root, &in, &err), 0, "%s", err.message);
    cr_assert_str_eq(in.title, "Hello \xc3\xa9t\xc3\xa9");
    cr_assert_str_eq(in.email, "a@example.eu");
    cr_assert_str_eq(in.note, "n");
    cr_assert_eq(in.parent_id, 42);
    cr_assert(in.anonymous);
    cr_assert_eq(in.level, 2);
    json_decref(root);
}

Test(json, optional_fields_may_be_absent)
{
    const char *body = "{\"title\":\"x\"}";
    json_t *root = NULL;
    struct in in;
    struct fd_json_error err;
    cr_assert_eq(run(body, strlen(body), &root, &in, &err), 0, "%s", err.message);
    cr_assert_str_eq(in.title, "x");
    cr_assert_null(in.email);
    cr_assert_null(in.note);
    cr_assert_eq(in.parent_id, 0);
    cr_assert_not(in.anonymous);
    cr_assert_eq(in.level, 0);
    json_decref(root);
}

Test(json, null_for_optional_fields_is_accepted)
{
    const char *body = "{\"title\":\"x\",\"email\":null,\"note\":null,\"parent_id\":null,\"anonymous\":null,"
                       "\"level\":null}";
    json_t *root = NULL;
    struct in in;
    struct fd_json_error err;
    cr_assert_eq(run(body, strlen(body), &root, &in, &err), 0, "%s", err.message);
    cr_assert_null(in.email);
    cr_assert_null(in.note);
    cr_assert_eq(in.parent_id, 0);
    cr_assert_not(in.anonymous);
    cr_assert_eq(in.level, 0);
    json_decref(root);
}

Test(json, empty_text_is_accepted_when_min_is_zero)
{
    const char *body = "{\"title\":\"x\",\"note\":\"\"}";
    json_t *root = NULL;
    struct in in;
    struct fd_json_error err;
    cr_assert_eq(run(body, strlen(body), &root, &in, &err), 0, "%s", err.message);
    cr_assert_str_eq(in.note, "");
    json_decref(root);
}

Test(json, brackets_inside_strings_do_not_count_as_nesting)
{
    char body[256];
    char brackets[FD_JSON_MAX_DEPTH * 2 + 1];
    memset(brackets, '[', sizeof brackets - 1);
    brackets[sizeof brackets - 1] = '\0';
    snprintf(body, sizeof body, "{\"title\":\"\\\"%s\\\\\",\"note\":\"{{{{\"}", brackets);
    json_t *root = NULL;
    struct in in;
    struct fd_json_error err;
    cr_assert_eq(run(body, strlen(body), &root, &in, &err), 0, "%s: %s", body, err.message);
    cr_assert_eq(strlen(in.title), sizeof brackets - 1 + 2);
    json_decref(root);
}

/* Builds a string of n copies of the 4-byte emoji U+1F600 inside {"title":"..."}. */
static char *emoji_body(size_t n)
{
    static const char emoji[] = "\xf0\x9f\x98\x80";
    size_t cap = 16 + n * 4;
    char *b = malloc(cap);
    size_t o = (size_t)snprintf(b, cap, "{\"title\":\"");
    for (size_t i = 0; i < n; i++, o += 4)
        memcpy(b + o, emoji, 4);
    snprintf(b + o, cap - o, "\"}");
    return b;
}

Test(json, length_is_counted_in_characters_not_bytes)
{
    char *ok = emoji_body(200), *too_long = emoji_body(201);
    json_t *root = NULL;
    struct in in;
    struct fd_json_error err;
    cr_assert_eq(run(ok, strlen(ok), &root, &in, &err), 0, "200 emoji (800 bytes) must fit max 200: %s",
                 err.message);
    cr_assert_eq(strlen(in.title), 800);
    json_decref(root);

    root = NULL;
    cr_assert_eq(run(too_long, strlen(too_long), &root, &in, &err), -1);
    cr_assert_str_eq(err.code, "validation_failed");
    cr_assert_str_eq(err.field, "title");
    cr_assert_eq(err.status, 400);
    json_decref(root);
    free(ok);
    free(too_long);
}

Test(json, escaped_astral_characters_count_once)
{
    /* U+1F600 written as a surrogate pair escape is one character. */
    char body[4096] = "{\"title\":\"";
    size_t o = strlen(body);
    for (int i = 0; i < 200; i++)
        o += (size_t)snprintf(body + o, sizeof body - o, "\\ud83d\\ude00");
    snprintf(body + o, sizeof body - o, "\"}");
    json_t *root = NULL;
    struct in in;
    struct fd_json_error err;
    cr_assert_eq(run(body, strlen(body), &root, &in, &err), 0, "%s", err.message);
    cr_assert_eq(strlen(in.title), 800);
    json_decref(root);
}

/* ---- refused bodies ---- */

struct bad_case {
    char body[96];
    int len;        /* bytes of body, or -1 for strlen */
    char code[24];  /* expected err.code; "" for either invalid_json or validation_failed */
    char field[16]; /* expected err.field, or "" for none */
};

static const struct bad_case bad_cases[] = {
    /* not JSON at all */
    { "", 0, "invalid_json", "" },
    { "   ", -1, "invalid_json", "" },
    { "{", -1, "invalid_json", "" },
    { "{\"title\":\"x\",}", -1, "invalid_json", "" },
    { "{\"title\":'x'}", -1, "invalid_json", "" },
    { "{\"title\":\"x\"} x", -1, "invalid_json", "" },
    { "{}{}", -1, "invalid_json", "" },
    { "{\"title\":\"x\",\"title\":\"y\"}", -1, "invalid_json", "" }, /* duplicate key */
    { "{\"title\":\"x\",\"note\":\"a\",\"note\":\"a\"}", -1, "invalid_json", "" },
    { "{\"title\":\"\\ud800\"}", -1, "invalid_json", "" }, /* lone surrogate escape */
    { "{\"title\":\"\\x41\"}", -1, "invalid_json", "" },
    { "{\"title\":\"a\nb\"}", -1, "invalid_json", "" }, /* raw control character */
    { "{\"a\\u0000b\":1}", -1, "invalid_json", "" },    /* NUL in a key */
    /* not an object at the top */
    { "[]", -1, "validation_failed", "" },
    { "[{\"title\":\"x\"}]", -1, "validation_failed", "" },
    { "\"title\"", -1, "", "" }, /* not JSON text to jansson */
    { "42", -1, "", "" },        /* not JSON text to jansson */
    { "null", -1, "", "" },      /* not JSON text to jansson */
    { "true", -1, "", "" },      /* not JSON text to jansson */
    /* not UTF-8, or a raw NUL byte */
    { "{\"title\":\"\xff\"}", -1, "validation_failed", "" },
    { "{\"title\":\"\xc0\xaf\"}", -1, "validation_failed", "" },         /* overlong '/' */
    { "{\"title\":\"\xed\xa0\x80\"}", -1, "validation_failed", "" },     /* encoded surrogate */
    { "{\"title\":\"\xf4\x90\x80\x80\"}", -1, "validation_failed", "" }, /* > U+10FFFF */
    { "{\"title\":\"\xe2\x82\"}", -1, "validation_failed", "" },         /* truncated */
    { "{\"title\":\"\x80\"}", -1, "validation_failed", "" },             /* lone continuation */
    { "{\"title\":\"a\0b\"}", 15, "validation_failed", "" },             /* raw NUL byte */
    /* field rules */
    { "{}", -1, "validation_failed", "title" }, /* required */
    { "{\"title\":null}", -1, "validation_failed", "title" },
    { "{\"note\":\"x\"}", -1, "validation_failed", "title" },
    { "{\"title\":\"\"}", -1, "validation_failed", "title" },         /* min 1 */
    { "{\"title\":\" \\t\\n \"}", -1, "validation_failed", "title" }, /* blank */
    { "{\"title\":5}", -1, "validation_failed", "title" },
    { "{\"title\":true}", -1, "validation_failed", "title" },
    { "{\"title\":[\"x\"]}", -1, "validation_failed", "title" },
    { "{\"title\":{\"x\":1}}", -1, "validation_failed", "title" },
    { "{\"title\":\"a\\u0000b\"}", -1, "validation_failed", "title" }, /* escaped NUL */
    { "{\"title\":\"\\u0000\"}", -1, "validation_failed", "title" },
    { "{\"title\":\"x\",\"note\":\"12345678901\"}", -1, "validation_failed", "note" }, /* max 10 */
    { "{\"title\":\"x\",\"note\":\"ab\\u0000\"}", -1, "validation_failed", "note" },
    { "{\"title\":\"x\",\"email\":\"not an address\"}", -1, "validation_failed", "email" }, /* check fn */
    { "{\"title\":\"x\",\"email\":\"a@b\"}", -1, "validation_failed", "email" },
    { "{\"title\":\"x\",\"parent_id\":\"5\"}", -1, "validation_failed", "parent_id" },
    { "{\"title\":\"x\",\"parent_id\":0}", -1, "validation_failed", "parent_id" },
    { "{\"title\":\"x\",\"parent_id\":-3}", -1, "validation_failed", "parent_id" },
    { "{\"title\":\"x\",\"parent_id\":1.5}", -1, "validation_failed", "parent_id" },
    { "{\"title\":\"x\",\"parent_id\":1.0}", -1, "validation_failed", "parent_id" },
    { "{\"title\":\"x\",\"parent_id\":true}", -1, "validation_failed", "parent_id" },
    { "{\"title\":\"x\",\"anonymous\":\"true\"}", -1, "validation_failed", "anonymous" },
    { "{\"title\":\"x\",\"anonymous\":1}", -1, "validation_failed", "anonymous" },
    { "{\"title\":\"x\",\"level\":\"medium\"}", -1, "validation_failed", "level" }, /* custom */
    { "{\"title\":\"x\",\"level\":3}", -1, "validation_failed", "level" },
    /* unknown keys are refused and named */
    { "{\"title\":\"x\",\"bogus\":1}", -1, "validation_failed", "bogus" },
    { "{\"title\":\"x\",\"Title\":\"y\"}", -1, "validation_failed", "Title" },
    { "{\"title\":\"x\",\"\":1}", -1, "validation_failed", "" },
};

ParameterizedTestParameters(json_refused, table)
{
    return cr_make_param_array(struct bad_case, bad_cases, FD_ARRAY_LEN(bad_cases));
}

ParameterizedTest(const struct bad_case *c, json_refused, table)
{
    size_t len = c->len < 0 ? strlen(c->body) : (size_t)c->len;
    json_t *root = NULL;
    struct in in;
    struct fd_json_error err;
    int rc = run(c->body, len, &root, &in, &err);
    cr_assert_eq(rc, -1, "accepted: %.*s", (int)len, c->body);
    cr_assert_eq(err.status, 400, "%s", c->body);
    cr_assert_not_null(err.code, "%s", c->body);
    if (c->code[0])
        cr_assert_str_eq(err.code, c->code, "%s: %s", c->body, err.message);
    else
        cr_assert(!strcmp(err.code, "invalid_json") || !strcmp(err.code, "validation_failed"), "%s: %s",
                  c->body, err.code);
    cr_assert_neq(err.message[0], '\0', "no message for %s", c->body);
    if (!strcmp(c->body, "{\"title\":\"x\",\"\":1}"))
        cr_assert(err.field && !strcmp(err.field, ""), "the empty unknown key must be named");
    else if (c->field[0])
        cr_assert(err.field && !strcmp(err.field, c->field), "%s: field '%s', expected '%s'", c->body,
                  err.field ? err.field : "(null)", c->field);
    else
        cr_assert_null(err.field, "%s: field '%s'", c->body, err.field);
    json_decref(root);
}

Test(json_refused, parse_failure_leaves_no_root)
{
    json_t *root = (json_t *)&root; /* anything but NULL */
    struct fd_json_error err = { 0 };
    cr_assert_eq(fd_json_parse("[1]", 3, &root, &err), -1);
    cr_assert_null(root);
}

/* json.h: a custom decoder "returns -1 with err->message set"; fd_json_decode must then still give
 * a complete error (status 400, code validation_failed, the field), as for every other field type. */
static int decode_message_only(json_t *v, void *out, struct fd_json_error *err)
{
    (void)v;
    (void)out;
    snprintf(err->message, sizeof err->message, "nope");
    return -1;
}

Test(json_refused, custom_decoder_that_sets_only_the_message_gives_a_complete_error)
{
    static const struct fd_field custom_fields[] = {
        FD_CUSTOM("level", struct in, level, FD_OPTIONAL, decode_message_only), FD_FIELDS_END
    };
    json_t *root = NULL;
    struct in in = { 0 };
    struct fd_json_error err = { 0 };
    cr_assert_eq(fd_json_parse("{\"level\":1}", 11, &root, &err), 0);
    cr_assert_eq(fd_json_decode(root, custom_fields, &in, &err), -1);
    cr_assert_str_eq(err.field, "level");
    cr_assert_str_eq(err.message, "nope");
    cr_expect_eq(err.status, 400, "status %d", err.status);
    cr_expect(err.code && !strcmp(err.code, "validation_failed"), "code %s", err.code ? err.code : "(null)");
    json_decref(root);
}

/* ---- nesting ---- */

/* {"note": [[[...]]]} with depth levels in all (the object counts as one). */
static char *nested(int depth)
{
    size_t cap = 16 + (size_t)depth * 2;
    char *b = malloc(cap);
    size_t o = (size_t)snprintf(b, cap, "{\"n\":");
    for (int i = 1; i < depth; i++)
        b[o++] = '[';
    for (int i = 1; i < depth; i++)
        b[o++] = ']';
    b[o++] = '}';
    b[o] = '\0';
    return b;
}

Test(json_nesting, max_depth_is_parsed_one_more_is_refused)
{
    char *ok = nested(FD_JSON_MAX_DEPTH), *deep = nested(FD_JSON_MAX_DEPTH + 1);
    json_t *root = NULL;
    struct fd_json_error err = { 0 };
    cr_assert_eq(fd_json_parse(ok, strlen(ok), &root, &err), 0, "%s", err.message);
    json_decref(root);
    root = NULL;
    cr_assert_eq(fd_json_parse(deep, strlen(deep), &root, &err), -1);
    cr_assert_str_eq(err.code, "invalid_json");
    cr_assert_null(root);
    free(ok);
    free(deep);
}

static void refuse_without_crash(char open, size_t n, bool closed)
{
    size_t len = closed ? 2 * n : n;
    char *b = malloc(len + 1);
    memset(b, open, n);
    if (closed)
        memset(b + n, open == '[' ? ']' : '}', n);
    b[len] = '\0';
    json_t *root = NULL;
    struct fd_json_error err = { 0 };
    cr_assert_eq(fd_json_parse(b, len, &root, &err), -1);
    cr_assert_str_eq(err.code, "invalid_json");
    cr_assert_null(root);
    free(b);
}

Test(json_nesting, hundred_thousand_brackets_are_refused)
{
    refuse_without_crash('[', 100000, false);
    refuse_without_crash('[', 100000, true);
    refuse_without_crash('{', 100000, false);
}

Test(json_nesting, deep_nesting_inside_an_object_is_refused)
{
    size_t n = 100000;
    char *b = malloc(n * 2 + 16);
    size_t o = (size_t)snprintf(b, 16, "{\"n\":");
    memset(b + o, '[', n);
    o += n;
    memset(b + o, ']', n);
    o += n;
    b[o++] = '}';
    json_t *root = NULL;
    struct fd_json_error err = { 0 };
    cr_assert_eq(fd_json_parse(b, o, &root, &err), -1);
    cr_assert_str_eq(err.code, "invalid_json");
    free(b);
}

/* ---- fd_json_text directly ---- */

Test(json_text, bounds_are_inclusive)
{
    json_t *v = json_string("abc");
    const char *out = NULL;
    struct fd_json_error err = { 0 };
    cr_assert_eq(fd_json_text(v, "f", 3, 3, 0, &out, &err), 0);
    cr_assert_str_eq(out, "abc");
    cr_assert_eq(fd_json_text(v, "f", 4, 10, 0, &out, &err), -1);
    cr_assert_str_eq(err.field, "f");
    cr_assert_eq(fd_json_text(v, "f", 0, 2, 0, &out, &err), -1);
    json_decref(v);
}

Test(json_text, not_blank_accepts_text_around_spaces)
{
    json_t *v = json_string("  x  ");
    json_t *blank = json_string("\t \r\n");
    const char *out = NULL;
    struct fd_json_error err = { 0 };
    cr_assert_eq(fd_json_text(v, "f", 1, 10, FD_NOT_BLANK, &out, &err), 0);
    cr_assert_eq(fd_json_text(blank, "f", 1, 10, FD_NOT_BLANK, &out, &err), -1);
    cr_assert_str_eq(err.code, "validation_failed");
    cr_assert_eq(fd_json_text(blank, "f", 1, 10, 0, &out, &err), 0);
    json_decref(v);
    json_decref(blank);
}

/* fd_json_dump writes every response: each byte that must be escaped, at every position of strings
 * long enough to cross the eight-byte scan, must come back unchanged through a JSON parser. */
Test(json_dump, strings_round_trip_with_escapes_at_every_offset)
{
    static const char specials[] = { '"', '\\', '\n', '\r', '\t', '\x01', '\x1f', '\x7f', '/', 'a' };
    char s[40];
    for (size_t len = 1; len < sizeof s; len++) {
        for (size_t at = 0; at < len; at++) {
            for (size_t k = 0; k < sizeof specials; k++) {
                memset(s, 'x', len);
                s[at] = specials[k];
                s[len - 1] = (char)(len % 2 ? 'y' : '"');
                json_t *v = json_pack("{s:s%}", "k", s, len);
                size_t n;
                char *out = fd_json_dump(v, &n);
                cr_assert_eq(strlen(out), n);
                json_t *back = json_loads(out, 0, NULL);
                cr_assert_not_null(back, "not JSON: %s", out);
                cr_assert(json_equal(v, back), "len %zu at %zu byte %d: %s", len, at, specials[k], out);
                json_decref(back);
                json_decref(v);
                free(out);
            }
        }
    }
}

Test(json_dump, multibyte_text_is_written_as_is)
{
    json_t *v = json_pack("{s:s, s:I, s:b, s:n}", "t", "s\u00e9curit\u00e9 \"ok\"", "i", (json_int_t)-42, "b", 1, "z");
    size_t n;
    char *out = fd_json_dump(v, &n);
    cr_assert_str_eq(out, "{\"t\":\"s\u00e9curit\u00e9 \\\"ok\\\"\",\"i\":-42,\"b\":true,\"z\":null}");
    json_decref(v);
    free(out);
}
