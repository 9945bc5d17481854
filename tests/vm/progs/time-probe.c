// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Clocks as a process sees them (its time namespace's offsets apply).
 *
 *   time-probe clocks   prints "monotonic S boottime S" (whole seconds)
 * (Alarm timers: alarm-probe.)
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

static long long ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "clocks") == 0) {
		printf("monotonic %lld boottime %lld\n",
		       ms(CLOCK_MONOTONIC) / 1000, ms(CLOCK_BOOTTIME) / 1000);
		return 0;
	}
	fprintf(stderr, "usage: time-probe clocks\n");
	return 2;
}
