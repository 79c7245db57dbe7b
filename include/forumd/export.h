/* Exports and statistics as documents: the CSV and JSON renderings of export rows (the bytes a
 * consultation's integrity manifest hashes), ISO weeks, and the statistics object. No I/O here:
 * h_export.c reads the rows on a query worker and streams what these functions write. */
#ifndef FORUMD_EXPORT_H
#define FORUMD_EXPORT_H

#include <jansson.h>
#include "forumd/model.h"

struct evbuffer;

/* Rows read per step of an export: one chunk of the reply. */
#ifndef FD_EXPORT_BATCH
#define FD_EXPORT_BATCH 500
#endif

/* The CSV header row, CRLF included. */
extern const char fd_export_csv_header[];

/* Appends e as one CSV record (RFC 4180, CRLF) to out. */
void fd_export_csv_row(const struct fd_export_row *e, struct evbuffer *out);
/* e as the JSON object of a row, keys in the column order (a new reference). */
json_t *fd_export_row_json(const struct fd_export_row *e);

/* The ISO 8601 week of day (days since 1970-01-01, UTC): its week-numbering year and week 1..53. */
void fd_iso_week(int64_t day, int *year, int *week);

/* The statistics object of the contract; objective_id 0 = all objectives (null). */
json_t *fd_stats_json(const struct fd_stats *st, int64_t objective_id);

#endif
