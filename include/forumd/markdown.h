/* Markdown to safe HTML: cmark in its safe mode (raw HTML dropped) plus our own link policy:
 * only http, https, mailto and relative URLs; images become links (no third-party image loads
 * that would reveal readers' addresses); every link gets rel="nofollow ugc noopener". */
#ifndef FORUMD_MARKDOWN_H
#define FORUMD_MARKDOWN_H

#include "forumd/fd.h"

/* Renders src (valid UTF-8) to HTML. Returns a newly allocated string the caller frees. */
char *fd_markdown_render(const char *src, size_t len);
/* True if url may be a link target: http, https, mailto or no scheme, after stripping the characters
 * browsers ignore (controls, white space) and decoding HTML entities and percent-escapes of the
 * scheme. */
bool fd_markdown_url_allowed(const char *url);

#endif
