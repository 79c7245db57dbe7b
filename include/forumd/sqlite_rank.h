/* The search ranking of the SQLite backend: fd_rank(posts_fts, dfs).
 *
 * It is FTS5's BM25 (k1 = 1.2, b = 0.75; a title hit weighs 10 body hits; lower is better) with
 * one difference: the number of posts that contain each searched term (for its IDF) is passed in
 * as dfs, a list of numbers in the order of the terms in the MATCH expression, which the caller
 * remembers per term for a minute (struct fd_rank_cache). FTS5's own bm25() counts them again for
 * every query by walking each term's whole list of posts; for a word found in a quarter of a
 * million posts that costs more than everything else a search does. Terms after the list (the
 * excluded ones) weigh nothing. */
#ifndef FORUMD_SQLITE_RANK_H
#define FORUMD_SQLITE_RANK_H

#include <sqlite3.h>
#include <stddef.h>

struct fd_rank_cache;

/* Registers fd_rank on db; SQLITE_OK or an SQLite error code. */
int fd_sqlite_rank_register(sqlite3 *db);

struct fd_rank_cache *fd_rank_cache_new(void);
void fd_rank_cache_free(struct fd_rank_cache *c);
/* Writes the document counts of terms[0..n) (each an FTS5 expression of its own) into out as
 * fd_rank's dfs argument, counting with db what the cache does not hold fresh. SQLITE_OK or an
 * SQLite error code. */
int fd_rank_dfs(struct fd_rank_cache *c, sqlite3 *db, const char *const *terms, int n, char *out, size_t len);

#endif
