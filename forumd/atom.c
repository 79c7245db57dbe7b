/* Atom 1.0 feed documents (RFC 4287). Every text and attribute goes through fd_esc_xml_dup(), which
 * also drops the characters XML cannot carry, so that a post's text never breaks the document; the
 * markup around it is our own constant text. */
#include "forumd/atom.h"
#include "forumd/escape.h"

/* ---- the site ---- */

/* ASCII only: a locale must not widen what a host name may contain. */
static bool ascii_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A Host header that may become the base of our links: 1 to 255 characters of a host name, an IP
 * address (IPv6 in brackets) and a port. Anything else (spaces, slashes, quotes, @) is refused. */
static bool plausible_host(const char *h)
{
    size_t n = strlen(h);
    if (n == 0 || n > 255)
        return false;
    for (const char *p = h; *p; p++)
        if (!ascii_alnum(*p) && !strchr(".-:[]", *p))
            return false;
    return true;
}

/* The host name of "host[:port]" (len bytes at h), lower-cased, as a tag: authority; "localhost"
 * for an IP literal in brackets or anything that is not made of letters, digits, dots and hyphens. */
static char *authority_of(const char *h, size_t len)
{
    const char *colon = memchr(h, ':', len);
    size_t n = colon ? (size_t)(colon - h) : len;
    while (n > 0 && h[n - 1] == '.')
        n--;
    if (n == 0)
        return fd_xstrdup("localhost");
    char *out = fd_xstrndup(h, n);
    for (char *p = out; *p; p++) {
        if (!ascii_alnum(*p) && *p != '.' && *p != '-') {
            free(out);
            return fd_xstrdup("localhost");
        }
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    }
    return out;
}

void fd_atom_site_init(struct fd_atom_site *site, const char *public_url, const char *host)
{
    const char *scheme_end = public_url ? strstr(public_url, "://") : NULL;
    if (scheme_end && (!strncmp(public_url, "http://", 7) || !strncmp(public_url, "https://", 8))) {
        size_t n = strlen(public_url);
        while (n > 0 && public_url[n - 1] == '/')
            n--;
        site->base = fd_xstrndup(public_url, n);
        const char *h = scheme_end + 3;
        site->authority = authority_of(h, strcspn(h, "/?#"));
    } else if (host && plausible_host(host)) {
        site->base = fd_xasprintf("http://%s", host);
        site->authority = authority_of(host, strlen(host));
    } else {
        site->base = fd_xstrdup("http://localhost");
        site->authority = fd_xstrdup("localhost");
    }
}

void fd_atom_site_clear(struct fd_atom_site *site)
{
    free(site->base);
    free(site->authority);
    memset(site, 0, sizeof *site);
}

/* ---- the document ---- */

/* A growing output buffer. */
struct out {
    char *p;
    size_t len, cap;
};

static void put_n(struct out *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        o->cap = (o->len + n + 1) * 2;
        o->p = fd_xrealloc(o->p, o->cap);
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static void put(struct out *o, const char *s)
{
    put_n(o, s, strlen(s));
}

/* s as XML text or attribute value. */
static void put_esc(struct out *o, const char *s)
{
    char *e = fd_esc_xml_dup(s ? s : "");
    put(o, e);
    free(e);
}

/* <name>text</name>, text escaped. */
static void element(struct out *o, const char *indent, const char *name, const char *text)
{
    put(o, indent);
    put(o, "<");
    put(o, name);
    put(o, ">");
    put_esc(o, text);
    put(o, "</");
    put(o, name);
    put(o, ">\n");
}

static void time_element(struct out *o, const char *indent, const char *name, int64_t t)
{
    char buf[FD_RFC3339_LEN];
    element(o, indent, name, fd_time_rfc3339(t, buf));
}

/* <link rel="rel" type="type" href="<base><path>"/> */
static void link_element(struct out *o, const char *indent, const char *rel, const char *type,
                         const struct fd_atom_site *site, const char *path)
{
    char *href = fd_xasprintf("%s%s", site->base, path);
    put(o, indent);
    put(o, "<link rel=\"");
    put(o, rel);
    put(o, "\" type=\"");
    put(o, type);
    put(o, "\" href=\"");
    put_esc(o, href);
    put(o, "\"/>\n");
    free(href);
}

/* <id>tag:<authority>,<date>:<what></id> */
static void tag_id(struct out *o, const char *indent, const struct fd_atom_site *site, const char *what)
{
    char *id = fd_xasprintf("tag:%s," FD_ATOM_TAG_DATE ":%s", site->authority, what);
    element(o, indent, "id", id);
    free(id);
}

static int64_t entry_updated(const struct fd_post *p)
{
    return p->edited_at > p->created_at ? p->edited_at : p->created_at;
}

int64_t fd_atom_updated(const struct fd_feed_list *entries, int64_t fallback)
{
    int64_t t = 0;
    for (size_t i = 0; i < entries->n; i++) {
        int64_t u = entry_updated(&entries->items[i].post);
        t = u > t ? u : t;
    }
    return entries->n ? t : fallback;
}

static void entry(struct out *o, const struct fd_atom_feed *f, const struct fd_feed_entry *e)
{
    const struct fd_post *p = &e->post;
    char what[48], page[48];
    put(o, "  <entry>\n");
    if (f->kind == FD_ATOM_THREADS)
        snprintf(what, sizeof what, "thread-%lld", (long long)p->thread_id);
    else
        snprintf(what, sizeof what, "post-%lld", (long long)p->id);
    tag_id(o, "    ", f->site, what);
    const char *thread_title = e->thread_title ? e->thread_title : "";
    char *title;
    if (f->kind == FD_ATOM_POSTS && !e->opening) /* in a thread's own feed, its replies */
        title = fd_xasprintf("Re: %s", thread_title);
    else
        title = fd_xstrdup(thread_title);
    element(o, "    ", "title", title);
    free(title);
    time_element(o, "    ", "published", p->created_at);
    time_element(o, "    ", "updated", entry_updated(p));
    /* the public view: an anonymous post never carries its author's name, whoever asks */
    put(o, "    <author>\n");
    bool named = !p->anonymous && p->author.display_name;
    element(o, "      ", "name", named ? p->author.display_name : "Anonymous");
    put(o, "    </author>\n");
    snprintf(page, sizeof page, "/#/t/%lld", (long long)p->thread_id);
    link_element(o, "    ", "alternate", "text/html", f->site, page);
    /* type="html": the rendered post, escaped once more, for the reader to unescape and display */
    put(o, "    <content type=\"html\">");
    put_esc(o, p->body_html);
    put(o, "</content>\n");
    put(o, "  </entry>\n");
}

char *fd_atom_render(const struct fd_atom_feed *f, const struct fd_feed_list *entries, size_t *len)
{
    struct out o = { 0 };
    put(&o, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    tag_id(&o, "  ", f->site, f->id);
    element(&o, "  ", "title", f->title);
    time_element(&o, "  ", "updated", f->updated);
    link_element(&o, "  ", "self", "application/atom+xml", f->site, f->self);
    link_element(&o, "  ", "alternate", "text/html", f->site, f->alternate);
    element(&o, "  ", "generator", "forumd");
    for (size_t i = 0; i < entries->n; i++)
        entry(&o, f, &entries->items[i]);
    put(&o, "</feed>\n");
    *len = o.len;
    return o.p;
}
