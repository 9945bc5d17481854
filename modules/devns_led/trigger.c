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

static int devns_led_activate(struct led_classdev *cdev)
{
	struct devns_led_phys *phys;
	unsigned long flags;

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
	/* What the root set before: shown again when the root is active. */
	phys->root_value = cdev->brightness;
	list_add_tail(&phys->node, &devns_led_phys_list);
	/* A persona shown now has not set this LED yet. */
	if (devns_led_shown)
		led_set_brightness(cdev, LED_OFF);
	spin_unlock_irqrestore(&devns_led_lock, flags);

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
