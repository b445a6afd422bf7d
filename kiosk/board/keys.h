/*
 * keys.h - the keyboard standing in for the buttons, and a test hook that
 * types on it.
 *
 * When the GPIO buttons are unavailable (and always in --windowed) the keys
 * C or 1 (CHECK-IN), N or 2 (NEXT) and E or 3 (EMERGENCY, held) become the
 * same struct press_edge a GPIO edge becomes, stamped with CLOCK_MONOTONIC
 * and CLOCK_REALTIME as the key is handled. Key repeat is not a press: the
 * event loop passes only real key downs and ups. So the buttons' gestures
 * are the keys' too: N held, then C with it, for 3 s opens pairing
 * ("n-down@1, c-down@1.2, n-up@4.5, c-up@4.5" in a script).
 *
 * The test hook, HUBKIOSK_TEST_KEYS, is a script of timed steps fed through
 * keys_edge() like real keys, so a headless test drives the very path a
 * person at the keyboard does:
 *
 *   HUBKIOSK_TEST_KEYS="c@1.0, n@2, e-down@3, shot:ring@4, e-up@5.5, quit@9"
 *
 *   KEY@T        KEY goes down at T seconds after the first frame, up 0.1 s later
 *   KEY-down@T   KEY goes down at T;  KEY-up@T: up at T
 *   shot:NAME@T  the picture at T, saved as NAME.png and NAME.tsv (the scene)
 *                in $HUBKIOSK_TEST_SHOTS (default: the current directory),
 *                with NAME.leds: "green 0 0" and "red 1 9" (lit or not, and
 *                how many more times its pattern will switch it)
 *   quit@T       the board closes as on SIGTERM
 *   tap:WHERE@T  a finger on the screen at T, lifted 0.1 s later; WHERE is
 *                XxY in pixels ("640x200") or the tag of a drawn op, whose
 *                centre is touched ("visit.3.who", "confirm",
 *                "touch.emergency"). touch-down:WHERE@T, touch-move:WHERE@T
 *                and touch-up@T (where it last was) hold and slide it.
 *                They are pushed into SDL's queue as SDL_FINGERDOWN,
 *                SDL_FINGERMOTION and SDL_FINGERUP: the path a touch
 *                screen's events take.
 *
 * KEY is one of c n e 1 2 3. Steps may be given in any order.
 */
#ifndef KEYS_H
#define KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "core/press.h"

/*
 * Translates key (an SDL_Keycode: lower-case letters and digits are their
 * ASCII codes) going down (down = 1) or up at the instant (mono_ns,
 * wall_ns) into *e. Returns 1 when the key is one of the buttons' keys,
 * else 0 and *e is untouched.
 */
int keys_edge(int key, int down, int64_t mono_ns, int64_t wall_ns, struct press_edge *e);

/* How the record names a button pressed on the keyboard: "key:c", "key:n",
 * "key:e". A static string. */
const char *keys_line(enum press_button b);

enum keys_step_kind { KEYS_KEY, KEYS_SHOT, KEYS_QUIT, KEYS_TOUCH };

struct keys_step {
	int64_t at_ns;                  /* after the script's start */
	enum keys_step_kind kind;
	int key;                        /* KEYS_KEY: 'c', 'n', 'e', '1', '2', '3' */
	int down;                       /* KEYS_KEY */
	int touch;                      /* KEYS_TOUCH: 0 down, 1 move, 2 up */
	char name[64];                  /* KEYS_SHOT; KEYS_TOUCH: where ("" for up) */
};

struct keys_script;

/*
 * Parses a script (the grammar above). Caller frees *out with
 * keys_script_free(). HK_EINVAL with err naming the bad step, or HK_ENOMEM.
 */
int keys_script_parse(const char *text, struct keys_script **out, char *err, size_t errlen);

/* Frees; accepts NULL. */
void keys_script_free(struct keys_script *s);

/* The next step due at elapsed_ns (oldest first), taken off the script:
 * 1 and *step filled, or 0 when none is due yet. */
int keys_script_next(struct keys_script *s, int64_t elapsed_ns, struct keys_step *step);

/* Nanoseconds from elapsed_ns until the next step (0 if overdue), or -1
 * when the script is over. */
int64_t keys_script_deadline(const struct keys_script *s, int64_t elapsed_ns);

#endif
