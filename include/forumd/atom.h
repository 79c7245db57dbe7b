/* The Atom 1.0 (RFC 4287) writer of the feeds: a feed document from a list of posts, with every text
 * XML-escaped and every link absolute. No HTTP and no SQL: h_feeds.c reads and answers. */
#ifndef FORUMD_ATOM_H
#define FORUMD_ATOM_H

#include "forumd/model.h"

/* The date in every tag: id (RFC 4151: a day on which the authority was held). It never changes,
 * so that ids stay the same for as long as the forum lives. */
#define FD_ATOM_TAG_DATE "2026"

/* Where the feeds are read from: the base of their absolute links, and the authority of their ids
 * ("tag:<authority>,2026:post-12"). Both strings belong to the struct. */
struct fd_atom_site {
    char *base;      /* "https://forum.example.eu/forum": scheme, host, port, path; no trailing slash */
    char *authority; /* "forum.example.eu": the host name alone; "localhost" when there is none */
};

/* Fills site from public_url when it is an http:// or https:// URL, else from the request's Host
 * header when that looks like a host[:port] (letters, digits, dots, hyphens, colons, brackets),
 * else http://localhost. public_url and host may be NULL. Free with fd_atom_site_clear(). */
void fd_atom_site_init(struct fd_atom_site *site, const char *public_url, const char *host);
void fd_atom_site_clear(struct fd_atom_site *site);

enum fd_atom_kind {
    FD_ATOM_THREADS, /* entries are threads (their opening posts), ids "thread-<thread id>" */
    FD_ATOM_POSTS,   /* entries are the posts of one thread, ids "post-<post id>" */
};

/* One feed; strings are borrowed. */
struct fd_atom_feed {
    const struct fd_atom_site *site;
    enum fd_atom_kind kind;
    const char *id;        /* the feed's part of its tag: id, "objective-3" */
    const char *title;
    const char *self;      /* the feed's own path, "/feeds/objectives/3.atom" */
    const char *alternate; /* the path of its page in the web front end, "/#/o/cyberspace" */
    int64_t updated;       /* unix seconds, see fd_atom_updated() */
};

/* When a feed of entries last changed as Atom counts it: the newest entry's edit or creation time,
 * or fallback when there are no entries. */
int64_t fd_atom_updated(const struct fd_feed_list *entries, int64_t fallback);

/* The feed document, UTF-8, newest entry first as in entries. Anonymous posts are signed
 * "Anonymous", never with their author's name. Returns a new string the caller frees; *len gets
 * its length. */
char *fd_atom_render(const struct fd_atom_feed *feed, const struct fd_feed_list *entries, size_t *len);

#endif
