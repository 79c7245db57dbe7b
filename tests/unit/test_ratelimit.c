/* Unit tests of ratelimit.c: bucket arithmetic, back-off doubling, marks, address keys, and the
 * bound on the table under a flood of distinct keys. */
#include <criterion/criterion.h>
#include <unistd.h>
#include "forumd/ratelimit.h"

static struct fd_ratelimit *rl;

static void setup(void)
{
    rl = fd_rl_new();
}

static void teardown(void)
{
    fd_rl_free(rl);
}

TestSuite(ratelimit, .init = setup, .fini = teardown);

Test(ratelimit, bucket_allows_its_burst_then_says_how_long_to_wait)
{
    struct fd_rate r = { 3, 60 }; /* one token every 20 s */
    for (int i = 0; i < 3; i++)
        cr_assert_eq(fd_rl_take(rl, FD_RL_POST_ACCOUNT, "u1", r), 0, "token %d", i);
    int wait = fd_rl_take(rl, FD_RL_POST_ACCOUNT, "u1", r);
    cr_assert(wait >= 19 && wait <= 20, "wait %d", wait);
    cr_assert_eq(fd_rl_take(rl, FD_RL_POST_ACCOUNT, "u2", r), 0, "another key has its own bucket");
    cr_assert_eq(fd_rl_take(rl, FD_RL_FLAG_ACCOUNT, "u1", r), 0, "another kind has its own bucket");
}

Test(ratelimit, bucket_refills)
{
    struct fd_rate r = { 2, 1 }; /* two per second */
    cr_assert_eq(fd_rl_take(rl, FD_RL_SEARCH_ADDRESS, "a", r), 0);
    cr_assert_eq(fd_rl_take(rl, FD_RL_SEARCH_ADDRESS, "a", r), 0);
    cr_assert_eq(fd_rl_take(rl, FD_RL_SEARCH_ADDRESS, "a", r), 1);
    usleep(600 * 1000);
    cr_assert_eq(fd_rl_take(rl, FD_RL_SEARCH_ADDRESS, "a", r), 0, "a token came back after half a second");
}

Test(ratelimit, peek_does_not_take_and_zero_burst_never_limits)
{
    struct fd_rate r = { 1, 3600 };
    cr_assert_eq(fd_rl_peek(rl, FD_RL_LOGIN_ACCOUNT, "k", r), 0);
    cr_assert_eq(fd_rl_peek(rl, FD_RL_LOGIN_ACCOUNT, "k", r), 0);
    cr_assert_eq(fd_rl_take(rl, FD_RL_LOGIN_ACCOUNT, "k", r), 0);
    cr_assert_gt(fd_rl_peek(rl, FD_RL_LOGIN_ACCOUNT, "k", r), 3000);
    struct fd_rate off = { 0, 1 };
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(fd_rl_take(rl, FD_RL_POST_ADDRESS, "x", off), 0);
}

Test(ratelimit, backoff_starts_after_free_failures_and_doubles_to_a_cap)
{
    const char *k = "acct|127.0.0.1";
    for (int i = 0; i < 3; i++) {
        fd_rl_backoff_fail(rl, FD_RL_LOGIN_PAIR, k, 3, 8);
        cr_assert_eq(fd_rl_backoff_wait(rl, FD_RL_LOGIN_PAIR, k), 0, "failure %d is free", i + 1);
    }
    int expect[] = { 1, 2, 4, 8, 8, 8 };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        fd_rl_backoff_fail(rl, FD_RL_LOGIN_PAIR, k, 3, 8);
        cr_assert_eq(fd_rl_backoff_wait(rl, FD_RL_LOGIN_PAIR, k), expect[i], "failure %zu", i + 4);
    }
    fd_rl_backoff_reset(rl, FD_RL_LOGIN_PAIR, k);
    cr_assert_eq(fd_rl_backoff_wait(rl, FD_RL_LOGIN_PAIR, k), 0, "a success forgets the failures");
}

Test(ratelimit, marks_refuse_a_second_time_until_removed)
{
    cr_assert(fd_rl_mark(rl, FD_RL_DUPLICATE, "u1:abcd", 300));
    cr_assert_not(fd_rl_mark(rl, FD_RL_DUPLICATE, "u1:abcd", 300));
    cr_assert(fd_rl_mark(rl, FD_RL_DUPLICATE, "u2:abcd", 300));
    fd_rl_unmark(rl, FD_RL_DUPLICATE, "u1:abcd");
    cr_assert(fd_rl_mark(rl, FD_RL_DUPLICATE, "u1:abcd", 1));
    sleep(1);
    usleep(100 * 1000);
    cr_assert(fd_rl_mark(rl, FD_RL_DUPLICATE, "u1:abcd", 1), "an expired mark is free again");
}

Test(ratelimit, address_keys)
{
    char k[80];
    fd_rl_address_key("192.0.2.7", k, sizeof k);
    cr_assert_str_eq(k, "192.0.2.7");
    fd_rl_address_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd", k, sizeof k);
    cr_assert_str_eq(k, "2001:db8:1:2::/64");
    char k2[80];
    fd_rl_address_key("2001:db8:1:2::1", k2, sizeof k2);
    cr_assert_str_eq(k, k2, "one /64 is one client");
}

Test(ratelimit, a_flood_of_keys_stays_bounded_and_recent_keys_keep_their_state)
{
    struct fd_rate r = { 1, 3600 };
    char key[32];
    for (int i = 0; i < 400000; i++) {
        snprintf(key, sizeof key, "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
        fd_rl_take(rl, FD_RL_POST_ADDRESS, key, r);
    }
    cr_assert_leq(fd_rl_count(rl), 32 * 8192, "entries %zu", fd_rl_count(rl));
    cr_assert_gt(fd_rl_take(rl, FD_RL_POST_ADDRESS, key, r), 0, "the newest key lost its bucket");
}
