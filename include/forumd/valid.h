/* Validators for text the forum accepts. */
#ifndef FORUMD_VALID_H
#define FORUMD_VALID_H

#include "forumd/fd.h"

/* True if s[0..len) is well-formed UTF-8 (no overlongs, surrogates or values over U+10FFFF) and,
 * when allow_nul is false, contains no NUL byte. */
bool fd_valid_utf8(const char *s, size_t len, bool allow_nul);
/* Number of code points in a valid UTF-8 string. */
size_t fd_utf8_chars(const char *s, size_t len);
/* True if s contains something besides white space. */
bool fd_valid_not_blank(const char *s);
/* Not blank, and no control, invisible or direction-changing characters. */
bool fd_valid_display_name(const char *s);
/* A plausible e-mail address: one '@', non-empty local part and a dotted domain, no spaces or
 * control characters, at most 254 bytes. */
bool fd_valid_email(const char *s);
/* An ISO 3166-1 alpha-2 code (upper case). */
bool fd_valid_country(const char *s);
/* One of the 27 EU Member States (upper case). */
bool fd_valid_eu_country(const char *s);
/* A BCP-47 language tag of the common form: 2-3 letter language, then subtags of 1-8 alphanumerics. */
bool fd_valid_language(const char *s);
/* One of the stakeholder types of the spec. */
bool fd_valid_stakeholder_type(const char *s);
/* A Transparency Register id: digits with one hyphen, e.g. 123456789012-34. */
bool fd_valid_transparency_id(const char *s);
/* Parses a decimal id: digits only, 1..INT64_MAX. 0 on success, -1 otherwise. */
int fd_parse_id(const char *s, int64_t *out);

extern const char *const fd_stakeholder_types[];
extern const size_t fd_stakeholder_types_count;

#endif
