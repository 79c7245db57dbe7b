/* Unit tests of httpdate.c: IMF-fixdate out, all three HTTP date forms in. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "forumd/httpdate.h"

Test(httpdate, format)
{
    char buf[FD_HTTPDATE_LEN];
    cr_assert_str_eq(fd_httpdate_format(784111777, buf), "Sun, 06 Nov 1994 08:49:37 GMT");
    cr_assert_str_eq(fd_httpdate_format(0, buf), "Thu, 01 Jan 1970 00:00:00 GMT");
    cr_assert_str_eq(fd_httpdate_format(1800000100, buf), "Fri, 15 Jan 2027 08:01:40 GMT");
}

struct parse_case {
    char in[48];
    int ok;
    int64_t t;
};

static const struct parse_case parse_cases[] = {
    { "Sun, 06 Nov 1994 08:49:37 GMT", 1, 784111777 },
    { "Sunday, 06-Nov-94 08:49:37 GMT", 1, 784111777 },
    { "Sun Nov  6 08:49:37 1994", 1, 784111777 },
    { "Fri, 15 Jan 2027 08:01:40 GMT", 1, 1800000100 },
    { "Thu, 01 Jan 1970 00:00:00 GMT", 1, 0 },
    { "Sun, 06 Nov 1994 08:49:37 UTC", 0, 0 },
    { "Sun, 06 Nov 1994 08:49:37 GMT trailing", 0, 0 },
    { "Sun, 06 Foo 1994 08:49:37 GMT", 0, 0 },
    { "Sun, 31 Feb 1994 08:49:37 GMT", 0, 0 },
    { "Sun, 06 Nov 1994 25:49:37 GMT", 0, 0 },
    { "2026-11-29T10:00:00Z", 0, 0 },
    { "", 0, 0 },
    { "garbage", 0, 0 },
};

ParameterizedTestParameters(httpdate, parse)
{
    return cr_make_param_array(struct parse_case, parse_cases, FD_ARRAY_LEN(parse_cases));
}

ParameterizedTest(const struct parse_case *c, httpdate, parse)
{
    int64_t t = -1;
    int rc = fd_httpdate_parse(c->in, &t);
    cr_assert_eq(rc == 0, c->ok == 1, "'%s': rc %d", c->in, rc);
    if (c->ok)
        cr_assert_eq(t, c->t, "'%s': %lld", c->in, (long long)t);
}

Test(httpdate, round_trip)
{
    char buf[FD_HTTPDATE_LEN];
    for (int64_t t = 0; t < 4102444800; t += 86399 * 37) {
        int64_t back = -1;
        cr_assert_eq(fd_httpdate_parse(fd_httpdate_format(t, buf), &back), 0, "%s", buf);
        cr_assert_eq(back, t, "%s", buf);
    }
}
