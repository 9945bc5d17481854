/*
 * switch-bench: how long a switch takes, seen from userspace.
 *
 *   switch-bench vt N          VT_ACTIVATE + VT_WAITACTIVE, alternating
 *                              tty1 and tty2, N times (the baseline: what
 *                              switching virtual terminals costs)
 *   switch-bench devns N ID...  a devns switch request over netlink, going
 *                              round the given devns ids, N times
 *
 * Prints "median_ms=M p99_ms=P n=N".  Run as root.
 */
#include <fcntl.h>
#include <linux/vt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "libdevns.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(double *t, int n)
{
	qsort(t, n, sizeof(*t), cmp_double);
	printf("median_ms=%.3f p99_ms=%.3f n=%d\n", t[n / 2], t[n * 99 / 100], n);
}

static int bench_vt(double *t, int n)
{
	int fd = open("/dev/tty0", O_RDWR);

	if (fd < 0) {
		perror("/dev/tty0");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		int vt = 1 + (i + 1) % 2;
		double start = now_ms();

		if (ioctl(fd, VT_ACTIVATE, vt) || ioctl(fd, VT_WAITACTIVE, vt)) {
			perror("VT_ACTIVATE");
			return 1;
		}
		t[i] = now_ms() - start;
	}
	ioctl(fd, VT_ACTIVATE, 1);
	ioctl(fd, VT_WAITACTIVE, 1);
	return 0;
}

static int bench_devns(double *t, int n, char **ids, int nids)
{
	struct devns_nl *nl;
	int err = devns_nl_open(&nl);

	if (err) {
		fprintf(stderr, "switch-bench: netlink: %s\n", strerror(-err));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		double start = now_ms();

		err = devns_nl_switch(nl, strtoul(ids[i % nids], NULL, 10));
		if (err) {
			fprintf(stderr, "switch-bench: switch: %s: %s\n",
				strerror(-err), devns_nl_errmsg(nl));
			return 1;
		}
		t[i] = now_ms() - start;
	}
	devns_nl_switch(nl, DEVNS_ROOT_ID);
	devns_nl_close(nl);
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 0, err;
	double *t;

	if (n < 1 || !(t = calloc(n, sizeof(*t))))
		goto usage;
	if (!strcmp(argv[1], "vt") && argc == 3)
		err = bench_vt(t, n);
	else if (!strcmp(argv[1], "devns") && argc > 3)
		err = bench_devns(t, n, argv + 3, argc - 3);
	else
		goto usage;
	if (!err)
		report(t, n);
	return err;
usage:
	fprintf(stderr, "usage: switch-bench vt N | switch-bench devns N ID...\n");
	return 2;
}
