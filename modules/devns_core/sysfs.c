// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/devns/devns<id>: one device per devns, parent of the persona's
 * virtual devices, so userspace and udev rules can tell whose they are.
 * A persona reads only its own attributes (others' fail with ENOENT); the
 * directories themselves are everyone's, as sysfs has no per-pid-namespace
 * view.  init_pid is the reader's pid of the init.
 */
#include <linux/device.h>
#include <linux/pid.h>
#include <devns_compat.h>
#include "devns_core.h"

static struct class *devns_class;

/* @dev's devns if the reader may see it. */
static struct devns *devns_sysfs_ns(struct device *dev)
{
	struct devns *ns = dev_get_drvdata(dev);
	bool sees;

	rcu_read_lock();
	sees = devns_caller_sees(ns);
	rcu_read_unlock();
	return sees ? ns : NULL;
}

static ssize_t id_show(struct device *dev, struct device_attribute *attr,
		       char *buf)
{
	struct devns *ns = devns_sysfs_ns(dev);

	return ns ? sysfs_emit(buf, "%u\n", ns->id) : -ENOENT;
}
static DEVICE_ATTR_RO(id);

static ssize_t tag_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct devns *ns = devns_sysfs_ns(dev);
	char tag[DEVNS_TAG_LEN];

	if (!ns)
		return -ENOENT;
	devns_tag(ns, tag);
	return sysfs_emit(buf, "%s\n", tag);
}
static DEVICE_ATTR_RO(tag);

static ssize_t init_pid_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct devns *ns = devns_sysfs_ns(dev);

	return ns ? sysfs_emit(buf, "%d\n", devns_caller_init_nr(ns)) : -ENOENT;
}
static DEVICE_ATTR_RO(init_pid);

static ssize_t active_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct devns *ns = devns_sysfs_ns(dev);

	return ns ? sysfs_emit(buf, "%d\n", devns_is_active(ns)) : -ENOENT;
}
static DEVICE_ATTR_RO(active);

static struct attribute *devns_attrs[] = {
	&dev_attr_id.attr,
	&dev_attr_tag.attr,
	&dev_attr_init_pid.attr,
	&dev_attr_active.attr,
	NULL
};
ATTRIBUTE_GROUPS(devns);

int devns_sysfs_add(struct devns *ns)
{
	ns->dev = device_create_with_groups(devns_class, NULL, MKDEV(0, 0), ns,
					    devns_groups, "devns%u", ns->id);
	return PTR_ERR_OR_ZERO(ns->dev);
}

/* The attributes are drained before this returns: @ns may then go. */
void devns_sysfs_del(struct devns *ns)
{
	device_unregister(ns->dev);
	ns->dev = NULL;
}

int devns_sysfs_init(void)
{
	devns_class = devns_class_create("devns");
	return PTR_ERR_OR_ZERO(devns_class);
}

void devns_sysfs_exit(void)
{
	class_destroy(devns_class);
}
