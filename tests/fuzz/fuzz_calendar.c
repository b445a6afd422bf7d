/*
 * fuzz_calendar.c - libFuzzer target for the calendar importer: any bytes
 * through cal_parse() (the scan, libical, zones, repeat expansion) and,
 * when they parse, the items through cal_export()'s sibling checks. Built
 * and run by tests/fuzz/run; the seed corpus is tests/fuzz/corpus.
 *
 * The window is a fixed two years, as hubctl's default is about one, so an
 * endless repeat is expanded as far as a real import would.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar/calendar.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "Europe/London", 1);
	tzset();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cal_options o = { .from = 1790000000, .to = 1790000000 + 2 * 366 * 86400 };
	struct cal_result r;
	struct cal_error e;

	if (cal_parse((const char *)data, size, &o, &r, &e) == 0) {
		for (int i = 0; i < r.n; i++)
			if (!r.items[i].uid[0] || (r.items[i].until && r.items[i].until <
						   r.items[i].from))
				abort();        /* the store would refuse it: a bug here */
		cal_result_free(&r);
	}
	return 0;
}
