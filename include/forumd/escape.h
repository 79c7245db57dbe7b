/* One escaper per output context. Each returns a newly allocated string the caller frees. */
#ifndef FORUMD_ESCAPE_H
#define FORUMD_ESCAPE_H

#include "forumd/fd.h"

/* HTML text: & < > escaped. */
char *fd_esc_html_text_dup(const char *s);
/* HTML attribute value (double- or single-quoted): & < > " ' escaped. */
char *fd_esc_html_attr_dup(const char *s);

/* HTML text of a search snippet: the bytes 0x02 and 0x03 around each matched word become <mark> and
 * </mark> (always balanced), everything else is escaped as text. */
char *fd_esc_html_marked_dup(const char *s);

/* XML text or attribute value (either quote): & < > " ' escaped; characters XML 1.0 does not allow
 * and every control character but tab and newline (C0 with carriage return, DEL, C1) left out, and
 * U+FFFE/U+FFFF too. s should be UTF-8; a byte that is not becomes U+FFFD, so that the output is
 * always well-formed. */
char *fd_esc_xml_dup(const char *s);

/* A CSV field as RFC 4180 has it: quoted, with every quote doubled, when s contains '"', ',', CR
 * or LF; as it is otherwise. fd_esc_csv writes it into out (which must hold the returned length
 * plus a NUL) or, with out NULL, only measures it. */
size_t fd_esc_csv(const char *s, char *out);
char *fd_esc_csv_dup(const char *s);

#endif
