/* Applies the compiled-in schema migrations in order. Each runs in its own IMMEDIATE transaction
 * together with its record, so a crash leaves the database at one version or the next, never
 * between. PRAGMA application_id marks the file as forumd's.
 *
 * Before anything is written (fd_store_sqlite_open calls them in this order), a file that is not
 * forumd's is refused and left byte for byte as it was: fd_migrate_precheck (stat only: not a
 * regular file, a missing or empty file beside a non-empty -wal), fd_migrate_check_header (the
 * 100-byte header, read through SQLite's own descriptor: not SQLite, another application_id, a
 * schema without forumd's), fd_migrate_identify (through the log, if any: tables but no
 * schema_migrations, a newer schema, versions that disagree). An empty file is an empty database:
 * a new forum is made in it. */
#include <errno.h>
#include <sqlite3.h>
#include <sys/stat.h>
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

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Size of PATH-wal, 0 when there is none. */
static off_t wal_size(const char *path)
{
    char wal[4096];
    struct stat st;
    if ((size_t)snprintf(wal, sizeof wal, "%s-wal", path) >= sizeof wal || stat(wal, &st) != 0)
        return 0;
    return st.st_size;
}

int fd_migrate_precheck(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (!strcmp(path, ":memory:") || !strncmp(path, "file:", 5) || !*path)
        return 0;
    /* stat() only: opening and closing a descriptor of the file here would drop every POSIX lock
     * this process holds on it through SQLite's other connections (howtocorrupt.html 2.2). */
    off_t wal = wal_size(path);
    if (stat(path, &st) != 0) {
        if (errno == ENOENT && wal > 0) {
            snprintf(
                err, errlen,
                "%s does not exist but %s-wal (%lld bytes) does: a write-ahead log without its database; "
                "refusing to start (restore the database, or move the -wal file away if it is not needed)",
                path, path, (long long)wal);
            return -1;
        }
        return 0; /* a new database, or an error SQLite reports when it opens the file */
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s is not a regular file; refusing to use it as the database", path);
        return -1;
    }
    if (st.st_size == 0 && wal > 0) {
        snprintf(err, errlen,
                 "%s is empty but %s-wal holds %lld bytes: the database file was truncated or replaced; "
                 "refusing to start (restore it from a backup)",
                 path, path, (long long)wal);
        return -1;
    }
    return 0; /* an empty file is an empty SQLite database: forumd creates its schema in it */
}

int fd_migrate_check_header(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    sqlite3_file *f = NULL;
    sqlite3_int64 size = 0;
    unsigned char h[108];
    if (!strcmp(path, ":memory:") ||
        sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f || !f->pMethods ||
        f->pMethods->xFileSize(f, &size) != SQLITE_OK || size == 0)
        return 0; /* nothing to look at: SQLite's own reads give the reason, if any */
    /* Read through SQLite's own descriptor, before any lock is taken and anything is written. */
    memset(h, 0, sizeof h);
    int rc = f->pMethods->xRead(f, h, (int)sizeof h, 0);
    if ((rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) || size < 100 ||
        memcmp(h, "SQLite format 3", 16) != 0) {
        snprintf(err, errlen,
                 "%s is not an SQLite database (%lld bytes, no SQLite header): corrupt, or another kind of "
                 "file; refusing to touch it (restore it from a backup, or point --db elsewhere)",
                 path, (long long)size);
        return -1;
    }
    uint32_t app_id = be32(h + 68);
    if (app_id == FORUMD_APPLICATION_ID)
        return 0;
    if (app_id != 0) {
        snprintf(err, errlen,
                 "%s is not a forumd database (an SQLite database of another application, application_id "
                 "0x%08x); refusing to touch it",
                 path, (unsigned)app_id);
        return -1;
    }
    /* Without a write-ahead log the file is the whole database: page 1 is the root of its schema,
     * an empty leaf for a database without any table. Reading it through SQLite would create the
     * -wal and -shm files of a WAL-mode database; with a log, the schema is read through it
     * (fd_migrate_identify). */
    if (wal_size(path) == 0 && size >= (sqlite3_int64)sizeof h &&
        (h[100] != 0x0d || h[103] != 0 || h[104] != 0)) {
        snprintf(err, errlen,
                 "%s is not a forumd database (an SQLite database with tables of another application and no "
                 "forumd schema); refusing to touch it",
                 path);
        return -1;
    }
    return 0;
}

int fd_migrate_identify(sqlite3 *db, char *err, size_t errlen)
{
    int version = 0, app_id = 0, tables = 0, ours = 0, recorded = 0;
    if (pragma_int(db, "PRAGMA user_version", &version) < 0 ||
        pragma_int(db, "PRAGMA application_id", &app_id) < 0 || user_tables(db, &tables) < 0 ||
        pragma_int(db, "SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='schema_migrations'",
                   &ours) < 0) {
        snprintf(err, errlen, "cannot read the database: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (tables == 0 && app_id == 0)
        return 0; /* empty: a new forum */
    if (app_id != FORUMD_APPLICATION_ID || !ours) {
        snprintf(err, errlen,
                 "not a forumd database (application_id 0x%08x, %d tables, %s schema_migrations table); "
                 "refusing to touch it",
                 (unsigned)app_id, tables, ours ? "a" : "no");
        return -1;
    }
    if (version > fd_migrate_latest()) {
        snprintf(err, errlen,
                 "the database has schema version %d, newer than this forumd supports (%d); upgrade forumd",
                 version, fd_migrate_latest());
        return -1;
    }
    if (pragma_int(db, "SELECT coalesce(max(version), 0) FROM schema_migrations", &recorded) < 0) {
        snprintf(err, errlen, "cannot read schema_migrations: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (recorded != version) {
        snprintf(err, errlen,
                 "inconsistent forumd database: user_version %d but schema_migrations records version %d; "
                 "refusing to touch it",
                 version, recorded);
        return -1;
    }
    return 0;
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
    if (fd_migrate_identify(db, err, errlen) < 0)
        return -1;
    for (int i = 0; i < fd_migrations_count; i++) {
        if (fd_migrations[i].version <= version)
            continue;
        if (apply(db, &fd_migrations[i], err, errlen) < 0)
            return -1;
    }
    return 0;
}
