// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Clocks as a process sees them (its time namespace's offsets apply).
 *
 *   time-probe clocks   prints "monotonic S boottime S" (whole seconds)
 *   time-probe alarm    a timerfd on CLOCK_BOOTTIME_ALARM, armed for one
 *                       second from now in absolute time (the kernel turns
 *                       it into the host's): prints "fired after MS ms",
 *                       or why not (30 s at most)
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/timerfd.h>

static long long ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int alarm_fires(void)
{
	struct itimerspec its = { 0 };
	struct pollfd pfd = { .events = POLLIN };
	long long start;
	uint64_t ticks;

	pfd.fd = timerfd_create(CLOCK_BOOTTIME_ALARM, TFD_CLOEXEC);
	if (pfd.fd < 0) {
		printf("timerfd_create: %s\n", strerror(errno));
		return 1;
	}
	start = ms(CLOCK_MONOTONIC);
	clock_gettime(CLOCK_BOOTTIME, &its.it_value);
	its.it_value.tv_sec += 1;
	if (timerfd_settime(pfd.fd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
		printf("timerfd_settime: %s\n", strerror(errno));
		return 1;
	}
	if (poll(&pfd, 1, 30000) != 1 || read(pfd.fd, &ticks, 8) != 8) {
		printf("did not fire within 30 s\n");
		return 1;
	}
	printf("fired after %lld ms\n", ms(CLOCK_MONOTONIC) - start);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "clocks") == 0) {
		printf("monotonic %lld boottime %lld\n",
		       ms(CLOCK_MONOTONIC) / 1000, ms(CLOCK_BOOTTIME) / 1000);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "alarm") == 0)
		return alarm_fires();
	fprintf(stderr, "usage: time-probe clocks | alarm\n");
	return 2;
}
