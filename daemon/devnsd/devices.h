/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The device nodes of a persona: the children of /sys/class/devns/devns<id>. */
#ifndef DEVNSD_DEVICES_H
#define DEVNSD_DEVICES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct udev;

#define DEV_NODES_MAX 64

struct dev_node {
	char name[48];		/* relative to /dev, e.g. "input/event5", "fb0" */
	mode_t mode;		/* S_IFCHR | permissions */
	dev_t rdev;
};

/*
 * Fills nodes with the device nodes of devns @id for the kinds asked for
 * (DEVICES_*): input nodes keep their names, framebuffers are renumbered
 * from fb0 so that a persona's first screen is /dev/fb0, its DRM card keeps
 * its name and is dri/card0 too, and DEVICES_GPU adds the physical GPU's
 * render nodes.  Copies the sysfs
 * path of the devns device to syspath.  Returns the count, or -errno.
 */
int devices_of_devns(struct udev *udev, uint32_t id, unsigned int kinds,
		     struct dev_node *nodes, size_t max, char *syspath,
		     size_t size);

#endif
