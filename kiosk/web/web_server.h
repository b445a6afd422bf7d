/*
 * web_server.h - hubweb on the network: the listening socket and the
 * libmicrohttpd daemon that gathers each request into a struct web_req,
 * asks web_handle() and sends the answer with the security headers.
 *
 * One internal thread polls every connection (epoll) and runs the
 * handlers, so the store is used from that thread only, and hubweb stays
 * small: a slow or silent client costs a socket and its buffer, never a
 * thread. Limits are those of doc/hubweb.md (WEB_* in web.h and below).
 */
#ifndef WEB_SERVER_H
#define WEB_SERVER_H

#include <stddef.h>
#include "web/web.h"

#define WEB_LISTEN_DEFAULT "[::]:8443"  /* IPv6 and IPv4 both */
#define WEB_CONN_MAX 256
#define WEB_CONN_PER_ADDR 16
#define WEB_IDLE_S 10
/* Bodies held at once by requests still coming in: past this a request is
 * answered 503 instead of making the hub swap. */
#define WEB_BODIES_MAX (8 * 1024 * 1024)

struct web_server;

/* A listening TCP socket on spec ("ADDR:PORT", "[v6]:PORT"; "[::]" takes
 * IPv4 too). The default spec falls back to 0.0.0.0 on a system without
 * IPv6. -1 with a line in err (address in use, not an address). */
int web_listen(const char *spec, char *err, size_t errlen);

/*
 * Serves ctx over TLS with the PEM cert and key on the listening socket fd
 * (which the server then owns), from its own thread, until
 * web_server_stop(). ctx must outlive the server. HK_EIO with a line in err
 * when libmicrohttpd refuses to start (no TLS in this build, a bad key).
 */
int web_server_start(struct web_ctx *ctx, int fd, const char *cert_pem, const char *key_pem,
		     struct web_server **out, char *err, size_t errlen);

/* Stops serving and closes every connection; accepts NULL. */
void web_server_stop(struct web_server *s);

#endif
