/*
 * fuzz_recipients.c - libFuzzer target for a file of age public keys as
 * given to `--to FILE` (seal.c): any bytes through seal_recipients_parse().
 * Only that pure function is called; seal.c's others start age. The bytes
 * are copied to a buffer of exactly their length (the text is a file, not
 * a string), so a read past the end is caught. Built and run by
 * tests/fuzz/run; the seed corpus is tests/fuzz/corpus_recipients.
 *
 * Beside crashes and leaks, it aborts on what must never be: a recipient
 * handed on that seal_recipient_valid() refuses, that is not 62 bytes or
 * is not a line of the file; a failure whose message is not a
 * NUL-terminated string (in a roomy buffer and in a cramped one); a
 * return outside the contract; an each() that asked to stop and was not
 * obeyed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seal/seal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define STOP 42                 /* what the stopping each() returns */

struct seen {
	const char *text;
	size_t len;
	int n;                  /* recipients handed on */
	int stop_at;            /* each() returns STOP at this one (1-based); 0 never */
};

/* r is one line of the file, give or take blanks around it. */
static int is_a_line(const struct seen *s, const char *r)
{
	const char *p = s->text, *end = s->text + s->len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		const char *at = memmem(p, (size_t)(e - p), r, SEAL_RECIPIENT_LEN);

		if (at) {
			const char *q;

			for (q = p; q < at; q++)
				if (*q != ' ' && *q != '\t')
					break;
			if (q == at) {
				for (q = at + SEAL_RECIPIENT_LEN; q < e; q++)
					if (*q != ' ' && *q != '\t' && *q != '\r')
						break;
				if (q == e)
					return 1;
			}
		}
		p = e + 1;
	}
	return 0;
}

static int each(void *ctx, const char *r)
{
	struct seen *s = ctx;

	if (!seal_recipient_valid(r) || strlen(r) != SEAL_RECIPIENT_LEN ||
	    strncmp(r, "age1", 4) != 0 || !is_a_line(s, r))
		abort();
	s->n++;
	return s->stop_at && s->n == s->stop_at ? STOP : 0;
}

/* One parse with errlen bytes for the message; its return. */
static int parse(const char *text, size_t size, size_t errlen, struct seen *s)
{
	char err[300];
	int rc;

	memset(err, 'x', sizeof err);
	s->text = text;
	s->len = size;
	s->n = 0;
	rc = seal_recipients_parse(text, size, each, s, err, errlen);
	if (rc != 0 && rc != HK_EINVAL && rc != HK_ENOTFOUND && rc != STOP)
		abort();
	if (rc == HK_EINVAL || rc == HK_ENOTFOUND) {
		if (!memchr(err, '\0', errlen) || (errlen > 1 && !err[0]))
			abort();        /* a refusal says why, as a string */
		if (err[errlen] != 'x')
			abort();        /* written past errlen */
	}
	if (rc == 0 && s->n == 0)
		abort();                /* "none at all" is HK_ENOTFOUND */
	if (rc == HK_ENOTFOUND && s->n != 0)
		abort();
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen all = { 0 }, cramped = { 0 }, stop = { 0 };
	char *text = malloc(size ? size : 1);
	int rc;

	if (!text)
		abort();
	memcpy(text, data, size);
	rc = parse(text, size, 256, &all);
	if (parse(text, size, 12, &cramped) != rc || cramped.n != all.n)
		abort();                /* the room for a message changes nothing else */
	if (all.n > 0) {
		/* each() asking to stop at the last one it was given stops there */
		stop.stop_at = all.n;
		if (parse(text, size, 256, &stop) != STOP || stop.n != all.n)
			abort();
	}
	free(text);
	return 0;
}
