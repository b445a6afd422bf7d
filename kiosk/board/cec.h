/*
 * cec.h - the TV itself over HDMI-CEC: to standby in the dark hours and
 * back on, on the board's input, when the board lights again (a press, a
 * tap, a visitor's window, the morning). DPMS (dpms.h) only blanks a
 * monitor; a TV keeps its panel lit on "no signal" until it is told to
 * sleep over the HDMI cable's CEC line.
 *
 * Through libcec (Debian's libcec7; libcec6 on Debian 12), loaded with
 * dlopen() the first time a hub has an adapter: a board without one (the tests, --screenshot, a
 * monitor on DVI) never maps libcec, its C++ runtime or its threads. Every
 * call to the TV is made on a thread of this module's own, since opening
 * an adapter and waiting for a TV's answer take seconds that the board's
 * loop (and a press's acknowledgement) never waits for.
 *
 * The TV is put to standby only while the board is the input it shows: a
 * carer watching something else on the TV at 23:00 keeps watching.
 */
#ifndef CEC_H
#define CEC_H

struct cec;

/*
 * Starts the CEC thread, which loads libcec and opens adapter (its device,
 * "/dev/cec0"; NULL: the first adapter libcec finds), then says in the
 * service log what it found. Returns NULL (the log says why) only when
 * no thread could be made; a hub without libcec or without an adapter
 * gets a handle that does nothing (the log says why once). Free with
 * cec_stop().
 */
struct cec *cec_start(const char *adapter);

/*
 * Asks for the TV on (1: on, and the board's input chosen) or in standby
 * (0). Returns at once; the thread sends it, and only the last wish if
 * several come while it is busy. NULL is fine.
 */
void cec_want(struct cec *c, int on);

/*
 * Stops the thread and closes the adapter (the TV is left as it is: the
 * loop lights it first when it stops). NULL is fine.
 */
void cec_stop(struct cec *c);

#endif
