// SPDX-License-Identifier: GPL-2.0
/*
 * devns_led as a devns subsystem: personas come and go (attach, detach), and
 * the physical LEDs change hands on a switch.  The root's values are taken
 * from the physical LEDs when it leaves (and from what the root writes there
 * while a persona is active) and put back when it returns; a persona's are
 * its virtual LEDs' own.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include "devns_led.h"

static int devns_led_attach(struct devns *ns)
{
	struct devns_led_persona *persona;
	int err;

	persona = kzalloc(sizeof(*persona), GFP_KERNEL);
	if (!persona)
		return -ENOMEM;
	persona->ns = ns;
	INIT_LIST_HEAD(&persona->virts);

	err = devns_led_persona_sync(persona);
	if (err) {
		devns_led_persona_clear(persona);
		kfree(persona);
		return err;
	}
	devns_set_priv(ns, &devns_led_subsys, persona);
	return 0;
}

static void devns_led_detach(struct devns *ns)
{
	struct devns_led_persona *persona = devns_priv(ns, &devns_led_subsys);

	devns_led_persona_clear(persona);
	kfree(persona);
}

/*
 * The root's value is what its LED shows when it leaves, or what it wrote
 * there meanwhile when a persona leaves.
 */
static void devns_led_switch_out(struct devns *from, struct devns *to)
{
	struct devns_led_phys *phys;
	unsigned long flags;

	spin_lock_irqsave(&devns_led_lock, flags);
	list_for_each_entry(phys, &devns_led_phys_list, node) {
		if (!devns_led_controls(phys))
			continue;
		if (devns_is_root(from))
			phys->root_value = phys->cdev->brightness;
		else
			devns_led_catch_root(phys);
	}
	devns_led_shown = NULL;
	spin_unlock_irqrestore(&devns_led_lock, flags);
}

static void devns_led_switch_in(struct devns *to, struct devns *from)
{
	struct devns_led_phys *phys;
	unsigned long flags;

	spin_lock_irqsave(&devns_led_lock, flags);
	devns_led_shown = devns_is_root(to) ? NULL : to;
	list_for_each_entry(phys, &devns_led_phys_list, node)
		if (devns_led_controls(phys))
			devns_led_show(phys);
	spin_unlock_irqrestore(&devns_led_lock, flags);
}

struct devns_subsys devns_led_subsys = {
	.name = "led",
	.owner = THIS_MODULE,
	.attach = devns_led_attach,
	.detach = devns_led_detach,
	.switch_out = devns_led_switch_out,
	.switch_in = devns_led_switch_in,
};
