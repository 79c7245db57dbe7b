/* Atom feeds of objectives, key actions and threads, under /feeds (outside /api/v1: feed readers
 * subscribe to them like pages).
 *
 * DESIGN: a feed is the public view for everybody (anonymous authors are never named, hidden and
 * withdrawn posts are left out), so one rendering serves every reader and goes into the loop's page
 * cache like a public JSON page, under the generation counters of what it shows: a thread's feed
 * under its thread's, an objective's or key action's under the objective's, which every write to a
 * thread or post of it bumps. The ETag comes from those counters (fd_etag_for); Last-Modified is the
 * newest entry's time, kept in front of the cached document so that a cache hit needs no query.
 * The links are absolute, so the base URL (public-url, else the Host header) is part of the cache
 * key. Everything runs on the loop thread: two or three indexed queries of at most 50 rows. */
#include "forumd/handlers.h"
#include "forumd/atom.h"
#include "forumd/httpdate.h"

#define FEED_ENTRIES 50
#define ATOM_CTYPE "application/atom+xml; charset=utf-8"

/* What the three feeds share while one is answered. */
struct feed_req {
    struct fd_atom_site site;
    char self[64];         /* the feed's canonical path */
    char *key;             /* the page cache key: base URL and canonical path */
    struct fd_gen_snap gen;
    struct fd_feed_list entries;
};

/* Starts answering the feed at canonical path self (printf-made from our own ids) under gen. */
static void feed_begin(struct fd_req *r, struct feed_req *f, const char *self, struct fd_gen_snap gen)
{
    fd_atom_site_init(&f->site, r->app->cfg.public_url, fd_req_header(r, "Host"));
    snprintf(f->self, sizeof f->self, "%s", self);
    f->key = fd_xasprintf("atom %s%s", f->site.base, f->self);
    f->gen = gen;
}

static void feed_end(struct feed_req *f)
{
    fd_atom_site_clear(&f->site);
    free(f->key);
    fd_feed_list_clear(&f->entries);
}

/* RFC 9110 section 13.2.2: If-None-Match decides when present, else If-Modified-Since. */
static bool not_modified(struct fd_req *r, const char *etag, int64_t updated)
{
    if (fd_req_header(r, "If-None-Match"))
        return fd_req_etag_matches(r, etag);
    const char *ims = fd_req_header(r, "If-Modified-Since");
    int64_t since;
    return ims && fd_httpdate_parse(ims, &since) == 0 && updated <= since;
}

static void send_feed(struct fd_req *r, const char *doc, size_t len, const char *etag, int64_t updated)
{
    char lm[FD_HTTPDATE_LEN];
    fd_req_header_out(r, "ETag", etag);
    fd_req_header_out(r, "Last-Modified", fd_httpdate_format(updated, lm));
    fd_req_header_out(r, "Cache-Control", "public, no-cache");
    if (not_modified(r, etag, updated))
        fd_reply_empty(r, 304);
    else
        fd_reply_bytes(r, 200, ATOM_CTYPE, doc, len);
}

/* Answers from the cache: true if the feed was there, fresh for f->gen. A cached feed is its
 * updated time (an int64_t) followed by the document. */
static bool feed_cached(struct fd_req *r, struct feed_req *f)
{
    struct fd_cached_page p;
    int64_t updated;
    if (!fd_cache_get(r->loop->cache, f->key, f->gen, fd_now(), &p) || p.len < sizeof updated)
        return false;
    memcpy(&updated, p.body, sizeof updated);
    send_feed(r, p.body + sizeof updated, p.len - sizeof updated, p.etag, updated);
    return true;
}

/* Renders feed with f's entries, keeps it in the cache and answers. */
static void feed_reply(struct fd_req *r, struct feed_req *f, struct fd_atom_feed *feed)
{
    size_t len;
    feed->site = &f->site;
    feed->self = f->self;
    char *doc = fd_atom_render(feed, &f->entries, &len);
    char *blob = fd_xmalloc(sizeof feed->updated + len);
    memcpy(blob, &feed->updated, sizeof feed->updated);
    memcpy(blob + sizeof feed->updated, doc, len);
    fd_cache_put(r->loop->cache, f->key, f->gen, 0, NULL, 0, blob, sizeof feed->updated + len);
    free(blob);
    char etag[FD_ETAG_LEN];
    fd_etag_for(f->key, f->gen, 0, 0, etag);
    send_feed(r, doc, len, etag, feed->updated);
    free(doc);
}

/* GET /feeds/objectives/{id}.atom (id or slug): its newest threads. */
void h_feeds_objective(struct fd_req *r)
{
    struct fd_objective o = { 0 };
    struct feed_req f = { 0 };
    char path[64], id[32], page[160];
    if (h_objective_or_reply(r, &o) < 0)
        goto out;
    snprintf(path, sizeof path, "/feeds/objectives/%lld.atom", (long long)o.id);
    /* read before the data, so that a write landing in between makes this feed stale, not wrong */
    feed_begin(r, &f, path, fd_gen_objective(r->app->gens, o.id));
    if (feed_cached(r, &f))
        goto out;
    int rc = fd_store_feed_threads(r->loop->store, o.id, 0, FEED_ENTRIES, &f.entries);
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        goto out;
    }
    /* an objective has no time of its own: an empty feed is as old as the epoch */
    snprintf(id, sizeof id, "objective-%lld", (long long)o.id);
    snprintf(page, sizeof page, "/#/o/%s", o.slug);
    struct fd_atom_feed feed = { .kind = FD_ATOM_THREADS, .id = id, .title = o.title, .alternate = page,
                                 .updated = fd_atom_updated(&f.entries, 0) };
    feed_reply(r, &f, &feed);
out:
    feed_end(&f);
    fd_objective_clear(&o);
}

/* The key action of path parameter id among all objectives' (a handful of rows), with its objective;
 * answers 404 itself and returns -1 if there is none. */
static int key_action_or_reply(struct fd_req *r, struct fd_objective_list *all, const struct fd_objective **o,
                               const struct fd_key_action **ka)
{
    int64_t id;
    if (fd_req_id_or_reply(r, "id", &id) < 0)
        return -1;
    int rc = fd_store_objectives_list(r->loop->store, all);
    for (size_t i = 0; rc == FD_OK && i < all->n; i++) {
        for (size_t k = 0; k < all->items[i].n_key_actions; k++) {
            if (all->items[i].key_actions[k].id == id) {
                *o = &all->items[i];
                *ka = &all->items[i].key_actions[k];
                return 0;
            }
        }
    }
    fd_reply_status(r, rc == FD_OK ? FD_ENOTFOUND : rc);
    return -1;
}

/* GET /feeds/key-actions/{id}.atom: the newest threads under the key action. */
void h_feeds_key_action(struct fd_req *r)
{
    struct fd_objective_list all = { 0 };
    const struct fd_objective *o;
    const struct fd_key_action *ka;
    struct feed_req f = { 0 };
    char path[64], id[32], page[160];
    if (key_action_or_reply(r, &all, &o, &ka) < 0)
        goto out;
    snprintf(path, sizeof path, "/feeds/key-actions/%lld.atom", (long long)ka->id);
    feed_begin(r, &f, path, fd_gen_objective(r->app->gens, o->id));
    if (feed_cached(r, &f))
        goto out;
    int rc = fd_store_feed_threads(r->loop->store, o->id, ka->id, FEED_ENTRIES, &f.entries);
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        goto out;
    }
    snprintf(id, sizeof id, "key-action-%lld", (long long)ka->id);
    snprintf(page, sizeof page, "/#/o/%s?ka=%s", o->slug, ka->slug);
    struct fd_atom_feed feed = { .kind = FD_ATOM_THREADS, .id = id, .title = ka->title, .alternate = page,
                                 .updated = fd_atom_updated(&f.entries, 0) };
    feed_reply(r, &f, &feed);
out:
    feed_end(&f);
    fd_objective_list_clear(&all);
}

/* GET /feeds/threads/{id}.atom: the newest posts of the thread. */
void h_feeds_thread(struct fd_req *r)
{
    struct fd_thread t = { 0 };
    struct feed_req f = { 0 };
    char path[64], id[48], page[48];
    int64_t thread_id;
    if (fd_req_id_or_reply(r, "id", &thread_id) < 0)
        goto out;
    snprintf(path, sizeof path, "/feeds/threads/%lld.atom", (long long)thread_id);
    feed_begin(r, &f, path, fd_gen_thread(r->app->gens, thread_id));
    if (feed_cached(r, &f))
        goto out;
    int rc = fd_store_thread_get(r->loop->store, thread_id, &t);
    if (rc == FD_OK)
        rc = fd_store_feed_posts(r->loop->store, thread_id, FEED_ENTRIES, &f.entries);
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        goto out;
    }
    /* not "thread-<id>": that is the thread's entry in its objective's feed */
    snprintf(id, sizeof id, "thread-%lld-posts", (long long)thread_id);
    snprintf(page, sizeof page, "/#/t/%lld", (long long)thread_id);
    struct fd_atom_feed feed = { .kind = FD_ATOM_POSTS, .id = id, .title = t.title, .alternate = page,
                                 .updated = fd_atom_updated(&f.entries, t.created_at) };
    feed_reply(r, &f, &feed);
out:
    feed_end(&f);
    fd_thread_clear(&t);
}
