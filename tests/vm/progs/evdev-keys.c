// SPDX-License-Identifier: GPL-2.0
/*
 * evdev-keys: print the key events an input device delivers.
 *
 * Opens the /dev/input/event* node whose device name is NAME, prints
 * "ready PATH" once it listens, then one "key CODE VALUE" line per EV_KEY
 * event until COUNT of them arrived (exit 0) or TIMEOUT_MS passed without
 * enough (exit 1). Start it in the background, wait for "ready", then make
 * the keys happen.
 *
 * Usage: evdev-keys NAME COUNT TIMEOUT_MS
 */
#include <dirent.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static int open_by_name(const char *want, char *path, size_t size)
{
	DIR *dir = opendir("/dev/input");
	struct dirent *d;
	int fd = -1;

	if (!dir) {
		perror("/dev/input");
		return -1;
	}
	while ((d = readdir(dir)) && fd < 0) {
		char name[256] = "";

		if (strncmp(d->d_name, "event", 5))
			continue;
		snprintf(path, size, "/dev/input/%s", d->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (ioctl(fd, EVIOCGNAME(sizeof(name) - 1), name) < 0 ||
		    strcmp(name, want)) {
			close(fd);
			fd = -1;
		}
	}
	closedir(dir);
	return fd;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	char path[300];
	long count, deadline;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: evdev-keys NAME COUNT TIMEOUT_MS\n");
		return 2;
	}
	count = atol(argv[2]);
	deadline = now_ms() + atol(argv[3]);
	fd = open_by_name(argv[1], path, sizeof(path));
	if (fd < 0) {
		fprintf(stderr, "evdev-keys: no input device named '%s'\n",
			argv[1]);
		return 1;
	}
	printf("ready %s\n", path);
	fflush(stdout);

	while (count > 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct input_event ev[64];
		long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, left) <= 0) {
			fprintf(stderr, "evdev-keys: %ld key events missing\n",
				count);
			return 1;
		}
		n = read(fd, ev, sizeof(ev));
		if (n < 0) {
			perror(path);
			return 1;
		}
		for (size_t i = 0; i < n / sizeof(ev[0]) && count > 0; i++) {
			if (ev[i].type != EV_KEY)
				continue;
			printf("key %u %d\n", ev[i].code, ev[i].value);
			count--;
		}
		fflush(stdout);
	}
	return 0;
}
