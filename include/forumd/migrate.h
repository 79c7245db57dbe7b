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

/* The newest schema version this binary knows. */
int fd_migrate_latest(void);

#endif
