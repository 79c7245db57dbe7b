/* Contract tests of the storage interface (store.h), run on the SQLite backend in memory with the
 * migrations applied. Everything except the "migrate" suite goes through the fd_store_* wrappers only,
 * so that the same tests can later run against the PostgreSQL backend: only open_store() changes.
 * The "forum" suite checks the rules of forum.h on top of the store. */
#include <unistd.h>
#include <sqlite3.h>
#include <criterion/criterion.h>
#include "forumd/store.h"
#include "forumd/forum.h"
#include "forumd/migrate.h"

static struct fd_store *S;

static struct fd_store *open_store(void)
{
    char err[512] = "";
    struct fd_store *s = fd_store_sqlite_open(":memory:", true, err, sizeof err);
    cr_assert_not_null(s, "cannot open the store: %s", err);
    return s;
}

static void setup(void)
{
    S = open_store();
}

static void teardown(void)
{
    fd_store_close(S);
    S = NULL;
}

TestSuite(store, .init = setup, .fini = teardown);
TestSuite(forum, .init = setup, .fini = teardown);

/* ---- helpers ---- */

static char password_hash[] = "$argon2id$v=19$m=8192,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
static char body_html[] = "<p>body</p>\n";

static void begin(void)
{
    cr_assert_eq(fd_store_tx_begin(S), FD_OK);
}

static void commit(void)
{
    cr_assert_eq(fd_store_tx_commit(S), FD_OK);
}

/* Creates a user in its own transaction; returns the filled user (caller clears). */
static struct fd_user make_user(const char *email, const char *role)
{
    struct fd_new_user in = {
        .email = email,
        .password_hash = password_hash,
        .display_name = "Someone",
        .stakeholder_type = "citizen",
        .country = "FR",
        .role = role,
    };
    struct fd_user u = { 0 };
    begin();
    int rc = fd_store_user_create(S, &in, 1000, &u);
    cr_assert_eq(rc, FD_OK, "user_create %s: %d", email, rc);
    commit();
    cr_assert_gt(u.id, 0);
    return u;
}

static int64_t key_action_id(int64_t objective_id, size_t index)
{
    struct fd_objective o = { 0 };
    cr_assert_eq(fd_store_objective_get(S, objective_id, NULL, &o), FD_OK);
    cr_assert_lt(index, o.n_key_actions);
    int64_t id = o.key_actions[index].id;
    fd_objective_clear(&o);
    return id;
}

/* Creates a thread through the store in its own transaction. */
static int64_t make_thread(int64_t author, int64_t objective, int64_t key_action, const char *title,
                           int64_t now, int64_t *post_id)
{
    struct fd_new_thread in = {
        .objective_id = objective,
        .title = title,
        .key_action_id = key_action,
        .post = { .body = "opening post", .body_html = body_html },
    };
    int64_t tid = 0, pid = 0;
    begin();
    int rc = fd_store_thread_create(S, &in, author, now, &tid, &pid);
    cr_assert_eq(rc, FD_OK, "thread_create: %d", rc);
    commit();
    cr_assert_gt(tid, 0);
    cr_assert_gt(pid, 0);
    if (post_id)
        *post_id = pid;
    return tid;
}

static int64_t make_post(int64_t author, int64_t thread, int64_t parent, const char *body, int64_t now)
{
    struct fd_new_post in = {
        .thread_id = thread, .parent_id = parent, .body = body, .body_html = body_html
    };
    int64_t pid = 0;
    begin();
    int rc = fd_store_post_create(S, &in, author, now, &pid);
    cr_assert_eq(rc, FD_OK, "post_create: %d", rc);
    commit();
    cr_assert_gt(pid, 0);
    return pid;
}

static void hash_of(uint8_t h[FD_TOKEN_HASH_LEN], uint8_t seed)
{
    for (int i = 0; i < FD_TOKEN_HASH_LEN; i++)
        h[i] = (uint8_t)(seed * 31 + i);
}

/* ---- objectives ---- */

static const struct {
    const char *slug;
    const char *title;
    const char *key_actions[4][2];
    size_t n;
} spec_objectives[] = {
    { "crime-networks",
      "Disrupt international criminal networks",
      { { "dismantle-networks", "Identify and dismantle criminal networks" },
        { "protect-economy", "Protect the economy against criminal infiltration" },
        { "confiscate-assets", "Confiscate criminal assets" } },
      3 },
    { "terrorism-radicalisation",
      "Prevent terrorism and address radicalisation and recruitment",
      { { "empower-communities", "Empower communities to prevent radicalisation and recruitment" },
        { "cut-funding",
          "Cut off terrorists' access to funding and materials and follow their transactions" },
        { "protect-transport", "Protect transport" } },
      3 },
    { "cyberspace",
      "Raise levels of security for citizens and businesses in cyberspace",
      { { "law-enforcement-capacity", "Build capacity in law enforcement and the judiciary" },
        { "work-with-industry", "Work with industry to empower and protect citizens" },
        { "cyber-attack-capability", "Improve capability for dealing with cyber-attacks" } },
      3 },
    { "border-management",
      "Strengthen security through border management",
      { { "eurosur", "Exploit the full potential of EUROSUR" },
        { "frontex", "Enhance the contribution of Frontex at the external borders" },
        { "goods-risk-management", "Common risk management for movement of goods across external borders" },
        { "inter-agency-cooperation", "Improve inter-agency cooperation at national level" } },
      4 },
    { "crisis-resilience",
      "Increase Europe's resilience to crises and disasters",
      { { "solidarity-clause", "Make full use of the solidarity clause" },
        { "all-hazard-assessment", "Develop an all-hazard approach to threat and risk assessments" },
        { "situation-awareness", "Link the different situation awareness centres" },
        { "emergency-response", "Develop a European Emergency Response Capacity for tackling disasters" } },
      4 },
};

Test(store, objectives_list_is_the_spec)
{
    struct fd_objective_list l = { 0 };
    cr_assert_eq(fd_store_objectives_list(S, &l), FD_OK);
    cr_assert_eq(l.n, 5);
    size_t total = 0;
    for (size_t i = 0; i < l.n; i++) {
        const struct fd_objective *o = &l.items[i];
        cr_assert_eq(o->number, (int)i + 1);
        cr_assert_str_eq(o->slug, spec_objectives[i].slug);
        cr_assert_str_eq(o->title, spec_objectives[i].title);
        cr_assert(o->summary && strlen(o->summary) > 40, "objective %s has no summary", o->slug);
        cr_assert_eq(o->n_key_actions, spec_objectives[i].n, "%s", o->slug);
        for (size_t k = 0; k < o->n_key_actions; k++) {
            cr_assert_str_eq(o->key_actions[k].slug, spec_objectives[i].key_actions[k][0]);
            cr_assert_str_eq(o->key_actions[k].title, spec_objectives[i].key_actions[k][1]);
            cr_assert_eq(o->key_actions[k].objective_id, o->id);
            cr_assert_gt(o->key_actions[k].id, 0);
        }
        total += o->n_key_actions;
        cr_assert_eq(o->thread_count, 0);
        cr_assert_eq(o->post_count, 0);
        cr_assert_eq(o->last_post_at, 0);
    }
    cr_assert_eq(total, 17);
    fd_objective_list_clear(&l);
}

Test(store, objective_get_by_id_and_by_slug)
{
    struct fd_objective_list l = { 0 };
    cr_assert_eq(fd_store_objectives_list(S, &l), FD_OK);
    for (size_t i = 0; i < l.n; i++) {
        struct fd_objective a = { 0 }, b = { 0 };
        cr_assert_eq(fd_store_objective_get(S, l.items[i].id, NULL, &a), FD_OK);
        cr_assert_eq(fd_store_objective_get(S, 0, l.items[i].slug, &b), FD_OK);
        cr_assert_eq(a.id, l.items[i].id);
        cr_assert_eq(b.id, l.items[i].id);
        cr_assert_str_eq(a.slug, spec_objectives[i].slug);
        cr_assert_str_eq(b.title, spec_objectives[i].title);
        cr_assert_eq(a.n_key_actions, spec_objectives[i].n);
        cr_assert_eq(b.n_key_actions, spec_objectives[i].n);
        for (size_t k = 0; k < a.n_key_actions; k++) {
            cr_assert_str_eq(a.key_actions[k].slug, spec_objectives[i].key_actions[k][0]);
            cr_assert_eq(a.key_actions[k].id, l.items[i].key_actions[k].id);
        }
        fd_objective_clear(&a);
        fd_objective_clear(&b);
    }
    fd_objective_list_clear(&l);
}

Test(store, objective_get_unknown_is_not_found)
{
    struct fd_objective o = { 0 };
    cr_assert_eq(fd_store_objective_get(S, 999, NULL, &o), FD_ENOTFOUND);
    cr_assert_eq(fd_store_objective_get(S, 0, "no-such-objective", &o), FD_ENOTFOUND);
    cr_assert_eq(fd_store_objective_get(S, 0, "CYBERSPACE", &o), FD_ENOTFOUND);
    cr_assert_eq(fd_store_objective_get(S, 0, "", &o), FD_ENOTFOUND);
    cr_assert_eq(fd_store_objective_get(S, 0, "1", &o), FD_ENOTFOUND);
    cr_assert_eq(fd_store_objective_get(S, -1, NULL, &o), FD_ENOTFOUND);
    fd_objective_clear(&o);
}

Test(store, health_is_ok)
{
    cr_assert_eq(fd_store_health(S), FD_OK);
}

/* ---- users ---- */

Test(store, user_create_and_get)
{
    struct fd_new_user in = {
        .email = "alice@example.eu",
        .password_hash = password_hash,
        .display_name = "Alice",
        .stakeholder_type = "civil_society",
        .organisation = "NGO",
        .country = "BE",
        .transparency_register_id = "123456789012-34",
    };
    struct fd_user u = { 0 }, g = { 0 };
    begin();
    cr_assert_eq(fd_store_user_create(S, &in, 1234, &u), FD_OK);
    commit();
    cr_assert_gt(u.id, 0);
    cr_assert_str_eq(u.email, "alice@example.eu");
    cr_assert_str_eq(u.display_name, "Alice");
    cr_assert_eq(u.role, FD_ROLE_MEMBER);
    cr_assert_str_eq(u.stakeholder_type, "civil_society");
    cr_assert_str_eq(u.organisation, "NGO");
    cr_assert_str_eq(u.country, "BE");
    cr_assert_str_eq(u.transparency_register_id, "123456789012-34");
    cr_assert_eq(u.created_at, 1234);
    cr_assert_eq(u.suspended_until, 0);

    cr_assert_eq(fd_store_user_get(S, u.id, &g), FD_OK);
    cr_assert_eq(g.id, u.id);
    cr_assert_str_eq(g.email, "alice@example.eu");
    cr_assert_str_eq(g.organisation, "NGO");
    fd_user_clear(&g);
    cr_assert_eq(fd_store_user_get(S, u.id + 1000, &g), FD_ENOTFOUND);
    fd_user_clear(&g);
    fd_user_clear(&u);
}

Test(store, optional_user_fields_stay_null)
{
    struct fd_new_user in = {
        .email = "bob@example.eu",
        .password_hash = password_hash,
        .display_name = "Bob",
        .stakeholder_type = "citizen",
    };
    struct fd_user u = { 0 };
    begin();
    cr_assert_eq(fd_store_user_create(S, &in, 1, &u), FD_OK);
    commit();
    cr_assert_null(u.organisation);
    cr_assert_null(u.country);
    cr_assert_null(u.transparency_register_id);
    fd_user_clear(&u);
}

Test(store, roles_are_stored)
{
    struct fd_user m = make_user("mod@example.eu", "moderator");
    struct fd_user a = make_user("admin@example.eu", "admin");
    struct fd_user g = { 0 };
    cr_assert_eq(m.role, FD_ROLE_MODERATOR);
    cr_assert_eq(a.role, FD_ROLE_ADMIN);
    cr_assert_eq(fd_store_user_get(S, m.id, &g), FD_OK);
    cr_assert_eq(g.role, FD_ROLE_MODERATOR);
    fd_user_clear(&g);
    fd_user_clear(&m);
    fd_user_clear(&a);
}

Test(store, user_by_email_is_case_insensitive)
{
    struct fd_user u = make_user("Carol.Smith@Example.EU", NULL);
    const char *spellings[] = { "Carol.Smith@Example.EU", "carol.smith@example.eu",
                                "CAROL.SMITH@EXAMPLE.EU" };
    for (size_t i = 0; i < FD_ARRAY_LEN(spellings); i++) {
        struct fd_user f = { 0 };
        cr_assert_eq(fd_store_user_by_email(S, spellings[i], &f), FD_OK, "%s", spellings[i]);
        cr_assert_eq(f.id, u.id);
        cr_assert_str_eq(f.email, "Carol.Smith@Example.EU", "the address is kept as written");
        cr_assert_not_null(f.password_hash, "the sign-in lookup must give the hash");
        cr_assert_str_eq(f.password_hash, password_hash);
        fd_user_clear(&f);
    }
    struct fd_user f = { 0 };
    cr_assert_eq(fd_store_user_by_email(S, "carol.smith@example.e", &f), FD_ENOTFOUND);
    cr_assert_eq(fd_store_user_by_email(S, "carol.smith@example.eu ", &f), FD_ENOTFOUND);
    cr_assert_eq(fd_store_user_by_email(S, "", &f), FD_ENOTFOUND);
    cr_assert_eq(fd_store_user_by_email(S, "%", &f), FD_ENOTFOUND);
    fd_user_clear(&f);
    fd_user_clear(&u);
}

Test(store, duplicate_email_is_a_conflict)
{
    struct fd_user u = make_user("dave@example.eu", NULL);
    const char *dups[] = { "dave@example.eu", "DAVE@example.eu", "Dave@Example.Eu" };
    for (size_t i = 0; i < FD_ARRAY_LEN(dups); i++) {
        struct fd_new_user in = {
            .email = dups[i],
            .password_hash = password_hash,
            .display_name = "D2",
            .stakeholder_type = "citizen",
        };
        struct fd_user out = { 0 };
        begin();
        cr_assert_eq(fd_store_user_create(S, &in, 2, &out), FD_ECONFLICT, "%s", dups[i]);
        commit();
        fd_user_clear(&out);
    }
    /* The first account is untouched. */
    struct fd_user f = { 0 };
    cr_assert_eq(fd_store_user_by_email(S, "dave@example.eu", &f), FD_OK);
    cr_assert_eq(f.id, u.id);
    cr_assert_str_eq(f.display_name, "Someone");
    fd_user_clear(&f);
    fd_user_clear(&u);
}

Test(store, user_set_password_hash)
{
    struct fd_user u = make_user("erin@example.eu", NULL);
    begin();
    cr_assert_eq(fd_store_user_set_password_hash(S, u.id, "$argon2id$new"), FD_OK);
    commit();
    struct fd_user f = { 0 };
    cr_assert_eq(fd_store_user_by_email(S, "erin@example.eu", &f), FD_OK);
    cr_assert_str_eq(f.password_hash, "$argon2id$new");
    fd_user_clear(&f);
    fd_user_clear(&u);
}

/* ---- sessions ---- */

Test(store, session_create_find_touch_delete)
{
    struct fd_user u = make_user("frank@example.eu", NULL);
    uint8_t h[FD_TOKEN_HASH_LEN], other[FD_TOKEN_HASH_LEN];
    hash_of(h, 1);
    hash_of(other, 2);
    int64_t sid = 0;
    begin();
    cr_assert_eq(fd_store_session_create(S, u.id, h, 5000, &sid), FD_OK);
    commit();
    cr_assert_gt(sid, 0);

    int64_t id = 0, created = 0, seen = 0;
    struct fd_user su = { 0 };
    cr_assert_eq(fd_store_session_find(S, h, &id, &created, &seen, &su), FD_OK);
    cr_assert_eq(id, sid);
    cr_assert_eq(created, 5000);
    cr_assert_eq(seen, 5000);
    cr_assert_eq(su.id, u.id);
    cr_assert_str_eq(su.email, "frank@example.eu");
    cr_assert_str_eq(su.display_name, "Someone");
    fd_user_clear(&su);

    cr_assert_eq(fd_store_session_find(S, other, &id, &created, &seen, &su), FD_ENOTFOUND);
    fd_user_clear(&su);

    begin();
    cr_assert_eq(fd_store_session_touch(S, sid, 6000), FD_OK);
    commit();
    cr_assert_eq(fd_store_session_find(S, h, &id, &created, &seen, &su), FD_OK);
    cr_assert_eq(created, 5000);
    cr_assert_eq(seen, 6000);
    fd_user_clear(&su);

    begin();
    cr_assert_eq(fd_store_session_delete(S, sid), FD_OK);
    commit();
    cr_assert_eq(fd_store_session_find(S, h, &id, &created, &seen, &su), FD_ENOTFOUND);
    fd_user_clear(&su);
    fd_user_clear(&u);
}

Test(store, session_lookup_does_not_load_the_password_hash)
{
    /* model.h: password_hash is "only filled by lookups made for signing in". A session lookup runs on
     * every request; it must not carry the Argon2id hash around. */
    struct fd_user u = make_user("gina@example.eu", NULL);
    uint8_t h[FD_TOKEN_HASH_LEN];
    hash_of(h, 3);
    int64_t sid = 0, id = 0, created = 0, seen = 0, tid = 0;
    begin();
    cr_assert_eq(fd_store_session_create(S, u.id, h, 1, &sid), FD_OK);
    cr_assert_eq(fd_store_token_create(S, u.id, "cli", h, 1, &tid), FD_OK);
    commit();
    struct fd_user su = { 0 }, tu = { 0 };
    cr_assert_eq(fd_store_session_find(S, h, &id, &created, &seen, &su), FD_OK);
    cr_assert_eq(fd_store_token_find(S, h, &id, NULL, &tu), FD_OK);
    cr_expect_null(su.password_hash, "session_find filled password_hash");
    cr_expect_null(tu.password_hash, "token_find filled password_hash");
    fd_user_clear(&su);
    fd_user_clear(&tu);
    fd_user_clear(&u);
}

Test(store, sessions_purge_by_idle_and_by_age)
{
    struct fd_user u = make_user("hank@example.eu", NULL);
    uint8_t h[4][FD_TOKEN_HASH_LEN];
    int64_t sid[4];
    /* 0: created 100, idle since then        -> purged (idle)
     * 1: created 250, seen at 500            -> kept
     * 2: created 150, seen at 600            -> purged (too old)
     * 3: created 400                         -> kept */
    const int64_t created[4] = { 100, 250, 150, 400 };
    const int64_t seen[4] = { 100, 500, 600, 400 };
    begin();
    for (int i = 0; i < 4; i++) {
        hash_of(h[i], (uint8_t)(10 + i));
        cr_assert_eq(fd_store_session_create(S, u.id, h[i], created[i], &sid[i]), FD_OK);
        if (seen[i] != created[i])
            cr_assert_eq(fd_store_session_touch(S, sid[i], seen[i]), FD_OK);
    }
    commit();
    begin();
    cr_assert_eq(fd_store_sessions_purge(S, 300, 200), FD_OK);
    commit();
    const bool kept[4] = { false, true, false, true };
    for (int i = 0; i < 4; i++) {
        int64_t id, c, s;
        struct fd_user su = { 0 };
        int rc = fd_store_session_find(S, h[i], &id, &c, &s, &su);
        cr_assert_eq(rc, kept[i] ? FD_OK : FD_ENOTFOUND, "session %d: rc %d", i, rc);
        fd_user_clear(&su);
    }
    fd_user_clear(&u);
}

Test(store, session_hash_is_unique)
{
    struct fd_user u = make_user("ivy@example.eu", NULL);
    uint8_t h[FD_TOKEN_HASH_LEN];
    hash_of(h, 4);
    int64_t a = 0, b = 0;
    begin();
    cr_assert_eq(fd_store_session_create(S, u.id, h, 1, &a), FD_OK);
    cr_assert_eq(fd_store_session_create(S, u.id, h, 2, &b), FD_ECONFLICT);
    commit();
    fd_user_clear(&u);
}

/* ---- API tokens ---- */

Test(store, tokens_create_find_delete)
{
    struct fd_user u = make_user("jack@example.eu", NULL);
    struct fd_user v = make_user("kate@example.eu", NULL);
    uint8_t h[FD_TOKEN_HASH_LEN], other[FD_TOKEN_HASH_LEN];
    hash_of(h, 5);
    hash_of(other, 6);
    int64_t tid = 0;
    begin();
    cr_assert_eq(fd_store_token_create(S, u.id, "my script", h, 777, &tid), FD_OK);
    commit();
    cr_assert_gt(tid, 0);

    int64_t id = 0;
    struct fd_user tu = { 0 };
    cr_assert_eq(fd_store_token_find(S, h, &id, NULL, &tu), FD_OK);
    cr_assert_eq(id, tid);
    cr_assert_eq(tu.id, u.id);
    cr_assert_str_eq(tu.email, "jack@example.eu");
    fd_user_clear(&tu);
    cr_assert_eq(fd_store_token_find(S, other, &id, NULL, &tu), FD_ENOTFOUND);
    fd_user_clear(&tu);

    /* Another user's token is not found, and stays. */
    begin();
    cr_assert_eq(fd_store_token_delete(S, v.id, tid), FD_ENOTFOUND);
    commit();
    cr_assert_eq(fd_store_token_find(S, h, &id, NULL, &tu), FD_OK);
    fd_user_clear(&tu);

    begin();
    cr_assert_eq(fd_store_token_delete(S, u.id, tid), FD_OK);
    commit();
    cr_assert_eq(fd_store_token_find(S, h, &id, NULL, &tu), FD_ENOTFOUND);
    fd_user_clear(&tu);
    begin();
    cr_assert_eq(fd_store_token_delete(S, u.id, tid), FD_ENOTFOUND);
    cr_assert_eq(fd_store_token_delete(S, u.id, 99999), FD_ENOTFOUND);
    commit();
    fd_user_clear(&u);
    fd_user_clear(&v);
}

/* ---- threads and posts ---- */

Test(store, thread_create_then_get)
{
    struct fd_user u = make_user("leo@example.eu", NULL);
    int64_t ka = key_action_id(3, 1);
    int64_t pid = 0;
    int64_t tid = make_thread(u.id, 3, ka, "Reporting cybercrime", 10000, &pid);

    struct fd_thread t = { 0 };
    cr_assert_eq(fd_store_thread_get(S, tid, &t), FD_OK);
    cr_assert_eq(t.id, tid);
    cr_assert_eq(t.objective_id, 3);
    cr_assert_eq(t.key_action_id, ka);
    cr_assert_str_eq(t.title, "Reporting cybercrime");
    cr_assert_eq(t.author.id, u.id);
    cr_assert_str_eq(t.author.display_name, "Someone");
    cr_assert_str_eq(t.author.stakeholder_type, "citizen");
    cr_assert_str_eq(t.author.country, "FR");
    cr_assert_eq(t.created_at, 10000);
    cr_assert_eq(t.last_post_at, 10000);
    cr_assert_eq(t.post_count, 1);
    cr_assert_not(t.locked);
    cr_assert_not(t.pinned);
    cr_assert_not(t.anonymous);
    cr_assert_eq(t.opens_at, 0);
    cr_assert_eq(t.closes_at, 0);
    cr_assert_eq(t.official_post_id, 0);
    fd_thread_clear(&t);

    struct fd_post p = { 0 };
    cr_assert_eq(fd_store_post_get(S, pid, &p), FD_OK);
    cr_assert_eq(p.thread_id, tid);
    cr_assert_eq(p.parent_id, 0);
    cr_assert_str_eq(p.body, "opening post");
    cr_assert_str_eq(p.body_html, body_html);
    cr_assert_eq(p.author.id, u.id);
    cr_assert_eq(p.created_at, 10000);
    cr_assert_eq(p.edited_at, 0);
    cr_assert_not(p.hidden);
    cr_assert_not(p.deleted);
    fd_post_clear(&p);

    cr_assert_eq(fd_store_thread_get(S, tid + 100, &t), FD_ENOTFOUND);
    fd_thread_clear(&t);
    cr_assert_eq(fd_store_post_get(S, pid + 100, &p), FD_ENOTFOUND);
    fd_post_clear(&p);
    fd_user_clear(&u);
}

Test(store, counters_follow_threads_and_posts)
{
    struct fd_user u = make_user("mia@example.eu", NULL);
    int64_t t1 = make_thread(u.id, 2, 0, "one", 100, NULL);
    int64_t t2 = make_thread(u.id, 2, 0, "two", 200, NULL);
    make_post(u.id, t1, 0, "reply a", 300);
    make_post(u.id, t1, 0, "reply b", 400);

    struct fd_objective o = { 0 };
    cr_assert_eq(fd_store_objective_get(S, 2, NULL, &o), FD_OK);
    cr_assert_eq(o.thread_count, 2);
    cr_assert_eq(o.post_count, 4);
    cr_assert_eq(o.last_post_at, 400);
    fd_objective_clear(&o);
    cr_assert_eq(fd_store_objective_get(S, 1, NULL, &o), FD_OK);
    cr_assert_eq(o.thread_count, 0, "another objective's counters moved");
    cr_assert_eq(o.post_count, 0);
    fd_objective_clear(&o);

    struct fd_thread t = { 0 };
    cr_assert_eq(fd_store_thread_get(S, t1, &t), FD_OK);
    cr_assert_eq(t.post_count, 3);
    cr_assert_eq(t.last_post_at, 400);
    cr_assert_eq(t.created_at, 100);
    fd_thread_clear(&t);
    cr_assert_eq(fd_store_thread_get(S, t2, &t), FD_OK);
    cr_assert_eq(t.post_count, 1);
    cr_assert_eq(t.last_post_at, 200);
    fd_thread_clear(&t);

    /* A post dated before the last one does not move last_post_at back. */
    make_post(u.id, t1, 0, "late clock", 350);
    cr_assert_eq(fd_store_thread_get(S, t1, &t), FD_OK);
    cr_assert_eq(t.post_count, 4);
    cr_assert_eq(t.last_post_at, 400);
    fd_thread_clear(&t);
    fd_user_clear(&u);
}

Test(store, post_fields_round_trip)
{
    struct fd_user u = make_user("nick@example.eu", "moderator");
    int64_t first = 0;
    int64_t tid = make_thread(u.id, 1, 0, "t", 100, &first);
    struct fd_new_post in = {
        .thread_id = tid,
        .parent_id = first,
        .body = "Answer \xf0\x9f\x98\x80",
        .body_html = body_html,
        .language = "fr-BE",
        .anonymous = true,
        .official = true,
    };
    int64_t pid = 0;
    begin();
    cr_assert_eq(fd_store_post_create(S, &in, u.id, 200, &pid), FD_OK);
    commit();
    struct fd_post p = { 0 };
    cr_assert_eq(fd_store_post_get(S, pid, &p), FD_OK);
    cr_assert_eq(p.parent_id, first);
    cr_assert_str_eq(p.body, "Answer \xf0\x9f\x98\x80");
    cr_assert_str_eq(p.language, "fr-BE");
    cr_assert(p.anonymous);
    cr_assert(p.official);
    fd_post_clear(&p);
    struct fd_thread t = { 0 };
    cr_assert_eq(fd_store_thread_get(S, tid, &t), FD_OK);
    cr_assert_eq(t.official_post_id, pid);
    fd_thread_clear(&t);
    fd_user_clear(&u);
}

Test(store, post_in_a_missing_thread_is_not_found)
{
    struct fd_user u = make_user("olga@example.eu", NULL);
    struct fd_new_post in = { .thread_id = 424242, .body = "x", .body_html = body_html };
    int64_t pid = 0;
    begin();
    cr_assert_eq(fd_store_post_create(S, &in, u.id, 1, &pid), FD_ENOTFOUND);
    commit();
    fd_user_clear(&u);
}

/* Reads every page of an objective's (or key action's) threads with the given page size. */
static size_t read_all_pages(int64_t objective, int64_t key_action, int limit, int64_t *ids, size_t cap)
{
    size_t n = 0;
    struct fd_cursor cur = { 0 };
    bool first = true;
    for (int guard = 0; guard < 1000; guard++) {
        struct fd_thread_list l = { 0 };
        cr_assert_eq(fd_store_threads_page(S, objective, key_action, first ? NULL : &cur, limit, &l), FD_OK);
        cr_assert_leq(l.n, (size_t)limit);
        for (size_t i = 0; i < l.n; i++) {
            cr_assert_lt(n, cap, "more rows than threads");
            ids[n++] = l.items[i].id;
        }
        if (!l.more) {
            fd_thread_list_clear(&l);
            return n;
        }
        cr_assert_eq(l.n, (size_t)limit, "a page with more after it must be full");
        const struct fd_thread *last = &l.items[l.n - 1];
        cur.n = 3;
        cur.k[0] = last->pinned ? 1 : 0;
        cur.k[1] = last->last_post_at;
        cur.k[2] = last->id;
        first = false;
        fd_thread_list_clear(&l);
    }
    cr_assert_fail("pagination does not end");
    return n;
}

Test(store, threads_page_order_newest_activity_then_id)
{
    struct fd_user u = make_user("paul@example.eu", NULL);
    int64_t t1 = make_thread(u.id, 4, 0, "t1", 100, NULL);
    int64_t t2 = make_thread(u.id, 4, 0, "t2", 200, NULL);
    int64_t t3 = make_thread(u.id, 4, 0, "t3", 300, NULL);
    int64_t t4 = make_thread(u.id, 4, 0, "t4", 300, NULL); /* same time as t3: higher id first */
    int64_t t5 = make_thread(u.id, 4, 0, "t5", 400, NULL);
    make_thread(u.id, 5, 0, "elsewhere", 1000, NULL);
    make_post(u.id, t1, 0, "bump", 500); /* t1 has the newest activity now */

    struct fd_thread_list l = { 0 };
    cr_assert_eq(fd_store_threads_page(S, 4, 0, NULL, 10, &l), FD_OK);
    cr_assert_eq(l.n, 5);
    cr_assert_not(l.more);
    const int64_t want[] = { t1, t5, t4, t3, t2 };
    for (size_t i = 0; i < 5; i++)
        cr_assert_eq(l.items[i].id, want[i], "position %zu: thread %lld, expected %lld", i,
                     (long long)l.items[i].id, (long long)want[i]);
    cr_assert_str_eq(l.items[0].title, "t1");
    cr_assert_eq(l.items[0].last_post_at, 500);
    cr_assert_eq(l.items[0].post_count, 2);
    fd_thread_list_clear(&l);

    /* Page by page, with the cursor built from the last row. */
    int64_t ids[16];
    size_t n = read_all_pages(4, 0, 2, ids, FD_ARRAY_LEN(ids));
    cr_assert_eq(n, 5);
    for (size_t i = 0; i < 5; i++)
        cr_assert_eq(ids[i], want[i]);

    cr_assert_eq(fd_store_threads_page(S, 4, 0, NULL, 5, &l), FD_OK);
    cr_assert_eq(l.n, 5);
    cr_assert_not(l.more, "an exactly full last page says there is more");
    fd_thread_list_clear(&l);
    cr_assert_eq(fd_store_threads_page(S, 4, 0, NULL, 4, &l), FD_OK);
    cr_assert(l.more);
    fd_thread_list_clear(&l);
    fd_user_clear(&u);
}

Test(store, keyset_pagination_gives_every_thread_once)
{
    struct fd_user u = make_user("quinn@example.eu", NULL);
    enum { N = 37 };
    int64_t made[N];
    for (int i = 0; i < N; i++)
        made[i] = make_thread(u.id, 1, 0, "t", 1000 + (i % 5) * 10, NULL); /* many equal timestamps */
    for (int i = 0; i < N; i += 7)
        make_post(u.id, made[i], 0, "bump", 1000 + i * 3);
    for (int limit = 1; limit <= 8; limit++) {
        int64_t ids[N + 1];
        size_t n = read_all_pages(1, 0, limit, ids, FD_ARRAY_LEN(ids));
        cr_assert_eq(n, N, "limit %d: %zu threads", limit, n);
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                cr_assert_neq(ids[i], ids[j], "limit %d: thread %lld twice", limit, (long long)ids[i]);
        /* and in (last_post_at desc, id desc) order */
        for (size_t i = 1; i < n; i++) {
            struct fd_thread a = { 0 }, b = { 0 };
            cr_assert_eq(fd_store_thread_get(S, ids[i - 1], &a), FD_OK);
            cr_assert_eq(fd_store_thread_get(S, ids[i], &b), FD_OK);
            cr_assert(a.last_post_at > b.last_post_at || (a.last_post_at == b.last_post_at && a.id > b.id),
                      "limit %d: %lld before %lld", limit, (long long)a.id, (long long)b.id);
            fd_thread_clear(&a);
            fd_thread_clear(&b);
        }
    }
    fd_user_clear(&u);
}

Test(store, threads_page_by_key_action)
{
    struct fd_user u = make_user("rosa@example.eu", NULL);
    int64_t ka = key_action_id(4, 2), kb = key_action_id(4, 3);
    int64_t a1 = make_thread(u.id, 4, ka, "a1", 100, NULL);
    make_thread(u.id, 4, kb, "b1", 200, NULL);
    int64_t a2 = make_thread(u.id, 4, ka, "a2", 300, NULL);
    make_thread(u.id, 4, 0, "none", 400, NULL);
    int64_t ids[8];
    size_t n = read_all_pages(4, ka, 1, ids, FD_ARRAY_LEN(ids));
    cr_assert_eq(n, 2);
    cr_assert_eq(ids[0], a2);
    cr_assert_eq(ids[1], a1);
    n = read_all_pages(4, 0, 10, ids, FD_ARRAY_LEN(ids));
    cr_assert_eq(n, 4);
    fd_user_clear(&u);
}

Test(store, threads_page_of_an_empty_objective)
{
    struct fd_thread_list l = { 0 };
    cr_assert_eq(fd_store_threads_page(S, 5, 0, NULL, 20, &l), FD_OK);
    cr_assert_eq(l.n, 0);
    cr_assert_not(l.more);
    fd_thread_list_clear(&l);
}

Test(store, posts_page_after_id)
{
    struct fd_user u = make_user("sam@example.eu", NULL);
    int64_t first = 0;
    int64_t tid = make_thread(u.id, 1, 0, "t", 100, &first);
    int64_t other = make_thread(u.id, 1, 0, "other", 100, NULL);
    int64_t posts[6] = { first };
    for (int i = 1; i < 6; i++) {
        posts[i] = make_post(u.id, tid, 0, "p", 100 + i);
        make_post(u.id, other, 0, "noise", 100 + i);
    }
    int64_t after = 0;
    size_t seen = 0;
    for (int page = 0; page < 10; page++) {
        struct fd_post_list l = { 0 };
        cr_assert_eq(fd_store_posts_page(S, tid, after, 4, &l), FD_OK);
        for (size_t i = 0; i < l.n; i++) {
            cr_assert_lt(seen, 6);
            cr_assert_eq(l.items[i].id, posts[seen], "post %zu", seen);
            cr_assert_eq(l.items[i].thread_id, tid);
            seen++;
        }
        bool more = l.more;
        if (l.n)
            after = l.items[l.n - 1].id;
        fd_post_list_clear(&l);
        if (!more)
            break;
    }
    cr_assert_eq(seen, 6);

    struct fd_post_list l = { 0 };
    cr_assert_eq(fd_store_posts_page(S, tid, posts[5], 4, &l), FD_OK);
    cr_assert_eq(l.n, 0);
    cr_assert_not(l.more);
    fd_post_list_clear(&l);
    cr_assert_eq(fd_store_posts_page(S, tid, 0, 6, &l), FD_OK);
    cr_assert_eq(l.n, 6);
    cr_assert_not(l.more);
    fd_post_list_clear(&l);
    fd_user_clear(&u);
}

/* ---- transactions ---- */

Test(store, savepoint_rollback_undoes_one_job_only)
{
    /* The writer's batch: each job in a savepoint; a failed job is rolled back, the others commit. */
    struct fd_user a = { 0 }, b = { 0 }, c = { 0 };
    struct fd_new_user in = { .password_hash = password_hash,
                              .display_name = "J",
                              .stakeholder_type = "citizen" };
    begin();
    cr_assert_eq(fd_store_savepoint(S), FD_OK);
    in.email = "job1@example.eu";
    cr_assert_eq(fd_store_user_create(S, &in, 1, &a), FD_OK);
    cr_assert_eq(fd_store_savepoint_release(S), FD_OK);

    cr_assert_eq(fd_store_savepoint(S), FD_OK);
    in.email = "job2@example.eu";
    cr_assert_eq(fd_store_user_create(S, &in, 1, &b), FD_OK);
    struct fd_new_thread nt = { .objective_id = 2,
                                .title = "undone",
                                .post = { .body = "x", .body_html = body_html } };
    int64_t tid = 0, pid = 0;
    cr_assert_eq(fd_store_thread_create(S, &nt, b.id, 10, &tid, &pid), FD_OK);
    cr_assert_eq(fd_store_savepoint_rollback(S), FD_OK);
    cr_assert_eq(fd_store_savepoint_release(S), FD_OK);

    cr_assert_eq(fd_store_savepoint(S), FD_OK);
    in.email = "job3@example.eu";
    cr_assert_eq(fd_store_user_create(S, &in, 1, &c), FD_OK);
    cr_assert_eq(fd_store_savepoint_release(S), FD_OK);
    commit();

    struct fd_user f = { 0 };
    cr_assert_eq(fd_store_user_by_email(S, "job1@example.eu", &f), FD_OK);
    fd_user_clear(&f);
    cr_assert_eq(fd_store_user_by_email(S, "job2@example.eu", &f), FD_ENOTFOUND,
                 "the rolled-back job's insert stayed");
    fd_user_clear(&f);
    struct fd_thread t = { 0 };
    cr_assert_eq(fd_store_thread_get(S, tid, &t), FD_ENOTFOUND, "the rolled-back job's thread stayed");
    fd_thread_clear(&t);
    struct fd_objective o = { 0 };
    cr_assert_eq(fd_store_objective_get(S, 2, NULL, &o), FD_OK);
    cr_assert_eq(o.thread_count, 0);
    cr_assert_eq(o.post_count, 0);
    fd_objective_clear(&o);
    cr_assert_eq(fd_store_user_by_email(S, "job3@example.eu", &f), FD_OK);
    fd_user_clear(&f);
    fd_user_clear(&a);
    fd_user_clear(&b);
    fd_user_clear(&c);
}

Test(store, tx_rollback_undoes_everything)
{
    struct fd_user u = make_user("tom@example.eu", NULL);
    struct fd_new_thread in = { .objective_id = 1,
                                .title = "gone",
                                .post = { .body = "x", .body_html = body_html } };
    int64_t tid = 0, pid = 0;
    begin();
    cr_assert_eq(fd_store_thread_create(S, &in, u.id, 10, &tid, &pid), FD_OK);
    cr_assert_eq(fd_store_tx_rollback(S), FD_OK);
    struct fd_thread t = { 0 };
    cr_assert_eq(fd_store_thread_get(S, tid, &t), FD_ENOTFOUND);
    fd_thread_clear(&t);
    struct fd_objective o = { 0 };
    cr_assert_eq(fd_store_objective_get(S, 1, NULL, &o), FD_OK);
    cr_assert_eq(o.thread_count, 0);
    cr_assert_eq(o.post_count, 0);
    fd_objective_clear(&o);
    fd_user_clear(&u);
}

Test(store, a_second_begin_inside_a_transaction_fails_cleanly)
{
    begin();
    int rc = fd_store_tx_begin(S);
    cr_assert_neq(rc, FD_OK);
    commit();
    begin();
    commit();
}

/* ---- the forum's rules (forum.h) on this store ---- */

struct cast {
    struct fd_user member, other, moderator, admin;
};

static struct cast make_cast(void)
{
    struct cast c = {
        .member = make_user("member@example.eu", NULL),
        .other = make_user("other@example.eu", NULL),
        .moderator = make_user("moderator@example.eu", "moderator"),
        .admin = make_user("admin@example.eu", "admin"),
    };
    return c;
}

static void cast_clear(struct cast *c)
{
    fd_user_clear(&c->member);
    fd_user_clear(&c->other);
    fd_user_clear(&c->moderator);
    fd_user_clear(&c->admin);
}

/* fd_forum_thread_create in its own transaction (committed whatever the result, as the writer does for a
 * job that changed nothing). */
static int forum_thread(const struct fd_user *author, const struct fd_new_thread *in, int64_t now,
                        int64_t *tid, int64_t *pid, struct fd_problem *pb)
{
    begin();
    int rc = fd_forum_thread_create(S, author, in, now, tid, pid, pb);
    commit();
    return rc;
}

static int forum_post(const struct fd_user *author, const struct fd_new_post *in, int64_t now, int64_t *pid,
                      struct fd_problem *pb)
{
    begin();
    int rc = fd_forum_post_create(S, author, in, now, pid, pb);
    commit();
    return rc;
}

static struct fd_new_thread thread_in(int64_t objective, int64_t key_action)
{
    struct fd_new_thread in = {
        .objective_id = objective,
        .title = "A thread",
        .key_action_id = key_action,
        .post = { .body = "Opening", .body_html = body_html },
    };
    return in;
}

Test(forum, member_creates_a_thread_with_a_key_action_of_its_objective)
{
    struct cast c = make_cast();
    struct fd_new_thread in = thread_in(2, key_action_id(2, 0));
    int64_t tid = 0, pid = 0;
    struct fd_problem pb = { 0 };
    cr_assert_eq(forum_thread(&c.member, &in, 100, &tid, &pid, &pb), FD_OK, "%s", pb.message);
    struct fd_thread t = { 0 };
    cr_assert_eq(fd_store_thread_get(S, tid, &t), FD_OK);
    cr_assert_eq(t.key_action_id, in.key_action_id);
    cr_assert_eq(t.author.id, c.member.id);
    fd_thread_clear(&t);
    cast_clear(&c);
}

Test(forum, key_action_of_another_objective_is_refused)
{
    struct fd_new_thread in = thread_in(1, key_action_id(2, 0));
    struct cast c = make_cast();
    int64_t tid = 0, pid = 0;
    struct fd_problem pb = { 0 };
    cr_assert_eq(forum_thread(&c.member, &in, 100, &tid, &pid, &pb), FD_EINVAL);
    cr_assert_str_eq(pb.field, "key_action_id");
    cr_assert_not_null(pb.message);
    in.key_action_id = 987654;
    pb = (struct fd_problem){ 0 };
    cr_assert_eq(forum_thread(&c.member, &in, 100, &tid, &pid, &pb), FD_EINVAL);
    cr_assert_str_eq(pb.field, "key_action_id");
    /* nothing was written */
    struct fd_thread_list l = { 0 };
    cr_assert_eq(fd_store_threads_page(S, 1, 0, NULL, 10, &l), FD_OK);
    cr_assert_eq(l.n, 0);
    fd_thread_list_clear(&l);
    cast_clear(&c);
}

Test(forum, unknown_objective_is_not_found)
{
    struct cast c = make_cast();
    struct fd_new_thread in = thread_in(99, 0);
    int64_t tid = 0, pid = 0;
    struct fd_problem pb = { 0 };
    cr_assert_eq(forum_thread(&c.member, &in, 100, &tid, &pid, &pb), FD_ENOTFOUND);
    cast_clear(&c);
}

Test(forum, official_by_a_member_is_forbidden)
{
    struct cast c = make_cast();
    struct fd_new_thread in = thread_in(1, 0);
    in.post.official = true;
    int64_t tid = 0, pid = 0;
    struct fd_problem pb = { 0 };
    cr_assert_eq(forum_thread(&c.member, &in, 100, &tid, &pid, &pb), FD_EFORBIDDEN);
    cr_assert_eq(forum_thread(&c.moderator, &in, 100, &tid, &pid, &pb), FD_OK);

    struct fd_new_post reply = {
        .thread_id = tid, .body = "I am official", .body_html = body_html, .official = true
    };
    int64_t rid = 0;
    pb = (struct fd_problem){ 0 };
    cr_assert_eq(forum_post(&c.member, &reply, 200, &rid, &pb), FD_EFORBIDDEN);
    cr_assert_eq(forum_post(&c.admin, &reply, 200, &rid, &pb), FD_OK);
    struct fd_thread t = { 0 };
    cr_assert_eq(fd_store_thread_get(S, tid, &t), FD_OK);
    cr_assert_eq(t.official_post_id, rid);
    cr_assert_eq(t.post_count, 2, "the refused reply was written");
    fd_thread_clear(&t);
    cast_clear(&c);
}

Test(forum, consultation_by_a_member_is_forbidden)
{
    struct cast c = make_cast();
    struct fd_new_thread in = thread_in(3, 0);
    in.consultation = (struct fd_consultation_in){ .given = true, .opens_at = 0, .closes_at = 5000 };
    int64_t tid = 0, pid = 0;
    struct fd_problem pb = { 0 };
    cr_assert_eq(forum_thread(&c.member, &in, 100, &tid, &pid, &pb), FD_EFORBIDDEN);
    cr_assert_str_eq(pb.field, "consultation");
    cr_assert_eq(forum_thread(&c.moderator, &in, 100, &tid, &pid, &pb), FD_OK);
    struct fd_thread t = { 0 };
    cr_assert_eq(fd_store_thread_get(S, tid, &t), FD_OK);
    cr_assert_eq(t.opens_at, 100, "opens_at 0 means now");
    cr_assert_eq(t.closes_at, 5000);
    fd_thread_clear(&t);
    cast_clear(&c);
}

Test(forum, consultation_must_close_after_it_opens)
{
    struct cast c = make_cast();
    struct fd_new_thread in = thread_in(3, 0);
    int64_t tid = 0, pid = 0;
    struct fd_problem pb = { 0 };
    in.consultation = (struct fd_consultation_in){ .given = true, .opens_at = 0, .closes_at = 100 };
    cr_assert_eq(forum_thread(&c.moderator, &in, 100, &tid, &pid, &pb), FD_EINVAL);
    cr_assert_str_eq(pb.field, "consultation");
    in.consultation = (struct fd_consultation_in){ .given = true, .opens_at = 3000, .closes_at = 2000 };
    cr_assert_eq(forum_thread(&c.moderator, &in, 100, &tid, &pid, &pb), FD_EINVAL);
    cast_clear(&c);
}

Test(forum, reply_with_a_parent_from_another_thread_is_refused)
{
    struct cast c = make_cast();
    struct fd_new_thread in = thread_in(1, 0);
    int64_t t1 = 0, p1 = 0, t2 = 0, p2 = 0, rid = 0;
    struct fd_problem pb = { 0 };
    cr_assert_eq(forum_thread(&c.member, &in, 100, &t1, &p1, &pb), FD_OK);
    cr_assert_eq(forum_thread(&c.member, &in, 100, &t2, &p2, &pb), FD_OK);

    struct fd_new_post reply = { .thread_id = t1, .parent_id = p2, .body = "x", .body_html = body_html };
    cr_assert_eq(forum_post(&c.other, &reply, 200, &rid, &pb), FD_EINVAL);
    cr_assert_str_eq(pb.field, "parent_id");
    reply.parent_id = 123456;
    pb = (struct fd_problem){ 0 };
    cr_assert_eq(forum_post(&c.other, &reply, 200, &rid, &pb), FD_EINVAL);
    cr_assert_str_eq(pb.field, "parent_id");

    reply.parent_id = p1;
    cr_assert_eq(forum_post(&c.other, &reply, 200, &rid, &pb), FD_OK);
    struct fd_post p = { 0 };
    cr_assert_eq(fd_store_post_get(S, rid, &p), FD_OK);
    cr_assert_eq(p.parent_id, p1);
    cr_assert_eq(p.author.id, c.other.id);
    fd_post_clear(&p);
    struct fd_thread t = { 0 };
    cr_assert_eq(fd_store_thread_get(S, t1, &t), FD_OK);
    cr_assert_eq(t.post_count, 2, "a refused reply was counted");
    fd_thread_clear(&t);
    cast_clear(&c);
}

Test(forum, reply_to_a_missing_thread_is_not_found)
{
    struct cast c = make_cast();
    struct fd_new_post reply = { .thread_id = 4242, .body = "x", .body_html = body_html };
    int64_t rid = 0;
    struct fd_problem pb = { 0 };
    cr_assert_eq(forum_post(&c.member, &reply, 200, &rid, &pb), FD_ENOTFOUND);
    cast_clear(&c);
}

Test(forum, consultation_window_decides_who_may_reply)
{
    struct cast c = make_cast();
    struct fd_new_thread in = thread_in(5, 0);
    in.consultation = (struct fd_consultation_in){ .given = true, .opens_at = 1000, .closes_at = 2000 };
    int64_t tid = 0, pid = 0, rid = 0;
    struct fd_problem pb = { 0 };
    cr_assert_eq(forum_thread(&c.moderator, &in, 500, &tid, &pid, &pb), FD_OK);

    struct fd_new_post reply = { .thread_id = tid, .body = "x", .body_html = body_html };
    cr_assert_eq(forum_post(&c.member, &reply, 999, &rid, &pb), FD_ECLOSED,
                 "planned consultation accepted a reply");
    cr_assert_eq(forum_post(&c.member, &reply, 1000, &rid, &pb), FD_OK);
    cr_assert_eq(forum_post(&c.member, &reply, 1999, &rid, &pb), FD_OK);
    cr_assert_eq(forum_post(&c.member, &reply, 2000, &rid, &pb), FD_ECLOSED);
    cr_assert_eq(forum_post(&c.member, &reply, 5000, &rid, &pb), FD_ECLOSED);
    /* a moderator's ordinary reply is refused too; the official answer passes */
    cr_assert_eq(forum_post(&c.moderator, &reply, 5000, &rid, &pb), FD_ECLOSED);
    reply.official = true;
    cr_assert_eq(forum_post(&c.moderator, &reply, 5000, &rid, &pb), FD_OK);
    struct fd_thread t = { 0 };
    cr_assert_eq(fd_store_thread_get(S, tid, &t), FD_OK);
    cr_assert_eq(t.post_count, 4);
    cr_assert_eq(t.official_post_id, rid);
    fd_thread_clear(&t);
    cast_clear(&c);
}

Test(forum, suspended_author_is_refused)
{
    struct cast c = make_cast();
    struct fd_new_thread in = thread_in(1, 0);
    int64_t tid = 0, pid = 0, rid = 0;
    struct fd_problem pb = { 0 };
    cr_assert_eq(forum_thread(&c.member, &in, 100, &tid, &pid, &pb), FD_OK);

    struct fd_user suspended = c.other; /* shallow copy: only suspended_until differs */
    suspended.suspended_until = 1000;
    struct fd_new_post reply = { .thread_id = tid, .body = "x", .body_html = body_html };
    cr_assert_eq(forum_thread(&suspended, &in, 500, &tid, &pid, &pb), FD_ESUSPENDED);
    cr_assert_eq(forum_post(&suspended, &reply, 500, &rid, &pb), FD_ESUSPENDED);
    cr_assert_eq(forum_post(&suspended, &reply, 999, &rid, &pb), FD_ESUSPENDED);
    /* the suspension ends at suspended_until */
    cr_assert_eq(forum_post(&suspended, &reply, 1000, &rid, &pb), FD_OK);
    /* staff can be suspended too */
    struct fd_user mod = c.moderator;
    mod.suspended_until = 1000;
    reply.official = true;
    cr_assert_eq(forum_post(&mod, &reply, 500, &rid, &pb), FD_ESUSPENDED);
    cast_clear(&c);
}

Test(forum, staff_and_suspension_predicates)
{
    struct fd_user u = { .id = 1, .role = FD_ROLE_MEMBER };
    cr_assert_not(fd_forum_is_staff(&u));
    u.role = FD_ROLE_MODERATOR;
    cr_assert(fd_forum_is_staff(&u));
    u.role = FD_ROLE_ADMIN;
    cr_assert(fd_forum_is_staff(&u));
    u.id = 0; /* anonymous visitor */
    cr_assert_not(fd_forum_is_staff(&u));
    cr_assert_not(fd_forum_is_suspended(&u, 100));
    u.suspended_until = 101;
    cr_assert(fd_forum_is_suspended(&u, 100));
    cr_assert_not(fd_forum_is_suspended(&u, 101));
}

/* ---- migrations (SQLite-specific: reads and sets PRAGMA user_version directly) ---- */

static char db_path[64];

static void tmp_setup(void)
{
    snprintf(db_path, sizeof db_path, "/tmp/forumd-test-XXXXXX");
    int fd = mkstemp(db_path);
    cr_assert_geq(fd, 0);
    close(fd);
    unlink(db_path); /* let SQLite create it */
}

static void tmp_teardown(void)
{
    char p[96];
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
}

TestSuite(migrate, .init = tmp_setup, .fini = tmp_teardown);

static int user_version(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int v = -1;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void exec_on(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_close(db);
}

Test(migrate, latest_is_the_last_migration)
{
    cr_assert_gt(fd_migrations_count, 0);
    cr_assert_eq(fd_migrate_latest(), fd_migrations[fd_migrations_count - 1].version);
    for (int i = 1; i < fd_migrations_count; i++)
        cr_assert_gt(fd_migrations[i].version, fd_migrations[i - 1].version, "migrations out of order");
}

Test(migrate, opening_twice_keeps_the_latest_version)
{
    char err[512] = "";
    struct fd_store *s = fd_store_sqlite_open(db_path, true, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    int64_t keep_id = 0;
    struct fd_new_user in = {
        .email = "x@example.eu",
        .password_hash = password_hash,
        .display_name = "X",
        .stakeholder_type = "citizen",
    };
    struct fd_user u = { 0 };
    cr_assert_eq(fd_store_tx_begin(s), FD_OK);
    cr_assert_eq(fd_store_user_create(s, &in, 1, &u), FD_OK);
    cr_assert_eq(fd_store_tx_commit(s), FD_OK);
    keep_id = u.id;
    fd_user_clear(&u);
    fd_store_close(s);
    cr_assert_eq(user_version(db_path), fd_migrate_latest());

    s = fd_store_sqlite_open(db_path, true, err, sizeof err);
    cr_assert_not_null(s, "second open: %s", err);
    cr_assert_eq(fd_store_user_by_email(s, "x@example.eu", &u), FD_OK, "data lost by the second open");
    cr_assert_eq(u.id, keep_id);
    fd_user_clear(&u);
    struct fd_objective_list l = { 0 };
    cr_assert_eq(fd_store_objectives_list(s, &l), FD_OK);
    cr_assert_eq(l.n, 5, "seed data applied twice or lost");
    fd_objective_list_clear(&l);
    fd_store_close(s);
    cr_assert_eq(user_version(db_path), fd_migrate_latest());

    /* Without migrating, a current database opens. */
    s = fd_store_sqlite_open(db_path, false, err, sizeof err);
    cr_assert_not_null(s, "open without migrating: %s", err);
    fd_store_close(s);
}

Test(migrate, newer_schema_is_refused)
{
    char err[512] = "";
    struct fd_store *s = fd_store_sqlite_open(db_path, true, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    fd_store_close(s);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", fd_migrate_latest() + 1);
    exec_on(db_path, sql);

    err[0] = '\0';
    s = fd_store_sqlite_open(db_path, true, err, sizeof err);
    cr_assert_null(s);
    cr_assert_not_null(strstr(err, "newer"), "message: %s", err);
    cr_assert_eq(user_version(db_path), fd_migrate_latest() + 1, "the refused database was changed");
}

Test(migrate, unmigrated_database_is_refused_without_migrate)
{
    char err[512] = "";
    exec_on(db_path, "PRAGMA user_version = 0");
    struct fd_store *s = fd_store_sqlite_open(db_path, false, err, sizeof err);
    cr_assert_null(s);
    cr_assert_neq(err[0], '\0');
}

Test(migrate, foreign_database_is_not_touched)
{
    exec_on(db_path, "CREATE TABLE invoices(id INTEGER PRIMARY KEY, total INTEGER)");
    char err[512] = "";
    struct fd_store *s = fd_store_sqlite_open(db_path, true, err, sizeof err);
    cr_assert_null(s);
    cr_assert_not_null(strstr(err, "not a forumd database"), "message: %s", err);
    cr_assert_eq(user_version(db_path), 0);
}

Test(migrate, missing_file_is_not_created_without_migrate)
{
    char err[512] = "";
    struct fd_store *s = fd_store_sqlite_open(db_path, false, err, sizeof err);
    cr_assert_null(s);
    cr_assert_eq(access(db_path, F_OK), -1, "the file was created");
}

Test(migrate, garbage_file_is_refused)
{
    FILE *f = fopen(db_path, "w");
    cr_assert_not_null(f);
    for (int i = 0; i < 200; i++)
        fputs("this is not an SQLite database at all\n", f);
    fclose(f);
    char err[512] = "";
    struct fd_store *s = fd_store_sqlite_open(db_path, true, err, sizeof err);
    cr_assert_null(s);
    cr_assert_neq(err[0], '\0');
}
