/* Escapers for HTML text and attributes, and for XML text and attributes (the Atom feeds). */
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

/* ---- XML ---- */

/* The length (1 to 4) of the UTF-8 sequence at s, with its code point in *cp; 0 if s does not start
 * a valid one (a stray continuation byte, a truncated, overlong or surrogate sequence, or a code
 * point above U+10FFFF). */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
    size_t n;
    uint32_t v, min;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    } else if ((s[0] & 0xe0) == 0xc0) {
        n = 2, v = s[0] & 0x1fu, min = 0x80;
    } else if ((s[0] & 0xf0) == 0xe0) {
        n = 3, v = s[0] & 0x0fu, min = 0x800;
    } else if ((s[0] & 0xf8) == 0xf0) {
        n = 4, v = s[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) /* also stops at the terminating NUL */
            return 0;
        v = (v << 6) | (s[i] & 0x3fu);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

/* Whether cp may stand in a feed: XML 1.0 forbids most C0 controls and U+FFFE/U+FFFF, and the
 * controls it does allow (carriage return, DEL, C1) are left out too, as the feeds contract says:
 * only tab and newline remain. */
static bool xml_keeps(uint32_t cp)
{
    if (cp == '\t' || cp == '\n')
        return true;
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
        return false;
    return cp != 0xfffe && cp != 0xffff;
}

/* Escapes s into out, or only measures when out is NULL; returns the length written. */
static size_t xml_escape(const char *s, char *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = 0;
    while (*p) {
        uint32_t cp = 0;
        size_t n = utf8_next(p, &cp);
        const char *rep = NULL;
        switch (cp) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&apos;"; break;
        default: break;
        }
        if (n == 0) { /* stored text is valid UTF-8; should a byte not be, the document still is */
            rep = "\xef\xbf\xbd";
            n = 1;
        } else if (!rep && xml_keeps(cp)) {
            if (out)
                memcpy(out + len, p, n);
            len += n;
        }
        if (rep) {
            size_t l = strlen(rep);
            if (out)
                memcpy(out + len, rep, l);
            len += l;
        }
        p += n;
    }
    if (out)
        out[len] = '\0';
    return len;
}

char *fd_esc_xml_dup(const char *s)
{
    char *out = fd_xmalloc(xml_escape(s, NULL) + 1);
    xml_escape(s, out);
    return out;
}

/* ---- CSV ---- */

size_t fd_esc_csv(const char *s, char *out)
{
    bool quote = strpbrk(s, "\",\r\n") != NULL;
    size_t len = 0;
    if (quote) {
        if (out)
            out[len] = '"';
        len++;
    }
    for (const char *p = s; *p; p++) {
        if (*p == '"') {
            if (out)
                out[len] = '"';
            len++;
        }
        if (out)
            out[len] = *p;
        len++;
    }
    if (quote) {
        if (out)
            out[len] = '"';
        len++;
    }
    if (out)
        out[len] = '\0';
    return len;
}

char *fd_esc_csv_dup(const char *s)
{
    char *out = fd_xmalloc(fd_esc_csv(s, NULL) + 1);
    fd_esc_csv(s, out);
    return out;
}
