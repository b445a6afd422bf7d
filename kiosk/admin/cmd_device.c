/*
 * cmd_device.c - hubctl device pair | list | revoke: the carer's phones
 * and tablets (the companion, hubweb).
 *
 * Pairing starts here, on the console, because whoever types it is in the
 * room: it opens a one-time code for two minutes and prints the link to
 * open on the phone - as a QR code drawn in the terminal (libqrencode),
 * the code in letters for typing, and the fingerprint of hubweb's
 * certificate, so the carer can tell the phone reached this hub and no
 * other. The code travels in the link's fragment (#code=), which browsers
 * never send to a server or a proxy log. The board shows the same while
 * the code is open.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <qrencode.h>

#include "admin/cmd.h"
#include "core/pairing.h"
#include "admin/table.h"

#define DEVICE_STATE_DIR "/var/lib/hubweb"

/* "AB:CD:..." of the SHA-256 of the server certificate's DER, or "" when
 * hubweb has not made one yet (it does at its first start). */
static void cert_fingerprint(const char *state, char *out, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	char path[4096];
	X509 *x = NULL;
	FILE *f;

	out[0] = '\0';
	snprintf(path, sizeof path, "%s/server.crt", state);
	f = fopen(path, "r");
	if (!f)
		return;
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (x && X509_digest(x, EVP_sha256(), md, &n) == 1)
		for (i = 0; i < n && 3 * i + 3 <= len; i++)
			snprintf(out + 3 * i, len - 3 * i, "%02X%s", md[i], i + 1 < n ? ":" : "");
	X509_free(x);
}

/* The QR code in half blocks, two rows of modules per line, light modules
 * drawn (the Pi's console is light on dark), with the quiet zone the
 * standard asks for so a phone's camera finds it. */
static void print_qr(const char *text)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	const int quiet = 2;
	int x, y, w;

	if (!q)
		return;
	w = q->width;
	for (y = -quiet; y < w + quiet; y += 2) {
		fputs("  ", stdout);
		for (x = -quiet; x < w + quiet; x++) {
			int top = y >= 0 && y < w && x >= 0 && x < w && (q->data[y * w + x] & 1);
			int bot = y + 1 >= 0 && y + 1 < w && x >= 0 && x < w &&
				  (q->data[(y + 1) * w + x] & 1);

			fputs(!top && !bot ? "█" : !top ? "▀" : !bot ? "▄" : " ", stdout);
		}
		fputc('\n', stdout);
	}
	QRcode_free(q);
}

static int device_pair(struct cli *c, int argc, char **argv)
{
	struct store_pairing p;
	const char *name = NULL, *state = NULL, *base = NULL;
	const struct cli_value vals[] = {
		{ "name", &name, NULL },
		{ "state", &state, NULL },
		{ "url", &base, NULL },
		{ NULL, NULL, NULL }
	};
	char host[256], url[512], fp[128], until[40];
	int rc;

	if (cli_options(c, argc, argv, vals, "") || cli_open(c))
		return CLI_STOP;
	rc = store_pairing_start(c->st, &c->actor, name ? name : "", &p);
	if (rc)
		return cli_store_fail(c, rc, "pairing");
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "hub");
	host[sizeof host - 1] = '\0';
	if (pairing_link(base, host, p.code, url, sizeof url))
		return cli_refuse(c, "--url '%.200s' is too long for a pairing link", base);
	cert_fingerprint(state ? state : DEVICE_STATE_DIR, fp, sizeof fp);
	cli_fmt_time(p.expires, 0, until, sizeof until);
	printf("Pairing is open until %s (two minutes), for one device%s%s%s.\n", until,
	       p.name[0] ? " named '" : "", p.name, p.name[0] ? "'" : "");
	printf("On the phone, scan the code or open:\n  %s\n", url);
	printf("or open the hub's address and type the code: %.4s %.4s %s\n", p.code,
	       p.code + 4, p.code + 8);
	if (fp[0])
		printf("The phone must show this certificate fingerprint (SHA-256):\n  %s\n", fp);
	else
		printf("(hubweb has not made its certificate yet: start hubweb first to see"
		       " its fingerprint)\n");
	print_qr(url);
	return CLI_OK;
}

static int device_row(struct table *t, const struct store_device *d, int tsv)
{
	char id[24], paired[40], used[40], revoked[40];
	const char *row[7];

	snprintf(id, sizeof id, "%" PRId64, d->id);
	cli_fmt_time(d->paired, tsv, paired, sizeof paired);
	cli_fmt_time(d->last_used, tsv, used, sizeof used);
	cli_fmt_time(d->revoked, tsv, revoked, sizeof revoked);
	row[0] = id;
	row[1] = d->name;
	row[2] = d->revoked ? "signed out" : "paired";
	row[3] = paired;
	row[4] = used;
	row[5] = d->last_addr;
	row[6] = revoked;
	return table_add(t, row);
}

static int device_list(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = {
		"id", "name", "status", "paired", "last_used", "last_address", "signed_out"
	};
	struct store_device *devs = NULL;
	struct table *t = NULL;
	int tsv = 0, n = 0, i, rc;
	const struct cli_value vals[] = {
		{ "tsv", NULL, &tsv },
		{ NULL, NULL, NULL }
	};

	if (cli_options(c, argc, argv, vals, "") || cli_open(c))
		return CLI_STOP;
	rc = store_device_list(c->st, &devs, &n);
	if (rc)
		return cli_store_fail(c, rc, "devices");
	if (table_new(head, 7, &t))
		goto err_oom;
	for (i = 0; i < n; i++)
		if (device_row(t, &devs[i], tsv))
			goto err_oom;
	free(devs);
	return cli_print_table(c, t, tsv, "no devices: pair one with 'hubctl device pair'");

err_oom:
	table_free(t);
	free(devs);
	return cli_oom(c);
}

static int device_revoke(struct cli *c, int argc, char **argv)
{
	struct store_device d;
	hk_id id;
	int rc;

	if (cli_options(c, argc, argv, (const struct cli_value[]){ { NULL, NULL, NULL } }, "ID") ||
	    cli_id(c, "device", argv[optind], &id) || cli_open(c))
		return CLI_STOP;
	rc = store_device_revoke(c->st, &c->actor, id);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	if (store_device_get(c->st, id, &d))
		snprintf(d.name, sizeof d.name, "device %" PRId64, id);
	printf("device %" PRId64 " '%s' signed out: it can no longer reach the hub\n", id,
	       d.name);
	return CLI_OK;
}

const struct cli_cmd cmd_device[] = {
	{ "device", "pair", "[--name NAME] [--state DIR] [--url BASE]",
	  "Opens pairing of a phone or tablet for two minutes (prints a QR code).",
	  "Whoever types this is in the room: that is what pairing trusts. The code\n"
	  "works once, for two minutes; a new one replaces it.\n"
	  "  --name NAME   the device's name (\"Sam's phone\"); else the phone names itself\n"
	  "  --state DIR   hubweb's state directory, for the certificate fingerprint\n"
	  "                (default " DEVICE_STATE_DIR ")\n"
	  "  --url BASE    the address phones reach hubweb at (default\n"
	  "                https://HOSTNAME.local:" PAIRING_PORT ")\n",
	  device_pair },
	{ "device", "list", "[--tsv]", "Lists the paired devices and their last use.",
	  "  --tsv         tab-separated: id name status paired last_used last_address\n"
	  "                signed_out\n",
	  device_list },
	{ "device", "revoke", "ID", "Signs a device out at once.",
	  "Its next request is refused; it must be paired again to come back.\n",
	  device_revoke },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
