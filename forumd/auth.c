/* Passwords and secrets with libsodium. Argon2id is deliberately slow and memory-hungry: these hash
 * functions run on worker threads only. Tokens are 256 random bits; the store keeps only their
 * BLAKE2b hash, so a copy of the database does not let anyone sign in. */
#include <sodium.h>
#include "forumd/auth.h"

static const unsigned char csrf_key[] = "forumd csrf token v1";

int fd_auth_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

char *fd_auth_hash_password(const char *password, unsigned long long ops, size_t mem)
{
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password, strlen(password), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return NULL;
    return fd_xstrdup(out);
}

bool fd_auth_verify_password(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

bool fd_auth_needs_rehash(const char *hash, unsigned long long ops, size_t mem)
{
    return crypto_pwhash_str_needs_rehash(hash, ops, mem) != 0;
}

static void hash_bytes(const uint8_t *in, size_t len, uint8_t hash[FD_TOKEN_HASH_LEN])
{
    crypto_generichash(hash, FD_TOKEN_HASH_LEN, in, len, NULL, 0);
}

void fd_auth_token_new(char str[FD_TOKEN_STR_LEN], uint8_t hash[FD_TOKEN_HASH_LEN])
{
    uint8_t raw[FD_TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(str, FD_TOKEN_STR_LEN, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    hash_bytes(raw, sizeof raw, hash);
    sodium_memzero(raw, sizeof raw);
}

int fd_auth_token_hash(const char *str, uint8_t hash[FD_TOKEN_HASH_LEN])
{
    uint8_t raw[FD_TOKEN_BYTES];
    size_t len = 0;
    if (!str || strlen(str) != FD_TOKEN_STR_LEN - 1 || !fd_is_base64url(str) ||
        sodium_base642bin(raw, sizeof raw, str, FD_TOKEN_STR_LEN - 1, NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len != sizeof raw)
        return -1;
    hash_bytes(raw, sizeof raw, hash);
    sodium_memzero(raw, sizeof raw);
    return 0;
}

void fd_auth_csrf_token(const char *session_token, char out[FD_TOKEN_STR_LEN])
{
    uint8_t mac[32];
    crypto_generichash(mac, sizeof mac, (const unsigned char *)session_token, strlen(session_token), csrf_key,
                       sizeof csrf_key - 1);
    sodium_bin2base64(out, FD_TOKEN_STR_LEN, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool fd_auth_str_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return false;
    return sodium_memcmp(a, b, la) == 0;
}
