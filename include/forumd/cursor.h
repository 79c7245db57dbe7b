/* Opaque keyset cursors: a kind letter and up to three integers, base64url-encoded. */
#ifndef FORUMD_CURSOR_H
#define FORUMD_CURSOR_H

#include "forumd/model.h"

/* Encodes c for list kind (a letter, e.g. 't' threads, 'p' posts). Returns a new string. */
char *fd_cursor_encode(char kind, const struct fd_cursor *c);
/* Decodes s, which must have been made for kind with exactly n keys. 0 on success, -1 if invalid. */
int fd_cursor_decode(const char *s, char kind, int n, struct fd_cursor *out);

#endif
