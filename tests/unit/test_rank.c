/* Unit tests of sqlite_rank.c: fd_rank with the document counts fd_rank_dfs gives must rank exactly
 * as FTS5's own bm25() with the same column weights (title 10, body 1). */
#include <math.h>
#include <criterion/criterion.h>
#include "forumd/sqlite_rank.h"
#include "forumd/fd.h"

static sqlite3 *corpus(void)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
    cr_assert_eq(fd_sqlite_rank_register(db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db,
                              "CREATE VIRTUAL TABLE posts_fts USING fts5(title, body,"
                              " tokenize='unicode61 remove_diacritics 2');"
                              "INSERT INTO posts_fts VALUES"
                              " ('Port security', 'Ports and customs cooperation in the Union.'),"
                              " ('', 'Security of ports: security matters, security everywhere.'),"
                              " ('', 'Customs data sharing between Member States and Europol.'),"
                              " ('Ransomware', 'Ransomware against hospitals and ports.'),"
                              " ('', 'A long text about nothing in particular, with many words that do not matter"
                              "  for security at all, but it goes on and on and on.'),"
                              " ('S\xc3\xa9" "curit\xc3\xa9', 'La s\xc3\xa9" "curit\xc3\xa9 des fronti\xc3\xa8res.');",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    return db;
}

static void compare(sqlite3 *db, struct fd_rank_cache *cache, const char *match, const char *const *terms, int n)
{
    char dfs[256];
    cr_assert_eq(fd_rank_dfs(cache, db, terms, n, dfs, sizeof dfs), SQLITE_OK);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db,
                                    "SELECT rowid, bm25(posts_fts, 10.0, 1.0), fd_rank(posts_fts, ?2) FROM posts_fts"
                                    " WHERE posts_fts MATCH ?1",
                                    -1, &st, NULL),
                 SQLITE_OK);
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, dfs, -1, SQLITE_STATIC);
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        double want = sqlite3_column_double(st, 1), got = sqlite3_column_double(st, 2);
        cr_assert(fabs(want - got) < 1e-9 * fmax(1.0, fabs(want)), "%s row %lld: bm25 %.12g, fd_rank %.12g", match,
                  sqlite3_column_int64(st, 0), want, got);
        rows++;
    }
    cr_assert_gt(rows, 0, "%s matched nothing", match);
    sqlite3_finalize(st);
}

Test(rank, equals_fts5_bm25)
{
    sqlite3 *db = corpus();
    struct fd_rank_cache *cache = fd_rank_cache_new();
    const char *const one[] = { "\"security\"" };
    const char *const two[] = { "\"ports\"", "\"customs\"" };
    const char *const phrase[] = { "\"ransomware against\"" };
    const char *const prefix[] = { "\"secur\" *" };
    const char *const folded[] = { "\"securite\"" };
    compare(db, cache, one[0], one, 1);
    compare(db, cache, "\"ports\" AND \"customs\"", two, 2);
    compare(db, cache, phrase[0], phrase, 1);
    compare(db, cache, prefix[0], prefix, 1);
    compare(db, cache, folded[0], folded, 1);
    compare(db, cache, one[0], one, 1); /* now from the cache */
    fd_rank_cache_free(cache);
    sqlite3_close(db);
}

Test(rank, excluded_terms_weigh_nothing)
{
    sqlite3 *db = corpus();
    struct fd_rank_cache *cache = fd_rank_cache_new();
    const char *const terms[] = { "\"security\"" };
    char dfs[64];
    cr_assert_eq(fd_rank_dfs(cache, db, terms, 1, dfs, sizeof dfs), SQLITE_OK);
    cr_assert_str_eq(dfs, "3"); /* rows 1, 2 and 5: "S\xc3\xa9curit\xc3\xa9" is another word */
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db,
                                    "SELECT bm25(posts_fts, 10.0, 1.0), fd_rank(posts_fts, ?1) FROM posts_fts"
                                    " WHERE posts_fts MATCH '(\"security\") NOT (\"customs\")'",
                                    -1, &st, NULL),
                 SQLITE_OK);
    sqlite3_bind_text(st, 1, dfs, -1, SQLITE_STATIC);
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        cr_assert_lt(sqlite3_column_double(st, 1), 0.0, "a hit must score");
        rows++;
    }
    cr_assert_eq(rows, 2); /* row 1 also says customs */
    sqlite3_finalize(st);
    fd_rank_cache_free(cache);
    sqlite3_close(db);
}

Test(rank, too_small_a_buffer_is_an_error_not_an_overflow)
{
    sqlite3 *db = corpus();
    struct fd_rank_cache *cache = fd_rank_cache_new();
    const char *const terms[] = { "\"security\"", "\"ports\"" };
    char dfs[2];
    cr_assert_eq(fd_rank_dfs(cache, db, terms, 2, dfs, sizeof dfs), SQLITE_TOOBIG);
    fd_rank_cache_free(cache);
    sqlite3_close(db);
}
