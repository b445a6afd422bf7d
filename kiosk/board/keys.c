/*
 * keys.c - keys as buttons, and the timed script of the test hook (see
 * keys.h). No SDL here: an SDL_Keycode for a letter or digit is its ASCII
 * code, which is all this module needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/keys.h"
#include "core/hk.h"

#define SCRIPT_MAX 256
#define TAP_NS (100LL * 1000 * 1000)    /* KEY@T: down for 0.1 s */

struct keys_script {
	struct keys_step step[SCRIPT_MAX];
	int n, next;
};

/* The button a key stands for, or -1. */
static int button_of(int key)
{
	switch (key) {
	case 'c': case 'C': case '1': return PRESS_CHECKIN;
	case 'n': case 'N': case '2': return PRESS_NEXT;
	case 'e': case 'E': case '3': return PRESS_EMERGENCY;
	default: return -1;
	}
}

int keys_edge(int key, int down, int64_t mono_ns, int64_t wall_ns, struct press_edge *e)
{
	int b = button_of(key);

	if (b < 0)
		return 0;
	e->button = (enum press_button)b;
	e->down = down != 0;
	e->mono_ns = mono_ns;
	e->wall_ns = wall_ns;
	return 1;
}

const char *keys_line(enum press_button b)
{
	static const char *const names[PRESS_BUTTON_COUNT] = { "key:c", "key:n", "key:e" };

	return (unsigned)b < PRESS_BUTTON_COUNT ? names[b] : "key:?";
}

/* "3.25" -> 3250000000 ns; -1 if it is not a non-negative number. */
static int64_t parse_seconds(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || v < 0 || v > 86400)
		return -1;
	return (int64_t)(v * 1e9 + 0.5);
}

static struct keys_step *add(struct keys_script *s)
{
	if (s->n == SCRIPT_MAX)
		return NULL;
	memset(&s->step[s->n], 0, sizeof s->step[s->n]);
	return &s->step[s->n++];
}

/* One key step: "c", "c-down" or "c-up" at t. */
static int add_key(struct keys_script *s, const char *what, int64_t t)
{
	struct keys_step *st;
	int tap = what[1] == 0;

	if (button_of(what[0]) < 0 || !(tap || !strcmp(what + 1, "-down")
					 || !strcmp(what + 1, "-up")))
		return HK_EINVAL;
	st = add(s);
	if (!st)
		return HK_EINVAL;
	*st = (struct keys_step){ .at_ns = t, .kind = KEYS_KEY, .key = what[0],
				  .down = tap || !strcmp(what + 1, "-down") };
	if (!tap)
		return 0;
	st = add(s);
	if (!st)
		return HK_EINVAL;
	*st = (struct keys_step){ .at_ns = t + TAP_NS, .kind = KEYS_KEY, .key = what[0] };
	return 0;
}

/* One touch step: "tap:WHERE", "touch-down:WHERE", "touch-move:WHERE" or
 * "touch-up" at t; WHERE is XxY in pixels or a scene tag. */
static int add_touch(struct keys_script *s, const char *what, int64_t t)
{
	static const char *const word[] = { "touch-down:", "touch-move:", "touch-up", "tap:" };
	struct keys_step *st;
	size_t n;
	int i;

	for (i = 0; i < 4; i++)
		if (!strncmp(what, word[i], strlen(word[i])))
			break;
	if (i == 4)
		return HK_EINVAL;
	n = strlen(word[i]);
	if ((i == 2) != (what[n] == 0) || strlen(what + n) >= sizeof st->name)
		return HK_EINVAL;
	st = add(s);
	if (!st)
		return HK_EINVAL;
	*st = (struct keys_step){ .at_ns = t, .kind = KEYS_TOUCH, .touch = i == 3 ? 0 : i };
	snprintf(st->name, sizeof st->name, "%s", what + n);
	if (i != 3)
		return 0;
	st = add(s);
	if (!st)
		return HK_EINVAL;
	*st = (struct keys_step){ .at_ns = t + TAP_NS, .kind = KEYS_TOUCH, .touch = 2 };
	return 0;
}

/* One step, "what@seconds", already cut out of the script. */
static int parse_step(struct keys_script *s, char *item)
{
	char *at = strrchr(item, '@');
	struct keys_step *st;
	int64_t t;

	if (!at || (t = parse_seconds(at + 1)) < 0)
		return HK_EINVAL;
	*at = 0;
	if (!strcmp(item, "quit") || !strncmp(item, "shot:", 5)) {
		if (item[0] == 's' && (!item[5] || strlen(item + 5) >= sizeof st->name
				       || strchr(item + 5, '/')))
			return HK_EINVAL;
		st = add(s);
		if (!st)
			return HK_EINVAL;
		st->at_ns = t;
		st->kind = item[0] == 'q' ? KEYS_QUIT : KEYS_SHOT;
		if (st->kind == KEYS_SHOT)
			snprintf(st->name, sizeof st->name, "%s", item + 5);
		return 0;
	}
	if (!strncmp(item, "tap:", 4) || !strncmp(item, "touch-", 6))
		return add_touch(s, item, t);
	return add_key(s, item, t);
}

/* Steps in time order; an insertion sort, because it is stable: steps at
 * the same instant keep the order they were written in. */
static void sort_steps(struct keys_script *s)
{
	struct keys_step t;
	int i, j;

	for (i = 1; i < s->n; i++) {
		t = s->step[i];
		for (j = i; j > 0 && s->step[j - 1].at_ns > t.at_ns; j--)
			s->step[j] = s->step[j - 1];
		s->step[j] = t;
	}
}

int keys_script_parse(const char *text, struct keys_script **out, char *err, size_t errlen)
{
	struct keys_script *s;
	char *copy, *item, *save = NULL;
	int rc = 0;

	*out = NULL;
	s = calloc(1, sizeof *s);
	copy = strdup(text);
	if (!s || !copy) {
		free(s);
		free(copy);
		return HK_ENOMEM;
	}
	for (item = strtok_r(copy, ", \t\n", &save); item && !rc;
	     item = strtok_r(NULL, ", \t\n", &save)) {
		if (err && errlen)
			snprintf(err, errlen, "test key script: '%s' is not KEY@SECONDS, "
				 "KEY-down@S, KEY-up@S, tap:WHERE@S, touch-down:WHERE@S, "
				 "touch-move:WHERE@S, touch-up@S, shot:NAME@S or quit@S", item);
		rc = parse_step(s, item);
	}
	free(copy);
	if (rc) {
		free(s);
		return rc;
	}
	sort_steps(s);
	*out = s;
	return 0;
}

void keys_script_free(struct keys_script *s)
{
	free(s);
}

int keys_script_next(struct keys_script *s, int64_t elapsed_ns, struct keys_step *step)
{
	if (!s || s->next >= s->n || s->step[s->next].at_ns > elapsed_ns)
		return 0;
	*step = s->step[s->next++];
	return 1;
}

int64_t keys_script_deadline(const struct keys_script *s, int64_t elapsed_ns)
{
	int64_t left;

	if (!s || s->next >= s->n)
		return -1;
	left = s->step[s->next].at_ns - elapsed_ns;
	return left > 0 ? left : 0;
}
