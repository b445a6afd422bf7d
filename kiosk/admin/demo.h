/*
 * demo.h - a realistic day at a hub home, for trying the board and for
 * tests: "Rowan House" with two beds in separate rooms, three satellite
 * families (two the board may name, one it may not), an emergency stay in
 * its second night, a planned sleepover arriving in the afternoon, an
 * afternoon of support care without a bed (13:00 to 16:00), four visits
 * (one already checked in), a supervised contact session, a month of
 * constellation events, and the carer's daily records: a correction and a
 * child's own statement beneath two of them, and one urgent concern left
 * open. Names are in Arabic, Devanagari, Chinese, Polish and Irish
 * spelling, one child is hidden, and every full name differs from its
 * display name, so a test can prove the board shows display names only and
 * nothing of a record.
 */
#ifndef DEMO_H
#define DEMO_H

#include <stdint.h>
#include "store/store.h"

/*
 * Fills st for local day number `day` (hktime_day()), every time given as
 * local wall-clock time of that day or its neighbours. Call it on an empty
 * store (store_is_empty()); each item is its own change with its journal
 * entry, as a person typing them would make. The daily records are
 * written at the times the carer wrote them that day (a->at otherwise);
 * what would be recorded after a->at (a record, the end of the care
 * session) is left out, as it has not happened yet. Fails with the first
 * store refusal (store_errmsg() says why); what was added before stays.
 */
int demo_fill(struct store *st, const struct store_actor *a, int64_t day);

#endif
