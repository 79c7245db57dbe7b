/* The forum's rules: who may do what, locked threads, consultations. No HTTP and no SQL here; the
 * write rules run on the writer thread inside its transaction, so a check and the write it guards
 * cannot be separated by another write. */
#ifndef FORUMD_FORUM_H
#define FORUMD_FORUM_H

#include "forumd/store.h"

/* Which input was wrong, when a rule refuses with FD_EINVAL (static strings). */
struct fd_problem {
    const char *field;
    const char *message;
};

bool fd_forum_is_staff(const struct fd_user *u);
bool fd_forum_is_suspended(const struct fd_user *u, int64_t now);

/* Creates a thread and its opening post for author. Checks the objective, the key action belongs to
 * it, consultation and official only for staff. Sets *thread_id and *post_id. */
int fd_forum_thread_create(struct fd_store *s, const struct fd_user *author, const struct fd_new_thread *in,
                           int64_t now, int64_t *thread_id, int64_t *post_id, struct fd_problem *pb);
/* Adds a reply. Refuses locked threads (FD_ELOCKED) and consultations not open (FD_ECLOSED) except
 * for official answers by staff; the parent must be a post of the same thread. */
int fd_forum_post_create(struct fd_store *s, const struct fd_user *author, const struct fd_new_post *in,
                         int64_t now, int64_t *post_id, struct fd_problem *pb);

#endif
