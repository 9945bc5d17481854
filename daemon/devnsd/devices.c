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
	if (strcmp(subsystem, "drm") == 0)
		return DEVICES_KMS;
	return 0;	/* LEDs have no nodes: they live in sysfs */
}

static int add_node(struct dev_node *nodes, size_t *n, size_t max,
		    const char *name, dev_t rdev)
{
	if (*n == max)
		return -E2BIG;
	snprintf(nodes[*n].name, sizeof(nodes[0].name), "%s", name);
	nodes[*n].mode = S_IFCHR | 0660;
	nodes[*n].rdev = rdev;
	(*n)++;
	return 0;
}

/*
 * The persona's DRM card (devns_kms makes one) is also dri/card0, for
 * programs that open that name; the physical GPU's render nodes (not a
 * persona's: devns_kms's cards have none) with GPU=share.
 */
static int add_kms_nodes(struct udev *udev, unsigned int kinds,
			 struct dev_node *nodes, size_t *n, size_t max)
{
	struct udev_enumerate *e;
	struct udev_list_entry *entry;
	int err = 0;

	for (size_t i = 0; i < *n; i++) {
		if (strncmp(nodes[i].name, "dri/card", 8) == 0) {
			if (strcmp(nodes[i].name, "dri/card0") != 0)
				err = add_node(nodes, n, max, "dri/card0",
					       nodes[i].rdev);
			break;
		}
	}
	if (err || !(kinds & DEVICES_GPU))
		return err;
	e = udev_enumerate_new(udev);
	if (!e || udev_enumerate_add_match_subsystem(e, "drm") < 0 ||
	    udev_enumerate_add_match_sysname(e, "renderD*") < 0 ||
	    udev_enumerate_scan_devices(e) < 0) {
		udev_enumerate_unref(e);
		return -ENOMEM;
	}
	udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e)) {
		struct udev_device *dev = udev_device_new_from_syspath(
			udev, udev_list_entry_get_name(entry));
		const char *node = dev ? udev_device_get_devnode(dev) : NULL;

		if (node && strncmp(node, "/dev/", 5) == 0 &&
		    !strstr(udev_device_get_syspath(dev), "/devns/"))
			err = add_node(nodes, n, max, node + 5,
				       udev_device_get_devnum(dev));
		udev_device_unref(dev);
		if (err)
			break;
	}
	udev_enumerate_unref(e);
	return err;
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
			err = add_node(nodes, &n, max, node + 5,
				       udev_device_get_devnum(dev));
			if (err) {
				udev_device_unref(dev);
				goto out;
			}
			if (kind == DEVICES_FB) {
				/* bring the framebuffers to the front */
				struct dev_node fb = nodes[n - 1];

				memmove(&nodes[fbs + 1], &nodes[fbs],
					(n - 1 - fbs) * sizeof(nodes[0]));
				nodes[fbs++] = fb;
			}
		}
		udev_device_unref(dev);
	}
	qsort(nodes, fbs, sizeof(nodes[0]), by_fb_minor);
	for (size_t i = 0; i < fbs; i++)
		snprintf(nodes[i].name, sizeof(nodes[i].name), "fb%zu", i);
	err = add_kms_nodes(udev, kinds, nodes, &n, max);
out:
	udev_enumerate_unref(e);
	udev_device_unref(parent);
	return err ? err : (int)n;
}
