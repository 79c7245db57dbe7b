/* Accounts and sessions: register, sign in and out, the current user, API tokens.
 * Argon2id runs on a worker; every write goes through the writer; the loop only parses, looks up
 * and answers. */
#include <ctype.h>
#include "forumd/handlers.h"
#include "forumd/auth.h"
#include "forumd/valid.h"
#include <sodium.h>

/* ---- register ---- */

struct reg {
    struct fd_new_user in;
    char country[3];
    struct fd_user out;
};

static void reg_free(void *p)
{
    struct reg *c = p;
    free(c->in.password_hash);
    fd_user_clear(&c->out);
    free(c);
}

static const struct fd_field register_fields[] = {
    FD_TEXT_CHECK("email", struct fd_new_user, email, 3, 254, FD_REQUIRED, fd_valid_email),
    FD_TEXT("password", struct fd_new_user, password, 12, 128, FD_REQUIRED),
    FD_TEXT_CHECK("display_name", struct fd_new_user, display_name, 1, 80, FD_REQUIRED | FD_NOT_BLANK,
                  fd_valid_display_name),
    FD_TEXT_CHECK("stakeholder_type", struct fd_new_user, stakeholder_type, 1, 40, FD_REQUIRED,
                  fd_valid_stakeholder_type),
    FD_TEXT("organisation", struct fd_new_user, organisation, 0, 200, FD_OPTIONAL),
    FD_TEXT("country", struct fd_new_user, country, 2, 2, FD_OPTIONAL),
    FD_TEXT_CHECK("transparency_register_id", struct fd_new_user, transparency_register_id, 3, 20, FD_OPTIONAL,
                  fd_valid_transparency_id),
    FD_FIELDS_END
};

/* Upper-cases the country and checks it; member_state accounts need an EU Member State. */
static int check_country(struct fd_req *r, struct reg *c)
{
    if (c->in.country) {
        c->country[0] = (char)toupper((unsigned char)c->in.country[0]);
        c->country[1] = (char)toupper((unsigned char)c->in.country[1]);
        c->in.country = c->country;
        if (!fd_valid_country(c->country)) {
            fd_reply_error(r, 400, "validation_failed", "country", "country must be an ISO 3166-1 alpha-2 code.");
            return -1;
        }
    }
    if (!strcmp(c->in.stakeholder_type, "member_state") && !(c->in.country && fd_valid_eu_country(c->in.country))) {
        fd_reply_error(r, 400, "validation_failed", "country",
                       "Member State accounts must give one of the 27 EU Member States as country.");
        return -1;
    }
    if (c->in.organisation && !*c->in.organisation)
        c->in.organisation = NULL;
    return 0;
}

static void reg_hash(struct fd_store *s, void *arg)
{
    (void)s;
    struct fd_req *r = arg;
    struct reg *c = r->ctx;
    c->in.password_hash = fd_auth_hash_password(c->in.password, r->app->cfg.pwhash_ops, r->app->cfg.pwhash_mem);
}

static int reg_insert(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct reg *c = r->ctx;
    return fd_store_user_create(s, &c->in, fd_now(), &c->out);
}

static void reg_inserted(struct fd_req *r, int rc)
{
    struct reg *c = r->ctx;
    if (rc == FD_ECONFLICT) {
        fd_reply_error(r, 409, "conflict", "email", "An account with this email address exists already.");
        return;
    }
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        return;
    }
    struct fd_viewer self = fd_mod_viewer(&c->out);
    fd_reply_json(r, 201, json_pack("{s:o}", "user", fd_user_json(&c->out, &self)));
}

static void reg_hashed(void *arg)
{
    struct fd_req *r = arg;
    struct reg *c = r->ctx;
    if (!c->in.password_hash) {
        fd_reply_status(r, FD_EINTERNAL);
        return;
    }
    fd_req_write(r, reg_insert, reg_inserted);
}

void h_auth_register(struct fd_req *r)
{
    struct reg *c = fd_req_ctx(r, sizeof *c, reg_free);
    if (fd_req_address_rate_or_reply(r, FD_RL_REGISTER_ADDRESS, r->app->cfg.rate_register_address,
                                     "Too many new accounts from your address; please try again later.") < 0 ||
        fd_req_body_or_reply(r, register_fields, &c->in) < 0 || check_country(r, c) < 0)
        return;
    fd_req_work_or_reply(r, r->app->work, reg_hash, reg_hashed);
}

/* ---- login ---- */

struct login_in {
    const char *email;
    const char *password;
};

struct login {
    struct login_in in;
    char account_key[40];  /* the email's keyed hash: sign-in limits name no address in memory */
    char pair_key[128];    /* account and client address */
    bool known_device;     /* this browser signed in to this account before */
    struct fd_user user;
    bool known;
    bool ok;
    char *new_hash;
    char token[FD_TOKEN_STR_LEN];
    uint8_t token_hash[FD_TOKEN_HASH_LEN];
};

static void login_free(void *p)
{
    struct login *c = p;
    fd_user_clear(&c->user);
    free(c->new_hash);
    memset(c->token, 0, sizeof c->token);
    free(c);
}

static const struct fd_field login_fields[] = {
    FD_TEXT("email", struct login_in, email, 1, 254, FD_REQUIRED),
    FD_TEXT("password", struct login_in, password, 1, 1024, FD_REQUIRED),
    FD_FIELDS_END
};

static void login_verify(struct fd_store *s, void *arg)
{
    (void)s;
    struct fd_req *r = arg;
    struct login *c = r->ctx;
    const struct fd_config *cfg = &r->app->cfg;
    /* An unknown email costs the same hash as a known one, so timing does not tell them apart. */
    const char *hash = c->known ? c->user.password_hash : r->app->dummy_hash;
    c->ok = fd_auth_verify_password(hash, c->in.password) && c->known;
    if (c->ok && fd_auth_needs_rehash(hash, cfg->pwhash_ops, cfg->pwhash_mem))
        c->new_hash = fd_auth_hash_password(c->in.password, cfg->pwhash_ops, cfg->pwhash_mem);
}

static int login_session(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct login *c = r->ctx;
    if (c->new_hash) {
        int rc = fd_store_user_set_password_hash(s, c->user.id, c->new_hash);
        if (rc != FD_OK)
            return rc;
    }
    return fd_store_session_create(s, c->user.id, c->token_hash, fd_now_steady(), NULL);
}

#define DEVICE_COOKIE "forumd_device"
#define DEVICE_FREE_FAILURES 3   /* failures from one address before the back-off starts */
#define DEVICE_MAX_BACKOFF 900   /* seconds: the back-off never grows past a quarter hour */

/* The device mark of an account: a keyed hash of its email address, so that a browser which
 * signed in before can prove it without the server storing anything. */
static void device_mark(struct fd_req *r, const char *account_key, char out[65])
{
    unsigned char mac[32];
    crypto_generichash(mac, sizeof mac, (const unsigned char *)account_key, strlen(account_key), r->app->device_key,
                       sizeof r->app->device_key);
    sodium_bin2hex(out, 65, mac, sizeof mac);
}

/* Keys the sign-in limits by the email address as typed (case folded), known or not: the
 * answers must not tell whether an account exists. */
static void login_keys(struct fd_req *r, struct login *c)
{
    char folded[255];
    size_t n = strlen(c->in.email);
    for (size_t i = 0; i < n && i < sizeof folded - 1; i++)
        folded[i] = (char)tolower((unsigned char)c->in.email[i]);
    folded[n < sizeof folded - 1 ? n : sizeof folded - 1] = '\0';
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)folded, strlen(folded), NULL, 0);
    sodium_bin2hex(c->account_key, sizeof c->account_key, h, sizeof h);
    char addr[80];
    fd_rl_address_key(fd_req_peer(r), addr, sizeof addr);
    snprintf(c->pair_key, sizeof c->pair_key, "%s|%s", c->account_key, addr);
    char cookie[80], mark[65];
    device_mark(r, c->account_key, mark);
    c->known_device = fd_req_cookie(r, DEVICE_COOKIE, cookie, sizeof cookie) && strlen(cookie) == 64 &&
                      sodium_memcmp(cookie, mark, 64) == 0;
}

/* Before any hashing: the address's bucket, the back-off of this account from this address, and
 * the account's own ceiling of failures, which a browser that signed in before is spared, so that
 * someone guessing from many addresses slows down everyone but cannot lock the owner out. */
static int login_limits_or_reply(struct fd_req *r, struct login *c)
{
    const struct fd_config *cfg = &r->app->cfg;
    struct fd_ratelimit *rl = r->app->limits;
    if (fd_req_address_rate_or_reply(r, FD_RL_LOGIN_ADDRESS, cfg->rate_login_address,
                                     "Too many sign-in attempts from your address; please wait a moment.") < 0)
        return -1;
    const char *slow = "Too many failed sign-ins for this account; please wait before trying again.";
    if (fd_req_wait_or_reply(r, fd_rl_backoff_wait(rl, FD_RL_LOGIN_PAIR, c->pair_key), slow) < 0)
        return -1;
    if (!c->known_device &&
        fd_req_wait_or_reply(r, fd_rl_peek(rl, FD_RL_LOGIN_ACCOUNT, c->account_key, cfg->rate_login_account), slow) < 0)
        return -1;
    return 0;
}

static void login_failed(struct fd_req *r, struct login *c)
{
    struct fd_ratelimit *rl = r->app->limits;
    fd_rl_backoff_fail(rl, FD_RL_LOGIN_PAIR, c->pair_key, DEVICE_FREE_FAILURES, DEVICE_MAX_BACKOFF);
    fd_rl_take(rl, FD_RL_LOGIN_ACCOUNT, c->account_key, r->app->cfg.rate_login_account);
    fd_reply_error(r, 401, "invalid_credentials", NULL, "The email address or password is not correct.");
}

static void set_device_cookie(struct fd_req *r, const char *account_key)
{
    char mark[65], cookie[200];
    device_mark(r, account_key, mark);
    snprintf(cookie, sizeof cookie, DEVICE_COOKIE "=%s; Path=/api/v1/auth/login; HttpOnly; SameSite=Strict; "
                                    "Max-Age=31536000%s", mark, r->app->cfg.secure_cookies ? "; Secure" : "");
    fd_req_header_out(r, "Set-Cookie", cookie);
}

static void login_done(struct fd_req *r, int rc)
{
    struct login *c = r->ctx;
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        return;
    }
    fd_rl_backoff_reset(r->app->limits, FD_RL_LOGIN_PAIR, c->pair_key);
    set_device_cookie(r, c->account_key);
    char csrf[FD_TOKEN_STR_LEN];
    fd_auth_csrf_token(c->token, csrf);
    fd_req_set_session_cookie(r, c->token);
    struct fd_viewer self = fd_mod_viewer(&c->user);
    fd_reply_json(r, 200, json_pack("{s:o, s:s}", "user", fd_user_json(&c->user, &self), "csrf_token", csrf));
}

static void login_verified(void *arg)
{
    struct fd_req *r = arg;
    struct login *c = r->ctx;
    if (!c->ok) {
        login_failed(r, c);
        return;
    }
    /* A fresh secret at every sign-in: a session id planted before cannot be carried over. */
    fd_auth_token_new(c->token, c->token_hash);
    fd_req_write(r, login_session, login_done);
}

void h_auth_login(struct fd_req *r)
{
    struct login *c = fd_req_ctx(r, sizeof *c, login_free);
    if (fd_req_body_or_reply(r, login_fields, &c->in) < 0)
        return;
    login_keys(r, c);
    if (login_limits_or_reply(r, c) < 0)
        return;
    int rc = fd_store_user_by_email(r->loop->store, c->in.email, &c->user);
    if (rc != FD_OK && rc != FD_ENOTFOUND) {
        fd_reply_status(r, rc);
        return;
    }
    c->known = rc == FD_OK && c->user.password_hash != NULL;
    fd_req_work_or_reply(r, r->app->work, login_verify, login_verified);
}

/* ---- logout, me ---- */

static int logout_delete(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    return fd_store_session_delete(s, r->session_id);
}

static void logout_done(struct fd_req *r, int rc)
{
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        return;
    }
    fd_req_set_session_cookie(r, NULL);
    fd_reply_empty(r, 204);
}

void h_auth_logout(struct fd_req *r)
{
    if (r->auth != FD_AUTH_COOKIE) {
        fd_reply_empty(r, 204); /* API tokens are revoked through DELETE /me/tokens/{id} */
        return;
    }
    fd_req_write(r, logout_delete, logout_done);
}

void h_me_get(struct fd_req *r)
{
    json_t *csrf = r->auth == FD_AUTH_COOKIE ? json_string(r->csrf) : json_null();
    fd_reply_json(r, 200, json_pack("{s:o, s:o}", "user", fd_user_json(&r->user, &r->viewer), "csrf_token", csrf));
}

/* ---- API tokens ---- */

struct token_new {
    const char *name;
    int64_t id;
    char token[FD_TOKEN_STR_LEN];
    uint8_t hash[FD_TOKEN_HASH_LEN];
};

static const struct fd_field token_fields[] = {
    FD_TEXT("name", struct token_new, name, 1, 100, FD_REQUIRED | FD_NOT_BLANK),
    FD_FIELDS_END
};

static int token_insert(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct token_new *c = r->ctx;
    return fd_store_token_create(s, r->user.id, c->name, c->hash, fd_now(), &c->id);
}

static void token_inserted(struct fd_req *r, int rc)
{
    struct token_new *c = r->ctx;
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        return;
    }
    fd_reply_json(r, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)c->id, "name", c->name, "token", c->token));
}

void h_tokens_create(struct fd_req *r)
{
    struct token_new *c = fd_req_ctx(r, sizeof *c, free);
    if (fd_req_body_or_reply(r, token_fields, c) < 0)
        return;
    fd_auth_token_new(c->token, c->hash);
    fd_req_write(r, token_insert, token_inserted);
}

static int token_remove(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    return fd_store_token_delete(s, r->user.id, *(int64_t *)r->ctx);
}

static void token_removed(struct fd_req *r, int rc)
{
    if (rc == FD_OK)
        fd_reply_empty(r, 204);
    else
        fd_reply_status(r, rc);
}

void h_tokens_delete(struct fd_req *r)
{
    int64_t *id = fd_req_ctx(r, sizeof *id, free);
    if (fd_req_id_or_reply(r, "id", id) < 0)
        return;
    fd_req_write(r, token_remove, token_removed);
}
