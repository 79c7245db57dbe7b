/* libFuzzer harness: what a person types into the search box, through fd_search_translate, and the
 * result through SQLite FTS5 with the tokenizer of schema/0002_search.sql.
 *
 * Input: the q parameter, as bytes.
 *
 * Checks: translation never crashes. For text h_search.c would accept (UTF-8 without NUL, at most
 * FD_SEARCH_MAX_LEN bytes; longer text is translated all the same), a successful translation
 * - has the shape the translator promises: quoted strings of word characters (never a quote
 *   inside), joined only by AND, OR, NOT, parentheses and a prefix '*', so that nothing the user
 *   typed can act as an FTS5 operator or column filter;
 * - gives between 1 and FD_SEARCH_MAX_TERMS terms, each one quoted string with an optional " *";
 * - is accepted by FTS5: the whole expression and every term run as MATCH against an in-memory
 *   table (and through snippet(), as the store runs them) without any error. */
#include <sqlite3.h>
#include "forumd/search.h"
#include "forumd/valid.h"

static sqlite3 *db;
static sqlite3_stmt *q_match, *q_snippet;

static void fail(const char *what, const char *q, const char *expr) __attribute__((noreturn));

static void fail(const char *what, const char *q, const char *expr)
{
    fprintf(stderr, "fuzz_search: %s\n  q:    \"%s\"\n  expr: %s\n", what, q, expr ? expr : "(none)");
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char schema[] =
        "CREATE VIRTUAL TABLE posts_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');"
        "INSERT INTO posts_fts(rowid, title, body) VALUES"
        " (1, 'Protecting public spaces', 'Sécurité des espaces publics: cooperation with cities.'),"
        " (2, '', 'Cybercrime and the security of critical infrastructure, 2026 strategy'),"
        " (3, 'Europol mandate', 'Datenschutz, Grundrechte und \"AND\" OR NOT NEAR title: body:'),"
        " (4, '', 'Terrorism content online — removal orders … « quotes » ünïcödé 東京 テスト');";
    char *msg = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
        sqlite3_exec(db, schema, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1 ORDER BY rank", -1,
                           &q_match, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT snippet(posts_fts, -1, char(2), char(3), '…', 16) FROM posts_fts"
                           " WHERE posts_fts MATCH ?1",
                           -1, &q_snippet, NULL) != SQLITE_OK) {
        fprintf(stderr, "fuzz_search: cannot set up FTS5: %s\n", msg ? msg : sqlite3_errmsg(db));
        abort();
    }
    return 0;
}

/* Runs stmt with expr as ?1 to the end; the error message, or NULL. */
static const char *run(sqlite3_stmt *stmt, const char *expr)
{
    const char *err = NULL;
    sqlite3_bind_text(stmt, 1, expr, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        ;
    if (rc != SQLITE_DONE)
        err = sqlite3_errmsg(db);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return err;
}

/* Skips one quoted string at *p (word characters only: no quote, no control character); false if
 * there is none. */
static bool quoted(const char **p)
{
    const char *s = *p;
    if (*s != '"')
        return false;
    s++;
    if (*s == '"' || *s == ' ')
        return false; /* an empty phrase, or one that starts with a space */
    while (*s && *s != '"') {
        if ((unsigned char)*s < 0x20 || *s == '\\')
            return false;
        s++;
    }
    if (*s != '"' || s[-1] == ' ')
        return false;
    *p = s + 1;
    return true;
}

/* A term: a quoted string, optionally followed by " *". */
static bool term(const char **p)
{
    if (!quoted(p))
        return false;
    if (!strncmp(*p, " *", 2))
        *p += 2;
    return true;
}

/* terms joined by sep (" AND " or " OR "); the number of terms into *n */
static bool terms(const char **p, const char *sep, int *n)
{
    *n = 0;
    if (!term(p))
        return false;
    for (*n = 1; !strncmp(*p, sep, strlen(sep)); (*n)++) {
        *p += strlen(sep);
        if (!term(p))
            return false;
    }
    return true;
}

/* The two shapes the translator writes: A AND B ..., or (A AND B ...) NOT (C OR D ...). */
static bool shape_ok(const char *e)
{
    const char *p = e;
    int n;
    if (*p == '(') {
        p++;
        if (!terms(&p, " AND ", &n) || strncmp(p, ") NOT (", 7) != 0)
            return false;
        p += 7;
        if (!terms(&p, " OR ", &n) || strcmp(p, ")") != 0)
            return false;
        return true;
    }
    return terms(&p, " AND ", &n) && *p == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *q = fd_xstrndup((const char *)data, size);
    struct fd_search_expr e;
    const char *why = NULL;
    int rc = fd_search_translate(q, &e, &why);
    bool as_served = strlen(q) == size && fd_valid_utf8(q, size, false);
    if (rc != 0) {
        if (!why || !*why || e.match || e.n_terms)
            fail("a refused query has no reason, or left a translation behind", q, e.match);
        goto out;
    }
    if (!e.match)
        fail("a translated query has no expression", q, NULL);
    if (!as_served)
        goto out_clear;
    if (!shape_ok(e.match))
        fail("the expression is not only quoted words joined by our own operators", q, e.match);
    if (e.n_terms < 1 || e.n_terms > FD_SEARCH_MAX_TERMS)
        fail("the number of terms is out of range", q, e.match);
    for (int i = 0; i < e.n_terms; i++) {
        const char *t = e.terms[i];
        if (!term(&t) || *t != '\0')
            fail("a term is not one quoted string", q, e.terms[i]);
        if (!strstr(e.match, e.terms[i]))
            fail("a term is not part of the expression", q, e.terms[i]);
    }
    const char *err = run(q_match, e.match);
    if (!err)
        err = run(q_snippet, e.match);
    if (err)
        fail(err, q, e.match);
    for (int i = 0; i < e.n_terms; i++)
        if ((err = run(q_match, e.terms[i])) != NULL)
            fail(err, q, e.terms[i]);
out_clear:
    fd_search_expr_clear(&e);
out:
    free(q);
    return 0;
}
