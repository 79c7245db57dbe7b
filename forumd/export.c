/* Export rows as CSV records and JSON objects, ISO weeks, and the statistics object. The CSV
 * rendering here is the canonical export: the integrity manifest of a consultation is the SHA-256
 * of exactly these bytes, header first. */
#include <event2/buffer.h>
#include "forumd/export.h"
#include "forumd/escape.h"
#include "forumd/render.h"
#include "forumd/valid.h"

const char fd_export_csv_header[] = "thread_id,thread_title,key_action,post_id,parent_id,created_at,"
                                    "author_display_name,stakeholder_type,organisation,country,"
                                    "transparency_register_id,publication,official,body\r\n";

void fd_export_list_clear(struct fd_export_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct fd_export_row *e = &l->items[i];
        free(e->thread_title);
        free(e->key_action);
        free(e->author_name);
        free(e->stakeholder_type);
        free(e->organisation);
        free(e->country);
        free(e->register_id);
        free(e->body);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

void fd_stats_clear(struct fd_stats *st)
{
    for (size_t i = 0; i < st->n_groups; i++) {
        free(st->groups[i].stakeholder_type);
        free(st->groups[i].country);
    }
    free(st->groups);
    memset(st, 0, sizeof *st);
}

/* ---- CSV ---- */

/* Appends s (NULL = empty) as a field, then sep. */
static void csv_field(struct evbuffer *out, const char *s, char sep)
{
    const char *v = s ? s : "";
    size_t len = fd_esc_csv(v, NULL);
    if (len == strlen(v)) {
        evbuffer_add(out, v, len);
    } else {
        char *esc = fd_xmalloc(len + 1);
        fd_esc_csv(v, esc);
        evbuffer_add(out, esc, len);
        free(esc);
    }
    if (sep == '\n')
        evbuffer_add(out, "\r\n", 2);
    else
        evbuffer_add(out, &sep, 1);
}

static void csv_int(struct evbuffer *out, int64_t v, bool zero_empty)
{
    if (v || !zero_empty)
        evbuffer_add_printf(out, "%lld", (long long)v);
    evbuffer_add(out, ",", 1);
}

void fd_export_csv_row(const struct fd_export_row *e, struct evbuffer *out)
{
    char at[FD_RFC3339_LEN];
    csv_int(out, e->thread_id, false);
    csv_field(out, e->thread_title, ',');
    csv_field(out, e->key_action, ',');
    csv_int(out, e->post_id, false);
    csv_int(out, e->parent_id, true);
    csv_field(out, fd_time_rfc3339(e->created_at, at), ',');
    csv_field(out, e->author_name, ',');
    csv_field(out, e->stakeholder_type, ',');
    csv_field(out, e->organisation, ',');
    csv_field(out, e->country, ',');
    csv_field(out, e->register_id, ',');
    csv_field(out, e->anonymous ? "anonymous" : "named", ',');
    csv_field(out, e->official ? "true" : "false", ',');
    csv_field(out, e->body, '\n');
}

/* ---- JSON ---- */

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *fd_export_row_json(const struct fd_export_row *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "thread_id", json_integer(e->thread_id));
    json_object_set_new(o, "thread_title", str_or_null(e->thread_title));
    json_object_set_new(o, "key_action", str_or_null(e->key_action));
    json_object_set_new(o, "post_id", json_integer(e->post_id));
    json_object_set_new(o, "parent_id", e->parent_id ? json_integer(e->parent_id) : json_null());
    json_object_set_new(o, "created_at", fd_time_json(e->created_at));
    json_object_set_new(o, "author_display_name", str_or_null(e->author_name));
    json_object_set_new(o, "stakeholder_type", str_or_null(e->stakeholder_type));
    json_object_set_new(o, "organisation", str_or_null(e->organisation));
    json_object_set_new(o, "country", str_or_null(e->country));
    json_object_set_new(o, "transparency_register_id", str_or_null(e->register_id));
    json_object_set_new(o, "publication", json_string(e->anonymous ? "anonymous" : "named"));
    json_object_set_new(o, "official", json_boolean(e->official));
    json_object_set_new(o, "body", str_or_null(e->body));
    return o;
}

/* ---- ISO weeks ---- */

/* The proleptic Gregorian date of day (days since 1970-01-01); H. Hinnant's civil_from_days. */
static void civil(int64_t day, int64_t *y, int *m, int *d)
{
    int64_t z = day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Days since 1970-01-01 of January 1st of year y. */
static int64_t jan1(int64_t y)
{
    y -= 1; /* civil_to_days for (y, 1, 1), with March-based years */
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = 306; /* January 1st is day 306 of the March-based year */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void fd_iso_week(int64_t day, int *year, int *week)
{
    /* 1970-01-01 was a Thursday; ISO weekdays run Monday = 1 to Sunday = 7 */
    int64_t wd = ((day + 3) % 7 + 7) % 7 + 1;
    int64_t thursday = day - wd + 4; /* the week belongs to the year of its Thursday */
    int64_t y;
    int m, d;
    civil(thursday, &y, &m, &d);
    *year = (int)y;
    *week = (int)((thursday - jan1(y)) / 7 + 1);
}

/* ---- statistics ---- */

static int week_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

json_t *fd_stats_json(const struct fd_stats *st, int64_t objective_id)
{
    json_t *types = json_object(), *countries = json_object(), *weeks = json_object();
    int64_t anonymous = 0;
    for (size_t i = 0; i < fd_stakeholder_types_count; i++)
        json_object_set_new(types, fd_stakeholder_types[i], json_integer(0));
    for (size_t i = 0; i < st->n_groups; i++) {
        const struct fd_stats_group *g = &st->groups[i];
        const char *type = g->stakeholder_type ? g->stakeholder_type : "none";
        const char *cc = g->country && *g->country ? g->country : "none";
        char wk[16];
        int y, w;
        fd_iso_week(g->day, &y, &w);
        snprintf(wk, sizeof wk, "%04d-W%02d", y, w);
        json_t *v = json_object_get(types, type);
        json_object_set_new(types, type, json_integer((v ? json_integer_value(v) : 0) + g->posts));
        v = json_object_get(countries, cc);
        json_object_set_new(countries, cc, json_integer((v ? json_integer_value(v) : 0) + g->posts));
        v = json_object_get(weeks, wk);
        json_object_set_new(weeks, wk, json_integer((v ? json_integer_value(v) : 0) + g->posts));
        anonymous += g->anonymous;
    }
    /* weeks oldest first: "YYYY-Www" sorts as text */
    size_t n = json_object_size(weeks), i = 0;
    const char **keys = fd_xcalloc(n + 1, sizeof *keys);
    const char *k;
    json_t *v;
    json_object_foreach(weeks, k, v)
        keys[i++] = k;
    qsort(keys, n, sizeof *keys, week_cmp);
    json_t *by_week = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(by_week, json_pack("{s:s, s:I}", "week", keys[i], "posts",
                                                 json_integer_value(json_object_get(weeks, keys[i]))));
    free(keys);
    json_decref(weeks);
    return json_pack("{s:o, s:I, s:I, s:I, s:o, s:o, s:o, s:I}", "objective",
                     objective_id ? json_integer(objective_id) : json_null(), "posts", (json_int_t)st->posts,
                     "threads", (json_int_t)st->threads, "participants", (json_int_t)st->participants,
                     "posts_by_stakeholder_type", types, "posts_by_country", countries, "posts_by_week", by_week,
                     "anonymous_posts", (json_int_t)anonymous);
}
