/*
 * painter: the demo persona's whole "operating system", in the spirit of the
 * seed's palette demo.  It paints its own colour pattern on /dev/fb0, logs
 * every key it receives from the input devices in its /dev, draws a white
 * square per key, and toggles its keyboard's capslock LED at each key press.
 *
 * Usage: painter NAME RRGGBB KEYLOG
 * Runs until killed; KEYLOG gets one line per key press: "<code>".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fb.h>
#include <linux/input.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_INPUTS 16
#define SQUARE 24

struct screen {
	uint8_t *mem;
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
};

static uint32_t pixel(const struct fb_var_screeninfo *v, uint32_t rgb)
{
	uint32_t r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;

	return (r >> (8 - v->red.length)) << v->red.offset |
	       (g >> (8 - v->green.length)) << v->green.offset |
	       (b >> (8 - v->blue.length)) << v->blue.offset;
}

static void fill(struct screen *s, unsigned int x0, unsigned int y0,
		 unsigned int w, unsigned int h, uint32_t rgb)
{
	unsigned int bpp = s->var.bits_per_pixel / 8;
	uint32_t px = pixel(&s->var, rgb);

	for (unsigned int y = y0; y < y0 + h && y < s->var.yres; y++)
		for (unsigned int x = x0; x < x0 + w && x < s->var.xres; x++)
			memcpy(s->mem + (y + s->var.yoffset) * s->fix.line_length +
			       x * bpp, &px, bpp);
}

/* The colour everywhere, darker diagonal stripes so it reads as a pattern. */
static void paint(struct screen *s, uint32_t rgb)
{
	uint32_t dark = (rgb >> 1) & 0x7f7f7f;

	fill(s, 0, 0, s->var.xres, s->var.yres, rgb);
	for (unsigned int y = 0; y < s->var.yres; y += 4)
		for (unsigned int x = (y / 4 * 4) % 64; x < s->var.xres; x += 64)
			fill(s, x, y, 16, 4, dark);
}

static int open_screen(struct screen *s)
{
	int fd = open("/dev/fb0", O_RDWR);

	if (fd < 0 || ioctl(fd, FBIOGET_VSCREENINFO, &s->var) < 0 ||
	    ioctl(fd, FBIOGET_FSCREENINFO, &s->fix) < 0)
		return -1;
	s->mem = mmap(NULL, s->fix.smem_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		      fd, 0);
	close(fd);
	return s->mem == MAP_FAILED ? -1 : 0;
}

/* Every event device in our /dev: the persona's own mirrors. */
static int open_inputs(struct pollfd *pfd)
{
	DIR *d = opendir("/dev/input");
	struct dirent *e;
	char path[300];
	int n = 0;

	while (d && (e = readdir(d)) && n < MAX_INPUTS) {
		if (strncmp(e->d_name, "event", 5))
			continue;
		snprintf(path, sizeof(path), "/dev/input/%s", e->d_name);
		pfd[n].fd = open(path, O_RDWR | O_NONBLOCK);
		pfd[n].events = POLLIN;
		if (pfd[n].fd >= 0)
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

static void set_capslock(int fd, int on)
{
	struct input_event ev[2] = {
		{ .type = EV_LED, .code = LED_CAPSL, .value = on },
		{ .type = EV_SYN, .code = SYN_REPORT },
	};

	if (write(fd, ev, sizeof(ev)) < 0 && errno != EINVAL)
		perror("painter: capslock");
}

int main(int argc, char **argv)
{
	struct pollfd pfd[MAX_INPUTS];
	struct input_event ev;
	struct screen s;
	unsigned int keys = 0;
	FILE *log;
	uint32_t rgb;
	int n;

	if (argc != 4) {
		fprintf(stderr, "usage: painter NAME RRGGBB KEYLOG\n");
		return 2;
	}
	rgb = strtoul(argv[2], NULL, 16);
	log = fopen(argv[3], "a");
	if (!log || open_screen(&s) < 0) {
		perror("painter");
		return 1;
	}
	setvbuf(log, NULL, _IOLBF, 0);
	paint(&s, rgb);
	n = open_inputs(pfd);
	fprintf(stderr, "painter %s: painting #%06x, %d input devices\n",
		argv[1], rgb, n);

	for (;;) {
		if (poll(pfd, n, -1) < 0)
			continue;
		for (int i = 0; i < n; i++) {
			while (read(pfd[i].fd, &ev, sizeof(ev)) == sizeof(ev)) {
				if (ev.type != EV_KEY || ev.value != 1)
					continue;
				fprintf(log, "%u\n", ev.code);
				fill(&s, 16 + (keys % 40) * (SQUARE + 8),
				     16 + (keys / 40) * (SQUARE + 8), SQUARE, SQUARE,
				     0xffffff);
				keys++;
				set_capslock(pfd[i].fd, keys & 1);
			}
		}
	}
}
