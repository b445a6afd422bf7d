/*
 * web_main.c - hubweb, the carer's companion (doc/hubweb.md): options,
 * the state folder and its certificate, the store, then the server until
 * SIGTERM. To understand the rest, read web_route.c's web_handle().
 *
 *   hubweb [--db PATH] [--listen ADDR:PORT] [--state DIR] [--static DIR]
 *
 * Exit status: 0 stopped by a signal (or to renew the certificate: the
 * unit restarts it), 1 could not start (one line on stderr says why),
 * 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "web/web.h"
#include "web/web_server.h"
#include "web/web_tls.h"

#define STATE_DEFAULT "/var/lib/hubweb"
#define STATIC_DEFAULT "/usr/share/hubkiosk/web"
/* How often hubweb looks whether its own certificate is near its end. */
#define RENEW_CHECK_S 3600

struct options {
	const char *db;
	const char *listen;
	const char *state;
	const char *static_dir;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: hubweb [--db PATH] [--listen ADDR:PORT] [--state DIR] [--static DIR]\n"
		"  --db PATH          the hub's database (default: as hubctl, $HUBKIOSK_DB or\n"
		"                     /var/lib/hubkiosk/hub.db)\n"
		"  --listen ADDR:PORT where to serve HTTPS (default " WEB_LISTEN_DEFAULT ",\n"
		"                     IPv6 and IPv4)\n"
		"  --state DIR        the certificate's folder (default " STATE_DEFAULT ")\n"
		"  --static DIR       the pages (default " STATIC_DEFAULT ")\n");
}

/* 0, or the exit status (after --help 0 is returned through *done). */
static int parse(int argc, char **argv, struct options *o, int *done)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "state", required_argument, NULL, 's' },
		{ "static", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*done = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'l': o->listen = optarg; break;
		case 's': o->state = optarg; break;
		case 'w': o->static_dir = optarg; break;
		case 'h': usage(stdout); *done = 1; return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "hubweb: unexpected '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	return 0;
}

static int is_dir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The pages: --static, else the package's folder, else (a build tree, run
 * as build/hubweb) assets/web of the tree the binary was built in. */
static int static_dir(const char *given, char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n;
	int up;

	if (given || is_dir(STATIC_DEFAULT)) {
		snprintf(buf, len, "%s", given ? given : STATIC_DEFAULT);
		return is_dir(buf) ? 0 : -1;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	for (up = 0; up < 4; up++) {
		char *slash = strrchr(exe, '/');

		if (!slash)
			break;
		*slash = '\0';
		if (snprintf(buf, len, "%s/assets/web", exe) < (int)len && is_dir(buf))
			return 0;
	}
	snprintf(buf, len, "%s", STATIC_DEFAULT);
	return -1;
}

/* Waits for SIGTERM or SIGINT (blocked in every thread, so only here), or
 * until the hub's own certificate should be renewed. 0 either way. */
static int serve_until_stopped(const struct web_tls *tls)
{
	struct timespec tick = { RENEW_CHECK_S, 0 };
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	for (;;) {
		sig = sigtimedwait(&set, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT)
			return 0;
		if (sig < 0 && errno != EAGAIN && errno != EINTR)
			return 0;
		if (tls->own && tls->expires - (hk_time)time(NULL) < WEB_TLS_RENEW_S) {
			fprintf(stderr, "hubweb: the certificate runs out within 30 days: stopping"
				" so that a new start renews it\n");
			return 0;
		}
	}
}

static void block_signals(void)
{
	sigset_t set;

	/* libmicrohttpd's thread inherits this mask: the signals reach
	 * sigtimedwait() in the main thread only. SIGPIPE from a client gone
	 * mid-answer is only an error return. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void say_serving(const struct options *o, const struct web_tls *tls, int64_t entries,
			int verified, const char *pages)
{
	char host[256] = "hub";

	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "hub");
	host[sizeof host - 1] = '\0';
	host[strcspn(host, ".")] = '\0';
	if (tls->made)
		fprintf(stderr, "hubweb: made a new certificate in %s (%s)\n", o->state, tls->made);
	fprintf(stderr, "hubweb: serving https://%s.local:%s on %s, pages from %s\n", host,
		strrchr(o->listen, ':') + 1, o->listen, pages);
	fprintf(stderr, "hubweb: certificate SHA-256 %s%s\n", tls->fingerprint,
		tls->ca_pem ? "" : " (installed by an operator: no CA offered at /ca.crt)");
	if (verified == 0)
		fprintf(stderr, "hubweb: journal verified, %lld entries\n", (long long)entries);
	else if (verified == HK_ECORRUPT)
		fprintf(stderr, "hubweb: THE JOURNAL DOES NOT MATCH ITS HASH CHAIN (run hubctl"
			" verify)\n");
	else
		fprintf(stderr, "hubweb: journal not verified now: %s\n", hk_strerror(verified));
}

/* The whole journal's chain, once before serving, on a connection of its
 * own: reading ten years fills that connection's page cache (2 MB), which
 * goes with it, so the serving connection keeps only what requests read. */
static int verify_journal(const char *db, struct web_ctx *ctx, int64_t *entries)
{
	struct web_ctx once = *ctx;
	char err[256];
	int rc = store_open(db, &once.st, err, sizeof err);

	if (rc)
		return rc;
	rc = web_hub_verify(&once, (hk_time)time(NULL), entries);
	store_close(once.st);
	malloc_trim(0);
	return rc;
}

static int run(struct options *o)
{
	struct web_ctx ctx = { 0 };
	struct web_tls tls;
	struct web_server *srv = NULL;
	struct store *st = NULL;
	char db[4096], pages[4096], host[256], err[512];
	int64_t entries = 0;
	int fd, verified, status = 1;

	if (!o->db && store_default_path(db, sizeof db) != 0) {
		fprintf(stderr, "hubweb: no database found: give --db\n");
		return 1;
	}
	if (o->db)
		snprintf(db, sizeof db, "%s", o->db);
	if (static_dir(o->static_dir, pages, sizeof pages) != 0) {
		fprintf(stderr, "hubweb: no pages in %s (give --static)\n", pages);
		return 1;
	}
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "hub");
	host[sizeof host - 1] = '\0';
	if (web_tls_load(o->state, host, (hk_time)time(NULL), &tls, err, sizeof err) != 0) {
		fprintf(stderr, "hubweb: %s\n", err);
		return 1;
	}
	if (store_open(db, &st, err, sizeof err) != 0) {
		fprintf(stderr, "hubweb: %s\n", err);
		goto err_free_tls;
	}
	/* What a phone asks for is a day or a list: 512 kB of page cache is
	 * plenty, and keeps the idle server small (make bench). */
	store_cache_limit(st, 512);
	ctx = (struct web_ctx){ .st = st, .static_dir = pages, .fingerprint = tls.fingerprint,
				.ca_pem = tls.ca_pem, .ca_len = tls.ca_len };
	if (web_hub_new(&ctx.hub) != 0) {
		fprintf(stderr, "hubweb: out of memory\n");
		goto err_close_store;
	}
	verified = verify_journal(db, &ctx, &entries);
	if (web_hub_watch(ctx.hub, db) != 0) {
		fprintf(stderr, "hubweb: out of memory\n");
		goto err_free_hub;
	}
	fd = web_listen(o->listen, err, sizeof err);
	if (fd < 0 || web_server_start(&ctx, fd, tls.cert_pem, tls.key_pem, &srv, err,
				       sizeof err) != 0) {
		fprintf(stderr, "hubweb: %s\n", err);
		goto err_free_hub;
	}
	say_serving(o, &tls, entries, verified, pages);
	status = serve_until_stopped(&tls);
	web_server_stop(srv);
	fprintf(stderr, "hubweb: stopped\n");
err_free_hub:
	web_hub_free(ctx.hub);
err_close_store:
	store_close(st);
err_free_tls:
	web_tls_free(&tls);
	return status;
}

int main(int argc, char **argv)
{
	struct options o = { NULL, WEB_LISTEN_DEFAULT, STATE_DEFAULT, NULL };
	int done, rc;

	rc = parse(argc, argv, &o, &done);
	if (rc || done)
		return rc;
	/* the journal of stderr gets whole lines, even through a pipe */
	setvbuf(stderr, NULL, _IOLBF, 0);
	/* One malloc arena for the server's few threads: a phone's requests
	 * are small, and each extra arena keeps its own free memory (make
	 * bench: idle RSS). */
	mallopt(M_ARENA_MAX, 1);
	block_signals();
	return run(&o);
}
