/*
 * config.c - reading hubkiosk.conf (see config.h). inih calls on_key() for
 * each key; the first refusal is kept as a message and ini_parse() gives its
 * line, so the person editing the file is told exactly where to look.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "board/config.h"
#include "core/hk.h"
#include "core/hktime.h"

/* The state of one load: the config and the first complaint. */
struct load {
	struct config *c;
	char why[192];
	int rc;
};

void config_init(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->dim_at_night = 1;
	c->cec = 1;
	display_schedule_default(&c->display);
	buttons_config_default(&c->buttons);
}

void config_free(struct config *c)
{
	int i;

	free(c->hub_name);
	free(c->pair_url);
	free(c->cec_adapter);
	for (i = 0; i < c->n_fonts; i++)
		free(c->fonts[i]);
	config_init(c);
}

/* Keeps the first complaint only: later ones are often its consequences. */
static int refuse(struct load *ld, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int refuse(struct load *ld, int rc, const char *fmt, ...)
{
	va_list ap;

	if (!ld->rc) {
		ld->rc = rc;
		va_start(ap, fmt);
		vsnprintf(ld->why, sizeof ld->why, fmt, ap);
		va_end(ap);
	}
	return 0;
}

/* yes/no/true/false/on/off/1/0 -> 1/0; -1 for anything else. */
static int parse_bool(const char *v)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

static int set_hub_name(struct load *ld, const char *v)
{
	if (strlen(v) >= HK_NAME_MAX)
		return refuse(ld, HK_EINVAL, "name '%s' is longer than the board shows "
			      "(%d bytes at most)", v, HK_NAME_MAX - 1);
	free(ld->c->hub_name);
	ld->c->hub_name = strdup(v);
	if (!ld->c->hub_name)
		return refuse(ld, HK_ENOMEM, "out of memory");
	return 1;
}

/* The pairing link's base: an https:// address, no trailing slash (the
 * link adds "/pair#code=..."). */
static int set_pair_url(struct load *ld, const char *v)
{
	size_t n = strlen(v);

	if (strncmp(v, "https://", 8) != 0 || n <= 8 || n > 160 || v[n - 1] == '/' ||
	    strpbrk(v, " #?"))
		return refuse(ld, HK_EINVAL, "pair_url = %s: give an https:// address with "
			      "no path, e.g. https://hub.example:8443", v);
	free(ld->c->pair_url);
	ld->c->pair_url = strdup(v);
	if (!ld->c->pair_url)
		return refuse(ld, HK_ENOMEM, "out of memory");
	return 1;
}

/* A device path ("/dev/cec0") or libcec's name for a USB adapter; empty
 * is the first adapter found. */
static int set_cec_adapter(struct load *ld, const char *v)
{
	free(ld->c->cec_adapter);
	ld->c->cec_adapter = NULL;
	if (!*v)
		return 1;
	if (strlen(v) > 200 || strpbrk(v, " \t"))
		return refuse(ld, HK_EINVAL, "cec_adapter = %s: give a device, e.g. /dev/cec0", v);
	ld->c->cec_adapter = strdup(v);
	if (!ld->c->cec_adapter)
		return refuse(ld, HK_ENOMEM, "out of memory");
	return 1;
}

/* "a.ttf, b.ttf" -> fonts[]: comma-separated, blanks around names dropped.
 * Appends: inih hands each indented continuation line over as another
 * value of the same key, so a long chain may be written on several lines. */
static int set_chain(struct load *ld, const char *v)
{
	struct config *c = ld->c;
	const char *p = v, *end;
	size_t len;

	while (*p) {
		p += strspn(p, " \t,");
		end = p + strcspn(p, ",");
		for (len = (size_t)(end - p); len && strchr(" \t", p[len - 1]); len--)
			;
		if (len && c->n_fonts == CONFIG_FONTS_MAX)
			return refuse(ld, HK_EINVAL, "chain lists more than %d fonts",
				      CONFIG_FONTS_MAX);
		if (len && !(c->fonts[c->n_fonts++] = strndup(p, len)))
			return refuse(ld, HK_ENOMEM, "out of memory");
		p = end;
	}
	if (c->n_fonts == 0)
		return refuse(ld, HK_EINVAL, "chain names no font file");
	return 1;
}

/* The [buttons] keys that name a line, in enum buttons_line order. */
static const char *const line_keys[BUTTONS_LINE_COUNT] = {
	"checkin", "next", "emergency", "led_green", "led_red",
};

/* A line name, or empty for "not connected". */
static int set_line(struct load *ld, char *dst, const char *key, const char *v)
{
	if (strlen(v) >= BUTTONS_NAME_MAX)
		return refuse(ld, HK_EINVAL, "%s = %s: a GPIO line name is at most %d bytes",
			      key, v, BUTTONS_NAME_MAX - 1);
	snprintf(dst, BUTTONS_NAME_MAX, "%s", v);
	return 1;
}

static int set_debounce(struct load *ld, const char *v)
{
	char *end;
	long ms;

	errno = 0;
	ms = strtol(v, &end, 10);
	if (errno || end == v || *end || ms < 0 || ms > 1000)
		return refuse(ld, HK_EINVAL, "debounce_ms = %s: give milliseconds, 0 to 1000", v);
	ld->c->buttons.debounce_ms = (int)ms;
	return 1;
}

static int on_buttons_key(struct load *ld, const char *name, const char *v)
{
	struct buttons_config *bc = &ld->c->buttons;
	int i;

	for (i = 0; i < BUTTONS_LINE_COUNT; i++)
		if (strcmp(name, line_keys[i]) == 0)
			return set_line(ld, bc->line[i], name, v);
	if (strcmp(name, "debounce_ms") == 0)
		return set_debounce(ld, v);
	if (strcmp(name, "chip") == 0) {
		if (strlen(v) >= sizeof bc->chip)
			return refuse(ld, HK_EINVAL, "chip = %s: too long for a chip name", v);
		snprintf(bc->chip, sizeof bc->chip, "%s", v);
		return 1;
	}
	return refuse(ld, HK_EINVAL, "unknown key '%s' in [buttons]", name);
}

static int set_minutes(struct load *ld, const char *name, const char *v, int *out)
{
	int h, m, n = 0;

	if (sscanf(v, "%2d:%2d%n", &h, &m, &n) != 2 || v[n] || h < 0 || h > 23 || m < 0 || m > 59)
		return refuse(ld, HK_EINVAL, "%s = %s: give a time of day, as 21:00", name, v);
	*out = h * 60 + m;
	return 1;
}

static int set_seconds(struct load *ld, const char *name, const char *v, int *out)
{
	int64_t s;

	if (strcmp(v, "0") == 0 || strcmp(v, "no") == 0) {     /* no idle rule, no wake */
		*out = 0;
		return 1;
	}
	if (hktime_parse_duration(v, &s) || s < 0 || s > 24 * 3600)
		return refuse(ld, HK_EINVAL, "%s = %s: give a duration, as 30m", name, v);
	*out = (int)s;
	return 1;
}

/* [display]: the screen's dark hours (core/display.h). */
static int on_display_key(struct load *ld, const char *name, const char *v)
{
	static const char *const day[7] = { "sunday", "monday", "tuesday", "wednesday",
					    "thursday", "friday", "saturday" };
	struct display_schedule *s = &ld->c->display;
	int i, off, on, b;

	if (strcmp(name, "schedule") == 0) {
		b = parse_bool(v);
		if (b < 0)
			return refuse(ld, HK_EINVAL, "schedule = %s: say yes or no", v);
		s->enabled = b;
		return 1;
	}
	for (i = 0; i < 7; i++)
		if (strcmp(name, day[i]) == 0 || strcmp(name, "off") == 0) {
			if (display_parse_span(v, &off, &on))
				return refuse(ld, HK_EINVAL, "%s = %s: give dark hours, as "
					      "23:00-06:30, or never", name, v);
			for (int w = 0; w < 7; w++)
				if (w == i || strcmp(name, "off") == 0) {
					s->off_min[w] = off;
					s->on_min[w] = on;
				}
			return 1;
		}
	if (strcmp(name, "idle") == 0)
		return set_seconds(ld, name, v, &s->idle_s);
	if (strcmp(name, "wake_before") == 0)
		return set_seconds(ld, name, v, &s->wake_before_s);
	if (strcmp(name, "idle_from") == 0)
		return set_minutes(ld, name, v, &s->idle_from_min);
	if (strcmp(name, "cec") == 0) {
		b = parse_bool(v);
		if (b < 0)
			return refuse(ld, HK_EINVAL, "cec = %s: say yes or no", v);
		ld->c->cec = b;
		return 1;
	}
	if (strcmp(name, "cec_adapter") == 0)
		return set_cec_adapter(ld, v);
	return refuse(ld, HK_EINVAL, "unknown key '%s' in [display]", name);
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct load *ld = user;
	int b;

	if (strcmp(section, "hub") == 0 && strcmp(name, "name") == 0)
		return set_hub_name(ld, value);
	if (strcmp(section, "fonts") == 0 && strcmp(name, "chain") == 0)
		return set_chain(ld, value);
	if (strcmp(section, "board") == 0 && strcmp(name, "dim_at_night") == 0) {
		b = parse_bool(value);
		if (b < 0)
			return refuse(ld, HK_EINVAL, "dim_at_night = %s: say yes or no", value);
		ld->c->dim_at_night = b;
		return 1;
	}
	if (strcmp(section, "board") == 0 && strcmp(name, "pair_url") == 0)
		return set_pair_url(ld, value);
	if (strcmp(section, "buttons") == 0)
		return on_buttons_key(ld, name, value);
	if (strcmp(section, "display") == 0)
		return on_display_key(ld, name, value);
	if (!*section)
		return refuse(ld, HK_EINVAL, "key '%s' outside any [section]", name);
	return refuse(ld, HK_EINVAL, "unknown key '%s' in [%s]", name, section);
}

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	struct load ld = { .c = c };
	int line = ini_parse(path, on_key, &ld);

	if (line == 0)
		return 0;
	if (line == -1) {
		snprintf(err, errlen, "%s: cannot be read: %s", path, strerror(errno));
		return HK_EIO;
	}
	if (line == -2) {
		snprintf(err, errlen, "%s: %s", path, hk_strerror(HK_ENOMEM));
		return HK_ENOMEM;
	}
	if (!ld.rc)
		snprintf(ld.why, sizeof ld.why, "not a 'key = value' line or a [section]");
	snprintf(err, errlen, "%s:%d: %s", path, line, ld.why);
	return ld.rc ? ld.rc : HK_EINVAL;
}
