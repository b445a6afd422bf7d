/*
 * fuzz_time.c - libFuzzer target for what a person types as a time or a
 * length on the command line or the companion's forms: hktime_parse()
 * and hktime_parse_duration() on any bytes. A time that parses must
 * format and parse back to itself, as hubctl relies on when it prints
 * what it recorded. Built and run by tests/fuzz/run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/hktime.h"

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
	char s[128], iso[64];
	hk_time t, back;
	int64_t secs;
	int date_only;

	if (size >= sizeof s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (hktime_parse(s, &t, &date_only) == 0) {
		hktime_format_iso(t, iso, sizeof iso);
		if (hktime_parse(iso, &back, NULL) != 0 || back != t)
			abort();        /* what hubctl prints must read back as the same instant */
	}
	if (hktime_parse_duration(s, &secs) == 0 && secs < 0)
		abort();                /* a length is never negative */
	return 0;
}
