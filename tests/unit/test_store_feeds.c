/* Contract tests of the storage interface's feed operations (feed_threads, feed_posts), on the SQLite
 * backend in memory with the migrations applied, through the fd_store_* wrappers only (as in
 * test_store.c, so that they can run against another backend unchanged). */
#include <criterion/criterion.h>
#include "forumd/store.h"

static struct fd_store *S;

static void setup(void)
{
    char err[512] = "";
    S = fd_store_sqlite_open(":memory:", true, err, sizeof err);
    cr_assert_not_null(S, "cannot open the store: %s", err);
}

static void teardown(void)
{
    fd_store_close(S);
    S = NULL;
}

TestSuite(store_feeds, .init = setup, .fini = teardown);

/* ---- helpers ---- */

static char password_hash[] = "$argon2id$v=19$m=8192,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

static void begin(void)
{
    cr_assert_eq(fd_store_tx_begin(S), FD_OK);
}

static void commit(void)
{
    cr_assert_eq(fd_store_tx_commit(S), FD_OK);
}

static int64_t make_user(const char *email, const char *name)
{
    struct fd_new_user in = { .email = email, .password_hash = password_hash, .display_name = name,
                              .stakeholder_type = "citizen" };
    struct fd_user u = { 0 };
    begin();
    cr_assert_eq(fd_store_user_create(S, &in, 1000, &u), FD_OK);
    commit();
    int64_t id = u.id;
    fd_user_clear(&u);
    return id;
}

static int64_t key_action_of(int64_t objective_id, size_t index)
{
    struct fd_objective o = { 0 };
    cr_assert_eq(fd_store_objective_get(S, objective_id, NULL, &o), FD_OK);
    cr_assert_lt(index, o.n_key_actions);
    int64_t id = o.key_actions[index].id;
    fd_objective_clear(&o);
    return id;
}

/* A thread whose opening post has body body; returns the thread id, the post's in *post_id. */
static int64_t make_thread(int64_t author, int64_t objective, int64_t key_action, const char *title,
                           bool anonymous, int64_t now, int64_t *post_id)
{
    char html[128];
    snprintf(html, sizeof html, "<p>%s</p>\n", title);
    struct fd_new_thread in = {
        .objective_id = objective, .title = title, .key_action_id = key_action,
        .post = { .body = title, .body_html = html, .anonymous = anonymous },
    };
    int64_t tid = 0, pid = 0;
    begin();
    cr_assert_eq(fd_store_thread_create(S, &in, author, now, &tid, &pid), FD_OK);
    commit();
    if (post_id)
        *post_id = pid;
    return tid;
}

static int64_t make_post(int64_t author, int64_t thread, bool anonymous, int64_t now)
{
    struct fd_new_post in = { .thread_id = thread, .body = "reply", .body_html = "<p>reply</p>\n",
                              .anonymous = anonymous };
    int64_t pid = 0;
    begin();
    cr_assert_eq(fd_store_post_create(S, &in, author, now, &pid), FD_OK);
    commit();
    return pid;
}

static void hide(int64_t post_id)
{
    begin();
    cr_assert_eq(fd_store_post_set_hidden(S, post_id, true, false), FD_OK);
    commit();
}

static void withdraw(int64_t post_id)
{
    begin();
    cr_assert_eq(fd_store_post_set_deleted(S, post_id), FD_OK);
    commit();
}

/* ---- threads ---- */

Test(store_feeds, threads_newest_by_creation_with_their_opening_posts)
{
    int64_t u = make_user("a@example.org", "Author A");
    int64_t p1, p2, p3;
    int64_t t1 = make_thread(u, 1, 0, "first", false, 100, &p1);
    int64_t t2 = make_thread(u, 1, 0, "second", true, 200, &p2);
    int64_t t3 = make_thread(u, 1, 0, "third", false, 300, &p3);
    make_thread(u, 2, 0, "elsewhere", false, 400, NULL);
    make_post(u, t1, false, 500); /* activity does not reorder a feed of threads */
    struct fd_feed_list l = { 0 };
    cr_assert_eq(fd_store_feed_threads(S, 1, 0, 50, &l), FD_OK);
    cr_assert_eq(l.n, 3);
    int64_t want_t[] = { t3, t2, t1 }, want_p[] = { p3, p2, p1 };
    const char *want_title[] = { "third", "second", "first" };
    for (size_t i = 0; i < 3; i++) {
        const struct fd_feed_entry *e = &l.items[i];
        cr_assert_eq(e->post.thread_id, want_t[i]);
        cr_assert_eq(e->post.id, want_p[i], "entry %zu is post %lld", i, (long long)e->post.id);
        cr_assert_str_eq(e->thread_title, want_title[i]);
        cr_assert(e->opening);
        cr_assert_str_eq(e->post.author.display_name, "Author A");
        cr_assert_eq(e->post.anonymous, i == 1);
        cr_assert_eq(e->post.created_at, (int64_t)(300 - 100 * i));
        char html[32];
        snprintf(html, sizeof html, "<p>%s</p>\n", want_title[i]);
        cr_assert_str_eq(e->post.body_html, html);
    }
    fd_feed_list_clear(&l);
}

Test(store_feeds, threads_whose_opening_post_is_hidden_or_withdrawn_are_left_out)
{
    int64_t u = make_user("a@example.org", "Author A");
    int64_t p1, p2, p3;
    int64_t t1 = make_thread(u, 1, 0, "visible", false, 100, &p1);
    make_thread(u, 1, 0, "hidden", false, 200, &p2);
    make_thread(u, 1, 0, "withdrawn", false, 300, &p3);
    int64_t reply = make_post(u, t1, false, 400);
    hide(p2);
    withdraw(p3);
    hide(reply); /* a hidden reply does not take its thread out */
    struct fd_feed_list l = { 0 };
    cr_assert_eq(fd_store_feed_threads(S, 1, 0, 50, &l), FD_OK);
    cr_assert_eq(l.n, 1);
    cr_assert_eq(l.items[0].post.id, p1);
    fd_feed_list_clear(&l);
}

Test(store_feeds, threads_limit_and_key_action)
{
    int64_t u = make_user("a@example.org", "Author A");
    int64_t ka = key_action_of(1, 1), other = key_action_of(1, 0);
    int64_t last = 0;
    for (int i = 0; i < 60; i++)
        last = make_thread(u, 1, i % 2 ? ka : other, "t", false, 1000 + i, NULL);
    struct fd_feed_list l = { 0 };
    cr_assert_eq(fd_store_feed_threads(S, 1, 0, 50, &l), FD_OK);
    cr_assert_eq(l.n, 50);
    cr_assert_eq(l.items[0].post.thread_id, last);
    for (size_t i = 1; i < l.n; i++)
        cr_assert_lt(l.items[i].post.thread_id, l.items[i - 1].post.thread_id);
    fd_feed_list_clear(&l);
    cr_assert_eq(fd_store_feed_threads(S, 1, ka, 50, &l), FD_OK);
    cr_assert_eq(l.n, 30);
    cr_assert_eq(l.items[0].post.thread_id, last);
    for (size_t i = 1; i < l.n; i++)
        cr_assert_lt(l.items[i].post.thread_id, l.items[i - 1].post.thread_id);
    fd_feed_list_clear(&l);
    cr_assert_eq(fd_store_feed_threads(S, 2, 0, 50, &l), FD_OK);
    cr_assert_eq(l.n, 0);
    fd_feed_list_clear(&l);
}

/* ---- posts ---- */

Test(store_feeds, posts_newest_first_visible_only)
{
    int64_t u = make_user("a@example.org", "Author A"), v = make_user("b@example.org", "Author B");
    int64_t opening;
    int64_t t = make_thread(u, 1, 0, "the thread", false, 100, &opening);
    int64_t r1 = make_post(v, t, true, 200);
    int64_t r2 = make_post(v, t, false, 300);
    int64_t r3 = make_post(u, t, false, 400);
    int64_t r4 = make_post(v, t, false, 500);
    make_thread(u, 1, 0, "another", false, 600, NULL);
    hide(r2);
    withdraw(r4);
    struct fd_feed_list l = { 0 };
    cr_assert_eq(fd_store_feed_posts(S, t, 50, &l), FD_OK);
    cr_assert_eq(l.n, 3);
    int64_t want[] = { r3, r1, opening };
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(l.items[i].post.id, want[i], "entry %zu is post %lld", i, (long long)l.items[i].post.id);
        cr_assert_str_eq(l.items[i].thread_title, "the thread");
        cr_assert_eq(l.items[i].opening, want[i] == opening);
        cr_assert_not(l.items[i].post.hidden || l.items[i].post.deleted);
    }
    cr_assert(l.items[1].post.anonymous);
    /* the store reads the name; atom.c leaves it out */
    cr_assert_str_eq(l.items[1].post.author.display_name, "Author B");
    fd_feed_list_clear(&l);
    hide(opening);
    cr_assert_eq(fd_store_feed_posts(S, t, 50, &l), FD_OK);
    cr_assert_eq(l.n, 2);
    cr_assert_not(l.items[0].opening || l.items[1].opening);
    fd_feed_list_clear(&l);
}

Test(store_feeds, posts_limit_and_unknown_thread)
{
    int64_t u = make_user("a@example.org", "Author A");
    int64_t t = make_thread(u, 1, 0, "long", false, 100, NULL);
    int64_t last = 0;
    for (int i = 0; i < 70; i++)
        last = make_post(u, t, false, 200 + i);
    struct fd_feed_list l = { 0 };
    cr_assert_eq(fd_store_feed_posts(S, t, 50, &l), FD_OK);
    cr_assert_eq(l.n, 50);
    cr_assert_eq(l.items[0].post.id, last);
    cr_assert_eq(l.items[49].post.id, last - 49);
    fd_feed_list_clear(&l);
    cr_assert_eq(fd_store_feed_posts(S, 987654, 50, &l), FD_OK);
    cr_assert_eq(l.n, 0);
    fd_feed_list_clear(&l);
}
