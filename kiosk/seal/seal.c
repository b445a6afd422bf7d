/*
 * seal.c - sealing by Debian's age program (seal.h).
 *
 * age runs as a child with three pipes. One poll() loop feeds its input
 * and drains its output and its messages together, so a large export
 * never deadlocks on a full pipe in either direction and never has to be
 * held whole. The pipes are non-blocking on our side; SIGPIPE is blocked
 * for the thread while age runs (a dead age is an EPIPE to report, not a
 * signal that kills hubctl) and any pending one is taken back before the
 * old mask returns.
 *
 * Nothing here looks inside the age format: age writes and checks it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "seal/seal.h"

#define SEAL_CHUNK 65536
#define SEAL_MSG_MAX 1024
#define SEAL_FILE_MAX 65536

extern char **environ;

struct seal {
	pid_t pid;
	int in, out, msg;               /* our ends; -1 when closed */
	seal_sink sink;
	void *ctx;
	int rc;                         /* first failure: the sink's value or HK_EIO */
	char text[SEAL_MSG_MAX];        /* what age said on stderr */
	size_t text_len;
	sigset_t old_mask;
	unsigned char buf[SEAL_CHUNK];
};

/* --- recipients --- */

static int bech32_letter(int c)
{
	return c && strchr("qpzry9x8gf2tvdw0s3jn54khce6mua7l", c) != NULL;
}

int seal_recipient_valid(const char *r)
{
	size_t i;

	if (!r || strlen(r) != SEAL_RECIPIENT_LEN || strncmp(r, "age1", 4) != 0)
		return 0;
	for (i = 4; r[i]; i++)
		if (!bech32_letter(r[i]))
			return 0;
	return 1;
}

/* What a person should read for a bad line: the first thing wrong. */
static const char *why_not(const char *r, size_t len)
{
	size_t i;

	if (len >= 14 && !strncmp(r, "AGE-SECRET-KEY", 14))
		return "that is a secret key: give the hub the public key (age1...), and keep"
		       " the secret one to yourself";
	if (len >= 4 && !strncmp(r, "ssh-", 4))
		return "SSH keys are not taken: the opener needs an age key (age1...)";
	if (len < 4 || strncmp(r, "age1", 4) != 0)
		return "an age public key starts with age1";
	for (i = 4; i < len; i++)
		if (!bech32_letter(r[i]))
			return "it has a letter an age key never has";
	return "an age public key is 62 letters long";
}

int seal_recipients_parse(const char *text, size_t len,
			  int (*each)(void *ctx, const char *recipient), void *ctx,
			  char *err, size_t errlen)
{
	char line[SEAL_RECIPIENT_LEN + 1];
	size_t pos = 0, found = 0, lineno = 0;

	while (pos < len) {
		const char *p = text + pos, *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos, a = 0;
		int rc;

		pos += n + (nl != NULL);
		lineno++;
		while (a < n && (p[a] == ' ' || p[a] == '\t'))
			a++;
		while (n > a && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
			n--;
		if (a == n || p[a] == '#')
			continue;
		if (n - a != SEAL_RECIPIENT_LEN || memchr(p + a, '\0', n - a)) {
			snprintf(err, errlen, "line %zu is not an age public key: %s", lineno,
				 why_not(p + a, n - a));
			return HK_EINVAL;
		}
		memcpy(line, p + a, SEAL_RECIPIENT_LEN);
		line[SEAL_RECIPIENT_LEN] = '\0';
		if (!seal_recipient_valid(line)) {
			snprintf(err, errlen, "line %zu is not an age public key: %s", lineno,
				 why_not(line, SEAL_RECIPIENT_LEN));
			return HK_EINVAL;
		}
		found++;
		if ((rc = each(ctx, line)) != 0)
			return rc;
	}
	if (!found) {
		snprintf(err, errlen, "no age public key (age1...) in it");
		return HK_ENOTFOUND;
	}
	return 0;
}

int seal_recipients_from_arg(const char *arg, int (*each)(void *ctx, const char *recipient),
			     void *ctx, char *err, size_t errlen)
{
	char why[256] = "", *text;
	size_t len = 0;
	ssize_t n = 0;
	int fd, rc;

	if (!strncmp(arg, "AGE-SECRET-KEY", 14) || !strncmp(arg, "ssh-", 4)) {
		snprintf(err, errlen, "'%.20s...' is not a public key: %s", arg,
			 why_not(arg, strlen(arg)));
		return HK_EINVAL;
	}
	if (!strncmp(arg, "age1", 4) && !strchr(arg, '/')) {
		if (!seal_recipient_valid(arg)) {
			snprintf(err, errlen, "'%.70s' is not an age public key: %s", arg,
				 why_not(arg, strlen(arg)));
			return HK_EINVAL;
		}
		return each(ctx, arg);
	}
	if ((fd = open(arg, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "'%.200s' is neither an age public key (age1...) nor a file"
			 " of them: %s", arg, strerror(errno));
		return errno == ENOENT ? HK_ENOTFOUND : HK_EIO;
	}
	if (!(text = malloc(SEAL_FILE_MAX))) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return HK_ENOMEM;
	}
	while (len < SEAL_FILE_MAX && (n = read(fd, text + len, SEAL_FILE_MAX - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (n < 0 || len == SEAL_FILE_MAX) {
		snprintf(err, errlen, "'%.200s': %s", arg, n < 0 ? strerror(errno) :
			 "too long for a file of public keys");
		free(text);
		return n < 0 ? HK_EIO : HK_EINVAL;
	}
	rc = seal_recipients_parse(text, len, each, ctx, why, sizeof why);
	free(text);
	if (why[0])             /* the file's own fault, not each()'s */
		snprintf(err, errlen, "'%.200s': %s", arg, why);
	return rc;
}

/* --- running age --- */

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int age_present(char *err, size_t errlen)
{
	if (access(SEAL_AGE_PROGRAM, X_OK) == 0)
		return 0;
	snprintf(err, errlen, "cannot seal or open: Debian's age program is not installed (%s:"
		 " apt install age)", SEAL_AGE_PROGRAM);
	return HK_EUNSUPPORTED;
}

/* Starts argv with stdin from in_path (or a pipe when NULL), stdout and
 * stderr to pipes. */
static int spawn_age(struct seal *s, char *const argv[], int want_input, char *err,
		     size_t errlen)
{
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	int rc = HK_EIO, e;

	if ((want_input && pipe2(pin, O_CLOEXEC)) || pipe2(pout, O_CLOEXEC) ||
	    pipe2(perr, O_CLOEXEC)) {
		snprintf(err, errlen, "cannot start age: %s", strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	if (want_input)
		posix_spawn_file_actions_adddup2(&fa, pin[0], STDIN_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pout[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, perr[1], STDERR_FILENO);
	e = posix_spawn(&s->pid, SEAL_AGE_PROGRAM, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e) {
		snprintf(err, errlen, "cannot start %s: %s", SEAL_AGE_PROGRAM, strerror(e));
		s->pid = -1;
		goto out;
	}
	s->in = want_input ? pin[1] : -1;
	s->out = pout[0];
	s->msg = perr[0];
	pin[1] = pout[0] = perr[0] = -1;
	if (s->in >= 0)
		fcntl(s->in, F_SETFL, O_NONBLOCK);
	fcntl(s->out, F_SETFL, O_NONBLOCK);
	fcntl(s->msg, F_SETFL, O_NONBLOCK);
	rc = 0;
out:
	close_fd(&pin[0]);
	close_fd(&pin[1]);
	close_fd(&pout[0]);
	close_fd(&pout[1]);
	close_fd(&perr[0]);
	close_fd(&perr[1]);
	return rc;
}

/* Reads what is there from age's output (to the sink) or messages. */
static void drain(struct seal *s, int *fd, int is_msg)
{
	for (;;) {
		ssize_t got;

		if (is_msg) {
			char tmp[256];

			got = read(*fd, tmp, sizeof tmp);
			if (got > 0) {
				size_t room = sizeof s->text - 1 - s->text_len;
				size_t take = (size_t)got < room ? (size_t)got : room;

				memcpy(s->text + s->text_len, tmp, take);
				s->text_len += take;
				s->text[s->text_len] = '\0';
				continue;
			}
		} else {
			got = read(*fd, s->buf, sizeof s->buf);
			if (got > 0) {
				int r = s->rc ? 0 : s->sink(s->ctx, s->buf, (size_t)got);

				if (r && !s->rc)
					s->rc = r;
				continue;
			}
		}
		if (got < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		close_fd(fd);                   /* end of file, or broken */
		return;
	}
}

/*
 * Feeds p..p+n to age while draining its output; with n == 0 and the
 * input closed, drains until age has closed both outputs.
 */
static int pump(struct seal *s, const unsigned char *p, size_t n)
{
	while (n > 0 || (s->in < 0 && (s->out >= 0 || s->msg >= 0))) {
		struct pollfd f[3];
		int k = 0, iw = -1, io = -1, im = -1;

		if (n > 0 && s->in >= 0) {
			iw = k;
			f[k++] = (struct pollfd){ s->in, POLLOUT, 0 };
		}
		if (s->out >= 0) {
			io = k;
			f[k++] = (struct pollfd){ s->out, POLLIN, 0 };
		}
		if (s->msg >= 0) {
			im = k;
			f[k++] = (struct pollfd){ s->msg, POLLIN, 0 };
		}
		if (k == 0 || (n > 0 && s->in < 0))
			return s->rc ? s->rc : HK_EIO;
		if (poll(f, (nfds_t)k, -1) < 0) {
			if (errno == EINTR)
				continue;
			return HK_EIO;
		}
		if (io >= 0 && f[io].revents)
			drain(s, &s->out, 0);
		if (im >= 0 && f[im].revents)
			drain(s, &s->msg, 1);
		if (iw >= 0 && f[iw].revents) {
			ssize_t w = write(s->in, p, n < SEAL_CHUNK ? n : SEAL_CHUNK);

			if (w > 0) {
				p += w;
				n -= (size_t)w;
			} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
				close_fd(&s->in);       /* age is gone (EPIPE) */
				return s->rc ? s->rc : HK_EIO;
			}
		}
		if (s->rc)
			return s->rc;
	}
	return s->rc;
}

/* Waits for age; 0 when it exited cleanly. */
static int reap(struct seal *s)
{
	int status = 0;

	if (s->pid <= 0)
		return HK_EIO;
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	s->pid = -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : HK_EIO;
}

/* age's first line without its "age: error: " and the report URL. */
static const char *age_said(struct seal *s)
{
	char *t = s->text, *nl;

	if (!strncmp(t, "age: error: ", 12))
		t += 12;
	else if (!strncmp(t, "age: ", 5))
		t += 5;
	if ((nl = strchr(t, '\n')))
		*nl = '\0';
	return *t ? t : "it stopped without saying why";
}

static void block_sigpipe(struct seal *s)
{
	sigset_t pipe_set;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &s->old_mask);
}

/* Takes back a SIGPIPE our writes raised, then restores the mask. */
static void unblock_sigpipe(struct seal *s)
{
	sigset_t pipe_set;
	struct timespec zero = { 0, 0 };

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	while (sigtimedwait(&pipe_set, NULL, &zero) > 0)
		;
	pthread_sigmask(SIG_SETMASK, &s->old_mask, NULL);
}

static void seal_free(struct seal *s)
{
	close_fd(&s->in);
	close_fd(&s->out);
	close_fd(&s->msg);
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		reap(s);
	}
	unblock_sigpipe(s);
	free(s);
}

/* A new seal running argv (with a pipe for input when want_input). */
static int start(char *const argv[], int want_input, seal_sink sink, void *ctx,
		 struct seal **out, char *err, size_t errlen)
{
	struct seal *s = calloc(1, sizeof *s);
	int rc;

	*out = NULL;
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return HK_ENOMEM;
	}
	s->in = s->out = s->msg = s->pid = -1;
	s->sink = sink;
	s->ctx = ctx;
	block_sigpipe(s);
	if ((rc = spawn_age(s, argv, want_input, err, errlen))) {
		seal_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* --- sealing --- */

int seal_open(const char *const *recipients, int n, seal_sink sink, void *ctx,
	      struct seal **out, char *err, size_t errlen)
{
	char *argv[3 + 2 * SEAL_RECIPIENT_MAX];
	int i, k = 0, rc;

	*out = NULL;
	if (n < 1 || n > SEAL_RECIPIENT_MAX) {
		snprintf(err, errlen, "%s", n < 1 ? "no reader to seal it to" :
			 "too many readers to seal it to");
		return HK_EINVAL;
	}
	for (i = 0; i < n; i++)
		if (!seal_recipient_valid(recipients[i])) {
			snprintf(err, errlen, "'%.70s' is not an age public key", recipients[i]);
			return HK_EINVAL;
		}
	if ((rc = age_present(err, errlen)))
		return rc;
	argv[k++] = (char *)"age";
	argv[k++] = (char *)"--encrypt";
	for (i = 0; i < n; i++) {
		argv[k++] = (char *)"--recipient";
		argv[k++] = (char *)recipients[i];
	}
	argv[k] = NULL;
	return start(argv, 1, sink, ctx, out, err, errlen);
}

int seal_write(struct seal *s, const void *p, size_t n)
{
	return pump(s, p, n);
}

int seal_close(struct seal *s, char *err, size_t errlen)
{
	int rc, exit_rc;

	close_fd(&s->in);
	rc = pump(s, NULL, 0);
	exit_rc = reap(s);
	if (!rc && exit_rc) {
		rc = exit_rc;
		snprintf(err, errlen, "age could not seal it: %s", age_said(s));
	} else if (rc == HK_EIO) {
		snprintf(err, errlen, "age stopped while sealing: %s", age_said(s));
	}
	seal_free(s);
	return rc;
}

void seal_abort(struct seal *s)
{
	if (s)
		seal_free(s);
}

/* seal_recipient_check() seals nothing to r: what age writes is dropped. */
static int discard(void *ctx, const void *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
	return 0;
}

int seal_recipient_check(const char *r, char *err, size_t errlen)
{
	struct seal *s;
	char said[SEAL_MSG_MAX] = "";
	int rc;

	if (!seal_recipient_valid(r)) {
		snprintf(err, errlen, "'%.70s' is not an age public key: %s", r,
			 why_not(r, strlen(r)));
		return HK_EINVAL;
	}
	if ((rc = seal_open(&r, 1, discard, NULL, &s, err, errlen)))
		return rc;
	rc = seal_close(s, said, sizeof said);
	if (rc == HK_EIO) {
		snprintf(err, errlen, "'%s' is not an age public key (%s)", r, said);
		return HK_EINVAL;
	}
	return rc;
}

/* --- opening --- */

static int classify(const char *said, const char *path, const char *key_path, char *err,
		    size_t errlen)
{
	if (strstr(said, "no identity matched")) {
		snprintf(err, errlen, "this key (%s) is not one of the readers of %s", key_path,
			 path);
		return HK_EINVAL;
	}
	if (strstr(said, "reading \"") || strstr(said, "identity") ||
	    strstr(said, "secret key")) {
		snprintf(err, errlen, "%s is not an age key file (age says: %s)", key_path, said);
		return HK_EINVAL;
	}
	if (strstr(said, "header") || strstr(said, "intro")) {
		snprintf(err, errlen, "%s is not a sealed file, or its beginning is damaged"
			 " (age says: %s)", path, said);
		return HK_ECORRUPT;
	}
	snprintf(err, errlen, "%s is damaged or cut short (age says: %s)", path, said);
	return HK_ECORRUPT;
}

static int readable_file(const char *what, const char *path, char *err, size_t errlen)
{
	struct stat sb;

	if (stat(path, &sb) != 0) {
		snprintf(err, errlen, "%s '%s': %s", what, path, strerror(errno));
		return errno == ENOENT ? HK_ENOTFOUND : HK_EIO;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s '%s' is not a file", what, path);
		return HK_EINVAL;
	}
	return 0;
}

int unseal_file(const char *path, const char *key_path, seal_sink sink, void *ctx,
		char *err, size_t errlen)
{
	char *argv[] = { (char *)"age", (char *)"--decrypt", (char *)"--identity",
			 (char *)key_path, (char *)"--", (char *)path, NULL };
	struct seal *s;
	int rc, exit_rc;

	if ((rc = readable_file("the key", key_path, err, errlen)) ||
	    (rc = readable_file("the sealed file", path, err, errlen)) ||
	    (rc = age_present(err, errlen)))
		return rc;
	if ((rc = start(argv, 0, sink, ctx, &s, err, errlen)))
		return rc;
	rc = pump(s, NULL, 0);
	exit_rc = reap(s);
	if (exit_rc)
		rc = classify(age_said(s), path, key_path, err, errlen);
	else if (rc)
		snprintf(err, errlen, "could not keep what %s holds", path);
	seal_free(s);
	return rc;
}
