// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Processes by pidfd: what a pidfd names, whether it still lives, and the
 * devns calls that take one, falling back to the pid (checked against the
 * pidfd afterwards) on a devns_core that predates DEVNS_A_PIDFD.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/pidfd.h>

#include "devnsd.h"
#include "log.h"

int pidfd_pid(int pidfd)
{
	char path[64], line[128];
	int pid = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "Pid: %d", &pid) == 1;
	fclose(f);
	if (!found)
		return -EBADF;		/* not a pidfd */
	return pid > 0 ? pid : -ESRCH;	/* 0 or -1: it exited */
}

bool pidfd_alive(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	/* a pidfd turns readable when its process exits */
	return poll(&pfd, 1, 0) == 0;
}

int proc_start_time(pid_t pid, uint64_t *ticks)
{
	char path[64], buf[1024], *p;
	unsigned long long start;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	/* the command may hold anything, ")" included: fields follow the last */
	p = strrchr(buf, ')');
	/* state ppid pgrp session tty tpgid flags minflt cminflt majflt
	 * cmajflt utime stime cutime cstime priority nice threads itrealvalue
	 * starttime */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
			 "%*u %*u %*d %*d %*d %*d %*d %*d %llu", &start) != 1)
		return -EIO;
	*ticks = start;
	return 0;
}

/* Whether devns_core took DEVNS_A_PIDFD; said once in the log. */
static bool kernel_takes_pidfd(int ret)
{
	static int said;

	if (said != (ret == -EOPNOTSUPP ? 1 : 2)) {
		said = ret == -EOPNOTSUPP ? 1 : 2;
		if (said == 1)
			log_info("devns_core knows no DEVNS_A_PIDFD: naming processes by pid, checked by pidfd");
		else
			log_info("devns_core takes processes by pidfd (DEVNS_A_PIDFD)");
	}
	return ret != -EOPNOTSUPP;
}

int devns_of_pidfd(struct devnsd *d, int pidfd, struct devns_info *info)
{
	int ret = devns_nl_get_by_pidfd(d->nl, pidfd, info);
	int pid;

	if (kernel_takes_pidfd(ret))
		return ret;
	pid = pidfd_pid(pidfd);
	if (pid < 0)
		return pid;
	ret = devns_nl_get_by_pid(d->nl, pid, info);
	/* the answer was about @pid's process only if it is still alive */
	return ret ? ret : pidfd_alive(pidfd) ? 0 : -ESRCH;
}

int devns_register_pidfd(struct devnsd *d, int pidfd, const char *tag,
			 struct devns_info *info)
{
	int ret = devns_nl_create_by_pidfd(d->nl, pidfd, tag, info);
	int pid;

	if (kernel_takes_pidfd(ret))
		return ret;
	pid = pidfd_pid(pidfd);
	if (pid < 0)
		return pid;
	ret = devns_nl_create(d->nl, pid, tag, info);
	if (!ret && !pidfd_alive(pidfd)) {
		/* @pid may have named another process by then: undo */
		devns_nl_destroy(d->nl, info->id);
		ret = -ESRCH;
	}
	return ret;
}

int devns_init_pidfd(struct devnsd *d, const struct devns_info *info)
{
	struct devns_info now;
	int pidfd = pidfd_open(info->pid, 0), ret;

	if (pidfd < 0)
		return -errno;
	/* the pid may have been reused since the kernel named it */
	ret = devns_of_pidfd(d, pidfd, &now);
	if (!ret && (now.id != info->id || now.pid != info->pid))
		ret = -ESRCH;
	if (ret) {
		close(pidfd);
		return ret;
	}
	return pidfd;
}
