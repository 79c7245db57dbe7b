/* Unit tests of markdown.c: user Markdown must never become script, whatever the vector; the link
 * policy (http, https, mailto, relative) and the rel attribute; images become links. */
#include <ctype.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "forumd/markdown.h"

static char *render(const char *src)
{
    return fd_markdown_render(src, strlen(src));
}

/* ---- an independent checker of the produced HTML ---- */

static bool has_prefix_ci(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool contains_ci(const char *s, const char *needle)
{
    for (; *s; s++)
        if (has_prefix_ci(s, needle))
            return true;
    return false;
}

/* Decodes the entities a browser would decode in an attribute value (the ones we emit and numeric
 * ones) into out. */
static void decode_entities(const char *v, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 4 < cap;) {
        if (v[i] == '&') {
            static const struct {
                const char *name;
                char c;
            } named[] = {
                { "&amp;", '&' },   { "&lt;", '<' },   { "&gt;", '>' },       { "&quot;", '"' },
                { "&apos;", '\'' }, { "&Tab;", '\t' }, { "&NewLine;", '\n' }, { "&colon;", ':' },
            };
            bool done = false;
            for (size_t k = 0; k < FD_ARRAY_LEN(named) && !done; k++) {
                size_t l = strlen(named[k].name);
                if (i + l <= n && !strncmp(v + i, named[k].name, l)) {
                    out[o++] = named[k].c;
                    i += l;
                    done = true;
                }
            }
            if (!done && i + 2 < n && v[i + 1] == '#') {
                size_t j = i + 2;
                bool hex = v[j] == 'x' || v[j] == 'X';
                j += hex;
                unsigned long cp = strtoul(v + j, NULL, hex ? 16 : 10);
                while (j < n && isxdigit((unsigned char)v[j]))
                    j++;
                if (j < n && v[j] == ';')
                    j++;
                out[o++] = cp < 0x80 ? (char)cp : '?';
                i = j;
                done = true;
            }
            if (done)
                continue;
        }
        out[o++] = v[i++];
    }
    out[o] = '\0';
}

/* True if a browser would run or load something other than http, https, mailto or a relative URL. */
static bool url_is_safe(const char *decoded)
{
    const unsigned char *p = (const unsigned char *)decoded;
    while (*p && *p <= 0x20) /* leading C0 controls and spaces are stripped */
        p++;
    char scheme[32];
    size_t n = 0;
    if (!isalpha(*p))
        return true; /* no scheme */
    for (; *p; p++) {
        if (*p == '\t' || *p == '\n' || *p == '\r') /* removed anywhere */
            continue;
        if (*p == ':')
            break;
        if (!isalnum(*p) && *p != '+' && *p != '-' && *p != '.')
            return true;
        if (n + 1 >= sizeof scheme)
            return false;
        scheme[n++] = (char)tolower(*p);
    }
    if (*p != ':')
        return true;
    scheme[n] = '\0';
    return !strcmp(scheme, "http") || !strcmp(scheme, "https") || !strcmp(scheme, "mailto");
}

static const char *const allowed_tags[] = { "p",          "a",  "strong", "em", "code", "pre",
                                            "blockquote", "ul", "ol",     "li", "h1",   "h2",
                                            "h3",         "h4", "h5",     "h6", "hr",   "br" };
static const char *const allowed_attrs[] = { "href", "title", "rel", "class", "start" };

static bool in_list(const char *const *list, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && !strncasecmp(list[i], s, len))
            return true;
    return false;
}

/* Walks every tag of html; returns NULL if all are harmless, else a reason written into why. */
#define PROBLEM(...) (snprintf(why, whylen, __VA_ARGS__), why)
static const char *html_problem(const char *html, char *why, size_t whylen)
{
    if (contains_ci(html, "<script"))
        return PROBLEM("a script");
    const char *p = html;
    while ((p = strchr(p, '<')) != NULL) {
        if (!strncmp(p, "<!--", 4)) {
            const char *end = strstr(p, "-->");
            if (!end)
                return PROBLEM("an unterminated comment");
            p = end + 3;
            continue;
        }
        p++;
        if (*p == '/')
            p++;
        const char *name = p;
        while (isalnum((unsigned char)*p))
            p++;
        if (p == name)
            return PROBLEM("a raw '<' that starts no tag");
        if (!in_list(allowed_tags, FD_ARRAY_LEN(allowed_tags), name, (size_t)(p - name)))
            return PROBLEM("the tag <%.*s>", (int)(p - name), name);
        bool is_a = p - name == 1 && (*name == 'a' || *name == 'A');
        for (;;) {
            while (*p == ' ' || *p == '\t' || *p == '\n')
                p++;
            if (*p == '>' || (p[0] == '/' && p[1] == '>'))
                break;
            if (*p == '\0')
                return PROBLEM("an unterminated tag");
            const char *an = p;
            while (*p && !strchr(" \t\n=>/\"'", *p))
                p++;
            size_t alen = (size_t)(p - an);
            if (alen == 0)
                return PROBLEM("a stray '%c' inside a tag", *p);
            if (alen >= 2 && !strncasecmp(an, "on", 2))
                return PROBLEM("the event handler %.*s", (int)alen, an);
            if (!in_list(allowed_attrs, FD_ARRAY_LEN(allowed_attrs), an, alen))
                return PROBLEM("the attribute %.*s", (int)alen, an);
            if (*p != '=')
                return PROBLEM("the attribute %.*s without a value", (int)alen, an);
            if (*++p != '"')
                return PROBLEM("the unquoted attribute %.*s", (int)alen, an);
            const char *v = ++p;
            const char *close = strchr(v, '"');
            if (!close)
                return PROBLEM("an unterminated attribute value");
            p = close + 1;
            /* A value that was broken out of leaves something glued to its closing quote. */
            if (*p != ' ' && *p != '>' && *p != '/')
                return PROBLEM("the attribute %.*s broken out of", (int)alen, an);
            if (memchr(v, '<', (size_t)(close - v)))
                return PROBLEM("a raw '<' in an attribute");
            if (alen == 4 && !strncasecmp(an, "href", 4)) {
                char decoded[1024];
                if (!is_a)
                    return PROBLEM("an href outside <a>");
                decode_entities(v, (size_t)(close - v), decoded, sizeof decoded);
                if (!url_is_safe(decoded))
                    return PROBLEM("the link target '%.100s'", decoded);
            }
            if (alen == 3 && !strncasecmp(an, "rel", 3) && strncmp(v, "nofollow ugc noopener\"", 22) != 0)
                return PROBLEM("rel=\"%.*s\"", (int)(close - v), v);
        }
    }
    return NULL;
}

static void assert_safe_html(const char *html, const char *src)
{
    char why[256];
    const char *problem = html_problem(html, why, sizeof why);
    cr_assert_null(problem, "'%s' gave %s: %s", src, problem, html);
}

/* The checker itself must catch what it is meant to catch. */
Test(markdown_checker, recognises_unsafe_urls)
{
    cr_assert_not(url_is_safe("javascript:alert(1)"));
    cr_assert_not(url_is_safe(" \x01java\tscript:alert(1)"));
    cr_assert_not(url_is_safe("DATA:text/html,x"));
    cr_assert(url_is_safe("https://a.eu/x"));
    cr_assert(url_is_safe("/x:y"));
    cr_assert(url_is_safe("%6Aavascript:alert(1)"));
    char out[64];
    decode_entities("&#106;ava&#x73;cript&colon;x", 28, out, sizeof out);
    cr_assert_str_eq(out, "javascript:x");
}

struct checker_case {
    char html[96];
    bool safe;
};

static const struct checker_case checker_cases[] = {
    { "<p><a href=\"https://a.eu\" rel=\"nofollow ugc noopener\">x</a> &lt;script&gt;</p>\n", true },
    { "<!-- raw HTML omitted --><p>x</p>", true },
    { "<pre><code class=\"language-js\">x</code></pre>", true },
    { "<p><ScRiPt>x</p>", false },
    { "<img src=\"x\">", false },
    { "<p onclick=\"x\">", false },
    { "<a href=\"x\" rel=\"nofollow ugc noopener\" title=\"\" onmouseover=\"x\">", false },
    { "<a href=\"x\"onmouseover=\"x\">", false },
    { "<a href=\"&#106;avascript:x\">", false },
    { "<a href=\" java&#9;script:x\">", false },
    { "<a href=x>", false },
    { "<a rel=\"nofollow\">", false },
    { "a < b", false },
};

ParameterizedTestParameters(markdown_checker, table)
{
    return cr_make_param_array(struct checker_case, checker_cases, FD_ARRAY_LEN(checker_cases));
}

ParameterizedTest(const struct checker_case *c, markdown_checker, table)
{
    char why[256];
    const char *problem = html_problem(c->html, why, sizeof why);
    cr_assert_eq(problem == NULL, c->safe, "%s: %s", c->html, problem ? problem : "judged safe");
}

/* ---- XSS vectors ---- */

struct vector {
    char name[40];
    char src[200];
};

static const struct vector vectors[] = {
    { "script block", "<script>alert(1)</script>" },
    { "script inline", "hello <script>alert(1)</script> world" },
    { "script uppercase", "<SCRIPT SRC=//x.eu/x.js></SCRIPT>" },
    { "script split by newline", "a\n<script\n>alert(1)</script>" },
    { "img onerror", "<img src=x onerror=alert(1)>" },
    { "img onerror inline", "text <img src=x onerror=alert(1)> text" },
    { "svg onload", "<svg onload=alert(1)>" },
    { "svg inline", "a <svg/onload=alert(1)> b" },
    { "iframe", "<iframe src=\"javascript:alert(1)\"></iframe>" },
    { "object", "<object data=\"javascript:alert(1)\"></object>" },
    { "raw a href javascript", "<a href=\"javascript:alert(1)\">x</a>" },
    { "raw a onclick", "<a href=\"https://a.eu\" onclick=\"alert(1)\">x</a>" },
    { "details ontoggle", "<details open ontoggle=alert(1)>" },
    { "style url", "<div style=\"background:url(javascript:alert(1))\">x</div>" },
    { "math xlink", "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>" },
    { "html comment breakout", "<!-- --><script>alert(1)</script> -->" },
    { "cdata", "<![CDATA[<script>alert(1)</script>]]>" },
    { "javascript link", "[x](javascript:alert(1))" },
    { "javascript link with title", "[x](javascript:alert(1) \"t\")" },
    { "mixed case", "[x](JaVaScRiPt:alert(1))" },
    { "tab inside, pointy", "[x](<java\tscript:alert(1)>)" },
    { "tab inside, entity", "[x](java&#9;script:alert(1))" },
    { "newline inside, entity", "[x](java&#10;script:alert(1))" },
    { "CR inside, entity", "[x](java&#13;script:alert(1))" },
    { "leading spaces", "[x](  javascript:alert(1))" },
    { "leading spaces pointy", "[x](<  javascript:alert(1)>)" },
    { "leading entity space", "[x](&#32;javascript:alert(1))" },
    { "leading control entity", "[x](&#1;javascript:alert(1))" },
    { "entity j decimal", "[x](&#106;avascript:alert(1))" },
    { "entity j hex", "[x](&#x6A;avascript:alert(1))" },
    { "entity j padded", "[x](&#0000106;avascript:alert(1))" },
    { "entity colon", "[x](javascript&#58;alert(1))" },
    { "named entity colon", "[x](javascript&colon;alert(1))" },
    { "percent-encoded j", "[x](%6Aavascript:alert(1))" },
    { "backslash", "[x](\\javascript:alert(1))" },
    { "vbscript", "[x](vbscript:msgbox(1))" },
    { "data html", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)" },
    { "data uppercase", "[x](DATA:text/html,<script>alert(1)</script>)" },
    { "file", "[x](file:///etc/passwd)" },
    { "javascript comment", "[x](javascript://%0Aalert(1))" },
    { "autolink javascript", "<javascript:alert(1)>" },
    { "autolink JAVASCRIPT", "<JAVASCRIPT:alert(1)>" },
    { "autolink vbscript", "<vbscript:msgbox(1)>" },
    { "autolink data", "<data:text/html,x>" },
    { "autolink quote breakout", "<https://a.eu/\"onmouseover=\"alert(1)>" },
    { "reference javascript", "[x][r]\n\n[r]: javascript:alert(1)" },
    { "reference pointy title", "[x][r]\n\n[r]: <javascript:alert(1)> \"t\"" },
    { "reference collapsed", "[r][]\n\n[r]: JAVASCRIPT:alert(1)" },
    { "reference shortcut", "[r]\n\n[r]: data:text/html,x" },
    { "image javascript", "![a](javascript:alert(1))" },
    { "image data", "![a](data:image/svg+xml;base64,PHN2Zz4=)" },
    { "image onerror title", "![a](https://a.eu/i.png \"\\\" onerror=\\\"alert(1)\")" },
    { "title double quote", "[a](http://x \"\\\" onmouseover=\\\"x\")" },
    { "title single quoted", "[a](http://x 'a\" onmouseover=\"x')" },
    { "title parenthesised", "[a](http://x (\"onmouseover=\"x))" },
    { "title with tag", "[a](http://x \"<script>alert(1)</script>\")" },
    { "url quote breakout", "[x](https://a.eu/\"onmouseover=\"alert(1))" },
    { "url quote and space pointy", "[a](<http://x\" onmouseover=\"alert(1)>)" },
    { "url single quote", "[x](https://a.eu/'onmouseover='alert(1))" },
    { "url angle brackets", "[x](https://a.eu/\\<script\\>)" },
    { "mailto breakout", "[x](mailto:a@b.eu\"onmouseover=\"alert(1))" },
    { "script in link text", "[<script>alert(1)</script>](https://a.eu)" },
    { "image in link javascript", "[![a](javascript:alert(1))](javascript:alert(2))" },
    { "link in image alt", "![[x](javascript:alert(1))](https://a.eu/i.png)" },
    { "code span", "`<script>alert(1)</script>`" },
    { "code block", "```html\n<script>alert(1)</script>\n```" },
    { "fence info breakout", "```\" onmouseover=\"alert(1)\nx\n```" },
    { "heading", "# <img src=x onerror=alert(1)>" },
    { "list", "- <svg onload=alert(1)>\n- [x](javascript:alert(1))" },
    { "ordered list start", "7. x\n8. y" },
    { "blockquote", "> <iframe src=//x.eu>" },
};

ParameterizedTestParameters(markdown_xss, vectors)
{
    return cr_make_param_array(struct vector, vectors, FD_ARRAY_LEN(vectors));
}

ParameterizedTest(const struct vector *v, markdown_xss, vectors)
{
    char *html = render(v->src);
    cr_assert_not_null(html);
    assert_safe_html(html, v->src);
    free(html);
}

Test(markdown_xss, title_quotes_stay_inside_the_attribute)
{
    char *html = render("[a](http://x \"\\\" onmouseover=\\\"x\")");
    cr_assert_not_null(strstr(html, "title=\"&quot; onmouseover=&quot;x\""), "%s", html);
    free(html);
}

Test(markdown_xss, refused_links_keep_their_text)
{
    char *html = render("[click me](javascript:alert(1))");
    cr_assert_not_null(strstr(html, "click me"), "%s", html);
    cr_assert_null(strstr(html, "<a"), "%s", html);
    free(html);
}

/* Found by fuzz_markdown: CommonMark allows a link inside an image's description, and the image
 * becomes a link too, so the two anchors nested. The inner one now keeps only its text. */
Test(markdown_xss, link_inside_an_image_does_not_nest_anchors)
{
    char *html = render("![[a](http://b.eu)](http://c.eu)");
    const char *first = strstr(html, "<a ");
    cr_assert_not_null(first, "%s", html);
    cr_assert_null(strstr(first + 1, "<a "), "nested anchors: %s", html);
    cr_assert_not_null(strstr(html, "href=\"http://c.eu\""), "%s", html);
    free(html);
}

/* ---- what users expect to work ---- */

Test(markdown, bold_and_emphasis)
{
    char *html = render("**bold** and *it*");
    cr_assert_str_eq(html, "<p><strong>bold</strong> and <em>it</em></p>\n");
    free(html);
}

Test(markdown, https_link_is_kept_with_rel)
{
    char *html = render("[EU](https://europa.eu/x?a=1&b=2)");
    cr_assert_str_eq(
        html, "<p><a href=\"https://europa.eu/x?a=1&amp;b=2\" rel=\"nofollow ugc noopener\">EU</a></p>\n");
    free(html);
}

Test(markdown, http_link_and_autolink_are_kept)
{
    char *html = render("<http://example.eu/a>");
    cr_assert_str_eq(
        html,
        "<p><a href=\"http://example.eu/a\" rel=\"nofollow ugc noopener\">http://example.eu/a</a></p>\n");
    free(html);
}

Test(markdown, mailto_is_kept)
{
    char *html = render("[write](mailto:home@ec.europa.eu)");
    cr_assert_not_null(
        strstr(html, "<a href=\"mailto:home@ec.europa.eu\" rel=\"nofollow ugc noopener\">write</a>"), "%s",
        html);
    free(html);
}

Test(markdown, email_autolink_becomes_mailto)
{
    char *html = render("<home@ec.europa.eu>");
    cr_assert_not_null(strstr(html, "href=\"mailto:home@ec.europa.eu\""), "%s", html);
    free(html);
}

Test(markdown, relative_links_are_kept)
{
    char *html = render("[thread](/threads/12) [here](#top) [q](?page=2) [rel](docs/a.html)");
    cr_assert_not_null(strstr(html, "<a href=\"/threads/12\" rel=\"nofollow ugc noopener\">thread</a>"), "%s",
                       html);
    cr_assert_not_null(strstr(html, "<a href=\"#top\""), "%s", html);
    cr_assert_not_null(strstr(html, "<a href=\"?page=2\""), "%s", html);
    cr_assert_not_null(strstr(html, "<a href=\"docs/a.html\""), "%s", html);
    free(html);
}

Test(markdown, link_title_is_kept_escaped)
{
    char *html = render("[a](https://a.eu \"Say \\\"hi\\\" & <bye>\")");
    cr_assert_not_null(strstr(html, "title=\"Say &quot;hi&quot; &amp; &lt;bye&gt;\""), "%s", html);
    free(html);
}

Test(markdown, image_becomes_a_link_to_its_source)
{
    char *html = render("![the map](https://a.eu/map.png)");
    cr_assert_null(strstr(html, "<img"), "%s", html);
    cr_assert_str_eq(html,
                     "<p><a href=\"https://a.eu/map.png\" rel=\"nofollow ugc noopener\">the map</a></p>\n");
    free(html);
}

Test(markdown, refused_image_keeps_its_alt_text)
{
    char *html = render("![alt text](javascript:alert(1))");
    cr_assert_null(strstr(html, "<img"), "%s", html);
    cr_assert_null(strstr(html, "<a"), "%s", html);
    cr_assert_not_null(strstr(html, "alt text"), "%s", html);
    free(html);
}

Test(markdown, linked_image_does_not_nest_anchors)
{
    /* The common badge form [![img](src)](target): an <a> inside an <a> is invalid HTML, and a browser's
     * parser closes the outer link when the inner one opens, so the outer target is lost. */
    char *html = render("[![badge](https://a.eu/b.png)](https://a.eu/target)");
    cr_assert_null(strstr(html, "<img"), "%s", html);
    cr_assert_not_null(strstr(html, "https://a.eu/target"), "%s", html);
    const char *first = strstr(html, "<a ");
    cr_expect(first && (!strstr(first + 1, "<a ") || strstr(first, "</a>") < strstr(first + 1, "<a ")),
              "nested anchors: %s", html);
    free(html);
}

Test(markdown, raw_html_is_not_passed_through)
{
    char *html = render("<b>bold</b> <em>x</em>");
    cr_assert_null(strstr(html, "<b>"), "%s", html);
    cr_assert_null(strstr(html, "<em>"), "%s", html);
    cr_assert_not_null(strstr(html, "bold"), "%s", html);
    free(html);
}

Test(markdown, text_is_escaped)
{
    char *html = render("1 < 2 & 3 > 2 \"q\"");
    cr_assert_not_null(strstr(html, "1 &lt; 2 &amp; 3 &gt; 2"), "%s", html);
    free(html);
}

Test(markdown, empty_input)
{
    char *html = fd_markdown_render("", 0);
    cr_assert_str_eq(html, "");
    free(html);
}

Test(markdown, only_len_bytes_are_rendered)
{
    char *html = fd_markdown_render("**a** <script>", 5);
    cr_assert_str_eq(html, "<p><strong>a</strong></p>\n");
    free(html);
}

Test(markdown, many_links_are_all_rewritten)
{
    /* More links than the collector's first allocation. */
    char src[8192] = "";
    size_t o = 0;
    for (int i = 0; i < 100; i++)
        o += (size_t)snprintf(src + o, sizeof src - o, "[l%d](%s%d) ", i, i % 2 ? "javascript:alert" : "/p/",
                              i);
    char *html = render(src);
    assert_safe_html(html, "100 links");
    size_t links = 0;
    for (const char *p = html; (p = strstr(p, "<a href=\"/p/")) != NULL; p++)
        links++;
    cr_assert_eq(links, 50, "%s", html);
    cr_assert_null(strstr(html, "javascript"), "%s", html);
    free(html);
}

Test(markdown, rendering_is_stable)
{
    static const char *const docs[] = {
        "**bold** [x](https://a.eu) ![i](https://a.eu/i.png) [y](javascript:alert(1))\n\n> quote\n\n- a\n- "
        "b\n",
        "<script>alert(1)</script>",
        "# Title\n\n```\ncode\n```\n",
    };
    for (size_t i = 0; i < FD_ARRAY_LEN(docs); i++) {
        char *a = render(docs[i]);
        char *b = render(docs[i]);
        cr_assert_str_eq(a, b);
        free(a);
        free(b);
    }
}

/* ---- fd_markdown_url_allowed ---- */

struct url_case {
    char url[64];
    bool allowed;
};

static const struct url_case url_cases[] = {
    { "http://a.eu", true },
    { "https://a.eu/x?y=1#z", true },
    { "HTTPS://A.EU", true },
    { "HtTp://a.eu", true },
    { "mailto:a@b.eu", true },
    { "MAILTO:a@b.eu", true },
    { "/path", true },
    { "/path:with:colons", true },
    { "path/x", true },
    { "./x:y", true },
    { "#frag", true },
    { "#a:b", true },
    { "?q=a:b", true },
    { "//a.eu/x", true },
    { "plain", true },
    { "%6Aavascript", true },
    { "javascript:alert(1)", false },
    { "JAVASCRIPT:alert(1)", false },
    { "JaVaScRiPt:alert(1)", false },
    { " javascript:alert(1)", false },
    { "  \t javascript:alert(1)", false },
    { "\x01javascript:alert(1)", false },
    { "\x1f javascript:alert(1)", false },
    { "java\tscript:alert(1)", false },
    { "java\nscript:alert(1)", false },
    { "java\rscript:alert(1)", false },
    { "javascript\t:alert(1)", false },
    { "vbscript:msgbox(1)", false },
    { "data:text/html,x", false },
    { "data:image/png;base64,AAAA", false },
    { "file:///etc/passwd", false },
    { "ftp://a.eu", false },
    { "blob:https://a.eu/x", false },
    { "chrome://settings", false },
    { "ms-settings:", false },
    { "x-y.z+w:foo", false },
    { ":nothing", false },
    { "javascript:", false },
    { "averyveryverylongschemename:x", false },
};

ParameterizedTestParameters(markdown_url_allowed, table)
{
    return cr_make_param_array(struct url_case, url_cases, FD_ARRAY_LEN(url_cases));
}

ParameterizedTest(const struct url_case *c, markdown_url_allowed, table)
{
    cr_assert_eq(fd_markdown_url_allowed(c->url), c->allowed, "'%s'", c->url);
}

Test(markdown_url_allowed, decodes_entities_and_percent_escapes_of_the_scheme_as_documented)
{
    /* markdown.h: the policy applies "after ... decoding HTML entities and percent-escapes of the scheme". */
    cr_expect_not(fd_markdown_url_allowed("&#106;avascript:alert(1)"), "decimal entity accepted");
    cr_expect_not(fd_markdown_url_allowed("&#x6a;avascript:alert(1)"), "hex entity accepted");
    cr_expect_not(fd_markdown_url_allowed("javascript&colon;alert(1)"), "named entity accepted");
    cr_expect_not(fd_markdown_url_allowed("%6Aavascript:alert(1)"), "percent-escape accepted");
}
