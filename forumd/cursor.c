/* Keyset cursors, opaque to clients: "<kind>.<k1>.<k2>..." in base64url. Decoding is strict, so a
 * tampered cursor is refused instead of turning into a surprising query. */
#include <errno.h>
#include <sodium.h>
#include "forumd/cursor.h"

char *fd_cursor_encode(char kind, const struct fd_cursor *c)
{
    char plain[96];
    int off = snprintf(plain, sizeof plain, "%c", kind);
    for (int i = 0; i < c->n && i < 3; i++)
        off += snprintf(plain + off, sizeof plain - (size_t)off, ".%lld", (long long)c->k[i]);
    size_t cap = sodium_base64_ENCODED_LEN((size_t)off, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = fd_xmalloc(cap);
    sodium_bin2base64(out, cap, (const unsigned char *)plain, (size_t)off, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

int fd_cursor_decode(const char *s, char kind, int n, struct fd_cursor *out)
{
    unsigned char plain[96];
    size_t len = 0;
    if (!s || strlen(s) > 120 || !fd_is_base64url(s) ||
        sodium_base642bin(plain, sizeof plain - 1, s, strlen(s), NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return -1;
    plain[len] = '\0';
    const char *p = (const char *)plain;
    if (len < 1 || p[0] != kind)
        return -1;
    p++;
    memset(out, 0, sizeof *out);
    for (int i = 0; i < n; i++) {
        if (*p != '.')
            return -1;
        p++;
        char *end;
        errno = 0;
        if (!(*p == '-' || (*p >= '0' && *p <= '9')))
            return -1;
        long long v = strtoll(p, &end, 10);
        if (errno || end == p)
            return -1;
        out->k[i] = v;
        p = end;
    }
    if (*p != '\0' || (size_t)(p - (const char *)plain) != len)
        return -1;
    out->n = n;
    return 0;
}
