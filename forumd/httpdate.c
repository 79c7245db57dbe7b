/* HTTP dates: formatting for Last-Modified, parsing for If-Modified-Since. The day and month names
 * come from tables, not strftime's %a and %b, so that a locale never changes them. */
#include <time.h>
#include "forumd/httpdate.h"

static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

char *fd_httpdate_format(int64_t t, char *buf)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (!gmtime_r(&tt, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0) {
        snprintf(buf, FD_HTTPDATE_LEN, "Thu, 01 Jan 1970 00:00:00 GMT");
        return buf;
    }
    snprintf(buf, FD_HTTPDATE_LEN, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

/* The month numbered 0..11 for its three-letter name; -1 if unknown. */
static int month_of(const char *name)
{
    for (int i = 0; i < 12; i++)
        if (!strcmp(name, months[i]))
            return i;
    return -1;
}

/* Checks the fields read by one of the forms and converts them; 0 or -1. */
static int to_time(int year, const char *mon, int day, int h, int m, int s, int64_t *out)
{
    struct tm tm = { 0 };
    tm.tm_mon = month_of(mon);
    if (tm.tm_mon < 0 || year < 1970 || year > 9999 || day < 1 || day > 31 || h < 0 || h > 23 || m < 0 ||
        m > 59 || s < 0 || s > 60)
        return -1;
    tm.tm_year = year - 1900;
    tm.tm_mday = day;
    tm.tm_hour = h;
    tm.tm_min = m;
    tm.tm_sec = s == 60 ? 59 : s;
    time_t t = timegm(&tm);
    if (t == (time_t)-1 || tm.tm_mday != day) /* timegm moves 31 Feb into March */
        return -1;
    *out = (int64_t)t;
    return 0;
}

int fd_httpdate_parse(const char *s, int64_t *out)
{
    char wd[10], mon[4];
    int day, year, h, m, sec, end = 0;
    /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
    int n = sscanf(s, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n", wd, &day, mon, &year, &h, &m, &sec,
                   &end);
    if (n == 7 && end > 0 && s[end] == '\0')
        return to_time(year, mon, day, h, m, sec, out);
    /* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (a two-digit year: 70-99 are 19xx) */
    end = 0;
    n = sscanf(s, "%9[A-Za-z], %2d-%3[A-Za-z]-%2d %2d:%2d:%2d GMT%n", wd, &day, mon, &year, &h, &m, &sec,
               &end);
    if (n == 7 && end > 0 && s[end] == '\0')
        return to_time(year < 70 ? 2000 + year : 1900 + year, mon, day, h, m, sec, out);
    /* asctime: Sun Nov  6 08:49:37 1994 */
    end = 0;
    n = sscanf(s, "%3[A-Za-z] %3[A-Za-z] %2d %2d:%2d:%2d %4d%n", wd, mon, &day, &h, &m, &sec, &year, &end);
    if (n == 7 && end > 0 && s[end] == '\0')
        return to_time(year, mon, day, h, m, sec, out);
    return -1;
}
