// SPDX-License-Identifier: GPL-2.0
/*
 * input-dev: a physical input device made with uinput, driven from stdin.
 *
 *   input-dev kbd|touch|mouse|pad NAME
 *
 * Prints "ready NODE" (its /dev/input/eventN) once it exists, then reads
 * commands, one per line:
 *   key CODE VALUE          a key event and SYN_REPORT
 *   ev TYPE CODE VALUE      one raw event (no SYN_REPORT)
 *   touch SLOT ID X Y       a contact down or moving, and SYN_REPORT
 *   untouch SLOT            the contact lifted, and SYN_REPORT
 *   sleep MS
 *   echo TEXT               prints TEXT (to know the commands before ran)
 * Output the kernel sends to the device (LEDs, sound, effect plays, gain)
 * is printed as it comes: "out TYPE CODE VALUE".  A pad has force feedback
 * (rumble, periodic sine, gain, autocenter; 4 effects): it accepts every
 * upload and erase and prints "upload ID STRONG LENGTH" (a new effect; a
 * rumble's strong magnitude, or a periodic's magnitude), "update ID STRONG
 * LENGTH" or "erase ID", with the device's effect ids.  End of input
 * destroys the device.
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

static int ufd;

static void xioctl(unsigned long req, long arg, const char *what)
{
	if (ioctl(ufd, req, arg) < 0) {
		fprintf(stderr, "input-dev: %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

static void emit(int type, int code, int value)
{
	struct input_event ev = { .type = type, .code = code, .value = value };

	if (write(ufd, &ev, sizeof(ev)) != sizeof(ev)) {
		perror("input-dev: write");
		exit(1);
	}
}

static void abs_axis(int code, int max, int fuzz)
{
	struct uinput_abs_setup a = {
		.code = code,
		.absinfo = { .maximum = max, .fuzz = fuzz, .resolution = 10 },
	};

	xioctl(UI_SET_ABSBIT, code, "UI_SET_ABSBIT");
	xioctl(UI_ABS_SETUP, (long)&a, "UI_ABS_SETUP");
}

static void setup(const char *kind, const char *name)
{
	struct uinput_setup us = {
		.id = { .bustype = BUS_VIRTUAL, .vendor = 0x1234,
			.product = 0x5678, .version = 1 },
	};

	snprintf(us.name, sizeof(us.name), "%s", name);
	if (!strcmp(kind, "kbd")) {
		xioctl(UI_SET_EVBIT, EV_KEY, "EV_KEY");
		xioctl(UI_SET_EVBIT, EV_REP, "EV_REP");
		xioctl(UI_SET_EVBIT, EV_MSC, "EV_MSC");
		xioctl(UI_SET_MSCBIT, MSC_SCAN, "MSC_SCAN");
		xioctl(UI_SET_EVBIT, EV_LED, "EV_LED");
		for (int k = KEY_ESC; k <= KEY_MICMUTE; k++)
			xioctl(UI_SET_KEYBIT, k, "UI_SET_KEYBIT");
		xioctl(UI_SET_LEDBIT, LED_NUML, "LED_NUML");
		xioctl(UI_SET_LEDBIT, LED_CAPSL, "LED_CAPSL");
		xioctl(UI_SET_LEDBIT, LED_SCROLLL, "LED_SCROLLL");
		xioctl(UI_SET_EVBIT, EV_SND, "EV_SND");
		xioctl(UI_SET_SNDBIT, SND_TONE, "SND_TONE");
	} else if (!strcmp(kind, "touch")) {
		xioctl(UI_SET_EVBIT, EV_KEY, "EV_KEY");
		xioctl(UI_SET_KEYBIT, BTN_TOUCH, "BTN_TOUCH");
		xioctl(UI_SET_EVBIT, EV_ABS, "EV_ABS");
		abs_axis(ABS_X, 4095, 0);
		abs_axis(ABS_Y, 4095, 0);
		abs_axis(ABS_MT_SLOT, 9, 0);
		abs_axis(ABS_MT_TRACKING_ID, 65535, 0);
		abs_axis(ABS_MT_POSITION_X, 4095, 4);
		abs_axis(ABS_MT_POSITION_Y, 4095, 4);
		xioctl(UI_SET_PROPBIT, INPUT_PROP_DIRECT, "INPUT_PROP_DIRECT");
	} else if (!strcmp(kind, "pad")) {
		xioctl(UI_SET_EVBIT, EV_KEY, "EV_KEY");
		xioctl(UI_SET_KEYBIT, BTN_SOUTH, "BTN_SOUTH");
		xioctl(UI_SET_KEYBIT, BTN_EAST, "BTN_EAST");
		xioctl(UI_SET_EVBIT, EV_ABS, "EV_ABS");
		abs_axis(ABS_X, 255, 0);
		abs_axis(ABS_Y, 255, 0);
		xioctl(UI_SET_EVBIT, EV_FF, "EV_FF");
		xioctl(UI_SET_FFBIT, FF_RUMBLE, "FF_RUMBLE");
		xioctl(UI_SET_FFBIT, FF_PERIODIC, "FF_PERIODIC");
		xioctl(UI_SET_FFBIT, FF_SINE, "FF_SINE");
		xioctl(UI_SET_FFBIT, FF_GAIN, "FF_GAIN");
		xioctl(UI_SET_FFBIT, FF_AUTOCENTER, "FF_AUTOCENTER");
		us.ff_effects_max = 4;
	} else if (!strcmp(kind, "mouse")) {
		xioctl(UI_SET_EVBIT, EV_KEY, "EV_KEY");
		xioctl(UI_SET_KEYBIT, BTN_LEFT, "BTN_LEFT");
		xioctl(UI_SET_KEYBIT, BTN_RIGHT, "BTN_RIGHT");
		xioctl(UI_SET_EVBIT, EV_REL, "EV_REL");
		xioctl(UI_SET_RELBIT, REL_X, "REL_X");
		xioctl(UI_SET_RELBIT, REL_Y, "REL_Y");
	} else {
		fprintf(stderr, "input-dev: unknown kind %s\n", kind);
		exit(2);
	}
	xioctl(UI_DEV_SETUP, (long)&us, "UI_DEV_SETUP");
	xioctl(UI_SET_PHYS, (long)"devns-test/input0", "UI_SET_PHYS");
	xioctl(UI_DEV_CREATE, 0, "UI_DEV_CREATE");
}

/* The evdev node: /sys/devices/virtual/input/<sysname>/eventN. */
static void print_node(void)
{
	char sysname[64] = "", path[128];

	xioctl(UI_GET_SYSNAME(sizeof(sysname)), (long)sysname, "UI_GET_SYSNAME");
	snprintf(path, sizeof(path), "/sys/devices/virtual/input/%s", sysname);
	for (int tries = 0; tries < 3000; tries++) {	/* 30 s: bounds a failure */
		DIR *dir = opendir(path);
		struct dirent *d;

		while (dir && (d = readdir(dir))) {
			char node[300];

			if (strncmp(d->d_name, "event", 5))
				continue;
			snprintf(node, sizeof(node), "/dev/input/%s", d->d_name);
			if (access(node, F_OK) == 0) {
				printf("ready %s\n", node);
				fflush(stdout);
				closedir(dir);
				return;
			}
		}
		if (dir)
			closedir(dir);
		usleep(10000);
	}
	fprintf(stderr, "input-dev: no event node under %s\n", path);
	exit(1);
}

static int strength(const struct ff_effect *e)
{
	return e->type == FF_RUMBLE ? e->u.rumble.strong_magnitude :
				      e->u.periodic.magnitude;
}

/* Answer an upload or erase request from the ff core, as a device would. */
static void ff_request(const struct input_event *ev)
{
	if (ev->code == UI_FF_UPLOAD) {
		struct uinput_ff_upload up = { .request_id = ev->value };

		xioctl(UI_BEGIN_FF_UPLOAD, (long)&up, "UI_BEGIN_FF_UPLOAD");
		printf("%s %d %d %u\n", up.old.type ? "update" : "upload",
		       up.effect.id, strength(&up.effect),
		       up.effect.replay.length);
		up.retval = 0;
		xioctl(UI_END_FF_UPLOAD, (long)&up, "UI_END_FF_UPLOAD");
	} else if (ev->code == UI_FF_ERASE) {
		struct uinput_ff_erase er = { .request_id = ev->value };

		xioctl(UI_BEGIN_FF_ERASE, (long)&er, "UI_BEGIN_FF_ERASE");
		printf("erase %u\n", er.effect_id);
		er.retval = 0;
		xioctl(UI_END_FF_ERASE, (long)&er, "UI_END_FF_ERASE");
	}
	fflush(stdout);
}

static void command(char *line)
{
	int a, b, c, d;

	if (sscanf(line, "key %d %d", &a, &b) == 2) {
		emit(EV_KEY, a, b);
		emit(EV_SYN, SYN_REPORT, 0);
	} else if (sscanf(line, "ev %d %d %d", &a, &b, &c) == 3) {
		emit(a, b, c);
	} else if (sscanf(line, "touch %d %d %d %d", &a, &b, &c, &d) == 4) {
		emit(EV_ABS, ABS_MT_SLOT, a);
		emit(EV_ABS, ABS_MT_TRACKING_ID, b);
		emit(EV_ABS, ABS_MT_POSITION_X, c);
		emit(EV_ABS, ABS_MT_POSITION_Y, d);
		emit(EV_KEY, BTN_TOUCH, 1);
		emit(EV_ABS, ABS_X, c);
		emit(EV_ABS, ABS_Y, d);
		emit(EV_SYN, SYN_REPORT, 0);
	} else if (sscanf(line, "untouch %d", &a) == 1) {
		emit(EV_ABS, ABS_MT_SLOT, a);
		emit(EV_ABS, ABS_MT_TRACKING_ID, -1);
		emit(EV_KEY, BTN_TOUCH, 0);
		emit(EV_SYN, SYN_REPORT, 0);
	} else if (sscanf(line, "sleep %d", &a) == 1) {
		usleep(a * 1000);
	} else if (!strncmp(line, "echo ", 5)) {
		fputs(line + 5, stdout);
		fflush(stdout);
	} else if (line[0] != '\n') {
		fprintf(stderr, "input-dev: bad command: %s", line);
	}
}

int main(int argc, char **argv)
{
	struct pollfd p[2] = { { .fd = 0, .events = POLLIN } };
	char line[256];
	FILE *in = stdin;

	if (argc != 3) {
		fprintf(stderr, "usage: input-dev kbd|touch|mouse|pad NAME\n");
		return 2;
	}
	ufd = open("/dev/uinput", O_RDWR | O_CLOEXEC);
	if (ufd < 0) {
		perror("input-dev: /dev/uinput");
		return 1;
	}
	setup(argv[1], argv[2]);
	print_node();
	setvbuf(in, NULL, _IONBF, 0);
	p[1].fd = ufd;
	p[1].events = POLLIN;
	for (;;) {
		if (poll(p, 2, -1) < 0)
			continue;
		if (p[1].revents & POLLIN) {
			struct input_event ev;

			if (read(ufd, &ev, sizeof(ev)) != sizeof(ev))
				continue;
			if (ev.type == EV_UINPUT) {
				ff_request(&ev);
				continue;
			}
			printf("out %u %u %d\n", ev.type, ev.code, ev.value);
			fflush(stdout);
		}
		if (p[0].revents & (POLLIN | POLLHUP)) {
			if (!fgets(line, sizeof(line), in))
				break;
			command(line);
		}
	}
	xioctl(UI_DEV_DESTROY, 0, "UI_DEV_DESTROY");
	return 0;
}
