/* GET /api/v1/events: a live stream of an objective's or a thread's new and changed posts; and
 * the one place that turns committed writes into events. */
#include "forumd/handlers.h"
#include "forumd/events.h"
#include "forumd/valid.h"

/* The public view: streams are anonymous, so nobody's rights reveal more. */
static const struct fd_viewer public_viewer = { 0 };

static void publish(struct fd_req *r, const char *kind, const struct fd_thread *t, json_t *obj)
{
    size_t len = 0;
    char *text = fd_json_dump(obj, &len);
    json_decref(obj);
    if (text)
        fd_events_publish(r->app, kind, t->objective_id, t->id, text, len);
    free(text);
}

void h_events_thread_created(struct fd_req *r, const struct fd_thread *t, const struct fd_post *opening)
{
    publish(r, "thread", t,
            json_pack("{s:o, s:o}", "thread", fd_thread_json(t, &public_viewer, fd_now()), "post",
                      fd_post_json(opening, &public_viewer)));
}

void h_events_post(struct fd_req *r, const char *kind, const struct fd_thread *t, const struct fd_post *p)
{
    publish(r, kind, t, json_pack("{s:o}", "post", fd_post_json(p, &public_viewer)));
}

/* Last-Event-ID: the id of the last event the client saw; 0 if none; 1 (long gone, so the stream
 * starts with a reset) if it is not one of ours. */
static uint64_t last_event_id(struct fd_req *r)
{
    const char *v = fd_req_header(r, "Last-Event-ID");
    int64_t id = 0;
    if (!v || !*v)
        return 0;
    return fd_parse_id(v, &id) == 0 ? (uint64_t)id : 1;
}

void h_events(struct fd_req *r)
{
    const char *objective = fd_req_query(r, "objective"), *thread = fd_req_query(r, "thread");
    int64_t objective_id = 0, thread_id = 0;
    if (fd_req_address_rate_or_reply(r, FD_RL_STREAM_ADDRESS, r->app->cfg.rate_stream_address,
                                     "Too many live streams opened from your address; please wait a moment.") < 0)
        return;
    if ((objective && *objective) == (thread && *thread)) {
        fd_reply_error(r, 400, "validation_failed", objective ? "thread" : "objective",
                       "Give either objective (an id or slug) or thread (an id).");
        return;
    }
    int rc = FD_OK;
    if (objective && *objective) {
        struct fd_objective o = { 0 };
        int64_t id = 0;
        rc = fd_store_objective_get(r->loop->store, fd_parse_id(objective, &id) == 0 ? id : 0, objective, &o);
        objective_id = o.id;
        fd_objective_clear(&o);
    } else {
        struct fd_thread t = { 0 };
        rc = fd_parse_id(thread, &thread_id) == 0 ? fd_store_thread_get(r->loop->store, thread_id, &t) : FD_ENOTFOUND;
        objective_id = t.objective_id;
        fd_thread_clear(&t);
    }
    if (rc != FD_OK) {
        fd_reply_status(r, rc);
        return;
    }
    if (fd_events_subscribe(r, objective_id, thread_id, last_event_id(r)) < 0)
        fd_req_wait_or_reply(r, 30, "Too many live streams from your address; close some first.");
}
