/*
 * webcert.h - the companion's certificate as the board shows it while a
 * phone pairs: the start and end of its SHA-256 fingerprint, which the
 * carer compares with what the phone's browser shows, so the phone is
 * talking to this hub and no other. hubweb makes the certificate
 * (kiosk/web/web_tls.c); the board only reads it.
 */
#ifndef WEBCERT_H
#define WEBCERT_H

#include <stddef.h>

/* Where hubweb keeps it; HUBKIOSK_WEB_CERT names another file. */
#define WEBCERT_PATH "/var/lib/hubweb/server.crt"

/*
 * The fingerprint of the first certificate in the PEM file at path (NULL:
 * the default above) as "AB:CD:EF:12 ... 9A:BC:DE:F0": the first and last
 * four bytes of the SHA-256 of its DER bytes, as a browser's certificate
 * viewer writes them. 0, or -1 when there is no readable certificate
 * (out is then ""). Base64 and SHA-256 are Nettle's.
 */
int webcert_fingerprint(const char *path, char *out, size_t len);

#endif
