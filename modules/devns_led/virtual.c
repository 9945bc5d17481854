// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual LEDs: every persona has one for each physical LED devns_led drives
 * (under the devns trigger, its device claimed by no other subsystem), named
 * after it with the persona's prefix ("devns<id>-"), with the same
 * max_brightness, a child of the persona's devns device.
 *
 * A virtual LED remembers every value it is set to and passes it on to its
 * physical LED while its persona is shown.  It has no blink_set: the LED
 * core blinks it in software (for led_blink_set(), the timer trigger and
 * the like), one brightness_set per step, so blinking reaches the physical
 * LED only while the persona is shown, like any other value, and resumes
 * there when the persona comes back.
 */
#include <linux/slab.h>
#include "devns_led.h"

static void devns_led_virt_set(struct led_classdev *cdev,
			       enum led_brightness value)
{
	struct devns_led_virt *virt =
		container_of(cdev, struct devns_led_virt, cdev);
	unsigned long flags;

	spin_lock_irqsave(&devns_led_lock, flags);
	virt->value = value;
	if (virt->persona->ns == devns_led_shown &&
	    devns_led_controls(virt->phys) && !list_empty(&virt->phys_node))
		devns_led_show(virt->phys);
	spin_unlock_irqrestore(&devns_led_lock, flags);
}

/* Under devns_led_lock: what @phys shows while @ns (NULL: root) is shown. */
unsigned int devns_led_value(struct devns_led_phys *phys, struct devns *ns)
{
	struct devns_led_virt *virt;

	if (!ns)
		return phys->root_value;
	list_for_each_entry(virt, &phys->virts, phys_node)
		if (virt->persona->ns == ns)
			return virt->value;
	return LED_OFF;
}

/* Serialized by devns_core (see devns_led.h). */
static int devns_led_virt_create(struct devns_led_persona *persona,
				 struct devns_led_phys *phys)
{
	struct devns_led_virt *virt;
	unsigned long flags;
	int err;

	virt = kzalloc(sizeof(*virt), GFP_KERNEL);
	if (!virt)
		return -ENOMEM;
	snprintf(virt->name, sizeof(virt->name), "devns%u-%s",
		 devns_id(persona->ns), phys->name);
	virt->cdev.name = virt->name;
	virt->cdev.max_brightness = phys->max_brightness;
	virt->cdev.brightness_set = devns_led_virt_set;
	kref_get(&phys->ref);
	virt->phys = phys;
	virt->persona = persona;

	/* Linked first, so that a switch never misses a value it was set to. */
	spin_lock_irqsave(&devns_led_lock, flags);
	list_add_tail(&virt->phys_node, &phys->virts);
	spin_unlock_irqrestore(&devns_led_lock, flags);

	err = led_classdev_register(devns_device(persona->ns), &virt->cdev);
	if (err) {
		spin_lock_irqsave(&devns_led_lock, flags);
		list_del(&virt->phys_node);
		spin_unlock_irqrestore(&devns_led_lock, flags);
		devns_led_phys_put(phys);
		kfree(virt);
		return err;
	}
	list_add_tail(&virt->persona_node, &persona->virts);
	return 0;
}

/* Serialized by devns_core (see devns_led.h). */
static void devns_led_virt_destroy(struct devns_led_virt *virt)
{
	unsigned long flags;

	/* Unlinked first: unregistering sets it to off, for itself only. */
	spin_lock_irqsave(&devns_led_lock, flags);
	list_del_init(&virt->phys_node);
	spin_unlock_irqrestore(&devns_led_lock, flags);

	led_classdev_unregister(&virt->cdev);
	list_del(&virt->persona_node);
	devns_led_phys_put(virt->phys);
	kfree(virt);
}

/* Under devns_led_lock. */
static bool devns_led_has_virt(struct devns_led_phys *phys,
			       struct devns_led_persona *persona)
{
	struct devns_led_virt *virt;

	list_for_each_entry(virt, &phys->virts, phys_node)
		if (virt->persona == persona)
			return true;
	return false;
}

/* A physical LED under the trigger that @persona has no virtual LED for. */
static struct devns_led_phys *devns_led_missing(struct devns_led_persona *persona)
{
	struct devns_led_phys *phys, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&devns_led_lock, flags);
	list_for_each_entry(phys, &devns_led_phys_list, node) {
		if (devns_led_controls(phys) &&
		    !devns_led_has_virt(phys, persona)) {
			kref_get(&phys->ref);
			found = phys;
			break;
		}
	}
	spin_unlock_irqrestore(&devns_led_lock, flags);
	return found;
}

/*
 * Serialized by devns_core: @persona's virtual LEDs of LEDs that left, or that
 * another subsystem took over, go.
 */
static void devns_led_reap(struct devns_led_persona *persona)
{
	struct devns_led_virt *virt, *tmp;
	unsigned long flags;
	bool gone;

	list_for_each_entry_safe(virt, tmp, &persona->virts, persona_node) {
		spin_lock_irqsave(&devns_led_lock, flags);
		gone = !devns_led_controls(virt->phys);
		spin_unlock_irqrestore(&devns_led_lock, flags);
		if (gone)
			devns_led_virt_destroy(virt);
	}
}

/*
 * Serialized by devns_core: give @persona a virtual LED for each physical LED
 * devns_led drives, and none for the others.
 */
int devns_led_persona_sync(struct devns_led_persona *persona)
{
	struct devns_led_phys *phys;
	int err;

	devns_led_reap(persona);
	while ((phys = devns_led_missing(persona))) {
		/*
		 * If this LED left the trigger and came back, it left first:
		 * its old virtual LED goes now, and with it the name.
		 */
		devns_led_reap(persona);
		err = devns_led_virt_create(persona, phys);
		devns_led_phys_put(phys);
		if (err)
			return err;
	}
	return 0;
}

/* Serialized by devns_core: @persona goes, with all its virtual LEDs. */
void devns_led_persona_clear(struct devns_led_persona *persona)
{
	struct devns_led_virt *virt, *tmp;

	list_for_each_entry_safe(virt, tmp, &persona->virts, persona_node)
		devns_led_virt_destroy(virt);
}

static void devns_led_persona_resync(struct devns *ns, void *priv)
{
	int err = devns_led_persona_sync(priv);

	if (err)
		pr_err("devns_led: devns%u: cannot add a virtual LED: %d\n",
		       devns_id(ns), err);
}

/* Physical LEDs came or went: bring every persona's virtual LEDs in line. */
static void devns_led_sync(struct work_struct *work)
{
	devns_for_each_attached(&devns_led_subsys, devns_led_persona_resync);
}
DECLARE_WORK(devns_led_sync_work, devns_led_sync);
