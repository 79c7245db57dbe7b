/* Unit tests of config.c (options by name, listen addresses, ranges) and of the time helpers of util.c
 * (RFC 3339 formatting and parsing). */
#include <unistd.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "forumd/config.h"

static struct fd_config cfg;

static void setup(void)
{
    fd_config_defaults(&cfg);
}

static void teardown(void)
{
    fd_config_clear(&cfg);
}

TestSuite(config, .init = setup, .fini = teardown);

Test(config, defaults)
{
    cr_assert_str_eq(cfg.listen_host, "127.0.0.1");
    cr_assert_eq(cfg.listen_port, 8080);
    cr_assert_gt(cfg.threads, 0);
    cr_assert_gt(cfg.workers, 0);
    cr_assert_geq(cfg.pwhash_ops, 2);
    cr_assert_geq(cfg.pwhash_mem, (size_t)19 << 20);
    cr_assert_not(cfg.secure_cookies);
}

/* ---- listen addresses ---- */

struct listen_case {
    char value[48];
    char host[40];
    int port;
};

static const struct listen_case listen_ok[] = {
    { "127.0.0.1:8080", "127.0.0.1", 8080 },
    { "0.0.0.0:80", "0.0.0.0", 80 },
    { "localhost:65535", "localhost", 65535 },
    { "127.0.0.1:0", "127.0.0.1", 0 },
    { "[::1]:0", "::1", 0 },
    { "[::]:8443", "::", 8443 },
    { "[2001:db8::1]:443", "2001:db8::1", 443 },
    { "forum.example.eu:1", "forum.example.eu", 1 },
};

ParameterizedTestParameters(config, listen_ok)
{
    return cr_make_param_array(struct listen_case, listen_ok, FD_ARRAY_LEN(listen_ok));
}

ParameterizedTest(const struct listen_case *c, config, listen_ok)
{
    char err[256] = "";
    cr_assert_eq(fd_config_set(&cfg, "listen", c->value, err, sizeof err), 0, "%s: %s", c->value, err);
    cr_assert_str_eq(cfg.listen_host, c->host);
    cr_assert_eq(cfg.listen_port, c->port);
}

struct bad_value {
    char name[24];
    char value[48];
};

static const struct bad_value bad_values[] = {
    { "listen", "" },
    { "listen", "127.0.0.1" },
    { "listen", "127.0.0.1:" },
    { "listen", ":8080" },
    { "listen", "127.0.0.1:65536" },
    { "listen", "127.0.0.1:-1" },
    { "listen", "127.0.0.1:http" },
    { "listen", "127.0.0.1:80x" },
    { "listen", "127.0.0.1:99999999999999999999" },
    { "listen", "[::1]" },
    { "threads", "0" },
    { "threads", "65" },
    { "threads", "-1" },
    { "threads", "" },
    { "threads", "two" },
    { "threads", "2.5" },
    { "threads", "2 " },
    { "workers", "0" },
    { "session-idle", "0" },
    { "session-idle", "31536001" },
    { "session-max", "-5" },
    { "pwhash-ops", "0" },
    { "pwhash-ops", "65" },
    { "pwhash-mem", "8191" },
    { "pwhash-mem", "5G" },
    { "pwhash-mem", "1T" },
    { "http-timeout", "0" },
    { "http-timeout", "3601" },
    { "max-body", "1023" },
    { "max-body", "65M" },
    { "max-body", "9223372036854775807G" },
    { "max-body", "1KB" },
    { "quiet", "maybe" },
    { "quiet", "" },
    { "quiet", "2" },
};

ParameterizedTestParameters(config, bad_values)
{
    return cr_make_param_array(struct bad_value, bad_values, FD_ARRAY_LEN(bad_values));
}

ParameterizedTest(const struct bad_value *c, config, bad_values)
{
    struct fd_config before = cfg;
    char err[256] = "";
    cr_assert_eq(fd_config_set(&cfg, c->name, c->value, err, sizeof err), -1, "--%s '%s' accepted", c->name,
                 c->value);
    cr_assert_not_null(strstr(err, c->name), "the message does not name the option: %s", err);
    /* a refused value leaves the option as it was */
    cr_assert_eq(cfg.listen_port, before.listen_port);
    cr_assert_str_eq(cfg.listen_host, "127.0.0.1");
    cr_assert_eq(cfg.threads, before.threads);
    cr_assert_eq(cfg.pwhash_mem, before.pwhash_mem);
    cr_assert_eq(cfg.max_body, before.max_body);
}

Test(config, size_suffixes_apply_only_to_sizes)
{
    /* config.c: "sizes may carry a K/M/G suffix". A port or a number of seconds is not a size. */
    char err[256] = "";
    cr_expect_eq(fd_config_set(&cfg, "listen", "127.0.0.1:8k", err, sizeof err), -1, "port 8k accepted as %d",
                 cfg.listen_port);
    cr_expect_eq(fd_config_set(&cfg, "http-timeout", "1k", err, sizeof err), -1,
                 "timeout 1k accepted as %d s", cfg.http_timeout);
    cr_expect_eq(fd_config_set(&cfg, "session-idle", "1M", err, sizeof err), -1,
                 "session-idle 1M accepted as %lld s", (long long)cfg.session_idle);
}

Test(config, malformed_hosts_are_refused)
{
    /* The host is whatever precedes the last ':'. So "::1" (the IPv6 loopback without a port) is taken as
     * host ":" port 1, and unbalanced or empty brackets are kept as part of the host name: all of them are
     * accepted now and only fail later, at bind time, with a resolver error instead of "invalid value". */
    static const char *const values[] = { "::1", "[::1:8080", "::1]:8080", "[]:8080" };
    char err[256] = "";
    for (size_t i = 0; i < FD_ARRAY_LEN(values); i++) {
        int rc = fd_config_set(&cfg, "listen", values[i], err, sizeof err);
        cr_expect_eq(rc, -1, "--listen %s accepted as host '%s' port %d", values[i], cfg.listen_host,
                     cfg.listen_port);
    }
}

Test(config, numbers_and_sizes)
{
    char err[256] = "";
    cr_assert_eq(fd_config_set(&cfg, "threads", "4", err, sizeof err), 0, "%s", err);
    cr_assert_eq(cfg.threads, 4);
    cr_assert_eq(fd_config_set(&cfg, "threads", "64", err, sizeof err), 0, "%s", err);
    cr_assert_eq(cfg.threads, 64);
    cr_assert_eq(fd_config_set(&cfg, "pwhash-mem", "64M", err, sizeof err), 0, "%s", err);
    cr_assert_eq(cfg.pwhash_mem, (size_t)64 << 20);
    cr_assert_eq(fd_config_set(&cfg, "pwhash-mem", "8192", err, sizeof err), 0, "%s", err);
    cr_assert_eq(cfg.pwhash_mem, 8192);
    cr_assert_eq(fd_config_set(&cfg, "pwhash-mem", "4G", err, sizeof err), 0, "%s", err);
    cr_assert_eq(cfg.pwhash_mem, (size_t)4 << 30);
    cr_assert_eq(fd_config_set(&cfg, "max-body", "512k", err, sizeof err), 0, "%s", err);
    cr_assert_eq(cfg.max_body, 512 * 1024);
    cr_assert_eq(fd_config_set(&cfg, "max-body", "64M", err, sizeof err), 0, "%s", err);
    cr_assert_eq(cfg.max_body, (size_t)64 << 20);
    cr_assert_eq(fd_config_set(&cfg, "session-max", "86400", err, sizeof err), 0, "%s", err);
    cr_assert_eq(cfg.session_max, 86400);
    cr_assert_eq(fd_config_set(&cfg, "pwhash-ops", "3", err, sizeof err), 0, "%s", err);
    cr_assert_eq(cfg.pwhash_ops, 3);
}

Test(config, booleans)
{
    static const char *const yes[] = { "1", "true", "yes", "on" };
    static const char *const no[] = { "0", "false", "no", "off" };
    char err[256] = "";
    for (size_t i = 0; i < FD_ARRAY_LEN(yes); i++) {
        cfg.quiet = false;
        cr_assert_eq(fd_config_set(&cfg, "quiet", yes[i], err, sizeof err), 0, "%s", yes[i]);
        cr_assert(cfg.quiet, "%s", yes[i]);
        cr_assert_eq(fd_config_set(&cfg, "quiet", no[i], err, sizeof err), 0, "%s", no[i]);
        cr_assert_not(cfg.quiet, "%s", no[i]);
    }
}

Test(config, strings_and_public_url)
{
    char err[256] = "";
    cr_assert_eq(fd_config_set(&cfg, "db", "/var/lib/forumd/forum.db", err, sizeof err), 0);
    cr_assert_str_eq(cfg.db_path, "/var/lib/forumd/forum.db");
    cr_assert_eq(fd_config_set(&cfg, "db", "other.db", err, sizeof err), 0);
    cr_assert_str_eq(cfg.db_path, "other.db");
    cr_assert_eq(fd_config_set(&cfg, "public-url", "https://forum.example.eu", err, sizeof err), 0);
    cr_assert_str_eq(cfg.public_url, "https://forum.example.eu");
    cr_assert(cfg.secure_cookies, "an https public URL must make cookies Secure");
    cr_assert_eq(fd_config_set(&cfg, "public-url", "http://localhost:8080", err, sizeof err), 0);
    cr_assert_not(cfg.secure_cookies);
}

Test(config, dash_and_underscore_are_alike)
{
    char err[256] = "";
    cr_assert_eq(fd_config_set(&cfg, "session_idle", "600", err, sizeof err), 0, "%s", err);
    cr_assert_eq(cfg.session_idle, 600);
    cr_assert_eq(fd_config_set(&cfg, "session-idle", "700", err, sizeof err), 0, "%s", err);
    cr_assert_eq(cfg.session_idle, 700);
    cr_assert_eq(fd_config_set(&cfg, "public_url", "https://x.eu", err, sizeof err), 0, "%s", err);
    cr_assert(cfg.secure_cookies);
    cr_assert_eq(fd_config_set(&cfg, "max_body", "2048", err, sizeof err), 0, "%s", err);
    cr_assert_eq(cfg.max_body, 2048);
    /* the environment spelling */
    cr_assert_eq(fd_config_set(&cfg, "HTTP_TIMEOUT", "5", err, sizeof err), 0, "%s", err);
    cr_assert_eq(cfg.http_timeout, 5);
}

Test(config, unknown_names_are_refused)
{
    static const char *const names[] = { "",         "listn",         "listen2", "listenx",
                                         "list",     "db-path",       "session", "-",
                                         "--listen", "session--idle", "max body" };
    char err[256];
    for (size_t i = 0; i < FD_ARRAY_LEN(names); i++) {
        err[0] = '\0';
        cr_assert_eq(fd_config_set(&cfg, names[i], "1", err, sizeof err), -1, "'%s' accepted", names[i]);
        cr_assert_not_null(strstr(err, "unknown"), "'%s': %s", names[i], err);
    }
    cr_assert_eq(cfg.threads, 2);
}

Test(config, error_text_is_truncated_safely)
{
    char err[8];
    memset(err, 'x', sizeof err);
    cr_assert_eq(fd_config_set(&cfg, "threads", "999", err, sizeof err), -1);
    cr_assert_eq(err[7], '\0');
}

Test(config, load_file)
{
    char path[] = "/tmp/forumd-conf-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("# comment\n\n  listen = [::1]:9000  \nthreads=3\nmax_body = 2M\n", f);
    fclose(f);
    char err[256] = "";
    cr_assert_eq(fd_config_load_file(&cfg, path, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(cfg.listen_host, "::1");
    cr_assert_eq(cfg.listen_port, 9000);
    cr_assert_eq(cfg.threads, 3);
    cr_assert_eq(cfg.max_body, (size_t)2 << 20);

    f = fopen(path, "w");
    fputs("threads = 4\nbogus = 1\n", f);
    fclose(f);
    cr_assert_eq(fd_config_load_file(&cfg, path, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, ":2:"), "the line number is missing: %s", err);
    unlink(path);
    cr_assert_eq(fd_config_load_file(&cfg, path, err, sizeof err), -1);
}

/* ---- RFC 3339 time ---- */

struct time_case {
    char text[40];
    int rc;
    int64_t t;
};

static const struct time_case time_cases[] = {
    { "1970-01-01T00:00:00Z", 0, 0 },
    { "2026-11-29T05:36:02Z", 0, 1795930562 },
    { "2026-11-29t05:36:02z", 0, 1795930562 },
    { "2026-11-29T05:36:02.123456Z", 0, 1795930562 },
    { "2026-11-29T06:36:02+01:00", 0, 1795930562 },
    { "2026-11-29T00:06:02-05:30", 0, 1795930562 },
    { "2026-11-29T05:36:02+00:00", 0, 1795930562 },
    { "2026-11-29T05:36:02-00:00", 0, 1795930562 },
    { "2026-11-30T05:35:02+23:59", 0, 1795930562 },
    { "2024-02-29T12:00:00Z", 0, 1709208000 },
    { "2000-02-29T00:00:00Z", 0, 951782400 },
    { "2016-12-31T23:59:60Z", 0, 1483228799 }, /* leap second, read as :59 */
    { "1969-12-31T23:59:59Z", 0, -1 },
    { "1900-03-01T00:00:00Z", 0, -2203891200 },
    { "2038-01-19T03:14:08Z", 0, 2147483648 },
    { "9999-12-31T23:59:59Z", 0, 253402300799 },
    { "2023-02-29T00:00:00Z", -1, 0 },
    { "1900-02-29T00:00:00Z", -1, 0 },
    { "2100-02-29T00:00:00Z", -1, 0 },
    { "2024-02-30T00:00:00Z", -1, 0 },
    { "2024-04-31T00:00:00Z", -1, 0 },
    { "2024-06-31T00:00:00Z", -1, 0 },
    { "2024-09-31T00:00:00Z", -1, 0 },
    { "2024-11-31T00:00:00Z", -1, 0 },
    { "2024-13-01T00:00:00Z", -1, 0 },
    { "2024-00-10T00:00:00Z", -1, 0 },
    { "2024-01-00T00:00:00Z", -1, 0 },
    { "2024-01-32T00:00:00Z", -1, 0 },
    { "2024-01-01T24:00:00Z", -1, 0 },
    { "2024-01-01T23:60:00Z", -1, 0 },
    { "2024-01-01T23:59:61Z", -1, 0 },
    { "2024-01-01T00:00:00", -1, 0 },
    { "2024-01-01 00:00:00Z", -1, 0 },
    { "2024-01-01T00:00Z", -1, 0 },
    { "2024-01-01", -1, 0 },
    { "2024-1-01T00:00:00Z", -1, 0 },
    { "24-01-01T00:00:00Z", -1, 0 },
    { "2024/01/01T00:00:00Z", -1, 0 },
    { "2024-01-01T00:00:00.Z", -1, 0 },
    { "2024-01-01T00:00:00,5Z", -1, 0 },
    { "2024-01-01T00:00:00+0100", -1, 0 },
    { "2024-01-01T00:00:00+01", -1, 0 },
    { "2024-01-01T00:00:00+", -1, 0 },
    { "2024-01-01T00:00:00+24:00", -1, 0 },
    { "2024-01-01T00:00:00+01:60", -1, 0 },
    { "2024-01-01T00:00:00ZZ", -1, 0 },
    { "2024-01-01T00:00:00Z ", -1, 0 },
    { " 2024-01-01T00:00:00Z", -1, 0 },
    { "2024-01-01T00:00:00UTC", -1, 0 },
    { "+2024-01-01T00:00:00Z", -1, 0 },
    { "-024-01-01T00:00:00Z", -1, 0 },
    { "", -1, 0 },
};

ParameterizedTestParameters(time, parse)
{
    return cr_make_param_array(struct time_case, time_cases, FD_ARRAY_LEN(time_cases));
}

ParameterizedTest(const struct time_case *c, time, parse)
{
    int64_t t = 42;
    int rc = fd_time_parse(c->text, &t);
    cr_assert_eq(rc, c->rc, "'%s': rc %d", c->text, rc);
    if (rc == 0)
        cr_assert_eq(t, c->t, "'%s' gave %lld, expected %lld", c->text, (long long)t, (long long)c->t);
    else
        cr_assert_eq(t, 42, "'%s' changed the output on failure", c->text);
}

struct format_case {
    int64_t t;
    char text[32];
};

static const struct format_case format_cases[] = {
    { 0, "1970-01-01T00:00:00Z" },
    { 1795930562, "2026-11-29T05:36:02Z" },
    { 1709208000, "2024-02-29T12:00:00Z" },
    { 951782400, "2000-02-29T00:00:00Z" },
    { -1, "1969-12-31T23:59:59Z" },
    { 2147483648, "2038-01-19T03:14:08Z" },
    { 253402300799, "9999-12-31T23:59:59Z" },
};

ParameterizedTestParameters(time, format_and_back)
{
    return cr_make_param_array(struct format_case, format_cases, FD_ARRAY_LEN(format_cases));
}

ParameterizedTest(const struct format_case *c, time, format_and_back)
{
    char buf[FD_RFC3339_LEN];
    cr_assert_eq(fd_time_rfc3339(c->t, buf), buf);
    cr_assert_str_eq(buf, c->text);
    int64_t back = 0;
    cr_assert_eq(fd_time_parse(buf, &back), 0, "%s", buf);
    cr_assert_eq(back, c->t);
}

Test(time, round_trip_over_many_days)
{
    /* Every 7 hours 13 minutes from 1896 to 2104, covering the century rules around 1900, 2000 and 2100. */
    char buf[FD_RFC3339_LEN];
    for (int64_t t = -2325000000LL; t < 4260000000LL; t += 7 * 3600 + 13 * 60 + 7) {
        fd_time_rfc3339(t, buf);
        int64_t back = 0;
        cr_assert_eq(fd_time_parse(buf, &back), 0, "%s", buf);
        cr_assert_eq(back, t, "%s: %lld != %lld", buf, (long long)back, (long long)t);
    }
}
