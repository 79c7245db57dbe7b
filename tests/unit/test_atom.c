/* Unit tests of atom.c: the site (base URL and tag: authority from public-url or Host), the updated
 * time, and the feed document (ids, titles, anonymous authors, escaping). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "forumd/atom.h"

/* ---- the site ---- */

struct site_case {
    char public_url[64]; /* "" = not set */
    char host[300];      /* "" = no Host header */
    char base[80];
    char authority[64];
};

static const struct site_case site_cases[] = {
    { "https://forum.example.eu", "evil.example", "https://forum.example.eu", "forum.example.eu" },
    { "https://forum.example.eu/", "", "https://forum.example.eu", "forum.example.eu" },
    { "https://Forum.Example.EU:8443/isf//", "", "https://Forum.Example.EU:8443/isf", "forum.example.eu" },
    { "http://127.0.0.1:8080", "", "http://127.0.0.1:8080", "127.0.0.1" },
    { "https://[::1]:8443", "", "https://[::1]:8443", "localhost" },
    { "forum.example.eu", "h.example:81", "http://h.example:81", "h.example" }, /* not a URL: ignored */
    { "", "127.0.0.1:8080", "http://127.0.0.1:8080", "127.0.0.1" },
    { "", "Forum.Example.EU", "http://Forum.Example.EU", "forum.example.eu" },
    { "", "[::1]:8080", "http://[::1]:8080", "localhost" },
    { "", "", "http://localhost", "localhost" },
    { "", "evil.example/path", "http://localhost", "localhost" },
    { "", "a\"b", "http://localhost", "localhost" },
    { "", "user@host", "http://localhost", "localhost" },
    { "", "host name", "http://localhost", "localhost" },
    { "", "<script>", "http://localhost", "localhost" },
    { "", "host\x01", "http://localhost", "localhost" },
};

ParameterizedTestParameters(atom, site)
{
    return cr_make_param_array(struct site_case, site_cases, FD_ARRAY_LEN(site_cases));
}

ParameterizedTest(const struct site_case *c, atom, site)
{
    struct fd_atom_site s;
    fd_atom_site_init(&s, c->public_url[0] ? c->public_url : NULL, c->host[0] ? c->host : NULL);
    cr_assert_str_eq(s.base, c->base, "public_url '%s' host '%s'", c->public_url, c->host);
    cr_assert_str_eq(s.authority, c->authority, "public_url '%s' host '%s'", c->public_url, c->host);
    fd_atom_site_clear(&s);
}

Test(atom, site_refuses_an_overlong_host)
{
    char host[300];
    memset(host, 'a', sizeof host - 1);
    host[sizeof host - 1] = '\0';
    struct fd_atom_site s;
    fd_atom_site_init(&s, NULL, host);
    cr_assert_str_eq(s.base, "http://localhost");
    fd_atom_site_clear(&s);
}

/* ---- entries ---- */

static struct fd_feed_entry entry(int64_t id, int64_t thread_id, const char *title, bool opening,
                                  bool anonymous, int64_t created_at, int64_t edited_at, const char *html)
{
    struct fd_feed_entry e = { 0 };
    e.post.id = id;
    e.post.thread_id = thread_id;
    e.post.author.id = 7;
    e.post.author.display_name = strdup("Real Name-Zz9");
    e.post.anonymous = anonymous;
    e.post.created_at = created_at;
    e.post.edited_at = edited_at;
    e.post.body_html = strdup(html);
    e.thread_title = strdup(title);
    e.opening = opening;
    return e;
}

static struct fd_feed_list two_entries(void)
{
    struct fd_feed_list l = { calloc(2, sizeof(struct fd_feed_entry)), 2 };
    const char *title = "A <b>bold</b> & \"quoted\" title\x01";
    const char *hostile = "<p>x &amp; y</p>\n<script>alert(1)</script>]]>";
    l.items[0] = entry(12, 5, title, false, true, 1800000000, 0, hostile);
    l.items[1] = entry(10, 5, title, true, false, 1700000000, 1800000100, "<p>one</p>");
    return l;
}

Test(atom, updated_is_the_newest_edit_or_creation)
{
    struct fd_feed_list l = two_entries();
    cr_assert_eq(fd_atom_updated(&l, 5), 1800000100);
    l.items[1].post.edited_at = 0;
    cr_assert_eq(fd_atom_updated(&l, 5), 1800000000);
    struct fd_feed_list none = { 0 };
    cr_assert_eq(fd_atom_updated(&none, 5), 5);
    fd_feed_list_clear(&l);
}

static char *render(enum fd_atom_kind kind, const struct fd_feed_list *l)
{
    struct fd_atom_site site;
    fd_atom_site_init(&site, "https://forum.example.eu/", NULL);
    struct fd_atom_feed f = { .site = &site, .kind = kind, .id = "thread-5-posts",
                              .title = "Feed <title> & co", .self = "/feeds/threads/5.atom",
                              .alternate = "/#/t/5", .updated = fd_atom_updated(l, 0) };
    size_t len;
    char *doc = fd_atom_render(&f, l, &len);
    cr_assert_eq(strlen(doc), len);
    fd_atom_site_clear(&site);
    return doc;
}

static void assert_contains(const char *doc, const char *want)
{
    cr_assert_not_null(strstr(doc, want), "the feed lacks %s:\n%s", want, doc);
}

Test(atom, posts_feed_document)
{
    struct fd_feed_list l = two_entries();
    char *doc = render(FD_ATOM_POSTS, &l);
    const char *head = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                       "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
    cr_assert_eq(strncmp(doc, head, strlen(head)), 0, "%s", doc);
    assert_contains(doc, "<id>tag:forum.example.eu,2026:thread-5-posts</id>");
    assert_contains(doc, "<title>Feed &lt;title&gt; &amp; co</title>");
    assert_contains(doc, "<updated>2027-01-15T08:01:40Z</updated>"); /* 1800000100 */
    assert_contains(doc, "<link rel=\"self\" type=\"application/atom+xml\" "
                         "href=\"https://forum.example.eu/feeds/threads/5.atom\"/>");
    assert_contains(doc, "<link rel=\"alternate\" type=\"text/html\" "
                         "href=\"https://forum.example.eu/#/t/5\"/>");
    assert_contains(doc, "<id>tag:forum.example.eu,2026:post-12</id>");
    assert_contains(doc, "<id>tag:forum.example.eu,2026:post-10</id>");
    /* a reply is "Re: <title>", the opening post carries the title; the control character is gone */
    assert_contains(doc, "<title>Re: A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; title</title>");
    assert_contains(doc, "<title>A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; title</title>");
    assert_contains(doc, "<published>2027-01-15T08:00:00Z</published>");
    assert_contains(doc, "<author>\n      <name>Anonymous</name>\n    </author>");
    assert_contains(doc, "<name>Real Name-Zz9</name>");
    const char *name = strstr(doc, "Real Name-Zz9");
    cr_assert_null(strstr(name + 1, "Real Name-Zz9"), "the anonymous post's author is named: %s", doc);
    assert_contains(doc, "<content type=\"html\">&lt;p&gt;x &amp;amp; y&lt;/p&gt;\n"
                         "&lt;script&gt;alert(1)&lt;/script&gt;]]&gt;</content>");
    cr_assert_null(strchr(doc, '\x01'));
    cr_assert_null(strstr(doc, "<script"));
    /* newest first, as given */
    cr_assert_lt(strstr(doc, "post-12"), strstr(doc, "post-10"));
    assert_contains(doc, "</feed>\n");
    free(doc);
    fd_feed_list_clear(&l);
}

Test(atom, anonymous_author_name_appears_only_for_the_named_post)
{
    struct fd_feed_list l = two_entries();
    l.items[1].post.anonymous = true;
    char *doc = render(FD_ATOM_POSTS, &l);
    cr_assert_null(strstr(doc, "Real Name"), "%s", doc);
    free(doc);
    fd_feed_list_clear(&l);
}

Test(atom, threads_feed_ids_and_titles)
{
    struct fd_feed_list l = two_entries();
    char *doc = render(FD_ATOM_THREADS, &l);
    assert_contains(doc, "<id>tag:forum.example.eu,2026:thread-5</id>");
    cr_assert_null(strstr(doc, "post-12"), "%s", doc);
    cr_assert_null(strstr(doc, "Re: "), "a feed of threads titles entries with the thread's title: %s", doc);
    free(doc);
    fd_feed_list_clear(&l);
}

Test(atom, empty_feed)
{
    struct fd_feed_list none = { 0 };
    char *doc = render(FD_ATOM_THREADS, &none);
    assert_contains(doc, "<updated>1970-01-01T00:00:00Z</updated>");
    cr_assert_null(strstr(doc, "<entry>"));
    assert_contains(doc, "</feed>\n");
    free(doc);
}
