// SPDX-License-Identifier: GPL-2.0
/*
 * uinput-leds: a uinput keyboard with LEDs, reporting what is done to them.
 *
 * Creates an input device named NAME with a few keys and the num, caps and
 * scroll lock LEDs (input-leds then gives it LED class devices
 * /sys/class/leds/inputN::numlock etc.), prints "ready inputN", then one
 * "led CODE VALUE MS" line per EV_LED event the kernel sends the device (MS:
 * milliseconds since "ready"): that is what reached the "hardware".
 * SIGTERM or SIGINT destroys the device and exits 0.
 *
 * Usage: uinput-leds NAME
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/uinput.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int create(const char *name)
{
	static const int keys[] = { KEY_A, KEY_CAPSLOCK, KEY_NUMLOCK };
	static const int leds[] = { LED_NUML, LED_CAPSL, LED_SCROLLL };
	struct uinput_setup setup = {
		.id = { .bustype = BUS_VIRTUAL, .vendor = 0xde, .product = 0x1ed },
	};
	unsigned int i;
	int fd;

	fd = open("/dev/uinput", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("/dev/uinput");
		return -1;
	}
	snprintf(setup.name, sizeof(setup.name), "%s", name);
	if (ioctl(fd, UI_SET_EVBIT, EV_KEY) < 0 ||
	    ioctl(fd, UI_SET_EVBIT, EV_LED) < 0)
		goto fail;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (ioctl(fd, UI_SET_KEYBIT, keys[i]) < 0)
			goto fail;
	for (i = 0; i < sizeof(leds) / sizeof(leds[0]); i++)
		if (ioctl(fd, UI_SET_LEDBIT, leds[i]) < 0)
			goto fail;
	if (ioctl(fd, UI_DEV_SETUP, &setup) < 0 ||
	    ioctl(fd, UI_DEV_CREATE) < 0)
		goto fail;
	return fd;
fail:
	perror("uinput-leds: uinput");
	close(fd);
	return -1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct input_event ev;
	char sysname[64];
	long start;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: uinput-leds NAME\n");
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fd = create(argv[1]);
	if (fd < 0)
		return 1;
	if (ioctl(fd, UI_GET_SYSNAME(sizeof(sysname)), sysname) < 0) {
		perror("uinput-leds: UI_GET_SYSNAME");
		return 1;
	}
	start = now_ms();
	printf("ready %s\n", sysname);
	fflush(stdout);

	while (!stop) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("uinput-leds: poll");
			return 1;
		}
		n = read(fd, &ev, sizeof(ev));
		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(ev)) {
			perror("uinput-leds: read");
			return 1;
		}
		if (ev.type == EV_LED) {
			printf("led %u %d %ld\n", ev.code, ev.value,
			       now_ms() - start);
			fflush(stdout);
		}
	}
	ioctl(fd, UI_DEV_DESTROY);
	close(fd);
	return 0;
}
