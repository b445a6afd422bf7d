/*
 * tenyears.h - the ten years of record the benchmarks read (about 100k
 * journal entries, 29k visits, 10k events). bench_day and bench_export
 * share one file under make bench, whichever of them builds it, so both
 * build it here: the same records in the same order.
 */
#ifndef TENYEARS_H
#define TENYEARS_H

#include "core/hk.h"

#define TENYEARS_YEARS 10
#define TENYEARS_EVENTS 10000
#define TENYEARS_VISITS 29000

/*
 * Builds the ten years ending at end in the database at path (created if
 * missing) through the real store API: 200 people, two beds, a stay every
 * other day, visits checked in and out, events. On failure says why on
 * stderr after "prog: " and returns -1; the file may hold part of it.
 */
int tenyears_build(const char *prog, const char *path, hk_time end);

#endif
