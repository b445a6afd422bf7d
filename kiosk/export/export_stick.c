/*
 * export_stick.c - what goes on the stick beside the sealed export: a
 * README.txt for whoever holds the stick (the liaison worker, or a
 * stranger who found it) and open.html, the page that opens the export
 * in a browser with the reader's key, offline, with nothing installed.
 *
 * Neither says anything about the hub or the people in its record: the
 * README is the same text on every stick, and the page is the same file
 * everywhere it is installed. Both are written whole or not at all
 * (export_io.h) and replace the copies an earlier export left.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/export_int.h"

static const char readme[] =
	"This USB stick belongs to a fostering service.\r\n"
	"\r\n"
	"It holds records exported from a hub home's kiosk (hubkiosk). They are\r\n"
	"sealed: each file ending in .age opens only with the secret key of one of\r\n"
	"its readers (the liaison social worker, the fostering service's team).\r\n"
	"Without such a key nothing in them can be read - not a name, not a number.\r\n"
	"\r\n"
	"IF YOU FOUND THIS STICK: please hand it to the fostering service or the\r\n"
	"local authority's children's services. The files cannot be read, and\r\n"
	"there is nothing you need to do with them.\r\n"
	"\r\n"
	"TO OPEN AN EXPORT (liaison worker)\r\n"
	"\r\n"
	"  1. Open open.html from this stick in Chrome, Edge or Firefox. It works\r\n"
	"     offline and sends nothing anywhere.\r\n"
	"  2. Under \"Your key\" choose your key file (the one the page or age-keygen\r\n"
	"     made for you; keep it on your own computer, never on this stick).\r\n"
	"  3. Under \"The export\" choose the newest hubkiosk_export_....age file.\r\n"
	"  4. The page checks every file against the export's manifest, shows the\r\n"
	"     report, and offers each file (CSV, calendar, report) for saving.\r\n"
	"\r\n"
	"  On a computer with age (https://age-encryption.org), the same by hand:\r\n"
	"\r\n"
	"     age --decrypt --identity my-key.txt -o export.zip hubkiosk_export_....age\r\n"
	"\r\n"
	"  then unzip export.zip; manifest.txt in the folder lists each file's\r\n"
	"  SHA-256 (sha256sum -c manifest.txt checks them), and on the hub\r\n"
	"  'hubctl verify --export FOLDER' checks it against the journal.\r\n"
	"\r\n"
	"NO KEY YET? open.html can make one (\"I have no key yet\"): keep the secret\r\n"
	"file safe, and give the public key (age1...) to the hub carer, who adds it\r\n"
	"with: hubctl export-key recipients STICK-ID --add age1...\r\n"
	"\r\n"
	"IF THIS STICK IS LOST: tell the hub carer, who stops it at once with\r\n"
	"'hubctl export-key revoke ID' (nothing more is written to it), and your\r\n"
	"service's information governance lead. What is on it stays unreadable to\r\n"
	"a finder as long as every reader's secret key is safe.\r\n"
	"\r\n"
	"IF A READER'S KEY IS LOST OR A READER LEAVES: remove it from every stick\r\n"
	"('hubctl export-key recipients ID --remove age1...'), add the new reader,\r\n"
	"and treat the exports sealed to the lost key as readable by whoever has it.\r\n";

static int put_readme(struct export_ctx *x)
{
	unsigned char sha[STORE_HASH_LEN];
	struct export_file *f;
	int rc = export_file_open(x->stick, EXPORT_README, &f);

	if (rc)
		return rc;
	if ((rc = export_file_write(f, readme, sizeof readme - 1))) {
		export_file_abort(f);
		return rc;
	}
	return export_file_commit(f, sha);
}

static const char *opener_path(void)
{
	const char *p = getenv("HUBKIOSK_OPENER");

	return p && *p ? p : EXPORT_OPENER_PATH;
}

/* Copies the installed page; 1 when it is not installed (not an error). */
static int put_opener(struct export_ctx *x)
{
	unsigned char sha[STORE_HASH_LEN], buf[65536];
	struct export_file *f;
	int fd = open(opener_path(), O_RDONLY | O_CLOEXEC), rc;
	ssize_t n;

	if (fd < 0)
		return 1;
	if ((rc = export_file_open(x->stick, EXPORT_OPENER, &f))) {
		close(fd);
		return rc;
	}
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if ((rc = export_file_write(f, buf, (size_t)n)))
			break;
	if (!rc && n < 0) {
		snprintf(x->err, sizeof x->err, "cannot read the opener page %s: %s",
			 opener_path(), strerror(errno));
		rc = HK_EIO;
	}
	close(fd);
	if (rc) {
		export_file_abort(f);
		return rc;
	}
	return export_file_commit(f, sha);
}

int export_stick_extras(struct export_ctx *x, int *opener)
{
	int rc = put_readme(x);

	*opener = 0;
	if (!rc && (rc = put_opener(x)) == 0)
		*opener = 1;
	else if (rc == 1)
		rc = 0;
	if (rc && !x->err[0])
		snprintf(x->err, sizeof x->err, "%s", export_dir_error(x->stick));
	return rc;
}
