/*
 * cli.c - the shared edge of hubctl: options, messages, and reading the
 * values people type. Start at cli_getopt(); the value readers below it
 * each print exactly one line naming the bad value when they refuse.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin/cli.h"
#include "admin/table.h"
#include "core/hktime.h"

void cli_init(struct cli *c, hk_time now)
{
	const char *user = getenv("SUDO_USER");
	const struct passwd *pw;

	memset(c, 0, sizeof *c);
	c->now = now;
	/* The journal must say which person made a change; under sudo that is
	 * the one who typed sudo, not root. */
	if (!user || !*user)
		user = getenv("USER");
	if (!user || !*user) {
		pw = getpwuid(getuid());
		user = pw ? pw->pw_name : "unknown";
	}
	snprintf(c->who, sizeof c->who, "admin:%s", user);
	c->actor.source = STORE_SRC_ADMIN;
	c->actor.who = c->who;
	c->actor.at = now;
}

__attribute__((format(printf, 1, 0)))
static void vsay(const char *fmt, va_list ap)
{
	fputs("hubctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void print_name(FILE *f, const struct cli_cmd *cmd)
{
	fprintf(f, "hubctl %s", cmd->noun);
	if (cmd->verb)
		fprintf(f, " %s", cmd->verb);
}

int cli_usage(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	if (c->cmd) {
		fputs("usage: ", stderr);
		print_name(stderr, c->cmd);
		fprintf(stderr, "%s%s  (see --help)\n",
			*c->cmd->synopsis ? " " : "", c->cmd->synopsis);
	}
	c->status = CLI_USAGE;
	return CLI_STOP;
}

int cli_refuse(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	c->status = CLI_REFUSED;
	return CLI_STOP;
}

int cli_store_fail(struct cli *c, int rc, const char *what)
{
	const char *msg = c->st ? store_errmsg(c->st) : NULL;

	if (msg && *msg)
		return cli_refuse(c, "%s", msg);
	return cli_refuse(c, "%s: %s", what, hk_strerror(rc));
}

void cli_help(const struct cli *c)
{
	fputs("usage: ", stdout);
	print_name(stdout, c->cmd);
	printf("%s%s\n\n%s\n", *c->cmd->synopsis ? " " : "", c->cmd->synopsis,
	       c->cmd->summary);
	if (c->cmd->help && *c->cmd->help)
		printf("\n%s", c->cmd->help);
	fputs("\n  --db PATH     the database (default: $HUBKIOSK_DB, else the system path)\n"
	      "  --help        this text\n", stdout);
}

int cli_getopt(struct cli *c, int argc, char **argv, const struct option *opts)
{
	int opt, at;

	/* Messages are ours: they name the command and end with a usage hint. */
	opterr = 0;
	for (;;) {
		at = -1;
		opt = getopt_long(argc, argv, ":h", opts, &at);
		/* Whatever table a command uses, --tsv means a script reads the
		 * output: cli_finish() then adds nothing to it. */
		if (opt >= 0 && at >= 0 && !strcmp(opts[at].name, "tsv"))
			c->tsv = 1;
		switch (opt) {
		case CLI_OPT_DB:
			c->db = optarg;
			continue;
		case 'h':
		case CLI_OPT_HELP:
			cli_help(c);
			c->status = CLI_OK;
			return CLI_STOP;
		case ':':
			return cli_usage(c, "%s needs a value", argv[optind - 1]);
		case '?':
			return cli_usage(c, "unknown option '%s'", argv[optind - 1]);
		default:
			return opt;
		}
	}
}

/* The i-th space-separated word of names, into buf. */
static void nth_word(const char *names, int i, char *buf, size_t len)
{
	const char *p = names;
	size_t n;

	while (i-- > 0 && (p = strchr(p, ' ')))
		p++;
	if (!p) {
		snprintf(buf, len, "an argument");
		return;
	}
	n = strcspn(p, " ");
	snprintf(buf, len, "%.*s", (int)n, p);
}

int cli_need_dir(struct cli *c, const char *what, const char *dir)
{
	struct stat sb;

	if (stat(dir, &sb) != 0)
		return cli_refuse(c, "%s '%s': %s", what, dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return cli_refuse(c, "%s '%s' is not a folder", what, dir);
	return 0;
}

int cli_args(struct cli *c, int argc, char **argv, const char *names)
{
	int want = 0, have = argc - optind;
	const char *p;
	char word[64];

	for (p = names; *p; p++)
		if (p == names || p[-1] == ' ')
			want++;
	if (have < want) {
		nth_word(names, have, word, sizeof word);
		return cli_usage(c, "missing %s", word);
	}
	if (have > want)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + want]);
	return 0;
}

int cli_options(struct cli *c, int argc, char **argv, const struct cli_value *vals,
		const char *names)
{
	static const struct option common[] = { CLI_COMMON_OPTIONS };
	struct option opts[CLI_VALUES_MAX + 3];
	const struct cli_value *v;
	int n, opt;

	/* The table is built in the order given, so getopt_long() accepts the
	 * same abbreviations and says the same things as a written-out one. */
	for (n = 0; vals[n].name; n++) {
		assert(n < CLI_VALUES_MAX && (vals[n].text != NULL) != (vals[n].flag != NULL));
		opts[n] = (struct option){ vals[n].name,
					   vals[n].text ? required_argument : no_argument,
					   NULL, CLI_OPT_FIRST + n };
	}
	memcpy(opts + n, common, sizeof common);
	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0) {
		v = &vals[opt - CLI_OPT_FIRST];
		if (v->text)
			*v->text = optarg;
		else
			*v->flag = 1;
	}
	if (opt == CLI_STOP || cli_args(c, argc, argv, names))
		return CLI_STOP;
	return 0;
}

int cli_open(struct cli *c)
{
	char path[4096], err[512] = "";
	const char *p = c->db;
	int rc;

	if (!p) {
		if (store_default_path(path, sizeof path))
			return cli_refuse(c, "no place for the database: "
					  "set HUBKIOSK_DB or give --db PATH");
		p = path;
	}
	rc = store_open(p, &c->st, err, sizeof err);
	if (rc) {
		c->st = NULL;
		if (*err)
			return cli_refuse(c, "%s", err);
		return cli_refuse(c, "%s: %s", p, hk_strerror(rc));
	}
	return 0;
}

void cli_close(struct cli *c)
{
	store_close(c->st);
	c->st = NULL;
}

/* A person sees stderr on a terminal; HUBKIOSK_REMIND=1 asks for it
 * elsewhere (a test, a wrapper script that shows stderr). */
static int reminder_wanted(const struct cli *c)
{
	const char *env = getenv("HUBKIOSK_REMIND");

	if (!c->st || c->tsv || c->no_reminder)
		return 0;
	return isatty(STDERR_FILENO) || (env && !strcmp(env, "1"));
}

/* A card that dies takes what no backup holds: the backup more than a day
 * behind, its medium missing or full, is said every time. */
static void remind_backup(struct cli *c)
{
	struct store_backup_health h;

	if (!store_backup_health(c->st, c->now, &h) && h.state >= STORE_BACKUP_STALE)
		fprintf(stderr, "hubctl: reminder: %s - hubctl backup-medium list\n", h.message);
}

/* Open concerns must not be forgotten between two commands; failing to
 * count them only loses the reminder, never the command's own result. */
static void remind(struct cli *c)
{
	char when[40];
	hk_time oldest = 0;
	int64_t n = 0;

	int overdue = 0;

	if (!reminder_wanted(c))
		return;
	if (!store_concern_open(c->st, &n, &oldest) && n > 0) {
		cli_fmt_time(oldest, 0, when, sizeof when);
		fprintf(stderr, "hubctl: reminder: %" PRId64 " concern%s open since %s"
			" - hubctl concern list --open\n", n, n == 1 ? "" : "s", when);
	}
	/* Records nobody has taken away: the liaison worker's visit is due. */
	if (!store_export_overdue(c->st, c->now, &overdue, &oldest) && overdue) {
		if (oldest) {
			cli_fmt_time(oldest, 0, when, sizeof when);
			fprintf(stderr, "hubctl: reminder: no export since %s - the records are"
				" due to go to the liaison worker (hubctl export)\n", when);
		} else {
			fprintf(stderr, "hubctl: reminder: the records have never been exported -"
				" they are due to go to the liaison worker (hubctl export)\n");
		}
	}
	remind_backup(c);
}

int cli_finish(struct cli *c, int status)
{
	if (status == CLI_OK)
		remind(c);
	cli_close(c);
	return status;
}

/* --- times ---------------------------------------------------------- */

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

static int looks_like_date(const char *s)
{
	return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	       isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-';
}

/*
 * Why hktime_parse() said HK_EINVAL, in words: hktime only says "no", and
 * "2026-11-31 is not a date (November has 30 days)" is what a person needs.
 */
static void time_why(const char *s, char *buf, size_t len)
{
	int y, mo, d, h, mi, n = 0;

	if (looks_like_date(s) && sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3) {
		if (mo < 1 || mo > 12) {
			snprintf(buf, len, "is not a date (months run 01 to 12)");
			return;
		}
		if (d < 1 || d > days_in_month(y, mo)) {
			if (mo == 2)
				snprintf(buf, len, "is not a date (February %d has %d days)",
					 y, days_in_month(y, mo));
			else
				snprintf(buf, len, "is not a date (%s has %d days)",
					 month_names[mo - 1], days_in_month(y, mo));
			return;
		}
		if ((s[n] == 'T' || s[n] == ' ') &&
		    sscanf(s + n + 1, "%2d:%2d", &h, &mi) == 2 && (h > 23 || mi > 59)) {
			snprintf(buf, len, "is not a time of day (%s)",
				 h > 23 ? "hours run 00 to 23" : "minutes run 00 to 59");
			return;
		}
	}
	snprintf(buf, len, "is not a time (write it like 2026-11-23T14:00)");
}

/* The zone's name for messages: TZ, else what /etc/localtime points at. */
static const char *zone_name(char *buf, size_t len)
{
	const char *tz = getenv("TZ"), *p;
	ssize_t n;

	if (tz && *tz) {
		if (*tz == ':')
			tz++;
		p = strstr(tz, "zoneinfo/");
		snprintf(buf, len, "%s", p ? p + 9 : tz);
		return buf;
	}
	n = readlink("/etc/localtime", buf, len - 1);
	if (n > 0) {
		buf[n] = '\0';
		p = strstr(buf, "zoneinfo/");
		if (p)
			return p + 9;
	}
	return "local time";
}

static int time_refuse(struct cli *c, const char *opt, const char *s, int rc)
{
	char why[128], zone[256];

	if (rc == HK_ENOTIME)
		return cli_refuse(c, "%s: %s does not exist in %s (the clocks go forward)",
				  opt, s, zone_name(zone, sizeof zone));
	time_why(s, why, sizeof why);
	return cli_refuse(c, "%s: %s %s", opt, s, why);
}

int cli_time(struct cli *c, const char *opt, const char *s, hk_time *out, int *date_only)
{
	int rc = hktime_parse(s, out, date_only);

	return rc ? time_refuse(c, opt, s, rc) : 0;
}

/* Whole days ("3d"): the same wall-clock time n local days later, so three
 * nights stay three nights across a change of the clocks. */
static int add_local_days(hk_time base, int64_t n, hk_time *out)
{
	char iso[40], s[40];
	int y, m, d, wd;

	hktime_format_iso(base, iso, sizeof iso);
	hktime_civil(hktime_day(base) + n, &y, &m, &d, &wd);
	/* iso is "YYYY-MM-DDTHH:MM:SS+hh:mm": keep the local time of day */
	snprintf(s, sizeof s, "%04d-%02d-%02dT%.8s", y, m, d, iso + 11);
	return hktime_parse(s, out, NULL);
}

static int is_whole_days(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && s[n] == 'd' && s[n + 1] == '\0';
}

int cli_time_or_length(struct cli *c, const char *opt, const char *s,
		       hk_time base, hk_time *out)
{
	char b[40];
	int64_t secs;
	int rc = hktime_parse(s, out, NULL);

	if (rc == HK_EINVAL && !looks_like_date(s)) {
		if (hktime_parse_duration(s, &secs) || secs <= 0)
			return cli_refuse(c, "%s: %s is neither a time nor a length "
					  "(like 2026-11-23T14:00 or 3d)", opt, s);
		*out = base + secs;
		if (is_whole_days(s) && add_local_days(base, secs / 86400, out))
			*out = base + secs;
		return 0;
	}
	if (rc)
		return time_refuse(c, opt, s, rc);
	if (*out <= base) {
		cli_fmt_time(base, 0, b, sizeof b);
		return cli_refuse(c, "%s: %s is not after --from (%s)", opt, s, b);
	}
	return 0;
}

int cli_day(struct cli *c, const char *opt, const char *s, int64_t *day)
{
	hk_time t;

	*day = hktime_day(c->now);
	if (!s || !strcmp(s, "today"))
		return 0;
	if (!strcmp(s, "tomorrow")) {
		*day += 1;
		return 0;
	}
	if (!strcmp(s, "yesterday")) {
		*day -= 1;
		return 0;
	}
	if (cli_time(c, opt, s, &t, NULL))
		return CLI_STOP;
	*day = hktime_day(t);
	return 0;
}

/* --- references and values ----------------------------------------- */

int cli_id(struct cli *c, const char *what, const char *s, hk_id *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end || errno || v <= 0)
		return cli_refuse(c, "%s '%s' is not an id (the number '%s list' shows)",
				  what, s, what);
	*out = (hk_id)v;
	return 0;
}

static int find_refuse(struct cli *c, int rc, const char *what, const char *ref)
{
	const char *msg = store_errmsg(c->st);

	if (msg && *msg)
		return cli_refuse(c, "%s", msg);
	if (rc == HK_ENOTFOUND)
		return cli_refuse(c, "no %s '%s'", what, ref);
	if (rc == HK_EAMBIGUOUS)
		return cli_refuse(c, "%s '%s' is ambiguous: give the id", what, ref);
	return cli_refuse(c, "%s '%s': %s", what, ref, hk_strerror(rc));
}

int cli_person(struct cli *c, const char *ref, hk_id *id)
{
	int rc = store_person_find(c->st, ref, id);

	return rc ? find_refuse(c, rc, "person", ref) : 0;
}

int cli_bed(struct cli *c, const char *ref, hk_id *id)
{
	int rc = store_bed_find(c->st, ref, id);

	return rc ? find_refuse(c, rc, "bed", ref) : 0;
}

int cli_family(struct cli *c, const char *ref, hk_id *id)
{
	int rc = store_family_find(c->st, ref, id);

	return rc ? find_refuse(c, rc, "family", ref) : 0;
}

static const char *const role_names[] = {
	[HK_ROLE_CHILD] = "child",
	[HK_ROLE_CARER] = "carer",
	[HK_ROLE_VISITOR] = "visitor",
	[HK_ROLE_PROFESSIONAL] = "professional",
};

const char *cli_role_name(enum hk_role r)
{
	if ((unsigned)r >= sizeof role_names / sizeof role_names[0])
		return "?";
	return role_names[r];
}

int cli_role(struct cli *c, const char *opt, const char *s, enum hk_role *out)
{
	unsigned i;

	for (i = 0; i < sizeof role_names / sizeof role_names[0]; i++) {
		if (!strcmp(s, role_names[i])) {
			*out = (enum hk_role)i;
			return 0;
		}
	}
	return cli_refuse(c, "%s: %s is not one of child, carer, visitor, professional",
			  opt, s);
}

int cli_text(struct cli *c, const char *opt, char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		return cli_refuse(c, "%s: text is %zu bytes long, at most %zu fit",
				  opt, n, len - 1);
	memcpy(dst, src, n + 1);
	return 0;
}

/* --- text from standard input ---------------------------------------- */

/* Reads all of f into a malloc'd string of less than max bytes. 0;
 * HK_ETOOLONG when there is more; HK_EIO, HK_ENOMEM. */
static int read_all(FILE *f, size_t max, char **out, size_t *len)
{
	size_t n = 0, cap = 4096, got;
	char *buf = malloc(cap), *p;

	if (!buf)
		return HK_ENOMEM;
	for (;;) {
		if (n + 1 == cap) {
			cap *= 2;
			p = realloc(buf, cap);
			if (!p)
				goto err_free;
			buf = p;
		}
		got = fread(buf + n, 1, cap - 1 - n, f);
		n += got;
		if (n >= max || got == 0)
			break;
	}
	if (n >= max || ferror(f)) {
		free(buf);
		return n >= max ? HK_ETOOLONG : HK_EIO;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;

err_free:
	free(buf);
	return HK_ENOMEM;
}

int cli_text_or_stdin(struct cli *c, const char *opt, const char *s, size_t max,
		      const char **out, char **heap)
{
	size_t len;
	int rc;

	*heap = NULL;
	*out = s;
	if (!s || strcmp(s, "-"))
		return 0;
	if (c->stdin_used)
		return cli_usage(c, "%s: standard input was read already; "
				 "only one value can be -", opt);
	c->stdin_used = 1;
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "hubctl: type %s, then Ctrl-D on a line of its own\n", opt);
	/* one byte more: the final newline does not count */
	rc = read_all(stdin, max + 1, heap, &len);
	if (rc == HK_ENOMEM)
		return cli_oom(c);
	if (rc && rc != HK_ETOOLONG)
		return cli_refuse(c, "%s: reading standard input: %s", opt, strerror(errno));
	/* "echo text |" and a typed last line end with a newline the writer
	 * did not mean as part of the text */
	if (!rc && len > 0 && (*heap)[len - 1] == '\n')
		(*heap)[--len] = '\0';
	if (rc || len >= max) {
		free(*heap);
		*heap = NULL;
		return cli_refuse(c, "%s: standard input holds more than the %zu bytes "
				  "that fit", opt, max - 1);
	}
	*out = *heap;
	return 0;
}

/* --- output --------------------------------------------------------- */

void cli_fmt_time(hk_time t, int tsv, char *buf, size_t len)
{
	char hm[16];
	int y, m, d, wd;

	if (!t) {
		snprintf(buf, len, "%s", "");
		return;
	}
	if (tsv) {
		hktime_format_iso(t, buf, len);
		return;
	}
	hktime_civil(hktime_day(t), &y, &m, &d, &wd);
	hktime_format_hm(t, hm, sizeof hm);
	snprintf(buf, len, "%04d-%02d-%02d %s", y, m, d, hm);
}

const char *cli_snap_person(const struct hk_snapshot *s, hk_id id, const char *none)
{
	int i;

	for (i = 0; id && i < s->n_people; i++)
		if (s->people[i].id == id)
			return s->people[i].display;
	return none;
}

const char *cli_snap_bed(const struct hk_snapshot *s, hk_id id)
{
	int i;

	for (i = 0; i < s->n_beds; i++)
		if (s->beds[i].id == id)
			return s->beds[i].name;
	return "?";
}

int cli_snapshot(struct cli *c, hk_time from, hk_time to, struct hk_snapshot **out)
{
	int rc = store_snapshot(c->st, from, to, out);

	return rc ? cli_store_fail(c, rc, "reading the database") : 0;
}

int cli_oom(struct cli *c)
{
	return cli_refuse(c, "out of memory");
}

int cli_print_table(struct cli *c, struct table *t, int tsv, const char *empty)
{
	if (!tsv && table_rows(t) == 0 && empty)
		puts(empty);
	else
		table_print(t, tsv, stdout);
	table_free(t);
	if (fflush(stdout) || ferror(stdout)) {
		cli_refuse(c, "writing the list: %s", strerror(errno));
		return c->status;
	}
	return CLI_OK;
}
