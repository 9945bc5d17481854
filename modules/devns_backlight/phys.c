// SPDX-License-Identifier: GPL-2.0
/*
 * Physical backlight devices, followed through a class interface on the
 * backlight class (the backlight core's notifier is gone by 7.x), and what
 * they show: the root's values while the root is active, the active
 * persona's otherwise.
 *
 * The backlight class gives nobody a say in writes to a physical device's
 * brightness and bl_power files: what the root (or the driver, e.g. on a
 * firmware brightness key) sets there while a persona is active shows at
 * once and becomes the root's value, found out the next time devns_backlight
 * writes the device.
 */
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <devns_compat.h>
#include "devns_backlight.h"

/* The class of devns_device(): /sys/class/devns. */
#define DEVNS_CLASS_NAME "devns"

/* Virtual backlights descend from a persona's devns device. */
static bool dbl_is_virtual(struct device *dev)
{
	for (; dev; dev = dev->parent)
		if (dev->class && !strcmp(dev->class->name, DEVNS_CLASS_NAME))
			return true;
	return false;
}

static void dbl_phys_release(struct kref *ref)
{
	struct dbl_phys *phys = container_of(ref, struct dbl_phys, ref);

	put_device(&phys->bd->dev);
	kfree(phys);
}

void dbl_phys_put(struct dbl_phys *phys)
{
	kref_put(&phys->ref, dbl_phys_release);
}

/* Under @bd's ops_lock. */
static struct dbl_state dbl_hw_state(struct backlight_device *bd)
{
	return (struct dbl_state){ bd->props.brightness, bd->props.power };
}

static bool dbl_state_eq(struct dbl_state a, struct dbl_state b)
{
	return a.brightness == b.brightness && a.power == b.power;
}

/* Under dbl_hw_mutex: the root's values of @phys, wherever they are now. */
struct dbl_state dbl_root_value(struct dbl_phys *phys)
{
	struct dbl_state state;

	if (dbl_shown)
		return phys->root;
	mutex_lock(&phys->bd->ops_lock);
	state = dbl_hw_state(phys->bd);
	mutex_unlock(&phys->bd->ops_lock);
	return state;
}

/* Under dbl_hw_mutex, the root leaving: its values are what @phys shows. */
void dbl_save_root(struct dbl_phys *phys)
{
	phys->root = dbl_root_value(phys);
}

/* Under dbl_hw_mutex and @phys's ops_lock, while a persona is shown. */
static void __dbl_catch_root(struct dbl_phys *phys)
{
	struct dbl_state now = dbl_hw_state(phys->bd);

	if (!dbl_state_eq(now, phys->written))
		phys->root = now;
}

/* Under dbl_hw_mutex, a persona leaving: keep what the root set meanwhile. */
void dbl_catch_root(struct dbl_phys *phys)
{
	mutex_lock(&phys->bd->ops_lock);
	__dbl_catch_root(phys);
	mutex_unlock(&phys->bd->ops_lock);
}

/* Under dbl_hw_mutex: @phys shows what dbl_shown has set it to. */
void dbl_show(struct dbl_phys *phys)
{
	struct backlight_device *bd = phys->bd;
	struct dbl_state want;

	mutex_lock(&bd->ops_lock);
	if (dbl_shown)
		__dbl_catch_root(phys);
	want = dbl_shown ? dbl_value(phys, dbl_shown) : phys->root;
	/* No ops: not registered yet, or being unregistered. */
	if (bd->ops && !dbl_state_eq(dbl_hw_state(bd), want)) {
		bd->props.brightness = want.brightness;
		bd->props.power = want.power;
		backlight_update_status(bd);
	}
	phys->written = want;
	mutex_unlock(&bd->ops_lock);
}

/* The shown persona set its virtual device: the hardware follows. */
static void dbl_show_all(struct work_struct *work)
{
	struct dbl_phys *phys;

	mutex_lock(&dbl_hw_mutex);
	list_for_each_entry(phys, &dbl_phys_list, node)
		dbl_show(phys);
	mutex_unlock(&dbl_hw_mutex);
}
DECLARE_WORK(dbl_show_work, dbl_show_all);

/*
 * Called under the backlight class's mutex, by device_add() before the
 * backlight core gives the device its ops (dbl_show() waits for them), and
 * for every device at registration.
 */
static int dbl_add_dev(DEVNS_CLASS_INTF_DEV_ARGS)
{
	struct backlight_device *bd = to_backlight_device(dev);
	struct dbl_phys *phys;

	if (dbl_is_virtual(dev))
		return 0;

	phys = kzalloc(sizeof(*phys), GFP_KERNEL);
	if (!phys)
		return -ENOMEM;
	kref_init(&phys->ref);
	INIT_LIST_HEAD(&phys->virts);
	get_device(dev);
	phys->bd = bd;
	strscpy(phys->name, dev_name(dev), sizeof(phys->name));

	mutex_lock(&dbl_hw_mutex);
	mutex_lock(&bd->ops_lock);
	phys->props.type = bd->props.type;
	phys->props.max_brightness = bd->props.max_brightness;
	phys->props.scale = bd->props.scale;
	/* What it shows now is the root's; a persona shown has not set it. */
	phys->root = dbl_hw_state(bd);
	phys->written = phys->root;
	mutex_unlock(&bd->ops_lock);
	list_add_tail(&phys->node, &dbl_phys_list);
	mutex_unlock(&dbl_hw_mutex);

	schedule_work(&dbl_sync_work);
	return 0;
}

/* The device is going: the backlight core has taken its ops already. */
static void dbl_remove_dev(DEVNS_CLASS_INTF_DEV_ARGS)
{
	struct dbl_phys *phys, *found = NULL;

	mutex_lock(&dbl_hw_mutex);
	list_for_each_entry(phys, &dbl_phys_list, node) {
		if (&phys->bd->dev == dev) {
			list_del_init(&phys->node);
			found = phys;
			break;
		}
	}
	mutex_unlock(&dbl_hw_mutex);
	if (!found)
		return;

	schedule_work(&dbl_sync_work);
	dbl_phys_put(found);
}

/* .class is set at load: the backlight core does not export its class. */
struct class_interface dbl_intf = {
	.add_dev = dbl_add_dev,
	.remove_dev = dbl_remove_dev,
};
