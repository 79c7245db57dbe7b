/* Request bodies: parse strictly, then fill a C struct from a table of field specs, so that handlers
 * never walk JSON by hand. Text fields are checked for UTF-8 without NUL and for their length in
 * characters; unknown keys are refused so that a client's typo is an error, not silently ignored. */
#ifndef FORUMD_JSON_H
#define FORUMD_JSON_H

#include <stddef.h>
#include <jansson.h>
#include "forumd/fd.h"

#define FD_JSON_MAX_DEPTH 32

enum fd_field_type { FD_FT_END = 0, FD_FT_TEXT, FD_FT_ID, FD_FT_BOOL, FD_FT_CUSTOM };
/* FD_NULLABLE (custom fields): null is passed to the decoder ("set to none") instead of being
 * taken as absent. */
enum { FD_OPTIONAL = 0, FD_REQUIRED = 1, FD_NOT_BLANK = 2, FD_NULLABLE = 4 };

struct fd_json_error {
    int status;          /* 400 */
    const char *code;    /* "invalid_json" or "validation_failed" */
    const char *field;   /* NULL or the field at fault (static or borrowed from the spec table) */
    char message[200];
};

/* A custom field decoder: fills out from v, or returns -1 with err->message set. */
typedef int fd_field_decode_fn(json_t *v, void *out, struct fd_json_error *err);

struct fd_field {
    const char *name;
    enum fd_field_type type;
    size_t offset;
    size_t min, max;            /* characters, for text */
    int flags;
    bool (*check)(const char *s); /* extra text validator, may be NULL */
    fd_field_decode_fn *decode;  /* for FD_FT_CUSTOM */
};

/* Text lands in a `const char *` member (borrowed from the JSON root, NULL if absent); ids in an
 * int64_t (0 if absent); booleans in a bool. */
#define FD_TEXT(n, T, m, lo, hi, fl) { n, FD_FT_TEXT, offsetof(T, m), lo, hi, fl, NULL, NULL }
#define FD_TEXT_CHECK(n, T, m, lo, hi, fl, fn) { n, FD_FT_TEXT, offsetof(T, m), lo, hi, fl, fn, NULL }
#define FD_ID(n, T, m, fl) { n, FD_FT_ID, offsetof(T, m), 0, 0, fl, NULL, NULL }
#define FD_BOOL(n, T, m, fl) { n, FD_FT_BOOL, offsetof(T, m), 0, 0, fl, NULL, NULL }
#define FD_CUSTOM(n, T, m, fl, fn) { n, FD_FT_CUSTOM, offsetof(T, m), 0, 0, fl, NULL, fn }
#define FD_FIELDS_END { NULL, FD_FT_END, 0, 0, 0, 0, NULL, NULL }

/* Parses body (len bytes) into *root (caller decrefs). Rejects invalid UTF-8, nesting deeper than
 * FD_JSON_MAX_DEPTH, duplicate keys, and anything but an object at the top. 0 or -1 with err. */
int fd_json_parse(const char *body, size_t len, json_t **root, struct fd_json_error *err);
/* Fills out from the object root according to fields. 0 or -1 with err. */
int fd_json_decode(json_t *root, const struct fd_field *fields, void *out, struct fd_json_error *err);
/* Checks one JSON value as text of lo..hi characters; sets *out (borrowed). 0 or -1 with err. */
int fd_json_text(json_t *v, const char *name, size_t lo, size_t hi, int flags, const char **out,
                 struct fd_json_error *err);

/* Serializes v compactly into a new NUL-terminated string (caller frees), its length in *len.
 * Much faster than json_dumps on long texts: runs of plain bytes are copied whole, and strings are
 * not validated again (every string we hold was checked when it was accepted). Returns NULL for a
 * NULL value. */
char *fd_json_dump(const json_t *v, size_t *len);

#endif
