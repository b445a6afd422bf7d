/*
 * fuzz_config.c - libFuzzer target for hubkiosk's configuration file
 * (board/config.c, on inih): any bytes as /etc/hubkiosk/hubkiosk.conf.
 * The file is written to a temporary path because config_load() reads a
 * path, as the board does. Built and run by tests/fuzz/run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz-config-XXXXXX", err[512];
	struct config c;
	int fd = mkstemp(path);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	config_init(&c);
	if (config_load(&c, path, err, sizeof err) != 0 && !err[0])
		abort();                /* a refusal always says why */
	config_free(&c);
	unlink(path);
	return 0;
}
