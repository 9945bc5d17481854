// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <libudev.h>

#include "config.h"
#include "devices.h"

static int kind_of(const char *subsystem)
{
	if (strcmp(subsystem, "input") == 0)
		return DEVICES_INPUT;
	if (strcmp(subsystem, "graphics") == 0)
		return DEVICES_FB;
	return 0;	/* LEDs have no nodes: they live in sysfs */
}

static int by_fb_minor(const void *a, const void *b)
{
	const struct dev_node *x = a, *y = b;

	return (int)minor(x->rdev) - (int)minor(y->rdev);
}

int devices_of_devns(struct udev *udev, uint32_t id, unsigned int kinds,
		     struct dev_node *nodes, size_t max, char *syspath,
		     size_t size)
{
	struct udev_enumerate *e = NULL;
	struct udev_list_entry *entry;
	struct udev_device *parent;
	char sysname[32];
	size_t n = 0, fbs = 0;
	int err = 0;

	snprintf(sysname, sizeof(sysname), "devns%u", id);
	parent = udev_device_new_from_subsystem_sysname(udev, "devns", sysname);
	if (!parent)
		return -ENOENT;
	snprintf(syspath, size, "%s", udev_device_get_syspath(parent));
	e = udev_enumerate_new(udev);
	if (!e || udev_enumerate_add_match_parent(e, parent) < 0 ||
	    udev_enumerate_scan_devices(e) < 0) {
		err = -ENOMEM;
		goto out;
	}
	udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e)) {
		struct udev_device *dev = udev_device_new_from_syspath(
			udev, udev_list_entry_get_name(entry));
		const char *subsystem, *node;
		int kind;

		if (!dev)
			continue;
		subsystem = udev_device_get_subsystem(dev);
		node = udev_device_get_devnode(dev);
		kind = subsystem ? kind_of(subsystem) : 0;
		if ((kinds & kind) && node && strncmp(node, "/dev/", 5) == 0 &&
		    major(udev_device_get_devnum(dev))) {
			if (n == max) {
				udev_device_unref(dev);
				err = -E2BIG;
				goto out;
			}
			snprintf(nodes[n].name, sizeof(nodes[n].name), "%s",
				 node + 5);
			nodes[n].mode = S_IFCHR | 0660;
			nodes[n].rdev = udev_device_get_devnum(dev);
			if (kind == DEVICES_FB) {
				/* bring the framebuffers to the front */
				struct dev_node fb = nodes[n];

				memmove(&nodes[fbs + 1], &nodes[fbs],
					(n - fbs) * sizeof(nodes[0]));
				nodes[fbs++] = fb;
			}
			n++;
		}
		udev_device_unref(dev);
	}
	qsort(nodes, fbs, sizeof(nodes[0]), by_fb_minor);
	for (size_t i = 0; i < fbs; i++)
		snprintf(nodes[i].name, sizeof(nodes[i].name), "fb%zu", i);
out:
	udev_enumerate_unref(e);
	udev_device_unref(parent);
	return err ? err : (int)n;
}
