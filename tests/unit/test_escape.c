/* Unit tests of escape.c: HTML text and attribute escaping. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "forumd/escape.h"

struct esc_case {
    char in[64];
    char text[128]; /* fd_esc_html_text_dup */
    char attr[128]; /* fd_esc_html_attr_dup */
};

static const struct esc_case esc_cases[] = {
    { "", "", "" },
    { "plain text", "plain text", "plain text" },
    { "<script>", "&lt;script&gt;", "&lt;script&gt;" },
    { "a & b", "a &amp; b", "a &amp; b" },
    { "&amp;", "&amp;amp;", "&amp;amp;" }, /* already escaped text is escaped again: no double meaning */
    { "\"quoted\"", "\"quoted\"", "&quot;quoted&quot;" },
    { "it's", "it's", "it&#39;s" },
    { "\"><script>", "\"&gt;&lt;script&gt;", "&quot;&gt;&lt;script&gt;" },
    { "' onmouseover='x", "' onmouseover='x", "&#39; onmouseover=&#39;x" },
    { "<<>>&&\"\"''", "&lt;&lt;&gt;&gt;&amp;&amp;\"\"''",
      "&lt;&lt;&gt;&gt;&amp;&amp;&quot;&quot;&#39;&#39;" },
    { "\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80", "\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80",
      "\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80" },
    { "tab\tnew\nline", "tab\tnew\nline", "tab\tnew\nline" },
    { "=`/", "=`/", "=`/" },
};

ParameterizedTestParameters(escape, table)
{
    return cr_make_param_array(struct esc_case, esc_cases, FD_ARRAY_LEN(esc_cases));
}

ParameterizedTest(const struct esc_case *c, escape, table)
{
    char *t = fd_esc_html_text_dup(c->in);
    char *a = fd_esc_html_attr_dup(c->in);
    cr_assert_str_eq(t, c->text, "text of '%s'", c->in);
    cr_assert_str_eq(a, c->attr, "attr of '%s'", c->in);
    free(t);
    free(a);
}

Test(escape, html_attr_quotes)
{
    char *s = fd_esc_html_attr_dup("\"><script>");
    cr_assert_str_eq(s, "&quot;&gt;&lt;script&gt;");
    free(s);
}

Test(escape, output_never_contains_markup_characters)
{
    /* Every byte value but NUL, escaped as an attribute: no raw < > " ' may remain, and every & starts
     * one of the five entities. */
    char in[256];
    for (int i = 1; i < 256; i++)
        in[i - 1] = (char)i;
    in[255] = '\0';
    char *a = fd_esc_html_attr_dup(in);
    char *t = fd_esc_html_text_dup(in);
    cr_assert_null(strpbrk(a, "<>\"'"), "%s", a);
    cr_assert_null(strpbrk(t, "<>"), "%s", t);
    static const char *const entities[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
    for (const char *p = a; (p = strchr(p, '&')) != NULL; p++) {
        bool ok = false;
        for (size_t i = 0; i < FD_ARRAY_LEN(entities); i++)
            ok |= !strncmp(p, entities[i], strlen(entities[i]));
        cr_assert(ok, "bare & at %s", p);
    }
    free(a);
    free(t);
}

Test(escape, long_input_of_only_special_characters)
{
    /* The worst case for the output size: every character grows to six. */
    size_t n = 100000;
    char *in = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        in[i] = "\"'<>&"[i % 5];
    in[n] = '\0';
    char *a = fd_esc_html_attr_dup(in);
    cr_assert_eq(strlen(a), n / 5 * (6 + 5 + 4 + 4 + 5));
    cr_assert_eq(strncmp(a, "&quot;&#39;&lt;&gt;&amp;", 24), 0);
    free(a);
    free(in);
}

/* Search snippets: FTS5 marks matches with 0x02/0x03; the result must be escaped text in which the
 * only tags are balanced <mark> pairs, whatever bytes the post held. */
struct mark_case {
    char in[64];
    char out[160];
};

static const struct mark_case mark_cases[] = {
    { "", "" },
    { "a \x02word\x03 b", "a <mark>word</mark> b" },
    { "\x02<b>\x03", "<mark>&lt;b&gt;</mark>" },
    { "\x02one\x03 and \x02two\x03", "<mark>one</mark> and <mark>two</mark>" },
    { "\x02unclosed", "<mark>unclosed</mark>" },
    { "stray\x03 close", "stray close" },
    { "\x02\x02twice\x03\x03", "<mark>twice</mark>" },
    { "<mark>typed</mark>", "&lt;mark&gt;typed&lt;/mark&gt;" },
    { "\"q\" & 'a'", "\"q\" &amp; 'a'" },
};

ParameterizedTestParameters(escape, marked)
{
    return cr_make_param_array(struct mark_case, mark_cases, sizeof mark_cases / sizeof mark_cases[0]);
}

ParameterizedTest(const struct mark_case *c, escape, marked)
{
    char *out = fd_esc_html_marked_dup(c->in);
    cr_assert_str_eq(out, c->out, "input %s", c->in);
    free(out);
}

Test(escape, marker_bytes_pass_through_the_other_escapers_unchanged)
{
    char *t = fd_esc_html_text_dup("a\x02" "b\x03");
    cr_assert_str_eq(t, "a\x02" "b\x03");
    free(t);
}

/* XML (the Atom feeds): the five markup characters escaped, and what XML 1.0 cannot carry, or the
 * feeds contract keeps out (every control character but tab and newline), dropped. */
struct xml_case {
    char in[64];
    char out[160];
};

static const struct xml_case xml_cases[] = {
    { "", "" },
    { "plain text", "plain text" },
    { "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
    { "a & b", "a &amp; b" },
    { "&amp;", "&amp;amp;" },
    { "\"double\" 'single'", "&quot;double&quot; &apos;single&apos;" },
    { "]]><x>", "]]&gt;&lt;x&gt;" },
    { "<![CDATA[x]]>", "&lt;![CDATA[x]]&gt;" },
    { "tab\tnew\nline", "tab\tnew\nline" },
    { "cr\r\nlf", "cr\nlf" },
    { "a\x01" "b\x08" "c\x0b" "d\x0c" "e\x1f" "f", "abcdef" },
    { "del\x7f!", "del!" },
    { "c1 \xc2\x80\xc2\x85\xc2\x9f!", "c1 !" },
    { "nbsp\xc2\xa0!", "nbsp\xc2\xa0!" },
    { "\xef\xbf\xbe\xef\xbf\xbfnon", "non" },                     /* U+FFFE, U+FFFF */
    { "\xef\xbf\xbdok", "\xef\xbf\xbdok" },                       /* U+FFFD stays */
    { "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
    { "\xf0\x9f\xbf\xbe", "\xf0\x9f\xbf\xbe" },                   /* U+1FFFE is an XML Char */
    { "bad\xff" "byte", "bad\xef\xbf\xbd" "byte" },                /* not UTF-8: U+FFFD */
    { "lone\x80", "lone\xef\xbf\xbd" },
    { "cut\xe2\x82", "cut\xef\xbf\xbd\xef\xbf\xbd" },
    { "over\xc0\xbc", "over\xef\xbf\xbd\xef\xbf\xbd" },          /* an overlong '<' is not a '<' */
    { "sur\xed\xa0\x80", "sur\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* a UTF-16 surrogate */
};

ParameterizedTestParameters(escape, xml)
{
    return cr_make_param_array(struct xml_case, xml_cases, FD_ARRAY_LEN(xml_cases));
}

ParameterizedTest(const struct xml_case *c, escape, xml)
{
    char *out = fd_esc_xml_dup(c->in);
    cr_assert_str_eq(out, c->out, "input %s", c->in);
    free(out);
}

Test(escape, xml_output_has_no_markup_and_no_control_characters)
{
    /* Every byte value but NUL: no raw < > " ' remains, every & starts an entity, and the only bytes
     * below 0x20 are tab and newline. */
    char in[256];
    for (int i = 1; i < 256; i++)
        in[i - 1] = (char)i;
    in[255] = '\0';
    char *x = fd_esc_xml_dup(in);
    cr_assert_null(strpbrk(x, "<>\"'"), "%s", x);
    for (const unsigned char *p = (const unsigned char *)x; *p; p++)
        cr_assert(*p >= 0x20 ? *p != 0x7f : (*p == '\t' || *p == '\n'), "byte 0x%02x in the output", *p);
    static const char *const entities[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
    for (const char *p = x; (p = strchr(p, '&')) != NULL; p++) {
        bool ok = false;
        for (size_t i = 0; i < FD_ARRAY_LEN(entities); i++)
            ok |= !strncmp(p, entities[i], strlen(entities[i]));
        cr_assert(ok, "bare & at %s", p);
    }
    free(x);
}

Test(escape, xml_long_input_of_only_special_characters)
{
    size_t n = 6 * 20000;
    char *in = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        in[i] = "\"'<>&\x01"[i % 6];
    in[n] = '\0';
    char *x = fd_esc_xml_dup(in);
    cr_assert_eq(strlen(x), n / 6 * (6 + 6 + 4 + 4 + 5));
    cr_assert_eq(strncmp(x, "&quot;&apos;&lt;&gt;&amp;&quot;", 31), 0);
    free(x);
    free(in);
}
