/* Unit tests of moderation.c on the SQLite store in memory: who moderates what, the search index
 * kept in step with every change to a post, automatic hiding by flags, moves that keep the
 * objectives' counters right, and the append-only log. */
#include <unistd.h>
#include <sqlite3.h>
#include <criterion/criterion.h>
#include "forumd/moderation.h"
#include "forumd/search.h"

static struct fd_store *S;
static char body_html[] = "<p>body</p>\n";
static char password_hash[] = "$argon2id$v=19$m=8192,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

static void setup(void)
{
    char err[512] = "";
    S = fd_store_sqlite_open(":memory:", true, err, sizeof err);
    cr_assert_not_null(S, "cannot open the store: %s", err);
}

static void teardown(void)
{
    fd_store_close(S);
}

TestSuite(moderation, .init = setup, .fini = teardown);

/* Runs fn's writes in one transaction, as the writer does. */
#define TXN(expr)                                                                                              \
    do {                                                                                                       \
        cr_assert_eq(fd_store_tx_begin(S), FD_OK);                                                             \
        int rc_ = (expr);                                                                                      \
        cr_assert_eq(fd_store_tx_commit(S), FD_OK);                                                            \
        cr_assert_eq(rc_, FD_OK, "%s: %d", #expr, rc_);                                                        \
    } while (0)

static struct fd_user user(const char *email, const char *role)
{
    struct fd_new_user in = { .email = email, .password_hash = password_hash, .display_name = "Someone",
                              .stakeholder_type = "citizen", .role = role };
    struct fd_user u = { 0 };
    TXN(fd_store_user_create(S, &in, 1000, &u));
    return u;
}

static int64_t thread(const struct fd_user *author, int64_t objective, const char *title, const char *body,
                      int64_t *post)
{
    struct fd_new_thread in = { .objective_id = objective, .title = title,
                                .post = { .body = body, .body_html = body_html } };
    int64_t tid = 0, pid = 0;
    TXN(fd_forum_thread_create(S, author, &in, 2000, &tid, &pid, NULL));
    if (post)
        *post = pid;
    return tid;
}

static int64_t reply(const struct fd_user *author, int64_t thread_id, const char *body)
{
    struct fd_new_post in = { .thread_id = thread_id, .body = body, .body_html = body_html };
    int64_t pid = 0;
    TXN(fd_forum_post_create(S, author, &in, 2100, &pid, NULL));
    return pid;
}

/* The ids of the posts a search for q finds, in a NUL-terminated list of at most 8. */
static size_t found(const char *q, int64_t out[8])
{
    struct fd_search_expr e;
    const char *why;
    cr_assert_eq(fd_search_translate(q, &e, &why), 0, "%s", q);
    struct fd_search_query sq = { .match = e.match, .terms = (const char *const *)e.terms, .n_terms = e.n_terms,
                                  .window = FD_SEARCH_WINDOW };
    struct fd_search_list l = { 0 };
    cr_assert_eq(fd_store_search(S, &sq, NULL, 8, &l), FD_OK);
    size_t n = l.n;
    for (size_t i = 0; i < n; i++)
        out[i] = l.items[i].post.id;
    fd_search_list_clear(&l);
    fd_search_expr_clear(&e);
    return n;
}

static void assert_found(const char *q, int64_t post)
{
    int64_t ids[8];
    size_t n = found(q, ids);
    cr_assert(n == 1 && ids[0] == post, "search %s: %zu hits, want post %lld", q, n, (long long)post);
}

static void assert_not_found(const char *q)
{
    int64_t ids[8];
    cr_assert_eq(found(q, ids), 0, "search %s still finds post %lld", q, (long long)ids[0]);
}

Test(moderation, search_index_follows_every_change)
{
    struct fd_user author = user("a@x.org", "member"), mod = user("m@x.eu", "moderator");
    int64_t opening = 0;
    int64_t t = thread(&author, 1, "Harbour zebrafinch", "first text", &opening);
    int64_t p = reply(&author, t, "quokka sightings near the port");
    assert_found("quokka", p);
    assert_found("zebrafinch", opening);

    TXN(fd_mod_post_edit(S, &author, p, "wombat sightings", body_html, NULL, 2200, NULL));
    assert_not_found("quokka");
    assert_found("wombat", p);

    TXN(fd_mod_post_hide(S, &mod, p, true, "spam", 2300));
    assert_not_found("wombat");
    TXN(fd_mod_post_hide(S, &mod, p, false, NULL, 2400));
    assert_found("wombat", p);

    struct fd_thread_patch patch = { .title = "Harbour kingfisher" };
    TXN(fd_mod_thread_update(S, &mod, t, &patch, 2500, NULL));
    assert_not_found("zebrafinch");
    assert_found("kingfisher", opening);

    TXN(fd_mod_post_delete(S, &author, p, 2600, NULL));
    assert_not_found("wombat");
    fd_user_clear(&author);
    fd_user_clear(&mod);
}

Test(moderation, scopes)
{
    struct fd_user m = { .id = 7, .role = FD_ROLE_MODERATOR };
    cr_assert(fd_mod_moderates(&m, 1) && fd_mod_moderates(&m, 5) && fd_mod_moderates_all(&m));
    int64_t only3[] = { 3 };
    m.moderates = only3;
    m.n_moderates = 1;
    cr_assert(fd_mod_moderates(&m, 3));
    cr_assert(!fd_mod_moderates(&m, 1));
    cr_assert(!fd_mod_moderates_all(&m));
    struct fd_user admin = { .id = 8, .role = FD_ROLE_ADMIN, .moderates = only3, .n_moderates = 1 };
    cr_assert(fd_mod_moderates(&admin, 1));
    struct fd_user member = { .id = 9, .role = FD_ROLE_MEMBER };
    cr_assert(!fd_mod_moderates(&member, 1));
    struct fd_user nobody = { 0 };
    cr_assert(!fd_mod_moderates(&nobody, 1));
}

Test(moderation, scoped_moderator_is_refused_outside_their_objectives)
{
    struct fd_user author = user("a@x.org", "member"), admin = user("ad@x.eu", "admin");
    struct fd_user m = user("m@x.eu", "moderator");
    int64_t only3[] = { 3 };
    TXN(fd_mod_set_role(S, &admin, m.id, FD_ROLE_MODERATOR, only3, 1, 3000, NULL));
    int64_t id = m.id;
    fd_user_clear(&m);
    cr_assert_eq(fd_store_user_get(S, id, &m), FD_OK);
    cr_assert_eq(m.n_moderates, 1);
    cr_assert_eq(m.moderates[0], 3);
    int64_t p1 = 0, p3 = 0;
    thread(&author, 1, "In one", "text", &p1);
    thread(&author, 3, "In three", "text", &p3);
    cr_assert_eq(fd_store_tx_begin(S), FD_OK);
    cr_assert_eq(fd_mod_post_hide(S, &m, p1, true, "no", 3100), FD_EFORBIDDEN);
    cr_assert_eq(fd_mod_post_hide(S, &m, p3, true, "yes", 3100), FD_OK);
    cr_assert_eq(fd_mod_suspend(S, &m, author.id, 9999999, "no", 3100, NULL), FD_EFORBIDDEN);
    cr_assert_eq(fd_store_tx_commit(S), FD_OK);
    fd_user_clear(&author);
    fd_user_clear(&admin);
    fd_user_clear(&m);
}

Test(moderation, three_flags_hide_until_a_moderator_dismisses)
{
    struct fd_user author = user("a@x.org", "member"), mod = user("m@x.eu", "moderator");
    struct fd_user f[3] = { user("f1@x.org", "member"), user("f2@x.org", "member"), user("f3@x.org", "member") };
    int64_t t = thread(&author, 2, "Flagged", "text", NULL);
    int64_t p = reply(&author, t, "gnuoxtail dubious claim");
    int64_t flag = 0;
    struct fd_post post = { 0 };
    for (int i = 0; i < 3; i++) {
        TXN(fd_mod_flag(S, &f[i], p, "spam", NULL, 4000, &flag, NULL));
        cr_assert_eq(fd_store_post_get(S, p, &post), FD_OK);
        cr_assert_eq(post.hidden, i == 2, "after %d flags hidden=%d", i + 1, post.hidden);
        fd_post_clear(&post);
    }
    assert_not_found("gnuoxtail");
    cr_assert_eq(fd_store_tx_begin(S), FD_OK);
    cr_assert_eq(fd_mod_flag(S, &f[0], p, "spam", NULL, 4001, &flag, NULL), FD_ENOTFOUND, "a hidden post is flagged");
    cr_assert_eq(fd_mod_flag(S, &author, t, "spam", NULL, 4001, &flag, NULL), FD_EFORBIDDEN, "own post flagged");
    cr_assert_eq(fd_store_tx_commit(S), FD_OK);
    TXN(fd_mod_flag_resolve(S, &mod, 1, "dismiss", NULL, 4100, NULL));
    cr_assert_eq(fd_store_post_get(S, p, &post), FD_OK);
    cr_assert(!post.hidden, "dismissing did not show the post again");
    fd_post_clear(&post);
    assert_found("gnuoxtail", p);
    int64_t open = -1;
    cr_assert_eq(fd_store_flags_open_count(S, p, &open), FD_OK);
    cr_assert_eq(open, 0, "dismissing left %lld flags open", (long long)open);
    for (int i = 0; i < 3; i++)
        fd_user_clear(&f[i]);
    fd_user_clear(&author);
    fd_user_clear(&mod);
}

static void counts(int64_t objective, int64_t *threads, int64_t *posts)
{
    struct fd_objective o = { 0 };
    cr_assert_eq(fd_store_objective_get(S, objective, NULL, &o), FD_OK);
    *threads = o.thread_count;
    *posts = o.post_count;
    fd_objective_clear(&o);
}

Test(moderation, moving_a_thread_moves_its_counts)
{
    struct fd_user author = user("a@x.org", "member"), mod = user("m@x.eu", "moderator");
    int64_t t = thread(&author, 1, "Moving", "text", NULL);
    reply(&author, t, "one");
    reply(&author, t, "two");
    int64_t t1, p1, t4, p4;
    counts(1, &t1, &p1);
    counts(4, &t4, &p4);
    struct fd_thread_patch patch = { .objective_id = 4 };
    TXN(fd_mod_thread_update(S, &mod, t, &patch, 5000, NULL));
    int64_t t1b, p1b, t4b, p4b;
    counts(1, &t1b, &p1b);
    counts(4, &t4b, &p4b);
    cr_assert(t1b == t1 - 1 && p1b == p1 - 3, "objective 1: %lld/%lld -> %lld/%lld", (long long)t1, (long long)p1,
              (long long)t1b, (long long)p1b);
    cr_assert(t4b == t4 + 1 && p4b == p4 + 3, "objective 4: %lld/%lld -> %lld/%lld", (long long)t4, (long long)p4,
              (long long)t4b, (long long)p4b);
    fd_user_clear(&author);
    fd_user_clear(&mod);
}

Test(moderation, the_last_admin_stays)
{
    struct fd_user admin = user("ad@x.eu", "admin");
    struct fd_problem pb = { 0 };
    cr_assert_eq(fd_store_tx_begin(S), FD_OK);
    cr_assert_eq(fd_mod_set_role(S, &admin, admin.id, FD_ROLE_MEMBER, NULL, 0, 6000, &pb), FD_ECONFLICT);
    cr_assert_eq(fd_store_tx_commit(S), FD_OK);
    struct fd_user second = user("ad2@x.eu", "admin");
    TXN(fd_mod_set_role(S, &admin, admin.id, FD_ROLE_MEMBER, NULL, 0, 6000, &pb));
    fd_user_clear(&admin);
    fd_user_clear(&second);
}

/* On a file, so that a second connection can try to change the log behind forumd's back. */
Test(moderation_log, refuses_changes)
{
    char path[] = "/tmp/forumd-modlog-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    unlink(path);
    char err[512] = "";
    S = fd_store_sqlite_open(path, true, err, sizeof err);
    cr_assert_not_null(S, "%s", err);
    struct fd_thread where = { .id = 0, .objective_id = 1 }; /* no thread: the database has none */
    TXN(fd_mod_log(S, 0, "auto_hide", "post", 1, &where, "test", 7000));
    struct fd_log_list l = { 0 };
    struct fd_scope all = { true, NULL, 0 };
    cr_assert_eq(fd_store_log_page(S, &all, NULL, 0, 0, 10, &l), FD_OK);
    cr_assert_eq(l.n, 1);
    cr_assert_str_eq(l.items[0].action, "auto_hide");
    cr_assert_eq(l.items[0].actor.id, 0);
    cr_assert_eq(l.items[0].objective_id, 1);
    cr_assert_eq(l.items[0].thread_id, 0);
    fd_log_list_clear(&l);
    fd_store_close(S);
    S = NULL;
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_neq(sqlite3_exec(db, "UPDATE mod_log SET reason = 'changed'", NULL, NULL, NULL), SQLITE_OK);
    cr_assert_neq(sqlite3_exec(db, "DELETE FROM mod_log", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*), min(reason) FROM mod_log", -1, &st, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    cr_assert_eq(sqlite3_column_int(st, 0), 1);
    cr_assert_str_eq((const char *)sqlite3_column_text(st, 1), "test");
    sqlite3_finalize(st);
    sqlite3_close(db);
    char p[64];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}
