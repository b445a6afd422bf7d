/*
 * service.c - sd_notify() for the board: READY, the watchdog, STATUS.
 *
 * A thin layer over systemd's notification protocol so that the board's
 * loop says what it means (service_ready()) and never deals with the
 * protocol's strings, and so that it costs nothing outside systemd. See
 * service.h for where each call goes.
 *
 * The protocol is written here rather than taken from libsystemd: it is
 * one datagram on the socket named by $NOTIFY_SOCKET and two environment
 * variables for the watchdog (sd_notify(3), sd_watchdog_enabled(3)), and
 * libsystemd brought five more libraries and 1.4 MB of resident memory into
 * every start of the board.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

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

/* Sends state to systemd: 0 when sent or when there is no $NOTIFY_SOCKET
 * (not under systemd), HK_EIO when the socket refused it. A name starting
 * with '@' is in the abstract namespace. $NOTIFY_SOCKET is kept: the
 * watchdog needs it later. */
static int notify(const char *state)
{
	const char *name = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n = name ? strlen(name) : 0;
	socklen_t len;
	ssize_t sent;
	int fd;

	if (n == 0)
		return 0;
	if ((name[0] != '/' && name[0] != '@') || n >= sizeof sa.sun_path)
		return HK_EIO;
	memcpy(sa.sun_path, name, n);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (name[0] == '/'));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return HK_EIO;
	sent = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, len);
	close(fd);
	return sent == (ssize_t)strlen(state) ? 0 : HK_EIO;
}

/* $WATCHDOG_USEC when it is meant for this process ($WATCHDOG_PID absent
 * or ours); 0 when there is none or it is malformed. */
static uint64_t watchdog_env(void)
{
	const char *us = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	unsigned long long v;
	char *end;

	if (!us || !*us)
		return 0;
	if (pid && *pid) {
		errno = 0;
		v = strtoull(pid, &end, 10);
		if (errno || *end || v != (unsigned long long)getpid())
			return 0;
	}
	errno = 0;
	v = strtoull(us, &end, 10);
	return errno || *end || us[0] == '-' ? 0 : (uint64_t)v;
}

int service_ready(void)
{
	return notify("READY=1");
}

uint64_t service_watchdog_usec(void)
{
	/* a malformed $WATCHDOG_USEC is no watchdog either */
	return watchdog_env();
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
	/* one line whole, though the CEC thread (board/cec.h) says things too */
	flockfile(stderr);
	fputs("hubkiosk: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void service_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	service_vsay(fmt, ap);
	va_end(ap);
}
