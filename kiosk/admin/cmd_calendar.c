/*
 * cmd_calendar.c - hubctl calendar import | subscribe | list | refresh |
 * unsubscribe | export | prefix: the constellation calendar from and to
 * the calendars people already keep (Google, Outlook, Apple, Thunderbird).
 *
 * The edge only: reading files, fetching URLs (kiosk/calendar) and telling
 * the person what happened. The meaning of an .ics file is cal_parse()'s,
 * what the record does with it store_calendar_import()'s. Each file is one
 * transaction: a bad file changes nothing and its one stderr line names the
 * file and the line. The board never fetches (it runs without network);
 * hubkiosk-calendar.timer runs "hubctl calendar refresh".
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin/cmd.h"
#include "admin/table.h"
#include "calendar/calendar.h"
#include "core/hktime.h"

enum {
	OPT_NAME = CLI_OPT_FIRST, OPT_EVERY, OPT_FROM, OPT_TO, OPT_LATER, OPT_FORCE, OPT_TSV,
};

#define FETCH_TIMEOUT 60L               /* seconds for one subscription */
#define EXPORT_DAYS 92                  /* export: a season ahead by default */
#define DEFAULT_EVERY 3600              /* subscriptions: hourly */

struct window_args {
	const char *from, *to;
};

/* The expansion window: --from/--to days, else cal_default_window(). */
static int window_of(struct cli *c, const struct window_args *w, hk_time *from, hk_time *to)
{
	int64_t d;

	cal_default_window(c->now, from, to);
	if (w->from) {
		if (cli_day(c, "--from", w->from, &d))
			return CLI_STOP;
		*from = hktime_day_start(d);
	}
	if (w->to) {
		if (cli_day(c, "--to", w->to, &d))
			return CLI_STOP;
		*to = hktime_day_start(d + 1);
	}
	if (*to <= *from)
		return cli_refuse(c, "--to: %s is before --from", w->to ? w->to : "the default");
	return 0;
}

/* The prefixes that make an entry a visit or a contact session. */
struct prefixes {
	char visit[HK_NAME_MAX], contact[HK_NAME_MAX];
};

static int prefixes_of(struct cli *c, struct prefixes *p)
{
	if (store_setting_get(c->st, "calendar_visit_prefix", p->visit, sizeof p->visit))
		snprintf(p->visit, sizeof p->visit, "Visit:");
	if (store_setting_get(c->st, "calendar_contact_prefix", p->contact, sizeof p->contact))
		snprintf(p->contact, sizeof p->contact, "Contact:");
	return 0;
}

/* --- reading and applying one calendar text --- */

struct source {
	const char *label;              /* for messages: the file or the URL */
	hk_id id;                       /* an existing calendar, or 0 */
	enum store_cal_kind kind;
	const char *name, *location;
	int64_t every;
	hk_time fetched;                /* 0 for a file */
};

static void print_counts(const struct source *s, const struct store_cal_counts *n,
			 const struct cal_result *r)
{
	printf("calendar %" PRId64 " %s: %d added, %d changed, %d removed, %d unchanged",
	       n->calendar, s->label, n->added, n->changed, n->removed, n->unchanged);
	if (n->people)
		printf("; %d new visitor%s", n->people, n->people == 1 ? "" : "s");
	if (n->as_events)
		printf("; %d shown as events (no such person)", n->as_events);
	putchar('\n');
	if (r->warnings)
		printf("  warning: %s%s\n", r->warning, r->warnings > 1 ? " (and more)" : "");
}

/* Parses text and makes the record match it. keep: store text as the
 * last good copy. Refusals name the source and the line. */
static int apply_text(struct cli *c, const struct source *s, const char *text, size_t len,
		      int keep, hk_time from, hk_time to)
{
	struct cal_options o = { .from = from, .to = to };
	struct store_cal_import im = {
		.calendar = s->id, .kind = s->kind, .name = s->name, .location = s->location,
		.every = s->every, .body = keep ? text : NULL, .len = keep ? len : 0,
		.fetched = s->fetched, .from = from, .to = to,
	};
	struct store_cal_counts n;
	struct cal_result r;
	struct cal_error e;
	struct prefixes p;
	int rc;

	struct store_actor imp = c->actor;

	imp.source = STORE_SRC_IMPORT;  /* the journal says the calendar did it */
	prefixes_of(c, &p);
	o.visit_prefix = p.visit;
	o.contact_prefix = p.contact;
	rc = cal_parse(text, len, &o, &r, &e);
	if (rc == HK_ENOMEM)
		return cli_oom(c);
	if (rc && e.line)
		return cli_refuse(c, "%s:%d: %s; nothing imported", s->label, e.line, e.msg);
	if (rc)
		return cli_refuse(c, "%s: %s; nothing imported", s->label, e.msg);
	im.items = r.items;
	im.n_items = r.n;
	rc = store_calendar_import(c->st, &imp, &im, &n);
	if (rc) {
		cal_result_free(&r);
		return cli_refuse(c, "%s: %s; nothing imported", s->label, store_errmsg(c->st));
	}
	print_counts(s, &n, &r);
	cal_result_free(&r);
	return 0;
}

/* Reads a whole file, refusing one too large before reading it. */
static int read_file(struct cli *c, const char *path, char **text, size_t *len)
{
	struct stat sb;
	FILE *f = fopen(path, "rb");
	size_t got;

	*text = NULL;
	if (!f)
		return cli_refuse(c, "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode)) {
		fclose(f);
		return cli_refuse(c, "%s: not a regular file", path);
	}
	if (sb.st_size > CAL_MAX_BYTES) {
		fclose(f);
		return cli_refuse(c, "%s: too large: %lld bytes, at most %d (4 MiB); nothing"
				  " imported", path, (long long)sb.st_size, CAL_MAX_BYTES);
	}
	*text = malloc((size_t)sb.st_size + 1);
	if (!*text) {
		fclose(f);
		return cli_oom(c);
	}
	got = fread(*text, 1, (size_t)sb.st_size, f);
	fclose(f);
	if (got != (size_t)sb.st_size) {
		free(*text);
		*text = NULL;
		return cli_refuse(c, "%s: could not be read whole", path);
	}
	*len = got;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *p = strrchr(path, '/');

	return p ? p + 1 : path;
}

/* The calendar a file belongs to: by --name (or, for a stick, the file's
 * own name, since the stick's mount point changes) when given, else by its
 * real path. */
static int file_source(struct cli *c, const char *path, const char *name, char *real,
		       size_t len, struct source *s)
{
	struct store_calendar cal;

	memset(s, 0, sizeof *s);
	s->label = path;
	s->kind = STORE_CAL_FILE;
	if (!realpath(path, real))
		return cli_refuse(c, "%s: %s", path, strerror(errno));
	(void)len;
	s->location = real;
	s->name = name ? name : base_name(path);
	if (name && !store_calendar_find(c->st, name, &s->id)) {
		if (store_calendar_get(c->st, s->id, &cal))
			return cli_store_fail(c, HK_EIO, name);
		if (cal.kind != STORE_CAL_FILE)
			return cli_refuse(c, "--name: '%s' is a subscription, not a file", name);
	}
	return 0;
}

static int import_file(struct cli *c, const char *path, const char *name,
		       hk_time from, hk_time to)
{
	char real[PATH_MAX], *text;
	struct source s;
	size_t len = 0;
	int rc;

	if (file_source(c, path, name, real, sizeof real, &s) ||
	    read_file(c, path, &text, &len))
		return CLI_STOP;
	rc = apply_text(c, &s, text, len, 1, from, to);
	free(text);
	return rc;
}

static int ics_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 && !strcasecmp(d->d_name + n - 4, ".ics");
}

/* Every *.ics in a folder (a USB stick), each its own calendar named by
 * its file name. Goes on after a bad file; returns CLI_STOP if any was. */
static int import_dir(struct cli *c, const char *dir, hk_time from, hk_time to)
{
	struct dirent **list;
	char path[PATH_MAX];
	int n = scandir(dir, &list, ics_name, alphasort), bad = 0;

	if (n < 0)
		return cli_refuse(c, "%s: %s", dir, strerror(errno));
	if (n == 0)
		printf("%s: no .ics files\n", dir);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
		bad |= import_file(c, path, list[i]->d_name, from, to) != 0;
		free(list[i]);
	}
	free(list);
	return bad ? CLI_STOP : 0;
}

static int is_dir(const char *path)
{
	struct stat sb;

	return !stat(path, &sb) && S_ISDIR(sb.st_mode);
}

static int cal_import(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, OPT_NAME },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		CLI_COMMON_OPTIONS
	};
	struct window_args w = { 0 };
	const char *name = NULL;
	hk_time from, to;
	int opt, bad = 0;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0) {
		if (opt == OPT_NAME)
			name = optarg;
		else if (opt == OPT_FROM)
			w.from = optarg;
		else if (opt == OPT_TO)
			w.to = optarg;
	}
	if (opt == CLI_STOP)
		return CLI_STOP;
	if (optind >= argc)
		return cli_usage(c, "missing FILE");
	if (name && argc - optind > 1)
		return cli_usage(c, "--name goes with one FILE");
	if (window_of(c, &w, &from, &to) || cli_open(c))
		return CLI_STOP;
	for (int i = optind; i < argc; i++)
		bad |= (is_dir(argv[i]) ? import_dir(c, argv[i], from, to)
			: import_file(c, argv[i], name, from, to)) != 0;
	return bad ? CLI_STOP : CLI_OK;
}

/* --- subscriptions --- */

static int fetch_failed(struct cli *c, const struct store_calendar *cal, const char *why)
{
	struct store_actor imp = c->actor;
	char when[40];
	int rc;

	imp.source = STORE_SRC_IMPORT;
	rc = store_calendar_failed(c->st, &imp, cal->id, why);

	if (rc)
		return cli_store_fail(c, rc, cal->name);
	if (!cal->fetched)
		return cli_refuse(c, "calendar %" PRId64 " %s: %s; no copy yet", cal->id,
				  cal->location, why);
	cli_fmt_time(cal->fetched, 0, when, sizeof when);
	return cli_refuse(c, "calendar %" PRId64 " %s: %s; keeping the copy of %s", cal->id,
			  cal->location, why, when);
}

/* Fetches and applies; on any failure the kept copy stays. */
static int refresh_url(struct cli *c, const struct store_calendar *cal, hk_time from, hk_time to)
{
	struct source s = { .label = cal->location, .id = cal->id, .kind = STORE_CAL_URL,
			    .fetched = c->now };
	char err[256], *body;
	size_t len;
	int rc = cal_fetch(cal->location, FETCH_TIMEOUT, &body, &len, err, sizeof err);

	if (rc)
		return fetch_failed(c, cal, err);
	rc = apply_text(c, &s, body, len, 1, from, to);
	free(body);
	if (rc == CLI_STOP && c->status == CLI_REFUSED) {
		/* The message is out; record why without a second line. */
		store_calendar_failed(c->st, &c->actor, cal->id, "the fetched copy was refused");
	}
	return rc;
}

/* Re-expands the kept copy: the window moves on without the network. */
static int refresh_kept(struct cli *c, const struct store_calendar *cal, hk_time from, hk_time to)
{
	struct source s = { .label = cal->name, .id = cal->id, .kind = cal->kind };
	char *body;
	size_t len;
	int rc = store_calendar_body(c->st, cal->id, &body, &len);

	if (rc)
		return cli_store_fail(c, rc, cal->name);
	if (!body)
		return 0;
	rc = apply_text(c, &s, body, len, 0, from, to);
	free(body);
	return rc;
}

static int due(const struct cli *c, const struct store_calendar *cal)
{
	int64_t every = cal->every ? cal->every : DEFAULT_EVERY;

	return !cal->tried || c->now - cal->tried >= every - 60;
}

static int parse_every(struct cli *c, const char *s, int64_t *every)
{
	if (hktime_parse_duration(s, every) || *every < 300)
		return cli_refuse(c, "--every: %s is not a length of at least 5m (like 1h)", s);
	return 0;
}

/* A name for a subscription: --name, else the URL if it fits. */
static int url_name(struct cli *c, const char *url, const char *name, char *buf, size_t len)
{
	if (name)
		return cli_text(c, "--name", buf, len, name);
	snprintf(buf, len, "%s", url);
	if (strlen(url) >= len)
		memcpy(buf + len - 4, "…", 4);
	return 0;
}

struct sub_args {
	const char *name, *every;
	int later;
	struct window_args w;
};

static int sub_getopt(struct cli *c, int argc, char **argv, struct sub_args *a)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, OPT_NAME },
		{ "every", required_argument, NULL, OPT_EVERY },
		{ "later", no_argument, NULL, OPT_LATER },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		CLI_COMMON_OPTIONS
	};
	int opt;

	memset(a, 0, sizeof *a);
	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0) {
		switch (opt) {
		case OPT_NAME: a->name = optarg; break;
		case OPT_EVERY: a->every = optarg; break;
		case OPT_LATER: a->later = 1; break;
		case OPT_FROM: a->w.from = optarg; break;
		case OPT_TO: a->w.to = optarg; break;
		}
	}
	if (opt == CLI_STOP || cli_args(c, argc, argv, "URL"))
		return CLI_STOP;
	return 0;
}

static int first_fetch(struct cli *c, const struct source *s, hk_time from, hk_time to)
{
	char err[256], *body;
	size_t len;
	int rc = cal_fetch(s->location, FETCH_TIMEOUT, &body, &len, err, sizeof err);

	if (rc)
		return cli_refuse(c, "%s: %s; not subscribed (--later subscribes without"
				  " fetching)", s->location, err);
	rc = apply_text(c, s, body, len, 1, from, to);
	free(body);
	return rc;
}

static int cal_subscribe(struct cli *c, int argc, char **argv)
{
	struct sub_args a;
	char name[HK_NAME_MAX];
	struct source s = { .kind = STORE_CAL_URL, .every = DEFAULT_EVERY, .fetched = c->now };
	hk_time from, to;
	hk_id id;
	int rc;

	if (sub_getopt(c, argc, argv, &a))
		return CLI_STOP;
	s.location = s.label = argv[optind];
	if ((a.every && parse_every(c, a.every, &s.every)) ||
	    url_name(c, s.location, a.name, name, sizeof name) || window_of(c, &a.w, &from, &to))
		return CLI_STOP;
	if (strncasecmp(s.location, "http://", 7) && strncasecmp(s.location, "https://", 8) &&
	    strncasecmp(s.location, "webcal://", 9) && strncasecmp(s.location, "webcals://", 10))
		return cli_refuse(c, "%s is not an http, https or webcal URL", s.location);
	s.name = name;
	if (cli_open(c))
		return CLI_STOP;
	if (!store_calendar_find(c->st, s.location, &id))
		return cli_refuse(c, "%s: already subscribed (calendar %" PRId64 ")",
				  s.location, id);
	if (!a.later)
		return first_fetch(c, &s, from, to) ? CLI_STOP : CLI_OK;
	rc = store_calendar_add(c->st, &c->actor, STORE_CAL_URL, name, s.location, s.every, &id);
	if (rc)
		return cli_store_fail(c, rc, s.location);
	printf("calendar %" PRId64 " %s: subscribed; fetched on the next refresh\n",
	       id, s.location);
	return CLI_OK;
}

static int refresh_one(struct cli *c, const struct store_calendar *cal, int force,
		       hk_time from, hk_time to)
{
	if (cal->kind == STORE_CAL_URL && (force || due(c, cal)))
		return refresh_url(c, cal, from, to);
	return refresh_kept(c, cal, from, to);
}

static int cal_refresh(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		CLI_COMMON_OPTIONS
	};
	struct store_calendar *list = NULL;
	struct window_args w = { 0 };
	hk_time from, to;
	int opt, n = 0, force = 0, bad = 0, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0) {
		if (opt == OPT_FORCE)
			force = 1;
		else if (opt == OPT_FROM)
			w.from = optarg;
		else if (opt == OPT_TO)
			w.to = optarg;
	}
	if (opt == CLI_STOP || window_of(c, &w, &from, &to) || cli_open(c))
		return CLI_STOP;
	rc = store_calendar_list(c->st, &list, &n);
	if (rc)
		return cli_store_fail(c, rc, "calendars");
	for (int i = 0; i < n; i++) {
		int named = optind == argc;

		for (int j = optind; j < argc && !named; j++) {
			hk_id id;

			named = !store_calendar_find(c->st, argv[j], &id) && id == list[i].id;
		}
		if (named)
			bad |= refresh_one(c, &list[i], force || optind < argc, from, to) != 0;
	}
	free(list);
	if (n == 0 && optind == argc)
		puts("no calendars (hubctl calendar import FILE, or subscribe URL)");
	return bad ? CLI_STOP : CLI_OK;
}

/* --- list, unsubscribe, prefix --- */

static void age_text(const struct cli *c, hk_time t, char *buf, size_t len)
{
	int64_t m = t ? (c->now - t) / 60 : -1;

	if (m < 0)
		snprintf(buf, len, t ? "0m" : "");
	else if (m < 120)
		snprintf(buf, len, "%" PRId64 "m", m);
	else if (m < 48 * 60)
		snprintf(buf, len, "%" PRId64 "h", m / 60);
	else
		snprintf(buf, len, "%" PRId64 "d", m / 1440);
}

static int list_row(struct cli *c, struct table *t, const struct store_calendar *cal, int tsv)
{
	char id[24], every[24], items[24], fetched[40], age[24];
	const char *row[9];

	snprintf(id, sizeof id, "%" PRId64, cal->id);
	snprintf(every, sizeof every, "%s", "");
	if (cal->kind == STORE_CAL_URL)
		snprintf(every, sizeof every, "%" PRId64 "m", cal->every / 60);
	snprintf(items, sizeof items, "%" PRId64, cal->items);
	cli_fmt_time(cal->fetched, tsv, fetched, sizeof fetched);
	age_text(c, cal->fetched, age, sizeof age);
	row[0] = id;
	row[1] = cal->name;
	row[2] = cal->kind == STORE_CAL_URL ? "url" : "file";
	row[3] = every;
	row[4] = items;
	row[5] = fetched;
	row[6] = age;
	row[7] = cal->error[0] ? cal->error : "ok";
	row[8] = cal->location;
	return table_add(t, row);
}

static int cal_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tsv", no_argument, NULL, OPT_TSV },
		CLI_COMMON_OPTIONS
	};
	static const char *const head[] = {
		"id", "name", "kind", "every", "items", "copy_of", "age", "status", "location"
	};
	struct store_calendar *list = NULL;
	struct table *t = NULL;
	int opt, tsv = 0, n = 0, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		tsv = 1;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "") || cli_open(c))
		return CLI_STOP;
	rc = store_calendar_list(c->st, &list, &n);
	if (rc)
		return cli_store_fail(c, rc, "calendars");
	if (table_new(head, 9, &t))
		goto err_oom;
	for (int i = 0; i < n; i++)
		if (list_row(c, t, &list[i], tsv))
			goto err_oom;
	free(list);
	return cli_print_table(c, t, tsv, "no calendars");

err_oom:
	table_free(t);
	free(list);
	return cli_oom(c);
}

static int cal_unsubscribe(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS };
	struct store_calendar cal;
	hk_id id;
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "CALENDAR") || cli_open(c))
		return CLI_STOP;
	if ((rc = store_calendar_find(c->st, argv[optind], &id)) ||
	    (rc = store_calendar_get(c->st, id, &cal)) ||
	    (rc = store_calendar_remove(c->st, &c->actor, id, c->now)))
		return cli_store_fail(c, rc, argv[optind]);
	printf("calendar %" PRId64 " %s removed; its items from now on are cancelled\n",
	       id, cal.name);
	return CLI_OK;
}

static int cal_prefix(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS };
	const char *key;
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "visit|contact TEXT"))
		return CLI_STOP;
	if (!strcmp(argv[optind], "visit"))
		key = "calendar_visit_prefix";
	else if (!strcmp(argv[optind], "contact"))
		key = "calendar_contact_prefix";
	else
		return cli_refuse(c, "%s: say visit or contact", argv[optind]);
	if (!*argv[optind + 1])
		return cli_refuse(c, "the prefix cannot be empty");
	if (cli_open(c))
		return CLI_STOP;
	rc = store_setting_set(c->st, &c->actor, key, argv[optind + 1]);
	if (rc)
		return cli_store_fail(c, rc, argv[optind + 1]);
	printf("%s entries: titles starting '%s'\n", argv[optind], argv[optind + 1]);
	return CLI_OK;
}

/* --- export --- */

/* Writes through a temporary file and a rename: a phone never picks up
 * half a calendar, and a full stick leaves the old file whole. */
static int write_file(struct cli *c, const char *path, const char *text, size_t len)
{
	char tmp[PATH_MAX];
	FILE *f;

	if (!strcmp(path, "-"))
		return fwrite(text, 1, len, stdout) == len && !fflush(stdout) ? 0
		       : cli_refuse(c, "writing the calendar: %s", strerror(errno));
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (!f)
		return cli_refuse(c, "%s: %s", path, strerror(errno));
	if (fwrite(text, 1, len, f) != len || fflush(f) || fsync(fileno(f))) {
		fclose(f);
		unlink(tmp);
		return cli_refuse(c, "%s: %s", path, strerror(errno));
	}
	if (fclose(f) || rename(tmp, path)) {
		unlink(tmp);
		return cli_refuse(c, "%s: %s", path, strerror(errno));
	}
	return 0;
}

static int export_window(struct cli *c, const struct window_args *w, hk_time *from, hk_time *to)
{
	int64_t first, last;

	if (cli_day(c, "--from", w->from, &first))
		return CLI_STOP;
	last = first + EXPORT_DAYS;
	if (w->to && cli_day(c, "--to", w->to, &last))
		return CLI_STOP;
	if (last < first)
		return cli_refuse(c, "--to: %s is before --from", w->to);
	*from = hktime_day_start(first);
	*to = hktime_day_start(last + 1);
	return 0;
}

static int cal_export_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		CLI_COMMON_OPTIONS
	};
	struct window_args w = { 0 };
	struct hk_snapshot *s = NULL;
	hk_time from = 0, to = 0;
	char *text;
	size_t len;
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0) {
		if (opt == OPT_FROM)
			w.from = optarg;
		else if (opt == OPT_TO)
			w.to = optarg;
	}
	if (opt == CLI_STOP || cli_args(c, argc, argv, "FILE.ics") ||
	    export_window(c, &w, &from, &to) || cli_open(c) || cli_snapshot(c, from, to, &s))
		return CLI_STOP;
	rc = cal_export(s, c->now, &text, &len);
	hk_snapshot_free(s);
	if (rc)
		return cli_oom(c);
	rc = write_file(c, argv[optind], text, len);
	free(text);
	if (rc)
		return CLI_STOP;
	if (strcmp(argv[optind], "-"))
		printf("calendar written to %s\n", argv[optind]);
	return CLI_OK;
}

#define WINDOW_HELP \
	"  --from DAY     expand repeats from this day (default: 31 days ago)\n" \
	"  --to DAY       ... to this day (default: the end of the month a year on)\n"

const struct cli_cmd cmd_calendar[] = {
	{ "calendar", "import", "FILE|DIR... [--name NAME] [--from DAY] [--to DAY]",
	  "Imports .ics files (Google, Outlook, Apple, Thunderbird) onto the board.",
	  "  FILE          an .ics file; importing it again updates what changed and\n"
	  "                removes what is no longer in it; the journal says which\n"
	  "  DIR           every *.ics in it, e.g. a USB stick: each file is a calendar\n"
	  "                named by its file name, wherever the stick is mounted\n"
	  "  --name NAME   the calendar's name (one FILE): the same name is the same\n"
	  "                calendar even from another path\n"
	  WINDOW_HELP
	  "\nTitles starting 'Visit:' (or CATEGORIES Visit) become visits, 'Contact:\n"
	  "CHILD with WHOM' (or CATEGORIES Contact) contact sessions; see 'prefix'.\n"
	  "A bad file imports nothing and names its line.\n",
	  cal_import },
	{ "calendar", "subscribe", "URL [--every 1h] [--name NAME] [--later]",
	  "Subscribes to a calendar URL (http, https, webcal) and fetches it now.",
	  "  --every LEN   how often refresh fetches it (default 1h, at least 5m)\n"
	  "  --name NAME   what list shows (default: the URL)\n"
	  "  --later       subscribe without fetching now (no network yet)\n"
	  WINDOW_HELP,
	  cal_subscribe },
	{ "calendar", "list", "[--tsv]", "Lists the calendars, how old each copy is, and errors.",
	  "  --tsv         tab-separated: id name kind every items copy_of age status\n"
	  "                location\n",
	  cal_list },
	{ "calendar", "refresh", "[CALENDAR...] [--force] [--from DAY] [--to DAY]",
	  "Fetches subscriptions that are due and moves every calendar's window on.",
	  "  CALENDAR      only these (id, name or URL); they are fetched even if not due\n"
	  "  --force       fetch every subscription now\n"
	  WINDOW_HELP
	  "\nA failed fetch keeps the last good copy on the board; hubctl calendar list\n"
	  "says how old it is. Run by hubkiosk-calendar.timer.\n",
	  cal_refresh },
	{ "calendar", "unsubscribe", "CALENDAR",
	  "Removes a calendar (subscription or file); its items from now on are cancelled.",
	  "", cal_unsubscribe },
	{ "calendar", "export", "FILE.ics [--from DAY] [--to DAY]",
	  "Writes the constellation calendar for satellite families' phones.",
	  "  FILE.ics      where to write it; - for standard output\n"
	  "  --from DAY    first day (default: today)\n"
	  "  --to DAY      last day (default: 92 days on)\n"
	  "\nEvents only, with title, category and location: no visits, no contact\n"
	  "sessions, no names of people, no notes.\n",
	  cal_export_cmd },
	{ "calendar", "prefix", "visit|contact TEXT",
	  "Sets the title prefix that makes an entry a visit or a contact session.",
	  "  TEXT          e.g. 'Visit:' (the default), 'Besuch:'; matched ignoring case\n",
	  cal_prefix },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
