// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "console.h"

#define ESCAPE 0x1d		/* ^] */
#define ESCAPE_COUNT 3
#define ESCAPE_WINDOW_NS 1000000000LL

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Where in buf the session ends: at the third ^] in a row within the
 * window; n if it goes on.
 */
static ssize_t escape_at(const char *buf, ssize_t n)
{
	static int count;
	static int64_t first;

	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] != ESCAPE) {
			count = 0;
			continue;
		}
		if (count == 0 || now_ns() - first > ESCAPE_WINDOW_NS) {
			count = 0;
			first = now_ns();
		}
		if (++count == ESCAPE_COUNT)
			return i;
	}
	return n;
}

static int write_all(int fd, const char *buf, ssize_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno != EINTR)
			return -errno;
		if (w > 0) {
			buf += w;
			n -= w;
		}
	}
	return 0;
}

int console_relay(int fd)
{
	struct pollfd pfd[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = fd, .events = POLLIN },
	};
	bool tty = isatty(STDIN_FILENO);
	struct termios saved, raw;
	char buf[4096];
	int ret = 0;

	if (tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	for (;;) {
		ssize_t n;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (pfd[1].revents) {
			n = read(fd, buf, sizeof(buf));
			if (n <= 0)
				break;	/* devnsd closed it */
			ret = write_all(STDOUT_FILENO, buf, n);
			if (ret < 0)
				break;
		}
		if (pfd[0].revents) {
			ssize_t end;

			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n <= 0)
				break;
			end = escape_at(buf, n);
			ret = write_all(fd, buf, end);
			if (ret < 0 || end < n)
				break;
		}
	}
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	return ret;
}
