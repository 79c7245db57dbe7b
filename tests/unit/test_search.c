/* Unit tests of search.c: what a user types becomes a quoted, safe FTS5 expression, and every
 * expression it makes is one that SQLite's FTS5 accepts. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <sqlite3.h>
#include "forumd/search.h"

struct tr_case {
    char in[80];
    char out[160]; /* "" = refused */
};

static const struct tr_case tr_cases[] = {
    { "security", "\"security\"" },
    { "  cyber   security ", "\"cyber\" AND \"security\"" },
    { "\"critical infrastructure\" ports", "\"critical infrastructure\" AND \"ports\"" },
    { "\"unclosed phrase", "\"unclosed phrase\"" },
    { "secur*", "\"secur\" *" },
    { "se*", "\"se\"" },                /* too short a prefix: the word itself */
    { "a -b", "(\"a\") NOT (\"b\")" },
    { "a -b -c", "(\"a\") NOT (\"b\" OR \"c\")" },
    { "-", "" },
    { "-b", "" },                       /* only what to leave out */
    { "\"\"", "" },
    { "NEAR(a b)", "\"NEAR a\" AND \"b\"" },
    { "a OR b", "\"a\" AND \"OR\" AND \"b\"" },
    { "title:x", "\"title x\"" },
    { "{title}:x ^y +z", "\"title x\" AND \"y\" AND \"z\"" },
    { "e-mail", "\"e mail\"" },
    { "s\xc3\xa9" "curit\xc3\xa9", "\"s\xc3\xa9" "curit\xc3\xa9\"" },
    { "\xc2\xab" "x\xc2\xbb", "\"x\"" },  /* guillemets are not part of the word */
    { "\xe2\x80\x94 \xe2\x80\xa6", "" },  /* a dash and an ellipsis: nothing to look for */
    { "\"a \"b\" c", "\"a\" AND \"b\" AND \"c\"" },
    { "1 2 3 4 5 6 7 8 9 10 11 12", "\"1\" AND \"2\" AND \"3\" AND \"4\" AND \"5\" AND \"6\" AND \"7\" AND \"8\""
                                    " AND \"9\" AND \"10\" AND \"11\" AND \"12\"" },
    { "1 2 3 4 5 6 7 8 9 10 11 12 13", "" },
};

ParameterizedTestParameters(search, translate)
{
    return cr_make_param_array(struct tr_case, tr_cases, sizeof tr_cases / sizeof tr_cases[0]);
}

ParameterizedTest(const struct tr_case *c, search, translate)
{
    struct fd_search_expr e;
    const char *why = NULL;
    int rc = fd_search_translate(c->in, &e, &why);
    if (!c->out[0]) {
        cr_assert_eq(rc, -1, "%s was accepted as %s", c->in, e.match ? e.match : "");
        cr_assert_not_null(why);
        cr_assert_null(e.match);
        cr_assert_eq(e.n_terms, 0);
    } else {
        cr_assert_eq(rc, 0, "%s refused: %s", c->in, why ? why : "");
        cr_assert_str_eq(e.match, c->out, "input %s", c->in);
        /* the terms to look for, joined by AND, are the expression (or its part before NOT) */
        char joined[256] = "";
        for (int i = 0; i < e.n_terms; i++) {
            cr_assert_lt(strlen(joined) + strlen(e.terms[i]) + 8, sizeof joined);
            if (i)
                memcpy(joined + strlen(joined), " AND ", 6);
            memcpy(joined + strlen(joined), e.terms[i], strlen(e.terms[i]) + 1);
        }
        const char *not = strstr(e.match, ") NOT (");
        if (not)
            cr_assert(!strncmp(e.match + 1, joined, (size_t)(not - e.match - 1)) &&
                          strlen(joined) == (size_t)(not - e.match - 1),
                      "terms %s vs %s", joined, e.match);
        else
            cr_assert_str_eq(joined, e.match);
    }
    fd_search_expr_clear(&e);
}

/* Random input from an alphabet of FTS5's special characters, words and multibyte text: every
 * accepted translation must be a valid MATCH expression. */
Test(search, every_translation_is_valid_fts5)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db,
                              "CREATE VIRTUAL TABLE f USING fts5(title, body, tokenize='unicode61 remove_diacritics 2');"
                              "INSERT INTO f VALUES('S\xc3\xa9" "curit\xc3\xa9 des ports', 'near the border or the port');",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM f WHERE f MATCH ?1", -1, &st, NULL), SQLITE_OK);
    static const char *const parts[] = { "\"", "*", "-", "(", ")", ":", "^", "+", "{", "}", " ", "NEAR", "AND", "OR",
                                         "NOT", "port", "s\xc3\xa9" "c", "\xc2\xab", "\xe2\x80\x94", "\t", "'", "\\",
                                         ",", "/", "title", "x*", "-y", "\xf0\x9f\x94\x92" };
    unsigned seed = 12345;
    int accepted = 0;
    for (int i = 0; i < 20000; i++) {
        char q[128] = "";
        size_t len = 0;
        int n = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 10;
        for (int k = 0; k < n; k++) {
            const char *p = parts[((seed = seed * 1103515245u + 12345u) >> 16) % (sizeof parts / sizeof *parts)];
            size_t pl = strlen(p);
            if (len + pl + 1 > sizeof q)
                break;
            memcpy(q + len, p, pl);
            len += pl;
            q[len] = '\0';
        }
        struct fd_search_expr e;
        const char *why;
        if (fd_search_translate(q, &e, &why) < 0) {
            fd_search_expr_clear(&e);
            continue;
        }
        accepted++;
        for (int t = -1; t < e.n_terms; t++) { /* the whole expression, then each term alone */
            const char *expr = t < 0 ? e.match : e.terms[t];
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
            int rc = sqlite3_step(st);
            cr_assert_eq(rc, SQLITE_ROW, "input [%s] made [%s]: %s", q, expr, sqlite3_errmsg(db));
        }
        fd_search_expr_clear(&e);
    }
    cr_assert_gt(accepted, 5000, "only %d of 20000 inputs had something to search for", accepted);
    sqlite3_finalize(st);
    sqlite3_close(db);
}
