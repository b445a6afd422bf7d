/*
 * opening.c - the board's first scene, built while the screen opens
 * (opening.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board/opening.h"
#include "core/hk.h"

struct opening {
	pthread_t thread;
	int threaded;                   /* 0: the work was done in opening_start() */
	struct opening_plan plan;
	struct presses_config pc;
	int rc;                         /* written by the thread, read after the join */
	struct opening_result res;
};

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void *work(void *arg)
{
	struct opening *op = arg;
	const struct opening_plan *pl = &op->plan;
	struct opening_result *r = &op->res;
	char err[512];
	int changed;

	/* the board first: its open creates the database the presses use */
	op->rc = board_open(pl->bc, NULL, pl->w, pl->h, &r->b, r->err, sizeof r->err);
	if (op->rc)
		return NULL;
	if (presses_open(&op->pc, &r->p, err, sizeof err))
		return NULL;    /* the caller's own attempt reports it */
	if (pl->notice)
		presses_set_notice(r->p, pl->notice);
	/* as the loop's first turn would: the presses read the day (its
	 * default highlight) before the board builds the scene */
	if (presses_refresh(r->p, (hk_time)(pl->now_ms / 1000)))
		return NULL;
	presses_overlay(r->p, mono_ns(), &r->ov);
	r->ov.touch = pl->touch;
	board_set_overlay(r->b, &r->ov);
	/* the first look at the data version counts as a change: taken here,
	 * so the loop's next look sees only what changed since */
	if (board_poll(r->b, &changed) == 0
	    && board_update(r->b, (hk_time)(pl->now_ms / 1000), &changed) == 0)
		r->built = pl->now_ms;
	return NULL;
}

struct opening *opening_start(const struct opening_plan *plan)
{
	struct opening *op = calloc(1, sizeof *op);

	if (!op)
		return NULL;
	op->plan = *plan;
	op->pc = *plan->pc;
	op->res.built = -1;
	op->threaded = pthread_create(&op->thread, NULL, work, op) == 0;
	if (!op->threaded)
		work(op);
	return op;
}

int opening_finish(struct opening *op, struct opening_result *res)
{
	int rc;

	if (op->threaded)
		pthread_join(op->thread, NULL);
	rc = op->rc;
	*res = op->res;
	free(op);
	return rc;
}
