/* Unit tests of valid.c: UTF-8, e-mail, countries, language tags, register ids, decimal ids. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "forumd/valid.h"

/* ---- fd_valid_utf8 ---- */

struct utf8_case {
    char name[32];
    char bytes[8];
    size_t len;
    bool valid;     /* with allow_nul false */
    bool valid_nul; /* with allow_nul true */
};

static const struct utf8_case utf8_cases[] = {
    { "empty", "", 0, true, true },
    { "ascii", "abc", 3, true, true },
    { "two bytes e-acute", "\xc3\xa9", 2, true, true },
    { "smallest two-byte U+0080", "\xc2\x80", 2, true, true },
    { "largest two-byte U+07FF", "\xdf\xbf", 2, true, true },
    { "three bytes euro", "\xe2\x82\xac", 3, true, true },
    { "smallest three-byte U+0800", "\xe0\xa0\x80", 3, true, true },
    { "U+D7FF before surrogates", "\xed\x9f\xbf", 3, true, true },
    { "U+E000 after surrogates", "\xee\x80\x80", 3, true, true },
    { "U+FFFF", "\xef\xbf\xbf", 3, true, true },
    { "four bytes emoji", "\xf0\x9f\x98\x80", 4, true, true },
    { "smallest four-byte U+10000", "\xf0\x90\x80\x80", 4, true, true },
    { "largest U+10FFFF", "\xf4\x8f\xbf\xbf", 4, true, true },
    { "NUL", "a\0b", 3, false, true },
    { "only NUL", "\0", 1, false, true },
    { "overlong C0 80", "\xc0\x80", 2, false, false },
    { "overlong C1 BF", "\xc1\xbf", 2, false, false },
    { "overlong E0 80 80", "\xe0\x80\x80", 3, false, false },
    { "overlong E0 9F BF", "\xe0\x9f\xbf", 3, false, false },
    { "overlong F0 80 80 80", "\xf0\x80\x80\x80", 4, false, false },
    { "overlong F0 8F BF BF", "\xf0\x8f\xbf\xbf", 4, false, false },
    { "surrogate ED A0 80", "\xed\xa0\x80", 3, false, false },
    { "surrogate ED BF BF", "\xed\xbf\xbf", 3, false, false },
    { "surrogate pair CESU-8", "\xed\xa0\xbd\xed\xb8\x80", 6, false, false },
    { "above U+10FFFF F4 90 80 80", "\xf4\x90\x80\x80", 4, false, false },
    { "F5 lead", "\xf5\x80\x80\x80", 4, false, false },
    { "F8 five-byte lead", "\xf8\x88\x80\x80\x80", 5, false, false },
    { "FE", "\xfe", 1, false, false },
    { "FF", "\xff", 1, false, false },
    { "lone continuation 80", "\x80", 1, false, false },
    { "lone continuation BF after a", "a\xbf", 2, false, false },
    { "truncated two-byte", "\xc3", 1, false, false },
    { "truncated three-byte", "\xe2\x82", 2, false, false },
    { "truncated four-byte", "\xf0\x9f\x98", 3, false, false },
    { "truncated before ascii", "\xe2\x82\x61", 3, false, false },
    { "lead followed by lead", "\xc3\xc3\xa9", 3, false, false },
    { "continuation missing in 4", "\xf0\x9f\x61\x80", 4, false, false },
    { "extra continuation", "\xc3\xa9\xa9", 3, false, false },
};

ParameterizedTestParameters(valid_utf8, table)
{
    return cr_make_param_array(struct utf8_case, utf8_cases, FD_ARRAY_LEN(utf8_cases));
}

ParameterizedTest(const struct utf8_case *c, valid_utf8, table)
{
    /* Copy into a buffer of exactly len bytes, so that ASan catches a read past the end. */
    char *buf = malloc(c->len ? c->len : 1);
    memcpy(buf, c->bytes, c->len);
    cr_assert_eq(fd_valid_utf8(buf, c->len, false), c->valid, "%s (allow_nul false)", c->name);
    cr_assert_eq(fd_valid_utf8(buf, c->len, true), c->valid_nul, "%s (allow_nul true)", c->name);
    free(buf);
}

Test(valid_utf8, only_len_bytes_are_looked_at)
{
    /* A valid prefix is valid even if what follows it is not. */
    cr_assert(fd_valid_utf8("ab\xff", 2, false));
    cr_assert(fd_valid_utf8("\xc3\xa9\xc3", 2, false));
    cr_assert_not(fd_valid_utf8("\xc3\xa9\xc3", 3, false));
}

struct chars_case {
    char s[24];
    size_t chars;
};

static const struct chars_case chars_cases[] = {
    { "", 0 },
    { "abc", 3 },
    { "\xc3\xa9t\xc3\xa9", 3 },
    { "\xe2\x82\xac"
      "5",
      2 },
    { "\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 2 },
    { "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 4 },
};

ParameterizedTestParameters(utf8_chars, table)
{
    return cr_make_param_array(struct chars_case, chars_cases, FD_ARRAY_LEN(chars_cases));
}

ParameterizedTest(const struct chars_case *c, utf8_chars, table)
{
    cr_assert_eq(fd_utf8_chars(c->s, strlen(c->s)), c->chars, "%s", c->s);
}

Test(utf8_chars, counts_a_nul_as_one_character)
{
    cr_assert_eq(fd_utf8_chars("a\0b", 3), 3);
}

/* ---- fd_valid_not_blank ---- */

Test(valid_not_blank, white_space_only_is_blank)
{
    cr_assert_not(fd_valid_not_blank(""));
    cr_assert_not(fd_valid_not_blank(" "));
    cr_assert_not(fd_valid_not_blank(" \t\r\n\v\f"));
    cr_assert(fd_valid_not_blank(" x "));
    cr_assert(fd_valid_not_blank("."));
}

/* ---- fd_valid_email ---- */

struct text_case {
    char s[64];
    bool valid;
};

static const struct text_case email_cases[] = {
    { "a@b.eu", true },
    { "first.last+tag@example.co.uk", true },
    { "ALICE@EXAMPLE.COM", true },
    { "x@sub-domain.example.org", true },
    { "", false },
    { "a", false },
    { "@b.eu", false },
    { "a@", false },
    { "a@b", false },
    { "a@@b.eu", false },
    { "a@b@c.eu", false },
    { "a@.eu", false },
    { "a@b.", false },
    { "a@b..eu", false },
    { "a b@c.eu", false },
    { "a@c.eu ", false },
    { " a@c.eu", false },
    { "a\t@c.eu", false },
    { "a\n@c.eu", false },
    { "a\x7f@c.eu", false },
    { "<a@c.eu>", false },
    { "\"a\"@c.eu", false },
    { "a@c.eu,b@c.eu", false },
    { "a@c.eu;b@c.eu", false },
    { "a\\b@c.eu", false },
};

ParameterizedTestParameters(valid_email, table)
{
    return cr_make_param_array(struct text_case, email_cases, FD_ARRAY_LEN(email_cases));
}

ParameterizedTest(const struct text_case *c, valid_email, table)
{
    cr_assert_eq(fd_valid_email(c->s), c->valid, "'%s'", c->s);
}

Test(valid_email, at_most_254_bytes)
{
    char s[300];
    /* local part of 64 + '@' + domain padded to the total, ending in ".eu" */
    for (size_t total = 250; total <= 256; total++) {
        memset(s, 'a', total);
        s[64] = '@';
        memcpy(s + total - 3, ".eu", 3);
        s[total] = '\0';
        cr_assert_eq(fd_valid_email(s), total <= 254, "length %zu", total);
    }
}

/* ---- countries ---- */

static const struct text_case country_cases[] = {
    { "FR", true },  { "GB", true },  { "DE", true },
    { "US", true },  { "AD", true }, /* first of the list */
    { "ZW", true },                  /* last of the list */
    { "CH", true },  { "NO", true },  { "fr", false },
    { "Fr", false }, { "XX", false }, { "UK", false }, /* not an ISO code: GB is */
    { "EU", false }, { "EL", false },                  /* the EU's code for Greece, ISO's is GR */
    { "", false },   { "F", false },  { "FRA", false },
    { "F ", false }, { " F", false }, { "D\xc3\xa9", false },
};

ParameterizedTestParameters(valid_country, table)
{
    return cr_make_param_array(struct text_case, country_cases, FD_ARRAY_LEN(country_cases));
}

ParameterizedTest(const struct text_case *c, valid_country, table)
{
    cr_assert_eq(fd_valid_country(c->s), c->valid, "'%s'", c->s);
}

Test(valid_country, no_list_separator_matches)
{
    /* The codes are kept in one space-separated string: letters of two neighbouring codes ("AD AE") or
     * the separators must never form a match. */
    cr_assert_not(fd_valid_country("  "));
    cr_assert_not(fd_valid_country("DA"));
    cr_assert_not(fd_valid_country("D "));
}

static const char *const eu27[] = { "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI",
                                    "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
                                    "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE" };

Test(valid_eu_country, all_27_member_states)
{
    cr_assert_eq(FD_ARRAY_LEN(eu27), 27);
    for (size_t i = 0; i < FD_ARRAY_LEN(eu27); i++) {
        cr_assert(fd_valid_eu_country(eu27[i]), "%s", eu27[i]);
        cr_assert(fd_valid_country(eu27[i]), "%s is an ISO code too", eu27[i]);
    }
}

Test(valid_eu_country, no_other_iso_country_is_a_member_state)
{
    int n = 0;
    char s[3] = { 0 };
    for (char a = 'A'; a <= 'Z'; a++) {
        for (char b = 'A'; b <= 'Z'; b++) {
            s[0] = a;
            s[1] = b;
            if (fd_valid_eu_country(s)) {
                n++;
                cr_assert(fd_valid_country(s), "%s", s);
            }
        }
    }
    cr_assert_eq(n, 27);
}

static const struct text_case non_eu_cases[] = {
    { "GB", false }, { "CH", false }, { "NO", false }, { "IS", false }, { "LI", false },  { "TR", false },
    { "UK", false }, { "EL", false }, { "fr", false }, { "", false },   { "FRA", false },
};

ParameterizedTestParameters(valid_eu_country, not_member_states)
{
    return cr_make_param_array(struct text_case, non_eu_cases, FD_ARRAY_LEN(non_eu_cases));
}

ParameterizedTest(const struct text_case *c, valid_eu_country, not_member_states)
{
    cr_assert_eq(fd_valid_eu_country(c->s), c->valid, "'%s'", c->s);
}

/* ---- language tags ---- */

static const struct text_case language_cases[] = {
    { "en", true },
    { "fr", true },
    { "fr-BE", true },
    { "zh-Hant-TW", true },
    { "ast", true },
    { "es-419", true },
    { "de-CH-1996", true },
    { "sl-rozaj-biske", true },
    { "e", false },
    { "", false },
    { "english", false },
    { "english-", false },
    { "en-", false },
    { "-en", false },
    { "en--US", false },
    { "en_US", false },
    { "en US", false },
    { "123", false },
    { "12-US", false },
    { "en-abcdefghi", false }, /* subtag longer than 8 */
    { "en-US!", false },
    { "en-\xc3\xa9", false },
    { "en-aaaaaaaa-bbbbbbbb-cccccccc-dddddd", false }, /* 36 characters: over the limit of 35 */
    { "en-aaaaaaaa-bbbbbbbb-cccccccc-ddddd", true },   /* 35 */
};

ParameterizedTestParameters(valid_language, table)
{
    return cr_make_param_array(struct text_case, language_cases, FD_ARRAY_LEN(language_cases));
}

ParameterizedTest(const struct text_case *c, valid_language, table)
{
    cr_assert_eq(fd_valid_language(c->s), c->valid, "'%s'", c->s);
}

/* ---- stakeholder types ---- */

Test(valid_stakeholder_type, the_eight_types_of_the_spec)
{
    static const char *const types[] = { "commission",    "member_state", "european_parliament", "eu_agency",
                                         "civil_society", "academia",     "private_sector",      "citizen" };
    cr_assert_eq(fd_stakeholder_types_count, FD_ARRAY_LEN(types));
    for (size_t i = 0; i < FD_ARRAY_LEN(types); i++)
        cr_assert(fd_valid_stakeholder_type(types[i]), "%s", types[i]);
    cr_assert_not(fd_valid_stakeholder_type(""));
    cr_assert_not(fd_valid_stakeholder_type("Citizen"));
    cr_assert_not(fd_valid_stakeholder_type("citizen "));
    cr_assert_not(fd_valid_stakeholder_type("member-state"));
}

/* ---- Transparency Register ids ---- */

static const struct text_case transparency_cases[] = {
    { "123456789012-34", true },
    { "1-2", true },
    { "", false },
    { "-", false },
    { "-123456789012", false },
    { "123456789012-", false },
    { "12-34-56", false },
    { "1234-56a", false },
    { "1234 56", false },
    { "１２３-45", false },
    { "123456789012345678-90", false }, /* 21 characters */
};

ParameterizedTestParameters(valid_transparency_id, table)
{
    return cr_make_param_array(struct text_case, transparency_cases, FD_ARRAY_LEN(transparency_cases));
}

ParameterizedTest(const struct text_case *c, valid_transparency_id, table)
{
    cr_assert_eq(fd_valid_transparency_id(c->s), c->valid, "'%s'", c->s);
}

Test(valid_transparency_id, needs_exactly_one_hyphen_as_documented)
{
    /* valid.h: "A Transparency Register id: digits with one hyphen, e.g. 123456789012-34." */
    cr_expect_not(fd_valid_transparency_id("12345678901234"), "an id without its hyphen is accepted");
    cr_expect_not(fd_valid_transparency_id("123"), "three digits are accepted as a register id");
}

/* ---- fd_parse_id ---- */

struct id_case {
    char s[32];
    int rc;
    int64_t value;
};

static const struct id_case id_cases[] = {
    { "1", 0, 1 },
    { "42", 0, 42 },
    { "01", -1, 0 }, /* one spelling per id: a leading zero is refused */
    { "007", -1, 0 },
    { "9223372036854775807", 0, INT64_MAX },
    { "0009223372036854775807", -1, 0 }, /* more than 19 characters */
    { "9223372036854775808", -1, 0 },
    { "99999999999999999999", -1, 0 },
    { "0", -1, 0 },
    { "00", -1, 0 },
    { "-1", -1, 0 },
    { "+1", -1, 0 },
    { " 1", -1, 0 },
    { "1 ", -1, 0 },
    { "12a", -1, 0 },
    { "a12", -1, 0 },
    { "0x1f", -1, 0 },
    { "1e3", -1, 0 },
    { "1.0", -1, 0 },
    { "", -1, 0 },
    { "\xd9\xa1", -1, 0 }, /* ARABIC-INDIC DIGIT ONE */
};

ParameterizedTestParameters(parse_id, table)
{
    return cr_make_param_array(struct id_case, id_cases, FD_ARRAY_LEN(id_cases));
}

ParameterizedTest(const struct id_case *c, parse_id, table)
{
    int64_t out = -12345;
    int rc = fd_parse_id(c->s, &out);
    cr_assert_eq(rc, c->rc, "'%s': rc %d", c->s, rc);
    if (rc == 0)
        cr_assert_eq(out, c->value, "'%s' gave %lld", c->s, (long long)out);
    else
        cr_assert_eq(out, -12345, "'%s' changed *out on failure", c->s);
}

Test(parse_id, null_is_refused)
{
    int64_t out = 0;
    cr_assert_eq(fd_parse_id(NULL, &out), -1);
}
