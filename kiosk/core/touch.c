/*
 * touch.c - taps and holds become button edges (see touch.h). Start at
 * touch_feed(): a finger going down remembers what it landed on, moving
 * may take it off, coming up on the same target is the tap.
 */
#include <string.h>

#include "core/touch.h"

void touch_init(struct touch_state *t)
{
	memset(t, 0, sizeof(*t));
}

static int inside(struct layout_rect r, int x, int y, int slop)
{
	return x >= r.x - slop && x < r.x + r.w + slop && y >= r.y - slop && y < r.y + r.h + slop;
}

const struct scene_hit *touch_hit_at(const struct scene_hit *hits, int n, int x, int y)
{
	for (int i = n - 1; i >= 0; i--)
		if (inside(hits[i].box, x, y, 0))
			return &hits[i];
	return NULL;
}

static void edge(struct touch_out *out, enum press_button b, int down, int64_t mono, int64_t wall)
{
	struct press_edge *e = &out->edge[out->n++];

	e->button = b;
	e->down = down;
	e->mono_ns = mono;
	e->wall_ns = wall;
}

/* A press and its release: the instant recorded is the finger's down. */
static void press(struct touch_out *out, enum press_button b, const struct touch_state *t,
		  const struct touch_event *e)
{
	edge(out, b, 1, t->down_mono, t->down_wall);
	edge(out, b, 0, e->mono_ns, e->wall_ns);
}

static void on_down(struct touch_state *t, const struct scene_hit *hits, int n,
		    const struct touch_event *e, struct touch_out *out)
{
	const struct scene_hit *h = touch_hit_at(hits, n, e->x, e->y);

	memset(&t->hit, 0, sizeof(t->hit));
	if (h)
		t->hit = *h;
	t->down = 1;
	t->finger = e->finger;
	t->x0 = e->x;
	t->y0 = e->y;
	t->down_mono = e->mono_ns;
	t->down_wall = e->wall_ns;
	t->off = 0;
	/* the red button goes down with the finger: the ring fills while held */
	if (t->hit.kind == SCENE_HIT_EMERGENCY)
		edge(out, PRESS_EMERGENCY, 1, e->mono_ns, e->wall_ns);
}

static void on_move(struct touch_state *t, const struct touch_view *v,
		    const struct touch_event *e, struct touch_out *out)
{
	if (t->off || t->hit.kind == SCENE_HIT_NONE || inside(t->hit.box, e->x, e->y, v->slop))
		return;
	t->off = 1;
	/* sliding off the emergency area is letting go of the button */
	if (t->hit.kind == SCENE_HIT_EMERGENCY)
		edge(out, PRESS_EMERGENCY, 0, e->mono_ns, e->wall_ns);
}

/* The finger came up on the visitor it went down on. */
static void tap_visit(const struct touch_state *t, const struct touch_view *v,
		      const struct touch_event *e, struct touch_out *out)
{
	int settled = v->confirm_since && t->down_mono - v->confirm_since >= TOUCH_SETTLE_NS;

	if (t->hit.id == v->highlight && settled) {
		press(out, PRESS_CHECKIN, t, e);
		return;
	}
	/* choosing, or a second tap too soon after choosing: a NEXT, which the
	 * press rules swallow within their lock-out */
	press(out, PRESS_NEXT, t, e);
	out->visit = t->hit.id;
}

static void on_up(struct touch_state *t, const struct touch_view *v,
		  const struct touch_event *e, struct touch_out *out)
{
	t->down = 0;
	if (t->off || t->hit.kind == SCENE_HIT_NONE)
		return;
	if (!inside(t->hit.box, e->x, e->y, v->slop)) {
		on_move(t, v, e, out);
		return;
	}
	switch (t->hit.kind) {
	case SCENE_HIT_EMERGENCY:
		edge(out, PRESS_EMERGENCY, 0, e->mono_ns, e->wall_ns);
		break;
	case SCENE_HIT_CONFIRM:
		press(out, PRESS_CHECKIN, t, e);
		break;
	case SCENE_HIT_VISIT:
		tap_visit(t, v, e, out);
		break;
	case SCENE_HIT_NONE:
		break;
	}
}

void touch_feed(struct touch_state *t, const struct scene_hit *hits, int n,
		const struct touch_view *v, const struct touch_event *e, struct touch_out *out)
{
	memset(out, 0, sizeof(*out));
	if (e->phase == TOUCH_DOWN) {
		if (t->down && e->finger != t->finger)
			return;         /* a second finger */
		/* the same finger down again: its "up" was lost; a hold ends */
		if (t->down && !t->off && t->hit.kind == SCENE_HIT_EMERGENCY)
			edge(out, PRESS_EMERGENCY, 0, e->mono_ns, e->wall_ns);
		on_down(t, hits, n, e, out);
		return;
	}
	if (!t->down || e->finger != t->finger)
		return;         /* another finger, or one we never saw go down */
	if (e->phase == TOUCH_MOVE)
		on_move(t, v, e, out);
	else
		on_up(t, v, e, out);
}
