/* Every HTTP handler; routes.c wires them to paths. */
#ifndef FORUMD_HANDLERS_H
#define FORUMD_HANDLERS_H

#include "forumd/http.h"

void h_health(struct fd_req *r);
void h_static(struct fd_req *r);

void h_auth_register(struct fd_req *r);
void h_auth_login(struct fd_req *r);
void h_auth_logout(struct fd_req *r);
void h_me_get(struct fd_req *r);
void h_tokens_create(struct fd_req *r);
void h_tokens_delete(struct fd_req *r);

void h_objectives_list(struct fd_req *r);
void h_objectives_get(struct fd_req *r);
void h_threads_list(struct fd_req *r);
void h_threads_create(struct fd_req *r);
void h_threads_get(struct fd_req *r);
void h_posts_create(struct fd_req *r);
void h_search(struct fd_req *r);

/* Finds the objective named by path parameter "id" (number or slug) on r's connection; answers 404
 * itself and returns -1 if there is none. */
int h_objective_or_reply(struct fd_req *r, struct fd_objective *o);

#endif
