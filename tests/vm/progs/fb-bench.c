/*
 * fb-bench: the figures behind devns_fb's design (suite fb-bench).
 *
 *   fb-bench draw DEV SECONDS mmap|write
 *       full-frame updates per second drawn on framebuffer DEV
 *   fb-bench copy BYTES COUNT
 *       median time of copying two buffers of BYTES (two framebuffers)
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

static int copy(size_t len, int count)
{
	unsigned char *src = xmalloc(2 * len, 0x5a), *dst = xmalloc(2 * len, 0);
	double *t = calloc(count, sizeof(*t)), t0;

	for (int i = 0; i < count; i++) {
		t0 = now_ms();
		memcpy(dst, src, len);
		memcpy(dst + len, src + len, len);
		t[i] = now_ms() - t0;
		src[i % len]++;
	}
	report("copy_two", t, count);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "draw"))
		return draw(argv[2], atof(argv[3]), !strcmp(argv[4], "mmap"));
	if (argc == 4 && !strcmp(argv[1], "copy"))
		return copy(strtoul(argv[2], NULL, 0), atoi(argv[3]));
	fprintf(stderr, "usage: see the comment at the top of fb-bench.c\n");
	return 2;
}
