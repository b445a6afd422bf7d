/*
 * web_static.c - the pages from the package (web_static.h). A file is
 * read from disk at each request (the page cache keeps it; the process
 * holds no copy, for a small RSS), by a name that cannot leave the folder:
 * one path segment of letters, digits, '.', '_' and '-', not starting with
 * a dot, with a type from the table below. Nothing is percent-decoded, so
 * "%2e%2e" is simply not a name.
 *
 * Pages are cached by the browser but revalidated ("no-cache" with an
 * etag): "/" is the pairing page or the app depending on the cookie, and
 * after an upgrade a new index.html must never run an old app.js.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web/web_json.h"
#include "web/web_static.h"

#define NAME_MAX_LEN 64
#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"
#define FILE_MAX (4 * 1024 * 1024)

static const struct {
	const char *ext;
	const char *type;
	int public_;                    /* anyone may fetch any file of this type */
} types[] = {
	{ ".html", "text/html; charset=utf-8", 0 },
	{ ".js", "text/javascript; charset=utf-8", 0 },
	{ ".css", "text/css; charset=utf-8", 0 },
	{ ".json", "application/json", 0 },
	{ ".txt", "text/plain; charset=utf-8", 0 },
	{ ".svg", "image/svg+xml", 1 },
	{ ".png", "image/png", 1 },
	{ ".webp", "image/webp", 1 },
	{ ".ico", "image/x-icon", 1 },
	{ ".woff2", "font/woff2", 1 },
	{ ".webmanifest", "application/manifest+json", 1 },
};

/* The entry of types[] for name's extension, or -1. */
static int type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return (int)i;
	return -1;
}

const char *web_static_name(const char *path, char *buf, size_t len)
{
	const char *name = path && path[0] == '/' ? path + 1 : NULL;
	size_t n;

	if (!name)
		return NULL;
	if (!*name)
		name = "index.html";
	else if (strcmp(name, "pair") == 0)
		name = "pair.html";
	n = strlen(name);
	if (n > NAME_MAX_LEN || n + 1 > len || name[0] == '.' ||
	    strspn(name, NAME_CHARS) != n ||
	    type_of(name) < 0)
		return NULL;
	memcpy(buf, name, n + 1);
	return buf;
}

int web_static_public(const char *name)
{
	int t = type_of(name);

	return strcmp(name, "pair.html") == 0 || strcmp(name, "pair.js") == 0 ||
	       strcmp(name, "app.css") == 0 || (t >= 0 && types[t].public_);
}

int web_static_is_html(const char *name)
{
	int t = type_of(name);

	return t >= 0 && strcmp(types[t].ext, ".html") == 0;
}

/* The whole of the regular file fd (at most FILE_MAX) into *out. */
static int read_all(int fd, const struct stat *sb, char **out)
{
	size_t n = (size_t)sb->st_size, got = 0;
	char *buf = malloc(n + 1);

	if (!buf)
		return HK_ENOMEM;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(buf);
			return HK_EIO;  /* shrank under us, or a read error */
		}
		got += (size_t)r;
	}
	buf[n] = '\0';
	*out = buf;
	return 0;
}

void web_static_serve(struct web_ctx *ctx, const char *name, const char *if_none_match,
		      struct web_resp *resp)
{
	char path[4096];
	struct stat sb;
	int fd, rc;

	if (!ctx->static_dir ||
	    snprintf(path, sizeof path, "%s/%s", ctx->static_dir, name) >= (int)sizeof path) {
		web_json_error(resp, 404, "no such page");
		return;
	}
	/* O_NOFOLLOW: a link dropped in the folder does not lead out of it */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		web_json_error(resp, 404, "no such page");
		return;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > FILE_MAX) {
		close(fd);
		web_json_error(resp, 404, "no such page");
		return;
	}
	snprintf(resp->etag, sizeof resp->etag, "\"%llx-%llx-%llx\"",
		 (unsigned long long)sb.st_size, (unsigned long long)sb.st_mtim.tv_sec,
		 (unsigned long long)sb.st_mtim.tv_nsec ^ (unsigned long long)sb.st_ino);
	resp->type = types[type_of(name)].type;
	resp->cache = 1;
	if (if_none_match && strstr(if_none_match, resp->etag)) {
		close(fd);
		resp->status = 304;
		return;
	}
	rc = read_all(fd, &sb, &resp->body);
	close(fd);
	if (rc) {
		resp->etag[0] = '\0';
		web_json_error(resp, 500, "the page could not be read");
		return;
	}
	resp->len = (size_t)sb.st_size;
	resp->status = 200;
}

void web_static_ca(struct web_ctx *ctx, struct web_resp *resp)
{
	if (!ctx->ca_pem || !ctx->ca_len) {
		web_json_error(resp, 404, "this hub uses a certificate installed by whoever set"
			       " it up: ask them for its CA certificate");
		return;
	}
	resp->body = malloc(ctx->ca_len + 1);
	if (!resp->body)
		return;         /* out of memory: the server answers 500 */
	memcpy(resp->body, ctx->ca_pem, ctx->ca_len);
	resp->body[ctx->ca_len] = '\0';
	resp->len = ctx->ca_len;
	resp->status = 200;
	resp->type = "application/x-x509-ca-cert";
}
