/* Strict request-body parsing and field-spec decoding. */
#include <stdarg.h>
#include "forumd/json.h"
#include "forumd/valid.h"

static int fail(struct fd_json_error *err, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct fd_json_error *err, const char *code, const char *field, const char *fmt, ...)
{
    va_list ap;
    err->status = 400;
    err->code = code;
    err->field = field;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

/* Bounds nesting before jansson's recursive parser sees the text. */
static bool depth_ok(const char *s, size_t len)
{
    int depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > FD_JSON_MAX_DEPTH)
                return false;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return true;
}

int fd_json_parse(const char *body, size_t len, json_t **root, struct fd_json_error *err)
{
    *root = NULL;
    if (!fd_valid_utf8(body, len, false))
        return fail(err, "validation_failed", NULL, "The request body is not valid UTF-8 text.");
    if (!depth_ok(body, len))
        return fail(err, "invalid_json", NULL, "The JSON is nested too deeply.");
    json_error_t jerr;
    json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (!v)
        return fail(err, "invalid_json", NULL, "The request body is not valid JSON: %s", len ? jerr.text : "it is empty");
    if (!json_is_object(v)) {
        json_decref(v);
        return fail(err, "validation_failed", NULL, "The request body must be a JSON object.");
    }
    *root = v;
    return 0;
}

int fd_json_text(json_t *v, const char *name, size_t lo, size_t hi, int flags, const char **out,
                 struct fd_json_error *err)
{
    if (!json_is_string(v))
        return fail(err, "validation_failed", name, "%s must be a string.", name);
    const char *s = json_string_value(v);
    size_t bytes = json_string_length(v);
    if (strlen(s) != bytes)
        return fail(err, "validation_failed", name, "%s must not contain NUL characters.", name);
    size_t chars = fd_utf8_chars(s, bytes);
    if (chars < lo || chars > hi || ((flags & FD_NOT_BLANK) && !fd_valid_not_blank(s))) {
        err->status = 400;
        err->code = "validation_failed";
        err->field = name;
        if ((flags & FD_NOT_BLANK) && chars >= lo && chars <= hi)
            snprintf(err->message, sizeof err->message, "%s must not be blank.", name);
        else
            snprintf(err->message, sizeof err->message, "%s must be %zu to %zu characters long.", name, lo, hi);
        return -1;
    }
    *out = s;
    return 0;
}

static const struct fd_field *find_field(const struct fd_field *fields, const char *key)
{
    for (const struct fd_field *f = fields; f->name; f++)
        if (!strcmp(f->name, key))
            return f;
    return NULL;
}

static int decode_one(const struct fd_field *f, json_t *v, void *out, struct fd_json_error *err)
{
    void *dst = (char *)out + f->offset;
    switch (f->type) {
    case FD_FT_TEXT:
        if (fd_json_text(v, f->name, f->min, f->max, f->flags, (const char **)dst, err) < 0)
            return -1;
        if (f->check && !f->check(*(const char **)dst))
            return fail(err, "validation_failed", f->name, "%s is not valid.", f->name);
        return 0;
    case FD_FT_ID:
        if (!json_is_integer(v) || json_integer_value(v) <= 0)
            return fail(err, "validation_failed", f->name, "%s must be a positive integer id.", f->name);
        *(int64_t *)dst = (int64_t)json_integer_value(v);
        return 0;
    case FD_FT_BOOL:
        if (!json_is_boolean(v))
            return fail(err, "validation_failed", f->name, "%s must be true or false.", f->name);
        *(bool *)dst = json_is_true(v);
        return 0;
    case FD_FT_CUSTOM:
        err->field = NULL;
        if (f->decode(v, dst, err) < 0) {
            if (!err->field)
                err->field = f->name;
            return -1;
        }
        return 0;
    default:
        return fail(err, "internal", NULL, "bad field table");
    }
}

int fd_json_decode(json_t *root, const struct fd_field *fields, void *out, struct fd_json_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (!find_field(fields, key))
            return fail(err, "validation_failed", key, "Unknown field '%s'.", key);
    }
    for (const struct fd_field *f = fields; f->name; f++) {
        v = json_object_get(root, f->name);
        if (!v || json_is_null(v)) {
            if (f->flags & FD_REQUIRED)
                return fail(err, "validation_failed", f->name, "%s is required.", f->name);
            continue;
        }
        if (decode_one(f, v, out, err) < 0)
            return -1;
    }
    return 0;
}
