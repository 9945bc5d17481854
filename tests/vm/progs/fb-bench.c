/*
 * fb-bench: the figures behind devns_fb's design (suite fb-bench).
 *
 *   fb-bench draw DEV SECONDS mmap|write
 *       full-frame updates per second drawn on framebuffer DEV
 *   fb-bench copy BYTES COUNT
 *       median time of copying two buffers of BYTES (two framebuffers)
 *   fb-bench switch TO BACK BYTES COUNT
 *       COUNT times: switch to the persona whose init has pid TO and back
 *       to BACK (1: the root) through /proc/dev_ns/active_ns_pid, each
 *       switch timed around its write() and paired with a copy of two
 *       buffers of BYTES made right before it, once what the previous
 *       switch left to do after it has had SETTLE_MS; prints a line
 *       "to|back CORE_MS CALLER_MS COPY_MS" per switch: the switch as the
 *       core timed it (devns stats), as its caller saw it, and the copy
 *
 * Prints key=value lines; times in milliseconds.
 */
#include <fcntl.h>
#include <linux/fb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "libdevns.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void *xmalloc(size_t len, int fill)
{
	void *p = malloc(len);

	if (!p) {
		perror("malloc");
		exit(1);
	}
	memset(p, fill, len);
	return p;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts @t and prints its median as NAME_median. */
static void report(const char *name, double *t, int n)
{
	qsort(t, n, sizeof(*t), cmp_double);
	printf("%s_median=%.2f\n", name, t[n / 2]);
}

static int draw(const char *dev, double seconds, int use_mmap)
{
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
	unsigned char *frame[2], *fb = NULL;
	double start, end;
	long frames = 0;
	size_t len;
	int fd = open(dev, O_RDWR);

	if (fd < 0 || ioctl(fd, FBIOGET_VSCREENINFO, &var) ||
	    ioctl(fd, FBIOGET_FSCREENINFO, &fix)) {
		perror(dev);
		return 1;
	}
	len = (size_t)fix.line_length * var.yres;
	frame[0] = xmalloc(len, 0x33);
	frame[1] = xmalloc(len, 0xcc);
	if (use_mmap) {
		fb = mmap(NULL, fix.smem_len, PROT_READ | PROT_WRITE,
			  MAP_SHARED, fd, 0);
		if (fb == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
	}

	start = now_ms();
	end = start + seconds * 1e3;
	do {
		if (use_mmap)
			memcpy(fb, frame[frames & 1], len);
		else if (pwrite(fd, frame[frames & 1], len, 0) != (ssize_t)len) {
			perror("write");
			return 1;
		}
		frames++;
	} while (now_ms() < end);
	printf("frame_bytes=%zu\nfps=%.1f\n", len,
	       frames * 1e3 / (now_ms() - start));
	return 0;
}

/* The time of copying two buffers of @len from @src to @dst. */
static double copy_two(unsigned char *dst, unsigned char *src, size_t len)
{
	double t0 = now_ms();

	memcpy(dst, src, len);
	memcpy(dst + len, src + len, len);
	src[0]++;
	return now_ms() - t0;
}

static int copy(size_t len, int count)
{
	unsigned char *src = xmalloc(2 * len, 0x5a), *dst = xmalloc(2 * len, 0);
	double *t = calloc(count, sizeof(*t));

	for (int i = 0; i < count; i++)
		t[i] = copy_two(dst, src, len);
	report("copy_two", t, count);
	return 0;
}

#define SETTLE_MS 30

/* The time of switching to the persona whose init has pid @pid. */
static double switch_to(const char *pid)
{
	int fd = open("/proc/dev_ns/active_ns_pid", O_WRONLY);
	double t0, t;

	if (fd < 0) {
		perror("/proc/dev_ns/active_ns_pid");
		exit(1);
	}
	t0 = now_ms();
	if (write(fd, pid, strlen(pid)) != (ssize_t)strlen(pid)) {
		perror("switch");
		exit(1);
	}
	t = now_ms() - t0;
	close(fd);
	return t;
}

static int switches(const char *to, const char *back, size_t len, int count)
{
	unsigned char *src = xmalloc(2 * len, 0x5a), *dst = xmalloc(2 * len, 0);
	const char *pid[2] = { to, back }, *name[2] = { "to", "back" };
	struct devns_stats stats;
	struct devns_nl *nl;
	double c, t;
	int err = devns_nl_open(&nl);

	if (err) {
		fprintf(stderr, "devns_nl_open: %s\n", strerror(-err));
		return 1;
	}
	for (int i = 0; i < 2 * count; i++) {
		usleep(SETTLE_MS * 1000);
		c = copy_two(dst, src, len);
		t = switch_to(pid[i & 1]);
		err = devns_nl_get_stats(nl, &stats);
		if (err) {
			fprintf(stderr, "stats: %s\n", devns_nl_errmsg(nl));
			return 1;
		}
		printf("%s %.3f %.3f %.3f\n", name[i & 1], stats.last_ns / 1e6,
		       t, c);
	}
	devns_nl_close(nl);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "draw"))
		return draw(argv[2], atof(argv[3]), !strcmp(argv[4], "mmap"));
	if (argc == 6 && !strcmp(argv[1], "switch"))
		return switches(argv[2], argv[3], strtoul(argv[4], NULL, 0),
				atoi(argv[5]));
	if (argc == 4 && !strcmp(argv[1], "copy"))
		return copy(strtoul(argv[2], NULL, 0), atoi(argv[3]));
	fprintf(stderr, "usage: see the comment at the top of fb-bench.c\n");
	return 2;
}
