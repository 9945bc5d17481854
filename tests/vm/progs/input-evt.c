// SPDX-License-Identifier: GPL-2.0
/*
 * input-evt: look at an evdev node the way a reader in a persona would.
 *
 *   input-evt read NODE STOPFILE [grab]
 *       print "ready", then one line per event ("TYPE CODE VALUE", numeric,
 *       SYN_REPORT included) until STOPFILE exists (or a minute passed)
 *   input-evt stamp NODE
 *       print "ready", wait up to 5 s for one packet and print "age_us N
 *       one_time 0|1": the age, once read, of its SYN_REPORT's timestamp
 *       (CLOCK_REALTIME, evdev's default), and whether every event of the
 *       packet carries that same time
 *   input-evt info NODE
 *       name, phys, uniq, ids, properties, capability bitmaps and axis
 *       ranges, one per line, for comparing a mirror with its physical device
 *   input-evt leds NODE      the LED state: "leds HEX"
 *   input-evt keys NODE      the keys held: "keys CODE..."
 *   input-evt write NODE TYPE CODE VALUE [TYPE CODE VALUE]...
 *       write events into the node (output such as EV_LED, or input)
 *   input-evt ff NODE
 *       a force-feedback client holding NODE open until end of input (its
 *       effects are flushed then); commands, one per line, each answered
 *       with one line ("ok", "id N", "effects N" or "error ERRNO"):
 *         upload ID STRONG LENGTH   a rumble (ID -1: a new one), LENGTH ms
 *                                   (0: until stopped); answer "id N"
 *         play ID COUNT | stop ID | erase ID | gain V | autocenter V
 *         effects                   EVIOCGEFFECTS
 *         echo TEXT                 prints TEXT
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define NBITS(n) (((n) + 8 * sizeof(long) - 1) / (8 * sizeof(long)))

static int open_node(const char *node, int flags)
{
	int fd = open(node, flags | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "input-evt: %s: %s\n", node, strerror(errno));
		exit(1);
	}
	return fd;
}

static int cmd_stamp(const char *node)
{
	int fd = open_node(node, O_RDONLY);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct input_event ev;
	struct timeval first = { 0 };
	struct timespec now;
	int n = 0, one_time = 1;

	printf("ready\n");
	fflush(stdout);
	do {
		if (poll(&p, 1, 5000) <= 0 || read(fd, &ev, sizeof(ev)) != sizeof(ev)) {
			fprintf(stderr, "input-evt: no packet\n");
			return 1;
		}
		if (!n++)
			first = ev.time;
		one_time &= ev.time.tv_sec == first.tv_sec &&
			    ev.time.tv_usec == first.tv_usec;
	} while (ev.type != EV_SYN || ev.code != SYN_REPORT);
	clock_gettime(CLOCK_REALTIME, &now);
	printf("age_us %lld one_time %d\n",
	       (now.tv_sec - ev.time.tv_sec) * 1000000LL +
	       now.tv_nsec / 1000 - ev.time.tv_usec, one_time);
	return 0;
}

static int cmd_read(const char *node, const char *stopfile, int grab)
{
	int fd = open_node(node, O_RDONLY | O_NONBLOCK);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct input_event ev[64];
	int stop = 0;

	if (grab && ioctl(fd, EVIOCGRAB, 1) < 0) {
		perror("EVIOCGRAB");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (int ticks = 0; ticks < 1200; ticks++) {
		ssize_t n;

		/* One last read after the stop file shows up. */
		stop = stop || access(stopfile, F_OK) == 0;
		if (poll(&p, 1, stop ? 0 : 50) < 0)
			break;
		n = read(fd, ev, sizeof(ev));
		if (n < 0 && errno == EAGAIN) {
			if (stop)
				break;
			continue;
		}
		if (n <= 0)
			break;	/* ENODEV: the device went away */
		for (size_t i = 0; i < n / sizeof(ev[0]); i++)
			printf("%u %u %d\n", ev[i].type, ev[i].code,
			       ev[i].value);
		fflush(stdout);
	}
	return 0;
}

static void print_bits(int fd, const char *what, int type, int max)
{
	unsigned long bits[NBITS(KEY_CNT)] = { 0 };
	int n = ioctl(fd, EVIOCGBIT(type, sizeof(bits)), bits);

	printf("%s", what);
	for (int i = 0; i <= max && i < n * 8; i++)
		if (bits[i / (8 * sizeof(long))] & (1UL << (i % (8 * sizeof(long)))))
			printf(" %d", i);
	printf("\n");
}

static int cmd_info(const char *node)
{
	int fd = open_node(node, O_RDONLY);
	unsigned long abs[NBITS(ABS_CNT)] = { 0 };
	unsigned long props[NBITS(INPUT_PROP_CNT)] = { 0 };
	struct input_id id;
	char name[256] = "", phys[256] = "", uniq[256] = "";

	ioctl(fd, EVIOCGNAME(sizeof(name)), name);
	ioctl(fd, EVIOCGPHYS(sizeof(phys)), phys);
	ioctl(fd, EVIOCGUNIQ(sizeof(uniq)), uniq);
	ioctl(fd, EVIOCGID, &id);
	ioctl(fd, EVIOCGPROP(sizeof(props)), props);
	printf("name %s\nphys %s\nuniq %s\nid %04x %04x %04x %04x\nprops %lx\n",
	       name, phys, uniq, id.bustype, id.vendor, id.product, id.version,
	       props[0]);
	print_bits(fd, "ev", 0, EV_MAX);
	print_bits(fd, "key", EV_KEY, KEY_MAX);
	print_bits(fd, "rel", EV_REL, REL_MAX);
	print_bits(fd, "abs", EV_ABS, ABS_MAX);
	print_bits(fd, "msc", EV_MSC, MSC_MAX);
	print_bits(fd, "led", EV_LED, LED_MAX);
	print_bits(fd, "snd", EV_SND, SND_MAX);
	print_bits(fd, "sw", EV_SW, SW_MAX);
	print_bits(fd, "ff", EV_FF, FF_MAX);
	ioctl(fd, EVIOCGBIT(EV_ABS, sizeof(abs)), abs);
	for (int i = 0; i < ABS_CNT; i++) {
		struct input_absinfo a;

		if (!(abs[i / (8 * sizeof(long))] & (1UL << (i % (8 * sizeof(long))))))
			continue;
		if (ioctl(fd, EVIOCGABS(i), &a) == 0)
			printf("absinfo %d min %d max %d flat %d res %d\n", i,
			       a.minimum, a.maximum, a.flat, a.resolution);
	}
	return 0;
}

static int cmd_state(const char *node, int leds)
{
	int fd = open_node(node, O_RDONLY);
	unsigned long bits[NBITS(KEY_CNT)] = { 0 };

	if (leds) {
		ioctl(fd, EVIOCGLED(sizeof(bits)), bits);
		printf("leds %lx\n", bits[0]);
		return 0;
	}
	ioctl(fd, EVIOCGKEY(sizeof(bits)), bits);
	printf("keys");
	for (int i = 0; i < KEY_CNT; i++)
		if (bits[i / (8 * sizeof(long))] & (1UL << (i % (8 * sizeof(long)))))
			printf(" %d", i);
	printf("\n");
	return 0;
}

static int cmd_write(const char *node, int argc, char **argv)
{
	int fd = open_node(node, O_WRONLY);

	for (int i = 0; i + 2 < argc; i += 3) {
		struct input_event ev = {
			.type = atoi(argv[i]),
			.code = atoi(argv[i + 1]),
			.value = atoi(argv[i + 2]),
		};

		if (write(fd, &ev, sizeof(ev)) != sizeof(ev)) {
			perror("write");
			return 1;
		}
	}
	return 0;
}

static int ff_write(int fd, int code, int value)
{
	struct input_event ev = { .type = EV_FF, .code = code, .value = value };

	return write(fd, &ev, sizeof(ev)) == sizeof(ev) ? 1 : -1;
}

/* -1: failed (errno), 0: answered, 1: to be answered "ok". */
static int ff_command(int fd, const char *line)
{
	struct ff_effect e = { .type = FF_RUMBLE };
	int a, b, c;

	if (sscanf(line, "upload %d %d %d", &a, &b, &c) == 3) {
		e.id = a;
		e.u.rumble.strong_magnitude = b;
		e.replay.length = c;
		if (ioctl(fd, EVIOCSFF, &e) < 0)
			return -1;
		printf("id %d\n", e.id);
		return 0;
	}
	if (sscanf(line, "play %d %d", &a, &b) == 2)
		return ff_write(fd, a, b);
	if (sscanf(line, "stop %d", &a) == 1)
		return ff_write(fd, a, 0);
	if (sscanf(line, "gain %d", &a) == 1)
		return ff_write(fd, FF_GAIN, a);
	if (sscanf(line, "autocenter %d", &a) == 1)
		return ff_write(fd, FF_AUTOCENTER, a);
	if (sscanf(line, "erase %d", &a) == 1)
		return ioctl(fd, EVIOCRMFF, a) < 0 ? -1 : 1;
	if (!strncmp(line, "effects", 7)) {
		if (ioctl(fd, EVIOCGEFFECTS, &a) < 0)
			return -1;
		printf("effects %d\n", a);
		return 0;
	}
	if (!strncmp(line, "echo ", 5)) {
		fputs(line + 5, stdout);
		return 0;
	}
	errno = EINVAL;
	return -1;
}

static int cmd_ff(const char *node)
{
	int fd = open_node(node, O_RDWR);
	char line[256];

	while (fgets(line, sizeof(line), stdin)) {
		int rc = ff_command(fd, line);

		if (rc < 0)
			printf("error %d\n", errno);
		else if (rc > 0)
			printf("ok\n");
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "read"))
		return cmd_read(argv[2], argv[3],
				argc > 4 && !strcmp(argv[4], "grab"));
	if (argc == 3 && !strcmp(argv[1], "stamp"))
		return cmd_stamp(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "info"))
		return cmd_info(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "leds"))
		return cmd_state(argv[2], 1);
	if (argc == 3 && !strcmp(argv[1], "keys"))
		return cmd_state(argv[2], 0);
	if (argc == 3 && !strcmp(argv[1], "ff"))
		return cmd_ff(argv[2]);
	if (argc >= 6 && !strcmp(argv[1], "write") && (argc - 3) % 3 == 0)
		return cmd_write(argv[2], argc - 3, argv + 3);
	fprintf(stderr, "usage: see the comment at the top of input-evt.c\n");
	return 2;
}
