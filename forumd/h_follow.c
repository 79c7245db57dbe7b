/* Following objectives, key actions and threads, and the notifications that follow from it. */
#include "forumd/handlers.h"
#include "forumd/cursor.h"

/* ---- follows ---- */

struct follow_ctx {
    enum fd_follow_target type;
    int64_t target_id;
    bool on;
    /* notifications */
    bool unread_only, has_after;
    int64_t after[2];
    int limit;
    int rc;
    int64_t unread;
    struct fd_notification_list list;
    struct id_list {
        size_t n;
        int64_t ids[100];
    } read;
};

static void follow_ctx_free(void *p)
{
    struct follow_ctx *c = p;
    fd_notification_list_clear(&c->list);
    free(c);
}

static struct follow_ctx *follow_ctx_new(struct fd_req *r)
{
    return fd_req_ctx(r, sizeof(struct follow_ctx), follow_ctx_free);
}

static int follow_txn(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct follow_ctx *c = r->ctx;
    return fd_store_follow_set(s, r->user.id, c->type, c->target_id, c->on, fd_now());
}

static void followed(struct fd_req *r, int rc)
{
    if (rc != FD_OK)
        fd_reply_status(r, rc);
    else
        fd_reply_empty(r, 204);
}

static void follow(struct fd_req *r, enum fd_follow_target type, int64_t target_id)
{
    struct follow_ctx *c = follow_ctx_new(r);
    c->type = type;
    c->target_id = target_id;
    c->on = r->method == FD_PUT;
    fd_req_write(r, follow_txn, followed);
}

void h_follow_objective(struct fd_req *r)
{
    struct fd_objective o = { 0 };
    if (h_objective_or_reply(r, &o) == 0)
        follow(r, FD_FOLLOW_OBJECTIVE, o.id);
    fd_objective_clear(&o);
}

void h_follow_key_action(struct fd_req *r)
{
    int64_t id;
    if (fd_req_id_or_reply(r, "id", &id) == 0)
        follow(r, FD_FOLLOW_KEY_ACTION, id);
}

void h_follow_thread(struct fd_req *r)
{
    int64_t id;
    if (fd_req_id_or_reply(r, "id", &id) == 0)
        follow(r, FD_FOLLOW_THREAD, id);
}

void h_me_follows(struct fd_req *r)
{
    struct fd_follows f = { 0 };
    int rc = fd_store_follows_list(r->loop->store, r->user.id, &f);
    if (rc != FD_OK)
        fd_reply_status(r, rc);
    else
        fd_reply_json(r, 200, fd_follows_json(&f));
    fd_follows_clear(&f);
}

/* ---- notifications ---- */

static void list_job(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct follow_ctx *c = r->ctx;
    c->rc = fd_store_notifications_page(s, r->user.id, c->unread_only, c->has_after ? c->after : NULL, c->limit,
                                        &c->list, &c->unread);
}

static void list_done(void *arg)
{
    struct fd_req *r = arg;
    struct follow_ctx *c = r->ctx;
    if (c->rc != FD_OK) {
        fd_reply_status(r, c->rc);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < c->list.n; i++)
        json_array_append_new(arr, fd_notification_json(&c->list.items[i], &r->viewer));
    json_t *next = json_null();
    if (c->list.more && c->list.n) {
        const struct fd_notification *last = &c->list.items[c->list.n - 1];
        struct fd_cursor cur = { 2, { last->created_at, last->id, 0 } };
        char *s = fd_cursor_encode('n', &cur);
        json_decref(next);
        next = json_string(s);
        free(s);
    }
    fd_reply_json(r, 200, json_pack("{s:o, s:I, s:o}", "notifications", arr, "unread_count", (json_int_t)c->unread,
                                    "next_cursor", next));
}

void h_notifications_list(struct fd_req *r)
{
    struct follow_ctx *c = follow_ctx_new(r);
    struct fd_cursor cur;
    const char *unread = fd_req_query(r, "unread");
    if (unread && strcmp(unread, "0") != 0 && strcmp(unread, "1") != 0) {
        fd_reply_error(r, 400, "validation_failed", "unread", "unread must be 0 or 1.");
        return;
    }
    c->unread_only = unread && !strcmp(unread, "1");
    if (fd_req_limit_or_reply(r, &c->limit) < 0 || fd_req_cursor_or_reply(r, 'n', 2, &cur, &c->has_after) < 0)
        return;
    c->after[0] = cur.k[0];
    c->after[1] = cur.k[1];
    fd_req_work_or_reply(r, r->app->queries, list_job, list_done);
}

static int decode_ids(json_t *v, void *out, struct fd_json_error *err)
{
    struct id_list *c = out;
    size_t i;
    json_t *id;
    if (!json_is_array(v) || json_array_size(v) > FD_ARRAY_LEN(c->ids)) {
        snprintf(err->message, sizeof err->message, "ids must be a list of at most 100 notification ids.");
        return -1;
    }
    json_array_foreach(v, i, id) {
        if (!json_is_integer(id) || json_integer_value(id) <= 0) {
            snprintf(err->message, sizeof err->message, "ids must be a list of notification ids.");
            return -1;
        }
        c->ids[c->n++] = (int64_t)json_integer_value(id);
    }
    if (c->n == 0) {
        snprintf(err->message, sizeof err->message, "Give the ids to mark read, or send {} to mark all.");
        return -1;
    }
    return 0;
}

static const struct fd_field read_fields[] = {
    FD_CUSTOM("ids", struct follow_ctx, read, FD_OPTIONAL, decode_ids),
    FD_FIELDS_END
};

static int read_txn(struct fd_store *s, void *arg)
{
    struct fd_req *r = arg;
    struct follow_ctx *c = r->ctx;
    return fd_store_notifications_mark(s, r->user.id, c->read.ids, c->read.n);
}

void h_notifications_read(struct fd_req *r)
{
    struct follow_ctx *c = follow_ctx_new(r);
    if (fd_req_optional_body_or_reply(r, read_fields, c) < 0)
        return;
    fd_req_write(r, read_txn, followed);
}
