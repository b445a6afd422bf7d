/*
 * buttons.c - the GPIO edge: finds the kiosk's lines by name on the GPIO
 * chips, requests them through libgpiod v2 and turns kernel edge events into
 * struct press_edge. Start reading at buttons_open(): survey every chip,
 * pick the one that has the lines, request them; the rest translates.
 *
 * Nothing here sleeps or polls in a loop: the caller polls buttons_fd().
 */
#include <dirent.h>
#include <errno.h>
#include <gpiod.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buttons/buttons.h"
#include "core/hk.h"

#define MAX_CHIPS       32      /* a Pi has 2-5; gpio-sim tests a handful */
#define EVENT_BUF       64      /* edges read per call at most */
#define CHIP_DESC_MAX   112     /* "gpiochip0 (pinctrl-bcm2711)" */
#define ALL_LINES       ((1u << BUTTONS_LINE_COUNT) - 1u)
#define BUTTON_LINES    ((1u << PRESS_BUTTON_COUNT) - 1u)     /* the first three */
#define LED_LINES       (ALL_LINES & ~BUTTON_LINES)

struct buttons {
	struct gpiod_chip *chip;
	struct gpiod_line_request *req;
	struct gpiod_edge_event_buffer *buf;
	unsigned wanted;                        /* bit per connected line */
	unsigned int offset[BUTTONS_LINE_COUNT];
	char desc[CHIP_DESC_MAX];
};

/* What one chip offers: which of the wanted names it has, and where. */
struct chip_survey {
	char path[64];
	char desc[CHIP_DESC_MAX];
	int open_errno;                         /* 0, or why it could not be opened */
	unsigned found;
	unsigned int offset[BUTTONS_LINE_COUNT];
};

static const char *const role_names[BUTTONS_LINE_COUNT] = {
	"CHECKIN", "NEXT", "EMERGENCY", "LED_GREEN", "LED_RED",
};

static const char *const default_lines[BUTTONS_LINE_COUNT] = {
	"GPIO17", "GPIO22", "GPIO27", "GPIO23", "GPIO24",
};

__attribute__((format(printf, 4, 5)))
static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

void buttons_config_default(struct buttons_config *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < BUTTONS_LINE_COUNT; i++)
		snprintf(c->line[i], sizeof(c->line[i]), "%s", default_lines[i]);
	c->debounce_ms = 30;
	snprintf(c->consumer, sizeof(c->consumer), "hubkiosk");
}

const char *buttons_line_role(enum buttons_line l)
{
	if ((int)l < 0 || l >= BUTTONS_LINE_COUNT)
		return "?";
	return role_names[l];
}

static unsigned wanted_lines(const struct buttons_config *c)
{
	unsigned m = 0;
	int i;

	for (i = 0; i < BUTTONS_LINE_COUNT; i++)
		if (c->line[i][0])
			m |= 1u << i;
	return m;
}

/* One name for two roles would request one line twice. */
static int check_config(const struct buttons_config *c, char *err, size_t errlen)
{
	int i, j;

	if (!wanted_lines(c))
		return fail(err, errlen, HK_EINVAL, "no GPIO line is configured");
	if (c->debounce_ms < 0 || c->debounce_ms > 1000)
		return fail(err, errlen, HK_EINVAL,
			    "debounce %d ms is out of range (0-1000)", c->debounce_ms);
	for (i = 0; i < BUTTONS_LINE_COUNT; i++)
		for (j = i + 1; j < BUTTONS_LINE_COUNT; j++)
			if (c->line[i][0] && !strcmp(c->line[i], c->line[j]))
				return fail(err, errlen, HK_EINVAL,
					    "GPIO line %s is configured for both %s and %s",
					    c->line[i], role_names[i], role_names[j]);
	return 0;
}

static int is_chip_entry(const struct dirent *d)
{
	return !strncmp(d->d_name, "gpiochip", 8);
}

/* The character devices /dev/gpiochip*, in number order. */
static int list_chips(char paths[][64], int *n, char *err, size_t errlen)
{
	struct dirent **names;
	int count, i;

	*n = 0;
	count = scandir("/dev", &names, is_chip_entry, versionsort);
	if (count < 0)
		return fail(err, errlen, HK_EIO, "cannot list /dev: %s", strerror(errno));
	for (i = 0; i < count; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/dev/%.40s", names[i]->d_name);
		if (*n < MAX_CHIPS && gpiod_is_gpiochip_device(path))
			snprintf(paths[(*n)++], 64, "%s", path);
		free(names[i]);
	}
	free(names);
	if (*n == 0)
		return fail(err, errlen, HK_ENOTFOUND, "no GPIO chips (/dev/gpiochip* absent)");
	return 0;
}

/* "gpiochip0 (gpio-sim.0)", and whether the chip is the one configured. */
static int describe_chip(struct gpiod_chip *chip, const char *want, char *desc, size_t len)
{
	struct gpiod_chip_info *info = gpiod_chip_get_info(chip);
	const char *name, *label, *path = gpiod_chip_get_path(chip);
	int match;

	if (!info) {
		snprintf(desc, len, "%s", path);
		return !want[0] || !strcmp(want, path);
	}
	name = gpiod_chip_info_get_name(info);
	label = gpiod_chip_info_get_label(info);
	snprintf(desc, len, "%s (%s)", name, label);
	match = !want[0] || !strcmp(want, name) || !strcmp(want, path) || !strcmp(want, label);
	gpiod_chip_info_free(info);
	return match;
}

/* Fills *s for the chip at path; returns whether it is a chip to search. A
 * chip that cannot be opened is searched and has no lines; s->open_errno
 * says why, for when no other chip has them either. */
static int survey_chip(const char *path, const struct buttons_config *c,
		       struct chip_survey *s)
{
	struct gpiod_chip *chip = gpiod_chip_open(path);
	int i, off, match;

	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%.63s", path);
	if (!chip) {
		s->open_errno = errno;
		snprintf(s->desc, sizeof(s->desc), "%.63s (cannot open)", path);
		return 1;
	}
	match = describe_chip(chip, c->chip, s->desc, sizeof(s->desc));
	for (i = 0; i < BUTTONS_LINE_COUNT && match; i++) {
		if (!c->line[i][0])
			continue;
		off = gpiod_chip_get_line_offset_from_name(chip, c->line[i]);
		if (off >= 0) {
			s->found |= 1u << i;
			s->offset[i] = (unsigned int)off;
		}
	}
	gpiod_chip_close(chip);
	return match;
}

/* When no chip has the lines, a chip we could not open may be why. */
static int open_error(const struct chip_survey *s, int n, int rc, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < n && rc == HK_ENOTFOUND; i++)
		if (s[i].open_errno)
			return fail(err, errlen, HK_EIO, "cannot open %s: %s%s", s[i].path,
				    strerror(s[i].open_errno), s[i].open_errno == EACCES ?
				    " (is this user in the gpio group?)" : "");
	return rc;
}

static int popcount(unsigned m)
{
	int n = 0;

	for (; m; m &= m - 1)
		n++;
	return n;
}

static int first_bit(unsigned m)
{
	int i;

	for (i = 0; i < BUTTONS_LINE_COUNT; i++)
		if (m & (1u << i))
			return i;
	return -1;
}

/* "gpiochip0 (gpio-sim.0), gpiochip1 (foo)" */
static void join_descs(const struct chip_survey *s, int n, char *out, size_t len)
{
	size_t used = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < n && used + 1 < len; i++) {
		int w = snprintf(out + used, len - used, "%s%s", i ? ", " : "", s[i].desc);

		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* The chip that has every wanted line, or a sentence on why there is none. */
static int pick_chip(const struct buttons_config *c, const struct chip_survey *s, int n,
		     unsigned wanted, int *pick, char *err, size_t errlen)
{
	char searched[512];
	int i, best = 0, missing, j;

	for (i = 1; i < n; i++)
		if (popcount(s[i].found) > popcount(s[best].found))
			best = i;
	*pick = best;
	if ((s[best].found & wanted) == wanted)
		return 0;
	missing = first_bit(wanted & ~s[best].found);
	for (j = 0; j < n; j++)
		if (s[j].found & (1u << missing))
			return fail(err, errlen, HK_EUNSUPPORTED,
				    "GPIO line %s is on %s but %s is on %s: "
				    "all button and LED lines must be on one chip",
				    c->line[missing], s[j].desc, c->line[first_bit(s[best].found)],
				    s[best].desc);
	join_descs(s, n, searched, sizeof(searched));
	return fail(err, errlen, HK_ENOTFOUND, "no GPIO line named %s (%s) on %s",
		    c->line[missing], role_names[missing], searched);
}

/* Surveys every chip, keeps those matching c->chip at the front of s, and
 * picks the one to use. */
static int find_chip(const struct buttons_config *c, struct chip_survey *chosen,
		     char *err, size_t errlen)
{
	char paths[MAX_CHIPS][64], all[512];
	struct chip_survey *s, tmp;
	int n, i, kept = 0, pick, rc;

	rc = list_chips(paths, &n, err, errlen);
	if (rc)
		return rc;
	s = calloc((size_t)n, sizeof(*s));
	if (!s)
		return fail(err, errlen, HK_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		if (survey_chip(paths[i], c, &s[i])) {
			tmp = s[kept];
			s[kept++] = s[i];
			s[i] = tmp;
		}
	}
	if (kept == 0) {
		join_descs(s, n, all, sizeof(all));
		rc = fail(err, errlen, HK_ENOTFOUND, "no GPIO chip named %s (there are %s)",
			  c->chip, all);
		goto err_free_survey;
	}
	rc = pick_chip(c, s, kept, wanted_lines(c), &pick, err, errlen);
	rc = open_error(s, kept, rc, err, errlen);
	if (rc)
		goto err_free_survey;
	*chosen = s[pick];
err_free_survey:
	free(s);
	return rc;
}

/* Inputs: pull-up, active-low, debounced, both edges, monotonic stamps. */
static struct gpiod_line_settings *button_settings(int debounce_ms)
{
	struct gpiod_line_settings *st = gpiod_line_settings_new();

	if (!st)
		return NULL;
	if (gpiod_line_settings_set_direction(st, GPIOD_LINE_DIRECTION_INPUT) ||
	    gpiod_line_settings_set_edge_detection(st, GPIOD_LINE_EDGE_BOTH) ||
	    gpiod_line_settings_set_bias(st, GPIOD_LINE_BIAS_PULL_UP) ||
	    gpiod_line_settings_set_event_clock(st, GPIOD_LINE_CLOCK_MONOTONIC)) {
		gpiod_line_settings_free(st);
		return NULL;
	}
	gpiod_line_settings_set_active_low(st, true);
	gpiod_line_settings_set_debounce_period_us(st, (unsigned long)debounce_ms * 1000ul);
	return st;
}

static struct gpiod_line_settings *led_settings(void)
{
	struct gpiod_line_settings *st = gpiod_line_settings_new();

	if (!st)
		return NULL;
	if (gpiod_line_settings_set_direction(st, GPIOD_LINE_DIRECTION_OUTPUT) ||
	    gpiod_line_settings_set_output_value(st, GPIOD_LINE_VALUE_INACTIVE)) {
		gpiod_line_settings_free(st);
		return NULL;
	}
	return st;
}

/* Adds the lines in mask (of b->wanted) with settings st; 0 or -1. */
static int add_lines(struct gpiod_line_config *lc, const struct buttons *b, unsigned mask,
		     struct gpiod_line_settings *st)
{
	unsigned int offs[BUTTONS_LINE_COUNT];
	size_t n = 0;
	int i;

	for (i = 0; i < BUTTONS_LINE_COUNT; i++)
		if (b->wanted & mask & (1u << i))
			offs[n++] = b->offset[i];
	if (n == 0)
		return 0;
	return gpiod_line_config_add_line_settings(lc, offs, n, st);
}

static struct gpiod_line_config *line_config(const struct buttons *b, int debounce_ms)
{
	struct gpiod_line_settings *in, *out;
	struct gpiod_line_config *lc;

	in = button_settings(debounce_ms);
	if (!in)
		goto err_none;
	out = led_settings();
	if (!out)
		goto err_free_in;
	lc = gpiod_line_config_new();
	if (!lc)
		goto err_free_out;
	if (add_lines(lc, b, BUTTON_LINES, in) || add_lines(lc, b, LED_LINES, out))
		goto err_free_config;
	gpiod_line_settings_free(out);
	gpiod_line_settings_free(in);
	return lc;

err_free_config:
	gpiod_line_config_free(lc);
err_free_out:
	gpiod_line_settings_free(out);
err_free_in:
	gpiod_line_settings_free(in);
err_none:
	return NULL;
}

/* After EBUSY: which of our lines is taken, and by whom. */
static int describe_busy(const struct buttons *b, const struct buttons_config *c,
			 char *err, size_t errlen)
{
	struct gpiod_line_info *info;
	int i, used;

	for (i = 0; i < BUTTONS_LINE_COUNT; i++) {
		if (!(b->wanted & (1u << i)))
			continue;
		info = gpiod_chip_get_line_info(b->chip, b->offset[i]);
		if (!info)
			continue;
		used = gpiod_line_info_is_used(info);
		if (used) {
			const char *who = gpiod_line_info_get_consumer(info);

			fail(err, errlen, HK_EBUSY,
			     "GPIO line %s (%s) on %s is already in use by %s%s%s",
			     c->line[i], role_names[i], b->desc, who && *who ? "\"" : "",
			     who && *who ? who : "another program", who && *who ? "\"" : "");
			gpiod_line_info_free(info);
			return HK_EBUSY;
		}
		gpiod_line_info_free(info);
	}
	return fail(err, errlen, HK_EBUSY, "a GPIO line on %s is already in use", b->desc);
}

static int request_lines(struct buttons *b, const struct buttons_config *c,
			 char *err, size_t errlen)
{
	struct gpiod_request_config *rc;
	struct gpiod_line_config *lc;
	int ret = 0, e;

	lc = line_config(b, c->debounce_ms);
	if (!lc)
		return fail(err, errlen, HK_ENOMEM, "out of memory configuring GPIO lines");
	rc = gpiod_request_config_new();
	if (!rc) {
		ret = fail(err, errlen, HK_ENOMEM, "out of memory configuring GPIO lines");
		goto err_free_line_config;
	}
	gpiod_request_config_set_consumer(rc, c->consumer[0] ? c->consumer : "hubkiosk");
	gpiod_request_config_set_event_buffer_size(rc, EVENT_BUF);
	b->req = gpiod_chip_request_lines(b->chip, rc, lc);
	if (!b->req) {
		e = errno;
		if (e == EBUSY)
			ret = describe_busy(b, c, err, errlen);
		else
			ret = fail(err, errlen, HK_EIO, "cannot request GPIO lines on %s: %s",
				   b->desc, strerror(e));
	}
	gpiod_request_config_free(rc);
err_free_line_config:
	gpiod_line_config_free(lc);
	return ret;
}

int buttons_open(const struct buttons_config *c, struct buttons **out,
		 char *err, size_t errlen)
{
	struct chip_survey chosen;
	struct buttons *b;
	int rc;

	*out = NULL;
	rc = check_config(c, err, errlen);
	if (rc)
		return rc;
	rc = find_chip(c, &chosen, err, errlen);
	if (rc)
		return rc;
	b = calloc(1, sizeof(*b));
	if (!b)
		return fail(err, errlen, HK_ENOMEM, "out of memory");
	b->wanted = wanted_lines(c) & ALL_LINES;
	memcpy(b->offset, chosen.offset, sizeof(b->offset));
	snprintf(b->desc, sizeof(b->desc), "%s", chosen.desc);
	b->chip = gpiod_chip_open(chosen.path);
	if (!b->chip) {
		rc = fail(err, errlen, HK_EIO, "cannot open %s: %s", chosen.path, strerror(errno));
		goto err_free_handle;
	}
	b->buf = gpiod_edge_event_buffer_new(EVENT_BUF);
	if (!b->buf) {
		rc = fail(err, errlen, HK_ENOMEM, "out of memory");
		goto err_close_chip;
	}
	rc = request_lines(b, c, err, errlen);
	if (rc)
		goto err_free_buffer;
	*out = b;
	return 0;

err_free_buffer:
	gpiod_edge_event_buffer_free(b->buf);
err_close_chip:
	gpiod_chip_close(b->chip);
err_free_handle:
	free(b);
	return rc;
}

int buttons_fd(const struct buttons *b)
{
	return gpiod_line_request_get_fd(b->req);
}

const char *buttons_chip(const struct buttons *b)
{
	return b->desc;
}

static int line_of_offset(const struct buttons *b, unsigned int off)
{
	int i;

	for (i = 0; i < BUTTONS_LINE_COUNT; i++)
		if ((b->wanted & (1u << i)) && b->offset[i] == off)
			return i;
	return -1;
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int buttons_read(struct buttons *b, struct press_edge *out, int max, int *n)
{
	int64_t mono_now, wall_now;
	int got, i, line, r;

	*n = 0;
	if (max <= 0)
		return 0;
	r = gpiod_line_request_wait_edge_events(b->req, 0);
	if (r <= 0)
		return r < 0 ? HK_EIO : 0;
	got = gpiod_line_request_read_edge_events(b->req, b->buf,
						  (size_t)(max < EVENT_BUF ? max : EVENT_BUF));
	if (got < 0)
		return HK_EIO;
	wall_now = clock_ns(CLOCK_REALTIME);
	mono_now = clock_ns(CLOCK_MONOTONIC);
	for (i = 0; i < got; i++) {
		struct gpiod_edge_event *ev = gpiod_edge_event_buffer_get_event(b->buf,
										(unsigned long)i);

		line = ev ? line_of_offset(b, gpiod_edge_event_get_line_offset(ev)) : -1;
		if (line < 0 || line >= PRESS_BUTTON_COUNT)
			continue;
		out[*n].button = (enum press_button)line;
		out[*n].down = gpiod_edge_event_get_event_type(ev) ==
			       GPIOD_EDGE_EVENT_RISING_EDGE;
		out[*n].mono_ns = (int64_t)gpiod_edge_event_get_timestamp_ns(ev);
		out[*n].wall_ns = wall_now - (mono_now - out[*n].mono_ns);
		(*n)++;
	}
	return 0;
}

int buttons_pressed(struct buttons *b, enum press_button which, int *down)
{
	enum gpiod_line_value v;

	*down = 0;
	if ((int)which < 0 || which >= PRESS_BUTTON_COUNT)
		return HK_EINVAL;
	if (!(b->wanted & (1u << which)))
		return 0;
	v = gpiod_line_request_get_value(b->req, b->offset[which]);
	if (v == GPIOD_LINE_VALUE_ERROR)
		return HK_EIO;
	*down = v == GPIOD_LINE_VALUE_ACTIVE;
	return 0;
}

int buttons_led(struct buttons *b, int which, int on)
{
	int line;

	if (which != BUTTONS_GREEN && which != BUTTONS_RED)
		return HK_EINVAL;
	line = which == BUTTONS_GREEN ? BUTTONS_LED_GREEN : BUTTONS_LED_RED;
	if (!(b->wanted & (1u << line)))
		return 0;
	if (gpiod_line_request_set_value(b->req, b->offset[line],
					 on ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE))
		return HK_EIO;
	return 0;
}

void buttons_close(struct buttons *b)
{
	if (!b)
		return;
	buttons_led(b, BUTTONS_GREEN, 0);
	buttons_led(b, BUTTONS_RED, 0);
	gpiod_line_request_release(b->req);
	gpiod_edge_event_buffer_free(b->buf);
	gpiod_chip_close(b->chip);
	free(b);
}
