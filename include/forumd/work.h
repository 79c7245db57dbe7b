/* Threads that do the slow work off the event loops, and the way results come back.
 *
 * DESIGN: each event-loop thread (struct fd_loop) has a mutex-protected queue of completions and an
 * event that other threads activate to wake it. A worker pool (struct fd_work) runs jobs that
 * would block a loop (Argon2id); the writer (struct fd_writer) is one thread with the only write
 * connection, which runs every waiting write job inside one transaction (group commit: one fsync
 * for many posts) and hands each result back to the job's loop only after COMMIT returned, so that
 * every answer the client sees is on disk. */
#ifndef FORUMD_WORK_H
#define FORUMD_WORK_H

#include "forumd/fd.h"
#include "forumd/store.h"

struct event_base;
struct fd_loop;
struct fd_work;
struct fd_writer;

typedef void fd_task_fn(void *arg);

/* Makes the completion queue for a loop running on base. */
struct fd_loop *fd_loop_new(struct event_base *base);
void fd_loop_free(struct fd_loop *loop);
/* Runs fn(arg) on loop's thread soon. Any thread may call it. */
void fd_loop_post(struct fd_loop *loop, fd_task_fn *fn, void *arg);

/* A job of a worker pool; s is the worker's own read connection, or NULL in a pool without. */
typedef void fd_job_fn(struct fd_store *s, void *arg);
/* Starts n worker threads with a queue of at most max_queue waiting jobs. stores is NULL, or n
 * read connections, one per worker, which the pool then owns and closes. */
struct fd_work *fd_work_new(int n, int max_queue, struct fd_store **stores);
/* Queues job(arg) on a worker; then done(arg) runs on loop. Returns -1 (nothing queued) when the
 * queue is full, so that the caller can answer "busy" at once instead of piling up work. */
int fd_work_submit(struct fd_work *w, struct fd_loop *loop, fd_job_fn *job, fd_task_fn *done, void *arg);
/* Finishes the queued jobs, stops the threads and frees w. */
void fd_work_free(struct fd_work *w);

/* A write job: runs inside the writer's transaction on its connection; returns enum fd_err. On an
 * error its own changes are rolled back (savepoint) and the other jobs of the batch still commit. */
typedef int fd_txn_fn(struct fd_store *s, void *arg);
/* Receives the job's result on its loop, after the commit (rc FD_EINTERNAL/FD_EBUSY if the commit
 * itself failed). */
typedef void fd_txn_done_fn(void *arg, int rc);

/* Starts the writer on store s (which it then owns and closes). */
struct fd_writer *fd_writer_new(struct fd_store *s);
/* Queues a write. done may be NULL for fire and forget (then loop may be NULL too): arg is then
 * owned by the writer and released with free() once the job has run or failed. */
void fd_writer_submit(struct fd_writer *w, struct fd_loop *loop, fd_txn_fn *txn, fd_txn_done_fn *done, void *arg);
/* Commits what is queued, stops the thread, closes its store and frees w. */
void fd_writer_free(struct fd_writer *w);
/* Largest number of jobs committed together so far (for the benchmark's log). */
size_t fd_writer_max_batch(struct fd_writer *w);

/* A thread that calls fn(s) every interval_ms milliseconds on its own store connection s (which
 * it then owns and closes), for upkeep that must not run on a loop or in the writer. */
struct fd_ticker;
struct fd_ticker *fd_ticker_new(struct fd_store *s, int interval_ms, int (*fn)(struct fd_store *s));
/* Stops the thread (after one last call of fn) and frees t. */
void fd_ticker_free(struct fd_ticker *t);

#endif
