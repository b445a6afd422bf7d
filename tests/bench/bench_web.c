/*
 * bench_web.c - hubweb's figures (issue 12), measured from outside over
 * real HTTPS (libcurl) against a copy of the ten-year database:
 *   - start-up (the whole journal's chain checked before serving);
 *   - resident memory idle, and its peak under 50 concurrent clients;
 *   - GET /api/today (and /api/status) on ten years: median and p99;
 *   - bytes of a first load of the app and of the pairing page;
 *   - 500 slow connections held open from one address while a paired
 *     phone at another address checks a visitor in.
 * A benchmark, not a test: it prints, and asserts nothing.
 *
 *   bench_web HUBWEB TEN_YEAR_DB PAGES_DIR TMP_DIR
 *
 * TEN_YEAR_DB is built if missing (as bench_day builds it) and only read:
 * hubweb runs on a copy in TMP_DIR.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/hktime.h"
#include "store/store.h"
#include "tenyears.h"

#define END 1795000000                  /* the ten years' last day, as bench_day */
#define CLIENTS 50
#define SLOW 500

static char port_s[16], url[64], origin[64], cookie[128], cafile[700];
static pid_t web_pid;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* "VmRSS:" or "VmHWM:" of hubweb (/proc/PID/status), or "Pss:",
 * "Private_Dirty:", "Shared_Clean:" (smaps_rollup), in MB. */
static double rss_mb(const char *what)
{
	char path[64], line[256];
	double kb = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/%s", (int)web_pid,
		 strncmp(what, "Vm", 2) == 0 ? "status" : "smaps_rollup");
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, what, strlen(what)) == 0)
			kb = atof(line + strlen(what) + 1);
	fclose(f);
	return kb / 1024;
}

static int copy_file(const char *from, const char *to)
{
	char buf[1 << 16];
	ssize_t n;
	int in = open(from, O_RDONLY), out, rc = 0;

	if (in < 0)
		return errno == ENOENT ? 0 : -1;        /* no WAL beside it: nothing to copy */
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			rc = -1;
	close(in);
	close(out);
	return rc;
}

/* The copy hubweb runs on: a pairing code open and a visit expected, so
 * the phone can pair and check it in. */
static int prepare(const char *big, const char *db, char *code, hk_id *visit)
{
	struct store_actor a = { STORE_SRC_ADMIN, "admin:bench", 0, NULL };
	struct store_pairing p;
	struct hk_visit v = { 0 };
	char wal_from[700], wal_to[700], err[256];
	struct store *st;
	int rc;

	snprintf(wal_from, sizeof wal_from, "%s-wal", big);
	snprintf(wal_to, sizeof wal_to, "%s-wal", db);
	if (copy_file(big, db) || copy_file(wal_from, wal_to))
		return -1;
	if (store_open(db, &st, err, sizeof err)) {
		fprintf(stderr, "bench_web: %s\n", err);
		return -1;
	}
	a.at = (hk_time)time(NULL);
	v.person_id = 1;
	v.expected = a.at + 3600;
	rc = store_pairing_start(st, &a, "Bench phone", &p);
	if (!rc)
		rc = store_visit_add(st, &a, &v, visit);
	if (rc)
		fprintf(stderr, "bench_web: %s\n", store_errmsg(st));
	snprintf(code, STORE_PAIR_CODE_LEN + 1, "%s", p.code);
	store_close(st);
	return rc;
}

static int connect_to(const char *from)
{
	struct sockaddr_in src = { 0 }, dst = { 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	src.sin_family = AF_INET;
	inet_pton(AF_INET, from, &src.sin_addr);
	dst.sin_family = AF_INET;
	dst.sin_port = htons((uint16_t)atoi(port_s));
	inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
	if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0 ||
	    connect(fd, (struct sockaddr *)&dst, sizeof dst) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int start_hubweb(const char *bin, const char *db, const char *pages, const char *tmp)
{
	char state[600], log[600];
	double t0 = now_ms();
	int fd = -1, i;

	snprintf(state, sizeof state, "%s/state", tmp);
	snprintf(cafile, sizeof cafile, "%s/ca.crt", state);
	snprintf(port_s, sizeof port_s, "%d", 21000 + (int)(getpid() % 4000));
	snprintf(url, sizeof url, "https://localhost:%s", port_s);
	snprintf(origin, sizeof origin, "https://localhost:%s", port_s);
	snprintf(log, sizeof log, "%s/hubweb.log", tmp);
	web_pid = fork();
	if (web_pid == 0) {
		char listen_on[64];

		snprintf(listen_on, sizeof listen_on, "127.0.0.1:%s", port_s);
		if (!freopen(log, "w", stderr))
			_exit(127);
		execl(bin, bin, "--db", db, "--state", state, "--static", pages, "--listen",
		      listen_on, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 600 && fd < 0; i++) {
		usleep(50000);
		fd = connect_to("127.0.0.1");
	}
	if (fd < 0) {
		fprintf(stderr, "bench_web: hubweb did not start (see %s)\n", log);
		return -1;
	}
	close(fd);
	printf("hubweb start-up with the whole ten-year journal checked: %.0f ms\n",
	       now_ms() - t0);
	return 0;
}

struct sink {
	char buf[4096];
	size_t len;
};

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t k = size * n, room = sizeof s->buf - 1 - s->len;

	memcpy(s->buf + s->len, p, k < room ? k : room);
	s->len += k < room ? k : room;
	s->buf[s->len] = '\0';
	return k;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	size_t k = size * n;

	(void)ctx;
	if (k > 12 && strncasecmp(p, "Set-Cookie: ", 12) == 0)
		snprintf(cookie, sizeof cookie, "%.*s", (int)strcspn(p + 12, ";\r\n"), p + 12);
	return k;
}

/* A handle for path from address from ("127.0.0.2"), with the cookie. */
static CURL *handle(const char *path, const char *from, struct sink *s)
{
	char u[256], iface[64];
	CURL *c = curl_easy_init();

	snprintf(u, sizeof u, "%s%s", url, path);
	snprintf(iface, sizeof iface, "host!%s", from);
	curl_easy_setopt(c, CURLOPT_URL, u);
	curl_easy_setopt(c, CURLOPT_CAINFO, cafile);
	curl_easy_setopt(c, CURLOPT_INTERFACE, iface);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	if (cookie[0])
		curl_easy_setopt(c, CURLOPT_COOKIE, cookie);
	return c;
}

static long post(CURL *c, const char *body, struct curl_slist **h)
{
	char key[64];
	long code = 0;

	snprintf(key, sizeof key, "X-HK-Request: bench%.0f", now_ms() * 1000);
	*h = curl_slist_append(NULL, "Content-Type: application/json");
	*h = curl_slist_append(*h, key);
	{
		char o[96];

		snprintf(o, sizeof o, "Origin: %s", origin);
		*h = curl_slist_append(*h, o);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	return code;
}

static int pair(const char *code)
{
	struct curl_slist *h = NULL;
	struct sink s = { "", 0 };
	char body[128];
	CURL *c = handle("/api/pair", "127.0.0.2", &s);
	long status;

	snprintf(body, sizeof body, "{\"code\":\"%s\",\"name\":\"Bench phone\"}", code);
	status = post(c, body, &h);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	if (status != 200 || !cookie[0]) {
		fprintf(stderr, "bench_web: pairing answered %ld: %s\n", status, s.buf);
		return -1;
	}
	return 0;
}

/* n GETs of path on one kept-alive connection: median and p99. */
static void latency(const char *path, int n)
{
	double *ms = calloc((size_t)n, sizeof *ms);
	struct sink s = { "", 0 };
	CURL *c = handle(path, "127.0.0.2", &s);
	curl_off_t bytes = 0;
	long code = 0;
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		double t0 = now_ms();

		s.len = 0;
		if (curl_easy_perform(c) != CURLE_OK ||
		    (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code), code != 200))
			bad++;
		ms[i] = now_ms() - t0;
	}
	curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &bytes);
	qsort(ms + 1, (size_t)n - 1, sizeof *ms, cmp_double);  /* the first one shakes hands */
	printf("GET %s on ten years (one connection, %d requests, %.1f kB each): median %.2f ms,"
	       " p99 %.2f ms, max %.2f ms%s\n", path, n - 1, (double)bytes / 1024, ms[n / 2],
	       ms[(n - 1) * 99 / 100], ms[n - 1], bad ? " (SOME FAILED)" : "");
	if (bad)
		printf("  last answer: %.200s\n", s.buf);
	curl_easy_cleanup(c);
	free(ms);
}

/* Bytes on the wire of GETs of the given pages, headers included. */
static void first_load(const char *what, const char *const *paths, int with_cookie)
{
	char saved[128];
	double total = 0;
	int i;

	snprintf(saved, sizeof saved, "%s", cookie);
	if (!with_cookie)
		cookie[0] = '\0';
	for (i = 0; paths[i]; i++) {
		struct sink s = { "", 0 };
		CURL *c = handle(paths[i], "127.0.0.2", &s);
		curl_off_t body = 0;
		long hdr = 0;

		if (curl_easy_perform(c) == CURLE_OK) {
			curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &body);
			curl_easy_getinfo(c, CURLINFO_HEADER_SIZE, &hdr);
			total += (double)body + (double)hdr;
		}
		curl_easy_cleanup(c);
	}
	snprintf(cookie, sizeof cookie, "%s", saved);
	printf("first load of %s: %.1f kB transferred (uncompressed, headers included)\n",
	       what, total / 1024);
}

/* CLIENTS connections at once (spread over four addresses: 16 a client
 * address is the limit), each GETting /api/today until rounds are done. */
static void concurrent(int rounds)
{
	static struct sink sinks[CLIENTS];
	CURL *h[CLIENTS];
	CURLM *m = curl_multi_init();
	int i, running, left[CLIENTS], done = 0, failed = 0;
	double peak = 0, t0 = now_ms();
	char from[32];

	for (i = 0; i < CLIENTS; i++) {
		snprintf(from, sizeof from, "127.0.0.%d", 3 + i % 4);
		h[i] = handle("/api/today?day=2026-11-17", from, &sinks[i]);
		curl_easy_setopt(h[i], CURLOPT_PRIVATE, (void *)(intptr_t)i);
		left[i] = rounds;
		curl_multi_add_handle(m, h[i]);
	}
	do {
		CURLMsg *msg;
		int q;
		double r;

		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &q))) {
			void *priv;
			long code = 0;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&priv);
			curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
			i = (int)(intptr_t)priv;
			done++;
			failed += msg->data.result != CURLE_OK || code != 200;
			curl_multi_remove_handle(m, h[i]);
			if (--left[i] > 0) {
				sinks[i].len = 0;
				curl_multi_add_handle(m, h[i]);
				running++;
			}
		}
		r = rss_mb("VmRSS:");
		if (r > peak)
			peak = r;
		if (running)
			curl_multi_poll(m, NULL, 0, 5, NULL);
	} while (running);
	printf("%d concurrent clients, %d GET /api/today in %.1f s (%d failed): RSS peak %.1f MB"
	       " (target <= 12 MB)\n", CLIENTS, done, (now_ms() - t0) / 1e3, failed, peak);
	for (i = 0; i < CLIENTS; i++)
		curl_easy_cleanup(h[i]);
	curl_multi_cleanup(m);
}

/* SLOW connections from 127.0.0.1, each a TLS record begun and fed one
 * byte every second, while a paired phone at 127.0.0.2 checks a visitor in. */
static void slow_clients(hk_id visit)
{
	static int fds[SLOW];
	static const unsigned char start[] = { 0x16, 0x03, 0x01, 0x40, 0x00 };
	struct curl_slist *hd = NULL;
	struct sink s = { "", 0 };
	char body[64];
	int i, open_n = 0, held = 0;
	double t0, ms;
	long code;
	CURL *c;

	for (i = 0; i < SLOW; i++) {
		fds[i] = connect_to("127.0.0.1");
		if (fds[i] >= 0 && write(fds[i], start, sizeof start) == (ssize_t)sizeof start)
			open_n++;
	}
	for (i = 0; i < 3; i++) {
		int k;

		sleep(1);
		for (k = 0; k < SLOW; k++)
			if (fds[k] >= 0 && send(fds[k], "A", 1, MSG_NOSIGNAL) != 1) {
				close(fds[k]);
				fds[k] = -1;
			}
	}
	for (i = 0; i < SLOW; i++) {
		struct pollfd p = { fds[i], POLLIN | POLLRDHUP, 0 };

		if (fds[i] >= 0 && !(poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP |
									   POLLIN))))
			held++;
	}
	c = handle("/api/visit/checkin", "127.0.0.2", &s);
	snprintf(body, sizeof body, "{\"visit\":%lld}", (long long)visit);
	t0 = now_ms();
	code = post(c, body, &hd);
	ms = now_ms() - t0;
	printf("%d slow connections opened from one address (%d still held by hubweb after 3 s,"
	       " 16 a client is the limit): a paired phone elsewhere checked a visitor in:"
	       " %ld in %.1f ms (new connection, TLS included)\n", open_n, held, code, ms);
	if (code != 200)
		printf("  answer: %s\n", s.buf);
	curl_slist_free_all(hd);
	curl_easy_cleanup(c);
	for (i = 0; i < SLOW; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

int main(int argc, char **argv)
{
	static const char *const app[] = { "/", "/app.js", "/app.css", "/icon.svg", NULL };
	static const char *const pairing[] = { "/pair", "/pair.js", "/app.css", NULL };
	char db[600], code[STORE_PAIR_CODE_LEN + 1];
	hk_id visit = 0;
	int status;

	if (argc != 5) {
		fprintf(stderr, "usage: bench_web HUBWEB TEN_YEAR_DB PAGES_DIR TMP_DIR\n");
		return 2;
	}
	if (access(argv[2], F_OK) != 0 && tenyears_build("bench_web", argv[2], END))
		return 1;
	snprintf(db, sizeof db, "%s/web.db", argv[4]);
	if (prepare(argv[2], db, code, &visit) || start_hubweb(argv[1], db, argv[3], argv[4]))
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (pair(code) == 0) {
		latency("/api/status", 101);
		sleep(2);
		printf("hubweb idle after pairing: RSS %.1f MB (target <= 8 MB); of it %.1f MB"
		       " shared library pages, %.1f MB its own; PSS %.1f MB\n", rss_mb("VmRSS:"),
		       rss_mb("Shared_Clean:"), rss_mb("Private_Dirty:") + rss_mb("Private_Clean:"),
		       rss_mb("Pss:"));
		latency("/api/today?day=2026-11-17", 301);
		first_load("the app (/, app.js, app.css, icon.svg)", app, 1);
		first_load("the pairing page (/pair, pair.js, app.css)", pairing, 0);
		concurrent(20);
		slow_clients(visit);
		printf("hubweb peak RSS over the whole run: %.1f MB\n", rss_mb("VmHWM:"));
	}
	curl_global_cleanup();
	kill(web_pid, SIGTERM);
	waitpid(web_pid, &status, 0);
	return 0;
}
