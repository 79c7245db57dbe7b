/* HTTP dates (RFC 9110 section 5.6.7), for Last-Modified and If-Modified-Since. */
#ifndef FORUMD_HTTPDATE_H
#define FORUMD_HTTPDATE_H

#include "forumd/fd.h"

#define FD_HTTPDATE_LEN 32
/* Writes t (unix seconds) as an IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT", into buf (at least
 * FD_HTTPDATE_LEN bytes); returns buf. Does not depend on the locale. */
char *fd_httpdate_format(int64_t t, char *buf);
/* Parses an HTTP date in any of its three forms (IMF-fixdate, the obsolete RFC 850 and asctime
 * forms) into unix seconds; 0 on success, -1 if s is none of them. */
int fd_httpdate_parse(const char *s, int64_t *out);

#endif
