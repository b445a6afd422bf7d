/*
 * service.h - the board's side of systemd's service protocol: "I am ready",
 * "I am still alive" (the watchdog) and a one-line status, over sd_notify().
 *
 * Every function is a no-op that returns 0 when the board was not started
 * by systemd (no $NOTIFY_SOCKET): from a terminal, in tests, in --windowed
 * development nothing changes. The unit (system/hubkiosk.service) is
 * Type=notify with WatchdogSec=, so systemd restarts a board that never
 * says READY or stops pinging.
 *
 * Where the board calls them (kiosk/board/main.c):
 *   service_ready()          once, after the first frame is on the screen;
 *   service_watchdog_ping()  every turn of the event loop (rate-limited
 *                            here, so calling it often is cheap);
 *   service_status()         when what a person should know changes
 *                            ("showing the board", "database locked: ...");
 *   service_stopping()       when the loop ends, before SDL is closed.
 */
#ifndef SERVICE_H
#define SERVICE_H

#include <stdarg.h>
#include <stdint.h>

/* Tells systemd the board is up (READY=1) with MAINPID. 0 if told or not
 * under systemd; HK_EIO if the notification socket refused it. */
int service_ready(void);

/* The watchdog interval systemd asked for, in microseconds; 0 when there is
 * no watchdog (or it is meant for another process). Cannot fail. */
uint64_t service_watchdog_usec(void);

/*
 * Pings the watchdog (WATCHDOG=1), at most once per quarter of the interval:
 * calls in between return 0 at once without a system call. 0 if pinged,
 * skipped, or there is no watchdog; HK_EIO if the socket refused it.
 */
int service_watchdog_ping(void);

/* Sets the status line `systemctl status hubkiosk` shows (STATUS=text);
 * text is copied, newlines become spaces. 0, or HK_EIO as above. */
int service_status(const char *text);

/* Tells systemd the board is stopping on purpose (STOPPING=1). */
int service_stopping(void);

/* One line on stderr, "hubkiosk: " first: under systemd, what the service's
 * journal keeps; from a terminal, what the person sees. */
void service_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void service_vsay(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
