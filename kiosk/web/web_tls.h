/*
 * web_tls.h - hubweb's certificate: the hub's own CA and the server
 * certificate it signs, made at the first start in the state folder, or
 * an operator's own certificate dropped in there instead.
 *
 * The state folder (0700, /var/lib/hubweb) holds
 *   ca.key, ca.crt          the hub's CA (ECDSA P-256, ten years), limited by
 *                           name constraints to .local names, localhost and
 *                           private addresses, so a phone that installs it
 *                           trusts it for the hub and nothing on the internet
 *   server.key, server.crt  the server's key and certificate (ECDSA P-256,
 *                           800 days: Apple refuses longer) for <host>.local,
 *                           <host>, localhost and the addresses the hub had
 * Keys are written 0600. An operator's server.crt (the chain, PEM) and
 * server.key are used as they are; the hub's own are made again at start
 * when they run out within 30 days or no longer name the host.
 */
#ifndef WEB_TLS_H
#define WEB_TLS_H

#include <stddef.h>
#include "core/hk.h"

#define WEB_TLS_RENEW_S (30 * 86400)    /* renew the hub's own this long before expiry */
#define WEB_FINGERPRINT_MAX 97          /* "AB:CD:..." of 32 bytes, and the NUL */

struct web_tls {
	char *cert_pem;                 /* the server's certificate chain, PEM */
	char *key_pem;                  /* its key, PEM */
	char *ca_pem;                   /* the CA to offer at /ca.crt; NULL when no CA in
					 * the folder signed the server's certificate */
	size_t ca_len;
	char fingerprint[WEB_FINGERPRINT_MAX];  /* SHA-256 of the server certificate */
	hk_time expires;                /* when the server certificate runs out */
	int own;                        /* 1: made and renewed by the hub */
	const char *made;               /* why this call made it ("there was none", "it
					 * runs out within 30 days", ...); NULL: loaded */
};

/*
 * Loads, or makes, the certificate in dir (created 0700 when missing) for
 * host (gethostname(); its first label is the .local name) at now. On
 * failure says why in err (one line naming the file) and returns HK_EIO
 * (a file unreadable or unwritable), HK_EINVAL (a certificate or key not
 * PEM, or a key that does not match its certificate), HK_ENOMEM. Caller
 * frees out with web_tls_free().
 */
int web_tls_load(const char *dir, const char *host, hk_time now, struct web_tls *out,
		 char *err, size_t errlen);

/* Frees what web_tls_load() filled (the key wiped first); accepts a zeroed one. */
void web_tls_free(struct web_tls *t);

#endif
