// SPDX-License-Identifier: GPL-2.0
/*
 * uhid-kbd NAME: a USB-like HID boot keyboard made with /dev/uhid, as a
 * Bluetooth stack makes one, driven from stdin.
 *
 * Prints "ready" once the HID core has started it, then reads lines
 * "report MODIFIERS USAGE" (numbers: the modifier byte, bit 3 the left GUI
 * key, and one HID keyboard usage, 0 for none) and sends each as an input
 * report.  End of input destroys the device.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/uhid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The HID 1.11 boot keyboard's report descriptor, without the LED output. */
static const unsigned char rdesc[] = {
	0x05, 0x01, 0x09, 0x06, 0xa1, 0x01,		/* keyboard application */
	0x05, 0x07, 0x19, 0xe0, 0x29, 0xe7, 0x15, 0x00,	/* modifiers */
	0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02,
	0x95, 0x01, 0x75, 0x08, 0x81, 0x01,		/* reserved byte */
	0x95, 0x06, 0x75, 0x08, 0x15, 0x00, 0x25, 0x65,	/* six keys */
	0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00,
	0xc0,
};

static int fd;

static void send_event(struct uhid_event *ev)
{
	if (write(fd, ev, sizeof(*ev)) != sizeof(*ev)) {
		perror("uhid-kbd: write");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct uhid_event ev = { .type = UHID_CREATE2 };
	char line[128];
	int mods, usage;

	if (argc != 2) {
		fprintf(stderr, "usage: uhid-kbd NAME\n");
		return 2;
	}
	fd = open("/dev/uhid", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("uhid-kbd: /dev/uhid");
		return 1;
	}
	snprintf((char *)ev.u.create2.name, sizeof(ev.u.create2.name), "%s",
		 argv[1]);
	ev.u.create2.rd_size = sizeof(rdesc);
	ev.u.create2.bus = BUS_USB;
	ev.u.create2.vendor = 0x1234;
	ev.u.create2.product = 0x9abc;
	memcpy(ev.u.create2.rd_data, rdesc, sizeof(rdesc));
	send_event(&ev);

	do {
		if (read(fd, &ev, sizeof(ev)) < 0 && errno != EINTR) {
			perror("uhid-kbd: read");
			return 1;
		}
	} while (ev.type != UHID_START);
	printf("ready\n");
	fflush(stdout);

	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "report %d %d", &mods, &usage) != 2)
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.type = UHID_INPUT2;
		ev.u.input2.size = 8;
		ev.u.input2.data[0] = mods;
		ev.u.input2.data[2] = usage;
		send_event(&ev);
	}
	ev.type = UHID_DESTROY;
	send_event(&ev);
	return 0;
}
