/*
 * config.h - hubkiosk's configuration file (INI, read with inih).
 *
 *   [hub]    name = Willow House          shown instead of the stored name
 *   [fonts]  chain = a.ttf, b.ttf, c.ttc#2  the font fallback chain, in order;
 *                                          indented lines continue it
 *   [board]  dim_at_night = yes|no         dark colours in quiet hours
 *            pair_url = https://hub.example:8443   the address the pairing
 *                                          QR code leads to; default
 *                                          https://HOSTNAME.local:8443
 *   [buttons] chip = pinctrl-rp1           the GPIO chip; empty: search all
 *            checkin = GPIO17, next = GPIO22, emergency = GPIO27,
 *            led_green = GPIO23, led_red = GPIO24   line names; empty: none
 *            debounce_ms = 30              the kernel's debounce
 *   [display] schedule = yes|no            dark at night (default yes)
 *            off = 23:00-06:30             every night; monday = ... sunday =
 *                                          for the night beginning that day
 *                                          ("never": lit all that night)
 *            idle = 30m, idle_from = 21:00 evenings: dark once unused that long
 *            wake_before = 30m             lit before a visitor is expected
 *            cec = yes|no                  a TV to standby over HDMI-CEC too
 *                                          (default yes, where there is one)
 *            cec_adapter = /dev/cec0       the CEC adapter; empty: the first
 *
 * assets/hubkiosk.conf is the commented example. An unknown section or key
 * is refused with the file and line, so a typo never silently does nothing.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

#include "buttons/buttons.h"
#include "core/display.h"

#define CONFIG_FONTS_MAX 64

struct config {
	char *hub_name;                 /* NULL: not set */
	char *fonts[CONFIG_FONTS_MAX];  /* NULL-free for [0, n_fonts) */
	int n_fonts;                    /* 0: the default chain */
	int dim_at_night;               /* default 1 */
	char *pair_url;                 /* NULL: https://HOSTNAME.local:8443 */
	struct buttons_config buttons;  /* default: buttons_config_default() */
	struct display_schedule display; /* default: display_schedule_default() */
	int cec;                        /* default 1 */
	char *cec_adapter;              /* NULL: the first libcec finds */
};

/* The defaults: nothing set, dimming on, the buttons on domain.md's pins. */
void config_init(struct config *c);

/*
 * Reads path into c (keys it does not set keep their values). On failure
 * err (size errlen) holds "PATH:LINE: what is wrong" or "PATH: why it
 * cannot be read"; c may be partly filled and is still freed with
 * config_free(). HK_EINVAL for a bad file, HK_EIO if it cannot be read,
 * HK_ENOMEM.
 */
int config_load(struct config *c, const char *path, char *err, size_t errlen);

/* Frees what config_load() allocated; c is left as after config_init(). */
void config_free(struct config *c);

#endif
