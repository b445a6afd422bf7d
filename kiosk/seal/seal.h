/*
 * seal.h - what leaves the hub is sealed to its readers' public keys in
 * age's format (C2SP age spec), by Debian's age program: no cryptography
 * is written here. The hub only ever encrypts (it holds no secret key);
 * unseal is for `hubctl restore` and tests, given a reader's key file.
 *
 * A recipient is an age X25519 public key, "age1" and 58 more letters of
 * bech32 ("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p").
 * Those are the keys the opener page (assets/opener) can also open with,
 * so no other kind is taken. A file of recipients has one a line; blank
 * lines and '#' comments are skipped (age-keygen's own output, or its
 * public line alone, reads as one recipient).
 *
 * Sealing streams: seal_open() starts age with every recipient, whatever
 * is given to seal_write() is encrypted, and what age writes is handed to
 * the sink as it comes (so neither side waits on a full pipe and a large
 * export is never held whole). The caller decides where the sealed bytes
 * go (export_io on a stick, a backup medium), and keeps its own "temporary
 * name, fsync, rename" rule there.
 */
#ifndef SEAL_H
#define SEAL_H

#include <stddef.h>
#include "core/hk.h"

#define SEAL_AGE_PROGRAM "/usr/bin/age"
#define SEAL_RECIPIENT_LEN 62           /* "age1" + 58 bech32 letters */
#define SEAL_RECIPIENT_MAX 16           /* readers of one export or medium */
#define SEAL_SUFFIX ".age"

struct seal;

/* Where sealed bytes go. 0 to go on; non-zero stops sealing (seal_write
 * and seal_close then fail with that value). */
typedef int (*seal_sink)(void *ctx, const void *p, size_t n);

/* 1 when r is an age X25519 recipient as above (syntax only: age itself
 * checks the checksum when sealing, see seal_recipient_check()). */
int seal_recipient_valid(const char *r);

/* Checks r fully by sealing nothing to it with age. 0 good; HK_EINVAL
 * with err naming what is wrong ("'age1xyz' is not an age public key:
 * ..."); HK_EUNSUPPORTED when age is not installed. */
int seal_recipient_check(const char *r, char *err, size_t errlen);

/* Parses text (len bytes, not necessarily NUL-terminated: a file anyone
 * could have written) as recipients, one a line, calling each() with
 * each one (NUL-terminated, borrowed for the call) in order. A line that
 * is not a recipient is HK_EINVAL with err naming its number and why;
 * nothing after it is reported. HK_ENOTFOUND when there is none at all.
 * each() returning non-zero stops with that value. Pure: fuzzed. */
int seal_recipients_parse(const char *text, size_t len,
			  int (*each)(void *ctx, const char *recipient), void *ctx,
			  char *err, size_t errlen);

/* The recipients a command-line argument names: the key itself
 * ("age1..."), or a file of them as above (at most 64 KiB). Each goes
 * to each() as in seal_recipients_parse(); err names the file and line. */
int seal_recipients_from_arg(const char *arg, int (*each)(void *ctx, const char *recipient),
			     void *ctx, char *err, size_t errlen);

/* Starts sealing to the n recipients (1..SEAL_RECIPIENT_MAX). Caller ends
 * with seal_close() or seal_abort(). HK_EINVAL (no recipients, or one not
 * valid), HK_EUNSUPPORTED (age missing), HK_EIO (could not start it). */
int seal_open(const char *const *recipients, int n, seal_sink sink, void *ctx,
	      struct seal **out, char *err, size_t errlen);
/* Encrypts n more bytes. HK_EIO when age failed, or the sink's value. */
int seal_write(struct seal *s, const void *p, size_t n);
/* Ends the input, hands the rest to the sink, waits for age. 0 only when
 * age exited cleanly and the sink took every byte. Frees s whatever the
 * outcome; err gets one line. */
int seal_close(struct seal *s, char *err, size_t errlen);
/* Stops age and frees s; accepts NULL. */
void seal_abort(struct seal *s);

/* Opens the sealed file at path with the age identity file key_path (a
 * reader's secret key, as age-keygen writes it), handing the plaintext
 * to sink as it comes. 0 done; HK_EINVAL when the key is not one of the
 * file's readers or not a key file at all; HK_ECORRUPT when the file is
 * damaged, cut short or not a sealed file (age checks every chunk: a
 * sink may get some bytes before a damaged chunk is found, so a caller
 * keeps what it got only on 0); HK_ENOTFOUND / HK_EIO for the files;
 * HK_EUNSUPPORTED without age. err gets one line for a person. */
int unseal_file(const char *path, const char *key_path, seal_sink sink, void *ctx,
		char *err, size_t errlen);

#endif
