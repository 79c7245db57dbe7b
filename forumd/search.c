/* Search query translation; see search.h for the rules a user sees. */
#include "forumd/search.h"

struct expr {
    char *buf;
    size_t len, cap;
    int terms, positive;
};

static void put(struct expr *e, const char *s, size_t n)
{
    if (e->len + n + 1 > e->cap) {
        e->cap = (e->len + n + 1) * 2;
        e->buf = fd_xrealloc(e->buf, e->cap);
    }
    memcpy(e->buf + e->len, s, n);
    e->len += n;
    e->buf[e->len] = '\0';
}

/* The length of the UTF-8 sequence at s (1 for a stray byte), and its code point in *cp. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80 || (s[0] & 0xe0) == 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t n = (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : 4;
    uint32_t c = s[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *cp = s[0];
            return 1;
        }
        c = (c << 6) | (s[i] & 0x3f);
    }
    *cp = c;
    return n;
}

/* Whether code point c can be part of a word. ASCII: letters and digits. Beyond ASCII, everything
 * but the punctuation and spaces people type around words (« » „ “ – — … and the like), which
 * the tokenizer would drop anyway, leaving an empty phrase that matches nothing. */
static bool word_char(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    return !((c >= 0x80 && c <= 0xbf) || c == 0xd7 || c == 0xf7 || (c >= 0x2000 && c <= 0x206f) ||
             (c >= 0x3000 && c <= 0x303f) || c == 0xfeff);
}

/* Appends the words of s[0..n) as one quoted FTS5 string ("a b" is a phrase); false if s holds no
 * word character at all. */
static bool put_phrase(struct expr *e, const char *s, size_t n)
{
    size_t start = e->len;
    bool any = false, gap = false;
    put(e, "\"", 1);
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t k = utf8_next((const unsigned char *)s + i, &c);
        if (i + k > n)
            k = n - i;
        if (word_char(c)) {
            if (gap && any)
                put(e, " ", 1);
            put(e, s + i, k);
            any = true;
            gap = false;
        } else {
            gap = true;
        }
        i += k;
    }
    if (!any) {
        e->len = start;
        e->buf[start] = '\0';
        return false;
    }
    put(e, "\"", 1);
    return true;
}

/* One term: a phrase, or a word with its optional leading '-' and trailing '*'. A term to look for
 * is also kept on its own in out (the first FD_SEARCH_MAX_TERMS of them). */
static void add_term(struct expr *e, struct expr *neg, struct fd_search_expr *out, const char *s, size_t n,
                     bool quoted)
{
    bool exclude = false, prefix = false;
    if (!quoted && n > 1 && s[0] == '-') {
        exclude = true;
        s++;
        n--;
    }
    if (!quoted && n > 3 && s[n - 1] == '*') {
        prefix = true;
        n--;
    }
    struct expr *into = exclude ? neg : e;
    size_t mark = into->len;
    if (into->len)
        put(into, exclude ? " OR " : " AND ", exclude ? 4 : 5);
    if (!put_phrase(into, s, n)) {
        into->len = mark;
        if (into->buf)
            into->buf[mark] = '\0';
        return;
    }
    if (prefix)
        put(into, " *", 2);
    e->terms++;
    if (!exclude && out->n_terms < FD_SEARCH_MAX_TERMS) {
        size_t from = mark + (mark ? 5 : 0); /* after " AND " */
        out->terms[out->n_terms++] = fd_xstrndup(into->buf + from, into->len - from);
    }
    if (!exclude)
        e->positive++;
}

void fd_search_expr_clear(struct fd_search_expr *e)
{
    free(e->match);
    for (int i = 0; i < e->n_terms; i++)
        free(e->terms[i]);
    memset(e, 0, sizeof *e);
}

int fd_search_translate(const char *q, struct fd_search_expr *out, const char **why)
{
    struct expr pos = { 0 }, neg = { 0 };
    memset(out, 0, sizeof *out);
    for (const char *p = q; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        const char *end;
        bool quoted = *p == '"';
        if (quoted) {
            p++;
            end = strchr(p, '"');
            if (!end)
                end = p + strlen(p);
        } else {
            end = p + strcspn(p, " \t\r\n\"");
        }
        add_term(&pos, &neg, out, p, (size_t)(end - p), quoted);
        p = (quoted && *end == '"') ? end + 1 : end;
    }
    int terms = pos.terms;
    bool positive = pos.positive > 0;
    if (terms > FD_SEARCH_MAX_TERMS || !positive) {
        *why = terms > FD_SEARCH_MAX_TERMS ? "Search for at most 12 words or phrases."
               : terms                     ? "Say what to look for, not only which words to leave out."
                                           : "Type at least one word to search for.";
        free(pos.buf);
        free(neg.buf);
        fd_search_expr_clear(out);
        return -1;
    }
    if (neg.len) {
        struct expr all = { 0 };
        put(&all, "(", 1);
        put(&all, pos.buf, pos.len);
        put(&all, ") NOT (", 7);
        put(&all, neg.buf, neg.len);
        put(&all, ")", 1);
        free(pos.buf);
        pos = all;
    }
    free(neg.buf);
    out->match = pos.buf;
    return 0;
}
