/* The forum's objects as C structs, shared by the store, the rules and the serializers.
 * Strings in these structs belong to the struct: the matching fd_*_clear() frees them. */
#ifndef FORUMD_MODEL_H
#define FORUMD_MODEL_H

#include "forumd/fd.h"

enum fd_role { FD_ROLE_MEMBER = 0, FD_ROLE_MODERATOR = 1, FD_ROLE_ADMIN = 2 };

/* Returns "member", "moderator" or "admin". */
const char *fd_role_name(enum fd_role role);
/* Parses a role name; 0 on success, -1 if unknown. */
int fd_role_parse(const char *s, enum fd_role *out);

struct fd_user {
    int64_t id;
    char *email;            /* NULL once erased */
    char *password_hash;    /* only filled by lookups made for signing in */
    char *display_name;
    enum fd_role role;
    char *stakeholder_type;
    char *organisation;     /* may be NULL */
    char *country;          /* may be NULL */
    char *transparency_register_id; /* may be NULL */
    int64_t created_at;
    int64_t suspended_until; /* 0 = not suspended */
    char *suspension_reason; /* may be NULL */
    int64_t *moderates;      /* moderators: the objectives they are limited to; none = all of them */
    size_t n_moderates;
};

/* Author of a thread or post, as stored; serializers decide what a viewer sees. */
struct fd_author {
    int64_t id;
    char *display_name;
    char *stakeholder_type;
    char *organisation;
    char *country;
};

struct fd_key_action {
    int64_t id;
    int64_t objective_id;
    char *slug;
    char *title;
};

struct fd_objective {
    int64_t id;
    int number;
    char *slug;
    char *title;
    char *summary;
    struct fd_key_action *key_actions;
    size_t n_key_actions;
    int64_t thread_count;
    int64_t post_count;
    int64_t last_post_at; /* 0 = never */
};

struct fd_thread {
    int64_t id;
    int64_t objective_id;
    int64_t key_action_id; /* 0 = none */
    char *title;
    struct fd_author author;
    bool anonymous;
    int64_t created_at;
    int64_t last_post_at;
    int64_t post_count;
    bool locked;
    bool pinned;
    int64_t opens_at;  /* 0 = no consultation (then closes_at is 0 too) */
    int64_t closes_at;
    int64_t official_post_id; /* 0 = none */
    char *manifest_sha256;    /* a closed consultation's integrity manifest (hex), NULL until computed */
};

struct fd_post {
    int64_t id;
    int64_t thread_id;
    int64_t parent_id; /* 0 = a top-level post */
    struct fd_author author;
    char *body;
    char *body_html;
    char *language; /* may be NULL */
    bool anonymous;
    bool official;
    int64_t created_at;
    int64_t edited_at; /* 0 = never */
    bool edited_by_moderator;
    bool hidden;
    bool hidden_auto; /* hidden by flags, not by a moderator */
    bool deleted;
};

/* Inputs. Strings are borrowed from the caller (usually a parsed request body). */
struct fd_new_user {
    const char *email;
    const char *password;      /* plain text: only ever given to auth.c */
    char *password_hash;       /* owned: filled by the worker before the insert */
    const char *display_name;
    const char *stakeholder_type;
    const char *organisation;
    const char *country;
    const char *transparency_register_id;
    const char *role;          /* NULL = member */
};

struct fd_consultation_in {
    bool given;
    int64_t opens_at; /* 0 = now */
    int64_t closes_at;
};

struct fd_new_post {
    int64_t thread_id;
    int64_t parent_id;
    const char *body;
    char *body_html; /* owned: rendered before the write */
    const char *language;
    bool anonymous;
    bool official;
};

struct fd_new_thread {
    int64_t objective_id;
    const char *title;
    int64_t key_action_id;
    struct fd_consultation_in consultation;
    struct fd_new_post post;
};

/* Keyset position in a list: up to three sort keys, the last one always an id. */
struct fd_cursor {
    int n;
    int64_t k[3];
};

struct fd_thread_list {
    struct fd_thread *items;
    size_t n;
    bool more;               /* another page follows */
};

struct fd_post_list {
    struct fd_post *items;
    size_t n;
    bool more;
};

/* An entry of an Atom feed: a post with its thread's title. A feed of threads lists their opening
 * posts. */
struct fd_feed_entry {
    struct fd_post post;
    char *thread_title;
    bool opening; /* the thread's opening post */
};

struct fd_feed_list {
    struct fd_feed_entry *items;
    size_t n;
};

/* A full-text search. match is an FTS expression made by fd_search_translate() from what the user
 * typed, never the user's text itself; the filters are 0 or NULL when not asked for. */
struct fd_search_query {
    const char *match;
    const char *const *terms; /* the terms looked for, each an expression of its own, in match's order */
    int n_terms;
    int64_t objective_id;
    int64_t key_action_id;
    const char *stakeholder_type;
    const char *country;
    int64_t from, until; /* created_at in [from, until) */
    int window;          /* rank the newest `window` matches (see search.h) */
};

/* Where the previous page of results ended: its last rank and post id. */
struct fd_search_after {
    double rank;
    int64_t id;
};

struct fd_search_hit {
    struct fd_post post;
    char *thread_title;
    int64_t objective_id;
    char *snippet; /* plain text; the matched words between the bytes 0x02 and 0x03 */
    double rank;   /* lower is better (FTS5 bm25) */
};

struct fd_search_list {
    struct fd_search_hit *items;
    size_t n;
    bool more;
};

struct fd_objective_list {
    struct fd_objective *items;
    size_t n;
};

/* ---- moderation ---- */

/* Optional inputs that can also be set to "none": given says whether the request named them. */
struct fd_opt_bool {
    bool given, value;
};
struct fd_opt_id {
    bool given;
    int64_t id; /* 0 = none */
};
struct fd_opt_consultation {
    bool given;
    struct fd_consultation_in window; /* window.given = false: no longer a consultation */
};

/* A change to a thread: only what is given changes. */
struct fd_thread_patch {
    struct fd_opt_bool locked, pinned;
    int64_t objective_id; /* 0 = stays */
    struct fd_opt_id key_action;
    const char *title;    /* NULL = stays */
    struct fd_opt_consultation consultation;
    const char *reason;
};

/* PATCH /me: NULL display_name stays; an optional field is changed only when set, and cleared
 * when its value is NULL. */
struct fd_opt_text {
    bool set;
    const char *value;
};

struct fd_profile_patch {
    const char *display_name;
    struct fd_opt_text organisation, country, register_id;
};

struct fd_revision {
    char *body;            /* the text before this edit */
    int64_t edited_at;
    struct fd_author editor;
    bool by_moderator;
};

struct fd_revision_list {
    struct fd_revision *items;
    size_t n;
};

struct fd_flag {
    int64_t id;
    int64_t post_id;
    int64_t thread_id;
    int64_t objective_id;
    char *reason;
    char *text;            /* may be NULL */
    int64_t created_at;
    char *resolution;      /* NULL while open, else "dismissed" or "hidden" */
    int64_t resolved_at;
    struct fd_author flagger;
    bool has_post;         /* the queue also reads the post */
    struct fd_post post;
};

struct fd_flag_list {
    struct fd_flag *items;
    size_t n;
    bool more;
};

/* A moderation log row to write; strings are borrowed. actor_id 0 = the system. */
struct fd_log_new {
    int64_t actor_id;
    const char *action;
    const char *target_type;
    int64_t target_id;
    int64_t objective_id; /* 0 = none */
    int64_t thread_id;    /* the thread of a post, flag or thread target; 0 = none */
    const char *reason;
};

struct fd_log_entry {
    int64_t id;
    struct fd_author actor; /* id 0 = the system */
    char *action;
    char *target_type;
    int64_t target_id;
    int64_t objective_id;
    int64_t thread_id;
    char *reason;
    int64_t created_at;
};

struct fd_log_list {
    struct fd_log_entry *items;
    size_t n;
    bool more;
};

/* ---- following ---- */

enum fd_follow_target { FD_FOLLOW_OBJECTIVE, FD_FOLLOW_KEY_ACTION, FD_FOLLOW_THREAD };

struct fd_follows {
    int64_t *ids[3]; /* by enum fd_follow_target */
    size_t n[3];
};

struct fd_notification {
    int64_t id;
    char *kind;            /* "new_thread", "new_post", "reply" or "moderation" */
    int64_t thread_id;     /* 0 = none */
    int64_t post_id;       /* 0 = none */
    struct fd_author actor; /* id 0 = none (moderation) */
    bool anonymous;        /* the actor posted anonymously */
    bool read;
    int64_t created_at;
    char *reason;          /* moderation only */
    char *thread_title;
};

struct fd_notification_list {
    struct fd_notification *items;
    size_t n;
    bool more;
};

/* ---- personal data ---- */

struct fd_session_info {
    int64_t id;
    int64_t created_at, last_seen_at;
};

struct fd_token_info {
    int64_t id;
    char *name;
    int64_t created_at, last_used_at; /* 0 = never used */
};

/* Everything the forum holds about one account (GET /me/export). */
struct fd_personal {
    struct fd_post_list posts;            /* every post they wrote, hidden and withdrawn ones too */
    struct fd_revision_list *revisions;   /* one list per post, in the same order */
    struct fd_flag_list flags;            /* flags they raised */
    struct fd_follows follows;
    struct fd_session_info *sessions;
    size_t n_sessions;
    struct fd_token_info *tokens;
    size_t n_tokens;
};

/* Which objectives a moderation list shows: all (n = 0 and all = true) or those in ids. */
struct fd_scope {
    bool all;
    const int64_t *ids;
    size_t n;
};

void fd_user_clear(struct fd_user *u);
void fd_author_clear(struct fd_author *a);
void fd_objective_clear(struct fd_objective *o);
void fd_thread_clear(struct fd_thread *t);
void fd_post_clear(struct fd_post *p);
void fd_thread_list_clear(struct fd_thread_list *l);
void fd_post_list_clear(struct fd_post_list *l);
void fd_feed_list_clear(struct fd_feed_list *l);
void fd_objective_list_clear(struct fd_objective_list *l);
void fd_search_list_clear(struct fd_search_list *l);
void fd_revision_list_clear(struct fd_revision_list *l);
void fd_flag_clear(struct fd_flag *f);
void fd_flag_list_clear(struct fd_flag_list *l);
void fd_log_list_clear(struct fd_log_list *l);
void fd_follows_clear(struct fd_follows *f);
void fd_notification_clear(struct fd_notification *n);
void fd_personal_clear(struct fd_personal *p);
void fd_notification_list_clear(struct fd_notification_list *l);

/* One row of an export (export.c): a visible post with its thread and its author's details (also
 * for anonymous posts: exports are for moderators). */
struct fd_export_row {
    int64_t thread_id;
    char *thread_title;
    char *key_action;  /* the key action's slug, NULL = none */
    int64_t post_id;
    int64_t parent_id; /* 0 = none */
    int64_t created_at;
    char *author_name;
    char *stakeholder_type;
    char *organisation;
    char *country;
    char *register_id;
    bool anonymous;
    bool official;
    char *body;
};

struct fd_export_list {
    struct fd_export_row *items;
    size_t n;
    bool more;
};

/* Statistics over visible posts (export.c renders them). */
struct fd_stats_group {
    char *stakeholder_type;
    char *country;       /* NULL = none */
    int64_t day;         /* days since 1970-01-01 (UTC) */
    int64_t posts;
    int64_t anonymous;
};

struct fd_stats {
    int64_t posts, threads, participants;
    struct fd_stats_group *groups; /* one per (stakeholder type, country, day) */
    size_t n_groups;
};

void fd_export_list_clear(struct fd_export_list *l);
void fd_stats_clear(struct fd_stats *st);

enum fd_consultation_state { FD_CONSULT_NONE, FD_CONSULT_PLANNED, FD_CONSULT_OPEN, FD_CONSULT_CLOSED };
/* The state of t's consultation at time now. */
enum fd_consultation_state fd_thread_consultation_state(const struct fd_thread *t, int64_t now);
/* When t's consultation state next changes after now (0 = never): cached pages expire then. */
int64_t fd_thread_state_changes_at(const struct fd_thread *t, int64_t now);

#endif
