/* Schema migrations: schema/NNNN_name.sql, compiled in, applied in order inside one transaction each,
 * recorded in the schema_migrations table and PRAGMA user_version. */
#ifndef FORUMD_MIGRATE_H
#define FORUMD_MIGRATE_H

#include "forumd/fd.h"

struct sqlite3;

struct fd_migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct fd_migration fd_migrations[];
extern const int fd_migrations_count;

/* Brings db up to the newest schema. Refuses (-1, reason in err) a database whose schema is newer
 * than this binary knows, or one that is not a forumd database. Returns 0 on success. */
int fd_migrate(struct sqlite3 *db, char *err, size_t errlen);

/* Before SQLite opens path (stat() only, never a descriptor of its own: closing one would drop the
 * POSIX locks of this process's other connections): refuses (-1, reason in err) what is not a
 * regular file, and a missing or empty file beside a non-empty write-ahead log. */
int fd_migrate_precheck(const char *path, char *err, size_t errlen);

/* Right after sqlite3_open_v2, before anything is read or written: reads the header through
 * SQLite's own file handle and refuses (-1) a file that is not an SQLite database, or an SQLite
 * database of another application (its application_id, or tables and no write-ahead log). */
int fd_migrate_check_header(struct sqlite3 *db, const char *path, char *err, size_t errlen);

/* After opening, before anything is written: refuses (-1) a database that has tables but is not
 * forumd's (no schema_migrations table, or another application_id), one of a newer schema, or
 * one whose recorded versions disagree. 0 for an empty database or a forumd one. */
int fd_migrate_identify(struct sqlite3 *db, char *err, size_t errlen);

/* The newest schema version this binary knows. */
int fd_migrate_latest(void);

#endif
