/* Worker threads, the group-commit writer, and the completion queues that bring results back to
 * the event loops. See the DESIGN note in work.h. */
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <event2/event.h>
#include "forumd/work.h"
#include "forumd/log.h"

struct task {
    struct task *next;
    fd_task_fn *fn;
    fd_task_fn *done;
    fd_job_fn *job;
    fd_txn_fn *txn;
    fd_txn_done_fn *txn_done;
    void *arg;
    struct fd_loop *loop;
    int rc;
};

/* A FIFO of tasks; callers hold the owner's mutex. */
struct queue {
    struct task *head, *tail;
    size_t len;
};

static void q_push(struct queue *q, struct task *t)
{
    t->next = NULL;
    if (q->tail)
        q->tail->next = t;
    else
        q->head = t;
    q->tail = t;
    q->len++;
}

static struct task *q_take_all(struct queue *q)
{
    struct task *t = q->head;
    q->head = q->tail = NULL;
    q->len = 0;
    return t;
}

static struct task *q_pop(struct queue *q)
{
    struct task *t = q->head;
    if (t) {
        q->head = t->next;
        if (!q->head)
            q->tail = NULL;
        q->len--;
    }
    return t;
}

/* ---- loops ---- */

struct fd_loop {
    pthread_mutex_t mu;
    struct queue q;
    struct event *wake;
};

static void loop_wake_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct fd_loop *loop = arg;
    pthread_mutex_lock(&loop->mu);
    struct task *t = q_take_all(&loop->q);
    pthread_mutex_unlock(&loop->mu);
    while (t) {
        struct task *next = t->next;
        if (t->txn_done)
            t->txn_done(t->arg, t->rc);
        else
            t->fn(t->arg);
        free(t);
        t = next;
    }
}

struct fd_loop *fd_loop_new(struct event_base *base)
{
    struct fd_loop *loop = fd_xcalloc(1, sizeof *loop);
    pthread_mutex_init(&loop->mu, NULL);
    loop->wake = event_new(base, -1, 0, loop_wake_cb, loop);
    if (!loop->wake)
        abort();
    return loop;
}

void fd_loop_free(struct fd_loop *loop)
{
    if (!loop)
        return;
    event_free(loop->wake);
    struct task *t = q_take_all(&loop->q);
    while (t) {
        struct task *next = t->next;
        free(t);
        t = next;
    }
    pthread_mutex_destroy(&loop->mu);
    free(loop);
}

static void loop_push(struct fd_loop *loop, struct task *t)
{
    pthread_mutex_lock(&loop->mu);
    q_push(&loop->q, t);
    /* Activating an already active event is a no-op, so one wake-up serves a whole batch. */
    event_active(loop->wake, 0, 0);
    pthread_mutex_unlock(&loop->mu);
}

void fd_loop_post(struct fd_loop *loop, fd_task_fn *fn, void *arg)
{
    struct task *t = fd_xcalloc(1, sizeof *t);
    t->fn = fn;
    t->arg = arg;
    loop_push(loop, t);
}

/* ---- worker pool ---- */

struct fd_work {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct queue q;
    size_t max_queue;
    bool stop;
    int n;
    struct worker *workers;
};

struct worker {
    struct fd_work *pool;
    struct fd_store *store;
    pthread_t thread;
};

static void *worker_main(void *arg)
{
    struct worker *self = arg;
    struct fd_work *w = self->pool;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (!w->q.head && !w->stop)
            pthread_cond_wait(&w->cv, &w->mu);
        struct task *t = q_pop(&w->q);
        pthread_mutex_unlock(&w->mu);
        if (!t)
            return NULL;
        t->job(self->store, t->arg);
        if (t->loop) {
            t->fn = t->done;
            loop_push(t->loop, t);
        } else {
            free(t);
        }
    }
}

struct fd_work *fd_work_new(int n, int max_queue, struct fd_store **stores)
{
    struct fd_work *w = fd_xcalloc(1, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->max_queue = (size_t)max_queue;
    w->n = n;
    w->workers = fd_xcalloc((size_t)n, sizeof *w->workers);
    for (int i = 0; i < n; i++) {
        w->workers[i].pool = w;
        w->workers[i].store = stores ? stores[i] : NULL;
        if (pthread_create(&w->workers[i].thread, NULL, worker_main, &w->workers[i]) != 0)
            abort();
    }
    return w;
}

int fd_work_submit(struct fd_work *w, struct fd_loop *loop, fd_job_fn *job, fd_task_fn *done, void *arg)
{
    pthread_mutex_lock(&w->mu);
    if (w->q.len >= w->max_queue || w->stop) {
        pthread_mutex_unlock(&w->mu);
        return -1;
    }
    struct task *t = fd_xcalloc(1, sizeof *t);
    t->job = job;
    t->done = done;
    t->arg = arg;
    t->loop = loop;
    q_push(&w->q, t);
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return 0;
}

/* Tells the threads waiting on cv that they should stop once their queue is empty. */
static void request_stop(pthread_mutex_t *mu, pthread_cond_t *cv, bool *stop)
{
    pthread_mutex_lock(mu);
    *stop = true;
    pthread_cond_broadcast(cv);
    pthread_mutex_unlock(mu);
}

void fd_work_free(struct fd_work *w)
{
    if (!w)
        return;
    request_stop(&w->mu, &w->cv, &w->stop);
    for (int i = 0; i < w->n; i++) {
        pthread_join(w->workers[i].thread, NULL);
        fd_store_close(w->workers[i].store);
    }
    /* Workers drain the queue before they see stop with an empty queue, so nothing is left. */
    free(w->workers);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

/* ---- writer (group commit) ---- */

#define WRITER_MAX_BATCH 512

struct fd_writer {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct queue q;
    bool stop;
    pthread_t thread;
    struct fd_store *store;
    size_t max_batch;
};

/* Runs one job inside the open transaction, isolated by a savepoint. */
static void run_job(struct fd_store *s, struct task *t)
{
    int rc = fd_store_savepoint(s);
    if (rc != FD_OK) {
        t->rc = rc;
        return;
    }
    t->rc = t->txn(s, t->arg);
    if (t->rc != FD_OK)
        fd_store_savepoint_rollback(s);
    fd_store_savepoint_release(s);
}

static void finish(struct task *t, int commit_rc)
{
    while (t) {
        struct task *next = t->next;
        if (commit_rc != FD_OK)
            t->rc = commit_rc;
        if (t->txn_done && t->loop) {
            loop_push(t->loop, t);
        } else {
            if (!t->txn_done)
                free(t->arg); /* fire and forget: the writer owns arg */
            free(t);
        }
        t = next;
    }
}

static void run_batch(struct fd_writer *w, struct task *batch)
{
    int rc = fd_store_tx_begin(w->store);
    if (rc == FD_OK) {
        for (struct task *t = batch; t; t = t->next)
            run_job(w->store, t);
        rc = fd_store_tx_commit(w->store);
        if (rc != FD_OK) {
            fd_log_error("event=writer.commit_failed rc=%d", rc);
            fd_store_tx_rollback(w->store);
        }
    } else {
        fd_log_error("event=writer.begin_failed rc=%d", rc);
    }
    finish(batch, rc);
}

static void *writer_main(void *arg)
{
    struct fd_writer *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (!w->q.head && !w->stop)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->q.head && w->stop) {
            pthread_mutex_unlock(&w->mu);
            return NULL;
        }
        /* Take what waits, up to a bound that keeps one transaction (and its answers) short. */
        struct task *batch = NULL, **tail = &batch;
        size_t n = 0;
        struct task *t;
        while (n < WRITER_MAX_BATCH && (t = q_pop(&w->q)) != NULL) {
            t->next = NULL;
            *tail = t;
            tail = &t->next;
            n++;
        }
        if (n > w->max_batch)
            w->max_batch = n;
        pthread_mutex_unlock(&w->mu);
        run_batch(w, batch);
    }
}

struct fd_writer *fd_writer_new(struct fd_store *s)
{
    struct fd_writer *w = fd_xcalloc(1, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->store = s;
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0)
        abort();
    return w;
}

void fd_writer_submit(struct fd_writer *w, struct fd_loop *loop, fd_txn_fn *txn, fd_txn_done_fn *done, void *arg)
{
    struct task *t = fd_xcalloc(1, sizeof *t);
    t->txn = txn;
    t->txn_done = done;
    t->arg = arg;
    t->loop = loop;
    pthread_mutex_lock(&w->mu);
    q_push(&w->q, t);
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

size_t fd_writer_max_batch(struct fd_writer *w)
{
    pthread_mutex_lock(&w->mu);
    size_t n = w->max_batch;
    pthread_mutex_unlock(&w->mu);
    return n;
}

void fd_writer_free(struct fd_writer *w)
{
    if (!w)
        return;
    request_stop(&w->mu, &w->cv, &w->stop);
    pthread_join(w->thread, NULL);
    fd_store_close(w->store);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

/* ---- ticker ---- */

struct fd_ticker {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    int interval_ms;
    int (*fn)(struct fd_store *s);
    struct fd_store *store;
    pthread_t thread;
};

static void *ticker_main(void *arg)
{
    struct fd_ticker *t = arg;
    pthread_mutex_lock(&t->mu);
    while (!t->stop) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += t->interval_ms / 1000;
        until.tv_nsec += (long)(t->interval_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!t->stop && pthread_cond_timedwait(&t->cv, &t->mu, &until) != ETIMEDOUT)
            ;
        pthread_mutex_unlock(&t->mu);
        int rc = t->fn(t->store);
        if (rc != FD_OK)
            fd_log_warn("event=ticker.failed rc=%d", rc);
        pthread_mutex_lock(&t->mu);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

struct fd_ticker *fd_ticker_new(struct fd_store *s, int interval_ms, int (*fn)(struct fd_store *s))
{
    struct fd_ticker *t = fd_xcalloc(1, sizeof *t);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&t->cv, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&t->mu, NULL);
    t->interval_ms = interval_ms;
    t->fn = fn;
    t->store = s;
    if (pthread_create(&t->thread, NULL, ticker_main, t) != 0)
        abort();
    return t;
}

void fd_ticker_free(struct fd_ticker *t)
{
    if (!t)
        return;
    request_stop(&t->mu, &t->cv, &t->stop);
    pthread_join(t->thread, NULL);
    fd_store_close(t->store);
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    free(t);
}
