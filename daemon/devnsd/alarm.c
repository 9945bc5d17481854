// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/kcmp.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>

#include "alarm.h"
#include "config.h"
#include "log.h"

/* What becomes of a call besides a result or an error (-errno). */
#define CONTINUE 1	/* the kernel carries it out, checking as usual */
#define ANSWERED 2	/* answered already, or its caller is gone */

struct broker {
	char name[PERSONA_NAME_MAX + 1];
	int listener;
	size_t notif_size, resp_size;	/* the kernel's, maybe above ours */
	struct seccomp_notif *notif;
	struct seccomp_notif_resp *resp;
};

/*
 * No malloc and no FILE on the broker's thread while it serves: devnsd
 * forks meanwhile, and a child must not inherit a lock this thread held.
 */

/* /proc/PID/FILE (PID 0: ours) into buf, NUL-terminated; its length or -errno. */
static ssize_t read_proc(pid_t pid, const char *file, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	else
		snprintf(path, sizeof(path), "/proc/self/%s", file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	else
		buf[n] = '\0';
	close(fd);
	return n;
}

static bool still_waiting(const struct broker *b, uint64_t id)
{
	return ioctl(b->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

/*
 * A pidfd of the process whose fd table thread tid uses (its own, shared
 * with its thread group), or -1.  Checked by the caller's ID_VALID after.
 */
static int caller_pidfd(pid_t tid)
{
	char buf[1024], *at;
	pid_t tgid;
	int pidfd = syscall(SYS_pidfd_open, tid, 0);

	/* not its thread group's leader: EINVAL, from 6.9 ENOENT */
	if (pidfd >= 0 || (errno != EINVAL && errno != ENOENT) ||
	    read_proc(tid, "status", buf, sizeof(buf)) < 0 ||
	    !(at = strstr(buf, "\nTgid:")))
		return pidfd;
	tgid = strtol(at + 6, NULL, 10);
	pidfd = syscall(SYS_pidfd_open, tgid, 0);
	if (pidfd >= 0 && syscall(SYS_kcmp, tid, tgid, KCMP_FILES, 0, 0) != 0) {
		close(pidfd);
		return -1;
	}
	return pidfd;
}

/* Its clock if tfd is a timerfd of an alarm clock, else -1. */
static int alarm_clock(int tfd)
{
	struct itimerspec its;
	char buf[512], path[32], *at;
	int clock;

	/* the kernel's own test of a timerfd: EINVAL for any other file */
	if (timerfd_gettime(tfd, &its) < 0)
		return -1;
	snprintf(path, sizeof(path), "fdinfo/%d", tfd);
	if (read_proc(0, path, buf, sizeof(buf)) < 0 ||
	    !(at = strstr(buf, "clockid:")))
		return -1;
	clock = strtol(at + 8, NULL, 10);
	return clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM ?
	       clock : -1;
}

/* CLOCK_BOOTTIME's offset in pid's time namespace (0: ours); 0 or -errno. */
static int boottime_offset(pid_t pid, struct timespec *off)
{
	char buf[256], *at, *end;
	ssize_t n = read_proc(pid, "timens_offsets", buf, sizeof(buf));

	*off = (struct timespec){ 0 };
	if (n == -ENOENT)	/* no time namespaces in this kernel */
		return 0;
	if (n < 0 || !(at = strstr(buf, "boottime")))
		return -EIO;
	off->tv_sec = strtoll(at + 8, &end, 10);
	off->tv_nsec = strtol(end, NULL, 10);
	return 0;
}

static int create(struct broker *b, const struct seccomp_notif *n)
{
	int clock = n->data.args[0], flags = n->data.args[1], fd, ret;
	struct seccomp_notif_addfd add = {
		.id = n->id,
		.flags = SECCOMP_ADDFD_FLAG_SEND,
		.newfd_flags = flags & TFD_CLOEXEC ? O_CLOEXEC : 0,
	};

	if (clock != CLOCK_REALTIME_ALARM && clock != CLOCK_BOOTTIME_ALARM)
		return CONTINUE;
	if (flags & ~(TFD_CLOEXEC | TFD_NONBLOCK))
		return -EINVAL;
	/* O_NONBLOCK is the file's: the caller's fd shares it */
	fd = timerfd_create(clock, TFD_CLOEXEC | (flags & TFD_NONBLOCK));
	if (fd < 0)
		return -errno;
	add.srcfd = fd;
	/* on success the caller's call returns its new fd */
	ret = ioctl(b->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
	ret = ret >= 0 || errno == ENOENT ? ANSWERED : -errno;
	close(fd);
	return ret;
}

/*
 * An absolute CLOCK_BOOTTIME_ALARM time of the caller's time namespace in
 * ours, as the kernel moves one to the host's (a time before the offset
 * has passed already).  Left alone if invalid (timerfd_settime says so) or
 * zero (disarms).
 */
static void to_ours(struct timespec *t, const struct timespec *theirs,
		    const struct timespec *ours)
{
	if (t->tv_sec < 0 || t->tv_nsec < 0 || t->tv_nsec >= 1000000000L ||
	    (!t->tv_sec && !t->tv_nsec))
		return;
	/* offsets are within +-KTIME_SEC_MAX: no overflow */
	t->tv_sec += ours->tv_sec - theirs->tv_sec;
	t->tv_nsec += ours->tv_nsec - theirs->tv_nsec;
	while (t->tv_nsec < 0) {
		t->tv_nsec += 1000000000L;
		t->tv_sec--;
	}
	while (t->tv_nsec >= 1000000000L) {
		t->tv_nsec -= 1000000000L;
		t->tv_sec++;
	}
	if (t->tv_sec < 0 || (!t->tv_sec && !t->tv_nsec))
		*t = (struct timespec){ 0, 1 };
}

static int settime(struct broker *b, const struct seccomp_notif *n)
{
	int fd = n->data.args[0], flags = n->data.args[1];
	uint64_t new_at = n->data.args[2], old_at = n->data.args[3];
	int pidfd, mem = -1, tfd = -1, clock, ret = CONTINUE;
	struct timespec theirs, ours;
	struct itimerspec its, old;
	char path[32];

	pidfd = caller_pidfd(n->pid);
	if (pidfd < 0)
		return CONTINUE;
	/* from here pidfd is the caller's, whatever its pid becomes */
	if (!still_waiting(b, n->id))
		goto out;
	tfd = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (tfd < 0 || (clock = alarm_clock(tfd)) < 0)
		goto out;
	snprintf(path, sizeof(path), "/proc/%d/mem", n->pid);
	mem = open(path, O_RDWR | O_CLOEXEC);
	if (mem < 0 || !still_waiting(b, n->id))	/* mem the caller's too */
		goto out;
	ret = -EFAULT;
	if (!new_at || pread(mem, &its, sizeof(its), new_at) != sizeof(its))
		goto out;
	if ((flags & TFD_TIMER_ABSTIME) && clock == CLOCK_BOOTTIME_ALARM) {
		ret = CONTINUE;
		if (boottime_offset(n->pid, &theirs) < 0 ||
		    boottime_offset(0, &ours) < 0)
			goto out;
		to_ours(&its.it_value, &theirs, &ours);
	}
	/* what we read is the caller's still (its time namespace too) */
	ret = ANSWERED;
	if (!still_waiting(b, n->id))
		goto out;
	ret = 0;
	if (timerfd_settime(tfd, flags, &its, &old) < 0)
		ret = -errno;
	else if (old_at && pwrite(mem, &old, sizeof(old), old_at) != sizeof(old))
		ret = -EFAULT;	/* armed all the same, as the kernel does */
out:
	if (tfd >= 0)
		close(tfd);
	if (mem >= 0)
		close(mem);
	close(pidfd);
	return ret;
}

static int handle(struct broker *b, const struct seccomp_notif *n)
{
	if (n->data.arch != AUDIT_ARCH_X86_64)
		return CONTINUE;
	switch (n->data.nr) {
	case __NR_timerfd_create:
		return create(b, n);
	case __NR_timerfd_settime:
		return settime(b, n);
	}
	return CONTINUE;
}

static void answer(struct broker *b, uint64_t id, int ret)
{
	struct seccomp_notif_resp *r = b->resp;

	if (ret == ANSWERED)
		return;
	memset(r, 0, b->resp_size);
	r->id = id;
	if (ret == CONTINUE)
		r->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else
		r->error = ret;
	/* ENOENT: the caller is gone (a signal, or killed) */
	ioctl(b->listener, SECCOMP_IOCTL_NOTIF_SEND, r);
}

static void *serve(void *data)
{
	struct broker *b = data;
	struct pollfd pfd = { .fd = b->listener, .events = POLLIN };
	int err = 0;

	/* 6.6+: the caller's CPU hands over to us at once (else EINVAL) */
	ioctl(b->listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
	      SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	for (;;) {
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		/* POLLHUP alone: the persona's last process is gone */
		if (!(pfd.revents & POLLIN))
			break;
		memset(b->notif, 0, b->notif_size);
		if (ioctl(b->listener, SECCOMP_IOCTL_NOTIF_RECV, b->notif) < 0) {
			/* ENOENT: its caller went before we got it */
			if (errno == EINTR || errno == ENOENT)
				continue;
			err = errno;
			break;
		}
		answer(b, b->notif->id, handle(b, b->notif));
	}
	if (err)
		log_err("%s: wake alarm broker: %s", b->name, strerror(err));
	close(b->listener);
	free(b->notif);
	free(b->resp);
	free(b);
	return NULL;
}

static size_t at_least(size_t kernel, size_t ours)
{
	return kernel > ours ? kernel : ours;
}

void alarm_broker_start(const char *name, int listener)
{
	struct seccomp_notif_sizes sizes;
	struct broker *b = calloc(1, sizeof(*b));
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t thread;
	int ret = -ENOMEM;

	if (b && syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		ret = -errno;
	else if (b) {
		b->notif_size = at_least(sizes.seccomp_notif, sizeof(*b->notif));
		b->resp_size = at_least(sizes.seccomp_notif_resp, sizeof(*b->resp));
		b->notif = calloc(1, b->notif_size);
		b->resp = calloc(1, b->resp_size);
	}
	if (b && b->notif && b->resp) {
		snprintf(b->name, sizeof(b->name), "%s", name);
		b->listener = listener;
		/* no signals on it: the loop's are the main thread's */
		sigfillset(&all);
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		ret = -pthread_create(&thread, &attr, serve, b);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		pthread_attr_destroy(&attr);
		if (ret == 0)
			return;
	}
	log_err("%s: no wake alarms: %s", name, strerror(-ret));
	close(listener);
	if (b) {
		free(b->notif);
		free(b->resp);
	}
	free(b);
}
