/*
 * web_server.c - libmicrohttpd glue (web_server.h): a request is gathered
 * over the daemon's calls into one struct web_req, answered by
 * web_handle(), and sent with every header web_resp_headers() names.
 *
 * libmicrohttpd calls access_cb() several times per request: once the
 * headers are in (begin(): limits, then web_admit(), which may refuse
 * before a byte of the body is read), once per piece of the body (take():
 * kept up to the limit admit gave), and once at the end (web_handle()).
 * An answer can be queued only on the first call or the last, so a body
 * that turns out too large as it comes (no Content-Length) is dropped as
 * it comes and answered 413 at its end; one that goes on for 512 kB past
 * its limit has its connection closed. The raw URI comes from the URI log
 * callback, before libmicrohttpd decodes it, so the path a handler sees is
 * what was sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "web/web_json.h"
#include "web/web_server.h"

/* Each connection's own buffer for headers and TLS records; the body is
 * kept apart, up to its limit. */
#define CONN_MEMORY (16 * 1024)
/* TLS 1.2 and 1.3 only: every phone of the last ten years speaks both. */
#define TLS_PRIORITIES "NORMAL:-VERS-TLS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

struct web_server {
	struct MHD_Daemon *d;
	struct web_ctx *ctx;
	size_t held;                    /* body bytes held by requests in flight */
};

/* One request while it comes in. */
struct pending {
	struct web_server *srv;
	char *path;                     /* the raw URI up to '?' (NULL: too long) */
	char *query;                    /* after it, or NULL */
	int started;                    /* the headers were looked at */
	int answered;                   /* a response was queued before the end */
	int refusal;                    /* 413 or 503 to answer at the end; 0 = none */
	char *body;
	size_t len, cap, max;
	size_t dropped;                 /* bytes of a refused body let go */
};

/* --- listening ---------------------------------------------------------- */

/* "[::]:8443" or "0.0.0.0:8443" into host and port. */
static int split_spec(const char *spec, char *host, size_t hlen, char *port, size_t plen)
{
	const char *colon;
	size_t n;

	if (spec[0] == '[') {
		const char *end = strchr(spec, ']');

		if (!end || end[1] != ':')
			return -1;
		n = (size_t)(end - spec - 1);
		colon = end + 1;
		spec++;
	} else {
		colon = strrchr(spec, ':');
		if (!colon)
			return -1;
		n = (size_t)(colon - spec);
	}
	if (n >= hlen || strlen(colon + 1) >= plen || !colon[1])
		return -1;
	memcpy(host, spec, n);
	host[n] = '\0';
	snprintf(port, plen, "%s", colon + 1);
	return 0;
}

static int listen_on(const struct addrinfo *ai)
{
	int fd, on = 1, off = 0;

	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	/* "[::]" takes IPv4 too: a phone may reach hub.local by either */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
	    (ai->ai_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) != 0) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 128) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int web_listen(const char *spec, char *err, size_t errlen)
{
	struct addrinfo hints, *ai = NULL;
	char host[128], port[16];
	int fd, rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if (split_spec(spec, host, sizeof host, port, sizeof port) != 0 ||
	    (rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
		snprintf(err, errlen, "--listen '%s' is not ADDR:PORT (0.0.0.0:8443, [::]:8443)",
			 spec);
		return -1;
	}
	fd = listen_on(ai);
	freeaddrinfo(ai);
	if (fd < 0 && errno == EAFNOSUPPORT && strcmp(spec, WEB_LISTEN_DEFAULT) == 0)
		return web_listen("0.0.0.0:8443", err, errlen);     /* no IPv6 on this system */
	if (fd < 0)
		snprintf(err, errlen, "cannot listen on %s: %s", spec, strerror(errno));
	return fd;
}

/* --- one request -------------------------------------------------------- */

static void *uri_cb(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct pending *p = calloc(1, sizeof *p);
	char *q;

	(void)conn;
	if (!p)
		return NULL;
	p->srv = cls;
	if (strlen(uri) <= WEB_URL_MAX && (p->path = strdup(uri))) {
		q = strchr(p->path, '?');
		if (q) {
			*q = '\0';
			p->query = q + 1;
		}
	}
	return p;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct pending *p = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!p)
		return;
	p->srv->held -= p->cap;
	free(p->body);
	free(p->path);
	free(p);
	*con_cls = NULL;
}

/* The client's address as the store keeps it: "192.168.1.23" (an IPv4
 * client of the dual-stack socket is not "::ffff:192.168.1.23"), or
 * "fe80::1%wlan0". */
static void client_addr(struct MHD_Connection *conn, char *out, size_t len)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	socklen_t sl;

	snprintf(out, len, "unknown");
	if (!sa)
		return;
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], out, (socklen_t)len);
			return;
		}
		sl = sizeof *s6;
	} else if (sa->sa_family == AF_INET) {
		sl = sizeof(struct sockaddr_in);
	} else {
		return;
	}
	if (getnameinfo(sa, sl, out, (socklen_t)len, NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(out, len, "unknown");
}

static enum web_method method_of(const char *m)
{
	return !strcmp(m, "GET") ? WEB_GET : !strcmp(m, "POST") ? WEB_POST :
	       !strcmp(m, "HEAD") ? WEB_HEAD : WEB_OTHER;
}

static const char *header(struct MHD_Connection *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* req from what libmicrohttpd has of the request; borrowed from it and p. */
static void gather(struct MHD_Connection *conn, const struct pending *p, const char *method,
		   struct web_req *req, char *addr, size_t addrlen)
{
	memset(req, 0, sizeof *req);
	req->method = method_of(method);
	req->path = p->path;
	req->query = p->query;
	req->host = header(conn, MHD_HTTP_HEADER_HOST);
	req->origin = header(conn, "Origin");
	req->fetch_site = header(conn, "Sec-Fetch-Site");
	req->cookie = header(conn, MHD_HTTP_HEADER_COOKIE);
	req->request_key = header(conn, "X-HK-Request");
	req->content_type = header(conn, MHD_HTTP_HEADER_CONTENT_TYPE);
	req->if_none_match = header(conn, MHD_HTTP_HEADER_IF_NONE_MATCH);
	req->body = p->body ? p->body : "";
	req->len = p->len;
	client_addr(conn, addr, addrlen);
	req->addr = addr;
	req->now = (hk_time)time(NULL);
}

/* Sends resp (its body handed over to libmicrohttpd). close: the rest of
 * an upload is not read, so the connection cannot carry another request. */
static enum MHD_Result reply(struct MHD_Connection *conn, struct pending *p,
			     struct web_resp *resp, int close)
{
	struct web_header h[WEB_RESP_HEADERS];
	struct MHD_Response *m;
	enum MHD_Result ret;
	int i, n;

	if (!resp->status || (!resp->body && resp->status != 304)) {
		web_resp_free(resp);
		web_json_error(resp, 500, "the hub could not answer that (out of memory)");
	}
	if (resp->status >= 500)
		fprintf(stderr, "hubweb: %d for %s\n", resp->status, p && p->path ? p->path : "?");
	/* (the one constructor of both 0.9.75 and 1.0 that is not deprecated) */
	m = MHD_create_response_from_buffer_with_free_callback(resp->len, resp->body,
							       resp->body ? free : NULL);
	if (!m) {
		web_resp_free(resp);
		return MHD_NO;
	}
	resp->body = NULL;              /* libmicrohttpd frees it with the response */
	n = web_resp_headers(resp, h);
	for (i = 0; i < n; i++)
		MHD_add_response_header(m, h[i].name, h[i].value);
	if (close)
		MHD_add_response_header(m, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(conn, (unsigned)resp->status, m);
	MHD_destroy_response(m);
	if (p)
		p->answered = 1;
	return ret;
}

static enum MHD_Result refuse(struct MHD_Connection *conn, struct pending *p, int status,
			      const char *why)
{
	struct web_resp resp;

	memset(&resp, 0, sizeof resp);
	web_json_error(&resp, status, "%s", why);
	return reply(conn, p, &resp, 1);
}

/* The headers are in: the limits, then whether the body is to be read. */
static enum MHD_Result begin(struct MHD_Connection *conn, struct pending *p, const char *method)
{
	struct web_req req;
	struct web_resp resp;
	char addr[STORE_ADDR_MAX];
	unsigned long long n;
	const char *cl;

	p->started = 1;
	if (!p->path)
		return refuse(conn, p, 400, "the request's address is too long");
	if (MHD_get_connection_values(conn, MHD_HEADER_KIND, NULL, NULL) > WEB_HEADERS_MAX)
		return refuse(conn, p, 400, "the request has too many headers");
	gather(conn, p, method, &req, addr, sizeof addr);
	if (web_admit(p->srv->ctx, &req, &p->max, &resp))
		return reply(conn, p, &resp, 1);
	cl = header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
	n = cl ? strtoull(cl, NULL, 10) : 0;
	/* A body somewhat too large is let go as it comes and answered 413 at
	 * its end: answered now, the client may still be sending when the
	 * connection closes, and a browser then sees a reset, not the 413. */
	if (n > p->max && n - p->max > WEB_BODY_MAX)
		return refuse(conn, p, 413, "the request is too large");
	if (n > p->max)
		p->refusal = 413;
	return MHD_YES;
}

/* Lets the rest of a body go, to answer status at its end. MHD_NO (the
 * connection closed) once more than the largest body was let go. */
static enum MHD_Result drop(struct pending *p, int status, size_t n)
{
	if (!p->refusal)
		p->refusal = status;
	p->dropped += n;
	return p->dropped > p->max + WEB_BODY_MAX ? MHD_NO : MHD_YES;
}

/* A piece of the body. */
static enum MHD_Result take(struct pending *p, const char *data, size_t *size)
{
	struct web_server *s = p->srv;
	size_t n = *size, cap;
	char *grown;

	*size = 0;
	if (p->answered)
		return MHD_YES;         /* refused already: the rest is not read */
	if (p->refusal || n > p->max - p->len)
		return drop(p, 413, n);
	if (p->len + n + 1 > p->cap) {
		cap = p->cap ? 2 * p->cap : 4096;
		if (cap < p->len + n + 1)
			cap = p->len + n + 1;
		if (cap > p->max + 1)
			cap = p->max + 1;
		if (s->held + (cap - p->cap) > WEB_BODIES_MAX ||
		    !(grown = realloc(p->body, cap)))
			return drop(p, 503, n);
		s->held += cap - p->cap;
		p->body = grown;
		p->cap = cap;
	}
	memcpy(p->body + p->len, data, n);
	p->len += n;
	p->body[p->len] = '\0';
	return MHD_YES;
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url,
				 const char *method, const char *version,
				 const char *upload_data, size_t *upload_data_size,
				 void **con_cls)
{
	struct web_server *s = cls;
	struct pending *p = *con_cls;
	struct web_req req;
	struct web_resp resp;
	char addr[STORE_ADDR_MAX];

	(void)url;
	(void)version;
	if (!p)
		return refuse(conn, NULL, 503, "the hub is busy: try again");
	if (!p->started)
		return begin(conn, p, method);
	if (*upload_data_size)
		return take(p, upload_data, upload_data_size);
	if (p->answered)
		return MHD_YES;
	if (p->refusal)
		return refuse(conn, p, p->refusal, p->refusal == 413 ? "the request is too large" :
			      "the hub is busy: try again");
	gather(conn, p, method, &req, addr, sizeof addr);
	web_handle(s->ctx, &req, &resp);
	return reply(conn, p, &resp, 0);
}

/* libmicrohttpd's own complaints (a TLS handshake a client gave up on, a
 * socket error), one line each on stderr, which is the journal. */
static void logger(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	vsnprintf(line, sizeof line, fmt, ap);
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	fprintf(stderr, "hubweb: %s\n", line);
}

int web_server_start(struct web_ctx *ctx, int fd, const char *cert_pem, const char *key_pem,
		     struct web_server **out, char *err, size_t errlen)
{
	struct web_server *s;

	*out = NULL;
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		snprintf(err, errlen, "this libmicrohttpd has no TLS");
		close(fd);
		return HK_EUNSUPPORTED;
	}
	s = calloc(1, sizeof *s);
	if (!s) {
		close(fd);
		return HK_ENOMEM;
	}
	s->ctx = ctx;
	s->d = MHD_start_daemon(MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
				MHD_USE_ERROR_LOG, 0, NULL, NULL, access_cb, s,
				/* first, or its own first messages go elsewhere */
				MHD_OPTION_EXTERNAL_LOGGER, logger, NULL,
				MHD_OPTION_LISTEN_SOCKET, fd,
				MHD_OPTION_HTTPS_MEM_KEY, key_pem,
				MHD_OPTION_HTTPS_MEM_CERT, cert_pem,
				MHD_OPTION_HTTPS_PRIORITIES, TLS_PRIORITIES,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)WEB_CONN_MAX,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)WEB_CONN_PER_ADDR,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)WEB_IDLE_S,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
				MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
				MHD_OPTION_URI_LOG_CALLBACK, uri_cb, s,
				MHD_OPTION_NOTIFY_COMPLETED, completed, s,
				MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen, "libmicrohttpd would not start (the certificate or key"
			 " refused?)");
		close(fd);
		free(s);
		return HK_EIO;
	}
	*out = s;
	return 0;
}

void web_server_stop(struct web_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d);
	free(s);
}
