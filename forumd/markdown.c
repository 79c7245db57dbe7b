/* Markdown rendering with cmark (CommonMark), in its safe mode: raw HTML never reaches the output.
 * On top of that, links are rewritten so that only our URL policy decides what is clickable, every
 * link is marked nofollow/ugc/noopener, and images become plain links to their source, so that
 * opening a thread never makes a reader's browser fetch from a third-party host. */
#include <ctype.h>
#include <cmark.h>
#include "forumd/markdown.h"
#include "forumd/escape.h"

bool fd_markdown_url_allowed(const char *url)
{
    /* Browsers drop ASCII tab and newlines anywhere in a URL and leading C0 controls and spaces,
     * so "java\tscript:" is javascript: to them: look at the URL as they will. */
    char scheme[16];
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)url;
    while (*p && *p <= 0x20)
        p++;
    for (; *p; p++) {
        if (*p == '\t' || *p == '\n' || *p == '\r')
            continue;
        if (*p == ':')
            break;
        /* An entity, or a percent-escape ahead of a colon, where a scheme would stand can only
         * be an attempt to smuggle one past a filter: no honest link starts that way. */
        if (*p == '&')
            return false;
        if (*p == '%') {
            size_t span = strcspn((const char *)p, "/?#");
            const char *colon = strchr((const char *)p, ':');
            if (colon && (size_t)(colon - (const char *)p) < span)
                return false;
        }
        if (*p == '/' || *p == '?' || *p == '#')
            return true; /* no scheme: relative */
        if (!(isalnum(*p) || *p == '+' || *p == '-' || *p == '.'))
            return true; /* not a scheme character before any ':': browsers read a relative URL */
        if (n + 1 >= sizeof scheme)
            return false;
        scheme[n++] = (char)tolower(*p);
    }
    if (*p != ':')
        return true; /* no colon at all: relative */
    scheme[n] = '\0';
    return !strcmp(scheme, "http") || !strcmp(scheme, "https") || !strcmp(scheme, "mailto");
}

/* Whether node lies inside a link, or inside an image (which becomes a link too). */
static bool inside_link(cmark_node *node)
{
    for (cmark_node *p = cmark_node_parent(node); p; p = cmark_node_parent(p))
        if (cmark_node_get_type(p) == CMARK_NODE_LINK || cmark_node_get_type(p) == CMARK_NODE_IMAGE)
            return true;
    return false;
}

/* Replaces a link or image node by a custom inline that writes our own <a> around its children. */
static void rewrite_link(cmark_node *node)
{
    const char *url = cmark_node_get_url(node);
    const char *title = cmark_node_get_title(node);
    /* An image inside a link, or a link inside an image's description ("![[a](b)](c)", which
     * CommonMark allows), keeps only its text: anchors must not nest. */
    bool nested = inside_link(node);
    bool ok = !nested && url && *url && fd_markdown_url_allowed(url);
    cmark_node *repl = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
    if (ok) {
        char *href = fd_esc_html_attr_dup(url);
        char *t = (title && *title) ? fd_esc_html_attr_dup(title) : NULL;
        char *open = fd_xasprintf("<a href=\"%s\"%s%s%s rel=\"nofollow ugc noopener\">", href, t ? " title=\"" : "",
                                  t ? t : "", t ? "\"" : "");
        cmark_node_set_on_enter(repl, open);
        cmark_node_set_on_exit(repl, "</a>");
        free(open);
        free(href);
        free(t);
    } else {
        cmark_node_set_on_enter(repl, "");
        cmark_node_set_on_exit(repl, "");
    }
    cmark_node *child;
    while ((child = cmark_node_first_child(node)) != NULL)
        cmark_node_append_child(repl, child);
    cmark_node_replace(node, repl);
    cmark_node_free(node);
}

char *fd_markdown_render(const char *src, size_t len)
{
    cmark_node *doc = cmark_parse_document(src, len, CMARK_OPT_VALIDATE_UTF8);
    if (!doc)
        return fd_xstrdup("");
    /* Collect first: the tree must not change under the iterator. */
    size_t n = 0, cap = 16;
    cmark_node **links = fd_xmalloc(cap * sizeof *links);
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *cur = cmark_iter_get_node(it);
        cmark_node_type type = cmark_node_get_type(cur);
        if (ev == CMARK_EVENT_ENTER && (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE)) {
            if (n == cap)
                links = fd_xrealloc(links, (cap *= 2) * sizeof *links);
            links[n++] = cur;
        }
    }
    cmark_iter_free(it);
    /* Innermost first, so that a link inside an image's alt text is rewritten before its parent. */
    while (n > 0)
        rewrite_link(links[--n]);
    free(links);
    char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
    cmark_node_free(doc);
    char *out = fd_xstrdup(html ? html : "");
    free(html);
    return out;
}
