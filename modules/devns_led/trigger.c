// SPDX-License-Identifier: GPL-2.0
/*
 * The "devns" LED trigger: setting it on a physical LED puts that LED under
 * devns control (devnsd or a udev rule writes "devns" to
 * /sys/class/leds/X/trigger; an LED whose default_trigger is "devns" comes by
 * itself).  The LED class has no notifier for LEDs that come and go: a
 * trigger's activate() and deactivate() are the LED core's own way to tell
 * one about the LEDs it drives, on every kernel, including LEDs unregistered
 * under it.
 *
 * The LED core calls both with its own locks held (the LED's led_access and
 * trigger_lock, sometimes leds_list_lock), under which an LED class device
 * can be neither registered nor unregistered: the virtual LEDs follow from
 * devns_led_sync_work.
 */
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "devns_led.h"

/* The class of devns_device(): /sys/class/devns. */
#define DEVNS_CLASS_NAME "devns"

/*
 * Virtual LEDs, and the LEDs input-leds gives devns_input's mirror input
 * devices, all descend from a persona's devns device: devns must not put
 * its own LEDs under itself.
 */
static bool devns_led_is_virtual(struct device *dev)
{
	for (; dev; dev = dev->parent)
		if (dev->class && !strcmp(dev->class->name, DEVNS_CLASS_NAME))
			return true;
	return false;
}

static void devns_led_phys_release(struct kref *ref)
{
	kfree(container_of(ref, struct devns_led_phys, ref));
}

void devns_led_phys_put(struct devns_led_phys *phys)
{
	kref_put(&phys->ref, devns_led_phys_release);
}

/* Under devns_led_lock: devns_led drives @phys (gives it virtual LEDs). */
bool devns_led_controls(const struct devns_led_phys *phys)
{
	return phys->cdev && !phys->claimed;
}

/*
 * Under devns_led_lock, while a persona is shown.  The LED class gives a
 * trigger no say in writes to its LED's brightness file: a brightness other
 * than what devns_led last had the LED show was written by the root (or
 * read back from hardware the root changed) meanwhile, and is the root's
 * value now.
 */
void devns_led_catch_root(struct devns_led_phys *phys)
{
	if (phys->cdev->brightness != phys->written)
		phys->root_value = phys->cdev->brightness;
}

/* Under devns_led_lock: @phys shows what devns_led_shown has set it to. */
void devns_led_show(struct devns_led_phys *phys)
{
	if (devns_led_shown)
		devns_led_catch_root(phys);
	led_set_brightness(phys->cdev, devns_led_value(phys, devns_led_shown));
	phys->written = phys->cdev->brightness;
}

/*
 * Under devns_led_lock: devns_led starts driving @phys.  What it shows now
 * is the root's value; a persona shown now has not set it yet.
 */
static void devns_led_take(struct devns_led_phys *phys)
{
	phys->root_value = phys->cdev->brightness;
	if (devns_led_shown)
		devns_led_show(phys);
}

static int devns_led_activate(struct led_classdev *cdev)
{
	struct devns_led_phys *phys;
	unsigned long flags;
	bool claimed;

	if (devns_led_is_virtual(cdev->dev)) {
		dev_info(cdev->dev, "belongs to devns: not put under devns\n");
		return -EINVAL;
	}

	phys = kzalloc(sizeof(*phys), GFP_KERNEL);
	if (!phys)
		return -ENOMEM;
	kref_init(&phys->ref);
	INIT_LIST_HEAD(&phys->virts);
	phys->max_brightness = cdev->max_brightness;
	strscpy(phys->name, dev_name(cdev->dev), sizeof(phys->name));
	led_set_trigger_data(cdev, phys);

	spin_lock_irqsave(&devns_led_lock, flags);
	phys->cdev = cdev;
	list_add_tail(&phys->node, &devns_led_phys_list);
	/* Checked under the lock the claim notifier takes: no claim missed. */
	claimed = devns_device_claimed(cdev->dev->parent);
	phys->claimed = claimed;
	if (!claimed)
		devns_led_take(phys);
	spin_unlock_irqrestore(&devns_led_lock, flags);

	if (claimed)
		dev_info(cdev->dev,
			 "its device is virtualized by another devns module: no virtual LEDs\n");
	else
		schedule_work(&devns_led_sync_work);
	return 0;
}

/* The LED leaves the trigger (by request, or it is being unregistered). */
static void devns_led_deactivate(struct led_classdev *cdev)
{
	struct devns_led_phys *phys = led_get_trigger_data(cdev);
	unsigned long flags;

	spin_lock_irqsave(&devns_led_lock, flags);
	list_del(&phys->node);
	phys->cdev = NULL;
	spin_unlock_irqrestore(&devns_led_lock, flags);

	schedule_work(&devns_led_sync_work);
	devns_led_phys_put(phys);
}

struct led_trigger devns_led_trigger = {
	.name = "devns",
	.activate = devns_led_activate,
	.deactivate = devns_led_deactivate,
};

/* Under devns_led_lock: another subsystem takes over @phys's device. */
static void devns_led_hand_over(struct devns_led_phys *phys)
{
	if (devns_led_shown) {
		devns_led_catch_root(phys);
		led_set_brightness(phys->cdev, phys->root_value);
	}
	dev_info(phys->cdev->dev,
		 "its device is virtualized by another devns module now: virtual LEDs removed\n");
}

/*
 * Under devns_led_lock: the other subsystem let @phys's device go, having
 * given the hardware the root's state back; the LED class may not know it
 * yet.  The LEDs of a claimed device are input-leds': their brightness_get
 * only tests a bit, and they cannot be unregistered meanwhile (input-leds
 * does that under input_mutex, which devns_input holds while it releases).
 */
static void devns_led_take_back(struct devns_led_phys *phys)
{
	led_update_brightness(phys->cdev);
	devns_led_take(phys);
	dev_info(phys->cdev->dev,
		 "its device is no other devns module's now: virtual LEDs again\n");
}

/*
 * A device's LEDs belong to the subsystem that claims it (devns_input's
 * mirrors switch a keyboard's LEDs themselves): they stay under the trigger,
 * but devns_led gives them no virtual LEDs and never writes them until the
 * claim ends.
 */
static int devns_led_claim_event(struct notifier_block *nb,
				 unsigned long event, void *data)
{
	const struct devns_claim *claim = data;
	bool claimed = event == DEVNS_DEVICE_CLAIMED;
	struct devns_led_phys *phys;
	unsigned long flags;

	spin_lock_irqsave(&devns_led_lock, flags);
	list_for_each_entry(phys, &devns_led_phys_list, node) {
		if (phys->cdev->dev->parent != claim->dev ||
		    phys->claimed == claimed)
			continue;
		phys->claimed = claimed;
		if (claimed)
			devns_led_hand_over(phys);
		else
			devns_led_take_back(phys);
	}
	spin_unlock_irqrestore(&devns_led_lock, flags);

	schedule_work(&devns_led_sync_work);
	return NOTIFY_OK;
}

struct notifier_block devns_led_claim_nb = {
	.notifier_call = devns_led_claim_event,
};
