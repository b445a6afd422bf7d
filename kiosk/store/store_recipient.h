/*
 * store_recipient.h - the readers what leaves the hub is sealed to: the
 * age public keys (seal.h) registered for one export stick (an export
 * key) or for one backup medium. A stick's readers are typically the
 * liaison worker and the fostering service's team key, so that a lost
 * laptop does not lose the record.
 *
 * Adding and removing are journalled ("recipient.add", "recipient.remove",
 * naming the stick or medium and the key's first letters). A removed
 * reader keeps its row (removed_at): the journal and older exports name
 * it, and exports made after the removal are not sealed to it.
 *
 * Included at the end of store.h; implemented in store_recipient.c.
 */
#ifndef STORE_RECIPIENT_H
#define STORE_RECIPIENT_H

#include "core/hk.h"

struct store;
struct store_actor;

#define STORE_RECIPIENT_MAX 100         /* bytes of a recipient, with its NUL */

/* What a reader is registered for: exactly one of the two is set. */
struct store_reader_of {
	hk_id key_id;                   /* an export stick (export key), or 0 */
	hk_id medium_id;                /* a backup medium, or 0 */
};

struct store_recipient {
	hk_id id;
	struct store_reader_of of;
	char recipient[STORE_RECIPIENT_MAX];
	char label[HK_NAME_MAX];        /* "" or a person's note ("liaison worker") */
	hk_time added_at;
	hk_time removed_at;             /* 0 = a reader now */
};

/* Registers recipient (already checked by the caller with seal.h) as a
 * reader of of. HK_ENOTFOUND when the stick or medium does not exist or
 * is revoked; HK_ECONFLICT when it is a reader already; HK_EINVAL when
 * both or neither of of's ids are set. */
int store_recipient_add(struct store *st, const struct store_actor *a,
			struct store_reader_of of, const char *recipient, const char *label,
			hk_id *id);

/* Ends recipient's being a reader of of. HK_ENOTFOUND when it is not one;
 * HK_ESTATE when it is the last one (a stick or medium never has none:
 * revoke it instead). */
int store_recipient_remove(struct store *st, const struct store_actor *a,
			   struct store_reader_of of, const char *recipient);

/* The current readers of of (removed ones too when all), oldest first.
 * Caller frees *out with free(). */
int store_recipient_list(struct store *st, struct store_reader_of of, int all,
			 struct store_recipient **out, int *n);

#endif
