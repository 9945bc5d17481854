// SPDX-License-Identifier: GPL-2.0
/*
 * input-bench: events/s and per-event latency from a uinput keyboard to an
 * evdev reader, for comparing a persona's mirror with the physical node.
 *
 *   input-bench key|button
 *
 * Creates the device "devns bench kbd" sending KEY_A (a keyboard: the VT
 * console binds to it and types) or BTN_0 (only evdev binds to it: the
 * cost of devns alone), prints "ready NODE" (its own node), then reads
 * the node to measure from stdin (the physical node, or a mirror of it)
 * and prints one line:
 *   events_per_s=N lat_median_us=N lat_p99_us=N
 * Latency: one key event + SYN_REPORT written, time until the reader has the
 * SYN_REPORT.  Throughput: for TP_SECONDS, batches of 8 such packets, each
 * read back in full before the next is written.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/uinput.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define LAT_ROUNDS	2000
#define TP_SECONDS	1.5	/* of throughput: long enough to even out TCG's pace */
#define BATCH		8	/* packets per write */

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void die(const char *what)
{
	fprintf(stderr, "input-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int code;

static int make_keyboard(void)
{
	struct uinput_setup us = { .id = { .bustype = BUS_VIRTUAL } };
	int fd = open("/dev/uinput", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("/dev/uinput");
	strcpy(us.name, "devns bench kbd");
	if (ioctl(fd, UI_SET_EVBIT, EV_KEY) < 0 ||
	    ioctl(fd, UI_SET_KEYBIT, code) < 0 ||
	    ioctl(fd, UI_DEV_SETUP, &us) < 0 || ioctl(fd, UI_DEV_CREATE) < 0)
		die("uinput setup");
	return fd;
}

static void print_node(int ufd)
{
	char sysname[64], path[128];

	if (ioctl(ufd, UI_GET_SYSNAME(sizeof(sysname)), sysname) < 0)
		die("UI_GET_SYSNAME");
	snprintf(path, sizeof(path), "/sys/devices/virtual/input/%s", sysname);
	for (int tries = 0; tries < 500; tries++) {
		DIR *dir = opendir(path);
		struct dirent *d;

		while (dir && (d = readdir(dir)))
			if (!strncmp(d->d_name, "event", 5)) {
				printf("ready /dev/input/%s\n", d->d_name);
				fflush(stdout);
				closedir(dir);
				return;
			}
		if (dir)
			closedir(dir);
		usleep(10000);
	}
	errno = ENOENT;
	die(path);
}

/* Write @packets key packets (alternating press and release) at once. */
static void send_packets(int ufd, int packets, int *value)
{
	struct input_event ev[2 * BATCH] = { 0 };

	for (int i = 0; i < packets; i++) {
		ev[2 * i].type = EV_KEY;
		ev[2 * i].code = code;
		ev[2 * i].value = *value;
		ev[2 * i + 1].type = EV_SYN;
		*value = !*value;
	}
	if (write(ufd, ev, 2 * packets * sizeof(ev[0])) < 0)
		die("write");
}

/* Read until @packets SYN_REPORTs came; returns the events read. */
static long receive_packets(int rfd, int packets)
{
	struct pollfd p = { .fd = rfd, .events = POLLIN };
	struct input_event ev[64];
	long events = 0;

	while (packets > 0) {
		ssize_t n;

		if (poll(&p, 1, 5000) <= 0) {
			fprintf(stderr, "input-bench: no events for 5 s\n");
			exit(1);
		}
		n = read(rfd, ev, sizeof(ev));
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n <= 0)
			die("read");
		for (size_t i = 0; i < n / sizeof(ev[0]); i++) {
			events++;
			if (ev[i].type == EV_SYN && ev[i].code == SYN_REPORT)
				packets--;
			if (ev[i].type == EV_SYN && ev[i].code == SYN_DROPPED) {
				fprintf(stderr, "input-bench: reader dropped events\n");
				exit(1);
			}
		}
	}
	return events;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static double lat[LAT_ROUNDS];
	char line[256];
	int ufd, rfd, value = 1;
	long events = 0;
	double t0, t;

	if (argc != 2 || (strcmp(argv[1], "key") && strcmp(argv[1], "button"))) {
		fprintf(stderr, "usage: input-bench key|button\n");
		return 2;
	}
	code = strcmp(argv[1], "key") ? BTN_0 : KEY_A;
	ufd = make_keyboard();
	print_node(ufd);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	line[strcspn(line, "\n")] = 0;
	rfd = open(line, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (rfd < 0)
		die(line);

	for (int i = 0; i < LAT_ROUNDS; i++) {
		t0 = now_us();
		send_packets(ufd, 1, &value);
		receive_packets(rfd, 1);
		lat[i] = now_us() - t0;
	}
	qsort(lat, LAT_ROUNDS, sizeof(lat[0]), cmp_double);

	t0 = now_us();
	do {
		send_packets(ufd, BATCH, &value);
		events += receive_packets(rfd, BATCH);
	} while ((t = now_us() - t0) < TP_SECONDS * 1e6);
	printf("events_per_s=%.0f lat_median_us=%.1f lat_p99_us=%.1f\n",
	       events / (t / 1e6), lat[LAT_ROUNDS / 2],
	       lat[LAT_ROUNDS * 99 / 100]);
	return 0;
}
