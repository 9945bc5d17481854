// SPDX-License-Identifier: GPL-2.0
/*
 * mt-overflow NAME: issue 18's heap overflow sequence against a mirror.
 *
 * Creates a uinput multitouch device NAME (4 slots, ABS_MT_POSITION_X, and
 * REL_X), waits up to 10 s for its mirror (an input device of that name
 * below a devns device), prints "mirror NODE", then for k = 0 .. 40 (more
 * than the device's max_vals of 23):
 *   the device: ABS_MT_SLOT 0, MT_X, SYN_REPORT  (back to slot 0)
 *   the mirror: ABS_MT_SLOT 2                    (staged, not sent)
 *   the device: MT_X, k x REL_X, ABS_MT_SLOT 3, MT_X, SYN_REPORT
 * Once k + 4 reaches max_vals the input core cuts the packet after the
 * second MT_X (slot and value at once), so the mirror is fed a full packet
 * and must send one event more: the staged slot.  Prints "done" and exits 0.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/uinput.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static void xioctl(int fd, unsigned long req, long arg, const char *what)
{
	if (ioctl(fd, req, arg) < 0) {
		fprintf(stderr, "mt-overflow: %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

static void emit(int fd, int type, int code, int value)
{
	struct input_event ev = { .type = type, .code = code, .value = value };

	if (write(fd, &ev, sizeof(ev)) != sizeof(ev)) {
		perror("mt-overflow: write");
		exit(1);
	}
}

static void axis(int fd, int code, int max)
{
	struct uinput_abs_setup a = { .code = code, .absinfo.maximum = max };

	xioctl(fd, UI_SET_ABSBIT, code, "UI_SET_ABSBIT");
	xioctl(fd, UI_ABS_SETUP, (long)&a, "UI_ABS_SETUP");
}

/* The event node of the input device NAME whose sysfs path has "/devns/". */
static int find_mirror(const char *name, char *node, size_t len)
{
	DIR *dir = opendir("/sys/class/input");
	struct dirent *d;
	int found = 0;

	while (dir && !found && (d = readdir(dir))) {
		char path[512], real[PATH_MAX], buf[256] = "";
		FILE *f;

		if (strncmp(d->d_name, "event", 5))
			continue;
		snprintf(path, sizeof(path), "/sys/class/input/%s/device/name",
			 d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
		snprintf(path, sizeof(path), "/sys/class/input/%s/device",
			 d->d_name);
		if (!strcmp(buf, name) && realpath(path, real) &&
		    strstr(real, "/devns/")) {
			snprintf(node, len, "/dev/input/%s", d->d_name);
			found = access(node, F_OK) == 0;
		}
	}
	if (dir)
		closedir(dir);
	return found;
}

int main(int argc, char **argv)
{
	struct uinput_setup us = { .id = { .bustype = BUS_VIRTUAL } };
	char node[300];
	int dev, mirror, tries, k, i, x = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: mt-overflow NAME\n");
		return 2;
	}
	dev = open("/dev/uinput", O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		perror("mt-overflow: /dev/uinput");
		return 1;
	}
	xioctl(dev, UI_SET_EVBIT, EV_ABS, "EV_ABS");
	axis(dev, ABS_MT_SLOT, 3);
	axis(dev, ABS_MT_POSITION_X, 4095);
	xioctl(dev, UI_SET_EVBIT, EV_REL, "EV_REL");
	xioctl(dev, UI_SET_RELBIT, REL_X, "REL_X");
	snprintf(us.name, sizeof(us.name), "%s", argv[1]);
	xioctl(dev, UI_DEV_SETUP, (long)&us, "UI_DEV_SETUP");
	xioctl(dev, UI_DEV_CREATE, 0, "UI_DEV_CREATE");

	for (tries = 0; !find_mirror(argv[1], node, sizeof(node)); tries++) {
		if (tries == 1000) {
			fprintf(stderr, "mt-overflow: no mirror of %s\n", argv[1]);
			return 1;
		}
		usleep(10000);
	}
	mirror = open(node, O_WRONLY | O_CLOEXEC);
	if (mirror < 0) {
		perror(node);
		return 1;
	}
	printf("mirror %s\n", node);
	fflush(stdout);

	for (k = 0; k <= 40; k++) {
		emit(dev, EV_ABS, ABS_MT_SLOT, 0);
		emit(dev, EV_ABS, ABS_MT_POSITION_X, ++x);
		emit(dev, EV_SYN, SYN_REPORT, 0);
		emit(mirror, EV_ABS, ABS_MT_SLOT, 2);
		emit(dev, EV_ABS, ABS_MT_POSITION_X, ++x);
		for (i = 0; i < k; i++)
			emit(dev, EV_REL, REL_X, 1);
		emit(dev, EV_ABS, ABS_MT_SLOT, 3);
		emit(dev, EV_ABS, ABS_MT_POSITION_X, ++x);
		emit(dev, EV_SYN, SYN_REPORT, 0);
	}
	printf("done\n");
	return 0;
}
