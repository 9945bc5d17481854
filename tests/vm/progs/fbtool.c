/*
 * fbtool CMD ARGS...: framebuffer checks for the devns_fb suite.
 *
 *   info DEV                      geometry, format and fixed info, key=value
 *   fill DEV PATTERN mmap|write   fill yres_virtual lines with a 32-bit pattern
 *   expect DEV PATTERN [MS]       those lines hold PATTERN (read through mmap,
 *                                 polled for up to MS milliseconds)
 *   latency VIRT PHYS PATTERN mmap|write
 *                                 fill VIRT, print how long until PHYS shows it
 *                                 (a mapping of VIRT kept meanwhile)
 *   hold DEV PATTERN SECONDS      keep DEV mapped, storing PATTERN every 10 ms
 *   peek DEV SECONDS              keep DEV mapped read-only (opened read-only)
 *   setvar DEV KEY=VALUE...       FBIOPUT_VSCREENINFO (xres yres xres_virtual
 *                                 yres_virtual bpp); prints the errno name
 *   pan DEV XOFFSET YOFFSET       FBIOPAN_DISPLAY
 *   setcmap DEV INDEX R G B       one colour map entry (16-bit components)
 *   getcmap DEV INDEX             prints "R G B"
 *   blank DEV LEVEL               FBIOBLANK
 *   kdmode TTY text|graphics      KDSETMODE
 *   con2fb DEV CONSOLE FB         FBIOPUT_CON2FBMAP: console CONSOLE onto
 *                                 framebuffer FB; prints the errno name if
 *                                 refused
 *   con2fb-get DEV CONSOLE        FBIOGET_CON2FBMAP: prints the framebuffer
 *   badioctl DEV                  malformed requests get clean errors and
 *                                 change nothing
 *   ppm FILE RRGGBB               every pixel of a P6 screendump is RRGGBB
 *   pixel FILE X Y                prints the RRGGBB of one pixel of a P6 image
 *
 * Exit status 0 when the check holds, 1 (with the reason on stderr) if not.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fb.h>
#include <linux/kd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

struct fb {
	int fd;
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
	size_t len;		/* bytes of yres_virtual lines */
};

static _Noreturn void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "fbtool: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "%s%s\n", errno ? ": " : "", errno ? strerror(errno) : "");
	exit(1);
}

static void fb_open(struct fb *fb, const char *dev)
{
	errno = 0;
	fb->fd = open(dev, O_RDWR);
	if (fb->fd < 0)
		die("open %s", dev);
	if (ioctl(fb->fd, FBIOGET_VSCREENINFO, &fb->var) ||
	    ioctl(fb->fd, FBIOGET_FSCREENINFO, &fb->fix))
		die("screeninfo of %s", dev);
	fb->len = (size_t)fb->fix.line_length * fb->var.yres_virtual;
	if (fb->len > fb->fix.smem_len)
		fb->len = fb->fix.smem_len;
}

static uint32_t *fb_map(struct fb *fb)
{
	void *p = mmap(NULL, fb->fix.smem_len, PROT_READ | PROT_WRITE,
		       MAP_SHARED, fb->fd, 0);

	if (p == MAP_FAILED)
		die("mmap %s", fb->fix.id);
	return p;
}

static uint32_t parse_u32(const char *s)
{
	return (uint32_t)strtoul(s, NULL, 0);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void fill_words(uint32_t *p, size_t len, uint32_t pattern)
{
	for (size_t i = 0; i < len / 4; i++)
		p[i] = pattern;
}

static void fill(struct fb *fb, uint32_t pattern, const char *how)
{
	if (!strcmp(how, "mmap")) {
		uint32_t *p = fb_map(fb);

		fill_words(p, fb->len, pattern);
		munmap(p, fb->fix.smem_len);
	} else {
		uint32_t *buf = malloc(fb->len);

		if (!buf)
			die("%s", "out of memory");
		fill_words(buf, fb->len, pattern);
		if (pwrite(fb->fd, buf, fb->len, 0) != (ssize_t)fb->len)
			die("write %s", fb->fix.id);
		free(buf);
	}
}

/* Index of the first word that is not @pattern, or -1. */
static long mismatch(const uint32_t *p, size_t len, uint32_t pattern)
{
	for (size_t i = 0; i < len / 4; i++)
		if (p[i] != pattern)
			return (long)i;
	return -1;
}

/*
 * Polls @fb's memory for @pattern up to @ms; returns the time it took.
 * Each poll reads only the last word (a copy to the display runs upwards,
 * so it shows last); the whole screen is compared once that shows, outside
 * the time taken: a scan of it per poll would add its own milliseconds.
 */
static double wait_for(struct fb *fb, uint32_t pattern, double ms)
{
	volatile uint32_t *p = fb_map(fb);
	size_t last = fb->len / 4 - 1;
	double start = now_ms(), t;
	long bad;

	for (;;) {
		t = now_ms() - start;
		bad = p[last] == pattern ?
			mismatch((const uint32_t *)p, fb->len, pattern) : (long)last;
		if (bad < 0 || t > ms)
			break;
		usleep(200);
	}
	if (bad >= 0)
		bad = mismatch((const uint32_t *)p, fb->len, pattern);
	if (bad >= 0) {
		fprintf(stderr, "fbtool: %s: word %ld of %zu is 0x%08x, not 0x%08x\n",
			fb->fix.id, bad, fb->len / 4, p[bad], pattern);
		exit(1);
	}
	munmap((void *)p, fb->fix.smem_len);
	return t;
}

/*
 * Fills @fb with @pattern and prints how long until @phys_path shows it.
 * Through mmap, the mapping stays while that is waited for, as a program
 * that draws keeps it: what is timed is the scanout of a mapped screen.
 */
static int cmd_latency(struct fb *fb, const char *phys_path, uint32_t pattern,
		       const char *how)
{
	struct fb phys;
	uint32_t *p = NULL;

	fb_open(&phys, phys_path);
	if (!strcmp(how, "mmap")) {
		p = fb_map(fb);
		fill_words(p, fb->len, pattern);
	} else {
		fill(fb, pattern, how);
	}
	printf("%.1f\n", wait_for(&phys, pattern, 1000));
	if (p)
		munmap(p, fb->fix.smem_len);
	return 0;
}

static int cmd_info(struct fb *fb)
{
	const struct fb_var_screeninfo *v = &fb->var;
	const struct fb_fix_screeninfo *f = &fb->fix;

	printf("id=%.16s\ntype=%u\nvisual=%u\nline_length=%u\nsmem_len=%u\n"
	       "xpanstep=%u\nypanstep=%u\nywrapstep=%u\naccel=%u\n",
	       f->id, f->type, f->visual, f->line_length, f->smem_len,
	       f->xpanstep, f->ypanstep, f->ywrapstep, f->accel);
	printf("xres=%u\nyres=%u\nxres_virtual=%u\nyres_virtual=%u\nbpp=%u\n"
	       "grayscale=%u\nred=%u/%u\ngreen=%u/%u\nblue=%u/%u\n"
	       "transp=%u/%u\nnonstd=%u\nheight=%u\nwidth=%u\n",
	       v->xres, v->yres, v->xres_virtual, v->yres_virtual,
	       v->bits_per_pixel, v->grayscale, v->red.offset, v->red.length,
	       v->green.offset, v->green.length, v->blue.offset,
	       v->blue.length, v->transp.offset, v->transp.length, v->nonstd,
	       v->height, v->width);
	printf("xoffset=%u\nyoffset=%u\n", v->xoffset, v->yoffset);
	return 0;
}

static int cmd_hold(struct fb *fb, uint32_t pattern, int seconds)
{
	uint32_t *p = fb_map(fb);
	double end = now_ms() + seconds * 1e3;

	printf("ready\n");
	fflush(stdout);
	while (now_ms() < end) {
		fill_words(p, fb->len, pattern);
		usleep(10000);
	}
	return 0;
}

static int cmd_peek(const char *dev, int seconds)
{
	struct fb_fix_screeninfo fix;
	int fd = open(dev, O_RDONLY);

	errno = 0;
	if (fd < 0 || ioctl(fd, FBIOGET_FSCREENINFO, &fix))
		die("open %s", dev);
	if (mmap(NULL, fix.smem_len, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
		die("mmap %s read-only", fix.id);
	printf("ready\n");
	fflush(stdout);
	sleep(seconds);
	return 0;
}

static int cmd_setvar(struct fb *fb, int argc, char **argv)
{
	struct fb_var_screeninfo v = fb->var;

	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		uint32_t val;

		if (!eq)
			die("bad assignment %s", argv[i]);
		*eq = '\0';
		val = parse_u32(eq + 1);
		if (!strcmp(argv[i], "xres"))
			v.xres = val;
		else if (!strcmp(argv[i], "yres"))
			v.yres = val;
		else if (!strcmp(argv[i], "xres_virtual"))
			v.xres_virtual = val;
		else if (!strcmp(argv[i], "yres_virtual"))
			v.yres_virtual = val;
		else if (!strcmp(argv[i], "bpp"))
			v.bits_per_pixel = val;
		else
			die("unknown field %s", argv[i]);
	}
	v.activate = FB_ACTIVATE_NOW;
	if (ioctl(fb->fd, FBIOPUT_VSCREENINFO, &v)) {
		printf("error=%s\n", strerrorname_np(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int cmd_setcmap(struct fb *fb, char **argv)
{
	uint16_t r = parse_u32(argv[1]), g = parse_u32(argv[2]),
		 b = parse_u32(argv[3]);
	struct fb_cmap cmap = {
		.start = parse_u32(argv[0]), .len = 1,
		.red = &r, .green = &g, .blue = &b,
	};

	errno = 0;
	if (ioctl(fb->fd, FBIOPUTCMAP, &cmap))
		die("FBIOPUTCMAP on %s", fb->fix.id);
	return 0;
}

static int cmd_getcmap(struct fb *fb, const char *index)
{
	uint16_t r, g, b;
	struct fb_cmap cmap = {
		.start = parse_u32(index), .len = 1,
		.red = &r, .green = &g, .blue = &b,
	};

	errno = 0;
	if (ioctl(fb->fd, FBIOGETCMAP, &cmap))
		die("FBIOGETCMAP on %s", fb->fix.id);
	printf("0x%04x 0x%04x 0x%04x\n", r, g, b);
	return 0;
}

/* One malformed request: must fail with @want (0: any error). */
static int bad(const char *what, int ret, int want)
{
	if (ret == 0 || (want && errno != want)) {
		fprintf(stderr, "fbtool: %s: %s, want %s\n", what,
			ret ? strerrorname_np(errno) : "succeeded",
			want ? strerrorname_np(want) : "an error");
		return 1;
	}
	printf("%s: %s\n", what, strerrorname_np(errno));
	return 0;
}

static int cmd_badioctl(struct fb *fb)
{
	struct fb_var_screeninfo v, after;
	uint16_t c[4] = { 0 };
	struct fb_cmap cmap = { .red = c, .green = c, .blue = c };
	long page = sysconf(_SC_PAGESIZE);
	char *ro;
	int n = 0;

	v = fb->var;
	v.xres = v.xres_virtual = 100000;
	n += bad("huge xres", ioctl(fb->fd, FBIOPUT_VSCREENINFO, &v), EINVAL);
	v = fb->var;
	v.yres_virtual = 0x7fffffff;
	n += bad("huge yres_virtual", ioctl(fb->fd, FBIOPUT_VSCREENINFO, &v), 0);
	v = fb->var;
	v.bits_per_pixel = 0;
	n += bad("bpp 0", ioctl(fb->fd, FBIOPUT_VSCREENINFO, &v), EINVAL);
	v = fb->var;
	v.bits_per_pixel = 4096;
	n += bad("bpp 4096", ioctl(fb->fd, FBIOPUT_VSCREENINFO, &v), EINVAL);
	v = fb->var;
	v.xres = v.yres = 0;
	n += bad("xres 0", ioctl(fb->fd, FBIOPUT_VSCREENINFO, &v), EINVAL);
	v = fb->var;
	v.yoffset = v.yres_virtual;
	n += bad("pan past the end", ioctl(fb->fd, FBIOPAN_DISPLAY, &v), EINVAL);
	n += bad("var from NULL", ioctl(fb->fd, FBIOPUT_VSCREENINFO, NULL), EFAULT);
	n += bad("var to NULL", ioctl(fb->fd, FBIOGET_VSCREENINFO, NULL), EFAULT);

	/* A struct that runs off the end of a mapping (a wrong size). */
	ro = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro == MAP_FAILED || munmap(ro + page, page))
		die("%s", "mmap");
	n += bad("truncated var", ioctl(fb->fd, FBIOPUT_VSCREENINFO,
					ro + page - sizeof(v) / 2), EFAULT);
	n += bad("fix into a short buffer", ioctl(fb->fd, FBIOGET_FSCREENINFO,
					ro + page - 8), EFAULT);
	mprotect(ro, page, PROT_READ);
	n += bad("var into read-only memory",
		 ioctl(fb->fd, FBIOGET_VSCREENINFO, ro), EFAULT);

	cmap.start = 1000;
	cmap.len = 4;
	n += bad("cmap past 256", ioctl(fb->fd, FBIOPUTCMAP, &cmap), 0);
	cmap.start = 0;
	cmap.len = 0x40000000;
	n += bad("huge cmap", ioctl(fb->fd, FBIOPUTCMAP, &cmap), 0);
	cmap.len = 4;
	cmap.red = NULL;
	n += bad("cmap from NULL", ioctl(fb->fd, FBIOPUTCMAP, &cmap), EFAULT);
	n += bad("blank 1000", ioctl(fb->fd, FBIOBLANK, 1000), 0);
	n += bad("unknown ioctl", ioctl(fb->fd, _IOW('F', 0xee, int), 0), 0);

	if (ioctl(fb->fd, FBIOGET_VSCREENINFO, &after) ||
	    memcmp(&after, &fb->var, sizeof(after))) {
		fprintf(stderr, "fbtool: the mode changed\n");
		n++;
	}
	return n ? 1 : 0;
}

/* Opens a P6 image at its first pixel. */
static FILE *ppm_open(const char *path, unsigned int *w, unsigned int *h)
{
	FILE *f = fopen(path, "rb");
	unsigned int max;

	errno = 0;
	if (!f || fscanf(f, "P6 %u %u %u", w, h, &max) != 3 || fgetc(f) == EOF)
		die("not a P6 image: %s", path);
	return f;
}

/* Every pixel of the P6 image @path is @rgb. */
static int cmd_ppm(const char *path, uint32_t rgb)
{
	unsigned int w, h;
	FILE *f = ppm_open(path, &w, &h);
	unsigned char px[3];
	long bad = 0, first = -1;
	uint32_t got, first_got = 0;

	for (long i = 0; i < (long)w * h; i++) {
		if (fread(px, 3, 1, f) != 1)
			die("short image: %s", path);
		got = (uint32_t)(px[0] << 16 | px[1] << 8 | px[2]);
		if (got != rgb) {
			if (first < 0) {
				first = i;
				first_got = got;
			}
			bad++;
		}
	}
	fclose(f);
	if (bad) {
		fprintf(stderr, "fbtool: %s: %ld of %u pixels are not %06x (%06x at %ld,%ld)\n",
			path, bad, w * h, rgb, first_got, first % w, first / w);
		return 1;
	}
	return 0;
}

static int cmd_pixel(const char *path, unsigned int x, unsigned int y)
{
	unsigned int w, h;
	FILE *f = ppm_open(path, &w, &h);
	unsigned char px[3];

	if (x >= w || y >= h)
		die("the point is outside the image: %s", path);
	if (fseek(f, 3L * ((long)y * w + x), SEEK_CUR) || fread(px, 3, 1, f) != 1)
		die("short image: %s", path);
	fclose(f);
	printf("%02x%02x%02x\n", px[0], px[1], px[2]);
	return 0;
}

int main(int argc, char **argv)
{
	struct fb fb;
	const char *cmd = argc > 1 ? argv[1] : "";
	int tty;

	if (argc < 3) {
		fprintf(stderr, "usage: fbtool CMD ARGS... (see the source)\n");
		return 2;
	}
	if (!strcmp(cmd, "ppm") && argc == 4)
		return cmd_ppm(argv[2], strtoul(argv[3], NULL, 16));
	if (!strcmp(cmd, "pixel") && argc == 5)
		return cmd_pixel(argv[2], parse_u32(argv[3]), parse_u32(argv[4]));
	if (!strcmp(cmd, "kdmode") && argc == 4) {
		errno = 0;
		tty = open(argv[2], O_RDWR);
		if (tty < 0 || ioctl(tty, KDSETMODE, strcmp(argv[3], "text") ?
				     KD_GRAPHICS : KD_TEXT))
			die("KDSETMODE on %s", argv[2]);
		return 0;
	}

	if (!strcmp(cmd, "peek") && argc == 4)
		return cmd_peek(argv[2], atoi(argv[3]));

	fb_open(&fb, argv[2]);
	if (!strcmp(cmd, "info"))
		return cmd_info(&fb);
	if (!strcmp(cmd, "fill") && argc == 5) {
		fill(&fb, parse_u32(argv[3]), argv[4]);
		return 0;
	}
	if (!strcmp(cmd, "expect") && argc >= 4) {
		wait_for(&fb, parse_u32(argv[3]), argc > 4 ? atof(argv[4]) : 0);
		return 0;
	}
	if (!strcmp(cmd, "latency") && argc == 6)
		return cmd_latency(&fb, argv[3], parse_u32(argv[4]), argv[5]);
	if (!strcmp(cmd, "hold") && argc == 5)
		return cmd_hold(&fb, parse_u32(argv[3]), atoi(argv[4]));
	if (!strcmp(cmd, "setvar"))
		return cmd_setvar(&fb, argc - 3, argv + 3);
	if (!strcmp(cmd, "pan") && argc == 5) {
		fb.var.xoffset = parse_u32(argv[3]);
		fb.var.yoffset = parse_u32(argv[4]);
		errno = 0;
		if (ioctl(fb.fd, FBIOPAN_DISPLAY, &fb.var))
			die("FBIOPAN_DISPLAY on %s", fb.fix.id);
		return 0;
	}
	if (!strcmp(cmd, "setcmap") && argc == 7)
		return cmd_setcmap(&fb, argv + 3);
	if (!strcmp(cmd, "getcmap") && argc == 4)
		return cmd_getcmap(&fb, argv[3]);
	if (!strcmp(cmd, "blank") && argc == 4) {
		errno = 0;
		if (ioctl(fb.fd, FBIOBLANK, atoi(argv[3])))
			die("FBIOBLANK on %s", fb.fix.id);
		return 0;
	}
	if (!strcmp(cmd, "badioctl"))
		return cmd_badioctl(&fb);
	if (!strcmp(cmd, "con2fb") && argc == 5) {
		struct fb_con2fbmap map = { .console = atoi(argv[3]),
					    .framebuffer = atoi(argv[4]) };

		if (ioctl(fb.fd, FBIOPUT_CON2FBMAP, &map)) {
			printf("%s\n", strerrorname_np(errno));
			return 1;
		}
		return 0;
	}
	if (!strcmp(cmd, "con2fb-get") && argc == 4) {
		struct fb_con2fbmap map = { .console = atoi(argv[3]) };

		errno = 0;
		if (ioctl(fb.fd, FBIOGET_CON2FBMAP, &map))
			die("FBIOGET_CON2FBMAP on %s", fb.fix.id);
		printf("%u\n", map.framebuffer);
		return 0;
	}
	fprintf(stderr, "fbtool: bad command or arguments: %s\n", cmd);
	return 2;
}
