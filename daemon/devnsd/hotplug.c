// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Devices that come and go after a persona started: devns_input and
 * devns_fb give it mirrors of new physical devices (and take them away),
 * as children of its devns device.  Keep the /dev that devnsd made for it
 * in step, from inside its mount namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <libudev.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "devnsd.h"
#include "log.h"

#define FB_MAX 32

/* /dev/NAME in our mount namespace holds rdev. */
static bool node_is(const char *path, dev_t rdev)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == rdev;
}

/* In the persona's mount namespace: add or remove the node of rdev. */
static int update_node(bool add, const char *name, dev_t rdev, bool fb)
{
	char path[128];
	int i;

	if (fb) {
		/* a persona's framebuffers are numbered from fb0 in its /dev */
		int free_slot = -1;

		for (i = FB_MAX - 1; i >= 0; i--) {
			snprintf(path, sizeof(path), "/dev/fb%d", i);
			if (node_is(path, rdev))
				return add ? 0 : unlink(path);
			if (access(path, F_OK) < 0)
				free_slot = i;
		}
		if (!add)
			return 0;
		if (free_slot < 0)
			return -ENOSPC;
		snprintf(path, sizeof(path), "/dev/fb%d", free_slot);
	} else {
		char *slash;

		snprintf(path, sizeof(path), "/dev/%s", name);
		if (!add)
			return node_is(path, rdev) ? unlink(path) : 0;
		if (node_is(path, rdev))
			return 0;
		slash = strrchr(path, '/');
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	if (mknod(path, S_IFCHR | 0660, rdev) < 0 || chmod(path, 0660) < 0)
		return -errno;
	return 0;
}

static int in_persona(struct persona *p, bool add, const char *name,
		      dev_t rdev, bool fb)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (setns(p->pidfd, CLONE_NEWNS) < 0)
			_exit(2);
		_exit(update_node(add, name, rdev, fb) < 0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
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
	int ret;

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
	if (!p || p->is_root || !p->has_config || p->adopted || p->pidfd < 0 ||
	    !(p->cfg.devices & kind))
		goto out;
	ret = in_persona(p, add, node + 5, udev_device_get_devnum(dev),
			 kind == DEVICES_FB);
	if (ret < 0)
		log_err("%s: cannot %s %s in its /dev", p->name,
			add ? "add" : "remove", node);
	else
		log_info("%s: %s %s", p->name, add ? "added" : "removed", node);
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
