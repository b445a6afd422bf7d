/*
 * cal_fetch.c - fetching a subscribed calendar with libcurl.
 *
 * Only http and https, also after redirects (a calendar URL must not be
 * able to read a local file through a redirect); "webcal://", as Apple and
 * Google hand out, means https. The body is capped at CAL_MAX_BYTES while
 * it arrives, so a wrong URL cannot fill the Pi's memory, and an HTTP
 * error is a failure, never an empty calendar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "calendar/calendar.h"

struct sink {
	char *buf;
	size_t len, cap;
	int too_big;
};

static size_t sink_write(char *data, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t add = size * n;

	if (s->len + add > CAL_MAX_BYTES) {
		s->too_big = 1;
		return 0;       /* makes curl stop with CURLE_WRITE_ERROR */
	}
	if (s->len + add + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 65536;
		char *b;

		while (cap < s->len + add + 1)
			cap *= 2;
		b = realloc(s->buf, cap);
		if (!b)
			return 0;
		s->buf = b;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, add);
	s->len += add;
	s->buf[s->len] = '\0';
	return add;
}

/* "webcal://x" as "https://x"; refuses anything but http(s). */
static int real_url(const char *url, char *buf, size_t len)
{
	if (!strncasecmp(url, "webcal://", 9) || !strncasecmp(url, "webcals://", 10)) {
		snprintf(buf, len, "https://%s", strstr(url, "//") + 2);
		return 0;
	}
	if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8))
		return HK_EINVAL;
	snprintf(buf, len, "%s", url);
	return 0;
}

static void setup(CURL *c, const char *url, long timeout, struct sink *s, char *errbuf)
{
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout < 15 ? timeout : 15L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "hubkiosk-calendar/1");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
}

static int outcome(CURL *c, CURLcode cc, const struct sink *s, const char *errbuf,
		   char *err, size_t errlen)
{
	long status = 0;

	if (cc == CURLE_OK)
		return 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (s->too_big) {
		snprintf(err, errlen, "the calendar is larger than %d bytes", CAL_MAX_BYTES);
		return HK_ETOOLONG;
	}
	if (cc == CURLE_HTTP_RETURNED_ERROR)
		snprintf(err, errlen, "the server answered HTTP %ld", status);
	else
		snprintf(err, errlen, "%s", *errbuf ? errbuf : curl_easy_strerror(cc));
	err[strcspn(err, "\r\n")] = '\0';
	return cc == CURLE_OUT_OF_MEMORY ? HK_ENOMEM : HK_EIO;
}

int cal_fetch(const char *url, long timeout, char **body, size_t *len, char *err, size_t errlen)
{
	char errbuf[CURL_ERROR_SIZE] = "", real[STORE_CAL_LOC_MAX + 16];
	struct sink s = { 0 };
	CURL *c;
	int rc;

	*body = NULL;
	*len = 0;
	if (real_url(url, real, sizeof real)) {
		snprintf(err, errlen, "'%.80s' is not an http, https or webcal URL", url);
		return HK_EINVAL;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(c = curl_easy_init())) {
		snprintf(err, errlen, "libcurl could not start");
		return HK_ENOMEM;
	}
	setup(c, real, timeout > 0 ? timeout : 60, &s, errbuf);
	rc = outcome(c, curl_easy_perform(c), &s, errbuf, err, errlen);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	if (!rc && !s.buf && !(s.buf = calloc(1, 1)))
		rc = HK_ENOMEM;
	if (rc) {
		free(s.buf);
		return rc;
	}
	*body = s.buf;
	*len = s.len;
	return 0;
}
