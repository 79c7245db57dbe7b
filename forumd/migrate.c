/* Applies the compiled-in schema migrations in order. Each runs in its own IMMEDIATE transaction
 * together with its record, so a crash leaves the database at one version or the next, never
 * between. PRAGMA application_id marks the file as forumd's. */
#include <sqlite3.h>
#include "forumd/migrate.h"

#define FORUMD_APPLICATION_ID 0x46724d44 /* "FrMD" */

int fd_migrate_latest(void)
{
    return fd_migrations_count ? fd_migrations[fd_migrations_count - 1].version : 0;
}

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

static int user_tables(sqlite3 *db, int *out)
{
    return pragma_int(db, "SELECT count(*) FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%'", out);
}

static int apply(sqlite3 *db, const struct fd_migration *m, char *err, size_t errlen)
{
    char *msg = NULL;
    char pragma[96];
    sqlite3_stmt *st = NULL;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK)
        goto out_fail;
    if (sqlite3_exec(db, m->sql, NULL, NULL, &msg) != SQLITE_OK)
        goto out_rollback;
    if (sqlite3_exec(db,
                     "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                     " applied_at INTEGER NOT NULL)",
                     NULL, NULL, &msg) != SQLITE_OK)
        goto out_rollback;
    if (sqlite3_prepare_v2(db, "INSERT INTO schema_migrations(version, name, applied_at) VALUES(?1, ?2, unixepoch())",
                           -1, &st, NULL) != SQLITE_OK)
        goto out_rollback;
    sqlite3_bind_int(st, 1, m->version);
    sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto out_rollback;
    sqlite3_finalize(st);
    st = NULL;
    /* PRAGMA takes no bound parameters; the value is our own integer, not input. */
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d; PRAGMA application_id = %d", m->version,
             FORUMD_APPLICATION_ID);
    if (sqlite3_exec(db, pragma, NULL, NULL, &msg) != SQLITE_OK)
        goto out_rollback;
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK)
        goto out_rollback;
    return 0;
out_rollback:
    sqlite3_finalize(st);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out_fail:
    snprintf(err, errlen, "migration %04d_%s failed: %s", m->version, m->name, msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

int fd_migrate(sqlite3 *db, char *err, size_t errlen)
{
    int version = 0, app_id = 0, tables = 0;
    if (pragma_int(db, "PRAGMA user_version", &version) < 0 || pragma_int(db, "PRAGMA application_id", &app_id) < 0 ||
        user_tables(db, &tables) < 0) {
        snprintf(err, errlen, "cannot read the database: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (version > fd_migrate_latest()) {
        snprintf(err, errlen,
                 "the database has schema version %d, newer than this forumd supports (%d); upgrade forumd",
                 version, fd_migrate_latest());
        return -1;
    }
    if (app_id != FORUMD_APPLICATION_ID && (app_id != 0 || tables > 0)) {
        snprintf(err, errlen, "this database is not a forumd database (application_id %d, %d tables); refusing to touch it",
                 app_id, tables);
        return -1;
    }
    for (int i = 0; i < fd_migrations_count; i++) {
        if (fd_migrations[i].version <= version)
            continue;
        if (apply(db, &fd_migrations[i], err, errlen) < 0)
            return -1;
    }
    return 0;
}
