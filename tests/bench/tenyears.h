/*
 * tenyears.h - the ten years of record the benchmarks read (about 130k
 * journal entries, 29k visits, 10k events, 1,800 care sessions, 20,000
 * records of about 30 MB of text). bench_day and bench_export
 * share one file under make bench, whichever of them builds it, so both
 * build it here: the same records in the same order.
 */
#ifndef TENYEARS_H
#define TENYEARS_H

#include <stddef.h>
#include "core/hk.h"

#define TENYEARS_YEARS 10
#define TENYEARS_EVENTS 10000
#define TENYEARS_VISITS 29000
#define TENYEARS_RECORDS 20000

/*
 * Builds the ten years ending at end in the database at path (created if
 * missing) through the real store API: 8 families, 200 people, two beds,
 * a stay every other day and a support-care session on the days between,
 * visits checked in and out, events, and the records of the stays and
 * the care (a tenth of them late, some corrected, some with a concern).
 * On failure says why on stderr after "prog: " and returns -1; the file
 * may hold part of it.
 */
int tenyears_build(const char *prog, const char *path, hk_time end);

/* About `bytes` bytes (at most len - 1) of a record's text in several
 * scripts, the same for the same seed. */
void tenyears_text(int seed, size_t bytes, char *buf, size_t len);

#endif
