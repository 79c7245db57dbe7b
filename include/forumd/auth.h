/* Passwords (Argon2id through libsodium) and secrets (256-bit random tokens stored only as hashes).
 * The hash functions are slow by design: call them only from worker threads. */
#ifndef FORUMD_AUTH_H
#define FORUMD_AUTH_H

#include "forumd/fd.h"
#include "forumd/store.h"

#define FD_TOKEN_BYTES 32
#define FD_TOKEN_STR_LEN 44 /* base64url of 32 bytes, 43 characters, plus NUL */

/* Initialises libsodium; -1 if it cannot. Call once before threads start. */
int fd_auth_init(void);
/* Hashes password into a newly allocated encoded string (caller frees), or NULL on failure
 * (e.g. not enough memory for the configured limit). Worker threads only. */
char *fd_auth_hash_password(const char *password, unsigned long long ops, size_t mem);
/* True if password matches hash. Worker threads only. */
bool fd_auth_verify_password(const char *hash, const char *password);
/* True if hash was made with other limits than ops/mem and should be replaced at the next login. */
bool fd_auth_needs_rehash(const char *hash, unsigned long long ops, size_t mem);

/* Makes a new random token: its text for the client into str, its hash for the store into hash. */
void fd_auth_token_new(char str[FD_TOKEN_STR_LEN], uint8_t hash[FD_TOKEN_HASH_LEN]);
/* Hashes a token text received from a client. -1 if it is not of the token form. */
int fd_auth_token_hash(const char *str, uint8_t hash[FD_TOKEN_HASH_LEN]);
/* The CSRF token of the session whose token text is session_token, into out. It is derived one-way
 * from the session secret, so the server stores nothing more and a leaked CSRF token does not reveal
 * the session. */
void fd_auth_csrf_token(const char *session_token, char out[FD_TOKEN_STR_LEN]);
/* Constant-time comparison of two NUL-terminated strings. */
bool fd_auth_str_equal(const char *a, const char *b);

#endif
