/*
 * readers.h - the readers named on a command line ("--to RECIPIENT...",
 * "--add R"): each an age public key or a file of them, one a line,
 * checked by age itself before anything is registered, each kept once.
 * For export-key and backup-medium alike.
 */
#ifndef READERS_H
#define READERS_H

#include "admin/cli.h"
#include "seal/seal.h"

struct readers {
	char key[SEAL_RECIPIENT_MAX][SEAL_RECIPIENT_LEN + 1];
	const char *list[SEAL_RECIPIENT_MAX];   /* key[i], for seal_open() and the store */
	int n;
};

/* Adds what arg names to r. On failure refuses through c (a message
 * naming the argument, the file's line or age's reason) and returns its
 * status; 0 otherwise. */
int readers_add(struct cli *c, struct readers *r, const char *arg);

/*
 * The command line of "NOUN create DIR --to RECIPIENT... [--label TEXT]"
 * (export-key, backup-medium): --to given at least once, and what follows
 * DIR are readers too ("--to R1 R2" and "--to R1 --to R2" alike). *dir
 * and *label (default "") point into argv. On failure refuses or prints
 * the usage through c (what names the thing sealed: "an export", "a
 * backup") and returns its status; 0 otherwise. Opens nothing.
 */
int readers_create_args(struct cli *c, int argc, char **argv, const char *what,
			struct readers *r, const char **dir, const char **label);

#endif
