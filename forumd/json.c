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
        err->status = 400;
        err->code = "validation_failed";
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
        bool null_means_none = v && json_is_null(v) && f->type == FD_FT_CUSTOM && (f->flags & FD_NULLABLE);
        if (!v || (json_is_null(v) && !null_means_none)) {
            if (f->flags & FD_REQUIRED)
                return fail(err, "validation_failed", f->name, "%s is required.", f->name);
            continue;
        }
        if (decode_one(f, v, out, err) < 0)
            return -1;
    }
    return 0;
}

/* ---- output ---- */

struct out {
    char *buf;
    size_t len, cap;
};

static void out_reserve(struct out *o, size_t n)
{
    if (o->len + n + 1 <= o->cap)
        return;
    size_t cap = o->cap ? o->cap : 4096;
    while (o->len + n + 1 > cap)
        cap *= 2;
    o->buf = fd_xrealloc(o->buf, cap);
    o->cap = cap;
}

static void out_put(struct out *o, const char *s, size_t n)
{
    out_reserve(o, n);
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

/* The bytes that cannot appear raw inside a JSON string. */
static inline bool needs_escape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

/* The index of the first byte of s[i..n) that needs escaping, or n. Post bodies are long and rarely
 * need it, so eight bytes are tested at a time (exact SWAR tests for a byte < 0x20, '"' or '\\'). */
static size_t next_escape(const char *s, size_t i, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t quote = w ^ (ones * '"'), bslash = w ^ (ones * '\\');
        uint64_t hit = ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) | ((bslash - ones) & ~bslash);
        if (hit & highs)
            break;
    }
    while (i < n && !needs_escape((unsigned char)s[i]))
        i++;
    return i;
}

static void out_string(struct out *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    out_reserve(o, n + 2);
    o->buf[o->len++] = '"';
    size_t run = 0;
    for (size_t i = next_escape(s, 0, n); i < n; i = next_escape(s, i + 1, n)) {
        unsigned char c = (unsigned char)s[i];
        out_put(o, s + run, i - run);
        run = i + 1;
        char esc[6] = { '\\', 0 };
        size_t elen = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            elen = 6;
            break;
        }
        out_put(o, esc, elen);
    }
    out_put(o, s + run, n - run);
    out_put(o, "\"", 1);
}

static void out_value(struct out *o, const json_t *v)
{
    char num[32];
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *val;
        bool first = true;
        out_put(o, "{", 1);
        json_object_foreach((json_t *)v, key, val) {
            if (!first)
                out_put(o, ",", 1);
            first = false;
            out_string(o, key, strlen(key));
            out_put(o, ":", 1);
            out_value(o, val);
        }
        out_put(o, "}", 1);
        break;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *val;
        out_put(o, "[", 1);
        json_array_foreach(v, i, val) {
            if (i)
                out_put(o, ",", 1);
            out_value(o, val);
        }
        out_put(o, "]", 1);
        break;
    }
    case JSON_STRING:
        out_string(o, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        out_put(o, num, (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v)));
        break;
    case JSON_REAL:
        out_put(o, num, (size_t)snprintf(num, sizeof num, "%.17g", json_real_value(v)));
        break;
    case JSON_TRUE:
        out_put(o, "true", 4);
        break;
    case JSON_FALSE:
        out_put(o, "false", 5);
        break;
    default:
        out_put(o, "null", 4);
        break;
    }
}

char *fd_json_dump(const json_t *v, size_t *len)
{
    if (!v)
        return NULL;
    struct out o = { 0 };
    out_value(&o, v);
    out_reserve(&o, 0);
    o.buf[o.len] = '\0';
    *len = o.len;
    return o.buf;
}
