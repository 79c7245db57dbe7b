/* Escapers for HTML text and attributes. */
#include "forumd/escape.h"

enum { MARK_OPEN = 0x02, MARK_CLOSE = 0x03 };

/* quotes: also " and '. marks: MARK_OPEN/MARK_CLOSE become <mark> and </mark>, always balanced. */
static char *escape(const char *s, bool quotes, bool marks)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += (*p == '&') ? 5 : (*p == '<' || *p == '>') ? 4 : (quotes && (*p == '"' || *p == '\'')) ? 6
           : (marks && (*p == MARK_OPEN || *p == MARK_CLOSE)) ? 7 : 1;
    char *out = fd_xmalloc(n + sizeof "</mark>"), *o = out;
    bool open = false;
    for (const char *p = s; *p; p++) {
        const char *rep = NULL;
        switch (*p) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = quotes ? "&quot;" : NULL; break;
        case '\'': rep = quotes ? "&#39;" : NULL; break;
        case MARK_OPEN:
            if (marks) {
                rep = open ? "" : "<mark>";
                open = true;
            }
            break;
        case MARK_CLOSE:
            if (marks) {
                rep = open ? "</mark>" : "";
                open = false;
            }
            break;
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
    if (open) {
        memcpy(o, "</mark>", 7);
        o += 7;
    }
    *o = '\0';
    return out;
}

char *fd_esc_html_text_dup(const char *s)
{
    return escape(s, false, false);
}

char *fd_esc_html_attr_dup(const char *s)
{
    return escape(s, true, false);
}

char *fd_esc_html_marked_dup(const char *s)
{
    return escape(s, false, true);
}
