/*
 * buttons.h - the GPIO edge (issue 3): the kiosk's three push buttons and two
 * LEDs through libgpiod v2 and the kernel's GPIO character device.
 *
 * Lines are found by NAME (GPIO17, ...), never by chip or offset number, so
 * the same configuration works on a Pi 3/4/5 and on the kernel's gpio-sim.
 * Buttons are inputs with the internal pull-up, active-low, debounced by the
 * kernel, watching both edges; each edge comes out as a struct press_edge
 * (core/press.h) carrying the kernel's own timestamp. The LEDs are outputs,
 * active-high (pin - resistor - LED - ground), off when opened.
 *
 * Start with buttons_open(); put buttons_fd() in the event loop's poll set and
 * call buttons_read() when it is readable. All five lines must sit on one GPIO
 * chip (they do on every Pi: the 40-pin header is one chip), so one file
 * descriptor carries every edge. Not thread-safe: one thread per handle.
 */
#ifndef BUTTONS_H
#define BUTTONS_H

#include <stddef.h>

#include "core/press.h"

/* The configured lines; the first three are the buttons, in the order of
 * enum press_button, so a line index is also a press_button. */
enum buttons_line {
	BUTTONS_CHECKIN = PRESS_CHECKIN,
	BUTTONS_NEXT = PRESS_NEXT,
	BUTTONS_EMERGENCY = PRESS_EMERGENCY,
	BUTTONS_LED_GREEN,
	BUTTONS_LED_RED,
	BUTTONS_LINE_COUNT
};

enum buttons_led { BUTTONS_GREEN = 0, BUTTONS_RED = 1 };

#define BUTTONS_NAME_MAX 32

struct buttons_config {
	/* Which chip to search: "" = every /dev/gpiochip*, else a chip's
	 * name ("gpiochip0"), path ("/dev/gpiochip0") or label
	 * ("pinctrl-rp1"). A label is the stable choice. */
	char chip[64];
	/* Line names, indexed by enum buttons_line; "" = not connected
	 * (that button never fires; that LED call does nothing). */
	char line[BUTTONS_LINE_COUNT][BUTTONS_NAME_MAX];
	int debounce_ms;                /* kernel debounce; 0 = none */
	char consumer[BUTTONS_NAME_MAX]; /* shown by gpioinfo; "" = "hubkiosk" */
};

struct buttons;

/* Fills *c with the hardware defaults (domain.md): any chip, GPIO17 check-in,
 * GPIO22 next, GPIO27 emergency, GPIO23 green LED, GPIO24 red LED, 30 ms
 * debounce, consumer "hubkiosk". Cannot fail. */
void buttons_config_default(struct buttons_config *c);

/* A line's role as a word ("CHECKIN", "LED_GREEN"); a static string. */
const char *buttons_line_role(enum buttons_line l);

/*
 * Finds the configured lines by name and requests them. On success *out is
 * a new handle the caller closes with buttons_close(); both LEDs are off.
 * On failure *out is NULL, nothing stays requested, and err (if not NULL)
 * holds a sentence for the person in front of the kiosk:
 *   HK_ENOTFOUND     no GPIO chip at all, no chip of the configured name, or a
 *                    line name on none of the searched chips (the message
 *                    names the line and every chip searched);
 *   HK_EBUSY         a line is already requested by another program (names
 *                    the line and, when the kernel knows it, the consumer);
 *   HK_EUNSUPPORTED  the lines are on different chips;
 *   HK_EINVAL        one name configured for two roles, or debounce_ms < 0;
 *   HK_EIO           a chip could not be opened (permissions) or the kernel
 *                    refused the request for another reason;
 *   HK_ENOMEM        out of memory.
 */
int buttons_open(const struct buttons_config *c, struct buttons **out,
		 char *err, size_t errlen);

/* The request's file descriptor: readable when buttons_read() has edges.
 * Borrowed; valid until buttons_close(). */
int buttons_fd(const struct buttons *b);

/* "gpiochip0 (pinctrl-bcm2711)": the chip in use. Borrowed; valid until
 * buttons_close(). */
const char *buttons_chip(const struct buttons *b);

/*
 * Reads, without blocking, up to max pending edges into out[0..*n-1], oldest
 * first; *n is 0 when none are pending. Each edge's mono_ns is the kernel's
 * CLOCK_MONOTONIC timestamp of the event. With kernel debounce the kernel
 * stamps an edge when the line has been stable for the debounce period, so
 * mono_ns is up to debounce_ms after the contact closed. wall_ns is the same
 * instant on CLOCK_REALTIME, as the wall clock reads now. Returns 0, or HK_EIO
 * when the kernel read fails (the chip was removed).
 */
int buttons_read(struct buttons *b, struct press_edge *out, int max, int *n);

/* Whether a button is held now (*down = 1) or released (0); a button that is
 * not connected reads 0. Returns 0, HK_EINVAL for a line that is not a
 * button, or HK_EIO. */
int buttons_pressed(struct buttons *b, enum press_button which, int *down);

/* Switches an LED (BUTTONS_GREEN or BUTTONS_RED) on (on != 0) or off.
 * Returns 0 (also for an LED that is not connected), HK_EINVAL for another
 * value of which, or HK_EIO. */
int buttons_led(struct buttons *b, int which, int on);

/* Switches both LEDs off (what a released line then does is up to the
 * kernel driver: the Pi's keeps the last value), releases the lines and
 * frees the handle. Accepts NULL. */
void buttons_close(struct buttons *b);

#endif
