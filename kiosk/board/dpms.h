/*
 * dpms.h - the monitor itself off in the dark hours, not only a black
 * picture: the DPMS property of the DRM connector the board is shown on,
 * so a TV or monitor under KMS goes to standby (its backlight off, most
 * of its power saved) and comes back at a press, a tap or a visitor's
 * window. Only where SDL's video is kmsdrm: elsewhere (a desktop window,
 * SDL's offscreen driver in the tests) there is no connector, and the
 * loop keeps painting a black frame instead. HDMI-CEC (a TV's own standby
 * over the HDMI cable) is cec.h's.
 */
#ifndef DPMS_H
#define DPMS_H

#include <stddef.h>

#include <SDL.h>

struct dpms;

/*
 * The connector that win is shown on, through SDL's own DRM descriptor
 * (SDL is the DRM master, which a second descriptor would not be). 0 with
 * *out, caller frees with dpms_close(); HK_ENOTFOUND or HK_EUNSUPPORTED
 * with *out NULL and why saying why not ("SDL video offscreen has no DRM
 * connector"). win stays SDL's and must outlive *out.
 */
int dpms_open(SDL_Window *win, struct dpms **out, char *why, size_t len);

/* Switches the monitor on (1) or off (0). 0, or HK_EIO with why (the
 * driver refused: the picture is then all there is). */
int dpms_set(struct dpms *d, int on, char *why, size_t len);

/* The connector's name as the kernel's sysfs spells it ("HDMI-A-1");
 * borrowed, valid until dpms_close(). */
const char *dpms_name(const struct dpms *d);

/* Leaves the monitor as it is (the caller lights it first); NULL is fine. */
void dpms_close(struct dpms *d);

#endif
