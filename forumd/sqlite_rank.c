/* fd_rank(): BM25 with document counts given by the caller; see sqlite_rank.h. */
#include <math.h>
#include "forumd/sqlite_rank.h"
#include "forumd/fd.h"

enum { COLUMNS = 2, MAX_PHRASES = 64, SLOTS = 256 };
static const double column_weight[COLUMNS] = { 10.0, 1.0 }; /* title, body */
#define K1 1.2
#define B 0.75
#define TTL_US (60 * 1000000LL)

/* ---- the ranking function ---- */

/* What one query needs on every row: the average document length and each phrase's IDF. */
struct stats {
    int n;
    double avgdl;
    double idf[MAX_PHRASES];
};

static int compute(const Fts5ExtensionApi *api, Fts5Context *fts, const char *dfs, struct stats *st)
{
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize(fts, -1, &tokens);
    st->avgdl = rows > 0 ? (double)tokens / (double)rows : 1.0;
    st->n = 0;
    for (const char *p = dfs ? dfs : ""; *p && st->n < MAX_PHRASES;) {
        char *end;
        double hits = strtod(p, &end);
        if (end == p)
            break;
        double idf = log(((double)rows - hits + 0.5) / (hits + 0.5));
        st->idf[st->n++] = idf > 1e-6 ? idf : 1e-6; /* as FTS5's bm25(): a very common term still counts */
        p = end;
    }
    return rc;
}

static void rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct stats *st = api->xGetAuxdata(fts, 0);
    int rc = SQLITE_OK;
    if (!st) {
        st = fd_xmalloc(sizeof *st);
        rc = compute(api, fts, argc > 0 ? (const char *)sqlite3_value_text(argv[0]) : NULL, st);
        if (rc == SQLITE_OK)
            rc = api->xSetAuxdata(fts, st, free);
        else
            free(st);
    }
    double freq[MAX_PHRASES] = { 0 };
    int insts = 0, dl = 0;
    if (rc == SQLITE_OK)
        rc = api->xInstCount(fts, &insts);
    for (int i = 0; rc == SQLITE_OK && i < insts; i++) {
        int phrase, col, off;
        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK && phrase < st->n && col < COLUMNS)
            freq[phrase] += column_weight[col];
    }
    if (rc == SQLITE_OK)
        rc = api->xColumnSize(fts, -1, &dl);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    double score = 0;
    for (int i = 0; i < st->n; i++)
        score += st->idf[i] * freq[i] * (K1 + 1) / (freq[i] + K1 * (1 - B + B * dl / st->avgdl));
    sqlite3_result_double(ctx, -score);
}

int fd_sqlite_rank_register(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
        rc = sqlite3_finalize(st);
    }
    if (rc != SQLITE_OK)
        return rc;
    if (!api || api->iVersion < 2)
        return SQLITE_ERROR;
    return api->xCreateFunction(api, "fd_rank", NULL, rank, NULL);
}

/* ---- document counts, remembered per term ---- */

struct slot {
    char *term;
    int64_t at_us;
    int64_t docs;
};

/* One per connection (and so per thread): no locking. */
struct fd_rank_cache {
    struct slot slot[SLOTS];
    unsigned next;
    sqlite3_stmt *count;
};

struct fd_rank_cache *fd_rank_cache_new(void)
{
    return fd_xcalloc(1, sizeof(struct fd_rank_cache));
}

void fd_rank_cache_free(struct fd_rank_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < SLOTS; i++)
        free(c->slot[i].term);
    sqlite3_finalize(c->count);
    free(c);
}

static int count_docs(struct fd_rank_cache *c, sqlite3 *db, const char *term, int64_t *docs)
{
    if (!c->count) {
        int rc = sqlite3_prepare_v3(db, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?1", -1,
                                    SQLITE_PREPARE_PERSISTENT, &c->count, NULL);
        if (rc != SQLITE_OK)
            return rc;
    }
    sqlite3_bind_text(c->count, 1, term, -1, SQLITE_STATIC);
    int rc = sqlite3_step(c->count);
    *docs = rc == SQLITE_ROW ? sqlite3_column_int64(c->count, 0) : 0;
    sqlite3_reset(c->count);
    sqlite3_clear_bindings(c->count);
    return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static int docs_of(struct fd_rank_cache *c, sqlite3 *db, const char *term, int64_t now, int64_t *docs)
{
    for (int i = 0; i < SLOTS; i++) {
        struct slot *s = &c->slot[i];
        if (s->term && now - s->at_us < TTL_US && !strcmp(s->term, term)) {
            *docs = s->docs;
            return SQLITE_OK;
        }
    }
    int rc = count_docs(c, db, term, docs);
    if (rc != SQLITE_OK)
        return rc;
    struct slot *s = &c->slot[c->next++ % SLOTS];
    free(s->term);
    s->term = fd_xstrdup(term);
    s->at_us = now;
    s->docs = *docs;
    return SQLITE_OK;
}

int fd_rank_dfs(struct fd_rank_cache *c, sqlite3 *db, const char *const *terms, int n, char *out, size_t len)
{
    int64_t now = fd_mono_us();
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        int64_t docs = 0;
        int rc = docs_of(c, db, terms[i], now, &docs);
        if (rc != SQLITE_OK)
            return rc;
        int k = snprintf(out + used, len - used, "%s%lld", i ? " " : "", (long long)docs);
        if (k < 0 || (size_t)k >= len - used)
            return SQLITE_TOOBIG;
        used += (size_t)k;
    }
    return SQLITE_OK;
}
