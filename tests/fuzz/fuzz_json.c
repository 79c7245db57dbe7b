/* libFuzzer harness: request bodies through fd_json_parse and fd_json_decode, with field tables of
 * the shapes the handlers use (registration, a new thread with its consultation, a reply, a
 * profile patch with nullable custom fields, a moderator's edit).
 *
 * Checks, on every input:
 * - fd_valid_utf8 agrees with an independent UTF-8 decoder written here (with and without NUL
 *   allowed), and fd_utf8_chars with its count of code points;
 * - a parsed root survives fd_json_dump: the text is valid UTF-8 and parses back to an equal value;
 * - when a table decodes, every text field it set is the borrowed string of that key, valid UTF-8
 *   without NUL, within its bounds in characters, not blank when so flagged, and passes its
 *   validator; required fields are present, ids positive, and fields it did not set are absent or
 *   null in the body;
 * - a failure names a code and, for a field problem, a field of the table or a key of the body. */
#include <ctype.h>
#include "forumd/json.h"
#include "forumd/valid.h"
#include "forumd/model.h"
#include "forumd/handlers.h"

static void fail(const char *what, const char *detail) __attribute__((noreturn));

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_json: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

/* ---- an independent UTF-8 decoder (Unicode 15, table 3-7 "well-formed byte sequences") ---- */

static bool utf8_ok(const unsigned char *s, size_t n, bool allow_nul, size_t *chars)
{
    size_t count = 0;
    for (size_t i = 0; i < n; count++) {
        unsigned char b = s[i];
        size_t need;
        unsigned char lo = 0x80, hi = 0xbf;
        if (b == 0 && !allow_nul)
            return false;
        if (b <= 0x7f) {
            i++;
            continue;
        }
        if (b >= 0xc2 && b <= 0xdf)
            need = 1;
        else if (b == 0xe0)
            need = 2, lo = 0xa0;
        else if ((b >= 0xe1 && b <= 0xec) || b == 0xee || b == 0xef)
            need = 2;
        else if (b == 0xed)
            need = 2, hi = 0x9f;
        else if (b == 0xf0)
            need = 3, lo = 0x90;
        else if (b >= 0xf1 && b <= 0xf3)
            need = 3;
        else if (b == 0xf4)
            need = 3, hi = 0x8f;
        else
            return false;
        if (n - i - 1 < need)
            return false;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (size_t k = 2; k <= need; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xbf)
                return false;
        i += need + 1;
    }
    if (chars)
        *chars = count;
    return true;
}

static void check_utf8(const uint8_t *data, size_t size)
{
    size_t chars = 0;
    bool nul_ok = utf8_ok(data, size, true, &chars);
    if (fd_valid_utf8((const char *)data, size, true) != nul_ok)
        fail("fd_valid_utf8 (NUL allowed) disagrees with the reference decoder", NULL);
    if (fd_valid_utf8((const char *)data, size, false) != utf8_ok(data, size, false, NULL))
        fail("fd_valid_utf8 (no NUL) disagrees with the reference decoder", NULL);
    if (nul_ok && fd_utf8_chars((const char *)data, size) != chars)
        fail("fd_utf8_chars miscounts", NULL);
}

/* ---- values equal, numbers by value (fd_json_dump writes 1.0 as 1, as JSON allows) ---- */

static bool same_value(json_t *a, json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return json_is_integer(a) && json_is_integer(b) ? json_integer_value(a) == json_integer_value(b)
                                                        : json_number_value(a) == json_number_value(b);
    if (json_typeof(a) != json_typeof(b))
        return false;
    switch (json_typeof(a)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *v;
        if (json_object_size(a) != json_object_size(b))
            return false;
        json_object_foreach(a, key, v) {
            json_t *w = json_object_get(b, key);
            if (!w || !same_value(v, w))
                return false;
        }
        return true;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *v;
        if (json_array_size(a) != json_array_size(b))
            return false;
        json_array_foreach(a, i, v) {
            if (!same_value(v, json_array_get(b, i)))
                return false;
        }
        return true;
    }
    case JSON_STRING:
        return json_string_length(a) == json_string_length(b) &&
               !memcmp(json_string_value(a), json_string_value(b), json_string_length(a));
    default:
        return true; /* true, false, null */
    }
}

static void check_dump(json_t *root)
{
    size_t len = 0;
    char *text = fd_json_dump(root, &len);
    if (!text || strlen(text) != len)
        fail("fd_json_dump: no text, or a NUL inside it", NULL);
    if (!utf8_ok((const unsigned char *)text, len, false, NULL))
        fail("fd_json_dump wrote text that is not UTF-8", text);
    json_error_t jerr;
    json_t *back = json_loadb(text, len, JSON_ALLOW_NUL, &jerr);
    if (!back)
        fail("fd_json_dump wrote text jansson cannot parse", jerr.text);
    if (!same_value(root, back))
        fail("fd_json_dump changed the value", text);
    json_decref(back);
    free(text);
}

/* ---- field tables of the handlers' shapes ---- */

static int decode_opt(json_t *v, struct fd_opt_text *o, const char *name, size_t lo, size_t hi,
                      struct fd_json_error *err)
{
    o->set = true;
    o->value = NULL;
    if (json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
        return 0;
    return fd_json_text(v, name, lo, hi, FD_NOT_BLANK, &o->value, err);
}

static int decode_organisation(json_t *v, void *out, struct fd_json_error *err)
{
    return decode_opt(v, out, "organisation", 1, 200, err);
}

static int decode_country(json_t *v, void *out, struct fd_json_error *err)
{
    return decode_opt(v, out, "country", 2, 2, err);
}

struct body {
    struct fd_new_user user;
    struct fd_new_thread thread;
    struct fd_profile_patch profile;
    const char *reason;
};

#define POST_FIELDS(T, m)                                                                                   \
    FD_TEXT("body", T, m.body, 1, 50000, FD_REQUIRED | FD_NOT_BLANK),                                       \
        FD_BOOL("anonymous", T, m.anonymous, FD_OPTIONAL), FD_BOOL("official", T, m.official, FD_OPTIONAL), \
        FD_TEXT_CHECK("language", T, m.language, 2, 35, FD_OPTIONAL, fd_valid_language)

static const struct fd_field register_fields[] = {
    FD_TEXT_CHECK("email", struct body, user.email, 3, 254, FD_REQUIRED, fd_valid_email),
    FD_TEXT("password", struct body, user.password, 12, 128, FD_REQUIRED),
    FD_TEXT("display_name", struct body, user.display_name, 1, 80, FD_REQUIRED | FD_NOT_BLANK),
    FD_TEXT_CHECK("stakeholder_type", struct body, user.stakeholder_type, 1, 40, FD_REQUIRED,
                  fd_valid_stakeholder_type),
    FD_TEXT("organisation", struct body, user.organisation, 0, 200, FD_OPTIONAL),
    FD_TEXT("country", struct body, user.country, 2, 2, FD_OPTIONAL),
    FD_TEXT_CHECK("transparency_register_id", struct body, user.transparency_register_id, 3, 20, FD_OPTIONAL,
                  fd_valid_transparency_id),
    FD_FIELDS_END
};

static const struct fd_field thread_fields[] = {
    FD_TEXT("title", struct body, thread.title, 1, 200, FD_REQUIRED | FD_NOT_BLANK),
    FD_ID("key_action_id", struct body, thread.key_action_id, FD_OPTIONAL),
    FD_CUSTOM("consultation", struct body, thread.consultation, FD_OPTIONAL, h_decode_consultation),
    POST_FIELDS(struct body, thread.post),
    FD_FIELDS_END
};

static const struct fd_field post_fields[] = {
    FD_ID("parent_id", struct body, thread.post.parent_id, FD_OPTIONAL),
    POST_FIELDS(struct body, thread.post),
    FD_FIELDS_END
};

static const struct fd_field profile_fields[] = {
    FD_TEXT("display_name", struct body, profile.display_name, 1, 80, FD_OPTIONAL | FD_NOT_BLANK),
    FD_CUSTOM("organisation", struct body, profile.organisation, FD_NULLABLE, decode_organisation),
    FD_CUSTOM("country", struct body, profile.country, FD_NULLABLE, decode_country),
    FD_FIELDS_END
};

static const struct fd_field edit_fields[] = {
    FD_TEXT("body", struct body, thread.post.body, 1, 50000, FD_REQUIRED | FD_NOT_BLANK),
    FD_TEXT("reason", struct body, reason, 1, 500, FD_OPTIONAL | FD_NOT_BLANK),
    FD_FIELDS_END
};

static const struct fd_field *const tables[] = { register_fields, thread_fields, post_fields, profile_fields,
                                                 edit_fields };

static bool blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

static void check_text(const struct fd_field *f, json_t *v, const char *s, size_t lo, size_t hi, int flags)
{
    size_t chars = 0;
    if (!v || !json_is_string(v) || json_string_value(v) != s)
        fail("a text field is not the borrowed string of its key", f->name);
    if (strlen(s) != json_string_length(v))
        fail("a text field holds a NUL", f->name);
    if (!utf8_ok((const unsigned char *)s, strlen(s), false, &chars))
        fail("a text field is not valid UTF-8", f->name);
    if (chars < lo || chars > hi)
        fail("a text field is out of its bounds", f->name);
    if ((flags & FD_NOT_BLANK) && blank(s))
        fail("a not-blank text field is blank", f->name);
}

static void check_decoded(json_t *root, const struct fd_field *fields, const struct body *out)
{
    for (const struct fd_field *f = fields; f->name; f++) {
        json_t *v = json_object_get(root, f->name);
        const void *dst = (const char *)out + f->offset;
        bool absent = !v || json_is_null(v);
        if (absent && (f->flags & FD_REQUIRED))
            fail("a required field is missing but the body was accepted", f->name);
        switch (f->type) {
        case FD_FT_TEXT: {
            const char *s = *(const char *const *)dst;
            if (!s) {
                if (!absent)
                    fail("a text field given in the body was not set", f->name);
                break;
            }
            check_text(f, v, s, f->min, f->max, f->flags);
            if (f->check && !f->check(s))
                fail("a text field fails its validator", f->name);
            break;
        }
        case FD_FT_ID: {
            int64_t id = *(const int64_t *)dst;
            if (absent ? id != 0 : (id <= 0 || !json_is_integer(v) || json_integer_value(v) != id))
                fail("an id field is wrong", f->name);
            break;
        }
        case FD_FT_BOOL:
            if (!absent && *(const bool *)dst != json_is_true(v))
                fail("a boolean field is wrong", f->name);
            break;
        case FD_FT_CUSTOM:
            if (f->decode == h_decode_consultation) {
                const struct fd_consultation_in *c = dst;
                if (c->given == absent)
                    fail("consultation given/absent mismatch", f->name);
            } else {
                const struct fd_opt_text *o = dst;
                if (o->set != (v != NULL))
                    fail("a nullable field's set flag is wrong", f->name);
                if (o->value)
                    check_text(f, v, o->value, !strcmp(f->name, "country") ? 2 : 1,
                               !strcmp(f->name, "country") ? 2 : 200, FD_NOT_BLANK);
            }
            break;
        default:
            fail("unknown field type in the harness table", f->name);
        }
    }
}

static void check_error(json_t *root, const struct fd_field *fields, const struct fd_json_error *err)
{
    if (err->status != 400 || !err->code || !*err->message)
        fail("a refused body has no status, code or message", NULL);
    if (strcmp(err->code, "validation_failed") != 0 && strcmp(err->code, "invalid_json") != 0)
        fail("unexpected error code", err->code);
    if (!err->field)
        return;
    for (const struct fd_field *f = fields; f->name; f++)
        if (!strcmp(f->name, err->field))
            return;
    if (!json_object_get(root, err->field))
        fail("the error names a field that is neither in the table nor in the body", err->field);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20)
        return 0;
    check_utf8(data, size);

    json_t *root = NULL;
    struct fd_json_error err = { 0 };
    if (fd_json_parse((const char *)data, size, &root, &err) < 0) {
        if (root)
            fail("fd_json_parse failed but returned a root", NULL);
        if (err.status != 400 || !err.code)
            fail("fd_json_parse failed without an error", NULL);
        return 0;
    }
    if (!json_is_object(root))
        fail("fd_json_parse accepted a body that is not an object", NULL);
    if (!utf8_ok(data, size, false, NULL))
        fail("fd_json_parse accepted a body that is not UTF-8 without NUL", NULL);
    check_dump(root);

    for (size_t t = 0; t < FD_ARRAY_LEN(tables); t++) {
        struct body out;
        memset(&out, 0, sizeof out);
        memset(&err, 0, sizeof err);
        if (fd_json_decode(root, tables[t], &out, &err) == 0)
            check_decoded(root, tables[t], &out);
        else
            check_error(root, tables[t], &err);
    }
    json_decref(root);
    return 0;
}
