/* Validators for accepted text: UTF-8, e-mail, country, language tag, ids. */
#include <ctype.h>
#include <errno.h>
#include "forumd/valid.h"

bool fd_valid_utf8(const char *str, size_t len, bool allow_nul)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c == 0 && !allow_nul)
                return false;
            i++;
            continue;
        }
        size_t n;
        uint32_t cp;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false; /* continuation byte, overlong lead (c0, c1) or > f4 */
        }
        if (len - i <= n)
            return false;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n + 1;
    }
    return true;
}

size_t fd_utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            n++;
    return n;
}

bool fd_valid_not_blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return true;
    return false;
}

/* Decodes one UTF-8 sequence of valid text (checked when it was accepted); returns its length. */
static int utf8_next(const unsigned char *p, uint32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if ((p[0] & 0xe0) == 0xc0) {
        *cp = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
        return 2;
    }
    if ((p[0] & 0xf0) == 0xe0) {
        *cp = (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
        return 3;
    }
    *cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 | (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
    return 4;
}

/* A name shown beside every contribution must read as what it is: no control characters, no
 * invisible ones (zero-width, BOM) and no direction overrides, which could make "nimda" read as
 * "admin" or hide a second name. */
bool fd_valid_display_name(const char *s)
{
    if (!fd_valid_not_blank(s))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        uint32_t c;
        p += utf8_next(p, &c);
        if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0xad || c == 0x061c || (c >= 0x200b && c <= 0x200f) ||
            (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) || c == 0xfeff ||
            (c >= 0xfff9 && c <= 0xfffb))
            return false;
    }
    return true;
}

bool fd_valid_email(const char *s)
{
    size_t len = strlen(s);
    const char *at = strchr(s, '@');
    if (len < 3 || len > 254 || !at || at == s || strchr(at + 1, '@'))
        return false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == '\\' || c == ',' || c == ';')
            return false;
    }
    const char *domain = at + 1;
    const char *dot = strrchr(domain, '.');
    return dot && dot != domain && dot[1] != '\0' && domain[0] != '.' && !strstr(domain, "..");
}

/* ISO 3166-1 alpha-2, officially assigned codes. */
static const char iso_countries[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV "
    "BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES "
    "ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE "
    "IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY "
    "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU "
    "NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM "
    "SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE "
    "VG VI VN VU WF WS YE YT ZA ZM ZW";
static const char eu_countries[] = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE";

static bool in_code_list(const char *list, const char *s)
{
    if (strlen(s) != 2 || !isupper((unsigned char)s[0]) || !isupper((unsigned char)s[1]))
        return false;
    for (const char *p = list; *p; p += (p[2] ? 3 : 2))
        if (p[0] == s[0] && p[1] == s[1])
            return true;
    return false;
}

bool fd_valid_country(const char *s)
{
    return in_code_list(iso_countries, s);
}

bool fd_valid_eu_country(const char *s)
{
    return in_code_list(eu_countries, s);
}

bool fd_valid_language(const char *s)
{
    size_t len = strlen(s);
    if (len < 2 || len > 35)
        return false;
    size_t i = 0;
    while (i < len && isalpha((unsigned char)s[i]))
        i++;
    if (i < 2 || i > 3)
        return false;
    while (i < len) {
        if (s[i] != '-')
            return false;
        size_t start = ++i;
        while (i < len && isalnum((unsigned char)s[i]))
            i++;
        if (i - start < 1 || i - start > 8)
            return false;
    }
    return true;
}

const char *const fd_stakeholder_types[] = {
    "commission", "member_state", "european_parliament", "eu_agency",
    "civil_society", "academia", "private_sector", "citizen",
};
const size_t fd_stakeholder_types_count = FD_ARRAY_LEN(fd_stakeholder_types);

bool fd_valid_stakeholder_type(const char *s)
{
    for (size_t i = 0; i < fd_stakeholder_types_count; i++)
        if (!strcmp(s, fd_stakeholder_types[i]))
            return true;
    return false;
}

bool fd_valid_transparency_id(const char *s)
{
    size_t len = strlen(s), hyphens = 0;
    if (len < 3 || len > 20 || s[0] == '-' || s[len - 1] == '-')
        return false;
    for (const char *p = s; *p; p++) {
        if (*p == '-')
            hyphens++;
        else if (!isdigit((unsigned char)*p))
            return false;
    }
    return hyphens == 1;
}

int fd_parse_id(const char *s, int64_t *out)
{
    /* One spelling per id ("01" is not 1): caches, ETags and logs key on the text. */
    if (!s || !*s || strlen(s) > 19 || s[0] == '0')
        return -1;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v <= 0)
        return -1;
    *out = v;
    return 0;
}
