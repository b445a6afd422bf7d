/*
 * buttons_probe.c - a small program around kiosk/buttons for the gpio-sim VM
 * test (tests/vm/test_buttons.sh): it opens the buttons, prints one line per
 * edge, and obeys commands on stdin, so a shell script in the guest can press
 * simulated buttons and read back what the module saw. Start at main().
 *
 *   buttons_probe [--chip NAME] [--line ROLE=NAME]... [--debounce MS]
 *                 [--consumer NAME]
 *
 * ROLE is CHECKIN, NEXT, EMERGENCY, LED_GREEN or LED_RED; an empty NAME
 * leaves that role unconnected. Output, one line each, flushed at once:
 *   ready gpiochip0 (gpio-sim.0)
 *   state CHECKIN up NEXT up EMERGENCY up
 *   edge EMERGENCY down mono_ns=12345 wall_ns=1700000000123456789 read_ns=12399
 *   error ENOTFOUND: no GPIO line named GPIO27 (EMERGENCY) on ...   (exit 2)
 * mono_ns and wall_ns are the edge's (the kernel's stamp), read_ns is
 * CLOCK_MONOTONIC when the probe read it. Commands on stdin: "state",
 * "led green|red 0|1", "sleep MS" (stop reading for a while: edges wait in
 * the kernel), "quit". At end of stdin the probe keeps listening until killed.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buttons/buttons.h"
#include "core/hk.h"

static const char *err_name(int rc)
{
	switch (rc) {
	case HK_ENOTFOUND:      return "ENOTFOUND";
	case HK_EBUSY:          return "EBUSY";
	case HK_EIO:            return "EIO";
	case HK_EINVAL:         return "EINVAL";
	case HK_ENOMEM:         return "ENOMEM";
	case HK_EUNSUPPORTED:   return "EUNSUPPORTED";
	default:                return "E?";
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: buttons_probe [--chip NAME] [--line ROLE=NAME]... "
		"[--debounce MS] [--consumer NAME]\n");
	exit(64);
}

static int set_line(struct buttons_config *c, const char *arg)
{
	const char *eq = strchr(arg, '=');
	int i;

	if (!eq)
		return -1;
	for (i = 0; i < BUTTONS_LINE_COUNT; i++) {
		const char *role = buttons_line_role((enum buttons_line)i);

		if (strlen(role) == (size_t)(eq - arg) && !strncmp(arg, role, strlen(role))) {
			snprintf(c->line[i], sizeof(c->line[i]), "%s", eq + 1);
			return 0;
		}
	}
	return -1;
}

static void parse_args(int argc, char **argv, struct buttons_config *c)
{
	int i;

	buttons_config_default(c);
	for (i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			usage();
		if (!strcmp(a, "--chip"))
			snprintf(c->chip, sizeof(c->chip), "%s", v);
		else if (!strcmp(a, "--consumer"))
			snprintf(c->consumer, sizeof(c->consumer), "%s", v);
		else if (!strcmp(a, "--debounce"))
			c->debounce_ms = atoi(v);
		else if (!strcmp(a, "--line")) {
			if (set_line(c, v))
				usage();
		} else
			usage();
	}
}

static void print_state(struct buttons *b)
{
	int i, down;

	printf("state");
	for (i = 0; i < PRESS_BUTTON_COUNT; i++) {
		if (buttons_pressed(b, (enum press_button)i, &down))
			printf(" %s error", buttons_line_role((enum buttons_line)i));
		else
			printf(" %s %s", buttons_line_role((enum buttons_line)i),
			       down ? "down" : "up");
	}
	printf("\n");
}

/* One command line; returns 1 on "quit". */
static int command(struct buttons *b, const char *line)
{
	char which[16];
	int on, rc, ms;

	if (!strncmp(line, "quit", 4))
		return 1;
	if (!strncmp(line, "state", 5)) {
		print_state(b);
	} else if (sscanf(line, "sleep %d", &ms) == 1 && ms >= 0) {
		struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
		printf("slept %d\n", ms);
	} else if (sscanf(line, "led %15s %d", which, &on) == 2) {
		rc = buttons_led(b, !strcmp(which, "red") ? BUTTONS_RED : BUTTONS_GREEN, on);
		printf("led %s %d %s\n", which, on, rc ? hk_strerror(rc) : "ok");
	} else {
		printf("unknown command: %s\n", line);
	}
	return 0;
}

static int drain_edges(struct buttons *b)
{
	struct press_edge e[16];
	struct timespec now;
	int n, i, rc;

	rc = buttons_read(b, e, 16, &n);
	if (rc) {
		printf("error %s: reading edges failed\n", err_name(rc));
		return rc;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	for (i = 0; i < n; i++)
		printf("edge %s %s mono_ns=%lld wall_ns=%lld read_ns=%lld\n",
		       buttons_line_role((enum buttons_line)e[i].button),
		       e[i].down ? "down" : "up", (long long)e[i].mono_ns,
		       (long long)e[i].wall_ns,
		       (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
	return 0;
}

/* Reads what stdin has (the fd, not stdio: poll must see every line) and
 * obeys each complete line. Returns 1 on "quit", -1 at end of input. */
static int read_commands(struct buttons *b, char *buf, size_t size, size_t *used)
{
	ssize_t got = read(0, buf + *used, size - 1 - *used);
	char *nl;

	if (got <= 0)
		return -1;
	*used += (size_t)got;
	buf[*used] = '\0';
	while ((nl = strchr(buf, '\n')) != NULL) {
		size_t len = (size_t)(nl - buf) + 1;

		*nl = '\0';
		if (command(b, buf))
			return 1;
		memmove(buf, nl + 1, *used - len + 1);
		*used -= len;
	}
	if (*used == size - 1)
		*used = 0;              /* an overlong line: drop it */
	return 0;
}

static int run(struct buttons *b)
{
	struct pollfd p[2] = { { buttons_fd(b), POLLIN, 0 }, { 0, POLLIN, 0 } };
	char line[256];
	size_t used = 0;
	nfds_t nfds = 2;
	int r;

	for (;;) {
		if (poll(p, nfds, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if ((p[0].revents & POLLIN) && drain_edges(b))
			return 1;
		if (p[0].revents & (POLLERR | POLLHUP)) {
			printf("error EIO: the GPIO chip went away\n");
			return 1;
		}
		if (nfds == 2 && p[1].revents) {
			r = read_commands(b, line, sizeof(line), &used);
			if (r > 0)
				return 0;
			if (r < 0)
				nfds = 1;       /* stdin closed: keep listening */
		}
	}
}

int main(int argc, char **argv)
{
	struct buttons_config c;
	struct buttons *b;
	char err[512];
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(argc, argv, &c);
	rc = buttons_open(&c, &b, err, sizeof(err));
	if (rc) {
		printf("error %s: %s\n", err_name(rc), err);
		return 2;
	}
	printf("ready %s\n", buttons_chip(b));
	print_state(b);
	rc = run(b);
	buttons_close(b);
	return rc;
}
