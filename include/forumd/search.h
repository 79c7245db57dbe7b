/* Turning what a person types into a search into a safe full-text expression.
 *
 * The user's text is never handed to the search engine as a query: it is cut into words and
 * phrases, every character that is not part of a word is dropped, and each term is written back
 * quoted, so that FTS5 operators (AND, OR, NOT, NEAR, column filters, ^, +) typed by a user are
 * searched for as words, not obeyed. What a user may write:
 *
 *   word another    both words (in any order, anywhere in the post or its thread's title)
 *   "a phrase"      the words next to each other, in this order
 *   secur*          words that start with "secur" (at least 3 characters before the *)
 *   -word           posts without this word (there must be something to look for besides)
 */
#ifndef FORUMD_SEARCH_H
#define FORUMD_SEARCH_H

#include "forumd/fd.h"

#define FD_SEARCH_MAX_TERMS 12
#define FD_SEARCH_MAX_LEN 256 /* bytes of q */
/* Only the newest this many matches of a query are ranked: a word found in half of a million
 * posts would otherwise cost a quarter of a second, however few results are shown. */
#define FD_SEARCH_WINDOW 1000

/* A translated query: the whole FTS5 expression, and each term to look for as an expression of
 * its own, in the order they appear in match (the ranking weighs each by how rare it is). */
struct fd_search_expr {
    char *match;
    char *terms[FD_SEARCH_MAX_TERMS];
    int n_terms;
};

/* Translates q. Returns 0, or -1 with *why set to a message for the user when q holds nothing to
 * search for or too many terms. Clear out with fd_search_expr_clear() either way. */
int fd_search_translate(const char *q, struct fd_search_expr *out, const char **why);
void fd_search_expr_clear(struct fd_search_expr *e);

#endif
