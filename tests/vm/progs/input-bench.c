// SPDX-License-Identifier: GPL-2.0
/*
 * input-bench: events/s and per-event latency from a uinput device to an
 * evdev reader, for comparing a persona's mirror with the physical node.
 *
 *   input-bench key|button|motion
 *
 * Creates the device "devns bench" sending packets of KEY_A (a keyboard:
 * the VT console binds to it and types), of BTN_0 (only evdev binds to it:
 * the cost of devns alone) or of ABS_X, ABS_Y and ABS_Z (likewise, four
 * events a packet instead of two), each packet ending with SYN_REPORT, and
 * prints "ready NODE" (its own node).  Then, for each line of stdin, a node
 * to measure (the physical node, or a mirror of it), it prints one line of
 * figures, each for a slice of SLICE_MS:
 *   lat_us=L1,L2,...  events_per_s=E1,E2,...
 * until stdin ends.  Latency (LAT_SECONDS): one packet written, time until
 * the reader has its SYN_REPORT; a slice's figure is its median.
 * Throughput (TP_SECONDS): batches of BATCH packets, each read back in full
 * before the next is written.  Keys alternate press and release, axes 1
 * and 0.
 *
 * Why slices: under TCG the same work runs at speeds up to 1.6 apart, for
 * a second or more at a time; a slice is short enough to run at one speed.
 * One process measures both sides, against the same device.
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

#define LAT_SECONDS	0.5
#define TP_SECONDS	1.5
#define SLICE_MS	50
#define BATCH		8	/* packets per write */
#define LAT_MAX		(SLICE_MS * 1000)	/* round trips a slice can hold */

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

#define MAX_CODES	3

/* What the device sends: a packet carries one event of each code. */
static const struct kind {
	const char *name;
	unsigned int type, ncodes, codes[MAX_CODES];
} kinds[] = {
	{ "key", EV_KEY, 1, { KEY_A } },
	{ "button", EV_KEY, 1, { BTN_0 } },
	{ "motion", EV_ABS, 3, { ABS_X, ABS_Y, ABS_Z } },
};
static const struct kind *kind;

static int make_device(void)
{
	struct uinput_setup us = { .id = { .bustype = BUS_VIRTUAL } };
	int fd = open("/dev/uinput", O_RDWR | O_CLOEXEC);

	if (fd < 0 || ioctl(fd, UI_SET_EVBIT, kind->type) < 0)
		die("/dev/uinput");
	for (unsigned int i = 0; i < kind->ncodes; i++) {
		struct uinput_abs_setup abs = {
			.code = kind->codes[i],
			.absinfo = { .minimum = 0, .maximum = 1 },
		};

		if (kind->type == EV_KEY ?
		    ioctl(fd, UI_SET_KEYBIT, kind->codes[i]) < 0 :
		    ioctl(fd, UI_SET_ABSBIT, kind->codes[i]) < 0 ||
		    ioctl(fd, UI_ABS_SETUP, &abs) < 0)
			die("uinput setup");
	}
	strcpy(us.name, "devns bench");
	if (ioctl(fd, UI_DEV_SETUP, &us) < 0 || ioctl(fd, UI_DEV_CREATE) < 0)
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

/* Write @packets packets at once, @value alternating 1 and 0. */
static void send_packets(int ufd, int packets, int *value)
{
	struct input_event ev[(MAX_CODES + 1) * BATCH] = { 0 };
	int n = 0;

	for (int i = 0; i < packets; i++) {
		for (unsigned int c = 0; c < kind->ncodes; c++) {
			ev[n].type = kind->type;
			ev[n].code = kind->codes[c];
			ev[n++].value = *value;
		}
		ev[n++].type = EV_SYN;
		*value = !*value;
	}
	if (write(ufd, ev, n * sizeof(ev[0])) < 0)
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

/* Measure reading @node; prints its result line. */
static void measure(int ufd, const char *node, int *value)
{
	static double lat[LAT_MAX];
	const char *sep = "";
	double start, t0, t, end;
	long events;
	int n, rfd = open(node, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (rfd < 0)
		die(node);
	printf("lat_us=");
	for (start = now_us(); now_us() - start < LAT_SECONDS * 1e6; sep = ",") {
		end = now_us() + SLICE_MS * 1e3;
		for (n = 0; n < LAT_MAX && (t0 = now_us()) < end; n++) {
			send_packets(ufd, 1, value);
			receive_packets(rfd, 1);
			lat[n] = now_us() - t0;
		}
		qsort(lat, n, sizeof(lat[0]), cmp_double);
		printf("%s%.2f", sep, lat[n / 2]);
	}
	/* Leave keys up: held across a switch, a release would be dropped. */
	if (!*value) {
		send_packets(ufd, 1, value);
		receive_packets(rfd, 1);
	}
	printf(" events_per_s=");
	sep = "";
	for (start = now_us(); now_us() - start < TP_SECONDS * 1e6; sep = ",") {
		t0 = now_us();
		events = 0;
		do {
			send_packets(ufd, BATCH, value);
			events += receive_packets(rfd, BATCH);
		} while ((t = now_us()) - t0 < SLICE_MS * 1e3);
		printf("%s%.0f", sep, events / ((t - t0) / 1e6));
	}
	printf("\n");
	fflush(stdout);
	close(rfd);
}

int main(int argc, char **argv)
{
	char line[256];
	int ufd, value = 1;

	for (size_t i = 0; argc == 2 && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(argv[1], kinds[i].name))
			kind = &kinds[i];
	if (!kind) {
		fprintf(stderr, "usage: input-bench key|button|motion\n");
		return 2;
	}
	ufd = make_device();
	print_node(ufd);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = 0;
		measure(ufd, line, &value);
	}
	return 0;
}
