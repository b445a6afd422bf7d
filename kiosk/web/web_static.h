/*
 * web_static.h - the companion's pages, served from the package's folder
 * (assets/web in the tree, /usr/share/hubkiosk/web installed): one flat
 * folder, a file name of a fixed shape and a known type, never a path
 * that could leave it. Used by web_route.c, which decides who may see
 * which page.
 */
#ifndef WEB_STATIC_H
#define WEB_STATIC_H

#include <stddef.h>
#include "web/web.h"

/* The file that request path names in the folder, written to buf (len
 * >= 80): "/" is "index.html", "/pair" is "pair.html", "/app.js" is
 * "app.js". NULL when path names nothing a browser may ask for: a
 * folder, a dot file, "..", an escape (%2e), a type not served. */
const char *web_static_name(const char *path, char *buf, size_t len);

/* 1 for the files anyone may fetch unpaired: the pairing page, its script,
 * the style sheet, images, fonts and the manifest. */
int web_static_public(const char *name);

/* 1 for an HTML page (an unpaired browser gets the pairing page instead). */
int web_static_is_html(const char *name);

/* Answers with the file name (as web_static_name() gave it) of
 * ctx->static_dir: 200 with its type, cache 1 and an etag; 304 without a
 * body when if_none_match (may be NULL) already holds that etag; 404 when
 * there is no such file. */
void web_static_serve(struct web_ctx *ctx, const char *name, const char *if_none_match,
		      struct web_resp *resp);

/* GET /ca.crt: the hub's own CA certificate (PEM) to install on a phone,
 * or 404 when the hub runs an operator's certificate. */
void web_static_ca(struct web_ctx *ctx, struct web_resp *resp);

#endif
