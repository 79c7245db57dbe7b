/* Live updates: server-sent event streams on every loop, fed by one hub.
 *
 * DESIGN: a write's done callback (on the loop that took the request) publishes an event to the
 * hub, which numbers it, keeps it in a ring of the last FD_EVENTS_RING events (to replay after
 * Last-Event-ID), and posts it to every loop's completion queue; each loop then writes it to its
 * own subscribers whose objective or thread matches. Only the loop that owns a stream ever
 * touches it. A stream whose client does not read (more than FD_EVENTS_MAX_BACKLOG bytes unsent)
 * is dropped, so a slow client costs bounded memory and never delays the others. */
#ifndef FORUMD_EVENTS_H
#define FORUMD_EVENTS_H

#include "forumd/fd.h"

#define FD_EVENTS_RING 1024
#define FD_EVENTS_MAX_BACKLOG (256 * 1024)

struct fd_app;
struct fd_req;
struct fd_server_loop;
struct fd_events;
struct fd_events_loop;

/* The hub; at most max_per_address streams per client address. */
struct fd_events *fd_events_new(int max_per_address);
void fd_events_free(struct fd_events *e);

/* A loop's subscribers and heartbeat timer. */
struct fd_events_loop *fd_events_loop_new(struct fd_server_loop *loop);
/* Ends every stream of the loop (shutdown) and stops its heartbeat. */
void fd_events_loop_close(struct fd_events_loop *el);
void fd_events_loop_free(struct fd_events_loop *el);

/* Sends event kind with JSON data to the subscribers of objective_id and of thread_id, on every
 * loop. Called on a loop thread, after the change it reports was committed. */
void fd_events_publish(struct fd_app *app, const char *kind, int64_t objective_id, int64_t thread_id,
                       const char *data, size_t len);

/* Makes r a stream of the events of objective_id (thread_id 0) or of thread_id, replaying what
 * came after last_id when the ring still holds it (else an event "reset" comes first). Returns -1,
 * starting nothing, when r's address already holds the most streams allowed. */
int fd_events_subscribe(struct fd_req *r, int64_t objective_id, int64_t thread_id, uint64_t last_id);

#endif
