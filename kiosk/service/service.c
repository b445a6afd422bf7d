/*
 * service.c - sd_notify() for the board: READY, the watchdog, STATUS.
 *
 * A thin layer over libsystemd so that the board's loop says what it means
 * (service_ready()) and never deals with the protocol's strings, and so that
 * it costs nothing outside systemd. See service.h for where each call goes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include <systemd/sd-daemon.h>

#include "core/hk.h"
#include "service/service.h"

#define STATUS_MAX 256

/* The last ping, CLOCK_MONOTONIC in microseconds; 0 = never. The board has
 * one event loop, so this one static is the module's whole state. */
static uint64_t last_ping_usec;

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* sd_notify() returns > 0 when sent, 0 without $NOTIFY_SOCKET, < 0 -errno.
 * $NOTIFY_SOCKET is kept (unset_environment 0): the watchdog needs it later. */
static int notify(const char *state)
{
	return sd_notify(0, state) < 0 ? HK_EIO : 0;
}

int service_ready(void)
{
	return notify("READY=1");
}

uint64_t service_watchdog_usec(void)
{
	uint64_t usec = 0;

	/* > 0: a watchdog for this process; 0: none; < 0: a malformed
	 * $WATCHDOG_USEC, which is no watchdog either. */
	if (sd_watchdog_enabled(0, &usec) <= 0)
		return 0;
	return usec;
}

int service_watchdog_ping(void)
{
	uint64_t interval = service_watchdog_usec(), now;

	if (interval == 0)
		return 0;
	now = now_usec();
	/* A quarter of the interval: two pings may be lost to a slow frame
	 * before systemd gives up on the board. */
	if (last_ping_usec && now - last_ping_usec < interval / 4)
		return 0;
	last_ping_usec = now;
	return notify("WATCHDOG=1");
}

int service_status(const char *text)
{
	char msg[STATUS_MAX + sizeof "STATUS="];
	char *p;

	snprintf(msg, sizeof msg, "STATUS=%s", text ? text : "");
	/* The protocol is one assignment per line: a newline in text would
	 * start a new (bogus) assignment. */
	for (p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return notify(msg);
}

int service_stopping(void)
{
	return notify("STOPPING=1");
}

void service_vsay(const char *fmt, va_list ap)
{
	fputs("hubkiosk: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void service_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	service_vsay(fmt, ap);
	va_end(ap);
}
