/* libFuzzer harness: Markdown rendering (markdown.c) with the HTML policy checked on its output, the
 * link policy fd_markdown_url_allowed against the way a browser reads a URL, and the escapers of
 * escape.c that the HTML, Atom and CSV outputs rely on.
 *
 * Input: a post body, as bytes (production renders only UTF-8 without NUL; other bytes are
 * rendered all the same, since cmark validates its input).
 *
 * The policy, checked by a small HTML tokenizer written here rather than by string search:
 * - markup is only the tags cmark writes for CommonMark (p, blockquote, ul, ol, li, pre, code,
 *   h1-h6, hr, br, em, strong) and our own <a>; no <script>, no <img> (images become links), no
 *   other tag, no comment but cmark's "raw HTML omitted" marker, and no stray '<';
 * - attributes are only a href/title/rel, ol start and code class: never an on* handler, style or src;
 * - every href, read as a browser reads it (entities decoded, leading controls and spaces stripped,
 *   tabs and newlines removed anywhere), is relative or http, https or mailto; every <a> has
 *   rel="nofollow ugc noopener"; anchors never nest;
 * - an attribute value holds only the entities our escapers write, and the output of UTF-8 input
 *   is UTF-8.
 * fd_markdown_url_allowed(input) must never accept a URL the browser-style reading finds a
 * dangerous scheme in. Each escaper's output must decode back to its input (for XML, less the
 * characters it documents dropping) and contain nothing that could end its context. */
#include <ctype.h>
#include "forumd/markdown.h"
#include "forumd/escape.h"
#include "forumd/valid.h"

static const char *current_input;

static void fail(const char *what, const char *near) __attribute__((noreturn));

static void fail(const char *what, const char *near)
{
    fprintf(stderr, "fuzz_markdown: %s\n  near: %.200s\n  input: %.300s\n", what, near ? near : "",
            current_input ? current_input : "");
    abort();
}

/* ---- entity decoding of what our escapers (and cmark's) write ---- */

static const struct {
    const char *ent;
    char c;
} entities[] = { { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&#39;", '\'' },
                 { "&apos;", '\'' } };

/* Decodes v[0..n) into a new string; NULL if it holds a '&' that is not one of the entities above
 * (our escapers write nothing else, and a browser would decode more than we check). */
static char *decode(const char *v, size_t n)
{
    char *out = fd_xmalloc(n + 1), *o = out;
    for (size_t i = 0; i < n;) {
        if (v[i] != '&') {
            *o++ = v[i++];
            continue;
        }
        size_t k = 0;
        while (k < FD_ARRAY_LEN(entities) && !(i + strlen(entities[k].ent) <= n &&
                                               !memcmp(v + i, entities[k].ent, strlen(entities[k].ent))))
            k++;
        if (k == FD_ARRAY_LEN(entities)) {
            free(out);
            return NULL;
        }
        *o++ = entities[k].c;
        i += strlen(entities[k].ent);
    }
    *o = '\0';
    return out;
}

/* ---- a URL as a browser reads its scheme (WHATWG URL: scheme start / scheme state) ---- */

/* The scheme of url, lower-cased, into scheme (cap bytes); "" if the URL is relative. */
static void browser_scheme(const char *url, char *scheme, size_t cap)
{
    const unsigned char *p = (const unsigned char *)url;
    size_t n = 0;
    scheme[0] = '\0';
    while (*p && *p <= 0x20)
        p++;
    bool first = true;
    for (; *p; p++) {
        if (*p == '\t' || *p == '\n' || *p == '\r')
            continue;
        if (*p == ':')
            break;
        bool ok = first ? isalpha(*p) : (isalnum(*p) || *p == '+' || *p == '-' || *p == '.');
        if (!ok || *p >= 0x80) {
            scheme[0] = '\0'; /* not a scheme: relative */
            return;
        }
        first = false;
        if (n + 1 < cap)
            scheme[n++] = (char)tolower(*p);
    }
    scheme[*p == ':' ? n : 0] = '\0';
}

static bool scheme_allowed(const char *url)
{
    char scheme[64];
    browser_scheme(url, scheme, sizeof scheme);
    return !*scheme || !strcmp(scheme, "http") || !strcmp(scheme, "https") || !strcmp(scheme, "mailto");
}

/* ---- the HTML policy ---- */

static const char *const tags[] = { "p",  "blockquote", "ul", "ol", "li", "pre", "code", "h1", "h2",
                                    "h3", "h4",         "h5", "h6", "hr", "br",  "em",   "strong", "a" };

static bool known_tag(const char *name, size_t n)
{
    for (size_t i = 0; i < FD_ARRAY_LEN(tags); i++)
        if (strlen(tags[i]) == n && !memcmp(tags[i], name, n))
            return true;
    return false;
}

static bool attr_allowed(const char *tag, size_t tn, const char *name, size_t an)
{
#define IS(s, str, len) ((len) == strlen(str) && !memcmp((s), (str), (len)))
    if (IS(tag, "a", tn))
        return IS(name, "href", an) || IS(name, "title", an) || IS(name, "rel", an);
    if (IS(tag, "ol", tn))
        return IS(name, "start", an);
    if (IS(tag, "code", tn))
        return IS(name, "class", an);
    return false;
#undef IS
}

static void check_html(const char *html)
{
    static const char omitted[] = "<!-- raw HTML omitted -->";
    int anchors = 0;
    for (const char *p = html; *p; p++)
        if (!strncasecmp(p, "<script", 7))
            fail("<script in the output", p);
    for (const char *p = html; (p = strchr(p, '<')) != NULL;) {
        const char *tag_start = p;
        if (!strncmp(p, omitted, sizeof omitted - 1)) {
            p += sizeof omitted - 1;
            continue;
        }
        p++;
        bool closing = *p == '/';
        p += closing;
        const char *name = p;
        while (islower((unsigned char)*p) || isdigit((unsigned char)*p))
            p++;
        size_t nlen = (size_t)(p - name);
        if (!nlen || !known_tag(name, nlen))
            fail("markup that is not on the allow-list (or a stray '<')", tag_start);
        bool is_a = nlen == 1 && *name == 'a';
        bool has_href = false, has_rel = false;
        while (!closing && *p == ' ') {
            p++;
            if (*p == '/')
                break;
            const char *an = p;
            while (islower((unsigned char)*p))
                p++;
            size_t alen = (size_t)(p - an);
            if (alen >= 2 && (an[0] == 'o' || an[0] == 'O') && (an[1] == 'n' || an[1] == 'N'))
                fail("an on* event handler attribute", tag_start);
            if (!alen || !attr_allowed(name, nlen, an, alen))
                fail("an attribute that is not on the allow-list", tag_start);
            if (*p++ != '=' || *p++ != '"')
                fail("an attribute without a double-quoted value", tag_start);
            const char *v = p;
            while (*p && *p != '"' && *p != '<' && *p != '>')
                p++;
            if (*p != '"')
                fail("an attribute value that is not closed, or holds '<' or '>'", tag_start);
            char *value = decode(v, (size_t)(p - v));
            if (!value)
                fail("an attribute value holds an entity our escapers do not write", tag_start);
            p++;
            if (alen == 4 && !memcmp(an, "href", 4)) {
                has_href = true;
                if (!*value)
                    fail("an empty href", tag_start);
                if (!scheme_allowed(value))
                    fail("an href with a scheme other than http, https or mailto", tag_start);
                if (!fd_markdown_url_allowed(value))
                    fail("an href that the link policy itself refuses", tag_start);
            } else if (alen == 3 && !memcmp(an, "rel", 3)) {
                has_rel = true;
                if (strcmp(value, "nofollow ugc noopener") != 0)
                    fail("a link without rel=\"nofollow ugc noopener\"", tag_start);
            } else if (alen == 5 && !memcmp(an, "start", 5)) {
                for (const char *d = value; *d; d++)
                    if (!isdigit((unsigned char)*d))
                        fail("an ol start that is not a number", tag_start);
            }
            free(value);
        }
        if (*p == '/')
            p++;
        if (*p != '>')
            fail("a tag that does not end where it should", tag_start);
        p++;
        if (is_a) {
            if (closing) {
                if (--anchors < 0)
                    fail("</a> without <a>", tag_start);
            } else {
                if (!has_href || !has_rel)
                    fail("<a> without href or rel", tag_start);
                if (++anchors > 1)
                    fail("nested anchors", tag_start);
            }
        }
    }
}

/* ---- the escapers ---- */

static void check_escapers(const char *s)
{
    size_t len = strlen(s);

    char *t = fd_esc_html_text_dup(s), *d;
    if (strpbrk(t, "<>") || !(d = decode(t, strlen(t))) || strcmp(d, s) != 0)
        fail("fd_esc_html_text_dup: markup left, or does not decode back", t);
    free(d);
    free(t);

    t = fd_esc_html_attr_dup(s);
    if (strpbrk(t, "<>\"'") || !(d = decode(t, strlen(t))) || strcmp(d, s) != 0)
        fail("fd_esc_html_attr_dup: quote or markup left, or does not decode back", t);
    free(d);
    free(t);

    /* marked: <mark> and </mark> alternate, balanced; the rest decodes to s without 0x02/0x03 */
    t = fd_esc_html_marked_dup(s);
    char *plain = fd_xmalloc(strlen(t) + 1), *o = plain;
    bool open = false;
    for (const char *p = t; *p;) {
        if (!strncmp(p, "<mark>", 6)) {
            if (open)
                fail("fd_esc_html_marked_dup: nested <mark>", t);
            open = true;
            p += 6;
        } else if (!strncmp(p, "</mark>", 7)) {
            if (!open)
                fail("fd_esc_html_marked_dup: </mark> without <mark>", t);
            open = false;
            p += 7;
        } else if (*p == '<' || *p == '>' || *p == 2 || *p == 3) {
            fail("fd_esc_html_marked_dup: markup or a mark byte left", t);
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    if (open)
        fail("fd_esc_html_marked_dup: <mark> left open", t);
    char *want = fd_xmalloc(len + 1);
    o = want;
    for (const char *p = s; *p; p++)
        if (*p != 2 && *p != 3)
            *o++ = *p;
    *o = '\0';
    if (!(d = decode(plain, strlen(plain))) || strcmp(d, want) != 0)
        fail("fd_esc_html_marked_dup does not decode back", t);
    free(d);
    free(plain);
    free(t);

    /* XML: always UTF-8 of allowed characters; for UTF-8 input, its allowed characters back */
    t = fd_esc_xml_dup(s);
    if (strpbrk(t, "<>\"'") || !fd_valid_utf8(t, strlen(t), false))
        fail("fd_esc_xml_dup: markup or quote left, or not UTF-8", t);
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f)
            fail("fd_esc_xml_dup: a control character left", t);
        if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            fail("fd_esc_xml_dup: a C1 control left", t);
        if (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf))
            fail("fd_esc_xml_dup: U+FFFE or U+FFFF left", t);
    }
    if (fd_valid_utf8(s, len, false)) {
        o = want;
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
            bool drop = (*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f ||
                        (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) ||
                        (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf));
            if (drop) {
                p += (*p >= 0xc0) + (*p >= 0xe0); /* skip the rest of the sequence */
                continue;
            }
            *o++ = (char)*p;
        }
        *o = '\0';
        if (!(d = decode(t, strlen(t))) || strcmp(d, want) != 0)
            fail("fd_esc_xml_dup does not decode back to the allowed characters", t);
        free(d);
    }
    free(t);

    /* CSV (RFC 4180): quoted exactly when needed, quotes doubled; reads back as s */
    t = fd_esc_csv_dup(s);
    if (fd_esc_csv(s, NULL) != strlen(t))
        fail("fd_esc_csv measures another length than it writes", t);
    bool needs = strpbrk(s, "\",\r\n") != NULL;
    size_t tl = strlen(t);
    o = want;
    if (needs) {
        if (tl < 2 || t[0] != '"' || t[tl - 1] != '"')
            fail("fd_esc_csv: a field that needs quotes is not quoted", t);
        for (size_t i = 1; i + 1 < tl; i++) {
            if (t[i] == '"') {
                if (t[i + 1] != '"' || i + 2 >= tl)
                    fail("fd_esc_csv: a quote inside is not doubled", t);
                i++;
            }
            *o++ = t[i];
        }
        *o = '\0';
    } else {
        memcpy(want, t, tl + 1);
    }
    if (strcmp(want, s) != 0)
        fail("fd_esc_csv does not read back as its input", t);
    free(t);
    free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    char *src = fd_xstrndup((const char *)data, size); /* NUL-terminated; may hold NULs inside */
    current_input = src;

    char *html = fd_markdown_render(src, size);
    if (!html)
        fail("fd_markdown_render returned NULL", NULL);
    if (fd_valid_utf8(src, size, false) && !fd_valid_utf8(html, strlen(html), false))
        fail("UTF-8 input rendered to output that is not UTF-8", html);
    check_html(html);
    free(html);

    /* the link policy on the input as a URL (up to its first NUL) */
    if (fd_markdown_url_allowed(src) && !scheme_allowed(src))
        fail("fd_markdown_url_allowed accepts a URL whose scheme a browser reads as dangerous", src);

    check_escapers(src);
    current_input = NULL;
    free(src);
    return 0;
}
