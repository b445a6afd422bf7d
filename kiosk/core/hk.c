/*
 * hk.c - the few functions behind hk.h: error phrases and freeing or
 * searching a snapshot. No I/O.
 */
#include <stdlib.h>

#include "core/hk.h"

const char *hk_strerror(int err)
{
	switch (err) {
	case HK_OK:             return "success";
	case HK_ENOMEM:         return "out of memory";
	case HK_EINVAL:         return "invalid value";
	case HK_ENOTFOUND:      return "not found";
	case HK_EAMBIGUOUS:     return "the name matches more than one";
	case HK_ECONFLICT:      return "conflicts with the record";
	case HK_ESTATE:         return "not allowed in its present state";
	case HK_ETOOLONG:       return "text too long";
	case HK_EIO:            return "the disk or database failed";
	case HK_EBUSY:          return "the database is locked by another program";
	case HK_ECORRUPT:       return "the database is damaged or from a newer hubkiosk";
	case HK_ENOTIME:        return "that local time does not exist (the clocks change)";
	case HK_EUNSUPPORTED:   return "not supported here";
	case HK_EDUPLICATE:     return "already saved";
	case HK_ENOSPACE:       return "the data partition is full";
	default:                return "unknown error";
	}
}

void hk_snapshot_free(struct hk_snapshot *s)
{
	if (!s)
		return;
	free(s->people);
	free(s->beds);
	free(s->stays);
	free(s->cares);
	free(s->families);
	free(s->visits);
	free(s->contacts);
	free(s->events);
	free(s);
}

/* People are few (tens, a few hundred after years), so a scan is enough
 * and needs no promise about their order. */
const struct hk_person *hk_snapshot_person(const struct hk_snapshot *s, hk_id id)
{
	int i;

	if (!s || !id)
		return NULL;
	for (i = 0; i < s->n_people; i++)
		if (s->people[i].id == id)
			return &s->people[i];
	return NULL;
}

const struct hk_family *hk_snapshot_family(const struct hk_snapshot *s, hk_id id)
{
	int i;

	if (!s || !id)
		return NULL;
	for (i = 0; i < s->n_families; i++)
		if (s->families[i].id == id)
			return &s->families[i];
	return NULL;
}
