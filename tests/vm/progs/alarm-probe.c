// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CLOCK_*_ALARM timerfds as a persona's process uses them, and what its
 * root may try against devnsd's broker (daemon-alarm suite).  Each command
 * prints one line.
 *
 *   fire rel|abs      a CLOCK_BOOTTIME_ALARM timerfd armed for 1 s from now
 *                     (abs: in its own namespace's boottime) -> "fired after
 *                     MS ms" or why not (30 s at most)
 *   plain rel|abs     the same with CLOCK_MONOTONIC (never brokered)
 *   thread            fire rel, armed from a second thread
 *   flags             -> "cloexec nonblock | plain | EINVAL-flags=ERR"
 *   old-value         re-arm an armed alarm with old_value in the middle of
 *                     a guarded buffer -> "old MS guards intact|broken"
 *   not-timerfd       settime on an eventfd with old_value in a guarded
 *                     buffer -> "ERR guards intact|broken"
 *   other-fd          a child settimes its own fd numbered as our alarm
 *                     timerfd (an eventfd, then nothing) -> "ERR ERR ours
 *                     armed|unarmed"
 *   efault            garbage pointers -> "new ERR unmapped ERR old ERR
 *                     armed|unarmed"
 *   timer-create      timer_create(CLOCK_BOOTTIME_ALARM) -> "ERR"
 *   flood SECONDS     timerfd_settime on a CLOCK_MONOTONIC timerfd as fast
 *                     as it can -> "N calls"
 *   bench N           N of them -> "NS ns/call"
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

static long long ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static const char *err(int ret)
{
	return ret < 0 ? strerrorname_np(errno) : "ok";
}

/* raw: no libc wrapper between us and the pointers */
static int settime(int fd, int flags, const void *new, void *old)
{
	return syscall(SYS_timerfd_settime, fd, flags, new, old);
}

static int fires(clockid_t clock, clockid_t now, int abs)
{
	struct itimerspec its = { 0 };
	struct pollfd pfd = { .events = POLLIN };
	long long start;
	uint64_t ticks;

	pfd.fd = timerfd_create(clock, TFD_CLOEXEC);
	if (pfd.fd < 0) {
		printf("timerfd_create: %s\n", strerror(errno));
		return 1;
	}
	start = ms(CLOCK_MONOTONIC);
	if (abs)
		clock_gettime(now, &its.it_value);
	its.it_value.tv_sec += 1;
	if (timerfd_settime(pfd.fd, abs ? TFD_TIMER_ABSTIME : 0, &its, NULL) < 0) {
		printf("timerfd_settime: %s\n", strerror(errno));
		return 1;
	}
	if (poll(&pfd, 1, 30000) != 1 || read(pfd.fd, &ticks, 8) != 8) {
		printf("did not fire within 30 s\n");
		return 1;
	}
	printf("fired after %lld ms\n", ms(CLOCK_MONOTONIC) - start);
	return 0;
}

static int alarm_fd(void)
{
	int fd = timerfd_create(CLOCK_BOOTTIME_ALARM, TFD_CLOEXEC);

	if (fd < 0) {
		printf("timerfd_create: %s\n", strerror(errno));
		exit(1);
	}
	return fd;
}

static int armed(int fd)
{
	struct itimerspec its;

	return timerfd_gettime(fd, &its) == 0 &&
	       (its.it_value.tv_sec || its.it_value.tv_nsec);
}

static const char *arm_str(int fd)
{
	return armed(fd) ? "armed" : "unarmed";
}

static void *thread_fires(void *data)
{
	(void)data;
	return (void *)(intptr_t)fires(CLOCK_BOOTTIME_ALARM, 0, 0);
}

/* an itimerspec between two guards of 0xa5 */
struct guarded {
	unsigned char before[64];
	struct itimerspec its;
	unsigned char after[64];
};

static void guard(struct guarded *g)
{
	memset(g, 0xa5, sizeof(*g));
}

static const char *guards(const struct guarded *g)
{
	for (size_t i = 0; i < sizeof(g->before); i++)
		if (g->before[i] != 0xa5 || g->after[i] != 0xa5)
			return "broken";
	return "intact";
}

static int flags(void)
{
	int fd = timerfd_create(CLOCK_BOOTTIME_ALARM, TFD_CLOEXEC | TFD_NONBLOCK);
	int bad = timerfd_create(CLOCK_BOOTTIME_ALARM, 0x1);
	int fl, fdfl;

	if (fd < 0) {
		printf("timerfd_create: %s\n", strerror(errno));
		return 1;
	}
	fl = fcntl(fd, F_GETFL);
	fdfl = fcntl(fd, F_GETFD);
	printf("%s %s | ", fdfl & FD_CLOEXEC ? "cloexec" : "-",
	       fl & O_NONBLOCK ? "nonblock" : "-");
	close(fd);
	fd = timerfd_create(CLOCK_BOOTTIME_ALARM, 0);
	printf("%s | ", fd >= 0 && !(fcntl(fd, F_GETFD) & FD_CLOEXEC) &&
	       !(fcntl(fd, F_GETFL) & O_NONBLOCK) ? "plain" : "wrong");
	printf("EINVAL-flags=%s\n", err(bad));
	return 0;
}

static int old_value(void)
{
	struct itimerspec its = { .it_value = { 10, 0 } };
	struct guarded g;
	int fd = alarm_fd();

	guard(&g);
	if (timerfd_settime(fd, 0, &its, NULL) < 0 ||
	    settime(fd, 0, &its, &g.its) < 0) {
		printf("timerfd_settime: %s\n", strerror(errno));
		return 1;
	}
	printf("old %lld guards %s\n",
	       g.its.it_value.tv_sec * 1000LL + g.its.it_value.tv_nsec / 1000000,
	       guards(&g));
	return 0;
}

static int not_timerfd(void)
{
	struct itimerspec its = { .it_value = { 10, 0 } };
	struct guarded g;
	int fd = eventfd(0, EFD_CLOEXEC);

	guard(&g);
	printf("%s guards %s\n", err(settime(fd, 0, &its, &g.its)), guards(&g));
	return 0;
}

static int other_fd(void)
{
	int fd = alarm_fd(), status;
	pid_t child = fork();

	if (child == 0) {
		struct itimerspec its = { .it_value = { 10, 0 } };
		int e = eventfd(0, EFD_CLOEXEC), r1, r2;

		dup2(e, fd);
		r1 = settime(fd, 0, &its, NULL);
		printf("%s ", err(r1));
		close(fd);
		r2 = settime(fd, 0, &its, NULL);
		printf("%s ", err(r2));
		fflush(stdout);
		_exit(0);
	}
	waitpid(child, &status, 0);
	printf("ours %s\n", arm_str(fd));
	return 0;
}

static int efault(void)
{
	struct itimerspec its = { .it_value = { 10, 0 } };
	int fd = alarm_fd();
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(page, 4096);
	printf("new %s ", err(settime(fd, 0, (void *)1, NULL)));
	printf("unmapped %s ", err(settime(fd, 0, page, NULL)));
	printf("%s ", arm_str(fd));
	printf("old %s ", err(settime(fd, 0, &its, (void *)-4096L)));
	printf("%s\n", arm_str(fd));
	return 0;
}

static int timer_create_alarm(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	timer_t t;

	printf("%s\n", err(timer_create(CLOCK_BOOTTIME_ALARM, &sev, &t)));
	return 0;
}

static int flood(int seconds)
{
	struct itimerspec its = { .it_value = { 3600, 0 } };
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	long long end = ms(CLOCK_MONOTONIC) + seconds * 1000LL, n = 0;

	while (ms(CLOCK_MONOTONIC) < end) {
		for (int i = 0; i < 100; i++)
			timerfd_settime(fd, 0, &its, NULL);
		n += 100;
	}
	printf("%lld calls\n", n);
	return 0;
}

static int bench(long n)
{
	struct itimerspec its = { .it_value = { 3600, 0 } };
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	struct timespec a, b;

	for (long i = 0; i < n / 10; i++)	/* warm up */
		timerfd_settime(fd, 0, &its, NULL);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		if (timerfd_settime(fd, 0, &its, NULL) < 0) {
			printf("timerfd_settime: %s\n", strerror(errno));
			return 1;
		}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.0f ns/call\n", ((b.tv_sec - a.tv_sec) * 1e9 +
				  (b.tv_nsec - a.tv_nsec)) / n);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *arg = argc > 2 ? argv[2] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "fire") && argc == 3)
		return fires(CLOCK_BOOTTIME_ALARM, CLOCK_BOOTTIME, !strcmp(arg, "abs"));
	if (!strcmp(cmd, "plain") && argc == 3)
		return fires(CLOCK_MONOTONIC, CLOCK_MONOTONIC, !strcmp(arg, "abs"));
	if (!strcmp(cmd, "thread")) {
		pthread_t t;
		void *ret;

		pthread_create(&t, NULL, thread_fires, NULL);
		pthread_join(t, &ret);
		return (intptr_t)ret;
	}
	if (!strcmp(cmd, "flags"))
		return flags();
	if (!strcmp(cmd, "old-value"))
		return old_value();
	if (!strcmp(cmd, "not-timerfd"))
		return not_timerfd();
	if (!strcmp(cmd, "other-fd"))
		return other_fd();
	if (!strcmp(cmd, "efault"))
		return efault();
	if (!strcmp(cmd, "timer-create"))
		return timer_create_alarm();
	if (!strcmp(cmd, "flood") && argc == 3)
		return flood(atoi(arg));
	if (!strcmp(cmd, "bench") && argc == 3)
		return bench(atol(arg));
	fprintf(stderr, "usage: see the comment at the top of alarm-probe.c\n");
	return 2;
}
