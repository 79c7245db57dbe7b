/* Escapers for HTML text and attributes. */
#include "forumd/escape.h"

static char *escape(const char *s, bool quotes)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += (*p == '&') ? 5 : (*p == '<' || *p == '>') ? 4 : (quotes && (*p == '"' || *p == '\'')) ? 6 : 1;
    char *out = fd_xmalloc(n + 1), *o = out;
    for (const char *p = s; *p; p++) {
        const char *rep = NULL;
        switch (*p) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = quotes ? "&quot;" : NULL; break;
        case '\'': rep = quotes ? "&#39;" : NULL; break;
        default: break;
        }
        if (rep) {
            size_t l = strlen(rep);
            memcpy(o, rep, l);
            o += l;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

char *fd_esc_html_text_dup(const char *s)
{
    return escape(s, false);
}

char *fd_esc_html_attr_dup(const char *s)
{
    return escape(s, true);
}
