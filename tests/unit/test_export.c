/* Unit tests of the export renderings: CSV fields (escape.c), CSV records and JSON rows, ISO weeks
 * around new year, and the statistics object (export.c). */
#include <criterion/criterion.h>
#include <event2/buffer.h>
#include "forumd/escape.h"
#include "forumd/export.h"

struct csv_case {
    const char *in;
    const char *out;
};

static const struct csv_case csv_cases[] = {
    { "", "" },
    { "plain", "plain" },
    { "a,b", "\"a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "\"", "\"\"\"\"" },
    { "line\nbreak", "\"line\nbreak\"" },
    { "cr\rhere", "\"cr\rhere\"" },
    { "crlf\r\n", "\"crlf\r\n\"" },
    { "semi;colon 'single' tab\t", "semi;colon 'single' tab\t" },
    { "s\xc3\xa9" "curit\xc3\xa9 \xf0\x9f\x98\x80", "s\xc3\xa9" "curit\xc3\xa9 \xf0\x9f\x98\x80" },
    { "\xc3\xa9, \"\xc3\xa9\"", "\"\xc3\xa9, \"\"\xc3\xa9\"\"\"" },
    { " leading and trailing ", " leading and trailing " },
};

Test(csv, fields)
{
    for (size_t i = 0; i < FD_ARRAY_LEN(csv_cases); i++) {
        char *got = fd_esc_csv_dup(csv_cases[i].in);
        cr_assert_str_eq(got, csv_cases[i].out, "CSV field of '%s'", csv_cases[i].in);
        cr_assert_eq(fd_esc_csv(csv_cases[i].in, NULL), strlen(csv_cases[i].out));
        free(got);
    }
}

static char *take(struct evbuffer *b)
{
    size_t len = evbuffer_get_length(b);
    char *s = malloc(len + 1);
    evbuffer_remove(b, s, len);
    s[len] = '\0';
    return s;
}

Test(csv, records)
{
    struct fd_export_row named = { .thread_id = 12, .thread_title = "Title, with comma", .key_action = "ka-1",
                                   .post_id = 40, .parent_id = 0, .created_at = 1764410400,
                                   .author_name = "Alice", .stakeholder_type = "civil_society",
                                   .organisation = "Org \"A\"", .country = "BE", .register_id = NULL,
                                   .anonymous = false, .official = true, .body = "two\nlines" };
    struct fd_export_row anon = { .thread_id = 12, .thread_title = "T", .post_id = 41, .parent_id = 40,
                                  .created_at = 0, .author_name = "Deleted user", .stakeholder_type = "citizen",
                                  .anonymous = true, .body = "" };
    struct evbuffer *b = evbuffer_new();
    fd_export_csv_row(&named, b);
    fd_export_csv_row(&anon, b);
    char *s = take(b);
    cr_assert_str_eq(s, "12,\"Title, with comma\",ka-1,40,,2025-11-29T10:00:00Z,Alice,civil_society,\"Org \"\"A\"\"\","
                        "BE,,named,true,\"two\nlines\"\r\n"
                        "12,T,,41,40,1970-01-01T00:00:00Z,Deleted user,citizen,,,,anonymous,false,\r\n");
    free(s);
    evbuffer_free(b);
    cr_assert(!strncmp(fd_export_csv_header, "thread_id,thread_title,key_action,post_id,parent_id,created_at,"
                                              "author_display_name,stakeholder_type,organisation,country,"
                                              "transparency_register_id,publication,official,body\r\n",
                       strlen(fd_export_csv_header) + 1));
}

Test(json, row)
{
    struct fd_export_row e = { .thread_id = 3, .thread_title = "T", .post_id = 9, .created_at = 86400,
                               .author_name = "Bob", .stakeholder_type = "academia", .anonymous = true,
                               .official = false, .body = "b" };
    json_t *o = fd_export_row_json(&e);
    const char *keys[] = { "thread_id", "thread_title", "key_action", "post_id", "parent_id", "created_at",
                           "author_display_name", "stakeholder_type", "organisation", "country",
                           "transparency_register_id", "publication", "official", "body" };
    size_t i = 0;
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        cr_assert(i < FD_ARRAY_LEN(keys));
        cr_assert_str_eq(k, keys[i], "key %zu", i);
        i++;
    }
    cr_assert_eq(i, FD_ARRAY_LEN(keys));
    cr_assert(json_is_null(json_object_get(o, "key_action")));
    cr_assert(json_is_null(json_object_get(o, "parent_id")));
    cr_assert_str_eq(json_string_value(json_object_get(o, "publication")), "anonymous");
    cr_assert_str_eq(json_string_value(json_object_get(o, "created_at")), "1970-01-02T00:00:00Z");
    json_decref(o);
}

struct week_case {
    int64_t day;
    int year, week;
};

static const struct week_case week_cases[] = {
    { 18627, 2020, 53 }, /* 2020-12-31 */
    { 18630, 2020, 53 }, /* 2021-01-03 */
    { 18631, 2021, 1 },  /* 2021-01-04 */
    { 20086, 2024, 52 }, /* 2024-12-29 */
    { 20087, 2025, 1 },  /* 2024-12-30 */
    { 20454, 2026, 1 },  /* 2026-01-01 */
    { 20818, 2026, 53 }, /* 2026-12-31 */
    { 20819, 2026, 53 }, /* 2027-01-01 */
    { 20821, 2026, 53 }, /* 2027-01-03 */
    { 20822, 2027, 1 },  /* 2027-01-04 */
    { 0, 1970, 1 },      /* 1970-01-01 */
    { 11016, 2000, 9 },  /* 2000-02-29 */
};

Test(iso_week, around_new_year)
{
    for (size_t i = 0; i < FD_ARRAY_LEN(week_cases); i++) {
        int y = 0, w = 0;
        fd_iso_week(week_cases[i].day, &y, &w);
        cr_assert(y == week_cases[i].year && w == week_cases[i].week, "day %lld: %d-W%02d, want %d-W%02d",
                  (long long)week_cases[i].day, y, w, week_cases[i].year, week_cases[i].week);
    }
}

Test(stats, json)
{
    struct fd_stats_group g[] = {
        { "academia", "DE", 20822, 2, 1 },  /* 2027-W01 */
        { "academia", NULL, 20819, 3, 0 },  /* 2026-W53 */
        { "citizen", "DE", 18627, 1, 0 },   /* 2020-W53 */
    };
    struct fd_stats st = { .posts = 6, .threads = 2, .participants = 3, .groups = g, .n_groups = 3 };
    json_t *o = fd_stats_json(&st, 0);
    cr_assert(json_is_null(json_object_get(o, "objective")));
    cr_assert_eq(json_integer_value(json_object_get(o, "posts")), 6);
    cr_assert_eq(json_integer_value(json_object_get(o, "anonymous_posts")), 1);
    json_t *types = json_object_get(o, "posts_by_stakeholder_type");
    cr_assert_eq(json_integer_value(json_object_get(types, "academia")), 5);
    cr_assert_eq(json_integer_value(json_object_get(types, "commission")), 0);
    json_t *cc = json_object_get(o, "posts_by_country");
    cr_assert_eq(json_integer_value(json_object_get(cc, "DE")), 3);
    cr_assert_eq(json_integer_value(json_object_get(cc, "none")), 3);
    json_t *weeks = json_object_get(o, "posts_by_week");
    cr_assert_eq(json_array_size(weeks), 3);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(weeks, 0), "week")), "2020-W53");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(weeks, 1), "week")), "2026-W53");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(weeks, 2), "week")), "2027-W01");
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(weeks, 1), "posts")), 3);
    json_decref(o);
}
