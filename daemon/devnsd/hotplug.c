// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Devices that come and go after a persona started: devns_input and
 * devns_fb give it mirrors of new physical devices (and take them away),
 * as children of its devns device.  Keep the /dev that devnsd made for it
 * in step, through the directory fd its spawn handed over.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libudev.h>
#include <linux/openat2.h>
#include <sys/epoll.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "devnsd.h"
#include "log.h"

#define FB_MAX 32

struct hotplug_op {
	struct hotplug_op *next;
	bool add, fb;
	dev_t rdev;
	char name[64];		/* under /dev */
};

/*
 * Below the persona's /dev, which it controls: no symlinks, no mount
 * points (a FUSE mount would hang us), nothing outside.
 */
static int open_beneath(int dirfd, const char *name, int flags)
{
	struct open_how how = {
		.flags = flags | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
			   RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	int fd = syscall(SYS_openat2, dirfd, name, &how, sizeof(how));

	return fd < 0 ? -errno : fd;
}

/* dirfd/name is the device node rdev (0), something else (1), absent (-ENOENT). */
static int node_is(int dirfd, const char *name, dev_t rdev)
{
	struct stat st;
	int fd = open_beneath(dirfd, name, O_PATH), ret;

	if (fd < 0)
		return fd == -ENOENT ? fd : 1;
	ret = fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == rdev
	      ? 0 : 1;
	close(fd);
	return ret;
}

/* A new node (or directory), owned by the persona's root: its udev's to set up. */
static int make_owned(int dirfd, const char *name, mode_t mode, dev_t rdev,
		      uid_t uid)
{
	if ((S_ISDIR(mode) ? mkdirat(dirfd, name, mode & 07777)
			   : mknodat(dirfd, name, mode, rdev)) < 0)
		return -errno;
	return fchownat(dirfd, name, uid, uid, AT_SYMLINK_NOFOLLOW) ? -errno : 0;
}

/* In the helper: add or remove op's node below devfd, owned by uid. */
static int update_node(int devfd, const struct hotplug_op *op, uid_t uid)
{
	char dir[64], leaf[64], *slash;
	int dirfd, ret;

	umask(0);	/* mknodat makes the mode wanted; no chmod on a path */
	if (op->fb) {
		/* a persona's framebuffers are numbered from fb0 in its /dev */
		int free_slot = -1;

		for (int i = FB_MAX - 1; i >= 0; i--) {
			snprintf(leaf, sizeof(leaf), "fb%d", i);
			ret = node_is(devfd, leaf, op->rdev);
			if (ret == 0)
				return op->add ? 0 : unlinkat(devfd, leaf, 0);
			if (ret == -ENOENT)
				free_slot = i;
		}
		if (!op->add)
			return 0;
		if (free_slot < 0)
			return -ENOSPC;
		snprintf(leaf, sizeof(leaf), "fb%d", free_slot);
		return make_owned(devfd, leaf, S_IFCHR | 0660, op->rdev, uid);
	}
	snprintf(dir, sizeof(dir), "%s", op->name);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		snprintf(leaf, sizeof(leaf), "%s", slash + 1);
		if (op->add && strchr(dir, '/') == NULL)
			make_owned(devfd, dir, S_IFDIR | 0755, 0, uid);
		dirfd = open_beneath(devfd, dir, O_PATH | O_DIRECTORY);
		if (dirfd < 0)
			return op->add ? dirfd : 0;
	} else {
		snprintf(leaf, sizeof(leaf), "%s", op->name);
		dirfd = devfd;
	}
	ret = node_is(dirfd, leaf, op->rdev);
	if (!op->add)
		ret = ret == 0 && unlinkat(dirfd, leaf, 0) < 0 ? -errno : 0;
	else if (ret != 0)
		ret = make_owned(dirfd, leaf, S_IFCHR | 0660, op->rdev, uid);
	if (dirfd != devfd)
		close(dirfd);
	return ret;
}

static void run_next(struct persona *p);

static void helper_done(struct persona *p, bool ok)
{
	struct hotplug_op *op = p->hotplug_queue;

	p->hotplug_exit = sd_event_source_disable_unref(p->hotplug_exit);
	p->hotplug_timer = sd_event_source_disable_unref(p->hotplug_timer);
	close(p->hotplug_pidfd);
	p->hotplug_pidfd = -1;
	if (op) {
		if (ok)
			log_info("%s: %s /dev/%s", p->name,
				 op->add ? "added" : "removed", op->name);
		else
			log_err("%s: cannot %s /dev/%s in its /dev", p->name,
				op->add ? "add" : "remove", op->name);
		p->hotplug_queue = op->next;
		free(op);
	}
	run_next(p);
}

static int on_helper_exit(sd_event_source *s, int fd, uint32_t revents,
			  void *data)
{
	siginfo_t si = { 0 };

	(void)s, (void)revents;
	waitid(P_PIDFD, fd, &si, WEXITED | WNOHANG);
	helper_done(data, si.si_code == CLD_EXITED && si.si_status == 0);
	return 0;
}

static int on_helper_timeout(sd_event_source *s, uint64_t usec, void *data)
{
	struct persona *p = data;

	(void)usec;
	p->hotplug_timer = sd_event_source_disable_unref(s);
	log_err("%s: its /dev hangs the hot-plug helper; killing it", p->name);
	/* its exit ends the job */
	pidfd_send_signal(p->hotplug_pidfd, SIGKILL, NULL, 0);
	return 0;
}

/*
 * The persona controls what is below its /dev: work on it in a helper
 * process, watched from the loop and killed if it takes too long.
 */
static void run_next(struct persona *p)
{
	struct hotplug_op *op = p->hotplug_queue;
	pid_t pid;
	int pidfd;

	if (!op || p->hotplug_pidfd >= 0)
		return;
	if (p->devfd < 0) {
		p->hotplug_queue = op->next;	/* not running any more */
		free(op);
		run_next(p);
		return;
	}
	pid = fork();
	if (pid == 0)
		_exit(update_node(p->devfd, op, p->root_uid) < 0);
	pidfd = pid < 0 ? -1 : pidfd_open(pid, 0);	/* our child: not reused */
	if (pidfd < 0 ||
	    sd_event_add_io(p->d->event, &p->hotplug_exit, pidfd, EPOLLIN,
			    on_helper_exit, p) < 0) {
		log_err("%s: cannot start the hot-plug helper: %m", p->name);
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		if (pidfd >= 0)
			close(pidfd);
		p->hotplug_queue = op->next;
		free(op);
		return;
	}
	p->hotplug_pidfd = pidfd;
	sd_event_add_time_relative(p->d->event, &p->hotplug_timer,
				   CLOCK_MONOTONIC, HOTPLUG_TIMEOUT_USEC, 0,
				   on_helper_timeout, p);
}

void hotplug_drop(struct persona *p)
{
	/* a helper at work finishes (or times out) on its own */
	struct hotplug_op **pos = &p->hotplug_queue;

	if (p->hotplug_pidfd >= 0 && *pos)
		pos = &(*pos)->next;
	while (*pos) {
		struct hotplug_op *op = *pos;

		*pos = op->next;
		free(op);
	}
}

static void queue(struct persona *p, bool add, const char *name, dev_t rdev,
		  bool fb)
{
	struct hotplug_op *op = calloc(1, sizeof(*op)), **pos;

	if (!op) {
		log_err("%s: out of memory for /dev/%s", p->name, name);
		return;
	}
	op->add = add;
	op->fb = fb;
	op->rdev = rdev;
	snprintf(op->name, sizeof(op->name), "%s", name);
	for (pos = &p->hotplug_queue; *pos; pos = &(*pos)->next)
		;
	*pos = op;
	run_next(p);
}

static int on_udev(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct udev_monitor *mon = data;
	struct udev_device *dev = udev_monitor_receive_device(mon);
	struct devnsd *d = udev_get_userdata(udev_monitor_get_udev(mon));
	const char *action, *node, *sub, *at;
	struct persona *p;
	unsigned int id, kind;
	bool add;

	(void)s, (void)fd, (void)revents;
	if (!dev)
		return 0;
	action = udev_device_get_action(dev);
	node = udev_device_get_devnode(dev);
	sub = udev_device_get_subsystem(dev);
	at = strstr(udev_device_get_syspath(dev), "/devns/devns");
	kind = sub && !strcmp(sub, "graphics") ? DEVICES_FB : DEVICES_INPUT;
	add = action && !strcmp(action, "add");
	if (!action || (!add && strcmp(action, "remove")) || !node || !at ||
	    strncmp(node, "/dev/", 5) || sscanf(at, "/devns/devns%u/", &id) != 1)
		goto out;
	p = persona_find_id(d, id);
	/* only personas whose /dev devnsd made */
	if (!p || p->is_root || !p->has_config || p->adopted || p->devfd < 0 ||
	    !(p->cfg.devices & kind))
		goto out;
	queue(p, add, node + 5, udev_device_get_devnum(dev), kind == DEVICES_FB);
out:
	udev_device_unref(dev);
	return 0;
}

int hotplug_setup(struct devnsd *d)
{
	/* with udevd running, hear about devices after it is done with them */
	const char *source = access("/run/udev/control", F_OK) == 0 ? "udev"
								     : "kernel";
	struct udev_monitor *mon = udev_monitor_new_from_netlink(d->udev, source);

	if (!mon ||
	    udev_monitor_filter_add_match_subsystem_devtype(mon, "input", NULL) < 0 ||
	    udev_monitor_filter_add_match_subsystem_devtype(mon, "graphics", NULL) < 0 ||
	    udev_monitor_enable_receiving(mon) < 0) {
		udev_monitor_unref(mon);
		return -EIO;
	}
	udev_set_userdata(d->udev, d);
	return sd_event_add_io(d->event, NULL, udev_monitor_get_fd(mon), EPOLLIN,
			       on_udev, mon);
}
