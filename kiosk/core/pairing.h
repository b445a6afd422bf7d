/*
 * pairing.h - the words and the link of pairing a carer's phone, shared by
 * everything that shows a pairing code (hubctl device pair on the console,
 * the board). Pure: the host name comes in as a parameter.
 *
 * The code travels in the link's fragment (#code=), which browsers never
 * send to a server or a proxy log; hubweb's pairing page reads it there.
 */
#ifndef PAIRING_H
#define PAIRING_H

#include <stddef.h>

#define PAIRING_PORT "8443"             /* hubweb's default port */
#define PAIRING_LINK_MAX 256            /* what a scene op carries (SCENE_TEXT_MAX) */

/*
 * The link a phone opens to pair with code: base + "/pair#code=" + code
 * when base is given (an operator's own address, "https://hub.example"),
 * else "https://HOST.local:8443/pair#code=CODE" (the hub found by mDNS).
 * 0, or HK_EINVAL when code or both base and host are empty, or the link
 * does not fit len bytes (out is then "").
 */
int pairing_link(const char *base, const char *host, const char *code, char *out, size_t len);

/* The code in groups of four letters, "KX7P MQ4T RW", for reading and
 * typing. Cut to fit len. */
void pairing_code_groups(const char *code, char *out, size_t len);

#endif
